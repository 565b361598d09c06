/**
 * The indexer under faults (issue 13 item 4), on the harness's chain and indexer (harness.ts), on
 * PGlite and, through `npm run test:indexer`, on PostgreSQL:
 *
 * - the indexer's whole process group killed in the middle of its backfill of a longer history
 *   (scripts/lib/history.ts), then `ponder start` again on the same database: once /ready, every
 *   community, holder, proposal and vote matches the chain, nothing lost and nothing counted twice.
 *   On PostgreSQL the kill is a SIGKILL (a crash: the database server is another process and
 *   survives it). On PGlite the database runs inside the indexer's own process, and PGlite 0.2
 *   (Ponder 1.0's) does not reliably reopen a directory it was SIGKILLed writing to (a known PGlite
 *   limitation: a stale lock and an unreplayed WAL; one such run here hung after the restart), so
 *   there the kill is a SIGTERM, what Ctrl-C or a process manager sends; docs/indexer.md says to
 *   run production on PostgreSQL and that a PGlite directory after a hard kill is re-created;
 * - a reorganisation: `evm_snapshot`, transfers and votes, indexed; `evm_revert`, then different
 *   transfers and votes: the indexed state follows the chain (the reverted rows are gone, the new
 *   ones are there). The reverted branch stays shorter than Ponder's finality depth for a local
 *   chain (30 blocks), as a real reorganisation on the chains Coterie targets does.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPublicClient, encodeFunctionData, getAddress, http, type Address, type Hex } from "viem";
import { readPlatformAddresses } from "../../scripts/lib/deployments.ts";
import { generateHistory, syntheticAddress, type GeneratedHistory } from "../../scripts/lib/history.ts";
import { communityGovernorAbi, socialTokenAbi } from "../generated/abis.ts";
import { startChain, startIndexer, waitForIndexed, type Chain, type Indexer } from "./harness.ts";

interface Community {
  token: string;
  name: string;
  totalSupply: string;
  holders: number;
  proposals: number;
}
interface Holder {
  account: string;
  balance: string;
  votes: string;
}
interface Vote {
  voter: string;
  support: number;
  weight: string;
  txHash: string;
}
interface Proposal {
  id: string;
  forVotes: string;
  againstVotes: string;
  abstainVotes: string;
  votes: number;
}
interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

/** Every item of a paged list. */
async function all<T>(indexer: Indexer, path: string): Promise<T[]> {
  const items: T[] = [];
  let cursor: string | null = null;
  do {
    const sep = path.includes("?") ? "&" : "?";
    const { status, body }: { status: number; body: Page<T> } = await indexer.get<Page<T>>(`${path}${sep}limit=100${cursor === null ? "" : `&cursor=${encodeURIComponent(cursor)}`}`);
    expect(status, `GET ${path}`).toBe(200);
    items.push(...body.items);
    cursor = body.nextCursor;
  } while (cursor !== null);
  return items;
}

function client(chain: Chain) {
  return createPublicClient({ transport: http(chain.rpcUrl) });
}

/** Sends a transaction from an unlocked dev account (automine) and checks that it succeeded. */
async function send(chain: Chain, from: string, to: string, data: Hex): Promise<void> {
  const hash = await chain.rpc<Hex>("eth_sendTransaction", [{ from, to, data }]);
  const receipt = await chain.rpc<{ status: string }>("eth_getTransactionReceipt", [hash]);
  expect(receipt.status, `transaction ${hash}`).toBe("0x1");
}

/**
 * Compares the indexer with the chain for every community of `history`: total supply, holders
 * (each balance and voting power), proposals and each proposal's votes (count, voters, tallies).
 */
