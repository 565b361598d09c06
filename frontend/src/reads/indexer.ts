/**
 * A typed client for the Coterie indexer's REST API (indexer/, contract in INDEXER_API.md), named by
 * `indexerUrl` in /coterie.json.
 *
 * The indexer is a read cache, never an authority: the app reads lists from it (communities,
 * proposals, crowdfunds, revenue deposits, holders, an account's communities and referrals) and
 * falls back to the chain when no indexer is configured or it errs. Whatever decides where money
 * goes (a crowdfund's address and terms, a deposit's amount, a community's contracts) is read or
 * checked on chain; see docs/web-app.md "Reads from the indexer".
 *
 * Every response is validated: a field of the wrong shape is an `IndexerError` naming it, as are an
 * HTTP error (with the indexer's own `error` message), a network failure and a timeout (default 5 s).
 */
import { getAddress, isAddress, type Address, type Hex } from "viem";

export const INDEXER_TIMEOUT_MS = 5_000;

export class IndexerError extends Error {
  override name = "IndexerError";
  /** The HTTP status, when the indexer answered. */
  readonly status: number | null;
  constructor(message: string, status: number | null = null, options?: { cause?: unknown }) {
    super(message, options);
    this.status = status;
  }
}

// ------------------------------------------------------------------------------------ the types

export interface IndexerPage<T> {
  items: T[];
  nextCursor: string | null;
}

export interface IndexerCommunity {
  id: bigint;
  token: Address;
  name: string;
  symbol: string;
  creator: Address;
  governor: Address;
  timelock: Address;
  /** Null (or the zero address) when the community has no reward vault. */
  rewardVault: Address | null;
  revenueShare: Address | null;
  verified: boolean;
  platform: boolean;
  createdAt: number;
  createdBlock: bigint;
  totalSupply: bigint;
  holders: number;
  proposals: number;
  crowdfunds: number;
}

export interface IndexerHolder {
  account: Address;
  balance: bigint;
  votes: bigint;
  delegate: Address | null;
}

export interface IndexerProposal {
  id: bigint;
  proposer: Address;
  description: string;
  targets: Address[];
  values: bigint[];
  calldatas: Hex[];
  voteStart: number;
  voteEnd: number;
  status: "pending-or-active" | "canceled" | "queued" | "executed";
  eta: number | null;
  forVotes: bigint;
  againstVotes: bigint;
  abstainVotes: bigint;
  votes: number;
  createdAt: number;
  createdBlock: bigint;
  txHash: Hex;
}

export interface IndexerCrowdfund {
  address: Address;
  token: Address;
  creator: Address;
  treasury: Address;
  paymentToken: Address;
  goal: bigint;
  cap: bigint;
  deadline: number;
  price: bigint;
  referralBps: number;
  feeBps: number;
  raised: bigint;
  contributors: number;
  status: "open" | "finalized" | "failed";
  createdAt: number;
  createdBlock: bigint;
}

export interface IndexerDeposit {
  revenueShare: Address;
  asset: Address;
  depositId: bigint;
  depositor: Address;
  amount: bigint;
  supply: bigint;
  createdAt: number;
  block: bigint;
  txHash: Hex;
}

export interface IndexerAccountCommunity {
  token: Address;
  name: string;
  symbol: string;
  balance: bigint;
  votes: bigint;
  delegate: Address | null;
}

export interface IndexerReferralTotals {
  token: Address;
  referred: number;
  bonusCredited: bigint;
  bonusClaimed: bigint;
  crowdfundReferred: number;
}

export interface IndexerAccount {
  address: Address;
  communities: IndexerAccountCommunity[];
  referrals: { perCommunity: IndexerReferralTotals[] };
}

export interface IndexerReferral {
  token: Address;
  fan: Address;
  source: "vault" | "crowdfund";
  bonus: bigint;
  createdAt: number;
  block: bigint;
  txHash: Hex;
}

