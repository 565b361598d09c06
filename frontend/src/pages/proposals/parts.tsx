/** Small pieces shared by the Vote tab, the proposal page and the propose page. */
import type { ReactNode } from "react";
import type { Address } from "viem";
import { AddressView, Amount, Badge, Notice, Progress } from "../../components/ui.tsx";
import { formatAmount, formatDate, formatDuration, formatShare, formatVotes } from "../../lib/format.ts";
import { Link } from "../../lib/router.tsx";
import {
  noVotesReason,
  nextMilestone,
  quorumReached,
  quorumVotes,
  stateExplanation,
  stateName,
  stateTone,
  totalVotes,
  voteShares,
  type ProposalTimes,
  type VoteTally,
} from "../../lib/governance.ts";
import type { DecodedAction } from "../../lib/governance-actions.ts";
import { communityPath } from "../../lib/routes.ts";

export function StateBadge({ state, testId = "proposal-state" }: { state: number; testId?: string }) {
  return (
    <span title={stateExplanation(state)} className="state-badge" data-state={stateName(state)}>
      <Badge tone={stateTone(state)} testId={testId}>
        {stateName(state)}
      </Badge>
    </span>
  );
}

interface TokenUnit {
  decimals: number;
  symbol: string;
}

/** For / Against / Abstain as one stacked bar with a legend of exact amounts. */
export function VoteBars({ tally, unit, testIdPrefix = "votes" }: { tally: VoteTally; unit: TokenUnit; testIdPrefix?: string }) {
  const shares = voteShares(tally);
  const total = totalVotes(tally);
  const rows: Array<{ key: "for" | "against" | "abstain"; label: string; value: bigint }> = [
    { key: "for", label: "For", value: tally.for },
    { key: "against", label: "Against", value: tally.against },
    { key: "abstain", label: "Abstain", value: tally.abstain },
  ];
  return (
    <div className="votes">
      <div className="vote-bar" role="img" aria-label={`For ${formatShare(tally.for, total)}, against ${formatShare(tally.against, total)}, abstain ${formatShare(tally.abstain, total)}`}>
        {rows.map((r) => (
          <span key={r.key} className={`vote-seg vote-${r.key}`} style={{ width: `${shares[r.key] / 100}%` }} />
        ))}
      </div>
      <div className="vote-legend">
        {rows.map((r) => (
          <span key={r.key} className="vote-legend-item">
            <span className={`vote-dot vote-${r.key}`} aria-hidden />
            {r.label} <Amount value={r.value} decimals={unit.decimals} symbol={unit.symbol} testId={`${testIdPrefix}-${r.key}`} />
            <span className="muted">{formatShare(r.value, total)}</span>
          </span>
        ))}
      </div>
    </div>
  );
}

/** Quorum progress: For + Abstain against the quorum at the snapshot. */
export function QuorumMeter({ tally, quorum, estimated, unit, testId = "quorum" }: {
  tally: VoteTally;
  quorum: bigint;
  estimated: boolean;
  unit: TokenUnit;
  testId?: string;
}) {
  const counted = quorumVotes(tally);
  const reached = quorumReached(tally, quorum);
  return (
    <div className="quorum" data-testid={testId} data-reached={reached ? "yes" : "no"}>
      <div className="spread quorum-label">
        <span>
          Quorum {reached ? <Badge tone="good">reached</Badge> : null}
        </span>
        <span className="muted">
          <Amount value={counted} decimals={unit.decimals} symbol={unit.symbol} /> of{" "}
          <Amount value={quorum} decimals={unit.decimals} symbol={unit.symbol} testId={`${testId}-needed`} />
          {estimated ? " (estimated: fixed at the snapshot)" : ""}
        </span>
      </div>
      <Progress value={counted} max={quorum === 0n ? 1n : quorum} tone={reached ? "good" : "accent"} label="Quorum (For + Abstain)" />
    </div>
  );
}

/** "Voting ends in 42m 10s" with the date, in chain time; data-seconds-left for tests and scripts. */
export function Milestone({ state, times, now, testId = "proposal-milestone" }: {
  state: number;
  times: ProposalTimes;
  now: bigint | undefined;
  testId?: string;
}) {
  if (now === undefined) return null;
  const m = nextMilestone(state, times, now);
  if (!m) return null;
  const text = m.secondsLeft > 0n ? `${m.label} in ${formatDuration(m.secondsLeft)}` : `${m.label} now`;
  return (
    <span className="milestone" data-testid={testId} data-seconds-left={m.secondsLeft.toString()} title={formatDate(m.at)}>
      {text} <span className="muted">· {formatDate(m.at)}</span>
    </span>
  );
}

