/**
 * The reads behind every community page: the registry entry, the token's facts, the treasury and the
 * connected account's holding, in two multicalls and one ETH balance read (see docs/web-app.md for the
 * request budget); and the Explore page's registry pages (`readPage`). hooks/useCommunity.ts and
 * hooks/useCommunities.ts run them as queries; and the launch page's factory facts and predicted
 * addresses (hooks/useLaunchCommunity.ts).
 */
import { zeroAddress, type Address, type Hex, type PublicClient } from "viem";
import { communityFactoryAbi, revenueShareAbi, revenueShareFactoryAbi, socialTokenAbi } from "../generated/abis.ts";
import { IndexerError, type IndexerClient } from "./indexer.ts";
import { resultsAt, valueOf } from "./multicall.ts";

/** The part of viem's public client the community reads use. */
export type CommunityClient = Pick<PublicClient, "multicall" | "getBalance">;

export interface CommunityInfo {
  id: bigint;
  creator: Address;
  token: Address;
  governor: Address;
  timelock: Address;
  rewardVault: Address | null;
  verified: boolean;
  createdAt: bigint;
  name: string;
  symbol: string;
  decimals: number;
  totalSupply: bigint;
  cap: bigint;
  /**
   * Where the community's RevenueShare is or will be: `revenueShareOf` returns the predicted address
   * before the share is created (the funding reads check `token()` there to tell). Null only when the
   * factory gives the zero address.
   */
  revenueShare: Address | null;
  /** The treasury (the community's Timelock): its ETH and its own tokens. */
  treasuryEth: bigint;
  treasuryTokens: bigint;
  /** True for the platform's own community (its DAO governs the factory). */
  isPlatform: boolean;
  /**
   * Whether a contract is at `revenueShare` (null: not read here; the Hold tab then asks the chain
   * for its code). Read on chain with the indexer's help (see `fetchCommunity`).
   */
  revenueShareExists?: boolean | null;
}

export interface HolderInfo {
  account: Address;
  balance: bigint;
  votes: bigint;
  /** The account's delegate (itself by default). */
  delegate: Address;
}

export interface CommunityData {
  community: CommunityInfo;
  holder: HolderInfo | null;
}

export interface CommunitySource {
  factory: Address;
  revenueShareFactory: Address;
  token: Address;
  account: Address | null;
  /** The chain's indexer, if any: it saves a round trip (see `fetchCommunityWithIndexer`). */
  indexer?: IndexerClient | null;
}

/**
 * One community's page data: `token` must be a checksummed address; `account` the connected one, if
 * any. With an indexer that answers: one indexer request, one multicall and one eth_getBalance;
 * otherwise (or when the indexer errs or disagrees with the chain) two multicalls and one
 * eth_getBalance.
 */
export async function fetchCommunity(client: CommunityClient, source: CommunitySource): Promise<CommunityData> {
  if (source.indexer) {
    try {
      return await fetchCommunityWithIndexer(client, source.indexer, source);
    } catch (error) {
      if (!(error instanceof IndexerError)) throw error;
    }
  }
  return fetchCommunityFromChain(client, source);
}

/**
 * The same data with the indexer's help: it names the community's timelock and revenue share up
 * front, so every chain read fits one multicall (beside the treasury's eth_getBalance). Every value
 * shown is still the chain's: the multicall reads the registry entry too, and an indexer whose
 * timelock or revenue share differ from the chain's is ignored (the chain path runs instead).
 */
