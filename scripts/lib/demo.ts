/** The demo community's file, deploy/deployments/demo-<chainId>.json (written by scripts/seed.ts). */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { DEPLOYMENTS_DIR } from "./deployments.ts";

/** What the CLIs read from the demo file. */
export interface DemoFile {
  chainId: number;
  platform?: { factory?: string; crowdfundFactory?: string; revenueShareFactory?: string };
  rewardVault?: string;
  community?: { rewardVault?: string; token?: string };
  holders?: { creator?: string; fans?: string[] };
  crowdfund?: string;
  revenueShare?: string;
}

/** The demo file's path for a chain (COTERIE_DEMO_OUT overrides it, as in the seed). */
export function demoFilePath(chainId: bigint | number): string {
  return process.env.COTERIE_DEMO_OUT ?? join(DEPLOYMENTS_DIR, `demo-${chainId}.json`);
}

/** The demo file of a chain, or null when the chain was never seeded. */
export function readDemoFile(chainId: bigint | number): DemoFile | null {
  const file = demoFilePath(chainId);
  if (!existsSync(file)) return null;
  return JSON.parse(readFileSync(file, "utf8")) as DemoFile;
}
