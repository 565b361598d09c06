/**
 * The governance queries (reads/governance.ts holds the reads): the governor's settings, its logs, a
 * page of proposals and the factory's registry, keyed by chain and address, so the Vote tab and a
 * proposal page share the logs.
 */
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { usePublicClient } from "wagmi";
import type { Address, PublicClient } from "viem";
import { useActiveChain } from "../config/context.tsx";
import { indexerFor } from "../reads/indexer.ts";
import { readProposalList } from "../reads/proposal-list.ts";
import { fetchGovernorLogs, fetchGovernorSettings, fetchProposalPage, fetchRegistry, type GovernorLogs } from "../reads/governance.ts";

export function useGovernorSettings(governor: Address, timelock: Address) {
  const { chain } = useActiveChain();
  const client = usePublicClient({ chainId: chain.id });
  return useQuery({
    queryKey: ["governor-settings", chain.id, governor],
    enabled: client !== undefined,
    retry: false,
    queryFn: () => fetchGovernorSettings(client as PublicClient, governor, timelock),
  });
}

export function useGovernorLogs(governor: Address) {
  const { chain } = useActiveChain();
  const client = usePublicClient({ chainId: chain.id });
  return useQuery({
    queryKey: ["governor-logs", chain.id, governor],
    enabled: client !== undefined,
    retry: false,
    queryFn: () => fetchGovernorLogs(client as PublicClient, governor, chain.startBlock),
  });
}

/**
 * The Vote tab's proposal ids and titles: the indexer's list when the chain names an indexer and it
 * answers, else the governor's logs (reads/proposal-list.ts).
 */
export function useProposalList(governor: Address, token: Address) {
  const { chain } = useActiveChain();
  const client = usePublicClient({ chainId: chain.id });
  return useQuery({
    queryKey: ["proposal-list", chain.id, governor, chain.indexerUrl],
    enabled: client !== undefined,
    retry: false,
    queryFn: () => readProposalList(client as PublicClient, { governor, token, fromBlock: chain.startBlock, indexer: indexerFor(chain) }),
  });
}

export function useProposalPage(options: {
  governor: Address;
  timelock: Address;
  token: Address;
  page: number;
  pageSize: number;
  logs: GovernorLogs | undefined;
  logsSettled: boolean;
}) {
  const { chain } = useActiveChain();
  const client = usePublicClient({ chainId: chain.id });
  const { governor, timelock, token, page, pageSize, logs, logsSettled } = options;
  return useQuery({
    queryKey: ["proposal-page", chain.id, governor, page, pageSize, logs?.created.size ?? -1],
    // Waits for the logs (they give the ids and snapshots up front), but works without them.
    enabled: client !== undefined && logsSettled,
    retry: false,
    // A refetch (chain time passed a milestone, a new proposal) keeps the list on screen meanwhile.
    placeholderData: keepPreviousData,
    queryFn: () => fetchProposalPage(client as PublicClient, { governor, timelock, token, page, pageSize, created: logs?.created }),
  });
}

export function useGovernorRegistry(enabled: boolean) {
  const { chain } = useActiveChain();
  const client = usePublicClient({ chainId: chain.id });
  return useQuery({
    queryKey: ["governance-registry", chain.id, chain.contracts.factory],
    enabled: enabled && client !== undefined,
    retry: false,
    queryFn: () => fetchRegistry(client as PublicClient, chain.contracts.factory),
  });
}
