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
import { isAddress } from "ethers";
import { CsvError } from "./lib/rewards.ts";
import { connect, importCore, main, oneLine, parseArgs, signerPicker, usageError, type Args, type CommandFlags } from "./lib/cli.ts";
import { demoFilePath, readDemoFile } from "./lib/demo.ts";
import { CliError, RewardsError } from "./lib/errors.ts";
import { displayAmount, formatTime } from "./lib/format.ts";

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

const FLAGS: Record<Command, CommandFlags> = {
  sign: { values: ["csv", "deadline-days", "first-id", "base-url", "out"], switches: [], required: ["csv"] },
  campaign: { values: ["csv", "end-days", "out"], switches: ["dry-run"], required: ["csv", "end-days"] },
  status: { values: ["account"], switches: [], required: [] },
  redeem: { values: ["link"], switches: [], required: ["link"] },
  claim: { values: ["proofs", "account"], switches: [], required: ["proofs", "account"] },
  help: { values: [], switches: [], required: [] },
};
const COMMON_VALUES = ["network", "vault"];
const KEY_ENV = { attester: "ATTESTER_PRIVATE_KEY", operator: "OPERATOR_PRIVATE_KEY", sender: "SENDER_PRIVATE_KEY" } as const;
/** Hardhat dev account that relays redemptions and claims on the local chain ("spare" in start's list). */
const DEV_SENDER_INDEX = 5;

function days(text: string, flag: string): number {
  const n = Number(text);
  if (text.trim() === "" || !Number.isFinite(n) || n <= 0) throw usageError(`--${flag} must be a positive number of days, got "${text}"`);
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

async function run(args: Args<Command>): Promise<void> {
  if (args.command === "help" || args.switches.has("help")) {
    console.log(USAGE);
    return;
  }
  const core = await importCore(() => import("./lib/rewards-cli.ts"));
  const networkName = args.values.get("network") ?? "localhost";
  const conn = await connect(networkName);
  try {
    const { ethers } = conn;
    const provider = ethers.provider;
    const { chainId } = await provider.getNetwork();
    const demo = readDemoFile(chainId);
    const explicitVault = args.values.get("vault");
    if (explicitVault !== undefined && !isAddress(explicitVault)) throw usageError(`--vault is not an address: ${explicitVault}`);

    const signerFor = signerPicker({ conn, networkName, keyEnv: KEY_ENV, devSenderIndex: DEV_SENDER_INDEX, demoCreator: demo?.holders?.creator });

    const openVault = async () => {
      const address = explicitVault ?? demo?.rewardVault ?? demo?.community?.rewardVault;
      if (address === undefined) {
        throw new RewardsError(
          `no --vault given and chain ${chainId} has no demo community (${demoFilePath(chainId)} is missing; ./coterie start writes it)`,
          "no-demo",
        );
      }
      try {
        return await core.openVault(provider, address);
      } catch (e) {
        if (explicitVault === undefined && e instanceof CliError && e.subject === "vault") {
          throw new RewardsError(`${e.message} (the demo vault from ${demoFilePath(chainId)}: is that file from an earlier chain? restart ./coterie start)`, e.code, e);
        }
        throw e;
      }
    };
    const factory = demo?.platform?.factory;

    switch (args.command) {
      case "sign": {
        const file = args.values.get("csv")!;
        const firstIdText = args.values.get("first-id");
        if (firstIdText !== undefined && !/^\d+$/.test(firstIdText)) throw usageError(`--first-id must be a whole number, got "${firstIdText}"`);
        const baseUrl = args.values.get("base-url");
        if (baseUrl !== undefined && !/^https?:\/\/[^\s?#]+$/.test(baseUrl)) throw usageError(`--base-url must be an http(s) URL without query, got "${baseUrl}"`);
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
          `signed ${result.signed.length} voucher(s), ${displayAmount(result.total, v.decimals)} ${v.symbol} in all, ` +
            `for ${v.name} (${v.symbol}), vault ${v.address} on chain ${v.chainId}, attester ${result.attester}; ` +
            `ids ${ids[0]}..${ids[ids.length - 1]}, valid until ${formatTime(result.deadline)}`,
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
          `${plan.rows.length} account(s), ${displayAmount(plan.built.total, v.decimals)} ${v.symbol}, ` +
          `ends ${formatTime(plan.end)}, root ${plan.built.root}`;
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
        const amt = (x: bigint) => `${displayAmount(x, r.info.decimals)} ${r.info.symbol}`;
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
        const amt = (x: bigint) => `${displayAmount(x, r.info.decimals)} ${r.info.symbol}`;
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

// A CSV's problems are one per line, each with its line number; everything else fits on one line.
await main("rewards", (argv) => run(parseArgs(argv, FLAGS, COMMON_VALUES)), (error) =>
  error instanceof CsvError ? error.message : oneLine(error),
);
