/**
 * The rewards console's vault settings: budget, epoch, referral rate, what is left this epoch, and the
 * links to the DAO proposals that change the budget and the referral rate.
 */
import { useConnection } from "wagmi";
import type { Address } from "viem";
import { AddressView, Amount, Badge, Card, Stat } from "../../../components/ui.tsx";
import type { VaultStatus } from "../../../hooks/useVault.ts";
import { formatBps } from "../../../lib/format.ts";
import { formatEpochLength } from "../../../lib/rewards.ts";
import { Link } from "../../../lib/router.tsx";
import { proposePath } from "../../../lib/routes.ts";
import type { Unit } from "./unit.ts";

export function VaultSettings({ vault, token, unit }: { vault: VaultStatus; token: Address; unit: Unit }) {
  const { address } = useConnection();
  return (
    <Card
      title="Reward vault"
      actions={vault.paused ? <Badge tone="bad">Paused</Badge> : <Badge tone="good">Active</Badge>}
      testId="vault-settings"
    >
      <dl className="kv">
        <dt>Attester</dt>
        <dd data-testid="vault-attester" data-address={vault.attester}>
          <AddressView address={vault.attester} /> {vault.attester === address && <Badge tone="accent">you</Badge>}
        </dd>
        <dt>Operator</dt>
        <dd>
          <AddressView address={vault.operator} /> {vault.operator === address && <Badge tone="accent">you</Badge>}
        </dd>
        <dt>Vault</dt>
        <dd>
          <AddressView address={vault.address} />
        </dd>
      </dl>
      <div className="stats">
        <Stat label="Budget per epoch">
          <Amount value={vault.epochBudget} {...unit} />
        </Stat>
        <Stat label="Left this epoch">
          <Amount value={vault.remainingBudget} {...unit} testId="console-remaining" />
        </Stat>
        <Stat label="Epoch length">{formatEpochLength(vault.epochLength)}</Stat>
        <Stat label="Referral bonus">{formatBps(vault.referralBps)}</Stat>
      </div>
      <p className="muted small">
        The budget and the referral rate are the community's to change: they go through a DAO proposal.{" "}
        <Link href={proposePath(token, "reward-budget")} data-testid="propose-reward-budget">
          Propose a new budget
        </Link>{" "}
        ·{" "}
        <Link href={proposePath(token, "referral-rate")} data-testid="propose-referral-rate">
          Propose a new referral rate
        </Link>
      </p>
    </Card>
  );
}
