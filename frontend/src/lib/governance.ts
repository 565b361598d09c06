/**
 * Governance rules the web app shows, kept pure (no React, no network): proposal states and their
 * badge tones, vote support values, a proposal's title from its description, the vote and quorum
 * figures (Bravo counting: quorum counts For + Abstain, see GovernorTallyUpgradeable), and the
 * timepoints of a proposal's life in chain time.
 */
import type { Tone } from "../components/ui.tsx";
import { formatDuration, formatVotes } from "./format.ts";

/** `IGovernor.ProposalState`, in the order `state(id)` numbers them. */
export const PROPOSAL_STATES = ["Pending", "Active", "Canceled", "Defeated", "Succeeded", "Queued", "Expired", "Executed"] as const;
export type ProposalStateName = (typeof PROPOSAL_STATES)[number];

export const ProposalState = {
  Pending: 0,
  Active: 1,
  Canceled: 2,
  Defeated: 3,
  Succeeded: 4,
  Queued: 5,
  Expired: 6,
  Executed: 7,
} as const satisfies Record<ProposalStateName, number>;

/** The name of a `state(id)` value; "Unknown" for a value the Governor does not define. */
export function stateName(state: number): ProposalStateName | "Unknown" {
  return PROPOSAL_STATES[state] ?? "Unknown";
}

/** One badge tone per state, so a list can be scanned by colour: live ones stand out, dead ones fade. */
const STATE_TONES: Record<ProposalStateName, Tone> = {
  Pending: "info",
  Active: "accent",
  Canceled: "neutral",
  Defeated: "bad",
  Succeeded: "good",
  Queued: "warn",
  Expired: "neutral",
  Executed: "good",
};

export function stateTone(state: number): Tone {
  const name = stateName(state);
  return name === "Unknown" ? "neutral" : STATE_TONES[name];
}

/** What each state means for a member, in one short line. */
export function stateExplanation(state: number): string {
  switch (stateName(state)) {
    case "Pending":
      return "Voting has not started yet.";
    case "Active":
      return "Voting is open.";
    case "Canceled":
      return "The proposal was canceled; it will not run.";
    case "Defeated":
      return "The proposal did not pass (not enough For votes or no quorum).";
    case "Succeeded":
      return "The proposal passed; anyone can queue it in the timelock.";
    case "Queued":
      return "Queued in the timelock; anyone can execute it once the delay is over.";
    case "Expired":
      return "The proposal passed but was not executed in time.";
    case "Executed":
      return "The proposal was executed.";
    default:
      return "";
  }
}

/** Governor Bravo support values (`castVote(id, support)`). */
export const Support = { Against: 0, For: 1, Abstain: 2 } as const;
export type SupportValue = (typeof Support)[keyof typeof Support];
export const SUPPORT_NAMES = ["Against", "For", "Abstain"] as const;

export function supportName(support: number): string {
  return SUPPORT_NAMES[support] ?? `support ${support}`;
}

/**
 * A proposal's title: the first non-empty line of its description, without a Markdown heading mark
 * (Tally-made proposals start with "# Title"), at most `max` characters.
 */
