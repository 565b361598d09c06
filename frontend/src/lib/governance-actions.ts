/**
 * Decodes what a proposal does. Each action (target, value, calldata) is matched against the ABIs
 * the app knows for that target (token, governor, timelock, reward vault, crowdfund, revenue share,
 * factories; generated from the Hardhat artifacts), and the actions a member meets most are written
 * as a sentence ("Transfer 1 ETH to 0x…", "Set the referral bonus to 10%"). Unknown targets are
 * tried against every known ABI by selector; calldata nothing matches is shown raw with its selector.
 */
import { formatAbiItem } from "viem/utils";
import {
  decodeFunctionData,
  keccak256,
  size,
  slice,
  toFunctionSelector,
  toHex,
  zeroAddress,
  zeroHash,
  type Abi,
  type AbiFunction,
  type AbiParameter,
  type Address,
  type Hex,
} from "viem";
import {
  communityFactoryAbi,
  communityGovernorAbi,
  communityTimelockAbi,
  crowdfundAbi,
  crowdfundFactoryAbi,
  revenueShareAbi,
  revenueShareFactoryAbi,
  rewardVaultAbi,
  socialTokenAbi,
} from "../generated/abis.ts";
import { formatAmount, formatBps, formatDuration, shortAddress } from "./format.ts";

export type ContractKind =
  | "token"
  | "governor"
  | "timelock"
  | "rewardVault"
  | "revenueShare"
  | "crowdfund"
  | "factory"
  | "crowdfundFactory"
  | "revenueShareFactory";

const ABIS: Record<ContractKind, Abi> = {
  token: socialTokenAbi,
  governor: communityGovernorAbi,
  timelock: communityTimelockAbi,
  rewardVault: rewardVaultAbi,
  revenueShare: revenueShareAbi,
  crowdfund: crowdfundAbi,
  factory: communityFactoryAbi,
  crowdfundFactory: crowdfundFactoryAbi,
  revenueShareFactory: revenueShareFactoryAbi,
};

/** Role ids the contracts use: keccak256 of the role's name (DEFAULT_ADMIN_ROLE is zero). */
export const ROLES = {
  MINTER_ROLE: keccak256(toHex("MINTER_ROLE")),
  REVENUE_ROLE: keccak256(toHex("REVENUE_ROLE")),
  PROPOSER_ROLE: keccak256(toHex("PROPOSER_ROLE")),
  EXECUTOR_ROLE: keccak256(toHex("EXECUTOR_ROLE")),
  CANCELLER_ROLE: keccak256(toHex("CANCELLER_ROLE")),
  DEFAULT_ADMIN_ROLE: zeroHash,
} as const;

export function roleName(role: Hex): string | null {
  const entry = Object.entries(ROLES).find(([, id]) => id.toLowerCase() === role.toLowerCase());
  return entry ? entry[0] : null;
}

export interface KnownContract {
  address: Address;
  kind: ContractKind;
  /** How the app names it: "AUR token", "treasury (timelock)", "reward vault"… */
  label: string;
}

export interface TokenMeta {
  symbol: string;
  decimals: number;
}

export interface DecodeContext {
  contracts: KnownContract[];
  /** The community's token: amounts of the vault, the governor and the token itself are in it. */
  token: TokenMeta & { address: Address };
  /** Other tokens by lowercased address (e.g. the platform token), for transfer amounts. */
  tokens?: Record<string, TokenMeta>;
  /** "Aurora Fans (AUR)" for a registry id, when known. */
  communityName?: (id: bigint) => string | undefined;
}

export interface DecodedArg {
  name: string;
  type: string;
  /** For people: short addresses, role names, amounts stay raw integers. */
  display: string;
  /** The full value (addresses in full, integers in base units). */
  raw: string;
}

