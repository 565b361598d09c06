/**
 * Every number the indexer serves equals what the contracts report: for the seeded demo history,
 * after more activity (a voucher redeemed with a referrer, a holder emptied and refilled, a delegation
 * moved, a revenue claim), and after a local-chain reorg (evm_revert) that removes indexed blocks.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPublicClient, createWalletClient, getAddress, http, zeroAddress, type Address, type Hex } from "viem";
import { hardhat } from "viem/chains";
import { parseClaimLink } from "../../shared/rewards.ts";
import {
  communityFactoryAbi,
  communityGovernorAbi,
  crowdfundAbi,
  revenueShareAbi,
  rewardVaultAbi,
  socialTokenAbi,
} from "../generated/abis.ts";
import { startChain, startIndexer, waitForIndexed, type Chain, type Indexer } from "./harness.ts";

interface Page<T> {
  items: T[];
  nextCursor: string | null;
}
interface Community {
  id: string;
  token: Address;
  name: string;
  symbol: string;
  governor: Address;
  rewardVault: Address;
  revenueShare: Address | null;
  verified: boolean;
  platform: boolean;
  totalSupply: string;
  holders: number;
  proposals: number;
  crowdfunds: number;
}
interface Holder {
  account: Address;
  balance: string;
  votes: string;
  delegate: Address | null;
}
interface Proposal {
  id: string;
  status: string;
  eta: number | null;
  voteStart: number;
  voteEnd: number;
  forVotes: string;
  againstVotes: string;
  abstainVotes: string;
  votes: number;
  targets: Address[];
}
interface Vote {
  voter: Address;
  support: number;
  weight: string;
}
interface Crowdfund {
  address: Address;
  raised: string;
  status: string;
  contributors: number;
  goal: string;
}
interface Deposit {
  revenueShare: Address;
  asset: Address;
  depositId: string;
  amount: string;
  supply: string;
}
interface Account {
  communities: Array<{ token: Address; balance: string; votes: string; delegate: Address | null }>;
  referrals: { perCommunity: Array<{ token: Address; referred: number; bonusCredited: string; bonusClaimed: string; crowdfundReferred: number }> };
  contributions: Array<{ crowdfund: Address; amount: string; referrer: Address | null }>;
  revenueClaims: Array<{ token: Address; asset: Address; amount: string }>;
}

let chain: Chain;
let indexer: Indexer;
let client: ReturnType<typeof createPublicClient>;

beforeAll(async () => {
  chain = await startChain();
  try {
    indexer = await startIndexer(chain);
  } catch (error) {
    await chain.stop();
    throw error;
  }
  client = createPublicClient({ chain: hardhat, transport: http(chain.rpcUrl) });
});

afterAll(async () => {
  await indexer?.stop();
  await chain?.stop();
});

async function ok<T>(path: string): Promise<T> {
  const res = await indexer.get<T>(path);
  if (res.status !== 200) throw new Error(`GET ${path}: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

/** Every item of a paged list, walking nextCursor with small pages. */
async function all<T>(path: string, limit = 2): Promise<T[]> {
  const out: T[] = [];
  let cursor: string | null = null;
  do {
    const sep = path.includes("?") ? "&" : "?";
    const body: Page<T> = await ok<Page<T>>(`${path}${sep}limit=${limit}${cursor ? `&cursor=${cursor}` : ""}`);
    out.push(...body.items);
    cursor = body.nextCursor;
  } while (cursor !== null);
  return out;
}

const GOVERNOR_STATUS: Record<number, string> = { 2: "canceled", 5: "queued", 7: "executed" };
const CROWDFUND_STATUS: Record<number, string> = { 0: "open", 1: "open", 2: "finalized", 3: "failed" };

