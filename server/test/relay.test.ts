/**
 * The relay end to end on a local chain: every kind of action is relayed and mined for fans who
 * hold no ETH; every bad input is refused with a 4xx and a message, and sends nothing; the gas
 * budgets refuse what would exceed them.
 */
import { StandardMerkleTree } from "@openzeppelin/merkle-tree";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseEther, parseEventLogs, zeroAddress, type Address, type Hex, type PublicClient } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { communityGovernorAbi, crowdfundAbi, revenueShareAbi, rewardVaultAbi, socialTokenAbi } from "../../indexer/generated/abis.ts";
import {
  CREATOR_KEY,
  addr,
  chainTime,
  client,
  delegateAction,
  devSend,
  fan,
  redeemAction,
  relay,
  settled,
  startChain,
  startTestServer,
  voteAction,
  type Chain,
  type TestServer,
} from "./harness.ts";

let chain: Chain;
let server: TestServer;
let pc: PublicClient;
let token: Address;
let governor: Address;
let vault: Address;
let creator: string;
const creatorKey = privateKeyToAccount(CREATOR_KEY);
const holder = fan(); // gets AUR before the upcoming proposal's snapshot
const delegator = fan();
const poor = fan(); // never holds anything

const ethBalance = (a: Address) => pc.getBalance({ address: a });
const tokenBalance = (a: Address) => pc.readContract({ address: token, abi: socialTokenAbi, functionName: "balanceOf", args: [a] });
const sponsorNonce = async () => pc.getTransactionCount({ address: server.sponsor.address, blockTag: "pending" });

async function mineRelayed(body: unknown) {
  const res = await relay(server.url, body);
  expect(res.status, JSON.stringify(res.body)).toBe(202);
  const done = await settled(server.url, res.body.id as string);
  expect(done.status, JSON.stringify(done.error)).toBe("mined");
  return done;
}

beforeAll(async () => {
  chain = await startChain();
  pc = client(chain);
  token = addr(chain.demo.community.token);
  governor = addr(chain.demo.community.governor);
  vault = addr(chain.demo.rewardVault);
  creator = chain.accounts[1]!;
  expect(addr(creator)).toBe(creatorKey.address);
  for (const f of [holder, delegator]) await devSend(chain, creator, token, socialTokenAbi, "transfer", [f.address, parseEther("100")]);
  // The upcoming proposal opens for voting (its snapshot is after the transfers above).
  const upcoming = chain.demo.upcomingProposal as { snapshot: number };
  await chain.rpc("evm_setNextBlockTimestamp", [upcoming.snapshot + 2]);
  await chain.rpc("evm_mine");
  server = await startTestServer(chain);
});

afterAll(async () => {
  await server?.stop();
  await chain?.stop();
});

