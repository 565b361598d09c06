/**
 * The app with the indexer (issue 13), on the seeded demo. Assumes the started Coterie serves an
 * `indexerUrl` in /coterie.json and that the indexer behind it follows the local chain. Lists come
 * from the indexer (Explore verified first, holders, "My communities"); the community page stays
 * within 3 indexer and 3 JSON-RPC requests; with the indexer unreachable (its requests aborted in
 * the browser) the app still lists communities and crowdfunds from the chain.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getAddress } from "viem";
import { connectDevAccount, openBrowser, startCoterie, type BrowserSession, type Coterie } from "./harness.ts";

const TIMEOUT = 30_000;

interface ServedChain {
  id: number;
  startBlock?: number;
  indexerUrl?: string;
}

/** Polls `check` until it is true (the indexer catches up with the seeded chain), failing after `timeout` ms. */
async function eventually(what: string, check: () => Promise<boolean>, timeout = 120_000): Promise<void> {
  const deadline = Date.now() + timeout;
  for (;;) {
    if (await check().catch(() => false)) return;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 1_000));
  }
}

describe("the app with the indexer", () => {
  let coterie: Coterie;
  let session: BrowserSession;
  let token: string;
  let indexerUrl: string;
  const indexerRequests: string[] = [];

  beforeAll(async () => {
    coterie = await startCoterie();
    token = getAddress(coterie.demo.community.token);
    const config = (await (await fetch(`${coterie.appUrl}/coterie.json`)).json()) as { chains: ServedChain[] };
    const chain = config.chains[0];
    if (!chain.indexerUrl) throw new Error("the started Coterie serves no indexerUrl in /coterie.json");
    indexerUrl = chain.indexerUrl;
    await eventually("the indexer to list the demo community", async () => (await fetch(`${indexerUrl}/api/communities/${token}`)).ok);
    session = await openBrowser(coterie);
    session.page.on("request", (request) => {
      if (request.url().startsWith(indexerUrl)) indexerRequests.push(new URL(request.url()).pathname);
    });
  }, 180_000);
  afterAll(async () => {
    await session?.close();
    await coterie?.stop();
  });

  it("serves the deployment's start block with the indexer URL in /coterie.json", async () => {
    const config = (await (await fetch(`${coterie.appUrl}/coterie.json`)).json()) as { chains: ServedChain[] };
    expect(Number.isInteger(config.chains[0].startBlock)).toBe(true);
    expect(config.chains[0].indexerUrl).toMatch(/^https?:\/\//);
  });

  it("lists communities from the indexer on Explore, verified first", async () => {
    const { page } = session;
    await page.goto(coterie.appUrl);
    await page.getByTestId("community-card").first().waitFor({ timeout: TIMEOUT });
    expect(indexerRequests.some((p) => p === "/api/communities")).toBe(true);
    const first = page.getByTestId("community-card").first();
    expect((await first.getAttribute("data-token"))?.toLowerCase()).toBe(token.toLowerCase());
    expect(await page.getByTestId("explore-indexer-down").count()).toBe(0);
    await session.screenshot("indexer-explore");
  });

  it("finds the demo community by symbol through the indexer's search", async () => {
    const { page } = session;
    indexerRequests.splice(0);
    await page.getByTestId("explore-search").fill(coterie.demo.community.symbol.toLowerCase());
    await expect.poll(() => indexerRequests.includes("/api/communities"), { timeout: TIMEOUT }).toBe(true);
    const cards = page.getByTestId("community-card");
    await expect.poll(() => cards.count(), { timeout: TIMEOUT }).toBe(1);
  });

  it("loads the community page within 3 indexer requests and 3 JSON-RPC requests, with the holders leaderboard", async () => {
    const { page } = session;
    await connectDevAccount(page, coterie, 2);
    indexerRequests.splice(0);
    session.resetRpcCount();
    await page.goto(`${coterie.appUrl}/c/${token}`);
    await page.getByTestId("hold-balance").waitFor({ timeout: TIMEOUT });
    await page.getByTestId("holder-row").first().waitFor({ timeout: TIMEOUT });
    await page.waitForLoadState("networkidle");
    await session.screenshot("indexer-hold");
    expect(indexerRequests.length).toBeLessThanOrEqual(3);
    // The dev connector's own eth_accounts is the wallet, not a read of the page.
    const reads = session.rpcCalls.map((c) => c.method).filter((m) => m !== "eth_accounts");
    expect(reads.length, reads.join(", ")).toBeLessThanOrEqual(3);
  });

  it("lists the connected fan's communities on My communities", async () => {
    const { page } = session;
    await page.getByTestId("nav-mine").click();
    const row = page.getByTestId("my-community").filter({ has: page.locator(`[href="/c/${token}"]`) });
    await row.waitFor({ timeout: TIMEOUT });
    await session.screenshot("indexer-my-communities");
  });

  it("keeps working from the chain when the indexer cannot be reached", async () => {
    const { page } = session;
    await page.route(`${indexerUrl}/**`, (route) => route.abort("connectionrefused"));
    try {
      await page.goto(coterie.appUrl);
      await page.getByTestId("explore-indexer-down").waitFor({ timeout: TIMEOUT });
      const card = page.getByTestId("community-card").filter({ hasText: coterie.demo.community.name });
      await card.first().waitFor({ timeout: TIMEOUT });
      await page.goto(`${coterie.appUrl}/c/${token}/fund`);
      await page.getByTestId(`crowdfund-${coterie.demo.crowdfund.toLowerCase()}`).waitFor({ timeout: TIMEOUT });
      await page.goto(`${coterie.appUrl}/c/${token}`);
      await page.getByTestId("indexer-down").waitFor({ timeout: TIMEOUT });
      await page.getByTestId("hold-balance").waitFor({ timeout: TIMEOUT });
      await session.screenshot("indexer-down");
    } finally {
      await page.unroute(`${indexerUrl}/**`);
    }
  });
});