async function expectMatchesChain(indexer: Indexer, chain: Chain, history: GeneratedHistory): Promise<void> {
  const pc = client(chain);
  const listed = await all<Community>(indexer, "/api/communities");
  const byToken = new Map(listed.map((c) => [getAddress(c.token), c]));
  // Each community listed once (a doubled CommunityCreated would list it twice).
  expect(byToken.size).toBe(listed.length);
  for (const c of history.communities) {
    const indexed = byToken.get(getAddress(c.token));
    expect(indexed, `community ${c.token}`).toBeDefined();
    const token = c.token as Address;
    const supply = await pc.readContract({ address: token, abi: socialTokenAbi, functionName: "totalSupply" });
    expect(indexed!.totalSupply).toBe(supply.toString());
    const holders = await all<Holder>(indexer, `/api/communities/${c.token}/holders`);
    const expected = [c.creator, ...c.holders];
    expect(holders.map((h) => getAddress(h.account)).sort()).toEqual(expected.map((a) => getAddress(a)).sort());
    expect(indexed!.holders).toBe(expected.length);
    for (const h of holders) {
      const account = getAddress(h.account);
      const [balance, votes] = await Promise.all([
        pc.readContract({ address: token, abi: socialTokenAbi, functionName: "balanceOf", args: [account] }),
        pc.readContract({ address: token, abi: socialTokenAbi, functionName: "getVotes", args: [account] }),
      ]);
      expect(h.balance, `balance of ${account} in ${c.token}`).toBe(balance.toString());
      expect(h.votes, `votes of ${account} in ${c.token}`).toBe(votes.toString());
    }
    const proposals = history.proposals.filter((p) => getAddress(p.token) === getAddress(c.token));
    expect(indexed!.proposals).toBe(proposals.length);
    const indexedProposals = await all<Proposal>(indexer, `/api/communities/${c.token}/proposals`);
    expect(indexedProposals.map((p) => p.id).sort()).toEqual(proposals.map((p) => p.id.toString()).sort());
    for (const p of proposals) {
      const detail = await indexer.get<Proposal & { votes: Page<Vote> }>(`/api/communities/${c.token}/proposals/${p.id}?limit=100`);
      expect(detail.status).toBe(200);
      expect(detail.body.votes.nextCursor).toBe(null);
      expect(detail.body.votes.items.map((v) => getAddress(v.voter)).sort()).toEqual(p.voters.map((v) => getAddress(v)).sort());
      const [against, forVotes, abstain] = await pc.readContract({ address: p.governor as Address, abi: communityGovernorAbi, functionName: "proposalVotes", args: [p.id] });
      expect([detail.body.forVotes, detail.body.againstVotes, detail.body.abstainVotes]).toEqual([forVotes.toString(), against.toString(), abstain.toString()]);
      expect(indexedProposals.find((x) => x.id === p.id.toString())!.votes).toBe(p.voters.length);
    }
  }
}

// A crash where the database survives it (PostgreSQL); a shutdown signal where it does not (PGlite).
const KILL_SIGNAL: NodeJS.Signals = process.env.COTERIE_TEST_DATABASE_URL ? "SIGKILL" : "SIGTERM";

describe(`a ${KILL_SIGNAL} mid-backfill, then a restart on the same database, loses and doubles nothing`, () => {
  let chain: Chain;
  let history: GeneratedHistory;
  const indexers: Indexer[] = [];

  beforeAll(async () => {
    chain = await startChain({ seed: false });
    const { factory } = readPlatformAddresses(chain.deploymentId);
    // Long enough that the backfill takes a while: about 1,300 transactions, 4,000 logs.
    history = await generateHistory(chain.rpcUrl, factory, { communities: 30, holders: 300, proposals: 30, votes: 600 }, "faults");
  });
  afterAll(async () => {
    // The restarted one first: the first one's stop removes the PGlite directory they share.
    for (const i of indexers.reverse()) await i.stop();
    await chain?.stop();
  });

  it("the restarted indexer agrees with the chain on every community, holder, proposal and vote", async () => {
    const first = await startIndexer(chain, { ready: false });
    indexers.push(first);
    // Mid-sync: some events indexed (a checkpoint past the deployment), the backfill not done.
    const head = await chain.blockNumber();
    let progressed = false;
    for (let i = 0; i < 6_000 && !progressed; i++) {
      const answer = await first.get<Record<string, { block: { number: number } | null; ready: boolean }>>("/status").catch(() => null); // null: not listening yet
      const net = answer?.status === 200 && answer.body !== null ? Object.values(answer.body)[0] : undefined; // null until the database is set up
      progressed = net !== undefined && net.block !== null && net.block.number > history.fromBlock && !net.ready;
      if (net?.ready === true) throw new Error("the backfill finished before the indexer could be killed: make the history longer");
      if (!progressed) await new Promise((r) => setTimeout(r, 100));
    }
    expect(progressed, "the indexer made progress in its backfill").toBe(true);
    await first.kill(KILL_SIGNAL);
    expect(head).toBeGreaterThan(history.fromBlock);

    const second = await startIndexer(chain, { ...(first.dbDir === null ? {} : { dbDir: first.dbDir }), schema: first.schema });
    indexers.push(second);
    await waitForIndexed(second, chain);
    await expectMatchesChain(second, chain, history);
  }, 900_000);
});

