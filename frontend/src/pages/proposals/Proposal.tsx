import { Card, Empty } from "../../components/ui.tsx";

// Placeholder, replaced by the feature work.
export default function ProposalPage({ token, proposalId }: { token: string; proposalId: string }) {
  return (
    <Card>
      <Empty title={`Proposal ${proposalId}`}>{token}</Empty>
    </Card>
  );
}
