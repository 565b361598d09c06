/**
 * The launch page's chain layer: queries over the factory's facts (creation fee, paused, whether new
 * communities get a reward vault; one multicall) and the addresses a launch will get
 * (`predictAddresses`, and whether they are taken already), both in reads/community.ts, and the
 * `createCommunity` write through the app's transaction flow.
 */
import { useCallback } from "react";
import { useQuery } from "@tanstack/react-query";
import { usePublicClient } from "wagmi";
import type { Address, Hex } from "viem";
import { useActiveChain } from "../config/context.tsx";
import { communityFactoryAbi } from "../generated/abis.ts";
import { findCommunityCreated, type CreatedCommunity, type LaunchParams } from "../lib/launch.ts";
import { fetchFactoryFacts, fetchPredictedCommunity, type FactoryFacts, type PredictedCommunity } from "../reads/community.ts";
import { useTransaction, type Transaction } from "./useTransaction.ts";

export type { FactoryFacts, PredictedCommunity } from "../reads/community.ts";

/** Creation fee, pause flag and vault availability of the active chain's factory (one eth_call). */
export function useReadFactoryFacts() {
  const { chain } = useActiveChain();
  const client = usePublicClient({ chainId: chain.id });
  const factory = chain.contracts.factory;
  return useQuery({
    queryKey: ["factoryFacts", chain.id, factory],
    enabled: client !== undefined,
    retry: false,
    queryFn: async (): Promise<FactoryFacts> => {
      if (!client) throw new Error("no client for the active chain");
      return fetchFactoryFacts(client, factory);
    },
  });
}

/** The addresses `creator` gets with `salt` (null salt: nothing to predict yet). */
export function usePredictCommunity(creator: Address | undefined, salt: Hex | null) {
  const { chain } = useActiveChain();
  const client = usePublicClient({ chainId: chain.id });
  const factory = chain.contracts.factory;
  return useQuery({
    queryKey: ["predictCommunity", chain.id, factory, creator ?? null, salt],
    enabled: client !== undefined && creator !== undefined && salt !== null,
    retry: false,
    queryFn: async (): Promise<PredictedCommunity> => {
      if (!client || !creator || !salt) throw new Error("nothing to predict");
      return fetchPredictedCommunity(client, factory, creator, salt);
    },
  });
}

/** Sends `createCommunity(params)` with the creation fee; resolves with the new community, or null (tx.state says why). */
export function useLaunchCommunity(): { tx: Transaction; launch: (params: LaunchParams, fee: bigint) => Promise<CreatedCommunity | null> } {
  const tx = useTransaction();
  const { send, fail } = tx;
  const { chain } = useActiveChain();
  const factory = chain.contracts.factory;
  const launch = useCallback(
    async (params: LaunchParams, fee: bigint) => {
      const receipt = await send({ address: factory, abi: communityFactoryAbi, functionName: "createCommunity", args: [params], value: fee });
      if (!receipt) return null;
      const created = findCommunityCreated(receipt.logs, factory);
      if (!created) fail("The transaction was mined but announced no new community; find it under Explore.");
      return created;
    },
    [send, fail, factory],
  );
  return { tx, launch };
}
