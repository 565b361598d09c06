/**
 * The crowdfund CLI's core (scripts/funding.ts is the thin wrapper that reads argv and connects):
 * start a crowdfund through the CrowdfundFactory and print the DAO proposal that approves it, show
 * a crowdfund's status, contribute, finalize, claim tokens, refund. Every function takes an ethers
 * provider and, where it sends, an ethers signer, so the tests run it against the in-process chain.
 * Expected failures throw {@link FundingError} with a message meant for a person; transactions are
 * simulated first and a revert is reported by its custom error's name and arguments.
 *
 * Units: amounts on the command line are decimal amounts of the payment asset (ETH or the ERC-20's
 * whole units, no more decimals than it has); the price is community tokens per 1 whole payment
 * unit, converted exactly into the contract's `price` (token wei per 10^18 payment units).
 */
import { getAddress, id, Interface, isAddress, ZeroAddress, type Provider, type Signer } from "ethers";
import {
  Crowdfund__factory,
  CrowdfundFactory__factory,
  ICommunityFactory__factory,
  SocialToken__factory,
} from "../../typechain-types/index.ts";
import type { Crowdfund, SocialToken } from "../../typechain-types/index.ts";
import { addressFlag, chainNow, readAsset, type Asset } from "./chain.ts";
import { readDemoFile, type DemoFile } from "./demo.ts";
import { FundingError } from "./errors.ts";
import { amountText, displayAmount, formatRelative, formatTime, parseAmount, type AmountLimit } from "./format.ts";
import { grantRoleProposal, type ApprovalProposal } from "./proposals.ts";
import { callWithAllowance, decodeRevert, ERC20_ERRORS, send, simulate, type RevertExplainer } from "./transactions.ts";
import {
  crowdfundStateName,
  exactPrice,
  MAX_UINT128,
  mintedFor,
  pricePerWholeUnit,
  tokensFor,
  type CrowdfundState,
} from "../../shared/funding.ts";
import { MAX_UINT256 } from "../../shared/rewards.ts";

const DAY = 86_400n;
const MAX_UINT48 = (1n << 48n) - 1n;
/** Referral bonus when `--referral-bps` is not given: 5% of the tokens a referred contribution buys. */
export const DEFAULT_REFERRAL_BPS = 500;
export const MINTER_ROLE = id("MINTER_ROLE");

function stateName(value: bigint): CrowdfundState {
  const name = crowdfundStateName(value);
  if (name === undefined) throw new FundingError(`the crowdfund reports an unknown state ${value}`);
  return name;
}

// ---------------------------------------------------------------------------------------------
// Assets, amounts and the price
// ---------------------------------------------------------------------------------------------

const CROWDFUND_AMOUNTS: AmountLimit = { max: MAX_UINT128, why: "the crowdfund counts below 2^128 units", example: "5 or 2.5" };

/**
 * Parses a decimal amount given for `--<flag>` in `asset`'s whole units ("5", "2.5"): positive, no
 * more decimals than the asset has, at most `limit.max` units (default: the crowdfund's 2^128 - 1).
 */
export function parseAmountFlag(
  text: string,
  asset: Pick<Asset, "symbol" | "decimals">,
  flag: string,
  limit: AmountLimit = CROWDFUND_AMOUNTS,
): bigint {
  return parseAmount(text, asset, flag, limit);
}

/**
 * The contract's `price` for a human price of `text` community tokens per 1 whole payment unit:
 * `price = text * 10^token.decimals * 10^18 / 10^payment.decimals`, exactly. A price that would
 * need a fraction of the contract's unit (token wei per 10^18 payment units) is refused, as are
 * zero, negative and non-decimal prices.
 */
export function priceFromHuman(text: string, token: Pick<Asset, "symbol" | "decimals">, payment: Pick<Asset, "symbol" | "decimals">): bigint {
  const t = text.trim();
  const per = `${token.symbol} per ${payment.symbol}`;
  if (!/^\d+(\.\d+)?$/.test(t)) throw new FundingError(`--price must be a decimal number of ${per} such as 1000 or 0.5, got "${text}"`);
  const converted = exactPrice(t, token.decimals, payment.decimals);
  if (!converted.ok && converted.reason === "too-precise") {
    const most = converted.maxDecimals;
    throw new FundingError(
      `--price ${t} ${per} cannot be represented exactly: the crowdfund's price counts ${token.symbol}'s smallest unit per 10^18 of ` +
        `${payment.symbol}'s smallest unit, so a price in ${per} ` +
        (most >= 0 ? `can have at most ${most} decimal places` : `must be a whole multiple of ${10n ** BigInt(-most)}`),
    );
  }
  if (!converted.ok) throw new FundingError(`--price must be positive, got ${t}`); // the regex above leaves only zero
  const price = converted.price;
  if (price > MAX_UINT256) throw new FundingError(`--price ${t} ${per} is too large`);
  return price;
}

