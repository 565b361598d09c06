/**
 * A community's reward vault as the Earn tab and the creator console show it: the query over
 * `fetchVault` (reads/rewards.ts), which reads its settings, the current epoch's budget, and (when an
 * account is given) that account's referrer and referral earnings in one multicall, with chain time
 * from the token's ERC-6372 `clock()`, so countdowns need no separate block request.
 */
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { usePublicClient } from "wagmi";
import type { Address } from "viem";
import { useActiveChain } from "../config/context.tsx";
import { fetchVault, type VaultData } from "../reads/rewards.ts";

export type { VaultAccount, VaultData, VaultStatus } from "../reads/rewards.ts";

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
      return fetchVault(client, vault, token, account);
    },
  });
}
