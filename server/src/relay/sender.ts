/**
 * The sender: one per server, the only user of the sponsor key's nonces.
 *
 * - send: takes every queued request (in order), assigns nonces from a local counter, signs
 *   locally, stores the signed transactions (status `sent`, nonce, hash) in ONE database
 *   statement, then broadcasts them as ONE JSON-RPC batch in nonce order. Stored before
 *   broadcast: a crash after it re-broadcasts the same bytes; a request is never signed twice.
 * - watch: fetches the receipts of sent requests (one batch), settles them (mined with gasUsed,
 *   or failed with the revert replayed by eth_call at the parent block and decoded), and settles
 *   the budget to the gas used; re-broadcasts a sent transaction the chain has forgotten.
 * - recovery (start): re-broadcasts what is sent but unknown to the chain (nonce order), then takes
 *   the nonce from the chain.
 * - a broadcast the chain refuses: "nonce too low" puts the request back in the queue and resyncs
 *   the nonce; any other refusal fails the request (its reservation is given back) and fills its
 *   nonce with a zero-value transfer to the sponsor, so later nonces are never stuck behind a gap.
 *
 * Sending, re-broadcasting and recovery run one step at a time (a promise chain), so nonces are
 * never assigned concurrently; settling receipts runs beside them (it touches only sent rows).
 */
import { getAddress, keccak256, numberToHex, type Address, type Hex, type PrivateKeyAccount } from "viem";
import type { ServerContext } from "../context.ts";
import { adjust } from "./budget.ts";
import { describeRevert } from "./revert.ts";
import type { JsonRpc } from "./rpc.ts";
import { SELECT_ROW, toRow, type RelayRow } from "./store.ts";

const BATCH = 256;
const WATCH_MS = 250;
/** A sent transaction without receipt that the node does not know after this long is broadcast again. */
const REBROADCAST_MS = 5_000;

interface Signed {
  id: string;
  nonce: number;
  raw: Hex;
  hash: Hex;
}

interface Receipt {
  status: Hex;
  gasUsed: Hex;
  blockNumber: Hex;
}

export class Sender {
  private nonce: number | null = null;
  private chain: Promise<void> = Promise.resolve();
  private pendingSend = false;
  private stopped = false;
  private timer: NodeJS.Timeout | null = null;
  private lastRebroadcastCheck = 0;
  private watching: Promise<void> = Promise.resolve();

  constructor(
    private readonly ctx: ServerContext,
    private readonly account: PrivateKeyAccount,
    private readonly rpc: JsonRpc,
  ) {}

  /** Recovers what a previous run left, then watches receipts every WATCH_MS and sends what is queued. */
  async start(): Promise<void> {
    await this.step(() => this.recover());
    this.wake();
    const tick = () => {
      if (this.stopped) return;
      // Receipts are settled beside the send steps (they touch only sent rows, never nonces);
      // re-broadcasting, which may resync the nonce, is a step of its own.
      this.watching = this.watch(false)
        .then((lost) => (lost.length > 0 ? this.step(() => this.broadcast(lost)) : undefined))
        .catch((error: unknown) => this.ctx.log.error({ err: (error as Error).message }, "relay watcher failed"))
        .finally(() => {
          if (!this.stopped) this.timer = setTimeout(tick, WATCH_MS);
        });
      this.wake();
    };
    this.timer = setTimeout(tick, WATCH_MS);
  }

  /** Asks for a send step (coalesced: one waiting step takes everything queued). */
  wake(): void {
    if (this.pendingSend || this.stopped) return;
    this.pendingSend = true;
    void this.step(async () => {
      this.pendingSend = false;
      await this.send();
    });
  }