/** The contract's `price` as community tokens per 1 whole payment unit, exactly ("1,000 AUR per ETH"). */
export function formatPrice(price: bigint, token: Pick<Asset, "symbol" | "decimals">, payment: Pick<Asset, "symbol" | "decimals">): string {
  const { value, decimals } = pricePerWholeUnit(price, token.decimals, payment.decimals);
  return `${displayAmount(value, decimals)} ${token.symbol} per ${payment.symbol}`;
}

function parseReferralBps(value: string | number | undefined): number {
  if (value === undefined) return DEFAULT_REFERRAL_BPS;
  const t = String(value).trim();
  if (!/^\d+$/.test(t) || Number(t) > 10_000) {
    throw new FundingError(`--referral-bps must be a whole number of basis points from 0 to 10000 (500 = 5%), got "${value}"`);
  }
  return Number(t);
}

function parseDays(value: string | number): bigint {
  const t = String(value).trim();
  const n = Number(t);
  if (t === "" || !/^\d+(\.\d+)?$/.test(t) || !Number.isFinite(n) || n <= 0) {
    throw new FundingError(`--days must be a positive number of days, got "${value}"`);
  }
  const seconds = BigInt(Math.round(n * 86_400));
  if (seconds === 0n) throw new FundingError(`--days ${t} is shorter than a second`);
  if (seconds > MAX_UINT48) throw new FundingError(`--days ${t} is too far in the future`);
  return seconds;
}

// ---------------------------------------------------------------------------------------------
// Decoding reverts
// ---------------------------------------------------------------------------------------------

/** The interfaces whose errors a crowdfund call can revert with: crowdfund factory, crowdfund, community factory, token, ERC-20. */
export function fundingInterfaces(): Interface[] {
  return [
    CrowdfundFactory__factory.createInterface(),
    Crowdfund__factory.createInterface(),
    ICommunityFactory__factory.createInterface(),
    SocialToken__factory.createInterface(),
    ERC20_ERRORS,
  ];
}

/** What a decoded error means, added after it where that helps a person. */
function hint(decoded: string): string {
  const arg = (name: string) => decoded.match(new RegExp(`${name}=(\\d+)`))?.[1];
  if (decoded.startsWith("CrowdfundDeadlinePassed(")) return `: contributions closed at ${formatTime(BigInt(arg("deadline")!))}`;
  if (decoded.startsWith("CrowdfundCannotMint(")) {
    return (
      `: the crowdfund cannot mint its tokens (the community's DAO has not granted it MINTER_ROLE, or the token's cap is in the way); ` +
      `finalize can be retried until ${formatTime(BigInt(arg("retryUntil")!))}, after which it fails and refunds open`
    );
  }
  const state = decoded.match(/^CrowdfundWrongState\(current=(\d)\)/);
  if (state !== null) return ` (the crowdfund is ${crowdfundStateName(Number(state[1])) ?? state[1]})`;
  if (decoded.startsWith("CrowdfundFactoryNotCreator(")) return ": only the community's creator or its Timelock may start its crowdfunds";
  if (decoded.startsWith("CrowdfundFactorySaltUsed(")) return ": this creator already started a crowdfund with this --salt for this token; pick another";
  if (decoded.startsWith("CrowdfundTransferShortfall(")) return ": the payment token delivered less than the amount (fee-on-transfer tokens are refused)";
  if (decoded.startsWith("FactoryUnknownToken(")) return ": the token is not a community of this platform";
  return "";
}

/** The crowdfund commands' explainer. */
export function fundingExplainer(): RevertExplainer {
  return { interfaces: fundingInterfaces(), hint };
}

/** How a crowdfund call's revert is decoded and explained. */
const REVERTS = fundingExplainer();

// ---------------------------------------------------------------------------------------------
// Reading a crowdfund
// ---------------------------------------------------------------------------------------------

/** The crowdfund's parameters as `params()` returns them. */
export interface CrowdfundParams {
  paymentToken: string;
  goal: bigint;
  cap: bigint;
  deadline: bigint;
  price: bigint;
  referralBps: bigint;
}

