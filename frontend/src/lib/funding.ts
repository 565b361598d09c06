/**
 * The funding rules the web app needs, browser-safe and pure: what a crowdfund lets a fan do now
 * (its phase), the validation of every funding form (contribute, start a crowdfund, deposit
 * revenue) and the price as the app shows it. The arithmetic (price scale, states, tokens and bonus,
 * exact price conversion, limits) is shared/funding.ts, the CLI's too; it is re-exported here for
 * the pages. See docs/funding.md.
 */
import { keccak256, toHex, zeroAddress, type Address } from "viem";
import {
  crowdfundStateName,
  exactPrice,
  MAX_CROWDFUND_SECONDS,
  MAX_DEPOSIT,
  MAX_UINT128,
  mintedFor,
  MINT_GRACE_SECONDS,
  pricePerWholeUnit,
  tokensFor,
  type CrowdfundState,
} from "../../../shared/funding.ts";
import { formatAmount } from "./format.ts";
import { proposePath } from "./routes.ts";
import { checkAddress, checkAmount, checkDeadline, type Checked } from "./validate.ts";

export {
  bonusFor,
  CLAIM_MAX_DEPOSITS,
  CROWDFUND_STATES,
  MAX_CROWDFUND_SECONDS,
  MAX_DEPOSIT,
  MAX_UINT128,
  MINT_GRACE_SECONDS,
  PRICE_SCALE,
  remainingUnderCap,
  tokensFor,
  type CrowdfundState,
} from "../../../shared/funding.ts";

export const MINTER_ROLE = keccak256(toHex("MINTER_ROLE"));
export const REVENUE_ROLE = keccak256(toHex("REVENUE_ROLE"));

/** The state `state()` returned (an unknown number reads as Active). */
export function crowdfundState(value: number): CrowdfundState {
  return crowdfundStateName(value) ?? "Active";
}

/** ETH (address null) or an ERC-20: what amounts are counted in. */
export interface AssetInfo {
  address: Address | null;
  symbol: string;
  decimals: number;
}

export const ETH_ASSET: AssetInfo = { address: null, symbol: "ETH", decimals: 18 };

/** The asset's address as the contracts name it: the zero address for ETH. */
export const assetAddress = (asset: AssetInfo): Address => asset.address ?? zeroAddress;

/** The contract's price as tokens per 1 whole payment unit: "1,000 AUR per ETH". */
export function formatPrice(price: bigint, token: { symbol: string; decimals: number }, payment: { symbol: string; decimals: number }): string {
  const { value, decimals } = pricePerWholeUnit(price, token.decimals, payment.decimals);
  return `${formatAmount(value, decimals, undefined, 6)} ${token.symbol} per ${payment.symbol}`;
}

/**
 * The contract's `price` for "`text` community tokens per 1 whole payment unit", exactly:
 * `price = text * 10^token.decimals * 10^18 / 10^payment.decimals`. A price that would need a
 * fraction of the contract's unit is refused, as are zero and prices of 2^128 or more.
 */
export function checkPrice(text: string, tokenDecimals: number, paymentDecimals: number): Checked<bigint> {
  const t = text.trim().replace(/_/g, "").replace(/,/g, "");
  if (t === "") return { ok: false, error: "Enter how many tokens 1 unit buys." };
  if (t.startsWith("-")) return { ok: false, error: "The price cannot be negative." };
  const converted = exactPrice(t, tokenDecimals, paymentDecimals);
  if (!converted.ok) {
    if (converted.reason === "not-decimal") return { ok: false, error: "Enter a number, like 1000 or 0.5." };
    if (converted.reason === "zero") return { ok: false, error: "The price must be more than zero." };
    const most = converted.maxDecimals;
    return { ok: false, error: most >= 0 ? `At most ${most} decimal places.` : "This price is too precise for the contract." };
  }
  const price = converted.price;
  if (price > MAX_UINT128) return { ok: false, error: "This price is too large." };
  return { ok: true, value: price };
}

/** A referral bonus in percent ("5", "2.5") as basis points, from 0% to 100%. */
export function checkReferralPercent(text: string): Checked<number> {
  const t = text.trim().replace(/%$/, "").trim();
  if (t === "") return { ok: false, error: "Enter a percentage (0 for no bonus)." };
  if (!/^(\d+(\.\d*)?|\.\d+)$/.test(t)) return { ok: false, error: "Enter a percentage, like 5 or 2.5." };
  const [whole, fraction = ""] = t.split(".");
  if (fraction.replace(/0+$/, "").length > 2) return { ok: false, error: "At most 2 decimal places (0.01% steps)." };
  const bps = Number(whole || "0") * 100 + Number(fraction.padEnd(2, "0").slice(0, 2));
  if (bps > 10_000) return { ok: false, error: "At most 100%." };
  return { ok: true, value: bps };
}

