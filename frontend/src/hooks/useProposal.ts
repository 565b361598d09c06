/**
 * One proposal, as its page shows it: what it does (from the governor's on-chain proposal storage),
 * its state, votes, times, quorum, the guardian, and the connected account's vote and voting weight
 * at the snapshot. Two multicalls (quorum and weight need the snapshot); the description and the
 * votes with reasons come from the governor's logs (useGovernorLogs), shared with the Vote tab.
 */
import { useQuery } from "@tanstack/react-query";
import { useConnection, usePublicClient } from "wagmi";
import { keccak256, toHex, zeroAddress, type Address, type Hex, type PublicClient } from "viem";
import { useActiveChain } from "../config/context.tsx";
import { communityGovernorAbi, socialTokenAbi } from "../generated/abis.ts";
import { quorumOf, tallyFrom, type VoteTally } from "../lib/governance.ts";
import type { ReadClient } from "./useGovernor.ts";
import { valueOf } from "../reads/multicall.ts";


export interface ProposalDetail {
  id: bigint;
  targets: readonly Address[];
  values: readonly bigint[];
  calldatas: readonly Hex[];
  descriptionHash: Hex;
  state: number;
  tally: VoteTally;
  snapshot: bigint;
  deadline: bigint;
  eta: bigint;
  proposer: Address;
  guardian: Address;
  needsQueuing: boolean;
  /** Chain time of the block read. */
  clock: bigint;
  quorum: bigint;
  quorumEstimated: boolean;
  /** The connected account: whether it voted, and its weight at the snapshot (null before the snapshot). */
  account: Address | null;
  hasVoted: boolean;
  weight: bigint | null;
}

/** Null when the governor has no proposal with this id. */
export async function fetchProposal(
  client: ReadClient,
  options: { governor: Address; token: Address; id: bigint; account: Address | null },
): Promise<ProposalDetail | null> {
  const { governor, token, id, account } = options;
  const g = { address: governor, abi: communityGovernorAbi } as const;
  const first = await client.multicall({
    deployless: true,
    allowFailure: true,
    contracts: [
      { ...g, functionName: "proposalDetails", args: [id] },
      { ...g, functionName: "state", args: [id] },
      { ...g, functionName: "proposalVotes", args: [id] },
      { ...g, functionName: "proposalSnapshot", args: [id] },
      { ...g, functionName: "proposalDeadline", args: [id] },
      { ...g, functionName: "proposalEta", args: [id] },
      { ...g, functionName: "proposalProposer", args: [id] },
      { ...g, functionName: "proposalGuardian" },
      { ...g, functionName: "proposalNeedsQueuing", args: [id] },
      { ...g, functionName: "clock" },
      { ...g, functionName: "quorumNumerator" },
      { ...g, functionName: "hasVoted", args: [id, account ?? zeroAddress] },
      { address: token, abi: socialTokenAbi, functionName: "totalSupply" },
    ],
  });
  const details = valueOf(first[0]);
  if (!details) {
    // A missing proposal reverts (GovernorNonexistentProposal); anything else failing is an error to show.
    if (first[1]?.status === "failure") return null;
    throw new Error("Could not read this proposal from the governor.");
  }
  const snapshot = valueOf(first[3]) ?? 0n;
  const clock = BigInt(valueOf(first[9]) ?? 0);
  const quorumBps = valueOf(first[10]) ?? 0n;
  const supply = valueOf(first[12]) ?? 0n;

  let quorum: bigint | undefined;
  let weight: bigint | null = null;
  if (snapshot < clock) {
    const second = await client.multicall({
      deployless: true,
      allowFailure: true,
      contracts: [
        { ...g, functionName: "quorum", args: [snapshot] },
        { ...g, functionName: "getVotes", args: [account ?? zeroAddress, snapshot] },
      ],
    });
    quorum = valueOf(second[0]);
    if (account) weight = valueOf(second[1]) ?? null;
  }
  return {
    id,
    targets: details[0],
    values: details[1],
    calldatas: details[2],
    descriptionHash: details[3],
    state: valueOf(first[1]) ?? -1,
    tally: tallyFrom(valueOf(first[2]) ?? [0n, 0n, 0n]),
    snapshot,
    deadline: valueOf(first[4]) ?? 0n,
    eta: valueOf(first[5]) ?? 0n,
    proposer: valueOf(first[6]) ?? zeroAddress,
    guardian: valueOf(first[7]) ?? zeroAddress,
    needsQueuing: valueOf(first[8]) ?? true,
    clock,
    quorum: quorum ?? quorumOf(supply, quorumBps),
    quorumEstimated: quorum === undefined,
    account,
    hasVoted: account ? (valueOf(first[11]) ?? false) : false,
    weight,
  };
}

export function useProposal(governor: Address, token: Address, id: bigint | null) {
  const { chain } = useActiveChain();
  const client = usePublicClient({ chainId: chain.id });
  const { address } = useConnection();
  return useQuery({
    queryKey: ["proposal", chain.id, governor, id?.toString() ?? "", address ?? null],
    enabled: client !== undefined && id !== null,
    retry: false,
    // Switching accounts re-reads the vote and weight; the proposal stays on screen meanwhile.
    placeholderData: (previous) => (previous?.id === id ? previous : undefined),
    queryFn: () => fetchProposal(client as PublicClient, { governor, token, id: id ?? 0n, account: address ?? null }),
  });
}

/** Whether a description read from the logs is the one the governor stored (its keccak256). */
export function descriptionMatches(description: string, descriptionHash: Hex): boolean {
  return keccak256(toHex(description)).toLowerCase() === descriptionHash.toLowerCase();
}