/** A crowdfund, its community token, its payment asset and its parameters. */
export interface CrowdfundInfo {
  provider: Provider;
  chainId: bigint;
  address: string;
  crowdfund: Crowdfund;
  token: SocialToken;
  /** The community token: its address, symbol, decimals (and name). */
  tokenAsset: Asset & { name: string };
  payment: Asset;
  params: CrowdfundParams;
  treasury: string;
}

/** Connects to the Crowdfund at `address`; throws a readable error when there is none. */
export async function openCrowdfund(provider: Provider, address: string): Promise<CrowdfundInfo> {
  const { chainId } = await provider.getNetwork();
  if (!isAddress(address)) throw new FundingError(`--crowdfund is not an address: ${address}`, "input", { subject: "crowdfund" });
  const a = getAddress(address);
  if ((await provider.getCode(a)) === "0x") throw new FundingError(`no contract at ${a} on chain ${chainId}`, "no-contract", { subject: "crowdfund" });
  const crowdfund = Crowdfund__factory.connect(a, provider);
  let tokenAddress: string;
  let p: Awaited<ReturnType<Crowdfund["params"]>>;
  let treasury: string;
  try {
    [tokenAddress, p, treasury] = await Promise.all([crowdfund.token(), crowdfund.params(), crowdfund.treasury()]);
  } catch {
    throw new FundingError(`${a} on chain ${chainId} is not a Crowdfund`, "wrong-contract", { subject: "crowdfund" });
  }
  const token = SocialToken__factory.connect(tokenAddress, provider);
  const [name, symbol, decimals, payment] = await Promise.all([token.name(), token.symbol(), token.decimals(), readAsset(provider, p.paymentToken)]);
  return {
    provider,
    chainId,
    address: a,
    crowdfund,
    token,
    tokenAsset: { address: getAddress(tokenAddress), name, symbol, decimals: Number(decimals) },
    payment,
    params: { paymentToken: p.paymentToken, goal: p.goal, cap: p.cap, deadline: p.deadline, price: p.price, referralBps: p.referralBps },
    treasury,
  };
}

// ---------------------------------------------------------------------------------------------
// start: a new crowdfund and the DAO proposal that approves it
// ---------------------------------------------------------------------------------------------

export interface StartOptions {
  /** The CrowdfundFactory. */
  factory: string;
  /** The community token. */
  token: string;
  /** Decimal amounts of the payment asset. */
  goal: string;
  cap?: string;
  /** The deadline, this many days after `now`. */
  days: string | number;
  /** Community tokens per 1 whole payment unit. */
  price: string;
  /** The ERC-20 accepted; undefined for ETH. */
  payment?: string;
  referralBps?: string | number;
  /** Any text; its keccak256 is the salt (default: "crowdfund-" and the clock in ms). */
  salt?: string;
  /** The deadline counts from here (default: the latest block's timestamp). */
  now?: bigint;
  /** The RPC URL (or a shell variable such as "$PUBLIC_RPC_URL") the printed command line uses. */
  rpcUrl?: string;
}

/** The validated choices of `start` and what the contracts say about them; nothing sent yet. */
export interface StartPlan {
  factory: string;
  communityFactory: string;
  token: Asset & { name: string };
  payment: Asset;
  community: { creator: string; governor: string; timelock: string };
  params: CrowdfundParams;
  saltText: string;
  salt: string;
  feeBps: bigint;
  /** Things worth saying that do not stop the run (e.g. the cap would mint past the token's cap). */
  warnings: string[];
}

/**
 * Checks every input of `start` (amounts, cap >= goal, days, price, referral rate, payment asset)
 * and reads the community from the factory's registry; sends nothing. Throws a FundingError for the
 * first problem.
 */
