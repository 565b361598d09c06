/**
 * Turns anything a wallet, an RPC node or a contract throws into one sentence a fan can act on:
 * a decoded custom error, a rejected signature, the wrong network, too little ETH for gas.
 */
import {
  BaseError,
  ChainMismatchError,
  ContractFunctionRevertedError,
  InsufficientFundsError,
  UserRejectedRequestError,
  decodeErrorResult,
  type Hex,
} from "viem";
import { allErrorsAbi } from "../generated/abis.ts";

/** Plain-language text for the errors a fan or creator meets most. Others are spelled out from their name. */
const FRIENDLY: Record<string, string> = {
  RewardVaultVoucherExpired: "This claim link has expired.",
  RewardVaultVoucherAlreadyRedeemed: "This claim link has already been redeemed.",
  RewardVaultBadSignature: "This claim link's signature is not valid for this community (was it changed or signed by someone else?).",
  RewardVaultInvalidVoucher: "This claim link is not valid.",
  RewardVaultOverBudget: "The community's reward budget for this period is used up. Try again in the next period.",
  RewardVaultCapReached: "The token's supply cap has been reached.",
  RewardVaultPaused: "Rewards are paused by the community.",
  RewardVaultNothingToClaim: "There is nothing to claim yet.",
  RewardVaultNotOperator: "Only the community's operator (its creator) can do this.",
  CampaignAlreadyClaimed: "This campaign reward has already been claimed.",
  CampaignInvalidProof: "Your proof does not match this campaign (wrong proofs file or account).",
  CampaignEnded: "This campaign has ended.",
  CampaignUnknown: "There is no such campaign.",
  CrowdfundDeadlinePassed: "The crowdfund's deadline has passed.",
  CrowdfundCapExceeded: "This contribution would go over the crowdfund's cap.",
  CrowdfundWrongState: "The crowdfund is not in the right state for this.",
  CrowdfundNothingToClaim: "There is nothing to claim from this crowdfund.",
  CrowdfundZeroAmount: "The amount must be more than zero.",
  CrowdfundWrongValue: "The ETH sent does not match the amount.",
  RevenueShareNothingToClaim: "You have no revenue to claim.",
  RevenueShareNoHolders: "Nobody held tokens before this deposit, so there is no one to share it with.",
  SocialTokenRevenueNotStarted: "Revenue sharing has not been approved by the community DAO yet.",
  ERC20InsufficientBalance: "Your token balance is too low.",
  ERC20InsufficientAllowance: "The token allowance is too low; approve the amount first.",
  ERC20ExceededCap: "This would go over the token's supply cap.",
  GovernorAlreadyCastVote: "You have already voted on this proposal.",
  GovernorInsufficientProposerVotes: "You need more voting power to create a proposal (delegate to yourself first?).",
  GovernorUnexpectedProposalState: "The proposal is not in the right state for this.",
  GovernorNonexistentProposal: "There is no such proposal.",
  TimelockUnexpectedOperationState: "The timelock is not ready for this operation yet.",
  FactoryFeeUnderpaid: "The creation fee was not paid in full.",
  FactorySaltUsed: "You already launched a community with these settings; change the name or symbol.",
  EnforcedPause: "This is paused.",
  AccessControlUnauthorizedAccount: "Your account is not allowed to do this.",
};

/** "RewardVaultOverBudget" -> "reward vault over budget". */
function spellOut(name: string): string {
  return name.replace(/([a-z0-9])([A-Z])/g, "$1 $2").replace(/([A-Z])([A-Z][a-z])/g, "$1 $2").toLowerCase();
}

function formatArg(value: unknown): string {
  if (typeof value === "bigint") return value.toString();
  if (Array.isArray(value)) return `[${value.map(formatArg).join(", ")}]`;
  return String(value);
}

/** Describes a decoded custom error: the friendly text when there is one, else its spelled-out name and arguments. */
export function describeCustomError(name: string, args: readonly unknown[] = []): string {
  const friendly = FRIENDLY[name];
  if (friendly) return friendly;
  const spelled = spellOut(name);
  const sentence = spelled.charAt(0).toUpperCase() + spelled.slice(1);
  return args.length > 0 ? `${sentence} (${args.map(formatArg).join(", ")}).` : `${sentence}.`;
}

/** Decodes raw revert data against every Coterie error; null when it matches none. */
export function decodeRevertData(data: Hex): { name: string; args: readonly unknown[] } | null {
  try {
    const decoded = decodeErrorResult({ abi: allErrorsAbi, data });
    return { name: decoded.errorName, args: decoded.args ?? [] };
  } catch {
    return null;
  }
}

function findRevertData(error: unknown): Hex | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 8 && current; depth++) {
    const c = current as { data?: unknown; cause?: unknown };
    if (typeof c.data === "string" && /^0x[0-9a-fA-F]{8,}$/.test(c.data)) return c.data as Hex;
    if (c.data && typeof c.data === "object" && typeof (c.data as { data?: unknown }).data === "string") {
      return (c.data as { data: Hex }).data;
    }
    current = c.cause;
  }
  return undefined;
}

/** One readable sentence for any error thrown while reading, simulating, signing or sending. */
export function explainError(error: unknown): string {
  if (error instanceof BaseError) {
    if (error.walk((e) => e instanceof UserRejectedRequestError) || (error as { code?: number }).code === 4001) {
      return "You rejected the request in your wallet.";
    }
    if (error.walk((e) => e instanceof ChainMismatchError)) {
      return "Your wallet is on another network. Switch to the app's network and try again.";
    }
    if (error.walk((e) => e instanceof InsufficientFundsError)) {
      return "Not enough ETH in your account to pay for this transaction and its gas.";
    }
    const reverted = error.walk((e) => e instanceof ContractFunctionRevertedError);
    if (reverted instanceof ContractFunctionRevertedError) {
      if (reverted.data?.errorName && reverted.data.errorName !== "Error" && reverted.data.errorName !== "Panic") {
        return describeCustomError(reverted.data.errorName, reverted.data.args ?? []);
      }
      if (reverted.reason) return `The transaction would fail: ${reverted.reason}.`;
      const raw = reverted.raw ?? findRevertData(error);
      if (raw) {
        const decoded = decodeRevertData(raw);
        if (decoded) return describeCustomError(decoded.name, decoded.args);
        return `The transaction would fail with an unknown error (${raw.slice(0, 10)}).`;
      }
      return "The transaction would fail.";
    }
    const raw = findRevertData(error);
    if (raw) {
      const decoded = decodeRevertData(raw);
      if (decoded) return describeCustomError(decoded.name, decoded.args);
    }
    if (/insufficient funds/i.test(error.message)) {
      return "Not enough ETH in your account to pay for this transaction and its gas.";
    }
    if (/user (rejected|denied)/i.test(error.message)) return "You rejected the request in your wallet.";
    if (/fetch|network|HTTP request failed/i.test(error.message)) {
      return "Cannot reach the network's RPC node. Is the chain running?";
    }
    return error.shortMessage || error.message;
  }
  const code = (error as { code?: number } | null)?.code;
  if (code === 4001) return "You rejected the request in your wallet.";
  if (error instanceof Error) return error.message;
  return String(error);
}