/** Compares everything the API serves with the contracts' views. */
async function expectIndexEqualsChain(): Promise<void> {
  await waitForIndexed(indexer, chain);
  const communities = await all<Community>("/api/communities");
  const factory = getAddress(chain.demo.platform.factory!);
  const registered = await client.readContract({ address: factory, abi: communityFactoryAbi, functionName: "communityCount" });
  expect(communities.length).toBe(Number(registered));

  for (const c of communities) {
    const entry = await client.readContract({ address: factory, abi: communityFactoryAbi, functionName: "communityByToken", args: [c.token] });
    expect(c.id).toBe(entry.id.toString());
    expect(c.verified).toBe(entry.verified);
    expect(c.governor).toBe(entry.governor);
    expect(c.rewardVault).toBe(entry.rewardVault);
    const read = <const F extends "totalSupply" | "name" | "symbol">(functionName: F) =>
      client.readContract({ address: c.token, abi: socialTokenAbi, functionName });
    expect(c.totalSupply).toBe((await read("totalSupply")).toString());
    expect(c.name).toBe(await read("name"));
    expect(c.symbol).toBe(await read("symbol"));

    // Holders: each balance, vote count and delegate as the token reports; together the whole supply.
    const holders = await all<Holder>(`/api/communities/${c.token}/holders`);
    expect(holders.length).toBe(c.holders);
    expect(new Set(holders.map((h) => h.account)).size).toBe(holders.length);
    let sum = 0n;
    for (const h of holders) {
      sum += BigInt(h.balance);
      expect(h.balance).toBe((await client.readContract({ address: c.token, abi: socialTokenAbi, functionName: "balanceOf", args: [h.account] })).toString());
      expect(h.votes).toBe((await client.readContract({ address: c.token, abi: socialTokenAbi, functionName: "getVotes", args: [h.account] })).toString());
      const delegate = await client.readContract({ address: c.token, abi: socialTokenAbi, functionName: "delegates", args: [h.account] });
      expect(h.delegate).toBe(delegate === zeroAddress ? null : delegate);
    }
    expect(sum.toString()).toBe(c.totalSupply);

    // Proposals: state, times and tallies as the governor reports; votes sum to the tallies.
    const proposals = await all<Proposal>(`/api/communities/${c.token}/proposals`);
    expect(proposals.length).toBe(c.proposals);
    for (const p of proposals) {
      const id = BigInt(p.id);
      const g = { address: c.governor, abi: communityGovernorAbi } as const;
      const state = await client.readContract({ ...g, functionName: "state", args: [id] });
      expect(p.status).toBe(GOVERNOR_STATUS[state] ?? "pending-or-active");
      expect(BigInt(p.voteStart)).toBe(await client.readContract({ ...g, functionName: "proposalSnapshot", args: [id] }));
      expect(BigInt(p.voteEnd)).toBe(await client.readContract({ ...g, functionName: "proposalDeadline", args: [id] }));
      if (p.status === "queued" || p.status === "executed") {
        expect(BigInt(p.eta ?? 0)).toBe(await client.readContract({ ...g, functionName: "proposalEta", args: [id] }));
      }
      const [against, forVotes, abstain] = await client.readContract({ ...g, functionName: "proposalVotes", args: [id] });
      expect([p.againstVotes, p.forVotes, p.abstainVotes]).toEqual([against.toString(), forVotes.toString(), abstain.toString()]);
      const detail = await ok<Proposal & { votes: Page<Vote> }>(`/api/communities/${c.token}/proposals/${p.id}`);
      const tallies = [0n, 0n, 0n];
      for (const v of detail.votes.items) {
        tallies[v.support]! += BigInt(v.weight);
        expect(await client.readContract({ ...g, functionName: "hasVoted", args: [id, v.voter] })).toBe(true);
      }
      expect(detail.votes.items.length).toBe(p.votes);
      expect(tallies.map(String)).toEqual([against.toString(), forVotes.toString(), abstain.toString()]);
    }

    // Crowdfunds: raised and status as each crowdfund reports; contributions add up to `raised`.
    const crowdfunds = await all<Crowdfund>(`/api/communities/${c.token}/crowdfunds`);
    expect(crowdfunds.length).toBe(c.crowdfunds);
    for (const f of crowdfunds) {
      expect(f.raised).toBe((await client.readContract({ address: f.address, abi: crowdfundAbi, functionName: "raised" })).toString());
      const state = await client.readContract({ address: f.address, abi: crowdfundAbi, functionName: "state" });
      expect(f.status).toBe(CROWDFUND_STATUS[state]);
    }

    // Revenue deposits: amount and supply as the revenue share stores them; one per deposit id.
    const deposits = await all<Deposit>(`/api/communities/${c.token}/revenue`);
    if (c.revenueShare === null) expect(deposits).toEqual([]);
    else {
      const count = await client.readContract({ address: c.revenueShare, abi: revenueShareAbi, functionName: "depositCount", args: [zeroAddress] });
      expect(deposits.filter((d) => d.asset === zeroAddress).length).toBe(Number(count));
      for (const d of deposits) {
        const stored = await client.readContract({
          address: d.revenueShare,
          abi: revenueShareAbi,
          functionName: "deposit",
          args: [d.asset, BigInt(d.depositId)],
        });
        expect([d.amount, d.supply]).toEqual([stored.amount.toString(), stored.supply.toString()]);
      }
    }
  }

  // Accounts: every dev account's positions, referral numbers and contributions.
  for (const account of chain.accounts.slice(0, 10)) {
    const a = await ok<Account>(`/api/accounts/${account}`);
    for (const position of a.communities) {
      expect(position.balance).toBe((await client.readContract({ address: position.token, abi: socialTokenAbi, functionName: "balanceOf", args: [account] })).toString());
      expect(position.votes).toBe((await client.readContract({ address: position.token, abi: socialTokenAbi, functionName: "getVotes", args: [account] })).toString());
    }
    for (const c of communities) {
      const stats = await client.readContract({ address: c.rewardVault, abi: rewardVaultAbi, functionName: "referralStats", args: [account] });
      const mine = a.referrals.perCommunity.find((r) => r.token === c.token);
      expect(mine?.referred ?? 0).toBe(stats.referredFans);
      expect(mine?.bonusCredited ?? "0").toBe(stats.earned.toString());
      expect(BigInt(mine?.bonusCredited ?? 0) - BigInt(mine?.bonusClaimed ?? 0)).toBe(stats.unclaimed);
    }
    for (const k of a.contributions) {
      expect(k.amount).toBe((await client.readContract({ address: k.crowdfund, abi: crowdfundAbi, functionName: "contributionOf", args: [account] })).toString());
    }
    // What fans named this account as referrer for, crowdfund by crowdfund.
    const referred = new Map<Address, bigint>();
    for (const other of chain.accounts.slice(0, 10)) {
      for (const k of (await ok<Account>(`/api/accounts/${other}`)).contributions) {
        if (k.referrer === getAddress(account)) referred.set(k.crowdfund, (referred.get(k.crowdfund) ?? 0n) + BigInt(k.amount));
      }
    }
    for (const [crowdfund, amount] of referred) {
      expect(amount).toBe(await client.readContract({ address: crowdfund, abi: crowdfundAbi, functionName: "referredBy", args: [account] }));
    }
  }
}

