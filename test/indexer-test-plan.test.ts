/**
 * `npm run test:indexer` (scripts/test-indexer.ts, scripts/lib/indexer-test-plan.ts): the indexer's
 * suite runs on PGlite and, with COTERIE_TEST_DATABASE_URL, on PostgreSQL; CI without a database is a
 * failure, a developer's machine without one skips that pass with a message.
 */
import { expect } from "chai";
import { parseRunnerArgs, planPasses, redactUrl } from "../scripts/lib/indexer-test-plan.ts";

const URL = "postgresql://coterie:coterie@127.0.0.1:5432/coterie_test";

describe("test:indexer runs the indexer suite on PGlite and on PostgreSQL", () => {
  it("runs both passes when COTERIE_TEST_DATABASE_URL is set, the PGlite pass without the URL", () => {
    const plan = planPasses(null, { COTERIE_TEST_DATABASE_URL: URL, CI: "true" });
    expect(plan.passes.map((p) => p.db)).to.deep.equal(["pglite", "postgres"]);
    expect(plan.passes[0]!.env.COTERIE_TEST_DATABASE_URL).to.equal(undefined);
    expect(plan.passes[1]!.env.COTERIE_TEST_DATABASE_URL).to.equal(URL);
    expect(plan.error).to.equal(null);
    expect(plan.skipped).to.equal(null);
  });

  it("fails on CI when there is no PostgreSQL to test on", () => {
    const plan = planPasses(null, { CI: "true" });
    expect(plan.error).to.match(/COTERIE_TEST_DATABASE_URL/);
    expect(planPasses("postgres", { CI: "1", COTERIE_TEST_DATABASE_URL: "" }).error).to.match(/COTERIE_TEST_DATABASE_URL/);
  });

  it("skips only the PostgreSQL pass, with a message, on a developer's machine without a database", () => {
    for (const env of [{}, { CI: "false" }, { CI: "" }]) {
      const plan = planPasses(null, env);
      expect(plan.error).to.equal(null);
      expect(plan.skipped).to.match(/COTERIE_TEST_DATABASE_URL/);
      expect(plan.passes.map((p) => p.db)).to.deep.equal(["pglite"]);
    }
  });

  it("--db picks one pass and leaves every other argument to vitest", () => {
    expect(parseRunnerArgs(["--db", "postgres", "indexer/test/faults.test.ts"])).to.deep.equal({ only: "postgres", vitestArgs: ["indexer/test/faults.test.ts"] });
    expect(planPasses("pglite", { CI: "true" }).passes.map((p) => p.db)).to.deep.equal(["pglite"]);
    expect(planPasses("pglite", { CI: "true" }).error).to.equal(null);
    expect(planPasses("postgres", { COTERIE_TEST_DATABASE_URL: URL }).passes.map((p) => p.db)).to.deep.equal(["postgres"]);
    expect(() => parseRunnerArgs(["--db", "mysql"])).to.throw(/pglite or postgres/);
    expect(() => parseRunnerArgs(["--db"])).to.throw(/pglite or postgres/);
  });

  it("never prints the database password", () => {
    expect(redactUrl(URL)).to.equal("postgresql://coterie:***@127.0.0.1:5432/coterie_test");
    expect(redactUrl("postgresql://127.0.0.1/db")).to.equal("postgresql://127.0.0.1/db");
  });
});
