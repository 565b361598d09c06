/**
 * The web app's reward logic that needs no chain: the typed data a voucher is signed as, who signed
 * a claim link, what a claim link's state means for the fan, fresh voucher ids, the proofs file a
 * fan loads to claim a campaign, and the files a creator downloads. The formats themselves (claim
 * links, CSV rows, campaign trees, proofs files) live in shared/rewards.ts; this file only uses them.
 */
import { StandardMerkleTree } from "@openzeppelin/merkle-tree";
import {
  getAddress,
  isAddress,
  parseEventLogs,
  recoverTypedDataAddress,
  zeroAddress,
  type Address,
  type Hex,
  type Log,
} from "viem";
import {
  CAMPAIGN_LEAF_ENCODING,
  checkBudget,
  VOUCHER_TYPES,
  voucherCharge,
  voucherDomain,
  type EpochBudget,
  type CampaignProofsFile,
  type ClaimPayload,
  type Voucher,
} from "../../../shared/rewards.ts";
import { rewardVaultAbi } from "../generated/abis.ts";
import { formatAmount, formatDate, formatRelative } from "./format.ts";

// ---------------------------------------------------------------------------------------------
// Vouchers: typed data, signer, ids
// ---------------------------------------------------------------------------------------------

/** The EIP-712 typed data of `voucher` for the vault at `vault` on chain `chainId`, as viem and wagmi sign it. */
export function voucherTypedData(chainId: bigint | number, vault: string, voucher: Voucher) {
  const domain = voucherDomain(chainId, vault);
  return {
    domain: { ...domain, verifyingContract: getAddress(domain.verifyingContract) },
    types: VOUCHER_TYPES,
    primaryType: "Voucher" as const,
    message: {
      recipient: getAddress(voucher.recipient),
      amount: voucher.amount,
      referrer: getAddress(voucher.referrer),
      id: voucher.id,
      deadline: voucher.deadline,
    },
  };
}

/**
 * The address whose key signed a claim link's voucher (for its chain and vault). Throws an Error
 * when the signature is malformed (truncated, not 65 bytes, an impossible curve point).
 */
export async function recoverVoucherSigner(payload: ClaimPayload): Promise<Address> {
  try {
    return await recoverTypedDataAddress({
      ...voucherTypedData(payload.chainId, payload.vault, payload.voucher),
      signature: payload.signature as Hex,
    });
  } catch {
    throw new Error("The claim link's signature is malformed (was the link cut short or edited?).");
  }
}

/** What the off-chain signature check says about a claim link. */
export type SignerCheck =
  | { kind: "attester" }
  | { kind: "other-signer"; signer: Address }
  | { kind: "malformed" }
  /** An ERC-1271 contract wallet attests: only the chain can tell (the redemption is simulated first). */
  | { kind: "contract-attester" };

/** Compares the recovered signer (null when the signature is malformed) with the vault's attester. */
export function checkSigner(recovered: Address | null, attester: Address, attesterIsContract: boolean): SignerCheck {
  if (attesterIsContract) return { kind: "contract-attester" };
  if (recovered === null) return { kind: "malformed" };
  return getAddress(recovered) === getAddress(attester) ? { kind: "attester" } : { kind: "other-signer", signer: recovered };
}

/** A random voucher id below 2^64 (never zero), from the browser's cryptographic generator. */
export function randomVoucherId(fill: (bytes: Uint8Array) => Uint8Array = (b) => crypto.getRandomValues(b)): bigint {
  const bytes = fill(new Uint8Array(8));
  let id = 0n;
  for (const b of bytes) id = (id << 8n) | BigInt(b);
  return id === 0n ? 1n : id;
}

/** `count` distinct random voucher ids. */
export function pickVoucherIds(count: number, random: () => bigint = () => randomVoucherId()): bigint[] {
  const ids = new Set<bigint>();
  while (ids.size < count) ids.add(random());
  return [...ids];
}