export async function planStart(provider: Provider, opts: StartOptions): Promise<StartPlan> {
  const tokenAddress = addressFlag(opts.token, "token");
  const factoryAddress = addressFlag(opts.factory, "factory");
  const referralBps = parseReferralBps(opts.referralBps);
  const duration = parseDays(opts.days);
  if (opts.payment !== undefined) addressFlag(opts.payment, "payment");

  const token = SocialToken__factory.connect(tokenAddress, provider);
  if ((await provider.getCode(tokenAddress)) === "0x") throw new FundingError(`--token ${tokenAddress} is not a contract on this chain`);
  let tokenAsset: Asset & { name: string };
  try {
    const [name, symbol, decimals] = await Promise.all([token.name(), token.symbol(), token.decimals()]);
    tokenAsset = { address: tokenAddress, name, symbol, decimals: Number(decimals) };
  } catch {
    throw new FundingError(`--token ${tokenAddress} is not an ERC-20 community token`);
  }
  const payment = await readAsset(provider, opts.payment);

  const goal = parseAmountFlag(opts.goal, payment, "goal");
  const cap = opts.cap === undefined ? 0n : parseAmountFlag(opts.cap, payment, "cap");
  if (cap !== 0n && cap < goal) {
    throw new FundingError(`--cap ${amountText(cap, payment)} is below --goal ${amountText(goal, payment)} (the cap is the most that can be raised)`);
  }
  const price = priceFromHuman(opts.price, tokenAsset, payment);

  if ((await provider.getCode(factoryAddress)) === "0x") throw new FundingError(`no CrowdfundFactory at ${factoryAddress} (no contract there)`);
  const factory = CrowdfundFactory__factory.connect(factoryAddress, provider);
  let communityFactory: string;
  let feeBps: bigint;
  try {
    [communityFactory, feeBps] = await Promise.all([factory.communityFactory(), factory.feeBps()]);
  } catch {
    throw new FundingError(`${factoryAddress} is not a CrowdfundFactory`);
  }
  const registry = ICommunityFactory__factory.connect(communityFactory, provider);
  const c = await simulate("createCrowdfund", () => registry.communityByToken(tokenAddress), REVERTS);

  const now = opts.now ?? (await chainNow(provider));
  const deadline = now + duration;
  if (deadline > MAX_UINT48) throw new FundingError(`--days ${opts.days} puts the deadline too far in the future`);

  // The crowdfund mints raised * price / 1e18 plus the referral bonuses at success; the token's cap binds.
  const warnings: string[] = [];
  const [supply, tokenCap] = await Promise.all([token.totalSupply(), token.cap().catch(() => MAX_UINT256)]);
  const room = tokenCap - supply;
  const atGoal = tokensFor(goal, price);
  const ceiling = cap === 0n ? null : mintedFor(cap, cap, price, BigInt(referralBps));
  const tok = (x: bigint) => amountText(x, tokenAsset);
  if (atGoal > room) {
    throw new FundingError(
      `at the goal this crowdfund would mint ${tok(atGoal)}, more than ${tokenAsset.symbol}'s remaining cap (${tok(room)}): ` +
        `it could never succeed (lower --price or --goal)`,
    );
  }
  if (ceiling !== null && ceiling > room) {
    warnings.push(
      `at the cap, with every contribution referred, this crowdfund would mint ${tok(ceiling)}, more than ${tokenAsset.symbol}'s ` +
        `remaining cap (${tok(room)}): finalize would then fail with CrowdfundCannotMint`,
    );
  }

  const saltText = opts.salt ?? `crowdfund-${Date.now()}`;
  if (saltText === "") throw new FundingError("--salt must not be empty");
  return {
    factory: factoryAddress,
    communityFactory,
    token: tokenAsset,
    payment,
    community: { creator: c.creator, governor: c.governor, timelock: c.timelock },
    params: { paymentToken: payment.address, goal, cap, deadline, price, referralBps: BigInt(referralBps) },
    saltText,
    salt: id(saltText),
    feeBps,
    warnings,
  };
}

/** The approval proposal of `crowdfund` for a community (governor, timelock, token). */
export function approvalProposal(
  crowdfund: string,
  community: { governor: string; timelock: string; token: Asset },
  summary: { payment: Asset; params: CrowdfundParams },
  rpcUrl = "$RPC_URL",
): ApprovalProposal {
  const { payment, params } = summary;
  const money = (x: bigint) => amountText(x, payment);
  const description =
    `Approve crowdfund ${crowdfund}: grant it MINTER_ROLE on ${community.token.symbol} so that, if it succeeds, it can mint the ` +
    `tokens of its contributors (goal ${money(params.goal)}${params.cap === 0n ? ", no cap" : `, cap ${money(params.cap)}`}, ` +
    `${formatPrice(params.price, community.token, payment)}, ${Number(params.referralBps) / 100}% referral bonus, ` +
    `deadline ${formatTime(params.deadline)})`;
  return grantRoleProposal(
    { governor: community.governor, timelock: community.timelock, token: community.token.address },
    { role: MINTER_ROLE, grantee: crowdfund, description },
    rpcUrl,
  );
}

export interface StartResult {
  plan: StartPlan;
  crowdfund: string;
  hash: string;
  proposal: ApprovalProposal;
}

/**
 * Starts a crowdfund with `creator` (the community's creator or its Timelock): validates every
 * input ({@link planStart}), checks the key, simulates `createCrowdfund` (a revert is reported by
 * name), sends it, reads the address from `CrowdfundCreated`, and returns the approval proposal.
 */
