/**
 * Reading multicall results (allowFailure: true) with the types viem infers from the calls.
 *
 * A call list written `as const` gives a typed tuple of outcomes, read with `valueOf`. Where one
 * multicall carries a list whose length depends on the data (a page of proposals after the
 * governor's settings, so the page stays one request), `resultsAt` gives the outcomes of one
 * `as const` sub-list back their types, by its position in the multicall's results.
 */
import type { MulticallResponse, MulticallResults } from "viem";

/** The value of a call that succeeded, or undefined when it reverted (or is missing). */
export function valueOf<T>(outcome: MulticallResponse<T> | undefined): T | undefined {
  return outcome?.status === "success" ? outcome.result : undefined;
}

/**
 * The outcomes of `calls` (an `as const` list) where they sit in `results`, from `offset`, typed as
 * viem types them when they are multicalled on their own.
 */
export function resultsAt<const calls extends readonly unknown[]>(
  calls: calls,
  results: readonly MulticallResponse<unknown>[],
  offset: number,
): MulticallResults<calls> {
  return results.slice(offset, offset + calls.length) as MulticallResults<calls>;
}