/** An epoch length in words: "7 days", "1 day", "12 hours", else "2d 3h"-style. */
export function formatEpochLength(seconds: bigint): string {
  if (seconds > 0n && seconds % 86_400n === 0n) return `${seconds / 86_400n} day${seconds === 86_400n ? "" : "s"}`;
  if (seconds > 0n && seconds % 3_600n === 0n) return `${seconds / 3_600n} hour${seconds === 3_600n ? "" : "s"}`;
  const s = Number(seconds);
  const d = Math.floor(s / 86_400);
  const h = Math.floor((s % 86_400) / 3_600);
  const m = Math.floor((s % 3_600) / 60);
  return d > 0 ? `${d}d ${h}h` : h > 0 ? `${h}h ${m}m` : `${m}m ${s % 60}s`;
}

/** Deadline of a voucher valid for `days` days from `now` (unix seconds, chain time). */
export function voucherDeadline(now: bigint, days: number): bigint {
  return now + BigInt(days) * 86_400n;
}

// ---------------------------------------------------------------------------------------------
// A claim link's state, from what the chain says about it
// ---------------------------------------------------------------------------------------------

/** Everything the claim page reads about a link's vault (null parts could not be read). */
export interface ClaimFacts {
  /** The chain the app (or the wallet) is on. */
  activeChainId: number;
  /** Whether the app is configured for the link's chain. */
  chainConfigured: boolean;
  /** False when the address is not a RewardVault (no code, or `token()` / `attester()` failed). */
  isVault: boolean;
  /** False when the vault's token is not in the Coterie registry, or the registry names another vault. */
  isCoterie: boolean;
  redeemed: boolean;
  paused: boolean;
  /** Chain time (unix seconds). */
  now: bigint;
  signer: SignerCheck;
  /** The vault's budget and what this voucher would cost it; null when it could not be read. */
  budget?: ClaimBudget | null;
}

/** What the claim page reads about the vault's budget for one link. */
export interface ClaimBudget extends EpochBudget {
  referralBps: bigint;
  /** The fan has a recorded referrer, or the voucher names one: the bonus is charged too. */
  referred: boolean;
  /** How amounts are written (the community token's). */
  decimals: number;
  symbol: string;
}

export type ClaimVerdict =
  | { status: "unknown-chain"; message: string }
  | { status: "wrong-chain"; message: string }
  | { status: "not-vault"; message: string }
  | { status: "not-coterie"; message: string }
  | { status: "redeemed"; message: string }
  | { status: "expired"; message: string }
  | { status: "bad-signature"; message: string }
  | { status: "paused"; message: string }
  | { status: "over-budget"; message: string }
  | { status: "budget-used-up"; message: string; nextPeriodAt: bigint }
  | { status: "ready"; message: string };

/**
 * What a fan can do with a claim link, most decisive problem first: a link for a chain this app
 * does not know or is not on, for a contract that is not a Coterie vault, already redeemed,
 * expired, not signed by the attester, or paused; else it is ready to redeem.
 */