export function proposalTitle(description: string, max = 120): string {
  const line = description.split(/\r?\n/).find((l) => l.trim() !== "") ?? "";
  const title = line.replace(/^\s*#{1,6}\s*/, "").trim();
  if (title === "") return "";
  return title.length > max ? `${title.slice(0, max - 1).trimEnd()}…` : title;
}

/** The description without its title line (what the proposal page shows below the title). */
export function proposalBody(description: string): string {
  const lines = description.split(/\r?\n/);
  const first = lines.findIndex((l) => l.trim() !== "");
  if (first < 0) return "";
  return lines
    .slice(first + 1)
    .join("\n")
    .replace(/^\s*\n/, "")
    .trimEnd();
}

/** The description a template writes: the title on the first line, a blank line, then the body. */
export function composeDescription(title: string, body: string): string {
  const t = title.trim();
  const b = body.trim();
  return b === "" ? t : `${t}\n\n${b}`;
}

export interface VoteTally {
  against: bigint;
  for: bigint;
  abstain: bigint;
}

/** `proposalVotes(id)` returns (against, for, abstain). */
export function tallyFrom(result: readonly [bigint, bigint, bigint]): VoteTally {
  return { against: result[0], for: result[1], abstain: result[2] };
}

export function totalVotes(t: VoteTally): bigint {
  return t.against + t.for + t.abstain;
}

/** The votes that count toward quorum: For and Abstain (`COUNTING_MODE` = "support=bravo&quorum=for,abstain"). */
export function quorumVotes(t: VoteTally): bigint {
  return t.for + t.abstain;
}

export function quorumReached(t: VoteTally, quorum: bigint): boolean {
  return quorumVotes(t) >= quorum;
}

/** Whether the vote would pass as it stands: more For than Against, and quorum reached. */
export function wouldPass(t: VoteTally, quorum: bigint): boolean {
  return t.for > t.against && quorumReached(t, quorum);
}

/** Each option's share of all votes cast, in basis points (0 when nobody voted); rounding down. */
export function voteShares(t: VoteTally): { for: number; against: number; abstain: number } {
  const total = totalVotes(t);
  if (total === 0n) return { for: 0, against: 0, abstain: 0 };
  const bps = (x: bigint) => Number((x * 10_000n) / total);
  return { for: bps(t.for), against: bps(t.against), abstain: bps(t.abstain) };
}

/** Quorum for a supply and a numerator in basis points, rounded down as the contract does. */
export function quorumOf(totalSupply: bigint, quorumBps: bigint): bigint {
  return (totalSupply * quorumBps) / 10_000n;
}

export interface ProposalTimes {
  /** Votes are weighed at this timepoint; voting opens the second after. */
  snapshot: bigint;
  /** Voting closes after this timepoint (extended when quorum was reached late). */
  deadline: bigint;
  /** When the timelock lets the proposal execute; 0 when not queued. */
  eta: bigint;
}

/**
 * The next moment that matters for a proposal, as a phrase with the seconds left (for countdowns):
 * voting start while Pending, voting end while Active, the ETA while Queued. Null otherwise.
 */
export function nextMilestone(
  state: number,
  times: ProposalTimes,
  now: bigint,
): { label: string; at: bigint; secondsLeft: bigint } | null {
  const left = (at: bigint) => (at > now ? at - now : 0n);
  switch (state) {
    case ProposalState.Pending:
      // Active from the first second after the snapshot.
      return { label: "Voting starts", at: times.snapshot + 1n, secondsLeft: left(times.snapshot + 1n) };
    case ProposalState.Active:
      return { label: "Voting ends", at: times.deadline, secondsLeft: left(times.deadline + 1n) };
    case ProposalState.Queued:
      return times.eta > 0n ? { label: "Executable", at: times.eta, secondsLeft: left(times.eta) } : null;
    default:
      return null;
  }
}

/** How many of a proposal's timepoints chain time has passed: changes exactly when its state may change by time alone. */
export function timePhase(times: ProposalTimes, now: bigint): number {
  let phase = 0;
  if (now > times.snapshot) phase++;
  if (now > times.deadline) phase++;
  if (times.eta > 0n && now >= times.eta) phase++;
  return phase;
}

/** States in which the guardian may still cancel (OpenZeppelin refuses Canceled, Expired and Executed). */
export function isCancelable(state: number): boolean {
  return state !== ProposalState.Canceled && state !== ProposalState.Expired && state !== ProposalState.Executed;
}

/**
 * Whether `account` may cancel: the guardian while the state allows it; the proposer while Pending,
 * or any time when the DAO removed the guardian (CommunityGovernor._validateCancel).
 */
export function canCancel(options: {
  state: number;
  account: string | undefined;
  guardian: string;
  proposer: string;
}): boolean {
  const { state, account, guardian, proposer } = options;
  if (!account || !isCancelable(state)) return false;
  const me = account.toLowerCase();
  const noGuardian = /^0x0{40}$/i.test(guardian);
  if (!noGuardian && guardian.toLowerCase() === me) return true;
  if (proposer.toLowerCase() !== me) return false;
  return noGuardian || state === ProposalState.Pending;
}

/** Ids of page `page` (0 = newest) of `count` sequential proposals (ids 1..count), newest first. */
export function pageIds(count: bigint, page: number, pageSize: number): bigint[] {
  const ids: bigint[] = [];
  const start = count - BigInt(page * pageSize);
  for (let id = start; id > 0n && ids.length < pageSize; id--) ids.push(id);
  return ids;
}

export function pageCount(count: bigint, pageSize: number): number {
  return Math.max(1, Math.ceil(Number(count) / pageSize));
}

/**
 * Why `holder` cannot make a proposal (one sentence), or null when it can: proposing needs at least
 * `proposalThreshold()` votes (delegated voting power, not balance).
 */
export function proposeBlocker(
  holder: { account: string; balance: bigint; votes: bigint; delegate: string } | null,
  threshold: bigint | undefined,
  unit: { decimals: number; symbol: string },
): string | null {
  if (!holder) return "Connect a wallet to make a proposal.";
  if (threshold === undefined) return "Reading the proposal threshold…";
  if (holder.votes >= threshold) return null;
  const need = formatVotes(threshold, unit.decimals);
  const have = formatVotes(holder.votes, unit.decimals);
  const delegateHint =
    holder.balance >= threshold && holder.delegate.toLowerCase() !== holder.account.toLowerCase()
      ? " Delegate your tokens to yourself on the Hold tab first."
      : "";
  return `You need ${need} to make a proposal; you have ${have}.${delegateHint}`;
}

/** A governance setting in seconds as people say it: "1 minute", "5 days", "90 seconds", else "1d 2h". */
export function formatPeriod(seconds: bigint): string {
  const n = Number(seconds);
  const unit = (count: number, name: string) => `${count} ${name}${count === 1 ? "" : "s"}`;
  if (n > 0 && n % 86_400 === 0) return unit(n / 86_400, "day");
  if (n > 0 && n % 3_600 === 0) return unit(n / 3_600, "hour");
  if (n > 0 && n % 60 === 0 && n < 3_600) return unit(n / 60, "minute");
  if (n < 60) return unit(n, "second");
  return formatDuration(n);
}

/** Why an account cannot vote on an active proposal it had no votes for at the snapshot. */
export type NoVotesReason =
  | { kind: "came-after"; votesNow: bigint }
  | { kind: "undelegated"; balance: bigint }
  | { kind: "delegated-away"; delegate: `0x${string}`; balance: bigint }
  | { kind: "no-tokens" };

/**
 * The true reason an account's weight at a proposal's snapshot is zero (issue 11 item 11). Voting
 * power is read at the snapshot, so an account that has votes now received them (tokens, or a
 * delegation to it) after the snapshot: delegating would change nothing for this proposal. Only an
 * account whose own tokens are not delegated is told to delegate.
 */
export function noVotesReason(holder: { account: `0x${string}`; balance: bigint; votes: bigint; delegate: `0x${string}` }): NoVotesReason {
  if (holder.votes > 0n) return { kind: "came-after", votesNow: holder.votes };
  if (holder.balance > 0n) {
    if (/^0x0{40}$/i.test(holder.delegate)) return { kind: "undelegated", balance: holder.balance };
    if (holder.delegate.toLowerCase() !== holder.account.toLowerCase()) return { kind: "delegated-away", delegate: holder.delegate, balance: holder.balance };
  }
  return { kind: "no-tokens" };
}
