/** The community's revenue share: whether the DAO approved it, its deposits per asset, and the fan's share to claim. */
import { parseEventLogs } from "viem";
import { AddressView, Amount, Badge, Button, Card, Empty, Notice, TxStatus } from "../../../components/ui.tsx";
import type { CommunityData } from "../../../hooks/useCommunity.ts";
import { useTransaction } from "../../../hooks/useTransaction.ts";
import { useRelay } from "../../../hooks/useRelay.ts";
import { relayOn, useServerCommunity } from "../../../hooks/useSponsored.ts";
import { revenueShareAbi } from "../../../generated/abis.ts";
import { formatAmount, formatDate, formatRelative, shortAddress } from "../../../lib/format.ts";
import { assetAddress, CLAIM_MAX_DEPOSITS } from "../../../lib/funding.ts";
import type { RevenueAssetView, RevenueView } from "../../../reads/funding.ts";
import { assetKey, confirmedReceipt } from "./ids.ts";

export function RevenuePanel({ data, revenue, now }: { data: CommunityData; revenue: RevenueView | null; now: bigint | undefined }) {
  const { community } = data;
  if (!revenue || !revenue.exists) {
    return (
      <Card title="Revenue share" testId="revenue-panel">
        <Empty title="No revenue sharing yet">
          {community.symbol}'s creator sets up a revenue share from the creator console; then the community's DAO approves it with a proposal
          (granting it <code>REVENUE_ROLE</code> on {community.symbol}). From then on, revenue deposited there is shared among holders.
        </Empty>
      </Card>
    );
  }
  return (
    <Card
      title={
        <span className="row">
          Revenue share
          {revenue.approved ? (
            <Badge tone="good" testId="revenue-status">Approved by the DAO</Badge>
          ) : (
            <Badge tone="warn" testId="revenue-status">Awaiting DAO approval</Badge>
          )}
        </span>
      }
      actions={<AddressView address={revenue.address} />}
      testId="revenue-panel"
    >
      <p className="muted revenue-rule">
        Each deposit is shared pro rata to what holders held <em>before</em> the deposit's block: your share is your balance then × the
        amount ÷ the supply then. Claim within {Number(revenue.claimWindow / 86_400n)} days; what is never claimed goes to the treasury.
      </p>
      {revenue.approved ? (
        <Notice tone="good" testId="revenue-recording">
          {community.symbol} records balances for revenue sharing since {formatDate(revenue.recordingSince)}.
        </Notice>
      ) : (
        <Notice tone="warn" testId="revenue-recording">
          {revenue.recordingSince === 0n
            ? `The DAO has not approved it yet: ${community.symbol} does not record balances, so no revenue can be deposited.`
            : `It no longer holds REVENUE_ROLE: deposits are refused. ${community.symbol} records balances since ${formatDate(revenue.recordingSince)}.`}
        </Notice>
      )}
      {revenue.assets.length === 0 ? (
        <Empty title="No revenue deposited yet">When the creator (or anyone) deposits ETH or tokens here, your share shows up to claim.</Empty>
      ) : (
        revenue.assets.map((a) => <RevenueAsset key={assetKey(a.asset)} data={data} revenue={revenue} view={a} now={now} />)
      )}
    </Card>
  );
}

