/**
 * The creator CLI's core (scripts/rewards.ts is the thin wrapper that reads argv and connects):
 * sign vouchers from a CSV, open a Merkle campaign from a CSV, show a vault's status, redeem a claim
 * link, claim a campaign leaf from a proofs file. Every function takes an ethers provider and, where
 * it sends or signs, an ethers signer, so the tests run it against the in-process chain. Expected
 * failures throw {@link RewardsError} (or the lib's CsvError) with a message meant for a person;
 * reverts are simulated first and reported by their custom error's name and arguments.
 *
 * The pure formats (vouchers, claim links, CSV rows, campaign trees, proofs files) live in
 * ./rewards.ts; this file adds what needs a chain.
 */
import {
  getAddress,
  isAddress,
  TypedDataEncoder,
  verifyTypedData,
  ZeroAddress,
  type Interface,
  type Provider,
  type Signer,
} from "ethers";
import { RewardVault__factory, SocialToken__factory } from "../../typechain-types/index.ts";
import type { RewardVault, SocialToken } from "../../typechain-types/index.ts";
import { chainNow } from "./chain.ts";
import { RewardsError } from "./errors.ts";
import { displayAmount, formatAmount, formatRelative, formatTime } from "./format.ts";
import { send, simulate, type RevertExplainer } from "./transactions.ts";
import {
  buildCampaign,
  campaignProofsFile,
  claimLink,
  CsvError,
  MAX_UINT256,
  parseCampaignCsv,
  parseClaimLink,
  parseVoucherCsv,
  signVoucher,
  VOUCHER_TYPES,
  voucherDomain,
  vouchersOverPeriodBudget,
  type BuiltCampaign,
  type CampaignProofsFile,
  type CampaignRow,
  type ClaimPayload,
  type Voucher,
  type VoucherRow,
} from "./rewards.ts";

const DAY = 86_400n;
/** Where the web app is served in development (Vite's default port). */
export const DEFAULT_APP_URL = "http://127.0.0.1:5173";
export const DEFAULT_DEADLINE_DAYS = 30;

/**
 * One run's default first voucher id: the clock in ms times 2^20. A run's ids are consecutive, so
 * they share bitmap words (256 per word); runs started in different milliseconds never overlap
 * unless one signs more than 1,048,576 vouchers.
 */
export function defaultFirstId(nowMs: number = Date.now()): bigint {
  return BigInt(nowMs) << 20n;
}

// ---------------------------------------------------------------------------------------------
// Reading a vault
// ---------------------------------------------------------------------------------------------

/** A vault, its token and the figures every command needs. */
export interface VaultInfo {
  provider: Provider;
  chainId: bigint;
  address: string;
  vault: RewardVault;
  token: SocialToken;
  tokenAddress: string;
  name: string;
  symbol: string;
  decimals: number;
}

/** Connects to the RewardVault at `address`; throws a readable error when there is none. */
export async function openVault(provider: Provider, address: string): Promise<VaultInfo> {
  const { chainId } = await provider.getNetwork();
  if (!isAddress(address)) throw new RewardsError(`vault is not an address: ${address}`, "input", { subject: "vault" });
  const vaultAddress = getAddress(address);
  if ((await provider.getCode(vaultAddress)) === "0x") {
    throw new RewardsError(`no contract at ${vaultAddress} on chain ${chainId}`, "no-contract", { subject: "vault" });
  }
  const vault = RewardVault__factory.connect(vaultAddress, provider);
  let tokenAddress: string;
  try {
    tokenAddress = await vault.token();
    await vault.attester();
  } catch {
    throw new RewardsError(`${vaultAddress} on chain ${chainId} is not a RewardVault`, "wrong-contract", { subject: "vault" });
  }
  const token = SocialToken__factory.connect(tokenAddress, provider);
  const [name, symbol, decimals] = await Promise.all([token.name(), token.symbol(), token.decimals()]);
  return { provider, chainId, address: vaultAddress, vault, token, tokenAddress, name, symbol, decimals: Number(decimals) };
}

