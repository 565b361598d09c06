/**
 * The Explore page's query over `readExplorePage` (reads/explore.ts): the indexer's list when the
 * chain names one and it answers; otherwise over `readPage` (reads/community.ts): the factory
 * registry, newest first, one page of 24 at a time, each entry
 * with its token's name, symbol and supply. A page costs two `eth_call`s (the registry page, then
 * every token of the page in one multicall); the first page adds one for the count and the platform
 * id, which later pages carry over in their page parameter.
 */
import { keepPreviousData, useInfiniteQuery, type InfiniteData } from "@tanstack/react-query";
import { usePublicClient } from "wagmi";
import { useActiveChain } from "../config/context.tsx";
import type { CommunityListing } from "../reads/community.ts";
import { firstExploreParam, readExplorePage } from "../reads/explore.ts";
import { indexerFor } from "../reads/indexer.ts";

/** The communities whose name or symbol contains `query` (case-insensitive); all of them for an empty query. */
export function filterCommunities<T extends { name: string | null; symbol: string | null }>(list: readonly T[], query: string): T[] {
  const q = query.trim().toLowerCase();
  if (q === "") return [...list];
  return list.filter((c) => (c.name ?? "").toLowerCase().includes(q) || (c.symbol ?? "").toLowerCase().includes(q));
}

/** The loaded pages as one list, in the order they came. */
export function flattenPages(data: InfiniteData<{ items: CommunityListing[] }, unknown> | undefined): CommunityListing[] {
  return data ? data.pages.flatMap((p) => p.items) : [];
}

/**
 * Explore's list, page by page ("Load more" calls `fetchNextPage`): the indexer's when the chain
 * names one and it answers (searched there by `search`), else the registry on chain, newest first
 * (reads/explore.ts).
 */
export function useCommunities(search = "") {
  const { chain } = useActiveChain();
  const client = usePublicClient({ chainId: chain.id });
  const indexer = indexerFor(chain);
  const q = indexer ? search.trim() : "";
  return useInfiniteQuery({
    queryKey: ["communities", chain.id, chain.contracts.factory, chain.indexerUrl, q],
    enabled: client !== undefined,
    retry: false,
    initialPageParam: firstExploreParam(indexer),
    queryFn: ({ pageParam }) => {
      if (!client) throw new Error("no client for the active chain");
      return readExplorePage(client, { factory: chain.contracts.factory, indexer, q, param: pageParam });
    },
    getNextPageParam: (last) => last.next,
    // Typing a search keeps the previous results on screen until the indexer answers.
    placeholderData: keepPreviousData,
  });
}
