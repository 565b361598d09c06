/**
 * Everything the claim page needs to judge a claim link, read from the link's own chain: the vault
 * (its token, attester, whether the id was redeemed, pause, its budget, referral rate and the
 * recipient's recorded referrer), the community behind it (the factory's
 * registry entry must name this vault), the token's facts, the recipient's balance and whether the
 * attester is a contract wallet: the query over `fetchClaimLink` (reads/rewards.ts), two multicalls
 * plus one `eth_getCode`; the signature is checked off-chain.
 */
import { useQuery } from "@tanstack/react-query";
import { useBlock, usePublicClient } from "wagmi";
import type { ClaimPayload } from "../../../shared/rewards.ts";
import { useRuntime } from "../config/context.tsx";
import { fetchClaimLink, type ClaimReads } from "../reads/rewards.ts";

export type { ClaimCommunity, ClaimReads } from "../reads/rewards.ts";

export function useClaimLink(payload: ClaimPayload | null) {
  const runtime = useRuntime();
  const chainId = payload ? Number(payload.chainId) : runtime.defaultChainId;
  const chain = runtime.chains.find((c) => c.id === chainId) ?? null;
  const client = usePublicClient({ chainId });
  const enabled = payload !== null && chain !== null && client !== undefined;
  const block = useBlock({ chainId, query: { enabled, refetchInterval: 10_000 } });

  const reads = useQuery({
    queryKey: ["claim-link", chainId, payload?.vault ?? null, payload?.voucher.id.toString() ?? null, payload?.voucher.recipient ?? null, payload?.signature ?? null],
    enabled,
    retry: false,
    queryFn: async (): Promise<ClaimReads> => {
      if (!payload || !chain || !client) throw new Error("no chain for this link");
      return fetchClaimLink(client, chain.contracts.factory, payload);
    },
  });
  return { reads, chain, now: block.data?.timestamp };
}
