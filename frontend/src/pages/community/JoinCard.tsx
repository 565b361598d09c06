/**
 * "Join for free" (issue 14): on a chain whose `/coterie.json` entry names a Coterie server, and only
 * when the server says the community's join is ready (its attester is the vault's), a fan who opened
 * `/c/<token>?ref=<referrer>` signs in (EIP-4361), gets a welcome voucher naming that referrer
 * (POST /v1/join) and redeems it through the relay: no ETH needed. Right after, if the fan's tokens
 * do not vote for the fan yet, one more signature delegates them to the fan, also for free, so the
 * fan can vote on proposals created from then on.
 *
 * Loaded on demand, and only on chains with a server: elsewhere the page makes no extra request.
 * A fan who already joined sees that (the vault reports the join voucher's id redeemed).
 */
import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { useConfig, useConnection } from "wagmi";
import { readContract } from "wagmi/actions";
import { getAddress, zeroAddress, type Address } from "viem";
import { AddressView, Amount, Button, Card, Notice, TxStatus } from "../../components/ui.tsx";
import { openWalletMenu } from "../../components/WalletBar.tsx";
import { useActiveChain } from "../../config/context.tsx";
import { rewardVaultAbi, socialTokenAbi } from "../../generated/abis.ts";
import type { CommunityData } from "../../hooks/useCommunity.ts";
import { delegateKind } from "../../hooks/useDelegate.ts";
import { useRelay } from "../../hooks/useRelay.ts";
import { joinResource, useSignIn } from "../../hooks/useSignIn.ts";
import { signDelegation, useServerCommunity } from "../../hooks/useSponsored.ts";
import { rememberedReferrer } from "../../lib/referral.ts";
import { wireVoucher, type JoinResult } from "../../lib/server.ts";
import { joinVoucherId } from "../../lib/sponsored.ts";

export default function JoinCard({ data }: { data: CommunityData }) {
  const { community, holder } = data;
  const server = useServerCommunity(community.token);
  if (!server.data?.join.ready || !community.rewardVault) return null;
  return <JoinReady data={data} welcome={server.data.join.welcome} vault={community.rewardVault} holder={holder} />;
}

function JoinReady({ data, welcome, vault, holder }: { data: CommunityData; welcome: bigint; vault: Address; holder: CommunityData["holder"] }) {
  const { community } = data;
  const config = useConfig();
  const { chain } = useActiveChain();
  const { address } = useConnection();
  const redeem = useRelay();
  const delegate = useRelay();
  const signIn = useSignIn(redeem.server);
  const [joined, setJoined] = useState<JoinResult | null>(null);
  const unit = { decimals: community.decimals, symbol: community.symbol };
  const referrer = rememberedReferrer(community.token, address);

  // Whether this fan already joined: the vault knows the join voucher's id (one per fan), and who
  // referred them. Read only for an account that holds tokens (one eth_call, on chains with a
  // server): an account with none has not joined, or gave everything away, and may ask again.
  const holds = holder !== null && holder.account === address && holder.balance > 0n;
  const status = useQuery({
    queryKey: ["join-status", chain.id, vault, address ?? null],
    enabled: address !== undefined && holds,
    retry: false,
    queryFn: async () => {
      if (!address) throw new Error("no account");
      const [redeemed, referredBy] = await Promise.all([
        readContract(config, { chainId: chain.id, address: vault, abi: rewardVaultAbi, functionName: "isRedeemed", args: [joinVoucherId(address)] }),
        readContract(config, { chainId: chain.id, address: vault, abi: rewardVaultAbi, functionName: "referrerOf", args: [address] }),
      ]);
      return { redeemed, referredBy: referredBy === zeroAddress ? null : getAddress(referredBy) };
    },
  });

  const delegateToSelf = async (account: Address) => {
    await delegate.submit(community.token, () => signDelegation(config, { chainId: chain.id, token: community.token, account, delegatee: account }));
  };

  const join = async () => {
    if (!address) return openWalletMenu();
    const account = address;
    const receipt = await redeem.submit(community.token, async () => {
      const { message, signature } = await signIn(joinResource(community.token), `Join ${community.name} (${community.symbol}) and receive its welcome tokens.`);
      if (!redeem.server) throw new Error("This network has no Coterie server.");
      const result = await redeem.server.join({ token: community.token, referrer: referrer ?? null, message, signature });
      setJoined(result);
      return { kind: "redeem", voucher: wireVoucher(result.voucher), signature: result.signature };
    });
    if (!receipt) return;
    await status.refetch();
    // The token votes with a holder's own tokens unless it chose otherwise; check, and fix it for free if not.
    const current = await readContract(config, { chainId: chain.id, address: community.token, abi: socialTokenAbi, functionName: "delegates", args: [account] });
    if (delegateKind(current, account, 1n) !== "self") await delegateToSelf(account);
  };

  const alreadyJoined = status.data?.redeemed === true;
  const needsDelegation = holder !== null && holder.balance > 0n && delegateKind(holder.delegate, holder.account, holder.balance) !== "self";
  const referredBy = status.data?.referredBy ?? (joined && joined.voucher.referrer !== zeroAddress ? joined.voucher.referrer : null);

  return (
    <Card title={alreadyJoined ? `You joined ${community.name}` : `Join ${community.name} for free`} testId="join-card">
      {alreadyJoined ? (
        <div className="stack-tight" data-testid="join-done">
          <p>
            Your welcome tokens are in your account: <Amount value={holder?.balance ?? 0n} {...unit} testId="join-balance" />.
          </p>
          {referredBy && (
            <p className="muted" data-testid="join-referred-by">
              Referred by <AddressView address={referredBy} />
            </p>
          )}
          {needsDelegation ? (
            <div className="row">
              <span className="muted">Your tokens do not vote for you yet.</span>
              <Button variant="secondary" onClick={() => holder && void delegateToSelf(holder.account)} loading={delegate.busy} data-testid="join-delegate">
                Vote with my tokens (free)
              </Button>
            </div>
          ) : (
            holder && holder.balance > 0n && <p className="muted small" data-testid="join-votes-ready">Your tokens vote for you on proposals created from now on.</p>
          )}
        </div>
      ) : (
        <div className="stack-tight">
          <p>
            Get <Amount value={welcome} {...unit} testId="join-welcome" /> to start with. No ETH needed: you sign in with your wallet and the
            community's server pays the gas.
          </p>
          {referrer ? (
            <p className="muted" data-testid="join-referrer">
              Invited by <AddressView address={referrer} />: they earn the community's referral bonus when you join.
            </p>
          ) : null}
          <div className="row">
            <Button onClick={() => void join()} loading={redeem.busy} disabled={holds && status.isPending} data-testid="join-free">
              {address ? "Join for free" : "Connect a wallet to join for free"}
            </Button>
          </div>
        </div>
      )}
      <TxStatus state={redeem.state} success="You joined: your welcome tokens are minted." testId="join-tx" />
      <TxStatus state={delegate.state} success="Your tokens now vote for you." testId="join-delegate-tx" />
      {joined && redeem.state.status === "error" && (
        <Notice tone="info" testId="join-claim-link">
          Your welcome voucher is signed. You can also redeem it yourself and pay the gas: <a href={joined.claimLink}>open your claim link</a>.
        </Notice>
      )}
      {redeem.unreachable && !joined && <Notice tone="warn">The community's server does not answer right now; try again later.</Notice>}
    </Card>
  );
}
