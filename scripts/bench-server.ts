/**
 * `npm run bench:server`: the server's budgets (relay p95 request → sent with 100 concurrent
 * requests; sponsor gas per fan join against the direct path), written to bench/server.json.
 * The measurement is server/bench/relay-bench.ts (it uses the server and its test harness, which
 * need the generated ABIs: `npm run bench:server` generates them first); this entry runs it with the
 * chain and server ports of the server's tests. Arguments go through (e.g. --no-fail).
 */
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { ROOT } from "./lib/deployments.ts";

const result = spawnSync(join(ROOT, "node_modules", ".bin", "tsx"), [join(ROOT, "server", "bench", "relay-bench.ts"), ...process.argv.slice(2)], {
  cwd: ROOT,
  stdio: "inherit",
  env: {
    ...process.env,
    COTERIE_TEST_CHAIN_PORTS: process.env.COTERIE_TEST_CHAIN_PORTS ?? "8600-8649",
    COTERIE_TEST_SERVER_PORTS: process.env.COTERIE_TEST_SERVER_PORTS ?? "8700-8749",
  },
});
process.exit(result.status ?? 1);
