/**
 * Bounded log reads: every eth_getLogs of the app goes through `readLogsInChunks`, which reads from
 * the chain's `startBlock` (the platform deployment's first block, from /coterie.json) to the latest
 * block in ranges of at most `chunkSize` blocks (default 10,000, the cap of many public RPCs).
 *
 * When the RPC refuses a range (too many blocks, too many results, response too large) the range is
 * halved and read again; the smaller size is kept for the rest of the read. A single block the RPC
 * still refuses is an error saying so (that chain needs the indexer). Any other error (the node is
 * down, a bad filter) is thrown as it is: halving would not help.
 *
 * One read costs one `eth_blockNumber` (uncached: a read after a transaction must see its block)
 * plus one `eth_getLogs` per range; on the local chain and a young deployment, one range.
 */
import type { PublicClient } from "viem";

export const DEFAULT_LOG_CHUNK = 10_000n;

/** The part of the client the helper needs itself (the ranges are read by the caller's `read`). */
export type LogsClient = Pick<PublicClient, "getBlockNumber">;

/** The latest block, uncached (viem otherwise reuses a block number for its polling interval). */
export function latestBlock(client: LogsClient): Promise<bigint> {
  return client.getBlockNumber({ cacheTime: 0 });
}

/**
 * Messages and JSON-RPC codes RPC providers use when a log query is too large: range caps
 * ("block range is too wide", "exceed maximum block range: 10000", "range exceeds"), result caps
 * ("query returned more than 10000 results", "log response size exceeded", "limit exceeded"), and
 * EIP-1474's -32005 (limit exceeded).
 */
const RANGE_MESSAGE = /block range|range (is )?too (large|wide|big)|range exceed|exceeds? (the )?(max|maximum|limit)|max(imum)? (block )?range|more than \d+ (results|logs|blocks)|too many (results|logs|blocks)|response size|limit exceeded|limited to|query timeout|query returned more than/i;

/** Whether `error` (or any error it wraps) is an RPC refusing a log query for its size. */
export function isRangeError(error: unknown): boolean {
  let e: unknown = error;
  for (let depth = 0; e && depth < 8; depth++) {
    const fields = e as { code?: unknown; message?: unknown; details?: unknown; shortMessage?: unknown; cause?: unknown };
    if (fields.code === -32005) return true;
    for (const text of [fields.message, fields.details, fields.shortMessage]) {
      if (typeof text === "string" && RANGE_MESSAGE.test(text)) return true;
    }
    e = fields.cause;
  }
  return false;
}

export interface ChunkedLogsOptions<T> {
  /** The first block to read (the chain's startBlock). */
  fromBlock: bigint;
  /** The last block to read; default: the latest block, read once. */
  toBlock?: bigint;
  /** Blocks per eth_getLogs (default 10,000). */
  chunkSize?: bigint;
  /** Reads the logs of one inclusive range [from, to]. */
  read: (fromBlock: bigint, toBlock: bigint) => Promise<T[]>;
}

/** Every log in [fromBlock, toBlock], oldest first, read in ranges the RPC accepts (see the file comment). */
export async function readLogsInChunks<T>(client: LogsClient, options: ChunkedLogsOptions<T>): Promise<T[]> {
  const toBlock = options.toBlock ?? (await latestBlock(client));
  let chunk = options.chunkSize ?? DEFAULT_LOG_CHUNK;
  if (chunk < 1n) throw new Error("the log chunk size must be at least one block");
  const out: T[] = [];
  let from = options.fromBlock;
  while (from <= toBlock) {
    const to = from + chunk - 1n < toBlock ? from + chunk - 1n : toBlock;
    let logs: T[];
    try {
      logs = await options.read(from, to);
    } catch (error) {
      if (!isRangeError(error)) throw error;
      if (to === from) {
        const reason = error instanceof Error ? ((error as { shortMessage?: string }).shortMessage ?? error.message) : String(error);
        throw new Error(`The RPC refuses the logs of block ${from} even alone (${reason}); this chain needs an indexer (indexerUrl in coterie.json).`, { cause: error });
      }
      chunk = (to - from + 1n) / 2n;
      continue;
    }
    for (const log of logs) out.push(log);
    from = to + 1n;
  }
  return out;
}
