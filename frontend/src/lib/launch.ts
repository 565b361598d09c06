/**
 * Launching a community, kept pure (no React, no network): the launch form's fields, defaults and
 * presets, its validation against the ranges the contracts accept (CommunityFactory `_validate`,
 * RewardVault `initialize`), the CREATE2 salt, and the governance settings in plain words.
 *
 * The page (pages/creator/Launch.tsx) keeps a `LaunchDraft` in state, edits it with `editDraft`,
 * and only sends what `validateLaunch` returns: bad input never reaches the chain.
 */
import {
  encodeAbiParameters,
  formatUnits,
  isAddressEqual,
  keccak256,
  parseEventLogs,
  parseUnits,
  zeroAddress,
  type Address,
  type ContractFunctionArgs,
  type Hex,
  type Log,
} from "viem";
import { encodeVaultConfig } from "../../../shared/rewards.ts";
import { communityFactoryAbi } from "../generated/abis.ts";
import { formatAmount, formatBps, formatVotes } from "./format.ts";
import { checkAddress, checkAmount, checkInteger, checkText, type Checked } from "./validate.ts";

/** The `CommunityParams` tuple `createCommunity` takes, typed from the generated ABI. */
export type LaunchParams = ContractFunctionArgs<typeof communityFactoryAbi, "payable", "createCommunity">[0];

/** Social tokens have 18 decimals (OpenZeppelin ERC20's default). */
export const TOKEN_DECIMALS = 18;
/** The largest cap the factory accepts: 2^104 - 1 (the governor's packed vote tallies are 104 bits). */
export const MAX_CAP = (1n << 104n) - 1n;
/** The largest epoch budget the vault accepts: 2^104 - 1. */
export const MAX_EPOCH_BUDGET = (1n << 104n) - 1n;
export const MAX_NAME_LENGTH = 64;

export type DurationUnit = "minutes" | "hours" | "days" | "weeks";
export const DURATION_UNITS: Record<DurationUnit, number> = { minutes: 60, hours: 3_600, days: 86_400, weeks: 604_800 };

/** A duration field: a number and its unit, as typed. */
export interface DurationInput {
  amount: string;
  unit: DurationUnit;
}

/** The launch form, every field as the creator typed it. */
export interface LaunchForm {
  name: string;
  symbol: string;
  cap: string;
  allocation: string;
  votingDelay: DurationInput;
  votingPeriod: DurationInput;
  proposalThreshold: string;
  /** Percent of the supply, e.g. "4". */
  quorum: string;
  lateQuorumExtension: DurationInput;
  timelockDelay: DurationInput;
  epochBudget: string;
  epochLength: DurationInput;
  /** Percent of each redemption, e.g. "10". */
  referral: string;
  /** Empty: the creator (the vault treats the zero address as its operator). */
  attester: string;
  /** Part of the salt: a different nonce launches another community with the same name and symbol. */
  nonce: string;
}

export type LaunchField = keyof LaunchForm;
export type LaunchErrors = Partial<Record<LaunchField, string>>;
/** The fields typed as a number and a unit. */
export type DurationField = "votingDelay" | "votingPeriod" | "lateQuorumExtension" | "timelockDelay" | "epochLength";

/** The fields inside the collapsed "Advanced" section (opened when one of them is invalid). */
export const ADVANCED_FIELDS: readonly LaunchField[] = [
  "votingDelay",
  "votingPeriod",
  "proposalThreshold",
  "quorum",
  "lateQuorumExtension",
  "timelockDelay",
  "nonce",
];

export type PresetName = "standard" | "quick";

/** Governance times per preset. "Quick" suits a local demo: a proposal passes in minutes, not days. */
export const PRESETS: Record<PresetName, { label: string; durations: Pick<LaunchForm, "votingDelay" | "votingPeriod" | "lateQuorumExtension" | "timelockDelay"> }> = {
  standard: {
    label: "Standard",
    durations: {
      votingDelay: { amount: "1", unit: "days" },
      votingPeriod: { amount: "1", unit: "weeks" },
      lateQuorumExtension: { amount: "1", unit: "days" },
      timelockDelay: { amount: "2", unit: "days" },
    },
  },
  quick: {
    label: "Quick (local demo)",
    durations: {
      votingDelay: { amount: "1", unit: "minutes" },
      votingPeriod: { amount: "10", unit: "minutes" },
      lateQuorumExtension: { amount: "2", unit: "minutes" },
      timelockDelay: { amount: "2", unit: "minutes" },
    },
  },
};

