/**
 * The rewards console's vouchers: sign one from a form or many from a CSV in the wallet (nothing is
 * signed when any CSV line is bad, ids never collide) and hand out their claim links.
 */
import { useState } from "react";
import { useConnection } from "wagmi";
import { zeroAddress, type Address } from "viem";
import { CsvError, parseVoucherCsv, type CsvProblem } from "../../../../../shared/rewards.ts";
import { Amount, Button, Card, CopyButton, Field, Notice } from "../../../components/ui.tsx";
import { useSignVouchers, type SignState, type VoucherRequest } from "../../../hooks/useSignVoucher.ts";
import type { VaultStatus } from "../../../hooks/useVault.ts";
import { formatAmount, formatBps, formatDate, shortAddress } from "../../../lib/format.ts";
import { downloadText, voucherDeadline, vouchersCsv, type SignedVoucher } from "../../../lib/rewards.ts";
import { checkAddress, checkAmount, checkInteger, type Checked } from "../../../lib/validate.ts";
import type { Unit } from "./unit.ts";

type Mode = "single" | "csv";

/** `now` is chain time (unix seconds): voucher deadlines count from it. */
export function VoucherSigner({ vault, now, unit }: { vault: VaultStatus; now: bigint; unit: Unit }) {
  const { address } = useConnection();
  const signer = useSignVouchers(vault.address, unit);
  const [mode, setMode] = useState<Mode>("single");
  const [days, setDays] = useState("30");
  const [recipient, setRecipient] = useState("");
  const [amount, setAmount] = useState("");
  const [referrer, setReferrer] = useState("");
  const [csv, setCsv] = useState("");
  const [csvProblems, setCsvProblems] = useState<CsvProblem[]>([]);
  const [submitted, setSubmitted] = useState(false);
  const [signAnyway, setSignAnyway] = useState(false);
  const [signed, setSigned] = useState<SignedVoucher[]>([]);

  const notAttester = address !== undefined && vault.attester !== address;
  const daysCheck = checkInteger(days, 1, 365, "days");
  const recipientCheck = checkAddress(recipient);
  const amountCheck = checkAmount(amount, unit.decimals, { symbol: unit.symbol });
  const referrerCheck = checkAddress(referrer, { optional: true });
  const selfReferral =
    recipientCheck.ok && referrerCheck.ok && referrerCheck.value !== null && referrerCheck.value === recipientCheck.value;
  const show = <T,>(c: Checked<T>, text: string): string | null => (!c.ok && (submitted || text.trim() !== "") ? c.error : null);

  const requests = (): VoucherRequest[] | null => {
    if (mode === "single") {
      if (!recipientCheck.ok || !amountCheck.ok || !referrerCheck.ok || selfReferral) return null;
      return [{ line: 1, recipient: recipientCheck.value as Address, amount: amountCheck.value, referrer: referrerCheck.value ?? zeroAddress }];
    }
    try {
      const rows = parseVoucherCsv(csv, unit.decimals);
      setCsvProblems([]);
      return rows;
    } catch (e) {
      setCsvProblems(e instanceof CsvError ? e.problems : [{ line: 1, message: (e as Error).message }]);
      return null;
    }
  };

  const onSign = async () => {
    setSubmitted(true);
    const list = requests();
    if (!list || !daysCheck.ok) return;
    if (notAttester && !signAnyway) return;
    const result = await signer.sign(list, voucherDeadline(now, daysCheck.value));
    if (result) setSigned(result);
  };

  const total = signed.reduce((sum, s) => sum + s.voucher.amount, 0n);
  const overBudget = total > vault.remainingBudget;

  return (
    <Card title="Sign vouchers" testId="voucher-signer">
      <p className="muted small">
        A voucher pays a fan in {unit.symbol} when they open its claim link. You sign it in your wallet (no transaction, no gas);
        the fan, or anyone, redeems it.
      </p>
      {notAttester && (
        <Notice tone="warn" testId="attester-mismatch">
          Your connected account is not this vault's attester ({shortAddress(vault.attester)}): vouchers you sign here would be
          refused with a bad signature. Connect the attester, or have the attester changed first.
          <label className="check">
            <input type="checkbox" checked={signAnyway} onChange={(e) => setSignAnyway(e.target.checked)} data-testid="sign-anyway" />
            Sign anyway (I am about to make this account the attester)
          </label>
        </Notice>
      )}
      <div className="segmented" role="tablist" aria-label="How many vouchers">
        <button type="button" role="tab" aria-selected={mode === "single"} className={mode === "single" ? "active" : ""} onClick={() => setMode("single")} data-testid="voucher-mode-single">
          One fan
        </button>
        <button type="button" role="tab" aria-selected={mode === "csv"} className={mode === "csv" ? "active" : ""} onClick={() => setMode("csv")} data-testid="voucher-mode-csv">
          Many fans (CSV)
        </button>
      </div>
      {mode === "single" ? (
        <div className="grid grid-2">
          <Field label="Recipient" name="voucher-recipient" placeholder="0x…" value={recipient} onChange={(e) => setRecipient(e.target.value)} error={show(recipientCheck, recipient)} autoComplete="off" spellCheck={false} />
          <Field label="Amount" name="voucher-amount" inputMode="decimal" placeholder="100" value={amount} onChange={(e) => setAmount(e.target.value)} error={show(amountCheck, amount)} suffix={unit.symbol} />
          <Field
            label="Referrer (optional)"
            name="voucher-referrer"
            placeholder="0x… the fan who brought them"
            value={referrer}
            onChange={(e) => setReferrer(e.target.value)}
            error={selfReferral ? "The referrer cannot be the recipient (a self-referral earns nothing)." : show(referrerCheck, referrer)}
            hint={`Earns ${formatBps(vault.referralBps)} of this fan's rewards, now and later.`}
            autoComplete="off"
            spellCheck={false}
          />
          <Field label="Valid for" name="voucher-days" inputMode="numeric" value={days} onChange={(e) => setDays(e.target.value)} error={daysCheck.ok ? null : daysCheck.error} suffix="days" />
        </div>
      ) : (
        <div className="grid grid-2">
          <div className={`field ${csvProblems.length > 0 ? "field-invalid" : ""}`}>
            <label htmlFor="voucher-csv">Vouchers CSV</label>
            <textarea id="voucher-csv" className="mono small" rows={6} value={csv} onChange={(e) => setCsv(e.target.value)} placeholder={"recipient,amount,referrer\n0x…,100\n0x…,25.5,0x…"} data-testid="voucher-csv" spellCheck={false} />
            <p className="field-hint">One line per fan: recipient,amount[,referrer]. A header line and # comments are skipped.</p>
            {csvProblems.length > 0 && (
              <ul className="problems" role="alert" data-testid="voucher-csv-problems">
                {csvProblems.map((p) => (
                  <li key={`${p.line}-${p.message}`}>
                    Line {p.line}: {p.message}
                  </li>
                ))}
              </ul>
            )}
          </div>
          <Field label="Valid for" name="voucher-days" inputMode="numeric" value={days} onChange={(e) => setDays(e.target.value)} error={daysCheck.ok ? null : daysCheck.error} suffix="days" />
        </div>
      )}
      <div className="row">
        <Button onClick={() => void onSign()} loading={signer.busy} disabled={notAttester && !signAnyway} data-testid="voucher-sign">
          {mode === "single" ? "Sign voucher" : "Sign all vouchers"}
        </Button>
      </div>
      <SignStatus state={signer.state} />
      {signed.length > 0 && <SignedLinks signed={signed} unit={unit} overBudget={overBudget} remaining={vault.remainingBudget} />}
    </Card>
  );
}

