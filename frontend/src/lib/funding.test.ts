import { describe, expect, it } from "vitest";
import { keccak256, parseEther, parseUnits, toHex, zeroAddress } from "viem";
import {
  checkContribution,
  checkDeposit,
  checkPrice,
  checkReferralPercent,
  checkReferrer,
  crowdfundPhase,
  ETH_ASSET,
  formatPrice,
  grantProposalHref,
  MAX_DEPOSIT,
  MINTER_ROLE,
  planCrowdfund,
  REVENUE_ROLE,
  toDatetimeLocal,
  tokensFor,
  type AssetInfo,
  type CrowdfundForm,
} from "./funding.ts";

const AUR = { symbol: "AUR", decimals: 18 };
const USDC: AssetInfo = { address: "0x1111111111111111111111111111111111111111", symbol: "USDC", decimals: 6 };
const ME = "0x2222222222222222222222222222222222222222" as const;
const FRIEND = "0x3333333333333333333333333333333333333333" as const;

describe("funding", () => {
  describe("roles", () => {
    it("names the token's roles by their keccak256 as the contracts do", () => {
      expect(MINTER_ROLE).toBe(keccak256(toHex("MINTER_ROLE")));
      expect(REVENUE_ROLE).toBe(keccak256(toHex("REVENUE_ROLE")));
    });
  });

  describe("price", () => {
    it("converts 1,000 tokens per ETH into the contract's price per 10^18 payment units", () => {
      expect(checkPrice("1000", 18, 18)).toEqual({ ok: true, value: 1000n * 10n ** 18n });
    });
    it("scales the price by the payment token's decimals (1 AUR per USDC)", () => {
      // 1 USDC (10^6 units) buys 10^18 AUR units: price = 10^18 * 10^18 / 10^6.
      const price = checkPrice("1", 18, 6);
      expect(price).toEqual({ ok: true, value: 10n ** 30n });
      if (price.ok) expect(tokensFor(parseUnits("2.5", 6), price.value)).toBe(parseEther("2.5"));
    });
    it("accepts a fractional price and buys the right amount", () => {
      const price = checkPrice("0.5", 18, 18);
      expect(price.ok && tokensFor(parseEther("3"), price.value)).toBe(parseEther("1.5"));
    });
    it("refuses a zero, negative or non-numeric price", () => {
      expect(checkPrice("0", 18, 18).ok).toBe(false);
      expect(checkPrice("-5", 18, 18).ok).toBe(false);
      expect(checkPrice("abc", 18, 18).ok).toBe(false);
      expect(checkPrice("", 18, 18).ok).toBe(false);
    });
    it("refuses a price more precise than the contract's unit", () => {
      // token with 0 decimals, paid in a 36-decimal token: at most -18 decimal places.
      expect(checkPrice("1.5", 0, 36)).toEqual({ ok: false, error: "This price is too precise for the contract." });
      expect(checkPrice("0.1234567", 0, 12)).toEqual({ ok: false, error: "At most 6 decimal places." });
    });
    it("refuses a price of 2^128 units or more", () => {
      expect(checkPrice("1" + "0".repeat(30), 18, 18).ok).toBe(false);
    });
    it("shows the price as tokens per whole payment unit", () => {
      expect(formatPrice(1000n * 10n ** 18n, AUR, ETH_ASSET)).toBe("1,000 AUR per ETH");
      expect(formatPrice(10n ** 30n, AUR, USDC)).toBe("1 AUR per USDC");
      expect(formatPrice(5n * 10n ** 17n, AUR, ETH_ASSET)).toBe("0.5 AUR per ETH");
    });
  });

  describe("checkContribution", () => {
    const eth = (text: string, remaining: bigint | null = null, balance: bigint | null = parseEther("100")) =>
      checkContribution(text, { asset: ETH_ASSET, remaining, balance });
    it("accepts a positive amount in the payment asset's units", () => {
      expect(eth("0.25")).toEqual({ ok: true, value: parseEther("0.25") });
      expect(checkContribution("12.5", { asset: USDC, remaining: null })).toEqual({ ok: true, value: 12_500_000n });
    });
    it("refuses an amount with more decimals than the payment asset", () => {
      expect(checkContribution("1.0000001", { asset: USDC, remaining: null })).toEqual({ ok: false, error: "At most 6 decimal places for USDC." });
      expect(eth("0.0000000000000000001").ok).toBe(false);
    });
    it("refuses zero and negative amounts", () => {
      expect(eth("0")).toEqual({ ok: false, error: "The amount must be more than zero." });
      expect(eth("-1")).toEqual({ ok: false, error: "The amount cannot be negative." });
    });
    it("refuses more than is left under the cap", () => {
      expect(eth("8", parseEther("7.5"))).toEqual({ ok: false, error: "Only 7.5 ETH is left under the cap." });
      expect(eth("7.5", parseEther("7.5")).ok).toBe(true);
    });
    it("refuses more than the contributor's balance", () => {
      expect(eth("101")).toEqual({ ok: false, error: "You have 100 ETH." });
    });
  });

  describe("checkReferrer", () => {
    it("accepts an empty referrer as none", () => {
      expect(checkReferrer("", ME)).toEqual({ ok: true, value: null });
    });
    it("accepts another address", () => {
      expect(checkReferrer(FRIEND, ME)).toEqual({ ok: true, value: FRIEND });
    });
    it("refuses the contributor itself, whatever the case", () => {
      expect(checkReferrer(ME.toUpperCase().replace("0X", "0x"), ME).ok).toBe(false);
    });
    it("refuses an invalid address", () => {
      expect(checkReferrer("0x1234", ME).ok).toBe(false);
    });
  });

  describe("checkReferralPercent", () => {
    it("turns a percentage into basis points", () => {
      expect(checkReferralPercent("5")).toEqual({ ok: true, value: 500 });
      expect(checkReferralPercent("2.5")).toEqual({ ok: true, value: 250 });
      expect(checkReferralPercent("0.01%")).toEqual({ ok: true, value: 1 });
      expect(checkReferralPercent("0")).toEqual({ ok: true, value: 0 });
    });
    it("refuses more than 100% and finer steps than 0.01%", () => {
      expect(checkReferralPercent("100.5").ok).toBe(false);
      expect(checkReferralPercent("1.005").ok).toBe(false);
      expect(checkReferralPercent("-1").ok).toBe(false);
    });
  });

  describe("checkDeposit", () => {
    it("refuses a deposit of 2^104 units or more", () => {
      expect(checkDeposit((MAX_DEPOSIT + 1n).toString(), { asset: { address: null, symbol: "X", decimals: 0 } }).ok).toBe(false);
    });
    it("refuses more than the depositor holds, and zero", () => {
      expect(checkDeposit("2", { asset: ETH_ASSET, balance: parseEther("1") })).toEqual({ ok: false, error: "You have 1 ETH." });
      expect(checkDeposit("0", { asset: ETH_ASSET, balance: parseEther("1") }).ok).toBe(false);
      // Issue 11 item 4: below the DAO's minimum is refused before anything is sent.
      expect(checkDeposit("0.001", { asset: ETH_ASSET, minimum: parseEther("0.01") })).toEqual({ ok: false, error: "The DAO's minimum deposit is 0.01 ETH." });
      expect(checkDeposit("0.01", { asset: ETH_ASSET, minimum: parseEther("0.01") })).toEqual({ ok: true, value: parseEther("0.01") });
      expect(checkDeposit("0.5", { asset: ETH_ASSET, balance: parseEther("1") })).toEqual({ ok: true, value: parseEther("0.5") });
    });
  });

  describe("crowdfundPhase", () => {
    const base = { goal: parseEther("5"), deadline: 1_000n, minterGranted: true, raised: parseEther("5") };
    it("lets fans contribute while active", () => {
      expect(crowdfundPhase({ ...base, state: "Active" }, 10n)).toEqual({ kind: "active" });
    });
    it("lets anyone finalize an ended crowdfund that reached its goal with minting granted", () => {
      expect(crowdfundPhase({ ...base, state: "Ended" }, 2_000n)).toEqual({ kind: "finalize" });
    });
    it("waits for the DAO's grant until 30 days after the deadline", () => {
      const retryUntil = 1_000n + 30n * 86_400n;
      expect(crowdfundPhase({ ...base, state: "Ended", minterGranted: false }, retryUntil)).toEqual({ kind: "awaiting-approval", retryUntil });
    });
    it("closes as failed once the grace period is over without the grant", () => {
      const retryUntil = 1_000n + 30n * 86_400n;
      expect(crowdfundPhase({ ...base, state: "Ended", minterGranted: false }, retryUntil + 1n)).toEqual({ kind: "close-failed", retryUntil });
    });
    it("opens refunds when the goal was missed, granted or not", () => {
      expect(crowdfundPhase({ ...base, state: "Ended", raised: parseEther("4.99") }, 2_000n)).toEqual({ kind: "missed" });
      expect(crowdfundPhase({ ...base, state: "Ended", raised: 0n, minterGranted: false }, 2_000n)).toEqual({ kind: "missed" });
    });
    it("reports settled crowdfunds as they are", () => {
      expect(crowdfundPhase({ ...base, state: "Succeeded" }, 2_000n)).toEqual({ kind: "succeeded" });
      expect(crowdfundPhase({ ...base, state: "Failed" }, 2_000n)).toEqual({ kind: "failed" });
    });
  });

  describe("planCrowdfund", () => {
    const now = 1_700_000_000n;
    const token = { symbol: "AUR", decimals: 18, totalSupply: parseEther("1000000"), cap: parseEther("10000000") };
    const form = (over: Partial<CrowdfundForm> = {}): CrowdfundForm => ({
      goal: "5",
      cap: "10",
      deadline: toDatetimeLocal(now + 14n * 86_400n),
      price: "1000",
      referral: "5",
      ...over,
    });
    it("turns a valid form into the factory's parameters", () => {
      const result = planCrowdfund(form(), { now, payment: ETH_ASSET, token });
      expect(result.ok).toBe(true);
      if (!result.ok) return;
      expect(result.plan).toMatchObject({
        paymentToken: zeroAddress,
        goal: parseEther("5"),
        cap: parseEther("10"),
        price: 1000n * 10n ** 18n,
        referralBps: 500,
        tokensAtGoal: parseEther("5000"),
        tokensAtCap: parseEther("10500"),
        warning: null,
      });
      // The datetime-local field has minute precision.
      expect(Number(now + 14n * 86_400n - result.plan.deadline)).toBeLessThan(60);
    });
    it("uses the ERC-20's address and decimals", () => {
      const result = planCrowdfund(form({ goal: "5000", cap: "" , price: "1" }), { now, payment: USDC, token });
      expect(result.ok && result.plan).toMatchObject({ paymentToken: USDC.address, goal: 5_000_000_000n, cap: 0n, tokensAtCap: null });
    });
    it("reports each bad field next to it and plans nothing", () => {
      const result = planCrowdfund(form({ goal: "0", cap: "abc", deadline: toDatetimeLocal(now - 3_600n), price: "", referral: "150" }), {
        now,
        payment: ETH_ASSET,
        token,
      });
      expect(result.ok).toBe(false);
      if (result.ok) return;
      expect(Object.keys(result.errors).sort()).toEqual(["cap", "deadline", "goal", "price", "referral"]);
      expect(result.errors.deadline).toBe("The deadline is in the past.");
    });
    it("refuses a cap below the goal", () => {
      const result = planCrowdfund(form({ cap: "4" }), { now, payment: ETH_ASSET, token });
      expect(!result.ok && result.errors.cap).toBe("The cap must be at least the goal.");
    });
    it("refuses a deadline more than 365 days away", () => {
      const result = planCrowdfund(form({ deadline: toDatetimeLocal(now + 400n * 86_400n) }), { now, payment: ETH_ASSET, token });
      expect(!result.ok && result.errors.deadline).toBe("At most 365 days from now.");
    });
    it("refuses a goal whose tokens do not fit under the token's cap", () => {
      const result = planCrowdfund(form({ goal: "10000", cap: "" }), { now, payment: ETH_ASSET, token });
      expect(!result.ok && result.errors.price).toMatch(/could never succeed/);
    });
    it("warns when the cap could mint past the token's cap", () => {
      const result = planCrowdfund(form({ goal: "1", cap: "9000" }), { now, payment: ETH_ASSET, token });
      expect(result.ok && result.plan.warning).toMatch(/finalize would then fail/);
    });
    it("refuses more decimals than the payment asset has", () => {
      const result = planCrowdfund(form({ goal: "1.1234567" }), { now, payment: USDC, token });
      expect(!result.ok && result.errors.goal).toBe("At most 6 decimal places for USDC.");
    });
  });

  describe("links", () => {
    it("links to the grant proposal template with exactly the template and target", () => {
      expect(grantProposalHref("0x4444444444444444444444444444444444444444", "grant-minter", FRIEND)).toBe(
        `/c/0x4444444444444444444444444444444444444444/propose?template=grant-minter&target=${FRIEND}`,
      );
    });
  });
});
