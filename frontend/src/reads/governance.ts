/**
 * The governance reads of a community (the platform DAO is one too): the governor's settings, its
 * ProposalCreated and VoteCast logs (descriptions are not stored on chain; one eth_getLogs), a page
 * of proposals (one multicall), and the factory's registry (for the verify template and to name
 * communities in decoded actions).
 *
 * The `fetch*` functions take the viem client and are tested on their own; the hooks in
 * hooks/useGovernor.ts, hooks/useProposal.ts and hooks/useProposalTemplateFacts.ts wrap them in
 * TanStack queries keyed by chain and address, so the Vote tab and a proposal page share the logs.
 */
import { erc20Abi, getAbiItem, keccak256, toHex, zeroAddress, type Address, type ContractFunctionParameters, type Hex, type MulticallResponse, type MulticallResults, type PublicClient } from "viem";
import { communityFactoryAbi, communityGovernorAbi, communityTimelockAbi, crowdfundAbi, revenueShareAbi, socialTokenAbi } from "../generated/abis.ts";
import { ROLES } from "../lib/governance-actions.ts";
import { pageIds, quorumOf, tallyFrom, type VoteTally } from "../lib/governance.ts";
import type { RegistryEntry, TargetFacts } from "../lib/governance-templates.ts";
import { readLogsInChunks, type LogsClient } from "./logs.ts";
import { resultsAt, valueOf } from "./multicall.ts";

/** The part of viem's public client these reads use (a fake one in tests). */
export type ReadClient = Pick<PublicClient, "multicall" | "getLogs">;

// ------------------------------------------------------------------------------------ settings

export interface GovernorSettings {
  proposalCount: bigint;
  /** The newest proposal's id (ids are sequential from 1); 0 when there is none. */
  latestProposalId: bigint;
  proposalThreshold: bigint;
  votingDelay: bigint;
  votingPeriod: bigint;
  /** Quorum in basis points of the supply at a proposal's snapshot. */
  quorumBps: bigint;
  lateQuorumExtension: bigint;
  guardian: Address;
  timelockDelay: bigint;
  /** The governor's clock (chain time of the block read). */
  clock: bigint;
}

/** The governor's (and its timelock's) settings as multicall calls; `parseSettings` reads their results back. */
function settingsCalls(governor: Address, timelock: Address) {
  const g = { address: governor, abi: communityGovernorAbi } as const;
  return [
    { ...g, functionName: "proposalCount" },
    { ...g, functionName: "latestProposalId" },
    { ...g, functionName: "proposalThreshold" },
    { ...g, functionName: "votingDelay" },
    { ...g, functionName: "votingPeriod" },
    { ...g, functionName: "quorumNumerator" },
    { ...g, functionName: "lateQuorumVoteExtension" },
    { ...g, functionName: "proposalGuardian" },
    { ...g, functionName: "clock" },
    { address: timelock, abi: communityTimelockAbi, functionName: "getMinDelay" },
  ] as const;
}
type SettingsResults = MulticallResults<ReturnType<typeof settingsCalls>>;

/** The value of a settings read; the settings are read whole or not at all (the first failure is thrown). */
function required<T>(outcome: MulticallResponse<T>): T {
  if (outcome.status === "failure") throw outcome.error instanceof Error ? outcome.error : new Error("Could not read the governor's settings.");
  return outcome.result;
}

function parseSettings(results: SettingsResults): GovernorSettings {
  const [proposalCount, latestProposalId, proposalThreshold, votingDelay, votingPeriod, quorumBps, lateQuorumExtension, guardian, clock, timelockDelay] =
    results;
  return {
    proposalCount: required(proposalCount),
    latestProposalId: required(latestProposalId),
    proposalThreshold: required(proposalThreshold),
    votingDelay: BigInt(required(votingDelay)),
    votingPeriod: BigInt(required(votingPeriod)),
    quorumBps: required(quorumBps),
    lateQuorumExtension: BigInt(required(lateQuorumExtension)),
    guardian: required(guardian),
    clock: BigInt(required(clock)),
    timelockDelay: required(timelockDelay),
  };
}

export async function fetchGovernorSettings(client: ReadClient, governor: Address, timelock: Address): Promise<GovernorSettings> {
  const results = await client.multicall({ deployless: true, allowFailure: true, contracts: settingsCalls(governor, timelock) });
  return parseSettings(results);
}

// ------------------------------------------------------------------------------------ logs

