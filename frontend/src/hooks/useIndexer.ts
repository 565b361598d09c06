/**
 * The views only the indexer makes possible (reads/indexer.ts): the connected fan's communities,
 * a community's holders leaderboard and a fan's referred fans. Each query is disabled without an
 * indexer (`indexer` is then null and the view says it needs one); an indexer error is the query's
 * error, shown by the view (the rest of the app does not depend on these).
 */
import { useInfiniteQuery, useQuery } from "@tanstack/react-query";
import { useMemo } from "react";
import type { Address } from "viem";
import { useActiveChain } from "../config/context.tsx";
import { indexerFor, type IndexerClient } from "../reads/indexer.ts";

export const HOLDERS_PAGE_SIZE = 10;
export const REFERRALS_PAGE_SIZE = 20;

/** The active chain's indexer client, or null when its configuration names none. */
export function useIndexer(): IndexerClient | null {
  const { chain } = useActiveChain();
  return useMemo(() => indexerFor(chain), [chain]);
}

/** GET /api/accounts/:address (the fan's communities and referral totals). */
export function useMyCommunities(account: Address | undefined) {
  const indexer = useIndexer();
  const { chain } = useActiveChain();
  const query = useQuery({
    queryKey: ["indexer-account", chain.id, chain.indexerUrl, account ?? null],
    enabled: indexer !== null && account !== undefined,
    retry: false,
    queryFn: () => {
      if (!indexer || !account) throw new Error("no indexer or no account");
      return indexer.account(account);
    },
  });
  return { indexer, query };
}

/** GET /api/communities/:token/holders, page by page ("Load more"). */
export function useHolders(token: Address) {
  const indexer = useIndexer();
  const { chain } = useActiveChain();
  const query = useInfiniteQuery({
    queryKey: ["indexer-holders", chain.id, chain.indexerUrl, token],
    enabled: indexer !== null,
    retry: false,
    initialPageParam: null as string | null,
    queryFn: ({ pageParam }) => {
      if (!indexer) throw new Error("no indexer");
      return indexer.holders(token, { limit: HOLDERS_PAGE_SIZE, cursor: pageParam });
    },
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
  return { indexer, query };
}

/** GET /api/accounts/:address/referrals?token=, page by page ("Load more"). */
export function useReferrals(account: Address | undefined, token: Address) {
  const indexer = useIndexer();
  const { chain } = useActiveChain();
  const query = useInfiniteQuery({
    queryKey: ["indexer-referrals", chain.id, chain.indexerUrl, account ?? null, token],
    enabled: indexer !== null && account !== undefined,
    retry: false,
    initialPageParam: null as string | null,
    queryFn: ({ pageParam }) => {
      if (!indexer || !account) throw new Error("no indexer or no account");
      return indexer.referrals(account, { token, limit: REFERRALS_PAGE_SIZE, cursor: pageParam });
    },
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
  return { indexer, query };
}