export async function fetchCommunityWithIndexer(client: CommunityClient, indexer: IndexerClient, source: CommunitySource): Promise<CommunityData> {
  const { token, account } = source;
  const listed = await indexer.community(token);
  if (listed.token !== token) throw new IndexerError(`The indexer answered for ${listed.token} instead of ${token}.`);
  const tokenRead = { address: token, abi: socialTokenAbi } as const;
  const [results, treasuryEth] = await Promise.all([
    client.multicall({
      deployless: true,
      allowFailure: true,
      contracts: [
        { address: source.factory, abi: communityFactoryAbi, functionName: "communityByToken", args: [token] },
        { address: source.factory, abi: communityFactoryAbi, functionName: "platformCommunityId" },
        { ...tokenRead, functionName: "name" },
        { ...tokenRead, functionName: "symbol" },
        { ...tokenRead, functionName: "decimals" },
        { ...tokenRead, functionName: "totalSupply" },
        { ...tokenRead, functionName: "cap" },
        { address: source.revenueShareFactory, abi: revenueShareFactoryAbi, functionName: "revenueShareOf", args: [token] },
        { ...tokenRead, functionName: "balanceOf", args: [listed.timelock] },
        { ...tokenRead, functionName: "balanceOf", args: [account ?? zeroAddress] },
        { ...tokenRead, functionName: "getVotes", args: [account ?? zeroAddress] },
        { ...tokenRead, functionName: "delegates", args: [account ?? zeroAddress] },
        // Answers only when a RevenueShare is at the address the indexer names.
        { address: listed.revenueShare ?? zeroAddress, abi: revenueShareAbi, functionName: "token" },
      ],
    }),
    client.getBalance({ address: listed.timelock }),
  ]);
  const [entryR, platformR, nameR, symbolR, decimalsR, supplyR, capR, shareR, treasuryR, balanceR, votesR, delegateR, shareTokenR] = results;
  const entry = valueOf(entryR);
  const need = <T>(value: T | undefined, what: string): T => {
    if (value === undefined) throw new Error(`Could not read this community's ${what} from the chain.`);
    return value;
  };
  if (!entry) throw entryR.status === "failure" ? entryR.error : new Error("Could not read this community from the registry.");
  const revenueShare = need(valueOf(shareR), "revenue share address");
  if (entry.timelock !== listed.timelock) throw new IndexerError("The indexer's timelock differs from the registry's.");
  if (listed.revenueShare !== null && listed.revenueShare !== revenueShare) throw new IndexerError("The indexer's revenue share differs from the factory's.");
  const shareToken = valueOf(shareTokenR);
  return {
    community: {
      id: entry.id,
      creator: entry.creator,
      token,
      governor: entry.governor,
      timelock: entry.timelock,
      rewardVault: entry.rewardVault === zeroAddress ? null : entry.rewardVault,
      verified: entry.verified,
      createdAt: BigInt(entry.createdAt),
      name: need(valueOf(nameR), "name"),
      symbol: need(valueOf(symbolR), "symbol"),
      decimals: need(valueOf(decimalsR), "decimals"),
      totalSupply: need(valueOf(supplyR), "supply"),
      cap: need(valueOf(capR), "cap"),
      revenueShare: revenueShare === zeroAddress ? null : revenueShare,
      // A RevenueShare of this token answering at the address: created. The indexer saying none
      // is taken as "not set up" (display only; the Fund tab reads the share itself).
      revenueShareExists: listed.revenueShare !== null && shareToken !== undefined && shareToken === token,
      treasuryEth,
      treasuryTokens: need(valueOf(treasuryR), "treasury balance"),
      isPlatform: platformR.status === "success" && entry.id === platformR.result,
    },
    holder: account ? { account, balance: need(valueOf(balanceR), "balance"), votes: need(valueOf(votesR), "votes"), delegate: need(valueOf(delegateR), "delegate") } : null,
  };
}

