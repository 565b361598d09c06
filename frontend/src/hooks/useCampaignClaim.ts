/**
 * The on-chain side of a fan's campaign leaf: does the campaign exist with the proofs file's root,
 * when does it end, is it closed, and was this leaf claimed already. One multicall.
 */
import { useQuery } from "@tanstack/react-query";
import { usePublicClient } from "wagmi";
import type { Address, Hex } from "viem";
import { useActiveChain } from "../config/context.tsx";
import { rewardVaultAbi } from "../generated/abis.ts";
import type { CampaignLeaf } from "../lib/rewards.ts";

export interface CampaignLeafStatus {
  /** False when the vault has no campaign with this id. */
  exists: boolean;
  /** The campaign's root on chain (null when it does not exist). */
  root: Hex | null;
  end: bigint;
  closed: boolean;
  reserved: bigint;
  claimedTotal: bigint;
  /** Whether this leaf was claimed already. */
  claimed: boolean;
}

export function useCampaignClaim(vault: Address | null, leaf: CampaignLeaf | null) {
  const { chain } = useActiveChain();
  const client = usePublicClient({ chainId: chain.id });
  return useQuery({
    queryKey: ["campaign-leaf", chain.id, vault, leaf?.campaignId.toString() ?? null, leaf?.index.toString() ?? null],
    enabled: vault !== null && leaf !== null && client !== undefined,
    retry: false,
    queryFn: async (): Promise<CampaignLeafStatus> => {
      if (!client || !vault || !leaf) throw new Error("nothing to read");
      const v = { address: vault, abi: rewardVaultAbi } as const;
      const [campaign, claimed] = await client.multicall({
        deployless: true,
        allowFailure: true,
        contracts: [
          { ...v, functionName: "campaign", args: [leaf.campaignId] },
          { ...v, functionName: "isCampaignClaimed", args: [leaf.campaignId, leaf.index] },
        ],
      });
      if (campaign.status !== "success") {
        return { exists: false, root: null, end: 0n, closed: false, reserved: 0n, claimedTotal: 0n, claimed: false };
      }
      return {
        exists: true,
        root: campaign.result.root,
        end: BigInt(campaign.result.end),
        closed: campaign.result.closed,
        reserved: campaign.result.reserved,
        claimedTotal: campaign.result.claimed,
        claimed: claimed.status === "success" && claimed.result,
      };
    },
  });
}
