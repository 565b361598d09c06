/**
 * Validation of the REST API's path and query parameters, and its opaque keyset cursors.
 * Every failure is an ApiError carrying the HTTP status and a readable message.
 */
import type { Address } from "viem";

export class ApiError extends Error {
  constructor(
    readonly status: 400 | 404,
    message: string,
  ) {
    super(message);
  }
}

const ADDRESS = /^0x[0-9a-fA-F]{40}$/;
const UINT256_MAX = (1n << 256n) - 1n;

/** An address in any case, returned lowercase (how the tables store it). */
export function parseAddress(raw: string | undefined, what: string): Address {
  if (raw === undefined || !ADDRESS.test(raw)) {
    throw new ApiError(400, `${what} must be an address (0x followed by 40 hex digits), got "${String(raw).slice(0, 80)}"`);
  }
  return raw.toLowerCase() as Address;
}

/** A decimal uint256 (a proposal id). */
export function parseUint256(raw: string | undefined, what: string): bigint {
  if (raw === undefined || !/^\d{1,78}$/.test(raw) || BigInt(raw) > UINT256_MAX) {
    throw new ApiError(400, `${what} must be a decimal integer between 0 and 2^256-1, got "${String(raw).slice(0, 80)}"`);
  }
  return BigInt(raw);
}

export const DEFAULT_LIMIT = 20;
export const MAX_LIMIT = 100;

/** `?limit=`: an integer 1..100, default 20. */
export function parseLimit(raw: string | undefined): number {
  if (raw === undefined) return DEFAULT_LIMIT;
  if (!/^\d{1,3}$/.test(raw) || Number(raw) < 1 || Number(raw) > MAX_LIMIT) {
    throw new ApiError(400, `limit must be an integer from 1 to ${MAX_LIMIT}, got "${raw.slice(0, 80)}"`);
  }
  return Number(raw);
}

/** What a cursor holds: the sort key of the last item of a page, one entry per key column. */
export type CursorKind = "uint" | "int" | "address" | "bool";

/** Encodes a sort key as an opaque cursor (base64url of a JSON array of strings). */
export function encodeCursor(values: Array<string | number | bigint | boolean>): string {
  return Buffer.from(JSON.stringify(values.map((v) => (typeof v === "boolean" ? (v ? "1" : "0") : String(v)))), "utf8").toString(
    "base64url",
  );
}

/**
 * Decodes `?cursor=` against the expected shape; undefined when absent. Anything that is not a
 * cursor this API produced for this list is a 400.
 */
export function parseCursor(raw: string | undefined, shape: readonly CursorKind[]): string[] | undefined {
  if (raw === undefined) return undefined;
  const bad = () => new ApiError(400, "cursor is not valid for this list (pass the nextCursor of the previous page unchanged)");
  if (raw.length === 0 || raw.length > 512 || !/^[A-Za-z0-9_-]+$/.test(raw)) throw bad();
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(raw, "base64url").toString("utf8"));
  } catch {
    throw bad();
  }
  if (!Array.isArray(decoded) || decoded.length !== shape.length) throw bad();
  const out: string[] = [];
  for (const [i, kind] of shape.entries()) {
    const v: unknown = decoded[i];
    if (typeof v !== "string") throw bad();
    const ok =
      kind === "uint"
        ? /^\d{1,78}$/.test(v) && BigInt(v) <= UINT256_MAX
        : kind === "int"
          ? /^\d{1,9}$/.test(v)
          : kind === "address"
            ? ADDRESS.test(v)
            : v === "0" || v === "1";
    if (!ok) throw bad();
    out.push(kind === "address" ? v.toLowerCase() : v);
  }
  return out;
}

/** `?q=`: at most 64 characters. */
export function parseQuery(raw: string | undefined): string | undefined {
  if (raw === undefined || raw === "") return undefined;
  if (raw.length > 64) throw new ApiError(400, `q must be at most 64 characters, got ${raw.length}`);
  return raw;
}

/** A LIKE pattern matching `text` as a substring (its wildcards escaped). */
export function substringPattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}
