/**
 * The creator's rewards console: sign vouchers in the wallet (one from a form, or many from a CSV)
 * and hand out their claim links; open a Merkle campaign from a CSV and download its proofs file;
 * see the vault's settings (budget and referral-rate changes are DAO proposals). Same rules as the
 * CLI (scripts/lib/rewards-cli.ts): nothing is signed when any CSV line is bad, ids never collide,
 * a campaign must fit this epoch's remaining budget.
 */
import { Card, Empty, Skeleton } from "../../components/ui.tsx";
import type { CommunityData } from "../../hooks/useCommunity.ts";
import { useVaultStatus } from "../../hooks/useVault.ts";
import { explainError } from "../../lib/errors.ts";
import { VaultSettings } from "./rewards/VaultSettings.tsx";
import { VoucherSigner } from "./rewards/VoucherSigner.tsx";
import { CampaignOpener } from "./rewards/CampaignOpener.tsx";

export default function RewardsConsole({ data }: { data: CommunityData }) {
  const { community } = data;
  const vault = useVaultStatus(community.rewardVault, community.token);
  const unit = { decimals: community.decimals, symbol: community.symbol };

  if (community.rewardVault === null) {
    return (
      <Card title="Rewards" testId="rewards-console">
        <Empty title="This community has no reward vault">Vouchers and campaigns need one; it is created with the community.</Empty>
      </Card>
    );
  }
  if (vault.isPending) {
    return (
      <Card title="Rewards" testId="rewards-console">
        <Skeleton lines={4} />
      </Card>
    );
  }
  if (vault.isError) {
    return (
      <Card title="Rewards" testId="rewards-console">
        <Empty title="Cannot read the reward vault">{explainError(vault.error)}</Empty>
      </Card>
    );
  }
  const status = vault.data.vault;
  return (
    <div className="stack" data-testid="rewards-console">
      <VaultSettings vault={status} token={community.token} unit={unit} />
      <VoucherSigner vault={status} now={vault.data.now} unit={unit} />
      <CampaignOpener vault={status} now={vault.data.now} unit={unit} />
    </div>
  );
}
