/**
 * The attester (server/src/join.ts, server/src/siwe.ts; docs/server.md "Attester"): a fan signs in
 * with EIP-4361 and gets a welcome voucher naming their referrer, once per community; the sybil
 * limits (self-referral, per-referrer and per-IP limits, allowlist) and every sign-in refusal;
 * settings changed only by the vault's operator; a server that is not the vault's attester refuses.
 * Real hardhat node with the demo seeded (server/test/harness.ts), the server in this process, on
 * PGlite or PostgreSQL (COTERIE_TEST_DATABASE_URL) like the relay's tests.
 */
import { createServer } from "node:http";
import { pino } from "pino";
import { createWalletClient, getAddress, http, keccak256, toBytes, type Address, type Hex, type LocalAccount } from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { createSiweMessage } from "viem/siwe";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort } from "../../indexer/test/harness.ts";
import { CREATOR_KEY, serverEnv, settled, startChain, type Chain } from "./harness.ts";
import { rewardVaultAbi, socialTokenAbi } from "../../indexer/generated/abis.ts";
import { parseClaimLink } from "../../shared/rewards.ts";
import { readConfig } from "../src/config.ts";
import type { ServerConfig } from "../src/context.ts";
import { joinGateUrl, joinRoutes } from "../src/join.ts";
import { joinResource, joinVoucherId, settingsHash, settingsResource } from "../../shared/server-protocol.ts";
import { startServer, type RunningServer } from "../src/server.ts";
import { saveSettings } from "../src/settings.ts";

const creator = privateKeyToAccount(CREATOR_KEY);
const APP_URL = "http://127.0.0.1:5173";
const WELCOME = 50n * 10n ** 18n;

let chain: Chain;
let server: RunningServer;
let config: ServerConfig;
let token: Address;
let vault: Address;
const disposals: Array<() => void> = [];
const others: RunningServer[] = [];

const fresh = () => privateKeyToAccount(generatePrivateKey());

/** A configuration on `chain` with a fresh database (PGlite, or a PostgreSQL schema under COTERIE_TEST_DATABASE_URL). */
async function serverConfig(attesterKey: Hex): Promise<ServerConfig> {
  const { env, dispose } = await serverEnv(chain, {
    COTERIE_APP_URLS: APP_URL,
    COTERIE_ATTESTER_KEY: attesterKey,
    COTERIE_SERVER_COMMUNITIES: JSON.stringify({ [token]: { join: { enabled: true, welcome: WELCOME.toString(), perIpPerHour: 1000 } } }),
  });
  disposals.push(dispose);
  return readConfig(env);
}

function start(cfg: ServerConfig, gateUrl: string | null = null): Promise<RunningServer> {
  return startServer(cfg, { log: pino({ level: "silent" }), routers: async (ctx) => [await joinRoutes(ctx, { gateUrl })] });
}

