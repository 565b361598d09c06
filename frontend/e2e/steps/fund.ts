/**
 * Browser steps for funding: a fan contributes to a crowdfund (naming a referrer), is refunded from
 * a failed one, claims revenue; the creator starts a crowdfund and deposits revenue from the
 * creator console. Each step leaves a screenshot named `fund-<step>` and checks what it did against
 * the chain itself (not only against what the page says).
 *
 * Steps switch to the dev account they act as (`as`: its index). Pages change through the app's own
 * router when the app is open, so the connected wallet stays.
 */
import { expect } from "vitest";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import {
  createPublicClient,
  createWalletClient,
  defineChain,
  erc20Abi,
  getAddress,
  http,
  parseEventLogs,
  parseUnits,
  type Abi,
  type Address,
  type Hex,
  type PublicClient,
} from "viem";
import { crowdfundAbi, revenueShareAbi } from "../../src/generated/abis.ts";
import { connectDevAccount, ROOT, waitForTx, type BrowserSession, type Coterie } from "../harness.ts";

export interface StepContext {
  coterie: Coterie;
  session: BrowserSession;
}

const TIMEOUT = 30_000;
const lower = (a: string) => a.toLowerCase();

/** A viem client on the test chain, for checking results against the node directly. */
export function chainClient(coterie: Coterie): PublicClient {
  return createPublicClient({ transport: http(coterie.rpcUrl) });
}

/** Shows `path` through the app's router, or loads it when the app is not open yet. */
async function openPath({ coterie, session }: StepContext, path: string, options: { reload?: boolean } = {}): Promise<void> {
  const { page } = session;
  if (!options.reload && page.url().startsWith(coterie.appUrl) && (await page.getByTestId("chain-name").isVisible())) {
    await page.evaluate((to) => {
      window.history.pushState(null, "", to);
      window.dispatchEvent(new PopStateEvent("popstate"));
    }, path);
  } else {
    await page.goto(`${coterie.appUrl}${path}`);
    await page.getByTestId("chain-name").waitFor({ timeout: TIMEOUT });
  }
}

/** Makes dev account #`index` the connected one. */
async function actAs(ctx: StepContext, index: number): Promise<Address> {
  const { page } = ctx.session;
  const want = getAddress(ctx.coterie.accounts[index]);
  const shown = page.getByTestId("wallet-address");
  await shown.waitFor({ timeout: 2_000 }).catch(() => undefined);
  if ((await shown.isVisible()) && (await shown.getAttribute("data-address")) === want) return want;
  await connectDevAccount(page, ctx.coterie, index);
  return want;
}

/** Opens the Fund tab as dev account `as` and waits for the crowdfund's card (or the tab, without one). */
export async function openFundTab(ctx: StepContext, { token, as, query = "", reload = false }: { token: string; as?: number; query?: string; reload?: boolean }) {
  await openPath(ctx, `/c/${getAddress(token)}/fund${query}`, { reload });
  if (as === undefined) {
    await ctx.session.page.getByTestId("fund-tab").waitFor({ timeout: TIMEOUT });
    return;
  }
  const me = await actAs(ctx, as);
  // The tab shows this account's positions (not the previous account's, kept while switching).
  await ctx.session.page.locator(`[data-testid="fund-tab"][data-account="${me}"]`).waitFor({ timeout: TIMEOUT });
}

/** Opens the creator console as dev account `as` and waits until the funding console shows that account's reads. */
async function openFundingConsole(ctx: StepContext, token: string, as: number): Promise<Address> {
  await openPath(ctx, `/c/${getAddress(token)}/creator`);
  const me = await actAs(ctx, as);
  await ctx.session.page.locator(`[data-testid="funding-console"][data-account="${me}"]`).waitFor({ timeout: TIMEOUT });
  return me;
}

/** `data-raw` of the element with `testId` (an Amount). */
async function raw(session: BrowserSession, testId: string): Promise<bigint> {
  const value = await session.page.getByTestId(testId).first().getAttribute("data-raw");
  if (value === null) throw new Error(`${testId} has no data-raw`);
  return BigInt(value);
}

/** Waits until the Amount `testId` shows `value`. */
async function waitForRaw(session: BrowserSession, testId: string, value: bigint): Promise<void> {
  await session.page.locator(`[data-testid="${testId}"][data-raw="${value}"]`).waitFor({ timeout: TIMEOUT });
}

/** The hash of the transaction a TxStatus shows (local chain: no explorer, the hash is the code's title). */
async function txHash(session: BrowserSession, testId: string): Promise<Hex> {
  const hash = await session.page.getByTestId(testId).locator("code[title]").first().getAttribute("title");
  if (!hash) throw new Error(`${testId} shows no transaction hash`);
  return hash as Hex;
}

