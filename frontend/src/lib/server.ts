/**
 * A typed client for the Coterie server (relay + attester, docs/server.md). Every refusal the server
 * sends (`{ error, code, reason?, id? }` with a 4xx or 503) becomes a `ServerError` whose message is
 * a sentence the UI shows as it is; a request that never got an answer (server stopped, wrong URL,
 * CORS, timeout) becomes a `ServerUnreachableError`, on which the app falls back to the wallet
 * paying gas. Answers are checked field by field: a server that answers something else is refused
 * with the field named, never trusted half-way.
 */
import { getAddress, isAddress, isHex, type Address, type Hex } from "viem";
import { describeCustomError } from "./errors.ts";

/** A refusal by the server: `code` is its machine code (docs/server.md "API"). */
export class ServerError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    /** The decoded revert (custom error name) when the chain would refuse the action. */
    readonly reason: string | null = null,
    /** The existing request when the same action is already queued, sent or mined (`duplicate`). */
    readonly existingId: string | null = null,
  ) {
    super(message);
    this.name = "ServerError";
  }
}

/** The server did not answer at all: the app offers the wallet path instead. */
export class ServerUnreachableError extends Error {
  constructor(readonly cause?: unknown) {
    super("The Coterie server is unreachable, so this cannot be done for free right now. You can pay the gas yourself.");
    this.name = "ServerUnreachableError";
  }
}

export function isServerUnreachable(error: unknown): error is ServerUnreachableError {
  return error instanceof ServerUnreachableError;
}

export interface ServerCommunity {
  token: Address;
  name: string;
  symbol: string;
  rewardVault: Address;
  sponsor: Address;
  relay: {
    enabled: boolean;
    epochSeconds: number;
    gasPerEpoch: bigint;
    gasPerAccountPerEpoch: bigint;
    epoch: { index: number; endsAt: number; used: bigint };
  };
  join: {
    enabled: boolean;
    welcome: bigint;
    voucherTtlSeconds: number;
    perReferrerPerDay: number;
    perIpPerHour: number;
    allowlist: Address[] | null;
    referralBps: number;
    attester: Address | null;
    vaultAttester: Address;
    ready: boolean;
  };
}

/** The settings a creator may change (PUT …/settings), in the API's JSON form. */
export interface SettingsInput {
  relay?: Partial<{ enabled: boolean; epochSeconds: number; gasPerEpoch: string; gasPerAccountPerEpoch: string }>;
  join?: Partial<{ enabled: boolean; welcome: string; voucherTtlSeconds: number; perReferrerPerDay: number; perIpPerHour: number; allowlist: Address[] | null }>;
}

export interface WireVoucher {
  recipient: Address;
  amount: string;
  referrer: Address;
  id: string;
  deadline: string;
}

export interface JoinResult {
  voucher: { recipient: Address; amount: bigint; referrer: Address; id: bigint; deadline: bigint };
  signature: Hex;
  claimLink: string;
  rewardVault: Address;
  existing: boolean;
}

export type RelayAction =
  | { kind: "vote"; proposalId: string; support: number; voter: Address; reason: string; params: Hex; signature: Hex }
  | { kind: "delegate"; delegatee: Address; nonce: string; expiry: string; signature: Hex }
  | { kind: "redeem"; voucher: WireVoucher; signature: Hex }
  | { kind: "campaign"; campaignId: string; index: string; account: Address; amount: string; proof: Hex[] }
  | { kind: "referral"; referrer: Address }
  | { kind: "revenue"; revenueShare: Address; asset: Address; account: Address; maxDeposits: string }
  | { kind: "crowdfund"; crowdfund: Address; account: Address };

export type RelayKind = RelayAction["kind"];

export interface RelayAccepted {
  id: string;
  status: "queued";
  kind: RelayKind;
  account: Address;
}

export interface RelayRequestStatus {
  id: string;
  kind: string;
  account: Address;
  status: "queued" | "sent" | "mined" | "failed";
  txHash: Hex | null;
  blockNumber: bigint | null;
  error: { code: string; reason: string | null; message: string } | null;
}

export interface ServerClient {
  readonly baseUrl: string;
  nonce(): Promise<string>;
  community(token: Address): Promise<ServerCommunity>;
  join(body: { token: Address; referrer: Address | null; message: string; signature: Hex }): Promise<JoinResult>;
  relay(body: { chainId: number; community: Address; action: RelayAction }): Promise<RelayAccepted>;
  relayStatus(id: string): Promise<RelayRequestStatus>;
  putSettings(token: Address, body: { settings: SettingsInput; message: string; signature: Hex }): Promise<ServerCommunity>;
}

export interface ServerClientOptions {
  fetch?: typeof fetch;
  /** Milliseconds before a request counts as unanswered (default 10 s). */
  timeoutMs?: number;
}

/** The client for a chain's server, or null when the chain names none (then nothing is offered for free). */
export function serverFor(chain: { serverUrl: string | null }, options: ServerClientOptions = {}): ServerClient | null {
  return chain.serverUrl ? createServerClient(chain.serverUrl, options) : null;
}

