/**
 * `npm run bench:indexer`: how fast the indexer (indexer/, Ponder) catches up with a busy chain and
 * how fast its API answers.
 *
 * 1. starts a fresh `hardhat node` (a free loopback port, or --rpc-port), deploys the platform with
 *    Ignition (as `./coterie start` does) and generates a history on it (scripts/lib/history.ts:
 *    200 communities, 2,000 holders, 200 proposals, 5,000 votes; `--small` for a quick run);
 * 2. for PGlite, and for PostgreSQL when COTERIE_TEST_DATABASE_URL or DATABASE_URL is set (a fresh
 *    schema, dropped afterwards): starts `ponder start` on an empty database, times its start-up
 *    (to /health) and its backfill (/health to /ready), with the chain's log count over the
 *    backfill as events per second; then times 200
 *    sequential GET /api/communities (p50, p95; budget p95 < 50 ms, reported PASS/FAIL);
 * 3. prints a table and writes bench/indexer.json (not with --small).
 *
 * Measurements, not tests: nothing here fails on a slow machine except the exit code when a
 * budget is missed (`--no-fail` reports only).
 */
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { cpus, tmpdir, totalmem } from "node:os";
import { join } from "node:path";
import { DEPLOYMENTS_DIR, ROOT, readDeploymentStartBlock, readPlatformAddresses } from "./lib/deployments.ts";
import { BENCH_SIZE, countLogs, generateHistory, Rpc, type HistorySize } from "./lib/history.ts";
import { indexerCommand, waitForIndexerReady } from "./lib/indexer.ts";
import { freePort } from "./lib/ports.ts";
import { waitForRpc } from "./lib/rpc.ts";

const HOST = "127.0.0.1";
/** The API budget: GET /api/communities p95 under this many milliseconds. */
const API_P95_BUDGET_MS = 50;
const API_REQUESTS = 200;
const SMALL: HistorySize = { communities: 10, holders: 50, proposals: 10, votes: 100 };

const args = process.argv.slice(2);
const small = args.includes("--small");
const noFail = args.includes("--no-fail");
const size = small ? SMALL : BENCH_SIZE;
const rpcPortArg = args.indexOf("--rpc-port") >= 0 ? Number(args[args.indexOf("--rpc-port") + 1]) : null;
const indexerPortArg = args.indexOf("--indexer-port") >= 0 ? Number(args[args.indexOf("--indexer-port") + 1]) : null;

const children: ChildProcess[] = [];
function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  try {
    process.kill(-child.pid!, signal);
  } catch {
    // already gone
  }
}
async function stopGroup(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once("exit", resolve));
  killGroup(child, "SIGTERM");
  const timer = setTimeout(() => killGroup(child, "SIGKILL"), 10_000);
  await exited;
  clearTimeout(timer);
}
process.on("exit", () => children.forEach((c) => killGroup(c, "SIGKILL")));
for (const signal of ["SIGINT", "SIGTERM"] as const) process.on(signal, () => process.exit(130));

function launch(command: string, argv: string[], env: NodeJS.ProcessEnv): { child: ChildProcess; output: () => string } {
  const child = spawn(command, argv, { cwd: ROOT, env, detached: true, stdio: ["ignore", "pipe", "pipe"] });
  children.push(child);
  let text = "";
  const add = (d: Buffer) => (text = (text + d.toString()).slice(-6_000));
  child.stdout?.on("data", add);
  child.stderr?.on("data", add);
  return { child, output: () => text };
}

function run(command: string, argv: string[], env: NodeJS.ProcessEnv): Promise<void> {
  const { child, output } = launch(command, argv, env);
  return new Promise((resolve, reject) =>
    child.once("exit", (code) => (code === 0 ? resolve() : reject(new Error(`${command} ${argv.join(" ")} failed (${code}):\n${output()}`)))),
  );
}

