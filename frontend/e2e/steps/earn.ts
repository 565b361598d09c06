/**
 * Browser steps for earning: the creator signs a claim link in the rewards console, a fan (or anyone)
 * redeems it on the claim page, the referrer sees and claims the bonus in the Earn tab, the creator
 * opens a Merkle campaign from a CSV, and a fan claims it from the proofs file. Each step leaves a
 * screenshot named `earn-<step>`.
 *
 * Steps switch to the account they act as (dev connector). Pages change through the app's own
 * router (no reload) when the app is already open, so the connected wallet stays.
 */
import { expect } from "vitest";
import { encodeFunctionData, decodeFunctionResult, erc20Abi, getAddress, type Address, type Hex } from "viem";
import { connectDevAccount, waitForTx, type BrowserSession, type Coterie } from "../harness.ts";

export interface StepContext {
  coterie: Coterie;
  session: BrowserSession;
}

const TIMEOUT = 30_000;

/** Shows `path` (with its query) through the app's router, or loads it when the app is not open yet. */
export async function openPath({ coterie, session }: StepContext, path: string): Promise<void> {
  const { page } = session;
  const url = page.url();
  if (url.startsWith(coterie.appUrl) && (await page.getByTestId("chain-name").isVisible())) {
    await page.evaluate((to) => {
      window.history.pushState(null, "", to);
      window.dispatchEvent(new PopStateEvent("popstate"));
    }, path);
  } else {
    await page.goto(`${coterie.appUrl}${path}`);
    await page.getByTestId("chain-name").waitFor({ timeout: TIMEOUT });
  }
}

/** Makes dev account #`index` the connected one (connecting through the wallet menu only when needed). */
export async function actAs(ctx: StepContext, index: number): Promise<Address> {
  const { page } = ctx.session;
  const want = getAddress(ctx.coterie.accounts[index]);
  const shown = page.getByTestId("wallet-address");
  // After a reload the dev connector reconnects the last account on its own; give it a moment.
  await shown.waitFor({ timeout: 2_000 }).catch(() => undefined);
  if ((await shown.isVisible()) && (await shown.getAttribute("data-address")) === want) return want;
  await connectDevAccount(page, ctx.coterie, index);
  return want;
}

/** Disconnects the wallet, if one is connected. */
export async function disconnect({ session }: StepContext): Promise<void> {
  const button = session.page.getByTestId("disconnect");
  if (await button.isVisible()) {
    await button.click();
    await session.page.getByTestId("connect-wallet").waitFor({ timeout: TIMEOUT });
  }
}

/** A token balance read straight from the node (not through the app). */
export async function balanceOf(coterie: Coterie, token: string, account: string): Promise<bigint> {
  const data = encodeFunctionData({ abi: erc20Abi, functionName: "balanceOf", args: [getAddress(account)] });
  const result = await coterie.rpc<Hex>("eth_call", [{ to: getAddress(token), data }, "latest"]);
  return decodeFunctionResult({ abi: erc20Abi, functionName: "balanceOf", data: result });
}

/** Raw value (`data-raw`) of an element on the page. */
async function raw(session: BrowserSession, testId: string): Promise<bigint> {
  const value = await session.page.getByTestId(testId).first().getAttribute("data-raw");
  if (value === null) throw new Error(`${testId} has no data-raw`);
  return BigInt(value);
}

/** Waits until `testId`'s raw value is `expected` (after the refetch that follows a receipt). */
async function waitForRaw(session: BrowserSession, testId: string, expected: bigint): Promise<void> {
  await session.page.locator(`[data-testid="${testId}"][data-raw="${expected}"]`).first().waitFor({ timeout: TIMEOUT });
}

async function openCreatorConsole(ctx: StepContext, token: string, creator = 1): Promise<void> {
  await openPath(ctx, `/c/${getAddress(token)}/creator`);
  await actAs(ctx, creator);
  await ctx.session.page.getByTestId("rewards-console").waitFor({ timeout: TIMEOUT });
}

/**
 * The creator (`as`, default #1, the demo vault's attester) signs one voucher in the rewards console; returns
 * the claim link the console shows.
 */