/** The decoded actions of a proposal, each a sentence with its details underneath. */
export function ActionList({ actions, testId = "proposal-actions" }: { actions: DecodedAction[]; testId?: string }) {
  if (actions.length === 0) return <p className="muted">This proposal has no actions.</p>;
  return (
    <ol className="actions" data-testid={testId}>
      {actions.map((a) => (
        <li key={a.index} className="action" data-testid={`action-${a.index}`} data-source={a.source}>
          <div className="action-summary" data-testid={`action-${a.index}-summary`}>
            {a.summary}
          </div>
          <div className="action-meta">
            <AddressView address={a.target} label={a.targetLabel ? `Target (${a.targetLabel})` : "Target"} />
            {a.value > 0n && <Amount value={a.value} decimals={18} symbol="ETH" />}
            {a.source === "selector" && <Badge tone="warn">decoded by selector</Badge>}
            {a.source === "unknown" && <Badge tone="bad">unknown call</Badge>}
          </div>
          {a.signature && (
            <details className="action-details">
              <summary>
                <code>{a.signature}</code>
              </summary>
              {a.args.length > 0 && (
                <dl className="action-args">
                  {a.args.map((arg) => (
                    <ArgRow key={arg.name} name={arg.name} type={arg.type}>
                      <code title={arg.raw}>{arg.type === "address" || arg.type === "bytes32" ? arg.raw : arg.display}</code>
                    </ArgRow>
                  ))}
                </dl>
              )}
              <RawData data={a.data} />
            </details>
          )}
          {!a.signature && a.data !== "0x" && (
            <details className="action-details" open={a.source === "unknown"}>
              <summary>Raw calldata{a.selector ? ` (selector ${a.selector})` : ""}</summary>
              <RawData data={a.data} />
            </details>
          )}
        </li>
      ))}
    </ol>
  );
}

function ArgRow({ name, type, children }: { name: string; type: string; children: ReactNode }) {
  return (
    <div className="action-arg">
      <dt>
        {name} <span className="muted">{type}</span>
      </dt>
      <dd>{children}</dd>
    </div>
  );
}

function RawData({ data }: { data: string }) {
  return <pre className="raw-data">{data}</pre>;
}

/** "You: 10,000 AUR of voting power · delegated to yourself". */
export function DelegateLine({ self, delegate }: { self: Address; delegate: Address }) {
  if (/^0x0{40}$/i.test(delegate)) return <span className="muted">not delegated: your tokens do not count as votes</span>;
  if (delegate.toLowerCase() === self.toLowerCase()) return <span>delegated to yourself</span>;
  return <AddressView address={delegate} label="delegated to" />;
}

/**
 * Why the account cannot vote on an active proposal it had no votes for at the snapshot: the true
 * reason (issue 11 item 11). Votes received after the snapshot cannot count; only an account whose own
 * tokens are undelegated is told to delegate.
 */
export function NoVotesNotice({
  holder,
  snapshot,
  token,
}: {
  holder: { account: Address; balance: bigint; votes: bigint; delegate: Address };
  snapshot: bigint;
  token: { address: Address; decimals: number; symbol: string };
}) {
  const reason = noVotesReason(holder);
  const at = `when this proposal's snapshot was taken (${formatDate(snapshot)})`;
  const hold = <Link href={communityPath(token.address)}>Hold tab</Link>;
  let text: ReactNode;
  switch (reason.kind) {
    case "came-after":
      text = (
        <>
          You had no votes {at}: your {formatVotes(reason.votesNow, token.decimals)} came after it (tokens you received or a delegation
          to you since then). Votes count from the snapshot, so you cannot vote on this proposal, and delegating would not change that.
          You can vote on proposals created from now on.
        </>
      );
      break;
    case "undelegated":
      text = (
        <>
          You had no votes {at}: your {formatAmount(reason.balance, token.decimals, token.symbol)} are not delegated, so they do not count
          as votes. Delegate to yourself on the {hold} to vote on proposals created after that.
        </>
      );
      break;
    case "delegated-away":
      text = (
        <>
          You had no votes {at}: you delegated your {formatAmount(reason.balance, token.decimals, token.symbol)} to{" "}
          <AddressView address={reason.delegate} />, who votes with them. To vote yourself on later proposals, delegate to yourself on the{" "}
          {hold}.
        </>
      );
      break;
    case "no-tokens":
      text = (
        <>
          You had no votes {at}, and you hold no {token.symbol} now. Holders of {token.symbol} (delegated to themselves, the default) vote
          on proposals created after they receive it.
        </>
      );
      break;
  }
  return (
    <Notice tone="warn" testId="no-voting-power">
      <span data-reason={reason.kind}>{text}</span>
    </Notice>
  );
}
