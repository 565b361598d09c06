/**
 * Proposal templates: each turns a few validated fields into the calls of a proposal (run by the
 * community's Timelock) and a generated title and description. Pure: the page passes in what it
 * read from the chain (treasury, vault settings, the registry, facts about a target address).
 */
import { encodeFunctionData, type Address, type Hex } from "viem";
import { communityFactoryAbi, rewardVaultAbi, socialTokenAbi } from "../generated/abis.ts";
import { formatAmount, formatBps, formatDate, formatDuration, shortAddress } from "./format.ts";
import { ROLES } from "./governance-actions.ts";
import { checkAddress, checkAmount, type Checked } from "./validate.ts";

export type TemplateId =
  | "eth-transfer"
  | "token-transfer"
  | "reward-budget"
  | "referral-rate"
  | "grant-minter"
  | "grant-revenue"
  | "verify"
  | "creation-fee";

export const TEMPLATE_IDS: TemplateId[] = [
  "eth-transfer",
  "token-transfer",
  "reward-budget",
  "referral-rate",
  "grant-minter",
  "grant-revenue",
  "verify",
  "creation-fee",
];

export function isTemplateId(value: string | null): value is TemplateId {
  return value !== null && (TEMPLATE_IDS as string[]).includes(value);
}

/** What the app knows about the address a grant template names (read from the chain). */
export interface TargetFacts {
  address: Address;
  /** The address already holds the role the template grants. */
  hasRole: boolean;
  /** For grant-minter: the address is a crowdfund of this community's token (null: not a crowdfund at all). */
  crowdfund?: {
    ofThisToken: boolean;
    goal: bigint;
    cap: bigint;
    deadline: bigint;
    price: bigint;
    referralBps: bigint;
    payment: { symbol: string; decimals: number };
  } | null;
  /** For grant-revenue: the address is a revenue share of this community's token (false: it is not). */
  revenueShareOfThisToken?: boolean;
}

export interface RegistryEntry {
  id: bigint;
  name: string;
  symbol: string;
  token: Address;
  creator: Address;
  verified: boolean;
}

export interface TemplateContext {
  community: {
    name: string;
    symbol: string;
    decimals: number;
    token: Address;
    timelock: Address;
    rewardVault: Address | null;
    revenueShare: Address | null;
    treasuryEth: bigint;
    treasuryTokens: bigint;
    isPlatform: boolean;
  };
  factory: Address;
  /** The reward vault's settings (reward-budget, referral-rate); undefined while loading. */
  vault?: { epochBudget: bigint; epochLength: bigint; referralBps: bigint } | null;
  /** The factory's creation fee (creation-fee); undefined while loading. */
  creationFee?: bigint;
  /** The registry (verify); undefined while loading. */
  registry?: RegistryEntry[];
  /** Facts about the target address of a grant template; undefined while loading, null when no valid address. */
  target?: TargetFacts | null;
}

export interface TemplateField {
  name: string;
  label: string;
  kind: "address" | "amount" | "percent" | "community";
  placeholder?: string;
  hint?: string;
  suffix?: string;
}

export interface ProposalCall {
  target: Address;
  value: bigint;
  data: Hex;
}

export type TemplateResult =
  | { ok: true; calls: ProposalCall[]; title: string; body: string }
  | { ok: false; errors: Record<string, string>; waiting?: string };

export interface TemplateDef {
  id: TemplateId;
  label: string;
  blurb: string;
  /** Null when the template applies to this community, else why not. */
  unavailable(ctx: TemplateContext): string | null;
  fields(ctx: TemplateContext): TemplateField[];
  build(values: Record<string, string>, ctx: TemplateContext): TemplateResult;
}

const MAX_UINT96 = (1n << 96n) - 1n;
const MAX_UINT104 = (1n << 104n) - 1n;

const eth = (wei: bigint) => formatAmount(wei, 18, "ETH", 6);

