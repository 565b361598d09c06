/**
 * `npm run test:e2e`: the end-to-end suite in Debian's Chromium (frontend/e2e, vitest).
 * Without Chromium it stops with the command that installs it; on CI (CI=true) that is a failure,
 * on a developer's machine the browser suite is skipped with that message.
 */
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { ROOT } from "./lib/deployments.ts";

const chromium = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
if (!existsSync(chromium)) {
  const message = `browser tests need Chromium at ${chromium}: sudo apt-get install -y chromium (or set CHROMIUM_PATH)`;
  if (process.env.CI) {
    console.error(`test:e2e: ${message}`);
    process.exit(1);
  }
  console.warn(`test:e2e: skipped, ${message}`);
  process.exit(0);
}
const vitest = join(ROOT, "node_modules", ".bin", "vitest");
const result = spawnSync(vitest, ["run", "--config", "frontend/vitest.e2e.config.ts", ...process.argv.slice(2)], {
  cwd: ROOT,
  stdio: "inherit",
});
process.exit(result.status ?? 1);
