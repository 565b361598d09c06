/**
 * One proposal: its state and what comes next (in chain time), the description and the decoded
 * actions (plain text and calls from the proposal's ProposalCreated log: the governor does not store
 * proposals), the results and quorum, the member's vote (For / Against / Abstain with an
 * optional reason), queue and execute, and the guardian's cancel. Every write goes through
 * useTransaction.
 */
import { useEffect, useMemo, useState } from "react";
import { isAddress, toFunctionSelector, type Address } from "viem";
import { AddressView, Amount, Badge, Button, Card, Empty, Notice, Skeleton, TxStatus } from "../../components/ui.tsx";
import { useActiveChain } from "../../config/context.tsx";
import { useChainNow, useCommunity, type CommunityData } from "../../hooks/useCommunity.ts";
import { useGovernorLogs, useGovernorRegistry } from "../../hooks/useGovernor.ts";
import { useProposal } from "../../hooks/useProposal.ts";
import type { ProposalDetail, VoteRecord } from "../../reads/governance.ts";
import { useTransaction } from "../../hooks/useTransaction.ts";
import { useRelay } from "../../hooks/useRelay.ts";
import { relayOn, signVote, useServerCommunity } from "../../hooks/useSponsored.ts";
import { useConfig } from "wagmi";
import { communityGovernorAbi } from "../../generated/abis.ts";
import { explainError } from "../../lib/errors.ts";
import { formatDate, votesUnit } from "../../lib/format.ts";
import {
  canCancel,
  ProposalState,
  proposalBody,
  proposalTitle,
  stateExplanation,
  Support,
  supportName,
  timePhase,
  wouldPass,
  type SupportValue,
} from "../../lib/governance.ts";
import { decodeActions, knownContracts } from "../../lib/governance-actions.ts";
import { checkText } from "../../lib/validate.ts";
import { Link } from "../../lib/router.tsx";
import { ActionList, Milestone, NoVotesNotice, QuorumMeter, StateBadge, VoteBars } from "./parts.tsx";
import { communityPath } from "../../lib/routes.ts";

const MAX_REASON = 1_000;
const SET_VERIFIED = toFunctionSelector("setVerified(uint256,bool)");

export default function ProposalPage({ token, proposalId }: { token: string; proposalId: string }) {
  const community = useCommunity(token);
  if (!isAddress(token)) return <Empty title="Not a community address">The link should contain a token address (0x…).</Empty>;
  if (community.isPending) {
    return (
      <Card>
        <Skeleton lines={6} />
      </Card>
    );
  }
  if (community.isError) return <Empty title="Cannot load this community">{explainError(community.error)}</Empty>;
  return <ProposalView data={community.data} id={BigInt(proposalId)} />;
}

