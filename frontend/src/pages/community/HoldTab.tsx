/**
 * The Hold tab: what the connected account holds and where its votes go (with delegation), then the
 * token's facts and the community's addresses. Everything shown comes from `useCommunity`; the tab
 * adds no reads of its own (the community page's request budget).
 */
import { HoldersCard } from "../../components/IndexerViews.tsx";
import { useState, type FormEvent } from "react";
import type { Address } from "viem";
import { useBytecode } from "wagmi";
import { useActiveChain } from "../../config/context.tsx";
import { AddressView, Amount, Button, Card, Field, Notice, Progress, Stat, TxStatus } from "../../components/ui.tsx";
import type { CommunityData, CommunityInfo, HolderInfo } from "../../hooks/useCommunity.ts";
import { checkDelegateInput, delegateKind, useDelegateForFree, useDelegateVotes, votesFromOthers } from "../../hooks/useDelegate.ts";
import { formatAmount, formatShare } from "../../lib/format.ts";

export function HoldTab({ data }: { data: CommunityData }) {
  const { community, holder } = data;
  return (
    <div className="stack hold">
      <div className="grid grid-2">
        {holder ? <HoldingCard community={community} holder={holder} /> : <ConnectPrompt symbol={community.symbol} />}
        <TokenFacts community={community} />
      </div>
      <HoldersCard community={community} />
      <CommunityAddresses community={community} />
    </div>
  );
}

function ConnectPrompt({ symbol }: { symbol: string }) {
  return (
    <Card title="Your holding" testId="hold-connect">
      <Notice tone="info">
        Connect a wallet (top right) to see your {symbol} balance and voting power, and to choose who votes with your tokens.
      </Notice>
    </Card>
  );
}

function HoldingCard({ community, holder }: { community: CommunityInfo; holder: HolderInfo }) {
  const { decimals, symbol } = community;
  const fromOthers = votesFromOthers(holder);
  return (
    <Card title="Your holding">
      <div className="hold-stats">
        <Stat label="Balance">
          <Amount value={holder.balance} decimals={decimals} symbol={symbol} testId="hold-balance" />
        </Stat>
        <Stat label="Voting power">
          <Amount value={holder.votes} decimals={decimals} symbol="votes" testId="hold-votes" />
          {fromOthers > 0n && <div className="stat-note">incl. {formatAmount(fromOthers, decimals)} delegated to you</div>}
        </Stat>
      </div>
      <DelegateView holder={holder} />
      <DelegateForm token={community.token} holder={holder} />
    </Card>
  );
}

function DelegateView({ holder }: { holder: HolderInfo }) {
  const kind = delegateKind(holder.delegate, holder.account, holder.balance);
  return (
    <div className="hold-delegate" data-testid="hold-delegate" data-address={holder.delegate} data-kind={kind}>
      <span className="muted">Your votes go to</span>{" "}
      {kind === "self" && <strong>yourself</strong>}
      {kind === "none" && <strong>nobody (voting opted out)</strong>}
      {kind === "other" && <AddressView address={holder.delegate} />}
    </div>
  );
}

function DelegateForm({ token, holder }: { token: Address; holder: HolderInfo }) {
  const { tx, delegateTo } = useDelegateVotes(token);
  const sponsored = useDelegateForFree(token, holder.balance);
  const { free } = sponsored;
  const busy = tx.busy || sponsored.relay.busy;
  const [text, setText] = useState("");
  const [touched, setTouched] = useState(false);
  const checked = checkDelegateInput(text, holder.delegate);
  const fieldError = touched && !checked.ok ? checked.error : null;
  const isSelf = delegateKind(holder.delegate, holder.account, holder.balance) === "self";

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setTouched(true);
    if (!checked.ok) return;
    const viaServer = free && (event.nativeEvent as SubmitEvent).submitter?.getAttribute("data-testid") === "delegate-free-submit";
    if (await (viaServer ? sponsored.delegateTo : delegateTo)(checked.value)) {
      setText("");
      setTouched(false);
    }
  };

  return (
    <div className="stack">
      <p className="field-hint">
        Voting power counts from checkpoints: a proposal uses the votes you had just before its voting starts, so delegate before then.
      </p>
      <div className="row">
        {free && !isSelf && (
          <Button onClick={() => void sponsored.delegateTo(holder.account)} loading={sponsored.relay.busy} disabled={tx.busy} data-testid="delegate-self-free">
            Delegate to yourself for free
          </Button>
        )}
        <Button
          variant="secondary"
          onClick={() => void delegateTo(holder.account)}
          disabled={busy || isSelf}
          title={isSelf ? "You already vote with your own tokens" : undefined}
          data-testid="delegate-self"
        >
          {isSelf ? "Voting with your own tokens" : "Delegate to yourself"}
        </Button>
      </div>
      <form className="hold-delegate-form" onSubmit={(e) => void submit(e)} noValidate>
        <Field
          label="Or delegate to an address"
          name="delegate-address"
          placeholder="0x…"
          autoComplete="off"
          spellCheck={false}
          value={text}
          onChange={(e) => {
            setText(e.target.value);
            // A cleared field starts over: no "enter an address" until the next submit.
            if (e.target.value.trim() === "") setTouched(false);
          }}
          onBlur={() => text.trim() !== "" && setTouched(true)}
          error={fieldError}
          hint="They vote with your tokens; your tokens stay with you."
          data-testid="delegate-address"
        />
        {free && (
          <Button type="submit" loading={sponsored.relay.busy} disabled={tx.busy} data-testid="delegate-free-submit">
            Delegate for free
          </Button>
        )}
        <Button type="submit" variant={free ? "secondary" : "primary"} loading={tx.busy} disabled={sponsored.relay.busy} data-testid="delegate-submit">
          {free ? "Delegate (pay gas yourself)" : "Delegate"}
        </Button>
      </form>
      <TxStatus state={tx.state} success="Delegation updated" testId="delegate-tx" />
      <TxStatus state={sponsored.relay.state} success="Delegation updated (sent for free)" testId="delegate-free-tx" />
    </div>
  );
}