describe("after a reorganisation (evm_snapshot, evm_revert) the indexed state follows the chain", () => {
  let chain: Chain;
  let indexer: Indexer;

  beforeAll(async () => {
    chain = await startChain();
    indexer = await startIndexer(chain);
  });
  afterAll(async () => {
    await indexer?.stop();
    await chain?.stop();
  });

  it("reverted transfers and votes are gone and the new branch's are there", async () => {
    const { community, liveProposalId } = chain.demo;
    const token = community.token as Address;
    const governor = community.governor as Address;
    const proposalId = BigInt(liveProposalId);
    const [, creator, , fan2, fan3] = chain.accounts;
    const pc = client(chain);
    for (const fan of [fan2!, fan3!]) {
      expect(await pc.readContract({ address: governor, abi: communityGovernorAbi, functionName: "hasVoted", args: [proposalId, fan] })).toBe(false);
    }
    const reverted = syntheticAddress("reorg.reverted");
    const kept = syntheticAddress("reorg.kept");
    const transfer = (to: string, amount: bigint) => encodeFunctionData({ abi: socialTokenAbi, functionName: "transfer", args: [to as Address, amount] });
    const vote = (support: number) => encodeFunctionData({ abi: communityGovernorAbi, functionName: "castVoteWithReason", args: [proposalId, support, "reorg test"] });

    const snapshot = await chain.rpc<string>("evm_snapshot");
    await send(chain, creator!, token, transfer(reverted, 111n * 10n ** 18n));
    await send(chain, fan2!, governor, vote(1));
    await waitForIndexed(indexer, chain);
    const before = await all<Holder>(indexer, `/api/communities/${token}/holders`);
    expect(before.some((h) => getAddress(h.account) === reverted)).toBe(true);
    const votesBefore = await indexer.get<{ votes: Page<Vote> }>(`/api/communities/${token}/proposals/${proposalId}?limit=100`);
    expect(votesBefore.body.votes.items.filter((v) => getAddress(v.voter) === getAddress(fan2!)).map((v) => v.support)).toEqual([1]);

    expect(await chain.rpc<boolean>("evm_revert", [snapshot])).toBe(true);
    // The new branch: other transfers and other votes, and a little longer than the reverted one.
    await send(chain, creator!, token, transfer(kept, 222n * 10n ** 18n));
    await send(chain, fan2!, governor, vote(0));
    await send(chain, fan3!, governor, vote(2));
    await chain.rpc("evm_mine");
    await waitForIndexed(indexer, chain);

    const holders = await all<Holder>(indexer, `/api/communities/${token}/holders`);
    expect(holders.some((h) => getAddress(h.account) === reverted)).toBe(false);
    expect(holders.find((h) => getAddress(h.account) === kept)?.balance).toBe((222n * 10n ** 18n).toString());
    for (const h of holders) {
      const balance = await pc.readContract({ address: token, abi: socialTokenAbi, functionName: "balanceOf", args: [getAddress(h.account)] });
      expect(h.balance).toBe(balance.toString());
    }
    const account = await indexer.get<{ communities: Array<{ token: string }> }>(`/api/accounts/${reverted}`);
    expect(account.status).toBe(200);
    expect(account.body.communities).toEqual([]);

    const detail = await indexer.get<Proposal & { votes: Page<Vote> }>(`/api/communities/${token}/proposals/${proposalId}?limit=100`);
    const byVoter = new Map(detail.body.votes.items.map((v) => [getAddress(v.voter), v.support]));
    expect(byVoter.get(getAddress(fan2!))).toBe(0);
    expect(byVoter.get(getAddress(fan3!))).toBe(2);
    expect(detail.body.votes.items.filter((v) => getAddress(v.voter) === getAddress(fan2!))).toHaveLength(1);
    const [against, forVotes, abstain] = await pc.readContract({ address: governor, abi: communityGovernorAbi, functionName: "proposalVotes", args: [proposalId] });
    expect([detail.body.forVotes, detail.body.againstVotes, detail.body.abstainVotes]).toEqual([forVotes.toString(), against.toString(), abstain.toString()]);
    expect(detail.body.votes.items).toHaveLength(byVoter.size);
  }, 600_000);
});
