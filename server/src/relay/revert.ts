/**
 * Decoding what the chain refused: revert data is looked for in an RPC error (and its causes) and
 * decoded against every Coterie error (the generated allErrorsAbi, through the app's decoder),
 * then worded with the app's sentences, so the server and the app say the same thing.
 */
import type { Hex } from "viem";
import { decodeRevertData, describeCustomError } from "../../../frontend/src/lib/errors.ts";
import type { RelayError } from "./store.ts";

/** Revert data (0x + a selector at least) in an error or one of its causes. */
export function findRevertData(error: unknown): Hex | null {
  let current: unknown = error;
  for (let depth = 0; depth < 10 && current; depth++) {
    const c = current as { data?: unknown; cause?: unknown; error?: unknown };
    if (typeof c.data === "string" && /^0x[0-9a-fA-F]{8,}$/.test(c.data)) return c.data as Hex;
    if (c.data && typeof c.data === "object") {
      const inner = (c.data as { data?: unknown }).data;
      if (typeof inner === "string" && /^0x[0-9a-fA-F]{8,}$/.test(inner)) return inner as Hex;
    }
    current = c.cause ?? c.error;
  }
  return null;
}

/** The decoded error of revert data: its name (null when unknown) and a sentence. */
export function describeRevert(data: Hex | null, fallback: string): RelayError {
  if (data === null) return { code: "reverted", reason: null, message: fallback };
  const decoded = decodeRevertData(data);
  if (decoded === null) return { code: "reverted", reason: null, message: `The transaction would fail with an unknown error (${data.slice(0, 10)}).` };
  return { code: "reverted", reason: decoded.name, message: describeCustomError(decoded.name, decoded.args) };
}

/** The first line of an error's message (RPC errors carry long details). */
export function shortMessage(error: unknown): string {
  const e = error as { shortMessage?: string; message?: string };
  return (e.shortMessage ?? e.message ?? String(error)).split("\n")[0]!;
}
