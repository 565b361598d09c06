/**
 * The relay's actions (docs/server.md, POST /v1/relay): one zod schema per kind, and for each the
 * call the sponsor submits, the account charged, the action key that makes it unique, and its
 * eligibility checks (before the simulation every action goes through).
 */
import {
  encodeFunctionData,
  getAddress,
  parseSignature,
  recoverTypedDataAddress,
  type Address,
  type Hex,
} from "viem";
import { z } from "zod";
import {
  communityGovernorAbi,
  crowdfundAbi,
  crowdfundFactoryAbi,
  revenueShareAbi,
  revenueShareFactoryAbi,
  rewardVaultAbi,
  socialTokenAbi,
} from "../../../indexer/generated/abis.ts";
import { HttpError, type Community, type ServerContext } from "../context.ts";

const address = z
  .string()
  .regex(/^0x[0-9a-fA-F]{40}$/, "an address (0x and 40 hex digits)")
  .transform((a) => getAddress(a));
const uint = z
  .string()
  .regex(/^\d{1,78}$/, "a decimal string")
  .transform((s) => BigInt(s))
  .refine((n) => n < 2n ** 256n, "at most 2^256 - 1");
const bytes = z.string().regex(/^0x([0-9a-fA-F]{2})*$/, "0x-hex bytes").transform((s) => s as Hex);
const signature = z
  .string()
  .regex(/^0x([0-9a-fA-F]{2}){65,}$/, "a signature (0x-hex, at least 65 bytes)")
  .max(4096)
  .transform((s) => s as Hex);
const bytes32 = z.string().regex(/^0x[0-9a-fA-F]{64}$/, "32 bytes of 0x-hex").transform((s) => s as Hex);

export const actionSchema = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("vote"), proposalId: uint, support: z.number().int().min(0).max(2), voter: address, reason: z.string().max(2000), params: bytes.default("0x"), signature }).strict(),
  z.object({ kind: z.literal("delegate"), delegatee: address, nonce: uint, expiry: uint, signature: z.string().regex(/^0x[0-9a-fA-F]{130}$/, "a 65-byte signature (0x and 130 hex digits)").transform((s) => s as Hex) }).strict(),
  z
    .object({
      kind: z.literal("redeem"),
      voucher: z.object({ recipient: address, amount: uint, referrer: address, id: uint, deadline: uint }).strict(),
      signature,
    })
    .strict(),
  z.object({ kind: z.literal("campaign"), campaignId: uint, index: uint, account: address, amount: uint, proof: z.array(bytes32).max(64) }).strict(),
  z.object({ kind: z.literal("referral"), referrer: address }).strict(),
  z.object({ kind: z.literal("revenue"), revenueShare: address, asset: address, account: address, maxDeposits: uint }).strict(),
  z.object({ kind: z.literal("crowdfund"), crowdfund: address, account: address }).strict(),
]);

export const relayBodySchema = z.object({ chainId: z.number().int().positive(), community: address, action: actionSchema }).strict();

export type Action = z.infer<typeof actionSchema>;
export type ActionKind = Action["kind"];

/** What the sponsor submits for an action, and who is charged. */
export interface Prepared {
  account: Address;
  /** Unique per action: a second request with the same key is a duplicate. */
  key: string;
  /** Whether a mined request with the key also makes a new one a duplicate (false for claims that may recur). */
  once: boolean;
  target: Address;
  data: Hex;
}

/** The chain's latest block time (cached a second): deadlines are in chain time. */
export function chainClock(ctx: ServerContext): () => Promise<bigint> {
  let cached: { at: number; time: bigint } | null = null;
  return async () => {
    if (cached && Date.now() - cached.at < 1000) return cached.time;
    const block = await ctx.chain.getBlock({ blockTag: "latest" });
    cached = { at: Date.now(), time: block.timestamp };
    return block.timestamp;
  };
}

const ineligible = (message: string, reason?: string) => new HttpError(422, "ineligible", message, reason ? { reason } : {});
const expired = (what: string) => new HttpError(400, "expired", `The ${what} has passed.`);

const PROPOSAL_ACTIVE = 1;

async function eip712Domain(ctx: ServerContext, address: Address, abi: typeof socialTokenAbi | typeof communityGovernorAbi) {
  const [, name, version, chainId, verifyingContract] = await ctx.chain.readContract({ address, abi, functionName: "eip712Domain" });
  return { name, version, chainId: Number(chainId), verifyingContract };
}