  /** Stops after the step in progress (its database writes complete). */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.watching;
    await this.chain;
  }

  private step(fn: () => Promise<void>): Promise<void> {
    const run = this.chain.then(async () => {
      if (this.stopped) return;
      try {
        await fn();
      } catch (error) {
        this.ctx.log.error({ err: (error as Error).message }, "relay sender step failed");
      }
    });
    this.chain = run;
    return run;
  }

  private async resyncNonce(): Promise<void> {
    const count = await this.rpc.call<Hex>("eth_getTransactionCount", [this.account.address, "pending"]);
    this.nonce = Number(BigInt(count));
  }

  private fees: { at: number; maxFeePerGas: bigint; maxPriorityFeePerGas: bigint } | null = null;

  private async feesNow() {
    if (this.fees && Date.now() - this.fees.at < 1000) return this.fees;
    const block = await this.ctx.chain.getBlock({ blockTag: "latest" });
    const tip = 1_000_000_000n;
    const base = block.baseFeePerGas ?? 1_000_000_000n;
    this.fees = { at: Date.now(), maxFeePerGas: base * 2n + tip, maxPriorityFeePerGas: tip };
    return this.fees;
  }

  private async sign(to: Address, data: Hex, gas: bigint, nonce: number): Promise<{ raw: Hex; hash: Hex }> {
    const fees = await this.feesNow();
    const raw = await this.account.signTransaction({
      type: "eip1559",
      chainId: this.ctx.config.chainId,
      nonce,
      to,
      data,
      gas,
      value: 0n,
      maxFeePerGas: fees.maxFeePerGas,
      maxPriorityFeePerGas: fees.maxPriorityFeePerGas,
    });
    return { raw, hash: keccak256(raw) };
  }

  /** Signs, stores and broadcasts every queued request. */
  private async send(): Promise<void> {
    const rows = (await this.ctx.db.query(`${SELECT_ROW} WHERE status = 'queued' ORDER BY seq LIMIT ${BATCH}`)).map(toRow);
    if (rows.length === 0) return;
    if (this.nonce === null) await this.resyncNonce();
    const signed: Signed[] = [];
    for (const row of rows) {
      const nonce = this.nonce! + signed.length;
      signed.push({ id: row.id, nonce, ...(await this.sign(row.target, row.data, row.gasLimit, nonce)) });
    }
    // One statement, so one transaction, for the whole batch.
    await this.ctx.db.query(
      `UPDATE relay_requests r SET status = 'sent', nonce = v.nonce, raw_tx = v.raw, tx_hash = v.hash, sent_at = now()
       FROM (SELECT unnest($1::text[]) AS id, unnest($2::bigint[]) AS nonce, unnest($3::text[]) AS raw, unnest($4::text[]) AS hash) v
       WHERE r.id = v.id AND r.status = 'queued'`,
      [signed.map((s) => s.id), signed.map((s) => s.nonce), signed.map((s) => s.raw), signed.map((s) => s.hash)],
    );
    this.nonce! += signed.length;
    await this.broadcast(signed);
    if (rows.length === BATCH) this.wake();
  }

  /** Broadcasts stored transactions in nonce order (one batch) and handles refusals. */
  private async broadcast(list: Signed[]): Promise<void> {
    const sorted = [...list].sort((a, b) => a.nonce - b.nonce);
    const results = await this.rpc.batch(sorted.map((s) => ({ method: "eth_sendRawTransaction", params: [s.raw] })));
    let resync = false;
    for (const [i, result] of results.entries()) {
      if (result.ok) continue;
      const s = sorted[i]!;
      const message = result.error.message;
      if (/already known|known transaction|already imported/i.test(message)) continue;
      if (/nonce too low|nonce has already been used|is lower than the account's nonce/i.test(message)) {
        // Someone else used this nonce: the transaction can never be mined, so the request may be signed again.
        const receipt = await this.rpc.call<Receipt | null>("eth_getTransactionReceipt", [s.hash]);
        if (receipt === null) {
          await this.ctx.db.query("UPDATE relay_requests SET status = 'queued', nonce = NULL, raw_tx = NULL, tx_hash = NULL, sent_at = NULL WHERE id = $1 AND status = 'sent'", [s.id]);
          this.ctx.log.warn({ id: s.id, nonce: s.nonce }, "relay: nonce already used, request queued again");
        }
        resync = true;
        continue;
      }
      // A node that mines on arrival (hardhat's automine) answers an error for a transaction that it
      // mined and that reverted: if the node knows the transaction, it is sent; the watcher settles it.
      const known = await this.rpc.call<unknown>("eth_getTransactionByHash", [s.hash]).catch(() => null);
      if (known !== null) continue;
      this.ctx.log.error({ id: s.id, nonce: s.nonce, err: message }, "relay: the node refused a transaction");
      await this.failUnsent(s.id, { code: "rejected", reason: null, message: `The node refused the transaction: ${message}` });
      await this.fillNonce(s.nonce);
    }
    if (resync) {
      await this.resyncNonce();
      this.wake();
    }
  }

  /** Fails a request whose transaction never reached the chain and gives its reservation back. */
  private async failUnsent(id: string, error: { code: string; reason: string | null; message: string }): Promise<void> {
    await this.ctx.db.transaction(async (tx) => {
      const rows = (await tx.query(`${SELECT_ROW} WHERE id = $1 AND status IN ('queued', 'sent') FOR UPDATE`, [id])).map(toRow);
      const row = rows[0];
      if (!row) return;
      await tx.query("UPDATE relay_requests SET status = 'failed', error = $2, nonce = NULL, raw_tx = NULL, tx_hash = NULL WHERE id = $1", [id, JSON.stringify(error)]);
      await adjust(tx, row, -row.gasLimit);
    });
  }

  /** Uses `nonce` with a zero-value transfer to the sponsor, so that later nonces are not stuck. */
  private async fillNonce(nonce: number): Promise<void> {
    const { raw } = await this.sign(this.account.address, "0x", 21_000n, nonce);
    try {
      await this.rpc.call("eth_sendRawTransaction", [raw]);
      this.ctx.log.warn({ nonce }, "relay: filled a refused transaction's nonce with a transfer to the sponsor");
    } catch (error) {
      this.ctx.log.error({ nonce, err: (error as Error).message }, "relay: could not fill a nonce; resyncing");
      await this.resyncNonce();
    }
  }

  /** Settles the receipts of sent requests; returns those the node does not know (to broadcast again). */
  private async watch(force: boolean): Promise<Signed[]> {
    const rows = (await this.ctx.db.query(`${SELECT_ROW} WHERE status = 'sent' ORDER BY nonce LIMIT 1000`)).map(toRow);
    if (rows.length === 0) return [];
    const receipts = await this.rpc.batch(rows.map((r) => ({ method: "eth_getTransactionReceipt", params: [r.txHash] })));
    const missing: RelayRow[] = [];
    for (const [i, result] of receipts.entries()) {
      const row = rows[i]!;
      const receipt = result.ok ? (result.result as Receipt | null) : null;
      if (receipt === null) missing.push(row);
      else await this.settle(row, receipt);
    }
    if (missing.length === 0) return [];
    const now = Date.now();
    if (!force && now - this.lastRebroadcastCheck < REBROADCAST_MS) return [];
    this.lastRebroadcastCheck = now;
    const old = force ? missing : missing.filter((r) => r.sentAt !== null && now - r.sentAt.getTime() > REBROADCAST_MS);
    if (old.length === 0) return [];
    const known = await this.rpc.batch(old.map((r) => ({ method: "eth_getTransactionByHash", params: [r.txHash] })));
    const lost = old.filter((_, i) => {
      const k = known[i]!;
      return !(k.ok && k.result !== null);
    });
    if (lost.length > 0) this.ctx.log.warn({ count: lost.length }, "relay: re-broadcasting transactions the node does not know");
    return lost.map((r) => ({ id: r.id, nonce: r.nonce!, raw: r.rawTx!, hash: r.txHash! }));
  }

  private async settle(row: RelayRow, receipt: Receipt): Promise<void> {
    const gasUsed = BigInt(receipt.gasUsed);
    const blockNumber = BigInt(receipt.blockNumber);
    let error: string | null = null;
    if (BigInt(receipt.status) !== 1n) {
      let data: Hex | null = null;
      try {
        await this.rpc.call("eth_call", [{ from: this.account.address, to: row.target, data: row.data, gas: numberToHex(row.gasLimit) }, numberToHex(blockNumber - 1n)]);
      } catch (e) {
        data = (e as { data?: Hex | null }).data ?? null;
      }
      error = JSON.stringify(describeRevert(data, "The transaction reverted on chain."));
    }
    await this.ctx.db.transaction(async (tx) => {
      const updated = await tx.query<{ id: string }>(
        `UPDATE relay_requests SET status = $2, gas_used = $3::numeric, block_number = $4::numeric, error = $5, mined_at = now()
         WHERE id = $1 AND status = 'sent' RETURNING id`,
        [row.id, error === null ? "mined" : "failed", gasUsed.toString(), blockNumber.toString(), error],
      );
      if (updated.length > 0) await adjust(tx, row, gasUsed - row.gasLimit);
    });
  }

  /** At start: settle what was mined meanwhile, re-broadcast what the chain lost, take the nonce from the chain. */
  private async recover(): Promise<void> {
    const lost = await this.watch(true);
    if (lost.length > 0) await this.broadcast(lost);
    await this.resyncNonce();
    const open = await this.ctx.db.query<{ status: string; n: string }>("SELECT status, count(*)::text AS n FROM relay_requests WHERE status IN ('queued', 'sent') GROUP BY status");
    this.ctx.log.info({ sponsor: getAddress(this.account.address), nonce: this.nonce, open }, "relay sender recovered");
  }
}
