/**
 * The types every part of the Coterie server shares (docs/server.md). The relay (server/src/relay/,
 * server/src/app.ts, server/src/main.ts) and the attester (server/src/siwe.ts, server/src/join.ts)
 * are built against these; keep them small and stable.
 */
import type { Address, Hex, PublicClient } from "viem";
import type { Logger } from "pino";

/** A SQL database: PGlite (embedded, the default) or PostgreSQL (DATABASE_URL). Both speak the same SQL. */
export interface Db {
  readonly kind: "pglite" | "postgres";
  /** Runs one statement with $1.. parameters and returns its rows. */
  query<T extends Record<string, unknown> = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
  /** Runs `fn` in one transaction (BEGIN … COMMIT, ROLLBACK on a throw). */
  transaction<T>(fn: (tx: Db) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/** The server's configuration, read once from the environment by server/src/config.ts. */
export interface ServerConfig {
  host: string;
  port: number;
  chainId: number;
  rpcUrl: string;
  deploymentId: string;
  /** The platform's addresses from Ignition's record of `deploymentId`. */
  platform: { factory: Address; crowdfundFactory: Address; revenueShareFactory: Address };
  /** Where the app runs (its origin); SIWE messages must name its host as their domain. */
  appUrls: string[];
  database: { kind: "pglite"; dir: string } | { kind: "postgres"; url: string };
  /** The sponsor's private key (submits relayed transactions); never from a file in the repository. */
  sponsorKey: Hex;
  /** The attester's private key (signs join vouchers), if this server attests. */
  attesterKey: Hex | null;
  /** Largest accepted request body, bytes. */
  maxBodyBytes: number;
  /** Defaults and ceilings for every community's settings (docs/server.md "Settings"). */
  defaults: CommunitySettings;
  /** Settings a deployment gives some communities at start (COTERIE_SERVER_COMMUNITIES, JSON). */
  initialSettings: Record<string, Partial<CommunitySettingsInput>>;
  /** Relay rate limits (token buckets): requests a minute per client IP and per account (defaults 120 and 20). */
  relayLimits?: { perIpPerMinute: number; perAccountPerMinute: number };
}

/** A community's relay and join settings (stored per community; defaults from the configuration). */
export interface CommunitySettings {
  relay: {
    enabled: boolean;
    /** Length of a budget epoch, seconds. */
    epochSeconds: number;
    /** Gas the sponsor may spend for the community per epoch. */
    gasPerEpoch: bigint;
    /** Gas the sponsor may spend for one account of the community per epoch. */
    gasPerAccountPerEpoch: bigint;
  };
  join: {
    enabled: boolean;
    /** Tokens (wei units) a new fan's welcome voucher pays. */
    welcome: bigint;
    /** How long a join voucher stays redeemable, seconds. */
    voucherTtlSeconds: number;
    /** Joins one referrer may bring per day (UTC day). */
    perReferrerPerDay: number;
    /** Joins from one IP address per hour. */
    perIpPerHour: number;
    /** If set, only these addresses may join. */
    allowlist: Address[] | null;
  };
}

/** The JSON form of CommunitySettings (bigints as decimal strings), as the API takes and returns it. */
export interface CommunitySettingsInput {
  relay: Partial<Omit<CommunitySettings["relay"], "gasPerEpoch" | "gasPerAccountPerEpoch"> & { gasPerEpoch: string; gasPerAccountPerEpoch: string }>;
  join: Partial<Omit<CommunitySettings["join"], "welcome"> & { welcome: string }>;
}

/** A community of the platform's factory, resolved on chain from its token address. */
export interface Community {
  id: bigint;
  token: Address;
  governor: Address;
  timelock: Address;
  rewardVault: Address;
  name: string;
  symbol: string;
}

/** What every route handler gets. */
export interface ServerContext {
  config: ServerConfig;
  db: Db;
  log: Logger;
  chain: PublicClient;
  /** Resolves a community by its token; null when the factory does not know the token. Cached. */
  community(token: Address): Promise<Community | null>;
  /** The community's settings: stored values over the configured defaults. */
  settings(token: Address): Promise<CommunitySettings>;
  /** The sponsor's and the attester's addresses. */
  sponsor: Address;
  attester: Address | null;
}

/** Every refusal: an HTTP status, a stable machine code and a sentence for people. */
export class HttpError extends Error {
  constructor(
    readonly status: 400 | 401 | 403 | 404 | 409 | 413 | 415 | 422 | 429 | 503,
    readonly code: string,
    message: string,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = "HttpError";
  }
}
