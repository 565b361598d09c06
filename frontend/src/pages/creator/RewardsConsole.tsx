/**
 * The creator's rewards console: sign vouchers in the wallet (one from a form, or many from a CSV)
 * and hand out their claim links; open a Merkle campaign from a CSV and download its proofs file;
 * see the vault's settings (budget and referral-rate changes are DAO proposals). Same rules as the
 * CLI (scripts/lib/rewards-cli.ts): nothing is signed when any CSV line is bad, ids never collide,
 * a campaign must fit this epoch's remaining budget.
 */
import { useMemo, useState } from "react";
import { useConnection } from "wagmi";
import { getAddress, zeroAddress, type Address, type Hex } from "viem";
import {
  buildCampaign,
  campaignProofsFile,
  CsvError,
  parseCampaignCsv,
  parseVoucherCsv,
  type BuiltCampaign,
  type CampaignProofsFile,
  type CsvProblem,
} from "../../../../shared/rewards.ts";
import { AddressView, Amount, Badge, Button, Card, CopyButton, Empty, Field, Notice, Skeleton, Stat, TxStatus } from "../../components/ui.tsx";
import { useActiveChain } from "../../config/context.tsx";
import { rewardVaultAbi } from "../../generated/abis.ts";
import type { CommunityData } from "../../hooks/useCommunity.ts";
import { useSignVouchers, type SignState, type VoucherRequest } from "../../hooks/useSignVoucher.ts";
import { useTransaction } from "../../hooks/useTransaction.ts";
import { useVaultStatus, type VaultStatus } from "../../hooks/useVault.ts";
import { explainError } from "../../lib/errors.ts";
import { formatAmount, formatBps, formatDate, formatDuration, shortAddress } from "../../lib/format.ts";
import { campaignIdFromLogs, downloadText, formatEpochLength, voucherDeadline, vouchersCsv, type SignedVoucher } from "../../lib/rewards.ts";
import { Link } from "../../lib/router.tsx";
import { checkAddress, checkAmount, checkDeadline, checkInteger, type Checked } from "../../lib/validate.ts";
import { proposePath } from "../../lib/routes.ts";

interface Unit {
  decimals: number;
  symbol: string;
}

export default function RewardsConsole({ data }: { data: CommunityData }) {
  const { community } = data;
  const vault = useVaultStatus(community.rewardVault, community.token);
  const unit = { decimals: community.decimals, symbol: community.symbol };

  if (community.rewardVault === null) {
    return (
      <Card title="Rewards" testId="rewards-console">
        <Empty title="This community has no reward vault">Vouchers and campaigns need one; it is created with the community.</Empty>
      </Card>
    );
  }
  if (vault.isPending) {
    return (
      <Card title="Rewards" testId="rewards-console">
        <Skeleton lines={4} />
      </Card>
    );
  }
  if (vault.isError) {
    return (
      <Card title="Rewards" testId="rewards-console">
        <Empty title="Cannot read the reward vault">{explainError(vault.error)}</Empty>
      </Card>
    );
  }
  const status = vault.data.vault;
  return (
    <div className="stack" data-testid="rewards-console">
      <VaultSettings vault={status} token={community.token} unit={unit} />
      <VoucherSigner vault={status} now={vault.data.now} unit={unit} />
      <CampaignOpener vault={status} now={vault.data.now} unit={unit} />
    </div>
  );
}

// ---------------------------------------------------------------------------------------------
// (c) the vault's settings
// ---------------------------------------------------------------------------------------------