export interface ProposalCreatedInfo {
  id: bigint;
  proposer: Address;
  targets: readonly Address[];
  values: readonly bigint[];
  calldatas: readonly Hex[];
  voteStart: bigint;
  voteEnd: bigint;
  description: string;
  blockNumber: bigint | null;
  transactionHash: Hex | null;
}

export interface VoteRecord {
  proposalId: bigint;
  voter: Address;
  support: number;
  weight: bigint;
  reason: string;
  blockNumber: bigint | null;
  transactionHash: Hex | null;
}

export interface GovernorLogs {
  /** By proposal id (decimal string). */
  created: Map<string, ProposalCreatedInfo>;
  /** Every vote, oldest first. */
  votes: VoteRecord[];
}

const PROPOSAL_CREATED = getAbiItem({ abi: communityGovernorAbi, name: "ProposalCreated" });
const VOTE_CAST = getAbiItem({ abi: communityGovernorAbi, name: "VoteCast" });
const VOTE_CAST_WITH_PARAMS = getAbiItem({ abi: communityGovernorAbi, name: "VoteCastWithParams" });

/** All ProposalCreated and VoteCast(WithParams) events of a governor from `fromBlock` on, in bounded ranges (reads/logs.ts). */
export async function fetchGovernorLogs(client: ReadClient & LogsClient, governor: Address, fromBlock = 0n): Promise<GovernorLogs> {
  const logs = await readLogsInChunks(client, {
    fromBlock,
    read: (from, to) => client.getLogs({ address: governor, events: [PROPOSAL_CREATED, VOTE_CAST, VOTE_CAST_WITH_PARAMS], fromBlock: from, toBlock: to }),
  });
  const created = new Map<string, ProposalCreatedInfo>();
  const votes: VoteRecord[] = [];
  for (const log of logs) {
    if (log.eventName === "ProposalCreated") {
      const a = log.args;
      if (a.proposalId === undefined) continue;
      created.set(a.proposalId.toString(), {
        id: a.proposalId,
        proposer: a.proposer as Address,
        targets: a.targets ?? [],
        values: a.values ?? [],
        calldatas: a.calldatas ?? [],
        voteStart: a.voteStart ?? 0n,
        voteEnd: a.voteEnd ?? 0n,
        description: a.description ?? "",
        blockNumber: log.blockNumber,
        transactionHash: log.transactionHash,
      });
    } else {
      const a = log.args;
      if (a.proposalId === undefined || a.voter === undefined) continue;
      votes.push({
        proposalId: a.proposalId,
        voter: a.voter,
        support: Number(a.support ?? 0),
        weight: a.weight ?? 0n,
        reason: a.reason ?? "",
        blockNumber: log.blockNumber,
        transactionHash: log.transactionHash,
      });
    }
  }
  return { created, votes };
}

// ------------------------------------------------------------------------------------ a page of proposals

export interface ProposalSummary {
  id: bigint;
  state: number;
  tally: VoteTally;
  snapshot: bigint;
  deadline: bigint;
  eta: bigint;
  proposer: Address;
  /** Votes needed (For + Abstain); estimated from today's supply while the snapshot is in the future. */
  quorum: bigint;
  quorumEstimated: boolean;
}

/** The reads of one proposal in a page (state, votes, times, proposer). */
function proposalCalls(governor: Address, id: bigint) {
  const g = { address: governor, abi: communityGovernorAbi } as const;
  return [
    { ...g, functionName: "state", args: [id] },
    { ...g, functionName: "proposalVotes", args: [id] },
    { ...g, functionName: "proposalSnapshot", args: [id] },
    { ...g, functionName: "proposalDeadline", args: [id] },
    { ...g, functionName: "proposalEta", args: [id] },
    { ...g, functionName: "proposalProposer", args: [id] },
  ] as const;
}

/**
 * The calls that read proposals `ids` (state, votes, times, proposer), their quorum when the logs
 * give the snapshot, and the supply (for an estimated quorum); `parse` reads the results back from
 * `offset` in a multicall's results.
 */
