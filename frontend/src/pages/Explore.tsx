import { Card, Empty } from "../components/ui.tsx";

// Placeholder, replaced by the feature work.
export function ExplorePage() {
  return (
    <Card>
      <Empty title="Communities">Coming up</Empty>
    </Card>
  );
}
