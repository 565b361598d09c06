/**
 * Field validation for every form: bad input gets a message next to its field and never reaches
 * the chain. Each validator returns either the parsed value or the message to show.
 */
import { getAddress, isAddress, parseUnits, zeroAddress, type Address } from "viem";

export type Checked<T> = { ok: true; value: T } | { ok: false; error: string };

const ok = <T,>(value: T): Checked<T> => ({ ok: true, value });
const fail = <T,>(error: string): Checked<T> => ({ ok: false, error });

/** An address field. `optional` accepts an empty field (as null); the zero address is refused. */
export function checkAddress(text: string, options: { optional?: boolean } = {}): Checked<Address | null> {
  const t = text.trim();
  if (t === "") return options.optional ? ok(null) : fail("Enter an address.");
  if (!/^0x[0-9a-fA-F]{40}$/.test(t)) return fail("Not an address: expected 0x followed by 40 hex characters.");
  if (!isAddress(t)) return fail("This address has a wrong checksum (a typo?).");
  if (getAddress(t) === zeroAddress) return fail("The zero address cannot be used here.");
  return ok(getAddress(t));
}

/**
 * A token amount field: a positive decimal with at most `decimals` fractional digits, at most `max`
 * when given (e.g. the balance), at least `min` when given.
 */
export function checkAmount(
  text: string,
  decimals: number,
  options: { max?: bigint; min?: bigint; symbol?: string; allowZero?: boolean } = {},
): Checked<bigint> {
  const t = text.trim().replace(/_/g, "");
  if (t === "") return fail("Enter an amount.");
  if (t.startsWith("-")) return fail("The amount cannot be negative.");
  if (!/^(\d+(\.\d*)?|\.\d+)$/.test(t)) return fail("Enter a number, like 1.5.");
  const fraction = t.includes(".") ? t.split(".")[1] : "";
  if (fraction.length > decimals) {
    return fail(`At most ${decimals} decimal place${decimals === 1 ? "" : "s"}${options.symbol ? ` for ${options.symbol}` : ""}.`);
  }
  const value = parseUnits(t.endsWith(".") ? t.slice(0, -1) : t, decimals);
  if (value === 0n && !options.allowZero) return fail("The amount must be more than zero.");
  if (options.min !== undefined && value < options.min) return fail("The amount is below the minimum.");
  if (options.max !== undefined && value > options.max) return fail("The amount is more than you have.");
  return ok(value);
}

/** A whole number within [min, max]. */
export function checkInteger(text: string, min: number, max: number, unit = ""): Checked<number> {
  const t = text.trim();
  if (!/^\d+$/.test(t)) return fail("Enter a whole number.");
  const n = Number(t);
  if (n < min || n > max) return fail(`Between ${min} and ${max}${unit ? ` ${unit}` : ""}.`);
  return ok(n);
}

/** A deadline from a `datetime-local` field: must lie after `now` (unix seconds, chain time). */
export function checkDeadline(text: string, now: bigint, options: { maxSeconds?: number } = {}): Checked<bigint> {
  if (text.trim() === "") return fail("Choose a date and time.");
  const ms = Date.parse(text);
  if (Number.isNaN(ms)) return fail("Not a valid date and time.");
  const at = BigInt(Math.floor(ms / 1000));
  if (at <= now) return fail("The deadline is in the past.");
  if (options.maxSeconds !== undefined && at - now > BigInt(options.maxSeconds)) {
    return fail(`At most ${Math.round(options.maxSeconds / 86_400)} days from now.`);
  }
  return ok(at);
}

/** Non-empty text up to `max` characters. */
export function checkText(text: string, max: number, what = "This field"): Checked<string> {
  const t = text.trim();
  if (t === "") return fail(`${what} cannot be empty.`);
  if (t.length > max) return fail(`${what} is longer than ${max} characters.`);
  return ok(t);
}
