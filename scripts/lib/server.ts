/**
 * Running the Coterie server (server/, docs/server.md: relay and attester) from the project's
 * scripts: `./coterie start` runs it as a supervised service on PGlite. Its configuration is
 * environment variables (COTERIE_RPC_URL, COTERIE_CHAIN_ID, COTERIE_DEPLOYMENT_ID, the keys, ...).
 */
import { join } from "node:path";
import { ROOT } from "./deployments.ts";

/** `tsx`, as installed in node_modules. */
export const TSX_BIN = join(ROOT, "node_modules", ".bin", "tsx");

/** Where a run keeps its PGlite database: one directory per deployment, under server/.data/ (ignored by git). */
export function serverDbDir(deploymentId: string): string {
  return join(ROOT, "server", ".data", deploymentId);
}

export interface ServerRun {
  rpcUrl: string;
  chainId: number;
  deploymentId: string;
  host: string;
  port: number;
  /** The app's origins (COTERIE_APP_URLS): sign-in domains and CORS origins. */
  appUrls: string[];
  /** The sponsor's private key (pays the relayed transactions' gas). */
  sponsorKey: string;
  /** The attester's private key (signs join vouchers); none: joins answer 503. */
  attesterKey?: string;
  /** Settings given to some communities at start (COTERIE_SERVER_COMMUNITIES). */
  communities?: Record<string, unknown>;
  /** PGlite's directory; used when `databaseUrl` is not given. */
  dbDir?: string;
  /** A PostgreSQL URL (DATABASE_URL); when given, the server uses PostgreSQL instead of PGlite. */
  databaseUrl?: string;
}

/** The command line and environment that start the server (`tsx server/src/main.ts`) for `run`. */
export function serverCommand(run: ServerRun, base: NodeJS.ProcessEnv = process.env): { command: string; args: string[]; env: NodeJS.ProcessEnv } {
  const env: NodeJS.ProcessEnv = {
    ...base,
    COTERIE_RPC_URL: run.rpcUrl,
    COTERIE_CHAIN_ID: String(run.chainId),
    COTERIE_DEPLOYMENT_ID: run.deploymentId,
    COTERIE_SERVER_HOST: run.host,
    COTERIE_SERVER_PORT: String(run.port),
    COTERIE_APP_URLS: run.appUrls.join(","),
    COTERIE_SPONSOR_KEY: run.sponsorKey,
  };
  // Nothing inherited decides where the state goes or which keys sign: only `run` does.
  for (const name of [
    "DATABASE_URL",
    "COTERIE_SERVER_DB_DIR",
    "COTERIE_ATTESTER_KEY",
    "COTERIE_ATTESTER_KEYSTORE",
    "COTERIE_ATTESTER_KEYSTORE_PASSWORD",
    "COTERIE_SPONSOR_KEYSTORE",
    "COTERIE_SPONSOR_KEYSTORE_PASSWORD",
    "COTERIE_SERVER_COMMUNITIES",
  ]) {
    delete env[name];
  }
  if (run.attesterKey !== undefined) env.COTERIE_ATTESTER_KEY = run.attesterKey;
  if (run.communities !== undefined) env.COTERIE_SERVER_COMMUNITIES = JSON.stringify(run.communities);
  if (run.databaseUrl !== undefined) env.DATABASE_URL = run.databaseUrl;
  else env.COTERIE_SERVER_DB_DIR = run.dbDir ?? serverDbDir(run.deploymentId);
  return { command: TSX_BIN, args: [join("server", "src", "main.ts")], env };
}

/**
 * Polls `<url>/health` every 250 ms until it answers 200 (chain and database answer). Throws when
 * `stillRunning` says the server has stopped, or after `timeoutMs`.
 */
export async function waitForServerReady(url: string, timeoutMs: number, stillRunning: () => boolean = () => true): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (!stillRunning()) throw new Error(`the Coterie server at ${url} stopped before it was ready`);
    try {
      const res = await fetch(`${url}/health`);
      await res.arrayBuffer();
      if (res.status === 200) return;
    } catch {
      // not listening yet
    }
    if (Date.now() >= deadline) throw new Error(`the Coterie server at ${url} did not answer /health after ${Math.round(timeoutMs / 1000)} s`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}