/** The interfaces whose errors a vault call can revert with (the vault's own, the token's). */
export function vaultInterfaces(): Interface[] {
  return [RewardVault__factory.createInterface(), SocialToken__factory.createInterface()];
}

/** How a vault call's revert is decoded: by the vault's and the token's errors. */
const VAULT_REVERTS: RevertExplainer = { interfaces: vaultInterfaces() };

// ---------------------------------------------------------------------------------------------
// sign: vouchers from a CSV
// ---------------------------------------------------------------------------------------------

export interface SignOptions {
  /** The CSV text: `recipient,amount[,referrer]` rows. */
  csv: string;
  /** The file name used in error messages. */
  file?: string;
  deadlineDays?: number;
  /** Id of the first row; row i gets firstId + i. */
  firstId?: bigint;
  baseUrl?: string;
  /** Deadlines count from here (default: the latest block's timestamp). */
  now?: bigint;
}

export interface SignedVoucher {
  line: number;
  voucher: Voucher;
  signature: string;
  link: string;
}

export interface SignResult {
  signed: SignedVoucher[];
  attester: string;
  total: bigint;
  deadline: bigint;
  /** Things worth saying that do not stop the run (e.g. the total exceeds this epoch's budget). */
  warnings: string[];
}

function positiveDays(value: number, flag: string): bigint {
  if (!Number.isFinite(value) || value <= 0) throw new RewardsError(`${flag} must be a positive number of days, got ${value}`);
  return BigInt(Math.round(value * 86_400));
}

/**
 * Throws a CsvError naming every row whose voucher is larger than the vault's whole budget per
 * period (with the referral bonus, when the row names a referrer or the fan has one recorded):
 * such a voucher could never be redeemed, so it is never signed.
 */
async function refuseOverPeriodBudget(v: VaultInfo, rows: VoucherRow[], file: string): Promise<void> {
  const [budget, referralBps] = await Promise.all([v.vault.epochBudget(), v.vault.referralBps()]);
  const recorded = new Set<string>();
  if (referralBps > 0n) {
    const unnamed = [...new Set(rows.filter((r) => r.referrer === ZeroAddress).map((r) => r.recipient))];
    for (let i = 0; i < unnamed.length; i += 100) {
      const chunk = unnamed.slice(i, i + 100);
      const referrers = await Promise.all(chunk.map((fan) => v.vault.referrerOf(fan)));
      chunk.forEach((fan, j) => referrers[j] !== ZeroAddress && recorded.add(fan));
    }
  }
  const problems = vouchersOverPeriodBudget(rows, { budget, referralBps }, (fan) => recorded.has(fan), (x) => `${displayAmount(x, v.decimals)} ${v.symbol}`);
  if (problems.length > 0) throw new CsvError(file, problems);
}

/**
 * Signs one voucher per CSV row with `attester`, which must be the vault's current attester.
 * Nothing is signed when any row is bad (the lib's CsvError lists every bad line), any voucher is
 * larger than the vault's whole budget per period (it could never be redeemed), or any id is taken.
 */
