/**
 * The on-chain side of a fan's campaign leaf, the query over `fetchCampaignLeaf` (reads/rewards.ts):
 * does the campaign exist with the proofs file's root, when does it end, is it closed, and was this
 * leaf claimed already. One multicall.
 */
import { useQuery } from "@tanstack/react-query";
import { usePublicClient } from "wagmi";
import type { Address } from "viem";
import { useActiveChain } from "../config/context.tsx";
import type { CampaignLeaf } from "../lib/rewards.ts";
import { fetchCampaignLeaf, type CampaignLeafStatus } from "../reads/rewards.ts";

export type { CampaignLeafStatus } from "../reads/rewards.ts";

export function useCampaignClaim(vault: Address | null, leaf: CampaignLeaf | null) {
  const { chain } = useActiveChain();
  const client = usePublicClient({ chainId: chain.id });
  return useQuery({
    queryKey: ["campaign-leaf", chain.id, vault, leaf?.campaignId.toString() ?? null, leaf?.index.toString() ?? null],
    enabled: vault !== null && leaf !== null && client !== undefined,
    retry: false,
    queryFn: async (): Promise<CampaignLeafStatus> => {
      if (!client || !vault || !leaf) throw new Error("nothing to read");
      return fetchCampaignLeaf(client, vault, leaf);
    },
  });
}
