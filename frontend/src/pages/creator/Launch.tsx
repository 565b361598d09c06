import { Card, Empty } from "../../components/ui.tsx";

// Placeholder, replaced by the feature work.
export default function LaunchPage() {
  return (
    <Card>
      <Empty title="Launch">Coming up</Empty>
    </Card>
  );
}