// ------------------------------------------------------------------------------------ validation

type Json = Record<string, unknown>;

/** Reads the fields of one JSON object; each getter throws an IndexerError naming the field. */
class Fields {
  constructor(
    private readonly raw: Json,
    private readonly where: string,
  ) {}
  private bad(key: string, what: string): never {
    throw new IndexerError(`The indexer sent a malformed response: ${this.where}.${key} is not ${what}.`);
  }
  address(key: string): Address {
    const v = this.raw[key];
    if (typeof v !== "string" || !isAddress(v, { strict: false })) this.bad(key, "an address");
    return getAddress(v);
  }
  addressOrNull(key: string): Address | null {
    return this.raw[key] === null || this.raw[key] === undefined ? null : this.address(key);
  }
  string(key: string): string {
    const v = this.raw[key];
    if (typeof v !== "string") this.bad(key, "a string");
    return v;
  }
  uint(key: string): bigint {
    const v = this.raw[key];
    if (typeof v !== "string" || !/^\d{1,78}$/.test(v)) this.bad(key, "a decimal integer string");
    return BigInt(v);
  }
  number(key: string): number {
    const v = this.raw[key];
    if (typeof v !== "number" || !Number.isSafeInteger(v) || v < 0) this.bad(key, "a non-negative integer");
    return v;
  }
  numberOrNull(key: string): number | null {
    return this.raw[key] === null || this.raw[key] === undefined ? null : this.number(key);
  }
  bool(key: string): boolean {
    const v = this.raw[key];
    if (typeof v !== "boolean") this.bad(key, "true or false");
    return v;
  }
  hex(key: string): Hex {
    const v = this.raw[key];
    if (typeof v !== "string" || !/^0x[0-9a-fA-F]*$/.test(v)) this.bad(key, "hex data");
    return v as Hex;
  }
  oneOf<const T extends string>(key: string, values: readonly T[]): T {
    const v = this.raw[key];
    if (typeof v !== "string" || !(values as readonly string[]).includes(v)) this.bad(key, `one of ${values.join(", ")}`);
    return v as T;
  }
  array<T>(key: string, item: (value: unknown, where: string) => T): T[] {
    const v = this.raw[key];
    if (!Array.isArray(v)) this.bad(key, "a list");
    return v.map((x, i) => item(x, `${this.where}.${key}[${i}]`));
  }
}

function object(value: unknown, where: string): Fields {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new IndexerError(`The indexer sent a malformed response: ${where} is not an object.`);
  }
  return new Fields(value as Json, where);
}

function malformed(where: string, what: string): never {
  throw new IndexerError(`The indexer sent a malformed response: ${where} is not ${what}.`);
}
const addressItem = (v: unknown, where: string): Address => (typeof v === "string" && isAddress(v, { strict: false }) ? getAddress(v) : malformed(where, "an address"));
const uintItem = (v: unknown, where: string): bigint => (typeof v === "string" && /^\d{1,78}$/.test(v) ? BigInt(v) : malformed(where, "a decimal integer string"));
const hexItem = (v: unknown, where: string): Hex => (typeof v === "string" && /^0x[0-9a-fA-F]*$/.test(v) ? (v as Hex) : malformed(where, "hex data"));

export function parseCommunity(value: unknown, where = "community"): IndexerCommunity {
  const f = object(value, where);
  return {
    id: f.uint("id"),
    token: f.address("token"),
    name: f.string("name"),
    symbol: f.string("symbol"),
    creator: f.address("creator"),
    governor: f.address("governor"),
    timelock: f.address("timelock"),
    rewardVault: f.addressOrNull("rewardVault"),
    revenueShare: f.addressOrNull("revenueShare"),
    verified: f.bool("verified"),
    platform: f.bool("platform"),
    createdAt: f.number("createdAt"),
    createdBlock: f.uint("createdBlock"),
    totalSupply: f.uint("totalSupply"),
    holders: f.number("holders"),
    proposals: f.number("proposals"),
    crowdfunds: f.number("crowdfunds"),
  };
}

