/**
 * Test helpers for the Crowdfund tests: the crowdfund's token arithmetic (shared/funding.ts, the
 * reference the tests compare the contract with), its `State` enum, and the reverts executed inside a transaction that
 * did not revert (read from its struct-log trace). Pure functions apart from `revertsIn`, which only
 * reads a trace; the module has no side effects (mocha loads every file under test/).
 */
import { dataSlice, getBytes, hexlify, type Interface } from "ethers";

/** `ICrowdfund.State`, as the bigint values `state()` returns. */
export const CrowdfundState = {
  Active: 0n,
  Ended: 1n,
  Succeeded: 2n,
  Failed: 3n,
} as const;

/**
 * The crowdfund's token arithmetic is shared/funding.ts, the one the CLI and the app use
 * (test/funding-maths.test.ts checks it against a deployed Crowdfund); re-exported for these tests.
 */
export { bonusFor, feeFor, mintedFor, PRICE_SCALE, tokensFor } from "../../shared/funding.ts";

/** One step of a `debug_traceTransaction` struct-log trace (the fields these helpers read). */
interface StructLog {
  op: string;
  depth: number;
  stack?: string[];
  memory?: string[];
}

/** The part of an EIP-1193 provider the trace reader needs (Hardhat's `ethers.provider` has it). */
export interface TraceProvider {
  send(method: string, params: unknown[]): Promise<unknown>;
}

/** A REVERT executed inside a transaction: its call depth (1 is the transaction's own frame) and its data. */
export interface InnerRevert {
  depth: number;
  data: string;
}

/**
 * Every REVERT executed while running transaction `hash`, in order, read from its struct-log trace.
 * Lets a test see which custom error a call that was caught (try/catch) reverted with, e.g. a
 * re-entrant call refused by a guard. A revert inside an EIP-1167 clone shows twice: once in the
 * implementation's frame and once, with the same data, in the proxy's that bubbles it up.
 */
export async function revertsIn(provider: TraceProvider, hash: string): Promise<InnerRevert[]> {
  const trace = (await provider.send("debug_traceTransaction", [
    hash,
    { disableStorage: true, disableStack: false, enableMemory: true },
  ])) as { structLogs: StructLog[] };
  const out: InnerRevert[] = [];
  for (const step of trace.structLogs) {
    if (step.op !== "REVERT") continue;
    const stack = step.stack ?? [];
    const memory = getBytes("0x" + (step.memory ?? []).map((word) => word.replace(/^0x/, "")).join(""));
    // The top of the stack is the last element: REVERT(offset, size).
    const offset = Number(BigInt(stack[stack.length - 1]));
    const size = Number(BigInt(stack[stack.length - 2]));
    out.push({ depth: step.depth, data: hexlify(memory.slice(offset, offset + size)) });
  }
  return out;
}

/** The name of the custom error `data` encodes, per `iface`; the 4-byte selector if unknown. */
export function errorName(iface: Interface, data: string): string {
  return iface.parseError(data)?.name ?? dataSlice(data, 0, 4);
}