function VaultSettings({ vault, token, unit }: { vault: VaultStatus; token: Address; unit: Unit }) {
  const { address } = useConnection();
  return (
    <Card
      title="Reward vault"
      actions={vault.paused ? <Badge tone="bad">Paused</Badge> : <Badge tone="good">Active</Badge>}
      testId="vault-settings"
    >
      <dl className="kv">
        <dt>Attester</dt>
        <dd data-testid="vault-attester" data-address={vault.attester}>
          <AddressView address={vault.attester} /> {vault.attester === address && <Badge tone="accent">you</Badge>}
        </dd>
        <dt>Operator</dt>
        <dd>
          <AddressView address={vault.operator} /> {vault.operator === address && <Badge tone="accent">you</Badge>}
        </dd>
        <dt>Vault</dt>
        <dd>
          <AddressView address={vault.address} />
        </dd>
      </dl>
      <div className="stats">
        <Stat label="Budget per epoch">
          <Amount value={vault.epochBudget} {...unit} />
        </Stat>
        <Stat label="Left this epoch">
          <Amount value={vault.remainingBudget} {...unit} testId="console-remaining" />
        </Stat>
        <Stat label="Epoch length">{formatEpochLength(vault.epochLength)}</Stat>
        <Stat label="Referral bonus">{formatBps(vault.referralBps)}</Stat>
      </div>
      <p className="muted small">
        The budget and the referral rate are the community's to change: they go through a DAO proposal.{" "}
        <Link href={proposePath(token, "reward-budget")} data-testid="propose-reward-budget">
          Propose a new budget
        </Link>{" "}
        ·{" "}
        <Link href={proposePath(token, "referral-rate")} data-testid="propose-referral-rate">
          Propose a new referral rate
        </Link>
      </p>
    </Card>
  );
}

// ---------------------------------------------------------------------------------------------
// (a) vouchers and claim links
// ---------------------------------------------------------------------------------------------

type Mode = "single" | "csv";

