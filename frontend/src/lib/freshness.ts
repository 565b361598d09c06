/**
 * Read-after-write consistency: after a transaction's receipt, every value on screen must come from
 * a read that saw the receipt's block.
 *
 * Refetching once is not enough (issue 11 item 18). The app used to fire one `invalidateQueries()`
 * right after the receipt; when that one refetch failed (an RPC timeout under load: the funding
 * overview has `retry: false` and no polling) or ran against an RPC whose `latest` block still
 * predated the receipt (a load-balanced or lagging node), the pre-transaction value stayed on screen
 * for good: a refunded position kept showing the contribution.
 *
 * `refreshAfterReceipt` therefore
 *   1. waits until the RPC's own block number (read uncached) reaches the receipt's block, so a
 *      refetch cannot read `latest` from before the transaction;
 *   2. invalidates every query and waits for the active ones to refetch;
 *   3. refetches, with back-off, every active query that did not end with data fetched after step 2
 *      began (it failed, or was not refetched), until all are fresh or the attempts run out. A query
 *      that was already failing before the transaction is left alone.
 */
import type { Query, QueryClient } from "@tanstack/react-query";

export interface RefreshOptions {
  queryClient: QueryClient;
  /** The RPC's current block number, read without any cache. */
  blockNumber: () => Promise<bigint>;
  /** The receipt's block: reads must see at least this block. */
  minBlock: bigint;
  /** Waits between attempts (injected by tests). */
  sleep?: (ms: number) => Promise<void>;
  /** Attempts per step (default 8: about 15 s of back-off in all, 250 ms doubling, capped at 4 s). */
  attempts?: number;
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** The delay before retry `attempt` (0-based): 250 ms doubling, at most 4 s. */
export function backoff(attempt: number): number {
  return Math.min(250 * 2 ** attempt, 4_000);
}

/** Active queries (something on screen uses them) whose data was not fetched successfully since `since`. */
export function staleQueries(queryClient: QueryClient, since: number): Query[] {
  return queryClient
    .getQueryCache()
    .findAll({ type: "active" })
    .filter((q) => !q.isDisabled() && (q.state.status === "error" || q.state.dataUpdatedAt < since));
}

/**
 * Brings every active query up to the receipt's block (see the file comment). Resolves true when all
 * are fresh, false when some still are not after the attempts (they keep their last data; the next
 * transaction or reload tries again). Never rejects.
 */
export async function refreshAfterReceipt(options: RefreshOptions): Promise<boolean> {
  const { queryClient, blockNumber, minBlock } = options;
  const sleep = options.sleep ?? defaultSleep;
  const attempts = options.attempts ?? 8;

  for (let attempt = 0; attempt < attempts; attempt++) {
    const seen = await Promise.resolve()
      .then(blockNumber)
      .catch(() => -1n);
    if (seen >= minBlock) break;
    await sleep(backoff(attempt));
  }

  // A read that was already failing before the transaction is not the transaction's to fix (a bad
  // address typed in a form, say): only reads that had data are retried.
  const failingBefore = new Set(queryClient.getQueryCache().findAll({ type: "active" }).filter((q) => q.state.status === "error"));
  const since = Date.now();
  await queryClient.invalidateQueries().catch(() => undefined);
  for (let attempt = 0; attempt < attempts; attempt++) {
    const stale = new Set(staleQueries(queryClient, since).filter((q) => !failingBefore.has(q)));
    if (stale.size === 0) return true;
    await sleep(backoff(attempt));
    await queryClient.refetchQueries({ predicate: (q) => stale.has(q) }).catch(() => undefined);
  }
  return staleQueries(queryClient, since).filter((q) => !failingBefore.has(q)).length === 0;
}
