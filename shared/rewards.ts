/**
 * Reward vouchers, claim links, CSV input and Merkle campaigns: the pure logic shared by the creator
 * CLI (scripts/rewards.ts), the seed script, the benchmark, the tests and the web app (frontend/).
 * No network access and no Node-only API here, so the browser bundle can import it too.
 * The formats are documented in docs/rewards.md.
 */
import { encodeAbiParameters, getAddress, isAddress, parseUnits, zeroAddress } from "viem";
import { StandardMerkleTree } from "@openzeppelin/merkle-tree";

const ZeroAddress: string = zeroAddress;

/** The largest uint256, the largest amount, id or deadline a voucher or campaign can carry. */
export const MAX_UINT256 = (1n << 256n) - 1n;

/** An EIP-712 domain as both ethers' and viem's signers accept it. */
export interface TypedDataDomain {
  name: string;
  version: string;
  chainId: bigint;
  verifyingContract: string;
}

/** EIP-712 domain name and version of every RewardVault. */
export const REWARDS_DOMAIN_NAME = "Coterie Rewards";
export const REWARDS_DOMAIN_VERSION = "1";

/** The EIP-712 `Voucher` type, exactly as the contract hashes it. */
export const VOUCHER_TYPES = {
  Voucher: [
    { name: "recipient", type: "address" },
    { name: "amount", type: "uint256" },
    { name: "referrer", type: "address" },
    { name: "id", type: "uint256" },
    { name: "deadline", type: "uint256" },
  ],
} as const;

export interface Voucher {
  recipient: string;
  amount: bigint;
  referrer: string;
  id: bigint;
  deadline: bigint;
}

/** Something that signs EIP-712 data the way ethers' Signer does. */
export interface TypedDataSigner {
  signTypedData(
    domain: TypedDataDomain,
    types: Record<string, Array<{ name: string; type: string }>>,
    value: Record<string, unknown>,
  ): Promise<string>;
}

/** The EIP-712 domain of the vault at `vault` on chain `chainId`. */
export function voucherDomain(chainId: bigint | number, vault: string): TypedDataDomain {
  return {
    name: REWARDS_DOMAIN_NAME,
    version: REWARDS_DOMAIN_VERSION,
    chainId: BigInt(chainId),
    verifyingContract: getAddress(vault),
  };
}

/** Signs `voucher` for the vault at `vault` on chain `chainId`. */
export async function signVoucher(
  signer: TypedDataSigner,
  chainId: bigint | number,
  vault: string,
  voucher: Voucher,
): Promise<string> {
  const types = { Voucher: VOUCHER_TYPES.Voucher.map((f) => ({ ...f })) };
  return signer.signTypedData(voucherDomain(chainId, vault), types, { ...voucher });
}

/** The vault settings a creator chooses at launch (see IRewardVault.VaultConfig). */
export interface VaultConfig {
  /** Signs vouchers; the zero address means the creator. */
  attester: string;
  /** Tokens (wei units) the vault may mint, credit or reserve per epoch. */
  epochBudget: bigint;
  /** Seconds per epoch. */
  epochLength: number;
  /** Bonus to a fan's referrer, in basis points of each redemption. */
  referralBps: number;
}

const VAULT_CONFIG_ABI = [
  {
    type: "tuple",
    components: [
      { name: "attester", type: "address" },
      { name: "epochBudget", type: "uint256" },
      { name: "epochLength", type: "uint32" },
      { name: "referralBps", type: "uint16" },
    ],
  },
] as const;

/** ABI-encodes a vault configuration for the factory's `rewardVaultConfig`. */
export function encodeVaultConfig(config: VaultConfig): string {
  return encodeAbiParameters(VAULT_CONFIG_ABI, [
    {
      attester: getAddress(config.attester),
      epochBudget: config.epochBudget,
      epochLength: config.epochLength,
      referralBps: config.referralBps,
    },
  ]);
}

