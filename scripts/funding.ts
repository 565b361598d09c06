/**
 * The creator CLI for crowdfunds: `./coterie funding <command> [flags]`
 * (or `npm run funding -- <command> [flags]`). Run `./coterie funding help` for the commands.
 *
 * This file only reads argv, connects through Hardhat (`network.create({ network })`, so a network
 * of hardhat.config.ts gets its configuration variables and keystore exactly as the deploy command
 * does), picks the keys and prints; the work is done by scripts/lib/funding-cli.ts, which the tests
 * drive in-process.
 */
import { isAddress, ZeroAddress } from "ethers";
import { connect, importCore, main, parseArgs, signerPicker, usageError, type Args, type CommandFlags } from "./lib/cli.ts";
import { demoFilePath, readDemoFile } from "./lib/demo.ts";
import { CliError, FundingError, isStaleAddress } from "./lib/errors.ts";
import { amountText } from "./lib/format.ts";

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

const FLAGS: Record<Command, CommandFlags> = {
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
const KEY_ENV = { creator: "CREATOR_PRIVATE_KEY", sender: "SENDER_PRIVATE_KEY" } as const;
/** Hardhat dev account that contributes and relays on the local chain ("spare" in start's list). */
const DEV_SENDER_INDEX = 5;

async function run(args: Args<Command>): Promise<void> {
  if (args.command === "help" || args.switches.has("help")) {
    console.log(USAGE);
    return;
  }
  const core = await importCore(() => import("./lib/funding-cli.ts"));
  const revenue = await importCore(() => import("./lib/revenue-cli.ts"));
  const { defaultDeploymentId, readPlatformAddresses } = await import("./lib/deployments.ts");
  const networkName = args.values.get("network") ?? "localhost";
  const conn = await connect(networkName);
  try {
    const { ethers } = conn;
    const provider = ethers.provider;
    const { chainId } = await provider.getNetwork();
    const demo = readDemoFile(chainId);
    for (const flag of ["crowdfund", "token", "factory", "revenue-factory", "asset"]) {
      const value = args.values.get(flag);
      if (value !== undefined && !isAddress(value)) throw usageError(`--${flag} is not an address: ${value}`);
    }

    const signerFor = signerPicker({ conn, networkName, keyEnv: KEY_ENV, devSenderIndex: DEV_SENDER_INDEX, demoCreator: demo?.holders?.creator });

    const fromDemo = (flag: string, value: string | undefined, what: string): string => {
      const explicit = args.values.get(flag);
      if (explicit !== undefined) return explicit;
      if (value === undefined) {
        throw new FundingError(
          `no --${flag} given and chain ${chainId} has no demo ${what} (${demoFilePath(chainId)} is missing or has none; ./coterie start writes it)`,
          "no-demo",
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
        if (!args.values.has("crowdfund") && e instanceof CliError && isStaleAddress(e, "crowdfund")) {
          throw new FundingError(`${e.message} (the demo crowdfund from ${demoFilePath(chainId)}: is that file from an earlier chain? restart ./coterie start)`, e.code, e);
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
          factory = demo?.platform?.revenueShareFactory;
        }
        if (factory === undefined) {
          throw new FundingError(`no --revenue-factory given and no platform deployment "${deploymentId}" with a RevenueShareFactory on chain ${chainId}`, "no-demo");
        }
      }
      const token = fromDemo("token", demo?.community?.token, "community");
      try {
        return await fn({ token, factory });
      } catch (e) {
        if (!(e instanceof CliError)) throw e;
        if (!args.values.has("token") && (isStaleAddress(e, "token") || e.revert?.startsWith("FactoryUnknownToken(") === true)) {
          throw new FundingError(`${e.message} (the demo community's token from ${demoFilePath(chainId)}: is that file from an earlier chain? restart ./coterie start)`, e.code, e);
        }
        if (!args.values.has("revenue-factory") && isStaleAddress(e, "revenue-factory")) {
          throw new FundingError(`${e.message} (from the platform deployment "${deploymentId}": is it from an earlier chain? restart ./coterie start)`, e.code, e);
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
            throw new FundingError(`no --factory given and no platform deployment "${deploymentId}" with a CrowdfundFactory on chain ${chainId}`, "no-demo");
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
        const money = (x: bigint) => amountText(x, r.info.payment);
        for (const w of r.warnings) console.error(`warning: ${w}`);
        console.log(
          `contributed ${money(r.amount)} to crowdfund ${r.info.address} from ${r.contributor}` +
            (r.referrer === ZeroAddress ? "" : `, referred by ${r.referrer}`),
        );
        if (r.approveHash !== null) console.log(`  approve     ${r.approveHash}`);
        console.log(`  tx          ${r.hash}`);
        console.log(`  raised      ${money(r.raised)} of goal ${money(r.info.params.goal)}`);
        console.log(`  yours       ${money(r.contributed)}, worth ${amountText(r.tokens, r.info.tokenAsset)} if the crowdfund succeeds`);
        break;
      }
      case "finalize": {
        const sender = await signerFor("sender");
        const r = await withCrowdfund((address) => core.finalize(provider, sender, address));
        const money = (x: bigint) => amountText(x, r.info.payment);
        if (r.outcome === "Succeeded") {
          console.log(`finalized crowdfund ${r.info.address}: succeeded, ${money(r.raised)} raised`);
          console.log(`  treasury    ${money(r.proceeds)} to ${r.info.treasury}`);
          console.log(`  fee         ${money(r.fee)}`);
          console.log(`  minted      ${amountText(r.tokens, r.info.tokenAsset)} for contributors and referrers to claim`);
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
        const tok = (x: bigint) => amountText(x, r.info.tokenAsset);
        console.log(`claimed ${tok(r.tokens)} + ${tok(r.bonus)} referral bonus for ${r.account}`);
        console.log(`  tx          ${r.hash}  (sent by ${await sender.getAddress()})`);
        console.log(`  balance     ${tok(r.balance)}`);
        break;
      }
      case "refund": {
        const sender = await signerFor("sender");
        const r = await withCrowdfund((address) => core.refund(provider, sender, address, args.values.get("to")));
        console.log(`refunded ${amountText(r.amount, r.info.payment)} paid by ${r.contributor} to ${r.to}`);
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

await main("funding", (argv) => run(parseArgs(argv, FLAGS, COMMON_VALUES)));