function SignStatus({ state }: { state: SignState }) {
  switch (state.status) {
    case "idle":
      return null;
    case "checking-ids":
      return (
        <div className="tx tx-busy" data-testid="sign-status" data-status={state.status}>
          <span className="spinner" aria-hidden /> Checking the budget and that the voucher ids are unused…
        </div>
      );
    case "awaiting-signature":
      return (
        <div className="tx tx-busy" data-testid="sign-status" data-status={state.status}>
          <span className="spinner" aria-hidden /> Confirm the signature in your wallet{state.total > 1 ? ` (${state.index} of ${state.total})` : ""}…
        </div>
      );
    case "done":
      return (
        <div className="tx tx-good" data-testid="sign-status" data-status={state.status}>
          ✓ Signed {state.count} voucher{state.count === 1 ? "" : "s"}: share the links below.
        </div>
      );
    case "error":
      return (
        <div className="tx tx-bad" role="alert" data-testid="sign-status" data-status={state.status}>
          {state.message}
        </div>
      );
    case "over-budget":
      return (
        <div className="tx tx-bad" role="alert" data-testid="sign-status" data-status={state.status}>
          {state.single ? (
            <span data-testid="sign-over-budget">Not signed: {state.problems[0].message}.</span>
          ) : (
            <>
              Nothing was signed: {state.problems.length === 1 ? "one voucher is" : `${state.problems.length} vouchers are`} larger than a
              whole period's budget.
              <ul className="problems" data-testid="sign-over-budget">
                {state.problems.map((p) => (
                  <li key={p.line}>
                    Line {p.line}: {p.message}
                  </li>
                ))}
              </ul>
            </>
          )}
        </div>
      );
  }
}

function SignedLinks({ signed, unit, overBudget, remaining }: { signed: SignedVoucher[]; unit: Unit; overBudget: boolean; remaining: bigint }) {
  const all = signed.map((s) => s.link).join("\n");
  return (
    <div className="stack-tight" data-testid="signed-links">
      <div className="spread">
        <h3>Claim links ({signed.length})</h3>
        <div className="row">
          <CopyButton text={all} label="Copy all" testId="copy-all-links" />
          <Button variant="secondary" className="btn-small" onClick={() => downloadText("claim-links.csv", vouchersCsv(signed), "text/csv")} data-testid="download-links">
            Download CSV
          </Button>
        </div>
      </div>
      {overBudget && (
        <Notice tone="warn">
          These vouchers total more than this epoch's remaining budget ({formatAmount(remaining, unit.decimals, unit.symbol)}): redemptions
          beyond it fail until the next epoch.
        </Notice>
      )}
      <ul className="list">
        {signed.map((s, i) => (
          <li key={s.voucher.id.toString()} className="list-item link-item">
            <div className="link-meta">
              <Amount value={s.voucher.amount} {...unit} /> → <code title={s.voucher.recipient}>{shortAddress(s.voucher.recipient)}</code>
              {s.voucher.referrer !== zeroAddress && <span className="muted small"> referred by {shortAddress(s.voucher.referrer)}</span>}
              <span className="muted small"> · expires {formatDate(s.voucher.deadline)}</span>
            </div>
            <code className="mono link-text" data-testid="voucher-link">
              {s.link}
            </code>
            <CopyButton text={s.link} testId={`copy-link-${i}`} />
          </li>
        ))}
      </ul>
    </div>
  );
}
