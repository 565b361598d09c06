/** The community page: a header with the token and its badges, then one tab per thing a fan does. */
import { lazy, Suspense } from "react";
import { isAddress } from "viem";
import { useConnection } from "wagmi";
import { AddressView, Badge, Card, Empty, Skeleton, VerifiedBadge } from "../components/ui.tsx";
import { useCommunity, type CommunityData } from "../hooks/useCommunity.ts";
import { explainError } from "../lib/errors.ts";
import { useEffect } from "react";
import { rememberReferrer } from "../lib/referral.ts";
import { Link, useLocation, type CommunityTab } from "../lib/router.tsx";
import { HoldTab } from "./community/HoldTab.tsx";
import { LaunchedPanel } from "./community/LaunchedPanel.tsx";
import { useActiveChain, useRuntime } from "../config/context.tsx";
import { communityPath } from "../lib/routes.ts";

// Tabs other than the first load on demand, keeping the first page's JavaScript small.
const EarnTab = lazy(() => import("./community/EarnTab.tsx"));
const FundTab = lazy(() => import("./community/FundTab.tsx"));
const VoteTab = lazy(() => import("./community/VoteTab.tsx"));
const CreatorTab = lazy(() => import("./creator/CreatorTab.tsx"));
// Only on chains with a Coterie server: elsewhere neither its code nor a request is loaded.
const JoinCard = lazy(() => import("./community/JoinCard.tsx"));

const TAB_LABELS: Record<CommunityTab, string> = {
  hold: "Hold",
  earn: "Earn",
  fund: "Fund",
  vote: "Vote",
  creator: "Creator console",
};

export function CommunityPage({ token, tab }: { token: string; tab: CommunityTab }) {
  const query = useCommunity(token);
  const { address } = useConnection();
  const { query: search } = useLocation();
  const runtime = useRuntime();
  const { chain } = useActiveChain();
  const refParam = search.get("ref");
  useEffect(() => {
    if (isAddress(token) && refParam) rememberReferrer(token, new URLSearchParams({ ref: refParam }));
  }, [token, refParam]);

  if (!isAddress(token)) {
    return <Empty title="Not a community address">The link should end in a token address (0x…).</Empty>;
  }
  if (query.isPending) {
    return (
      <Card>
        <Skeleton lines={4} />
      </Card>
    );
  }
  if (query.isError) {
    return <Empty title="Cannot load this community">{explainError(query.error)}</Empty>;
  }
  const data: CommunityData = query.data;
  const { community } = data;
  const isCreator = address !== undefined && address === community.creator;
  const tabs = (Object.keys(TAB_LABELS) as CommunityTab[]).filter((t) => t !== "creator" || isCreator || tab === "creator");

  return (
    <div className="community" data-testid="community-page">
      <header className="community-header">
        <div className="token-avatar" aria-hidden>
          {community.symbol.slice(0, 2)}
        </div>
        <div>
          <h1>
            {community.name} <span className="muted">{community.symbol}</span>
          </h1>
          <div className="badges">
            {community.verified && <VerifiedBadge />}
            {community.isPlatform && <Badge tone="accent">Platform DAO</Badge>}
            <AddressView address={community.token} label="Token" />
          </div>
        </div>
      </header>
      {search.get("launched") === "1" && isCreator && <LaunchedPanel community={community} appUrl={runtime.appUrl} />}
      {chain.serverUrl !== null && community.rewardVault !== null && !community.isPlatform && (
        <Suspense fallback={null}>
          <JoinCard data={data} />
        </Suspense>
      )}
      <nav className="tabs" aria-label="Community sections">
        {tabs.map((t) => (
          <Link key={t} href={communityPath(community.token, t)} className={`tab ${t === tab ? "tab-active" : ""}`} aria-current={t === tab ? "page" : undefined} data-testid={`tab-${t}`}>
            {TAB_LABELS[t]}
          </Link>
        ))}
      </nav>
      <Suspense fallback={<Card><Skeleton /></Card>}>
        {tab === "hold" && <HoldTab data={data} />}
        {tab === "earn" && <EarnTab data={data} />}
        {tab === "fund" && <FundTab data={data} />}
        {tab === "vote" && <VoteTab data={data} />}
        {tab === "creator" && <CreatorTab data={data} />}
      </Suspense>
    </div>
  );
}
