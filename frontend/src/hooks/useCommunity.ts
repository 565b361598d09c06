/**
 * The community page's query over `fetchCommunity` (reads/community.ts): the registry entry, the
 * token's facts, the treasury and the connected account's holding, in two multicalls and one ETH
 * balance read (see docs/web-app.md for the request budget); and chain time.
 */
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { useBlock, useConnection, usePublicClient } from "wagmi";
import { getAddress, isAddress, zeroAddress } from "viem";
import { useActiveChain, useWalletSettled } from "../config/context.tsx";
import { fetchCommunity, type CommunityData } from "../reads/community.ts";
import { indexerFor } from "../reads/indexer.ts";

export type { CommunityData, CommunityInfo, HolderInfo } from "../reads/community.ts";

export function useCommunity(tokenParam: string) {
  const { chain } = useActiveChain();
  const client = usePublicClient({ chainId: chain.id });
  const { address: account } = useConnection();
  const settled = useWalletSettled();
  const valid = isAddress(tokenParam);
  const token = valid ? getAddress(tokenParam) : zeroAddress;

  return useQuery({
    queryKey: ["community", chain.id, token, account ?? null],
    enabled: valid && client !== undefined && settled,
    retry: false,
    // Connecting a wallet changes the key; keep showing the community meanwhile.
    placeholderData: keepPreviousData,
    queryFn: async (): Promise<CommunityData> => {
      if (!client) throw new Error("no client for the active chain");
      return fetchCommunity(client, {
        factory: chain.contracts.factory,
        revenueShareFactory: chain.contracts.revenueShareFactory,
        token,
        account: account ?? null,
        indexer: indexerFor(chain),
      });
    },
  });
}

/** Chain time (the latest block's timestamp, unix seconds): deadlines and countdowns follow the chain, not the browser clock. */
export function useChainNow(): bigint | undefined {
  const { chain } = useActiveChain();
  const block = useBlock({ chainId: chain.id, query: { refetchInterval: 5_000 } });
  return block.data?.timestamp;
}