/**
 * A form being edited, plus which derived fields still follow their source: the proposal threshold
 * follows the creator allocation (1% of it) and the epoch budget follows the cap (1% of it, the
 * same default as `defaultVaultConfig`) until the creator edits them.
 */
export interface LaunchDraft {
  form: LaunchForm;
  follow: { proposalThreshold: boolean; epochBudget: boolean };
}

/** 1% of a token amount typed as text, as text; null when the text is not an amount. */
export function onePercent(text: string): string | null {
  const checked = checkAmount(text, TOKEN_DECIMALS, { allowZero: true });
  return checked.ok ? formatUnits(checked.value / 100n, TOKEN_DECIMALS) : null;
}

export function initialDraft(preset: PresetName = "standard"): LaunchDraft {
  const cap = "10000000";
  const allocation = "1000000";
  return {
    form: {
      name: "",
      symbol: "",
      cap,
      allocation,
      ...PRESETS[preset].durations,
      proposalThreshold: onePercent(allocation) ?? "0",
      quorum: "4",
      epochBudget: onePercent(cap) ?? "0",
      epochLength: { amount: "1", unit: "weeks" },
      referral: "10",
      attester: "",
      nonce: "0",
    },
    follow: { proposalThreshold: true, epochBudget: true },
  };
}

/** Sets one field; keeps the derived fields that still follow their source in step. */
export function editDraft<F extends LaunchField>(draft: LaunchDraft, field: F, value: LaunchForm[F]): LaunchDraft {
  const form: LaunchForm = { ...draft.form, [field]: value };
  const follow = { ...draft.follow };
  if (field === "proposalThreshold") follow.proposalThreshold = false;
  if (field === "epochBudget") follow.epochBudget = false;
  if (field === "symbol") form.symbol = String(value).toUpperCase();
  if (field === "allocation" && follow.proposalThreshold) form.proposalThreshold = onePercent(form.allocation) ?? form.proposalThreshold;
  if (field === "cap" && follow.epochBudget) form.epochBudget = onePercent(form.cap) ?? form.epochBudget;
  return { form, follow };
}

export function applyPreset(draft: LaunchDraft, preset: PresetName): LaunchDraft {
  return { ...draft, form: { ...draft.form, ...PRESETS[preset].durations } };
}

/** The preset whose governance times the form has, or "custom". */
export function presetOf(form: LaunchForm): PresetName | "custom" {
  const same = (a: DurationInput, b: DurationInput) => a.amount.trim() === b.amount && a.unit === b.unit;
  for (const name of Object.keys(PRESETS) as PresetName[]) {
    const d = PRESETS[name].durations;
    if (same(form.votingDelay, d.votingDelay) && same(form.votingPeriod, d.votingPeriod) && same(form.lateQuorumExtension, d.lateQuorumExtension) && same(form.timelockDelay, d.timelockDelay)) {
      return name;
    }
  }
  return "custom";
}

const ok = <T,>(value: T): Checked<T> => ({ ok: true, value });
const fail = <T,>(error: string): Checked<T> => ({ ok: false, error });

/** 365 days: a UI guard on durations; the contracts would accept up to 2^32 - 1 seconds (136 years). */
export const MAX_DURATION_SECONDS = 365 * 86_400;