export async function startCrowdfund(provider: Provider, creator: Signer, opts: StartOptions): Promise<StartResult> {
  const plan = await planStart(provider, opts);
  const who = getAddress(await creator.getAddress());
  if (who !== plan.community.creator && who !== plan.community.timelock) {
    throw new FundingError(
      `the creator key is for ${who}, but ${plan.token.symbol}'s creator is ${plan.community.creator} (or its Timelock ${plan.community.timelock}); ` +
        "only they may start its crowdfunds",
    );
  }
  const factory = CrowdfundFactory__factory.connect(plan.factory, creator);
  const predicted = await simulate("createCrowdfund", () => factory.createCrowdfund.staticCall(plan.token.address, plan.params, plan.salt), REVERTS);
  const receipt = await send("createCrowdfund", () => factory.createCrowdfund(plan.token.address, plan.params, plan.salt), REVERTS);
  let crowdfund: string | null = null;
  for (const log of receipt.logs) {
    if (getAddress(log.address) !== plan.factory) continue;
    const parsed = factory.interface.parseLog(log);
    if (parsed?.name === "CrowdfundCreated") crowdfund = getAddress(parsed.args.crowdfund as string);
  }
  if (crowdfund === null) throw new FundingError(`transaction ${receipt.hash} emitted no CrowdfundCreated event`);
  if (crowdfund !== getAddress(predicted)) throw new FundingError(`the crowdfund was created at ${crowdfund}, not at the simulated ${predicted}`);
  const proposal = approvalProposal(crowdfund, { ...plan.community, token: plan.token }, plan, opts.rpcUrl);
  return { plan, crowdfund, hash: receipt.hash, proposal };
}

/** The text `start` prints. */
export function formatStart(r: StartResult): string {
  const { plan, proposal } = r;
  const p = plan.params;
  const money = (x: bigint) => amountText(x, plan.payment);
  return [
    `started crowdfund ${r.crowdfund} for ${plan.token.name} (${plan.token.symbol})`,
    `  tx              ${r.hash}`,
    `  payment         ${plan.payment.address === ZeroAddress ? "ETH" : `${plan.payment.symbol} ${plan.payment.address}`}`,
    `  goal            ${money(p.goal)}${p.cap === 0n ? "  (no cap)" : `  cap ${money(p.cap)}`}`,
    `  deadline        ${formatTime(p.deadline)}`,
    `  price           ${formatPrice(p.price, plan.token, plan.payment)}  (contract price ${p.price})`,
    `  referral bonus  ${p.referralBps} bps (${Number(p.referralBps) / 100}%)`,
    `  platform fee    ${plan.feeBps} bps`,
    `  salt            "${plan.saltText}" (${plan.salt})`,
    ...plan.warnings.map((w) => `warning: ${w}`),
    "",
    `It can only succeed once ${plan.token.symbol}'s DAO grants it MINTER_ROLE. The proposal to make (governor ${proposal.governor}):`,
    `  target          ${proposal.target}  (the ${plan.token.symbol} token; value 0; run by the Timelock ${proposal.timelock})`,
    `  calldata        ${proposal.calldata}`,
    `                  = grantRole(MINTER_ROLE ${MINTER_ROLE}, ${r.crowdfund})`,
    `  description     ${proposal.description}`,
    "  with Foundry's cast (a holder with at least the proposal threshold of votes proposes):",
    `  ${proposal.command}`,
  ].join("\n");
}

// ---------------------------------------------------------------------------------------------
// status
// ---------------------------------------------------------------------------------------------

export interface CrowdfundAccountStatus {
  address: string;
  /** What the account paid, not yet claimed or refunded. */
  contributed: bigint;
  /** Contributions that named the account as referrer, not yet claimed. */
  referred: bigint;
  /** Tokens for its contributions and its referral bonus (claimable once the crowdfund succeeded). */
  tokens: bigint;
  bonus: bigint;
  /** What `refund` would pay it now (zero unless the crowdfund failed or ended below its goal). */
  refundable: bigint;
}

export interface CrowdfundStatus {
  info: CrowdfundInfo;
  now: bigint;
  state: CrowdfundState;
  raised: bigint;
  fee: { recipient: string; bps: bigint };
  approved: boolean;
  /** Deferred payouts owed to the treasury and the fee recipient. */
  owed: { treasury: bigint; feeRecipient: bigint };
  account: CrowdfundAccountStatus | null;
}

