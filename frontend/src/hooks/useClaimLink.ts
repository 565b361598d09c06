/**
 * Everything the claim page needs to judge a claim link, read from the link's own chain: the vault
 * (its token, attester, whether the id was redeemed, pause, its budget, referral rate and the
 * recipient's recorded referrer), the community behind it (the factory's
 * registry entry must name this vault), the token's facts, the recipient's balance and whether the
 * attester is a contract wallet. Two multicalls plus one `eth_getCode`; the signature is checked
 * off-chain.
 */
import { useQuery } from "@tanstack/react-query";
import { useBlock, usePublicClient } from "wagmi";
import { getAddress, zeroAddress, type Address } from "viem";
import type { ClaimPayload } from "../../../shared/rewards.ts";
import { useRuntime } from "../config/context.tsx";
import { communityFactoryAbi, rewardVaultAbi, socialTokenAbi } from "../generated/abis.ts";
import { checkSigner, recoverVoucherSigner, type ClaimBudget, type SignerCheck } from "../lib/rewards.ts";

export interface ClaimCommunity {
  token: Address;
  name: string;
  symbol: string;
  decimals: number;
  verified: boolean;
  creator: Address;
}

export interface ClaimReads {
  /** False when the link's vault is not a RewardVault. */
  isVault: boolean;
  /** The community the vault belongs to, or null when the registry does not know it (not Coterie). */
  community: ClaimCommunity | null;
  /** The vault's token even when it is not a Coterie community (null when not a vault). */
  token: Address | null;
  attester: Address | null;
  attesterIsContract: boolean;
  redeemed: boolean;
  paused: boolean;
  /** The recipient's token balance (null when the token is unknown). */
  recipientBalance: bigint | null;
  signer: SignerCheck;
  /** The vault's budget for this link (null when it could not be read). */
  budget: ClaimBudget | null;
}

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
      const vault = getAddress(payload.vault);
      const v = { address: vault, abi: rewardVaultAbi } as const;
      const [recovered, first] = await Promise.all([
        recoverVoucherSigner(payload).catch(() => null),
        client.multicall({
          deployless: true,
          allowFailure: true,
          contracts: [
            { ...v, functionName: "token" },
            { ...v, functionName: "attester" },
            { ...v, functionName: "isRedeemed", args: [payload.voucher.id] },
            { ...v, functionName: "paused" },
            { ...v, functionName: "epochBudget" },
            { ...v, functionName: "remainingBudget" },
            { ...v, functionName: "epochEndsAt" },
            { ...v, functionName: "referralBps" },
            { ...v, functionName: "referrerOf", args: [getAddress(payload.voucher.recipient)] },
          ],
        }),
      ]);
      const [token, attester, redeemed, paused, epochBudget, remainingBudget, epochEndsAt, referralBps, recordedReferrer] = first;
      if (token.status !== "success" || attester.status !== "success" || redeemed.status !== "success" || paused.status !== "success") {
        return {
          isVault: false,
          community: null,
          token: null,
          attester: null,
          attesterIsContract: false,
          redeemed: false,
          paused: false,
          recipientBalance: null,
          signer: { kind: "malformed" },
          budget: null,
        };
      }
      const t = { address: token.result, abi: socialTokenAbi } as const;
      const [second, attesterCode] = await Promise.all([
        client.multicall({
          deployless: true,
          allowFailure: true,
          contracts: [
            { address: chain.contracts.factory, abi: communityFactoryAbi, functionName: "communityByToken", args: [token.result] },
            { ...t, functionName: "name" },
            { ...t, functionName: "symbol" },
            { ...t, functionName: "decimals" },
            { ...t, functionName: "balanceOf", args: [getAddress(payload.voucher.recipient)] },
          ],
        }),
        client.getCode({ address: attester.result }),
      ]);
      const [entry, name, symbol, decimals, balance] = second;
      const isCoterie = entry.status === "success" && getAddress(entry.result.rewardVault) === vault;
      const attesterIsContract = attesterCode !== undefined && attesterCode !== "0x";
      return {
        isVault: true,
        token: token.result,
        community:
          isCoterie && name.status === "success" && symbol.status === "success" && decimals.status === "success"
            ? {
                token: token.result,
                name: name.result,
                symbol: symbol.result,
                decimals: decimals.result,
                verified: entry.result.verified,
                creator: entry.result.creator,
              }
            : null,
        attester: attester.result,
        attesterIsContract,
        redeemed: redeemed.result,
        paused: paused.result,
        recipientBalance: balance.status === "success" ? balance.result : null,
        signer: checkSigner(recovered, attester.result, attesterIsContract),
        budget:
          epochBudget.status === "success" &&
          remainingBudget.status === "success" &&
          epochEndsAt.status === "success" &&
          referralBps.status === "success" &&
          recordedReferrer.status === "success" &&
          decimals.status === "success" &&
          symbol.status === "success"
            ? {
                budget: epochBudget.result,
                remaining: remainingBudget.result,
                nextPeriodAt: epochEndsAt.result,
                referralBps: referralBps.result,
                // As the vault decides: a recorded referrer, else the voucher's own (never the fan itself).
                referred:
                  recordedReferrer.result !== zeroAddress ||
                  (getAddress(payload.voucher.referrer) !== zeroAddress && getAddress(payload.voucher.referrer) !== getAddress(payload.voucher.recipient)),
                decimals: decimals.result,
                symbol: symbol.result,
              }
            : null,
      };
    },
  });
  return { reads, chain, now: block.data?.timestamp };
}
