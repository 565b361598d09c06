/**
 * The views the indexer makes possible (hooks/useIndexer.ts): the holders leaderboard (Hold tab),
 * the fans a fan referred (Earn tab), and the parts "My communities" shares with them. Each says
 * plainly that it needs the indexer when the chain's configuration names none, and shows the
 * indexer's error with a retry when it is down; nothing else on the page depends on them.
 */
import type { Address } from "viem";
import { useActiveChain } from "../config/context.tsx";
import { HOLDERS_PAGE_SIZE, useHolders, useReferrals } from "../hooks/useIndexer.ts";
import type { CommunityInfo } from "../reads/community.ts";
import { explainError } from "../lib/errors.ts";
import { formatDate, formatShare } from "../lib/format.ts";
import { AddressView, Amount, Button, Card, Empty, Notice, Skeleton } from "./ui.tsx";

/** What a view shows when the active chain has no indexer configured. */
export function NeedsIndexer({ what, testId }: { what: string; testId?: string }) {
  const { chain } = useActiveChain();
  return (
    <Notice tone="neutral" testId={testId ?? "needs-indexer"}>
      {what} needs the indexer, and this app's configuration names none for {chain.name} (<code>indexerUrl</code> in <code>/coterie.json</code>).
    </Notice>
  );
}

/** What a view shows when the indexer errs or cannot be reached. */
export function IndexerDown({ error, retry }: { error: unknown; retry: () => void }) {
  return (
    <Notice tone="warn" testId="indexer-down">
      The indexer is not answering: {explainError(error)}{" "}
      <Button variant="secondary" className="btn-small" onClick={retry} data-testid="indexer-retry">
        Try again
      </Button>
    </Notice>
  );
}

function LoadMore({ query, testId }: { query: { hasNextPage: boolean; isFetchingNextPage: boolean; fetchNextPage: () => Promise<unknown> }; testId: string }) {
  if (!query.hasNextPage) return null;
  return (
    <div className="explore-more">
      <Button variant="secondary" loading={query.isFetchingNextPage} onClick={() => void query.fetchNextPage()} data-testid={testId}>
        Load more
      </Button>
    </div>
  );
}

/** The community's holders by balance, ten at a time (GET /api/communities/:token/holders). */
export function HoldersCard({ community }: { community: CommunityInfo }) {
  const { indexer, query } = useHolders(community.token);
  const unit = { decimals: community.decimals, symbol: community.symbol };
  const holders = query.data?.pages.flatMap((p) => p.items) ?? [];
  return (
    <Card title="Top holders" testId="holders-card">
      {!indexer ? (
        <NeedsIndexer what="The holders leaderboard" />
      ) : query.isPending ? (
        <Skeleton lines={3} />
      ) : query.isError && holders.length === 0 ? (
        <IndexerDown error={query.error} retry={() => void query.refetch()} />
      ) : holders.length === 0 ? (
        <Empty title="No holders yet" />
      ) : (
        <>
          <ol className="list holders" aria-label={`Holders of ${community.symbol}, largest first`}>
            {holders.map((h, i) => (
              <li key={h.account} className="list-item" data-testid="holder-row" data-account={h.account}>
                <span className="muted">#{i + 1}</span>
                <AddressView address={h.account} />
                <Amount value={h.balance} {...unit} testId="holder-balance" />
                <span className="muted">{formatShare(h.balance, community.totalSupply)}</span>
              </li>
            ))}
          </ol>
          {query.isFetchNextPageError && <p className="field-error">{explainError(query.error)}</p>}
          <LoadMore query={query} testId="holders-load-more" />
          <p className="field-hint">From the indexer, {HOLDERS_PAGE_SIZE} at a time; balances may lag the chain by a few blocks.</p>
        </>
      )}
    </Card>
  );
}

const SOURCE_LABELS = { vault: "reward claim", crowdfund: "crowdfund contribution" } as const;

/** The fans `account` referred in this community (GET /api/accounts/:address/referrals?token=). */
export function ReferralsCard({ community, account }: { community: CommunityInfo; account: Address | undefined }) {
  const { indexer, query } = useReferrals(account, community.token);
  const unit = { decimals: community.decimals, symbol: community.symbol };
  const rows = query.data?.pages.flatMap((p) => p.items) ?? [];
  return (
    <Card title="Fans you referred" testId="referrals-card">
      {!indexer ? (
        <NeedsIndexer what="The list of fans you referred" />
      ) : !account ? (
        <p className="field-hint">Connect a wallet to see the fans you referred.</p>
      ) : query.isPending ? (
        <Skeleton lines={2} />
      ) : query.isError && rows.length === 0 ? (
        <IndexerDown error={query.error} retry={() => void query.refetch()} />
      ) : rows.length === 0 ? (
        <Empty title="No referred fans yet">Share your referral link above; fans who use it are listed here.</Empty>
      ) : (
        <>
          <ul className="list referrals">
            {rows.map((r) => (
              <li key={`${r.fan}-${r.txHash}`} className="list-item" data-testid="referral-row" data-fan={r.fan}>
                <AddressView address={r.fan} />
                <span className="muted">{SOURCE_LABELS[r.source]}</span>
                {r.bonus > 0n ? <Amount value={r.bonus} {...unit} testId="referral-bonus" /> : <span className="muted">no bonus yet</span>}
                <span className="muted">{formatDate(r.createdAt)}</span>
              </li>
            ))}
          </ul>
          {query.isFetchNextPageError && <p className="field-error">{explainError(query.error)}</p>}
          <LoadMore query={query} testId="referrals-load-more" />
        </>
      )}
    </Card>
  );
}