// ---- answer checking ----------------------------------------------------------------------------

class BadAnswer extends Error {}

type Obj = Record<string, unknown>;

function obj(value: unknown, where: string): Obj {
  if (typeof value !== "object" || value === null || Array.isArray(value)) throw new BadAnswer(`${where} is not an object`);
  return value as Obj;
}
function str(o: Obj, key: string, where: string): string {
  if (typeof o[key] !== "string") throw new BadAnswer(`${where}.${key} is not a string`);
  return o[key] as string;
}
function num(o: Obj, key: string, where: string): number {
  if (typeof o[key] !== "number" || !Number.isFinite(o[key])) throw new BadAnswer(`${where}.${key} is not a number`);
  return o[key] as number;
}
function bool(o: Obj, key: string, where: string): boolean {
  if (typeof o[key] !== "boolean") throw new BadAnswer(`${where}.${key} is not true or false`);
  return o[key] as boolean;
}
function addr(o: Obj, key: string, where: string): Address {
  const v = o[key];
  if (typeof v !== "string" || !isAddress(v)) throw new BadAnswer(`${where}.${key} is not an address`);
  return getAddress(v);
}
function optAddr(o: Obj, key: string, where: string): Address | null {
  return o[key] === null || o[key] === undefined ? null : addr(o, key, where);
}
function big(o: Obj, key: string, where: string): bigint {
  const v = o[key];
  if (typeof v !== "string" || !/^\d+$/.test(v)) throw new BadAnswer(`${where}.${key} is not a decimal number`);
  return BigInt(v);
}
function hex(o: Obj, key: string, where: string): Hex {
  const v = o[key];
  if (typeof v !== "string" || !isHex(v)) throw new BadAnswer(`${where}.${key} is not 0x-hex`);
  return v;
}

export function parseCommunity(json: unknown): ServerCommunity {
  const o = obj(json, "community");
  const relay = obj(o.relay, "community.relay");
  const epoch = obj(relay.epoch, "community.relay.epoch");
  const join = obj(o.join, "community.join");
  let allowlist: Address[] | null = null;
  if (join.allowlist !== null && join.allowlist !== undefined) {
    if (!Array.isArray(join.allowlist) || join.allowlist.some((a) => typeof a !== "string" || !isAddress(a))) {
      throw new BadAnswer("community.join.allowlist is not a list of addresses");
    }
    allowlist = (join.allowlist as string[]).map((a) => getAddress(a));
  }
  return {
    token: addr(o, "token", "community"),
    name: str(o, "name", "community"),
    symbol: str(o, "symbol", "community"),
    rewardVault: addr(o, "rewardVault", "community"),
    sponsor: addr(o, "sponsor", "community"),
    relay: {
      enabled: bool(relay, "enabled", "community.relay"),
      epochSeconds: num(relay, "epochSeconds", "community.relay"),
      gasPerEpoch: big(relay, "gasPerEpoch", "community.relay"),
      gasPerAccountPerEpoch: big(relay, "gasPerAccountPerEpoch", "community.relay"),
      epoch: { index: num(epoch, "index", "community.relay.epoch"), endsAt: num(epoch, "endsAt", "community.relay.epoch"), used: big(epoch, "used", "community.relay.epoch") },
    },
    join: {
      enabled: bool(join, "enabled", "community.join"),
      welcome: big(join, "welcome", "community.join"),
      voucherTtlSeconds: num(join, "voucherTtlSeconds", "community.join"),
      perReferrerPerDay: num(join, "perReferrerPerDay", "community.join"),
      perIpPerHour: num(join, "perIpPerHour", "community.join"),
      allowlist,
      referralBps: num(join, "referralBps", "community.join"),
      attester: optAddr(join, "attester", "community.join"),
      vaultAttester: addr(join, "vaultAttester", "community.join"),
      ready: bool(join, "ready", "community.join"),
    },
  };
}

function parseJoin(json: unknown): JoinResult {
  const o = obj(json, "join");
  const v = obj(o.voucher, "join.voucher");
  return {
    voucher: {
      recipient: addr(v, "recipient", "join.voucher"),
      amount: big(v, "amount", "join.voucher"),
      referrer: addr(v, "referrer", "join.voucher"),
      id: big(v, "id", "join.voucher"),
      deadline: big(v, "deadline", "join.voucher"),
    },
    signature: hex(o, "signature", "join"),
    claimLink: str(o, "claimLink", "join"),
    rewardVault: addr(o, "rewardVault", "join"),
    existing: o.existing === true,
  };
}

const STATUSES = ["queued", "sent", "mined", "failed"] as const;