/** A duration in whole seconds within [min, max]. */
export function parseDuration(input: DurationInput, options: { min?: number; max?: number } = {}): Checked<number> {
  const { min = 0, max = MAX_DURATION_SECONDS } = options;
  const t = input.amount.trim();
  if (t === "") return fail("Enter a duration.");
  if (t.startsWith("-")) return fail("A duration cannot be negative.");
  if (!/^\d+(\.\d+)?$/.test(t)) return fail("Enter a number, like 2 or 1.5.");
  if ((t.split(".")[1] ?? "").length > 4) return fail("At most 4 decimal places.");
  const scaled = parseUnits(t, 4) * BigInt(DURATION_UNITS[input.unit]);
  if (scaled % 10_000n !== 0n) return fail("Must come to a whole number of seconds.");
  const seconds = scaled / 10_000n;
  if (seconds < BigInt(min)) return fail(min === 1 ? "Must be more than zero." : `At least ${durationWords(min)}.`);
  if (seconds > BigInt(max)) return fail(`At most ${durationWords(max)}.`);
  return ok(Number(seconds));
}

/** A percentage with at most two decimals, as basis points within [minBps, maxBps]. */
export function parsePercent(text: string, minBps: number, maxBps: number): Checked<number> {
  const t = text.trim().replace(/%$/, "").trim();
  if (t === "") return fail("Enter a percentage.");
  if (t.startsWith("-")) return fail("A percentage cannot be negative.");
  if (!/^\d+(\.\d+)?$/.test(t)) return fail("Enter a number, like 4 or 2.5.");
  if ((t.split(".")[1] ?? "").length > 2) return fail("At most 2 decimal places (0.01% steps).");
  const bps = Number(parseUnits(t, 2));
  if (bps < minBps || bps > maxBps) return fail(`Between ${formatBps(minBps)} and ${formatBps(maxBps)}.`);
  return ok(bps);
}

/** "1 week", "1 day 12 hours", "10 minutes", "none". */
export function durationWords(seconds: number): string {
  if (seconds <= 0) return "none";
  const parts: string[] = [];
  let rest = Math.floor(seconds);
  for (const [unit, size] of [
    ["week", 604_800],
    ["day", 86_400],
    ["hour", 3_600],
    ["minute", 60],
    ["second", 1],
  ] as const) {
    const n = Math.floor(rest / size);
    rest -= n * size;
    if (n > 0) parts.push(`${n} ${unit}${n === 1 ? "" : "s"}`);
  }
  return parts.slice(0, 2).join(" ");
}

/**
 * The CREATE2 salt of a launch: deterministic in (name, symbol, nonce), so the addresses shown before
 * signing are the ones the community gets, and launching the same values twice (a double click, a
 * retry after success, a second tab) is refused with the factory's `FactorySaltUsed` instead of
 * creating a duplicate. The factory mixes in the creator's address, so two creators never collide;
 * the nonce (Advanced) lets a creator deliberately launch another community with the same name.
 */
export function launchSalt(name: string, symbol: string, nonce: number | bigint): Hex {
  return keccak256(
    encodeAbiParameters(
      [{ type: "string" }, { type: "string" }, { type: "string" }, { type: "uint256" }],
      ["coterie.launch.v1", name.trim(), symbol.trim().toUpperCase(), BigInt(nonce)],
    ),
  );
}

/** The symbol rule: 2 to 11 capital letters or digits. */
export function checkSymbol(text: string): Checked<string> {
  const t = text.trim();
  if (t === "") return fail("Enter a symbol.");
  if (/\s/.test(t)) return fail("No spaces: capital letters A-Z and digits only.");
  if (!/^[A-Z0-9]+$/.test(t)) return fail("Capital letters A-Z and digits only.");
  if (t.length < 2 || t.length > 11) return fail("2 to 11 characters.");
  return ok(t);
}

export type LaunchCheck = { ok: true; params: LaunchParams; errors: LaunchErrors } | { ok: false; errors: LaunchErrors };

/**
 * Validates the whole form. `vaultAvailable` is false when the platform has no reward-vault
 * implementation: the factory then requires an empty vault configuration, and the rewards fields
 * are not checked.
 */
