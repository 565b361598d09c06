/**
 * The pieces every "… for free" button uses: the server's view of a community (read only when the
 * chain names a server, so pages on a chain without one make no extra request), and the EIP-712
 * signatures a fan gives the relay for a vote or a delegation (lib/sponsored.ts builds them).
 */
import { useQuery } from "@tanstack/react-query";
import { useMemo } from "react";
import type { Config } from "wagmi";
import { getBlock, readContract, signTypedData } from "wagmi/actions";
import { getAddress, type Address } from "viem";
import { useActiveChain } from "../config/context.tsx";
import { communityGovernorAbi, socialTokenAbi } from "../generated/abis.ts";
import { serverFor, type RelayAction, type ServerClient, type ServerCommunity } from "../lib/server.ts";
import { ballotTypedData, delegationTypedData, DELEGATION_TTL_SECONDS, domainFromEip712 } from "../lib/sponsored.ts";

/** The active chain's server client, or null when it names none. */
export function useServer(): ServerClient | null {
  const { chain } = useActiveChain();
  return useMemo(() => serverFor(chain), [chain]);
}

/**
 * GET /v1/communities/:token, or nothing at all when the chain has no server. A server that is down
 * leaves `data` undefined and `isError` set: the page then shows the wallet path only.
 */
export function useServerCommunity(token: Address | null) {
  const server = useServer();
  return useQuery({
    queryKey: ["server-community", server?.baseUrl ?? null, token],
    enabled: server !== null && token !== null,
    retry: false,
    staleTime: 30_000,
    queryFn: async (): Promise<ServerCommunity> => {
      if (!server || !token) throw new Error("no server");
      return server.community(token);
    },
  });
}

/** True when the server would sponsor `kind` actions for this community (relay on). */
export function relayOn(community: ServerCommunity | undefined): boolean {
  return community?.relay.enabled === true;
}

/** Signs a vote (EIP-712 ExtendedBallot in the governor's domain, its current nonce for the voter) for the relay. */
export async function signVote(
  config: Config,
  input: { chainId: number; governor: Address; voter: Address; proposalId: bigint; support: number; reason: string },
): Promise<RelayAction> {
  const [domainResult, nonce] = await Promise.all([
    readContract(config, { chainId: input.chainId, address: input.governor, abi: communityGovernorAbi, functionName: "eip712Domain" }),
    readContract(config, { chainId: input.chainId, address: input.governor, abi: communityGovernorAbi, functionName: "nonces", args: [input.voter] }),
  ]);
  const typed = ballotTypedData(domainFromEip712(domainResult), { proposalId: input.proposalId, support: input.support, voter: input.voter, nonce, reason: input.reason });
  const signature = await signTypedData(config, { account: input.voter, ...typed });
  return { kind: "vote", proposalId: input.proposalId.toString(), support: input.support, voter: getAddress(input.voter), reason: input.reason, params: "0x", signature };
}

/** Signs a delegation (EIP-712 Delegation in the token's domain, valid for an hour of chain time) for the relay. */
export async function signDelegation(
  config: Config,
  input: { chainId: number; token: Address; account: Address; delegatee: Address },
): Promise<RelayAction> {
  const [domainResult, nonce, block] = await Promise.all([
    readContract(config, { chainId: input.chainId, address: input.token, abi: socialTokenAbi, functionName: "eip712Domain" }),
    readContract(config, { chainId: input.chainId, address: input.token, abi: socialTokenAbi, functionName: "nonces", args: [input.account] }),
    getBlock(config, { chainId: input.chainId }),
  ]);
  const expiry = block.timestamp + DELEGATION_TTL_SECONDS;
  const typed = delegationTypedData(domainFromEip712(domainResult), { delegatee: input.delegatee, nonce, expiry });
  const signature = await signTypedData(config, { account: input.account, ...typed });
  return { kind: "delegate", delegatee: getAddress(input.delegatee), nonce: nonce.toString(), expiry: expiry.toString(), signature };
}
