/**
 * `npm run test:server`: the server's suite (server/test, vitest with server/vitest.config.ts), run
 * twice, as the indexer's is (scripts/test-indexer.ts):
 *
 * 1. on PGlite (a fresh directory per server), COTERIE_TEST_DATABASE_URL unset;
 * 2. on PostgreSQL, with COTERIE_TEST_DATABASE_URL (e.g. postgresql://coterie:coterie@127.0.0.1:5432/coterie_test,
 *    which `.ci/run` creates); every server gets its own schema there.
 *
 * Without COTERIE_TEST_DATABASE_URL the Postgres pass is skipped with a message on a developer's
 * machine and fails on CI (CI=true). `--db pglite` or `--db postgres` runs one pass only; any other
 * argument goes to vitest (e.g. a test file). The exit code is the first failing pass's, else 0.
 */
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { ROOT } from "./lib/deployments.ts";
import { parseRunnerArgs, planPasses, redactUrl } from "./lib/indexer-test-plan.ts";

function main(): number {
  let parsed: ReturnType<typeof parseRunnerArgs>;
  try {
    parsed = parseRunnerArgs(process.argv.slice(2));
  } catch (error) {
    console.error(`test:server: ${(error as Error).message}`);
    return 2;
  }
  // The plan is the indexer's (same variables, same CI rule); only its wording names the indexer.
  const plan = planPasses(parsed.only, process.env);
  const reword = (text: string) => text.replace("the indexer's PostgreSQL pass", "the server's PostgreSQL pass");
  if (plan.error !== null) {
    console.error(`test:server: ${reword(plan.error)}`);
    return 1;
  }
  const vitest = join(ROOT, "node_modules", ".bin", "vitest");
  const config = join(ROOT, "server", "vitest.config.ts");
  let status = 0;
  for (const pass of plan.passes) {
    const where = pass.db === "pglite" ? "PGlite" : `PostgreSQL (${redactUrl(pass.env.COTERIE_TEST_DATABASE_URL!)})`;
    console.log(`test:server: the server's suite on ${where}`);
    const started = Date.now();
    const result = spawnSync(vitest, ["run", "--config", config, ...parsed.vitestArgs], { cwd: ROOT, stdio: "inherit", env: pass.env });
    const code = result.status ?? 1;
    console.log(`test:server: ${pass.db} pass ${code === 0 ? "passed" : `failed (exit ${code})`} in ${Math.round((Date.now() - started) / 1000)} s`);
    if (code !== 0 && status === 0) status = code;
  }
  if (plan.skipped !== null) console.warn(`test:server: PostgreSQL pass skipped: ${reword(plan.skipped)}`);
  return status;
}

process.exit(main());
