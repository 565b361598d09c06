/**
 * The claim page, `/claim?v=…&s=…`: one signed voucher. Shows who gets how much of which community,
 * the referrer, the expiry (chain time), whether the link was redeemed, is for another chain or for
 * a vault that is not a Coterie community's, and whether the vault's attester signed it (checked
 * off-chain; a contract-wallet attester is left to the simulation). Anyone connected may redeem; the
 * tokens always go to the recipient. The link's query (and any `?ref=`) stays in the address bar
 * throughout: connecting a wallet or switching network never navigates. A community the platform
 * has not verified is marked "Not verified"; a link larger than the vault's whole budget per period,
 * or one this period's budget can no longer pay, says so (with when the next period starts) instead
 * of offering to redeem.
 */
import { useEffect, useMemo } from "react";
import { useConnection, useSwitchChain } from "wagmi";
import { getAddress, zeroAddress, type Hex } from "viem";
import { parseClaimLink, type ClaimPayload } from "../../../shared/rewards.ts";
import { AddressView, Amount, Badge, Button, Card, Empty, Notice, Skeleton, Stat, TxStatus, VerificationBadge } from "../components/ui.tsx";
import { openWalletMenu } from "../components/WalletBar.tsx";
import { useActiveChain, useRuntime } from "../config/context.tsx";
import { rewardVaultAbi } from "../generated/abis.ts";
import { useClaimLink, type ClaimReads } from "../hooks/useClaimLink.ts";
import { useTransaction } from "../hooks/useTransaction.ts";
import { useRelay } from "../hooks/useRelay.ts";
import { relayOn, useServerCommunity } from "../hooks/useSponsored.ts";
import { wireVoucher } from "../lib/server.ts";
import { explainError } from "../lib/errors.ts";
import { formatDate, formatRelative } from "../lib/format.ts";
import { rememberReferrer } from "../lib/referral.ts";
import { claimVerdict, type ClaimVerdict } from "../lib/rewards.ts";
import { Link, useLocation } from "../lib/router.tsx";
import { communityPath } from "../lib/routes.ts";

function parse(search: string): { payload: ClaimPayload } | { error: string } {
  try {
    return { payload: parseClaimLink(search) };
  } catch (e) {
    const message = (e as Error).message;
    return { error: message.charAt(0).toUpperCase() + message.slice(1) + "." };
  }
}

export default function ClaimPage() {
  const { query } = useLocation();
  const search = query.toString();
  const parsed = useMemo(() => parse(search), [search]);

  if ("error" in parsed) {
    return (
      <Card title="Claim link" testId="claim-page">
        <Notice tone="bad" testId="claim-link-error">
          This claim link is broken: {parsed.error}
        </Notice>
        <p className="muted">Ask the creator for the link again, and copy it whole: it ends with a long signature (s=0x…).</p>
      </Card>
    );
  }
  // Keyed by the link: another link starts afresh (no transaction state carried over).
  return <ClaimView key={search} payload={parsed.payload} refParam={query.get("ref")} />;
}

function ClaimView({ payload, refParam }: { payload: ClaimPayload; refParam: string | null }) {
  const { reads, chain: linkChain, now } = useClaimLink(payload);
  const { chain: activeChain } = useActiveChain();
  const runtime = useRuntime();
  const token = reads.data?.community?.token ?? null;

  // A claim link may carry ?ref= like any other page: remember it for the community.
  useEffect(() => {
    if (token && refParam) rememberReferrer(token, new URLSearchParams({ ref: refParam }));
  }, [token, refParam]);

  if (linkChain === null) {
    return (
      <Card title="Claim link" testId="claim-page">
        <Notice tone="warn" testId="claim-unknown-chain">
          This link is for chain {payload.chainId.toString()}, which this app is not set up for (it knows{" "}
          {runtime.chains.map((c) => `${c.name} (chain ${c.id})`).join(", ")}). Open it in the app of that network.
        </Notice>
      </Card>
    );
  }
  if (reads.isError) {
    return (
      <Card title="Claim link" testId="claim-page">
        <Empty title="Cannot read this link's community">{explainError(reads.error)}</Empty>
      </Card>
    );
  }
  if (reads.isPending || now === undefined) {
    return (
      <Card title="Claim link" testId="claim-page">
        <Skeleton lines={5} />
      </Card>
    );
  }
  const data = reads.data;
  const verdict = claimVerdict(payload, {
    activeChainId: activeChain.id,
    chainConfigured: true,
    isVault: data.isVault,
    isCoterie: data.community !== null,
    redeemed: data.redeemed,
    paused: data.paused,
    now,
    signer: data.signer,
    budget: data.budget,
  });
  return <ClaimDetails payload={payload} data={data} verdict={verdict} now={now} linkChainName={linkChain.name} />;
}

