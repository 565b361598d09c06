/**
 * The Vote tab's proposal titles and ids: from the indexer's proposal list when the chain names an
 * indexer and it answers (GET /api/communities/:token/proposals, every page), else from the
 * governor's ProposalCreated logs (reads/governance.ts `fetchGovernorLogs`). Either way the result
 * has the shape of the logs, so `fetchProposalPage` uses it the same; the indexer's list carries no
 * votes (a proposal's page reads them from the logs). States, tallies and quorums are always read
 * on chain by the page's multicall; a proposal's page shows a description only when it matches the
 * hash the governor stored.
 */
import type { Address } from "viem";
import { fetchGovernorLogs, type GovernorLogs, type ProposalCreatedInfo, type ReadClient } from "./governance.ts";
import { allPages, preferIndexer, type IndexerClient, type IndexerProposal } from "./indexer.ts";
import type { LogsClient } from "./logs.ts";

export function createdFromIndexer(p: IndexerProposal): ProposalCreatedInfo {
  return {
    id: p.id,
    proposer: p.proposer,
    targets: p.targets,
    values: p.values,
    calldatas: p.calldatas,
    voteStart: BigInt(p.voteStart),
    voteEnd: BigInt(p.voteEnd),
    description: p.description,
    blockNumber: p.createdBlock,
    transactionHash: p.txHash,
  };
}

/** Every proposal the indexer lists for `token`, as the logs would give them (no votes). */
export async function proposalsFromIndexer(indexer: IndexerClient, token: Address): Promise<GovernorLogs> {
  const items = await allPages((cursor) => indexer.proposals(token, { limit: 100, cursor }));
  return { created: new Map(items.map((p) => [p.id.toString(), createdFromIndexer(p)])), votes: [] };
}

export interface ProposalList extends GovernorLogs {
  source: "indexer" | "chain";
}

/** The proposal list of a community: the indexer's, or the governor's logs from `fromBlock` on. */
export async function readProposalList(
  client: ReadClient & LogsClient,
  options: { governor: Address; token: Address; fromBlock: bigint; indexer: IndexerClient | null },
): Promise<ProposalList> {
  const { value, source } = await preferIndexer(
    options.indexer,
    (indexer) => proposalsFromIndexer(indexer, options.token),
    () => fetchGovernorLogs(client, options.governor, options.fromBlock),
  );
  return { ...value, source };
}
