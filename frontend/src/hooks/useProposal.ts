/**
 * One proposal, as its page shows it: what it does and its description (from its ProposalCreated
 * log: the governor does not store proposals), its state, votes, times, quorum, the guardian, and the
 * connected account's vote and voting weight at the snapshot. One eth_getLogs and two multicalls
 * (quorum and weight need the snapshot); the votes with reasons come from the governor's logs
 * (useGovernorLogs), shared with the Vote tab.
 */
import { useQuery } from "@tanstack/react-query";
import { useConnection, usePublicClient } from "wagmi";
import type { Address, PublicClient } from "viem";
import { useActiveChain } from "../config/context.tsx";
import { fetchProposal } from "../reads/governance.ts";


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
    queryFn: () => fetchProposal(client as PublicClient, { governor, token, id: id ?? 0n, account: address ?? null, fromBlock: chain.startBlock }),
  });
}