export function parseHolder(value: unknown, where = "holder"): IndexerHolder {
  const f = object(value, where);
  return { account: f.address("account"), balance: f.uint("balance"), votes: f.uint("votes"), delegate: f.addressOrNull("delegate") };
}

export function parseProposal(value: unknown, where = "proposal"): IndexerProposal {
  const f = object(value, where);
  return {
    id: f.uint("id"),
    proposer: f.address("proposer"),
    description: f.string("description"),
    targets: f.array("targets", addressItem),
    values: f.array("values", uintItem),
    calldatas: f.array("calldatas", hexItem),
    voteStart: f.number("voteStart"),
    voteEnd: f.number("voteEnd"),
    status: f.oneOf("status", ["pending-or-active", "canceled", "queued", "executed"]),
    eta: f.numberOrNull("eta"),
    forVotes: f.uint("forVotes"),
    againstVotes: f.uint("againstVotes"),
    abstainVotes: f.uint("abstainVotes"),
    votes: f.number("votes"),
    createdAt: f.number("createdAt"),
    createdBlock: f.uint("createdBlock"),
    txHash: f.hex("txHash"),
  };
}

export function parseCrowdfund(value: unknown, where = "crowdfund"): IndexerCrowdfund {
  const f = object(value, where);
  return {
    address: f.address("address"),
    token: f.address("token"),
    creator: f.address("creator"),
    treasury: f.address("treasury"),
    paymentToken: f.address("paymentToken"),
    goal: f.uint("goal"),
    cap: f.uint("cap"),
    deadline: f.number("deadline"),
    price: f.uint("price"),
    referralBps: f.number("referralBps"),
    feeBps: f.number("feeBps"),
    raised: f.uint("raised"),
    contributors: f.number("contributors"),
    status: f.oneOf("status", ["open", "finalized", "failed"]),
    createdAt: f.number("createdAt"),
    createdBlock: f.uint("createdBlock"),
  };
}

export function parseDeposit(value: unknown, where = "deposit"): IndexerDeposit {
  const f = object(value, where);
  return {
    revenueShare: f.address("revenueShare"),
    asset: f.address("asset"),
    depositId: f.uint("depositId"),
    depositor: f.address("depositor"),
    amount: f.uint("amount"),
    supply: f.uint("supply"),
    createdAt: f.number("createdAt"),
    block: f.uint("block"),
    txHash: f.hex("txHash"),
  };
}

export function parseAccount(value: unknown, where = "account"): IndexerAccount {
  const f = object(value, where);
  const referrals = object((value as Json).referrals, `${where}.referrals`);
  return {
    address: f.address("address"),
    communities: f.array("communities", (v, w) => {
      const c = object(v, w);
      return { token: c.address("token"), name: c.string("name"), symbol: c.string("symbol"), balance: c.uint("balance"), votes: c.uint("votes"), delegate: c.addressOrNull("delegate") };
    }),
    referrals: {
      perCommunity: referrals.array("perCommunity", (v, w) => {
        const r = object(v, w);
        return { token: r.address("token"), referred: r.number("referred"), bonusCredited: r.uint("bonusCredited"), bonusClaimed: r.uint("bonusClaimed"), crowdfundReferred: r.number("crowdfundReferred") };
      }),
    },
  };
}

export function parseReferral(value: unknown, where = "referral"): IndexerReferral {
  const f = object(value, where);
  return {
    token: f.address("token"),
    fan: f.address("fan"),
    source: f.oneOf("source", ["vault", "crowdfund"]),
    bonus: f.uint("bonus"),
    createdAt: f.number("createdAt"),
    block: f.uint("block"),
    txHash: f.hex("txHash"),
  };
}

