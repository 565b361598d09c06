/**
 * The launch page's chain layer: the factory's facts (creation fee, paused, whether new communities
 * get a reward vault) in one multicall, the addresses a launch will get (`predictAddresses`, and
 * whether they are taken already), and the `createCommunity` write through the app's transaction flow.
 */
import { useCallback } from "react";
import { useQuery } from "@tanstack/react-query";
import { usePublicClient } from "wagmi";
import { zeroAddress, type Address, type Hex } from "viem";
import { useActiveChain } from "../config/context.tsx";
import { communityFactoryAbi } from "../generated/abis.ts";
import { findCommunityCreated, type CreatedCommunity, type LaunchParams } from "../lib/launch.ts";
import { useTransaction, type Transaction } from "./useTransaction.ts";

export interface FactoryFacts {
  /** Wei to send with `createCommunity`. */
  fee: bigint;
  /** The platform DAO paused creation. */
  paused: boolean;
  /** New communities get a reward vault (the platform registered a vault implementation). */
  vaultAvailable: boolean;
}

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
      const read = { address: factory, abi: communityFactoryAbi } as const;
      const [fee, paused, [, implementations]] = await client.multicall({
        deployless: true,
        allowFailure: false,
        contracts: [
          { ...read, functionName: "creationFee" },
          { ...read, functionName: "paused" },
          { ...read, functionName: "currentImplementations" },
        ],
      });
      return { fee, paused, vaultAvailable: implementations.rewardVault !== zeroAddress };
    },
  });
}

export interface PredictedCommunity {
  token: Address;
  governor: Address;
  timelock: Address;
  rewardVault: Address | null;
  /** The token address already holds a contract: this creator launched with this salt before. */
  taken: boolean;
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
      const a = await client.readContract({ address: factory, abi: communityFactoryAbi, functionName: "predictAddresses", args: [creator, salt] });
      // Same test as the factory's FactorySaltUsed: code at the predicted token address.
      const code = await client.getCode({ address: a.token });
      return {
        token: a.token,
        governor: a.governor,
        timelock: a.timelock,
        rewardVault: a.rewardVault === zeroAddress ? null : a.rewardVault,
        taken: code !== undefined && code !== "0x",
      };
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
