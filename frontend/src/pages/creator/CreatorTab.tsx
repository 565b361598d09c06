/**
 * The creator console of one community: rewards (sign vouchers, claim links, Merkle campaigns) and
 * funding (start a crowdfund, revenue share, deposit revenue). Launching a community is /launch.
 * Shown to the community's creator; anyone else sees why they cannot use it.
 */
import { lazy, Suspense } from "react";
import { useConnection } from "wagmi";
import { useActiveChain } from "../../config/context.tsx";
import { Card, Notice } from "../../components/ui.tsx";
import type { CommunityData } from "../../hooks/useCommunity.ts";
import FundingConsole from "./FundingConsole.tsx";
import RewardsConsole from "./RewardsConsole.tsx";

// Only on chains whose /coterie.json names a Coterie server.
const ServerPanel = lazy(() => import("./ServerPanel.tsx"));

export default function CreatorTab({ data }: { data: CommunityData }) {
  const { address } = useConnection();
  const { chain } = useActiveChain();
  const { community } = data;
  if (!address) {
    return (
      <Card title="Creator console">
        <Notice>Connect the creator's wallet to sign vouchers, open campaigns, start a crowdfund or deposit revenue.</Notice>
      </Card>
    );
  }
  if (address !== community.creator) {
    return (
      <Card title="Creator console">
        <Notice tone="warn" testId="not-creator">
          Only the community's creator can use this console. Other changes go through a DAO proposal (Vote tab).
        </Notice>
      </Card>
    );
  }
  return (
    <div className="stack" data-testid="creator-console">
      {chain.serverUrl !== null && community.rewardVault !== null && (
        <Suspense fallback={null}>
          <ServerPanel data={data} />
        </Suspense>
      )}
      <RewardsConsole data={data} />
      <FundingConsole data={data} />
    </div>
  );
}