export async function signVouchersFromCsv(v: VaultInfo, attester: Signer, opts: SignOptions): Promise<SignResult> {
  const rows = parseVoucherCsv(opts.csv, v.decimals, opts.file);
  const lifetime = positiveDays(opts.deadlineDays ?? DEFAULT_DEADLINE_DAYS, "--deadline-days");
  const firstId = opts.firstId ?? defaultFirstId();
  if (firstId < 0n || firstId + BigInt(rows.length) - 1n > MAX_UINT256) {
    throw new RewardsError(`--first-id ${firstId} leaves no room for ${rows.length} ids below 2^256`);
  }

  await refuseOverPeriodBudget(v, rows, opts.file ?? "vouchers.csv");

  const signerAddress = getAddress(await attester.getAddress());
  const current = await v.vault.attester();
  if (signerAddress !== current) {
    const contract = (await v.provider.getCode(current)) !== "0x";
    throw new RewardsError(
      `the attester key is for ${signerAddress}, but the vault's attester is ${current}` +
        (contract ? " (a contract wallet: its owners sign through the wallet, not with this CLI)" : "") +
        "; vouchers it signs would fail with RewardVaultBadSignature",
    );
  }

  const ids = rows.map((_, i) => firstId + BigInt(i));
  const taken: boolean[] = [];
  for (let i = 0; i < ids.length; i += 100) {
    taken.push(...(await Promise.all(ids.slice(i, i + 100).map((id) => v.vault.isRedeemed(id)))));
  }
  const takenIds = ids.filter((_, i) => taken[i]);
  if (takenIds.length > 0) {
    throw new RewardsError(
      `voucher id(s) already redeemed on this vault: ${takenIds.slice(0, 5).join(", ")}${takenIds.length > 5 ? ", ..." : ""}; pick another --first-id`,
    );
  }

  const now = opts.now ?? (await chainNow(v.provider));
  const deadline = now + lifetime;
  const baseUrl = opts.baseUrl ?? DEFAULT_APP_URL;
  const domain = voucherDomain(v.chainId, v.address);
  const types = { Voucher: VOUCHER_TYPES.Voucher.map((f) => ({ ...f })) };
  const signed: SignedVoucher[] = [];
  for (const [i, row] of rows.entries()) {
    const voucher: Voucher = { recipient: row.recipient, amount: row.amount, referrer: row.referrer, id: ids[i], deadline };
    const signature = await signVoucher(attester, v.chainId, v.address, voucher);
    if (verifyTypedData(domain, types, voucher, signature) !== signerAddress) {
      throw new RewardsError(`line ${row.line}: the signer returned a signature that does not recover to ${signerAddress}`);
    }
    signed.push({ line: row.line, voucher, signature, link: claimLink(baseUrl, { chainId: v.chainId, vault: v.address, voucher, signature }) });
  }
  // The vault must hash vouchers the way we sign them (same domain and type): check one digest on chain.
  const first = signed[0].voucher;
  const onChain = await v.vault.voucherDigest(first);
  if (onChain !== TypedDataEncoder.hash(domain, types, first)) {
    throw new RewardsError("the vault's voucher digest differs from the one signed here (a different RewardVault version?)");
  }

  const total = rows.reduce((sum, r) => sum + r.amount, 0n);
  const warnings: string[] = [];
  const [remaining, bps] = await Promise.all([v.vault.remainingBudget(), v.vault.referralBps()]);
  const bonus = rows.reduce((sum, r) => sum + (r.amount * bps) / 10_000n, 0n);
  if (total > remaining) {
    warnings.push(
      `these vouchers total ${displayAmount(total, v.decimals)} ${v.symbol}, more than this epoch's remaining budget ` +
        `(${displayAmount(remaining, v.decimals)} ${v.symbol}); redemptions beyond it fail with RewardVaultOverBudget until the next epoch`,
    );
  } else if (bps > 0n && total + bonus > remaining) {
    warnings.push(
      `with referral bonuses (up to ${displayAmount(bonus, v.decimals)} ${v.symbol}) these vouchers may exceed this epoch's remaining budget ` +
        `(${displayAmount(remaining, v.decimals)} ${v.symbol})`,
    );
  }
  return { signed, attester: signerAddress, total, deadline, warnings };
}

