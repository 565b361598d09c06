/**
 * The reads behind every community page: the registry entry, the token's facts, the treasury and the
 * connected account's holding, in two multicalls and one ETH balance read (see docs/web-app.md for the
 * request budget).
 */
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { useBlock, useConnection, usePublicClient } from "wagmi";
import { getAddress, isAddress, zeroAddress, type Address } from "viem";
import { useActiveChain, useWalletSettled } from "../config/context.tsx";
import { communityFactoryAbi, revenueShareFactoryAbi, socialTokenAbi } from "../generated/abis.ts";

export interface CommunityInfo {
  id: bigint;
  creator: Address;
  token: Address;
  governor: Address;
  timelock: Address;
  rewardVault: Address | null;
  verified: boolean;
  createdAt: bigint;
  name: string;
  symbol: string;
  decimals: number;
  totalSupply: bigint;
  cap: bigint;
  /**
   * Where the community's RevenueShare is or will be: `revenueShareOf` returns the predicted address
   * before the share is created (the funding reads check `token()` there to tell). Null only when the
   * factory gives the zero address.
   */
  revenueShare: Address | null;
  /** The treasury (the community's Timelock): its ETH and its own tokens. */
  treasuryEth: bigint;
  treasuryTokens: bigint;
  /** True for the platform's own community (its DAO governs the factory). */
  isPlatform: boolean;
}

export interface HolderInfo {
  account: Address;
  balance: bigint;
  votes: bigint;
  /** The account's delegate (itself by default). */
  delegate: Address;
}

export interface CommunityData {
  community: CommunityInfo;
  holder: HolderInfo | null;
}

export function useCommunity(tokenParam: string) {
  const { chain } = useActiveChain();
  const client = usePublicClient({ chainId: chain.id });
  const { address: account } = useConnection();
  const settled = useWalletSettled();
  const valid = isAddress(tokenParam);
  const token = valid ? getAddress(tokenParam) : zeroAddress;

  return useQuery({
    queryKey: ["community", chain.id, token, account ?? null],
    enabled: valid && client !== undefined && settled,
    retry: false,
    // Connecting a wallet changes the key; keep showing the community meanwhile.
    placeholderData: keepPreviousData,
    queryFn: async (): Promise<CommunityData> => {
      if (!client) throw new Error("no client for the active chain");
      const tokenRead = { address: token, abi: socialTokenAbi } as const;
      const first = await client.multicall({
        deployless: true,
        allowFailure: false,
        contracts: [
          { address: chain.contracts.factory, abi: communityFactoryAbi, functionName: "communityByToken", args: [token] },
          { address: chain.contracts.factory, abi: communityFactoryAbi, functionName: "platformCommunityId" },
          { ...tokenRead, functionName: "name" },
          { ...tokenRead, functionName: "symbol" },
          { ...tokenRead, functionName: "decimals" },
          { ...tokenRead, functionName: "totalSupply" },
          { ...tokenRead, functionName: "cap" },
          { address: chain.contracts.revenueShareFactory, abi: revenueShareFactoryAbi, functionName: "revenueShareOf", args: [token] },
        ],
      });
      const [entry, platformId, name, symbol, decimals, totalSupply, cap, revenueShare] = first;
      const [treasury, treasuryEth] = await Promise.all([
        client.multicall({
          deployless: true,
          allowFailure: false,
          contracts: [
            { ...tokenRead, functionName: "balanceOf", args: [entry.timelock] },
            // Without a connected account these read the zero address and are ignored.
            { ...tokenRead, functionName: "balanceOf", args: [account ?? zeroAddress] },
            { ...tokenRead, functionName: "getVotes", args: [account ?? zeroAddress] },
            { ...tokenRead, functionName: "delegates", args: [account ?? zeroAddress] },
          ],
        }),
        // ETH is not a contract read: the treasury's balance is one eth_getBalance.
        client.getBalance({ address: entry.timelock }),
      ]);
      const [treasuryTokens, balance, votes, delegate] = treasury;
      return {
        community: {
          id: entry.id,
          creator: entry.creator,
          token,
          governor: entry.governor,
          timelock: entry.timelock,
          rewardVault: entry.rewardVault === zeroAddress ? null : entry.rewardVault,
          verified: entry.verified,
          createdAt: BigInt(entry.createdAt),
          name,
          symbol,
          decimals,
          totalSupply,
          cap,
          revenueShare: revenueShare === zeroAddress ? null : revenueShare,
          treasuryEth,
          treasuryTokens,
          isPlatform: entry.id === platformId,
        },
        holder: account ? { account, balance, votes, delegate } : null,
      };
    },
  });
}

/** Chain time (the latest block's timestamp, unix seconds): deadlines and countdowns follow the chain, not the browser clock. */
export function useChainNow(): bigint | undefined {
  const { chain } = useActiveChain();
  const block = useBlock({ chainId: chain.id, query: { refetchInterval: 5_000 } });
  return block.data?.timestamp;
}