async function call(method: "GET" | "POST" | "PUT", path: string, body?: unknown, on: RunningServer = server) {
  const res = await fetch(on.url + path, {
    method,
    headers: body === undefined ? {} : { "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> & { error?: string; code?: string } };
}

async function nonce(on: RunningServer = server): Promise<string> {
  return (await call("GET", "/v1/nonce", undefined, on)).body.nonce as string;
}

/** A signed sign-in message for `resource`, with `overrides` of its fields. */
async function signIn(
  account: LocalAccount,
  resource: string,
  overrides: { domain?: string; chainId?: number; expirationTime?: Date; nonce?: string; signer?: LocalAccount; on?: RunningServer } = {},
) {
  const now = Date.now();
  const message = createSiweMessage({
    address: account.address,
    domain: overrides.domain ?? "127.0.0.1:5173",
    uri: APP_URL,
    chainId: overrides.chainId ?? chain.chainId,
    nonce: overrides.nonce ?? (await nonce(overrides.on)),
    version: "1",
    issuedAt: new Date(now),
    expirationTime: overrides.expirationTime ?? new Date(now + 5 * 60_000),
    resources: [resource],
    statement: "Join the community.",
  });
  const signature = await (overrides.signer ?? account).signMessage({ message });
  return { message, signature };
}

async function joinAs(fan: LocalAccount, referrer: Address | null, on: RunningServer = server) {
  return call("POST", "/v1/join", { token, referrer, ...(await signIn(fan, joinResource(token), { on })) }, on);
}

async function setJoin(input: Record<string, unknown>): Promise<void> {
  await saveSettings(server.ctx.db, token, { join: input }, config.defaults);
}

const wallet = () => createWalletClient({ account: chain.accounts[0]!, transport: http(chain.rpcUrl) });

/** Submits `redeem` from dev account #0 (anyone may; the tokens go to the voucher's recipient). */
async function redeem(claim: string): Promise<void> {
  const { voucher, signature } = parseClaimLink(claim);
  const hash = await wallet().writeContract({
    chain: null,
    address: vault,
    abi: rewardVaultAbi,
    functionName: "redeem",
    args: [{ ...voucher, recipient: getAddress(voucher.recipient), referrer: getAddress(voucher.referrer) }, signature as Hex],
  });
  const receipt = await server.ctx.chain.waitForTransactionReceipt({ hash });
  expect(receipt.status).toBe("success");
}

beforeAll(async () => {
  chain = await startChain();
  token = getAddress(chain.demo.community.token);
  vault = getAddress(chain.demo.rewardVault);
  config = await serverConfig(CREATOR_KEY); // the demo vault's attester is the creator
  server = await start(config);
});

afterAll(async () => {
  for (const s of [server, ...others]) await s?.close();
  await chain?.stop();
  for (const dispose of disposals) dispose();
});

describe("join: a signed-in fan gets one welcome voucher per community", () => {
  it("issues single-use 16-character alphanumeric nonces", async () => {
    const [a, b] = [await nonce(), await nonce()];
    expect(a).toMatch(/^[A-Za-z0-9]{16}$/);
    expect(b).not.toBe(a);
  });

  it("a fan's voucher redeems on chain and names the referrer, who is credited the bonus", async () => {
    const fan = fresh();
    const referrer = fresh().address;
    const res = await joinAs(fan, referrer);
    expect(res.status, res.body.error).toBe(200);
    expect(res.body.existing).toBe(false);
    const voucher = res.body.voucher as Record<string, string>;
    expect(voucher).toMatchObject({ recipient: fan.address, amount: WELCOME.toString(), referrer, id: joinVoucherId(fan.address).toString() });
    expect(res.body.rewardVault).toBe(vault);
    const claim = res.body.claimLink as string;
    expect(claim.startsWith(`${APP_URL}/claim?v=`)).toBe(true);
    await redeem(claim);
    const read = server.ctx.chain;
    expect(await read.readContract({ address: token, abi: socialTokenAbi, functionName: "balanceOf", args: [fan.address] })).toBe(WELCOME);
    expect(await read.readContract({ address: vault, abi: rewardVaultAbi, functionName: "referrerOf", args: [fan.address] })).toBe(referrer);
    expect(await read.readContract({ address: vault, abi: rewardVaultAbi, functionName: "isRedeemed", args: [BigInt(voucher.id!)] })).toBe(true);
  });

  it("a fan with 0 ETH redeems the join voucher through the relay, and the referrer's bonus is claimed for it, neither paying gas", async () => {
    const [fan, referrer] = [fresh(), fresh()];
    const joined = await joinAs(fan, referrer.address);
    expect(joined.status, joined.body.error).toBe(200);
    const relayed = async (action: Record<string, unknown>) => {
      const res = await call("POST", "/v1/relay", { chainId: chain.chainId, community: token, action });
      expect(res.status, res.body.error).toBe(202);
      const done = await settled(server.url, res.body.id as string);
      expect(done.status, JSON.stringify(done.error)).toBe("mined");
    };
    await relayed({ kind: "redeem", voucher: joined.body.voucher, signature: joined.body.signature });
    await relayed({ kind: "referral", referrer: referrer.address });
    const read = server.ctx.chain;
    const balance = (account: Address) => read.readContract({ address: token, abi: socialTokenAbi, functionName: "balanceOf", args: [account] });
    expect(await balance(fan.address)).toBe(WELCOME);
    expect(await balance(referrer.address)).toBe(WELCOME / 10n); // the demo vault's 10% referral bonus
    expect(await read.getBalance({ address: fan.address })).toBe(0n);
    expect(await read.getBalance({ address: referrer.address })).toBe(0n);
  });

  it("a fan who joins again gets the same voucher back (existing), even with another referrer", async () => {
    const fan = fresh();
    const first = await joinAs(fan, fresh().address);
    const again = await joinAs(fan, fresh().address);
    expect(again.status).toBe(200);
    expect(again.body.existing).toBe(true);
    expect(again.body.voucher).toEqual(first.body.voucher);
    expect(again.body.signature).toBe(first.body.signature);
  });

  it("an expired, unredeemed voucher comes back re-signed with a new deadline, and redeems", async () => {
    await setJoin({ voucherTtlSeconds: 60 });
    const fan = fresh();
    const first = await joinAs(fan, null);
    await chain.rpc("evm_increaseTime", [3_600]);
    await chain.rpc("evm_mine");
    await setJoin({ voucherTtlSeconds: 7 * 86_400 });
    const again = await joinAs(fan, null);
    expect(again.body.existing).toBe(true);
    const [before, after] = [first, again].map((r) => r.body.voucher as Record<string, string>);
    expect(after!.id).toBe(before!.id);
    expect(BigInt(after!.deadline!)).toBeGreaterThan(BigInt(before!.deadline!) + 3_000n);
    expect(again.body.signature).not.toBe(first.body.signature);
    await redeem(again.body.claimLink as string);
  });

  it("a fan cannot refer themselves", async () => {
    const fan = fresh();
    const res = await joinAs(fan, fan.address);
    expect(res.status).toBe(400);
    expect(res.body.error).toBe("a fan cannot refer themselves");
  });

  it("a referrer brings at most perReferrerPerDay fans a day", async () => {
    await setJoin({ perReferrerPerDay: 2 });
    const referrer = fresh().address;
    for (let i = 0; i < 2; i++) expect((await joinAs(fresh(), referrer)).status).toBe(200);
    const over = await joinAs(fresh(), referrer);
    expect(over.status).toBe(429);
    expect(over.body.code).toBe("rate_limited");
    expect(over.body.error).toContain(`${referrer} has referred 2 fans today`);
    expect((await joinAs(fresh(), fresh().address)).status).toBe(200); // another referrer is not limited
    await setJoin({ perReferrerPerDay: 20 });
  });

  it("one network brings at most perIpPerHour fans an hour, counted in the database across restarts", async () => {
    const [{ n }] = await server.ctx.db.query<{ n: number }>("SELECT count(*)::int AS n FROM joins WHERE token = $1", [token]);
    await setJoin({ perIpPerHour: n + 1 });
    expect((await joinAs(fresh(), null)).status).toBe(200);
    const over = await joinAs(fresh(), null);
    expect(over.status).toBe(429);
    expect(over.body.error).toContain("too many joins from this network in the last hour (" + (n + 1) + " allowed)");
    // The same database after a restart still counts them.
    await server.close();
    server = await start(config);
    const after = await joinAs(fresh(), null);
    expect(after.status).toBe(429);
    await setJoin({ perIpPerHour: 1000 });
  });

  it("concurrent joins cannot overshoot the per-IP limit, and one fan racing itself gets one voucher", async () => {
    const [{ n }] = await server.ctx.db.query<{ n: number }>("SELECT count(*)::int AS n FROM joins WHERE token = $1", [token]);
    await setJoin({ perIpPerHour: n + 3 });
    const signed = await Promise.all(Array.from({ length: 6 }, async () => ({ token, referrer: null, ...(await signIn(fresh(), joinResource(token))) })));
    const results = await Promise.all(signed.map((body) => call("POST", "/v1/join", body)));
    expect(results.map((r) => r.status).sort()).toEqual([200, 200, 200, 429, 429, 429]);
    await setJoin({ perIpPerHour: 1000 });
    const fan = fresh();
    const twice = await Promise.all([0, 1].map(async () => call("POST", "/v1/join", { token, referrer: null, ...(await signIn(fan, joinResource(token))) })));
    expect(twice.map((r) => r.status)).toEqual([200, 200]);
    expect(twice.map((r) => r.body.existing).sort()).toEqual([false, true]);
    expect(twice[0]!.body.voucher).toEqual(twice[1]!.body.voucher);
  });

  it("with an allowlist only the listed addresses join", async () => {
    const [listed, other] = [fresh(), fresh()];
    await setJoin({ allowlist: [listed.address] });
    const refused = await joinAs(other, null);
    expect(refused.status).toBe(403);
    expect(refused.body.error).toContain(`${other.address} is not on`);
    expect((await joinAs(listed, null)).status).toBe(200);
    await setJoin({ allowlist: null });
  });
});

describe("join: sign-in messages are checked and refused with a reason", () => {
  const post = (body: Record<string, unknown>) => call("POST", "/v1/join", { token, referrer: null, ...body });

  it("refuses a message for another domain", async () => {
    const res = await post(await signIn(fresh(), joinResource(token), { domain: "evil.example" }));
    expect(res.status).toBe(400);
    expect(res.body.error).toBe("the sign-in message is for evil.example, but this server accepts sign-ins for 127.0.0.1:5173 only");
  });

  it("refuses a message for another chain", async () => {
    const res = await post(await signIn(fresh(), joinResource(token), { chainId: 1 }));
    expect(res.status).toBe(400);
    expect(res.body.code).toBe("wrong_chain");
    expect(res.body.error).toContain("is for chain 1");
  });

  it("refuses an expired message, and one valid for more than 10 minutes", async () => {
    const expired = await post(await signIn(fresh(), joinResource(token), { expirationTime: new Date(Date.now() - 1_000) }));
    expect(expired.status).toBe(400);
    expect(expired.body.code).toBe("expired");
    const long = await post(await signIn(fresh(), joinResource(token), { expirationTime: new Date(Date.now() + 3_600_000) }));
    expect(long.status).toBe(400);
    expect(long.body.error).toContain("at most 10 minutes");
  });

  it("refuses a nonce used already and one the server never issued", async () => {
    const fan = fresh();
    const signed = await signIn(fan, joinResource(token));
    expect((await post(signed)).status).toBe(200);
    const replay = await post(signed);
    expect(replay.status).toBe(400);
    expect(replay.body.error).toContain("nonce is unknown, used or expired");
    const made = await post(await signIn(fresh(), joinResource(token), { nonce: "abcdefgh12345678" }));
    expect(made.status).toBe(400);
    expect(made.body.error).toContain("nonce is unknown, used or expired");
  });

  it("refuses a message for another resource (another community's join, or settings)", async () => {
    const res = await post(await signIn(fresh(), settingsResource(token, settingsHash({}))));
    expect(res.status).toBe(400);
    expect(res.body.error).toBe(`the sign-in message does not authorise this request: its resources must include ${joinResource(token)}`);
  });

  it("refuses a signature by another account than the message names, and keeps the nonce usable", async () => {
    const fan = fresh();
    const issued = await nonce();
    const forged = await signIn(fan, joinResource(token), { signer: fresh(), nonce: issued });
    const res = await post(forged);
    expect(res.status).toBe(401);
    expect(res.body.code).toBe("bad_signature");
    expect(res.body.error).toContain(`not ${fan.address}'s signature`);
    // A forger who saw the nonce cannot burn it: the fan still signs in with it.
    expect((await post(await signIn(fan, joinResource(token), { nonce: issued }))).status).toBe(200);
  });

  it("refuses malformed input with 400", async () => {
    expect((await post({ message: "hello", signature: "0x" + "11".repeat(65) })).status).toBe(400);
    expect((await call("POST", "/v1/join", { token: "0x1234", referrer: null, message: "m", signature: "0x" })).status).toBe(400);
    const unknown = await call("POST", "/v1/join", { token: fresh().address, referrer: null, ...(await signIn(fresh(), joinResource(token))) });
    expect(unknown.status).toBe(404);
    expect(unknown.body.code).toBe("unknown_community");
  });
});

describe("settings: only the vault's operator changes them", () => {
  const put = async (signer: LocalAccount, settings: unknown, signedSettings: unknown = settings) =>
    call("PUT", `/v1/communities/${token}/settings`, { settings, ...(await signIn(signer, settingsResource(token, settingsHash(signedSettings)))) });

  it("refuses a signed-in account that is not the operator with 403", async () => {
    const res = await put(fresh(), { join: { welcome: "1" } });
    expect(res.status).toBe(403);
    expect(res.body.error).toContain(`only ${chain.demo.community.name}'s operator (${creator.address}) may change its settings`);
  });

  it("refuses a sign-in for other settings than those sent", async () => {
    const res = await put(creator, { join: { welcome: "1" } }, { join: { welcome: "2" } });
    expect(res.status).toBe(400);
    expect(res.body.error).toContain("resources must include");
  });

  it("saves the operator's settings, relay gas capped at the server's defaults", async () => {
    const settings = { join: { welcome: "70000000000000000000", perReferrerPerDay: 5 }, relay: { gasPerEpoch: (config.defaults.relay.gasPerEpoch * 10n).toString() } };
    const res = await put(creator, settings);
    expect(res.status, res.body.error).toBe(200);
    const join = res.body.join as Record<string, unknown>;
    const relay = res.body.relay as Record<string, unknown>;
    expect(join.welcome).toBe("70000000000000000000");
    expect(join.perReferrerPerDay).toBe(5);
    expect(join.enabled).toBe(true); // the deployment's initial settings stay under the first change
    expect(relay.gasPerEpoch).toBe(config.defaults.relay.gasPerEpoch.toString());
    const fan = fresh();
    const joined = await joinAs(fan, null);
    expect((joined.body.voucher as Record<string, string>).amount).toBe("70000000000000000000");
    expect(settingsHash(settings)).toBe(keccak256(toBytes(JSON.stringify(settings))));
  });
});

describe("join: the server must be the vault's attester", () => {
  it("answers 503 not_configured telling the creator to set the attester", async () => {
    const otherKey = generatePrivateKey();
    const other = privateKeyToAccount(otherKey);
    const cfg = await serverConfig(otherKey);
    const wrong = await start(cfg);
    others.push(wrong);
    const res = await joinAs(fresh(), null, wrong);
    expect(res.status).toBe(503);
    expect(res.body.code).toBe("not_configured");
    expect(res.body.error).toContain(`the reward vault's attester is ${creator.address}, not this server's attester ${other.address}`);
    expect(res.body.error).toContain(`setAttester(${other.address})`);
  });
});

describe("join: the optional gate hook (COTERIE_JOIN_GATE_URL)", () => {
  it("takes only https or loopback http URLs", () => {
    expect(joinGateUrl({})).toBe(null);
    expect(joinGateUrl({ COTERIE_JOIN_GATE_URL: "http://127.0.0.1:9/gate" })).toBe("http://127.0.0.1:9/gate");
    expect(joinGateUrl({ COTERIE_JOIN_GATE_URL: "https://gate.example/join" })).toBe("https://gate.example/join");
    expect(() => joinGateUrl({ COTERIE_JOIN_GATE_URL: "http://gate.example/join" })).toThrow("COTERIE_JOIN_GATE_URL must be https (or http on loopback)");
  });

  it("lets a fan join only when the gate answers {allow: true}, and is told {token, fan, referrer}", async () => {
    const asked: Array<{ token: string; fan: string; referrer: string | null }> = [];
    let allowed: Address | null = null;
    const gate = createServer((req, res) => {
      let text = "";
      req.on("data", (d: Buffer) => (text += d.toString()));
      req.on("end", () => {
        const body = JSON.parse(text) as { token: string; fan: string; referrer: string | null };
        asked.push(body);
        res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(body.fan === allowed ? { allow: true } : { allow: false, reason: "not a subscriber" }));
      });
    });
    const port = await freePort(process.env.COTERIE_TEST_SERVER_PORTS ?? "8700-8749");
    await new Promise<void>((resolve) => gate.listen(port, "127.0.0.1", resolve));
    try {
      const gated = await start(await serverConfig(CREATOR_KEY), `http://127.0.0.1:${port}/gate`);
      others.push(gated);
      const [fan, referrer] = [fresh(), fresh().address];
      const refused = await joinAs(fan, referrer, gated);
      expect(refused.status).toBe(403);
      expect(refused.body.error).toBe("the community's join gate refused this join: not a subscriber");
      expect(asked).toEqual([{ token, fan: fan.address, referrer }]);
      allowed = fan.address;
      expect((await joinAs(fan, referrer, gated)).status).toBe(200);
    } finally {
      gate.close();
    }
  });
});
