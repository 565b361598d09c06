/**
 * Governance helpers: the proposal states, the vote types, EIP-712 ballot signers and a small
 * class that walks one proposal through its life (propose, wait for the snapshot, vote, wait for the
 * deadline, queue, wait for the Timelock, execute). It is the one proposal walker of the project:
 * the tests, the benchmark and the local demo seed use it, for the platform's governor as for any
 * community's.
 *
 * Modelled on OpenZeppelin's `test/helpers/governance.js` and `test/helpers/enums.js`. The module has
 * no side effects and never creates a network: callers pass their governor contract, signers and
 * time helpers (Hardhat's `networkHelpers.time`) in.
 */
import {
  id,
  Signature,
  toBeHex,
  type ContractTransactionReceipt,
  type ContractTransactionResponse,
  type Signer,
} from "ethers";
import { EXTENDED_BALLOT_TYPES as SHARED_EXTENDED_BALLOT_TYPES } from "../../shared/server-protocol.ts";
import type { CommunityGovernor } from "../../typechain-types/index.js";

/** `IGovernor.ProposalState`, as the bigint values `state(id)` returns. */
export const ProposalState = {
  Pending: 0n,
  Active: 1n,
  Canceled: 2n,
  Defeated: 3n,
  Succeeded: 4n,
  Queued: 5n,
  Expired: 6n,
  Executed: 7n,
} as const;
export type ProposalStateValue = (typeof ProposalState)[keyof typeof ProposalState];

/** The name of a `state(id)` value ("Pending", ...), for error messages; the number if unknown. */
export function proposalStateName(state: bigint): string {
  const entry = Object.entries(ProposalState).find(([, value]) => value === state);
  return entry === undefined ? `state ${state}` : entry[0];
}

/**
 * `Governor._encodeStateBitmap`: the `expectedStates` argument of `GovernorUnexpectedProposalState`,
 * one bit per accepted state, as a 32-byte hex string.
 */
export function stateBitmap(...states: ProposalStateValue[]): string {
  return toBeHex(
    states.reduce<bigint>((bits, s) => bits | (1n << s), 0n),
    32
  );
}

/** Governor Bravo support values. */
export const VoteType = {
  Against: 0,
  For: 1,
  Abstain: 2,
} as const;
export type VoteTypeValue = (typeof VoteType)[keyof typeof VoteType];

/** What a proposal does: the four arrays `propose` takes (description as text, not hashed). */
export interface ProposalSpec {
  targets: string[];
  values: bigint[];
  calldatas: string[];
  description: string;
}

/**
 * A proposal's actions and description, read back from the governor's `ProposalCreated` log (the
 * governor does not store proposals): one log query filtered by the governor's address and the
 * event, from `fromBlock` (the deployment's start block when known). Throws when no log has the id.
 */
export async function proposalFromLog(
  governor: CommunityGovernor,
  proposalId: bigint,
  fromBlock: number | bigint = 0,
): Promise<ProposalSpec> {
  const logs = await governor.queryFilter(governor.filters.ProposalCreated(), Number(fromBlock));
  const created = logs.find((log) => log.args.proposalId === proposalId);
  if (created === undefined) throw new Error(`no ProposalCreated log for proposal ${proposalId}`);
  // By position: `values` on an ethers Result is Array.prototype.values, not the event's field.
  const [, , targets, values, , calldatas, , , description] = created.args;
  return { targets: [...targets], values: [...values], calldatas: [...calldatas], description };
}

/** One call of a proposal; `value` defaults to 0. */
export interface ProposalCall {
  target: string;
  data: string;
  value?: bigint;
}

/** The `ProposalSpec` of a list of calls, in order. */
export function buildProposal(calls: ProposalCall[], description: string): ProposalSpec {
  return {
    targets: calls.map((c) => c.target),
    values: calls.map((c) => c.value ?? 0n),
    calldatas: calls.map((c) => c.data),
    description,
  };
}

/**
 * The part of Hardhat's `networkHelpers.time` this module needs, so callers may pass
 * `networkHelpers.time` directly.
 */
export interface TimeControl {
  latest(): Promise<number>;
  increaseTo(timestamp: number | bigint): Promise<void>;
}

/** EIP-712 `Ballot` type of OpenZeppelin's Governor (castVoteBySig). */
export const BALLOT_TYPES = {
  Ballot: [
    { name: "proposalId", type: "uint256" },
    { name: "support", type: "uint8" },
    { name: "voter", type: "address" },
    { name: "nonce", type: "uint256" },
  ],
};

/** EIP-712 `ExtendedBallot` type of OpenZeppelin's Governor (castVoteWithReasonAndParamsBySig), shared with the app and the server. */
export const EXTENDED_BALLOT_TYPES = { ExtendedBallot: SHARED_EXTENDED_BALLOT_TYPES.ExtendedBallot.map((f) => ({ ...f })) };