/** Reads everything `status` shows; `account` adds what one account paid, can claim or get back. */
export async function readCrowdfundStatus(info: CrowdfundInfo, opts: { account?: string } = {}): Promise<CrowdfundStatus> {
  const { crowdfund, token } = info;
  const [now, stateValue, raised, fee, approved] = await Promise.all([
    chainNow(info.provider),
    crowdfund.state(),
    crowdfund.raised(),
    crowdfund.fee(),
    token.hasRole(MINTER_ROLE, info.address),
  ]);
  const [owedTreasury, owedFee] = await Promise.all([crowdfund.payoutOwed(info.treasury), crowdfund.payoutOwed(fee.recipient)]);
  const state = stateName(stateValue);
  let account: CrowdfundAccountStatus | null = null;
  if (opts.account !== undefined) {
    const a = addressFlag(opts.account, "account");
    const [contributed, referred, claimable] = await Promise.all([crowdfund.contributionOf(a), crowdfund.referredBy(a), crowdfund.claimableTokens(a)]);
    const failing = state === "Failed" || (state === "Ended" && raised < info.params.goal);
    account = { address: a, contributed, referred, tokens: claimable.tokens, bonus: claimable.bonus, refundable: failing ? contributed : 0n };
  }
  return {
    info,
    now,
    state,
    raised,
    fee: { recipient: fee.recipient, bps: fee.bps },
    approved,
    owed: { treasury: owedTreasury, feeRecipient: owedFee },
    account,
  };
}

function percent(part: bigint, whole: bigint): string {
  if (whole === 0n) return "0%";
  const tenths = (part * 1000n) / whole;
  return `${tenths / 10n}${tenths % 10n === 0n ? "" : `.${tenths % 10n}`}%`;
}

/** What a state means, in words. */
function stateText(s: CrowdfundStatus): string {
  const { goal, deadline } = s.info.params;
  switch (s.state) {
    case "Active":
      return "Active (accepting contributions)";
    case "Ended": {
      const why = s.now > deadline ? "deadline passed" : "cap reached";
      return s.raised >= goal
        ? `Ended (${why}, goal reached): anyone can finalize to pay out and mint`
        : `Ended (${why}, goal missed): contributors can refund`;
    }
    case "Succeeded":
      return "Succeeded (finalised: proceeds paid, tokens claimable)";
    case "Failed":
      return "Failed (contributors can refund what they paid)";
  }
}

/** The text `status` prints. */
export function formatCrowdfundStatus(s: CrowdfundStatus): string {
  const { info } = s;
  const p = info.params;
  const money = (x: bigint) => amountText(x, info.payment);
  const tok = (x: bigint) => amountText(x, info.tokenAsset);
  const capText = p.cap === 0n ? "no cap" : `cap ${money(p.cap)}${s.state === "Active" ? ` (${money(p.cap - s.raised)} left)` : ""}`;
  const approval = s.approved
    ? `approved (holds MINTER_ROLE on ${info.tokenAsset.symbol})`
    : `awaiting DAO approval (no MINTER_ROLE on ${info.tokenAsset.symbol} yet: the community's DAO must grant it, or finalize cannot mint)`;
  const lines = [
    `Crowdfund ${info.address}  chain ${info.chainId}`,
    `  token             ${info.tokenAsset.name} (${info.tokenAsset.symbol})  ${info.tokenAsset.address}`,
    `  treasury          ${info.treasury}`,
    `  payment           ${info.payment.address === ZeroAddress ? "ETH" : `${info.payment.symbol} ${info.payment.address}`}`,
    `  state             ${stateText(s)}`,
    `  raised            ${money(s.raised)} of goal ${money(p.goal)} (${percent(s.raised, p.goal)}); ${capText}`,
    `  deadline          ${formatTime(p.deadline)} (${s.now > p.deadline ? "closed " : ""}${formatRelative(p.deadline, s.now)})`,
    `  price             ${formatPrice(p.price, info.tokenAsset, info.payment)}`,
    `  referral bonus    ${p.referralBps} bps (${Number(p.referralBps) / 100}%) of the tokens a referred contribution buys`,
    `  platform fee      ${s.fee.bps} bps (${Number(s.fee.bps) / 100}%) to ${s.fee.recipient}`,
    `  minting           ${approval}`,
  ];
  if (s.owed.treasury > 0n) lines.push(`  deferred payout   ${money(s.owed.treasury)} owed to the treasury`);
  if (s.owed.feeRecipient > 0n) lines.push(`  deferred fee      ${money(s.owed.feeRecipient)} owed to the fee recipient`);
  if (s.account !== null) {
    const a = s.account;
    const claimWhen = s.state === "Succeeded" ? "claimable now" : s.state === "Failed" ? "none: the crowdfund failed" : "if the crowdfund succeeds";
    lines.push(
      `Account ${a.address}`,
      `  contributed       ${money(a.contributed)}`,
      `  referred          ${money(a.referred)} of others' contributions`,
      `  tokens            ${tok(a.tokens)} + ${tok(a.bonus)} referral bonus (${claimWhen})`,
      `  refund            ${a.refundable > 0n ? `${money(a.refundable)} available` : s.state === "Failed" || s.state === "Ended" ? "none" : "none (only if the goal is missed)"}`,
    );
  }
  return lines.join("\n");
}