function summaryCalls(governor: Address, token: Address, ids: bigint[], created: Map<string, ProposalCreatedInfo> | undefined) {
  const g = { address: governor, abi: communityGovernorAbi } as const;
  const perProposal = ids.map((id) => proposalCalls(governor, id));
  // Quorum at the snapshot the logs give (ProposalCreated's voteStart); it reverts while that is in
  // the future, and the quorum is then estimated from today's supply.
  const quorumAt = ids.map((id) => created?.get(id.toString())?.voteStart ?? null);
  const quorumCalls = quorumAt.flatMap((at) => (at === null ? [] : [{ ...g, functionName: "quorum", args: [at] } as const]));
  const supplyCall = [{ address: token, abi: socialTokenAbi, functionName: "totalSupply" }] as const;
  const all: ContractFunctionParameters[] = [...perProposal.flat(), ...quorumCalls, ...supplyCall];
  const parse = (results: readonly MulticallResponse<unknown>[], offset: number, quorumBps: bigint): ProposalSummary[] => {
    const quorumOffset = offset + perProposal.flat().length;
    const quorums = resultsAt(quorumCalls, results, quorumOffset);
    const [supplyResult] = resultsAt(supplyCall, results, quorumOffset + quorumCalls.length);
    const supply = valueOf(supplyResult) ?? 0n;
    const estimated = quorumOf(supply, quorumBps);
    let q = 0;
    return ids.map((id, i) => {
      const [state, votes, snapshot, deadline, eta, proposer] = resultsAt(perProposal[i], results, offset + i * perProposal[i].length);
      const quorum = quorumAt[i] === null ? undefined : valueOf(quorums[q++]);
      return {
        id,
        state: valueOf(state) ?? -1,
        tally: tallyFrom(valueOf(votes) ?? [0n, 0n, 0n]),
        snapshot: valueOf(snapshot) ?? 0n,
        deadline: valueOf(deadline) ?? 0n,
        eta: valueOf(eta) ?? 0n,
        proposer: valueOf(proposer) ?? zeroAddress,
        quorum: quorum ?? estimated,
        quorumEstimated: quorum === undefined,
      };
    });
  };
  return { contracts: all, parse };
}

/** Exact quorums for summaries whose snapshot is past but whose quorum was not read (not in the logs): one more call. */
async function fillMissingQuorums(client: ReadClient, governor: Address, summaries: ProposalSummary[], clock: bigint): Promise<void> {
  const missing = summaries.filter((s) => s.quorumEstimated && s.snapshot > 0n && s.snapshot < clock);
  if (missing.length === 0) return;
  const results = await client.multicall({
    deployless: true,
    allowFailure: true,
    contracts: missing.map((s) => ({ address: governor, abi: communityGovernorAbi, functionName: "quorum", args: [s.snapshot] }) as const),
  });
  missing.forEach((s, i) => {
    const value = valueOf(results[i]);
    if (value !== undefined) {
      s.quorum = value;
      s.quorumEstimated = false;
    }
  });
}

export interface ProposalPage {
  settings: GovernorSettings;
  /** Newest first. */
  summaries: ProposalSummary[];
}

/**
 * The governor's settings and page `page` (0 = newest) of its proposals. With the logs, the page's
 * ids are known up front and everything is one multicall; the settings then confirm them (ids are
 * sequential, 1..latestProposalId) and a proposal the logs missed costs a second call. Without the
 * logs: settings first, then the page.
 */
export async function fetchProposalPage(
  client: ReadClient,
  options: { governor: Address; timelock: Address; token: Address; page: number; pageSize: number; created: Map<string, ProposalCreatedInfo> | undefined },
): Promise<ProposalPage> {
  const { governor, timelock, token, page, pageSize, created } = options;
  const settingsContracts = settingsCalls(governor, timelock);
  const fromLogs = created ? pageIds(BigInt(Math.max(0, ...[...created.keys()].map(Number))), page, pageSize) : [];
  const guess = summaryCalls(governor, token, fromLogs, created);
  // Mixed calls of several ABIs: typed loosely here, each result is read back by position.
  const calls: ContractFunctionParameters[] = [...settingsContracts, ...(fromLogs.length > 0 ? guess.contracts : [])];
  // batchSize 0: one eth_call for the whole page. viem otherwise splits a multicall whose calldata
  // passes 1,024 bytes, which a page of four or more proposals does.
  const first = await client.multicall({ deployless: true, allowFailure: true, batchSize: 0, contracts: calls });
  const settings = parseSettings(resultsAt(settingsContracts, first, 0));
  const ids = pageIds(settings.latestProposalId, page, pageSize);
  let summaries: ProposalSummary[];
  if (ids.length === 0) summaries = [];
  else if (ids.join() === fromLogs.join()) summaries = guess.parse(first, settingsContracts.length, settings.quorumBps);
  else {
    const exact = summaryCalls(governor, token, ids, created);
    summaries = exact.parse(await client.multicall({ deployless: true, allowFailure: true, batchSize: 0, contracts: exact.contracts }), 0, settings.quorumBps);
  }
  await fillMissingQuorums(client, governor, summaries, settings.clock);
  return { settings, summaries };
}

