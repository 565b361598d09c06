/**
 * Read-after-write consistency (issue 11 item 18): after a receipt, a value on screen must come from
 * a read that saw the receipt's block, even when the first refetch fails or the RPC lags behind.
 */
import { describe, expect, it } from "vitest";
import { QueryClient, QueryObserver } from "@tanstack/react-query";
import { backoff, refreshAfterReceipt, staleQueries } from "./freshness.ts";

/** A chain whose state changes at block 42 (a refund: the position goes from 1 ETH to 0). */
function fakeChain() {
  const chain = { head: 41n, visible: 41n };
  const position = async () => (chain.visible >= 42n ? 0n : 10n ** 18n);
  return { chain, position };
}

function observe(queryClient: QueryClient, queryFn: () => Promise<bigint>) {
  const observer = new QueryObserver(queryClient, { queryKey: ["position"], queryFn, retry: false });
  const unsubscribe = observer.subscribe(() => undefined);
  return { observer, unsubscribe };
}

const noWait = async () => undefined;

describe("refreshAfterReceipt", () => {
  it("refetches a read whose first refetch after the receipt failed, instead of leaving the stale value", async () => {
    const queryClient = new QueryClient();
    const { chain, position } = fakeChain();
    let failNext = false;
    const { observer, unsubscribe } = observe(queryClient, async () => {
      if (failNext) {
        failNext = false;
        throw new Error("The request took too long to respond.");
      }
      return position();
    });
    await observer.refetch();
    expect(observer.getCurrentResult().data).toBe(10n ** 18n);

    // The refund is mined; the next read times out once.
    chain.head = chain.visible = 42n;
    failNext = true;
    const fresh = await refreshAfterReceipt({ queryClient, blockNumber: async () => chain.head, minBlock: 42n, sleep: noWait });
    expect(fresh).toBe(true);
    expect(observer.getCurrentResult().data).toBe(0n);
    unsubscribe();
  });

  it("waits until the RPC has the receipt's block before refetching (a lagging node)", async () => {
    const queryClient = new QueryClient();
    const { chain, position } = fakeChain();
    const { observer, unsubscribe } = observe(queryClient, position);
    await observer.refetch();
    // The wallet's node mined block 42; the app's RPC reaches it only after two more polls.
    let polls = 0;
    const blockNumber = async () => {
      polls++;
      if (polls >= 3) chain.visible = 42n;
      return chain.visible;
    };
    const waits: number[] = [];
    await refreshAfterReceipt({ queryClient, blockNumber, minBlock: 42n, sleep: async (ms) => void waits.push(ms) });
    expect(observer.getCurrentResult().data).toBe(0n);
    expect(waits).toEqual([250, 500]);
    unsubscribe();
  });

  it("gives up after the attempts, keeping the last data, and says so", async () => {
    const queryClient = new QueryClient();
    let calls = 0;
    const { observer, unsubscribe } = observe(queryClient, async () => {
      if (++calls > 1) throw new Error("down");
      return 1n;
    });
    await observer.refetch();
    const blockNumber = (): Promise<bigint> => {
      throw new Error("down");
    };
    const fresh = await refreshAfterReceipt({ queryClient, blockNumber, minBlock: 1n, sleep: noWait, attempts: 3 });
    expect(fresh).toBe(false);
    expect(observer.getCurrentResult().data).toBe(1n);
    expect(staleQueries(queryClient, 0)).toHaveLength(1);
    unsubscribe();
  });

  it("leaves alone a read that was already failing before the transaction", async () => {
    const queryClient = new QueryClient();
    let calls = 0;
    const { observer, unsubscribe } = observe(queryClient, async () => {
      calls++;
      throw new Error("not an ERC-20");
    });
    await observer.refetch();
    expect(calls).toBe(1);
    const fresh = await refreshAfterReceipt({ queryClient, blockNumber: async () => 5n, minBlock: 5n, sleep: noWait });
    expect(fresh).toBe(true);
    expect(calls).toBe(2); // the invalidation's one refetch, no retries
    unsubscribe();
  });

  it("backs off from 250 ms, doubling, to at most 4 s", () => {
    expect([0, 1, 2, 3, 4, 5, 9].map(backoff)).toEqual([250, 500, 1_000, 2_000, 4_000, 4_000, 4_000]);
  });
});