// ---------------------------------------------------------------------------------------------
// contribute, finalize, claim, refund
// ---------------------------------------------------------------------------------------------

export interface ContributeResult {
  info: CrowdfundInfo;
  contributor: string;
  amount: bigint;
  referrer: string;
  /** The ERC-20 approval sent first, if one was needed. */
  approveHash: string | null;
  hash: string;
  raised: bigint;
  contributed: bigint;
  tokens: bigint;
  warnings: string[];
}

/**
 * Contributes `amount` (a decimal amount of the payment asset) from `sender`, naming `referrer`.
 * Checks the amount and the sender's balance, simulates (a revert is reported by name) and sends;
 * for an ERC-20 crowdfund it first approves the amount when the allowance is short (only once the
 * simulation shows nothing but the allowance in the way).
 */
export async function contribute(
  provider: Provider,
  sender: Signer,
  crowdfundAddress: string,
  opts: { amount: string; referrer?: string },
): Promise<ContributeResult> {
  const info = await openCrowdfund(provider, crowdfundAddress);
  const amount = parseAmountFlag(opts.amount, info.payment, "amount");
  const contributor = getAddress(await sender.getAddress());
  const referrer = opts.referrer === undefined ? ZeroAddress : addressFlag(opts.referrer, "referrer");
  const warnings: string[] = [];
  if (referrer === contributor) warnings.push("the referrer is the contributor itself: the crowdfund ignores self-referrals");
  const crowdfund = info.crowdfund.connect(sender);
  const money = (x: bigint) => amountText(x, info.payment);

  let approveHash: string | null = null;
  if (info.payment.address === ZeroAddress) {
    const balance = await provider.getBalance(contributor);
    if (balance < amount) throw new FundingError(`${contributor} has ${money(balance)}, less than the ${money(amount)} to contribute (plus gas)`);
    await simulate("contribute", () => crowdfund.contribute.staticCall(amount, referrer, { value: amount }), REVERTS);
  } else {
    const erc20 = new Interface([
      "function balanceOf(address) view returns (uint256)",
      "function allowance(address,address) view returns (uint256)",
      "function approve(address,uint256) returns (bool)",
    ]);
    const read = async (fn: "balanceOf" | "allowance", args: unknown[]) =>
      erc20.decodeFunctionResult(fn, await provider.call({ to: info.payment.address, data: erc20.encodeFunctionData(fn, args) }))[0] as bigint;
    const balance = await read("balanceOf", [contributor]);
    if (balance < amount) throw new FundingError(`${contributor} has ${money(balance)}, less than the ${money(amount)} to contribute`);
    const allowance = await read("allowance", [contributor, info.address]);
    if (allowance < amount) {
      // Simulate the approval and then the contribution as if approved (a state override of the
      // allowance): the crowdfund's own checks, and a token it refuses (fee-on-transfer: the
      // transfer shortfall comes after the transfer), are reported before anything is sent.
      await simulate("contribute", () =>
        callWithAllowance(
          provider,
          { from: contributor, to: info.address, data: crowdfund.interface.encodeFunctionData("contribute", [amount, referrer]) },
          { token: info.payment.address, spender: info.address, amount, symbol: info.payment.symbol },
        ),
        REVERTS,
      );
      const approveTx = { to: info.payment.address, data: erc20.encodeFunctionData("approve", [info.address, amount]) };
      const response = await sender.sendTransaction(approveTx).catch((error: unknown) => {
        const decoded = decodeRevert(error, fundingInterfaces());
        throw decoded !== null ? new FundingError(`approve reverted: ${decoded}`, "revert", { revert: decoded }) : error;
      });
      const receipt = await response.wait();
      if (receipt === null || receipt.status !== 1) throw new FundingError(`approve ${response.hash} failed`);
      approveHash = response.hash;
    }
    await simulate("contribute", () => crowdfund.contribute.staticCall(amount, referrer), REVERTS);
  }
  const receipt = await send("contribute", () =>
    info.payment.address === ZeroAddress ? crowdfund.contribute(amount, referrer, { value: amount }) : crowdfund.contribute(amount, referrer),
    REVERTS,
  );
  const [raised, contributed] = await Promise.all([info.crowdfund.raised(), info.crowdfund.contributionOf(contributor)]);
  return {
    info,
    contributor,
    amount,
    referrer,
    approveHash,
    hash: receipt.hash,
    raised,
    contributed,
    tokens: tokensFor(contributed, info.params.price),
    warnings,
  };
}

