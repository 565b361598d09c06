/** One crowdfund: its terms and progress, the fan's position, and what can be done in its current phase. */
import { parseEventLogs, type TransactionReceipt } from "viem";
import { AddressView, Amount, Badge, Button, Card, Notice, Progress, Stat, TxStatus, type Tone } from "../../../components/ui.tsx";
import type { CommunityData } from "../../../hooks/useCommunity.ts";
import { useTransaction } from "../../../hooks/useTransaction.ts";
import { useRelay } from "../../../hooks/useRelay.ts";
import { relayOn, useServerCommunity } from "../../../hooks/useSponsored.ts";
import { crowdfundAbi } from "../../../generated/abis.ts";
import { formatAmount, formatBps, formatDate, formatRelative, formatShare } from "../../../lib/format.ts";
import { crowdfundPhase, formatPrice, type CrowdfundPhase, type CrowdfundState } from "../../../lib/funding.ts";
import type { CrowdfundView } from "../../../reads/funding.ts";
import { ContributeForm } from "./ContributeForm.tsx";
import { cfId, confirmedReceipt } from "./ids.ts";

const STATE_TONE: Record<CrowdfundState, Tone> = { Active: "info", Ended: "warn", Succeeded: "good", Failed: "bad" };

function eventOf<const N extends "Finalized" | "Failed" | "TokensClaimed" | "Refunded" | "PayoutWithdrawn">(
  receipt: TransactionReceipt | null,
  cf: CrowdfundView,
  eventName: N,
) {
  if (!receipt) return undefined;
  return parseEventLogs({ abi: crowdfundAbi, logs: receipt.logs, eventName }).find((l) => l.address.toLowerCase() === cf.address.toLowerCase());
}

export function CrowdfundCard({ data, crowdfund: cf, now }: { data: CommunityData; crowdfund: CrowdfundView; now: bigint | undefined }) {
  const { community } = data;
  const token = { symbol: community.symbol, decimals: community.decimals };
  const money = (v: bigint) => formatAmount(v, cf.payment.decimals, cf.payment.symbol);
  const phase = crowdfundPhase(cf, now ?? 0n);
  const reached = cf.raised >= cf.goal;

  return (
    <Card
      testId={cfId("crowdfund", cf)}
      className="crowdfund"
      title={
        <span className="row">
          Crowdfund <Badge tone={STATE_TONE[cf.state]} testId={cfId("cf-state", cf)}>{cf.state}</Badge>
          {(cf.state === "Active" || cf.state === "Ended") &&
            (cf.minterGranted ? (
              <Badge tone="good" testId={cfId("cf-approval", cf)}>DAO approved minting</Badge>
            ) : (
              <Badge tone="warn" testId={cfId("cf-approval", cf)}>Awaiting DAO approval</Badge>
            ))}
        </span>
      }
      actions={<AddressView address={cf.address} />}
    >
      <div className="stack cf-progress">
        <div className="spread">
          <span>
            <strong>
              <Amount value={cf.raised} decimals={cf.payment.decimals} symbol={cf.payment.symbol} testId={cfId("cf-raised", cf)} />
            </strong>{" "}
            <span className="muted">raised of {money(cf.goal)} goal ({formatShare(cf.raised, cf.goal)})</span>
          </span>
          <span className="muted">{cf.cap === 0n ? "no cap" : `cap ${money(cf.cap)}`}</span>
        </div>
        <Progress value={cf.raised} max={cf.goal} tone={cf.state === "Failed" ? "bad" : reached ? "good" : "accent"} label="Raised of the goal" />
      </div>

      <div className="stats">
        <Stat label={now !== undefined && now > cf.deadline ? "Closed" : "Closes"} testId={cfId("cf-deadline", cf)}>
          <span title={formatDate(cf.deadline)}>{now === undefined ? formatDate(cf.deadline) : formatRelative(cf.deadline, now)}</span>
          <div className="stat-sub muted">{formatDate(cf.deadline)}</div>
        </Stat>
        <Stat label="Price" testId={cfId("cf-price", cf)}>
          {formatPrice(cf.price, token, cf.payment)}
        </Stat>
        <Stat label="Referral bonus">
          {formatBps(cf.referralBps)}
          <div className="stat-sub muted">of the tokens a referred contribution buys</div>
        </Stat>
        <Stat label="Paid in">
          {cf.payment.symbol}
          {cf.payment.address && (
            <div className="stat-sub">
              <AddressView address={cf.payment.address} />
            </div>
          )}
        </Stat>
      </div>

      {!cf.minterGranted && cf.state !== "Succeeded" && cf.state !== "Failed" && (
        <Notice tone="warn" testId={cfId("cf-approval-notice", cf)}>
          {community.symbol}'s DAO has not yet allowed this crowdfund to mint {community.symbol} (a proposal granting it{" "}
          <code>MINTER_ROLE</code>). Without it the crowdfund cannot succeed: if the grant has not come by{" "}
          {formatDate(cf.deadline + 30n * 86_400n)} (30 days after the deadline), it fails and every contributor takes back the full amount
          paid.
        </Notice>
      )}

      {cf.account && <Position cf={cf} token={token} />}
      <PhaseActions data={data} cf={cf} phase={phase} />
    </Card>
  );
}

