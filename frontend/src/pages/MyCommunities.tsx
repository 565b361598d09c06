/**
 * "My communities" (/me): the communities the connected fan holds tokens or votes in, with its
 * referral totals, from the indexer (GET /api/accounts/:address). Needs the indexer: without one
 * it says so; with the indexer down, it says that and offers a retry.
 */
import { useConnection } from "wagmi";
import { IndexerDown, NeedsIndexer } from "../components/IndexerViews.tsx";
import { Amount, Card, Empty, Skeleton } from "../components/ui.tsx";
import { useMyCommunities } from "../hooks/useIndexer.ts";
import { votesUnit } from "../lib/format.ts";
import { Link } from "../lib/router.tsx";
import { communityPath, explorePath } from "../lib/routes.ts";

/** Community tokens have 18 decimals. */
const DECIMALS = 18;

export default function MyCommunitiesPage() {
  const { address } = useConnection();
  const { indexer, query } = useMyCommunities(address);
  return (
    <div className="stack" data-testid="my-communities">
      <h1>My communities</h1>
      {!indexer ? (
        <NeedsIndexer what="“My communities”" />
      ) : !address ? (
        <Card>
          <Empty title="Connect a wallet">Your communities are the ones whose tokens or votes your account holds.</Empty>
        </Card>
      ) : query.isPending ? (
        <Card>
          <Skeleton lines={3} />
        </Card>
      ) : query.isError ? (
        <IndexerDown error={query.error} retry={() => void query.refetch()} />
      ) : query.data.communities.length === 0 ? (
        <Card>
          <Empty title="No communities yet">
            <Link href={explorePath}>Explore communities</Link> and claim or buy a token to join one.
          </Empty>
        </Card>
      ) : (
        <Card>
          <ul className="list" aria-label="Your communities">
            {query.data.communities.map((c) => {
              const referrals = query.data.referrals.perCommunity.find((r) => r.token === c.token);
              return (
                <li key={c.token} className="list-item" data-testid="my-community" data-token={c.token}>
                  <Link href={communityPath(c.token)}>
                    <strong>{c.name}</strong> <span className="muted">{c.symbol}</span>
                  </Link>
                  <Amount value={c.balance} decimals={DECIMALS} symbol={c.symbol} testId="my-community-balance" />
                  <Amount value={c.votes} {...votesUnit(DECIMALS)} testId="my-community-votes" />
                  {referrals && referrals.referred + referrals.crowdfundReferred > 0 && (
                    <span className="muted" data-testid="my-community-referrals">
                      {referrals.referred + referrals.crowdfundReferred} referred
                    </span>
                  )}
                </li>
              );
            })}
          </ul>
          <p className="field-hint">From the indexer: balances may lag the chain by a few blocks; each community's page reads yours live.</p>
        </Card>
      )}
    </div>
  );
}
