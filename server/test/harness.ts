/**
 * The server's test harness: a local chain from the indexer's harness (hardhat node, platform
 * deployed, demo seeded), servers on it (in this process, or as a child process `tsx
 * server/src/main.ts` for crash tests), fresh fans who hold no ETH, and the signatures fans and
 * the demo creator give (votes, delegations, vouchers).
 *
 * Database: a temporary PGlite directory, or, when COTERIE_TEST_DATABASE_URL is set, that
 * PostgreSQL database with a schema unique to the server (`?schema=`).
 */
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  createPublicClient,
  encodeFunctionData,
  getAddress,
  http,
  type Abi,
  type Address,
  type Hex,
  type PublicClient,
} from "viem";
import { generatePrivateKey, privateKeyToAccount, type PrivateKeyAccount } from "viem/accounts";
import { pino } from "pino";
import { freePort, startChain, type Chain } from "../../indexer/test/harness.ts";
import { portIsFree } from "../../scripts/lib/ports.ts";
import { communityGovernorAbi, rewardVaultAbi, socialTokenAbi } from "../../indexer/generated/abis.ts";
import { VOUCHER_TYPES } from "../../shared/rewards.ts";
import { DELEGATION_TYPES, EXTENDED_BALLOT_TYPES } from "../../shared/server-protocol.ts";
import { readConfig } from "../src/config.ts";
import { startServer, type RunningServer } from "../src/server.ts";

export { startChain, type Chain };
export const ROOT = join(import.meta.dirname, "..", "..");

/** Hardhat's dev account #1: the demo's creator, its vault's attester and operator. */
export const CREATOR_KEY: Hex = "0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d";

export interface TestServer {
  url: string;
  sponsor: PrivateKeyAccount;
  /** The environment the server was started with (to start another on the same database). */
  env: Record<string, string>;
  running: RunningServer | null;
  stop(): Promise<void>;
}

let schemas = 0;

/** The environment of a server on `chain`: a funded fresh sponsor, a fresh database. */
export async function serverEnv(chain: Chain, extra: Record<string, string> = {}): Promise<{ env: Record<string, string>; sponsor: PrivateKeyAccount; dispose: () => void }> {
  const sponsorKey = generatePrivateKey();
  const sponsor = privateKeyToAccount(sponsorKey);
  await chain.rpc("hardhat_setBalance", [sponsor.address, "0x56BC75E2D63100000"]); // 100 ETH
  const port = await freePort(process.env.COTERIE_TEST_SERVER_PORTS ?? "8700-8749");
  const env: Record<string, string> = {
    COTERIE_RPC_URL: chain.rpcUrl,
    COTERIE_CHAIN_ID: String(chain.chainId),
    COTERIE_DEPLOYMENT_ID: chain.deploymentId,
    COTERIE_SERVER_HOST: "127.0.0.1",
    COTERIE_SERVER_PORT: String(port),
    COTERIE_SPONSOR_KEY: sponsorKey,
    COTERIE_LOG_LEVEL: process.env.COTERIE_TEST_SERVER_LOG ?? "silent",
  };
  let dispose = () => {};
  const pg = process.env.COTERIE_TEST_DATABASE_URL;
  if (pg) {
    const url = new URL(pg);
    url.searchParams.set("schema", `relay_test_${process.pid}_${Date.now() % 1_000_000}_${schemas++}`);
    env.DATABASE_URL = url.toString();
  } else {
    const dir = mkdtempSync(join(tmpdir(), "coterie-server-test-"));
    env.COTERIE_SERVER_DB_DIR = dir;
    dispose = () => rmSync(dir, { recursive: true, force: true });
  }
  return { env: { ...env, ...extra }, sponsor, dispose };
}

/** A server in this process. */
export async function startTestServer(chain: Chain, extra: Record<string, string> = {}): Promise<TestServer> {
  const { env, sponsor, dispose } = await serverEnv(chain, extra);
  const config = await readConfig(env);
  const running = await startServer(config, { log: pino({ level: env.COTERIE_LOG_LEVEL ?? "silent" }) });
  return {
    url: running.url,
    sponsor,
    env,
    running,
    async stop() {
      await running.close();
      dispose();
    },
  };
}

