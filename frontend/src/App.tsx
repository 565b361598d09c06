/** The app shell: top bar, network guard, and the page for the current route. */
import { lazy, Suspense } from "react";
import { Card, Empty, Skeleton } from "./components/ui.tsx";
import { NetworkGuard, WalletBar } from "./components/WalletBar.tsx";
import { useActiveChain } from "./config/context.tsx";
import { Link, matchRoute, useLocation } from "./lib/router.tsx";
import { CommunityPage } from "./pages/Community.tsx";
import { ExplorePage } from "./pages/Explore.tsx";
import { explorePath, launchPath, myCommunitiesPath } from "./lib/routes.ts";

const ClaimPage = lazy(() => import("./pages/Claim.tsx"));
const LaunchPage = lazy(() => import("./pages/creator/Launch.tsx"));
const ProposalPage = lazy(() => import("./pages/proposals/Proposal.tsx"));
const ProposePage = lazy(() => import("./pages/proposals/Propose.tsx"));
const MyCommunitiesPage = lazy(() => import("./pages/MyCommunities.tsx"));

export function App() {
  const { path } = useLocation();
  const route = matchRoute(path);
  const { chain } = useActiveChain();

  return (
    <div className="app">
      <header className="topbar">
        <Link href={explorePath} className="brand" aria-label="Coterie home">
          <span className="brand-mark" aria-hidden />
          Coterie
        </Link>
        <nav className="topnav" aria-label="Main">
          <Link href={explorePath} className={route.name === "explore" ? "active" : ""}>
            Explore
          </Link>
          <Link href={myCommunitiesPath} className={route.name === "mine" ? "active" : ""} data-testid="nav-mine">
            My communities
          </Link>
          <Link href={launchPath} className={route.name === "launch" ? "active" : ""} data-testid="nav-launch">
            Launch
          </Link>
        </nav>
        <span className="chain-pill" title={chain.rpcUrl} data-testid="chain-name">
          {chain.name}
        </span>
        <WalletBar />
      </header>
      <NetworkGuard />
      <main className="content">
        <Suspense fallback={<Card><Skeleton /></Card>}>
          {route.name === "explore" && <ExplorePage />}
          {route.name === "launch" && <LaunchPage />}
          {route.name === "claim" && <ClaimPage />}
          {route.name === "mine" && <MyCommunitiesPage />}
          {route.name === "community" && <CommunityPage token={route.token} tab={route.tab} />}
          {route.name === "proposal" && <ProposalPage token={route.token} proposalId={route.proposalId} />}
          {route.name === "propose" && <ProposePage token={route.token} />}
          {route.name === "notFound" && (
            <Empty title="Page not found">
              <Link href={explorePath}>Back to all communities</Link>
            </Empty>
          )}
        </Suspense>
      </main>
      <footer className="footer muted">
        Coterie · open toolkit for creator communities · {chain.name} (chain {chain.id})
      </footer>
    </div>
  );
}
