/**
 * Formatting for the creator CLIs: token amounts, times, and shell quoting; and the one parser of
 * decimal amounts given on the command line.
 */
import { formatUnits } from "ethers";
import { CliError } from "./errors.ts";

const DAY = 86_400n;

/** A token amount in whole tokens, without a trailing ".0" (e.g. "1500", "0.25"). */
export function formatAmount(value: bigint, decimals: number): string {
  const text = formatUnits(value, decimals);
  return text.endsWith(".0") ? text.slice(0, -2) : text;
}

/** A token amount for people: whole tokens with thousands separators (e.g. "1,000,040.5"). */
export function displayAmount(value: bigint, decimals: number): string {
  const [whole, fraction] = formatAmount(value, decimals).split(".");
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  return fraction === undefined ? grouped : `${grouped}.${fraction}`;
}

/** "1,000.5 ETH". */
export function amountText(value: bigint, asset: { symbol: string; decimals: number }): string {
  return `${displayAmount(value, asset.decimals)} ${asset.symbol}`;
}

/** A timestamp as "2026-01-31 12:00:00 UTC". */
export function formatTime(seconds: bigint): string {
  return new Date(Number(seconds) * 1000).toISOString().replace("T", " ").replace(/\.\d+Z$/, " UTC");
}

/** "in 2d 3h" / "5m ago" relative to `now`. */
export function formatRelative(at: bigint, now: bigint): string {
  const d = at - now;
  const abs = d < 0n ? -d : d;
  const days = abs / DAY;
  const hours = (abs % DAY) / 3600n;
  const minutes = (abs % 3600n) / 60n;
  const text = days > 0n ? `${days}d ${hours}h` : hours > 0n ? `${hours}h ${minutes}m` : `${minutes}m ${abs % 60n}s`;
  return d >= 0n ? `in ${text}` : `${text} ago`;
}

/** Quotes `text` for a POSIX shell. */
export function shellQuote(text: string): string {
  return /^[\w@%+=:,./-]+$/.test(text) ? text : `'${text.replace(/'/g, `'\\''`)}'`;
}

/** The largest amount a command accepts, why, and an example for the error message. */
export interface AmountLimit {
  max: bigint;
  why: string;
  example: string;
}

/**
 * Parses a decimal amount given for `--<flag>` in `asset`'s whole units ("5", "2.5"): positive, no
 * more decimals than the asset has, at most `limit.max` units.
 */
export function parseAmount(text: string, asset: { symbol: string; decimals: number }, flag: string, limit: AmountLimit): bigint {
  const t = text.trim();
  if (!/^\d+(\.\d+)?$/.test(t)) {
    throw new CliError(`--${flag} must be a decimal amount of ${asset.symbol} such as ${limit.example}, got "${text}"`, "input");
  }
  const [whole, fraction = ""] = t.split(".");
  if (fraction.length > asset.decimals) {
    throw new CliError(`--${flag} ${t} has more than ${asset.decimals} decimal places (${asset.symbol} has ${asset.decimals})`, "input");
  }
  const value = BigInt(whole + fraction.padEnd(asset.decimals, "0"));
  if (value === 0n) throw new CliError(`--${flag} must be positive, got ${t}`, "input");
  if (value > limit.max) throw new CliError(`--${flag} ${t} ${asset.symbol} is too large (${limit.why})`, "input");
  return value;
}