async function waitForHealth(url: string, alive: () => boolean): Promise<void> {
  for (;;) {
    if (!alive()) throw new Error(`the indexer at ${url} stopped before it served /health`);
    try {
      const res = await fetch(`${url}/health`);
      await res.arrayBuffer();
      if (res.status === 200) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

/** A minimal view of node-postgres (a dependency of Ponder's), to create and drop the bench's schema. */
interface PgClient {
  connect(): Promise<void>;
  query(sql: string): Promise<unknown>;
  end(): Promise<void>;
}
async function withPg(url: string, sql: string): Promise<void> {
  const require = createRequire(join(ROOT, "node_modules", "ponder", "package.json"));
  const { Client } = require("pg") as { Client: new (options: { connectionString: string }) => PgClient };
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

interface DbResult {
  database: "pglite" | "postgres";
  /** From `ponder start` to its HTTP server answering /health (build, database set-up). */
  startupSeconds: number;
  /** From /health to /ready: the backfill. */
  backfillSeconds: number;
  eventsPerSecond: number;
  apiP50Ms: number;
  apiP95Ms: number;
  apiP95BudgetMs: number;
  apiPass: boolean;
}

async function benchDatabase(database: "pglite" | "postgres", ctx: { rpcUrl: string; deploymentId: string; logs: number; databaseUrl?: string }): Promise<DbResult> {
  const port = indexerPortArg ?? (await freePort());
  const url = `http://${HOST}:${port}`;
  const schema = `bench_${process.pid}_${Date.now()}`;
  const dbDir = mkdtempSync(join(tmpdir(), "coterie-bench-indexer-"));
  const cmd = indexerCommand({
    rpcUrl: ctx.rpcUrl,
    chainId: 31337,
    deploymentId: ctx.deploymentId,
    host: HOST,
    port,
    schema: database === "pglite" ? "coterie" : schema,
    ...(database === "postgres" ? { databaseUrl: ctx.databaseUrl! } : { dbDir }),
  });
  const started = Date.now();
  const { child, output } = launch(cmd.command, cmd.args, cmd.env);
  const alive = () => child.exitCode === null && child.signalCode === null;
  try {
    let serving = started;
    try {
      // The HTTP server answers /health once Ponder has built the app and opened the database; the
      // backfill runs from then until /ready.
      await waitForHealth(url, alive);
      serving = Date.now();
      await waitForIndexerReady(url, 1_800_000, alive);
    } catch (error) {
      throw new Error(`${(error as Error).message}\n${output()}`);
    }
    const ready = Date.now();
    const backfillSeconds = (ready - serving) / 1000;
    const times: number[] = [];
    for (let i = 0; i < API_REQUESTS; i++) {
      const t = performance.now();
      const res = await fetch(`${url}/api/communities?limit=20`);
      await res.arrayBuffer();
      if (res.status !== 200) throw new Error(`GET /api/communities answered ${res.status}`);
      times.push(performance.now() - t);
    }
    times.sort((a, b) => a - b);
    const apiP95Ms = percentile(times, 95);
    return {
      database,
      startupSeconds: Number(((serving - started) / 1000).toFixed(1)),
      backfillSeconds: Number(backfillSeconds.toFixed(1)),
      eventsPerSecond: Math.round(ctx.logs / backfillSeconds),
      apiP50Ms: Number(percentile(times, 50).toFixed(1)),
      apiP95Ms: Number(apiP95Ms.toFixed(1)),
      apiP95BudgetMs: API_P95_BUDGET_MS,
      apiPass: apiP95Ms < API_P95_BUDGET_MS,
    };
  } finally {
    await stopGroup(child);
    rmSync(dbDir, { recursive: true, force: true });
    if (database === "postgres") await withPg(ctx.databaseUrl!, `DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  }
}

async function main(): Promise<number> {
  const hardhat = join(ROOT, "node_modules", ".bin", "hardhat");
  const rpcPort = rpcPortArg ?? (await freePort());
  const rpcUrl = `http://${HOST}:${rpcPort}`;
  const deploymentId = `bench-indexer-${rpcPort}`;
  const log = (line: string) => console.log(`[bench:indexer] ${line}`);

  log("compiling (production profile, as Ignition deploys)");
  await run(hardhat, ["build", "--default-build-profile", "production", "--no-tests", "--quiet"], process.env);
  log(`starting hardhat node on ${rpcUrl}`);
  const node = launch(hardhat, ["node", "--hostname", HOST, "--port", String(rpcPort)], process.env);
  await waitForRpc(rpcUrl, 240, () => node.child.exitCode === null);
  rmSync(join(DEPLOYMENTS_DIR, deploymentId), { recursive: true, force: true });
  try {
    log("deploying the platform (Ignition)");
    await run(hardhat, ["ignition", "deploy", "deploy/modules/Platform.ts", "--network", "localhost", "--deployment-id", deploymentId], {
      ...process.env,
      LOCALHOST_RPC_URL: rpcUrl,
    });
    const platform = readPlatformAddresses(deploymentId);
    log(`generating ${size.communities} communities, ${size.holders} holders, ${size.proposals} proposals, ${size.votes} votes`);
    const history = await generateHistory(rpcUrl, platform.factory, size);
    const rpc = new Rpc(rpcUrl);
    const startBlock = readDeploymentStartBlock(deploymentId);
    const head = Number(await rpc.call<string>("eth_blockNumber"));
    const logs = await countLogs(rpc, startBlock, head);
    log(`history: ${history.transactions} transactions in ${history.seconds.toFixed(1)} s; blocks ${startBlock}-${head}, ${logs} logs`);

    const databaseUrl = process.env.COTERIE_TEST_DATABASE_URL || process.env.DATABASE_URL || undefined;
    const results: DbResult[] = [];
    for (const database of ["pglite", "postgres"] as const) {
      if (database === "postgres" && databaseUrl === undefined) {
        log("PostgreSQL: skipped (set COTERIE_TEST_DATABASE_URL or DATABASE_URL)");
        continue;
      }
      log(`indexing on ${database}: backfill to /ready, then ${API_REQUESTS} GET /api/communities`);
      results.push(await benchDatabase(database, { rpcUrl, deploymentId, logs, ...(databaseUrl === undefined ? {} : { databaseUrl }) }));
    }

    const header = ["database", "start-up", "backfill (/health to /ready)", "events/s", "API p50", "API p95", `p95 < ${API_P95_BUDGET_MS} ms`];
    const rows = results.map((r) => [r.database, `${r.startupSeconds} s`, `${r.backfillSeconds} s`, String(r.eventsPerSecond), `${r.apiP50Ms} ms`, `${r.apiP95Ms} ms`, r.apiPass ? "PASS" : "FAIL"]);
    const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
    const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(" | ")} |`;
    console.log(
      [
        "",
        `Indexer benchmark: ${size.communities} communities, ${size.holders} holders, ${size.proposals} proposals, ${size.votes} votes (${logs} logs, ${head - startBlock + 1} blocks)`,
        line(header),
        `|${widths.map((w) => "-".repeat(w + 2)).join("|")}|`,
        ...rows.map(line),
      ].join("\n"),
    );
    if (!small) {
      const file = join(ROOT, "bench", "indexer.json");
      writeFileSync(
        file,
        JSON.stringify(
          {
            size,
            history: { transactions: history.transactions, blocks: head - startBlock + 1, logs, generateSeconds: Number(history.seconds.toFixed(1)) },
            apiRequests: API_REQUESTS,
            results,
            machine: { cpus: cpus().length, memoryGiB: Math.round(totalmem() / 2 ** 30), node: process.version },
          },
          null,
          2,
        ) + "\n",
      );
      log(`wrote ${file.slice(ROOT.length + 1)}`);
    }
    return results.every((r) => r.apiPass) || noFail ? 0 : 1;
  } finally {
    await stopGroup(node.child);
    rmSync(join(DEPLOYMENTS_DIR, deploymentId), { recursive: true, force: true });
  }
}

main().then(
  (code) => process.exit(code),
  (error: Error) => {
    console.error(`bench:indexer: ${error.stack ?? error.message}`);
    process.exit(1);
  },
);