export interface DecodedAction {
  index: number;
  target: Address;
  targetLabel: string | null;
  value: bigint;
  data: Hex;
  /** One sentence saying what the action does. */
  summary: string;
  /** transfer: plain ETH transfer; known: decoded with the target's own ABI; selector: decoded by matching the selector of another known ABI; unknown: raw. */
  source: "transfer" | "known" | "selector" | "unknown";
  functionName: string | null;
  signature: string | null;
  args: DecodedArg[];
  /** The first four bytes of the calldata, when there is calldata. */
  selector: Hex | null;
}

// ----------------------------------------------------------------------------------------------

const selectorIndex = new Map<ContractKind, Map<string, AbiFunction>>();

function functionsBySelector(kind: ContractKind): Map<string, AbiFunction> {
  let index = selectorIndex.get(kind);
  if (!index) {
    index = new Map();
    for (const item of ABIS[kind]) {
      if (item.type === "function") index.set(toFunctionSelector(item), item);
    }
    selectorIndex.set(kind, index);
  }
  return index;
}

function decodeWith(kind: ContractKind, data: Hex): { item: AbiFunction; args: readonly unknown[] } | null {
  const item = functionsBySelector(kind).get(slice(data, 0, 4).toLowerCase());
  if (!item) return null;
  try {
    const decoded = decodeFunctionData({ abi: [item], data });
    return { item, args: decoded.args ?? [] };
  } catch {
    return null; // right selector, malformed arguments
  }
}

function displayValue(value: unknown, param: AbiParameter, ctx: DecodeContext): string {
  if (Array.isArray(value)) return `[${value.map((v) => displayValue(v, { ...param, type: param.type.replace(/\[\d*\]$/, "") }, ctx)).join(", ")}]`;
  if (typeof value === "string" && param.type === "address") return labelOf(value as Address, ctx) ?? shortAddress(value);
  if (typeof value === "string" && param.type === "bytes32") return roleName(value as Hex) ?? shortAddress(value);
  if (typeof value === "bigint") return value.toString();
  if (typeof value === "object" && value !== null) {
    return `{${Object.entries(value)
      .map(([k, v]) => `${k}: ${typeof v === "bigint" ? v.toString() : String(v)}`)
      .join(", ")}}`;
  }
  return String(value);
}

function rawValue(value: unknown): string {
  if (typeof value === "bigint") return value.toString();
  if (Array.isArray(value)) return `[${value.map(rawValue).join(",")}]`;
  if (typeof value === "object" && value !== null) {
    return JSON.stringify(value, (_k, v: unknown) => (typeof v === "bigint" ? v.toString() : v));
  }
  return String(value);
}

function known(address: Address, ctx: DecodeContext): KnownContract | undefined {
  const a = address.toLowerCase();
  return ctx.contracts.find((c) => c.address.toLowerCase() === a);
}

function labelOf(address: Address, ctx: DecodeContext): string | null {
  const c = known(address, ctx);
  return c ? `${c.label} ${shortAddress(address)}` : null;
}

/** "0x1234…abcd", or "the reward vault 0x1234…abcd" when it is a known contract. */
function who(address: Address, ctx: DecodeContext): string {
  if (address.toLowerCase() === zeroAddress) return "nobody (the zero address)";
  const c = known(address, ctx);
  return c ? `the ${c.label} ${shortAddress(address)}` : shortAddress(address);
}

const eth = (wei: bigint) => formatAmount(wei, 18, "ETH", 6);

function tokenOf(address: Address, ctx: DecodeContext): TokenMeta | null {
  if (address.toLowerCase() === ctx.token.address.toLowerCase()) return ctx.token;
  return ctx.tokens?.[address.toLowerCase()] ?? null;
}