/** The link's details and what can be done with it (exported for its unit test). */
export function ClaimDetails({ payload, data, verdict, now, linkChainName }: {
  payload: ClaimPayload;
  data: ClaimReads;
  verdict: ClaimVerdict;
  now: bigint;
  linkChainName: string;
}) {
  const { voucher } = payload;
  const { address } = useConnection();
  const tx = useTransaction();
  const relay = useRelay();
  const switchChain = useSwitchChain();
  const community = data.community;
  // "Redeem for free" when the link's chain is the app's, it names a server, and that server sponsors this community.
  const sponsor = useServerCommunity(community?.token ?? null);
  const free = relayOn(sponsor.data) && !relay.unreachable && sponsor.data?.rewardVault === getAddress(payload.vault);
  const decimals = community?.decimals ?? 18;
  const symbol = community?.symbol ?? "tokens";
  const isRecipient = address !== undefined && address === voucher.recipient;
  const redeemedHere = tx.state.status === "confirmed" || relay.state.status === "confirmed";
  const redeemRefreshing =
    (tx.state.status === "confirmed" && tx.state.refreshing === true) || (relay.state.status === "confirmed" && relay.state.refreshing === true);
  const redeemFree = () => {
    if (!community) return;
    void relay.submit(community.token, async () => ({
      kind: "redeem",
      voucher: wireVoucher({ recipient: getAddress(voucher.recipient), amount: voucher.amount, referrer: getAddress(voucher.referrer), id: voucher.id, deadline: voucher.deadline }),
      signature: payload.signature as Hex,
    }));
  };
  const expired = now > voucher.deadline;

  const redeem = () =>
    void tx.send({
      address: getAddress(payload.vault),
      abi: rewardVaultAbi,
      functionName: "redeem",
      args: [
        {
          recipient: getAddress(voucher.recipient),
          amount: voucher.amount,
          referrer: getAddress(voucher.referrer),
          id: voucher.id,
          deadline: voucher.deadline,
        },
        payload.signature as Hex,
      ],
    });

  return (
    <div className="stack claim" data-testid="claim-page" data-token={community?.token ?? ""}>
      <Card title={community ? `A reward from ${community.name}` : "Claim link"}>
        <div className="claim-hero">
          <Amount value={voucher.amount} decimals={decimals} symbol={symbol} testId="claim-amount" />
          {community && (
            <div className="badges">
              <VerificationBadge verified={community.verified} />
              <AddressView address={community.token} label="Token" />
            </div>
          )}
        </div>
        <dl className="kv">
          <dt>For</dt>
          <dd data-testid="claim-recipient" data-address={voucher.recipient}>
            <AddressView address={voucher.recipient} /> {isRecipient && <Badge tone="accent">you</Badge>}
          </dd>
          {voucher.referrer !== zeroAddress && (
            <>
              <dt>Referred by</dt>
              <dd data-testid="claim-referrer" data-address={voucher.referrer}>
                <AddressView address={voucher.referrer} />
              </dd>
            </>
          )}
          <dt>{expired ? "Expired" : "Expires"}</dt>
          <dd data-testid="claim-expiry">
            {formatRelative(voucher.deadline, now)} <span className="muted">({formatDate(voucher.deadline)})</span>
          </dd>
          <dt>Network</dt>
          <dd>
            {linkChainName} <span className="muted">(chain {payload.chainId.toString()})</span>
          </dd>
          <dt>Signature</dt>
          <dd data-testid="claim-signature" data-kind={data.signer.kind}>
            {data.isVault ? <SignatureView data={data} /> : <span className="muted">Not checked: there is no reward vault at this address.</span>}
          </dd>
        </dl>
      </Card>

      <Card title="Redeem">
        {redeemedHere ? (
          <RedeemedView payload={payload} data={data} refreshing={redeemRefreshing} />
        ) : (
          <>
            <div data-testid="claim-status" data-status={verdict.status}>
              <Notice tone={verdict.status === "ready" ? "good" : verdict.status === "wrong-chain" || verdict.status === "budget-used-up" ? "warn" : "bad"}>
                {verdict.message}
              </Notice>
            </div>
            {verdict.status === "wrong-chain" && (
              <div className="row">
                <Button
                  loading={switchChain.isPending}
                  onClick={() => switchChain.mutate({ chainId: Number(payload.chainId) })}
                  data-testid="claim-switch-network"
                >
                  Switch to {linkChainName}
                </Button>
                {switchChain.error && <span className="field-error">{explainError(switchChain.error)}</span>}
              </div>
            )}
            {verdict.status === "ready" && (
              <>
                {address && !isRecipient && (
                  <Notice testId="claim-not-recipient">
                    You are connected as another account. You can still submit this link (you pay the gas), but the
                    tokens go to the recipient, never to you.
                  </Notice>
                )}
                {address ? (
                  <div className="row">
                    {free && (
                      <Button onClick={redeemFree} loading={relay.busy} disabled={tx.busy} data-testid="claim-redeem-free">
                        Redeem {community ? <Amount value={voucher.amount} decimals={decimals} symbol={symbol} /> : null} for free
                      </Button>
                    )}
                    <Button variant={free ? "secondary" : "primary"} onClick={redeem} loading={tx.busy} disabled={relay.busy} data-testid="claim-redeem">
                      {free ? (
                        "Pay gas yourself"
                      ) : (
                        <>Redeem {community ? <Amount value={voucher.amount} decimals={decimals} symbol={symbol} /> : null}</>
                      )}
                    </Button>
                  </div>
                ) : (
                  <div className="stack-tight">
                    <p className="muted small">Connect a wallet to redeem. Any account can submit the link; the tokens go to the recipient.</p>
                    <div className="row">
                      <Button onClick={openWalletMenu} data-testid="claim-connect">
                        Connect wallet
                      </Button>
                    </div>
                  </div>
                )}
              </>
            )}
          </>
        )}
        <TxStatus state={tx.state} success="Redeemed" testId="claim-tx" />
        <TxStatus state={relay.state} success="Redeemed (sent for free)" testId="claim-free-tx" />
      </Card>
    </div>
  );
}

