import { afterEach, describe, expect, it } from "vitest";
import { referralLink, rememberReferrer, rememberedReferrer } from "./referral.ts";

const TOKEN = "0x5FbDB2315678afecb367f032d93F642f64180aa3";
const OTHER_TOKEN = "0xe7f1725E7734CE288F8367e1Bb143E90bb3F0512";
const ALICE = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8";
const BOB = "0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC";

afterEach(() => localStorage.clear());

describe("referral", () => {
  describe("rememberReferrer", () => {
    it("remembers a valid ?ref= for the community, checksummed", () => {
      rememberReferrer(TOKEN, new URLSearchParams({ ref: ALICE.toLowerCase() }));
      expect(rememberedReferrer(TOKEN)).toBe(ALICE);
    });

    it("keeps the referrer per community, whatever the token address's case", () => {
      rememberReferrer(TOKEN, new URLSearchParams({ ref: ALICE }));
      expect(rememberedReferrer(TOKEN.toLowerCase())).toBe(ALICE);
      expect(rememberedReferrer(OTHER_TOKEN)).toBeNull();
    });

    it("ignores a missing, invalid or zero referrer and keeps the earlier one", () => {
      rememberReferrer(TOKEN, new URLSearchParams({ ref: ALICE }));
      rememberReferrer(TOKEN, new URLSearchParams());
      rememberReferrer(TOKEN, new URLSearchParams({ ref: "bob.eth" }));
      rememberReferrer(TOKEN, new URLSearchParams({ ref: "0x0000000000000000000000000000000000000000" }));
      expect(rememberedReferrer(TOKEN)).toBe(ALICE);
    });

    it("lets a later valid link replace the referrer", () => {
      rememberReferrer(TOKEN, new URLSearchParams({ ref: ALICE }));
      rememberReferrer(TOKEN, new URLSearchParams({ ref: BOB }));
      expect(rememberedReferrer(TOKEN)).toBe(BOB);
    });
  });

  describe("rememberedReferrer", () => {
    it("never offers a fan as their own referrer", () => {
      rememberReferrer(TOKEN, new URLSearchParams({ ref: ALICE }));
      expect(rememberedReferrer(TOKEN, ALICE.toLowerCase() as `0x${string}`)).toBeNull();
      expect(rememberedReferrer(TOKEN, BOB)).toBe(ALICE);
    });

    it("ignores a stored value that is not an address", () => {
      localStorage.setItem(`coterie.ref.${TOKEN.toLowerCase()}`, "garbage");
      expect(rememberedReferrer(TOKEN)).toBeNull();
    });
  });

  describe("referralLink", () => {
    it("links to the community page with the referrer, both checksummed, without a double slash", () => {
      expect(referralLink("http://127.0.0.1:5173/", TOKEN.toLowerCase(), BOB.toLowerCase() as `0x${string}`)).toBe(
        `http://127.0.0.1:5173/c/${TOKEN}?ref=${BOB}`,
      );
    });
  });
});
