/**
 * Earning on the seeded demo community (Aurora Fans; creator #1 is its vault's attester and
 * operator): the creator signs a claim link in the console, a fresh fan redeems it, the referrer
 * (fan #2) claims the bonus; anyone may submit a link for its recipient; redeemed, altered and
 * broken links say what is wrong; the creator opens a Merkle campaign from a CSV and fans claim it
 * from the proofs file. Then the same pages at 375px.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getAddress, parseEther } from "viem";
import { parseClaimLink } from "../../shared/rewards.ts";
import { openBrowser, startCoterie, type BrowserSession, type Coterie } from "./harness.ts";
import {
  actAs,
  balanceOf,
  claimCampaignFromProofs,
  disconnect,
  measureEarnFirstLoad,
  openCampaignFromCsv,
  openPath,
  redeemClaimLink,
  referrerSeesBonus,
  signVoucherLink,
  type StepContext,
} from "./steps/earn.ts";

const TIMEOUT = 30_000;

/** The link with its voucher's amount field replaced (the signature stays). */
function withAmount(link: string, amount: bigint): string {
  const url = new URL(link);
  const parts = url.searchParams.get("v")!.split(".");
  parts[4] = amount.toString();
  return `${url.origin}${url.pathname}?v=${parts.join(".")}&s=${url.searchParams.get("s")}`;
}

