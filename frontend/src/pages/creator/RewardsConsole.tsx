import { Card, Empty } from "../../components/ui.tsx";
import type { CommunityData } from "../../hooks/useCommunity.ts";

// Placeholder, replaced by the feature work.
export default function RewardsConsole({ data }: { data: CommunityData }) {
  return (
    <Card title="RewardsConsole">
      <Empty title="Coming up">{data.community.symbol}</Empty>
    </Card>
  );
}
