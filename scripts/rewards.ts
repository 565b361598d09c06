/**
 * The creator CLI for community rewards: `./coterie rewards <command> [flags]`
 * (or `npm run rewards -- <command> [flags]`). Run `./coterie rewards help` for the commands.
 *
 * This file only reads argv, connects through Hardhat (`network.create({ network })`, so a network
 * of hardhat.config.ts gets its configuration variables and keystore exactly as the deploy command
 * does), picks the keys and prints; the work is done by scripts/lib/rewards-cli.ts, which the tests
 * drive in-process.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { isAddress, type Signer } from "ethers";
import { CsvError } from "./lib/rewards.ts";

const USAGE = `Coterie rewards: the creator CLI for a community's RewardVault.

usage: ./coterie rewards <command> [flags]        (or: npm run rewards -- <command> [flags])

commands
  sign      --csv <file> [--deadline-days 30] [--first-id N] [--base-url http://127.0.0.1:5173] [--out links.csv]
            Signs one voucher per CSV row with the attester key and prints one claim link per row
            (<base-url>/claim?v=...&s=...). CSV rows: recipient,amount[,referrer] (amounts in whole
            tokens, up to the token's decimals). Voucher ids are first-id + row index (default first id:
            the clock in ms x 256). The key must be the vault's current attester. Any bad row: every
            problem is listed with its line number and nothing is signed.
  campaign  --csv <file> --end-days <n> [--out <file>] [--dry-run]
            Builds a Merkle campaign from account,amount rows (each account once), checks its total
            against the epoch's remaining budget, simulates and opens it with the operator key, and
            writes the proofs file the web app reads (default campaign-<chainId>-<campaignId>.json).
            --dry-run simulates as the vault's operator, sends nothing, and writes the file with
            campaignId null.
  status    [--account <address>]
            Token supply and cap; the vault's attester, operator, pause, referral rate, epoch,
            budget, spent and remaining; every campaign. --account adds a fan's balance, votes,
            delegate, referrer and referral earnings.
  redeem    --link "<claim link>"
            Redeems a claim link as the sender (tokens go to the voucher's recipient): checks its
            chain, vault and signature, simulates, sends, prints the transaction and the new balance.
  claim     --proofs <file> --account <address>
            Claims the account's leaf of the campaign in a proofs file (sent by the sender).
  help      This text.

common flags
  --network <name>   a network of hardhat.config.ts (default: localhost, the chain of ./coterie start;
                     LOCALHOST_RPC_URL moves it off http://127.0.0.1:8545)
  --vault <address>  the RewardVault (default: the demo community's, from
                     deploy/deployments/demo-<chainId>.json, written by ./coterie start)
  --debug            print the full error with its stack trace

keys
  sign uses ATTESTER_PRIVATE_KEY, campaign uses OPERATOR_PRIVATE_KEY, redeem and claim use
  SENDER_PRIVATE_KEY, read from the environment only, never from a file in the repository.
  On localhost and hardhat, when unset, they default to Hardhat's public dev accounts: the demo
  community's creator (attester and operator) and dev account #5 (sender).

Relative paths are resolved from the directory npm was started in (with ./coterie: the project folder).`;

type Command = "sign" | "campaign" | "status" | "redeem" | "claim" | "help";

const FLAGS: Record<Command, { values: string[]; switches: string[]; required: string[] }> = {
  sign: { values: ["csv", "deadline-days", "first-id", "base-url", "out"], switches: [], required: ["csv"] },
  campaign: { values: ["csv", "end-days", "out"], switches: ["dry-run"], required: ["csv", "end-days"] },
  status: { values: ["account"], switches: [], required: [] },
  redeem: { values: ["link"], switches: [], required: ["link"] },
  claim: { values: ["proofs", "account"], switches: [], required: ["proofs", "account"] },
  help: { values: [], switches: [], required: [] },
};
const COMMON_VALUES = ["network", "vault"];
const COMMON_SWITCHES = ["debug", "help"];
const LOCAL_NETWORKS = new Set(["localhost", "hardhat", "default"]);
const KEY_ENV = { attester: "ATTESTER_PRIVATE_KEY", operator: "OPERATOR_PRIVATE_KEY", sender: "SENDER_PRIVATE_KEY" } as const;
/** Hardhat dev account that relays redemptions and claims on the local chain ("spare" in start's list). */
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
  const command = (first === undefined || first === "--help" || first === "-h" ? "help" : first) as Command;
  if (!(command in FLAGS)) throw new UsageError(`unknown command "${first}" (commands: sign, campaign, status, redeem, claim, help)`);
  const spec = FLAGS[command];
  const values = new Map<string, string>();
  const switches = new Set<string>();
  const args = first === undefined || first === "--help" || first === "-h" ? argv : rest;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (!arg.startsWith("--")) throw new UsageError(`unexpected argument "${arg}"`);
    const eq = arg.indexOf("=");
    const name = arg.slice(2, eq < 0 ? undefined : eq);
    if ([...spec.switches, ...COMMON_SWITCHES].includes(name)) {
      if (eq >= 0) throw new UsageError(`--${name} takes no value`);
      switches.add(name);
    } else if ([...spec.values, ...COMMON_VALUES].includes(name)) {
      const value = eq >= 0 ? arg.slice(eq + 1) : args[++i];
      if (value === undefined || (eq < 0 && value.startsWith("--"))) throw new UsageError(`--${name} needs a value`);
      if (values.has(name)) throw new UsageError(`--${name} is given twice`);
      values.set(name, value);
    } else {
      const known = [...spec.values, ...spec.switches, ...COMMON_VALUES, ...COMMON_SWITCHES].map((f) => `--${f}`).join(", ");
      throw new UsageError(`unknown flag --${name} for "${command}" (flags: ${known})`);
    }
  }
  if (command !== "help" && !switches.has("help")) {
    for (const name of spec.required) if (!values.has(name)) throw new UsageError(`${command} needs --${name}`);
  }
  return { command, values, switches };
}

