/**
 * Gas budgets per community and per account per epoch (docs/server.md): a request reserves its
 * gas limit (estimate × 1.2) when it is accepted, inside the transaction that stores it
 * (accept.ts); once
 * mined, the reservation is replaced by the gas it used; a request that fails before it is sent
 * gives its reservation back. So `used` never exceeds the budget, and neither does the gas spent.
 *
 * Table relay_budgets: one row per (community, epoch, account), account '' for the community's total.
 */
import { getAddress, type Address } from "viem";
import type { Db } from "../context.ts";

export const BUDGET_TABLES = [
  `CREATE TABLE IF NOT EXISTS relay_budgets (
     community TEXT NOT NULL,
     epoch BIGINT NOT NULL,
     account TEXT NOT NULL,
     used NUMERIC NOT NULL DEFAULT 0,
     PRIMARY KEY (community, epoch, account)
   )`,
];

/** The epoch index of a unix time. */
export function epochOf(unixSeconds: number, epochSeconds: number): number {
  return Math.floor(unixSeconds / epochSeconds);
}

/** Gas used (or reserved) in `epoch` by the community (account null) or one account. */
export async function budgetUsed(db: Db, community: Address, epoch: number, account: Address | null): Promise<bigint> {
  const rows = await db.query<{ used: string }>("SELECT used::text AS used FROM relay_budgets WHERE community = $1 AND epoch = $2 AND account = $3", [
    getAddress(community),
    epoch,
    account === null ? "" : getAddress(account),
  ]);
  return BigInt(rows[0]?.used ?? "0");
}

/** Adds `delta` (negative to give back) to the community's and the account's `used`. */
export async function adjust(tx: Db, where: { community: Address; account: Address; epoch: number }, delta: bigint): Promise<void> {
  if (delta === 0n) return;
  for (const account of ["", getAddress(where.account)]) {
    await tx.query("UPDATE relay_budgets SET used = used + $4::numeric WHERE community = $1 AND epoch = $2 AND account = $3", [
      getAddress(where.community),
      where.epoch,
      account,
      delta.toString(),
    ]);
  }
}