/** The governor's EIP-712 domain, read from the contract (name, version, chain id, address). */
export async function governorDomain(governor: CommunityGovernor): Promise<{
  name: string;
  version: string;
  chainId: bigint;
  verifyingContract: string;
}> {
  const [, name, version, chainId, verifyingContract] = await governor.eip712Domain();
  return { name, version, chainId, verifyingContract };
}

/** Options of a ballot signature. `voter` defaults to the signer; `nonce` to the voter's current nonce. */
export interface BallotOptions {
  proposalId: bigint;
  support: number;
  voter?: string;
  nonce?: bigint;
}

/** Signs a `Ballot` with `signer`; returns the serialized 65-byte signature for `castVoteBySig`. */
export async function signBallot(governor: CommunityGovernor, signer: Signer, options: BallotOptions): Promise<string> {
  const voter = options.voter ?? (await signer.getAddress());
  const nonce = options.nonce ?? (await governor.nonces(voter));
  const signature = await signer.signTypedData(await governorDomain(governor), BALLOT_TYPES, {
    proposalId: options.proposalId,
    support: options.support,
    voter,
    nonce,
  });
  return Signature.from(signature).serialized;
}

/** Signs an `ExtendedBallot` (with reason and params) for `castVoteWithReasonAndParamsBySig`. */
export async function signExtendedBallot(
  governor: CommunityGovernor,
  signer: Signer,
  options: BallotOptions & { reason: string; params: string }
): Promise<string> {
  const voter = options.voter ?? (await signer.getAddress());
  const nonce = options.nonce ?? (await governor.nonces(voter));
  const signature = await signer.signTypedData(await governorDomain(governor), EXTENDED_BALLOT_TYPES, {
    proposalId: options.proposalId,
    support: options.support,
    voter,
    nonce,
    reason: options.reason,
    params: options.params,
  });
  return Signature.from(signature).serialized;
}

/**
 * The salt GovernorTimelockControl schedules a proposal under: `bytes20(governor) ^ descriptionHash`.
 */
export function timelockSalt(governorAddress: string, descriptionHash: string): string {
  return toBeHex((BigInt(governorAddress) << 96n) ^ BigInt(descriptionHash), 32);
}

/** Moves the chain to `timestamp` by mining one block, unless it is already there or later. */
export async function advanceTo(time: TimeControl, timestamp: number | bigint): Promise<void> {
  if (BigInt(await time.latest()) < BigInt(timestamp)) await time.increaseTo(timestamp);
}

/** Waits for a transaction's receipt; throws if it was not mined. */
export async function mined(tx: Promise<ContractTransactionResponse>): Promise<ContractTransactionReceipt> {
  const receipt = await (await tx).wait();
  if (receipt === null) throw new Error("transaction was not mined");
  return receipt;
}

/**
 * Walks one proposal of one governor. Each step sends a transaction (and returns its response, so
 * callers can chain chai matchers on it) or moves time; the id is learnt from `propose`.
 *
 * ```ts
 * const p = new GovernorHelper(governor, networkHelpers.time, { targets, values, calldatas, description });
 * await p.propose(creator);
 * await p.waitForSnapshot();
 * await p.vote(creator, VoteType.For);
 * await p.waitForDeadline();
 * await p.queue();
 * await p.waitForEta();
 * await p.execute();
 * ```
 */
export class GovernorHelper {
  private proposalId: bigint | undefined;

  constructor(readonly governor: CommunityGovernor, readonly time: TimeControl, readonly proposal: ProposalSpec) {}

  /** keccak256 of the description, as the four-array governor functions take it. */
  get descriptionHash(): string {
    return id(this.proposal.description);
  }

  /** The proposal's id; throws before `propose` (or `useId`). */
  get id(): bigint {
    if (this.proposalId === undefined) throw new Error("the proposal has not been proposed yet");
    return this.proposalId;
  }

  /** Adopts the id of a proposal created elsewhere (e.g. inside a `revertedWith` assertion). */
  useId(proposalId: bigint): this {
    this.proposalId = proposalId;
    return this;
  }

  /** The `propose` transaction by `proposer`, for chai matchers; it does not record the id (see `useId`). */
  proposeTx(proposer: Signer): Promise<ContractTransactionResponse> {
    const { targets, values, calldatas, description } = this.proposal;
    return this.governor.connect(proposer).propose(targets, values, calldatas, description);
  }

  /** Proposes and records the id (read from the governor's sequential-id registry). */
  async propose(proposer: Signer): Promise<bigint> {
    await mined(this.proposeTx(proposer));
    const { targets, values, calldatas } = this.proposal;
    this.proposalId = await this.governor.getProposalId(targets, values, calldatas, this.descriptionHash);
    return this.proposalId;
  }

  async snapshot(): Promise<bigint> {
    return this.governor.proposalSnapshot(this.id);
  }

