/**
 * Test helpers for the platform: a minimal propose → vote → queue → execute walker for a
 * CommunityGovernor (the platform's or any community's), the proposal states, and small utilities
 * the factory tests share (EIP-1167 runtime code, impersonating the platform Timelock).
 *
 * The walker drives real time travel: it waits the voting delay, reads the (possibly late-quorum
 * extended) deadline and the Timelock ETA from the governor rather than assuming them.
 */
import { id, type Signer, type ContractTransactionReceipt } from "ethers";
import type { Time } from "@nomicfoundation/hardhat-network-helpers/types";
import type { CommunityGovernor } from "../../typechain-types/index.ts";

/** OpenZeppelin `IGovernor.ProposalState`. */
export enum ProposalState {
  Pending = 0,
  Active = 1,
  Canceled = 2,
  Defeated = 3,
  Succeeded = 4,
  Queued = 5,
  Expired = 6,
  Executed = 7,
}

/** Governor Bravo support values. */
export enum VoteType {
  Against = 0,
  For = 1,
  Abstain = 2,
}

/** One call of a proposal. */
export interface ProposalCall {
  target: string;
  data: string;
  value?: bigint;
}

/** The four arrays a Governor takes, plus the description and its hash. */
export interface Proposal {
  targets: string[];
  values: bigint[];
  calldatas: string[];
  description: string;
  descriptionHash: string;
}

/** Builds a proposal from its calls. */
export function buildProposal(calls: ProposalCall[], description: string): Proposal {
  return {
    targets: calls.map((c) => c.target),
    values: calls.map((c) => c.value ?? 0n),
    calldatas: calls.map((c) => c.data),
    description,
    descriptionHash: id(description),
  };
}

/**
 * `GovernorUnexpectedProposalState`'s `expectedStates` argument: one bit per accepted state,
 * as OpenZeppelin's `_encodeStateBitmap`, as a 32-byte hex string.
 */
export function stateBitmap(...states: ProposalState[]): string {
  let bits = 0n;
  for (const s of states) bits |= 1n << BigInt(s);
  return "0x" + bits.toString(16).padStart(64, "0");
}

async function mined(tx: Promise<{ wait(): Promise<ContractTransactionReceipt | null> }>): Promise<ContractTransactionReceipt> {
  const receipt = await (await tx).wait();
  if (receipt === null) throw new Error("transaction was not mined");
  return receipt;
}

/**
 * Walks one proposal through a governor. Each step checks the state it leaves the proposal in,
 * so a walk that silently goes wrong fails at the step that went wrong.
 */
export class ProposalWalker {
  /** Set by {propose}. */
  proposalId: bigint | undefined;

  constructor(
    readonly governor: CommunityGovernor,
    readonly time: Time,
    readonly proposal: Proposal,
  ) {}

  private get pid(): bigint {
    if (this.proposalId === undefined) throw new Error("propose() first");
    return this.proposalId;
  }

  /** Submits the proposal; returns its id. */
  async propose(proposer: Signer): Promise<bigint> {
    const { targets, values, calldatas, description } = this.proposal;
    await mined(this.governor.connect(proposer).propose(targets, values, calldatas, description));
    this.proposalId = await this.governor.getProposalId(targets, values, calldatas, this.proposal.descriptionHash);
    await this.expectState(ProposalState.Pending);
    return this.proposalId;
  }

  /** Moves past the snapshot so voting is open. */
  async waitForVoting(): Promise<void> {
    const snapshot = await this.governor.proposalSnapshot(this.pid);
    await this.time.increaseTo(snapshot + 1n);
    await this.expectState(ProposalState.Active);
  }

  /** Each voter casts `support`. */
  async vote(support: VoteType, ...voters: Signer[]): Promise<void> {
    for (const voter of voters) {
      await mined(this.governor.connect(voter).castVote(this.pid, support));
    }
  }

  /** Moves past the (possibly extended) deadline; returns the resulting state. */
  async waitForDeadline(): Promise<ProposalState> {
    const deadline = await this.governor.proposalDeadline(this.pid);
    await this.time.increaseTo(deadline + 1n);
    return this.state();
  }

  /** Queues the proposal in the Timelock. */
  async queue(): Promise<ContractTransactionReceipt> {
    const receipt = await mined(this.governor["queue(uint256)"](this.pid));
    await this.expectState(ProposalState.Queued);
    return receipt;
  }

  /** Moves to the Timelock's ETA. */
  async waitForEta(): Promise<void> {
    const eta = await this.governor.proposalEta(this.pid);
    if (eta === 0n) throw new Error("proposal has no ETA: was it queued?");
    await this.time.increaseTo(eta);
  }

  /** Executes the proposal (anyone may: the executor role is open). */
  async execute(executor?: Signer): Promise<ContractTransactionReceipt> {
    const gov = executor === undefined ? this.governor : this.governor.connect(executor);
    const receipt = await mined(gov["execute(uint256)"](this.pid));
    await this.expectState(ProposalState.Executed);
    return receipt;
  }

  /**
   * propose → every voter (the proposer when none is given) votes For → queue → wait for the ETA.
   * Leaves the proposal ready to execute, so a test can assert on the execution itself; returns its id.
   */
  async passToExecution(proposer: Signer, ...voters: Signer[]): Promise<bigint> {
    const proposalId = await this.propose(proposer);
    await this.waitForVoting();
    await this.vote(VoteType.For, ...(voters.length > 0 ? voters : [proposer]));
    const state = await this.waitForDeadline();
    if (state !== ProposalState.Succeeded) {
      throw new Error(`proposal ended ${ProposalState[state]}, expected Succeeded`);
    }
    await this.queue();
    await this.waitForEta();
    return proposalId;
  }

  /** {passToExecution}, then execute; returns the execution receipt. */
  async passAndExecute(proposer: Signer, ...voters: Signer[]): Promise<ContractTransactionReceipt> {
    await this.passToExecution(proposer, ...voters);
    return this.execute();
  }

  async state(): Promise<ProposalState> {
    return Number(await this.governor.state(this.pid)) as ProposalState;
  }

  private async expectState(expected: ProposalState): Promise<void> {
    const actual = await this.state();
    if (actual !== expected) {
      throw new Error(`proposal ${this.pid} is ${ProposalState[actual]}, expected ${ProposalState[expected]}`);
    }
  }
}

/** The 45-byte EIP-1167 runtime code of a minimal proxy delegating to `implementation`. */
export function minimalProxyRuntime(implementation: string): string {
  return (
    "0x363d3d373d3d3d363d73" + implementation.slice(2).toLowerCase() + "5af43d82803e903d91602b57fd5bf3"
  );
}
