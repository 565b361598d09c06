/**
 * Coverage gate: `npm run coverage:check`, after `hardhat test --coverage` (which `npm test` runs).
 * Fails unless every production Solidity file has 100% of its lines and 100% of its statements
 * covered by the whole suite (Solidity tests and TypeScript tests together), and prints each file's
 * figures.
 *
 * Production files: every `.sol` under contracts/ except the Solidity tests (`*.t.sol`) and their
 * handlers and test doubles (contracts/test/), which hardhat.config.ts also leaves uninstrumented
 * (`coverage.skipFiles`). Interfaces have no executable code and are listed as such. The gas
 * baselines under bench/contracts/ are not production code and are not checked.
 *
 * Lines come from Hardhat's report, coverage/lcov.info. Statements are counted exactly rather than
 * read from the rounded percentages Hardhat prints: each file is instrumented again with the same
 * EDR function and version Hardhat uses (statement tags are content hashes, so they match the
 * ones compiled into the tested code), and a statement is covered when its tag is among the tags
 * the run recorded (coverage/data/<test runner>/*.json).
 */
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { createRequire } from "node:module";
import { addStatementCoverageInstrumentation, latestSupportedSolidityVersion } from "@nomicfoundation/edr";

const root = join(fileURLToPath(import.meta.url), "..", "..");
const coverageDir = join(root, "coverage");
const lcovPath = join(coverageDir, "lcov.info");
const dataDir = join(coverageDir, "data");
const RUNNERS = ["solidity", "mocha"];

function fail(message: string): never {
  console.error(`coverage:check: ${message}`);
  process.exit(1);
}

if (!existsSync(lcovPath)) fail(`${relative(root, lcovPath)} is missing: run \`npx hardhat test --coverage\` first`);
for (const runner of RUNNERS) {
  if (!existsSync(join(dataDir, runner))) {
    fail(`${relative(root, join(dataDir, runner))} is missing: run the whole suite with \`npx hardhat test --coverage\``);
  }
}

// ------------------------------------------------------------------ production sources
const isProduction = (path: string): boolean => !path.startsWith("contracts/test/") && !path.endsWith(".t.sol");
function walk(dir: string): string[] {
  return readdirSync(join(root, dir), { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? walk(`${dir}/${e.name}`) : e.name.endsWith(".sol") ? [`${dir}/${e.name}`] : [],
  );
}
const sources = walk("contracts").filter(isProduction).sort();

// ------------------------------------------------------------------ lines, from lcov.info
const lines = new Map<string, { found: number; hit: number; missed: number[] }>();
{
  let file: string | null = null;
  for (const line of readFileSync(lcovPath, "utf8").split("\n")) {
    if (line.startsWith("SF:")) {
      file = line.slice(3).replaceAll("\\", "/");
      lines.set(file, { found: 0, hit: 0, missed: [] });
    } else if (line.startsWith("DA:") && file !== null) {
      const [n, count] = line.slice(3).split(",").map(Number);
      const entry = lines.get(file)!;
      entry.found++;
      if (count > 0) entry.hit++;
      else entry.missed.push(n);
    }
  }
}
const lcovTime = statSync(lcovPath).mtimeMs;

// ------------------------------------------------------------------ statements, from the recorded tags
const executed = new Set<string>();
for (const runner of RUNNERS) {
  for (const f of readdirSync(join(dataDir, runner))) {
    if (!f.endsWith(".json")) continue;
    const path = join(dataDir, runner, f);
    // Data older than the report by more than a day belongs to an earlier run: refuse it.
    if (lcovTime - statSync(path).mtimeMs > 24 * 3600 * 1000) fail(`${relative(root, path)} is stale: rerun the suite with --coverage`);
    for (const tag of Object.keys(JSON.parse(readFileSync(path, "utf8")) as Record<string, number>)) executed.add(tag);
  }
}

const require = createRequire(import.meta.url);
const solcVersion: string = require("solc/package.json").version;
const latest = latestSupportedSolidityVersion();
const cmp = (a: string, b: string): number => {
  const [x, y] = [a, b].map((v) => v.split(".").map(Number));
  for (let i = 0; i < 3; i++) if (x[i] !== y[i]) return x[i] - y[i];
  return 0;
};
const instrumentationVersion = cmp(solcVersion, latest) <= 0 ? solcVersion : latest;

// ------------------------------------------------------------------ table and verdict
interface Row {
  file: string;
  lines: string;
  statements: string;
  uncovered: string;
  ok: boolean;
}
const rows: Row[] = [];
const pct = (hit: number, found: number): string => (found === 0 ? "-" : `${((hit * 100) / found).toFixed(2)}% (${hit}/${found})`);
let totalStatements = 0;
let totalStatementsHit = 0;
let totalLines = 0;
let totalLinesHit = 0;
for (const file of sources) {
  const content = readFileSync(join(root, file), "utf8");
  const { metadata } = addStatementCoverageInstrumentation(content, `project/${file}`, instrumentationVersion);
  const statements = metadata.filter((m) => m.kind === "statement");
  const missedStatements = statements.filter((m) => !executed.has(Buffer.from(m.tag).toString("hex")));
  const lineEntry = lines.get(file);
  if (statements.length === 0 && lineEntry === undefined) {
    rows.push({ file, lines: "-", statements: "-", uncovered: "no executable code", ok: true });
    continue;
  }
  if (lineEntry === undefined) {
    rows.push({ file, lines: "not in report", statements: pct(statements.length - missedStatements.length, statements.length), uncovered: "not instrumented?", ok: false });
    continue;
  }
  // Where the missed statements start, as line numbers (1-based).
  const lineOf = (offset: number): number => content.slice(0, offset).split("\n").length;
  const missedAt = [...new Set([...lineEntry.missed, ...missedStatements.map((m) => lineOf(m.startUtf16))])].sort((a, b) => a - b);
  totalStatements += statements.length;
  totalStatementsHit += statements.length - missedStatements.length;
  totalLines += lineEntry.found;
  totalLinesHit += lineEntry.hit;
  rows.push({
    file,
    lines: pct(lineEntry.hit, lineEntry.found),
    statements: pct(statements.length - missedStatements.length, statements.length),
    uncovered: missedAt.length === 0 ? "" : missedAt.join(", "),
    ok: lineEntry.missed.length === 0 && missedStatements.length === 0,
  });
}
// A production file in the report must be one of ours (a path typo would otherwise pass silently).
for (const file of lines.keys()) {
  if (file.startsWith("contracts/") && isProduction(file) && !sources.includes(file)) {
    rows.push({ file, lines: "in report only", statements: "-", uncovered: "source not found", ok: false });
  }
}

console.table(
  rows.map((r) => ({
    file: r.file,
    lines: r.lines,
    statements: r.statements,
    "uncovered lines": r.uncovered,
    "": r.ok ? "ok" : "BELOW 100%",
  })),
);
console.log("checked: every .sol under contracts/ except contracts/test/** and **/*.t.sol (bench/contracts/ is not production code)");
console.log(`production total: lines ${pct(totalLinesHit, totalLines)}, statements ${pct(totalStatementsHit, totalStatements)}`);
const below = rows.filter((r) => !r.ok);
if (below.length > 0) fail(`${below.length} production file(s) below 100% of lines or statements: ${below.map((r) => r.file).join(", ")}`);
console.log("coverage:check: every production file has 100% of its lines and statements covered");