export function validateLaunch(form: LaunchForm, options: { vaultAvailable: boolean }): LaunchCheck {
  const errors: LaunchErrors = {};
  const take = <T,>(field: LaunchField, checked: Checked<T>): T | undefined => {
    if (checked.ok) return checked.value;
    errors[field] = checked.error;
    return undefined;
  };
  const symbolText = form.symbol.trim();
  const unit = checkSymbol(symbolText).ok ? symbolText : "tokens";

  const name = take("name", checkText(form.name, MAX_NAME_LENGTH, "The name"));
  const symbol = take("symbol", checkSymbol(form.symbol));

  let cap = take("cap", checkAmount(form.cap, TOKEN_DECIMALS, { symbol: unit }));
  if (cap !== undefined && cap > MAX_CAP) {
    cap = take("cap", fail(`At most ${formatAmount(MAX_CAP, TOKEN_DECIMALS, unit, 0)} (the governor counts votes in 104 bits).`));
  }
  let allocation = take("allocation", checkAmount(form.allocation, TOKEN_DECIMALS, { symbol: unit, allowZero: true }));
  if (allocation !== undefined && cap !== undefined && allocation > cap) {
    allocation = take("allocation", fail(`Cannot be more than the cap (${formatAmount(cap, TOKEN_DECIMALS, unit)}).`));
  }
  let threshold = take("proposalThreshold", checkAmount(form.proposalThreshold, TOKEN_DECIMALS, { symbol: unit, allowZero: true }));
  if (threshold !== undefined && cap !== undefined && threshold > cap) {
    threshold = take("proposalThreshold", fail("More than the cap: nobody could ever make a proposal."));
  }
  const quorumBps = take("quorum", parsePercent(form.quorum, 1, 10_000));
  const votingDelay = take("votingDelay", parseDuration(form.votingDelay, { min: 1 }));
  const votingPeriod = take("votingPeriod", parseDuration(form.votingPeriod, { min: 1 }));
  let lateQuorum = take("lateQuorumExtension", parseDuration(form.lateQuorumExtension));
  if (lateQuorum !== undefined && votingPeriod !== undefined && lateQuorum > votingPeriod) {
    lateQuorum = take("lateQuorumExtension", fail("Cannot be longer than the voting period."));
  }
  // At least one second, as the factory requires (Issue 11 item 3).
  const timelockDelay = take("timelockDelay", parseDuration(form.timelockDelay, { min: 1 }));
  const nonce = take("nonce", checkInteger(form.nonce, 0, 1_000_000));

  let rewardVaultConfig: Hex = "0x";
  if (options.vaultAvailable) {
    let budget = take("epochBudget", checkAmount(form.epochBudget, TOKEN_DECIMALS, { symbol: unit, allowZero: true }));
    if (budget !== undefined && budget > MAX_EPOCH_BUDGET) budget = take("epochBudget", fail("Too large for the vault (2^104 - 1 units at most)."));
    const epochLength = take("epochLength", parseDuration(form.epochLength, { min: 1 }));
    const referralBps = take("referral", parsePercent(form.referral, 0, 10_000));
    const attester = take("attester", checkAddress(form.attester, { optional: true }));
    if (budget !== undefined && epochLength !== undefined && referralBps !== undefined && attester !== undefined) {
      rewardVaultConfig = encodeVaultConfig({ attester: attester ?? zeroAddress, epochBudget: budget, epochLength, referralBps }) as Hex;
    }
  }

  if (Object.keys(errors).length > 0) return { ok: false, errors };
  return {
    ok: true,
    errors,
    params: {
      name: name!,
      symbol: symbol!,
      cap: cap!,
      creatorAllocation: allocation!,
      votingDelay: votingDelay!,
      votingPeriod: votingPeriod!,
      proposalThreshold: threshold!,
      quorumBps: BigInt(quorumBps!),
      lateQuorumExtension: lateQuorum!,
      timelockDelay: BigInt(timelockDelay!),
      salt: launchSalt(name!, symbol!, nonce!),
      rewardVaultConfig,
    },
  };
}