/** A percentage with at most two decimals (basis-point precision), 0 to 100, as basis points. */
export function checkPercent(text: string): Checked<bigint> {
  const t = text.trim();
  if (t === "") return { ok: false, error: "Enter a percentage." };
  if (t.startsWith("-")) return { ok: false, error: "The percentage cannot be negative." };
  if (!/^\d+(\.\d*)?$|^\.\d+$/.test(t)) return { ok: false, error: "Enter a number, like 10 or 2.5." };
  const [whole, fraction = ""] = t.split(".");
  if (fraction.length > 2) return { ok: false, error: "At most 2 decimal places (0.01% steps)." };
  const bps = BigInt(whole || "0") * 100n + BigInt((fraction + "00").slice(0, 2));
  if (bps > 10_000n) return { ok: false, error: "At most 100%." };
  return { ok: true, value: bps };
}

function errorsOf(checks: Record<string, Checked<unknown>>): Record<string, string> {
  const errors: Record<string, string> = {};
  for (const [name, c] of Object.entries(checks)) if (!c.ok) errors[name] = c.error;
  return errors;
}

function recipientCheck(text: string, ctx: TemplateContext): Checked<Address | null> {
  const c = checkAddress(text);
  if (c.ok && c.value?.toLowerCase() === ctx.community.timelock.toLowerCase()) {
    return { ok: false, error: "This is the treasury itself; choose another recipient." };
  }
  return c;
}

const ethTransfer: TemplateDef = {
  id: "eth-transfer",
  label: "Send ETH from the treasury",
  blurb: "The treasury (timelock) pays ETH to an address.",
  unavailable: () => null,
  fields: (ctx) => [
    { name: "recipient", label: "Recipient", kind: "address", placeholder: "0x…" },
    {
      name: "amount",
      label: "Amount",
      kind: "amount",
      placeholder: "0.5",
      suffix: "ETH",
      hint: `The treasury holds ${eth(ctx.community.treasuryEth)}.`,
    },
  ],
  build(values, ctx): TemplateResult {
    const recipient = recipientCheck(values.recipient ?? "", ctx);
    let amount = checkAmount(values.amount ?? "", 18, { symbol: "ETH" });
    if (amount.ok && amount.value > ctx.community.treasuryEth) {
      amount = { ok: false, error: `More than the treasury holds (${eth(ctx.community.treasuryEth)}).` };
    }
    if (!recipient.ok || !amount.ok || !recipient.value) return { ok: false, errors: errorsOf({ recipient, amount }) };
    const to = recipient.value;
    return {
      ok: true,
      calls: [{ target: to, value: amount.value, data: "0x" }],
      title: `Send ${eth(amount.value)} from the treasury to ${shortAddress(to)}`,
      body: `The ${ctx.community.name} treasury (timelock ${ctx.community.timelock}) sends ${eth(amount.value)} to ${to}.`,
    };
  },
};

const tokenTransfer: TemplateDef = {
  id: "token-transfer",
  label: "Send tokens from the treasury",
  blurb: "The treasury transfers community tokens it holds to an address.",
  unavailable: () => null,
  fields: (ctx) => [
    { name: "recipient", label: "Recipient", kind: "address", placeholder: "0x…" },
    {
      name: "amount",
      label: "Amount",
      kind: "amount",
      placeholder: "1000",
      suffix: ctx.community.symbol,
      hint: `The treasury holds ${formatAmount(ctx.community.treasuryTokens, ctx.community.decimals, ctx.community.symbol)}.`,
    },
  ],
  build(values, ctx): TemplateResult {
    const { symbol, decimals, treasuryTokens, token } = ctx.community;
    const recipient = recipientCheck(values.recipient ?? "", ctx);
    let amount = checkAmount(values.amount ?? "", decimals, { symbol });
    if (amount.ok && amount.value > treasuryTokens) {
      amount = { ok: false, error: `More than the treasury holds (${formatAmount(treasuryTokens, decimals, symbol)}).` };
    }
    if (!recipient.ok || !amount.ok || !recipient.value) return { ok: false, errors: errorsOf({ recipient, amount }) };
    const to = recipient.value;
    const text = formatAmount(amount.value, decimals, symbol);
    return {
      ok: true,
      calls: [{ target: token, value: 0n, data: encodeFunctionData({ abi: socialTokenAbi, functionName: "transfer", args: [to, amount.value] }) }],
      title: `Send ${text} from the treasury to ${shortAddress(to)}`,
      body: `The ${ctx.community.name} treasury (timelock ${ctx.community.timelock}) transfers ${text} to ${to}.`,
    };
  },
};

