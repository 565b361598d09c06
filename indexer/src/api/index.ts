/**
 * The indexer's HTTP API, served by Ponder's own Hono server next to /health, /ready and /status:
 * Ponder's /graphql and /sql/* and the REST API of docs/indexer.md (contract: INDEXER_API.md).
 * Every bad input is a 400 or 404 with `{ error }`; CORS is Ponder's (`*`).
 */
import { db } from "ponder:api";
import schema, {
  community,
  contribution,
  crowdfund,
  holder,
  proposal,
  referral,
  referralStats,
  revenueClaim,
  revenueDeposit,
  tokenStats,
  vote,
} from "ponder:schema";
import { Hono, type Context } from "hono";
import { HTTPException } from "hono/http-exception";
import { and, asc, client, desc, eq, graphql, gt, ilike, lt, ne, or } from "ponder";
import { getAddress, type Address } from "viem";
import {
  ApiError,
  encodeCursor,
  parseAddress,
  parseCursor,
  parseLimit,
  parseQuery,
  parseUint256,
  substringPattern,
} from "./params.ts";

const app = new Hono();

app.use("/graphql", graphql({ db, schema }));
app.use("/sql/*", client({ db, schema }));

// ---------------------------------------------------------------- formatting

const checksum = (a: string): Address => getAddress(a);
const maybeChecksum = (a: string | null): Address | null => (a === null ? null : getAddress(a));
const str = (n: bigint | null): string | null => (n === null ? null : n.toString());

type CommunityRow = typeof community.$inferSelect;
type StatsRow = typeof tokenStats.$inferSelect;

function formatCommunity(c: CommunityRow, s: StatsRow | null) {
  return {
    id: c.registryId.toString(),
    token: checksum(c.token),
    name: c.name,
    symbol: c.symbol,
    creator: checksum(c.creator),
    governor: checksum(c.governor),
    timelock: checksum(c.timelock),
    rewardVault: checksum(c.rewardVault),
    revenueShare: maybeChecksum(c.revenueShare),
    verified: c.verified,
    platform: c.platform,
    createdAt: c.createdAt,
    createdBlock: c.createdBlock.toString(),
    totalSupply: (s?.totalSupply ?? 0n).toString(),
    holders: s?.holders ?? 0,
    proposals: s?.proposals ?? 0,
    crowdfunds: s?.crowdfunds ?? 0,
  };
}

function formatProposal(p: typeof proposal.$inferSelect) {
  return {
    id: p.proposalId.toString(),
    proposer: checksum(p.proposer),
    description: p.description,
    targets: p.targets.map(checksum),
    values: p.values.map((v) => v.toString()),
    calldatas: p.calldatas,
    voteStart: Number(p.voteStart),
    voteEnd: Number(p.voteEnd),
    status: p.status,
    eta: p.eta === null ? null : Number(p.eta),
    forVotes: p.forVotes.toString(),
    againstVotes: p.againstVotes.toString(),
    abstainVotes: p.abstainVotes.toString(),
    votes: p.voteCount,
    createdAt: p.createdAt,
    createdBlock: p.createdBlock.toString(),
    txHash: p.txHash,
  };
}

/** A page: `limit` items (one more was fetched to know whether another page follows). */
function page<T, R>(rows: T[], limit: number, format: (row: T) => R, key: (row: T) => Array<string | number | bigint | boolean>) {
  const more = rows.length > limit;
  const items = more ? rows.slice(0, limit) : rows;
  return { items: items.map(format), nextCursor: more ? encodeCursor(key(items[items.length - 1]!)) : null };
}

/** Keyset condition "after (block, logIndex)" for lists sorted newest first. */
function beforeBlockLog(blockCol: Parameters<typeof lt>[0], logCol: Parameters<typeof lt>[0], cursor: string[] | undefined) {
  if (cursor === undefined) return undefined;
  const [block, log] = [BigInt(cursor[0]!), Number(cursor[1]!)];
  return or(lt(blockCol, block), and(eq(blockCol, block), lt(logCol, log)));
}

