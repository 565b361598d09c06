/** CommunityGovernor: proposals, their state changes, votes and running tallies. */
import { ponder } from "ponder:registry";
import type { Context } from "ponder:registry";
import { proposal, vote } from "ponder:schema";
import type { Address, Hex } from "viem";
import { bumpStats, tokenOf } from "./stats.ts";

ponder.on("CommunityGovernor:ProposalCreated", async ({ event, context }) => {
  const token = await tokenOf(context, event.log.address);
  if (token === null) return;
  const a = event.args;
  const existing = await context.db.find(proposal, { token, proposalId: a.proposalId });
  if (existing) return;
  await context.db.insert(proposal).values({
    token,
    proposalId: a.proposalId,
    governor: event.log.address,
    proposer: a.proposer,
    description: a.description,
    targets: [...a.targets],
    values: [...a.values],
    calldatas: [...a.calldatas],
    voteStart: a.voteStart,
    voteEnd: a.voteEnd,
    status: "pending-or-active",
    eta: null,
    forVotes: 0n,
    againstVotes: 0n,
    abstainVotes: 0n,
    voteCount: 0,
    createdAt: Number(event.block.timestamp),
    createdBlock: event.block.number,
    logIndex: event.log.logIndex,
    txHash: event.transaction.hash,
  });
  await bumpStats(context, token, { proposals: 1 });
});

async function setProposal(
  context: Context,
  governor: Address,
  proposalId: bigint,
  values: { status?: string; eta?: bigint; voteEnd?: bigint },
): Promise<void> {
  const token = await tokenOf(context, governor);
  if (token === null) return;
  if (!(await context.db.find(proposal, { token, proposalId }))) return;
  await context.db.update(proposal, { token, proposalId }).set(values);
}

ponder.on("CommunityGovernor:ProposalQueued", async ({ event, context }) => {
  await setProposal(context, event.log.address, event.args.proposalId, { status: "queued", eta: event.args.etaSeconds });
});
ponder.on("CommunityGovernor:ProposalExecuted", async ({ event, context }) => {
  await setProposal(context, event.log.address, event.args.proposalId, { status: "executed" });
});
ponder.on("CommunityGovernor:ProposalCanceled", async ({ event, context }) => {
  await setProposal(context, event.log.address, event.args.proposalId, { status: "canceled" });
});
ponder.on("CommunityGovernor:ProposalExtended", async ({ event, context }) => {
  await setProposal(context, event.log.address, event.args.proposalId, { voteEnd: BigInt(event.args.extendedDeadline) });
});

interface CastVote {
  voter: Address;
  proposalId: bigint;
  support: number;
  weight: bigint;
  reason: string;
  params: Hex;
}

async function recordVote(
  context: Context,
  event: { log: { address: Address; logIndex: number }; block: { number: bigint; timestamp: bigint }; transaction: { hash: Hex } },
  cast: CastVote,
): Promise<void> {
  const token = await tokenOf(context, event.log.address);
  if (token === null) return;
  const key = { token, proposalId: cast.proposalId, voter: cast.voter };
  if (await context.db.find(vote, key)) return;
  await context.db.insert(vote).values({
    ...key,
    support: cast.support,
    weight: cast.weight,
    reason: cast.reason,
    params: cast.params,
    createdAt: Number(event.block.timestamp),
    block: event.block.number,
    logIndex: event.log.logIndex,
    txHash: event.transaction.hash,
  });
  if (!(await context.db.find(proposal, { token, proposalId: cast.proposalId }))) return;
  await context.db.update(proposal, { token, proposalId: cast.proposalId }).set((row) => ({
    againstVotes: row.againstVotes + (cast.support === 0 ? cast.weight : 0n),
    forVotes: row.forVotes + (cast.support === 1 ? cast.weight : 0n),
    abstainVotes: row.abstainVotes + (cast.support === 2 ? cast.weight : 0n),
    voteCount: row.voteCount + 1,
  }));
}

ponder.on("CommunityGovernor:VoteCast", async ({ event, context }) => {
  await recordVote(context, event, { ...event.args, params: "0x" });
});
ponder.on("CommunityGovernor:VoteCastWithParams", async ({ event, context }) => {
  await recordVote(context, event, { ...event.args });
});