/** The sentence for a decoded call, or null to fall back to the generic "Call label.fn(args)". */
function sentence(kind: ContractKind, target: Address, fn: string, args: readonly unknown[], ctx: DecodeContext): string | null {
  const a = args as readonly [unknown, unknown, unknown];
  const communityAmount = (x: unknown) => formatAmount(x as bigint, ctx.token.decimals, ctx.token.symbol);
  switch (`${kind}.${fn}`) {
    case "token.transfer": {
      const meta = tokenOf(target, ctx);
      const amount = meta ? formatAmount(a[1] as bigint, meta.decimals, meta.symbol) : `${(a[1] as bigint).toString()} units of ${shortAddress(target)}`;
      return `Transfer ${amount} from the treasury to ${who(a[0] as Address, ctx)}`;
    }
    case "token.approve": {
      const meta = tokenOf(target, ctx);
      const amount = meta ? formatAmount(a[1] as bigint, meta.decimals, meta.symbol) : (a[1] as bigint).toString();
      return `Allow ${who(a[0] as Address, ctx)} to spend ${amount} of the treasury`;
    }
    case "token.grantRole":
    case "token.revokeRole":
    case "timelock.grantRole":
    case "timelock.revokeRole": {
      const role = roleName(a[0] as Hex) ?? shortAddress(a[0] as string);
      const on = kind === "token" ? (tokenOf(target, ctx)?.symbol ?? shortAddress(target)) : "the timelock";
      const verb = fn === "grantRole" ? "Grant" : "Revoke";
      return `${verb} ${role} on ${on} ${fn === "grantRole" ? "to" : "from"} ${who(a[1] as Address, ctx)}`;
    }
    case "rewardVault.setEpochBudget":
      return `Set the reward budget to ${communityAmount(a[0])} per epoch`;
    case "rewardVault.setReferralBps":
      return `Set the referral bonus to ${formatBps(a[0] as bigint)}`;
    case "rewardVault.setAttester":
      return `Make ${who(a[0] as Address, ctx)} the rewards attester`;
    case "rewardVault.setOperator":
      return `Make ${who(a[0] as Address, ctx)} the rewards operator`;
    case "rewardVault.pause":
      return "Pause rewards";
    case "rewardVault.unpause":
      return "Resume rewards";
    case "factory.setVerified": {
      const id = a[0] as bigint;
      const name = ctx.communityName?.(id);
      const community = name ? `${name} (community #${id})` : `community #${id}`;
      return a[1] ? `Verify ${community}` : `Remove the verified badge of ${community}`;
    }
    case "factory.setCreationFee":
      return `Set the community creation fee to ${eth(a[0] as bigint)}`;
    case "factory.setFeeRecipient":
      return `Send platform fees to ${who(a[0] as Address, ctx)}`;
    case "factory.pause":
      return "Pause the creation of communities";
    case "factory.unpause":
      return "Resume the creation of communities";
    case "crowdfundFactory.setFeeBps":
      return `Set the crowdfund platform fee to ${formatBps(a[0] as bigint)}`;
    case "governor.setVotingDelay":
      return `Set the voting delay to ${formatDuration(a[0] as bigint)}`;
    case "governor.setVotingPeriod":
      return `Set the voting period to ${formatDuration(a[0] as bigint)}`;
    case "governor.setProposalThreshold":
      return `Set the proposal threshold to ${communityAmount(a[0])}`;
    case "governor.updateQuorumNumerator":
      return `Set the quorum to ${formatBps(a[0] as bigint)} of the supply`;
    case "governor.setLateQuorumVoteExtension":
      return `Set the late-quorum extension to ${formatDuration(a[0] as bigint)}`;
    case "governor.setProposalGuardian":
      return (a[0] as string).toLowerCase() === zeroAddress
        ? "Remove the proposal guardian"
        : `Make ${who(a[0] as Address, ctx)} the proposal guardian`;
    case "timelock.updateDelay":
      return `Set the timelock delay to ${formatDuration(a[0] as bigint)}`;
    default:
      return null;
  }
}

