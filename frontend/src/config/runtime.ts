/**
 * The runtime configuration: which chains the app talks to and where the platform lives on each.
 *
 * It is served as /coterie.json next to the app (scripts/web-server.ts writes it from Ignition's
 * deployment files), so one build serves any EVM chain: the local chain by default, or any other
 * by configuration (chain id, RPC URL, explorer URL) without rebuilding.
 */
import { defineChain, getAddress, isAddress, type Address, type Chain } from "viem";

/** Platform contract addresses on one chain (from deploy/deployments/<id>/deployed_addresses.json). */
export interface PlatformContracts {
  factory: Address;
  platformToken: Address;
  platformGovernor: Address;
  platformTimelock: Address;
  crowdfundFactory: Address;
  revenueShareFactory: Address;
}

export interface ChainConfig {
  id: number;
  name: string;
  rpcUrl: string;
  /** Block explorer base URL, e.g. https://etherscan.io; null on the local chain. */
  explorerUrl: string | null;
  /** True for the local development chain: enables the dev-account connector. */
  local: boolean;
  /** The platform deployment's first block: logs are read from here (0 when the file names none). */
  startBlock: bigint;
  /**
   * The Coterie indexer's REST API base URL (no trailing slash), or null. A read cache only: lists
   * come from it when it answers, the chain otherwise, and no money decision relies on it.
   */
  indexerUrl: string | null;
  /**
   * The Coterie server's base URL (relay + attester, docs/server.md; no trailing slash), or null.
   * The app offers "… for free" actions only on a chain that names one.
   */
  serverUrl: string | null;
  contracts: PlatformContracts;
}

export interface RuntimeConfig {
  chains: ChainConfig[];
  /** The chain the app reads from before a wallet is connected. */
  defaultChainId: number;
  /** The app's own public URL, used in claim and referral links. */
  appUrl: string;
}

const CONTRACT_KEYS: Array<keyof PlatformContracts> = [
  "factory",
  "platformToken",
  "platformGovernor",
  "platformTimelock",
  "crowdfundFactory",
  "revenueShareFactory",
];

function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === "http:" || url.protocol === "https:") && url.host !== "";
  } catch {
    return false;
  }
}

/** Validates untrusted JSON into a RuntimeConfig; throws an Error naming the first problem. */
export function parseRuntimeConfig(json: unknown, fallbackAppUrl: string): RuntimeConfig {
  if (typeof json !== "object" || json === null) throw new Error("coterie.json is not an object");
  const raw = json as Record<string, unknown>;
  if (!Array.isArray(raw.chains) || raw.chains.length === 0) throw new Error("coterie.json lists no chains");
  const chains = raw.chains.map((c: unknown, i: number): ChainConfig => {
    const chain = (c ?? {}) as Record<string, unknown>;
    const where = `coterie.json chains[${i}]`;
    if (!Number.isInteger(chain.id) || (chain.id as number) <= 0) throw new Error(`${where}.id is not a chain id`);
    if (typeof chain.rpcUrl !== "string" || !/^https?:\/\//.test(chain.rpcUrl)) {
      throw new Error(`${where}.rpcUrl is not an http(s) URL`);
    }
    let startBlock = 0n;
    if (chain.startBlock !== undefined) {
      if (!Number.isSafeInteger(chain.startBlock) || (chain.startBlock as number) < 0) {
        throw new Error(`${where}.startBlock is not a block number`);
      }
      startBlock = BigInt(chain.startBlock as number);
    }
    let indexerUrl: string | null = null;
    if (chain.indexerUrl !== undefined && chain.indexerUrl !== null) {
      if (typeof chain.indexerUrl !== "string" || !isHttpUrl(chain.indexerUrl)) throw new Error(`${where}.indexerUrl is not an http(s) URL`);
      indexerUrl = chain.indexerUrl.replace(/\/+$/, "");
    }
    let serverUrl: string | null = null;
    if (chain.serverUrl !== undefined && chain.serverUrl !== null) {
      if (typeof chain.serverUrl !== "string" || !isHttpUrl(chain.serverUrl)) throw new Error(`${where}.serverUrl is not an http(s) URL`);
      serverUrl = chain.serverUrl.replace(/\/+$/, "");
    }
    const contractsRaw = (chain.contracts ?? {}) as Record<string, unknown>;
    const contracts = {} as PlatformContracts;
    for (const key of CONTRACT_KEYS) {
      const value = contractsRaw[key];
      if (typeof value !== "string" || !isAddress(value)) throw new Error(`${where}.contracts.${key} is not an address`);
      contracts[key] = getAddress(value);
    }
    const explorerUrl = typeof chain.explorerUrl === "string" && chain.explorerUrl !== "" ? chain.explorerUrl.replace(/\/+$/, "") : null;
    return {
      id: chain.id as number,
      name: typeof chain.name === "string" && chain.name !== "" ? chain.name : `Chain ${chain.id}`,
      rpcUrl: chain.rpcUrl,
      explorerUrl,
      local: chain.local === true,
      startBlock,
      indexerUrl,
      serverUrl,
      contracts,
    };
  });
  const defaultChainId = Number.isInteger(raw.defaultChainId) ? (raw.defaultChainId as number) : chains[0].id;
  if (!chains.some((c) => c.id === defaultChainId)) throw new Error(`coterie.json defaultChainId ${defaultChainId} is not among its chains`);
  const appUrl = typeof raw.appUrl === "string" && raw.appUrl !== "" ? raw.appUrl.replace(/\/+$/, "") : fallbackAppUrl;
  return { chains, defaultChainId, appUrl };
}

/** The viem chain object for a configured chain. */
export function toViemChain(c: ChainConfig): Chain {
  return defineChain({
    id: c.id,
    name: c.name,
    nativeCurrency: { name: "Ether", symbol: "ETH", decimals: 18 },
    rpcUrls: { default: { http: [c.rpcUrl] } },
    blockExplorers: c.explorerUrl ? { default: { name: "Explorer", url: c.explorerUrl } } : undefined,
    testnet: c.local,
  });
}

/** Fetches and validates /coterie.json. */
export async function loadRuntimeConfig(): Promise<RuntimeConfig> {
  const response = await fetch("/coterie.json", { cache: "no-store" });
  if (!response.ok) throw new Error(`could not load /coterie.json (HTTP ${response.status}); is \`npm start\` running?`);
  return parseRuntimeConfig(await response.json(), window.location.origin);
}
