/**
 * What a proposal template needs from the chain before it can build a proposal: the reward vault's
 * settings, the factory's creation fee and registry (platform templates), and facts about the address
 * a grant template names (is it a crowdfund / the revenue share of this token, does it hold the role).
 * Each read happens only for the template that needs it.
 */
import { useQuery } from "@tanstack/react-query";
import { usePublicClient } from "wagmi";
import { getAddress, isAddress, type Address, type PublicClient } from "viem";
import { useActiveChain } from "../config/context.tsx";
import type { CommunityInfo } from "./useCommunity.ts";
import type { TemplateId } from "../lib/governance-templates.ts";
import { useGovernorRegistry } from "./useGovernor.ts";
import { fetchCreationFee, fetchTargetFacts } from "../reads/governance.ts";
import { fetchVaultSettings } from "../reads/rewards.ts";


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
    queryFn: () => fetchCreationFee(client as PublicClient, chain.contracts.factory),
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