async function findCommunity(token: Address): Promise<CommunityRow> {
  const [row] = await db.select().from(community).where(eq(community.token, token)).limit(1);
  if (!row) throw new ApiError(404, `no community with token ${token}`);
  return row;
}

// ---------------------------------------------------------------- communities

app.get("/api/communities", async (c) => {
  const q = parseQuery(c.req.query("q"));
  const limit = parseLimit(c.req.query("limit"));
  const cursor = parseCursor(c.req.query("cursor"), ["bool", "uint"]);
  const conditions: Array<ReturnType<typeof and>> = [];
  if (q !== undefined) {
    const pattern = substringPattern(q);
    conditions.push(or(ilike(community.name, pattern), ilike(community.symbol, pattern)));
  }
  if (cursor !== undefined) {
    const verified = cursor[0] === "1";
    const id = BigInt(cursor[1]!);
    conditions.push(or(lt(community.verified, verified), and(eq(community.verified, verified), lt(community.registryId, id))));
  }
  const rows = await db
    .select()
    .from(community)
    .leftJoin(tokenStats, eq(tokenStats.token, community.token))
    .where(and(...conditions))
    .orderBy(desc(community.verified), desc(community.registryId))
    .limit(limit + 1);
  return c.json(
    page(
      rows,
      limit,
      (r) => formatCommunity(r.community, r.token_stats),
      (r) => [r.community.verified, r.community.registryId],
    ),
  );
});

app.get("/api/communities/:token", async (c) => {
  const token = parseAddress(c.req.param("token"), "token");
  const row = await findCommunity(token);
  const [stats] = await db.select().from(tokenStats).where(eq(tokenStats.token, token)).limit(1);
  return c.json(formatCommunity(row, stats ?? null));
});

app.get("/api/communities/:token/holders", async (c) => {
  const token = parseAddress(c.req.param("token"), "token");
  const limit = parseLimit(c.req.query("limit"));
  const cursor = parseCursor(c.req.query("cursor"), ["uint", "address"]);
  await findCommunity(token);
  const after =
    cursor === undefined
      ? undefined
      : or(
          lt(holder.balance, BigInt(cursor[0]!)),
          and(eq(holder.balance, BigInt(cursor[0]!)), gt(holder.account, cursor[1]! as Address)),
        );
  const rows = await db
    .select()
    .from(holder)
    .where(and(eq(holder.token, token), gt(holder.balance, 0n), after))
    .orderBy(desc(holder.balance), asc(holder.account))
    .limit(limit + 1);
  return c.json(
    page(
      rows,
      limit,
      (h) => ({ account: checksum(h.account), balance: h.balance.toString(), votes: h.votes.toString(), delegate: maybeChecksum(h.delegate) }),
      (h) => [h.balance, h.account],
    ),
  );
});

app.get("/api/communities/:token/proposals", async (c) => {
  const token = parseAddress(c.req.param("token"), "token");
  const limit = parseLimit(c.req.query("limit"));
  const cursor = parseCursor(c.req.query("cursor"), ["uint", "int"]);
  await findCommunity(token);
  const rows = await db
    .select()
    .from(proposal)
    .where(and(eq(proposal.token, token), beforeBlockLog(proposal.createdBlock, proposal.logIndex, cursor)))
    .orderBy(desc(proposal.createdBlock), desc(proposal.logIndex))
    .limit(limit + 1);
  return c.json(page(rows, limit, formatProposal, (p) => [p.createdBlock, p.logIndex]));
});