/** The optional referrer of a contribution: a valid address, never the contributor itself. */
export function checkReferrer(text: string, self: Address | null | undefined): Checked<Address | null> {
  const checked = checkAddress(text, { optional: true });
  if (!checked.ok) return checked;
  if (checked.value && self && checked.value.toLowerCase() === self.toLowerCase()) {
    return { ok: false, error: "You cannot refer yourself; leave it empty or name who brought you." };
  }
  return checked;
}

/**
 * A contribution: a positive amount with at most the payment asset's decimals, within what the cap
 * still allows (null: no cap left to check) and within the contributor's balance (when known).
 */
export function checkContribution(
  text: string,
  options: { asset: AssetInfo; remaining: bigint | null; balance?: bigint | null },
): Checked<bigint> {
  const { asset } = options;
  const checked = checkAmount(text, asset.decimals, { symbol: asset.symbol });
  if (!checked.ok) return checked;
  if (checked.value > MAX_UINT128) return { ok: false, error: "This amount is too large." };
  if (options.remaining !== null && checked.value > options.remaining) {
    return { ok: false, error: `Only ${formatAmount(options.remaining, asset.decimals, asset.symbol)} is left under the cap.` };
  }
  if (options.balance !== undefined && options.balance !== null && checked.value > options.balance) {
    return { ok: false, error: `You have ${formatAmount(options.balance, asset.decimals, asset.symbol)}.` };
  }
  return checked;
}

/** A revenue deposit: positive, the asset's decimals, below 2^104 units, within the depositor's balance (when known). */
export function checkDeposit(text: string, options: { asset: AssetInfo; balance?: bigint | null; minimum?: bigint }): Checked<bigint> {
  const { asset } = options;
  const checked = checkAmount(text, asset.decimals, { symbol: asset.symbol });
  if (!checked.ok) return checked;
  if (checked.value > MAX_DEPOSIT) return { ok: false, error: "A deposit must be below 2^104 units." };
  if (options.minimum !== undefined && checked.value < options.minimum) {
    return { ok: false, error: `The DAO's minimum deposit is ${formatAmount(options.minimum, asset.decimals, asset.symbol)}.` };
  }
  if (options.balance !== undefined && options.balance !== null && checked.value > options.balance) {
    return { ok: false, error: `You have ${formatAmount(options.balance, asset.decimals, asset.symbol)}.` };
  }
  return checked;
}

/** What a crowdfund's state allows, in the terms a fan acts on. */
export type CrowdfundPhase =
  /** Accepting contributions. */
  | { kind: "active" }
  /** Ended with the goal reached and minting granted: anyone finalizes (pays out, mints). */
  | { kind: "finalize" }
  /** Ended with the goal reached but no MINTER_ROLE yet: finalize reverts until granted, or until `retryUntil`. */
  | { kind: "awaiting-approval"; retryUntil: bigint }
  /** The DAO never granted minting and the grace period is over: finalize closes it as failed. */
  | { kind: "close-failed"; retryUntil: bigint }
  /** Ended below the goal: contributors take their money back (the first refund records the failure). */
  | { kind: "missed" }
  | { kind: "succeeded" }
  | { kind: "failed" };

