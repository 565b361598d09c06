/**
 * The Explore page's reads: the factory registry, newest first, one page of 24 at a time, each entry
 * with its token's name, symbol and supply. A page costs two `eth_call`s (the registry page, then
 * every token of the page in one multicall); the first page adds one for the count and the platform
 * id, which later pages carry over in their page parameter.
 */
import { useInfiniteQuery, type InfiniteData } from "@tanstack/react-query";
import { usePublicClient } from "wagmi";
import type { Address, PublicClient } from "viem";
import { useActiveChain } from "../config/context.tsx";
import { communityFactoryAbi, socialTokenAbi } from "../generated/abis.ts";
import { resultsAt, valueOf } from "../reads/multicall.ts";

export const EXPLORE_PAGE_SIZE = 24;

/** One registry entry as Explore shows it. Token facts are null when the token could not be read. */
export interface CommunityListing {
  id: bigint;
  creator: Address;
  token: Address;
  verified: boolean;
  /** Unix seconds. */
  createdAt: number;
  name: string | null;
  symbol: string | null;
  decimals: number;
  totalSupply: bigint | null;
  isPlatform: boolean;
}

export interface CommunityPage {
  /** Registry size when the first page was read. */
  count: bigint;
  /** The platform community's id (null before the platform is launched). */
  platformId: bigint | null;
  /** The id of the page's oldest entry; the next page ends just below it. */
  start: bigint;
  items: CommunityListing[];
}

/**
 * The registry slice of a newest-first page ending (exclusively) at id `end`: the `size` ids just
 * below it, or fewer at the start of the registry.
 */
export function pageBefore(end: bigint, size: number): { offset: bigint; limit: bigint } {
  const want = BigInt(size);
  const offset = end > want ? end - want : 0n;
  return { offset, limit: end - offset };
}

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

/** Where a later page ends, and what the first page learnt. */
export interface NextPage {
  end: bigint;
  count: bigint;
  platformId: bigint | null;
}

async function readRegistryHead(client: PublicClient, factory: Address): Promise<NextPage> {
  const registry = { address: factory, abi: communityFactoryAbi } as const;
  const [countResult, platformResult] = await client.multicall({
    deployless: true,
    allowFailure: true,
    contracts: [
      { ...registry, functionName: "communityCount" },
      // Reverts before the platform is launched: then no entry is the platform's.
      { ...registry, functionName: "platformCommunityId" },
    ],
  });
  if (countResult.status === "failure") throw countResult.error;
  const count = countResult.result;
  return { end: count, count, platformId: platformResult.status === "success" ? platformResult.result : null };
}

/** Reads one newest-first page of the registry (`next` null: the first page). */
export async function readPage(client: PublicClient, factory: Address, next: NextPage | null): Promise<CommunityPage> {
  const registry = { address: factory, abi: communityFactoryAbi } as const;
  const { end, count, platformId } = next ?? (await readRegistryHead(client, factory));
  const { offset, limit } = pageBefore(end, EXPLORE_PAGE_SIZE);
  if (limit === 0n) return { count, platformId, start: offset, items: [] };

  const entries = await client.readContract({ ...registry, functionName: "communities", args: [offset, limit] });
  const perToken = entries.map((e) => {
    const token = { address: e.token, abi: socialTokenAbi } as const;
    return [
      { ...token, functionName: "name" },
      { ...token, functionName: "symbol" },
      { ...token, functionName: "decimals" },
      { ...token, functionName: "totalSupply" },
    ] as const;
  });
  // One broken token must not hide the others: each read may fail on its own.
  const facts = await client.multicall({ deployless: true, allowFailure: true, contracts: perToken.flat() });
  const items = entries.map((e, i): CommunityListing => {
    const [name, symbol, decimals, totalSupply] = resultsAt(perToken[i], facts, i * perToken[i].length);
    return {
      id: e.id,
      creator: e.creator,
      token: e.token,
      verified: e.verified,
      createdAt: Number(e.createdAt),
      name: valueOf(name) ?? null,
      symbol: valueOf(symbol) ?? null,
      decimals: valueOf(decimals) ?? 18,
      totalSupply: valueOf(totalSupply) ?? null,
      isPlatform: platformId !== null && e.id === platformId,
    };
  });
  return { count, platformId, start: offset, items: items.reverse() };
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
