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

/**
 * The gas limit of each kind's transaction, which is also what its request reserves in the budgets
 * (settled to the gas used when mined): a generous ceiling over the measured cost (bench/gas.json)
 * rather than an estimate, so that acceptance costs one simulation (eth_call) instead of
 * eth_estimateGas's binary search, and a cost that differs between the latest block and the one
 * that mines the transaction (a vote checkpoint written in a new block) never runs out of gas. The
 * sponsor pays only the gas used; a generous limit costs only reservation headroom.
 *
 *   vote       castVoteWithReasonAndParamsBySig: castVoteBySig 112k measured (castVote 78k)  → 200k
 *   delegate   delegateBySig: delegate 117k measured, plus the signature check             → 200k
 *   redeem     redeem: 209k measured with a referral (178k to a new holder)                → 320k
 *   campaign   claimCampaign: 183k measured to a new holder                                → 280k
 *   referral   claimReferralRewardsFor: ~127k                                              → 200k
 *   crowdfund  claimTokens: 134k measured to a new holder (~160k)                          → 250k
 *   revenue    claim(asset, account, maxDeposits) grows with the deposits it covers: estimated
 *              (eth_estimateGas at the latest block) plus half, see `revenueLimit`.
 *
 * Each ceiling also gets CALLDATA_GAS_PER_BYTE per byte of call data: the variable parts (a vote's
 * reason and params, a campaign's proof, a signature) cost calldata (16 a byte), copying, hashing
 * and, for a reason, log data (8 a byte).
 */
export const GAS_CEILING: Record<Exclude<ActionKind, "revenue">, bigint> = {
  vote: 200_000n,
  delegate: 200_000n,
  redeem: 320_000n,
  campaign: 280_000n,
  referral: 200_000n,
  crowdfund: 250_000n,
};
export const CALLDATA_GAS_PER_BYTE = 40n;

/** The gas limit (and reservation) of a kind with a fixed ceiling, for its call data. */
export function gasLimitFor(kind: Exclude<ActionKind, "revenue">, data: Hex): bigint {
  return GAS_CEILING[kind] + CALLDATA_GAS_PER_BYTE * BigInt((data.length - 2) / 2);
}

/** A revenue claim's gas limit (and reservation): its estimate at the latest block plus half. */
export const revenueLimit = (estimate: bigint) => (estimate * 3n) / 2n;

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

/** Proposal snapshots read so far, by `governor:proposalId` (a proposal's snapshot never changes). */
const snapshots = new Map<string, bigint>();

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
      // One round of reads (one batch): the state, whether the account voted, and its votes at the
      // snapshot (a proposal's snapshot never changes, so it is read once per proposal).
      const known = snapshots.get(`${governor}:${action.proposalId}`);
      const snapshotRead = known !== undefined ? Promise.resolve(known) : c.readContract({ address: governor, abi: communityGovernorAbi, functionName: "proposalSnapshot", args: [action.proposalId] });
      const votesRead = (snapshot: bigint) => c.readContract({ address: governor, abi: communityGovernorAbi, functionName: "getVotes", args: [action.voter, snapshot] });
      const [stateRead, votedRead, snapshotOutcome, votesEarly] = await Promise.allSettled([
        c.readContract({ address: governor, abi: communityGovernorAbi, functionName: "state", args: [action.proposalId] }),
        c.readContract({ address: governor, abi: communityGovernorAbi, functionName: "hasVoted", args: [action.proposalId, action.voter] }),
        snapshotRead,
        known !== undefined ? votesRead(known) : Promise.resolve(null),
      ]);
      if (stateRead.status === "rejected") throw ineligible("There is no such proposal.", "GovernorNonexistentProposal");
      if (stateRead.value !== PROPOSAL_ACTIVE) throw ineligible("Voting on this proposal is not open.", "GovernorUnexpectedProposalState");
      if (votedRead.status === "rejected") throw votedRead.reason;
      if (snapshotOutcome.status === "rejected") throw snapshotOutcome.reason;
      const snapshot = snapshotOutcome.value;
      if (snapshot !== 0n) snapshots.set(`${governor}:${action.proposalId}`, snapshot);
      const voted = votedRead.value;
      const early = votesEarly.status === "fulfilled" ? votesEarly.value : null;
      const votes = voted ? 0n : (early ?? (await votesRead(snapshot)));
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