/** What a mined transaction cost its sender in gas. */
async function gasCost(client: PublicClient, hash: Hex) {
  const receipt = await client.getTransactionReceipt({ hash });
  return { receipt, cost: receipt.gasUsed * receipt.effectiveGasPrice };
}

/**
 * Dev account `as` contributes `amount` (ETH) to `crowdfund` (default: the demo's), naming `referrer`:
 * typed into the field, or, with `viaReferralLink`, arriving through `?ref=` and finding the field
 * prefilled. Checks the contribution and the referral on chain.
 */
export async function contributeToCrowdfund(
  ctx: StepContext,
  opts: { token: string; crowdfund?: string; amount: string; decimals?: number; referrer?: string; viaReferralLink?: boolean; as: number },
): Promise<{ contributed: bigint; referred: bigint; hash: Hex; approved: boolean }> {
  const { session, coterie } = ctx;
  const { page } = session;
  const crowdfund = getAddress(opts.crowdfund ?? coterie.demo.crowdfund);
  const id = (what: string) => `${what}-${lower(crowdfund)}`;
  const ref = opts.referrer ? getAddress(opts.referrer) : null;
  await openFundTab(ctx, { token: opts.token, as: opts.as, query: opts.viaReferralLink && ref ? `?ref=${ref}` : "", reload: opts.viaReferralLink });
  const me = getAddress(coterie.accounts[opts.as]);
  const client = chainClient(coterie);
  const read = (fn: "contributionOf" | "referredBy", who: Address) => client.readContract({ address: crowdfund, abi: crowdfundAbi, functionName: fn, args: [who] });
  const before = await read("contributionOf", me);
  const referredBefore = ref ? await read("referredBy", ref) : 0n;

  await page.getByTestId(id("cf-amount-input")).waitFor({ timeout: TIMEOUT });
  const referrerInput = page.getByTestId(id("cf-referrer-input"));
  if (opts.viaReferralLink && ref) {
    // The referrer the fan arrived with is offered, not typed.
    await expect.poll(() => referrerInput.inputValue(), { timeout: TIMEOUT }).toBe(ref);
  } else {
    await referrerInput.fill(ref ?? "");
  }
  await page.getByTestId(id("cf-amount-input")).fill(opts.amount);
  const paid = parseUnits(opts.amount, opts.decimals ?? 18);
  await expect.poll(() => raw(session, id("cf-preview"))).toBeGreaterThan(0n);
  await session.screenshot("fund-contribute-form");
  const needsApproval = /Approve/.test(await page.getByTestId(id("cf-contribute")).innerText());
  await page.getByTestId(id("cf-contribute")).click();
  // An ERC-20 crowdfund without allowance: the approval is its own transaction, confirmed first.
  if (needsApproval) await waitForTx(page, id("cf-approve-tx"));
  await waitForTx(page, id("cf-contribute-tx"));
  await expect(page.getByTestId(id("cf-contribute-tx")).innerText()).resolves.toMatch(/Contributed/);
  await waitForRaw(session, id("cf-contributed"), before + paid);

  const contributed = await read("contributionOf", me);
  expect(contributed).toBe(before + paid);
  const referred = ref ? await read("referredBy", ref) : 0n;
  if (ref) expect(referred).toBe(referredBefore + paid);
  await session.screenshot("fund-contributed");
  return { contributed, referred, hash: await txHash(session, id("cf-contribute-tx")), approved: needsApproval };
}

/**
 * A bad contribution amount is refused next to the field and nothing is sent: no transaction is
 * simulated or signed. Returns the message shown.
 */
export async function contributionRefused(ctx: StepContext, opts: { token: string; crowdfund?: string; amount: string; as: number }): Promise<string> {
  const { session, coterie } = ctx;
  const { page } = session;
  const crowdfund = getAddress(opts.crowdfund ?? coterie.demo.crowdfund);
  const id = (what: string) => `${what}-${lower(crowdfund)}`;
  await openFundTab(ctx, { token: opts.token, as: opts.as });
  await page.getByTestId(id("cf-amount-input")).fill(opts.amount);
  session.resetRpcCount();
  await page.getByTestId(id("cf-contribute")).click();
  const error = page.getByTestId(`${id("cf-amount")}-error`);
  await error.waitFor({ timeout: TIMEOUT });
  await page.waitForTimeout(500);
  const sent = session.rpcCalls.filter((c) => ["eth_call", "eth_estimateGas", "eth_sendTransaction", "eth_sendRawTransaction"].includes(c.method));
  expect(sent.filter((c) => c.method !== "eth_call")).toEqual([]);
  expect(await page.getByTestId(id("cf-contribute-tx")).count()).toBe(0);
  await session.screenshot(`fund-refused-${opts.amount.replace(/\W+/g, "_")}`);
  const text = await error.innerText();
  await page.getByTestId(id("cf-amount-input")).fill("");
  return text;
}

