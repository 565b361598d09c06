/**
 * EIP-4361 sign-in (docs/server.md "Sign-in messages"): single-use nonces kept in the database, and
 * `verifySignIn`, which checks a signed message against this server (domain, chain, times, nonce,
 * resource) and its signature (EOA, ERC-1271 and ERC-6492 through viem's verifySiweMessage).
 */
import { randomInt } from "node:crypto";
import { getAddress, isHex, type Address, type Hex } from "viem";
import { parseSiweMessage, verifySiweMessage, type SiweMessage } from "viem/siwe";
import { HttpError, type Db, type ServerContext } from "./context.ts";

/** How long a nonce from GET /v1/nonce stays usable, and the longest a signed message may be valid. */
export const SIGN_IN_TTL_SECONDS = 600;
/** Clock skew tolerated between the fan's device and the server, seconds. */
const SKEW_SECONDS = 60;
const NONCE_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

/** The nonce table (run once at start, idempotent). */
export const SIWE_SCHEMA = [
  `CREATE TABLE IF NOT EXISTS siwe_nonces (
     nonce TEXT PRIMARY KEY,
     expires_at TIMESTAMPTZ NOT NULL,
     used_at TIMESTAMPTZ
   )`,
  "CREATE INDEX IF NOT EXISTS siwe_nonces_expires ON siwe_nonces (expires_at)",
];

/** Issues a fresh nonce: 16 alphanumeric characters, single-use, valid for 10 minutes. Forgets nonces expired an hour ago. */
export async function issueNonce(db: Db): Promise<string> {
  let nonce = "";
  for (let i = 0; i < 16; i++) nonce += NONCE_ALPHABET[randomInt(NONCE_ALPHABET.length)];
  await db.query("DELETE FROM siwe_nonces WHERE expires_at < now() - interval '1 hour'");
  await db.query(`INSERT INTO siwe_nonces (nonce, expires_at) VALUES ($1, now() + interval '${SIGN_IN_TTL_SECONDS} seconds')`, [nonce]);
  return nonce;
}

const bad = (message: string) => new HttpError(400, "bad_request", message);

/** The hosts (host[:port]) a sign-in message may name as its domain: those of the app URLs. */
export function appHosts(appUrls: readonly string[]): string[] {
  return appUrls.map((url) => new URL(url).host);
}

/**
 * Checks a signed sign-in message for `resource` and burns its nonce; returns the signer.
 * Throws HttpError: 400 `bad_request` (malformed, wrong domain, unknown or used nonce, wrong
 * resource), 400 `wrong_chain`, 400 `expired`, 401 `bad_signature`.
 */
export async function verifySignIn(
  ctx: Pick<ServerContext, "config" | "db" | "chain">,
  input: { message: unknown; signature: unknown; resource: string },
): Promise<Address> {
  const { message, signature, resource } = input;
  if (typeof message !== "string" || message.length === 0 || message.length > 4_096) throw bad("message must be an EIP-4361 sign-in message (a string of at most 4096 characters)");
  if (typeof signature !== "string" || !isHex(signature) || signature.length < 132) throw bad("signature must be 0x-hex of at least 65 bytes");
  let parsed: Partial<SiweMessage>;
  try {
    parsed = parseSiweMessage(message);
  } catch {
    throw bad("message is not an EIP-4361 sign-in message");
  }
  const { address, domain, chainId, nonce, expirationTime, issuedAt, notBefore, resources } = parsed;
  if (address === undefined || domain === undefined || chainId === undefined || nonce === undefined || parsed.uri === undefined || parsed.version !== "1") {
    throw bad("message is not an EIP-4361 sign-in message (address, domain, URI, version, chain id and nonce are required)");
  }
  const hosts = appHosts(ctx.config.appUrls);
  if (!hosts.includes(domain)) throw bad(`the sign-in message is for ${domain}, but this server accepts sign-ins for ${hosts.join(", ")} only`);
  if (chainId !== ctx.config.chainId) {
    throw new HttpError(400, "wrong_chain", `the sign-in message is for chain ${chainId}, but this server serves chain ${ctx.config.chainId}`);
  }
  const now = Date.now();
  if (expirationTime === undefined) throw bad("the sign-in message needs an expiration time (at most 10 minutes ahead)");
  if (expirationTime.getTime() <= now) throw new HttpError(400, "expired", `the sign-in message expired at ${expirationTime.toISOString()}; sign in again`);
  if (expirationTime.getTime() > now + (SIGN_IN_TTL_SECONDS + SKEW_SECONDS) * 1000) {
    throw bad(`the sign-in message is valid until ${expirationTime.toISOString()}; at most 10 minutes are accepted`);
  }
  if (issuedAt !== undefined && issuedAt.getTime() > now + SKEW_SECONDS * 1000) throw bad(`the sign-in message was issued in the future (${issuedAt.toISOString()})`);
  if (notBefore !== undefined && notBefore.getTime() > now + SKEW_SECONDS * 1000) throw bad(`the sign-in message is not valid before ${notBefore.toISOString()}`);
  if (!(resources ?? []).includes(resource)) {
    throw bad(`the sign-in message does not authorise this request: its resources must include ${resource}`);
  }
  const unused = await ctx.db.query("SELECT 1 FROM siwe_nonces WHERE nonce = $1 AND used_at IS NULL AND expires_at > now()", [nonce]);
  if (unused.length === 0) throw bad("the sign-in nonce is unknown, used or expired; get a new one from GET /v1/nonce and sign again");
  let valid = false;
  try {
    valid = await verifySiweMessage(ctx.chain, { message, signature: signature as Hex, address: getAddress(address) });
  } catch {
    valid = false;
  }
  if (!valid) throw new HttpError(401, "bad_signature", `the signature is not ${getAddress(address)}'s signature of this sign-in message`);
  // Burnt atomically: of two requests racing with one message, one wins and the other is refused.
  const burnt = await ctx.db.query("UPDATE siwe_nonces SET used_at = now() WHERE nonce = $1 AND used_at IS NULL AND expires_at > now() RETURNING nonce", [nonce]);
  if (burnt.length === 0) throw bad("the sign-in nonce was used already; get a new one from GET /v1/nonce and sign again");
  return getAddress(address);
}
