import { describe, expect, it } from "vitest";
import { formatAmount, formatBps, formatDate, formatDuration, formatRelative, formatShare, formatVotes, shortAddress } from "./format.ts";

describe("format", () => {
  describe("formatAmount", () => {
    it("shows whole tokens with thousands separators and the unit", () => {
      expect(formatAmount(1_234_567n * 10n ** 18n, 18, "AUR")).toBe("1,234,567 AUR");
    });

    it("cuts the fraction to four digits and drops trailing zeros", () => {
      expect(formatAmount(1_500_000_000_000_000_000n, 18, "AUR")).toBe("1.5 AUR");
      expect(formatAmount(1_234_567_890_000_000_000n, 18)).toBe("1.2345");
      expect(formatAmount(10n ** 18n, 18)).toBe("1");
    });

    it("honours a different number of fraction digits", () => {
      expect(formatAmount(1_234_567_890_000_000_000n, 18, "ETH", 2)).toBe("1.23 ETH");
      expect(formatAmount(1_999_000n, 6, "USDC", 0)).toBe("1 USDC");
    });

    it("shows a tiny non-zero amount as less than the smallest shown digit, never as 0", () => {
      expect(formatAmount(1n, 18, "AUR")).toBe("< 0.0001 AUR");
      expect(formatAmount(0n, 18, "AUR")).toBe("0 AUR");
    });

    it("keeps the sign of a negative amount", () => {
      expect(formatAmount(-2_500_000n, 6, "USDC")).toBe("-2.5 USDC");
    });

    it("works for tokens with other decimals", () => {
      expect(formatAmount(1_000_001n, 6)).toBe("1");
      expect(formatAmount(123_456_789n, 2)).toBe("1,234,567.89");
      expect(formatAmount(5n, 0, "PTS")).toBe("5 PTS");
    });
  });

  describe("shortAddress", () => {
    it("keeps the first six and the last four characters", () => {
      expect(shortAddress("0x70997970C51812dc3A010C7d01b50e0d17dc79C8")).toBe("0x7099…79C8");
    });

    it("leaves short strings alone", () => {
      expect(shortAddress("0x1234")).toBe("0x1234");
    });
  });

  describe("formatBps", () => {
    it("shows basis points as a percentage without needless decimals", () => {
      expect(formatBps(400)).toBe("4%");
      expect(formatBps(1_234n)).toBe("12.34%");
      expect(formatBps(1_050)).toBe("10.5%");
      expect(formatBps(1)).toBe("0.01%");
      expect(formatBps(10_000)).toBe("100%");
    });
  });

  describe("formatShare", () => {
    it("shows a part of a whole with one decimal, rounded down", () => {
      expect(formatShare(1n, 3n)).toBe("33.3%");
      expect(formatShare(2n, 3n)).toBe("66.6%");
      expect(formatShare(5n, 5n)).toBe("100.0%");
    });

    it("is 0.0% of nothing", () => {
      expect(formatShare(5n, 0n)).toBe("0.0%");
    });
  });

  describe("formatDuration", () => {
    it("names the two largest units", () => {
      expect(formatDuration(2 * 86_400 + 3 * 3_600 + 59)).toBe("2d 3h");
      expect(formatDuration(4 * 3_600 + 5 * 60)).toBe("4h 5m");
      expect(formatDuration(6 * 60 + 7)).toBe("6m 7s");
      expect(formatDuration(8n)).toBe("8s");
    });

    it("never goes below zero", () => {
      expect(formatDuration(-30)).toBe("0s");
    });
  });

  describe("formatRelative", () => {
    it("says in how long a future time comes and how long ago a past time was, in chain time", () => {
      expect(formatRelative(1_000n + 3_600n, 1_000n)).toBe("in 1h 0m");
      expect(formatRelative(1_000, 1_000 + 90)).toBe("1m 30s ago");
      expect(formatRelative(50, 50)).toBe("in 0s");
    });
  });

  describe("formatDate", () => {
    it("shows a unix time as a day, month, year and time", () => {
      expect(formatDate(1_767_225_600n)).toMatch(/^\d{1,2} [A-Z][a-z]{2} 20(25|26),? \d{2}:\d{2}$/);
    });
  });
});

describe("formatVotes (issue 11 item 17)", () => {
  it("words voting power as votes, never the token symbol", () => {
    expect(formatVotes(10n ** 21n, 18)).toBe("1,000 votes");
    expect(formatVotes(10n ** 18n, 18)).toBe("1 vote");
    expect(formatVotes(0n, 18)).toBe("0 votes");
  });
});
