/**
 * Browser steps for launching a community through /launch: fill the form, check the predicted
 * addresses and the creation fee, send `createCommunity`, land on the new community's page; bad
 * input is refused next to its field with nothing sent; launching the same values twice is refused
 * before signing (`FactorySaltUsed`). Each step leaves a screenshot named `launch-<step>`.
 */
import { expect } from "vitest";
import { decodeFunctionResult, encodeFunctionData, getAddress, type Address, type Hex } from "viem";
import { communityFactoryAbi } from "../../src/generated/abis.ts";
import { connectDevAccount, type BrowserSession, type Coterie } from "../harness.ts";

export interface StepContext {
  coterie: Coterie;
  session: BrowserSession;
}

export interface LaunchInput {
  name: string;
  symbol: string;
  /** Whole tokens, as typed; the form's defaults when omitted (10,000,000 and 1,000,000). */
  cap?: string;
  allocation?: string;
  /** Governance preset; "quick" (minutes) suits tests that then vote. Default: the form's (standard). */
  preset?: "standard" | "quick";
  /**
   * Dev account index of the creator (connected through the dev connector after a fresh load), or
   * undefined to launch with the wallet already connected (the page is opened through the app's
   * navigation, so an injected wallet's connection stays).
   */
  as?: number;
}

const TIMEOUT = 30_000;

/** A read of the platform's CommunityFactory straight from the node (to check what the page claims). */
async function readFactory<const F extends "communityByToken" | "communityCount" | "creationFee">(
  coterie: Coterie,
  functionName: F,
  args: readonly unknown[] = [],
) {
  const factory = coterie.demo.platform.factory as Address;
  const data = encodeFunctionData({ abi: communityFactoryAbi, functionName, args } as never);
  const result = await coterie.rpc<Hex>("eth_call", [{ to: factory, data }, "latest"]);
  return decodeFunctionResult({ abi: communityFactoryAbi, functionName, data: result } as never) as unknown;
}

async function communityCount(coterie: Coterie): Promise<bigint> {
  return (await readFactory(coterie, "communityCount")) as bigint;
}

/** Opens /launch (a full load) and connects dev account `as` there. */
export async function openLaunchPage(ctx: StepContext, as: number): Promise<Address> {
  const { coterie, session } = ctx;
  const { page } = session;
  await page.goto(`${coterie.appUrl}/launch`);
  await page.getByTestId("launch-page").waitFor({ timeout: TIMEOUT });
  const account = getAddress(await connectDevAccount(page, coterie, as));
  return account;
}

/** Types the launch values into the form (only the fields given). */
async function fillForm(session: BrowserSession, input: Omit<LaunchInput, "as">): Promise<void> {
  const { page } = session;
  await page.getByTestId("launch-name").fill(input.name);
  await page.getByTestId("launch-symbol").fill(input.symbol);
  if (input.cap !== undefined) await page.getByTestId("launch-cap").fill(input.cap);
  if (input.allocation !== undefined) await page.getByTestId("launch-allocation").fill(input.allocation);
  if (input.preset) await page.getByTestId(`launch-preset-${input.preset}`).click();
}

/** The token address the page predicts for the values typed (waits for the prediction). */
async function predictedToken(session: BrowserSession): Promise<Address> {
  const predicted = session.page.getByTestId("predicted-token");
  await predicted.waitFor({ timeout: TIMEOUT });
  return getAddress((await predicted.getAttribute("data-address")) ?? "");
}

/**
 * Launches a community through the form as dev account `as` (or the connected wallet): checks the creation fee shown against
 * the factory, sends, and asserts the app lands on the new community's page at the predicted address.
 */