export function claimVerdict(payload: ClaimPayload, facts: ClaimFacts): ClaimVerdict {
  const chainId = Number(payload.chainId);
  if (!facts.chainConfigured) {
    return { status: "unknown-chain", message: `This link is for chain ${chainId}, which this app is not set up for.` };
  }
  if (chainId !== facts.activeChainId) {
    return { status: "wrong-chain", message: `This link is for chain ${chainId}; switch to it to redeem.` };
  }
  if (!facts.isVault) {
    return { status: "not-vault", message: `${shortHex(payload.vault)} is not a reward vault on this chain.` };
  }
  if (!facts.isCoterie) {
    return { status: "not-coterie", message: "This link's vault does not belong to a Coterie community. Do not trust it." };
  }
  if (facts.redeemed) return { status: "redeemed", message: "This link has already been redeemed." };
  if (facts.now > payload.voucher.deadline) return { status: "expired", message: "This link has expired." };
  if (facts.signer.kind === "malformed") {
    return { status: "bad-signature", message: "The link's signature is malformed (was the link cut short or edited?)." };
  }
  if (facts.signer.kind === "other-signer") {
    return {
      status: "bad-signature",
      message: `The link's signature is not the community attester's: the link was altered, or signed by another key (${shortHex(facts.signer.signer)}).`,
    };
  }
  if (facts.paused) return { status: "paused", message: "Rewards are paused by the community; try again later." };
  if (facts.budget) {
    const b = facts.budget;
    const charge = voucherCharge(payload.voucher.amount, b.referralBps, b.referred);
    const check = checkBudget(charge, b, facts.now);
    const amount = (x: bigint) => formatAmount(x, b.decimals, b.symbol, b.decimals);
    const cost = charge === payload.voucher.amount ? amount(charge) : `${amount(charge)} with the referral bonus`;
    if (check.kind === "over-period-budget") {
      return {
        status: "over-budget",
        message:
          `This link is over the whole period budget: it needs ${cost}, more than the community's reward budget for a whole period ` +
          `(${amount(check.budget)}), so it cannot be redeemed unless the community raises its budget. Ask the creator for a smaller link.`,
      };
    }
    if (check.kind === "period-used-up") {
      const when = `${formatRelative(check.nextPeriodAt, facts.now)} (${formatDate(check.nextPeriodAt)})`;
      const tooLate = check.nextPeriodAt > payload.voucher.deadline;
      return {
        status: "budget-used-up",
        nextPeriodAt: check.nextPeriodAt,
        message:
          `This period's budget is used up: the link needs ${cost} and ${amount(check.remaining)} is left. The next period starts ${when}` +
          (tooLate ? ", after this link expires: ask the creator for a new link." : "; come back then to redeem."),
      };
    }
  }
  return { status: "ready", message: "Ready to redeem." };
}

function shortHex(value: string): string {
  return value.length > 12 ? `${value.slice(0, 6)}…${value.slice(-4)}` : value;
}

// ---------------------------------------------------------------------------------------------
// Merkle campaigns: the proofs file a fan loads, and the creator's side
// ---------------------------------------------------------------------------------------------

export type Checked<T> = { ok: true; value: T } | { ok: false; error: string };

const isDecimal = (v: unknown): v is string => typeof v === "string" && /^\d+$/.test(v);
const isBytes32 = (v: unknown): v is Hex => typeof v === "string" && /^0x[0-9a-fA-F]{64}$/.test(v);

/**
 * Reads a proofs file (the JSON `./coterie rewards campaign` or the creator console writes) and
 * checks it is meant for this chain and this community's vault. Every message says what to do.
 */
export function parseProofsFile(text: string, where: { chainId: number; vault: Address }): Checked<CampaignProofsFile> {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    return { ok: false, error: "This is not JSON. Load the campaign's proofs file (.json) as the creator shared it." };
  }
  const p = (data ?? {}) as Partial<Record<keyof CampaignProofsFile, unknown>>;
  if (typeof data !== "object" || data === null || p.format !== "coterie-campaign-1") {
    return { ok: false, error: 'This is not a Coterie campaign proofs file (its "format" should be "coterie-campaign-1").' };
  }
  for (const key of ["chainId", "total", "end"] as const) {
    if (!isDecimal(p[key])) return { ok: false, error: `The proofs file's "${key}" is missing or not a number.` };
  }
  if (typeof p.vault !== "string" || !isAddress(p.vault)) return { ok: false, error: 'The proofs file\'s "vault" is not an address.' };
  if (!isBytes32(p.root)) return { ok: false, error: 'The proofs file\'s "root" is not a 32-byte hex value.' };
  if (typeof p.claims !== "object" || p.claims === null || Array.isArray(p.claims)) {
    return { ok: false, error: 'The proofs file has no "claims".' };
  }
  if (Number(p.chainId) !== where.chainId) {
    return { ok: false, error: `This proofs file is for chain ${p.chainId as string}, but the app is on chain ${where.chainId}.` };
  }
  if (getAddress(p.vault) !== getAddress(where.vault)) {
    return { ok: false, error: `This proofs file is for another community's vault (${shortHex(p.vault)}), not this one's.` };
  }
  if (p.campaignId === null) {
    return { ok: false, error: "This proofs file has no campaign id: it was written before the campaign was opened (a dry run)." };
  }
  if (!isDecimal(p.campaignId)) return { ok: false, error: 'The proofs file\'s "campaignId" is not a number.' };
  return { ok: true, value: data as CampaignProofsFile };
}

