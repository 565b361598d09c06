/**
 * Transactions for the creator CLIs: decoding reverts, simulating a call before sending it, sending
 * and waiting, and simulating a transfer that needs an allowance before approving anything. A
 * revert becomes a {@link CliError} with code "revert" that names the decoded custom error.
 */
import {
  AbiCoder,
  concat,
  id,
  Interface,
  keccak256,
  toBeHex,
  zeroPadValue,
  type ContractTransactionReceipt,
  type ContractTransactionResponse,
  type Provider,
} from "ethers";
import { CliError } from "./errors.ts";

// ---------------------------------------------------------------------------------------------
// Decoding reverts
// ---------------------------------------------------------------------------------------------

/** The OpenZeppelin ERC-20 and SafeERC20 errors a token transfer can revert with. */
export const ERC20_ERRORS = new Interface([
  "error ERC20InsufficientBalance(address sender, uint256 balance, uint256 needed)",
  "error ERC20InsufficientAllowance(address spender, uint256 allowance, uint256 needed)",
  "error ERC20InvalidSender(address sender)",
  "error ERC20InvalidReceiver(address receiver)",
  "error ERC20InvalidApprover(address approver)",
  "error ERC20InvalidSpender(address spender)",
  "error SafeERC20FailedOperation(address token)",
]);

/** Finds revert data (0x + selector ...) anywhere in an error thrown by ethers or Hardhat. */
export function revertData(error: unknown): string | null {
  const seen = new Set<unknown>();
  const walk = (value: unknown, depth: number): string | null => {
    if (value === null || value === undefined || depth > 6 || seen.has(value)) return null;
    if (typeof value === "string") return /^0x[0-9a-fA-F]{8}([0-9a-fA-F]{2})*$/.test(value) ? value : null;
    if (typeof value !== "object") return null;
    seen.add(value);
    const record = value as Record<string, unknown>;
    for (const key of ["data", "revertData", "error", "info", "cause", "errorData"]) {
      const found = walk(record[key], depth + 1);
      if (found !== null) return found;
    }
    return null;
  };
  return walk(error, 0);
}