  async deadline(): Promise<bigint> {
    return this.governor.proposalDeadline(this.id);
  }

  async state(): Promise<bigint> {
    return this.governor.state(this.id);
  }

  /**
   * Mines a block at `snapshot + offset`. With the default offset 0 the proposal is still Pending
   * in that block and the next transaction (one second later) is the first that may vote.
   */
  async waitForSnapshot(offset = 0n): Promise<void> {
    await advanceTo(this.time, (await this.snapshot()) + offset);
  }

  /**
   * Mines a block at `deadline + offset`. With the default offset 0 the proposal is still Active in
   * that block and the next transaction falls after the deadline (the proposal is then decided).
   */
  async waitForDeadline(offset = 0n): Promise<void> {
    await advanceTo(this.time, (await this.deadline()) + offset);
  }

  /**
   * Mines a block at `eta + offset`. The Timelock operation is ready from `eta` on, so the next
   * transaction may execute.
   */
  async waitForEta(offset = 0n): Promise<void> {
    await advanceTo(this.time, (await this.governor.proposalEta(this.id)) + offset);
  }

  vote(voter: Signer, support: number, reason?: string): Promise<ContractTransactionResponse> {
    const governor = this.governor.connect(voter);
    return reason === undefined
      ? governor.castVote(this.id, support)
      : governor.castVoteWithReason(this.id, support, reason);
  }

  /** `voter` signs a Ballot; `relayer` submits it with castVoteBySig. */
  async voteBySig(voter: Signer, relayer: Signer, support: number): Promise<ContractTransactionResponse> {
    const signature = await signBallot(this.governor, voter, { proposalId: this.id, support });
    return this.governor.connect(relayer).castVoteBySig(this.id, support, await voter.getAddress(), signature);
  }

  queue(caller?: Signer): Promise<ContractTransactionResponse> {
    const governor = caller === undefined ? this.governor : this.governor.connect(caller);
    const { targets, values, calldatas } = this.proposal;
    return governor.queue(targets, values, calldatas, this.descriptionHash);
  }

  execute(caller?: Signer, value = 0n): Promise<ContractTransactionResponse> {
    const governor = caller === undefined ? this.governor : this.governor.connect(caller);
    const { targets, values, calldatas } = this.proposal;
    return governor.execute(targets, values, calldatas, this.descriptionHash, {
      value,
    });
  }

  cancel(caller: Signer): Promise<ContractTransactionResponse> {
    const { targets, values, calldatas } = this.proposal;
    return this.governor.connect(caller).cancel(targets, values, calldatas, this.descriptionHash);
  }

  /** The Timelock operation id of this proposal (for `isOperation*` checks on the Timelock). */
  async timelockSalt(): Promise<string> {
    return timelockSalt(await this.governor.getAddress(), this.descriptionHash);
  }

  /**
   * The whole walk: propose, vote For with every voter, queue and execute. Returns the id.
   * Voters must together carry quorum and outvote any opposition.
   */
  async pass(proposer: Signer, voters: Signer[]): Promise<bigint> {
    await this.propose(proposer);
    await this.waitForSnapshot();
    for (const voter of voters) await mined(this.vote(voter, VoteType.For));
    await this.waitForDeadline();
    await mined(this.queue());
    await this.waitForEta();
    await mined(this.execute());
    return this.id;
  }

  /**
   * Everything `pass` does but execute: propose, vote For with every voter, queue, and wait for the
   * ETA, so a test can assert on the execution itself. Unlike `pass`, it checks the state each step
   * leaves the proposal in (Pending, Active, Succeeded, Queued) and throws at the step that went
   * wrong. Returns the id.
   */
  async passToEta(proposer: Signer, voters: Signer[]): Promise<bigint> {
    await this.propose(proposer);
    await this.expectState(ProposalState.Pending);
    await this.waitForSnapshot(1n);
    await this.expectState(ProposalState.Active);
    for (const voter of voters) await mined(this.vote(voter, VoteType.For));
    await this.waitForDeadline(1n);
    await this.expectState(ProposalState.Succeeded);
    await mined(this.queue());
    await this.expectState(ProposalState.Queued);
    await this.waitForEta();
    return this.id;
  }

  private async expectState(expected: ProposalStateValue): Promise<void> {
    const actual = await this.state();
    if (actual !== expected) {
      throw new Error(
        `proposal ${this.id} is ${proposalStateName(actual)}, expected ${proposalStateName(expected)}`
      );
    }
  }
}

/** Shorthand for `new GovernorHelper(...).pass(...)`: runs a proposal to execution and returns the helper. */
export async function passProposal(
  governor: CommunityGovernor,
  time: TimeControl,
  proposal: ProposalSpec,
  proposer: Signer,
  voters: Signer[]
): Promise<GovernorHelper> {
  const helper = new GovernorHelper(governor, time, proposal);
  await helper.pass(proposer, voters);
  return helper;
}
