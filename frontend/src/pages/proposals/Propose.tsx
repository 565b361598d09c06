import { Card, Empty } from "../../components/ui.tsx";

// Placeholder, replaced by the feature work.
export default function ProposePage({ token }: { token: string }) {
  return (
    <Card>
      <Empty title="New proposal">{token}</Empty>
    </Card>
  );
}
