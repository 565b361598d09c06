/**
 * Issue 14 in a real browser: "a fan with 0 ETH joins through a friend's link, votes and claims; the
 * friend claims the referral bonus; neither pays gas". The fan is a brand-new key (0 ETH) connected
 * through the dev connector's test key; the friend is dev account #6 (no tokens, no part in the
 * seed). Every on-chain effect is read straight from the node; ETH balances are compared before and
 * after to prove nobody but the server's sponsor paid gas.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getAddress, type Address } from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { openBrowser, startCoterie, type BrowserSession, type Coterie } from "./harness.ts";
import { balanceOf } from "./steps/earn.ts";
import {
  claimReferralForFree,
  connectDev,
  connectKey,
  ethBalance,
  hasVoted,
  joinForFree,
  makeJoinReady,
  openVoting,
  proposeOnChain,
  serverUrlOf,
  unclaimedBonus,
  voteForFree,
  type StepContext,
} from "./steps/server.ts";

const CREATOR = 1; // the demo community's creator: its vault's operator
const PROPOSER = 2; // fan 1 of the seed: 10,000 AUR, over the proposal threshold
const FRIEND = 6;

describe("free actions through the Coterie server", () => {
  let coterie: Coterie;
  let session: BrowserSession;
  let ctx: StepContext;
  let token: Address;

  beforeAll(async () => {
    coterie = await startCoterie();
    session = await openBrowser(coterie);
    ctx = { coterie, session };
    token = getAddress(coterie.demo.community.token);
  });
  afterAll(async () => {
    await session?.close();
    await coterie?.stop();
  });

  it("a fan with 0 ETH joins through a friend's link, votes and claims; the friend claims the referral bonus; neither pays gas", async () => {
    const { page } = session;
    const serverUrl = await serverUrlOf(coterie);
    const health = (await (await fetch(`${serverUrl}/health`)).json()) as { ok: boolean; sponsor: string };
    expect(health.ok).toBe(true);
    const sponsorBefore = await ethBalance(coterie, health.sponsor);

    // The creator lets the server welcome fans (joins on, the server's key as the vault's attester).
    await makeJoinReady(ctx, { token, operator: CREATOR });

    const key = generatePrivateKey();
    const fan = privateKeyToAccount(key).address;
    const friend = getAddress(coterie.accounts[FRIEND]);
    const friendEthBefore = await ethBalance(coterie, friend);
    expect(await ethBalance(coterie, fan)).toBe(0n);

    // The friend's link, opened by the fan.
    await page.goto(`${coterie.appUrl}/c/${token}?ref=${friend}`);
    await connectKey(ctx, key, fan);
    const welcome = await joinForFree(ctx, { friend });
    expect(welcome).toBeGreaterThan(0n);
    expect(await balanceOf(coterie, token, fan)).toBe(welcome);
    expect(await ethBalance(coterie, fan)).toBe(0n);
    expect(await page.getByTestId("join-referred-by").innerText()).toContain(friend.slice(0, 6));
    const bonus = await unclaimedBonus(coterie, coterie.demo.rewardVault, friend);
    expect(bonus).toBeGreaterThan(0n);

    // A proposal made after the join: the fan's tokens count at its snapshot.
    const governor = coterie.demo.community.governor;
    const proposalId = await proposeOnChain(coterie, { governor, as: PROPOSER, description: "# Free votes\n\nA proposal the new fan votes on without ETH." });
    await openVoting(coterie, { governor, proposalId });
    await voteForFree(ctx, { token, proposalId, voter: fan, reason: "Voting without ETH" });
    expect(await hasVoted(coterie, governor, proposalId, fan)).toBe(true);
    expect(await ethBalance(coterie, fan)).toBe(0n);

    // The friend claims the referral bonus for free.
    await connectDev(ctx, FRIEND);
    const friendTokensBefore = await balanceOf(coterie, token, friend);
    await claimReferralForFree(ctx, token);
    expect(await balanceOf(coterie, token, friend)).toBe(friendTokensBefore + bonus);
    expect(await unclaimedBonus(coterie, coterie.demo.rewardVault, friend)).toBe(0n);
    expect(await ethBalance(coterie, friend)).toBe(friendEthBefore);

    // Only the sponsor paid gas.
    expect(await ethBalance(coterie, health.sponsor)).toBeLessThan(sponsorBefore);
  });
});
