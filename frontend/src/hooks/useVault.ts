/**
 * A community's reward vault as the Earn tab and the creator console show it: its settings, the
 * current epoch's budget, and (when an account is given) that account's referrer and referral
 * earnings. One multicall, i.e. one JSON-RPC request; it also reads chain time from the token's
 * ERC-6372 `clock()` (the timestamp clock), so countdowns need no separate block request.
 */
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { usePublicClient } from "wagmi";
import { zeroAddress, type Address } from "viem";
import { useActiveChain } from "../config/context.tsx";
import { rewardVaultAbi, socialTokenAbi } from "../generated/abis.ts";

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

/** Refetched now and then so the countdowns and the budget stay current. */
const REFRESH_MS = 15_000;

export function useVaultStatus(vault: Address | null, token: Address, account?: Address) {
  const { chain } = useActiveChain();
  const client = usePublicClient({ chainId: chain.id });
  return useQuery({
    queryKey: ["vault", chain.id, vault, account ?? null],
    refetchInterval: REFRESH_MS,
    enabled: vault !== null && client !== undefined,
    retry: false,
    placeholderData: keepPreviousData,
    queryFn: async (): Promise<VaultData> => {
      if (!client || !vault) throw new Error("no client or vault");
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
    },
  });
}
