/**
 * Indexer test harness: a local chain with the platform deployed and the demo seeded (as
 * `npm start` does it), and a `ponder start` indexing it, on free loopback ports, in its own
 * deployment id and a fresh database. `stop()` ends both process groups and removes what they left.
 *
 * Database: a temporary PGlite directory, or, when COTERIE_TEST_DATABASE_URL is set, that
 * PostgreSQL database with a schema unique to this run (the same suite then runs on Postgres).
 *
 * Ports: the chain takes the first free port of COTERIE_TEST_CHAIN_PORTS (default 8621-8629), the
 * indexer the first free one of COTERIE_TEST_INDEXER_PORTS (default 42101-42110); when a range is
 * exhausted the system picks any free port.
 *
 * Exported for the fault and benchmark tests built on it: startChain (chain + deploy + seed),
 * startIndexer (one Ponder on a chain; several may run on one chain), waitForIndexed, rpc helpers.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort as anyFreePort, portIsFree as portFree } from "../../scripts/lib/ports.ts";

export const ROOT = join(import.meta.dirname, "..", "..");
export const HOST = "127.0.0.1";
const BIN = join(ROOT, "node_modules", ".bin");
const DEPLOYMENTS_DIR = join(ROOT, "deploy", "deployments");

/** What scripts/seed.ts wrote about the demo community (COTERIE_DEMO_OUT). */
export interface DemoInfo {
  platform: Record<string, string>;
  community: { id: number; name: string; symbol: string; token: string; governor: string; timelock: string; verified: boolean };
  liveProposalId: number | string;
  rewardVault: string;
  crowdfund: string;
  revenueShare?: string;
  [key: string]: unknown;
}

export interface Chain {
  rpcUrl: string;
  port: number;
  chainId: number;
  deploymentId: string;
  demo: DemoInfo;
  /** The node's dev accounts (#0 deployer, #1 demo creator, #2-#4 fans, ...). */
  accounts: `0x${string}`[];
  rpc<T = unknown>(method: string, params?: unknown[]): Promise<T>;
  /** The latest block number. */
  blockNumber(): Promise<number>;
  stop(): Promise<void>;
}

export interface Indexer {
  url: string;
  port: number;
  /** The Postgres schema (or "public" under PGlite). */
  schema: string;
  /** PGlite directory (null under Postgres). */
  dbDir: string | null;
  /** Everything Ponder printed so far (for failure messages). */
  output(): string;
  get<T = unknown>(path: string): Promise<{ status: number; body: T; headers: Headers }>;
  /** Sends `signal` to Ponder's process group (e.g. SIGKILL for a crash) and waits for it to exit. */
  kill(signal: NodeJS.Signals): Promise<void>;
  /** Stops Ponder; removes its PGlite directory unless `keepDatabase` (to start another on it). */
  stop(options?: { keepDatabase?: boolean }): Promise<void>;
}

export interface IndexerOptions {
  /** Extra environment for `ponder start` (overrides the harness's). */
  env?: Record<string, string>;
  /** Reuse a database: a PGlite directory (under PGlite) ... */
  dbDir?: string;
  /** ... or a Postgres schema (under COTERIE_TEST_DATABASE_URL). */
  schema?: string;
  /** `false`: resolve as soon as Ponder is started, without waiting for /ready (to catch it mid-backfill). */
  ready?: boolean;
}


const taken = new Set<number>();

/** The first free port of the range "a-b" (ports this process handed out are skipped), else any free port. */
export async function freePort(range: string): Promise<number> {
  const match = /^(\d+)-(\d+)$/.exec(range);
  if (match) {
    for (let p = Number(match[1]); p <= Number(match[2]); p++) {
      if (!taken.has(p) && (await portFree(p))) {
        taken.add(p);
        return p;
      }
    }
  }
  const p = await anyFreePort();
  taken.add(p);
  return p;
}

