/**
 * The Earn tab: the community's reward vault (pause, epoch budget, countdown, referral rate), the
 * connected fan's referral link, referrer and referral bonuses (claimable), and claiming a Merkle
 * campaign reward from the proofs file the creator shared. One vault multicall on first load.
 */
import { ReferralsCard } from "../../components/IndexerViews.tsx";
import { useState, type ChangeEvent } from "react";
import { useConnection } from "wagmi";
import type { Address } from "viem";
import type { CampaignProofsFile } from "../../../../shared/rewards.ts";
import { AddressView, Amount, Badge, Button, Card, CopyButton, Empty, Notice, Progress, Skeleton, Stat, TxStatus } from "../../components/ui.tsx";
import { openWalletMenu } from "../../components/WalletBar.tsx";
import { useActiveChain, useRuntime } from "../../config/context.tsx";
import { rewardVaultAbi } from "../../generated/abis.ts";
import { useCampaignClaim } from "../../hooks/useCampaignClaim.ts";
import type { CommunityData } from "../../hooks/useCommunity.ts";
import { useTransaction } from "../../hooks/useTransaction.ts";
import { useRelay } from "../../hooks/useRelay.ts";
import { relayOn, useServerCommunity } from "../../hooks/useSponsored.ts";
import { useVaultStatus, type VaultAccount, type VaultStatus } from "../../hooks/useVault.ts";
import { explainError } from "../../lib/errors.ts";
import { formatBps, formatDate, formatRelative } from "../../lib/format.ts";
import { referralLink } from "../../lib/referral.ts";
import { findCampaignLeaf, formatEpochLength, parseProofsFile } from "../../lib/rewards.ts";

interface Unit {
  decimals: number;
  symbol: string;
}

export default function EarnTab({ data }: { data: CommunityData }) {
  const { community } = data;
  const { address } = useConnection();
  const vault = useVaultStatus(community.rewardVault, community.token, address);
  const unit = { decimals: community.decimals, symbol: community.symbol };

  if (community.rewardVault === null) {
    return (
      <Card testId="earn-tab">
        <Empty title="No rewards in this community">
          {community.name} has no reward vault, so there are no claim links, referral bonuses or campaigns here.
        </Empty>
      </Card>
    );
  }
  if (vault.isPending) {
    return (
      <Card testId="earn-tab">
        <Skeleton lines={4} />
      </Card>
    );
  }
  if (vault.isError) {
    return (
      <Card testId="earn-tab">
        <Empty title="Cannot read the reward vault">{explainError(vault.error)}</Empty>
      </Card>
    );
  }
  const now = vault.data.now;
  return (
    <div className="stack" data-testid="earn-tab">
      <VaultCard vault={vault.data.vault} now={now} unit={unit} />
      <div className="grid grid-2">
        <ReferralCard token={community.token} account={vault.data.account} vault={vault.data.vault} unit={unit} />
        <CampaignCard vault={vault.data.vault.address} account={address ?? null} now={now} unit={unit} />
      </div>
      <ReferralsCard community={community} account={address} />
    </div>
  );
}

function VaultCard({ vault, now, unit }: { vault: VaultStatus; now: bigint | undefined; unit: Unit }) {
  return (
    <Card
      title="Rewards"
      actions={vault.paused ? <Badge tone="bad" testId="vault-paused">Paused</Badge> : <Badge tone="good" testId="vault-active">Active</Badge>}
      testId="vault-status"
    >
      {vault.paused && (
        <Notice tone="warn">Redemptions, campaign claims and referral claims are paused until the community DAO resumes them.</Notice>
      )}
      <div className="stats">
        <Stat label="Budget per epoch">
          <Amount value={vault.epochBudget} {...unit} testId="vault-budget" />
        </Stat>
        <Stat label="Left this epoch">
          <Amount value={vault.remainingBudget} {...unit} testId="vault-remaining" />
        </Stat>
        <Stat label="Epoch ends">
          <span title={formatDate(vault.epochEndsAt)} data-raw={vault.epochEndsAt.toString()} data-testid="vault-epoch-end">
            {now === undefined ? "…" : formatRelative(vault.epochEndsAt, now)}
          </span>
        </Stat>
        <Stat label="Referral bonus">
          <span data-raw={vault.referralBps.toString()} data-testid="vault-referral-rate">{formatBps(vault.referralBps)}</span>
        </Stat>
      </div>
      <Progress value={vault.epochSpent} max={vault.epochBudget} label="Budget used this epoch" tone={vault.remainingBudget === 0n ? "bad" : "accent"} />
      <p className="muted small">
        Epoch #{vault.currentEpoch.toString()} ({formatEpochLength(vault.epochLength)} each): every reward, referral bonus and campaign
        counts against the budget, which renews when the epoch ends.
      </p>
    </Card>
  );
}

/**
 * What the referral link does, exactly (issue 11 item 13). The link's `?ref=` is only used by
 * crowdfund contributions (it fills in the referrer, who earns that crowdfund's referral bonus when
 * it succeeds). A reward's referrer is whoever the signed voucher names: the link does not put you
 * there. (The attester service will name a link's referrer in the vouchers it signs; until then the
 * tab does not promise it.)
 */