function days(text: string, flag: string): number {
  const n = Number(text);
  if (text.trim() === "" || !Number.isFinite(n) || n <= 0) throw new UsageError(`--${flag} must be a positive number of days, got "${text}"`);
  return n;
}

function pathOf(file: string): string {
  return resolve(process.env.INIT_CWD ?? process.cwd(), file);
}

function readText(file: string): string {
  try {
    return readFileSync(pathOf(file), "utf8");
  } catch (e) {
    throw new Error(`cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
}

function writeText(file: string, text: string): string {
  const path = pathOf(file);
  writeFileSync(path, text);
  return path;
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
  let core: typeof import("./lib/rewards-cli.ts");
  try {
    core = await import("./lib/rewards-cli.ts");
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ERR_MODULE_NOT_FOUND" && String((e as Error).message).includes("typechain-types")) {
      throw new Error("the contract types are missing (typechain-types/): run ./coterie build first");
    }
    throw e;
  }
  const { RewardsError } = core;
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
    const demo = core.readDemoFile(chainId);
    const explicitVault = args.values.get("vault");
    if (explicitVault !== undefined && !isAddress(explicitVault)) throw new UsageError(`--vault is not an address: ${explicitVault}`);

    const signerFor = async (role: keyof typeof KEY_ENV): Promise<Signer> => {
      const envName = KEY_ENV[role];
      const key = process.env[envName];
      if (key !== undefined && key.trim() !== "") {
        try {
          return new ethers.Wallet(key.trim().startsWith("0x") ? key.trim() : `0x${key.trim()}`, provider);
        } catch {
          throw new RewardsError(`${envName} is not a valid private key`);
        }
      }
      if (!local) {
        throw new RewardsError(
          `set ${envName} in the environment to the ${role}'s private key (on --network ${networkName} keys come only from the environment, never from a committed file)`,
        );
      }
      const signers = await ethers.getSigners();
      if (role === "sender") return signers[DEV_SENDER_INDEX];
      const creator = demo?.holders?.creator;
      return creator !== undefined ? ethers.getSigner(creator) : signers[1];
    };

    const openVault = async () => {
      const address = explicitVault ?? demo?.rewardVault ?? demo?.community?.rewardVault;
      if (address === undefined) {
        throw new RewardsError(
          `no --vault given and chain ${chainId} has no demo community (${core.demoFilePath(chainId)} is missing; ./coterie start writes it)`,
        );
      }
      try {
        return await core.openVault(provider, address);
      } catch (e) {
        if (explicitVault === undefined && e instanceof RewardsError) {
          throw new RewardsError(`${e.message} (the demo vault from ${core.demoFilePath(chainId)}: is that file from an earlier chain? restart ./coterie start)`);
        }
        throw e;
      }
    };
    const factory = demo?.platform?.factory;

    switch (args.command) {
      case "sign": {
        const file = args.values.get("csv")!;
        const firstIdText = args.values.get("first-id");
        if (firstIdText !== undefined && !/^\d+$/.test(firstIdText)) throw new UsageError(`--first-id must be a whole number, got "${firstIdText}"`);
        const baseUrl = args.values.get("base-url");
        if (baseUrl !== undefined && !/^https?:\/\/[^\s?#]+$/.test(baseUrl)) throw new UsageError(`--base-url must be an http(s) URL without query, got "${baseUrl}"`);
        const deadlineText = args.values.get("deadline-days");
        const csv = readText(file);
        const v = await openVault();
        const attester = await signerFor("attester");
        const result = await core.signVouchersFromCsv(v, attester, {
          csv,
          file,
          deadlineDays: deadlineText === undefined ? undefined : days(deadlineText, "deadline-days"),
          firstId: firstIdText === undefined ? undefined : BigInt(firstIdText),
          baseUrl,
        });
        const ids = result.signed.map((s) => s.voucher.id);
        console.error(
          `signed ${result.signed.length} voucher(s), ${core.displayAmount(result.total, v.decimals)} ${v.symbol} in all, ` +
            `for ${v.name} (${v.symbol}), vault ${v.address} on chain ${v.chainId}, attester ${result.attester}; ` +
            `ids ${ids[0]}..${ids[ids.length - 1]}, valid until ${core.formatTime(result.deadline)}`,
        );
        for (const w of result.warnings) console.error(`warning: ${w}`);
        for (const s of result.signed) console.log(s.link);
        const out = args.values.get("out");
        if (out !== undefined) console.error(`wrote ${writeText(out, core.linksCsv(result.signed, v.decimals))}`);
        break;
      }
      case "campaign": {
        const file = args.values.get("csv")!;
        const endDays = days(args.values.get("end-days")!, "end-days");
        const csv = readText(file);
        const v = await openVault();
        const dryRun = args.switches.has("dry-run");
        const operator = dryRun ? null : await signerFor("operator");
        const plan = await core.planCampaign(v, { csv, file, endDays });
        const opened = await core.openCampaign(v, operator, plan);
        const what =
          `${plan.rows.length} account(s), ${core.displayAmount(plan.built.total, v.decimals)} ${v.symbol}, ` +
          `ends ${core.formatTime(plan.end)}, root ${plan.built.root}`;
        if (opened.campaignId === null) {
          console.log(`dry run: campaign of ${what}; openCampaign simulated as the operator without error; nothing sent`);
        } else {
          console.log(`opened campaign #${opened.campaignId} on vault ${v.address}: ${what}`);
          console.log(`  tx ${opened.hash}`);
        }
        const out = args.values.get("out") ?? `campaign-${v.chainId}-${opened.campaignId ?? "dry-run"}.json`;
        console.log(`wrote ${writeText(out, JSON.stringify(opened.proofs, null, 2) + "\n")} (proofs for ${plan.rows.length} account(s))`);
        break;
      }
      case "status": {
        const v = await openVault();
        console.log(core.formatStatus(await core.readStatus(v, { account: args.values.get("account"), factory })));
        break;
      }
      case "redeem": {
        const sender = await signerFor("sender");
        const r = await core.redeemClaimLink(provider, sender, args.values.get("link")!, explicitVault);
        const { voucher } = r.payload;
        const amt = (x: bigint) => `${core.displayAmount(x, r.info.decimals)} ${r.info.symbol}`;
        console.log(
          `redeemed voucher ${voucher.id}: ${amt(voucher.amount)} to ${voucher.recipient}` +
            (r.referralBonus > 0n ? ` (referrer ${r.referrer} credited ${amt(r.referralBonus)})` : ""),
        );
        console.log(`  tx       ${r.hash}  (sent by ${await sender.getAddress()})`);
        console.log(`  balance  ${amt(r.balance)}`);
        break;
      }
      case "claim": {
        const file = args.values.get("proofs")!;
        const proofs = core.readProofsFile(readText(file), file);
        const sender = await signerFor("sender");
        const r = await core.claimFromProofs(provider, sender, proofs, args.values.get("account")!, explicitVault);
        const amt = (x: bigint) => `${core.displayAmount(x, r.info.decimals)} ${r.info.symbol}`;
        console.log(`claimed ${amt(r.amount)} from campaign #${r.campaignId} for ${r.account}`);
        console.log(`  tx       ${r.hash}  (sent by ${await sender.getAddress()})`);
        console.log(`  balance  ${amt(r.balance)}`);
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
  // A CSV's problems are one per line, each with its line number; everything else fits on one line.
  const message = error instanceof CsvError ? error.message : oneLine(error);
  console.error(`rewards${command}: ${message}${error instanceof UsageError ? " (see ./coterie rewards help)" : ""}`);
  code = error instanceof UsageError ? 2 : 1;
}
process.exit(code);