export function rpcClient(rpcUrl: string) {
  let id = 1;
  return async <T = unknown>(method: string, params: unknown[] = []): Promise<T> => {
    const res = await fetch(rpcUrl, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ jsonrpc: "2.0", id: id++, method, params }),
    });
    const body = (await res.json()) as { result?: T; error?: { message: string } };
    if (body.error) throw new Error(`${method}: ${body.error.message}`);
    return body.result as T;
  };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Runs a command to completion; throws with its output when it fails. */
function run(name: string, bin: string, args: string[], env: Record<string, string> = {}): void {
  const result = spawnSync(bin, args, { cwd: ROOT, env: { ...process.env, ...env }, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
  if (result.status !== 0) {
    throw new Error(`${name} failed (exit ${result.status}):\n${(result.stdout ?? "").slice(-3000)}\n${(result.stderr ?? "").slice(-3000)}`);
  }
}

/** A long-running child in its own process group, with its output kept. */
function service(bin: string, args: string[], env: Record<string, string>) {
  const child: ChildProcess = spawn(bin, args, { cwd: ROOT, detached: true, stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, ...env } });
  let output = "";
  const keep = (d: Buffer) => {
    output += d.toString();
    if (output.length > 200_000) output = output.slice(-100_000);
  };
  child.stdout?.on("data", keep);
  child.stderr?.on("data", keep);
  return {
    child,
    output: () => output,
    /** Ends the process group (SIGTERM, then SIGKILL if it lingers). */
    async stop() {
      if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((r) => child.once("exit", r));
      try {
        process.kill(-child.pid, "SIGTERM");
      } catch {
        child.kill("SIGTERM");
      }
      const done = await Promise.race([exited.then(() => true), sleep(10_000).then(() => false)]);
      if (!done) {
        try {
          process.kill(-child.pid, "SIGKILL");
        } catch {
          child.kill("SIGKILL");
        }
        await exited;
      }
    },
  };
}

/** Removes a directory, again if late writes of a stopping process recreated files in it. */
async function removeDir(dir: string): Promise<void> {
  for (let attempt = 0; attempt < 5; attempt++) {
    try {
      rmSync(dir, { recursive: true, force: true });
    } catch {
      // ENOTEMPTY while something still writes: try again
    }
    await sleep(300);
    if (!existsSync(dir)) return;
  }
}

let compiled = false;

/** Compiles the contracts (production profile, as Ignition deploys them) and generates the ABIs. */
export function buildContracts(): void {
  if (compiled) return;
  run("hardhat build", join(BIN, "hardhat"), ["build", "--default-build-profile", "production", "--no-tests", "--quiet"]);
  run("gen-frontend (ABIs)", join(BIN, "tsx"), ["scripts/gen-frontend.ts"]);
  compiled = true;
}

/** Starts `hardhat node`, deploys the platform with Ignition and seeds the demo (scripts/seed.ts). */
export async function startChain(options: { seed?: boolean } = {}): Promise<Chain> {
  buildContracts();
  const port = await freePort(process.env.COTERIE_TEST_CHAIN_PORTS ?? "8621-8629");
  const rpcUrl = `http://${HOST}:${port}`;
  const deploymentId = `indexer-test-${port}-${process.pid}`;
  const demoOut = join(DEPLOYMENTS_DIR, `${deploymentId}-demo.json`);
  const node = service(join(BIN, "hardhat"), ["node", "--hostname", HOST, "--port", String(port)], {});
  const rpc = rpcClient(rpcUrl);
  const cleanup = async () => {
    await node.stop();
    rmSync(join(DEPLOYMENTS_DIR, deploymentId), { recursive: true, force: true });
    rmSync(demoOut, { force: true });
  };
  try {
    for (;;) {
      if (node.child.exitCode !== null) throw new Error(`hardhat node exited:\n${node.output().slice(-3000)}`);
      try {
        await rpc("eth_chainId");
        break;
      } catch {
        await sleep(250);
      }
    }
    const env = { LOCALHOST_RPC_URL: rpcUrl, COTERIE_DEPLOYMENT_ID: deploymentId, COTERIE_DEMO_OUT: demoOut };
    run("ignition deploy", join(BIN, "hardhat"), ["ignition", "deploy", "deploy/modules/Platform.ts", "--network", "localhost", "--deployment-id", deploymentId], env);
    if (options.seed !== false) run("seed", join(BIN, "hardhat"), ["run", "--no-compile", "scripts/seed.ts", "--network", "localhost"], env);
  } catch (error) {
    await cleanup();
    throw error;
  }
  const chainId = Number.parseInt(await rpc<string>("eth_chainId"), 16);
  const accounts = await rpc<`0x${string}`[]>("eth_accounts");
  return {
    rpcUrl,
    port,
    chainId,
    deploymentId,
    demo: existsSync(demoOut) ? (JSON.parse(readFileSync(demoOut, "utf8")) as DemoInfo) : ({} as DemoInfo),
    accounts,
    rpc,
    blockNumber: async () => Number.parseInt(await rpc<string>("eth_blockNumber"), 16),
    stop: cleanup,
  };
}

/** Starts `ponder start --root indexer` on `chain` and resolves once GET /ready answers 200 (unless `ready: false`). */
export async function startIndexer(chain: Chain, options: IndexerOptions = {}): Promise<Indexer> {
  const port = await freePort(process.env.COTERIE_TEST_INDEXER_PORTS ?? "42101-42110");
  const url = `http://${HOST}:${port}`;
  const postgres = process.env.COTERIE_TEST_DATABASE_URL;
  const dbDir = postgres ? null : (options.dbDir ?? mkdtempSync(join(tmpdir(), "coterie-indexer-")));
  const schema = postgres ? (options.schema ?? `coterie_test_${port}_${process.pid}_${Date.now().toString(36)}`) : "public";
  const env: Record<string, string> = {
    COTERIE_RPC_URL: chain.rpcUrl,
    COTERIE_CHAIN_ID: String(chain.chainId),
    COTERIE_DEPLOYMENT_ID: chain.deploymentId,
    PONDER_TELEMETRY_DISABLED: "true",
    ...(dbDir ? { COTERIE_INDEXER_DB_DIR: dbDir } : { DATABASE_URL: postgres! }),
    ...options.env,
  };
  if (dbDir) env.DATABASE_URL = "";
  const ponder = service(
    join(BIN, "ponder"),
    ["start", "--root", "indexer", "--port", String(port), "--hostname", HOST, "--schema", schema, "--log-format", "json"],
    env,
  );
  const indexer: Indexer = {
    url,
    port,
    schema,
    dbDir,
    output: ponder.output,
    async get<T>(path: string) {
      const res = await fetch(url + path);
      const text = await res.text();
      let body: unknown = text;
      try {
        body = JSON.parse(text);
      } catch {
        // not JSON: keep the text
      }
      return { status: res.status, body: body as T, headers: res.headers };
    },
    async kill(signal: NodeJS.Signals) {
      const child = ponder.child;
      if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((r) => child.once("exit", r));
      try {
        process.kill(-child.pid, signal);
      } catch {
        child.kill(signal);
      }
      await exited;
    },
    async stop(stopOptions: { keepDatabase?: boolean } = {}) {
      await ponder.stop();
      if (dbDir && !stopOptions.keepDatabase) await removeDir(dbDir);
    },
  };
  if (options.ready === false) return indexer;
  try {
    for (;;) {
      if (ponder.child.exitCode !== null) throw new Error(`ponder exited (${ponder.child.exitCode}):\n${ponder.output().slice(-4000)}`);
      try {
        const res = await fetch(`${url}/ready`);
        if (res.status === 200) break;
      } catch {
        // not listening yet
      }
      await sleep(250);
    }
  } catch (error) {
    await indexer.stop();
    throw error;
  }
  return indexer;
}

/** Waits until the indexer has processed the chain's latest block (GET /status). */
export async function waitForIndexed(indexer: Indexer, chain: Chain): Promise<number> {
  const target = await chain.blockNumber();
  for (;;) {
    const { status, body } = await indexer.get<Record<string, { block: { number: number } | null; ready: boolean }>>("/status");
    if (status === 200) {
      const networks = Object.values(body);
      if (networks.length > 0 && networks.every((n) => n.block !== null && n.block.number >= target)) return target;
    }
    await sleep(200);
  }
}