describe("earn", () => {
  let coterie: Coterie;
  let session: BrowserSession;
  let token: string;
  beforeAll(async () => {
    coterie = await startCoterie();
    session = await openBrowser(coterie);
    token = getAddress(coterie.demo.community.token);
  });
  afterAll(async () => {
    await session?.close();
    await coterie?.stop();
  });
  const ctx = (): StepContext => ({ coterie, session });
  const page = () => session.page;

  describe("claim links", () => {
    let link: string;

    it("the creator signs a claim link in the console for a fresh fan, naming fan #2 as referrer", async () => {
      link = await signVoucherLink(ctx(), { token, recipient: coterie.accounts[9], amount: "120", referrer: coterie.accounts[2] });
      const { voucher, vault } = parseClaimLink(link);
      expect(vault).toBe(getAddress(coterie.demo.rewardVault));
      expect(voucher.recipient).toBe(getAddress(coterie.accounts[9]));
      expect(voucher.amount).toBe(parseEther("120"));
      expect(voucher.referrer).toBe(getAddress(coterie.accounts[2]));
      expect(voucher.id < 1n << 64n).toBe(true);
    });

    it("the recipient redeems it and holds the amount", async () => {
      expect(await redeemClaimLink(ctx(), link, { as: 9 })).toBe(parseEther("120"));
      await page().getByTestId("claim-community-link").click();
      await page().getByTestId("community-page").waitFor({ timeout: TIMEOUT });
      expect(new URL(page().url()).pathname).toBe(`/c/${token}`);
    });

    it("the referrer sees one referred fan and the 10% bonus in the Earn tab, and claims it", async () => {
      const seen = await referrerSeesBonus(ctx(), token, 2);
      expect(seen).toEqual({ referredFans: 1n, bonus: parseEther("12") });
    });

    it("the redeemed fan's Earn tab shows fan #2 as its recorded referrer", async () => {
      await actAs(ctx(), 9);
      await page().getByTestId("referral-card").waitFor({ timeout: TIMEOUT });
      await page().getByTestId("earn-referrer").getByTitle(getAddress(coterie.accounts[2])).waitFor({ timeout: TIMEOUT });
    });

    it("an already-redeemed link says so and offers no redeem button", async () => {
      const url = new URL(link);
      await openPath(ctx(), url.pathname + url.search);
      const status = page().locator('[data-testid="claim-status"][data-status="redeemed"]');
      await status.waitFor({ timeout: TIMEOUT });
      expect(await status.innerText()).toMatch(/already been redeemed/);
      expect(await page().getByTestId("claim-redeem").count()).toBe(0);
      await session.screenshot("earn-link-redeemed");
    });

    it("a link whose amount was changed shows the signature problem and offers no redeem button", async () => {
      const tampered = withAmount(coterie.demo.rewards.claimLinks[2].link, parseEther("5000"));
      const url = new URL(tampered);
      await openPath(ctx(), url.pathname + url.search);
      const status = page().locator('[data-testid="claim-status"][data-status="bad-signature"]');
      await status.waitFor({ timeout: TIMEOUT });
      expect(await status.innerText()).toMatch(/not the community attester's/);
      expect(await page().getByTestId("claim-signature").getAttribute("data-kind")).toBe("other-signer");
      expect(await page().getByTestId("claim-amount").getAttribute("data-raw")).toBe(parseEther("5000").toString());
      expect(await page().getByTestId("claim-redeem").count()).toBe(0);
      await session.screenshot("earn-link-tampered");
    });

    it("a link naming a contract that is not a reward vault is refused", async () => {
      const url = new URL(coterie.demo.rewards.claimLinks[2].link);
      const parts = url.searchParams.get("v")!.split(".");
      parts[2] = getAddress(coterie.demo.crowdfund);
      await openPath(ctx(), `${url.pathname}?v=${parts.join(".")}&s=${url.searchParams.get("s")}`);
      const status = page().locator('[data-testid="claim-status"][data-status="not-vault"]');
      await status.waitFor({ timeout: TIMEOUT });
      expect(await status.innerText()).toMatch(/not a reward vault/);
      expect(await page().getByTestId("claim-redeem").count()).toBe(0);
      await session.screenshot("earn-link-not-vault");
    });

    it("a link for a chain the app is not set up for names that chain", async () => {
      const url = new URL(coterie.demo.rewards.claimLinks[2].link);
      const parts = url.searchParams.get("v")!.split(".");
      parts[1] = "10";
      await openPath(ctx(), `${url.pathname}?v=${parts.join(".")}&s=${url.searchParams.get("s")}`);
      const notice = page().getByTestId("claim-unknown-chain");
      await notice.waitFor({ timeout: TIMEOUT });
      expect(await notice.innerText()).toMatch(/chain 10, which this app is not set up for/);
    });

    it("a link cut short says what is missing", async () => {
      const url = new URL(coterie.demo.rewards.claimLinks[2].link);
      await openPath(ctx(), `${url.pathname}?v=${url.searchParams.get("v")}`);
      const error = page().getByTestId("claim-link-error");
      await error.waitFor({ timeout: TIMEOUT });
      expect(await error.innerText()).toMatch(/no signature/);
      await session.screenshot("earn-link-broken");
    });

    it("anyone may submit a link for its recipient, and connecting keeps the link (and its ?ref=) in the address bar", async () => {
      const seeded = coterie.demo.rewards.claimLinks[0]; // for #6, no referrer
      const url = new URL(seeded.link);
      const withRef = `${url.pathname}${url.search}&ref=${getAddress(coterie.accounts[3])}`;
      await disconnect(ctx());
      await openPath(ctx(), withRef);
      await page().getByTestId("claim-connect").click();
      await page().getByTestId("wallet-menu").waitFor({ timeout: TIMEOUT });
      await page().keyboard.press("Escape");
      expect(await page().evaluate((t) => localStorage.getItem(`coterie.ref.${t.toLowerCase()}`), token)).toBe(getAddress(coterie.accounts[3]));
      await session.screenshot("earn-link-disconnected");

      const before = await balanceOf(coterie, token, seeded.recipient);
      await actAs(ctx(), 5);
      expect(new URL(page().url()).search).toBe(new URL(withRef, coterie.appUrl).search);
      await page().getByTestId("claim-not-recipient").waitFor({ timeout: TIMEOUT });
      const senderBefore = await balanceOf(coterie, token, coterie.accounts[5]);
      // redeemClaimLink checks the query again, then redeems as #5 for #6.
      expect(await redeemClaimLink(ctx(), `${coterie.appUrl}${withRef}`, { as: 5 })).toBe(before + BigInt(seeded.amount));
      expect(await balanceOf(coterie, token, coterie.accounts[5])).toBe(senderBefore);
    });
  });

  describe("console input", () => {
    it("refuses a bad recipient, too many decimals and a self-referral next to their fields, signing nothing", async () => {
      await openPath(ctx(), `/c/${token}/creator`);
      await actAs(ctx(), 1);
      await page().getByTestId("voucher-mode-single").click();
      await page().locator("#f-voucher-recipient").fill("0x1234");
      await page().locator("#f-voucher-amount").fill("1.0000000000000000001");
      await page().locator("#f-voucher-referrer").fill("");
      await page().getByTestId("voucher-sign").click();
      expect(await page().getByTestId("voucher-recipient-error").innerText()).toMatch(/Not an address/);
      expect(await page().getByTestId("voucher-amount-error").innerText()).toMatch(/At most 18 decimal places/);
      await page().locator("#f-voucher-recipient").fill(coterie.accounts[10]);
      await page().locator("#f-voucher-referrer").fill(coterie.accounts[10]);
      expect(await page().getByTestId("voucher-referrer-error").innerText()).toMatch(/cannot be the recipient/);
      expect(await page().getByTestId("sign-status").count()).toBe(0);
      await session.screenshot("earn-console-invalid");
    });

    it("lists every bad line of a vouchers CSV with its line number and signs nothing", async () => {
      await page().getByTestId("voucher-mode-csv").click();
      await page().getByTestId("voucher-csv").fill(`recipient,amount,referrer\n${coterie.accounts[10]},5\nnot-an-address,1\n${coterie.accounts[11]},-2\n`);
      await page().getByTestId("voucher-sign").click();
      const problems = page().getByTestId("voucher-csv-problems");
      await problems.waitFor({ timeout: TIMEOUT });
      const text = await problems.innerText();
      expect(text).toMatch(/Line 3: recipient is not an address/);
      expect(text).toMatch(/Line 4: amount is negative/);
      expect(await page().getByTestId("sign-status").count()).toBe(0);
      await session.screenshot("earn-console-csv-problems");
    });

    it("signs every line of a good vouchers CSV and offers each link, all links and a CSV download", async () => {
      await page().getByTestId("voucher-csv").fill(`${coterie.accounts[11]},5\n${coterie.accounts[12]},2.5,${coterie.accounts[2]}\n`);
      await page().getByTestId("voucher-sign").click();
      await page().locator('[data-testid="sign-status"][data-status="done"]').waitFor({ timeout: TIMEOUT });
      const links = await page().getByTestId("voucher-link").allInnerTexts();
      expect(links).toHaveLength(2);
      const [a, b] = links.map((l) => parseClaimLink(l.trim()).voucher);
      expect(a.recipient).toBe(getAddress(coterie.accounts[11]));
      expect(b).toMatchObject({ recipient: getAddress(coterie.accounts[12]), amount: parseEther("2.5"), referrer: getAddress(coterie.accounts[2]) });
      expect(a.id).not.toBe(b.id);
      const download = page().waitForEvent("download");
      await page().getByTestId("download-links").click();
      expect((await download).suggestedFilename()).toBe("claim-links.csv");
      await session.screenshot("earn-console-csv-signed");
    });
  });

  describe("campaigns", () => {
    let proofs: string;

    it("refuses a campaign CSV with a duplicate account, naming both lines", async () => {
      await openPath(ctx(), `/c/${token}/creator`);
      await actAs(ctx(), 1);
      await page().getByTestId("campaign-csv").fill(`account,amount\n${coterie.accounts[10]},1\n${coterie.accounts[10]},2\n`);
      await page().getByTestId("campaign-build").click();
      const problems = page().getByTestId("campaign-csv-problems");
      await problems.waitFor({ timeout: TIMEOUT });
      expect(await problems.innerText()).toMatch(/Line 3: duplicate account .* \(first on line 2\)/);
      expect(await page().getByTestId("campaign-open").count()).toBe(0);
    });

    it("the creator opens a campaign from a CSV and gets its proofs file", async () => {
      const csv = `account,amount\n${coterie.accounts[10]},30\n${coterie.accounts[11]},20.5\n${coterie.accounts[12]},7\n`;
      proofs = await openCampaignFromCsv(ctx(), token, csv);
      const file = JSON.parse(proofs) as { vault: string; total: string; claims: Record<string, unknown> };
      expect(getAddress(file.vault)).toBe(getAddress(coterie.demo.rewardVault));
      expect(file.total).toBe(parseEther("57.5").toString());
      expect(Object.keys(file.claims)).toHaveLength(3);
    });

    it("a listed fan claims its reward from the proofs file", async () => {
      expect(await claimCampaignFromProofs(ctx(), token, proofs, 10)).toBe(parseEther("30"));
    });

    it("another listed fan claims by pasting the proofs file", async () => {
      const before = await balanceOf(coterie, token, coterie.accounts[11]);
      expect(await claimCampaignFromProofs(ctx(), token, proofs, 11, { via: "paste" })).toBe(before + parseEther("20.5"));
    });

    it("a fan the campaign does not list is told so", async () => {
      await actAs(ctx(), 5);
      await page().getByTestId("campaign-paste").fill(proofs);
      await page().getByTestId("campaign-load").click();
      await page().getByTestId("campaign-no-entry").waitFor({ timeout: TIMEOUT });
      expect(await page().getByTestId("campaign-claim").count()).toBe(0);
    });

    it("a proofs file for another vault is refused with a readable error", async () => {
      const other = JSON.parse(proofs) as Record<string, unknown>;
      other.vault = coterie.demo.crowdfund;
      await page().getByTestId("campaign-paste").fill(JSON.stringify(other));
      await page().getByTestId("campaign-load").click();
      const error = page().getByTestId("campaign-file-error");
      await error.waitFor({ timeout: TIMEOUT });
      expect(await error.innerText()).toMatch(/another community's vault/);
      await session.screenshot("earn-campaign-wrong-vault");
    });
  });

  describe("requests", () => {
    it("the Earn tab's first load stays within the community page's budget of 6 JSON-RPC requests", async () => {
      await actAs(ctx(), 2);
      const { requests, methods } = await measureEarnFirstLoad(ctx(), token);
      expect(requests, methods.join(", ")).toBeLessThanOrEqual(6);
    });
  });

  describe("at 375px", () => {
    let mobile: BrowserSession;
    beforeAll(async () => {
      mobile = await openBrowser(coterie, { width: 375, height: 812 });
    });
    afterAll(async () => {
      await mobile?.close();
    });

    it("a fan redeems a claim link on a phone", async () => {
      const seeded = coterie.demo.rewards.claimLinks[2]; // for #8
      const m = { coterie, session: mobile };
      const balance = await redeemClaimLink(m, seeded.link, { as: 8 });
      expect(balance).toBe(BigInt(seeded.amount));
      const overflow = await mobile.page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth);
      expect(overflow).toBe(false);
    });

    it("the Earn tab and the rewards console fit a phone", async () => {
      const m = { coterie, session: mobile };
      await openPath(m, `/c/${token}/earn`);
      await mobile.page.getByTestId("referral-card").waitFor({ timeout: TIMEOUT });
      await mobile.page.getByTestId("referral-count").waitFor({ timeout: TIMEOUT });
      expect(await mobile.page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth)).toBe(false);
      await mobile.screenshot("earn-mobile-earn-tab");
      await openPath(m, `/c/${token}/creator`);
      await actAs(m, 1);
      await mobile.page.getByTestId("rewards-console").waitFor({ timeout: TIMEOUT });
      expect(await mobile.page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth)).toBe(false);
      await mobile.screenshot("earn-mobile-console");
    });
  });
});