// ------------------------------------------------------------------------------------ the registry

/** Every community of the factory with its token's name and symbol (two multicalls after the count). */
export async function fetchRegistry(client: ReadClient, factory: Address): Promise<RegistryEntry[]> {
  const [count] = await client.multicall({
    deployless: true,
    allowFailure: false,
    contracts: [{ address: factory, abi: communityFactoryAbi, functionName: "communityCount" }],
  });
  if (count === 0n) return [];
  const [page] = await client.multicall({
    deployless: true,
    allowFailure: false,
    contracts: [{ address: factory, abi: communityFactoryAbi, functionName: "communities", args: [0n, count] }],
  });
  const names = await client.multicall({
    deployless: true,
    allowFailure: true,
    contracts: page.flatMap((c) => [
      { address: c.token, abi: socialTokenAbi, functionName: "name" } as const,
      { address: c.token, abi: socialTokenAbi, functionName: "symbol" } as const,
    ]),
  });
  return page.map((c, i) => ({
    id: c.id,
    token: c.token,
    creator: c.creator,
    verified: c.verified,
    name: valueOf(names[2 * i]) ?? `Community #${c.id}`,
    symbol: valueOf(names[2 * i + 1]) ?? "?",
  }));
}

// ------------------------------------------------------------------------------------ one proposal

export interface ProposalDetail {
  id: bigint;
  /** The actions and description, from the proposal's ProposalCreated log (the governor does not store them). */
  targets: readonly Address[];
  values: readonly bigint[];
  calldatas: readonly Hex[];
  description: string;
  /** keccak256 of the description: with the actions, what queue, execute and cancel take. */
  descriptionHash: Hex;
  state: number;
  tally: VoteTally;
  snapshot: bigint;
  deadline: bigint;
  eta: bigint;
  proposer: Address;
  guardian: Address;
  needsQueuing: boolean;
  /** Chain time of the block read. */
  clock: bigint;
  quorum: bigint;
  quorumEstimated: boolean;
  /** The connected account: whether it voted, and its weight at the snapshot (null before the snapshot). */
  account: Address | null;
  hasVoted: boolean;
  weight: bigint | null;
}

/**
 * Null when the governor has no proposal with this id. The actions and description come from the
 * proposal's ProposalCreated log (one eth_getLogs for the governor's ProposalCreated events, beside
 * the multicall); the rest from the governor.
 */
export async function fetchProposal(
  client: ReadClient & LogsClient,
  options: { governor: Address; token: Address; id: bigint; account: Address | null; fromBlock?: bigint },
): Promise<ProposalDetail | null> {
  const { governor, token, id, account } = options;
  const g = { address: governor, abi: communityGovernorAbi } as const;
  const [createdLogs, first] = await Promise.all([
    readLogsInChunks(client, {
      fromBlock: options.fromBlock ?? 0n,
      read: (from, to) => client.getLogs({ address: governor, event: PROPOSAL_CREATED, fromBlock: from, toBlock: to }),
    }),
    client.multicall({
      deployless: true,
      allowFailure: true,
      contracts: [
        ...proposalCalls(governor, id),
        { ...g, functionName: "proposalGuardian" },
        { ...g, functionName: "proposalNeedsQueuing", args: [id] },
        { ...g, functionName: "clock" },
        { ...g, functionName: "quorumNumerator" },
        { ...g, functionName: "hasVoted", args: [id, account ?? zeroAddress] },
        { address: token, abi: socialTokenAbi, functionName: "totalSupply" },
      ],
    }),
  ]);
  // A missing proposal reverts (GovernorNonexistentProposal).
  const state = valueOf(first[0]);
  if (state === undefined) return null;
  const created = createdLogs.find((log) => log.args.proposalId === id)?.args;
  if (created === undefined) throw new Error("Could not read this proposal's actions from the governor's logs.");
  const description = created.description ?? "";
  const snapshot = valueOf(first[2]) ?? 0n;
  const clock = BigInt(valueOf(first[8]) ?? 0);
  const quorumBps = valueOf(first[9]) ?? 0n;
  const supply = valueOf(first[11]) ?? 0n;

  let quorum: bigint | undefined;
  let weight: bigint | null = null;
  if (snapshot < clock) {
    const second = await client.multicall({
      deployless: true,
      allowFailure: true,
      contracts: [
        { ...g, functionName: "quorum", args: [snapshot] },
        { ...g, functionName: "getVotes", args: [account ?? zeroAddress, snapshot] },
      ],
    });
    quorum = valueOf(second[0]);
    if (account) weight = valueOf(second[1]) ?? null;
  }
  return {
    id,
    targets: created.targets ?? [],
    values: created.values ?? [],
    calldatas: created.calldatas ?? [],
    description,
    descriptionHash: keccak256(toHex(description)),
    state,
    tally: tallyFrom(valueOf(first[1]) ?? [0n, 0n, 0n]),
    snapshot,
    deadline: valueOf(first[3]) ?? 0n,
    eta: valueOf(first[4]) ?? 0n,
    proposer: valueOf(first[5]) ?? zeroAddress,
    guardian: valueOf(first[6]) ?? zeroAddress,
    needsQueuing: valueOf(first[7]) ?? true,
    clock,
    quorum: quorum ?? quorumOf(supply, quorumBps),
    quorumEstimated: quorum === undefined,
    account,
    hasVoted: account ? (valueOf(first[10]) ?? false) : false,
    weight,
  };
}

