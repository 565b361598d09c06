/** Talking to a local chain's JSON-RPC endpoint over HTTP (loopback only in this project). */

/** One JSON-RPC call; throws on a transport error or an error answer. */
export async function rpcCall(url: string, method: string, params: unknown[] = []): Promise<unknown> {
  const res = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ jsonrpc: "2.0", id: 1, method, params }),
  });
  const body = (await res.json()) as { result?: unknown; error?: unknown };
  if (body.error !== undefined) throw new Error(`${method}: ${JSON.stringify(body.error)}`);
  return body.result;
}

/**
 * Polls `eth_chainId` every 250 ms until the chain answers, and returns its answer. Throws after
 * `tries` attempts, or as soon as `stillRunning` (the process serving it) says it has stopped.
 */
export async function waitForRpc(
  url: string,
  tries: number,
  stillRunning: () => boolean = () => true,
): Promise<unknown> {
  for (let i = 0; i < tries; i++) {
    if (!stillRunning()) throw new Error(`the chain at ${url} stopped before answering`);
    try {
      return await rpcCall(url, "eth_chainId");
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 250)); // not listening yet
    }
  }
  throw new Error(`the chain did not answer at ${url} after ${tries} tries`);
}