function ProposalView({ data, id }: { data: CommunityData; id: bigint }) {
  const { community } = data;
  const { chain } = useActiveChain();
  const proposal = useProposal(community.governor, community.token, id);
  const logs = useGovernorLogs(community.governor);
  const now = useChainNow();
  const detail = proposal.data;

  // Re-read when chain time crosses the snapshot, the deadline or the ETA (the state changes by time alone).
  const phase = detail && now !== undefined ? timePhase(detail, now) : null;
  const [seenPhase, setSeenPhase] = useState<number | null>(null);
  const { refetch } = proposal;
  useEffect(() => {
    if (phase === null) return;
    if (seenPhase !== null && phase !== seenPhase) void refetch();
    setSeenPhase(phase);
  }, [phase, seenPhase, refetch]);

  // Actions that name a registry id (the platform's setVerified) read the registry to name the community.
  const registry = useGovernorRegistry(
    detail?.targets.some((t, i) => t.toLowerCase() === chain.contracts.factory.toLowerCase() && detail.calldatas[i]?.startsWith(SET_VERIFIED)) ?? false,
  );
  const actions = useMemo(() => {
    if (!detail) return [];
    const names = new Map((registry.data ?? []).map((c) => [c.id.toString(), `${c.name} (${c.symbol})`]));
    return decodeActions(detail.targets, detail.values, detail.calldatas, {
      contracts: knownContracts(community, chain.contracts),
      token: { address: community.token, symbol: community.symbol, decimals: community.decimals },
      communityName: (cid) => names.get(cid.toString()),
    });
  }, [detail, registry.data, community, chain.contracts]);

  const back = (
    <Link href={communityPath(community.token, "vote")} className="back-link" data-testid="back-to-proposals">
      ← {community.name} proposals
    </Link>
  );
  if (proposal.isPending) {
    return (
      <div className="stack">
        {back}
        <Card>
          <Skeleton lines={6} />
        </Card>
      </div>
    );
  }
  if (proposal.isError) {
    return (
      <div className="stack">
        {back}
        <Empty title="Cannot load this proposal">{explainError(proposal.error)}</Empty>
      </div>
    );
  }
  if (!detail) {
    return (
      <div className="stack">
        {back}
        <Empty title={`There is no proposal #${id} in ${community.name}`}>
          <Link href={communityPath(community.token, "vote")}>See all proposals</Link>
        </Empty>
      </div>
    );
  }

  const title = proposalTitle(detail.description) || `Proposal #${id}`;
  const body = proposalBody(detail.description);
  const votes = (logs.data?.votes ?? []).filter((v) => v.proposalId === id);
  // Every amount on this page is voting power: worded "N votes" (issue 11 item 17).
  const unit = votesUnit(community.decimals);

  return (
    <div className="stack proposal-page" data-testid="proposal-page" data-proposal-id={id.toString()}>
      {back}
      <Card testId="proposal-header">
        <div className="proposal-head">
          <h1 className="proposal-heading">
            <span className="muted">#{id.toString()}</span> <span data-testid="proposal-title">{title}</span>
          </h1>
          <StateBadge state={detail.state} />
        </div>
        <p className="muted proposal-explain">{stateExplanation(detail.state)}</p>
        <div className="row proposal-facts">
          <AddressView address={detail.proposer} label="Proposed by" />
          {community.isPlatform && <Badge tone="accent">Platform DAO</Badge>}
          <Milestone state={detail.state} times={detail} now={now} />
        </div>
        <Timeline detail={detail} />
      </Card>

      <div className="grid grid-2 proposal-grid">
        <div className="stack">
          <Card title="Description" testId="proposal-description-card">
            {body === "" ? (
              <p className="muted">No details beyond the title.</p>
            ) : (
              <div className="proposal-desc" data-testid="proposal-description">
                {body}
              </div>
            )}
          </Card>
          <Card title={`Actions (${actions.length})`} testId="proposal-actions-card">
            <p className="field-hint">Run by the treasury (timelock) when the proposal executes.</p>
            <ActionList actions={actions} />
          </Card>
        </div>
        <div className="stack">
          <Card title="Results" testId="proposal-results">
            <VoteBars tally={detail.tally} unit={unit} />
            <QuorumMeter tally={detail.tally} quorum={detail.quorum} estimated={detail.quorumEstimated} unit={unit} />
            {detail.state === ProposalState.Active && (
              <p className="muted" data-testid="proposal-outlook">
                {wouldPass(detail.tally, detail.quorum) ? "As it stands, the proposal would pass." : "As it stands, the proposal would not pass."}
              </p>
            )}
          </Card>
          {/* Keyed by account: switching accounts starts a fresh form (no reason or status carried over). */}
          <VotePanel key={`vote-${data.holder?.account ?? ""}`} data={data} detail={detail} myVote={votes.find((v) => v.voter.toLowerCase() === detail.account?.toLowerCase())} />
          <LifecyclePanel key={`next-${data.holder?.account ?? ""}`} data={data} detail={detail} now={now} />
        </div>
      </div>

      <Card title={`Votes (${votes.length})`} testId="proposal-votes">
        {logs.isError ? (
          <Notice tone="warn">The votes could not be read from the chain's logs ({explainError(logs.error)}).</Notice>
        ) : votes.length === 0 ? (
          <Empty title="No votes yet" />
        ) : (
          <ul className="list">
            {[...votes].reverse().map((v) => (
              <VoteRow key={`${v.voter}-${v.transactionHash}`} vote={v} unit={unit} />
            ))}
          </ul>
        )}
      </Card>
    </div>
  );
}