// ------------------------------------------------------------------------------------ template facts

/** Facts about the address of a grant template (see TargetFacts). */
export async function fetchTargetFacts(
  client: ReadClient,
  options: { token: Address; target: Address; role: "minter" | "revenue" },
): Promise<TargetFacts> {
  const { token, target, role } = options;
  const roleId = role === "minter" ? ROLES.MINTER_ROLE : ROLES.REVENUE_ROLE;
  const hasRoleCall = { address: token, abi: socialTokenAbi, functionName: "hasRole", args: [roleId, target] } as const;
  if (role === "revenue") {
    const r = await client.multicall({
      deployless: true,
      allowFailure: true,
      contracts: [hasRoleCall, { address: target, abi: revenueShareAbi, functionName: "token" }],
    });
    const shareToken = valueOf(r[1]);
    return {
      address: target,
      hasRole: valueOf(r[0]) ?? false,
      revenueShareOfThisToken: shareToken !== undefined && shareToken.toLowerCase() === token.toLowerCase(),
    };
  }
  const r = await client.multicall({
    deployless: true,
    allowFailure: true,
    contracts: [
      hasRoleCall,
      { address: target, abi: crowdfundAbi, functionName: "token" },
      { address: target, abi: crowdfundAbi, functionName: "params" },
    ],
  });
  const hasRole = valueOf(r[0]) ?? false;
  const fundToken = valueOf(r[1]);
  const params = valueOf(r[2]);
  if (!fundToken || !params) return { address: target, hasRole, crowdfund: null };
  let payment = { symbol: "ETH", decimals: 18 };
  if (params.paymentToken !== zeroAddress) {
    const p = await client.multicall({
      deployless: true,
      allowFailure: true,
      contracts: [
        { address: params.paymentToken, abi: erc20Abi, functionName: "symbol" },
        { address: params.paymentToken, abi: erc20Abi, functionName: "decimals" },
      ],
    });
    payment = { symbol: valueOf(p[0]) ?? "tokens", decimals: valueOf(p[1]) ?? 18 };
  }
  return {
    address: target,
    hasRole,
    crowdfund: {
      ofThisToken: fundToken.toLowerCase() === token.toLowerCase(),
      goal: params.goal,
      cap: params.cap,
      deadline: params.deadline,
      price: params.price,
      referralBps: BigInt(params.referralBps),
      payment,
    },
  };
}

/** The factory's creation fee (the platform's creation-fee template). */
export async function fetchCreationFee(client: ReadClient, factory: Address): Promise<bigint> {
  const [value] = await client.multicall({
    deployless: true,
    allowFailure: false,
    contracts: [{ address: factory, abi: communityFactoryAbi, functionName: "creationFee" }],
  });
  return value;
}

/** The id of the proposal with these actions and description; reverts when there is none. */
export async function fetchProposalId(
  client: Pick<PublicClient, "readContract">,
  governor: Address,
  proposal: { targets: readonly Address[]; values: readonly bigint[]; calldatas: readonly Hex[]; description: string },
): Promise<bigint> {
  return client.readContract({
    address: governor,
    abi: communityGovernorAbi,
    functionName: "getProposalId",
    args: [proposal.targets, proposal.values, proposal.calldatas, keccak256(toHex(proposal.description))],
  });
}
