/**
 * Starts one Coterie (chain, platform, demo, web app — exactly `npm start`) for all end-to-end files
 * and stops it at the end. Each file reverts the chain to the seeded state when it is done
 * (harness.ts `startCoterie`).
 */
import type { TestProject } from "vitest/node";
import { launchCoterie, type Coterie } from "./harness.ts";

let coterie: Coterie | null = null;

export async function setup(project: TestProject): Promise<void> {
  coterie = await launchCoterie();
  project.provide("coterie", { rpcUrl: coterie.rpcUrl, appUrl: coterie.appUrl, demo: coterie.demo, accounts: coterie.accounts });
}

export async function teardown(): Promise<void> {
  await coterie?.stop();
}