export async function signVoucherLink(
  ctx: StepContext,
  { token, recipient, amount, referrer, as = 1 }: { token: string; recipient: string; amount: string; referrer?: string; as?: number },
): Promise<string> {
  const { page } = ctx.session;
  await openCreatorConsole(ctx, token, as);
  await page.getByTestId("voucher-mode-single").click();
  await page.locator("#f-voucher-recipient").fill(recipient);
  await page.locator("#f-voucher-amount").fill(amount);
  await page.locator("#f-voucher-referrer").fill(referrer ?? "");
  await page.getByTestId("voucher-sign").click();
  const status = page.locator('[data-testid="sign-status"][data-status="done"], [data-testid="sign-status"][data-status="error"]');
  await status.waitFor({ timeout: TIMEOUT });
  if ((await status.getAttribute("data-status")) === "error") throw new Error(`signing failed: ${await status.innerText()}`);
  const link = (await page.getByTestId("voucher-link").last().innerText()).trim();
  expect(link).toMatch(new RegExp(`^${ctx.coterie.appUrl}/claim\\?v=1\\.`));
  await ctx.session.screenshot("earn-sign-voucher");
  return link;
}

/**
 * Opens a claim link and redeems it as dev account #`as` (the recipient or anyone else); asserts the
 * confirmed state and that the recipient's new balance is its old one plus the link's amount.
 */
export async function redeemClaimLink(ctx: StepContext, link: string, { as }: { as: number }): Promise<bigint> {
  const { coterie, session } = ctx;
  const { page } = session;
  const url = new URL(link);
  await openPath(ctx, url.pathname + url.search);
  await actAs(ctx, as);
  // Connecting kept the link in the address bar.
  expect(new URL(page.url()).search).toBe(url.search);
  const status = page.getByTestId("claim-status");
  await status.waitFor({ timeout: TIMEOUT });
  expect(await status.getAttribute("data-status")).toBe("ready");
  const recipient = await page.getByTestId("claim-recipient").getAttribute("data-address");
  if (!recipient) throw new Error("the claim page shows no recipient");
  const amount = await raw(session, "claim-amount");
  const tokenAddress = await page.getByTestId("claim-page").getAttribute("data-token");
  if (!tokenAddress) throw new Error("the claim page names no community token");
  const before = await balanceOf(coterie, tokenAddress, recipient);
  await page.getByTestId("claim-redeem").click();
  await waitForTx(page, "claim-tx");
  await page.getByTestId("claim-success").waitFor({ timeout: TIMEOUT });
  await waitForRaw(session, "claim-new-balance", before + amount);
  expect(await balanceOf(coterie, tokenAddress, recipient)).toBe(before + amount);
  await session.screenshot("earn-redeem");
  return before + amount;
}

/**
 * The referrer (#`referrerIndex`) opens the Earn tab: asserts it shows at least one referred fan and
 * a credited bonus, claims it, and asserts the claimed figure grew by it. Returns the figures seen.
 */
export async function referrerSeesBonus(
  ctx: StepContext,
  token: string,
  referrerIndex: number,
): Promise<{ referredFans: bigint; bonus: bigint }> {
  const { coterie, session } = ctx;
  const { page } = session;
  await openPath(ctx, `/c/${getAddress(token)}/earn`);
  const referrer = await actAs(ctx, referrerIndex);
  await page.getByTestId("referral-count").waitFor({ timeout: TIMEOUT });
  const referredFans = await raw(session, "referral-count");
  const bonus = await raw(session, "referral-unclaimed");
  const claimedBefore = await raw(session, "referral-claimed");
  expect(referredFans).toBeGreaterThan(0n);
  expect(bonus).toBeGreaterThan(0n);
  expect(await page.getByTestId("referral-link").innerText()).toBe(`${coterie.appUrl}/c/${getAddress(token)}?ref=${referrer}`);
  await session.screenshot("earn-referrer-bonus");
  const before = await balanceOf(coterie, token, referrer);
  await page.getByTestId("referral-claim").click();
  await waitForTx(page, "referral-tx");
  await waitForRaw(session, "referral-unclaimed", 0n);
  await waitForRaw(session, "referral-claimed", claimedBefore + bonus);
  expect(await balanceOf(coterie, token, referrer)).toBe(before + bonus);
  await session.screenshot("earn-referrer-claimed");
  return { referredFans, bonus };
}