app.get("/api/communities/:token/proposals/:id", async (c) => {
  const token = parseAddress(c.req.param("token"), "token");
  const proposalId = parseUint256(c.req.param("id"), "proposal id");
  const limit = parseLimit(c.req.query("limit"));
  const cursor = parseCursor(c.req.query("cursor"), ["uint", "int"]);
  await findCommunity(token);
  const [p] = await db
    .select()
    .from(proposal)
    .where(and(eq(proposal.token, token), eq(proposal.proposalId, proposalId)))
    .limit(1);
  if (!p) throw new ApiError(404, `no proposal ${proposalId} in community ${token}`);
  const rows = await db
    .select()
    .from(vote)
    .where(and(eq(vote.token, token), eq(vote.proposalId, proposalId), beforeBlockLog(vote.block, vote.logIndex, cursor)))
    .orderBy(desc(vote.block), desc(vote.logIndex))
    .limit(limit + 1);
  const votes = page(
    rows,
    limit,
    (v) => ({
      voter: checksum(v.voter),
      support: v.support,
      weight: v.weight.toString(),
      reason: v.reason,
      params: v.params,
      createdAt: v.createdAt,
      block: v.block.toString(),
      txHash: v.txHash,
    }),
    (v) => [v.block, v.logIndex],
  );
  return c.json({ ...formatProposal(p), votes });
});

app.get("/api/communities/:token/crowdfunds", async (c) => {
  const token = parseAddress(c.req.param("token"), "token");
  const limit = parseLimit(c.req.query("limit"));
  const cursor = parseCursor(c.req.query("cursor"), ["uint", "int"]);
  await findCommunity(token);
  const rows = await db
    .select()
    .from(crowdfund)
    .where(and(eq(crowdfund.token, token), beforeBlockLog(crowdfund.createdBlock, crowdfund.logIndex, cursor)))
    .orderBy(desc(crowdfund.createdBlock), desc(crowdfund.logIndex))
    .limit(limit + 1);
  return c.json(
    page(
      rows,
      limit,
      (f) => ({
        address: checksum(f.address),
        token: checksum(f.token),
        creator: maybeChecksum(f.creator),
        treasury: checksum(f.treasury),
        paymentToken: checksum(f.paymentToken),
        goal: f.goal.toString(),
        cap: f.cap.toString(),
        deadline: Number(f.deadline),
        price: f.price.toString(),
        referralBps: f.referralBps,
        feeBps: f.feeBps,
        raised: f.raised.toString(),
        contributors: f.contributors,
        status: f.status,
        proceeds: str(f.proceeds),
        fee: str(f.fee),
        tokensMinted: str(f.tokensMinted),
        createdAt: f.createdAt,
        createdBlock: f.createdBlock.toString(),
      }),
      (f) => [f.createdBlock, f.logIndex],
    ),
  );
});

app.get("/api/communities/:token/revenue", async (c) => {
  const token = parseAddress(c.req.param("token"), "token");
  const limit = parseLimit(c.req.query("limit"));
  const cursor = parseCursor(c.req.query("cursor"), ["uint", "int"]);
  await findCommunity(token);
  const rows = await db
    .select()
    .from(revenueDeposit)
    .where(and(eq(revenueDeposit.token, token), beforeBlockLog(revenueDeposit.block, revenueDeposit.logIndex, cursor)))
    .orderBy(desc(revenueDeposit.block), desc(revenueDeposit.logIndex))
    .limit(limit + 1);
  return c.json(
    page(
      rows,
      limit,
      (d) => ({
        revenueShare: checksum(d.revenueShare),
        asset: checksum(d.asset),
        depositId: d.depositId.toString(),
        depositor: checksum(d.depositor),
        amount: d.amount.toString(),
        supply: d.supply.toString(),
        createdAt: d.createdAt,
        block: d.block.toString(),
        txHash: d.txHash,
      }),
      (d) => [d.block, d.logIndex],
    ),
  );
});

// ---------------------------------------------------------------- accounts