function TokenFacts({ community }: { community: CommunityInfo }) {
  const { decimals, symbol, totalSupply, cap, treasuryTokens, treasuryEth } = community;
  const members = totalSupply > treasuryTokens ? totalSupply - treasuryTokens : 0n;
  return (
    <Card title="Token facts">
      <div className="hold-stats">
        <Stat label="Total supply">
          <Amount value={totalSupply} decimals={decimals} symbol={symbol} testId="total-supply" />
        </Stat>
        <Stat label="Cap">
          <Amount value={cap} decimals={decimals} symbol={symbol} testId="token-cap" />
        </Stat>
      </div>
      <div className="stack hold-bar">
        <div className="spread">
          <span>Minted</span>
          <span className="muted" data-testid="supply-share">
            {formatShare(totalSupply, cap)} of the cap
          </span>
        </div>
        <Progress value={totalSupply} max={cap} label="Supply as a share of the cap" />
      </div>
      <div className="stack hold-bar">
        <div className="spread">
          <span>Held by the treasury</span>
          <span className="muted" data-testid="treasury-share">
            {formatShare(treasuryTokens, totalSupply)} · members {formatShare(members, totalSupply)}
          </span>
        </div>
        <Progress value={treasuryTokens} max={totalSupply} label="Treasury share of the supply" tone="good" />
        <div className="spread muted hold-legend">
          <span>
            Treasury <Amount value={treasuryTokens} decimals={decimals} symbol={symbol} testId="treasury-tokens" />
          </span>
          <span>
            Members <Amount value={members} decimals={decimals} symbol={symbol} testId="member-tokens" />
          </span>
        </div>
      </div>
      <Stat label="Treasury ETH">
        <Amount value={treasuryEth} decimals={18} symbol="ETH" testId="treasury-eth" />
      </Stat>
    </Card>
  );
}

/** Whether a listed address holds a contract: the revenue share is only predicted until someone creates it. */
export type CodeState = "checking" | "deployed" | "not-deployed";

/** `useBytecode`'s answer as a state: no code (undefined data after loading, or "0x") means not deployed. */
export function codeState(bytecode: string | undefined, isLoading: boolean): CodeState {
  if (isLoading) return "checking";
  return bytecode && bytecode !== "0x" ? "deployed" : "not-deployed";
}

function CommunityAddresses({ community }: { community: CommunityInfo }) {
  const { chain } = useActiveChain();
  // The factory predicts the revenue share's address before anyone creates it: list it only when a
  // contract is there (issue 11 item 14).
  // With the indexer the community read already answered this (no eth_getCode).
  const known = community.revenueShareExists ?? null;
  const code = useBytecode({ address: community.revenueShare ?? undefined, chainId: chain.id, query: { enabled: community.revenueShare !== null && known === null } });
  const state: CodeState = known === null ? codeState(code.data ?? undefined, code.isLoading) : known ? "deployed" : "not-deployed";
  return <CommunityAddressList community={community} revenueShare={state} />;
}

export function CommunityAddressList({ community, revenueShare }: { community: CommunityInfo; revenueShare: CodeState }) {
  const rows: Array<[string, Address | null, string, CodeState?]> = [
    ["Token", community.token, "The ERC-20 with votes"],
    ["Governor", community.governor, "Where proposals are made and voted"],
    ["Treasury (timelock)", community.timelock, "Holds the treasury and runs passed proposals"],
    ["Reward vault", community.rewardVault, "Pays vouchers, referrals and campaigns"],
    ["Revenue share", community.revenueShare, "Shares deposited revenue with holders", revenueShare],
    ["Creator", community.creator, "Launched the community"],
  ];
  return (
    <Card title="Community addresses">
      <ul className="list hold-addresses">
        {rows.map(([label, address, hint, state]) => (
          <li key={label} className="list-item" data-testid={`address-${label.split(" ")[0].toLowerCase()}`}>
            <div>
              <div className="hold-address-label">{label}</div>
              <div className="muted hold-address-hint">{hint}</div>
            </div>
            {!address ? (
              <span className="muted">none</span>
            ) : state === "checking" ? (
              <span className="muted">checking…</span>
            ) : state === "not-deployed" ? (
              <span className="muted" data-testid="revenue-share-not-set-up" title="Not created yet: the creator console sets it up">
                not set up
              </span>
            ) : (
              <AddressView address={address} />
            )}
          </li>
        ))}
      </ul>
      {community.treasuryEth === 0n && community.treasuryTokens === 0n && (
        <Notice tone="neutral">The treasury is empty so far.</Notice>
      )}
    </Card>
  );
}