/**
 * Dev account `as` takes its whole contribution back from a failed `crowdfund`: closing it as failed
 * first when the DAO never granted minting and the grace period is over. Checks that its ETH went up
 * by exactly the contribution (after the gas it paid) and that its contribution is zero.
 */
export async function refundFromFailedCrowdfund(
  ctx: StepContext,
  opts: { token: string; crowdfund: string; as: number },
): Promise<{ refunded: bigint }> {
  const { session, coterie } = ctx;
  const { page } = session;
  const crowdfund = getAddress(opts.crowdfund);
  const id = (what: string) => `${what}-${lower(crowdfund)}`;
  await openFundTab(ctx, { token: opts.token, as: opts.as, reload: true });
  const me = getAddress(coterie.accounts[opts.as]);
  const client = chainClient(coterie);
  const contribution = await client.readContract({ address: crowdfund, abi: crowdfundAbi, functionName: "contributionOf", args: [me] });
  expect(contribution).toBeGreaterThan(0n);
  await page.getByTestId(id("crowdfund")).waitFor({ timeout: TIMEOUT });
  await session.screenshot("fund-refund-before");

  const finalize = page.getByTestId(id("cf-finalize"));
  if (await finalize.isVisible()) {
    await expect(finalize.innerText()).resolves.toMatch(/Close as failed/);
    await finalize.click();
    await waitForTx(page, id("cf-finalize-tx"));
    await expect(page.getByTestId(id("cf-finalize-tx")).innerText()).resolves.toMatch(/Closed as failed/);
  }
  await page.locator(`[data-testid="${id("cf-state")}"]`, { hasText: "Failed" }).waitFor({ timeout: TIMEOUT });

  const ethBefore = await client.getBalance({ address: me });
  await page.getByTestId(id("cf-refund")).click();
  await waitForTx(page, id("cf-refund-tx"));
  await expect(page.getByTestId(id("cf-refund-tx")).innerText()).resolves.toMatch(/Refunded/);
  const { receipt, cost } = await gasCost(client, await txHash(session, id("cf-refund-tx")));
  const ethAfter = await client.getBalance({ address: me, blockNumber: receipt.blockNumber });
  expect(ethAfter - ethBefore + cost).toBe(contribution);
  const [refunded] = parseEventLogs({ abi: crowdfundAbi, logs: receipt.logs, eventName: "Refunded" });
  expect(refunded.args.amount).toBe(contribution);
  expect(await client.readContract({ address: crowdfund, abi: crowdfundAbi, functionName: "contributionOf", args: [me] })).toBe(0n);
  // Nothing left for the fan here: its position shows zero, or is gone from the settled crowdfund.
  await expect
    .poll(async () => ((await page.getByTestId(id("cf-contributed")).count()) === 0 ? "0" : await page.getByTestId(id("cf-contributed")).getAttribute("data-raw")), {
      timeout: TIMEOUT,
    })
    .toBe("0");
  await session.screenshot("fund-refunded");
  return { refunded: contribution };
}

/**
 * Dev account `as` claims its revenue in ETH (default) or the ERC-20 `asset`: the amount paid (from
 * the receipt's RevenueClaimed) is what the page offered, the account's balance rose by it (after
 * gas, for ETH), and nothing is left to claim.
 */