describe("relayed actions are mined for fans with 0 ETH", () => {
  it("vote: castVoteWithReasonAndParamsBySig keeps the reason, the voter pays nothing", async () => {
    const proposalId = BigInt((chain.demo.upcomingProposal as { id: number | string }).id);
    const done = await mineRelayed({ chainId: chain.chainId, community: token, action: await voteAction(pc, governor, holder, proposalId, 1, "free as in beer") });
    expect(await pc.readContract({ address: governor, abi: communityGovernorAbi, functionName: "hasVoted", args: [proposalId, holder.address] })).toBe(true);
    const receipt = await pc.getTransactionReceipt({ hash: done.txHash! });
    const [cast] = parseEventLogs({ abi: communityGovernorAbi, logs: receipt.logs, eventName: "VoteCast" });
    expect(cast?.args.reason).toBe("free as in beer");
    expect(await ethBalance(holder.address)).toBe(0n);
  });

  it("delegate: delegateBySig from the recovered holder", async () => {
    const expiry = (await chainTime(pc)) + 3600n;
    await mineRelayed({ chainId: chain.chainId, community: token, action: await delegateAction(pc, token, delegator, holder.address, expiry) });
    expect(await pc.readContract({ address: token, abi: socialTokenAbi, functionName: "delegates", args: [delegator.address] })).toBe(holder.address);
    expect(await ethBalance(delegator.address)).toBe(0n);
  });

  it("redeem and referral: a referred fan redeems, then the referrer's bonus is claimed for the referrer", async () => {
    const newcomer = fan();
    const referrer = fan();
    const voucher = { recipient: newcomer.address, amount: parseEther("50"), referrer: referrer.address, id: 900_001n, deadline: (await chainTime(pc)) + 86_400n };
    await mineRelayed({ chainId: chain.chainId, community: token, action: await redeemAction(pc, vault, creatorKey, voucher) });
    expect(await pc.readContract({ address: vault, abi: rewardVaultAbi, functionName: "isRedeemed", args: [voucher.id] })).toBe(true);
    expect(await tokenBalance(newcomer.address)).toBe(parseEther("50"));
    await mineRelayed({ chainId: chain.chainId, community: token, action: { kind: "referral", referrer: referrer.address } });
    expect(await tokenBalance(referrer.address)).toBeGreaterThan(0n);
    expect(await ethBalance(newcomer.address)).toBe(0n);
    expect(await ethBalance(referrer.address)).toBe(0n);
  });

  it("campaign: claimCampaign pays the account of the leaf", async () => {
    const claimant = fan();
    const amount = parseEther("7");
    const tree = StandardMerkleTree.of([[0n, claimant.address, amount]], ["uint256", "address", "uint256"]);
    const end = (await chainTime(pc)) + 7n * 86_400n;
    await devSend(chain, creator, vault, rewardVaultAbi, "openCampaign", [tree.root as Hex, amount, end]);
    const campaignId = (await pc.readContract({ address: vault, abi: rewardVaultAbi, functionName: "campaignCount" })) - 1n;
    const proof = tree.getProof(0);
    await mineRelayed({ chainId: chain.chainId, community: token, action: { kind: "campaign", campaignId: campaignId.toString(), index: "0", account: claimant.address, amount: amount.toString(), proof } });
    expect(await tokenBalance(claimant.address)).toBe(amount);
  });

  it("revenue: claim(asset, account) pays the holder, who holds no ETH for gas", async () => {
    const share = addr(chain.demo.revenueShare!);
    const holderFan = addr((chain.demo.holders as { fans: string[] }).fans[0]!);
    await chain.rpc("hardhat_setBalance", [holderFan, "0x0"]);
    const asset = addr((chain.demo.revenue as { deposits: { asset: string }[] }).deposits[0]!.asset);
    await mineRelayed({ chainId: chain.chainId, community: token, action: { kind: "revenue", revenueShare: share, asset, account: holderFan, maxDeposits: "10" } });
    if (asset === zeroAddress) expect(await ethBalance(holderFan)).toBeGreaterThan(0n);
    const claimed = await pc.getContractEvents({ address: share, abi: revenueShareAbi, eventName: "RevenueClaimed", fromBlock: 0n });
    expect(claimed.some((e) => (e.args as { account?: string }).account === holderFan)).toBe(true);
  });

  it("crowdfund: claimTokens(account) after the crowdfund succeeded", async () => {
    const crowdfund = addr(chain.demo.crowdfund);
    const funding = chain.demo.funding as { cap: string; raised: string; contributions: { contributor: string }[] };
    const room = BigInt(funding.cap) - BigInt(funding.raised);
    await devSend(chain, chain.accounts[5]!, crowdfund, crowdfundAbi, "contribute", [room, zeroAddress], room);
    await devSend(chain, chain.accounts[5]!, crowdfund, crowdfundAbi, "finalize", []);
    const contributor = addr(funding.contributions[0]!.contributor);
    await chain.rpc("hardhat_setBalance", [contributor, "0x0"]);
    const before = await tokenBalance(contributor);
    await mineRelayed({ chainId: chain.chainId, community: token, action: { kind: "crowdfund", crowdfund, account: contributor } });
    expect(await tokenBalance(contributor)).toBeGreaterThan(before);
    expect(await ethBalance(contributor)).toBe(0n);
  });
});

