/**
 * The attester (docs/server.md "Attester"): GET /v1/nonce, POST /v1/join (a signed-in fan gets a
 * welcome voucher naming their referrer, once per fan per community) and
 * PUT /v1/communities/:token/settings (the vault's operator changes the community's settings).
 */
import { Hono } from "hono";
import { getAddress, zeroAddress, type Address, type Hex } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { z } from "zod";
import { claimLink, signVoucher, type TypedDataSigner, type Voucher } from "../../shared/rewards.ts";
import { joinResource, joinVoucherId, settingsHash, settingsResource } from "../../shared/server-protocol.ts";
import { rewardVaultAbi } from "../../indexer/generated/abis.ts";
import { addressParam, clientIp, communityJson, readJson, validate } from "./app.ts";
import { HttpError, type Community, type CommunitySettings, type ServerContext } from "./context.ts";
import { ConfigError } from "./config.ts";
import { migrate } from "./db.ts";
import { parseSettingsInput, saveSettings } from "./settings.ts";
import { issueNonce, SIWE_SCHEMA, verifySignIn } from "./siwe.ts";

export const JOIN_SCHEMA = [
  ...SIWE_SCHEMA,
  `CREATE TABLE IF NOT EXISTS joins (
     token TEXT NOT NULL,
     fan TEXT NOT NULL,
     referrer TEXT NOT NULL,
     ip TEXT NOT NULL,
     voucher_id NUMERIC(78, 0) NOT NULL,
     amount NUMERIC(78, 0) NOT NULL,
     deadline NUMERIC(78, 0) NOT NULL,
     signature TEXT NOT NULL,
     created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
     PRIMARY KEY (token, fan)
   )`,
  "CREATE INDEX IF NOT EXISTS joins_ip ON joins (token, ip, created_at)",
  "CREATE INDEX IF NOT EXISTS joins_referrer ON joins (token, referrer, created_at)",
];

/**
 * COTERIE_JOIN_GATE_URL: a loopback (http://127.0.0.1, http://localhost, http://[::1]) or https URL,
 * or null when unset. Throws a ConfigError naming the variable otherwise.
 */
export function joinGateUrl(env: Record<string, string | undefined> = process.env): string | null {
  const raw = env.COTERIE_JOIN_GATE_URL;
  if (raw === undefined || raw === "") return null;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError(`COTERIE_JOIN_GATE_URL is not a URL: "${raw}"`);
  }
  const loopback = url.protocol === "http:" && ["127.0.0.1", "localhost", "[::1]"].includes(url.hostname);
  if (url.protocol !== "https:" && !loopback) throw new ConfigError(`COTERIE_JOIN_GATE_URL must be https (or http on loopback), got "${raw}"`);
  return url.toString();
}

const GATE_TIMEOUT_MS = 3_000;

/** Asks the gate hook whether `fan` may join; throws 403 when it says no, 503 when it does not answer. */
async function askGate(url: string, body: { token: Address; fan: Address; referrer: Address | null }): Promise<void> {
  let answer: unknown;
  try {
    const res = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(GATE_TIMEOUT_MS),
      redirect: "error",
    });
    answer = res.ok ? await res.json() : null;
  } catch {
    answer = null;
  }
  if (typeof answer !== "object" || answer === null || !("allow" in answer) || typeof answer.allow !== "boolean") {
    throw new HttpError(503, "gate_unavailable", "the community's join gate did not answer; try again later");
  }
  if (answer.allow !== true) {
    const reason = "reason" in answer && typeof answer.reason === "string" ? `: ${answer.reason.slice(0, 200)}` : "";
    throw new HttpError(403, "forbidden", `the community's join gate refused this join${reason}`);
  }
}

const addressSchema = z
  .string()
  .regex(/^0x[0-9a-fA-F]{40}$/, "an address (0x and 40 hex digits)")
  .transform((a) => getAddress(a));
const joinBody = z
  .object({ token: addressSchema, referrer: addressSchema.nullable().optional(), message: z.string(), signature: z.string() })
  .strict();
const settingsBody = z.object({ settings: z.unknown(), message: z.string(), signature: z.string() }).strict();

interface JoinRow extends Record<string, unknown> {
  fan: string;
  referrer: string;
  voucher_id: string;
  amount: string;
  deadline: string;
  signature: string;
}

export interface JoinRoutesOptions {
  /** The gate hook (COTERIE_JOIN_GATE_URL); default: read from the environment. */
  gateUrl?: string | null;
}

