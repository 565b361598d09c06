/**
 * The Vote tab: the member's voting power and delegate, the community's governance settings, and its
 * proposals (newest first, paged) with state, votes, quorum and what comes next in chain time.
 * Reads: the governor's settings (one multicall), the proposal list for ids and titles (the
 * indexer's when configured and answering, else the governor's logs in bounded ranges) and one
 * multicall for the page of proposals.
 */
import { useEffect, useMemo, useState } from "react";
import { Amount, Button, Card, Empty, Notice, Skeleton, Stat } from "../../components/ui.tsx";
import { useChainNow, type CommunityData } from "../../hooks/useCommunity.ts";
import { useProposalList, useProposalPage } from "../../hooks/useGovernor.ts";
import type { GovernorSettings, ProposalSummary } from "../../reads/governance.ts";
import { explainError } from "../../lib/errors.ts";
import { formatBps, votesUnit } from "../../lib/format.ts";
import { formatPeriod, pageCount, proposalTitle, proposeBlocker, timePhase } from "../../lib/governance.ts";
import { Link } from "../../lib/router.tsx";
import { DelegateLine, Milestone, QuorumMeter, StateBadge, VoteBars } from "../proposals/parts.tsx";
import { communityPath, proposalPath, proposePath } from "../../lib/routes.ts";

const PAGE_SIZE = 5;

export default function VoteTab({ data }: { data: CommunityData }) {
  const { community } = data;
  const [page, setPage] = useState(0);
  const logs = useProposalList(community.governor, community.token);
  const list = useProposalPage({
    governor: community.governor,
    timelock: community.timelock,
    token: community.token,
    page,
    pageSize: PAGE_SIZE,
    logs: logs.data,
    logsSettled: !logs.isPending,
  });
  return (
    <div className="stack vote-tab" data-testid="vote-tab">
      <PowerCard data={data} settings={list.data?.settings} />
      {list.isError ? (
        <Card>
          <Empty title="Cannot read this community's proposals">{explainError(list.error)}</Empty>
        </Card>
      ) : (
        <ProposalList data={data} list={list} logs={logs} page={page} setPage={setPage} />
      )}
    </div>
  );
}

function PowerCard({ data, settings }: { data: CommunityData; settings: GovernorSettings | undefined }) {
  const { community, holder } = data;
  const unit = { decimals: community.decimals, symbol: community.symbol };
  const votes = votesUnit(community.decimals);
  const blocker = proposeBlocker(holder, settings?.proposalThreshold, unit);
  const newProposal = blocker ? (
    <Button disabled data-testid="new-proposal" title={blocker}>
      New proposal
    </Button>
  ) : (
    <Link href={proposePath(community.token)} className="btn btn-primary" data-testid="new-proposal">
      New proposal
    </Link>
  );
  return (
    <Card title={community.isPlatform ? "Platform governance" : "Governance"} actions={newProposal} testId="governance-card">
      {blocker && holder && (
        <p className="field-hint" data-testid="new-proposal-reason">
          {blocker}
        </p>
      )}
      {!holder && <p className="field-hint">Connect a wallet to see your voting power and to vote.</p>}
      <div className="stats">
        <Stat label="Your voting power" testId="my-votes">
          {holder ? <Amount value={holder.votes} {...votes} testId="my-votes-amount" /> : <span className="muted">—</span>}
        </Stat>
        <Stat label="Proposal threshold">
          {settings ? <Amount value={settings.proposalThreshold} {...votes} testId="proposal-threshold" /> : <Skeleton lines={1} />}
        </Stat>
        <Stat label="Quorum">{settings ? `${formatBps(settings.quorumBps)} of supply` : <Skeleton lines={1} />}</Stat>
        <Stat label="Voting">
          {settings ? (
            <span data-testid="voting-times" data-voting-delay={settings.votingDelay.toString()} data-voting-period={settings.votingPeriod.toString()} data-timelock-delay={settings.timelockDelay.toString()}>
              {formatPeriod(settings.votingPeriod)} <span className="muted gov-sub">after {formatPeriod(settings.votingDelay)}, then {formatPeriod(settings.timelockDelay)} timelock</span>
            </span>
          ) : (
            <Skeleton lines={1} />
          )}
        </Stat>
      </div>
      {holder && (
        <p className="muted delegate-line" data-testid="my-delegate">
          <span>
            Your balance: <Amount value={holder.balance} {...unit} />, <DelegateLine self={holder.account} delegate={holder.delegate} />.
          </span>{" "}
          <Link href={communityPath(community.token)}>Change delegation on the Hold tab →</Link>
        </p>
      )}
    </Card>
  );
}

