/**
 * The server's entry: `tsx server/src/main.ts`. Reads the configuration from the environment
 * (docs/server.md), starts, logs its URL, and on SIGINT/SIGTERM stops taking requests, finishes
 * what is in flight (database writes included) and exits.
 */
import { ConfigError, readConfig } from "./config.ts";
import { joinRoutes } from "./join.ts";
import { createLogger } from "./log.ts";
import { startServer } from "./server.ts";

const log = createLogger();

/** A configuration mistake (a variable missing or malformed) is one readable line and exit 2, not a stack trace. */
function configFailure(error: unknown): never {
  if (!(error instanceof ConfigError)) throw error;
  log.fatal({ err: error.message }, `configuration: ${error.message}`);
  console.error(`coterie server: ${error.message}`);
  process.exit(2);
}

// Some variables (COTERIE_JOIN_GATE_URL) are read by the parts that use them while the server starts.
const config = await readConfig().catch(configFailure);
const running = await startServer(config, { log, routers: async (ctx) => [await joinRoutes(ctx)] }).catch(configFailure);
log.info({ url: running.url, chainId: config.chainId, db: config.database.kind, sponsor: running.ctx.sponsor, attester: running.ctx.attester }, `listening on ${running.url}`);

let stopping = false;
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, "stopping");
    running.close().then(
      () => process.exit(0),
      (error: unknown) => {
        log.error({ err: (error as Error).message }, "error while stopping");
        process.exit(1);
      },
    );
  });
}