/** The attester's routes, once its tables exist (nonces, joins). */
export async function joinRoutes(ctx: ServerContext, options: JoinRoutesOptions = {}): Promise<Hono> {
  const gateUrl = options.gateUrl !== undefined ? options.gateUrl : joinGateUrl();
  const attester = ctx.config.attesterKey === null ? null : privateKeyToAccount(ctx.config.attesterKey);
  const signer: TypedDataSigner | null =
    attester === null
      ? null
      : {
          // shared/rewards.ts signs with ethers-style (domain, types, value); viem's account takes one object.
          signTypedData: (domain, types, value) => attester.signTypedData({ domain: { ...domain, verifyingContract: getAddress(domain.verifyingContract) }, types, primaryType: "Voucher", message: value }),
        };
  await migrate(ctx.db, JOIN_SCHEMA);

  const app = new Hono();

  app.get("/v1/nonce", async (c) => {
    return c.json({ nonce: await issueNonce(ctx.db) });
  });

  async function known(token: Address): Promise<Community> {
    const community = await ctx.community(token);
    if (community === null) throw new HttpError(404, "unknown_community", `${token} is not a community of this platform`);
    return community;
  }

  const vaultRead = <F extends "attester" | "operator">(vault: Address, functionName: F) =>
    ctx.chain.readContract({ address: vault, abi: rewardVaultAbi, functionName });

  /** Signs `voucher` as the attester, for `community`'s vault. */
  async function sign(community: Community, voucher: Voucher): Promise<Hex> {
    if (signer === null) throw new HttpError(503, "not_configured", "this server has no attester key (COTERIE_ATTESTER_KEY)");
    return (await signVoucher(signer, ctx.config.chainId, community.rewardVault, voucher)) as Hex;
  }

  function answer(community: Community, voucher: Voucher, signature: Hex, existing: boolean) {
    const link = claimLink(ctx.config.appUrls[0]!, { chainId: BigInt(ctx.config.chainId), vault: community.rewardVault, voucher, signature });
    return {
      voucher: {
        recipient: getAddress(voucher.recipient),
        amount: voucher.amount.toString(),
        referrer: getAddress(voucher.referrer),
        id: voucher.id.toString(),
        deadline: voucher.deadline.toString(),
      },
      signature,
      claimLink: link,
      rewardVault: community.rewardVault,
      existing,
    };
  }

  async function chainNow(): Promise<bigint> {
    const block = await ctx.chain.getBlock({ blockTag: "latest" });
    return block.timestamp;
  }

  app.post("/v1/join", async (c) => {
    const body = validate(joinBody, await readJson(c));
    const token = body.token;
    const community = await known(token);
    const settings: CommunitySettings = await ctx.settings(token);
    if (!settings.join.enabled) throw new HttpError(503, "not_configured", `joining ${community.name} through this server is turned off`);
    if (settings.join.welcome === 0n) throw new HttpError(503, "not_configured", `${community.name}'s welcome reward is 0; the creator sets it in the console`);
    if (attester === null) throw new HttpError(503, "not_configured", "this server has no attester key (COTERIE_ATTESTER_KEY); joins are off");
    const vaultAttester = getAddress(await vaultRead(community.rewardVault, "attester"));
    if (vaultAttester !== attester.address) {
      throw new HttpError(
        503,
        "not_configured",
        `the reward vault's attester is ${vaultAttester}, not this server's attester ${attester.address}: ` +
          `the creator (the vault's operator) makes it the attester with setAttester(${attester.address}) on ${community.rewardVault}`,
      );
    }
    const fan = await verifySignIn(ctx, { message: body.message, signature: body.signature, resource: joinResource(token) });
    if (settings.join.allowlist !== null && !settings.join.allowlist.includes(fan)) {
      throw new HttpError(403, "forbidden", `${fan} is not on ${community.name}'s allowlist for joining`);
    }
    const id = joinVoucherId(fan);

    // A fan who joined already gets the same voucher back (re-signed when it expired unredeemed).
    const [previous] = await ctx.db.query<JoinRow>(
      "SELECT fan, referrer, voucher_id::text AS voucher_id, amount::text AS amount, deadline::text AS deadline, signature FROM joins WHERE token = $1 AND fan = $2",
      [token, fan],
    );
    if (previous !== undefined) return c.json(await rejoin(community, settings, previous));

    const referrer = body.referrer ?? null;
    if (referrer !== null && referrer === fan) throw new HttpError(400, "bad_request", "a fan cannot refer themselves");
    if (gateUrl !== null) await askGate(gateUrl, { token, fan, referrer });
    const ip = clientIp(c);
    const deadline = (await chainNow()) + BigInt(settings.join.voucherTtlSeconds);
    const voucher: Voucher = { recipient: fan, amount: settings.join.welcome, referrer: referrer ?? zeroAddress, id, deadline };
    const signature = await sign(community, voucher);

    // Counted and recorded in one transaction under a per-community lock, so concurrent joins cannot
    // overshoot a limit; the counts are rows, so they survive restarts.
    const stored = await ctx.db.transaction(async (tx) => {
      await tx.query("SELECT pg_advisory_xact_lock(hashtext($1))", [`coterie.join:${token}`]);
      const [again] = await tx.query<JoinRow>(
        "SELECT fan, referrer, voucher_id::text AS voucher_id, amount::text AS amount, deadline::text AS deadline, signature FROM joins WHERE token = $1 AND fan = $2",
        [token, fan],
      );
      if (again !== undefined) return again; // the same fan, racing: the first one's voucher
      const [{ n: perIp }] = await tx.query<{ n: number }>(
        "SELECT count(*)::int AS n FROM joins WHERE token = $1 AND ip = $2 AND created_at > now() - interval '1 hour'",
        [token, ip],
      );
      if (perIp >= settings.join.perIpPerHour) {
        throw new HttpError(429, "rate_limited", `too many joins from this network in the last hour (${settings.join.perIpPerHour} allowed); try again later`);
      }
      if (referrer !== null) {
        const [{ n: perReferrer }] = await tx.query<{ n: number }>(
          "SELECT count(*)::int AS n FROM joins WHERE token = $1 AND referrer = $2 AND created_at >= date_trunc('day', now() AT TIME ZONE 'UTC') AT TIME ZONE 'UTC'",
          [token, referrer],
        );
        if (perReferrer >= settings.join.perReferrerPerDay) {
          throw new HttpError(
            429,
            "rate_limited",
            `${referrer} has referred ${perReferrer} fans today, the most ${community.name} allows per day; try again tomorrow (UTC) or join without the referral`,
          );
        }
      }
      await tx.query(
        "INSERT INTO joins (token, fan, referrer, ip, voucher_id, amount, deadline, signature) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        [token, fan, getAddress(voucher.referrer), ip, id.toString(), voucher.amount.toString(), deadline.toString(), signature],
      );
      return null;
    });
    if (stored !== null) return c.json(await rejoin(community, settings, stored));
    ctx.log.info({ token, fan, referrer, voucherId: id.toString() }, "join voucher signed");
    return c.json(answer(community, voucher, signature, false));
  });

  /** The stored voucher of a fan who joined before; re-signed with a new deadline when it expired unredeemed. */
  async function rejoin(community: Community, settings: CommunitySettings, row: JoinRow) {
    const voucher: Voucher = {
      recipient: getAddress(row.fan),
      amount: BigInt(row.amount),
      referrer: getAddress(row.referrer),
      id: BigInt(row.voucher_id),
      deadline: BigInt(row.deadline),
    };
    let signature = row.signature as Hex;
    const now = await chainNow();
    if (voucher.deadline < now) {
      const redeemed = await ctx.chain.readContract({ address: community.rewardVault, abi: rewardVaultAbi, functionName: "isRedeemed", args: [voucher.id] });
      if (!redeemed) {
        voucher.deadline = now + BigInt(settings.join.voucherTtlSeconds);
        signature = await sign(community, voucher);
        await ctx.db.query("UPDATE joins SET deadline = $3, signature = $4 WHERE token = $1 AND fan = $2", [
          community.token,
          voucher.recipient,
          voucher.deadline.toString(),
          signature,
        ]);
      }
    }
    return answer(community, voucher, signature, true);
  }

  app.put("/v1/communities/:token/settings", async (c) => {
    const token = addressParam(c.req.param("token"), "token");
    const body = validate(settingsBody, await readJson(c));
    const community = await known(token);
    let input;
    try {
      input = parseSettingsInput(body.settings);
    } catch (error) {
      const issues = error instanceof z.ZodError ? error.issues.map((i) => `${i.path.join(".") || "settings"}: ${i.message}`).join("; ") : String(error);
      throw new HttpError(400, "bad_request", `settings: ${issues}`);
    }
    const signerAddress = await verifySignIn(ctx, { message: body.message, signature: body.signature, resource: settingsResource(token, settingsHash(body.settings)) });
    const operator = getAddress(await vaultRead(community.rewardVault, "operator"));
    if (signerAddress !== operator) {
      throw new HttpError(403, "forbidden", `only ${community.name}'s operator (${operator}) may change its settings; ${signerAddress} signed in`);
    }
    // The deployment's initial settings stay the base until the creator's first change.
    const first = (await ctx.db.query("SELECT 1 FROM community_settings WHERE token = $1", [token])).length === 0;
    const initial = first ? (ctx.config.initialSettings[token] ?? {}) : {};
    const merged = { relay: { ...initial.relay, ...input.relay }, join: { ...initial.join, ...input.join } };
    await saveSettings(ctx.db, token, merged, ctx.config.defaults);
    ctx.log.info({ token, operator }, "settings changed");
    return c.json(await communityJson(ctx, token));
  });

  return app;
}
