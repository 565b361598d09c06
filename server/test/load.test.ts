/**
 * The relay under load and faults (issue 14 item 5), on loopback only:
 * - 500 requests from 100 accounts at once (eligible votes, delegations and redemptions, their
 *   duplicates, and ineligible ones): every eligible one mined exactly once, every ineligible one
 *   refused with a reason, none lost, the community's gas budget never exceeded;
 * - the server as a child process, stopped mid-load (SIGKILL on PostgreSQL; SIGTERM on PGlite,
 *   which is not crash-safe after SIGKILL) and started again on the same database: every request
 *   acknowledged with 202 ends mined exactly once.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseEther, parseEventLogs, zeroAddress, type Address, type PublicClient } from "viem";
import { privateKeyToAccount, type PrivateKeyAccount } from "viem/accounts";
import { communityGovernorAbi, rewardVaultAbi, socialTokenAbi } from "../../indexer/generated/abis.ts";
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
  serverEnv,
  settled,
  spawnServer,
  startChain,
  startTestServer,
  voteAction,
  type Chain,
  type RelayStatusJson,
} from "./harness.ts";

const ACCOUNTS = 100;
const HOLDERS = 80;
const GAS_PER_EPOCH = 120_000_000n;

let chain: Chain;
let pc: PublicClient;
let token: Address;
let governor: Address;
let vault: Address;
const creatorKey = privateKeyToAccount(CREATOR_KEY);

beforeAll(async () => {
  chain = await startChain();
  pc = client(chain);
  token = addr(chain.demo.community.token);
  governor = addr(chain.demo.community.governor);
  vault = addr(chain.demo.rewardVault);
});

afterAll(async () => {
  await chain?.stop();
});

describe("500 relay requests from 100 accounts at once", () => {
  const fans: PrivateKeyAccount[] = Array.from({ length: ACCOUNTS }, () => fan());

  it("mines every eligible one exactly once, refuses every ineligible one with a reason, loses none, keeps the budget", async () => {
    for (const f of fans.slice(0, HOLDERS)) await devSend(chain, chain.accounts[1]!, token, socialTokenAbi, "transfer", [f.address, parseEther("10")]);
    const upcoming = chain.demo.upcomingProposal as { id: number | string; snapshot: number };
    const proposalId = BigInt(upcoming.id);
    await chain.rpc("evm_setNextBlockTimestamp", [upcoming.snapshot + 2]);
    await chain.rpc("evm_mine");
    const server = await startTestServer(chain, {
      COTERIE_RELAY_PER_IP_PER_MINUTE: "100000",
      COTERIE_SERVER_DEFAULTS: JSON.stringify({ relay: { gasPerEpoch: GAS_PER_EPOCH.toString() } }),
    });
    try {
      const deadline = (await chainTime(pc)) + 86_400n;
      type Planned = { account: number; what: "vote" | "vote-dup" | "delegate" | "redeem" | "redeem-dup" | "referral"; body: unknown };
      const plan: Planned[] = [];
      for (const [i, f] of fans.entries()) {
        const vote = await voteAction(pc, governor, f, proposalId, 1, `fan ${i}`);
        const redeem = await redeemAction(pc, vault, creatorKey, { recipient: f.address, amount: parseEther("1"), referrer: zeroAddress, id: 700_000n + BigInt(i), deadline });
        const body = (action: unknown) => ({ chainId: chain.chainId, community: token, action });
        plan.push({ account: i, what: "vote", body: body(vote) }, { account: i, what: "vote-dup", body: body(vote) });
        plan.push({ account: i, what: "redeem", body: body(redeem) }, { account: i, what: "redeem-dup", body: body(redeem) });
        if (i < HOLDERS) plan.push({ account: i, what: "delegate", body: body(await delegateAction(pc, token, f, fans[(i + 1) % ACCOUNTS]!.address, deadline)) });
        else plan.push({ account: i, what: "referral", body: body({ kind: "referral", referrer: f.address }) });
      }
      expect(plan.length).toBe(500);
      // Interleave so that duplicates race their originals.
      plan.sort((a, b) => a.what.localeCompare(b.what) || a.account - b.account);
      const answers = await Promise.all(plan.map((p) => relay(server.url, p.body)));

      const accepted = new Map<string, Planned>();
      for (const [i, p] of plan.entries()) {
        const a = answers[i]!;
        expect(a.status, `${p.what} ${p.account}: ${JSON.stringify(a.body)}`).toBeLessThan(500);
        if (a.status === 202) {
          accepted.set(a.body.id as string, p);
          continue;
        }
        expect(typeof a.body.error).toBe("string");
        expect(typeof a.body.code).toBe("string");
        const holder = p.account < HOLDERS;
        if (p.what === "vote" || p.what === "vote-dup") {
          if (!holder) expect(a.body.code).toBe("ineligible");
          else expect(["duplicate", "ineligible"]).toContain(a.body.code);
        } else if (p.what === "redeem" || p.what === "redeem-dup") {
          expect(["duplicate", "reverted"]).toContain(a.body.code);
        } else if (p.what === "referral") {
          expect(a.body.code).toBe("reverted");
          expect(a.body.reason).toBe("RewardVaultNothingToClaim");
        } else {
          throw new Error(`an eligible ${p.what} of account ${p.account} was refused: ${JSON.stringify(a.body)}`);
        }
      }
      // Exactly one accepted per eligible action: 80 votes, 100 redemptions, 80 delegations.
      const count = (what: string) => [...accepted.values()].filter((p) => p.what.replace("-dup", "") === what).length;
      expect(count("vote")).toBe(HOLDERS);
      expect(count("redeem")).toBe(ACCOUNTS);
      expect(count("delegate")).toBe(HOLDERS);

      const results: RelayStatusJson[] = [];
      for (const id of accepted.keys()) results.push(await settled(server.url, id));
      expect(results.filter((r) => r.status !== "mined").map((r) => r.error)).toEqual([]);
      expect(new Set(results.map((r) => r.txHash)).size).toBe(results.length);

      for (const [i, f] of fans.entries()) {
        expect(await pc.readContract({ address: vault, abi: rewardVaultAbi, functionName: "isRedeemed", args: [700_000n + BigInt(i)] })).toBe(true);
        expect(await pc.readContract({ address: governor, abi: communityGovernorAbi, functionName: "hasVoted", args: [proposalId, f.address] })).toBe(i < HOLDERS);
        if (i < HOLDERS) expect(await pc.readContract({ address: token, abi: socialTokenAbi, functionName: "delegates", args: [f.address] })).toBe(fans[(i + 1) % ACCOUNTS]!.address);
        expect(await pc.getBalance({ address: f.address })).toBe(0n);
      }
      // The sponsor sent exactly the accepted requests: no doubled, no extra transaction.
      expect(await pc.getTransactionCount({ address: server.sponsor.address })).toBe(results.length);
      const spent = results.reduce((sum, r) => sum + BigInt(r.gasUsed!), 0n);
      expect(spent).toBeLessThanOrEqual(GAS_PER_EPOCH);
      const info = (await (await fetch(`${server.url}/v1/communities/${token}`)).json()) as { relay: { epoch: { used: string } } };
      expect(BigInt(info.relay.epoch.used)).toBe(spent);
    } finally {
      await server.stop();
    }
  });
});

describe("a restart mid-load loses no accepted request", () => {
  it("every request acknowledged with 202 before the server was stopped ends mined exactly once", async () => {
    const postgres = Boolean(process.env.COTERIE_TEST_DATABASE_URL);
    const { env, sponsor, dispose } = await serverEnv(chain, { COTERIE_RELAY_PER_IP_PER_MINUTE: "100000" });
    const first = spawnServer(env);
    await first.ready;
    const deadline = (await chainTime(pc)) + 86_400n;
    const recipients = Array.from({ length: 200 }, () => fan());
    const bodies = [];
    for (const [i, r] of recipients.entries()) {
      bodies.push({ chainId: chain.chainId, community: token, action: await redeemAction(pc, vault, creatorKey, { recipient: r.address, amount: parseEther("1"), referrer: zeroAddress, id: 800_000n + BigInt(i), deadline }) });
    }
    const acked: { id: string; voucherId: bigint }[] = [];
    let killed = false;
    const sends = bodies.map(async (body, i) => {
      try {
        const res = await relay(first.url, body);
        if (res.status === 202) {
          acked.push({ id: res.body.id as string, voucherId: 800_000n + BigInt(i) });
          if (acked.length === 60 && !killed) {
            killed = true;
            void first.kill(postgres ? "SIGKILL" : "SIGTERM");
          }
        }
      } catch {
        // the server went away with this request in flight: not acknowledged
      }
    });
    await Promise.all(sends);
    await first.kill(postgres ? "SIGKILL" : "SIGTERM");
    expect(acked.length).toBeGreaterThanOrEqual(60);

    const second = spawnServer(env);
    try {
      await second.ready;
      for (const a of acked) {
        const done = await settled(second.url, a.id);
        expect(done.status, JSON.stringify(done.error)).toBe("mined");
        expect(await pc.readContract({ address: vault, abi: rewardVaultAbi, functionName: "isRedeemed", args: [a.voucherId] })).toBe(true);
      }
      // Exactly once: every transaction the sponsor ever sent is one successful redemption.
      const sent = await pc.getTransactionCount({ address: sponsor.address });
      const logs = await pc.getLogs({ address: vault, fromBlock: 0n });
      const redeemed = parseEventLogs({ abi: rewardVaultAbi, logs, eventName: "VoucherRedeemed" }).filter((l) => (l.args.id as bigint) >= 800_000n);
      expect(new Set(redeemed.map((l) => l.args.id)).size).toBe(redeemed.length);
      expect(redeemed.length).toBe(sent);
    } finally {
      await second.kill("SIGTERM");
      dispose();
    }
  });
});
