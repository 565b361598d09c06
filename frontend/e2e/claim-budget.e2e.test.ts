/**
 * Issue 11 item 12 in the browser, on the seeded demo community (creator #1 attests its vault;
 * budget 100,000 AUR per weekly period, 10% referral bonus): a claim link larger than the whole
 * period budget (signed off the app with the demo attester's public dev key, as a CLI from before
 * the fix would have) says it can never be redeemed and offers no Redeem button; the console refuses
 * to sign one; a link that fits a period but not what this one has left says when the next period
 * starts. The demo's claim page also shows the community's verification mark.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { decodeFunctionResult, encodeFunctionData, getAddress, parseEther, zeroAddress, type Hex } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { claimLink, VOUCHER_TYPES, voucherDomain, type Voucher } from "../../shared/rewards.ts";
import { rewardVaultAbi } from "../src/generated/abis.ts";
import { openBrowser, startCoterie, type BrowserSession, type Coterie } from "./harness.ts";
import { actAs, openPath, redeemClaimLink, type StepContext } from "./steps/earn.ts";

const TIMEOUT = 30_000;
// Hardhat's public dev key #1: the demo creator, its vault's attester. Never used outside a local chain.
const DEMO_ATTESTER = privateKeyToAccount("0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d");
// Dev accounts no other file relies on.
const FAN_A = 17;
const FAN_B = 18;

describe("claim links and the vault's budget", () => {
  let coterie: Coterie;
  let session: BrowserSession;
  let vault: `0x${string}`;
  let token: `0x${string}`;
  let nextId = 9_000_000n;
  const ctx = (): StepContext => ({ coterie, session });
  const page = () => session.page;

  beforeAll(async () => {
    coterie = await startCoterie();
    session = await openBrowser(coterie);
    vault = getAddress(coterie.demo.rewardVault);
    token = getAddress(coterie.demo.community.token);
  });
  afterAll(async () => {
    await session?.close();
    await coterie?.stop();
  });

  async function read(functionName: "epochBudget" | "remainingBudget" | "epochEndsAt"): Promise<bigint> {
    const data = encodeFunctionData({ abi: rewardVaultAbi, functionName });
    const result = await coterie.rpc<Hex>("eth_call", [{ to: vault, data }, "latest"]);
    return decodeFunctionResult({ abi: rewardVaultAbi, functionName, data: result }) as bigint;
  }

  /** A claim link for the demo vault signed with the attester's key, outside the app. */
  async function link(recipient: number, amount: bigint): Promise<string> {
    const block = await coterie.rpc<{ timestamp: Hex }>("eth_getBlockByNumber", ["latest", false]);
    const voucher: Voucher = {
      recipient: getAddress(coterie.accounts[recipient]),
      amount,
      referrer: zeroAddress,
      id: nextId++,
      deadline: BigInt(block.timestamp) + 30n * 86_400n,
    };
    const domain = voucherDomain(31337n, vault);
    const signature = await DEMO_ATTESTER.signTypedData({
      domain: { ...domain, verifyingContract: getAddress(domain.verifyingContract) },
      types: VOUCHER_TYPES,
      primaryType: "Voucher",
      message: { ...voucher, recipient: getAddress(voucher.recipient), referrer: getAddress(voucher.referrer) },
    });
    return claimLink(coterie.appUrl, { chainId: 31337n, vault, voucher, signature });
  }

  it("a link over the whole period budget is refused on its page: no Redeem button, connected or not", async () => {
    const budget = await read("epochBudget");
    expect(budget).toBe(parseEther("100000"));
    const url = new URL(await link(FAN_A, budget + parseEther("1")));
    await openPath(ctx(), url.pathname + url.search);
    const status = page().locator('[data-testid="claim-status"][data-status="over-budget"]');
    await status.waitFor({ timeout: TIMEOUT });
    expect(await status.innerText()).toMatch(/over the whole period budget: it needs 100,001 AUR, more than the community's reward budget for a whole period \(100,000 AUR\)/);
    expect(await page().getByTestId("claim-connect").count()).toBe(0);
    // The demo community is verified by the platform: its mark, not the warning.
    expect(await page().getByTestId("verified-badge").count()).toBe(1);
    expect(await page().getByTestId("not-verified-badge").count()).toBe(0);
    await session.screenshot("claim-over-budget");
    await actAs(ctx(), FAN_A);
    await status.waitFor({ timeout: TIMEOUT });
    expect(await page().getByTestId("claim-redeem").count()).toBe(0);
  });

  it("the console refuses to sign a voucher over the whole period budget", async () => {
    await openPath(ctx(), `/c/${token}/creator`);
    await actAs(ctx(), 1);
    await page().getByTestId("rewards-console").waitFor({ timeout: TIMEOUT });
    await page().getByTestId("voucher-mode-single").click();
    await page().locator("#f-voucher-recipient").fill(coterie.accounts[FAN_B]);
    await page().locator("#f-voucher-amount").fill("100001");
    await page().locator("#f-voucher-referrer").fill("");
    await page().getByTestId("voucher-sign").click();
    const refusal = page().getByTestId("sign-over-budget");
    await refusal.waitFor({ timeout: TIMEOUT });
    expect(await refusal.innerText()).toMatch(/100,001 AUR is more than the vault's whole budget per period \(100,000 AUR\): the link could never be redeemed/);
    expect(await page().getByTestId("signed-links").count()).toBe(0);
    await session.screenshot("console-over-budget");
  });

  it("a link that fits a period but not what is left of this one says when the next period starts", async () => {
    // Spend the period down to less than half its budget with a link that fits.
    const remaining = await read("remainingBudget");
    const first = remaining - parseEther("40000");
    expect(first).toBeGreaterThan(0n);
    await redeemClaimLink(ctx(), await link(FAN_A, first), { as: FAN_A });
    const url = new URL(await link(FAN_B, parseEther("50000")));
    await openPath(ctx(), url.pathname + url.search);
    const status = page().locator('[data-testid="claim-status"][data-status="budget-used-up"]');
    await status.waitFor({ timeout: TIMEOUT });
    expect(await status.innerText()).toMatch(/This period's budget is used up: the link needs 50,000 AUR and 40,000 AUR is left\. The next period starts in /);
    expect(await page().getByTestId("claim-redeem").count()).toBe(0);
    await session.screenshot("claim-period-used-up");
    // Once the next period has started, the same link is ready.
    const now = BigInt((await coterie.rpc<{ timestamp: Hex }>("eth_getBlockByNumber", ["latest", false])).timestamp);
    await coterie.advanceTime(Number((await read("epochEndsAt")) - now) + 1);
    await page().reload();
    await page().locator('[data-testid="claim-status"][data-status="ready"]').waitFor({ timeout: TIMEOUT });
  });
});