/** A server as a child process (`tsx server/src/main.ts`), for crash and restart tests. */
export function spawnServer(env: Record<string, string>): {
  child: ChildProcess;
  url: string;
  output: () => string;
  ready: Promise<void>;
  exited: Promise<void>;
  /** Sends `signal` to the server's process group (tsx and the node it runs) and waits until its port is free. */
  kill(signal: NodeJS.Signals): Promise<void>;
} {
  const child = spawn(join(ROOT, "node_modules", ".bin", "tsx"), ["server/src/main.ts"], {
    cwd: ROOT,
    detached: true,
    env: { ...process.env, ...env, COTERIE_LOG_LEVEL: "info" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const ready = new Promise<void>((resolve, reject) => {
    const onData = (d: Buffer) => {
      out += d.toString();
      if (out.length > 400_000) out = out.slice(-200_000);
      if (out.includes("listening on")) resolve();
    };
    child.stdout?.on("data", onData);
    child.stderr?.on("data", onData);
    void exited.then(() => reject(new Error(`server exited before listening:\n${out.slice(-3000)}`)));
  });
  const kill = async (signal: NodeJS.Signals) => {
    try {
      process.kill(-child.pid!, signal);
    } catch {
      // already gone
    }
    await exited;
    for (let i = 0; i < 100 && !(await portIsFree(Number(env.COTERIE_SERVER_PORT))); i++) await new Promise((r) => setTimeout(r, 100));
  };
  return { child, url: `http://127.0.0.1:${env.COTERIE_SERVER_PORT}`, output: () => out, ready, exited, kill };
}

/** A viem client on the chain. */
export function client(chain: Chain): PublicClient {
  return createPublicClient({ transport: http(chain.rpcUrl) });
}

/** Sends a call from an unlocked dev account and waits for it (automine). */
export async function devSend(chain: Chain, from: string, to: Address, abi: Abi, functionName: string, args: unknown[], value = 0n): Promise<void> {
  const data = encodeFunctionData({ abi, functionName, args });
  const hash = await chain.rpc<Hex>("eth_sendTransaction", [{ from, to, data, value: `0x${value.toString(16)}` }]);
  const pc = client(chain);
  const receipt = await pc.waitForTransactionReceipt({ hash });
  if (receipt.status !== "success") throw new Error(`${functionName} reverted`);
}

/** POST /v1/relay. */
export async function relay(url: string, body: unknown, init: { contentType?: string; raw?: string } = {}): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(`${url}/v1/relay`, {
    method: "POST",
    headers: { "content-type": init.contentType ?? "application/json" },
    body: init.raw ?? JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

export interface RelayStatusJson {
  id: string;
  status: "queued" | "sent" | "mined" | "failed";
  txHash: Hex | null;
  gasUsed: string | null;
  blockNumber: string | null;
  error: { code: string; reason: string | null; message: string } | null;
  sentAt: string | null;
  createdAt: string;
}

/** Polls GET /v1/relay/:id until mined or failed. */
export async function settled(url: string, id: string): Promise<RelayStatusJson> {
  for (;;) {
    const res = await fetch(`${url}/v1/relay/${id}`);
    const body = (await res.json()) as RelayStatusJson;
    if (res.status !== 200) throw new Error(`GET /v1/relay/${id}: ${res.status} ${JSON.stringify(body)}`);
    if (body.status === "mined" || body.status === "failed") return body;
    await new Promise((r) => setTimeout(r, 100));
  }
}

export const fan = () => privateKeyToAccount(generatePrivateKey());

async function domainOf(pc: PublicClient, address: Address, abi: typeof socialTokenAbi | typeof communityGovernorAbi | typeof rewardVaultAbi) {
  const [, name, version, chainId, verifyingContract] = (await pc.readContract({ address, abi, functionName: "eip712Domain" })) as readonly [Hex, string, string, bigint, Address, Hex, readonly bigint[]];
  return { name, version, chainId: Number(chainId), verifyingContract };
}

/** A fan's vote signature (ExtendedBallot) and the relay action carrying it. */
export async function voteAction(pc: PublicClient, governor: Address, voter: PrivateKeyAccount, proposalId: bigint, support: number, reason: string) {
  const nonce = await pc.readContract({ address: governor, abi: communityGovernorAbi, functionName: "nonces", args: [voter.address] });
  const signature = await voter.signTypedData({
    domain: await domainOf(pc, governor, communityGovernorAbi),
    types: EXTENDED_BALLOT_TYPES,
    primaryType: "ExtendedBallot",
    message: { proposalId, support, voter: voter.address, nonce, reason, params: "0x" },
  });
  return { kind: "vote", proposalId: proposalId.toString(), support, voter: voter.address, reason, params: "0x", signature };
}

/** A holder's delegation signature and its relay action. */
export async function delegateAction(pc: PublicClient, token: Address, holder: PrivateKeyAccount, delegatee: Address, expiry: bigint) {
  const nonce = await pc.readContract({ address: token, abi: socialTokenAbi, functionName: "nonces", args: [holder.address] });
  const signature = await holder.signTypedData({
    domain: await domainOf(pc, token, socialTokenAbi),
    types: DELEGATION_TYPES,
    primaryType: "Delegation",
    message: { delegatee, nonce, expiry },
  });
  return { kind: "delegate", delegatee, nonce: nonce.toString(), expiry: expiry.toString(), signature };
}

export interface Voucher {
  recipient: Address;
  amount: bigint;
  referrer: Address;
  id: bigint;
  deadline: bigint;
}

/** A voucher signed by the vault's attester, as a relay action. */
export async function redeemAction(pc: PublicClient, vault: Address, attester: PrivateKeyAccount, voucher: Voucher) {
  const signature = await attester.signTypedData({
    domain: await domainOf(pc, vault, rewardVaultAbi),
    types: VOUCHER_TYPES,
    primaryType: "Voucher",
    message: voucher,
  });
  return {
    kind: "redeem",
    voucher: { recipient: voucher.recipient, amount: voucher.amount.toString(), referrer: voucher.referrer, id: voucher.id.toString(), deadline: voucher.deadline.toString() },
    signature,
  };
}

/** The latest block's timestamp. */
export async function chainTime(pc: PublicClient): Promise<bigint> {
  return (await pc.getBlock({ blockTag: "latest" })).timestamp;
}

export const addr = (a: string) => getAddress(a);