function RevenueAsset({ data, revenue, view, now }: { data: CommunityData; revenue: RevenueView; view: RevenueAssetView; now: bigint | undefined }) {
  const { holder, community } = data;
  const tx = useTransaction();
  // "Claim for free": the Coterie server submits claim(asset, account, maxDeposits); the revenue goes to the account.
  const relay = useRelay();
  const sponsor = useServerCommunity(community.token);
  const free = relayOn(sponsor.data) && !relay.unreachable;
  const { asset } = view;
  const key = assetKey(asset);
  const money = (v: bigint) => formatAmount(v, asset.decimals, asset.symbol);
  const more = view.count > view.claimToId && view.claimable > 0n;

  const claim = () => {
    if (!holder) return;
    void tx.send({
      address: revenue.address,
      abi: revenueShareAbi,
      functionName: "claim",
      args: [assetAddress(asset), holder.account, CLAIM_MAX_DEPOSITS],
    });
  };
  const claimFree = () => {
    if (!holder) return;
    const account = holder.account;
    void relay.submit(community.token, async () => ({
      kind: "revenue",
      revenueShare: revenue.address,
      asset: assetAddress(asset),
      account,
      maxDeposits: CLAIM_MAX_DEPOSITS.toString(),
    }));
  };
  // The success message comes from the mined receipt's RevenueClaimed event.
  const claimed = parseEventLogs({ abi: revenueShareAbi, logs: confirmedReceipt(tx.state)?.logs ?? [], eventName: "RevenueClaimed" })[0];
  const claimedFree = parseEventLogs({ abi: revenueShareAbi, logs: confirmedReceipt(relay.state)?.logs ?? [], eventName: "RevenueClaimed" })[0];

  return (
    <div className="stack revenue-asset" data-testid={`revenue-asset-${key}`}>
      <div className="spread">
        <h3>
          {asset.symbol} revenue <span className="muted">· {view.count.toString()} deposit{view.count === 1n ? "" : "s"}</span>
        </h3>
        {asset.address && <AddressView address={asset.address} />}
      </div>
      {holder ? (
        <div className="spread revenue-claim">
          <div>
            <div className="stat-label">Your share to claim</div>
            <div className="stat-value">
              <Amount value={view.claimable} decimals={asset.decimals} symbol={asset.symbol} testId={`revenue-claimable-${key}`} />
            </div>
            {view.claimable === 0n && (
              <div className="muted">
                {view.nextClaim >= view.count ? "You have claimed every deposit." : `You held no ${community.symbol} before the unclaimed deposits.`}
              </div>
            )}
            {more && <div className="muted">One claim covers {CLAIM_MAX_DEPOSITS.toString()} deposits; claim again for the rest.</div>}
          </div>
          <div className="row">
            {free && view.claimable > 0n && (
              <Button onClick={claimFree} loading={relay.busy} disabled={tx.busy} data-testid={`revenue-claim-free-${key}`}>
                Claim {money(view.claimable)} for free
              </Button>
            )}
            <Button
              variant={free && view.claimable > 0n ? "secondary" : "primary"}
              onClick={claim}
              loading={tx.busy}
              disabled={tx.busy || relay.busy || view.claimable === 0n}
              data-testid={`revenue-claim-${key}`}
            >
              {view.claimable === 0n ? "Nothing to claim" : free ? "Pay gas yourself" : `Claim ${money(view.claimable)}`}
            </Button>
          </div>
        </div>
      ) : (
        <Notice>Connect a wallet to see and claim your share.</Notice>
      )}
      <TxStatus state={tx.state} success={claimed ? `Claimed ${money(claimed.args.amount)} of revenue.` : "Claimed"} testId={`revenue-claim-tx-${key}`} />
      <TxStatus state={relay.state} success={claimedFree ? `Claimed ${money(claimedFree.args.amount)} of revenue for free.` : "Claimed for free"} testId={`revenue-claim-free-tx-${key}`} />
      <ul className="list deposit-list">
        {view.deposits.map((d) => (
          <li key={d.id.toString()} className="list-item" data-testid={`revenue-deposit-${key}-${d.id}`}>
            <span>
              <strong>#{d.id.toString()}</strong> <Amount value={d.amount} decimals={asset.decimals} symbol={asset.symbol} />{" "}
              <span className="muted">
                over {formatAmount(d.supply, community.decimals, community.symbol)} · from {shortAddress(d.depositor)}
              </span>
            </span>
            <span className="muted">
              {formatDate(d.snapshot)} · claimed {money(d.claimed)} ·{" "}
              {now !== undefined && now > d.claimableUntil ? "claim window closed" : `claimable until ${formatDate(d.claimableUntil)}`}
              {now !== undefined && now <= d.claimableUntil ? ` (${formatRelative(d.claimableUntil, now)})` : ""}
            </span>
          </li>
        ))}
      </ul>
      {view.count > BigInt(view.deposits.length) && <p className="muted">Showing the latest {view.deposits.length} deposits.</p>}
    </div>
  );
}
