/**
 * The server's configuration, read once from the environment (the table in docs/server.md).
 * Every missing or malformed value stops the server with a message naming the variable.
 */
import { readFileSync } from "node:fs";
import { isAbsolute, join } from "node:path";
import { Wallet } from "ethers";
import { getAddress, isHex, type Hex } from "viem";
import { ROOT, defaultDeploymentId, readPlatformAddresses } from "../../scripts/lib/deployments.ts";
import type { CommunitySettings, CommunitySettingsInput, ServerConfig } from "./context.ts";
import { applySettingsInput, parseSettingsInput } from "./settings.ts";

/** A configuration mistake: the message names the variable. */
export class ConfigError extends Error {
  override name = "ConfigError";
}

/** What the platform sponsors when nothing else is configured; creators may lower these, not raise them. */
export const BUILTIN_DEFAULTS: CommunitySettings = {
  relay: { enabled: true, epochSeconds: 86_400, gasPerEpoch: 50_000_000n, gasPerAccountPerEpoch: 2_000_000n },
  join: {
    enabled: true,
    welcome: 10n * 10n ** 18n,
    voucherTtlSeconds: 7 * 86_400,
    perReferrerPerDay: 20,
    perIpPerHour: 10,
    allowlist: null,
  },
};

type Env = Record<string, string | undefined>;

function intVar(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === "") return fallback;
  if (!/^\d+$/.test(raw) || Number(raw) < min || Number(raw) > max) {
    throw new ConfigError(`${name} must be a whole number from ${min} to ${max}, got "${raw}"`);
  }
  return Number(raw);
}

function jsonVar(env: Env, name: string): unknown {
  const raw = env[name];
  if (raw === undefined || raw === "") return undefined;
  try {
    return JSON.parse(raw) as unknown;
  } catch (error) {
    throw new ConfigError(`${name} is not valid JSON: ${(error as Error).message}`);
  }
}

/** A private key from `<prefix>_KEY`, or from `<prefix>_KEYSTORE` + `<prefix>_KEYSTORE_PASSWORD`; null when neither is set. */
export async function readKey(env: Env, prefix: string): Promise<Hex | null> {
  const direct = env[`${prefix}_KEY`];
  const keystore = env[`${prefix}_KEYSTORE`];
  if (direct !== undefined && direct !== "") {
    if (!isHex(direct, { strict: true }) || direct.length !== 66) {
      throw new ConfigError(`${prefix}_KEY must be a private key: 0x and 64 hex digits`);
    }
    return direct;
  }
  if (keystore === undefined || keystore === "") return null;
  const password = env[`${prefix}_KEYSTORE_PASSWORD`];
  if (password === undefined) throw new ConfigError(`${prefix}_KEYSTORE_PASSWORD is required with ${prefix}_KEYSTORE`);
  let json: string;
  try {
    json = readFileSync(keystore, "utf8");
  } catch (error) {
    throw new ConfigError(`${prefix}_KEYSTORE: cannot read ${keystore} (${(error as Error).message})`);
  }
  try {
    const wallet = await Wallet.fromEncryptedJson(json, password);
    return wallet.privateKey as Hex;
  } catch (error) {
    throw new ConfigError(`${prefix}_KEYSTORE: cannot decrypt ${keystore} with ${prefix}_KEYSTORE_PASSWORD (${(error as Error).message})`);
  }
}

/** Reads the whole configuration from `env` (process.env by default). */
export async function readConfig(env: Env = process.env): Promise<ServerConfig> {
  const chainId = intVar(env, "COTERIE_CHAIN_ID", 31337, 1, Number.MAX_SAFE_INTEGER);
  const rpcUrl = env.COTERIE_RPC_URL || "http://127.0.0.1:8545";
  try {
    new URL(rpcUrl);
  } catch {
    throw new ConfigError(`COTERIE_RPC_URL is not a URL: "${rpcUrl}"`);
  }
  const deploymentId = env.COTERIE_DEPLOYMENT_ID || defaultDeploymentId(chainId);
  let platform: ServerConfig["platform"];
  try {
    const p = readPlatformAddresses(deploymentId);
    platform = { factory: getAddress(p.factory), crowdfundFactory: getAddress(p.crowdfundFactory), revenueShareFactory: getAddress(p.revenueShareFactory) };
  } catch (error) {
    throw new ConfigError(`COTERIE_DEPLOYMENT_ID: ${(error as Error).message}`);
  }
  const appUrls = (env.COTERIE_APP_URLS || "http://127.0.0.1:5173").split(",").map((u) => u.trim()).filter((u) => u !== "");
  for (const url of appUrls) {
    try {
      new URL(url);
    } catch {
      throw new ConfigError(`COTERIE_APP_URLS: "${url}" is not a URL`);
    }
  }
  const dbDir = env.COTERIE_SERVER_DB_DIR || join(ROOT, "server", ".data", deploymentId);
  const database: ServerConfig["database"] =
    env.DATABASE_URL ? { kind: "postgres", url: env.DATABASE_URL } : { kind: "pglite", dir: isAbsolute(dbDir) ? dbDir : join(process.cwd(), dbDir) };
  const sponsorKey = await readKey(env, "COTERIE_SPONSOR");
  if (sponsorKey === null) throw new ConfigError("COTERIE_SPONSOR_KEY (or COTERIE_SPONSOR_KEYSTORE and COTERIE_SPONSOR_KEYSTORE_PASSWORD) is required");
  const attesterKey = await readKey(env, "COTERIE_ATTESTER");

  let defaults = BUILTIN_DEFAULTS;
  const defaultsJson = jsonVar(env, "COTERIE_SERVER_DEFAULTS");
  if (defaultsJson !== undefined) {
    try {
      defaults = applySettingsInput(BUILTIN_DEFAULTS, parseSettingsInput(defaultsJson));
    } catch (error) {
      throw new ConfigError(`COTERIE_SERVER_DEFAULTS: ${(error as Error).message}`);
    }
  }
  const initialSettings: Record<string, Partial<CommunitySettingsInput>> = {};
  const communities = jsonVar(env, "COTERIE_SERVER_COMMUNITIES");
  if (communities !== undefined) {
    if (typeof communities !== "object" || communities === null || Array.isArray(communities)) {
      throw new ConfigError("COTERIE_SERVER_COMMUNITIES must be a JSON object { \"<token>\": <settings> }");
    }
    for (const [token, input] of Object.entries(communities)) {
      let address: string;
      try {
        address = getAddress(token);
      } catch {
        throw new ConfigError(`COTERIE_SERVER_COMMUNITIES: "${token}" is not an address`);
      }
      try {
        initialSettings[address] = parseSettingsInput(input);
      } catch (error) {
        throw new ConfigError(`COTERIE_SERVER_COMMUNITIES["${token}"]: ${(error as Error).message}`);
      }
    }
  }
  return {
    host: env.COTERIE_SERVER_HOST || "127.0.0.1",
    port: intVar(env, "COTERIE_SERVER_PORT", 8787, 0, 65535),
    chainId,
    rpcUrl,
    deploymentId,
    platform,
    appUrls,
    database,
    sponsorKey,
    attesterKey,
    maxBodyBytes: intVar(env, "COTERIE_SERVER_MAX_BODY", 16_384, 256, 10_000_000),
    defaults,
    initialSettings,
    relayLimits: {
      perIpPerMinute: intVar(env, "COTERIE_RELAY_PER_IP_PER_MINUTE", 120, 1, 1_000_000),
      perAccountPerMinute: intVar(env, "COTERIE_RELAY_PER_ACCOUNT_PER_MINUTE", 20, 1, 1_000_000),
    },
  };
}
