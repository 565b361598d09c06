/**
 * Plain JSON-RPC over fetch, for what the relay needs raw: revert data from eth_estimateGas and
 * eth_call, and batches (one HTTP request carrying many calls, answered in one array).
 */
import type { Hex } from "viem";

export class RpcError extends Error {
  override name = "RpcError";
  constructor(
    message: string,
    readonly code: number,
    readonly data: Hex | null,
  ) {
    super(message);
  }
}

interface RpcResponse {
  id: number;
  result?: unknown;
  error?: { code: number; message: string; data?: unknown };
}

export type RpcResult = { ok: true; result: unknown } | { ok: false; error: RpcError };

function revertData(data: unknown): Hex | null {
  if (typeof data === "string" && /^0x[0-9a-fA-F]*$/.test(data)) return data as Hex;
  if (data && typeof data === "object" && typeof (data as { data?: unknown }).data === "string") return (data as { data: Hex }).data;
  return null;
}

function toResult(r: RpcResponse | undefined): RpcResult {
  if (r === undefined) return { ok: false, error: new RpcError("no answer in the batch", -1, null) };
  if (r.error) return { ok: false, error: new RpcError(r.error.message, r.error.code, revertData(r.error.data)) };
  return { ok: true, result: r.result };
}

/**
 * A JSON-RPC client. `call`s made within `windowMs` of the first waiting one go out together as one
 * batch (concurrent HTTP requests reach their handlers a few milliseconds apart, not in one turn):
 * a node answers a batch of 100 calls many times faster than 100 requests (hardhat node: ~17 ms
 * against ~300 ms on the bench machine), which is what keeps concurrent relay requests fast.
 */
export function jsonRpc(url: string, maxBatch = 200, windowMs = 5) {
  let nextId = 1;
  const post = async (body: unknown): Promise<unknown> => {
    const res = await fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
    if (!res.ok) throw new Error(`RPC ${url} answered HTTP ${res.status}`);
    return res.json();
  };
  const batch = async (calls: Array<{ method: string; params: unknown[] }>): Promise<RpcResult[]> => {
    if (calls.length === 0) return [];
    const first = nextId;
    nextId += calls.length;
    const answer = (await post(calls.map((c, i) => ({ jsonrpc: "2.0", id: first + i, method: c.method, params: c.params })))) as RpcResponse[] | RpcResponse;
    const list = Array.isArray(answer) ? answer : [answer];
    const byId = new Map(list.map((r) => [r.id, r]));
    return calls.map((_, i) => toResult(byId.get(first + i)));
  };
  const waiting: Array<{ method: string; params: unknown[]; resolve: (r: RpcResult) => void; reject: (e: unknown) => void }> = [];
  const flush = () => {
    const taken = waiting.splice(0, maxBatch);
    if (waiting.length > 0) setImmediate(flush);
    batch(taken).then(
      (results) => results.forEach((r, i) => taken[i]!.resolve(r)),
      (error: unknown) => taken.forEach((t) => t.reject(error)),
    );
  };
  return {
    /** One call (batched with the others of the next `windowMs`); throws RpcError (with revert data when the chain gave some). */
    async call<T>(method: string, params: unknown[]): Promise<T> {
      const r = await new Promise<RpcResult>((resolve, reject) => {
        waiting.push({ method, params, resolve, reject });
        if (waiting.length === 1) setTimeout(flush, windowMs);
      });
      if (!r.ok) throw r.error;
      return r.result as T;
    },
    /** Many calls in one request; the results in the calls' order. */
    batch,
  };
}

export type JsonRpc = ReturnType<typeof jsonRpc>;