function SignatureView({ data }: { data: ClaimReads }) {
  switch (data.signer.kind) {
    case "attester":
      return <Badge tone="good">✓ Signed by the community's attester</Badge>;
    case "contract-attester":
      return (
        <span className="muted">
          The attester is a contract wallet (ERC-1271): its signature cannot be checked here. The redemption is simulated
          before you sign, so a bad one is caught then.
        </span>
      );
    case "other-signer":
      return (
        <span className="stack-tight">
          <Badge tone="bad">✗ Not the attester's signature</Badge>
          <span className="muted">
            Signed by <AddressView address={data.signer.signer} />; the attester is {data.attester ? <AddressView address={data.attester} /> : "unknown"}.
          </span>
        </span>
      );
    case "malformed":
      return <Badge tone="bad">✗ Malformed signature</Badge>;
  }
}

/**
 * After a redemption: the recipient and its new balance side by side (the address's Copy button
 * beside it, not inside a sentence), and "updating…" instead of the balance until the reads have
 * caught up with the receipt's block (issue 11 item 17: it showed the balance from before for a
 * moment).
 */
export function RedeemedView({ payload, data, refreshing }: { payload: ClaimPayload; data: Pick<ClaimReads, "community" | "recipientBalance">; refreshing: boolean }) {
  const community = data.community;
  return (
    <div className="stack" data-testid="claim-success">
      <Notice tone="good">Redeemed: the tokens are minted to the recipient.</Notice>
      <div className="stats">
        <Stat label="Recipient">
          <AddressView address={payload.voucher.recipient} />
        </Stat>
        <Stat label="Balance now" testId="claim-balance-stat">
          {refreshing ? (
            <span className="muted" data-testid="claim-new-balance-updating">
              <span className="spinner" aria-hidden /> updating…
            </span>
          ) : data.recipientBalance !== null && community ? (
            <Amount value={data.recipientBalance} decimals={community.decimals} symbol={community.symbol} testId="claim-new-balance" />
          ) : (
            <span className="muted">not read</span>
          )}
        </Stat>
      </div>
      {community && (
        <div className="row">
          <Link href={communityPath(community.token)} className="btn btn-secondary" data-testid="claim-community-link">
            Open {community.name}
          </Link>
          <Link href={communityPath(community.token, "earn")} className="btn btn-ghost">
            Earn more: your referral link
          </Link>
        </div>
      )}
    </div>
  );
}
