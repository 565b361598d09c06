/**
 * What the creator CLIs (scripts/rewards.ts, scripts/funding.ts) share: argv parsing, the Hardhat
 * connection, key selection, and the one-line error report with its exit code.
 */
import type { Signer } from "ethers";
import { CliError } from "./errors.ts";

/** A mistake in the command line: a CliError with code "usage" (exit code 2). */
export function usageError(message: string): CliError {
  return new CliError(message, "usage");
}

/** The networks whose keys may default to Hardhat's public dev accounts. */
export const LOCAL_NETWORKS = new Set(["localhost", "hardhat", "default"]);

/** A command's flags: those taking a value, switches without one, and the required ones. */
export interface CommandFlags {
  values: string[];
  switches?: string[];
  required: string[];
}

export interface Args<C extends string> {
  command: C;
  values: Map<string, string>;
  switches: Set<string>;
}

/**
 * Parses `<command> [--flag value | --flag=value | --switch]...`. No command, `--help` or `-h`
 * first means "help". `common` flags are accepted by every command; `--debug` and `--help` always.
 */
export function parseArgs<C extends string>(
  argv: string[],
  flags: Record<C, CommandFlags>,
  commonValues: string[],
): Args<C> {
  const commonSwitches = ["debug", "help"];
  const [first, ...rest] = argv;
  const asHelp = first === undefined || first === "--help" || first === "-h";
  const command = (asHelp ? "help" : first) as C;
  if (!(command in flags)) throw usageError(`unknown command "${first}" (commands: ${Object.keys(flags).join(", ")})`);
  const spec = flags[command];
  const switchNames = [...(spec.switches ?? []), ...commonSwitches];
  const valueNames = [...spec.values, ...commonValues];
  const values = new Map<string, string>();
  const switches = new Set<string>();
  const args = asHelp ? argv : rest;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (!arg.startsWith("--")) throw usageError(`unexpected argument "${arg}"`);
    const eq = arg.indexOf("=");
    const name = arg.slice(2, eq < 0 ? undefined : eq);
    if (switchNames.includes(name)) {
      if (eq >= 0) throw usageError(`--${name} takes no value`);
      switches.add(name);
    } else if (valueNames.includes(name)) {
      const value = eq >= 0 ? arg.slice(eq + 1) : args[++i];
      if (value === undefined || (eq < 0 && value.startsWith("--"))) throw usageError(`--${name} needs a value`);
      if (values.has(name)) throw usageError(`--${name} is given twice`);
      values.set(name, value);
    } else {
      const known = [...spec.values, ...(spec.switches ?? []), ...commonValues, ...commonSwitches].map((f) => `--${f}`).join(", ");
      throw usageError(`unknown flag --${name} for "${command}" (flags: ${known})`);
    }
  }
  if (command !== "help" && !switches.has("help")) {
    for (const name of spec.required) if (!values.has(name)) throw usageError(`${command} needs --${name}`);
  }
  return { command, values, switches };
}

/** The message of an error on one line: ethers' short message when it has one. */
export function oneLine(error: unknown): string {
  const e = error as { shortMessage?: string; message?: string };
  const text = e?.shortMessage ?? e?.message ?? String(error);
  return text.replace(/\s*\n\s*/g, " ").trim();
}

/** Imports a CLI core, explaining the usual cause when the contract types are missing. */
export async function importCore<T>(load: () => Promise<T>): Promise<T> {
  try {
    return await load();
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ERR_MODULE_NOT_FOUND" && String((e as Error).message).includes("typechain-types")) {
      throw new Error("the contract types are missing (typechain-types/): run ./coterie build first");
    }
    throw e;
  }
}

/**
 * Connects to a network of hardhat.config.ts. Keys come from the environment, so an HTTP network's
 * own `accounts` (e.g. the public network's DEPLOYER_PRIVATE_KEY) are neither needed nor used: its
 * URL still comes from its configuration variable (environment or keystore), as for the deploy command.
 */
export async function connect(networkName: string) {
  const { config, network } = await import("hardhat");
  return config.networks[networkName]?.type === "http" && !LOCAL_NETWORKS.has(networkName)
    ? network.create({ network: networkName, override: { accounts: "remote" } })
    : network.create({ network: networkName });
}

type Connection = Awaited<ReturnType<typeof connect>>;

/**
 * Picks the signer for a role: the private key in the role's environment variable; on a local
 * network, when unset, Hardhat's dev account `devSenderIndex` for the "sender" role and the demo
 * creator (or dev account #1) for every other role. Elsewhere an unset key is an error.
 */
export function signerPicker<R extends string>(opts: {
  conn: Connection;
  networkName: string;
  keyEnv: Record<R, string>;
  devSenderIndex: number;
  demoCreator: string | undefined;
}): (role: R) => Promise<Signer> {
  const { ethers } = opts.conn;
  const local = LOCAL_NETWORKS.has(opts.networkName);
  return async (role) => {
    const envName = opts.keyEnv[role];
    const key = process.env[envName]?.trim();
    if (key !== undefined && key !== "") {
      try {
        return new ethers.Wallet(key.startsWith("0x") ? key : `0x${key}`, ethers.provider);
      } catch {
        throw new Error(`${envName} is not a valid private key`);
      }
    }
    if (!local) {
      throw new Error(
        `set ${envName} in the environment to the ${role}'s private key (on --network ${opts.networkName} keys come only from the environment, never from a committed file)`,
      );
    }
    const signers = await ethers.getSigners();
    if (role === "sender") return signers[opts.devSenderIndex];
    return opts.demoCreator !== undefined ? ethers.getSigner(opts.demoCreator) : signers[1];
  };
}

/**
 * Runs a CLI and exits: on an error prints `<cli> <command>: <message>` (with a hint to the help
 * for command-line mistakes, exit code 2; otherwise 1); `--debug` also prints the error itself.
 */
export async function main(cli: string, run: (argv: string[]) => Promise<void>, message: (error: unknown) => string = oneLine): Promise<never> {
  const argv = process.argv.slice(2);
  let code = 0;
  try {
    await run(argv);
  } catch (error) {
    if (argv.includes("--debug")) console.error(error);
    const command = argv[0] !== undefined && !argv[0].startsWith("-") ? ` ${argv[0]}` : "";
    const usage = error instanceof CliError && error.code === "usage";
    console.error(`${cli}${command}: ${message(error)}${usage ? ` (see ./coterie ${cli} help)` : ""}`);
    code = usage ? 2 : 1;
  }
  process.exit(code);
}