function page<T>(value: unknown, item: (value: unknown, where: string) => T, what: string): IndexerPage<T> {
  const f = object(value, what);
  const cursor = (value as Json).nextCursor;
  if (cursor !== null && typeof cursor !== "string") throw new IndexerError(`The indexer sent a malformed response: ${what}.nextCursor is not a string or null.`);
  return { items: f.array("items", item), nextCursor: cursor };
}

// ------------------------------------------------------------------------------------ the client

export interface PageOptions {
  limit?: number;
  cursor?: string | null;
}

export interface IndexerClientOptions {
  timeoutMs?: number;
  /** The fetch to use (tests pass a mock); default the global fetch. */
  fetch?: typeof fetch;
}

/** The indexer's REST API at `baseUrl` (no trailing slash). */
export class IndexerClient {
  readonly baseUrl: string;
  private readonly timeoutMs: number;
  private readonly fetchFn: typeof fetch;

  constructor(baseUrl: string, options: IndexerClientOptions = {}) {
    this.baseUrl = baseUrl.replace(/\/+$/, "");
    this.timeoutMs = options.timeoutMs ?? INDEXER_TIMEOUT_MS;
    this.fetchFn = options.fetch ?? ((input, init) => fetch(input, init));
  }

  /** GETs `path` with `query` (undefined and null values left out) and returns the parsed JSON. */
  async get(path: string, query: Record<string, string | number | null | undefined> = {}): Promise<unknown> {
    const params = new URLSearchParams();
    for (const [key, value] of Object.entries(query)) if (value !== undefined && value !== null && value !== "") params.set(key, String(value));
    const url = `${this.baseUrl}${path}${params.toString() === "" ? "" : `?${params}`}`;
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), this.timeoutMs);
    let response: Response;
    try {
      response = await this.fetchFn(url, { signal: controller.signal, headers: { accept: "application/json" } });
    } catch (error) {
      const message = controller.signal.aborted
        ? `The indexer did not answer within ${this.timeoutMs / 1000} s (${this.baseUrl}).`
        : `The indexer is unreachable (${this.baseUrl}): ${(error as Error).message}.`;
      throw new IndexerError(message, null, { cause: error });
    } finally {
      clearTimeout(timer);
    }
    let body: unknown;
    try {
      body = await response.json();
    } catch (error) {
      throw new IndexerError(`The indexer answered ${path} with HTTP ${response.status} and no JSON.`, response.status, { cause: error });
    }
    if (!response.ok) {
      const reason = typeof body === "object" && body !== null && typeof (body as Json).error === "string" ? (body as Json).error : "no reason given";
      throw new IndexerError(`The indexer refused ${path} (HTTP ${response.status}): ${String(reason)}`, response.status);
    }
    return body;
  }

  /**
   * The last block the indexer has processed (the lowest over its chains), from Ponder's own
   * `/status` (`{ <chain>: { block: { number, timestamp } | null, ready } }`); null when unknown.
   */
  async indexedBlock(): Promise<bigint | null> {
    const status = await this.get("/status");
    if (typeof status !== "object" || status === null) return null;
    let lowest: bigint | null = null;
    for (const entry of Object.values(status as Json)) {
      const number = (entry as { block?: { number?: unknown } | null } | null)?.block?.number;
      if (typeof number !== "number" || !Number.isSafeInteger(number)) return null;
      if (lowest === null || BigInt(number) < lowest) lowest = BigInt(number);
    }
    return lowest;
  }

  async communities(options: PageOptions & { q?: string } = {}): Promise<IndexerPage<IndexerCommunity>> {
    return page(await this.get("/api/communities", { q: options.q?.trim(), limit: options.limit, cursor: options.cursor }), parseCommunity, "communities");
  }

  async community(token: Address): Promise<IndexerCommunity> {
    return parseCommunity(await this.get(`/api/communities/${token}`));
  }

  async holders(token: Address, options: PageOptions = {}): Promise<IndexerPage<IndexerHolder>> {
    return page(await this.get(`/api/communities/${token}/holders`, { limit: options.limit, cursor: options.cursor }), parseHolder, "holders");
  }

  async proposals(token: Address, options: PageOptions = {}): Promise<IndexerPage<IndexerProposal>> {
    return page(await this.get(`/api/communities/${token}/proposals`, { limit: options.limit, cursor: options.cursor }), parseProposal, "proposals");
  }

  async crowdfunds(token: Address, options: PageOptions = {}): Promise<IndexerPage<IndexerCrowdfund>> {
    return page(await this.get(`/api/communities/${token}/crowdfunds`, { limit: options.limit, cursor: options.cursor }), parseCrowdfund, "crowdfunds");
  }

  async revenue(token: Address, options: PageOptions = {}): Promise<IndexerPage<IndexerDeposit>> {
    return page(await this.get(`/api/communities/${token}/revenue`, { limit: options.limit, cursor: options.cursor }), parseDeposit, "revenue");
  }

  async account(address: Address): Promise<IndexerAccount> {
    return parseAccount(await this.get(`/api/accounts/${address}`));
  }

  async referrals(address: Address, options: PageOptions & { token?: Address } = {}): Promise<IndexerPage<IndexerReferral>> {
    return page(await this.get(`/api/accounts/${address}/referrals`, { token: options.token, limit: options.limit, cursor: options.cursor }), parseReferral, "referrals");
  }
}

