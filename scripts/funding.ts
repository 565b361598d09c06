/**
 * The creator CLI for crowdfunds: `./coterie funding <command> [flags]`
 * (or `npm run funding -- <command> [flags]`). Run `./coterie funding help` for the commands.
 *
 * This file only reads argv, connects through Hardhat (`network.create({ network })`, so a network
 * of hardhat.config.ts gets its configuration variables and keystore exactly as the deploy command
 * does), picks the keys and prints; the work is done by scripts/lib/funding-cli.ts, which the tests
 * drive in-process.
 */
import { isAddress, ZeroAddress, type Signer } from "ethers";

const USAGE = `Coterie funding: the creator CLI for a community's crowdfunds.

usage: ./coterie funding <command> [flags]        (or: npm run funding -- <command> [flags])

commands
  start       --goal <amount> [--cap <amount>] --days <n> --price <tokens per 1 payment unit>
              [--payment <erc20 address>] [--referral-bps 500] [--salt <text>] [--token <address>]
              Starts a crowdfund for the community of --token through the CrowdfundFactory, with the
              creator key. Amounts are in whole units of the payment asset (ETH unless --payment
              names an ERC-20), positive, with no more decimals than it has; --cap (default: none)
              must be at least --goal; the deadline is --days after the chain's current time;
              --price is community tokens per 1 ETH (or per 1 whole ERC-20 unit); --referral-bps is
              the referrer's bonus in basis points of the tokens a referred contribution buys.
              Prints the crowdfund's address and the DAO proposal the community must pass before
              the crowdfund can succeed: grantRole(MINTER_ROLE, crowdfund) on the token, with a
              ready command line.
  status      [--crowdfund <address>] [--account <address>]
              State, raised against goal and cap, deadline and time left, price, fees, and whether
              the DAO approved it (MINTER_ROLE). --account adds what an account contributed, the
              tokens and referral bonus it can claim, and the refund available to it.
  contribute  [--crowdfund <address>] --amount <amount> [--referrer <address>]
              Contributes from the sender's key: ETH, or an ERC-20 (approved first when needed).
  finalize    [--crowdfund <address>]
              Ends the crowdfund after its deadline (or once its cap is reached): on success pays
              the treasury and the fee and mints the tokens for claims; otherwise marks it failed.
  claim       [--crowdfund <address>] [--account <address>]
              After a success, sends an account its tokens and referral bonus (default: the sender).
  refund      [--crowdfund <address>] [--to <address>]
              After a failure, sends the sender back what it paid (to --to, default: itself).

revenue sharing (the community's RevenueShare, at RevenueShareFactory.revenueShareOf(token))
  revenue-setup [--token <address>]
              Creates the community's revenue share if it does not exist yet (anyone may), and
              prints the DAO proposal that approves it: grantRole(REVENUE_ROLE, revenue share) on
              the token, with a ready command line. Once granted, every token transfer pays extra
              gas to record balances (see docs/funding.md).
  deposit     --amount <amount> [--asset <erc20 address>] [--token <address>]
              Deposits revenue from the depositor's key: ETH, or an ERC-20 (approved first when
              needed), shared among holders pro rata to their balances before the deposit's block.
              Needs the DAO's approval and recording started in an earlier block.
  revenue     [--account <address>] [--asset <erc20 address>] [--max 50] [--token <address>]
              Approval, recording start, the deposits of the asset (amount, supply, snapshot time,
              claimed so far, when they become sweepable); --account adds its balance, its next
              unclaimed deposit and what it can claim (over up to --max deposits).
  claim-revenue [--account <address>] [--asset <erc20 address>] [--max 50] [--token <address>]
              Pays an account (default: the sender) its share of up to --max of its unclaimed
              deposits of the asset, oldest first.
  sweep       --id <n> [--asset <erc20 address>] [--token <address>]
              Sends what was never claimed of deposit n to the treasury, once its 365-day claim
              window closed (anyone may).

  help        This text.

common flags
  --network <name>      a network of hardhat.config.ts (default: localhost, the chain of ./coterie start;
                        LOCALHOST_RPC_URL moves it off http://127.0.0.1:8545)
  --crowdfund <address> the crowdfund (default: the demo crowdfund, from
                        deploy/deployments/demo-<chainId>.json, written by ./coterie start)
  --token <address>     (start and the revenue commands) the community token (default: the demo
                        community's)
  --factory <address>   (start) the CrowdfundFactory (default: the platform deployment's, from
                        deploy/deployments/chain-<chainId>/deployed_addresses.json)
  --revenue-factory <address>
                        (revenue commands) the RevenueShareFactory (default: the platform deployment's)
  --debug               print the full error with its stack trace

keys
  start uses CREATOR_PRIVATE_KEY (the community's creator, or its Timelock), and so does deposit
  (any funded account that pays the revenue, by default the creator); contribute, finalize, claim,
  refund, revenue-setup, claim-revenue and sweep use SENDER_PRIVATE_KEY; read from the environment
  only, never from a file in the repository. On localhost and hardhat, when unset, they default to
  Hardhat's public dev accounts: the demo community's creator (#1) and dev account #5 (sender).`;