export async function launchCommunity(ctx: StepContext, input: LaunchInput): Promise<{ token: Address; communityId: bigint }> {
  const { coterie, session } = ctx;
  const { page } = session;
  let creator: Address;
  if (input.as !== undefined) {
    creator = await openLaunchPage(ctx, input.as);
  } else {
    await page.getByTestId("nav-launch").click();
    await page.getByTestId("launch-page").waitFor({ timeout: TIMEOUT });
    creator = getAddress((await page.getByTestId("wallet-address").getAttribute("data-address")) ?? "");
  }
  await fillForm(session, input);
  const predicted = await predictedToken(session);
  await expect.poll(() => page.getByTestId("launch-predicted").isVisible()).toBe(true);
  const fee = BigInt((await page.getByTestId("launch-fee").getAttribute("data-raw")) ?? "-1");
  expect(fee).toBe(await readFactory(coterie, "creationFee"));
  await session.screenshot("launch-form");

  await page.getByTestId("launch-submit").click();
  const landed = page.waitForURL((url) => url.pathname === `/c/${predicted}`, { timeout: 60_000 });
  const failed = page
    .locator('[data-testid="launch-tx"][data-status="error"]')
    .waitFor({ timeout: 60_000 })
    .then(async () => {
      throw new Error(`launch failed in the UI: ${await page.getByTestId("launch-tx").innerText()}`);
    });
  await Promise.race([landed, failed]);
  failed.catch(() => undefined); // the page navigated away; the error watcher is moot
  await page.getByTestId("community-page").waitFor({ timeout: TIMEOUT });
  await expect.poll(() => page.locator(".community-header h1").innerText()).toContain(input.name);
  // The creator is greeted with the link to share and the next steps (issue 11 item 17).
  await page.getByTestId("launched-panel").waitFor({ timeout: TIMEOUT });
  expect(await page.getByTestId("launched-link").innerText()).toBe(`${coterie.appUrl}/c/${predicted}`);

  const entry = (await readFactory(coterie, "communityByToken", [predicted])) as { id: bigint; creator: Address; token: Address };
  expect(getAddress(entry.creator)).toBe(creator);
  expect(getAddress(entry.token)).toBe(predicted);
  await session.screenshot("launch-created");
  return { token: predicted, communityId: entry.id };
}

/**
 * Empty name, a symbol with a space and an allocation above the cap: each gets its message next to
 * its field, the launch button sends nothing (no transaction, no new community).
 */
export async function launchRefusesBadInput(ctx: StepContext, as: number): Promise<void> {
  const { coterie, session } = ctx;
  const { page } = session;
  await openLaunchPage(ctx, as);
  const before = await communityCount(coterie);
  await fillForm(session, { name: "", symbol: "AB C", cap: "100", allocation: "200" });
  session.resetRpcCount();
  await page.getByTestId("launch-submit").click();

  await expect.poll(() => page.getByTestId("launch-name-error").innerText()).toBe("The name cannot be empty.");
  expect(await page.getByTestId("launch-symbol-error").innerText()).toMatch(/No spaces/);
  expect(await page.getByTestId("launch-allocation-error").innerText()).toMatch(/Cannot be more than the cap/);
  expect(await page.getByTestId("launch-invalid").innerText()).toMatch(/3 fields need fixing/);
  expect(await page.getByTestId("launch-tx").count()).toBe(0);
  await page.waitForTimeout(500);
  const sent = session.rpcCalls.filter((c) => c.method === "eth_sendTransaction" || c.method === "eth_sendRawTransaction" || c.method === "eth_estimateGas");
  expect(sent).toEqual([]);
  expect(await communityCount(coterie)).toBe(before);
  await session.screenshot("launch-bad-input");
}

/**
 * The same name and symbol again by the same creator: the page warns that they are taken, and
 * launching anyway is refused by the simulation (`FactorySaltUsed`) before anything is signed.
 */
export async function launchRefusesSameValuesTwice(ctx: StepContext, input: LaunchInput & { as: number }): Promise<void> {
  const { coterie, session } = ctx;
  const { page } = session;
  await openLaunchPage(ctx, input.as);
  await fillForm(session, input);
  await page.getByTestId("launch-taken").waitFor({ timeout: TIMEOUT });
  const before = await communityCount(coterie);
  session.resetRpcCount();
  await page.getByTestId("launch-submit").click();
  const status = page.locator('[data-testid="launch-tx"][data-status="error"]');
  await status.waitFor({ timeout: TIMEOUT });
  expect(await status.innerText()).toContain("You already launched a community with these settings");
  expect(session.rpcCalls.filter((c) => c.method === "eth_sendTransaction")).toEqual([]);
  expect(await communityCount(coterie)).toBe(before);
  expect(new URL(page.url()).pathname).toBe("/launch");
  await session.screenshot("launch-salt-used");
}