export function ReferralTerms({ vault }: { vault: Pick<VaultStatus, "referralBps"> }) {
  return (
    <div className="muted small stack-tight" data-testid="referral-terms">
      <p>
        <strong>Crowdfunds:</strong> a fan who opens your link and then contributes to one of this community's crowdfunds names you as
        referrer. If the crowdfund succeeds, you get that crowdfund's referral bonus in tokens (each crowdfund shows its rate) on what they
        paid.
      </p>
      <p>
        <strong>Rewards:</strong> the link earns you nothing on reward claims. The vault's {formatBps(vault.referralBps)} referral bonus
        goes to the referrer named in a fan's voucher (the first one named is kept, then credited on every reward that fan redeems), and
        whoever signs the vouchers (the community's attester, by default its creator) decides who that is.
      </p>
    </div>
  );
}

function ReferralCard({ token, account, vault, unit }: { token: Address; account: VaultAccount | null; vault: VaultStatus; unit: Unit }) {
  const runtime = useRuntime();
  const tx = useTransaction();
  // "Claim for free": the Coterie server submits claimReferralRewardsFor; the bonus goes to the referrer.
  const relay = useRelay();
  const sponsor = useServerCommunity(token);
  const free = relayOn(sponsor.data) && !relay.unreachable;
  if (!account) {
    return (
      <Card title="Refer fans" testId="referral-card">
        <Notice>Connect a wallet to get your referral link and see the bonuses you earned.</Notice>
        <div className="row">
          <Button variant="secondary" onClick={openWalletMenu} data-testid="earn-connect">
            Connect wallet
          </Button>
        </div>
        <ReferralTerms vault={vault} />
      </Card>
    );
  }
  const link = referralLink(runtime.appUrl, token, account.account);
  const claimed = account.earned - account.unclaimed;
  return (
    <Card title="Refer fans" testId="referral-card">
      <div className="stack-tight">
        <span className="label">Your referral link</span>
        <div className="copy-line">
          <code className="mono wrap" data-testid="referral-link">
            {link}
          </code>
          <CopyButton text={link} testId="referral-link-copy" />
        </div>
        <ReferralTerms vault={vault} />
      </div>
      <div className="stack-tight" data-testid="earn-referrer">
        <span className="label">Your referrer</span>
        {account.referrer ? <AddressView address={account.referrer} /> : <span className="muted">Nobody recorded yet.</span>}
      </div>
      <div className="stats stats-2">
        <Stat label="Fans referred">
          <span data-raw={account.referredFans.toString()} data-testid="referral-count">{account.referredFans}</span>
        </Stat>
        <Stat label="Bonus earned">
          <Amount value={account.earned} {...unit} testId="referral-earned" />
        </Stat>
        <Stat label="Ready to claim">
          <Amount value={account.unclaimed} {...unit} testId="referral-unclaimed" />
        </Stat>
        <Stat label="Claimed">
          <Amount value={claimed} {...unit} testId="referral-claimed" />
        </Stat>
      </div>
      <div className="row">
        {free && account.unclaimed > 0n && (
          <Button
            onClick={() => void relay.submit(token, async () => ({ kind: "referral", referrer: account.account }))}
            loading={relay.busy}
            disabled={tx.busy || vault.paused}
            data-testid="referral-claim-free"
          >
            Claim <Amount value={account.unclaimed} {...unit} /> for free
          </Button>
        )}
        <Button
          variant={free && account.unclaimed > 0n ? "secondary" : "primary"}
          onClick={() => void tx.send({ address: vault.address, abi: rewardVaultAbi, functionName: "claimReferralRewards", args: [account.account] })}
          loading={tx.busy}
          disabled={account.unclaimed === 0n || vault.paused || relay.busy}
          data-testid="referral-claim"
        >
          {account.unclaimed === 0n ? "Nothing to claim" : free ? "Pay gas yourself" : <>Claim <Amount value={account.unclaimed} {...unit} /></>}
        </Button>
      </div>
      <TxStatus state={tx.state} success="Referral bonus claimed" testId="referral-tx" />
      <TxStatus state={relay.state} success="Referral bonus claimed (sent for free)" testId="referral-free-tx" />
    </Card>
  );
}

function CampaignCard({ vault, account, now, unit }: { vault: Address; account: Address | null; now: bigint | undefined; unit: Unit }) {
  const { chain } = useActiveChain();
  const [text, setText] = useState("");
  const [file, setFile] = useState<CampaignProofsFile | null>(null);
  const [error, setError] = useState<string | null>(null);

  const load = (content: string) => {
    setText(content);
    const checked = parseProofsFile(content, { chainId: chain.id, vault });
    setFile(checked.ok ? checked.value : null);
    setError(checked.ok ? null : checked.error);
  };
  const onFile = (event: ChangeEvent<HTMLInputElement>) => {
    const chosen = event.target.files?.[0];
    if (!chosen) return;
    chosen.text().then(load, (e: unknown) => setError(`Cannot read ${chosen.name}: ${explainError(e)}`));
    event.target.value = "";
  };

  return (
    <Card title="Claim a campaign reward" testId="campaign-card">
      <p className="muted small">
        The creator shares a proofs file (JSON) for each campaign. Load it to see and claim your part.
      </p>
      <div className="row">
        <label className="btn btn-secondary file-button">
          <input type="file" accept=".json,application/json" onChange={onFile} data-testid="campaign-file" />
          Choose proofs file…
        </label>
        <span className="muted small">or paste it below</span>
      </div>
      <div className={`field ${error ? "field-invalid" : ""}`}>
        <label htmlFor="campaign-paste">Proofs file</label>
        <textarea
          id="campaign-paste"
          className="mono small"
          value={text}
          placeholder='{"format": "coterie-campaign-1", …}'
          onChange={(e) => setText(e.target.value)}
          data-testid="campaign-paste"
          aria-invalid={!!error}
        />
        {error && (
          <p className="field-error" role="alert" data-testid="campaign-file-error">
            {error}
          </p>
        )}
      </div>
      <div className="row">
        <Button variant="secondary" onClick={() => load(text)} disabled={text.trim() === ""} data-testid="campaign-load">
          Check the file
        </Button>
      </div>
      {file && (
        // Keyed by account and campaign: another account (or file) starts with a fresh transaction state.
        <CampaignLeafView key={`${account ?? "none"}-${file.campaignId}-${file.root}`} file={file} vault={vault} account={account} now={now} unit={unit} />
      )}
    </Card>
  );
}

function CampaignLeafView({ file, vault, account, now, unit }: {
  file: CampaignProofsFile;
  vault: Address;
  account: Address | null;
  now: bigint | undefined;
  unit: Unit;
}) {
  const found = account ? findCampaignLeaf(file, account) : null;
  const leaf = found?.ok ? found.value : null;
  const status = useCampaignClaim(vault, leaf);
  const tx = useTransaction();

  const header = (
    <p className="small" data-testid="campaign-summary">
      Campaign #{file.campaignId} · <Amount value={BigInt(file.total)} {...unit} /> for {Object.keys(file.claims).length} account
      {Object.keys(file.claims).length === 1 ? "" : "s"} · {now !== undefined && BigInt(file.end) < now ? "ended" : "ends"} {formatDate(BigInt(file.end))}
    </p>
  );
  if (!account) return <div className="stack-tight">{header}<Notice>Connect the wallet the campaign rewards to claim.</Notice></div>;
  if (found && !found.ok) {
    return <div className="stack-tight">{header}<Notice tone="bad" testId="campaign-leaf-error">{found.error}</Notice></div>;
  }
  if (!leaf) {
    return (
      <div className="stack-tight">
        {header}
        <Notice tone="warn" testId="campaign-no-entry">
          Your account <AddressView address={account} /> is not in this campaign. Connect the account it rewards.
        </Notice>
      </div>
    );
  }
  let problem: string | null = null;
  if (status.data) {
    const s = status.data;
    if (!s.exists) problem = `Campaign #${file.campaignId} does not exist on this community's vault.`;
    else if (s.root?.toLowerCase() !== file.root.toLowerCase()) problem = "This proofs file's root is not the campaign's root on chain (a file for another campaign?).";
    else if (s.closed || (now !== undefined && now > s.end)) problem = `This campaign ended ${now !== undefined ? formatRelative(s.end, now) : ""}; rewards can no longer be claimed.`;
  }
  const claimedNow = tx.state.status === "confirmed";
  return (
    <div className="stack-tight" data-testid="campaign-leaf">
      {header}
      <div className="spread campaign-entry">
        <div>
          <div className="label">Your reward</div>
          <Amount value={leaf.amount} {...unit} testId="campaign-amount" />
        </div>
        {status.isPending ? (
          <Badge>Checking…</Badge>
        ) : status.data?.claimed ? (
          <Badge tone="good" testId="campaign-claimed">✓ Claimed</Badge>
        ) : problem ? (
          <Badge tone="bad">Unavailable</Badge>
        ) : (
          <Badge tone="accent" testId="campaign-unclaimed">Not claimed yet</Badge>
        )}
      </div>
      {status.isError && <Notice tone="bad">{explainError(status.error)}</Notice>}
      {problem && !status.data?.claimed && <Notice tone="bad" testId="campaign-problem">{problem}</Notice>}
      {!problem && status.data && !status.data.claimed && !claimedNow && (
        <div className="row">
          <Button
            loading={tx.busy}
            onClick={() =>
              void tx.send({
                address: vault,
                abi: rewardVaultAbi,
                functionName: "claimCampaign",
                args: [leaf.campaignId, leaf.index, leaf.account, leaf.amount, leaf.proof],
              })
            }
            data-testid="campaign-claim"
          >
            Claim <Amount value={leaf.amount} {...unit} />
          </Button>
        </div>
      )}
      <TxStatus state={tx.state} success="Campaign reward claimed" testId="campaign-tx" />
    </div>
  );
}
