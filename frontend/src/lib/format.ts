/** Display formatting: token amounts with their decimals and unit, addresses, times and shares. */
import { formatUnits, type Address } from "viem";

/**
 * A token amount for display: thousands separators, at most `maxFraction` decimals (trailing zeros
 * dropped), and the unit. Tiny non-zero amounts show as "< 0.0001 AUR" rather than "0".
 */
export function formatAmount(value: bigint, decimals: number, symbol?: string, maxFraction = 4): string {
  const negative = value < 0n;
  const abs = negative ? -value : value;
  const [whole, fraction = ""] = formatUnits(abs, decimals).split(".");
  const cut = fraction.slice(0, maxFraction).replace(/0+$/, "");
  let text = `${BigInt(whole).toLocaleString("en-US")}${cut ? `.${cut}` : ""}`;
  if (abs > 0n && text === "0") text = `< 0.${"0".repeat(Math.max(0, maxFraction - 1))}1`;
  const signed = negative ? `-${text}` : text;
  return symbol ? `${signed} ${symbol}` : signed;
}

/** 0x1234…abcd */
export function shortAddress(address: Address | string): string {
  return address.length > 12 ? `${address.slice(0, 6)}…${address.slice(-4)}` : address;
}

/** Basis points as a percentage: 1234 -> "12.34%". */
export function formatBps(bps: bigint | number): string {
  const n = Number(bps) / 100;
  return `${Number.isInteger(n) ? n.toString() : n.toFixed(2).replace(/0+$/, "")}%`;
}

/** part / whole as a percentage with one decimal ("0.0%" when whole is zero). */
export function formatShare(part: bigint, whole: bigint): string {
  if (whole === 0n) return "0.0%";
  const tenths = (part * 1000n) / whole;
  return `${(Number(tenths) / 10).toFixed(1)}%`;
}

/** A duration in seconds as "2d 3h", "4h 5m", "6m 7s" or "8s". */
export function formatDuration(seconds: bigint | number): string {
  let s = Math.max(0, Math.floor(Number(seconds)));
  const d = Math.floor(s / 86_400);
  s -= d * 86_400;
  const h = Math.floor(s / 3_600);
  s -= h * 3_600;
  const m = Math.floor(s / 60);
  s -= m * 60;
  if (d > 0) return `${d}d ${h}h`;
  if (h > 0) return `${h}h ${m}m`;
  if (m > 0) return `${m}m ${s}s`;
  return `${s}s`;
}

/** "in 2d 3h" / "3h 5m ago", relative to `now` (both unix seconds, chain time). */
export function formatRelative(at: bigint | number, now: bigint | number): string {
  const delta = Number(at) - Number(now);
  return delta >= 0 ? `in ${formatDuration(delta)}` : `${formatDuration(-delta)} ago`;
}

/** A unix timestamp (seconds) as a local date and time. */
export function formatDate(at: bigint | number): string {
  return new Date(Number(at) * 1000).toLocaleString("en-GB", {
    year: "numeric",
    month: "short",
    day: "numeric",
    hour: "2-digit",
    minute: "2-digit",
  });
}

/**
 * Voting power, worded the same everywhere (issue 11 item 17): "1,000 votes", "1 vote", "0 votes".
 * One token delegated is one vote; the token's symbol is for balances, never for voting power.
 */
export const VOTES = "votes";

/** The unit to pass wherever an amount is voting power: `Amount` then words it with `formatVotes`. */
export function votesUnit(decimals: number): { decimals: number; symbol: string } {
  return { decimals, symbol: VOTES };
}

export function formatVotes(value: bigint, decimals: number): string {
  const text = formatAmount(value, decimals);
  return `${text} ${value === 10n ** BigInt(decimals) ? "vote" : "votes"}`;
}