describe("the indexer reports what the contracts report", () => {
  it("for the seeded demo history", async () => {
    const communities = await all<Community>("/api/communities");
    expect(communities.map((c) => c.symbol).sort()).toEqual(["AUR", "CTRE"]);
    expect(communities.find((c) => c.platform)?.symbol).toBe("CTRE");
    await expectIndexEqualsChain();
  });

  it("after a referred voucher, a holder emptied and refilled, a delegation moved and a revenue claim", async () => {
    const wallet = createWalletClient({ chain: hardhat, transport: http(chain.rpcUrl) });
    const token = getAddress(chain.demo.community.token);
    const [, , fan1, fan2, fan3] = chain.accounts as [Address, Address, Address, Address, Address];
    const mined = async (hash: Hex) => {
      const receipt = await client.waitForTransactionReceipt({ hash });
      expect(receipt.status).toBe("success");
    };
    const before = await ok<Community>(`/api/communities/${token}`);

    // The referred demo claim link (fan 1 is the referrer).
    const links = (chain.demo.rewards as { claimLinks: Array<{ referrer: string; link: string }> }).claimLinks;
    const referred = links.find((l) => l.referrer !== zeroAddress)!;
    const { voucher, signature } = parseClaimLink(referred.link);
    await mined(
      await wallet.writeContract({
        account: getAddress(voucher.recipient),
        address: getAddress(chain.demo.rewardVault),
        abi: rewardVaultAbi,
        functionName: "redeem",
        args: [
          { recipient: getAddress(voucher.recipient), amount: BigInt(voucher.amount), referrer: getAddress(voucher.referrer), id: BigInt(voucher.id), deadline: BigInt(voucher.deadline) },
          signature as Hex,
        ],
      }),
    );

    // Fan 3 empties its balance into fan 1 (one holder fewer), then gets it back.
    const balance3 = await client.readContract({ address: token, abi: socialTokenAbi, functionName: "balanceOf", args: [fan3] });
    await mined(await wallet.writeContract({ account: fan3, address: token, abi: socialTokenAbi, functionName: "transfer", args: [fan1, balance3] }));
    await waitForIndexed(indexer, chain);
    const emptied = await ok<Community>(`/api/communities/${token}`);
    // One holder fewer (fan 3) and one more (the voucher's recipient).
    expect(emptied.holders).toBe(before.holders);
    await expectIndexEqualsChain();
    await mined(await wallet.writeContract({ account: fan1, address: token, abi: socialTokenAbi, functionName: "transfer", args: [fan3, balance3] }));

    // Fan 2 delegates to fan 1.
    await mined(await wallet.writeContract({ account: fan2, address: token, abi: socialTokenAbi, functionName: "delegate", args: [fan1] }));

    // Fan 1 claims its revenue share.
    const revenueShare = (await ok<Community>(`/api/communities/${token}`)).revenueShare!;
    await mined(
      await wallet.writeContract({ account: fan1, address: revenueShare, abi: revenueShareAbi, functionName: "claim", args: [zeroAddress, fan1, 10n] }),
    );
    await waitForIndexed(indexer, chain);

    const after = await ok<Community>(`/api/communities/${token}`);
    expect(after.holders).toBe(before.holders + 1);
    const account1 = await ok<Account & { delegators: Array<{ delegator: Address }> }>(`/api/accounts/${fan1}`);
    expect(account1.delegators.map((d) => d.delegator)).toEqual([getAddress(fan2)]);
    expect(account1.revenueClaims.length).toBe(1);
    expect(BigInt(account1.revenueClaims[0]!.amount)).toBeGreaterThan(0n);
    expect(account1.referrals.perCommunity.find((r) => r.token === token)?.referred).toBe(1);
    const fans = await all<{ fan: Address; source: string; bonus: string }>(`/api/accounts/${fan1}/referrals?token=${token}`, 1);
    expect(fans.map((f) => f.source).sort()).toEqual(["crowdfund", "vault"]);
    expect(fans.find((f) => f.source === "vault")?.fan).toBe(getAddress(voucher.recipient));
    await expectIndexEqualsChain();
  });

  it("follows a local-chain reorg (evm_revert) that removes indexed blocks", async () => {
    const token = getAddress(chain.demo.community.token);
    const [, , fan1, fan2] = chain.accounts as [Address, Address, Address, Address];
    const wallet = createWalletClient({ chain: hardhat, transport: http(chain.rpcUrl) });
    const snapshot = await chain.rpc<string>("evm_snapshot");
    const balance2 = await client.readContract({ address: token, abi: socialTokenAbi, functionName: "balanceOf", args: [fan2] });
    await client.waitForTransactionReceipt({
      hash: await wallet.writeContract({ account: fan2, address: token, abi: socialTokenAbi, functionName: "transfer", args: [fan1, balance2] }),
    });
    await waitForIndexed(indexer, chain);
    const holders = (await all<Holder>(`/api/communities/${token}/holders`)).map((h) => h.account);
    expect(holders).not.toContain(getAddress(fan2));

    // Revert the transfer; the replacement chain is longer than the indexed one, with other blocks.
    expect(await chain.rpc<boolean>("evm_revert", [snapshot])).toBe(true);
    for (let i = 0; i < 3; i++) await chain.rpc("evm_mine");
    await expectIndexEqualsChain();
    const restored = (await all<Holder>(`/api/communities/${token}/holders`)).map((h) => h.account);
    expect(restored).toContain(getAddress(fan2));
  });

  it("restarts on its own database and still agrees with the chain", async () => {
    const previous = indexer;
    await previous.stop({ keepDatabase: true });
    indexer = await startIndexer(chain, { dbDir: previous.dbDir ?? undefined, schema: previous.schema });
    await expectIndexEqualsChain();
  });
});
