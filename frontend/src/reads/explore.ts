/**
 * Explore's pages: from the indexer when the chain names one and it answers (verified communities
 * first, then newest; the search runs on the indexer, name or symbol), else from the factory's
 * registry on chain, newest first (`readPage` in reads/community.ts; the search then filters the
 * loaded pages). A first page the indexer cannot give comes from the chain, and the pages after it
 * too; a later page's error is shown as such ("Load more" again retries it).
 */
import type { Address, PublicClient } from "viem";
import { EXPLORE_PAGE_SIZE, readPage, type CommunityListing, type NextPage } from "./community.ts";
import { type IndexerClient, type IndexerCommunity, IndexerError } from "./indexer.ts";

export type ExplorePageParam = { source: "indexer"; cursor: string | null } | { source: "chain"; next: NextPage | null };

export interface ExplorePage {
  source: "indexer" | "chain";
  items: CommunityListing[];
  /** The registry's size (chain pages only; the indexer does not count). */
  count: bigint | null;
  /** The next page's parameter; undefined after the last page. */
  next: ExplorePageParam | undefined;
  /** Why the indexer was not used, when it was configured but failed. */
  indexerError: IndexerError | null;
}

/** An indexer community as Explore lists it (community tokens have 18 decimals). */
export function listingFromIndexer(c: IndexerCommunity): CommunityListing {
  return {
    id: c.id,
    creator: c.creator,
    token: c.token,
    verified: c.verified,
    createdAt: c.createdAt,
    name: c.name,
    symbol: c.symbol,
    decimals: 18,
    totalSupply: c.totalSupply,
    isPlatform: c.platform,
  };
}

async function chainPage(client: PublicClient, factory: Address, next: NextPage | null, indexerError: IndexerError | null): Promise<ExplorePage> {
  const page = await readPage(client, factory, next);
  return {
    source: "chain",
    items: page.items,
    count: page.count,
    next: page.start > 0n ? { source: "chain", next: { end: page.start, count: page.count, platformId: page.platformId } } : undefined,
    indexerError,
  };
}

export function firstExploreParam(indexer: IndexerClient | null): ExplorePageParam {
  return indexer ? { source: "indexer", cursor: null } : { source: "chain", next: null };
}

/** One page of Explore (see the file comment). `q` is sent to the indexer only. */
export async function readExplorePage(
  client: PublicClient,
  options: { factory: Address; indexer: IndexerClient | null; q: string; param: ExplorePageParam },
): Promise<ExplorePage> {
  const { param, indexer } = options;
  if (param.source === "chain" || !indexer) return chainPage(client, options.factory, param.source === "chain" ? param.next : null, null);
  try {
    const page = await indexer.communities({ q: options.q.trim().slice(0, 64), limit: EXPLORE_PAGE_SIZE, cursor: param.cursor });
    return {
      source: "indexer",
      items: page.items.map(listingFromIndexer),
      count: null,
      next: page.nextCursor === null ? undefined : { source: "indexer", cursor: page.nextCursor },
      indexerError: null,
    };
  } catch (error) {
    if (param.cursor !== null) throw error;
    return chainPage(client, options.factory, null, error instanceof IndexerError ? error : new IndexerError(String(error)));
  }
}