/** What queue, execute and cancel take: the proposal's actions and the keccak256 of its description. */
function proposalArgs(detail: ProposalDetail) {
  return [detail.targets, detail.values, detail.calldatas, detail.descriptionHash] as const;
}

function Timeline({ detail }: { detail: ProposalDetail }) {
  const rows: Array<[string, bigint]> = [
    ["Voting opens", detail.snapshot + 1n],
    ["Voting closes", detail.deadline],
  ];
  if (detail.eta > 0n) rows.push(["Executable from", detail.eta]);
  return (
    <dl className="timeline">
      {rows.map(([label, at]) => (
        <div key={label} className="timeline-item">
          <dt className="muted">{label}</dt>
          <dd>{formatDate(at)}</dd>
        </div>
      ))}
    </dl>
  );
}

function VoteRow({ vote, unit }: { vote: VoteRecord; unit: { decimals: number; symbol: string } }) {
  const tone = vote.support === Support.For ? "good" : vote.support === Support.Against ? "bad" : "neutral";
  return (
    <li className="list-item vote-row" data-testid="vote-row">
      <div className="row">
        <AddressView address={vote.voter} />
        <Badge tone={tone}>{supportName(vote.support)}</Badge>
        <Amount value={vote.weight} {...unit} />
      </div>
      {vote.reason !== "" && <p className="vote-reason">“{vote.reason}”</p>}
    </li>
  );
}

const CHOICES: Array<{ support: SupportValue; label: string; testId: string }> = [
  { support: Support.For, label: "For", testId: "vote-choice-for" },
  { support: Support.Against, label: "Against", testId: "vote-choice-against" },
  { support: Support.Abstain, label: "Abstain", testId: "vote-choice-abstain" },
];