/** Sensible defaults: the creator attests, 1% of the cap per weekly epoch, 10% referral bonus. */
export function defaultVaultConfig(cap: bigint, overrides: Partial<VaultConfig> = {}): VaultConfig {
  return { attester: ZeroAddress, epochBudget: cap / 100n, epochLength: 7 * 86_400, referralBps: 1_000, ...overrides };
}

// ---------------------------------------------------------------------------------------------
// The epoch budget: what a voucher costs it, and whether it can ever be redeemed. The same
// arithmetic as RewardVault._redeem and _spend, used by the CLI and the web app alike (issue 11
// item 12: a voucher larger than the whole budget used to be signed, a link that can never work).
// ---------------------------------------------------------------------------------------------

export const MAX_BPS = 10_000n;

/**
 * What redeeming a voucher of `amount` charges the epoch budget: the amount, plus the referral
 * bonus (`amount * referralBps / 10,000`, rounded down) when the fan has a referrer, i.e. when the
 * voucher names one or one is recorded for the fan already.
 */
export function voucherCharge(amount: bigint, referralBps: bigint, referred: boolean): bigint {
  return referred && referralBps > 0n ? amount + (amount * referralBps) / MAX_BPS : amount;
}

/** The vault's budget as the chain reports it. */
export interface EpochBudget {
  /** `epochBudget()`: what one period may spend. */
  budget: bigint;
  /** `remainingBudget()`: what the current period has left. */
  remaining: bigint;
  /** `epochEndsAt()`: when the next period starts (unix seconds). */
  nextPeriodAt: bigint;
}

export type BudgetCheck =
  | { kind: "fits"; charge: bigint }
  /** Larger than a whole period's budget: never redeemable unless the DAO raises the budget. */
  | { kind: "over-period-budget"; charge: bigint; budget: bigint }
  /** Fits a period, not what this one has left: redeemable from `nextPeriodAt`. */
  | { kind: "period-used-up"; charge: bigint; remaining: bigint; nextPeriodAt: bigint };

/**
 * Whether a charge fits the current period, a later one, or none. `now` (chain time) at or past
 * `nextPeriodAt` means the figures were read in a period that is over: the vault starts the new one
 * with its whole budget (it resets lazily, as `_currentEpoch` does).
 */
export function checkBudget(charge: bigint, epoch: EpochBudget, now: bigint): BudgetCheck {
  if (charge > epoch.budget) return { kind: "over-period-budget", charge, budget: epoch.budget };
  const remaining = now >= epoch.nextPeriodAt ? epoch.budget : epoch.remaining;
  if (charge > remaining) return { kind: "period-used-up", charge, remaining, nextPeriodAt: epoch.nextPeriodAt };
  return { kind: "fits", charge };
}

/** A voucher to be signed, as far as the budget is concerned. */
export interface BudgetedVoucher {
  line: number;
  recipient: string;
  amount: bigint;
  referrer: string;
}

/**
 * The vouchers no period's budget can ever pay, each as a CSV problem with its line: signing them
 * would hand out dead links. `recordedReferrer(recipient)` says whether the vault already records a
 * referrer for that fan (then the bonus is charged although the voucher names none). `format`
 * writes an amount for people (e.g. "1,500 AUR").
 */
export function vouchersOverPeriodBudget(
  rows: readonly BudgetedVoucher[],
  vault: { budget: bigint; referralBps: bigint },
  recordedReferrer: (recipient: string) => boolean,
  format: (amount: bigint) => string,
): CsvProblem[] {
  const problems: CsvProblem[] = [];
  for (const row of rows) {
    const named = getAddress(row.referrer);
    const referred = recordedReferrer(row.recipient) || (named !== ZeroAddress && named !== getAddress(row.recipient));
    const charge = voucherCharge(row.amount, vault.referralBps, referred);
    if (charge <= vault.budget) continue;
    const withBonus = charge === row.amount ? "" : ` (${format(charge)} with the referral bonus)`;
    problems.push({
      line: row.line,
      message:
        `${format(row.amount)}${withBonus} is more than the vault's whole budget per period (${format(vault.budget)}): ` +
        "the link could never be redeemed; split it or have the DAO raise the budget",
    });
  }
  return problems;
}