function Position({ cf, token }: { cf: CrowdfundView; token: { symbol: string; decimals: number } }) {
  const a = cf.account;
  if (!a) return null;
  const settled = cf.state === "Succeeded" || cf.state === "Failed";
  if (settled && a.contributed === 0n && a.referred === 0n && a.tokens === 0n && a.bonus === 0n) return null;
  const referrer = a.referred > 0n || a.bonus > 0n;
  const when = cf.state === "Succeeded" ? "claimable now" : cf.state === "Failed" ? "none: it failed" : "if it succeeds";
  return (
    <div className="stats cf-position" data-testid={cfId("cf-position", cf)}>
      <Stat label="You contributed">
        <Amount value={a.contributed} decimals={cf.payment.decimals} symbol={cf.payment.symbol} testId={cfId("cf-contributed", cf)} />
      </Stat>
      <Stat label="Your tokens">
        <Amount value={a.tokens} decimals={token.decimals} symbol={token.symbol} testId={cfId("cf-tokens", cf)} />
        <div className="stat-sub muted">{when}</div>
      </Stat>
      {referrer && (
      <Stat label="Your referral bonus">
        <Amount value={a.bonus} decimals={token.decimals} symbol={token.symbol} testId={cfId("cf-bonus", cf)} />
        <div className="stat-sub muted">
          for {formatAmount(a.referred, cf.payment.decimals, cf.payment.symbol)} you referred
        </div>
      </Stat>
      )}
    </div>
  );
}