const noVault = (ctx: TemplateContext) => (ctx.community.rewardVault ? null : "This community has no reward vault.");

const rewardBudget: TemplateDef = {
  id: "reward-budget",
  label: "Change the reward budget",
  blurb: "How many tokens the reward vault may mint per epoch (vouchers, referral bonuses, campaigns).",
  unavailable: noVault,
  fields: (ctx) => [
    {
      name: "budget",
      label: "New budget per epoch",
      kind: "amount",
      placeholder: "100000",
      suffix: ctx.community.symbol,
      hint: ctx.vault
        ? `Now ${formatAmount(ctx.vault.epochBudget, ctx.community.decimals, ctx.community.symbol)} per ${formatDuration(ctx.vault.epochLength)} epoch.`
        : undefined,
    },
  ],
  build(values, ctx): TemplateResult {
    const { symbol, decimals, rewardVault } = ctx.community;
    if (!rewardVault) return { ok: false, errors: { budget: "This community has no reward vault." } };
    if (ctx.vault === undefined) return { ok: false, errors: {}, waiting: "Reading the reward vault…" };
    let budget = checkAmount(values.budget ?? "", decimals, { symbol });
    if (budget.ok && budget.value > MAX_UINT104) budget = { ok: false, error: "The budget is too large (it must fit in 104 bits)." };
    if (budget.ok && ctx.vault && budget.value === ctx.vault.epochBudget) budget = { ok: false, error: "This is already the budget." };
    if (!budget.ok) return { ok: false, errors: errorsOf({ budget }) };
    const text = formatAmount(budget.value, decimals, symbol);
    const before = ctx.vault ? formatAmount(ctx.vault.epochBudget, decimals, symbol) : "its current value";
    const epoch = ctx.vault ? ` per ${formatDuration(ctx.vault.epochLength)} epoch` : " per epoch";
    return {
      ok: true,
      calls: [{ target: rewardVault, value: 0n, data: encodeFunctionData({ abi: rewardVaultAbi, functionName: "setEpochBudget", args: [budget.value] }) }],
      title: `Set the ${symbol} reward budget to ${text} per epoch`,
      body:
        `Changes the reward vault's budget (vault ${rewardVault}) from ${before} to ${text}${epoch}. ` +
        "Every voucher, referral bonus and campaign claim mints against this budget.",
    };
  },
};

const referralRate: TemplateDef = {
  id: "referral-rate",
  label: "Change the referral bonus",
  blurb: "The share of a referred fan's rewards that the referrer earns on top.",
  unavailable: noVault,
  fields: (ctx) => [
    {
      name: "percent",
      label: "New referral bonus",
      kind: "percent",
      placeholder: "10",
      suffix: "%",
      hint: ctx.vault ? `Now ${formatBps(ctx.vault.referralBps)}.` : undefined,
    },
  ],
  build(values, ctx): TemplateResult {
    const { rewardVault } = ctx.community;
    if (!rewardVault) return { ok: false, errors: { percent: "This community has no reward vault." } };
    if (ctx.vault === undefined) return { ok: false, errors: {}, waiting: "Reading the reward vault…" };
    let percent = checkPercent(values.percent ?? "");
    if (percent.ok && ctx.vault && percent.value === ctx.vault.referralBps) percent = { ok: false, error: "This is already the referral bonus." };
    if (!percent.ok) return { ok: false, errors: errorsOf({ percent }) };
    const before = ctx.vault ? formatBps(ctx.vault.referralBps) : "its current value";
    return {
      ok: true,
      calls: [{ target: rewardVault, value: 0n, data: encodeFunctionData({ abi: rewardVaultAbi, functionName: "setReferralBps", args: [percent.value] }) }],
      title: `Set the referral bonus to ${formatBps(percent.value)}`,
      body:
        `Changes the reward vault's referral bonus (vault ${rewardVault}) from ${before} to ${formatBps(percent.value)}: ` +
        "a fan's referrer receives this share of each reward the fan redeems, minted from the same budget.",
    };
  },
};

