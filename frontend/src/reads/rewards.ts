/**
 * The reward vault's reads: its status for the Earn tab and the creator console (one multicall,
 * with chain time from the token's ERC-6372 `clock()`), a campaign leaf's on-chain side, and the
 * settings a reward proposal template starts from. hooks/useVault.ts and hooks/useCampaignClaim.ts
 * run them as queries.
 */
import { zeroAddress, type Address, type Hex } from "viem";
import { rewardVaultAbi, socialTokenAbi } from "../generated/abis.ts";
import type { CampaignLeaf } from "../lib/rewards.ts";
import type { ReadClient } from "./governance.ts";

/** The vault's settings a reward proposal template starts from. */
export async function fetchVaultSettings(client: ReadClient, vault: Address) {
  const [epochBudget, epochLength, referralBps] = await client.multicall({
    deployless: true,
    allowFailure: false,
    contracts: [
      { address: vault, abi: rewardVaultAbi, functionName: "epochBudget" },
      { address: vault, abi: rewardVaultAbi, functionName: "epochLength" },
      { address: vault, abi: rewardVaultAbi, functionName: "referralBps" },
    ],
  });
  return { epochBudget: BigInt(epochBudget), epochLength: BigInt(epochLength), referralBps: BigInt(referralBps) };
}

export interface VaultStatus {
  address: Address;
  attester: Address;
  operator: Address;
  paused: boolean;
  referralBps: bigint;
  epochBudget: bigint;
  epochLength: bigint;
  currentEpoch: bigint;
  /** When the current epoch ends (unix seconds). */
  epochEndsAt: bigint;
  epochSpent: bigint;
  remainingBudget: bigint;
  campaignCount: bigint;
}

export interface VaultAccount {
  account: Address;
  /** The referrer recorded for the account, or null. */
  referrer: Address | null;
  referredFans: number;
  /** Every bonus ever credited to the account as a referrer. */
  earned: bigint;
  /** Credited but not yet claimed. */
  unclaimed: bigint;
}

export interface VaultData {
  vault: VaultStatus;
  account: VaultAccount | null;
  /** Chain time when read (unix seconds). */
  now: bigint;
}

/** The vault's status, the account's referral figures (when given) and chain time, in one multicall. */
export async function fetchVault(client: ReadClient, vault: Address, token: Address, account: Address | undefined): Promise<VaultData> {
  const v = { address: vault, abi: rewardVaultAbi } as const;
  const who = account ?? zeroAddress;
  const [attester, operator, paused, referralBps, epochBudget, epochLength, currentEpoch, epochEndsAt, epochSpent, remainingBudget, campaignCount, referrer, stats, clock] =
    await client.multicall({
      deployless: true,
      allowFailure: false,
      contracts: [
        { ...v, functionName: "attester" },
        { ...v, functionName: "operator" },
        { ...v, functionName: "paused" },
        { ...v, functionName: "referralBps" },
        { ...v, functionName: "epochBudget" },
        { ...v, functionName: "epochLength" },
        { ...v, functionName: "currentEpoch" },
        { ...v, functionName: "epochEndsAt" },
        { ...v, functionName: "epochSpent" },
        { ...v, functionName: "remainingBudget" },
        { ...v, functionName: "campaignCount" },
        // Without an account these read the zero address and are ignored.
        { ...v, functionName: "referrerOf", args: [who] },
        { ...v, functionName: "referralStats", args: [who] },
        { address: token, abi: socialTokenAbi, functionName: "clock" },
      ],
    });
  return {
    vault: {
      address: vault,
      attester,
      operator,
      paused,
      referralBps,
      epochBudget,
      epochLength,
      currentEpoch,
      epochEndsAt,
      epochSpent,
      remainingBudget,
      campaignCount,
    },
    account: account
      ? {
          account,
          referrer: referrer === zeroAddress ? null : referrer,
          referredFans: stats.referredFans,
          earned: stats.earned,
          unclaimed: stats.unclaimed,
        }
      : null,
    now: BigInt(clock),
  };
}

export interface CampaignLeafStatus {
  /** False when the vault has no campaign with this id. */
  exists: boolean;
  /** The campaign's root on chain (null when it does not exist). */
  root: Hex | null;
  end: bigint;
  closed: boolean;
  reserved: bigint;
  claimedTotal: bigint;
  /** Whether this leaf was claimed already. */
  claimed: boolean;
}

/** The on-chain side of a campaign leaf (one multicall). */
export async function fetchCampaignLeaf(client: ReadClient, vault: Address, leaf: CampaignLeaf): Promise<CampaignLeafStatus> {
  const v = { address: vault, abi: rewardVaultAbi } as const;
  const [campaign, claimed] = await client.multicall({
    deployless: true,
    allowFailure: true,
    contracts: [
      { ...v, functionName: "campaign", args: [leaf.campaignId] },
      { ...v, functionName: "isCampaignClaimed", args: [leaf.campaignId, leaf.index] },
    ],
  });
  if (campaign.status !== "success") {
    return { exists: false, root: null, end: 0n, closed: false, reserved: 0n, claimedTotal: 0n, claimed: false };
  }
  return {
    exists: true,
    root: campaign.result.root,
    end: BigInt(campaign.result.end),
    closed: campaign.result.closed,
    reserved: campaign.result.reserved,
    claimedTotal: campaign.result.claimed,
    claimed: claimed.status === "success" && claimed.result,
  };
}