export async function claimRevenue(ctx: StepContext, opts: { token: string; as: number; asset?: string }): Promise<{ paid: bigint }> {
  const { session, coterie } = ctx;
  const { page } = session;
  const key = opts.asset ? lower(opts.asset) : "eth";
  await openFundTab(ctx, { token: opts.token, as: opts.as });
  const me = getAddress(coterie.accounts[opts.as]);
  const client = chainClient(coterie);
  const balance = (blockNumber?: bigint) =>
    opts.asset
      ? client.readContract({ address: getAddress(opts.asset), abi: erc20Abi, functionName: "balanceOf", args: [me], blockNumber })
      : client.getBalance({ address: me, blockNumber });
  await page.getByTestId(`revenue-claimable-${key}`).waitFor({ timeout: TIMEOUT });
  await expect.poll(() => raw(session, `revenue-claimable-${key}`), { timeout: TIMEOUT }).toBeGreaterThan(0n);
  const offered = await raw(session, `revenue-claimable-${key}`);
  await session.screenshot(`fund-revenue-before-${key === "eth" ? "eth" : "erc20"}`);
  const before = await balance();
  await page.getByTestId(`revenue-claim-${key}`).click();
  await waitForTx(page, `revenue-claim-tx-${key}`);
  await expect(page.getByTestId(`revenue-claim-tx-${key}`).innerText()).resolves.toMatch(/Claimed/);
  const { receipt, cost } = await gasCost(client, await txHash(session, `revenue-claim-tx-${key}`));
  const [claimed] = parseEventLogs({ abi: revenueShareAbi, logs: receipt.logs, eventName: "RevenueClaimed" });
  expect(getAddress(claimed.args.account)).toBe(me);
  expect(claimed.args.amount).toBe(offered);
  const after = await balance(receipt.blockNumber);
  expect(after - before + (opts.asset ? 0n : cost)).toBe(offered);
  await waitForRaw(session, `revenue-claimable-${key}`, 0n);
  await session.screenshot(`fund-revenue-claimed-${key === "eth" ? "eth" : "erc20"}`);
  return { paid: claimed.args.amount };
}

/**
 * The creator (dev account `as`, default #1) starts an ETH crowdfund from the creator console.
 * `days` is one of the form's quick deadlines (7, 14, 30, 90). Returns the new crowdfund's address,
 * after checking it links to the DAO proposal that would grant it MINTER_ROLE.
 */
