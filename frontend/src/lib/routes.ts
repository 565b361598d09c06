/**
 * The app's URLs, built beside the router that reads them (`matchRoute` in router.tsx): pages link
 * with these instead of writing paths by hand. Claim links (`/claim?v=…&s=…`) are built by
 * `claimLink` in shared/rewards.ts, which the CLI uses too.
 */
import type { CommunityTab } from "./router.tsx";
import type { TemplateId } from "./governance-templates.ts";

export const explorePath = "/";
export const launchPath = "/launch";
/** The connected fan's communities (needs the indexer). */
export const myCommunitiesPath = "/me";

/** A community's page: its Hold tab (the bare path) or another tab. */
export function communityPath(token: string, tab: CommunityTab = "hold"): string {
  return tab === "hold" ? `/c/${token}` : `/c/${token}/${tab}`;
}

/** One proposal's page. */
export function proposalPath(token: string, proposalId: bigint | string): string {
  return `/c/${token}/proposals/${proposalId}`;
}

/** The new-proposal page, optionally opened on a template (and the address a grant template names). */
export function proposePath(token: string, template?: TemplateId, target?: string): string {
  const path = `/c/${token}/propose`;
  if (template === undefined) return path;
  return target === undefined ? `${path}?template=${template}` : `${path}?template=${template}&target=${target}`;
}