function csvCell(text: string): string {
  return /[",\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** The `--out` file of `sign`: one row per voucher, amounts in whole tokens, empty referrer when none. */
export function linksCsv(signed: SignedVoucher[], decimals: number): string {
  const lines = ["line,recipient,amount,referrer,id,deadline,link"];
  for (const s of signed) {
    const v = s.voucher;
    lines.push(
      [
        String(s.line),
        v.recipient,
        formatAmount(v.amount, decimals),
        v.referrer === ZeroAddress ? "" : v.referrer,
        v.id.toString(),
        v.deadline.toString(),
        s.link,
      ]
        .map(csvCell)
        .join(","),
    );
  }
  return lines.join("\n") + "\n";
}

// ---------------------------------------------------------------------------------------------
// campaign: a Merkle campaign from a CSV
// ---------------------------------------------------------------------------------------------

export interface CampaignOptions {
  /** The CSV text: `account,amount` rows. */
  csv: string;
  file?: string;
  /** The campaign ends this many days after `now`. */
  endDays: number;
  now?: bigint;
}

export interface CampaignPlan {
  rows: CampaignRow[];
  built: BuiltCampaign;
  end: bigint;
  remaining: bigint;
}

/** Parses the CSV and builds the tree; throws when the total does not fit this epoch's remaining budget. */
export async function planCampaign(v: VaultInfo, opts: CampaignOptions): Promise<CampaignPlan> {
  const rows = parseCampaignCsv(opts.csv, v.decimals, opts.file);
  const duration = positiveDays(opts.endDays, "--end-days");
  const built = buildCampaign(rows);
  const remaining = await v.vault.remainingBudget();
  if (built.total > remaining) {
    throw new RewardsError(
      `the campaign totals ${displayAmount(built.total, v.decimals)} ${v.symbol} but this epoch's remaining budget is ` +
        `${displayAmount(remaining, v.decimals)} ${v.symbol}`,
    );
  }
  const now = opts.now ?? (await chainNow(v.provider));
  return { rows, built, end: now + duration, remaining };
}

export interface OpenedCampaign {
  campaignId: bigint | null;
  hash: string | null;
  proofs: CampaignProofsFile;
}

/**
 * Opens the planned campaign with `operator` (the vault's operator or its Timelock): checks the
 * role, simulates (a revert is reported by name), sends, and reads the id from `CampaignOpened`.
 * With `operator` null it is a dry run: simulated as the vault's operator, nothing sent, campaignId null.
 */
export async function openCampaign(v: VaultInfo, operator: Signer | null, plan: CampaignPlan): Promise<OpenedCampaign> {
  const { root, total } = plan.built;
  if (operator === null) {
    const from = await v.vault.operator();
    await simulate("openCampaign", () => v.vault.openCampaign.staticCall(root, total, plan.end, { from }), VAULT_REVERTS);
    return { campaignId: null, hash: null, proofs: campaignProofsFile(plan.built, { chainId: v.chainId, vault: v.address, campaignId: null, end: plan.end }) };
  }
  const who = getAddress(await operator.getAddress());
  const [op, timelock] = await Promise.all([v.vault.operator(), v.vault.timelock()]);
  if (who !== op && who !== timelock) {
    throw new RewardsError(`the operator key is for ${who}, but the vault's operator is ${op} (or its Timelock ${timelock})`);
  }
  const vault = v.vault.connect(operator);
  await simulate("openCampaign", () => vault.openCampaign.staticCall(root, total, plan.end), VAULT_REVERTS);
  const receipt = await send("openCampaign", () => vault.openCampaign(root, total, plan.end), VAULT_REVERTS);
  let campaignId: bigint | null = null;
  for (const log of receipt.logs) {
    if (getAddress(log.address) !== v.address) continue;
    const parsed = v.vault.interface.parseLog(log);
    if (parsed?.name === "CampaignOpened") campaignId = parsed.args.campaignId as bigint;
  }
  if (campaignId === null) throw new RewardsError(`transaction ${receipt.hash} emitted no CampaignOpened event`);
  return {
    campaignId,
    hash: receipt.hash,
    proofs: campaignProofsFile(plan.built, { chainId: v.chainId, vault: v.address, campaignId, end: plan.end }),
  };
}

// ---------------------------------------------------------------------------------------------
// status
// ---------------------------------------------------------------------------------------------

export interface CampaignStatus {
  id: bigint;
  state: "open" | "ended" | "closed";
  reserved: bigint;
  claimed: bigint;
  end: bigint;
  epoch: bigint;
}

export interface AccountStatus {
  address: string;
  balance: bigint;
  votes: bigint;
  delegate: string;
  referrer: string;
  referredFans: bigint;
  referralEarned: bigint;
  referralUnclaimed: bigint;
}

export interface VaultStatus {
  chainId: bigint;
  now: bigint;
  token: { address: string; name: string; symbol: string; decimals: number; totalSupply: bigint; cap: bigint };
  vault: {
    address: string;
    attester: string;
    operator: string;
    timelock: string;
    paused: boolean;
    referralBps: bigint;
    epoch: bigint;
    epochLength: bigint;
    /** When the current epoch ends; null when the vault's creation time could not be read. */
    epochEndsAt: bigint;
    budget: bigint;
    spent: bigint;
    remaining: bigint;
  };
  campaigns: CampaignStatus[];
  account: AccountStatus | null;
}

/** Reads everything `status` shows; `account` adds a fan's balance, votes, delegate and referrals. */
export async function readStatus(v: VaultInfo, opts: { account?: string; factory?: string } = {}): Promise<VaultStatus> {
  const { vault, token } = v;
  const [now, totalSupply, cap, attester, operator, timelock, paused, referralBps, epoch, epochLength, budget, spent, remaining, count, epochEndsAt] =
    await Promise.all([
      chainNow(v.provider),
      token.totalSupply(),
      token.cap(),
      vault.attester(),
      vault.operator(),
      vault.timelock(),
      vault.paused(),
      vault.referralBps(),
      vault.currentEpoch(),
      vault.epochLength(),
      vault.epochBudget(),
      vault.epochSpent(),
      vault.remainingBudget(),
      vault.campaignCount(),
      vault.epochEndsAt(),
    ]);
  const campaigns: CampaignStatus[] = [];
  for (let id = 0n; id < count; id++) {
    const c = await vault.campaign(id);
    campaigns.push({
      id,
      state: c.closed ? "closed" : now > c.end ? "ended" : "open",
      reserved: c.reserved,
      claimed: c.claimed,
      end: c.end,
      epoch: c.epoch,
    });
  }
  let account: AccountStatus | null = null;
  if (opts.account !== undefined) {
    if (!isAddress(opts.account)) throw new RewardsError(`--account is not an address: ${opts.account}`);
    const a = getAddress(opts.account);
    const [balance, votes, delegate, referrer, stats] = await Promise.all([
      token.balanceOf(a),
      token.getVotes(a),
      token.delegates(a),
      vault.referrerOf(a),
      vault.referralStats(a),
    ]);
    account = {
      address: a,
      balance,
      votes,
      delegate,
      referrer,
      referredFans: stats.referredFans,
      referralEarned: stats.earned,
      referralUnclaimed: stats.unclaimed,
    };
  }
  return {
    chainId: v.chainId,
    now,
    token: { address: v.tokenAddress, name: v.name, symbol: v.symbol, decimals: v.decimals, totalSupply, cap },
    vault: {
      address: v.address,
      attester,
      operator,
      timelock,
      paused,
      referralBps,
      epoch,
      epochLength,
      epochEndsAt,
      budget,
      spent,
      remaining,
    },
    campaigns,
    account,
  };
}

function duration(seconds: bigint): string {
  if (seconds % DAY === 0n) return `${seconds / DAY} day${seconds === DAY ? "" : "s"}`;
  if (seconds % 3600n === 0n) return `${seconds / 3600n} h`;
  return `${seconds} s`;
}

/** The text `status` prints. */
export function formatStatus(s: VaultStatus): string {
  const amt = (x: bigint) => `${displayAmount(x, s.token.decimals)} ${s.token.symbol}`;
  const v = s.vault;
  const lines = [
    `Token ${s.token.name} (${s.token.symbol})  ${s.token.address}  chain ${s.chainId}`,
    `  supply            ${amt(s.token.totalSupply)} of cap ${amt(s.token.cap)}`,
    `Reward vault  ${v.address}`,
    `  attester          ${v.attester}`,
    `  operator          ${v.operator}`,
    `  timelock          ${v.timelock}`,
    `  paused            ${v.paused ? "yes (redemptions and claims stopped)" : "no"}`,
    `  referral bonus    ${v.referralBps} bps (${Number(v.referralBps) / 100}%)`,
    `  epoch             #${v.epoch}, ${duration(v.epochLength)} long, ends ` +
      `${formatTime(v.epochEndsAt)} (${formatRelative(v.epochEndsAt, s.now)})`,
    `  epoch budget      ${amt(v.budget)}`,
    `  spent             ${amt(v.spent)}`,
    `  remaining         ${amt(v.remaining)}`,
    `Campaigns: ${s.campaigns.length}`,
  ];
  for (const c of s.campaigns) {
    const when = c.state === "open" ? `until ${formatTime(c.end)}` : `ended ${formatTime(c.end)}`;
    lines.push(`  #${c.id}  ${c.state.padEnd(6)}  ${when}  claimed ${amt(c.claimed)} of ${amt(c.reserved)}  (epoch #${c.epoch})`);
  }
  if (s.account !== null) {
    const a = s.account;
    const delegate = a.delegate === ZeroAddress ? "none" : a.delegate === a.address ? `${a.delegate} (self)` : a.delegate;
    lines.push(
      `Account ${a.address}`,
      `  balance           ${amt(a.balance)}`,
      `  votes             ${amt(a.votes)}`,
      `  delegate          ${delegate}`,
      `  referrer          ${a.referrer === ZeroAddress ? "none" : a.referrer}`,
      `  referred fans     ${a.referredFans}`,
      `  referral earned   ${amt(a.referralEarned)} (unclaimed ${amt(a.referralUnclaimed)})`,
    );
  }
  return lines.join("\n");
}

// ---------------------------------------------------------------------------------------------
// redeem: a claim link
// ---------------------------------------------------------------------------------------------

export interface RedeemResult {
  payload: ClaimPayload;
  info: VaultInfo;
  hash: string;
  balance: bigint;
  /** The bonus credited to the fan's referrer by this redemption (zero if none). */
  referralBonus: bigint;
  referrer: string;
}

/**
 * Checks a claim link against the connected chain (chain id, vault, the attester's signature, the
 * deadline, the id), simulates the redemption, sends it from `sender` and reads the new balance.
 * `expectedVault`, when given, must be the link's vault.
 */
export async function redeemClaimLink(provider: Provider, sender: Signer, link: string, expectedVault?: string): Promise<RedeemResult> {
  let payload: ClaimPayload;
  try {
    payload = parseClaimLink(link.trim());
  } catch (e) {
    throw new RewardsError((e as Error).message);
  }
  const { chainId } = await provider.getNetwork();
  if (payload.chainId !== chainId) {
    throw new RewardsError(`the claim link is for chain ${payload.chainId}, but the connected chain is ${chainId}`);
  }
  if (expectedVault !== undefined && getAddress(expectedVault) !== payload.vault) {
    throw new RewardsError(`the claim link is for vault ${payload.vault}, not ${getAddress(expectedVault)}`);
  }
  const info = await openVault(provider, payload.vault);
  const { voucher, signature } = payload;

  const attester = await info.vault.attester();
  if ((await provider.getCode(attester)) === "0x") {
    let recovered: string;
    try {
      recovered = verifyTypedData(voucherDomain(chainId, payload.vault), { Voucher: VOUCHER_TYPES.Voucher.map((f) => ({ ...f })) }, voucher, signature);
    } catch {
      throw new RewardsError("the claim link's signature is malformed (tampered or truncated link?)");
    }
    if (recovered !== attester) {
      throw new RewardsError(
        `the claim link's signature is not the vault attester's (${attester}) over this voucher: the link was altered, or signed by another key (${recovered})`,
      );
    }
  }

  const vault = info.vault.connect(sender);
  await simulate("redeem", () => vault.redeem.staticCall(voucher, signature), VAULT_REVERTS);
  const receipt = await send("redeem", () => vault.redeem(voucher, signature), VAULT_REVERTS);
  let referralBonus = 0n;
  let referrer = ZeroAddress;
  for (const log of receipt.logs) {
    if (getAddress(log.address) !== info.address) continue;
    const parsed = info.vault.interface.parseLog(log);
    if (parsed?.name === "ReferralBonusCredited") {
      referralBonus = parsed.args.bonus as bigint;
      referrer = parsed.args.referrer as string;
    }
  }
  const balance = await info.token.balanceOf(voucher.recipient);
  return { payload, info, hash: receipt.hash, balance, referralBonus, referrer };
}

// ---------------------------------------------------------------------------------------------
// claim: a campaign leaf from a proofs file
// ---------------------------------------------------------------------------------------------

/** Checks the shape of a proofs file read from disk. */
export function readProofsFile(text: string, file = "proofs.json"): CampaignProofsFile {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    throw new RewardsError(`${file} is not JSON: ${(e as Error).message}`);
  }
  const p = data as Partial<CampaignProofsFile>;
  if (p === null || typeof p !== "object" || p.format !== "coterie-campaign-1") {
    throw new RewardsError(`${file} is not a Coterie campaign proofs file (format "coterie-campaign-1")`);
  }
  for (const key of ["chainId", "vault", "root", "total", "end"] as const) {
    if (typeof p[key] !== "string") throw new RewardsError(`${file}: "${key}" is missing`);
  }
  if (typeof p.claims !== "object" || p.claims === null) throw new RewardsError(`${file}: "claims" is missing`);
  return p as CampaignProofsFile;
}

export interface ClaimResult {
  campaignId: bigint;
  account: string;
  amount: bigint;
  hash: string;
  balance: bigint;
  info: VaultInfo;
}

/** Claims `account`'s leaf of the campaign in `proofs`, sent from `sender` (tokens go to `account`). */
export async function claimFromProofs(
  provider: Provider,
  sender: Signer,
  proofs: CampaignProofsFile,
  account: string,
  expectedVault?: string,
): Promise<ClaimResult> {
  const { chainId } = await provider.getNetwork();
  if (BigInt(proofs.chainId) !== chainId) {
    throw new RewardsError(`the proofs file is for chain ${proofs.chainId}, but the connected chain is ${chainId}`);
  }
  if (expectedVault !== undefined && getAddress(expectedVault) !== getAddress(proofs.vault)) {
    throw new RewardsError(`the proofs file is for vault ${getAddress(proofs.vault)}, not ${getAddress(expectedVault)}`);
  }
  if (proofs.campaignId === null) {
    throw new RewardsError("the proofs file has no campaign id (written by --dry-run): open the campaign first");
  }
  if (!isAddress(account)) throw new RewardsError(`--account is not an address: ${account}`);
  const who = getAddress(account);
  const leaf = proofs.claims[who];
  if (leaf === undefined) throw new RewardsError(`${who} has no claim in this campaign`);

  const info = await openVault(provider, proofs.vault);
  const campaignId = BigInt(proofs.campaignId);
  if (campaignId >= (await info.vault.campaignCount())) {
    throw new RewardsError(`campaign #${campaignId} does not exist on vault ${info.address}`);
  }
  const onChain = await info.vault.campaign(campaignId);
  if (onChain.root !== proofs.root) {
    throw new RewardsError(`the proofs file's root ${proofs.root} is not campaign #${campaignId}'s root ${onChain.root}`);
  }
  const index = BigInt(leaf.index);
  const amount = BigInt(leaf.amount);
  const vault = info.vault.connect(sender);
  await simulate("claimCampaign", () => vault.claimCampaign.staticCall(campaignId, index, who, amount, leaf.proof), VAULT_REVERTS);
  const receipt = await send("claimCampaign", () => vault.claimCampaign(campaignId, index, who, amount, leaf.proof), VAULT_REVERTS);
  return { campaignId, account: who, amount, hash: receipt.hash, balance: await info.token.balanceOf(who), info };
}