app.get("/api/accounts/:address", async (c) => {
  const address = parseAddress(c.req.param("address"), "address");
  const held = await db
    .select()
    .from(holder)
    .innerJoin(community, eq(community.token, holder.token))
    .where(and(eq(holder.account, address), or(gt(holder.balance, 0n), gt(holder.votes, 0n))))
    .orderBy(asc(community.registryId));
  const delegators = await db
    .select()
    .from(holder)
    .where(and(eq(holder.delegate, address), ne(holder.account, address)))
    .orderBy(desc(holder.balance), asc(holder.account))
    .limit(100);
  const votesCast = await db
    .select()
    .from(vote)
    .where(eq(vote.voter, address))
    .orderBy(desc(vote.block), desc(vote.logIndex))
    .limit(50);
  const stats = await db.select().from(referralStats).where(eq(referralStats.referrer, address)).orderBy(asc(referralStats.token));
  const contributions = await db
    .select()
    .from(contribution)
    .where(eq(contribution.contributor, address))
    .orderBy(asc(contribution.crowdfund));
  const claims = await db
    .select()
    .from(revenueClaim)
    .where(eq(revenueClaim.account, address))
    .orderBy(desc(revenueClaim.block), asc(revenueClaim.id))
    .limit(100);
  return c.json({
    address: checksum(address),
    communities: held.map(({ holder: h, community: k }) => ({
      token: checksum(h.token),
      name: k.name,
      symbol: k.symbol,
      balance: h.balance.toString(),
      votes: h.votes.toString(),
      delegate: maybeChecksum(h.delegate),
    })),
    delegators: delegators.map((h) => ({ token: checksum(h.token), delegator: checksum(h.account), balance: h.balance.toString() })),
    votesCast: votesCast.map((v) => ({
      token: checksum(v.token),
      proposalId: v.proposalId.toString(),
      support: v.support,
      weight: v.weight.toString(),
      reason: v.reason,
      createdAt: v.createdAt,
    })),
    referrals: {
      perCommunity: stats.map((s) => ({
        token: checksum(s.token),
        referred: s.referred,
        bonusCredited: s.bonusCredited.toString(),
        bonusClaimed: s.bonusClaimed.toString(),
        crowdfundReferred: s.crowdfundReferred,
      })),
    },
    contributions: contributions.map((k) => ({
      crowdfund: checksum(k.crowdfund),
      token: checksum(k.token),
      paymentToken: checksum(k.paymentToken),
      amount: k.amount.toString(),
      referrer: maybeChecksum(k.referrer),
      claimedTokens: str(k.claimedTokens),
      refunded: k.refunded,
    })),
    revenueClaims: claims.map((r) => ({ token: checksum(r.token), asset: checksum(r.asset), amount: r.amount.toString(), createdAt: r.createdAt })),
  });
});

app.get("/api/accounts/:address/referrals", async (c) => {
  const address = parseAddress(c.req.param("address"), "address");
  const tokenRaw = c.req.query("token");
  const token = tokenRaw === undefined || tokenRaw === "" ? undefined : parseAddress(tokenRaw, "token");
  const limit = parseLimit(c.req.query("limit"));
  const cursor = parseCursor(c.req.query("cursor"), ["uint", "int"]);
  const rows = await db
    .select()
    .from(referral)
    .where(
      and(
        eq(referral.referrer, address),
        token === undefined ? undefined : eq(referral.token, token),
        beforeBlockLog(referral.block, referral.logIndex, cursor),
      ),
    )
    .orderBy(desc(referral.block), desc(referral.logIndex))
    .limit(limit + 1);
  return c.json(
    page(
      rows,
      limit,
      (r) => ({
        token: checksum(r.token),
        fan: checksum(r.fan),
        source: r.source,
        bonus: r.bonus.toString(),
        createdAt: r.createdAt,
        block: r.block.toString(),
        txHash: r.txHash,
      }),
      (r) => [r.block, r.logIndex],
    ),
  );
});

// ---------------------------------------------------------------- errors

/** Unknown routes: a JSON 404 (Ponder's own routes and /graphql, /sql/* answered before this). */
app.all("*", (c) => c.json({ error: `no route ${c.req.method} ${c.req.path}` }, 404));

app.onError((error, c: Context) => {
  if (error instanceof ApiError) return c.json({ error: error.message }, error.status);
  if (error instanceof HTTPException) return c.json({ error: error.message || "bad request" }, error.status);
  console.error(`indexer api: ${c.req.method} ${c.req.path} failed:`, error);
  return c.json({ error: "internal error" }, 500);
});

export default app;