/** Builds the call, checks eligibility (not the simulation), and names the account and the key. */
export async function prepare(ctx: ServerContext, community: Community, action: Action, now: () => Promise<bigint>): Promise<Prepared> {
  const c = ctx.chain;
  switch (action.kind) {
    case "vote": {
      const governor = community.governor;
      let state: number;
      try {
        state = await c.readContract({ address: governor, abi: communityGovernorAbi, functionName: "state", args: [action.proposalId] });
      } catch {
        throw ineligible("There is no such proposal.", "GovernorNonexistentProposal");
      }
      if (state !== PROPOSAL_ACTIVE) throw ineligible("Voting on this proposal is not open.", "GovernorUnexpectedProposalState");
      const snapshot = await c.readContract({ address: governor, abi: communityGovernorAbi, functionName: "proposalSnapshot", args: [action.proposalId] });
      const [votes, voted] = await Promise.all([
        c.readContract({ address: governor, abi: communityGovernorAbi, functionName: "getVotes", args: [action.voter, snapshot] }),
        c.readContract({ address: governor, abi: communityGovernorAbi, functionName: "hasVoted", args: [action.proposalId, action.voter] }),
      ]);
      if (voted) throw ineligible("This account has already voted on this proposal.", "GovernorAlreadyCastVote");
      if (votes === 0n) throw ineligible("This account had no votes when the proposal's voting was set (its snapshot).");
      return {
        account: action.voter,
        key: `vote:${governor}:${action.proposalId}:${action.voter}`,
        once: true,
        target: governor,
        data: encodeFunctionData({
          abi: communityGovernorAbi,
          functionName: "castVoteWithReasonAndParamsBySig",
          args: [action.proposalId, action.support, action.voter, action.reason, action.params, action.signature],
        }),
      };
    }
    case "delegate": {
      if (action.expiry < (await now())) throw expired("delegation's expiry");
      let signer: Address;
      let sig: ReturnType<typeof parseSignature>;
      try {
        sig = parseSignature(action.signature);
        signer = await recoverTypedDataAddress({
          domain: await eip712Domain(ctx, community.token, socialTokenAbi),
          types: { Delegation: [{ name: "delegatee", type: "address" }, { name: "nonce", type: "uint256" }, { name: "expiry", type: "uint256" }] },
          primaryType: "Delegation",
          message: { delegatee: action.delegatee, nonce: action.nonce, expiry: action.expiry },
          signature: action.signature,
        });
      } catch {
        throw new HttpError(401, "bad_signature", "The delegation's signature is malformed.");
      }
      const balance = await c.readContract({ address: community.token, abi: socialTokenAbi, functionName: "balanceOf", args: [signer] });
      if (balance === 0n) throw ineligible("Only holders of the community's token can delegate for free.");
      const v = sig.v ?? BigInt(27 + (sig.yParity ?? 0));
      return {
        account: signer,
        key: `delegate:${community.token}:${signer}:${action.nonce}`,
        once: true,
        target: community.token,
        data: encodeFunctionData({ abi: socialTokenAbi, functionName: "delegateBySig", args: [action.delegatee, action.nonce, action.expiry, Number(v), sig.r, sig.s] }),
      };
    }
    case "redeem": {
      if (action.voucher.deadline < (await now())) throw expired("voucher's deadline");
      return {
        account: action.voucher.recipient,
        key: `redeem:${community.rewardVault}:${action.voucher.id}`,
        once: true,
        target: community.rewardVault,
        data: encodeFunctionData({ abi: rewardVaultAbi, functionName: "redeem", args: [action.voucher, action.signature] }),
      };
    }
    case "campaign":
      return {
        account: action.account,
        key: `campaign:${community.rewardVault}:${action.campaignId}:${action.index}`,
        once: true,
        target: community.rewardVault,
        data: encodeFunctionData({ abi: rewardVaultAbi, functionName: "claimCampaign", args: [action.campaignId, action.index, action.account, action.amount, action.proof] }),
      };
    case "referral":
      return {
        account: action.referrer,
        key: `referral:${community.rewardVault}:${action.referrer}`,
        once: false,
        target: community.rewardVault,
        data: encodeFunctionData({ abi: rewardVaultAbi, functionName: "claimReferralRewardsFor", args: [action.referrer] }),
      };
    case "revenue": {
      const share = await c.readContract({ address: ctx.config.platform.revenueShareFactory, abi: revenueShareFactoryAbi, functionName: "revenueShareOf", args: [community.token] });
      if (getAddress(share) !== action.revenueShare) throw new HttpError(400, "bad_request", "revenueShare: not this community's revenue share.", { field: "action.revenueShare" });
      return {
        account: action.account,
        key: `revenue:${action.revenueShare}:${action.asset}:${action.account}`,
        once: false,
        target: action.revenueShare,
        data: encodeFunctionData({ abi: revenueShareAbi, functionName: "claim", args: [action.asset, action.account, action.maxDeposits] }),
      };
    }
    case "crowdfund": {
      const [implementation, code] = await Promise.all([
        c.readContract({ address: ctx.config.platform.crowdfundFactory, abi: crowdfundFactoryAbi, functionName: "implementation" }),
        c.getCode({ address: action.crowdfund }),
      ]);
      const clone = `0x363d3d373d3d3d363d73${implementation.slice(2).toLowerCase()}5af43d82803e903d91602b57fd5bf3`;
      const genuine = code?.toLowerCase() === clone && getAddress(await c.readContract({ address: action.crowdfund, abi: crowdfundAbi, functionName: "token" })) === community.token;
      if (!genuine) throw new HttpError(400, "bad_request", "crowdfund: not a crowdfund of this community made by the platform's factory.", { field: "action.crowdfund" });
      return {
        account: action.account,
        key: `crowdfund:${action.crowdfund}:${action.account}`,
        once: true,
        target: action.crowdfund,
        data: encodeFunctionData({ abi: crowdfundAbi, functionName: "claimTokens", args: [action.account] }),
      };
    }
  }
}