/** The client for a chain's `indexerUrl`, or null when the chain names none. */
export function indexerFor(chain: { indexerUrl: string | null }, options?: IndexerClientOptions): IndexerClient | null {
  return chain.indexerUrl ? new IndexerClient(chain.indexerUrl, options) : null;
}

/**
 * Reads from the indexer when there is one and it answers, else from the chain: `fallback` runs
 * when `indexer` is null or `fromIndexer` throws (down, timed out, malformed, an HTTP error).
 * The result says which source answered.
 */
export async function preferIndexer<T>(
  indexer: IndexerClient | null,
  fromIndexer: (indexer: IndexerClient) => Promise<T>,
  fallback: () => Promise<T>,
): Promise<{ value: T; source: "indexer" | "chain"; indexerError: IndexerError | null }> {
  if (indexer) {
    try {
      return { value: await fromIndexer(indexer), source: "indexer", indexerError: null };
    } catch (error) {
      const indexerError = error instanceof IndexerError ? error : new IndexerError(`The indexer's data could not be used: ${(error as Error).message}`, null, { cause: error });
      return { value: await fallback(), source: "chain", indexerError };
    }
  }
  return { value: await fallback(), source: "chain", indexerError: null };
}

/**
 * The block every read on screen can be trusted to have seen, for the refresh after a transaction
 * (lib/freshness.ts): the RPC's block, or the indexer's when it is behind, so lists read from the
 * indexer are refetched only once it has the receipt's block. An indexer whose status cannot be
 * read does not hold the refresh up (its reads fall back to the chain anyway).
 */
export async function freshnessBlock(rpcBlock: () => Promise<bigint>, indexer: IndexerClient | null): Promise<bigint> {
  const [rpc, indexed] = await Promise.all([rpcBlock(), indexer ? indexer.indexedBlock().catch(() => null) : Promise.resolve(null)]);
  return indexed !== null && indexed < rpc ? indexed : rpc;
}

/** Every page of a paged list, up to `max` items (the app's lists are small; the cap bounds a runaway cursor). */
export async function allPages<T>(read: (cursor: string | null) => Promise<IndexerPage<T>>, max = 500): Promise<T[]> {
  const out: T[] = [];
  let cursor: string | null = null;
  do {
    const p: IndexerPage<T> = await read(cursor);
    out.push(...p.items);
    cursor = p.nextCursor;
  } while (cursor !== null && out.length < max);
  return out;
}
