/**
 * Browser steps for Explore and the community Hold tab: find a community, delegate votes, and measure
 * the community page's first load. Each step leaves a screenshot named `hold-<step>`.
 *
 * Steps that act for an account expect it to be connected already (`connectDevAccount`); the dev
 * connector reconnects it after a reload.
 */
import { expect } from "vitest";
import { decodeFunctionResult, encodeFunctionData, getAddress, keccak256, parseEther, toHex, type Hex } from "viem";
import { communityFactoryAbi } from "../../src/generated/abis.ts";
import { waitForIndexer, waitForTx, type BrowserSession, type Coterie } from "../harness.ts";

export interface StepContext {
  coterie: Coterie;
  session: BrowserSession;
}

const TIMEOUT = 30_000;

/** Opens the community's Hold tab (reloading only when another page is shown) and waits for the connected account's holding. */
async function openHoldTab({ coterie, session }: StepContext, token: string): Promise<void> {
  const { page } = session;
  const path = `/c/${getAddress(token)}`;
  if (new URL(page.url() || "about:blank", coterie.appUrl).pathname !== path) {
    await page.goto(`${coterie.appUrl}${path}`);
  }
  await page.getByTestId("community-page").waitFor({ timeout: TIMEOUT });
  await page.getByTestId("hold-balance").waitFor({ timeout: TIMEOUT });
}

/** The connected account's current delegate as the Hold tab shows it. */
async function shownDelegate(session: BrowserSession): Promise<string | null> {
  return session.page.getByTestId("hold-delegate").getAttribute("data-address");
}

/** Waits until the Hold tab shows `delegate` as the connected account's delegate (the refetch after the receipt). */
async function waitForDelegate(session: BrowserSession, delegate: string): Promise<void> {
  await session.page
    .locator(`[data-testid="hold-delegate"][data-address="${getAddress(delegate)}"]`)
    .waitFor({ timeout: TIMEOUT });
}

/** Raw value (`data-raw`) of an amount on the page. */
export async function rawAmount(session: BrowserSession, testId: string): Promise<bigint> {
  const raw = await session.page.getByTestId(testId).first().getAttribute("data-raw");
  if (raw === null) throw new Error(`${testId} has no data-raw`);
  return BigInt(raw);
}

/**
 * Explore lists the community called `name` once the search narrows to it, with the verified badge
 * exactly when `verified`. Returns the community's token address.
 */
export async function exploreShowsCommunity(ctx: StepContext, { name, verified }: { name: string; verified: boolean }): Promise<string> {
  const { coterie, session } = ctx;
  const { page } = session;
  await page.goto(`${coterie.appUrl}/`);
  await page.getByTestId("community-card").first().waitFor({ timeout: TIMEOUT });
  await page.getByTestId("explore-search").fill(name);
  const card = page.getByTestId("community-card").filter({
    has: page.getByTestId("community-name").getByText(name, { exact: true }),
  });
  await card.waitFor({ timeout: TIMEOUT });
  expect(await card.count()).toBe(1);
  expect(await card.getByTestId("verified-badge").count()).toBe(verified ? 1 : 0);
  // The search filtered: every card left matches the query.
  for (const shown of await page.getByTestId("community-name").allInnerTexts()) {
    expect(shown.toLowerCase()).toContain(name.toLowerCase());
  }
  await session.screenshot(`hold-explore-${name.toLowerCase().replace(/\W+/g, "-")}`);
  const token = await card.getAttribute("data-token");
  if (!token) throw new Error(`the card of ${name} has no data-token`);
  return token;
}

/**
 * Test set-up, not a browser step: dev account `fromIndex` creates `count` small communities named
 * "<prefix> 1".."<prefix> N" through the factory (paying its fee), straight over JSON-RPC.
 */
export async function createCommunities(coterie: Coterie, count: number, { prefix = "Paging", fromIndex = 5 } = {}): Promise<void> {
  const factory = getAddress(coterie.demo.platform.factory);
  const from = coterie.accounts[fromIndex];
  const feeData = await coterie.rpc<Hex>("eth_call", [
    { to: factory, data: encodeFunctionData({ abi: communityFactoryAbi, functionName: "creationFee" }) },
    "latest",
  ]);
  const fee = decodeFunctionResult({ abi: communityFactoryAbi, functionName: "creationFee", data: feeData });
  for (let i = 1; i <= count; i++) {
    const data = encodeFunctionData({
      abi: communityFactoryAbi,
      functionName: "createCommunity",
      args: [
        {
          name: `${prefix} ${i}`,
          symbol: `PG${i}`,
          cap: parseEther("1000000"),
          creatorAllocation: parseEther(String(1000 * i)),
          votingDelay: 60,
          votingPeriod: 3_600,
          proposalThreshold: 0n,
          quorumBps: 400n,
          lateQuorumExtension: 600,
          timelockDelay: 300n,
          salt: keccak256(toHex(`e2e.${prefix}.${i}`)),
          rewardVaultConfig: "0x",
        },
      ],
    });
    const hash = await coterie.rpc<Hex>("eth_sendTransaction", [{ from, to: factory, data, value: toHex(fee) }]);
    const receipt = await coterie.rpc<{ status: Hex } | null>("eth_getTransactionReceipt", [hash]);
    if (receipt?.status !== "0x1") throw new Error(`creating ${prefix} ${i} failed (${hash})`);
  }
  // Explore lists from the indexer when there is one: let it see what was just written to the chain.
  await waitForIndexer(coterie);
}

/**
 * Explore shows the newest `pageSize` communities first (the newest at the top) and the older ones
 * after "Load more"; `total` is the registry size, `newest` the name of the last one created.
 */
