/**
 * Acceptance in groups: the relay requests that finished their checks within GATHER_MS are
 * stored together, in ONE database transaction of a few set-based statements (duplicates looked
 * up, budget rows locked, reservations decided in order, budgets updated, requests inserted), so
 * a burst of concurrent requests costs a handful of queries instead of a handful each.
 *
 * The decisions are the ones of one request at a time, in arrival order: a duplicate of an
 * existing or earlier request is refused 409, a reservation over the community's or the account's
 * budget 429 (and takes nothing). Nothing is answered before the transaction commits.
 */
import type { Address, Hex } from "viem";
import { HttpError, type Db } from "../context.ts";

export interface AcceptJob {
  id: string;
  community: Address;
  kind: string;
  account: Address;
  key: string;
  /** A mined request with the key also makes this one a duplicate. */
  once: boolean;
  target: Address;
  data: Hex;
  gas: bigint;
  epoch: number;
  limits: { gasPerEpoch: bigint; gasPerAccountPerEpoch: bigint };
}

/** Requests that finished their checks within this long of the first waiting one are stored together. */
const GATHER_MS = 5;

type Waiting = AcceptJob & { resolve: () => void; reject: (error: unknown) => void };

const duplicate = (id: string) => new HttpError(409, "duplicate", "The same action is already relayed (see its id).", { id });

export class Acceptor {
  private queue: Waiting[] = [];
  private running = false;

  constructor(private readonly db: Db) {}

  /** Stores the request as queued with its reservation; rejects with 409 or 429 when it may not be. */
  accept(job: AcceptJob): Promise<void> {
    return new Promise((resolve, reject) => {
      this.queue.push({ ...job, resolve, reject });
      if (!this.running) {
        this.running = true;
        setTimeout(() => void this.drain(), GATHER_MS);
      }
    });
  }

  private async drain(): Promise<void> {
    while (this.queue.length > 0) {
      const batch = this.queue.splice(0, 500);
      let outcomes: Array<Error | null>;
      try {
        outcomes = await this.db.transaction((tx) => this.store(tx, batch));
      } catch (error) {
        outcomes = batch.map(() => error as Error);
      }
      batch.forEach((job, i) => (outcomes[i] === null ? job.resolve() : job.reject(outcomes[i])));
    }
    this.running = false;
  }

  private async store(tx: Db, batch: Waiting[]): Promise<Array<Error | null>> {
    const existing = await tx.query<{ action_key: string; id: string; status: string }>(
      "SELECT action_key, id, status FROM relay_requests WHERE action_key = ANY($1::text[]) AND status IN ('queued', 'sent', 'mined')",
      [batch.map((j) => j.key)],
    );
    const taken = new Map<string, string>();
    for (const e of existing) {
      const job = batch.find((j) => j.key === e.action_key)!;
      if (e.status !== "mined" || job.once) taken.set(e.action_key, e.id);
    }
    // Budget rows: the community's total ('') and each account's, locked in one order.
    const rowKey = (c: string, e: number, a: string) => `${c}|${e}|${a}`;
    const wanted = new Map<string, [string, number, string]>();
    for (const j of batch) {
      wanted.set(rowKey(j.community, j.epoch, ""), [j.community, j.epoch, ""]);
      wanted.set(rowKey(j.community, j.epoch, j.account), [j.community, j.epoch, j.account]);
    }
    const cols = [...wanted.values()];
    const params = [cols.map((c) => c[0]), cols.map((c) => c[1]), cols.map((c) => c[2])];
    await tx.query(
      "INSERT INTO relay_budgets (community, epoch, account) SELECT * FROM unnest($1::text[], $2::bigint[], $3::text[]) ON CONFLICT DO NOTHING",
      params,
    );
    const locked = await tx.query<{ community: string; epoch: string; account: string; used: string }>(
      `SELECT community, epoch::text AS epoch, account, used::text AS used FROM relay_budgets
       WHERE (community, epoch, account) IN (SELECT * FROM unnest($1::text[], $2::bigint[], $3::text[]))
       ORDER BY community, epoch, account FOR UPDATE`,
      params,
    );
    const used = new Map(locked.map((r) => [rowKey(r.community, Number(r.epoch), r.account), BigInt(r.used)]));
    const start = new Map(used);

    const outcomes: Array<Error | null> = [];
    const accepted: Waiting[] = [];
    for (const j of batch) {
      const other = taken.get(j.key);
      if (other !== undefined) {
        outcomes.push(duplicate(other));
        continue;
      }
      const total = rowKey(j.community, j.epoch, "");
      const own = rowKey(j.community, j.epoch, j.account);
      if (used.get(total)! + j.gas > j.limits.gasPerEpoch) {
        outcomes.push(new HttpError(429, "budget_exhausted", "The community's sponsored gas for this period is used up; try again next period or pay the gas yourself."));
        continue;
      }
      if (used.get(own)! + j.gas > j.limits.gasPerAccountPerEpoch) {
        outcomes.push(new HttpError(429, "budget_exhausted", "Your sponsored gas for this period is used up; try again next period or pay the gas yourself."));
        continue;
      }
      used.set(total, used.get(total)! + j.gas);
      used.set(own, used.get(own)! + j.gas);
      taken.set(j.key, j.id);
      accepted.push(j);
      outcomes.push(null);
    }
    if (accepted.length === 0) return outcomes;
    const changed = [...used.entries()].filter(([k, v]) => v !== start.get(k)).map(([k, v]) => [...k.split("|"), v.toString()] as const);
    await tx.query(
      `UPDATE relay_budgets b SET used = u.used FROM unnest($1::text[], $2::bigint[], $3::text[], $4::numeric[]) AS u(community, epoch, account, used)
       WHERE b.community = u.community AND b.epoch = u.epoch AND b.account = u.account`,
      [changed.map((c) => c[0]), changed.map((c) => Number(c[1])), changed.map((c) => c[2]), changed.map((c) => c[3])],
    );
    await tx.query(
      `INSERT INTO relay_requests (id, community, kind, account, action_key, target, data, gas_limit, epoch, status)
       SELECT id, community, kind, account, action_key, target, data, gas_limit, epoch, 'queued'
       FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::numeric[], $9::bigint[])
         AS u(id, community, kind, account, action_key, target, data, gas_limit, epoch)`,
      [
        accepted.map((j) => j.id),
        accepted.map((j) => j.community),
        accepted.map((j) => j.kind),
        accepted.map((j) => j.account),
        accepted.map((j) => j.key),
        accepted.map((j) => j.target),
        accepted.map((j) => j.data),
        accepted.map((j) => j.gas.toString()),
        accepted.map((j) => j.epoch),
      ],
    );
    return outcomes;
  }
}
