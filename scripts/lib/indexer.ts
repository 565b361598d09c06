/**
 * Running the indexer (the Ponder app in indexer/, docs/indexer.md) from the project's scripts:
 * `./coterie start` runs it as a supervised service on PGlite, `npm run bench:indexer` times its
 * backfill. Its configuration is environment variables (COTERIE_RPC_URL, COTERIE_CHAIN_ID,
 * COTERIE_DEPLOYMENT_ID, and COTERIE_INDEXER_DB_DIR for PGlite or DATABASE_URL for PostgreSQL).
 */
import { join } from "node:path";
import { ROOT } from "./deployments.ts";

/** `ponder`, as installed in node_modules. */
export const PONDER_BIN = join(ROOT, "node_modules", ".bin", "ponder");

/** Where a run keeps its PGlite database: one directory per deployment, under indexer/.ponder/ (ignored by git). */
export function indexerDbDir(deploymentId: string): string {
  return join(ROOT, "indexer", ".ponder", deploymentId);
}

export interface IndexerRun {
  rpcUrl: string;
  chainId: number;
  deploymentId: string;
  host: string;
  port: number;
  /** The database schema (`ponder start --schema`); one per deployment on a shared PostgreSQL. */
  schema: string;
  /** PGlite's directory; used when `databaseUrl` is not given. */
  dbDir?: string;
  /** A PostgreSQL URL (DATABASE_URL); when given, the indexer uses PostgreSQL instead of PGlite. */
  databaseUrl?: string;
}

/** The command line and environment that start the indexer (`ponder start`) for `run`. */
export function indexerCommand(run: IndexerRun, base: NodeJS.ProcessEnv = process.env): { command: string; args: string[]; env: NodeJS.ProcessEnv } {
  const env: NodeJS.ProcessEnv = {
    ...base,
    COTERIE_RPC_URL: run.rpcUrl,
    COTERIE_CHAIN_ID: String(run.chainId),
    COTERIE_DEPLOYMENT_ID: run.deploymentId,
    // Ponder reports usage to its authors unless told not to; Coterie only ever talks to its own RPC.
    PONDER_TELEMETRY_DISABLED: "true",
  };
  delete env.DATABASE_URL;
  delete env.COTERIE_INDEXER_DB_DIR;
  delete env.DATABASE_SCHEMA;
  if (run.databaseUrl !== undefined) env.DATABASE_URL = run.databaseUrl;
  else env.COTERIE_INDEXER_DB_DIR = run.dbDir ?? indexerDbDir(run.deploymentId);
  return {
    command: PONDER_BIN,
    args: ["start", "--root", "indexer", "--port", String(run.port), "--hostname", run.host, "--schema", run.schema, "--log-level", "warn"],
    env,
  };
}

/**
 * Polls `<url>/ready` every 250 ms until it answers 200 (the backfill is done and the API serves
 * indexed data). Throws when `stillRunning` says the indexer has stopped, or after `timeoutMs`.
 */
export async function waitForIndexerReady(url: string, timeoutMs: number, stillRunning: () => boolean = () => true): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (!stillRunning()) throw new Error(`the indexer at ${url} stopped before it was ready`);
    try {
      const res = await fetch(`${url}/ready`);
      await res.arrayBuffer();
      if (res.status === 200) return;
    } catch {
      // not listening yet
    }
    if (Date.now() >= deadline) throw new Error(`the indexer at ${url} was not ready after ${Math.round(timeoutMs / 1000)} s`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}
