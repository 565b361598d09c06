/**
 * A synthetic Coterie history on a local `hardhat node` (automine), for the indexer's benchmark
 * (scripts/bench-indexer.ts) and its tests at a smaller size: communities, fans holding their
 * tokens, proposals and votes, all through the deployed platform's real contracts.
 *
 * Fast: the senders are generated addresses funded with `hardhat_setBalance` and unlocked with
 * `hardhat_impersonateAccount` (no signing in JavaScript), every transaction carries an explicit
 * nonce and gas limit (no estimation round trip), and they go to the node in JSON-RPC batches.
 *
 * Shape, for `size` = { communities C, holders H, proposals P, votes V }:
 * - C creators (one each) create a community each (1-second voting delay so votes follow at once);
 * - H fans; community i is held by K = max(ceil(V / P), ceil(H / C)) of them, a window of the fans
 *   starting at fan i * ceil(H / C) (so every fan holds something and windows overlap), each sent
 *   a distinct amount by the creator (self-delegated on receipt: voting power without a delegate call);
 * - P proposals, round-robin over the communities, proposed by their creators;
 * - after the voting delay, V votes: proposal j gets ceil(V / P) (fewer for the last) votes from its
 *   community's holders, support 0/1/2 in turn.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { Interface, getAddress, id, keccak256, parseEther, toBeHex, toUtf8Bytes } from "ethers";
import { ROOT } from "./deployments.ts";

export interface HistorySize {
  communities: number;
  holders: number;
  proposals: number;
  votes: number;
}

/** The benchmark's size (issue 13). */
export const BENCH_SIZE: HistorySize = { communities: 200, holders: 2_000, proposals: 200, votes: 5_000 };

export interface GeneratedCommunity {
  id: bigint;
  creator: string;
  token: string;
  governor: string;
  holders: string[];
}

export interface GeneratedHistory {
  communities: GeneratedCommunity[];
  proposals: Array<{ token: string; governor: string; id: bigint; voters: string[] }>;
  /** Transactions sent (creations, transfers, proposals, votes). */
  transactions: number;
  /** The blocks the history spans. */
  fromBlock: number;
  toBlock: number;
  seconds: number;
}

function abi(path: string): Interface {
  const artifact = JSON.parse(readFileSync(join(ROOT, "artifacts", "contracts", path), "utf8")) as { abi: ConstructorParameters<typeof Interface>[0] };
  return new Interface(artifact.abi);
}

/** A deterministic address for `label` (nobody holds its key: it only ever sends impersonated). */
export function syntheticAddress(label: string): string {
  return getAddress(`0x${keccak256(toUtf8Bytes(`coterie.history.${label}`)).slice(-40)}`);
}

interface Tx {
  from: string;
  to: string;
  data: string;
  gas: number;
  value?: bigint;
}

/** A JSON-RPC client for the node, with batches. */
export class Rpc {
  private nextId = 1;
  constructor(readonly url: string) {}

