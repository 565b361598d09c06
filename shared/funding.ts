/**
 * The crowdfund and revenue-share arithmetic, written once for the funding CLI
 * (scripts/lib/funding-cli.ts, revenue-cli.ts), the web app (frontend/src/lib/funding.ts) and the
 * tests: the price scale, the crowdfund's states, the tokens and referral bonus an amount buys
 * (rounded down exactly as Crowdfund.sol rounds), the exact conversion of a human price into the
 * contract's `price`, and the contracts' limits. Plain bigint arithmetic, no imports: the browser
 * bundle and Node both load it. Each caller words its own error messages; test/funding-maths.test.ts
 * checks these results against a deployed Crowdfund. See docs/funding.md.
 */

/** `Crowdfund.PRICE_SCALE`: `tokens = paid * price / PRICE_SCALE`, the price counting token units per 10^18 payment units. */
export const PRICE_SCALE = 10n ** 18n;
/** Basis points in a whole (the referral bonus and the platform fee are counted in them). */
export const BPS_SCALE = 10_000n;
/** `Crowdfund.MINT_GRACE`: a crowdfund that reached its goal but cannot mint fails this long after its deadline. */
export const MINT_GRACE_SECONDS = 30n * 86_400n;
/** `Crowdfund.MAX_DURATION`: a crowdfund's deadline is at most this far after its creation. */
export const MAX_CROWDFUND_SECONDS = 365 * 86_400;
/** The crowdfund keeps goal, cap, price and amounts below 2^128. */
export const MAX_UINT128 = (1n << 128n) - 1n;
/** The revenue share keeps deposits in 104 bits. */
export const MAX_DEPOSIT = (1n << 104n) - 1n;
/** Deposits one revenue claim covers by default (about 10,000 gas each); a longer backlog takes several claims. */
export const CLAIM_MAX_DEPOSITS = 50n;

/** `ICrowdfund.State`, by the number `state()` returns. */
export const CROWDFUND_STATES = ["Active", "Ended", "Succeeded", "Failed"] as const;
export type CrowdfundState = (typeof CROWDFUND_STATES)[number];

/** The name of the state `state()` returned, or undefined for a number the contract never returns. */
export function crowdfundStateName(value: bigint | number): CrowdfundState | undefined {
  return CROWDFUND_STATES[Number(value)];
}

/** Community tokens (smallest unit) that `paid` buys at `price`, rounded down as the contract does. */
export function tokensFor(paid: bigint, price: bigint): bigint {
  return (paid * price) / PRICE_SCALE;
}

/** The referrer's bonus on `referredPaid` (contributions naming it) at `price` and `bps`, rounded down twice as the contract does. */
export function bonusFor(referredPaid: bigint, price: bigint, bps: bigint): bigint {
  return (tokensFor(referredPaid, price) * bps) / BPS_SCALE;
}

/** What `finalize` mints: the tokens for everything raised plus the bonus on everything referred. */
export function mintedFor(raised: bigint, referred: bigint, price: bigint, bps: bigint): bigint {
  return tokensFor(raised, price) + bonusFor(referred, price, bps);
}

/** The platform fee on `raised` at `feeBps`, rounded down; the treasury gets the rest. */
export function feeFor(raised: bigint, feeBps: bigint): bigint {
  return (raised * feeBps) / BPS_SCALE;
}

/** The room left under a crowdfund's cap (the contract's own 2^128 bound when it has none). */
export function remainingUnderCap(cap: bigint, raised: bigint): bigint {
  const limit = cap === 0n ? MAX_UINT128 : cap;
  return limit > raised ? limit - raised : 0n;
}

/** The outcome of {@link exactPrice}. `maxDecimals` may be negative: then the price must be a multiple of 10^-maxDecimals. */
export type PriceConversion =
  | { ok: true; price: bigint }
  | { ok: false; reason: "not-decimal" }
  | { ok: false; reason: "zero" }
  | { ok: false; reason: "too-precise"; maxDecimals: number };

/**
 * The contract's `price` for "`decimal` community tokens per 1 whole payment unit", exactly:
 * `price = decimal * 10^tokenDecimals * 10^18 / 10^paymentDecimals`. `decimal` is digits with an
 * optional fraction ("1000", "0.5", ".5"; trailing zeros of the fraction do not count). A price that
 * would need a fraction of the contract's unit is refused ("too-precise"), as is zero. The caller
 * applies its own upper bound.
 */
export function exactPrice(decimal: string, tokenDecimals: number, paymentDecimals: number): PriceConversion {
  if (!/^(\d+(\.\d*)?|\.\d+)$/.test(decimal)) return { ok: false, reason: "not-decimal" };
  const [whole, rawFraction = ""] = decimal.split(".");
  const fraction = rawFraction.replace(/0+$/, "");
  const digits = BigInt((whole || "0") + fraction); // the price is digits / 10^fraction.length
  if (digits === 0n) return { ok: false, reason: "zero" };
  const maxDecimals = tokenDecimals + 18 - paymentDecimals;
  const exponent = maxDecimals - fraction.length;
  if (exponent >= 0) return { ok: true, price: digits * 10n ** BigInt(exponent) };
  const divisor = 10n ** BigInt(-exponent);
  if (digits % divisor !== 0n) return { ok: false, reason: "too-precise", maxDecimals };
  return { ok: true, price: digits / divisor };
}

/**
 * The contract's `price` as community tokens per 1 whole payment unit, as a fixed-point number:
 * `value / 10^decimals` tokens (exact, for the caller's formatter).
 */
export function pricePerWholeUnit(price: bigint, tokenDecimals: number, paymentDecimals: number): { value: bigint; decimals: number } {
  // tokens per whole payment unit = price * 10^paymentDecimals / 10^18 / 10^tokenDecimals
  return { value: price * 10n ** BigInt(paymentDecimals), decimals: 18 + tokenDecimals };
}