/** `now` is chain time (unix seconds): voucher deadlines count from it. */
function VoucherSigner({ vault, now, unit }: { vault: VaultStatus; now: bigint; unit: Unit }) {
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

// ---------------------------------------------------------------------------------------------
// (b) Merkle campaigns
// ---------------------------------------------------------------------------------------------

/** A `datetime-local` value (local time, minutes) for a unix timestamp. */
function toLocalInput(seconds: bigint): string {
  const d = new Date(Number(seconds) * 1000);
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

function CampaignOpener({ vault, now, unit }: { vault: VaultStatus; now: bigint; unit: Unit }) {
  const { chain } = useActiveChain();
  const tx = useTransaction();
  const [csv, setCsv] = useState("");
  const [built, setBuilt] = useState<BuiltCampaign | null>(null);
  const [problems, setProblems] = useState<CsvProblem[]>([]);
  const [end, setEnd] = useState<string | null>(null);
  const [opened, setOpened] = useState<CampaignProofsFile | null>(null);

  // Default end: a week from now in chain time, once chain time is known.
  const endText = end ?? toLocalInput(now + 7n * 86_400n);
  const endCheck = checkDeadline(endText, now, { maxSeconds: 366 * 86_400 });
  const overBudget = built !== null && built.total > vault.remainingBudget;

  const build = () => {
    setOpened(null);
    tx.reset();
    try {
      const rows = parseCampaignCsv(csv, unit.decimals);
      setBuilt(buildCampaign(rows));
      setProblems([]);
    } catch (e) {
      setBuilt(null);
      setProblems(e instanceof CsvError ? e.problems : [{ line: 1, message: (e as Error).message }]);
    }
  };

  const open = async () => {
    if (!built || !endCheck.ok || overBudget) return;
    const receipt = await tx.send({
      address: vault.address,
      abi: rewardVaultAbi,
      functionName: "openCampaign",
      args: [built.root as Hex, built.total, endCheck.value],
    });
    if (!receipt) return;
    const campaignId = campaignIdFromLogs(receipt.logs, vault.address);
    if (campaignId === null) {
      tx.fail("The transaction was mined but the vault reported no CampaignOpened event.");
      return;
    }
    setOpened(campaignProofsFile(built, { chainId: BigInt(chain.id), vault: vault.address, campaignId, end: endCheck.value }));
  };

  const accounts = useMemo(() => (built ? Object.keys(built.claims).length : 0), [built]);

  return (
    <Card title="Open a campaign" testId="campaign-opener">
      <p className="muted small">
        Reward many fans at once: list each account and amount; fans claim with the proofs file you share (in the Earn tab). The
        total is reserved from this epoch's budget when the campaign opens.
      </p>
      <div className={`field ${problems.length > 0 ? "field-invalid" : ""}`}>
        <label htmlFor="campaign-csv">Campaign CSV</label>
        <textarea
          id="campaign-csv"
          className="mono small"
          rows={6}
          value={csv}
          onChange={(e) => {
            setCsv(e.target.value);
            setBuilt(null);
          }}
          placeholder={"account,amount\n0x…,10\n0x…,2.5"}
          data-testid="campaign-csv"
          spellCheck={false}
        />
        <p className="field-hint">One line per account: account,amount. Each account once.</p>
        {problems.length > 0 && (
          <ul className="problems" role="alert" data-testid="campaign-csv-problems">
            {problems.map((p) => (
              <li key={`${p.line}-${p.message}`}>
                Line {p.line}: {p.message}
              </li>
            ))}
          </ul>
        )}
      </div>
      <div className="row">
        <Button variant="secondary" onClick={build} disabled={csv.trim() === ""} data-testid="campaign-build">
          Build the campaign
        </Button>
      </div>
      {built && (
        <div className="stack" data-testid="campaign-plan">
          <div className="stats stats-2">
            <Stat label="Accounts" testId="campaign-accounts">
              {accounts}
            </Stat>
            <Stat label="Total">
              <Amount value={built.total} {...unit} testId="campaign-total" />
            </Stat>
          </div>
          <div className="stack-tight">
            <span className="label">Merkle root</span>
            <div className="copy-line">
              <code className="mono wrap" data-testid="campaign-root">
                {built.root}
              </code>
              <CopyButton text={built.root} />
            </div>
          </div>
          {overBudget && (
            <Notice tone="bad" testId="campaign-over-budget">
              The campaign totals {formatAmount(built.total, unit.decimals, unit.symbol)}, more than this epoch's remaining budget (
              {formatAmount(vault.remainingBudget, unit.decimals, unit.symbol)}). Remove accounts or wait for the next epoch.
            </Notice>
          )}
          <Field
            label="Claims close at"
            name="campaign-end"
            type="datetime-local"
            value={endText}
            onChange={(e) => setEnd(e.target.value)}
            error={endCheck.ok ? null : endCheck.error}
            hint={endCheck.ok ? `In ${formatDuration(endCheck.value - now)} (chain time).` : undefined}
          />
          {!opened && (
            <div className="row">
              <Button onClick={() => void open()} loading={tx.busy} disabled={!endCheck.ok || overBudget} data-testid="campaign-open">
                Open the campaign
              </Button>
            </div>
          )}
          <TxStatus state={tx.state} success={opened ? `Campaign #${opened.campaignId} opened` : "Campaign opened"} testId="campaign-open-tx" />
          {opened && <ProofsFileView proofs={opened} />}
        </div>
      )}
    </Card>
  );
}

function ProofsFileView({ proofs }: { proofs: CampaignProofsFile }) {
  const json = JSON.stringify(proofs, null, 2) + "\n";
  const name = `campaign-${proofs.campaignId}-${getAddress(proofs.vault).slice(2, 8).toLowerCase()}.json`;
  return (
    <div className="stack-tight" data-testid="campaign-proofs" data-campaign-id={proofs.campaignId ?? ""}>
      <Notice tone="good">
        Share this proofs file with the fans of campaign #{proofs.campaignId}: they load it in the Earn tab to claim.
      </Notice>
      <div className="row">
        <Button onClick={() => downloadText(name, json, "application/json")} data-testid="proofs-download">
          Download {name}
        </Button>
        <CopyButton text={json} label="Copy JSON" testId="proofs-copy" />
      </div>
      <textarea className="mono small code-box" readOnly value={json} rows={10} data-testid="proofs-json" aria-label="Proofs file" />
    </div>
  );
}
