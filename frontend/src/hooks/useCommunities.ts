/**
 * The Explore page's query over `readPage` (reads/community.ts): the factory registry, newest first, one page of 24 at a time, each entry
 * with its token's name, symbol and supply. A page costs two `eth_call`s (the registry page, then
 * every token of the page in one multicall); the first page adds one for the count and the platform
 * id, which later pages carry over in their page parameter.
 */
import { useInfiniteQuery, type InfiniteData } from "@tanstack/react-query";
import { usePublicClient } from "wagmi";
import { useActiveChain } from "../config/context.tsx";
import { readPage, type CommunityListing, type CommunityPage, type NextPage } from "../reads/community.ts";

/** The communities whose name or symbol contains `query` (case-insensitive); all of them for an empty query. */
export function filterCommunities<T extends { name: string | null; symbol: string | null }>(list: readonly T[], query: string): T[] {
  const q = query.trim().toLowerCase();
  if (q === "") return [...list];
  return list.filter((c) => (c.name ?? "").toLowerCase().includes(q) || (c.symbol ?? "").toLowerCase().includes(q));
}

/** The loaded pages as one newest-first list. */
export function flattenPages(data: InfiniteData<CommunityPage, unknown> | undefined): CommunityListing[] {
  return data ? data.pages.flatMap((p) => p.items) : [];
}

/** The registry, newest first, page by page ("Load more" calls `fetchNextPage`). */
export function useCommunities() {
  const { chain } = useActiveChain();
  const client = usePublicClient({ chainId: chain.id });
  return useInfiniteQuery({
    queryKey: ["communities", chain.id, chain.contracts.factory],
    enabled: client !== undefined,
    retry: false,
    // null: the first page, ending at the registry's current end.
    initialPageParam: null as NextPage | null,
    queryFn: ({ pageParam }) => {
      if (!client) throw new Error("no client for the active chain");
      return readPage(client, chain.contracts.factory, pageParam);
    },
    getNextPageParam: (last): NextPage | undefined =>
      last.start > 0n ? { end: last.start, count: last.count, platformId: last.platformId } : undefined,
  });
}