function targetCheck(values: Record<string, string>, ctx: TemplateContext): Checked<Address | null> | { waiting: string } {
  const target = checkAddress(values.target ?? "");
  if (!target.ok) return target;
  if (ctx.target === undefined || (ctx.target && ctx.target.address.toLowerCase() !== target.value?.toLowerCase())) {
    return { waiting: "Checking the address…" };
  }
  return target;
}

const grantMinter: TemplateDef = {
  id: "grant-minter",
  label: "Approve a crowdfund (grant minting)",
  blurb: "Lets a crowdfund mint the tokens of its contributors if it succeeds: MINTER_ROLE on the token.",
  unavailable: () => null,
  fields: () => [{ name: "target", label: "Crowdfund address", kind: "address", placeholder: "0x…" }],
  build(values, ctx): TemplateResult {
    const { symbol, decimals, token } = ctx.community;
    const checked = targetCheck(values, ctx);
    if ("waiting" in checked) return { ok: false, errors: {}, waiting: checked.waiting };
    if (!checked.ok || !checked.value) return { ok: false, errors: errorsOf({ target: checked }) };
    const facts = ctx.target;
    if (facts?.crowdfund === null) return { ok: false, errors: { target: "This address is not a crowdfund." } };
    if (facts?.crowdfund && !facts.crowdfund.ofThisToken) return { ok: false, errors: { target: `This crowdfund sells another token, not ${symbol}.` } };
    if (facts?.hasRole) return { ok: false, errors: { target: `This crowdfund can already mint ${symbol}.` } };
    const crowdfund = checked.value;
    let terms = "";
    if (facts?.crowdfund) {
      const { goal, cap, deadline, price, referralBps, payment } = facts.crowdfund;
      const money = (x: bigint) => formatAmount(x, payment.decimals, payment.symbol, 6);
      const perUnit = formatAmount(price * 10n ** BigInt(payment.decimals), 18 + decimals, symbol);
      terms =
        ` (goal ${money(goal)}${cap === 0n ? ", no cap" : `, cap ${money(cap)}`}, ${perUnit} per ${payment.symbol}, ` +
        `${formatBps(referralBps)} referral bonus, deadline ${formatDate(deadline)})`;
    }
    return {
      ok: true,
      calls: [{ target: token, value: 0n, data: encodeFunctionData({ abi: socialTokenAbi, functionName: "grantRole", args: [ROLES.MINTER_ROLE, crowdfund] }) }],
      title: `Approve crowdfund ${shortAddress(crowdfund)}: grant it MINTER_ROLE on ${symbol}`,
      body:
        `Approve crowdfund ${crowdfund}: grant it MINTER_ROLE on ${symbol} so that, if it succeeds, it can mint the ` +
        `tokens of its contributors${terms}.`,
    };
  },
};

const grantRevenue: TemplateDef = {
  id: "grant-revenue",
  label: "Approve revenue sharing",
  blurb: "Lets the revenue share record balances for pro-rata payouts: REVENUE_ROLE on the token.",
  unavailable: () => null,
  fields: () => [{ name: "target", label: "Revenue share address", kind: "address", placeholder: "0x…" }],
  build(values, ctx): TemplateResult {
    const { symbol, name, token } = ctx.community;
    const checked = targetCheck(values, ctx);
    if ("waiting" in checked) return { ok: false, errors: {}, waiting: checked.waiting };
    if (!checked.ok || !checked.value) return { ok: false, errors: errorsOf({ target: checked }) };
    if (ctx.target?.revenueShareOfThisToken === false) {
      return { ok: false, errors: { target: `This is not the revenue share of ${symbol}.` } };
    }
    if (ctx.target?.hasRole) return { ok: false, errors: { target: "This revenue share is already approved." } };
    const share = checked.value;
    return {
      ok: true,
      calls: [{ target: token, value: 0n, data: encodeFunctionData({ abi: socialTokenAbi, functionName: "grantRole", args: [ROLES.REVENUE_ROLE, share] }) }],
      title: `Approve revenue sharing for ${name} (${symbol})`,
      body:
        `Grant REVENUE_ROLE on ${symbol} to its revenue share ${share}, so that revenue deposited there (ETH or ERC-20) is ` +
        "shared among holders pro rata to their balances before each deposit, claimable for 365 days, the rest swept to the treasury. " +
        `Trade-off: once granted, every ${symbol} transfer pays extra gas to record balances for revenue sharing (for good: recording cannot be turned off).`,
    };
  },
};

