/**
 * The Fund tab: the community's crowdfunds (progress, terms, the fan's position; contribute,
 * finalize, claim tokens, refund) and its revenue share (deposits, the fan's share, claim).
 */
import { Card, Empty, Skeleton } from "../../components/ui.tsx";
import { useChainNow, type CommunityData } from "../../hooks/useCommunity.ts";
import { useFundingOverview } from "../../hooks/useCrowdfunds.ts";
import { explainError } from "../../lib/errors.ts";
import { CrowdfundCard } from "./fund/CrowdfundCard.tsx";
import { RevenuePanel } from "./fund/RevenuePanel.tsx";

export default function FundTab({ data }: { data: CommunityData }) {
  const overview = useFundingOverview(data);
  const now = useChainNow();

  if (overview.isPending) {
    return (
      <div className="stack" data-testid="fund-loading">
        <Card title="Crowdfunds">
          <Skeleton lines={4} />
        </Card>
        <Card title="Revenue share">
          <Skeleton lines={2} />
        </Card>
      </div>
    );
  }
  if (overview.isError) {
    return (
      <Card>
        <Empty title="Cannot load the community's funding">{explainError(overview.error)}</Empty>
      </Card>
    );
  }
  const { crowdfunds, revenue, account } = overview.data;
  return (
    <div className="stack fund-tab" data-testid="fund-tab" data-account={account ?? ""} aria-busy={overview.isPlaceholderData}>
      {crowdfunds.length === 0 ? (
        <Card title="Crowdfunds">
          <Empty title="No crowdfund yet">
            When {data.community.symbol}'s creator starts one, fans fund a release here and receive {data.community.symbol} if it
            reaches its goal, or get every unit back if it does not.
          </Empty>
        </Card>
      ) : (
        crowdfunds.map((cf) => <CrowdfundCard key={cf.address} data={data} crowdfund={cf} now={now} />)
      )}
      <RevenuePanel data={data} revenue={revenue} now={now} />
    </div>
  );
}