function ProposalList({ data, list, logs, page, setPage }: {
  data: CommunityData;
  list: ReturnType<typeof useProposalPage>;
  logs: ReturnType<typeof useProposalList>;
  page: number;
  setPage: (page: number) => void;
}) {
  const now = useChainNow();
  const settings = list.data?.settings;
  const summaries = list.data?.summaries;
  const latest = settings?.latestProposalId ?? 0n;

  // States change with chain time alone (voting opens, closes, the timelock ETA passes): re-read
  // exactly when the chain's clock crosses one of the listed proposals' timepoints.
  const phase = useMemo(() => (now === undefined || !summaries ? null : summaries.reduce((sum, s) => sum + timePhase(s, now), 0)), [now, summaries]);
  const [seenPhase, setSeenPhase] = useState<number | null>(null);
  const { refetch } = list;
  useEffect(() => {
    if (phase === null) return;
    if (seenPhase !== null && phase !== seenPhase) void refetch();
    setSeenPhase(phase);
  }, [phase, seenPhase, refetch]);

  const pages = pageCount(latest, PAGE_SIZE);
  const pager =
    pages > 1 ? (
      <div className="row pager">
        <Button variant="secondary" className="btn-small" disabled={page === 0} onClick={() => setPage(page - 1)} data-testid="proposals-newer">
          ← Newer
        </Button>
        <span className="muted" data-testid="proposals-page">
          Page {page + 1} of {pages}
        </span>
        <Button variant="secondary" className="btn-small" disabled={page >= pages - 1} onClick={() => setPage(page + 1)} data-testid="proposals-older">
          Older →
        </Button>
      </div>
    ) : null;

  return (
    <Card title={`Proposals${settings ? ` (${settings.proposalCount.toString()})` : ""}`} actions={pager} testId="proposal-list">
      {logs.isError && (
        <Notice tone="warn">Proposal titles could not be read ({explainError(logs.error)}); they show as numbers.</Notice>
      )}
      {list.isPending ? (
        <Skeleton lines={4} />
      ) : !summaries || summaries.length === 0 ? (
        <Empty title="No proposals yet">Members with enough voting power can make the first one with “New proposal”.</Empty>
      ) : (
        <ul className={`list proposals ${list.isPlaceholderData ? "is-stale" : ""}`}>
          {summaries.map((s) => (
            <ProposalRow key={s.id.toString()} summary={s} data={data} title={titleOf(s, logs.data?.created.get(s.id.toString())?.description)} now={now} />
          ))}
        </ul>
      )}
    </Card>
  );
}

function titleOf(s: ProposalSummary, description: string | undefined): string {
  const t = description === undefined ? "" : proposalTitle(description);
  return t === "" ? `Proposal #${s.id}` : t;
}

function ProposalRow({ summary: s, data, title, now }: { summary: ProposalSummary; data: CommunityData; title: string; now: bigint | undefined }) {
  const { community } = data;
  const votes = votesUnit(community.decimals);
  const href = proposalPath(community.token, s.id);
  return (
    <li className="proposal-item" data-testid={`proposal-${s.id}`} data-state={s.state}>
      <div className="proposal-item-head">
        <Link href={href} className="proposal-title" data-testid={`proposal-${s.id}-link`}>
          <span className="muted">#{s.id.toString()}</span> {title}
        </Link>
        <StateBadge state={s.state} testId={`proposal-${s.id}-state`} />
      </div>
      <VoteBars tally={s.tally} unit={votes} testIdPrefix={`proposal-${s.id}-votes`} />
      <QuorumMeter tally={s.tally} quorum={s.quorum} estimated={s.quorumEstimated} unit={votes} testId={`proposal-${s.id}-quorum`} />
      <Milestone state={s.state} times={s} now={now} testId={`proposal-${s.id}-milestone`} />
    </li>
  );
}
