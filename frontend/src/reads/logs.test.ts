import { describe, expect, it } from "vitest";
import { RpcRequestError } from "viem";
import { isRangeError, readLogsInChunks, type LogsClient } from "./logs.ts";

/**
 * A fake RPC that holds one log per block in [0, latest] and refuses any eth_getLogs spanning more
 * than `cap` blocks, the way public RPCs do; it records every range asked for.
 */
function fakeRpc(options: { latest: bigint; cap: bigint; refuse?: (from: bigint, to: bigint) => Error | null }) {
  const ranges: Array<[bigint, bigint]> = [];
  let blockNumberCalls = 0;
  const client: LogsClient = {
    getBlockNumber: (async (args?: { cacheTime?: number }) => {
      expect(args?.cacheTime).toBe(0);
      blockNumberCalls++;
      return options.latest;
    }) as LogsClient["getBlockNumber"],
  };
  const read = async (from: bigint, to: bigint): Promise<bigint[]> => {
    ranges.push([from, to]);
    const custom = options.refuse?.(from, to);
    if (custom) throw custom;
    if (to - from + 1n > options.cap) {
      throw new RpcRequestError({ url: "http://rpc", body: {}, error: { code: -32600, message: `exceed maximum block range: ${options.cap}` } });
    }
    const logs: bigint[] = [];
    for (let b = from; b <= to; b++) logs.push(b);
    return logs;
  };
  return { client, read, ranges, blockNumberCalls: () => blockNumberCalls };
}

const blocks = (from: bigint, to: bigint) => Array.from({ length: Number(to - from + 1n) }, (_, i) => from + BigInt(i));

describe("bounded log reads", () => {
  it("reads from the start block to the latest block in ranges of 10,000 blocks by default", async () => {
    const rpc = fakeRpc({ latest: 25_004n, cap: 10_000n });
    const logs = await readLogsInChunks(rpc.client, { fromBlock: 5n, read: rpc.read });
    expect(rpc.ranges).toEqual([
      [5n, 10_004n],
      [10_005n, 20_004n],
      [20_005n, 25_004n],
    ]);
    expect(logs).toEqual(blocks(5n, 25_004n));
    expect(rpc.blockNumberCalls()).toBe(1);
  });

  it("never reads before the start block", async () => {
    const rpc = fakeRpc({ latest: 120n, cap: 10_000n });
    await readLogsInChunks(rpc.client, { fromBlock: 100n, read: rpc.read });
    expect(rpc.ranges).toEqual([[100n, 120n]]);
  });

  it("halves the range when the RPC refuses it, keeps the smaller size, and misses no block", async () => {
    const rpc = fakeRpc({ latest: 9_999n, cap: 3_000n });
    const logs = await readLogsInChunks(rpc.client, { fromBlock: 0n, read: rpc.read });
    expect(logs).toEqual(blocks(0n, 9_999n));
    // 10,000 -> 5,000 -> 2,500 accepted, then 2,500 at a time.
    expect(rpc.ranges.filter(([from, to]) => to - from + 1n > 3_000n)).toEqual([
      [0n, 9_999n],
      [0n, 4_999n],
    ]);
    expect(rpc.ranges.slice(2)).toEqual([
      [0n, 2_499n],
      [2_500n, 4_999n],
      [5_000n, 7_499n],
      [7_500n, 9_999n],
    ]);
  });

  it("goes down to a single block on an RPC that caps ranges at one block", async () => {
    const rpc = fakeRpc({ latest: 20n, cap: 1n });
    expect(await readLogsInChunks(rpc.client, { fromBlock: 10n, chunkSize: 8n, read: rpc.read })).toEqual(blocks(10n, 20n));
  });

  it("says so clearly when the RPC refuses even a single block", async () => {
    const rpc = fakeRpc({ latest: 50n, cap: 0n });
    await expect(readLogsInChunks(rpc.client, { fromBlock: 0n, read: rpc.read })).rejects.toThrow(
      /^The RPC refuses the logs of block 0 even alone \(.*\); this chain needs an indexer \(indexerUrl in coterie.json\)\.$/,
    );
  });

  it("does not retry an error that is not about the range (the node is down)", async () => {
    const rpc = fakeRpc({ latest: 50_000n, cap: 10_000n, refuse: () => new Error("fetch failed") });
    await expect(readLogsInChunks(rpc.client, { fromBlock: 0n, read: rpc.read })).rejects.toThrow("fetch failed");
    expect(rpc.ranges).toHaveLength(1);
  });

  it("reads nothing when the start block is after the given end", async () => {
    const rpc = fakeRpc({ latest: 0n, cap: 10n });
    expect(await readLogsInChunks(rpc.client, { fromBlock: 5n, toBlock: 4n, read: rpc.read })).toEqual([]);
    expect(rpc.ranges).toEqual([]);
    expect(rpc.blockNumberCalls()).toBe(0);
  });

  it("recognises the size refusals of common RPC providers, and only those", () => {
    for (const message of [
      "query returned more than 10000 results",
      "Log response size exceeded. You can make eth_getLogs requests with up to a 2K block range",
      "block range is too wide",
      "eth_getLogs is limited to a 10,000 range",
      "exceed maximum block range: 50000",
      "Block range limit exceeded",
    ]) {
      expect(isRangeError(new Error("outer", { cause: { message } })), message).toBe(true);
    }
    expect(isRangeError({ code: -32005, message: "whatever" })).toBe(true);
    expect(isRangeError(new Error("fetch failed"))).toBe(false);
    expect(isRangeError(new Error("execution reverted"))).toBe(false);
  });
});
