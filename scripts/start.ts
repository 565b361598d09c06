/**
 * `npm start` (through `./coterie start`): a local Coterie on 127.0.0.1.
 *
 * 1. starts a `hardhat node` on 127.0.0.1:8545 (or --rpc-port / COTERIE_RPC_PORT), its clock set in
 *    the past by what the demo seed moves it (scripts/lib/demo-clock.ts), and meanwhile compiles the
 *    contracts (`hardhat build` with Ignition's production profile),
 * 2. deploys the platform with the same command a user runs (`npm run deploy -- --network localhost`),
 * 3. seeds a demo community with a crowdfund in progress (scripts/seed.ts), and a revenue deposit
 *    its holders can claim, while it builds the web app (frontend/, which also generates the ABIs
 *    the indexer reads); once built, it starts the indexer (indexer/, a Ponder app) on
 *    http://127.0.0.1:42069 (or --indexer-port / COTERIE_INDEXER_PORT), on PGlite in a fresh
 *    directory per run (indexer/.ponder/<deployment id>), which catches up with the seed,
 * 4. starts the Coterie server (server/, docs/server.md: relay and attester) on
 *    http://127.0.0.1:8787 (or --server-port / COTERIE_SERVER_PORT), on PGlite in a fresh directory
 *    per run (server/.data/<deployment id>), configured for the demo community: join enabled (a
 *    50-token welcome; the vault's referral rate applies), the relay's default budgets, dev account
 *    #10 as the sponsor and the creator's key (#1, the demo vault's attester) as the attester,
 * 5. once the indexer answers /ready and the server /health, serves the web app on http://127.0.0.1:5173 (or --web-port /
 *    COTERIE_WEB_PORT) with the runtime configuration for this chain (and the indexer's URL) at
 *    /coterie.json (which names the indexer and the server),
 * 6. prints the URLs, the addresses, the demo claim links and the dev accounts, and keeps running
 *    until Ctrl-C, which stops everything it started.
 *
 * Each step prints one timestamped line; the children's own output (compiler, Ignition, seed) is
 * shown when a step fails, or passed straight through when the output is a terminal. Every child
 * runs in its own process group under a Supervisor (scripts/lib/supervise.ts): if the chain, the indexer or the server stops,
 * a step fails or this process hits an unexpected error (it serves the web app), everything else is
 * stopped and start exits non-zero, so no chain is left orphaned on its port.
 */
import { readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { formatEther, HDNodeWallet, Mnemonic, ZeroAddress } from "ethers";
import { ROOT, DEPLOYMENTS_DIR } from "./lib/deployments.ts";
import { chainStartDate, seedWarpSeconds } from "./lib/demo-clock.ts";
import { portIsFree } from "./lib/ports.ts";
import { waitForRpc } from "./lib/rpc.ts";
import { indexerCommand, indexerDbDir, waitForIndexerReady } from "./lib/indexer.ts";
import { serverCommand, serverDbDir, waitForServerReady } from "./lib/server.ts";
import { parseStartPorts, START_PORTS } from "./lib/start-options.ts";
import { compileEstimate, Supervisor } from "./lib/supervise.ts";
import { buildWebApp, DIST_DIR, serveWebApp, webChainFromDeployment } from "./lib/web.ts";

const HOST = "127.0.0.1";
const DEV_MNEMONIC = "test test test test test test test test test test test junk"; // Hardhat's public dev mnemonic
/** The dev account that sponsors the server's relayed transactions. */
const SPONSOR_ACCOUNT = 10;
/** The demo community's welcome reward for a fan who joins through the server: 50 tokens. */
const DEMO_WELCOME = 50n * 10n ** 18n;
/** The demo's per-IP join limit: high, since every fan of the local demo connects from 127.0.0.1. */
const DEMO_JOINS_PER_IP_PER_HOUR = 1_000;

const parsed = parseStartPorts(process.argv, process.env);
if ("error" in parsed) {
  console.error(`coterie start: ${parsed.error}`);
  process.exit(2);
}
const { rpcPort, webPort, indexerPort, serverPort } = parsed.ports;
const rpcUrl = `http://${HOST}:${rpcPort}`;
const appUrl = `http://${HOST}:${webPort}`;
const indexerUrl = `http://${HOST}:${indexerPort}`;
const serverUrl = `http://${HOST}:${serverPort}`;
/** How long the server may take to open its database and reach the chain. */
const SERVER_READY_MS = 120_000;
/** How long the indexer may take to catch up with the seeded chain once the seed is done. */
const INDEXER_READY_MS = 300_000;
const hardhatBin = join(ROOT, "node_modules", ".bin", "hardhat");
const startedAt = Date.now();
const supervisor = new Supervisor({ log: (line) => console.log(line), exit: (code) => process.exit(code), tty: process.stdout.isTTY === true });
supervisor.handleSignals();

/** Runs `hardhat <args>` as a supervised step (its output shown on failure, or live on a terminal). */
function hardhat(name: string, args: string[], env: Record<string, string> = {}): Promise<void> {
  return supervisor.run(name, hardhatBin, args, { cwd: ROOT, env: { ...process.env, ...env }, passThrough: true });
}

const portHints: Record<string, string> = {
  "rpc-port": "another `npm start` or `hardhat node`?",
  "web-port": "another `npm start` or a dev server?",
  "indexer-port": "another `npm start` or `ponder`?",
  "server-port": "another `npm start` or a Coterie server?",
};
for (const p of START_PORTS) {
  const port = parsed.ports[p.key];
  if (!(await portIsFree(port))) {
    console.error(
      `coterie start: port ${port} on ${HOST} is already in use (${portHints[p.option]}).\n` +
        `Stop that process, or pick another port for ${p.what}: ./coterie start --${p.option} ${p.example}`,
    );
    process.exit(1);
  }
}

// The chain starts in the past by what the seed's governance steps will move it, so its clock ends
// near the wall clock (the seed moves it up to now before its last proposals).
const chainStart = chainStartDate(new Date());
supervisor.step(
  `starting a local chain on ${rpcUrl} (its clock starts ${(seedWarpSeconds() / 86_400).toFixed(1)} days back; the demo's governance moves it up to now)`,
);
const node = supervisor.service("the local chain (hardhat node)", hardhatBin, ["node", "--hostname", HOST, "--port", String(rpcPort)], {
  cwd: ROOT,
  env: { ...process.env, COTERIE_CHAIN_START: chainStart },
});
// Compiling while the chain starts: the same build Ignition runs (production profile, no tests).
supervisor.step(`compiling contracts (${compileEstimate(ROOT)})`);
await hardhat("compiling contracts (hardhat build)", ["build", "--default-build-profile", "production", "--no-tests", "--quiet"]);
try {
  await waitForRpc(rpcUrl, 240, () => node.exitCode === null);
} catch (error) {
  await supervisor.fail((error as Error).message);
}

// A fresh chain: forget any earlier local deployment, then deploy exactly as a user would.
// COTERIE_DEPLOYMENT_ID and COTERIE_DEMO_OUT let a second instance (the end-to-end tests) run beside
// a developer's own `npm start` without touching its files.
const deploymentId = process.env.COTERIE_DEPLOYMENT_ID ?? "chain-31337";
const demoFile = process.env.COTERIE_DEMO_OUT ?? join(DEPLOYMENTS_DIR, "demo-31337.json");
const webDist = process.env.COTERIE_WEB_DIST ?? DIST_DIR;
rmSync(join(DEPLOYMENTS_DIR, deploymentId), { recursive: true, force: true });
const env = { LOCALHOST_RPC_URL: rpcUrl, COTERIE_DEPLOYMENT_ID: deploymentId, COTERIE_DEMO_OUT: demoFile };
supervisor.step("deploying the platform (hardhat ignition deploy deploy/modules/Platform.ts --network localhost)");
await hardhat("deploying the platform (hardhat ignition deploy)", ["ignition", "deploy", "deploy/modules/Platform.ts", "--network", "localhost", "--deployment-id", deploymentId], env);
// The app builds (from the artifacts compiled above) while the demo is seeded; the build also
// generates the ABIs the indexer reads (indexer/generated/abis.ts), so the indexer starts once it is
// built (never while that file is being rewritten) and catches up with the seed from there.
supervisor.step("building the web app (vite)");
const built = buildWebApp(webDist).then(
  () => null,
  (error: Error) => error,
);
supervisor.step("seeding the demo community: real proposals through the platform and community DAOs (scripts/seed.ts)");
const seeded = hardhat("seeding the demo (scripts/seed.ts)", ["run", "--no-compile", "scripts/seed.ts", "--network", "localhost"], { ...env, COTERIE_APP_URL: appUrl });
const buildError = await built;
if (buildError) await supervisor.fail(buildError.message);
// A fresh PGlite database per run: the chain is new, so an earlier run's data would be wrong.
const indexerDir = indexerDbDir(deploymentId);
rmSync(indexerDir, { recursive: true, force: true });
supervisor.step(`starting the indexer on ${indexerUrl} (ponder start, PGlite in ${indexerDir.slice(ROOT.length + 1)})`);
const indexerRun = indexerCommand({ rpcUrl, chainId: 31337, deploymentId, host: HOST, port: indexerPort, schema: "coterie", dbDir: indexerDir });
// Ponder treats a local-chain block as final 30 blocks deep; when the chain is rewound further
// (`evm_revert` to an older snapshot, as the end-to-end tests do) it stops with an "unrecoverable
// reorg". On this development chain that is expected, so the indexer starts again on a fresh
// database and re-reads the (short) history; any other exit stops everything as before.
const indexer = supervisor.restartableService(
  "the indexer (ponder start)",
  indexerRun.command,
  indexerRun.args,
  { cwd: ROOT, env: indexerRun.env },
  {
    when: (output) => /unrecoverable .*reorg/i.test(output),
    prepare: () => rmSync(indexerDir, { recursive: true, force: true }),
    note: "the local chain was rewound past the indexer's finality (30 blocks); it re-indexes from the deployment's first block",
    max: 5,
    windowMs: 60_000,
  },
);
await seeded;
const demo = JSON.parse(readFileSync(demoFile, "utf8")) as DemoFile;
// The dev keys: #1 is the demo creator, the demo vault's attester (scripts/seed.ts); #10 sponsors
// relayed transactions (funded by the node like every dev account).
const devKey = (index: number) => HDNodeWallet.fromMnemonic(Mnemonic.fromPhrase(DEV_MNEMONIC), "m/44'/60'/0'/0").deriveChild(index).privateKey;
const serverDir = serverDbDir(deploymentId);
rmSync(serverDir, { recursive: true, force: true });
supervisor.step(`starting the Coterie server on ${serverUrl} (relay and attester, PGlite in ${serverDir.slice(ROOT.length + 1)})`);
const serverRun = serverCommand({
  rpcUrl,
  chainId: 31337,
  deploymentId,
  host: HOST,
  port: serverPort,
  appUrls: [appUrl],
  sponsorKey: devKey(SPONSOR_ACCOUNT),
  attesterKey: devKey(1),
  // Every local fan comes from 127.0.0.1: the per-IP join limit would count them all as one network.
  communities: { [demo.community.token]: { join: { enabled: true, welcome: DEMO_WELCOME.toString(), perIpPerHour: DEMO_JOINS_PER_IP_PER_HOUR }, relay: { enabled: true } } },
  dbDir: serverDir,
});
const server = supervisor.service("the Coterie server (server/src/main.ts)", serverRun.command, serverRun.args, { cwd: ROOT, env: serverRun.env });
supervisor.step(`waiting for the indexer to catch up with the chain (${indexerUrl}/ready)`);
try {
  await waitForIndexerReady(indexerUrl, INDEXER_READY_MS, () => indexer.current().exitCode === null && indexer.current().signalCode === null);
} catch (error) {
  // A dead indexer has been reported by the Supervisor already (with its last output); this is then a no-op.
  await supervisor.fail((error as Error).message);
}
try {
  await waitForServerReady(serverUrl, SERVER_READY_MS, () => server.exitCode === null && server.signalCode === null);
} catch (error) {
  await supervisor.fail((error as Error).message);
}
try {
  await serveWebApp({
    distDir: webDist,
    host: HOST,
    port: webPort,
    config: {
      chains: [webChainFromDeployment({ chainId: 31337, rpcUrl, name: "Local chain", local: true, deploymentId, indexerUrl, serverUrl })],
      defaultChainId: 31337,
      appUrl,
    },
  });
} catch (error) {
  await supervisor.fail(`cannot serve the web app on ${appUrl}: ${(error as Error).message}`);
}

interface DemoFile {
  platform: Record<string, string>;
  community: { id: number; name: string; symbol: string; token: string; governor: string; timelock: string; verified: boolean };
  liveProposalId: number;
  liveProposal: { id: number; deadline: number };
  upcomingProposal: { id: number; snapshot: number; deadline: number; description: string };
  clock: { chainTime: number; wallTime: number };
  rewardVault: string;
  crowdfund: string;
  funding: { goal: string; cap: string; deadline: number; price: string; referralBps: number; raised: string; approved: boolean; approvalProposalId: number; contributions: unknown[] };
  revenueShare?: string;
  revenue?: { approved: boolean; approvalProposalId: number; deposits: Array<{ asset: string; amount: string; snapshot: number }> };
  rewards: {
    attester: string;
    epochBudget: string;
    epochLength: number;
    referralBps: number;
    claimLinks: Array<{ recipient: string; amount: string; referrer: string; id: string; link: string }>;
  };
}
const aur = (wei: string) => `${formatEther(wei).replace(/\.0$/, "")} ${demo.community.symbol}`;
const eth = (wei: string) => formatEther(wei).replace(/\.0$/, "");
const rewardsEnv = rpcPort === 8545 ? "" : `LOCALHOST_RPC_URL=${rpcUrl} `;
const utc = (seconds: number) => `${new Date(seconds * 1000).toISOString().slice(0, 16).replace("T", " ")} UTC`;
const minutesFromNow = (seconds: number) => Math.max(0, Math.round((seconds * 1000 - Date.now()) / 60_000));
const drift = demo.clock.chainTime - demo.clock.wallTime;
const upcoming = demo.upcomingProposal;

const lines = [
  "",
  "Coterie is running on the local chain.",
  `  Web app      ${appUrl}`,
  `  Community    ${appUrl}/c/${demo.community.token}`,
  `  Launch       ${appUrl}/launch`,
  `  JSON-RPC     ${rpcUrl}   (chain id 31337)`,
  `  Indexer      ${indexerUrl}/api/communities   (REST API, docs/indexer.md; GraphQL at ${indexerUrl}/graphql)`,
  `  Server       ${serverUrl}/v1/communities/${demo.community.token}   (relay and attester, docs/server.md; ${aur(DEMO_WELCOME.toString())} welcome per fan who joins)`,
  `  Chain clock  ${Math.abs(drift) < 120 ? "the wall clock" : `${Math.round(drift / 60)} minutes ${drift > 0 ? "ahead of" : "behind"} the wall clock`} (the demo's governance history is in the past)`,
  "",
  "Platform",
  ...Object.entries(demo.platform).map(([k, v]) => `  ${k.padEnd(24)} ${v}`),
  "",
  `Demo community: ${demo.community.name} (${demo.community.symbol}), id ${demo.community.id}${demo.community.verified ? ", verified" : ""}`,
  `  token     ${demo.community.token}`,
  `  governor  ${demo.community.governor}   live proposal #${demo.liveProposalId} (voting until ${utc(demo.liveProposal.deadline)})`,
  `            upcoming proposal #${upcoming.id}: voting opens ${utc(upcoming.snapshot)} (in about ${minutesFromNow(upcoming.snapshot)} minutes) until ${utc(upcoming.deadline)};`,
  `            redeem a demo claim link below before it opens to vote on it with the claimed tokens`,
  `  timelock  ${demo.community.timelock}   (treasury, 1 ETH)`,
  `  rewards   ${demo.rewardVault}   (attester: the creator; ${aur(demo.rewards.epochBudget)} per ${demo.rewards.epochLength / 86_400}-day epoch; ${demo.rewards.referralBps / 100}% referral bonus)`,
  `  crowdfund ${demo.crowdfund}   (${eth(demo.funding.raised)} of ${eth(demo.funding.goal)} ETH raised from ${demo.funding.contributions.length} fans, cap ${eth(demo.funding.cap)} ETH; ` +
    `${aur(demo.funding.price)} per ETH; ${demo.funding.referralBps / 100}% referral bonus; ends ${new Date(demo.funding.deadline * 1000).toISOString().slice(0, 16).replace("T", " ")} UTC; ` +
    `${demo.funding.approved ? `approved by community proposal #${demo.funding.approvalProposalId}` : "awaiting DAO approval"})`,
  ...(demo.revenueShare === undefined || demo.revenue === undefined
    ? []
    : [
        `  revenue   ${demo.revenueShare}   (revenue share: ` +
          demo.revenue.deposits
            .map((d) => `a revenue deposit of ${eth(d.amount)} ${d.asset === ZeroAddress ? "ETH" : d.asset} for the holders to claim`)
            .join(", ") +
          `; ${demo.revenue.approved ? `approved by community proposal #${demo.revenue.approvalProposalId}` : "awaiting DAO approval"})`,
      ]),
  "",
  `Demo claim links (for the web app, or: ${rewardsEnv}./coterie rewards redeem --link "<link>"):`,
  ...demo.rewards.claimLinks.flatMap((c) => [
    `  ${aur(c.amount)} to ${c.recipient}${c.referrer === ZeroAddress ? "" : `, referred by fan ${c.referrer}`}`,
    `    ${c.link}`,
  ]),
  `Rewards CLI: ${rewardsEnv}./coterie rewards status   (./coterie rewards help for signing vouchers and campaigns)`,
  `Crowdfund CLI: ${rewardsEnv}./coterie funding status   (./coterie funding help for starting, contributing, finalizing, claiming)`,
  `Revenue CLI: ${rewardsEnv}./coterie funding revenue --account <a fan>   (claim-revenue --account <a fan> claims; deposit, sweep, revenue-setup)`,
  "",
  "Dev accounts (Hardhat's public test mnemonic; never use these keys on a real network):",
];
const roles = [
  "platform deployer",
  "Aurora creator",
  "fan",
  "fan",
  "fan",
  "spare (the rewards and funding CLIs' default sender)",
  "demo claim link recipient",
  "demo claim link recipient (referred)",
  "demo claim link recipient",
  "",
  "the Coterie server's sponsor (pays relayed transactions' gas)",
];
const root = HDNodeWallet.fromMnemonic(Mnemonic.fromPhrase(DEV_MNEMONIC), "m/44'/60'/0'/0");
roles.forEach((role, i) => {
  if (role === "") return;
  const w = root.deriveChild(i);
  lines.push(`  #${i} ${w.address}  ${w.privateKey}  ${role}`);
});
lines.push(
  "",
  `Open ${appUrl} and connect a dev account (Connect wallet > Dev accounts), or any wallet on chain 31337.`,
  `Claim a demo link before ${utc(upcoming.snapshot)} to vote on proposal #${upcoming.id}.`,
  "Ctrl-C stops the chain, the indexer, the server and the web app.",
);
supervisor.step(`ready in ${Math.round((Date.now() - startedAt) / 1000)} s`);
console.log(lines.join("\n"));
