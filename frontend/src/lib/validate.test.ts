import { describe, expect, it } from "vitest";
import { checkAddress, checkAmount, checkDeadline, checkInteger, checkText } from "./validate.ts";

const ALICE = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8";

describe("validate", () => {
  describe("checkAddress", () => {
    it("accepts a checksummed or all-lower-case address and returns it checksummed", () => {
      expect(checkAddress(ALICE)).toEqual({ ok: true, value: ALICE });
      expect(checkAddress(` ${ALICE.toLowerCase()} `)).toEqual({ ok: true, value: ALICE });
    });

    it("asks for an address when the field is empty, unless it is optional", () => {
      expect(checkAddress("")).toEqual({ ok: false, error: "Enter an address." });
      expect(checkAddress("  ", { optional: true })).toEqual({ ok: true, value: null });
    });

    it("refuses text that is not 0x and 40 hex characters", () => {
      expect(checkAddress("0x1234").ok).toBe(false);
      expect(checkAddress("alice.eth")).toEqual({ ok: false, error: "Not an address: expected 0x followed by 40 hex characters." });
    });

    it("refuses a mixed-case address with a wrong checksum (a typo)", () => {
      const typo = ALICE.replace("C5", "c5");
      expect(checkAddress(typo)).toEqual({ ok: false, error: "This address has a wrong checksum (a typo?)." });
    });

    it("refuses the zero address", () => {
      expect(checkAddress("0x0000000000000000000000000000000000000000")).toEqual({ ok: false, error: "The zero address cannot be used here." });
    });
  });

  describe("checkAmount", () => {
    it("parses a decimal amount in the token's smallest unit", () => {
      expect(checkAmount("1.5", 18)).toEqual({ ok: true, value: 1_500_000_000_000_000_000n });
      expect(checkAmount(" 2 ", 6)).toEqual({ ok: true, value: 2_000_000n });
      expect(checkAmount(".5", 1)).toEqual({ ok: true, value: 5n });
      expect(checkAmount("3.", 2)).toEqual({ ok: true, value: 300n });
    });

    it("accepts underscores as digit separators", () => {
      expect(checkAmount("1_000", 0)).toEqual({ ok: true, value: 1_000n });
    });

    it("asks for an amount when the field is empty", () => {
      expect(checkAmount("", 18)).toEqual({ ok: false, error: "Enter an amount." });
    });

    it("refuses a negative amount", () => {
      expect(checkAmount("-1", 18)).toEqual({ ok: false, error: "The amount cannot be negative." });
    });

    it("refuses text that is not a plain decimal number", () => {
      for (const text of ["abc", "1e18", "1.2.3", "1,5", ".", "0x10"]) {
        expect(checkAmount(text, 18)).toEqual({ ok: false, error: "Enter a number, like 1.5." });
      }
    });

    it("refuses an amount with more decimals than the token", () => {
      expect(checkAmount("1.1234567", 6, { symbol: "USDC" })).toEqual({ ok: false, error: "At most 6 decimal places for USDC." });
      expect(checkAmount("0.5", 0)).toEqual({ ok: false, error: "At most 0 decimal places." });
      expect(checkAmount("0.15", 1)).toEqual({ ok: false, error: "At most 1 decimal place." });
    });

    it("refuses zero unless zero is allowed", () => {
      expect(checkAmount("0.000", 18)).toEqual({ ok: false, error: "The amount must be more than zero." });
      expect(checkAmount("0", 18, { allowZero: true })).toEqual({ ok: true, value: 0n });
    });

    it("refuses an amount below the minimum or above the maximum (the balance)", () => {
      expect(checkAmount("1", 0, { min: 2n })).toEqual({ ok: false, error: "The amount is below the minimum." });
      expect(checkAmount("11", 0, { max: 10n })).toEqual({ ok: false, error: "The amount is more than you have." });
      expect(checkAmount("10", 0, { max: 10n })).toEqual({ ok: true, value: 10n });
    });
  });

  describe("checkInteger", () => {
    it("accepts a whole number within the range", () => {
      expect(checkInteger(" 7 ", 0, 10)).toEqual({ ok: true, value: 7 });
      expect(checkInteger("0", 0, 10)).toEqual({ ok: true, value: 0 });
    });

    it("refuses decimals, signs and text", () => {
      for (const text of ["1.5", "-1", "+1", "ten", ""]) expect(checkInteger(text, -5, 10)).toEqual({ ok: false, error: "Enter a whole number." });
    });

    it("names the range and its unit when the number is outside it", () => {
      expect(checkInteger("31", 1, 30, "days")).toEqual({ ok: false, error: "Between 1 and 30 days." });
    });
  });

  describe("checkDeadline", () => {
    const now = BigInt(Date.parse("2030-01-01T00:00:00Z") / 1000);

    it("accepts a time after now (chain time) as unix seconds", () => {
      expect(checkDeadline("2030-01-02T00:00:00Z", now)).toEqual({ ok: true, value: now + 86_400n });
    });

    it("refuses an empty or unreadable date", () => {
      expect(checkDeadline("", now)).toEqual({ ok: false, error: "Choose a date and time." });
      expect(checkDeadline("next week", now)).toEqual({ ok: false, error: "Not a valid date and time." });
    });

    it("refuses a deadline in the past or exactly now", () => {
      expect(checkDeadline("2029-12-31T00:00:00Z", now)).toEqual({ ok: false, error: "The deadline is in the past." });
      expect(checkDeadline("2030-01-01T00:00:00Z", now)).toEqual({ ok: false, error: "The deadline is in the past." });
    });

    it("refuses a deadline further away than the maximum", () => {
      expect(checkDeadline("2030-03-01T00:00:00Z", now, { maxSeconds: 30 * 86_400 })).toEqual({ ok: false, error: "At most 30 days from now." });
    });
  });

  describe("checkText", () => {
    it("trims and accepts text up to the limit", () => {
      expect(checkText("  hello ", 5)).toEqual({ ok: true, value: "hello" });
    });

    it("refuses empty or too long text, naming the field", () => {
      expect(checkText(" ", 5, "The title")).toEqual({ ok: false, error: "The title cannot be empty." });
      expect(checkText("toolong", 5)).toEqual({ ok: false, error: "This field is longer than 5 characters." });
    });
  });
});
