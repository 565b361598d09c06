/**
 * The rewards console's Merkle campaigns: build one from a CSV, open it (it must fit this epoch's
 * remaining budget) and download its proofs file.
 */
import { useMemo, useState } from "react";
import { getAddress, type Hex } from "viem";
import { buildCampaign, campaignProofsFile, CsvError, parseCampaignCsv, type BuiltCampaign, type CampaignProofsFile, type CsvProblem } from "../../../../../shared/rewards.ts";
import { Amount, Button, Card, CopyButton, Field, Notice, Stat, TxStatus } from "../../../components/ui.tsx";
import { useActiveChain } from "../../../config/context.tsx";
import { rewardVaultAbi } from "../../../generated/abis.ts";
import { useTransaction } from "../../../hooks/useTransaction.ts";
import type { VaultStatus } from "../../../hooks/useVault.ts";
import { formatAmount, formatDuration } from "../../../lib/format.ts";
import { campaignIdFromLogs, downloadText } from "../../../lib/rewards.ts";
import { checkDeadline } from "../../../lib/validate.ts";
import type { Unit } from "./unit.ts";

/** A `datetime-local` value (local time, minutes) for a unix timestamp. */
function toLocalInput(seconds: bigint): string {
  const d = new Date(Number(seconds) * 1000);
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

export function CampaignOpener({ vault, now, unit }: { vault: VaultStatus; now: bigint; unit: Unit }) {
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