// ---------------------------------------------------------------------------------------------
// Claim links: `<base>/claim?v=<encoded voucher>&s=<signature>`.
// v = "1" "." chainId "." vault "." recipient "." amount "." referrer "." id "." deadline
// (format version 1; addresses as 0x-hex, numbers in decimal; the zero address when no referrer).
// ---------------------------------------------------------------------------------------------

/** A voucher together with where it can be redeemed. */
export interface ClaimPayload {
  chainId: bigint;
  vault: string;
  voucher: Voucher;
  signature: string;
}

const LINK_VERSION = "1";

/** Encodes the `v` parameter of a claim link. */
export function encodeVoucherParam(chainId: bigint | number, vault: string, v: Voucher): string {
  return [
    LINK_VERSION,
    BigInt(chainId).toString(),
    getAddress(vault),
    getAddress(v.recipient),
    v.amount.toString(),
    getAddress(v.referrer),
    v.id.toString(),
    v.deadline.toString(),
  ].join(".");
}

/** Builds a claim link for the web app at `baseUrl` (e.g. http://127.0.0.1:5173). */
export function claimLink(baseUrl: string, payload: ClaimPayload): string {
  const v = encodeVoucherParam(payload.chainId, payload.vault, payload.voucher);
  return `${baseUrl.replace(/\/+$/, "")}/claim?v=${v}&s=${payload.signature}`;
}

/** Reads a claim link (or just its query string); throws an Error naming what is wrong. */
export function parseClaimLink(link: string): ClaimPayload {
  const query = link.includes("?") ? link.slice(link.indexOf("?") + 1) : link;
  const params = new URLSearchParams(query);
  const v = params.get("v");
  const s = params.get("s");
  if (v === null) throw new Error("claim link has no voucher (v=...)");
  if (s === null) throw new Error("claim link has no signature (s=...)");
  if (!/^0x[0-9a-fA-F]*$/.test(s) || s.length < 4 || s.length % 2 !== 0) {
    throw new Error("claim link signature is not hex");
  }
  const parts = v.split(".");
  if (parts.length !== 8) throw new Error(`claim link voucher has ${parts.length} fields, expected 8`);
  const [version, chainId, vault, recipient, amount, referrer, id, deadline] = parts;
  if (version !== LINK_VERSION) throw new Error(`unsupported claim link version ${version}`);
  for (const [name, value] of [
    ["vault", vault],
    ["recipient", recipient],
    ["referrer", referrer],
  ] as const) {
    if (!isAddress(value)) throw new Error(`claim link ${name} is not an address: ${value}`);
  }
  for (const [name, value] of [
    ["chain id", chainId],
    ["amount", amount],
    ["id", id],
    ["deadline", deadline],
  ] as const) {
    if (!/^\d+$/.test(value)) throw new Error(`claim link ${name} is not a whole number: ${value}`);
    if (BigInt(value) > MAX_UINT256) throw new Error(`claim link ${name} is too large: ${value}`);
  }
  return {
    chainId: BigInt(chainId),
    vault: getAddress(vault),
    signature: s,
    voucher: {
      recipient: getAddress(recipient),
      amount: BigInt(amount),
      referrer: getAddress(referrer),
      id: BigInt(id),
      deadline: BigInt(deadline),
    },
  };
}

// ---------------------------------------------------------------------------------------------
// CSV input. Every problem is reported with its line number; a file with any problem yields no rows.
// ---------------------------------------------------------------------------------------------

export interface CsvProblem {
  line: number;
  message: string;
}