export interface FinalizeResult {
  info: CrowdfundInfo;
  hash: string;
  outcome: "Succeeded" | "Failed";
  raised: bigint;
  /** Success: paid to the treasury, the platform fee, tokens minted for claims. */
  proceeds: bigint;
  fee: bigint;
  tokens: bigint;
  /** Failure: whether the goal had been reached (then minting was impossible past the grace period). */
  goalReached: boolean;
  deferred: Array<{ recipient: string; amount: bigint }>;
}

/** Finalises the crowdfund (anyone may): simulates, sends, reads `Finalized` or `Failed`. */
export async function finalize(provider: Provider, sender: Signer, crowdfundAddress: string): Promise<FinalizeResult> {
  const info = await openCrowdfund(provider, crowdfundAddress);
  const crowdfund = info.crowdfund.connect(sender);
  await simulate("finalize", () => crowdfund.finalize.staticCall(), REVERTS);
  const receipt = await send("finalize", () => crowdfund.finalize(), REVERTS);
  const result: FinalizeResult = { info, hash: receipt.hash, outcome: "Failed", raised: 0n, proceeds: 0n, fee: 0n, tokens: 0n, goalReached: false, deferred: [] };
  for (const log of receipt.logs) {
    if (getAddress(log.address) !== info.address) continue;
    const parsed = info.crowdfund.interface.parseLog(log);
    if (parsed?.name === "Finalized") {
      Object.assign(result, { outcome: "Succeeded", raised: parsed.args.raised, proceeds: parsed.args.proceeds, fee: parsed.args.fee, tokens: parsed.args.tokens, goalReached: true });
    } else if (parsed?.name === "Failed") {
      Object.assign(result, { outcome: "Failed", raised: parsed.args.raised, goalReached: parsed.args.goalReached });
    } else if (parsed?.name === "PayoutDeferred") {
      result.deferred.push({ recipient: parsed.args.recipient as string, amount: parsed.args.amount as bigint });
    }
  }
  return result;
}

export interface ClaimResult {
  info: CrowdfundInfo;
  account: string;
  tokens: bigint;
  bonus: bigint;
  hash: string;
  balance: bigint;
}

/** Claims `account`'s tokens and referral bonus after a success, sent by `sender` (tokens go to `account`). */
export async function claim(provider: Provider, sender: Signer, crowdfundAddress: string, account?: string): Promise<ClaimResult> {
  const info = await openCrowdfund(provider, crowdfundAddress);
  const who = account === undefined ? getAddress(await sender.getAddress()) : addressFlag(account, "account");
  const crowdfund = info.crowdfund.connect(sender);
  const { tokens, bonus } = await info.crowdfund.claimableTokens(who);
  await simulate("claimTokens", () => crowdfund.claimTokens.staticCall(who), REVERTS);
  const receipt = await send("claimTokens", () => crowdfund.claimTokens(who), REVERTS);
  return { info, account: who, tokens, bonus, hash: receipt.hash, balance: await info.token.balanceOf(who) };
}

export interface RefundResult {
  info: CrowdfundInfo;
  contributor: string;
  to: string;
  amount: bigint;
  hash: string;
}

/** Refunds what `sender` paid after a failure, to `to` (default: the sender). */
export async function refund(provider: Provider, sender: Signer, crowdfundAddress: string, to?: string): Promise<RefundResult> {
  const info = await openCrowdfund(provider, crowdfundAddress);
  const contributor = getAddress(await sender.getAddress());
  const receiver = to === undefined ? contributor : addressFlag(to, "to");
  const crowdfund = info.crowdfund.connect(sender);
  const amount = await info.crowdfund.contributionOf(contributor);
  await simulate("refund", () => crowdfund.refund.staticCall(receiver), REVERTS);
  const receipt = await send("refund", () => crowdfund.refund(receiver), REVERTS);
  return { info, contributor, to: receiver, amount, hash: receipt.hash };
}