/** The creator opens a Merkle campaign from `csv` (`account,amount` lines); returns the proofs file's JSON. */
export async function openCampaignFromCsv(ctx: StepContext, token: string, csv: string): Promise<string> {
  const { page } = ctx.session;
  await openCreatorConsole(ctx, token);
  await page.getByTestId("campaign-csv").fill(csv);
  await page.getByTestId("campaign-build").click();
  await page.getByTestId("campaign-plan").waitFor({ timeout: TIMEOUT });
  await ctx.session.screenshot("earn-campaign-plan");
  await page.getByTestId("campaign-open").click();
  await waitForTx(page, "campaign-open-tx");
  await page.getByTestId("campaign-proofs").waitFor({ timeout: TIMEOUT });
  const json = await page.getByTestId("proofs-json").inputValue();
  const proofs = JSON.parse(json) as { format: string; campaignId: string | null; root: string };
  expect(proofs.format).toBe("coterie-campaign-1");
  expect(proofs.campaignId).not.toBeNull();
  expect(proofs.root).toBe(await page.getByTestId("campaign-root").innerText());
  await ctx.session.screenshot("earn-campaign-opened");
  return json;
}

/**
 * Dev account #`accountIndex` loads the proofs file in the Earn tab (as a file, or pasted), sees its
 * amount unclaimed, claims it, and sees it claimed; asserts the balance grew by the amount.
 */
export async function claimCampaignFromProofs(
  ctx: StepContext,
  token: string,
  proofsJson: string,
  accountIndex: number,
  { via = "file" }: { via?: "file" | "paste" } = {},
): Promise<bigint> {
  const { coterie, session } = ctx;
  const { page } = session;
  await openPath(ctx, `/c/${getAddress(token)}/earn`);
  const account = await actAs(ctx, accountIndex);
  await page.getByTestId("campaign-card").waitFor({ timeout: TIMEOUT });
  if (via === "file") {
    await page.getByTestId("campaign-file").setInputFiles({ name: "proofs.json", mimeType: "application/json", buffer: Buffer.from(proofsJson) });
  } else {
    await page.getByTestId("campaign-paste").fill(proofsJson);
    await page.getByTestId("campaign-load").click();
  }
  await page.getByTestId("campaign-unclaimed").waitFor({ timeout: TIMEOUT });
  const proofs = JSON.parse(proofsJson) as { claims: Record<string, { amount: string }> };
  const amount = BigInt(proofs.claims[account].amount);
  expect(await raw(session, "campaign-amount")).toBe(amount);
  const before = await balanceOf(coterie, token, account);
  await session.screenshot("earn-campaign-loaded");
  await page.getByTestId("campaign-claim").click();
  await waitForTx(page, "campaign-tx");
  await page.getByTestId("campaign-claimed").waitFor({ timeout: TIMEOUT });
  expect(await page.getByTestId("campaign-claim").count()).toBe(0);
  expect(await balanceOf(coterie, token, account)).toBe(before + amount);
  await session.screenshot("earn-campaign-claimed");
  return before + amount;
}

/**
 * Loads the Earn tab afresh (a reload, the connected account reconnecting) and returns the JSON-RPC
 * calls the page sent until the network went quiet: the community page's first-load budget.
 */
export async function measureEarnFirstLoad(ctx: StepContext, token: string): Promise<{ requests: number; methods: string[] }> {
  const { coterie, session } = ctx;
  const { page } = session;
  // The previous page's last reads (e.g. the wallet bar's balance after connecting) must not count
  // towards this page's budget: wait until the page has sent no JSON-RPC request for 500 ms.
  for (let seen = -1; seen !== session.rpcCalls.length; ) {
    seen = session.rpcCalls.length;
    await page.waitForTimeout(500);
  }
  session.resetRpcCount();
  await page.goto(`${coterie.appUrl}/c/${getAddress(token)}/earn`);
  await page.getByTestId("vault-status").waitFor({ timeout: TIMEOUT });
  await page.getByTestId("referral-count").waitFor({ timeout: TIMEOUT });
  await page.waitForLoadState("networkidle");
  const methods = session.rpcCalls.map((c) => c.method);
  await session.screenshot("earn-first-load");
  return { requests: methods.length, methods };
}
