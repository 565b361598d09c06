/**
 * Per-community relay and join settings (docs/server.md): the configured defaults, then the
 * deployment's COTERIE_SERVER_COMMUNITIES entry, then what the creator stored (table
 * community_settings). Relay gas figures never exceed the server's defaults: a creator may lower
 * the platform's sponsoring, not raise it.
 */
import { getAddress, type Address } from "viem";
import { z } from "zod";
import type { CommunitySettings, CommunitySettingsInput, Db } from "./context.ts";

export const SETTINGS_TABLES = [
  `CREATE TABLE IF NOT EXISTS community_settings (
     token TEXT PRIMARY KEY,
     settings TEXT NOT NULL,
     updated_at TIMESTAMPTZ NOT NULL DEFAULT now()
   )`,
];

const decimal = z.string().regex(/^\d{1,60}$/, "a decimal string of digits");
const seconds = z.number().int().min(60).max(365 * 86_400);
const count = z.number().int().min(0).max(1_000_000);
const address = z.string().regex(/^0x[0-9a-fA-F]{40}$/, "an address (0x and 40 hex digits)").transform((a) => getAddress(a));

export const settingsInputSchema = z
  .object({
    relay: z
      .object({ enabled: z.boolean(), epochSeconds: seconds, gasPerEpoch: decimal, gasPerAccountPerEpoch: decimal })
      .partial()
      .strict(),
    join: z
      .object({
        enabled: z.boolean(),
        welcome: decimal,
        voucherTtlSeconds: seconds,
        perReferrerPerDay: count,
        perIpPerHour: count,
        allowlist: z.array(address).max(10_000).nullable(),
      })
      .partial()
      .strict(),
  })
  .partial()
  .strict();

/** Validates a settings input (JSON); throws a ZodError naming the field. */
export function parseSettingsInput(json: unknown): Partial<CommunitySettingsInput> {
  return settingsInputSchema.parse(json);
}

const min = (a: bigint, b: bigint) => (a < b ? a : b);

/** `base` with `input` applied; with `cap`, relay gas figures are at most the cap's. */
export function applySettingsInput(base: CommunitySettings, input: Partial<CommunitySettingsInput>, cap?: CommunitySettings): CommunitySettings {
  const r = input.relay ?? {};
  const j = input.join ?? {};
  const relay = {
    enabled: r.enabled ?? base.relay.enabled,
    epochSeconds: r.epochSeconds ?? base.relay.epochSeconds,
    gasPerEpoch: r.gasPerEpoch !== undefined ? BigInt(r.gasPerEpoch) : base.relay.gasPerEpoch,
    gasPerAccountPerEpoch: r.gasPerAccountPerEpoch !== undefined ? BigInt(r.gasPerAccountPerEpoch) : base.relay.gasPerAccountPerEpoch,
  };
  if (cap) {
    relay.gasPerEpoch = min(relay.gasPerEpoch, cap.relay.gasPerEpoch);
    relay.gasPerAccountPerEpoch = min(relay.gasPerAccountPerEpoch, cap.relay.gasPerAccountPerEpoch);
  }
  return {
    relay,
    join: {
      enabled: j.enabled ?? base.join.enabled,
      welcome: j.welcome !== undefined ? BigInt(j.welcome) : base.join.welcome,
      voucherTtlSeconds: j.voucherTtlSeconds ?? base.join.voucherTtlSeconds,
      perReferrerPerDay: j.perReferrerPerDay ?? base.join.perReferrerPerDay,
      perIpPerHour: j.perIpPerHour ?? base.join.perIpPerHour,
      allowlist: j.allowlist === undefined ? base.join.allowlist : j.allowlist === null ? null : j.allowlist.map((a) => getAddress(a)),
    },
  };
}

/** The JSON form (bigints as decimal strings). */
export function settingsToJson(settings: CommunitySettings): CommunitySettingsInput {
  return {
    relay: {
      enabled: settings.relay.enabled,
      epochSeconds: settings.relay.epochSeconds,
      gasPerEpoch: settings.relay.gasPerEpoch.toString(),
      gasPerAccountPerEpoch: settings.relay.gasPerAccountPerEpoch.toString(),
    },
    join: { ...settings.join, welcome: settings.join.welcome.toString() },
  };
}

/** Stored settings read in the last CACHE_MS, per database (saveSettings replaces its entry). */
const CACHE_MS = 2_000;
const cache = new WeakMap<Db, Map<Address, { at: number; value: Promise<Partial<CommunitySettingsInput> | null> }>>();

function cacheOf(db: Db) {
  let map = cache.get(db);
  if (!map) cache.set(db, (map = new Map()));
  return map;
}

async function cachedStored(db: Db, token: Address): Promise<Partial<CommunitySettingsInput> | null> {
  const map = cacheOf(db);
  const hit = map.get(token);
  if (hit && Date.now() - hit.at < CACHE_MS) return hit.value;
  // The lookup itself is cached while it runs: a burst of concurrent requests makes one query.
  const value = stored(db, token);
  map.set(token, { at: Date.now(), value });
  value.catch(() => {
    if (map.get(token)?.value === value) map.delete(token);
  });
  return value;
}

async function stored(db: Db, token: Address): Promise<Partial<CommunitySettingsInput> | null> {
  const rows = await db.query<{ settings: string }>("SELECT settings FROM community_settings WHERE token = $1", [getAddress(token)]);
  return rows[0] ? parseSettingsInput(JSON.parse(rows[0].settings)) : null;
}

/**
 * A community's settings: stored over the deployment's initial ones over the defaults, relay gas
 * capped at the defaults. (Initial settings apply only while nothing is stored.) Stored settings are
 * cached for two seconds (another server on the same database sees a change that much later).
 */
export async function loadSettings(
  db: Db,
  token: Address,
  defaults: CommunitySettings,
  initial: Record<string, Partial<CommunitySettingsInput>> = {},
): Promise<CommunitySettings> {
  const own = await cachedStored(db, getAddress(token));
  return applySettingsInput(defaults, own ?? initial[getAddress(token)] ?? {}, defaults);
}

/**
 * Stores `input` over the community's stored settings (fields not given keep their stored value) and
 * returns the result over `defaults`, relay gas capped at `defaults`.
 */
export async function saveSettings(db: Db, token: Address, input: Partial<CommunitySettingsInput>, defaults: CommunitySettings): Promise<CommunitySettings> {
  const key = getAddress(token);
  const saved = await db.transaction(async (tx) => {
    const current = (await stored(tx, key)) ?? {};
    const merged = applySettingsInput(applySettingsInput(defaults, current), input, defaults);
    const json = JSON.stringify(settingsToJson(merged));
    await tx.query(
      `INSERT INTO community_settings (token, settings) VALUES ($1, $2)
       ON CONFLICT (token) DO UPDATE SET settings = EXCLUDED.settings, updated_at = now()`,
      [key, json],
    );
    return merged;
  });
  cacheOf(db).delete(key);
  return saved;
}