  async batch(calls: Array<{ method: string; params: unknown[] }>): Promise<unknown[]> {
    if (calls.length === 0) return [];
    const body = calls.map((c) => ({ jsonrpc: "2.0", id: this.nextId++, method: c.method, params: c.params }));
    const res = await fetch(this.url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
    const answers = (await res.json()) as Array<{ id: number; result?: unknown; error?: { message: string } }>;
    const byId = new Map(answers.map((a) => [a.id, a]));
    return body.map((b, i) => {
      const a = byId.get(b.id);
      if (a === undefined) throw new Error(`${calls[i]!.method}: no answer`);
      if (a.error !== undefined) throw new Error(`${calls[i]!.method}: ${a.error.message}`);
      return a.result;
    });
  }

  async call<T = unknown>(method: string, params: unknown[] = []): Promise<T> {
    return (await this.batch([{ method, params }]))[0] as T;
  }
}

interface Receipt {
  status: string;
  logs: Array<{ address: string; topics: string[]; data: string }>;
}

/** Sends `txs` in batches of `batchSize` (in order: a sender's nonces ascend), with explicit nonces; returns their receipts. */
async function sendAll(rpc: Rpc, txs: Tx[], nonces: Map<string, number>, batchSize = 250): Promise<Receipt[]> {
  const all: Receipt[] = [];
  for (let i = 0; i < txs.length; i += batchSize) {
    const calls = txs.slice(i, i + batchSize).map((tx) => {
      const nonce = nonces.get(tx.from) ?? 0;
      nonces.set(tx.from, nonce + 1);
      return {
        method: "eth_sendTransaction",
        params: [{ from: tx.from, to: tx.to, data: tx.data, gas: toBeHex(tx.gas), nonce: toBeHex(nonce), value: toBeHex(tx.value ?? 0n) }],
      };
    });
    const hashes = (await rpc.batch(calls)) as string[];
    // Automine: each is mined when it is accepted; check the last of the batch succeeded, and all when one failed.
    const receipts = (await rpc.batch(hashes.map((h) => ({ method: "eth_getTransactionReceipt", params: [h] })))) as Array<Receipt | null>;
    const failed = receipts.findIndex((r) => r === null || r.status !== "0x1");
    if (failed >= 0) throw new Error(`history: transaction ${hashes[failed]} (${calls[failed]!.params[0]!.from} -> ${calls[failed]!.params[0]!.to}) failed or was not mined`);
    all.push(...(receipts as Receipt[]));
  }
  return all;
}

/** Funds and unlocks `accounts` on the node. */
async function unlock(rpc: Rpc, accounts: string[]): Promise<void> {
  const balance = toBeHex(parseEther("1000"));
  for (let i = 0; i < accounts.length; i += 500) {
    const chunk = accounts.slice(i, i + 500);
    await rpc.batch(chunk.flatMap((a) => [
      { method: "hardhat_setBalance", params: [a, balance] },
      { method: "hardhat_impersonateAccount", params: [a] },
    ]));
  }
}

/**
 * Generates the history on the node at `rpcUrl` through the platform's `factory`. `seed` varies
 * the names and addresses, so two histories on one chain do not collide.
 */
export async function generateHistory(rpcUrl: string, factory: string, size: HistorySize, seed = "bench"): Promise<GeneratedHistory> {
  const started = Date.now();
  const rpc = new Rpc(rpcUrl);
  const factoryAbi = abi("factory/CommunityFactory.sol/CommunityFactory.json");
  const tokenAbi = abi("token/SocialToken.sol/SocialToken.json");
  const governorAbi = abi("governance/CommunityGovernor.sol/CommunityGovernor.json");
  const fromBlock = Number(await rpc.call<string>("eth_blockNumber")) + 1;

  const creators = Array.from({ length: size.communities }, (_, i) => syntheticAddress(`${seed}.creator.${i}`));
  const fans = Array.from({ length: size.holders }, (_, i) => syntheticAddress(`${seed}.fan.${i}`));
  await unlock(rpc, [...creators, ...fans]);
  const nonces = new Map<string, number>();

  // Communities.
  const fee = BigInt(factoryAbi.decodeFunctionResult("creationFee", (await rpc.call<string>("eth_call", [{ to: factory, data: factoryAbi.encodeFunctionData("creationFee") }, "latest"])) as string)[0] as bigint);
  const cap = parseEther("10000000");
  await sendAll(
    rpc,
    creators.map((creator, i) => ({
      from: creator,
      to: factory,
      value: fee,
      gas: 6_000_000,
      data: factoryAbi.encodeFunctionData("createCommunity", [
        {
          name: `${seed} community ${i}`,
          symbol: `B${i}`,
          cap,
          creatorAllocation: parseEther("1000000"),
          votingDelay: 1,
          votingPeriod: 7 * 86_400,
          proposalThreshold: parseEther("1"),
          quorumBps: 400,
          lateQuorumExtension: 86_400,
          timelockDelay: 86_400,
          salt: id(`${seed}.salt.${i}`),
          rewardVaultConfig: "0x",
        },
      ]),
    })),
    nonces,
  );
  const communities: GeneratedCommunity[] = [];
  const predicted = (await rpc.batch(
    creators.map((creator, i) => ({ method: "eth_call", params: [{ to: factory, data: factoryAbi.encodeFunctionData("predictAddresses", [creator, id(`${seed}.salt.${i}`)]) }, "latest"] })),
  )) as string[];
  const perCommunity = Math.max(Math.ceil(size.votes / Math.max(size.proposals, 1)), Math.ceil(size.holders / Math.max(size.communities, 1)));
  const stride = Math.ceil(size.holders / Math.max(size.communities, 1));
  creators.forEach((creator, i) => {
    const addresses = factoryAbi.decodeFunctionResult("predictAddresses", predicted[i]!)[0] as { token: string; governor: string };
    const holders = Array.from({ length: Math.min(perCommunity, fans.length) }, (_, j) => fans[(i * stride + j) % fans.length]!);
    communities.push({ id: BigInt(i), creator, token: addresses.token, governor: addresses.governor, holders });
  });

  // Holders: distinct amounts, so balances order without ties.
  const transfers: Tx[] = [];
  communities.forEach((c) =>
    c.holders.forEach((fan, j) => transfers.push({ from: c.creator, to: c.token, gas: 200_000, data: tokenAbi.encodeFunctionData("transfer", [fan, parseEther(String(100 + j))]) })),
  );
  await sendAll(rpc, transfers, nonces);

  // Proposals.
  const proposals: GeneratedHistory["proposals"] = [];
  const proposeTxs: Tx[] = [];
  for (let j = 0; j < size.proposals; j++) {
    const c = communities[j % communities.length]!;
    const description = `${seed} proposal ${j}: pay fan ${c.holders[0]}`;
    proposeTxs.push({ from: c.creator, to: c.governor, gas: 1_000_000, data: governorAbi.encodeFunctionData("propose", [[c.holders[0]!], [0n], ["0x"], description]) });
    proposals.push({ token: c.token, governor: c.governor, id: 0n, voters: [] });
  }
  const proposed = await sendAll(rpc, proposeTxs, nonces);
  const createdTopic = governorAbi.getEvent("ProposalCreated")!.topicHash;
  proposed.forEach((receipt, j) => {
    const log = receipt.logs.find((l) => l.topics[0] === createdTopic);
    if (log === undefined) throw new Error(`history: proposal ${j} emitted no ProposalCreated`);
    proposals[j]!.id = governorAbi.parseLog(log)!.args.proposalId as bigint;
  });

  // Votes, once voting is open.
  await rpc.call("evm_increaseTime", [2]);
  await rpc.call("evm_mine");
  const perProposal = Math.ceil(size.votes / Math.max(size.proposals, 1));
  const voteTxs: Tx[] = [];
  let remaining = size.votes;
  proposals.forEach((p, j) => {
    const c = communities[j % communities.length]!;
    const n = Math.min(perProposal, remaining, c.holders.length);
    remaining -= n;
    for (let k = 0; k < n; k++) {
      const voter = c.holders[k]!;
      p.voters.push(voter);
      voteTxs.push({ from: voter, to: p.governor, gas: 300_000, data: governorAbi.encodeFunctionData("castVoteWithReason", [p.id, k % 3, `vote ${k}`]) });
    }
  });
  if (remaining > 0) throw new Error(`history: ${remaining} votes do not fit (${size.proposals} proposals x ${perCommunity} holders)`);
  await sendAll(rpc, voteTxs, nonces);

  const toBlock = Number(await rpc.call<string>("eth_blockNumber"));
  return {
    communities,
    proposals,
    transactions: creators.length + transfers.length + proposeTxs.length + voteTxs.length,
    fromBlock,
    toBlock,
    seconds: (Date.now() - started) / 1000,
  };
}

/** Counts the logs emitted in [fromBlock, toBlock] (what the indexer reads, at most), in ranges of `step` blocks. */
export async function countLogs(rpc: Rpc, fromBlock: number, toBlock: number, step = 2_000): Promise<number> {
  let count = 0;
  for (let b = fromBlock; b <= toBlock; b += step) {
    const logs = await rpc.call<unknown[]>("eth_getLogs", [{ fromBlock: toBeHex(b), toBlock: toBeHex(Math.min(toBlock, b + step - 1)) }]);
    count += logs.length;
  }
  return count;
}
