/**
 * Compiler warnings are errors: `npm run build:strict` (`hardhat run scripts/build-strict.ts`).
 *
 * Hardhat 3 prints solc's warnings and still succeeds (it has no "warnings as errors" setting), and a
 * cached build prints nothing at all. This script rebuilds every root (contracts, bench baselines and
 * Solidity tests) with the cache ignored, through the same build system and profile as
 * `hardhat test`, collects the warnings solc reports, and fails when any of them points at one of
 * our sources. Warnings inside dependencies (node_modules, e.g. OpenZeppelin) are listed but do not
 * fail the build: they are not ours to fix. The artifacts it writes are the normal ones, so the
 * `hardhat test` that follows in `npm test` compiles nothing again.
 */
import hre from "hardhat";

interface SolcDiagnostic {
  severity: string;
  type: string;
  message: string;
  errorCode?: string;
  formattedMessage?: string;
  sourceLocation?: { file?: string; start?: number; end?: number };
}

// solc's "Contract code size is ..." (5574) and "Contract initcode size is ..." (3860). They matter for
// what is deployed (EIP-170 / EIP-3860) and stay errors for production contracts; Solidity tests and
// their handlers run on EDR without the limit and are never deployed, so there they are ignored
// (Hardhat itself hides them for `*.t.sol`, but not for the handlers under contracts/test/).
const SIZE_WARNINGS = new Set(["5574", "3860"]);
const isTestSource = (file: string): boolean => /\.t\.sol$/.test(file) || /(^|\/)contracts\/test\//.test(file);
const fileOf = (d: SolcDiagnostic): string =>
  d.sourceLocation?.file ?? /-->\s+(?:\.\/)?([^\s:]+\.sol)/.exec(d.formattedMessage ?? "")?.[1] ?? "";

const started = Date.now();
const roots = await hre.solidity.getRootFilePaths();
const results = await hre.solidity.build(roots, { force: true, quiet: true });
if (!hre.solidity.isSuccessfulBuildResult(results)) {
  console.error(`build:strict: could not create the compilation jobs: ${results.formattedReason}`);
  process.exit(1);
}

// The same compilation job's diagnostics are repeated for each of its roots, and a file imported by
// several roots is compiled (and warned about) in each of their jobs: deduplicate.
const seen = new Map<string, SolcDiagnostic>();
const keyOf = (e: SolcDiagnostic): string =>
  `${fileOf(e)}:${e.sourceLocation?.start ?? ""}:${e.sourceLocation?.end ?? ""}:${e.errorCode ?? ""}:${e.message}`;
let failedFiles = 0;
for (const [root, result] of results) {
  if (result.type === "BUILD_FAILURE") {
    failedFiles++;
    for (const e of result.errors as SolcDiagnostic[]) seen.set(keyOf(e), e);
    console.error(`build:strict: ${root} failed to compile`);
  } else if (result.type === "BUILD_SUCCESS") {
    for (const e of result.warnings as SolcDiagnostic[]) seen.set(keyOf(e), e);
  }
}

const isDependency = (d: SolcDiagnostic): boolean => /(^|\/)(npm|node_modules)\//.test(fileOf(d));
const ignored = (d: SolcDiagnostic): boolean => SIZE_WARNINGS.has(d.errorCode ?? "") && isTestSource(fileOf(d));

const all = [...seen.values()].filter((d) => !ignored(d));
const ours = all.filter((d) => !isDependency(d));
const theirs = all.filter(isDependency);
for (const d of theirs) console.warn(`(dependency, not failing) ${(d.formattedMessage ?? d.message).trimEnd()}\n`);
for (const d of ours) console.error((d.formattedMessage ?? d.message).trimEnd() + "\n");

const seconds = ((Date.now() - started) / 1000).toFixed(1);
if (ours.length > 0 || failedFiles > 0) {
  console.error(`build:strict: ${ours.length} compiler diagnostic(s) in our sources; warnings are errors here (${seconds}s)`);
  process.exit(1);
}
console.log(`build:strict: ${roots.length} root files compiled from scratch, no compiler warnings (${seconds}s)`);
