/**
 * What a proposal template needs from the chain before it can build a proposal: the reward vault's
 * settings, the factory's creation fee and registry (platform templates), and facts about the address
 * a grant template names (is it a crowdfund / the revenue share of this token, does it hold the role).
 * Each read happens only for the template that needs it.
 */
import { useQuery } from "@tanstack/react-query";
import { usePublicClient } from "wagmi";
import { erc20Abi, getAddress, isAddress, zeroAddress, type Address, type PublicClient } from "viem";
import { useActiveChain } from "../config/context.tsx";
import type { CommunityInfo } from "./useCommunity.ts";
import { communityFactoryAbi, crowdfundAbi, revenueShareAbi, rewardVaultAbi, socialTokenAbi } from "../generated/abis.ts";
import { ROLES } from "../lib/governance-actions.ts";
import type { TargetFacts, TemplateId } from "../lib/governance-templates.ts";
import { useGovernorRegistry, type ReadClient } from "./useGovernor.ts";
import { valueOf } from "../reads/multicall.ts";


export async function fetchVaultSettings(client: ReadClient, vault: Address) {
  const [epochBudget, epochLength, referralBps] = await client.multicall({
    deployless: true,
    allowFailure: false,
    contracts: [
      { address: vault, abi: rewardVaultAbi, functionName: "epochBudget" },
      { address: vault, abi: rewardVaultAbi, functionName: "epochLength" },
      { address: vault, abi: rewardVaultAbi, functionName: "referralBps" },
    ],
  });
  return { epochBudget: BigInt(epochBudget), epochLength: BigInt(epochLength), referralBps: BigInt(referralBps) };
}

/** Facts about the address of a grant template (see TargetFacts). */
export async function fetchTargetFacts(
  client: ReadClient,
  options: { token: Address; target: Address; role: "minter" | "revenue" },
): Promise<TargetFacts> {
  const { token, target, role } = options;
  const roleId = role === "minter" ? ROLES.MINTER_ROLE : ROLES.REVENUE_ROLE;
  const hasRoleCall = { address: token, abi: socialTokenAbi, functionName: "hasRole", args: [roleId, target] } as const;
  if (role === "revenue") {
    const r = await client.multicall({
      deployless: true,
      allowFailure: true,
      contracts: [hasRoleCall, { address: target, abi: revenueShareAbi, functionName: "token" }],
    });
    const shareToken = valueOf(r[1]);
    return {
      address: target,
      hasRole: valueOf(r[0]) ?? false,
      revenueShareOfThisToken: shareToken !== undefined && shareToken.toLowerCase() === token.toLowerCase(),
    };
  }
  const r = await client.multicall({
    deployless: true,
    allowFailure: true,
    contracts: [
      hasRoleCall,
      { address: target, abi: crowdfundAbi, functionName: "token" },
      { address: target, abi: crowdfundAbi, functionName: "params" },
    ],
  });
  const hasRole = valueOf(r[0]) ?? false;
  const fundToken = valueOf(r[1]);
  const params = valueOf(r[2]);
  if (!fundToken || !params) return { address: target, hasRole, crowdfund: null };
  let payment = { symbol: "ETH", decimals: 18 };
  if (params.paymentToken !== zeroAddress) {
    const p = await client.multicall({
      deployless: true,
      allowFailure: true,
      contracts: [
        { address: params.paymentToken, abi: erc20Abi, functionName: "symbol" },
        { address: params.paymentToken, abi: erc20Abi, functionName: "decimals" },
      ],
    });
    payment = { symbol: valueOf(p[0]) ?? "tokens", decimals: valueOf(p[1]) ?? 18 };
  }
  return {
    address: target,
    hasRole,
    crowdfund: {
      ofThisToken: fundToken.toLowerCase() === token.toLowerCase(),
      goal: params.goal,
      cap: params.cap,
      deadline: params.deadline,
      price: params.price,
      referralBps: BigInt(params.referralBps),
      payment,
    },
  };
}

/** Everything a template reads, loaded only for the template `template`. */
export function useProposalTemplateFacts(community: CommunityInfo, template: TemplateId | null, targetText: string) {
  const { chain } = useActiveChain();
  const client = usePublicClient({ chainId: chain.id }) as PublicClient | undefined;
  const needsVault = (template === "reward-budget" || template === "referral-rate") && community.rewardVault !== null;
  const needsPlatform = community.isPlatform && (template === "verify" || template === "creation-fee");
  const grantRole = template === "grant-minter" ? "minter" : template === "grant-revenue" ? "revenue" : null;
  const target = grantRole && isAddress(targetText.trim()) ? getAddress(targetText.trim()) : null;

  const vault = useQuery({
    queryKey: ["vault-settings", chain.id, community.rewardVault],
    enabled: needsVault && client !== undefined,
    retry: false,
    queryFn: () => fetchVaultSettings(client as PublicClient, community.rewardVault as Address),
  });
  const fee = useQuery({
    queryKey: ["creation-fee", chain.id, chain.contracts.factory],
    enabled: needsPlatform && client !== undefined,
    retry: false,
    queryFn: async () => {
      const [value] = await (client as PublicClient).multicall({
        deployless: true,
        allowFailure: false,
        contracts: [{ address: chain.contracts.factory, abi: communityFactoryAbi, functionName: "creationFee" }],
      });
      return value;
    },
  });
  const registry = useGovernorRegistry(needsPlatform && template === "verify");
  const facts = useQuery({
    queryKey: ["target-facts", chain.id, community.token, grantRole, target],
    enabled: grantRole !== null && target !== null && client !== undefined,
    retry: false,
    queryFn: () => fetchTargetFacts(client as PublicClient, { token: community.token, target: target as Address, role: grantRole ?? "minter" }),
  });

  const errors = [vault.error, fee.error, registry.error, facts.error].filter((e): e is Error => e instanceof Error);
  return {
    vault: needsVault ? vault.data : null,
    creationFee: fee.data,
    registry: registry.data,
    target: target === null ? null : facts.data,
    error: errors[0] ?? null,
  };
}
