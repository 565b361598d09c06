/** Shared helpers of the handlers: per-token counters and contract-to-community lookups. */
import type { Context } from "ponder:registry";
import { contractLink, tokenStats } from "ponder:schema";
import type { Address } from "viem";

/** Creates the token's counters row if it does not exist yet. */
export async function ensureStats(context: Context, token: Address): Promise<void> {
  await context.db
    .insert(tokenStats)
    .values({ token, totalSupply: 0n, holders: 0, proposals: 0, crowdfunds: 0 })
    .onConflictDoNothing();
}

/** Adds to the token's counters (creating the row first when needed). */
export async function bumpStats(
  context: Context,
  token: Address,
  delta: { totalSupply?: bigint; holders?: number; proposals?: number; crowdfunds?: number },
): Promise<void> {
  await ensureStats(context, token);
  await context.db.update(tokenStats, { token }).set((row) => ({
    totalSupply: row.totalSupply + (delta.totalSupply ?? 0n),
    holders: row.holders + (delta.holders ?? 0),
    proposals: row.proposals + (delta.proposals ?? 0),
    crowdfunds: row.crowdfunds + (delta.crowdfunds ?? 0),
  }));
}

/** The community token a governor, reward vault, crowdfund or revenue share belongs to (null if unknown). */
export async function tokenOf(context: Context, address: Address): Promise<Address | null> {
  const link = await context.db.find(contractLink, { address });
  return link ? link.token : null;
}

export const ZERO_ADDRESS = "0x0000000000000000000000000000000000000000" as const;

export function isZero(address: string): boolean {
  return /^0x0{40}$/i.test(address);
}