type Command =
  | "start"
  | "status"
  | "contribute"
  | "finalize"
  | "claim"
  | "refund"
  | "revenue-setup"
  | "deposit"
  | "revenue"
  | "claim-revenue"
  | "sweep"
  | "help";

const FLAGS: Record<Command, { values: string[]; required: string[] }> = {
  start: { values: ["goal", "cap", "days", "price", "payment", "referral-bps", "salt", "token", "factory"], required: ["goal", "days", "price"] },
  status: { values: ["crowdfund", "account"], required: [] },
  contribute: { values: ["crowdfund", "amount", "referrer"], required: ["amount"] },
  finalize: { values: ["crowdfund"], required: [] },
  claim: { values: ["crowdfund", "account"], required: [] },
  refund: { values: ["crowdfund", "to"], required: [] },
  "revenue-setup": { values: ["token", "revenue-factory"], required: [] },
  deposit: { values: ["amount", "asset", "token", "revenue-factory"], required: ["amount"] },
  revenue: { values: ["account", "asset", "max", "token", "revenue-factory"], required: [] },
  "claim-revenue": { values: ["account", "asset", "max", "token", "revenue-factory"], required: [] },
  sweep: { values: ["id", "asset", "token", "revenue-factory"], required: ["id"] },
  help: { values: [], required: [] },
};
const COMMON_VALUES = ["network"];
const COMMON_SWITCHES = ["debug", "help"];
const LOCAL_NETWORKS = new Set(["localhost", "hardhat", "default"]);
const KEY_ENV = { creator: "CREATOR_PRIVATE_KEY", sender: "SENDER_PRIVATE_KEY" } as const;
/** Hardhat dev account that contributes and relays on the local chain ("spare" in start's list). */
const DEV_SENDER_INDEX = 5;

/** A mistake in the command line: exit code 2. */
class UsageError extends Error {}

interface Args {
  command: Command;
  values: Map<string, string>;
  switches: Set<string>;
}

function parseArgs(argv: string[]): Args {
  const [first, ...rest] = argv;
  const asHelp = first === undefined || first === "--help" || first === "-h";
  const command = (asHelp ? "help" : first) as Command;
  if (!(command in FLAGS)) throw new UsageError(`unknown command "${first}" (commands: ${Object.keys(FLAGS).join(", ")})`);
  const spec = FLAGS[command];
  const values = new Map<string, string>();
  const switches = new Set<string>();
  const args = asHelp ? argv : rest;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (!arg.startsWith("--")) throw new UsageError(`unexpected argument "${arg}"`);
    const eq = arg.indexOf("=");
    const name = arg.slice(2, eq < 0 ? undefined : eq);
    if (COMMON_SWITCHES.includes(name)) {
      if (eq >= 0) throw new UsageError(`--${name} takes no value`);
      switches.add(name);
    } else if ([...spec.values, ...COMMON_VALUES].includes(name)) {
      const value = eq >= 0 ? arg.slice(eq + 1) : args[++i];
      if (value === undefined || (eq < 0 && value.startsWith("--"))) throw new UsageError(`--${name} needs a value`);
      if (values.has(name)) throw new UsageError(`--${name} is given twice`);
      values.set(name, value);
    } else {
      const known = [...spec.values, ...COMMON_VALUES, ...COMMON_SWITCHES].map((f) => `--${f}`).join(", ");
      throw new UsageError(`unknown flag --${name} for "${command}" (flags: ${known})`);
    }
  }
  if (command !== "help" && !switches.has("help")) {
    for (const name of spec.required) if (!values.has(name)) throw new UsageError(`${command} needs --${name}`);
  }
  return { command, values, switches };
}

