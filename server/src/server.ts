/**
 * Starts the server: opens and migrates the database, connects to the chain, builds the context,
 * starts the relay's sender, serves the app. `close()` stops taking requests, lets in-flight ones
 * finish, stops the sender after its current step, then closes the database.
 */
import { serve, type ServerType } from "@hono/node-server";
import type { Hono } from "hono";
import type { Logger } from "pino";
import { createPublicClient, defineChain, getAddress, http, type Address, type PublicClient } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { createApp } from "./app.ts";
import { communityResolver } from "./community.ts";
import type { ServerConfig, ServerContext } from "./context.ts";
import { migrate, openDb } from "./db.ts";
import { createLogger } from "./log.ts";
import { BUDGET_TABLES } from "./relay/budget.ts";
import { relayRouter } from "./relay/router.ts";
import { jsonRpc } from "./relay/rpc.ts";
import { Sender } from "./relay/sender.ts";
import { RELAY_TABLES } from "./relay/store.ts";
import { SETTINGS_TABLES, loadSettings } from "./settings.ts";

export interface StartOptions {
  /** Routers the server mounts after its own (e.g. the attester's); may create their tables first. */
  routers?: (ctx: ServerContext) => Hono[] | Promise<Hono[]>;
  /** A logger (default: pino on stdout at COTERIE_LOG_LEVEL). */
  log?: Logger;
}

export interface RunningServer {
  ctx: ServerContext;
  /** http://host:port (the port the system gave when config.port is 0). */
  url: string;
  close(): Promise<void>;
}

/** The chain as viem sees it: the configured id and RPC. */
export function chainClient(config: Pick<ServerConfig, "chainId" | "rpcUrl">): PublicClient {
  const chain = defineChain({
    id: config.chainId,
    name: `chain ${config.chainId}`,
    nativeCurrency: { name: "Ether", symbol: "ETH", decimals: 18 },
    rpcUrls: { default: { http: [config.rpcUrl] } },
  });
  // Reads made within 5 ms go out as one JSON-RPC batch (much faster on a node under load; concurrent
  // requests reach the handler a few milliseconds apart, not in the same turn).
  return createPublicClient({ chain, transport: http(config.rpcUrl, { retryCount: 1, timeout: 20_000, batch: { batchSize: 200, wait: 5 } }) });
}

/** Builds the shared context (database opened and migrated). */
export async function createContext(config: ServerConfig, log: Logger): Promise<ServerContext> {
  const db = await openDb(config.database);
  await migrate(db, [...SETTINGS_TABLES, ...RELAY_TABLES, ...BUDGET_TABLES]);
  const chain = chainClient(config);
  const attester: Address | null = config.attesterKey ? privateKeyToAccount(config.attesterKey).address : null;
  return {
    config,
    db,
    log,
    chain,
    community: communityResolver(chain, config.platform.factory),
    settings: (token) => loadSettings(db, getAddress(token), config.defaults, config.initialSettings),
    sponsor: privateKeyToAccount(config.sponsorKey).address,
    attester,
  };
}

/** Starts the server; resolves once it listens. */
export async function startServer(config: ServerConfig, options: StartOptions = {}): Promise<RunningServer> {
  const log = options.log ?? createLogger();
  const ctx = await createContext(config, log);
  const rpc = jsonRpc(config.rpcUrl);
  const sender = new Sender(ctx, privateKeyToAccount(config.sponsorKey), rpc);
  await sender.start();
  const relay = relayRouter(ctx, rpc, () => sender.wake(), config.relayLimits ?? { perIpPerMinute: 120, perAccountPerMinute: 20 });
  const extra = options.routers ? await options.routers(ctx) : [];
  const app = createApp(ctx, [relay, ...extra]);
  const server = await new Promise<ServerType>((resolve) => {
    const s = serve({ fetch: app.fetch, hostname: config.host, port: config.port }, () => resolve(s));
  });
  const address = server.address();
  const port = typeof address === "object" && address !== null ? address.port : config.port;
  const url = `http://${config.host}:${port}`;
  let closing: Promise<void> | null = null;
  return {
    ctx,
    url,
    close() {
      closing ??= (async () => {
        await new Promise<void>((resolve) => server.close(() => resolve()));
        await sender.stop();
        await ctx.db.close();
      })();
      return closing;
    },
  };
}
