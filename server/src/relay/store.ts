/**
 * Relay requests in the database: the state machine queued → sent → mined | failed
 * (queued → failed when the request became ineligible before it was sent). A request is stored
 * `queued` before the client gets its 202; it becomes `sent` together with its signed transaction,
 * nonce and hash before the transaction is broadcast, so a restart re-broadcasts instead of signing
 * twice. At most one queued or sent request per action key (a partial unique index); for
 * one-time actions (vote, delegate, redeem, campaign, crowdfund) a mined one also makes a new request a duplicate.
 */
import type { Address, Hex } from "viem";
import type { Db } from "../context.ts";

export type RelayStatus = "queued" | "sent" | "mined" | "failed";

export const RELAY_TABLES = [
  `CREATE TABLE IF NOT EXISTS relay_requests (
     id TEXT PRIMARY KEY,
     seq BIGSERIAL UNIQUE,
     community TEXT NOT NULL,
     kind TEXT NOT NULL,
     account TEXT NOT NULL,
     action_key TEXT NOT NULL,
     target TEXT NOT NULL,
     data TEXT NOT NULL,
     gas_limit NUMERIC NOT NULL,
     epoch BIGINT NOT NULL,
     status TEXT NOT NULL,
     nonce BIGINT,
     raw_tx TEXT,
     tx_hash TEXT,
     block_number NUMERIC,
     gas_used NUMERIC,
     error TEXT,
     created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
     sent_at TIMESTAMPTZ,
     mined_at TIMESTAMPTZ
   )`,
  `CREATE UNIQUE INDEX IF NOT EXISTS relay_requests_active_key ON relay_requests (action_key) WHERE status IN ('queued', 'sent')`,
  `CREATE INDEX IF NOT EXISTS relay_requests_open ON relay_requests (status, seq) WHERE status IN ('queued', 'sent')`,
  `CREATE INDEX IF NOT EXISTS relay_requests_key ON relay_requests (action_key)`,
];

export interface RelayError {
  code: string;
  reason: string | null;
  message: string;
}

/** A stored request (bigints as text from the database, converted here). */
export interface RelayRow {
  id: string;
  seq: bigint;
  community: Address;
  kind: string;
  account: Address;
  actionKey: string;
  target: Address;
  data: Hex;
  gasLimit: bigint;
  epoch: number;
  status: RelayStatus;
  nonce: number | null;
  rawTx: Hex | null;
  txHash: Hex | null;
  blockNumber: bigint | null;
  gasUsed: bigint | null;
  error: RelayError | null;
  createdAt: Date;
  sentAt: Date | null;
  minedAt: Date | null;
}

export const SELECT_ROW = `SELECT id, seq::text AS seq, community, kind, account, action_key, target, data, gas_limit::text AS gas_limit,
  epoch::text AS epoch, status, nonce::text AS nonce, raw_tx, tx_hash, block_number::text AS block_number, gas_used::text AS gas_used,
  error, created_at, sent_at, mined_at FROM relay_requests`;

const big = (v: unknown) => (v === null || v === undefined ? null : BigInt(String(v)));
const date = (v: unknown) => (v === null || v === undefined ? null : new Date(v as string | Date));

export function toRow(r: Record<string, unknown>): RelayRow {
  return {
    id: r.id as string,
    seq: BigInt(String(r.seq)),
    community: r.community as Address,
    kind: r.kind as string,
    account: r.account as Address,
    actionKey: r.action_key as string,
    target: r.target as Address,
    data: r.data as Hex,
    gasLimit: BigInt(String(r.gas_limit)),
    epoch: Number(r.epoch),
    status: r.status as RelayStatus,
    nonce: r.nonce === null ? null : Number(r.nonce),
    rawTx: (r.raw_tx as Hex | null) ?? null,
    txHash: (r.tx_hash as Hex | null) ?? null,
    blockNumber: big(r.block_number),
    gasUsed: big(r.gas_used),
    error: r.error ? (JSON.parse(r.error as string) as RelayError) : null,
    createdAt: date(r.created_at)!,
    sentAt: date(r.sent_at),
    minedAt: date(r.mined_at),
  };
}

export async function getRequest(db: Db, id: string): Promise<RelayRow | null> {
  const rows = await db.query(`${SELECT_ROW} WHERE id = $1`, [id]);
  return rows[0] ? toRow(rows[0]) : null;
}

/** The queued or sent request with this action key (or also a mined one, with `mined`), if any. */
export async function activeByKey(db: Db, actionKey: string, mined: boolean): Promise<{ id: string; status: RelayStatus } | null> {
  const statuses = mined ? "('queued', 'sent', 'mined')" : "('queued', 'sent')";
  const rows = await db.query<{ id: string; status: RelayStatus }>(`SELECT id, status FROM relay_requests WHERE action_key = $1 AND status IN ${statuses} LIMIT 1`, [actionKey]);
  return rows[0] ?? null;
}

/** The JSON of GET /v1/relay/:id. */
export function requestJson(row: RelayRow) {
  return {
    id: row.id,
    community: row.community,
    kind: row.kind,
    account: row.account,
    status: row.status,
    txHash: row.txHash,
    blockNumber: row.blockNumber?.toString() ?? null,
    gasUsed: row.gasUsed?.toString() ?? null,
    error: row.error,
    createdAt: row.createdAt.toISOString(),
    sentAt: row.sentAt?.toISOString() ?? null,
    minedAt: row.minedAt?.toISOString() ?? null,
  };
}