export async function exploreLoadsMore(ctx: StepContext, { total, newest, pageSize = 24 }: { total: number; newest: string; pageSize?: number }): Promise<void> {
  const { coterie, session } = ctx;
  const { page } = session;
  await page.goto(`${coterie.appUrl}/`);
  const cards = page.getByTestId("community-card");
  await cards.first().waitFor({ timeout: TIMEOUT });
  expect(await cards.count()).toBe(Math.min(total, pageSize));
  // Newest first; with an indexer, verified communities come before the rest (issue 13), so the
  // newest is the first card without the verified badge in both cases.
  const unverified = cards.filter({ hasNot: page.getByTestId("verified-badge") });
  expect(await unverified.first().getByTestId("community-name").innerText()).toBe(newest);
  await session.screenshot("hold-explore-first-page");
  await page.getByTestId("explore-load-more").click();
  await page.waitForFunction(
    (n) => document.querySelectorAll('[data-testid="community-card"]').length === n,
    Math.min(total, 2 * pageSize),
    { timeout: TIMEOUT },
  );
  if (total <= 2 * pageSize) expect(await page.getByTestId("explore-load-more").count()).toBe(0);
  // The platform's own community (id 0, the oldest) comes last.
  await page.getByTestId("community-card").last().getByText("Platform DAO").waitFor({ timeout: TIMEOUT });
  await session.screenshot("hold-explore-load-more");
}

/** Explore's search shows the empty state for a query no community matches. */
export async function exploreFindsNothing(ctx: StepContext, query: string): Promise<void> {
  const { coterie, session } = ctx;
  const { page } = session;
  if (new URL(page.url() || "about:blank", coterie.appUrl).pathname !== "/") await page.goto(`${coterie.appUrl}/`);
  await page.getByTestId("community-card").first().waitFor({ timeout: TIMEOUT });
  await page.getByTestId("explore-search").fill(query);
  await page.getByTestId("explore-no-match").waitFor({ timeout: TIMEOUT });
  expect(await page.getByTestId("community-card").count()).toBe(0);
  expect(await page.getByTestId("explore-no-match").innerText()).toContain(query);
  await session.screenshot("hold-explore-no-match");
}

/** The connected account hands its votes to `address` with the address field; the Hold tab then shows that delegate. */
export async function delegateTo(ctx: StepContext, token: string, address: string): Promise<void> {
  const { session } = ctx;
  const { page } = session;
  await openHoldTab(ctx, token);
  await page.getByTestId("delegate-address").fill(address);
  await page.getByTestId("delegate-submit").click();
  await waitForTx(page, "delegate-tx");
  await waitForDelegate(session, address);
  expect(await page.getByTestId("hold-delegate").getAttribute("data-kind")).toBe("other");
  await session.screenshot("hold-delegate-to");
}

/** The connected account takes its votes back with one click; the Hold tab then shows "yourself". */
export async function delegateToSelf(ctx: StepContext, token: string): Promise<void> {
  const { session } = ctx;
  const { page } = session;
  await openHoldTab(ctx, token);
  const account = await page.getByTestId("wallet-address").getAttribute("data-address");
  if (!account) throw new Error("no connected account");
  const self = page.getByTestId("delegate-self");
  expect(await self.isEnabled(), "delegate-self is enabled (the votes go elsewhere)").toBe(true);
  await self.click();
  await waitForTx(page, "delegate-tx");
  await waitForDelegate(session, account);
  await page.locator('[data-testid="hold-delegate"][data-kind="self"]').waitFor({ timeout: TIMEOUT });
  expect(await page.getByTestId("hold-delegate").innerText()).toContain("yourself");
  // Self-delegated: the account's own balance counts in its voting power again.
  expect(await rawAmount(session, "hold-votes")).toBeGreaterThanOrEqual(await rawAmount(session, "hold-balance"));
  expect(await self.isDisabled()).toBe(true);
  await session.screenshot("hold-delegate-self");
}

/** A bad "delegate to" address gets a message next to the field and nothing is sent to the chain. */
export async function delegateRefusesAddress(ctx: StepContext, token: string, text: string): Promise<string> {
  const { session } = ctx;
  const { page } = session;
  await openHoldTab(ctx, token);
  const before = await shownDelegate(session);
  session.resetRpcCount();
  await page.getByTestId("delegate-address").fill(text);
  await page.getByTestId("delegate-submit").click();
  const error = page.getByTestId("delegate-address-error");
  await error.waitFor({ timeout: TIMEOUT });
  await page.waitForTimeout(300);
  const sent = session.rpcCalls.map((c) => c.method);
  expect(sent).not.toContain("eth_sendTransaction");
  expect(sent).not.toContain("eth_estimateGas");
  expect(await page.getByTestId("delegate-tx").count()).toBe(0);
  expect(await shownDelegate(session)).toBe(before);
  await session.screenshot("hold-delegate-refused");
  const message = await error.innerText();
  await page.getByTestId("delegate-address").fill("");
  return message;
}

/**
 * Loads the community page afresh with the account already connected (the dev connector reconnects
 * from localStorage) and counts the JSON-RPC calls it sends until the network is idle.
 */
export async function measureCommunityFirstLoad(ctx: StepContext, token: string): Promise<{ requests: number; methods: string[] }> {
  const { coterie, session } = ctx;
  const { page } = session;
  session.resetRpcCount();
  await page.goto(`${coterie.appUrl}/c/${getAddress(token)}`);
  await page.getByTestId("hold-balance").waitFor({ timeout: TIMEOUT });
  await page.waitForLoadState("networkidle");
  const methods = session.rpcCalls.map((c) => c.method);
  await session.screenshot("hold-first-load");
  return { requests: methods.length, methods };
}
