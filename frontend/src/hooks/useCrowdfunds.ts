/**
 * The funding domain layer between the Fund tab / funding console and the generated ABIs: one shared
 * query for the community's crowdfunds and revenue share (reads/funding.ts), read once and
 * selected by each hook, and a small query for an ERC-20 a form names.
 */
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { isAddress, getAddress, type Address } from "viem";
import { usePublicClient } from "wagmi";
import { useActiveChain } from "../config/context.tsx";
import { readErc20, readFunding, type FundingOverview } from "../reads/funding.ts";
import { indexerFor } from "../reads/indexer.ts";
import type { CommunityData } from "./useCommunity.ts";

function useFundingQuery<T>(data: CommunityData, select: (overview: FundingOverview) => T) {
  const { chain } = useActiveChain();
  const client = usePublicClient({ chainId: chain.id });
  const { community, holder } = data;
  const account = holder?.account ?? null;
  return useQuery({
    queryKey: ["funding", chain.id, community.token, account],
    enabled: client !== undefined,
    retry: false,
    // Switching accounts keeps the forms mounted; `account` in the data says whose positions show.
    placeholderData: keepPreviousData,
    queryFn: () => {
      if (!client) throw new Error("no client for the active chain");
      return readFunding(client, {
        crowdfundFactory: chain.contracts.crowdfundFactory,
        token: community.token,
        treasury: community.timelock,
        revenueShare: community.revenueShare,
        account,
        fromBlock: chain.startBlock,
        indexer: indexerFor(chain),
      });
    },
    select,
  });
}

/** The whole funding overview (crowdfunds, revenue share, platform fee, the account's ETH). */
export function useFundingOverview(data: CommunityData) {
  return useFundingQuery(data, (o) => o);
}

/** The community's crowdfunds, newest first, with the connected account's position in each. */
export function useCrowdfunds(data: CommunityData) {
  return useFundingQuery(data, (o) => o.crowdfunds);
}

/** The community's revenue share (null: none can exist), its deposits and what the account can claim. */
export function useRevenueShare(data: CommunityData) {
  return useFundingQuery(data, (o) => o.revenue);
}

/**
 * The ERC-20 a form names (`text`, validated elsewhere): symbol, decimals, `owner`'s balance and
 * allowance to `spender`. Data is null when the address does not answer as an ERC-20.
 */
export function useCrowdfundAsset(text: string, owner: Address | null, spender: Address | null) {
  const { chain } = useActiveChain();
  const client = usePublicClient({ chainId: chain.id });
  const address = isAddress(text.trim()) ? getAddress(text.trim()) : null;
  return useQuery({
    queryKey: ["funding-asset", chain.id, address, owner, spender],
    enabled: client !== undefined && address !== null,
    retry: false,
    queryFn: () => {
      if (!client || !address) throw new Error("no ERC-20 to read");
      return readErc20(client, address, owner, spender);
    },
  });
}
