/**
 * shared/funding.ts on its own (run by the web app's vitest, which includes ../shared). Its results
 * against a deployed Crowdfund are test/funding-maths.test.ts.
 */
import { describe, expect, it } from "vitest";
import { parseEther } from "viem";
import {
  bonusFor,
  crowdfundStateName,
  exactPrice,
  feeFor,
  MAX_UINT128,
  mintedFor,
  pricePerWholeUnit,
  remainingUnderCap,
  tokensFor,
} from "./funding.ts";

describe("shared funding maths", () => {
  describe("token math", () => {
    it("rounds the bought tokens and the referral bonus down as the contract does", () => {
      const price = 1000n * 10n ** 18n;
      expect(tokensFor(1n, 3n)).toBe(0n);
      expect(tokensFor(parseEther("1.5"), price)).toBe(parseEther("1500"));
      expect(bonusFor(parseEther("1"), price, 500n)).toBe(parseEther("50"));
      expect(bonusFor(1n, 1n, 500n)).toBe(0n);
    });
    it("counts the room under the cap, and the contract's bound when there is no cap", () => {
      expect(remainingUnderCap(parseEther("10"), parseEther("2.5"))).toBe(parseEther("7.5"));
      expect(remainingUnderCap(parseEther("10"), parseEther("10"))).toBe(0n);
      expect(remainingUnderCap(0n, 0n)).toBe((1n << 128n) - 1n);
      expect(remainingUnderCap(0n, 0n)).toBe(MAX_UINT128);
    });
    it("mints the tokens for everything raised plus the bonus on what was referred, and takes the fee rounded down", () => {
      const price = 1000n * 10n ** 18n;
      expect(mintedFor(parseEther("2"), parseEther("1"), price, 500n)).toBe(parseEther("2050"));
      expect(feeFor(parseEther("1"), 250n)).toBe(parseEther("0.025"));
      expect(feeFor(39n, 250n)).toBe(0n);
    });
  });

  describe("states", () => {
    it("names the states by the number state() returns, and nothing else", () => {
      expect([0, 1, 2, 3].map(crowdfundStateName)).toEqual(["Active", "Ended", "Succeeded", "Failed"]);
      expect(crowdfundStateName(3n)).toBe("Failed");
      expect(crowdfundStateName(4)).toBeUndefined();
    });
  });

  describe("exact price conversion", () => {
    it("converts tokens per whole payment unit into the contract's price, exactly", () => {
      expect(exactPrice("1000", 18, 18)).toEqual({ ok: true, price: 1000n * 10n ** 18n });
      expect(exactPrice("1.50", 18, 6)).toEqual({ ok: true, price: 15n * 10n ** 29n });
      expect(exactPrice(".5", 18, 18)).toEqual({ ok: true, price: 5n * 10n ** 17n });
      expect(exactPrice("0.100000000000000000000", 18, 18)).toEqual({ ok: true, price: 10n ** 17n });
      // Fewer places than the fraction has zeros: a whole multiple of the contract's unit.
      expect(exactPrice("1000", 0, 21)).toEqual({ ok: true, price: 1n });
    });
    it("names why a price is refused: not a decimal, zero, or finer than the contract's unit", () => {
      expect(exactPrice("-5", 18, 18)).toEqual({ ok: false, reason: "not-decimal" });
      expect(exactPrice("1,000", 18, 18)).toEqual({ ok: false, reason: "not-decimal" });
      expect(exactPrice("0.000", 18, 18)).toEqual({ ok: false, reason: "zero" });
      expect(exactPrice("0.1234567", 0, 12)).toEqual({ ok: false, reason: "too-precise", maxDecimals: 6 });
      expect(exactPrice("1.5", 0, 36)).toEqual({ ok: false, reason: "too-precise", maxDecimals: -18 });
    });
    it("reads the price back as tokens per whole payment unit", () => {
      expect(pricePerWholeUnit(15n * 10n ** 29n, 18, 6)).toEqual({ value: 15n * 10n ** 35n, decimals: 36 });
    });
  });
});
