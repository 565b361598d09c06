/**
 * `npm run test:indexer`: the indexer's suite (indexer/test, vitest with indexer/vitest.config.ts),
 * run twice:
 *
 * 1. on PGlite (Ponder's embedded Postgres, a fresh directory per test), COTERIE_TEST_DATABASE_URL unset;
 * 2. on PostgreSQL, with COTERIE_TEST_DATABASE_URL (e.g. postgresql://coterie:coterie@127.0.0.1:5432/coterie_test,
 *    which `.ci/run` creates); the harness gives every test its own schema there.
 *
 * Without COTERIE_TEST_DATABASE_URL the Postgres pass is skipped with a message on a developer's
 * machine and fails on CI (CI=true), where `.ci/run` provides the database.
 *
 * `--db pglite` or `--db postgres` runs one pass only; any other argument goes to vitest (e.g. a
 * test file). The exit code is the first failing pass's, else 0.
 */
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { ROOT } from "./lib/deployments.ts";
import { parseRunnerArgs, planPasses, redactUrl } from "./lib/indexer-test-plan.ts";

function main(): number {
  let parsed: ReturnType<typeof parseRunnerArgs>;
  try {
    parsed = parseRunnerArgs(process.argv.slice(2));
  } catch (error) {
    console.error(`test:indexer: ${(error as Error).message}`);
    return 2;
  }
  const config = join(ROOT, "indexer", "vitest.config.ts");
  if (!existsSync(config)) {
    console.error(`test:indexer: ${config} is missing (the indexer's test configuration)`);
    return 1;
  }
  const plan = planPasses(parsed.only, process.env);
  if (plan.error !== null) {
    console.error(`test:indexer: ${plan.error}`);
    return 1;
  }
  const vitest = join(ROOT, "node_modules", ".bin", "vitest");
  let status = 0;
  for (const pass of plan.passes) {
    const where = pass.db === "pglite" ? "PGlite" : `PostgreSQL (${redactUrl(pass.env.COTERIE_TEST_DATABASE_URL!)})`;
    console.log(`test:indexer: the indexer's suite on ${where}`);
    const started = Date.now();
    const result = spawnSync(vitest, ["run", "--config", config, ...parsed.vitestArgs], { cwd: ROOT, stdio: "inherit", env: pass.env });
    const seconds = Math.round((Date.now() - started) / 1000);
    const code = result.status ?? 1;
    console.log(`test:indexer: ${pass.db} pass ${code === 0 ? "passed" : `failed (exit ${code})`} in ${seconds} s`);
    if (code !== 0 && status === 0) status = code;
  }
  if (plan.skipped !== null) console.warn(`test:indexer: PostgreSQL pass skipped: ${plan.skipped}`);
  return status;
}

process.exit(main());
