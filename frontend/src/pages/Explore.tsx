/** Explore: every community in the platform's registry, newest first, with a search and a way to launch one. */
import { useDeferredValue, useState } from "react";
import { Badge, Button, Card, Empty, Field, Notice, Skeleton, VerifiedBadge } from "../components/ui.tsx";
import { filterCommunities, flattenPages, useCommunities } from "../hooks/useCommunities.ts";
import { EXPLORE_PAGE_SIZE, type CommunityListing } from "../reads/community.ts";
import { explainError } from "../lib/errors.ts";
import { formatAmount, formatDate } from "../lib/format.ts";
import { Link } from "../lib/router.tsx";
import { communityPath, launchPath } from "../lib/routes.ts";

export function ExplorePage() {
  const [search, setSearch] = useState("");
  // With an indexer the search runs there; deferred, so typing is not held up by each request.
  const query = useCommunities(useDeferredValue(search));
  const all = flattenPages(query.data);
  const shown = filterCommunities(all, search);
  const first = query.data?.pages[0];
  const count = first?.count ?? undefined;

  return (
    <div className="stack explore">
      <section className="explore-hero">
        <div>
          <h1>Explore communities</h1>
          <p className="muted">Creators and their fans: hold a community's token to vote, earn rewards and share revenue.</p>
        </div>
        <Link href="/launch" className="btn btn-primary" data-testid="explore-launch">
          Launch a community
        </Link>
      </section>

      <Field
        label="Search"
        name="explore-search"
        type="search"
        placeholder="Name or symbol"
        autoComplete="off"
        value={search}
        onChange={(e) => setSearch(e.target.value)}
        data-testid="explore-search"
        hint={
          count !== undefined
            ? `${all.length} of ${count.toString()} communities loaded`
            : first?.source === "indexer"
              ? "Verified communities first, then the newest"
              : undefined
        }
      />
      {first?.indexerError && (
        <Notice tone="warn" testId="explore-indexer-down">
          The indexer is not answering ({first.indexerError.message}); this list is read from the chain, newest first.
        </Notice>
      )}

      {query.isPending ? (
        <CardsSkeleton />
      ) : query.isError ? (
        <Card>
          <Empty title="Cannot load the communities">
            <p>{explainError(query.error)}</p>
            <Button variant="secondary" onClick={() => void query.refetch()} data-testid="explore-retry">
              Try again
            </Button>
          </Empty>
        </Card>
      ) : all.length === 0 && search.trim() === "" ? (
        <Card>
          <Empty title="No communities yet">
            <Link href={launchPath}>Launch the first one</Link>
          </Empty>
        </Card>
      ) : shown.length === 0 ? (
        <Card testId="explore-no-match">
          <Empty title={`No community matches “${search.trim()}”`}>
            {query.hasNextPage ? "Load more to search older communities too." : "Try another name or symbol."}
          </Empty>
        </Card>
      ) : (
        <ul className="explore-grid" aria-label="Communities">
          {shown.map((c) => (
            <li key={c.token}>
              <CommunityCard community={c} />
            </li>
          ))}
        </ul>
      )}

      {query.hasNextPage && (
        <div className="explore-more">
          <Button
            variant="secondary"
            loading={query.isFetchingNextPage}
            onClick={() => void query.fetchNextPage()}
            data-testid="explore-load-more"
          >
            Load more
          </Button>
        </div>
      )}
      {query.isFetchNextPageError && <p className="field-error">{explainError(query.error)}</p>}
    </div>
  );
}

function CommunityCard({ community: c }: { community: CommunityListing }) {
  const symbol = c.symbol ?? "?";
  return (
    <Link href={communityPath(c.token)} className="card explore-card" data-testid="community-card" data-token={c.token}>
      <div className="explore-card-head">
        <span className="token-avatar explore-avatar" aria-hidden>
          {symbol.slice(0, 2)}
        </span>
        <div className="explore-card-title">
          <h2 data-testid="community-name">{c.name ?? "Unreadable token"}</h2>
          <span className="muted">{symbol}</span>
        </div>
      </div>
      <div className="badges">
        {c.verified && <VerifiedBadge />}
        {c.isPlatform && <Badge tone="accent">Platform DAO</Badge>}
      </div>
      <dl className="explore-facts">
        <div>
          <dt>Supply</dt>
          <dd className="amount" data-testid="community-supply" data-raw={c.totalSupply?.toString()}>
            {c.totalSupply === null ? "—" : formatAmount(c.totalSupply, c.decimals, symbol)}
          </dd>
        </div>
        <div>
          <dt>Created</dt>
          <dd>{formatDate(c.createdAt)}</dd>
        </div>
      </dl>
    </Link>
  );
}

function CardsSkeleton() {
  return (
    <div className="explore-grid" aria-busy="true" aria-label={`Loading up to ${EXPLORE_PAGE_SIZE} communities`}>
      {[0, 1, 2].map((i) => (
        <div key={i} className="card">
          <Skeleton lines={3} />
        </div>
      ))}
    </div>
  );
}