/** The buttons of the current phase; every transaction's status stays visible after the phase moves on. */
function PhaseActions({ data, cf, phase }: { data: CommunityData; cf: CrowdfundView; phase: CrowdfundPhase }) {
  const { community, holder } = data;
  const finalizeTx = useTransaction();
  const claimTx = useTransaction();
  const refundTx = useTransaction();
  const payoutTx = useTransaction();
  // "Claim for free": the Coterie server submits claimTokens(account); the tokens go to the account.
  const claimRelay = useRelay();
  const sponsor = useServerCommunity(community.token);
  const free = relayOn(sponsor.data) && !claimRelay.unreachable;
  const money = (v: bigint) => formatAmount(v, cf.payment.decimals, cf.payment.symbol);
  const tok = (v: bigint) => formatAmount(v, community.decimals, community.symbol);
  const a = cf.account;

  const finalize = () => finalizeTx.send({ address: cf.address, abi: crowdfundAbi, functionName: "finalize" });
  const claim = () => holder && claimTx.send({ address: cf.address, abi: crowdfundAbi, functionName: "claimTokens", args: [holder.account] });
  const claimFree = () => {
    if (!holder) return;
    const account = holder.account;
    void claimRelay.submit(community.token, async () => ({ kind: "crowdfund", crowdfund: cf.address, account }));
  };
  const refund = () => holder && refundTx.send({ address: cf.address, abi: crowdfundAbi, functionName: "refund", args: [holder.account] });
  const withdraw = (recipient: `0x${string}`) =>
    payoutTx.send({ address: cf.address, abi: crowdfundAbi, functionName: "withdrawPayout", args: [recipient] });

  // Each success message is read from the mined receipt's events: what actually happened.
  const finalized = eventOf(confirmedReceipt(finalizeTx.state), cf, "Finalized");
  const closedFailed = eventOf(confirmedReceipt(finalizeTx.state), cf, "Failed");
  const claimed = eventOf(confirmedReceipt(claimTx.state), cf, "TokensClaimed");
  const refunded = eventOf(confirmedReceipt(refundTx.state), cf, "Refunded");
  const paidOut = eventOf(confirmedReceipt(payoutTx.state), cf, "PayoutWithdrawn");
  const finalizeText = finalized
    ? `Finalized: ${money(finalized.args.proceeds)} went to the treasury and ${tok(finalized.args.tokens)} were minted for contributors.`
    : closedFailed
      ? "Closed as failed: every contributor can now take back what they paid."
      : "Finalized";
  const busy = finalizeTx.busy || claimTx.busy || refundTx.busy || payoutTx.busy;
  const canRefund = a !== null && a.contributed > 0n;
  const canClaim = a !== null && a.tokens + a.bonus > 0n;

  return (
    <div className="stack cf-actions">
      {phase.kind === "active" && <ContributeForm data={data} cf={cf} />}

      {phase.kind === "finalize" && (
        <div className="row">
          <Button onClick={finalize} loading={finalizeTx.busy} disabled={busy} data-testid={cfId("cf-finalize", cf)}>
            Finalize
          </Button>
          <span className="muted">
            The goal was reached. Anyone can finalize: the treasury receives the funds less the platform fee ({formatBps(cf.feeBps)}) and
            contributors can claim their {community.symbol}.
          </span>
        </div>
      )}
      {phase.kind === "awaiting-approval" && (
        <div className="row">
          <Button variant="secondary" onClick={finalize} loading={finalizeTx.busy} disabled={busy} data-testid={cfId("cf-finalize", cf)}>
            Try to finalize
          </Button>
          <span className="muted">
            The goal was reached, but finalizing needs the DAO's grant to mint. It can be retried until {formatDate(phase.retryUntil)}; after
            that the crowdfund closes as failed and refunds open.
          </span>
        </div>
      )}
      {phase.kind === "close-failed" && (
        <div className="row">
          <Button onClick={finalize} loading={finalizeTx.busy} disabled={busy} data-testid={cfId("cf-finalize", cf)}>
            Close as failed
          </Button>
          <span className="muted">
            The DAO never allowed this crowdfund to mint and the 30-day grace period is over. Anyone can close it as failed; then every
            contributor takes back the full amount.
          </span>
        </div>
      )}
      {(phase.kind === "missed" || phase.kind === "failed") && (
        <div className="row">
          {canRefund ? (
            <>
              <Button onClick={refund} loading={refundTx.busy} disabled={busy} data-testid={cfId("cf-refund", cf)}>
                Refund {money(a.contributed)}
              </Button>
              <span className="muted">
                {phase.kind === "missed" ? "The goal was missed." : "The crowdfund failed."} You get back exactly what you paid, no fee.
              </span>
            </>
          ) : (
            <span className="muted" data-testid={cfId("cf-nothing-to-refund", cf)}>
              {phase.kind === "missed" ? "The goal was missed; contributors take their money back." : "The crowdfund failed; contributors take their money back."}
              {a ? " You have nothing here to refund." : ""}
            </span>
          )}
        </div>
      )}
      {phase.kind === "succeeded" && (
        <div className="row">
          {canClaim ? (
            <>
              {free && (
                <Button onClick={claimFree} loading={claimRelay.busy} disabled={busy} data-testid={cfId("cf-claim-free", cf)}>
                  Claim {tok(a.tokens + a.bonus)} for free
                </Button>
              )}
              <Button variant={free ? "secondary" : "primary"} onClick={claim} loading={claimTx.busy} disabled={busy || claimRelay.busy} data-testid={cfId("cf-claim", cf)}>
                {free ? "Pay gas yourself" : `Claim ${tok(a.tokens + a.bonus)}`}
              </Button>
              {a.bonus > 0n && <span className="muted">including {tok(a.bonus)} referral bonus</span>}
            </>
          ) : (
            <span className="muted">The crowdfund succeeded.{a ? " You have no tokens to claim here." : ""}</span>
          )}
        </div>
      )}
      {(cf.owed.treasury > 0n || cf.owed.feeRecipient > 0n) && (
        <div className="stack">
          {cf.owed.treasury > 0n && (
            <div className="row">
              <Button variant="secondary" onClick={() => withdraw(community.timelock)} loading={payoutTx.busy} disabled={busy} data-testid={cfId("cf-payout-treasury", cf)}>
                Send {money(cf.owed.treasury)} to the treasury
              </Button>
              <span className="muted">A payout the treasury could not take at finalization; anyone can send it now.</span>
            </div>
          )}
          {cf.owed.feeRecipient > 0n && (
            <div className="row">
              <Button variant="secondary" onClick={() => withdraw(cf.feeRecipient)} loading={payoutTx.busy} disabled={busy} data-testid={cfId("cf-payout-fee", cf)}>
                Send the {money(cf.owed.feeRecipient)} platform fee
              </Button>
            </div>
          )}
        </div>
      )}
      <TxStatus state={finalizeTx.state} success={finalizeText} testId={cfId("cf-finalize-tx", cf)} />
      <TxStatus state={claimTx.state} success={claimed ? `Claimed ${tok(claimed.args.tokens + claimed.args.bonus)}; they vote at once.` : "Tokens claimed"} testId={cfId("cf-claim-tx", cf)} />
      <TxStatus state={claimRelay.state} success={(() => {
        const ev = eventOf(confirmedReceipt(claimRelay.state), cf, "TokensClaimed");
        return ev ? `Claimed ${tok(ev.args.tokens + ev.args.bonus)} for free; they vote at once.` : "Tokens claimed for free";
      })()} testId={cfId("cf-claim-free-tx", cf)} />
      <TxStatus state={refundTx.state} success={refunded ? `Refunded ${money(refunded.args.amount)}: everything you paid.` : "Refunded"} testId={cfId("cf-refund-tx", cf)} />
      <TxStatus state={payoutTx.state} success={paidOut ? `Sent ${money(paidOut.args.amount)} to its recipient.` : "Payout sent"} testId={cfId("cf-payout-tx", cf)} />
    </div>
  );
}
