/**
 * How `npm run test:indexer` (scripts/test-indexer.ts) runs the indexer's suite: once on PGlite,
 * once on PostgreSQL when COTERIE_TEST_DATABASE_URL is set (skipped without it on a developer's
 * machine, a failure on CI). Pure functions, tested in test/indexer-test-plan.test.ts.
 */
export type IndexerTestDb = "pglite" | "postgres";

/** Splits the runner's own `--db <pglite|postgres>` from the arguments meant for vitest. */
export function parseRunnerArgs(argv: string[]): { only: IndexerTestDb | null; vitestArgs: string[] } {
  const vitestArgs: string[] = [];
  let only: IndexerTestDb | null = null;
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === "--db") {
      const value = argv[++i];
      if (value !== "pglite" && value !== "postgres") throw new Error(`--db must be pglite or postgres, got "${value ?? ""}"`);
      only = value;
    } else {
      vitestArgs.push(argv[i]!);
    }
  }
  return { only, vitestArgs };
}

/**
 * Which passes run, given the environment: PGlite always (unless --db postgres); Postgres when a
 * database URL is set, else skipped (a developer's machine) or an error (CI).
 */
export function planPasses(
  only: IndexerTestDb | null,
  env: NodeJS.ProcessEnv,
): { passes: Array<{ db: IndexerTestDb; env: NodeJS.ProcessEnv }>; skipped: string | null; error: string | null } {
  const url = env.COTERIE_TEST_DATABASE_URL;
  const passes: Array<{ db: IndexerTestDb; env: NodeJS.ProcessEnv }> = [];
  if (only !== "postgres") {
    const pglite = { ...env };
    delete pglite.COTERIE_TEST_DATABASE_URL;
    passes.push({ db: "pglite", env: pglite });
  }
  if (only === "pglite") return { passes, skipped: null, error: null };
  if (url === undefined || url === "") {
    const message =
      "the indexer's PostgreSQL pass needs COTERIE_TEST_DATABASE_URL (e.g. postgresql://coterie:coterie@127.0.0.1:5432/coterie_test; .ci/run sets it up as root)";
    if (env.CI !== undefined && env.CI !== "" && env.CI !== "false") return { passes, skipped: null, error: message };
    return { passes, skipped: message, error: null };
  }
  passes.push({ db: "postgres", env: { ...env, COTERIE_TEST_DATABASE_URL: url } });
  return { passes, skipped: null, error: null };
}

/** The URL without its password, for logs. */
export function redactUrl(url: string): string {
  return url.replace(/\/\/([^:/@]+):[^@]*@/, "//$1:***@");
}

