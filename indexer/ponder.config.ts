/**
 * Ponder configuration of the Coterie indexer: one chain, the platform deployment Ignition recorded
 * (deploy/deployments/<COTERIE_DEPLOYMENT_ID>/), and every community found through the factories'
 * creation events (Ponder's factory pattern). See docs/indexer.md.
 *
 * Environment:
 * - COTERIE_RPC_URL (default http://127.0.0.1:8545), COTERIE_CHAIN_ID (default 31337);
 * - COTERIE_DEPLOYMENT_ID (default `chain-<chainId>`): the Ignition deployment to index;
 * - COTERIE_INDEXER_DB_DIR (default indexer/.ponder/pglite): PGlite's directory;
 * - DATABASE_URL: PostgreSQL instead of PGlite (the schema is `ponder start --schema` / DATABASE_SCHEMA).
 *
 * ABIs come from indexer/generated/abis.ts, written by `npx tsx scripts/gen-frontend.ts` after
 * `npx hardhat build` (not committed, so they never drift from the compiled contracts).
 */
import { join } from "node:path";
import { createConfig, factory } from "ponder";
import { getAbiItem, getAddress, http, type Address } from "viem";
import { readDeploymentStartBlock, readPlatformAddresses, ROOT } from "../scripts/lib/deployments.ts";
import {
  communityFactoryAbi,
  communityGovernorAbi,
  crowdfundAbi,
  crowdfundFactoryAbi,
  revenueShareAbi,
  revenueShareFactoryAbi,
  rewardVaultAbi,
  socialTokenAbi,
} from "./generated/abis.ts";

const LOCAL_CHAIN_ID = 31337;

function chainIdFromEnv(): number {
  const raw = process.env.COTERIE_CHAIN_ID;
  if (raw === undefined || raw === "") return LOCAL_CHAIN_ID;
  const id = Number(raw);
  if (!Number.isSafeInteger(id) || id <= 0) throw new Error(`COTERIE_CHAIN_ID must be a positive integer, got "${raw}"`);
  return id;
}

const chainId = chainIdFromEnv();
const rpcUrl = process.env.COTERIE_RPC_URL || "http://127.0.0.1:8545";
const deploymentId = process.env.COTERIE_DEPLOYMENT_ID || `chain-${chainId}`;
const platform = readPlatformAddresses(deploymentId);
const startBlock = readDeploymentStartBlock(deploymentId);
const local = chainId === LOCAL_CHAIN_ID;

const communityFactory = getAddress(platform.factory);
const crowdfundFactory = getAddress(platform.crowdfundFactory);
const revenueShareFactory = getAddress(platform.revenueShareFactory);

const communityCreated = getAbiItem({ abi: communityFactoryAbi, name: "CommunityCreated" });

/** A child of CommunityFactory: the address is the `parameter` of CommunityCreated. */
function communityChild(parameter: "token" | "governor" | "timelock" | "rewardVault") {
  return factory({ address: communityFactory as Address, event: communityCreated, parameter });
}

const database = process.env.DATABASE_URL
  ? ({ kind: "postgres", connectionString: process.env.DATABASE_URL } as const)
  : ({ kind: "pglite", directory: process.env.COTERIE_INDEXER_DB_DIR || join(ROOT, "indexer", ".ponder", "pglite") } as const);

export default createConfig({
  database,
  networks: {
    coterie: {
      chainId,
      transport: http(rpcUrl),
      // The local chain is reset, reverted (evm_revert) and redeployed at will: cached RPC answers
      // from an earlier chain with the same id would be wrong, so Ponder's RPC cache is off there.
      disableCache: local,
      // Hardhat mines on demand: poll often so a test sees its transaction indexed quickly.
      pollingInterval: local ? 200 : 1_000,
    },
  },
  contracts: {
    CommunityFactory: { network: "coterie", abi: communityFactoryAbi, address: communityFactory as Address, startBlock },
    SocialToken: { network: "coterie", abi: socialTokenAbi, address: communityChild("token"), startBlock },
    CommunityGovernor: { network: "coterie", abi: communityGovernorAbi, address: communityChild("governor"), startBlock },
    RewardVault: { network: "coterie", abi: rewardVaultAbi, address: communityChild("rewardVault"), startBlock },
    CrowdfundFactory: { network: "coterie", abi: crowdfundFactoryAbi, address: crowdfundFactory as Address, startBlock },
    Crowdfund: {
      network: "coterie",
      abi: crowdfundAbi,
      address: factory({
        address: crowdfundFactory as Address,
        event: getAbiItem({ abi: crowdfundFactoryAbi, name: "CrowdfundCreated" }),
        parameter: "crowdfund",
      }),
      startBlock,
    },
    RevenueShareFactory: { network: "coterie", abi: revenueShareFactoryAbi, address: revenueShareFactory as Address, startBlock },
    RevenueShare: {
      network: "coterie",
      abi: revenueShareAbi,
      address: factory({
        address: revenueShareFactory as Address,
        event: getAbiItem({ abi: revenueShareFactoryAbi, name: "RevenueShareCreated" }),
        parameter: "revenueShare",
      }),
      startBlock,
    },
  },
});