/** The salt for the form as typed, or null while name, symbol or nonce are invalid. */
export function saltOf(form: LaunchForm): Hex | null {
  const name = checkText(form.name, MAX_NAME_LENGTH);
  const symbol = checkSymbol(form.symbol);
  const nonce = checkInteger(form.nonce, 0, 1_000_000);
  return name.ok && symbol.ok && nonce.ok ? launchSalt(name.value, symbol.value, nonce.value) : null;
}

/** The governance settings in plain words; a setting that is not valid yet is left out. */
export function describeGovernance(form: LaunchForm): string[] {
  const value = <T,>(c: Checked<T>): T | undefined => (c.ok ? c.value : undefined);
  const threshold = value(checkAmount(form.proposalThreshold, TOKEN_DECIMALS, { allowZero: true }));
  const delay = value(parseDuration(form.votingDelay, { min: 1 }));
  const period = value(parseDuration(form.votingPeriod, { min: 1 }));
  const quorum = value(parsePercent(form.quorum, 1, 10_000));
  const late = value(parseDuration(form.lateQuorumExtension));
  const timelock = value(parseDuration(form.timelockDelay, { min: 1 }));
  const lines: string[] = [];
  if (threshold !== undefined) {
    lines.push(
      threshold === 0n
        ? "Any holder can make a proposal."
        : `Making a proposal takes ${formatVotes(threshold, TOKEN_DECIMALS)}.`,
    );
  }
  if (delay !== undefined && period !== undefined) {
    lines.push(`Voting opens ${durationWords(delay)} after a proposal is made and lasts ${durationWords(period)}.`);
  }
  if (quorum !== undefined) {
    lines.push(`A proposal passes with more votes for than against, when at least ${formatBps(quorum)} of the supply votes for or abstains.`);
  }
  if (late !== undefined) {
    lines.push(
      late === 0
        ? "Voting is never extended."
        : `If that quorum is only reached in the last ${durationWords(late)}, voting goes on for ${durationWords(late)} more.`,
    );
  }
  if (timelock !== undefined) {
    lines.push(`A passed proposal waits ${durationWords(timelock)} in the timelock before anyone can execute it.`);
  }
  return lines;
}

/** What the reward settings mean for fans, in one sentence. */
export function describeRewards(form: LaunchForm): string {
  const symbol = checkSymbol(form.symbol).ok ? form.symbol.trim() : "tokens";
  const budget = checkAmount(form.epochBudget, TOKEN_DECIMALS, { allowZero: true });
  const epoch = parseDuration(form.epochLength, { min: 1 });
  const referral = parsePercent(form.referral, 0, 10_000);
  const base = "Fans earn tokens with vouchers you sign and with Merkle campaigns";
  if (!budget.ok || !epoch.ok || !referral.ok) return `${base}; referrers earn a bonus.`;
  const words = durationWords(epoch.value);
  const every = /^1 [a-z]+$/.test(words) ? `every ${words.slice(2)}` : `every ${words}`;
  const pays = budget.value === 0n ? "nothing until the DAO sets a budget" : `at most ${formatAmount(budget.value, TOKEN_DECIMALS, symbol)} ${every}`;
  const bonus = referral.value > 0 ? `, and a fan's referrer earns ${formatBps(referral.value)} on top` : "";
  return `${base}: the vault pays ${pays}${bonus}.`;
}

/** What the factory's `CommunityCreated` event names. */
export interface CreatedCommunity {
  id: bigint;
  creator: Address;
  token: Address;
  governor: Address;
  timelock: Address;
  rewardVault: Address | null;
}

/** The `CommunityCreated` event the factory at `factory` emitted in a receipt's logs; null when there is none. */
export function findCommunityCreated(logs: readonly Log[], factory: Address): CreatedCommunity | null {
  const events = parseEventLogs({ abi: communityFactoryAbi, eventName: "CommunityCreated", logs: [...logs], strict: true });
  const event = events.find((e) => isAddressEqual(e.address, factory));
  if (!event) return null;
  const a = event.args;
  return {
    id: a.id,
    creator: a.creator,
    token: a.token,
    governor: a.governor,
    timelock: a.timelock,
    rewardVault: a.rewardVault === zeroAddress ? null : a.rewardVault,
  };
}
