/**
 * The reward vault's reads: its status for the Earn tab and the creator console (one multicall,
 * with chain time from the token's ERC-6372 `clock()`), a campaign leaf's on-chain side, and the
 * settings a reward proposal template starts from, what the claim page reads about a claim link, and
 * the checks the voucher signer makes before signing.
 * hooks/useVault.ts, hooks/useCampaignClaim.ts, hooks/useClaimLink.ts and hooks/useSignVoucher.ts
 * use them.
 */
import { getAddress, zeroAddress, type Address, type Hex, type PublicClient } from "viem";
import type { ClaimPayload } from "../../../shared/rewards.ts";
import { communityFactoryAbi, rewardVaultAbi, socialTokenAbi } from "../generated/abis.ts";
import { checkSigner, recoverVoucherSigner, type CampaignLeaf, type ClaimBudget, type SignerCheck } from "../lib/rewards.ts";
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

// ------------------------------------------------------------------------------------ claim links

/** The part of viem's public client the claim page's reads use. */
export type ClaimClient = Pick<PublicClient, "multicall" | "getCode">;

export interface ClaimCommunity {
  token: Address;
  name: string;
  symbol: string;
  decimals: number;
  verified: boolean;
  creator: Address;
}

export interface ClaimReads {
  /** False when the link's vault is not a RewardVault. */
  isVault: boolean;
  /** The community the vault belongs to, or null when the registry does not know it (not Coterie). */
  community: ClaimCommunity | null;
  /** The vault's token even when it is not a Coterie community (null when not a vault). */
  token: Address | null;
  attester: Address | null;
  attesterIsContract: boolean;
  redeemed: boolean;
  paused: boolean;
  /** The recipient's token balance (null when the token is unknown). */
  recipientBalance: bigint | null;
  signer: SignerCheck;
  /** The vault's budget for this link (null when it could not be read). */
  budget: ClaimBudget | null;
}

/**
 * Everything the claim page needs to judge a claim link, read from the link's own chain (`client`,
 * with that chain's community `factory`): two multicalls plus one `eth_getCode`; the signature is
 * checked off-chain.
 */
export async function fetchClaimLink(client: ClaimClient, factory: Address, payload: ClaimPayload): Promise<ClaimReads> {
  const vault = getAddress(payload.vault);
  const v = { address: vault, abi: rewardVaultAbi } as const;
  const [recovered, first] = await Promise.all([
    recoverVoucherSigner(payload).catch(() => null),
    client.multicall({
      deployless: true,
      allowFailure: true,
      contracts: [
        { ...v, functionName: "token" },
        { ...v, functionName: "attester" },
        { ...v, functionName: "isRedeemed", args: [payload.voucher.id] },
        { ...v, functionName: "paused" },
        { ...v, functionName: "epochBudget" },
        { ...v, functionName: "remainingBudget" },
        { ...v, functionName: "epochEndsAt" },
        { ...v, functionName: "referralBps" },
        { ...v, functionName: "referrerOf", args: [getAddress(payload.voucher.recipient)] },
      ],
    }),
  ]);
  const [token, attester, redeemed, paused, epochBudget, remainingBudget, epochEndsAt, referralBps, recordedReferrer] = first;
  if (token.status !== "success" || attester.status !== "success" || redeemed.status !== "success" || paused.status !== "success") {
    return {
      isVault: false,
      community: null,
      token: null,
      attester: null,
      attesterIsContract: false,
      redeemed: false,
      paused: false,
      recipientBalance: null,
      signer: { kind: "malformed" },
      budget: null,
    };
  }
  const t = { address: token.result, abi: socialTokenAbi } as const;
  const [second, attesterCode] = await Promise.all([
    client.multicall({
      deployless: true,
      allowFailure: true,
      contracts: [
        { address: factory, abi: communityFactoryAbi, functionName: "communityByToken", args: [token.result] },
        { ...t, functionName: "name" },
        { ...t, functionName: "symbol" },
        { ...t, functionName: "decimals" },
        { ...t, functionName: "balanceOf", args: [getAddress(payload.voucher.recipient)] },
      ],
    }),
    client.getCode({ address: attester.result }),
  ]);
  const [entry, name, symbol, decimals, balance] = second;
  const isCoterie = entry.status === "success" && getAddress(entry.result.rewardVault) === vault;
  const attesterIsContract = attesterCode !== undefined && attesterCode !== "0x";
  return {
    isVault: true,
    token: token.result,
    community:
      isCoterie && name.status === "success" && symbol.status === "success" && decimals.status === "success"
        ? {
            token: token.result,
            name: name.result,
            symbol: symbol.result,
            decimals: decimals.result,
            verified: entry.result.verified,
            creator: entry.result.creator,
          }
        : null,
    attester: attester.result,
    attesterIsContract,
    redeemed: redeemed.result,
    paused: paused.result,
    recipientBalance: balance.status === "success" ? balance.result : null,
    signer: checkSigner(recovered, attester.result, attesterIsContract),
    budget:
      epochBudget.status === "success" &&
      remainingBudget.status === "success" &&
      epochEndsAt.status === "success" &&
      referralBps.status === "success" &&
      recordedReferrer.status === "success" &&
      decimals.status === "success" &&
      symbol.status === "success"
        ? {
            budget: epochBudget.result,
            remaining: remainingBudget.result,
            nextPeriodAt: epochEndsAt.result,
            referralBps: referralBps.result,
            // As the vault decides: a recorded referrer, else the voucher's own (never the fan itself).
            referred:
              recordedReferrer.result !== zeroAddress ||
              (getAddress(payload.voucher.referrer) !== zeroAddress && getAddress(payload.voucher.referrer) !== getAddress(payload.voucher.recipient)),
            decimals: decimals.result,
            symbol: symbol.result,
          }
        : null,
  };
}

// ------------------------------------------------------------------------------------ signing vouchers

/** Whether each of `ids` is redeemed at `vault` (one multicall). */
export async function readRedeemed(client: Pick<PublicClient, "multicall">, vault: Address, ids: readonly bigint[]): Promise<readonly boolean[]> {
  return client.multicall({
    deployless: true,
    allowFailure: false,
    contracts: ids.map((id) => ({ address: vault, abi: rewardVaultAbi, functionName: "isRedeemed", args: [id] }) as const),
  });
}

/**
 * The vault's budget per period and referral rate (one multicall) and the referrers recorded for
 * `fans` (a second multicall in parallel, skipped when there are none).
 */
export async function readBudgetFacts(
  client: Pick<PublicClient, "multicall">,
  vault: Address,
  fans: readonly Address[],
): Promise<{ budget: bigint; referralBps: bigint; referrers: readonly Address[] }> {
  const v = { address: vault, abi: rewardVaultAbi } as const;
  const [[budget, referralBps], referrers] = await Promise.all([
    client.multicall({
      deployless: true,
      allowFailure: false,
      contracts: [
        { ...v, functionName: "epochBudget" },
        { ...v, functionName: "referralBps" },
      ],
    }),
    fans.length === 0
      ? Promise.resolve([] as Address[])
      : client.multicall({
          deployless: true,
          allowFailure: false,
          contracts: fans.map((fan) => ({ ...v, functionName: "referrerOf", args: [fan] }) as const),
        }),
  ]);
  return { budget, referralBps, referrers };
}