describe("bad input gets a 4xx with a message and no transaction", () => {
  const proposalId = () => BigInt((chain.demo.upcomingProposal as { id: number | string }).id);
  let nonceBefore: number;
  beforeAll(async () => {
    nonceBefore = await sponsorNonce();
  });
  afterAll(async () => {
    expect(await sponsorNonce()).toBe(nonceBefore);
  });

  async function refused(body: unknown, status: number, code: string, init: { contentType?: string; raw?: string } = {}) {
    const res = await relay(server.url, body, init);
    expect(res.status, JSON.stringify(res.body)).toBe(status);
    expect(res.body.code).toBe(code);
    expect(typeof res.body.error).toBe("string");
    expect((res.body.error as string).length).toBeGreaterThan(5);
    return res.body;
  }

  it("a malformed signature is refused 400, a signature of another account 401", async () => {
    const action = await voteAction(pc, governor, delegator, proposalId(), 1, "");
    await refused({ chainId: chain.chainId, community: token, action: { ...action, signature: "0x1234" } }, 400, "bad_request");
    const forged = await voteAction(pc, governor, poor, proposalId(), 1, "");
    await refused({ chainId: chain.chainId, community: token, action: { ...action, signature: forged.signature } }, 401, "bad_signature");
  });

  it("a request naming another chain is refused wrong_chain", async () => {
    await refused({ chainId: 1, community: token, action: { kind: "referral", referrer: holder.address } }, 400, "wrong_chain");
  });

  it("an expired voucher deadline and an expired delegation are refused expired", async () => {
    const past = (await chainTime(pc)) - 10n;
    const voucher = { recipient: poor.address, amount: 1n, referrer: zeroAddress as Address, id: 900_100n, deadline: past };
    await refused({ chainId: chain.chainId, community: token, action: await redeemAction(pc, vault, creatorKey, voucher) }, 400, "expired");
    await refused({ chainId: chain.chainId, community: token, action: await delegateAction(pc, token, holder, poor.address, past) }, 400, "expired");
  });

  it("an oversized body is refused 413", async () => {
    const huge = { chainId: chain.chainId, community: token, action: { kind: "referral", referrer: holder.address }, pad: "x".repeat(40_000) };
    await refused(huge, 413, "payload_too_large");
  });

  it("an unknown community is refused 404", async () => {
    await refused({ chainId: chain.chainId, community: holder.address, action: { kind: "referral", referrer: holder.address } }, 404, "unknown_community");
  });

  it("bad JSON is refused 400, another content type 415", async () => {
    await refused(null, 400, "bad_request", { raw: "{\"chainId\": 31337," });
    await refused(null, 415, "unsupported_media_type", { contentType: "text/plain", raw: "{}" });
  });

  it("an unknown kind and a missing field are refused 400 naming the field", async () => {
    const body = await refused({ chainId: chain.chainId, community: token, action: { kind: "mint", to: holder.address } }, 400, "bad_request");
    expect(body.field).toBe("action.kind");
    const missing = await refused({ chainId: chain.chainId, community: token, action: { kind: "crowdfund", account: holder.address } }, 400, "bad_request");
    expect(missing.field).toBe("action.crowdfund");
  });

  it("a voter without votes at the snapshot is refused ineligible; a second vote is a duplicate or ineligible", async () => {
    await refused({ chainId: chain.chainId, community: token, action: await voteAction(pc, governor, poor, proposalId(), 1, "") }, 422, "ineligible");
    const again = await relay(server.url, { chainId: chain.chainId, community: token, action: await voteAction(pc, governor, holder, proposalId(), 0, "") });
    expect([409, 422]).toContain(again.status);
  });

  it("the same action twice is refused 409 duplicate naming the first request", async () => {
    const voucher = { recipient: poor.address, amount: 1n, referrer: zeroAddress as Address, id: 900_200n, deadline: (await chainTime(pc)) + 3600n };
    const action = await redeemAction(pc, vault, creatorKey, voucher);
    const first = await relay(server.url, { chainId: chain.chainId, community: token, action });
    expect(first.status).toBe(202);
    const second = await refused({ chainId: chain.chainId, community: token, action }, 409, "duplicate");
    expect(second.id).toBe(first.body.id);
    await settled(server.url, first.body.id as string);
    nonceBefore += 1; // the first one was sent, once
    const third = await refused({ chainId: chain.chainId, community: token, action }, 409, "duplicate");
    expect(third.id).toBe(first.body.id);
  });

  it("a claim the chain would refuse is refused 422 with the decoded reason", async () => {
    const body = await refused({ chainId: chain.chainId, community: token, action: { kind: "referral", referrer: poor.address } }, 422, "reverted");
    expect(body.reason).toBe("RewardVaultNothingToClaim");
  });

  it("an unknown request id is 404, an unknown route 404", async () => {
    expect((await fetch(`${server.url}/v1/relay/00000000-0000-0000-0000-000000000000`)).status).toBe(404);
    expect((await fetch(`${server.url}/v1/nothing`)).status).toBe(404);
  });
});

describe("budgets", () => {
  it("a community's gas budget per epoch refuses what would exceed it (429 budget_exhausted)", async () => {
    const small = await startTestServer(chain, { COTERIE_SERVER_DEFAULTS: JSON.stringify({ relay: { gasPerEpoch: "450000", gasPerAccountPerEpoch: "450000" } }) });
    try {
      const codes: number[] = [];
      const ids: string[] = [];
      for (let i = 0; i < 4; i++) {
        const voucher = { recipient: fan().address, amount: 1n, referrer: zeroAddress as Address, id: 900_300n + BigInt(i), deadline: (await chainTime(pc)) + 3600n };
        const res = await relay(small.url, { chainId: chain.chainId, community: token, action: await redeemAction(pc, vault, creatorKey, voucher) });
        codes.push(res.status);
        if (res.status === 202) ids.push(res.body.id as string);
        else expect(res.body.code).toBe("budget_exhausted");
      }
      expect(codes[0]).toBe(202);
      expect(codes).toContain(429);
      let used = 0n;
      for (const id of ids) used += BigInt((await settled(small.url, id)).gasUsed!);
      expect(used).toBeLessThanOrEqual(450_000n);
      const info = (await (await fetch(`${small.url}/v1/communities/${token}`)).json()) as { relay: { gasPerEpoch: string; epoch: { used: string } } };
      expect(info.relay.gasPerEpoch).toBe("450000");
      expect(BigInt(info.relay.epoch.used)).toBe(used);
    } finally {
      await small.stop();
    }
  });

  it("health names the chain, the sponsor and the queue", async () => {
    const health = (await (await fetch(`${server.url}/health`)).json()) as { ok: boolean; chainId: number; sponsor: string; db: string };
    expect(health.ok).toBe(true);
    expect(health.chainId).toBe(chain.chainId);
    expect(health.sponsor).toBe(server.sponsor.address);
  });
});
