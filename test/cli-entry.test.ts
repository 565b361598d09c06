/**
 * The creator CLIs as a user runs them (issue 12 item 5): `tsx scripts/rewards.ts` and
 * `tsx scripts/funding.ts` in a child process, with their exit codes and one-line messages. Help
 * exits 0; a mistake in the command line exits 2 with the message and a pointer to the help; a
 * missing or stale demo file (one from an earlier chain) exits 1 and says so. The chain is
 * Hardhat's in-process one (`--network hardhat`), so nothing needs to be running.
 */
import { execFile } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { expect } from "chai";

const ROOT = join(fileURLToPath(import.meta.url), "..", "..");
const TSX = join(ROOT, "node_modules", ".bin", "tsx");
/** An address with no code on a fresh chain. */
const NOWHERE = "0x000000000000000000000000000000000000dEaD";

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `tsx scripts/<cli>.ts ...args` from the project folder, with `env` added. */
function cli(name: "rewards" | "funding", args: string[], env: Record<string, string> = {}): Promise<Run> {
  return new Promise((resolve) => {
    execFile(TSX, [join("scripts", `${name}.ts`), ...args], { cwd: ROOT, env: { ...process.env, ...env }, timeout: 120_000 }, (error, stdout, stderr) => {
      const code = error === null ? 0 : typeof error.code === "number" ? error.code : -1;
      resolve({ code, stdout, stderr });
    });
  });
}

describe("the creator CLIs as a user runs them (issue 12 item 5)", function () {
  this.timeout(240_000);
  let dir: string;

  before(() => {
    dir = mkdtempSync(join(tmpdir(), "coterie-cli-"));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it("--help and help print the usage and exit 0", async () => {
    const rewards = await cli("rewards", ["--help"]);
    expect(rewards.code).to.equal(0);
    expect(rewards.stdout).to.contain("Coterie rewards: the creator CLI for a community's RewardVault.");
    expect(rewards.stdout).to.contain("usage: ./coterie rewards <command> [flags]");
    const funding = await cli("funding", ["help"]);
    expect(funding.code).to.equal(0);
    expect(funding.stdout).to.contain("usage: ./coterie funding <command> [flags]");
  });

  it("a mistake in the command line exits 2 with a readable message and a pointer to the help", async () => {
    const unknown = await cli("rewards", ["bogus"]);
    expect(unknown.code).to.equal(2);
    expect(unknown.stderr.trim()).to.equal('rewards bogus: unknown command "bogus" (commands: sign, campaign, status, redeem, claim, help) (see ./coterie rewards help)');
    const missing = await cli("funding", ["contribute"]);
    expect(missing.code).to.equal(2);
    expect(missing.stderr.trim()).to.equal("funding contribute: contribute needs --amount (see ./coterie funding help)");
  });

  it("a bad address flag, checked after connecting, is a usage error too (exit 2)", async () => {
    const r = await cli("rewards", ["status", "--network", "hardhat", "--vault", "0x123"]);
    expect(r.code).to.equal(2);
    expect(r.stderr.trim()).to.equal("rewards status: --vault is not an address: 0x123 (see ./coterie rewards help)");
  });

  it("a missing demo file: exits 1 and says which file and what writes it", async () => {
    const file = join(dir, "missing.json");
    const r = await cli("rewards", ["status", "--network", "hardhat"], { COTERIE_DEMO_OUT: file });
    expect(r.code).to.equal(1);
    expect(r.stderr.trim()).to.equal(`rewards status: no --vault given and chain 31337 has no demo community (${file} is missing; ./coterie start writes it)`);
  });

  it("a stale demo file (from an earlier chain): exits 1 and says the file may be from an earlier chain", async () => {
    const file = join(dir, "demo-stale.json");
    writeFileSync(
      file,
      JSON.stringify({ chainId: 31337, rewardVault: NOWHERE, crowdfund: NOWHERE, community: { token: NOWHERE }, platform: { revenueShareFactory: NOWHERE } }),
    );
    const rewards = await cli("rewards", ["status", "--network", "hardhat"], { COTERIE_DEMO_OUT: file });
    expect(rewards.code).to.equal(1);
    expect(rewards.stderr.trim()).to.equal(
      `rewards status: no contract at ${NOWHERE} on chain 31337 (the demo vault from ${file}: is that file from an earlier chain? restart ./coterie start)`,
    );
    const funding = await cli("funding", ["status", "--network", "hardhat"], { COTERIE_DEMO_OUT: file });
    expect(funding.code).to.equal(1);
    expect(funding.stderr.trim()).to.equal(
      `funding status: no contract at ${NOWHERE} on chain 31337 (the demo crowdfund from ${file}: is that file from an earlier chain? restart ./coterie start)`,
    );
    const revenue = await cli("funding", ["revenue", "--network", "hardhat"], { COTERIE_DEMO_OUT: file, COTERIE_DEPLOYMENT_ID: "none-such" });
    expect(revenue.code).to.equal(1);
    expect(revenue.stderr.trim()).to.equal(
      `funding revenue: --token ${NOWHERE} is not a contract on chain 31337 (the demo community's token from ${file}: is that file from an earlier chain? restart ./coterie start)`,
    );
    // An address given on the command line is the user's own: no hint about the demo file.
    const explicit = await cli("funding", ["status", "--network", "hardhat", "--crowdfund", NOWHERE], { COTERIE_DEMO_OUT: file });
    expect(explicit.code).to.equal(1);
    expect(explicit.stderr.trim()).to.equal(`funding status: no contract at ${NOWHERE} on chain 31337`);
  });
});
