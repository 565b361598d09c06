import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/** The project root (scripts/lib/../..). */
export const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..", "..");

/** Ignition's deployments folder (hardhat.config.ts sets `paths.ignition` to deploy/). */
export const DEPLOYMENTS_DIR = join(ROOT, "deploy", "deployments");

/** Addresses of a platform deployment, as Ignition recorded them. */
export interface PlatformAddresses {
  factory: string;
  platformToken: string;
  platformGovernor: string;
  platformTimelock: string;
  tokenImplementation: string;
  governorImplementation: string;
  timelockImplementation: string;
  rewardVaultImplementation: string;
  crowdfundFactory: string;
  crowdfundImplementation: string;
  revenueShareFactory: string;
  revenueShareImplementation: string;
}

const FUTURE_IDS: Record<keyof PlatformAddresses, string> = {
  factory: "CoteriePlatform#CommunityFactory",
  platformToken: "CoteriePlatform#PlatformToken",
  platformGovernor: "CoteriePlatform#PlatformGovernor",
  platformTimelock: "CoteriePlatform#PlatformTimelock",
  tokenImplementation: "CoteriePlatform#SocialToken",
  governorImplementation: "CoteriePlatform#CommunityGovernor",
  timelockImplementation: "CoteriePlatform#CommunityTimelock",
  rewardVaultImplementation: "CoteriePlatform#RewardVault",
  crowdfundFactory: "CoteriePlatform#CrowdfundFactory",
  crowdfundImplementation: "CoteriePlatform#Crowdfund",
  revenueShareFactory: "CoteriePlatform#RevenueShareFactory",
  revenueShareImplementation: "CoteriePlatform#RevenueShare",
};

/** Ignition's default deployment id for a chain. */
export function defaultDeploymentId(chainId: bigint | number): string {
  return `chain-${chainId}`;
}

/**
 * Reads the platform addresses of an Ignition deployment (default: `chain-<chainId>`).
 * Throws a message that says what to run when the deployment is missing or incomplete.
 */
export function readPlatformAddresses(deploymentId: string): PlatformAddresses {
  const file = join(DEPLOYMENTS_DIR, deploymentId, "deployed_addresses.json");
  if (!existsSync(file)) {
    throw new Error(
      `No platform deployment "${deploymentId}" (${file} is missing). Deploy first: npm run deploy -- --network <name>`,
    );
  }
  const recorded = JSON.parse(readFileSync(file, "utf8")) as Record<string, string>;
  const out: Partial<PlatformAddresses> = {};
  for (const [key, futureId] of Object.entries(FUTURE_IDS) as [keyof PlatformAddresses, string][]) {
    const address = recorded[futureId];
    if (address === undefined) {
      throw new Error(`Deployment "${deploymentId}" is incomplete: ${futureId} is missing from ${file}`);
    }
    out[key] = address;
  }
  return out as PlatformAddresses;
}

/** The platform's contracts, typed, from a connection's Ignition deployment of the platform module. */
export async function typedPlatform(
  ethers: import("@nomicfoundation/hardhat-ethers/types").HardhatEthers,
  deployed: { factory: { getAddress(): Promise<string> }; platformGovernor: { getAddress(): Promise<string> }; platformToken: { getAddress(): Promise<string> }; platformTimelock: { getAddress(): Promise<string> } },
) {
  return {
    factory: await ethers.getContractAt("CommunityFactory", await deployed.factory.getAddress()),
    platformGovernor: await ethers.getContractAt("CommunityGovernor", await deployed.platformGovernor.getAddress()),
    platformToken: await ethers.getContractAt("SocialToken", await deployed.platformToken.getAddress()),
    platformTimelock: await ethers.getContractAt("CommunityTimelock", await deployed.platformTimelock.getAddress()),
  };
}

/**
 * The first block of a deployment: the lowest block number among the transactions Ignition
 * confirmed for it (deploy/deployments/<id>/journal.jsonl). Readers of history (the indexer, the
 * app's log fallback) start here instead of at block 0.
 */
export function readDeploymentStartBlock(deploymentId: string): number {
  const file = join(DEPLOYMENTS_DIR, deploymentId, "journal.jsonl");
  if (!existsSync(file)) {
    throw new Error(`No platform deployment "${deploymentId}" (${file} is missing). Deploy first: npm run deploy -- --network <name>`);
  }
  let first: number | null = null;
  for (const line of readFileSync(file, "utf8").split("\n")) {
    if (line.trim() === "") continue;
    const entry = JSON.parse(line) as { type?: string; receipt?: { blockNumber?: number } };
    const block = entry.type === "TRANSACTION_CONFIRM" ? entry.receipt?.blockNumber : undefined;
    if (typeof block === "number" && (first === null || block < first)) first = block;
  }
  if (first === null) throw new Error(`Deployment "${deploymentId}" has no confirmed transaction in ${file}`);
  return first;
}