/** The page data from the chain alone: two multicalls (the second needs the registry entry's timelock) and one eth_getBalance. */
export async function fetchCommunityFromChain(client: CommunityClient, source: CommunitySource): Promise<CommunityData> {
  const { token, account } = source;
  const tokenRead = { address: token, abi: socialTokenAbi } as const;
  const first = await client.multicall({
    deployless: true,
    allowFailure: false,
    contracts: [
      { address: source.factory, abi: communityFactoryAbi, functionName: "communityByToken", args: [token] },
      { address: source.factory, abi: communityFactoryAbi, functionName: "platformCommunityId" },
      { ...tokenRead, functionName: "name" },
      { ...tokenRead, functionName: "symbol" },
      { ...tokenRead, functionName: "decimals" },
      { ...tokenRead, functionName: "totalSupply" },
      { ...tokenRead, functionName: "cap" },
      { address: source.revenueShareFactory, abi: revenueShareFactoryAbi, functionName: "revenueShareOf", args: [token] },
    ],
  });
  const [entry, platformId, name, symbol, decimals, totalSupply, cap, revenueShare] = first;
  const [treasury, treasuryEth] = await Promise.all([
    client.multicall({
      deployless: true,
      allowFailure: false,
      contracts: [
        { ...tokenRead, functionName: "balanceOf", args: [entry.timelock] },
        // Without a connected account these read the zero address and are ignored.
        { ...tokenRead, functionName: "balanceOf", args: [account ?? zeroAddress] },
        { ...tokenRead, functionName: "getVotes", args: [account ?? zeroAddress] },
        { ...tokenRead, functionName: "delegates", args: [account ?? zeroAddress] },
      ],
    }),
    // ETH is not a contract read: the treasury's balance is one eth_getBalance.
    client.getBalance({ address: entry.timelock }),
  ]);
  const [treasuryTokens, balance, votes, delegate] = treasury;
  return {
    community: {
      id: entry.id,
      creator: entry.creator,
      token,
      governor: entry.governor,
      timelock: entry.timelock,
      rewardVault: entry.rewardVault === zeroAddress ? null : entry.rewardVault,
      verified: entry.verified,
      createdAt: BigInt(entry.createdAt),
      name,
      symbol,
      decimals,
      totalSupply,
      cap,
      revenueShare: revenueShare === zeroAddress ? null : revenueShare,
      treasuryEth,
      treasuryTokens,
      isPlatform: entry.id === platformId,
    },
    holder: account ? { account, balance, votes, delegate } : null,
  };
}

// ------------------------------------------------------------------------------------ the Explore page

// The factory registry, newest first, one page of 24 at a time, each entry with its token's name,
// symbol and supply. A page costs two `eth_call`s (the registry page, then every token of the page in
// one multicall); the first page adds one for the count and the platform id, which later pages carry
// over in their page parameter.

export const EXPLORE_PAGE_SIZE = 24;

/** One registry entry as Explore shows it. Token facts are null when the token could not be read. */
export interface CommunityListing {
  id: bigint;
  creator: Address;
  token: Address;
  verified: boolean;
  /** Unix seconds. */
  createdAt: number;
  name: string | null;
  symbol: string | null;
  decimals: number;
  totalSupply: bigint | null;
  isPlatform: boolean;
}

export interface CommunityPage {
  /** Registry size when the first page was read. */
  count: bigint;
  /** The platform community's id (null before the platform is launched). */
  platformId: bigint | null;
  /** The id of the page's oldest entry; the next page ends just below it. */
  start: bigint;
  items: CommunityListing[];
}

/**
 * The registry slice of a newest-first page ending (exclusively) at id `end`: the `size` ids just
 * below it, or fewer at the start of the registry.
 */
export function pageBefore(end: bigint, size: number): { offset: bigint; limit: bigint } {
  const want = BigInt(size);
  const offset = end > want ? end - want : 0n;
  return { offset, limit: end - offset };
}

/** Where a later page ends, and what the first page learnt. */
export interface NextPage {
  end: bigint;
  count: bigint;
  platformId: bigint | null;
}

async function readRegistryHead(client: PublicClient, factory: Address): Promise<NextPage> {
  const registry = { address: factory, abi: communityFactoryAbi } as const;
  const [countResult, platformResult] = await client.multicall({
    deployless: true,
    allowFailure: true,
    contracts: [
      { ...registry, functionName: "communityCount" },
      // Reverts before the platform is launched: then no entry is the platform's.
      { ...registry, functionName: "platformCommunityId" },
    ],
  });
  if (countResult.status === "failure") throw countResult.error;
  const count = countResult.result;
  return { end: count, count, platformId: platformResult.status === "success" ? platformResult.result : null };
}