const platformOnly = (ctx: TemplateContext) => (ctx.community.isPlatform ? null : "Only the platform DAO can do this.");

const verify: TemplateDef = {
  id: "verify",
  label: "Verify a community",
  blurb: "Gives a community the verified badge in the Coterie registry.",
  unavailable: platformOnly,
  fields: () => [{ name: "community", label: "Community", kind: "community" }],
  build(values, ctx): TemplateResult {
    if (ctx.registry === undefined) return { ok: false, errors: {}, waiting: "Reading the registry…" };
    const raw = (values.community ?? "").trim();
    if (raw === "") return { ok: false, errors: { community: "Choose a community." } };
    const entry = /^\d+$/.test(raw) ? ctx.registry.find((c) => c.id === BigInt(raw)) : undefined;
    if (!entry) return { ok: false, errors: { community: `There is no community #${raw}.` } };
    if (entry.verified) return { ok: false, errors: { community: `${entry.name} is already verified.` } };
    return {
      ok: true,
      calls: [{ target: ctx.factory, value: 0n, data: encodeFunctionData({ abi: communityFactoryAbi, functionName: "setVerified", args: [entry.id, true] }) }],
      title: `Verify ${entry.name} (${entry.symbol})`,
      body:
        `Marks community #${entry.id}, ${entry.name} (${entry.symbol}, token ${entry.token}, created by ${entry.creator}), ` +
        "as verified in the Coterie registry: its pages show the verified badge.",
    };
  },
};

const creationFee: TemplateDef = {
  id: "creation-fee",
  label: "Change the creation fee",
  blurb: "The ETH a creator pays the platform treasury to launch a community.",
  unavailable: platformOnly,
  fields: (ctx) => [
    {
      name: "fee",
      label: "New creation fee",
      kind: "amount",
      placeholder: "0.01",
      suffix: "ETH",
      hint: ctx.creationFee === undefined ? undefined : `Now ${eth(ctx.creationFee)}. 0 makes launching free.`,
    },
  ],
  build(values, ctx): TemplateResult {
    if (ctx.creationFee === undefined) return { ok: false, errors: {}, waiting: "Reading the factory…" };
    let fee = checkAmount(values.fee ?? "", 18, { symbol: "ETH", allowZero: true });
    if (fee.ok && fee.value > MAX_UINT96) fee = { ok: false, error: "The fee is too large." };
    if (fee.ok && fee.value === ctx.creationFee) fee = { ok: false, error: "This is already the fee." };
    if (!fee.ok) return { ok: false, errors: errorsOf({ fee }) };
    return {
      ok: true,
      calls: [{ target: ctx.factory, value: 0n, data: encodeFunctionData({ abi: communityFactoryAbi, functionName: "setCreationFee", args: [fee.value] }) }],
      title: `Set the community creation fee to ${eth(fee.value)}`,
      body: `Changes the fee to create a community from ${eth(ctx.creationFee)} to ${eth(fee.value)}. Fees go to the platform treasury.`,
    };
  },
};

export const TEMPLATES: Record<TemplateId, TemplateDef> = {
  "eth-transfer": ethTransfer,
  "token-transfer": tokenTransfer,
  "reward-budget": rewardBudget,
  "referral-rate": referralRate,
  "grant-minter": grantMinter,
  "grant-revenue": grantRevenue,
  verify,
  "creation-fee": creationFee,
};

/** The templates that apply to a community, in display order. */
export function availableTemplates(ctx: TemplateContext): TemplateDef[] {
  return TEMPLATE_IDS.map((id) => TEMPLATES[id]).filter((t) => t.unavailable(ctx) === null);
}