/** The message of an error on one line: ethers' short message when it has one. */
function oneLine(error: unknown): string {
  const e = error as { shortMessage?: string; message?: string };
  const text = e?.shortMessage ?? e?.message ?? String(error);
  return text.replace(/\s*\n\s*/g, " ").trim();
}

async function run(args: Args): Promise<void> {
  if (args.command === "help" || args.switches.has("help")) {
    console.log(USAGE);
    return;
  }
  let core: typeof import("./lib/funding-cli.ts");
  let revenue: typeof import("./lib/revenue-cli.ts");
  try {
    core = await import("./lib/funding-cli.ts");
    revenue = await import("./lib/revenue-cli.ts");
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ERR_MODULE_NOT_FOUND" && String((e as Error).message).includes("typechain-types")) {
      throw new Error("the contract types are missing (typechain-types/): run ./coterie build first");
    }
    throw e;
  }
  const { FundingError } = core;
  const { defaultDeploymentId, readPlatformAddresses } = await import("./lib/deployments.ts");
  const { demoFilePath } = await import("./lib/rewards-cli.ts");
  const { config, network } = await import("hardhat");
  const networkName = args.values.get("network") ?? "localhost";
  // Keys come from the environment, so an HTTP network's own `accounts` (e.g. the public network's
  // DEPLOYER_PRIVATE_KEY) are neither needed nor used: its URL still comes from its configuration
  // variable (environment or keystore), as for the deploy command.
  const conn =
    config.networks[networkName]?.type === "http" && !LOCAL_NETWORKS.has(networkName)
      ? await network.create({ network: networkName, override: { accounts: "remote" } })
      : await network.create({ network: networkName });
  try {
    const { ethers } = conn;
    const provider = ethers.provider;
    const { chainId } = await provider.getNetwork();
    const local = LOCAL_NETWORKS.has(networkName);
    const demo = core.readFundingDemoFile(chainId);
    for (const flag of ["crowdfund", "token", "factory", "revenue-factory", "asset"]) {
      const value = args.values.get(flag);
      if (value !== undefined && !isAddress(value)) throw new UsageError(`--${flag} is not an address: ${value}`);
    }

    const signerFor = async (role: keyof typeof KEY_ENV): Promise<Signer> => {
      const envName = KEY_ENV[role];
      const key = process.env[envName];
      if (key !== undefined && key.trim() !== "") {
        try {
          return new ethers.Wallet(key.trim().startsWith("0x") ? key.trim() : `0x${key.trim()}`, provider);
        } catch {
          throw new FundingError(`${envName} is not a valid private key`);
        }
      }
      if (!local) {
        throw new FundingError(
          `set ${envName} in the environment to the ${role}'s private key (on --network ${networkName} keys come only from the environment, never from a committed file)`,
        );
      }
      const signers = await ethers.getSigners();
      if (role === "sender") return signers[DEV_SENDER_INDEX];
      const creator = demo?.holders?.creator;
      return creator !== undefined ? ethers.getSigner(creator) : signers[1];
    };

    const fromDemo = (flag: string, value: string | undefined, what: string): string => {
      const explicit = args.values.get(flag);
      if (explicit !== undefined) return explicit;
      if (value === undefined) {
        throw new FundingError(
          `no --${flag} given and chain ${chainId} has no demo ${what} (${demoFilePath(chainId)} is missing or has none; ./coterie start writes it)`,
        );
      }
      return value;
    };
    /** Runs `fn` on the demo crowdfund (or --crowdfund), explaining a stale demo file. */
    const withCrowdfund = async <T>(fn: (address: string) => Promise<T>): Promise<T> => {
      const address = fromDemo("crowdfund", demo?.crowdfund, "crowdfund");
      try {
        return await fn(address);
      } catch (e) {
        if (!args.values.has("crowdfund") && e instanceof FundingError && /^no contract at|is not a Crowdfund$/.test(e.message)) {
          throw new FundingError(`${e.message} (the demo crowdfund from ${demoFilePath(chainId)}: is that file from an earlier chain? restart ./coterie start)`);
        }
        throw e;
      }
    };

    const deploymentId = process.env.COTERIE_DEPLOYMENT_ID ?? defaultDeploymentId(chainId);
    const rpcUrl = networkName === "localhost" ? (process.env.LOCALHOST_RPC_URL ?? "http://127.0.0.1:8545") : networkName === "public" ? "$PUBLIC_RPC_URL" : "$RPC_URL";
    /**
     * Runs `fn` with the community token (--token, or the demo community's) and the
     * RevenueShareFactory (--revenue-factory, or the platform deployment's), explaining a stale demo
     * file or deployment.
     */
    const withRevenue = async <T>(fn: (where: { token: string; factory: string }) => Promise<T>): Promise<T> => {
      let factory = args.values.get("revenue-factory");
      if (factory === undefined) {
        try {
          factory = readPlatformAddresses(deploymentId).revenueShareFactory;
        } catch {
          factory = (demo as import("./lib/revenue-cli.ts").RevenueDemoFile | null)?.platform?.revenueShareFactory;
        }
        if (factory === undefined) {
          throw new FundingError(`no --revenue-factory given and no platform deployment "${deploymentId}" with a RevenueShareFactory on chain ${chainId}`);
        }
      }
      const token = fromDemo("token", demo?.community?.token, "community");
      try {
        return await fn({ token, factory });
      } catch (e) {
        if (!(e instanceof FundingError)) throw e;
        if (!args.values.has("token") && /^--token .* is not (a contract|an ERC-20)|FactoryUnknownToken/.test(e.message)) {
          throw new FundingError(`${e.message} (the demo community's token from ${demoFilePath(chainId)}: is that file from an earlier chain? restart ./coterie start)`);
        }
        if (!args.values.has("revenue-factory") && /^no RevenueShareFactory at|is not a RevenueShareFactory$/.test(e.message)) {
          throw new FundingError(`${e.message} (from the platform deployment "${deploymentId}": is it from an earlier chain? restart ./coterie start)`);
        }
        throw e;
      }
    };

    switch (args.command) {
      case "start": {
        let factory = args.values.get("factory");
        if (factory === undefined) {
          try {
            factory = readPlatformAddresses(deploymentId).crowdfundFactory;
          } catch {
            factory = demo?.platform?.crowdfundFactory;
          }
          if (factory === undefined) {
            throw new FundingError(`no --factory given and no platform deployment "${deploymentId}" with a CrowdfundFactory on chain ${chainId}`);
          }
        }
        const token = fromDemo("token", demo?.community?.token, "community");
        const creator = await signerFor("creator");
        const r = await core.startCrowdfund(provider, creator, {
          factory,
          token,
          goal: args.values.get("goal")!,
          cap: args.values.get("cap"),
          days: args.values.get("days")!,
          price: args.values.get("price")!,
          payment: args.values.get("payment"),
          referralBps: args.values.get("referral-bps"),
          salt: args.values.get("salt"),
          rpcUrl,
        });
        console.log(core.formatStart(r));
        break;
      }
      case "status": {
        const s = await withCrowdfund(async (address) =>
          core.readCrowdfundStatus(await core.openCrowdfund(provider, address), { account: args.values.get("account") }),
        );
        console.log(core.formatCrowdfundStatus(s));
        break;
      }
      case "contribute": {
        const sender = await signerFor("sender");
        const r = await withCrowdfund((address) =>
          core.contribute(provider, sender, address, { amount: args.values.get("amount")!, referrer: args.values.get("referrer") }),
        );
        const money = (x: bigint) => core.amountText(x, r.info.payment);
        for (const w of r.warnings) console.error(`warning: ${w}`);
        console.log(
          `contributed ${money(r.amount)} to crowdfund ${r.info.address} from ${r.contributor}` +
            (r.referrer === ZeroAddress ? "" : `, referred by ${r.referrer}`),
        );
        if (r.approveHash !== null) console.log(`  approve     ${r.approveHash}`);
        console.log(`  tx          ${r.hash}`);
        console.log(`  raised      ${money(r.raised)} of goal ${money(r.info.params.goal)}`);
        console.log(`  yours       ${money(r.contributed)}, worth ${core.amountText(r.tokens, r.info.tokenAsset)} if the crowdfund succeeds`);
        break;
      }
      case "finalize": {
        const sender = await signerFor("sender");
        const r = await withCrowdfund((address) => core.finalize(provider, sender, address));
        const money = (x: bigint) => core.amountText(x, r.info.payment);
        if (r.outcome === "Succeeded") {
          console.log(`finalized crowdfund ${r.info.address}: succeeded, ${money(r.raised)} raised`);
          console.log(`  treasury    ${money(r.proceeds)} to ${r.info.treasury}`);
          console.log(`  fee         ${money(r.fee)}`);
          console.log(`  minted      ${core.amountText(r.tokens, r.info.tokenAsset)} for contributors and referrers to claim`);
          for (const d of r.deferred) console.log(`  deferred    ${money(d.amount)} for ${d.recipient} (it could not take the payout; withdrawPayout sends it)`);
        } else {
          console.log(
            `finalized crowdfund ${r.info.address}: failed, ${money(r.raised)} raised` +
              (r.goalReached ? " (goal reached, but the tokens could not be minted before the grace period ended)" : " (goal missed)") +
              "; contributors can refund",
          );
        }
        console.log(`  tx          ${r.hash}`);
        break;
      }
      case "claim": {
        const sender = await signerFor("sender");
        const r = await withCrowdfund((address) => core.claim(provider, sender, address, args.values.get("account")));
        const tok = (x: bigint) => core.amountText(x, r.info.tokenAsset);
        console.log(`claimed ${tok(r.tokens)} + ${tok(r.bonus)} referral bonus for ${r.account}`);
        console.log(`  tx          ${r.hash}  (sent by ${await sender.getAddress()})`);
        console.log(`  balance     ${tok(r.balance)}`);
        break;
      }
      case "refund": {
        const sender = await signerFor("sender");
        const r = await withCrowdfund((address) => core.refund(provider, sender, address, args.values.get("to")));
        console.log(`refunded ${core.amountText(r.amount, r.info.payment)} paid by ${r.contributor} to ${r.to}`);
        console.log(`  tx          ${r.hash}`);
        break;
      }
      case "revenue-setup": {
        const sender = await signerFor("sender");
        const r = await withRevenue((where) => revenue.setupRevenueShare(provider, sender, { ...where, rpcUrl }));
        console.log(revenue.formatSetup(r));
        break;
      }
      case "deposit": {
        const depositor = await signerFor("creator");
        const r = await withRevenue((where) =>
          revenue.depositRevenue(provider, depositor, { ...where, amount: args.values.get("amount")!, asset: args.values.get("asset") }),
        );
        console.log(revenue.formatDeposit(r));
        break;
      }
      case "revenue": {
        const s = await withRevenue(async (where) =>
          revenue.readRevenueStatus(await revenue.openRevenueShare(provider, where), {
            account: args.values.get("account"),
            asset: args.values.get("asset"),
            max: args.values.get("max"),
          }),
        );
        console.log(revenue.formatRevenueStatus(s));
        break;
      }
      case "claim-revenue": {
        const sender = await signerFor("sender");
        const r = await withRevenue((where) =>
          revenue.claimRevenue(provider, sender, { ...where, account: args.values.get("account"), asset: args.values.get("asset"), max: args.values.get("max") }),
        );
        console.log(revenue.formatClaim(r));
        break;
      }
      case "sweep": {
        const sender = await signerFor("sender");
        const r = await withRevenue((where) => revenue.sweepDeposit(provider, sender, { ...where, id: args.values.get("id")!, asset: args.values.get("asset") }));
        console.log(revenue.formatSweep(r));
        break;
      }
    }
  } finally {
    await conn.close();
  }
}

const argv = process.argv.slice(2);
const debug = argv.includes("--debug");
let code = 0;
try {
  await run(parseArgs(argv));
} catch (error) {
  if (debug) console.error(error);
  const command = argv[0] !== undefined && !argv[0].startsWith("-") ? ` ${argv[0]}` : "";
  console.error(`funding${command}: ${oneLine(error)}${error instanceof UsageError ? " (see ./coterie funding help)" : ""}`);
  code = error instanceof UsageError ? 2 : 1;
}
process.exit(code);
