/**
 * Launching a community from /launch on the seeded chain: bad input is refused next to its fields
 * with nothing sent; a fresh account (#13) launches "E2E Launch" and lands on its page, where it is
 * the creator; the same values again are refused before signing (FactorySaltUsed). The form is also
 * checked at phone width.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openBrowser, startCoterie, type BrowserSession, type Coterie } from "./harness.ts";
import { launchCommunity, launchRefusesBadInput, launchRefusesSameValuesTwice, openLaunchPage } from "./steps/launch.ts";

const CREATOR = 13;
const E2E = { name: "E2E Launch", symbol: "E2E", cap: "5000000", allocation: "250000", preset: "quick" as const, as: CREATOR };

describe("launch a community", () => {
  let coterie: Coterie;
  let session: BrowserSession;
  beforeAll(async () => {
    coterie = await startCoterie();
    session = await openBrowser(coterie);
  });
  afterAll(async () => {
    await session?.close();
    await coterie?.stop();
  });
  const ctx = () => ({ coterie, session });

  it("refuses an empty name, a symbol with a space and an allocation above the cap, sending nothing", async () => {
    await launchRefusesBadInput(ctx(), CREATOR);
  });

  it("launches E2E Launch as a fresh account and opens its page at the predicted address", async () => {
    const { token, communityId } = await launchCommunity(ctx(), E2E);
    expect(token).toMatch(/^0x[0-9a-fA-F]{40}$/);
    expect(communityId).toBeGreaterThan(BigInt(coterie.demo.community.id));
    // The creator sees the creator console tab on the new community.
    await session.page.getByTestId("tab-creator").waitFor();
  });

  it("refuses the same name and symbol again before anything is signed", async () => {
    await launchRefusesSameValuesTwice(ctx(), E2E);
  });

  it("fits a phone screen", async () => {
    const phone = await openBrowser(coterie, { width: 375, height: 812 });
    try {
      await openLaunchPage({ coterie, session: phone }, CREATOR);
      await phone.page.getByTestId("launch-advanced").click();
      const overflow = await phone.page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      expect(overflow).toBeLessThanOrEqual(0);
      await phone.screenshot("launch-phone");
    } finally {
      await phone.close();
    }
  });
});
