/**
 * Explore and the community Hold tab on the seeded demo: Aurora Fans (verified) and the platform's
 * own community; fan #3 hands its AUR votes to fan #2 and takes them back; a bad address is refused
 * before anything reaches the chain; the community page's first load stays within its request budget.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connectDevAccount, openBrowser, startCoterie, type BrowserSession, type Coterie } from "./harness.ts";
import {
  createCommunities,
  delegateRefusesAddress,
  delegateTo,
  delegateToSelf,
  exploreFindsNothing,
  exploreLoadsMore,
  exploreShowsCommunity,
  measureCommunityFirstLoad,
  rawAmount,
} from "./steps/hold.ts";

describe("explore and hold", () => {
  let coterie: Coterie;
  let session: BrowserSession;
  let token: string;
  beforeAll(async () => {
    coterie = await startCoterie();
    session = await openBrowser(coterie);
    token = coterie.demo.community.token;
  });
  afterAll(async () => {
    await session?.close();
    await coterie?.stop();
  });
  const ctx = () => ({ coterie, session });

  describe("explore", () => {
    it("lists the demo community with its verified badge, found by name", async () => {
      const found = await exploreShowsCommunity(ctx(), { name: coterie.demo.community.name, verified: true });
      expect(found.toLowerCase()).toBe(token.toLowerCase());
    });
    it("lists the platform's own community without a verified badge, marked as the platform DAO", async () => {
      await exploreShowsCommunity(ctx(), { name: "Coterie", verified: false });
      const card = session.page.getByTestId("community-card").filter({ hasText: "Platform DAO" });
      expect(await card.count()).toBe(1);
    });
    it("finds a community by its symbol, ignoring case", async () => {
      await session.page.getByTestId("explore-search").fill(coterie.demo.community.symbol.toLowerCase());
      const cards = session.page.getByTestId("community-card");
      await cards.first().waitFor();
      expect(await cards.count()).toBe(1);
      expect((await cards.first().getAttribute("data-token"))?.toLowerCase()).toBe(token.toLowerCase());
    });
    it("shows an empty state when no community matches", async () => {
      await exploreFindsNothing(ctx(), "no such community");
    });
  });

  describe("hold tab", () => {
    it("shows the token facts and a prompt to connect before a wallet is connected", async () => {
      await session.page.goto(`${coterie.appUrl}/c/${token}`);
      await session.page.getByTestId("hold-connect").waitFor();
      expect(await rawAmount(session, "total-supply")).toBeGreaterThan(0n);
      expect(await rawAmount(session, "treasury-eth")).toBeGreaterThan(0n);
      await session.screenshot("hold-not-connected");
    });

    it("fan #3 delegates to fan #2, whose voting power then includes fan #3's balance", async () => {
      await connectDevAccount(session.page, coterie, 3);
      await session.page.getByTestId("hold-balance").waitFor();
      expect(await session.page.getByTestId("hold-delegate").innerText()).toContain("yourself");
      const fan3Balance = await rawAmount(session, "hold-balance");
      await delegateTo(ctx(), token, coterie.accounts[2]);
      expect(await rawAmount(session, "hold-votes")).toBe(0n);

      await connectDevAccount(session.page, coterie, 2);
      await session.page.getByTestId("hold-balance").waitFor();
      const fan2Balance = await rawAmount(session, "hold-balance");
      expect(await rawAmount(session, "hold-votes")).toBe(fan2Balance + fan3Balance);
      await session.screenshot("hold-delegate-received");
    });

    it("refuses an invalid, a mis-checksummed and the current delegate's address next to the field, sending nothing", async () => {
      await connectDevAccount(session.page, coterie, 3);
      expect(await delegateRefusesAddress(ctx(), token, "0x1234")).toContain("Not an address");
      const mixed = coterie.accounts[4].replace(/^0x/, "").replace(/[a-f]/, (c) => c.toUpperCase());
      expect(await delegateRefusesAddress(ctx(), token, `0x${mixed}`)).toContain("checksum");
      expect(await delegateRefusesAddress(ctx(), token, coterie.accounts[2])).toContain("already");
    });

    it("fan #3 takes its votes back with one click", async () => {
      await delegateToSelf(ctx(), token);
    });

    it("loads the community page with a connected account in at most 6 JSON-RPC requests", async () => {
      const { requests, methods } = await measureCommunityFirstLoad(ctx(), token);
      console.log(`community first load: ${requests} requests: ${methods.join(", ")}`);
      expect(requests).toBeLessThanOrEqual(6);
    });
  });

  describe("at 375px", () => {
    it("shows explore and the hold tab on a phone-sized screen", async () => {
      const phone = await openBrowser(coterie, { width: 375, height: 800 });
      try {
        const small = { coterie, session: phone };
        await exploreShowsCommunity(small, { name: coterie.demo.community.name, verified: true });
        await phone.page.goto(`${coterie.appUrl}/c/${token}`);
        await connectDevAccount(phone.page, coterie, 4);
        await phone.page.getByTestId("hold-balance").waitFor();
        const overflow = await phone.page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
        expect(overflow).toBeLessThanOrEqual(0);
        await phone.screenshot("hold-phone");
      } finally {
        await phone.close();
      }
    });
  });

  describe("explore paging", () => {
    it("shows the newest 24 communities first and the older ones after Load more", async () => {
      // Last in the file: afterwards Aurora Fans is no longer on the first page.
      // 2 seeded (the platform's and Aurora Fans) + 24 new: the first page ends before the two oldest.
      await createCommunities(coterie, 24);
      await exploreLoadsMore(ctx(), { total: 26, newest: "Paging 24" });
    });
  });
});
