import { createRequire } from "node:module";
import { defineConfig, configVariable } from "hardhat/config";
import hardhatToolboxMochaEthers from "@nomicfoundation/hardhat-toolbox-mocha-ethers";

// The compiler is the `solc` npm package, pinned exactly in package.json. Hardhat is pointed at
// its soljson.js, so no compiler is ever downloaded, and the version Hardhat records is read
// from the same package so the two cannot drift apart.
const require = createRequire(import.meta.url);
const solcVersion: string = require("solc/package.json").version;
const solcPath: string = require.resolve("solc/soljson.js");

const compiler = {
  version: solcVersion,
  path: solcPath,
  settings: {
    optimizer: { enabled: true, runs: 200 },
    evmVersion: "cancun",
  },
};

// The governor carries the whole OpenZeppelin Governor family. Compiled through the IR pipeline it
// is ~3.4 KB smaller (20.8 KB against 24.2 KB, the limit being 24,576 bytes, EIP-170) and slightly
// cheaper to call; the other contracts keep the faster legacy pipeline.
const governorCompiler = {
  ...compiler,
  settings: { ...compiler.settings, viaIR: true },
};

const profile = {
  compilers: [compiler],
  overrides: { "contracts/governance/CommunityGovernor.sol": governorCompiler },
};

export default defineConfig({
  plugins: [hardhatToolboxMochaEthers],
  solidity: {
    // One compiler set-up for every build profile: `hardhat test` (default profile) and
    // `hardhat ignition deploy` (production profile) compile the same bytecode, so what is deployed
    // is exactly what was tested and benchmarked.
    profiles: {
      default: profile,
      production: profile,
    },
  },
  paths: {
    // bench/contracts holds the plain OpenZeppelin baselines the gas benchmark compares with.
    sources: ["contracts", "bench/contracts"],
    ignition: "deploy",
  },
  typechain: {
    outDir: "typechain-types",
  },
  // Solidity tests (`*.t.sol`): the defaults for fuzz and invariant tests, kept so `hardhat test`
  // stays minutes long on two cores. The seed is Hardhat's fixed default, so every run (CI
  // included) replays the same sequences. Suites override runs/depth per test with a
  // `forge-config: default.invariant.runs = N` line in the test's NatSpec (see docs/threat-model.md,
  // "Invariants", for every suite's runs x depth and time).
  test: {
    solidity: {
      fuzz: { runs: 256 },
      invariant: { runs: 64, depth: 100 },
    },
  },
  // `hardhat test --coverage` instruments production contracts only: the Solidity tests (`*.t.sol`)
  // are never instrumented, and neither are their handlers and test doubles (contracts/test/) nor
  // the gas baselines (bench/contracts/). scripts/coverage-check.ts holds what remains to 100%.
  coverage: {
    skipFiles: ["contracts/test/**", "bench/contracts/**"],
  },
  networks: {
    // The in-process chain under the name Hardhat 2 users know (Hardhat 3 also calls it "default").
    hardhat: {
      type: "edr-simulated",
      chainType: "l1",
    },
    // The chain `hardhat node` serves (`npm start`'s chain). COTERIE_CHAIN_START (an ISO date) starts
    // its clock in the past: `npm start` sets it to the wall clock minus the time the demo seed
    // warps through governance, so the chain's clock ends near the wall clock (issue 11 item 15).
    node: {
      type: "edr-simulated",
      ...(process.env.COTERIE_CHAIN_START === undefined ? {} : { initialDate: process.env.COTERIE_CHAIN_START }),
    },
    // A separate `hardhat node` (or `npm start`'s chain). LOCALHOST_RPC_URL moves it off 8545, e.g.
    // for the deployment test, which starts its own node on a free port.
    localhost: {
      type: "http",
      chainType: "l1",
      url: process.env.LOCALHOST_RPC_URL ?? "http://127.0.0.1:8545",
    },
    // A public network: its RPC URL and deployer key come from configuration variables
    // (environment or the encrypted keystore: `npx hardhat keystore set PUBLIC_RPC_URL`),
    // never from committed files.
    public: {
      type: "http",
      chainType: "l1",
      url: configVariable("PUBLIC_RPC_URL"),
      accounts: [configVariable("DEPLOYER_PRIVATE_KEY")],
    },
  },
});