function formatArg(value: unknown): string {
  if (typeof value === "bigint") return value.toString();
  if (typeof value === "string" && !/^0x[0-9a-fA-F]*$/.test(value)) return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(formatArg).join(", ")}]`;
  return String(value);
}

/**
 * Names a revert: `RewardVaultVoucherAlreadyRedeemed(id=7)` when one of `interfaces` declares the
 * error, `Error("...")` / `Panic(0x11)` for the built-in ones, or null when there is no revert data.
 */
export function decodeRevert(error: unknown, interfaces: Interface[]): string | null {
  const data = revertData(error);
  if (data === null) return null;
  for (const iface of interfaces) {
    try {
      const parsed = iface.parseError(data);
      if (parsed !== null) {
        const args = parsed.fragment.inputs.map((input, i) => (input.name ? `${input.name}=` : "") + formatArg(parsed.args[i]));
        return `${parsed.name}(${args.join(", ")})`;
      }
    } catch {
      // not this interface's error
    }
  }
  const builtin = AbiCoder.getBuiltinCallException("call", {}, data);
  if (builtin.revert !== null) return `${builtin.revert.name}(${builtin.revert.args.map(formatArg).join(", ")})`;
  return `unknown error ${data.slice(0, 10)}`;
}

/** How reverts are decoded and explained: the interfaces that know the errors, and a hint per error. */
export interface RevertExplainer {
  interfaces: Interface[];
  /** What a decoded error means, added after it where that helps a person ("" when nothing). */
  hint?(decoded: string): string;
}

/** The CliError for a decoded revert of `what`: "<what> would revert: <decoded><hint>" (or "reverted" when sent). */
function revertError(what: string, verb: string, decoded: string, explain: RevertExplainer): CliError {
  return new CliError(`${what} ${verb}: ${decoded}${explain.hint?.(decoded) ?? ""}`, "revert", { revert: decoded });
}

/** Runs a staticCall; a revert becomes a CliError (code "revert") naming the decoded custom error. */
export async function simulate<T>(what: string, call: () => Promise<T>, explain: RevertExplainer): Promise<T> {
  try {
    return await call();
  } catch (error) {
    const decoded = decodeRevert(error, explain.interfaces);
    if (decoded !== null) throw revertError(what, "would revert", decoded, explain);
    throw error;
  }
}

/** Sends a transaction and waits for its receipt; a revert becomes a readable error. */
export async function send(
  what: string,
  tx: () => Promise<ContractTransactionResponse>,
  explain: RevertExplainer,
): Promise<ContractTransactionReceipt> {
  let response: ContractTransactionResponse;
  try {
    response = await tx();
  } catch (error) {
    const decoded = decodeRevert(error, explain.interfaces);
    if (decoded !== null) throw revertError(what, "reverted", decoded, explain);
    throw error;
  }
  const receipt = await response.wait();
  if (receipt === null) throw new CliError(`${what}: transaction ${response.hash} was not mined`);
  return receipt;
}

// ---------------------------------------------------------------------------------------------
// Simulating a transfer that needs an allowance, before approving anything
// ---------------------------------------------------------------------------------------------

/** A provider that also takes raw JSON-RPC calls (Hardhat's and ethers' JsonRpcProvider do). */
export type RpcProvider = Provider & { send?: (method: string, params: unknown[]) => Promise<unknown> };

const ERC20_ALLOWANCE = new Interface([
  "function allowance(address,address) view returns (uint256)",
  "function approve(address,uint256) returns (bool)",
]);

/** OpenZeppelin's ERC-7201 storage of ERC20Upgradeable; `_allowances` is its second slot. */
const OZ_ERC20_STORAGE = BigInt("0x52c63247e1f47db19d5ce0460030c497f067ca4cebf71ba98eeadabe20bace00");
/** Solidity mapping slots probed for `allowance[owner][spender]`: 0-15, then OpenZeppelin's namespaced one. */
const ALLOWANCE_BASES = [...Array.from({ length: 16 }, (_, i) => BigInt(i)), OZ_ERC20_STORAGE + 1n];
const PROBE = BigInt(id("coterie allowance probe"));

/** The storage slot of `mapping(address => mapping(address => uint256))` at `base`, for [owner][spender]. */
export function allowanceSlot(base: bigint, owner: string, spender: string): string {
  const inner = keccak256(AbiCoder.defaultAbiCoder().encode(["address", "uint256"], [owner, base]));
  return keccak256(concat([zeroPadValue(spender, 32), inner]));
}

/**
 * Finds where `token` stores `allowance(owner, spender)`: for each candidate slot, an eth_call of
 * `allowance` with that slot overridden to a marker value; the slot that makes the token answer the
 * marker is it. Null when the provider takes no raw calls, the node has no state overrides, or the
 * token keeps its allowances elsewhere.
 */
export async function findAllowanceSlot(provider: RpcProvider, token: string, owner: string, spender: string): Promise<string | null> {
  if (typeof provider.send !== "function") return null;
  const send = provider.send.bind(provider);
  const data = ERC20_ALLOWANCE.encodeFunctionData("allowance", [owner, spender]);
  const found = await Promise.all(
    ALLOWANCE_BASES.map(async (base) => {
      const slot = allowanceSlot(base, owner, spender);
      try {
        const out = await send("eth_call", [{ to: token, data }, "latest", { [token]: { stateDiff: { [slot]: toBeHex(PROBE, 32) } } }]);
        return BigInt(out as string) === PROBE ? slot : null;
      } catch {
        return null;
      }
    }),
  );
  return found.find((slot) => slot !== null) ?? null;
}

/**
 * Runs `tx` as an eth_call as if `owner` had already approved `spender` for `amount` of `token`,
 * so a transfer the target would refuse (a fee-on-transfer token, a blocklist, the target's own
 * checks after the transfer) shows up before any approval is sent. The approval itself is simulated
 * first. Throws the node's error (for the caller to decode), or a CliError when the allowance
 * cannot be simulated: then nothing is sent and the message says how to approve by hand.
 */
export async function callWithAllowance(
  provider: RpcProvider,
  tx: { from: string; to: string; data: string },
  allowance: { token: string; spender: string; amount: bigint; symbol: string },
  blockTag: "latest" | "pending" = "latest",
): Promise<void> {
  const approveData = ERC20_ALLOWANCE.encodeFunctionData("approve", [allowance.spender, allowance.amount]);
  await provider.call({ from: tx.from, to: allowance.token, data: approveData, blockTag });
  const slot = await findAllowanceSlot(provider, allowance.token, tx.from, allowance.spender);
  if (slot === null) {
    throw new CliError(
      `cannot simulate the transfer without an allowance (${allowance.token} keeps its allowances where this tool cannot find them, ` +
        `or the node has no eth_call state overrides), so nothing was sent: approve ${allowance.spender} for ${allowance.amount} ` +
        `of ${allowance.symbol}'s smallest units from ${tx.from} yourself, then run this command again`,
    );
  }
  await provider.send!("eth_call", [{ from: tx.from, to: tx.to, data: tx.data }, blockTag, { [allowance.token]: { stateDiff: { [slot]: toBeHex(allowance.amount, 32) } } }]);
}