/** Thrown when a CSV file has problems; `problems` lists every one with its line number. */
export class CsvError extends Error {
  constructor(
    public readonly file: string,
    public readonly problems: CsvProblem[],
  ) {
    super(`${file}: ${problems.length} problem(s):\n` + problems.map((p) => `  line ${p.line}: ${p.message}`).join("\n"));
    this.name = "CsvError";
  }
}

export interface VoucherRow {
  line: number;
  recipient: string;
  amount: bigint;
  referrer: string;
}

export interface CampaignRow {
  line: number;
  account: string;
  amount: bigint;
}

/** Parses a decimal token amount with at most `decimals` fractional digits; positive only. */
export function parseAmount(text: string, decimals: number): bigint {
  const t = text.trim();
  if (t === "") throw new Error("amount is empty");
  if (t.startsWith("-")) throw new Error(`amount is negative: ${t}`);
  if (!/^\d+(\.\d+)?$/.test(t)) throw new Error(`amount is not a decimal number: ${t}`);
  const fraction = t.includes(".") ? t.split(".")[1] : "";
  if (fraction.length > decimals) {
    throw new Error(`amount ${t} has more than ${decimals} decimal places`);
  }
  const value = parseUnits(t, decimals);
  if (value === 0n) throw new Error("amount is zero");
  // Caught here, with the row's line, rather than by the ABI encoder later with no line at all.
  if (value > MAX_UINT256) throw new Error(`amount ${t} is too large: a uint256 holds at most 2^256 - 1 of the token's smallest units`);
  return value;
}

function parseAddressCell(text: string, what: string): string {
  const t = text.trim();
  if (!isAddress(t)) throw new Error(`${what} is not an address: ${t === "" ? "(empty)" : t}`);
  if (getAddress(t) === ZeroAddress) throw new Error(`${what} is the zero address`);
  return getAddress(t);
}

/** Splits CSV text into non-empty, non-comment lines with their 1-based line numbers; skips a header. */
function csvLines(text: string, headerFirstCell: string[]): Array<{ line: number; cells: string[] }> {
  const out: Array<{ line: number; cells: string[] }> = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    const trimmed = raw.trim();
    if (trimmed === "" || trimmed.startsWith("#")) return;
    const cells = trimmed.split(",").map((c) => c.trim());
    if (out.length === 0 && headerFirstCell.includes(cells[0].toLowerCase())) return;
    out.push({ line: i + 1, cells });
  });
  return out;
}

/** Parses `recipient,amount[,referrer]` rows. Throws {@link CsvError} listing every bad line. */
export function parseVoucherCsv(text: string, decimals: number, file = "vouchers.csv"): VoucherRow[] {
  const rows: VoucherRow[] = [];
  const problems: CsvProblem[] = [];
  for (const { line, cells } of csvLines(text, ["recipient", "address"])) {
    try {
      if (cells.length < 2 || cells.length > 3) {
        throw new Error(`expected recipient,amount[,referrer] but found ${cells.length} column(s)`);
      }
      const recipient = parseAddressCell(cells[0], "recipient");
      const amount = parseAmount(cells[1], decimals);
      const referrer = cells.length === 3 && cells[2] !== "" ? parseAddressCell(cells[2], "referrer") : ZeroAddress;
      if (referrer === recipient) throw new Error("referrer is the recipient (self-referral earns nothing)");
      rows.push({ line, recipient, amount, referrer });
    } catch (e) {
      problems.push({ line, message: (e as Error).message });
    }
  }
  if (rows.length === 0 && problems.length === 0) problems.push({ line: 1, message: "no voucher rows" });
  if (problems.length > 0) throw new CsvError(file, problems);
  return rows;
}