function VotePanel({ data, detail, myVote }: { data: CommunityData; detail: ProposalDetail; myVote: VoteRecord | undefined }) {
  const { community, holder } = data;
  // Every amount on this page is voting power: worded "N votes" (issue 11 item 17).
  const unit = votesUnit(community.decimals);
  const tx = useTransaction();
  // "Vote for free" through the Coterie server, when the chain names one and it sponsors this community.
  const config = useConfig();
  const { chain } = useActiveChain();
  const relay = useRelay();
  const sponsor = useServerCommunity(community.isPlatform ? null : community.token);
  const free = relayOn(sponsor.data) && !relay.unreachable;
  const [choice, setChoice] = useState<SupportValue | null>(null);
  const [reason, setReason] = useState("");
  const reasonError = reason.trim() === "" ? null : checkText(reason, MAX_REASON, "The reason");

  let content;
  if (!holder) {
    content = <p className="muted">Connect a wallet to vote.</p>;
  } else if (detail.account?.toLowerCase() !== holder.account.toLowerCase()) {
    // Just switched accounts: the proposal is being re-read for the new one.
    content = <Skeleton lines={2} />;
  } else if (detail.hasVoted) {
    content = (
      <div className="my-vote" data-testid="my-vote" data-account={holder.account} data-support={myVote ? supportName(myVote.support) : "unknown"}>
        {myVote ? (
          <>
            You voted <Badge tone={myVote.support === Support.For ? "good" : myVote.support === Support.Against ? "bad" : "neutral"}>{supportName(myVote.support)}</Badge> with{" "}
            <Amount value={myVote.weight} {...unit} />
            {myVote.reason !== "" && <p className="vote-reason">“{myVote.reason}”</p>}
          </>
        ) : (
          "You have voted on this proposal."
        )}
      </div>
    );
  } else if (detail.state === ProposalState.Pending) {
    content = (
      <p className="muted">
        Voting has not opened yet. Votes are weighed at the snapshot ({formatDate(detail.snapshot)}): your voting power now is{" "}
        <Amount value={holder.votes} {...unit} />; delegate before then on the <Link href={communityPath(community.token)}>Hold tab</Link> if needed.
      </p>
    );
  } else if (detail.state === ProposalState.Canceled) {
    content = <p className="muted">The proposal was canceled: there is nothing to vote on.</p>;
  } else if (detail.state !== ProposalState.Active) {
    content = <p className="muted">Voting is closed; you did not vote.</p>;
  } else if (detail.weight === 0n) {
    content = <NoVotesNotice holder={holder} snapshot={detail.snapshot} token={{ address: community.token, decimals: community.decimals, symbol: community.symbol }} />;
  } else {
    const submit = async () => {
      if (choice === null) return tx.fail("Choose For, Against or Abstain.");
      const text = reason.trim();
      if (reasonError && !reasonError.ok) return tx.fail(reasonError.error);
      if (text === "") {
        await tx.send({ address: community.governor, abi: communityGovernorAbi, functionName: "castVote", args: [detail.id, choice] });
      } else {
        await tx.send({ address: community.governor, abi: communityGovernorAbi, functionName: "castVoteWithReason", args: [detail.id, choice, text] });
      }
    };
    const submitFree = async () => {
      if (choice === null) return relay.fail("Choose For, Against or Abstain.");
      if (reasonError && !reasonError.ok) return relay.fail(reasonError.error);
      const voter = holder.account;
      await relay.submit(community.token, () =>
        signVote(config, { chainId: chain.id, governor: community.governor, voter, proposalId: detail.id, support: choice, reason: reason.trim() }),
      );
    };
    const busy = tx.busy || relay.busy;
    content = (
      <div className="stack vote-form" data-testid="vote-form" data-account={holder.account}>
        <div className="choice-group" role="radiogroup" aria-label="Your vote">
          {CHOICES.map((c) => (
            <button
              key={c.support}
              type="button"
              role="radio"
              aria-checked={choice === c.support}
              className={`choice choice-${c.label.toLowerCase()} ${choice === c.support ? "choice-on" : ""}`}
              onClick={() => setChoice(c.support)}
              data-testid={c.testId}
              disabled={busy}
            >
              {c.label}
            </button>
          ))}
        </div>
        <div className={`field ${reasonError && !reasonError.ok ? "field-invalid" : ""}`}>
          <label htmlFor="vote-reason">
            Reason <span className="muted">(optional, public)</span>
          </label>
          <textarea id="vote-reason" value={reason} onChange={(e) => setReason(e.target.value)} maxLength={MAX_REASON + 100} data-testid="vote-reason" placeholder="Why you vote this way" />
          {reasonError && !reasonError.ok && (
            <p className="field-error" data-testid="vote-reason-error">
              {reasonError.error}
            </p>
          )}
        </div>
        <div className="row">
          {free && (
            <Button onClick={() => void submitFree()} loading={relay.busy} disabled={tx.busy || choice === null || (reasonError !== null && !reasonError.ok)} data-testid="vote-free">
              {choice === null ? "Choose your vote" : `Vote ${supportName(choice)} for free`}
            </Button>
          )}
          <Button
            variant={free ? "secondary" : "primary"}
            onClick={() => void submit()}
            loading={tx.busy}
            disabled={relay.busy || choice === null || (reasonError !== null && !reasonError.ok)}
            data-testid="vote-submit"
            title={free ? "Send the vote from your wallet and pay the gas yourself" : undefined}
          >
            {choice === null ? "Choose your vote" : `Vote ${supportName(choice)}`}
            {detail.weight !== null && choice !== null && (
              <>
                {" "}with <Amount value={detail.weight} {...unit} />
              </>
            )}
            {free && choice !== null && " (pay gas yourself)"}
          </Button>
        </div>
        {free && <p className="muted small">Voting for free: you sign your vote and the community's server sends it and pays the gas.</p>}
      </div>
    );
  }
  return (
    <Card title="Your vote" testId="vote-panel">
      {content}
      <TxStatus state={tx.state} success="Your vote is recorded." testId="vote-tx" />
      <TxStatus state={relay.state} success="Your vote is recorded (sent for free)." testId="vote-free-tx" />
    </Card>
  );
}

function LifecyclePanel({ data, detail, now }: { data: CommunityData; detail: ProposalDetail; now: bigint | undefined }) {
  const { community, holder } = data;
  const queue = useTransaction();
  const execute = useTransaction();
  const cancel = useTransaction();
  const [confirmCancel, setConfirmCancel] = useState(false);
  const governor = { address: community.governor as Address, abi: communityGovernorAbi } as const;
  const mayCancel = canCancel({ state: detail.state, account: holder?.account, guardian: detail.guardian, proposer: detail.proposer });
  // Chain time decides; the wall clock also counts because a local chain only mines on transactions,
  // so its latest block can lag behind the ETA (the simulation before signing has the last word).
  const wallClock = BigInt(Math.floor(Date.now() / 1000));
  const etaReached = detail.eta > 0n && ((now !== undefined && now >= detail.eta) || wallClock >= detail.eta);
  const isGuardian = holder !== null && holder.account.toLowerCase() === detail.guardian.toLowerCase();

  const parts = [];
  if (detail.state === ProposalState.Succeeded || queue.state.status !== "idle") {
    parts.push(
      <div key="queue" className="stack">
        {detail.state === ProposalState.Succeeded && (
          <>
            <p>The proposal passed. Queue it in the timelock; it can execute after the timelock delay.</p>
            <Button onClick={() => void queue.send({ ...governor, functionName: "queue", args: proposalArgs(detail) })} loading={queue.busy} data-testid="proposal-queue">
              Queue for execution
            </Button>
          </>
        )}
        <TxStatus state={queue.state} success="Queued in the timelock." testId="queue-tx" />
      </div>,
    );
  }
  if (detail.state === ProposalState.Queued || execute.state.status !== "idle") {
    parts.push(
      <div key="execute" className="stack">
        {detail.state === ProposalState.Queued && (
          <p>
            {etaReached ? "The timelock delay is over: anyone can execute it." : "Waiting in the timelock."}{" "}
            <Milestone state={detail.state} times={detail} now={now} testId="execute-countdown" />
          </p>
        )}
        {detail.state === ProposalState.Queued && (
          <Button
            onClick={() => void execute.send({ ...governor, functionName: "execute", args: proposalArgs(detail) })}
            loading={execute.busy}
            disabled={!etaReached}
            title={etaReached ? undefined : `Executable from ${formatDate(detail.eta)}`}
            data-testid="proposal-execute"
          >
            Execute
          </Button>
        )}
        <TxStatus state={execute.state} success="Executed." testId="execute-tx" />
      </div>,
    );
  }
  if (mayCancel || cancel.state.status !== "idle") {
    parts.push(
      <div key="cancel" className="stack cancel-box">
        {mayCancel && (
          <p className="field-hint">
            {isGuardian
              ? "You are the proposal guardian: you may cancel this proposal until it executes."
              : "You made this proposal: you may cancel it while voting has not started."}
          </p>
        )}
        {mayCancel && !confirmCancel && (
          <Button variant="secondary" onClick={() => setConfirmCancel(true)} data-testid="proposal-cancel">
            Cancel proposal…
          </Button>
        )}
        {mayCancel && confirmCancel && (
          <div className="row">
            <Button
              className="btn-danger"
              loading={cancel.busy}
              onClick={() => void cancel.send({ ...governor, functionName: "cancel", args: proposalArgs(detail) }).then(() => setConfirmCancel(false))}
              data-testid="proposal-cancel-confirm"
            >
              Yes, cancel it
            </Button>
            <Button variant="ghost" onClick={() => setConfirmCancel(false)} disabled={cancel.busy}>
              Keep it
            </Button>
          </div>
        )}
        <TxStatus state={cancel.state} success="The proposal is canceled." testId="cancel-tx" />
      </div>,
    );
  }
  if (detail.state === ProposalState.Executed && execute.state.status === "idle") {
    parts.push(
      <p key="done" className="muted">
        Executed by the treasury (timelock). Nothing left to do.
      </p>,
    );
  }
  if (parts.length === 0) return null;
  return (
    <Card title="Next steps" testId="proposal-lifecycle">
      {parts}
    </Card>
  );
}