/** Decodes one action of a proposal. */
export function decodeAction(index: number, target: Address, value: bigint, data: Hex, ctx: DecodeContext): DecodedAction {
  const contract = known(target, ctx);
  const base = { index, target, targetLabel: contract?.label ?? null, value, data };
  const plus = value > 0n ? ` and send ${eth(value)}` : "";

  if (data === "0x" || size(data) === 0) {
    return {
      ...base,
      summary: value > 0n ? `Transfer ${eth(value)} to ${who(target, ctx)}` : `Call ${who(target, ctx)} with no data and no ETH (does nothing)`,
      source: "transfer",
      functionName: null,
      signature: null,
      args: [],
      selector: null,
    };
  }
  const selector = size(data) >= 4 ? slice(data, 0, 4) : null;
  if (selector) {
    const kinds: ContractKind[] = contract ? [contract.kind] : [];
    // An unknown target (a crowdfund of another page, a contract of another community): match by selector.
    const fallbacks = (Object.keys(ABIS) as ContractKind[]).filter((k) => !kinds.includes(k));
    for (const kind of [...kinds, ...fallbacks]) {
      const decoded = decodeWith(kind, data);
      if (!decoded) continue;
      const { item, args } = decoded;
      const fromOwnAbi = contract?.kind === kind;
      const decodedArgs = item.inputs.map((param, i) => ({
        name: param.name || `arg${i}`,
        type: param.type,
        display: displayValue(args[i], param, ctx),
        raw: rawValue(args[i]),
      }));
      const generic = `Call ${item.name}(${decodedArgs.map((x) => x.display).join(", ")}) on ${who(target, ctx)}`;
      const said = fromOwnAbi ? sentence(kind, target, item.name, args, ctx) : null;
      return {
        ...base,
        summary: `${said ?? generic}${plus}`,
        source: fromOwnAbi ? "known" : "selector",
        functionName: item.name,
        signature: formatAbiItem(item, { includeName: true }),
        args: decodedArgs,
        selector,
      };
    }
  }
  return {
    ...base,
    summary: `Call ${who(target, ctx)} with unknown data${selector ? ` (selector ${selector})` : ""}${plus}`,
    source: "unknown",
    functionName: null,
    signature: null,
    args: [],
    selector,
  };
}

/** Decodes every action of a proposal, in order. */
export function decodeActions(
  targets: readonly Address[],
  values: readonly bigint[],
  calldatas: readonly Hex[],
  ctx: DecodeContext,
): DecodedAction[] {
  return targets.map((target, i) => decodeAction(i, target, values[i] ?? 0n, calldatas[i] ?? "0x", ctx));
}

/** The contracts a community's proposals usually call, with the names the app gives them. */
export function knownContracts(
  community: {
    symbol: string;
    token: Address;
    governor: Address;
    timelock: Address;
    rewardVault: Address | null;
    revenueShare: Address | null;
  },
  platform: {
    factory: Address;
    platformToken: Address;
    platformGovernor: Address;
    platformTimelock: Address;
    crowdfundFactory: Address;
    revenueShareFactory: Address;
  },
  extra: KnownContract[] = [],
): KnownContract[] {
  const list: KnownContract[] = [
    { address: community.token, kind: "token", label: `${community.symbol} token` },
    { address: community.governor, kind: "governor", label: "governor" },
    { address: community.timelock, kind: "timelock", label: "treasury (timelock)" },
    { address: platform.factory, kind: "factory", label: "Coterie factory" },
    { address: platform.crowdfundFactory, kind: "crowdfundFactory", label: "crowdfund factory" },
    { address: platform.revenueShareFactory, kind: "revenueShareFactory", label: "revenue share factory" },
  ];
  if (community.rewardVault) list.push({ address: community.rewardVault, kind: "rewardVault", label: "reward vault" });
  if (community.revenueShare) list.push({ address: community.revenueShare, kind: "revenueShare", label: "revenue share" });
  const seen = new Set(list.map((c) => c.address.toLowerCase()));
  const platformOnes: KnownContract[] = [
    { address: platform.platformToken, kind: "token", label: "platform token" },
    { address: platform.platformGovernor, kind: "governor", label: "platform governor" },
    { address: platform.platformTimelock, kind: "timelock", label: "platform treasury (timelock)" },
  ];
  for (const c of [...platformOnes, ...extra]) {
    if (!seen.has(c.address.toLowerCase())) {
      list.push(c);
      seen.add(c.address.toLowerCase());
    }
  }
  return list;
}