function parseRelayStatus(json: unknown): RelayRequestStatus {
  const o = obj(json, "relay");
  const status = o.status;
  if (typeof status !== "string" || !(STATUSES as readonly string[]).includes(status)) throw new BadAnswer("relay.status is not queued, sent, mined or failed");
  let error: RelayRequestStatus["error"] = null;
  if (o.error !== null && o.error !== undefined) {
    const e = obj(o.error, "relay.error");
    error = {
      code: typeof e.code === "string" ? e.code : "failed",
      reason: typeof e.reason === "string" && e.reason !== "" ? e.reason : null,
      message: typeof e.message === "string" ? e.message : "",
    };
  }
  return {
    id: str(o, "id", "relay"),
    kind: str(o, "kind", "relay"),
    account: addr(o, "account", "relay"),
    status: status as RelayRequestStatus["status"],
    txHash: o.txHash === null || o.txHash === undefined ? null : hex(o, "txHash", "relay"),
    blockNumber: o.blockNumber === null || o.blockNumber === undefined ? null : big(o, "blockNumber", "relay"),
    error,
  };
}

function parseAccepted(json: unknown): RelayAccepted {
  const o = obj(json, "relay");
  return { id: str(o, "id", "relay"), status: "queued", kind: str(o, "kind", "relay") as RelayKind, account: addr(o, "account", "relay") };
}

/** One sentence for a refusal: the decoded revert in plain words when the chain would refuse, else the server's own. */
export function refusalMessage(status: number, body: unknown): ServerError {
  const o = typeof body === "object" && body !== null ? (body as Obj) : {};
  const code = typeof o.code === "string" ? o.code : `http_${status}`;
  const reason = typeof o.reason === "string" && o.reason !== "" ? o.reason : null;
  const existingId = typeof o.id === "string" ? o.id : null;
  const said = typeof o.error === "string" && o.error.trim() !== "" ? o.error.trim() : null;
  let message: string;
  if (reason && /^[A-Z][A-Za-z0-9]*$/.test(reason)) message = describeCustomError(reason);
  else if (said) message = said;
  else message = `The Coterie server refused the request (HTTP ${status}).`;
  return new ServerError(status, code, message, reason, existingId);
}

/** A failed relay request's reason as one sentence (GET /v1/relay/:id `error`). */
export function relayFailureMessage(error: RelayRequestStatus["error"]): string {
  if (!error) return "The server could not send this transaction.";
  if (error.reason && /^[A-Z][A-Za-z0-9]*$/.test(error.reason)) return describeCustomError(error.reason);
  return error.message !== "" ? error.message : "The server could not send this transaction.";
}

export function createServerClient(baseUrl: string, options: ServerClientOptions = {}): ServerClient {
  const base = baseUrl.replace(/\/+$/, "");
  const doFetch = options.fetch ?? ((input: RequestInfo | URL, init?: RequestInit) => fetch(input, init));
  const timeoutMs = options.timeoutMs ?? 10_000;

  async function request<T>(method: "GET" | "POST" | "PUT", path: string, body: unknown, parse: (json: unknown) => T): Promise<T> {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), timeoutMs);
    let response: Response;
    try {
      response = await doFetch(`${base}${path}`, {
        method,
        headers: body === undefined ? { accept: "application/json" } : { accept: "application/json", "content-type": "application/json" },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: controller.signal,
      });
    } catch (error) {
      throw new ServerUnreachableError(error);
    } finally {
      clearTimeout(timer);
    }
    let json: unknown = null;
    try {
      json = await response.json();
    } catch {
      json = null;
    }
    if (!response.ok) {
      // A gateway in front of a stopped server answers 502/504 without the server's JSON.
      if (response.status >= 500 && (json === null || typeof (json as Obj).code !== "string")) throw new ServerUnreachableError(`HTTP ${response.status}`);
      throw refusalMessage(response.status, json);
    }
    try {
      return parse(json);
    } catch (error) {
      if (error instanceof BadAnswer) throw new ServerError(response.status, "bad_answer", `The Coterie server answered something unexpected: ${error.message}.`);
      throw error;
    }
  }

  return {
    baseUrl: base,
    nonce: () =>
      request("GET", "/v1/nonce", undefined, (json) => {
        const nonce = str(obj(json, "nonce"), "nonce", "nonce");
        if (!/^[A-Za-z0-9]{8,}$/.test(nonce)) throw new BadAnswer("nonce is not alphanumeric");
        return nonce;
      }),
    community: (token) => request("GET", `/v1/communities/${getAddress(token)}`, undefined, parseCommunity),
    join: (body) => request("POST", "/v1/join", body, parseJoin),
    relay: (body) => request("POST", "/v1/relay", body, parseAccepted),
    relayStatus: (id) => request("GET", `/v1/relay/${encodeURIComponent(id)}`, undefined, parseRelayStatus),
    putSettings: (token, body) => request("PUT", `/v1/communities/${getAddress(token)}/settings`, body, parseCommunity),
  };
}

/** The voucher in the API's JSON form (decimal strings). */
export function wireVoucher(v: { recipient: Address; amount: bigint; referrer: Address; id: bigint; deadline: bigint }): WireVoucher {
  return { recipient: v.recipient, amount: v.amount.toString(), referrer: v.referrer, id: v.id.toString(), deadline: v.deadline.toString() };
}
