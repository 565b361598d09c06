import { Card, Empty } from "../components/ui.tsx";

// Placeholder, replaced by the feature work.
export default function ClaimPage() {
  return (
    <Card>
      <Empty title="Claim">Coming up</Empty>
    </Card>
  );
}