/** Parses `account,amount` rows; an account may appear once. Throws {@link CsvError} listing every bad line. */
export function parseCampaignCsv(text: string, decimals: number, file = "campaign.csv"): CampaignRow[] {
  const rows: CampaignRow[] = [];
  const problems: CsvProblem[] = [];
  const firstLine = new Map<string, number>();
  let total = 0n;
  for (const { line, cells } of csvLines(text, ["account", "address", "recipient"])) {
    try {
      if (cells.length !== 2) throw new Error(`expected account,amount but found ${cells.length} column(s)`);
      const account = parseAddressCell(cells[0], "account");
      const amount = parseAmount(cells[1], decimals);
      const seen = firstLine.get(account);
      if (seen !== undefined) throw new Error(`duplicate account ${account} (first on line ${seen})`);
      firstLine.set(account, line);
      total += amount;
      // The campaign's total is one uint256 too: name the row where the sum stops fitting.
      if (total > MAX_UINT256) throw new Error("the amounts up to this row add up to more than 2^256 - 1 units");
      rows.push({ line, account, amount });
    } catch (e) {
      problems.push({ line, message: (e as Error).message });
    }
  }
  if (rows.length === 0 && problems.length === 0) problems.push({ line: 1, message: "no campaign rows" });
  if (problems.length > 0) throw new CsvError(file, problems);
  return rows;
}

// ---------------------------------------------------------------------------------------------
// Merkle campaigns: OpenZeppelin StandardMerkleTree over (uint256 index, address account, uint256 amount).
// ---------------------------------------------------------------------------------------------

export const CAMPAIGN_LEAF_ENCODING = ["uint256", "address", "uint256"] as const;

export interface CampaignClaim {
  index: string;
  amount: string;
  proof: string[];
}

/** The proofs file the web app reads: everything a fan needs to claim, keyed by checksummed account. */
export interface CampaignProofsFile {
  format: "coterie-campaign-1";
  chainId: string;
  vault: string;
  campaignId: string | null;
  root: string;
  total: string;
  end: string;
  claims: Record<string, CampaignClaim>;
}

export interface BuiltCampaign {
  root: string;
  total: bigint;
  tree: StandardMerkleTree<[bigint, string, bigint]>;
  claims: Record<string, CampaignClaim>;
}

/**
 * Builds the campaign tree; leaf i is (i, account, amount) in row order. Each account may appear
 * once (the proofs file is keyed by account), and amounts must be positive.
 */
export function buildCampaign(rows: Array<{ account: string; amount: bigint }>): BuiltCampaign {
  if (rows.length === 0) throw new Error("a campaign needs at least one account");
  const seen = new Set<string>();
  const values: Array<[bigint, string, bigint]> = rows.map((r, i) => {
    const account = getAddress(r.account);
    if (seen.has(account)) throw new Error(`account ${account} appears twice in the campaign (row ${i + 1})`);
    if (r.amount <= 0n) throw new Error(`amount for ${account} must be positive (row ${i + 1})`);
    seen.add(account);
    return [BigInt(i), account, r.amount];
  });
  const tree = StandardMerkleTree.of(values, [...CAMPAIGN_LEAF_ENCODING]);
  const claims: Record<string, CampaignClaim> = {};
  for (const [i, [index, account, amount]] of tree.entries()) {
    claims[account] = { index: index.toString(), amount: amount.toString(), proof: tree.getProof(i) };
  }
  return { root: tree.root, total: rows.reduce((sum, r) => sum + r.amount, 0n), tree, claims };
}

/** Assembles the proofs file for a campaign once it is (or is about to be) opened. */
export function campaignProofsFile(
  built: BuiltCampaign,
  where: { chainId: bigint; vault: string; campaignId: bigint | null; end: bigint },
): CampaignProofsFile {
  return {
    format: "coterie-campaign-1",
    chainId: where.chainId.toString(),
    vault: getAddress(where.vault),
    campaignId: where.campaignId === null ? null : where.campaignId.toString(),
    root: built.root,
    total: built.total.toString(),
    end: where.end.toString(),
    claims: built.claims,
  };
}
