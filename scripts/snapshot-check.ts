/**
 * Gas snapshot check: `npm run snapshot:check`. Update the snapshot with `npm run snapshot`.
 *
 * Runs the Solidity tests uninstrumented with Hardhat's `--snapshot-check`, which compares each
 * test's gas with `.gas-snapshot` (a unit test's gas; a fuzz test's median over its runs, with
 * Hardhat's fixed default fuzz seed, so the inputs and the figures repeat run after run; invariant
 * tests are not snapshotted) and fails on any change. Hardhat only reports, without failing, tests
 * that are missing from the snapshot or snapshotted tests that no longer exist; this wrapper fails
 * on those too, so `.gas-snapshot` always lists exactly the suite and every gas change is a diff.
 */
import { spawn } from "node:child_process";

const args = ["hardhat", "test", "solidity", "--snapshot-check", ...process.argv.slice(2)];
const child = spawn("npx", args, { stdio: ["ignore", "pipe", "pipe"] });
let output = "";
child.stdout.on("data", (d: Buffer) => {
  output += d.toString();
  process.stdout.write(d);
});
child.stderr.on("data", (d: Buffer) => {
  output += d.toString();
  process.stderr.write(d);
});
const code: number = await new Promise((resolve) => child.on("close", (c) => resolve(c ?? 1)));

const drift = [
  /function\(s\) produced by this run are not in the snapshot/,
  /stored function\(s\) were not produced by this run/,
  /no snapshot found/,
].filter((re) => re.test(output));
if (code !== 0) {
  console.error(`snapshot:check: the Solidity tests or the gas snapshot check failed (exit ${code})`);
  process.exit(code);
}
if (drift.length > 0) {
  console.error("snapshot:check: .gas-snapshot does not list exactly the tests of this run; update it with `npm run snapshot`");
  process.exit(1);
}
if (!/Snapshot check passed/.test(output)) {
  console.error("snapshot:check: Hardhat did not report a snapshot check");
  process.exit(1);
}
console.log("snapshot:check: every Solidity test's gas matches .gas-snapshot");