/** One account's leaf of a campaign, ready for `claimCampaign`. */
export interface CampaignLeaf {
  campaignId: bigint;
  index: bigint;
  account: Address;
  amount: bigint;
  proof: Hex[];
}

/**
 * `account`'s leaf in a checked proofs file: null when the account has none; an error when the
 * entry is malformed or its proof does not lead to the file's root (an edited file).
 */
export function findCampaignLeaf(file: CampaignProofsFile, account: Address): Checked<CampaignLeaf | null> {
  const who = getAddress(account);
  const key = Object.keys(file.claims).find((k) => isAddress(k) && getAddress(k) === who);
  if (key === undefined) return { ok: true, value: null };
  const claim = file.claims[key] as unknown as Partial<Record<string, unknown>>;
  if (!isDecimal(claim.index) || !isDecimal(claim.amount) || !Array.isArray(claim.proof) || !claim.proof.every(isBytes32)) {
    return { ok: false, error: "Your entry in the proofs file is malformed (index, amount or proof)." };
  }
  const leaf: CampaignLeaf = {
    campaignId: BigInt(file.campaignId as string),
    index: BigInt(claim.index),
    account: who,
    amount: BigInt(claim.amount),
    proof: claim.proof as Hex[],
  };
  const valid = StandardMerkleTree.verify(file.root, [...CAMPAIGN_LEAF_ENCODING], [leaf.index, leaf.account, leaf.amount], leaf.proof);
  if (!valid) return { ok: false, error: "Your proof in this file does not match the campaign's root (was the file edited?)." };
  return { ok: true, value: leaf };
}

/** The id of the campaign a receipt's `CampaignOpened` event (emitted by `vault`) names, or null. */
export function campaignIdFromLogs(logs: Log[], vault: Address): bigint | null {
  const opened = parseEventLogs({ abi: rewardVaultAbi, eventName: "CampaignOpened", logs }).filter(
    (l) => getAddress(l.address) === getAddress(vault),
  );
  return opened.length > 0 ? opened[opened.length - 1].args.campaignId : null;
}

// ---------------------------------------------------------------------------------------------
// Files a creator downloads
// ---------------------------------------------------------------------------------------------

/** A voucher the console signed, with its claim link. */
export interface SignedVoucher {
  /** The CSV line (or 1 for the single form). */
  line: number;
  voucher: Voucher;
  signature: Hex;
  link: string;
}

function csvCell(text: string): string {
  return /[",\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** The signed vouchers as CSV: amounts in the smallest unit, an empty referrer when none. */
export function vouchersCsv(signed: SignedVoucher[]): string {
  const lines = ["recipient,amount,referrer,id,deadline,link"];
  for (const s of signed) {
    const v = s.voucher;
    lines.push(
      [v.recipient, v.amount.toString(), v.referrer === zeroAddress ? "" : v.referrer, v.id.toString(), v.deadline.toString(), s.link]
        .map(csvCell)
        .join(","),
    );
  }
  return lines.join("\n") + "\n";
}

/** Starts a browser download of `text` as `name` (a Blob behind a temporary object URL). */
export function downloadText(name: string, text: string, type = "text/plain"): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = document.createElement("a");
  a.href = url;
  a.download = name;
  document.body.appendChild(a);
  a.click();
  a.remove();
  window.setTimeout(() => URL.revokeObjectURL(url), 1_000);
}