export async function startCrowdfund(
  ctx: StepContext,
  opts: { token: string; payment?: string; goal: string; cap?: string; days: 7 | 14 | 30 | 90; price: string; referralPercent?: string; as?: number },
): Promise<Address> {
  const { session, coterie } = ctx;
  const { page } = session;
  await openFundingConsole(ctx, opts.token, opts.as ?? 1);
  await page.getByTestId("start-crowdfund").waitFor({ timeout: TIMEOUT });
  if (opts.payment) {
    await page.getByTestId("start-cf-payment").selectOption("erc20");
    await page.getByTestId("start-cf-token-input").fill(getAddress(opts.payment));
    // The token's symbol shows once it was read: the amounts below are in its units.
    await page.locator("label", { hasText: /^Goal \((?!ETH)/ }).waitFor({ timeout: TIMEOUT });
  }
  await page.getByTestId("start-cf-goal-input").fill(opts.goal);
  await page.getByTestId("start-cf-cap-input").fill(opts.cap ?? "");
  await page.getByTestId(`start-cf-days-${opts.days}`).click();
  await page.getByTestId("start-cf-price-input").fill(opts.price);
  await page.getByTestId("start-cf-referral-input").fill(opts.referralPercent ?? "5");
  await page.getByTestId("start-cf-summary").waitFor({ timeout: TIMEOUT });
  await session.screenshot("fund-start-form");
  await page.getByTestId("start-cf-submit").click();
  await waitForTx(page, "start-cf-tx");
  await page.getByTestId("start-cf-done").waitFor({ timeout: TIMEOUT });
  const shown = await page.getByTestId("start-cf-address").getAttribute("data-address");
  if (!shown) throw new Error("the console shows no crowdfund address");
  const crowdfund = getAddress(shown);
  const href = await page.getByTestId("start-cf-propose").getAttribute("href");
  expect(href).toBe(`/c/${getAddress(opts.token)}/propose?template=grant-minter&target=${crowdfund}`);
  // The crowdfund exists on chain with the chosen terms, and nobody granted it minting.
  const client = chainClient(coterie);
  const params = await client.readContract({ address: crowdfund, abi: crowdfundAbi, functionName: "params" });
  expect(params.goal).toBe(parseUnits(opts.goal, 18));
  expect(getAddress(params.paymentToken)).toBe(getAddress(opts.payment ?? "0x0000000000000000000000000000000000000000"));
  await session.screenshot("fund-started");
  return crowdfund;
}

/**
 * The creator (dev account `as`, default #1) deposits `amount` of revenue from the console, in ETH or
 * the ERC-20 `asset` (approved first, its own transaction); returns the deposit's id.
 */
export async function depositRevenue(ctx: StepContext, opts: { token: string; amount: string; asset?: string; as?: number }): Promise<bigint> {
  const { session, coterie } = ctx;
  const { page } = session;
  await openFundingConsole(ctx, opts.token, opts.as ?? 1);
  await page.getByTestId("revenue-deposit-form").waitFor({ timeout: TIMEOUT });
  await page.getByTestId("revenue-deposit-kind").selectOption(opts.asset ? "erc20" : "eth");
  if (opts.asset) {
    await page.getByTestId("revenue-deposit-token-input").fill(getAddress(opts.asset));
    await page.locator("label", { hasText: /^Amount \((?!ETH)/ }).waitFor({ timeout: TIMEOUT });
  }
  await page.getByTestId("revenue-deposit-amount-input").fill(opts.amount);
  await session.screenshot(`fund-deposit-form-${opts.asset ? "erc20" : "eth"}`);
  await page.getByTestId("revenue-deposit-submit").click();
  if (opts.asset) await waitForTx(page, "revenue-approve-tx");
  await waitForTx(page, "revenue-deposit-tx");
  await expect(page.getByTestId("revenue-deposit-tx").innerText()).resolves.toMatch(/Deposited/);
  const { receipt } = await gasCost(chainClient(coterie), await txHash(session, "revenue-deposit-tx"));
  const [deposited] = parseEventLogs({ abi: revenueShareAbi, logs: receipt.logs, eventName: "RevenueDeposited" });
  expect(deposited.args.amount).toBe(parseUnits(opts.amount, 18));
  expect(getAddress(deposited.args.asset)).toBe(getAddress(opts.asset ?? "0x0000000000000000000000000000000000000000"));
  await session.screenshot("fund-deposited");
  return deposited.args.id;
}

/**
 * The creator (dev account `as`) creates the community's revenue share from the console; returns its
 * address, after checking the console links to the DAO proposal that would grant it REVENUE_ROLE.
 */
export async function createRevenueShare(ctx: StepContext, opts: { token: string; as: number }): Promise<Address> {
  const { session, coterie } = ctx;
  const { page } = session;
  const token = getAddress(opts.token);
  await openFundingConsole(ctx, token, opts.as);
  await page.getByTestId("console-revenue").waitFor({ timeout: TIMEOUT });
  await session.screenshot("fund-revenue-setup");
  await page.getByTestId("revenue-create").click();
  await waitForTx(page, "revenue-create-tx");
  const link = page.getByTestId("revenue-propose");
  await link.waitFor({ timeout: TIMEOUT });
  const href = await link.getAttribute("href");
  const target = href ? new URL(href, coterie.appUrl).searchParams.get("target") : null;
  if (!target) throw new Error(`the approval link names no revenue share: ${href}`);
  const revenueShare = getAddress(target);
  expect(href).toBe(`/c/${token}/propose?template=grant-revenue&target=${revenueShare}`);
  const code = await chainClient(coterie).getCode({ address: revenueShare });
  expect(code && code !== "0x").toBeTruthy();
  expect(await page.getByTestId("console-revenue-status").innerText()).toBe("Awaiting DAO approval");
  await session.screenshot("fund-revenue-created");
  return revenueShare;
}

/**
 * Deploys a test ERC-20 (contracts/test/MockERC20.sol, 18 decimals, anyone mints) from dev account #0
 * and mints `amount` to each of `holders`: a payment token and revenue asset for the ERC-20 paths.
 */
export async function deployTestToken(coterie: Coterie, opts: { name: string; symbol: string; holders: string[]; amount: string }): Promise<Address> {
  const artifact = JSON.parse(readFileSync(join(ROOT, "artifacts", "contracts", "test", "MockERC20.sol", "MockERC20.json"), "utf8")) as { abi: Abi; bytecode: Hex };
  const client = chainClient(coterie);
  const chain = defineChain({
    id: await client.getChainId(),
    name: "Local",
    nativeCurrency: { name: "Ether", symbol: "ETH", decimals: 18 },
    rpcUrls: { default: { http: [coterie.rpcUrl] } },
  });
  const wallet = createWalletClient({ transport: http(coterie.rpcUrl), account: getAddress(coterie.accounts[0]), chain });
  const hash = await wallet.deployContract({ abi: artifact.abi, bytecode: artifact.bytecode, args: [opts.name, opts.symbol] });
  const { contractAddress } = await client.waitForTransactionReceipt({ hash });
  if (!contractAddress) throw new Error("the test token was not deployed");
  for (const holder of opts.holders) {
    const mint = await wallet.writeContract({
      address: contractAddress,
      abi: artifact.abi,
      functionName: "mint",
      args: [getAddress(holder), parseUnits(opts.amount, 18)],
    });
    await client.waitForTransactionReceipt({ hash: mint });
  }
  return getAddress(contractAddress);
}