/** Reads one newest-first page of the registry (`next` null: the first page). */
export async function readPage(client: PublicClient, factory: Address, next: NextPage | null): Promise<CommunityPage> {
  const registry = { address: factory, abi: communityFactoryAbi } as const;
  const { end, count, platformId } = next ?? (await readRegistryHead(client, factory));
  const { offset, limit } = pageBefore(end, EXPLORE_PAGE_SIZE);
  if (limit === 0n) return { count, platformId, start: offset, items: [] };

  const entries = await client.readContract({ ...registry, functionName: "communities", args: [offset, limit] });
  const perToken = entries.map((e) => {
    const token = { address: e.token, abi: socialTokenAbi } as const;
    return [
      { ...token, functionName: "name" },
      { ...token, functionName: "symbol" },
      { ...token, functionName: "decimals" },
      { ...token, functionName: "totalSupply" },
    ] as const;
  });
  // One broken token must not hide the others: each read may fail on its own.
  const facts = await client.multicall({ deployless: true, allowFailure: true, contracts: perToken.flat() });
  const items = entries.map((e, i): CommunityListing => {
    const [name, symbol, decimals, totalSupply] = resultsAt(perToken[i], facts, i * perToken[i].length);
    return {
      id: e.id,
      creator: e.creator,
      token: e.token,
      verified: e.verified,
      createdAt: Number(e.createdAt),
      name: valueOf(name) ?? null,
      symbol: valueOf(symbol) ?? null,
      decimals: valueOf(decimals) ?? 18,
      totalSupply: valueOf(totalSupply) ?? null,
      isPlatform: platformId !== null && e.id === platformId,
    };
  });
  return { count, platformId, start: offset, items: items.reverse() };
}

// ------------------------------------------------------------------------------------ the launch page

export interface FactoryFacts {
  /** Wei to send with `createCommunity`. */
  fee: bigint;
  /** The platform DAO paused creation. */
  paused: boolean;
  /** New communities get a reward vault (the platform registered a vault implementation). */
  vaultAvailable: boolean;
}

/** Creation fee, pause flag and vault availability of a factory (one eth_call). */
export async function fetchFactoryFacts(client: Pick<PublicClient, "multicall">, factory: Address): Promise<FactoryFacts> {
  const read = { address: factory, abi: communityFactoryAbi } as const;
  const [fee, paused, [, implementations]] = await client.multicall({
    deployless: true,
    allowFailure: false,
    contracts: [
      { ...read, functionName: "creationFee" },
      { ...read, functionName: "paused" },
      { ...read, functionName: "currentImplementations" },
    ],
  });
  return { fee, paused, vaultAvailable: implementations.rewardVault !== zeroAddress };
}

export interface PredictedCommunity {
  token: Address;
  governor: Address;
  timelock: Address;
  rewardVault: Address | null;
  /** The token address already holds a contract: this creator launched with this salt before. */
  taken: boolean;
}

/** The addresses `creator` gets from `factory` with `salt`, and whether the token address is taken. */
export async function fetchPredictedCommunity(
  client: Pick<PublicClient, "readContract" | "getCode">,
  factory: Address,
  creator: Address,
  salt: Hex,
): Promise<PredictedCommunity> {
  const a = await client.readContract({ address: factory, abi: communityFactoryAbi, functionName: "predictAddresses", args: [creator, salt] });
  // Same test as the factory's FactorySaltUsed: code at the predicted token address.
  const code = await client.getCode({ address: a.token });
  return {
    token: a.token,
    governor: a.governor,
    timelock: a.timelock,
    rewardVault: a.rewardVault === zeroAddress ? null : a.rewardVault,
    taken: code !== undefined && code !== "0x",
  };
}