export function crowdfundPhase(
  cf: { state: CrowdfundState; raised: bigint; goal: bigint; deadline: bigint; minterGranted: boolean },
  now: bigint,
): CrowdfundPhase {
  switch (cf.state) {
    case "Active":
      return { kind: "active" };
    case "Succeeded":
      return { kind: "succeeded" };
    case "Failed":
      return { kind: "failed" };
    case "Ended": {
      if (cf.raised < cf.goal) return { kind: "missed" };
      if (cf.minterGranted) return { kind: "finalize" };
      const retryUntil = cf.deadline + MINT_GRACE_SECONDS;
      return now > retryUntil ? { kind: "close-failed", retryUntil } : { kind: "awaiting-approval", retryUntil };
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Starting a crowdfund
// ---------------------------------------------------------------------------------------------

export interface CrowdfundForm {
  goal: string;
  /** Empty: no cap. */
  cap: string;
  /** A `datetime-local` value. */
  deadline: string;
  /** Community tokens per 1 whole payment unit. */
  price: string;
  /** Referral bonus in percent. */
  referral: string;
}

export type CrowdfundFormErrors = Partial<Record<keyof CrowdfundForm, string>>;

export interface CrowdfundPlan {
  paymentToken: Address;
  goal: bigint;
  cap: bigint;
  deadline: bigint;
  price: bigint;
  referralBps: number;
  /** Tokens minted if exactly the goal is raised, and at most (cap reached, all referred; null: no cap). */
  tokensAtGoal: bigint;
  tokensAtCap: bigint | null;
  /** Set when the cap could mint past the token's supply cap (finalize would then fail). */
  warning: string | null;
}

/**
 * Validates the start-a-crowdfund form against chain time and the community token: every problem is
 * returned next to its field; nothing is sent unless all are fine.
 */
export function planCrowdfund(
  form: CrowdfundForm,
  ctx: { now: bigint; payment: AssetInfo; token: { symbol: string; decimals: number; totalSupply: bigint; cap: bigint } },
): { ok: true; plan: CrowdfundPlan } | { ok: false; errors: CrowdfundFormErrors } {
  const { payment, token } = ctx;
  const errors: CrowdfundFormErrors = {};
  const goal = checkAmount(form.goal, payment.decimals, { symbol: payment.symbol });
  if (!goal.ok) errors.goal = goal.error;
  else if (goal.value > MAX_UINT128) errors.goal = "This goal is too large.";
  let cap: bigint = 0n;
  if (form.cap.trim() !== "") {
    const c = checkAmount(form.cap, payment.decimals, { symbol: payment.symbol });
    if (!c.ok) errors.cap = c.error;
    else if (c.value > MAX_UINT128) errors.cap = "This cap is too large.";
    else if (goal.ok && c.value < goal.value) errors.cap = "The cap must be at least the goal.";
    else cap = c.value;
  }
  const deadline = checkDeadline(form.deadline, ctx.now, { maxSeconds: MAX_CROWDFUND_SECONDS });
  if (!deadline.ok) errors.deadline = deadline.error;
  const price = checkPrice(form.price, token.decimals, payment.decimals);
  if (!price.ok) errors.price = price.error;
  const referral = checkReferralPercent(form.referral);
  if (!referral.ok) errors.referral = referral.error;

  let tokensAtGoal = 0n;
  let tokensAtCap: bigint | null = null;
  let warning: string | null = null;
  if (goal.ok && price.ok && !errors.goal) {
    const room = token.cap > token.totalSupply ? token.cap - token.totalSupply : 0n;
    tokensAtGoal = tokensFor(goal.value, price.value);
    if (tokensAtGoal === 0n) {
      errors.price = `At this price the goal buys no ${token.symbol} at all; raise the price.`;
    } else if (tokensAtGoal > room) {
      errors.price = `At the goal this would mint ${formatAmount(tokensAtGoal, token.decimals, token.symbol)}, more than the ${formatAmount(room, token.decimals, token.symbol)} left under the token's cap: it could never succeed.`;
    } else if (cap !== 0n && referral.ok) {
      tokensAtCap = mintedFor(cap, cap, price.value, BigInt(referral.value));
      if (tokensAtCap > room) {
        warning = `At the cap, with every contribution referred, it would mint ${formatAmount(tokensAtCap, token.decimals, token.symbol)}, more than the ${formatAmount(room, token.decimals, token.symbol)} left under the token's cap; finalize would then fail.`;
      }
    }
  }
  if (Object.keys(errors).length > 0 || !goal.ok || !deadline.ok || !price.ok || !referral.ok) return { ok: false, errors };
  return {
    ok: true,
    plan: {
      paymentToken: assetAddress(payment),
      goal: goal.value,
      cap,
      deadline: deadline.value,
      price: price.value,
      referralBps: referral.value,
      tokensAtGoal,
      tokensAtCap,
      warning,
    },
  };
}

/** A unix time (seconds) as a `datetime-local` value in the browser's time zone ("2025-03-01T14:05"). */
export function toDatetimeLocal(at: bigint | number): string {
  const d = new Date(Number(at) * 1000);
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** A fresh random salt for createCrowdfund (with the token and the creator it fixes the address). */
export function randomSalt(): `0x${string}` {
  const bytes = new Uint8Array(32);
  crypto.getRandomValues(bytes);
  return toHex(bytes);
}

/** Where the DAO proposal that grants a role to `target` is drafted (the Vote engineer's templates). */
export function grantProposalHref(token: Address, template: "grant-minter" | "grant-revenue", target: Address): string {
  return proposePath(token, template, target);
}
