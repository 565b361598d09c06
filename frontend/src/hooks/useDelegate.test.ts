import { describe, expect, it } from "vitest";
import { getAddress, zeroAddress } from "viem";
import { checkDelegateInput, delegateKind, votesFromOthers } from "./useDelegate.ts";

const me = getAddress("0x90f79bf6eb2c4f870365e785982e1f101e93b906");
const friend = getAddress("0x3c44cdddb6a900fa2b585dd299e03d12fa4293bc");

describe("useDelegate", () => {
  describe("delegateKind", () => {
    it("calls an account that delegates to itself self-delegated, whatever the address case", () => {
      expect(delegateKind(me, me)).toBe("self");
      expect(delegateKind(me, me.toLowerCase() as `0x${string}`)).toBe("self");
    });
    it("calls the zero address an opt-out of voting", () => {
      expect(delegateKind(zeroAddress, me)).toBe("none");
      expect(delegateKind(zeroAddress, me, 5n)).toBe("none");
      // Issue 11 item 7: the token reports no delegate for a never-holder, who votes with its own
      // tokens once it holds some.
      expect(delegateKind(zeroAddress, me, 0n)).toBe("self");
    });
    it("calls any other address another delegate", () => {
      expect(delegateKind(friend, me)).toBe("other");
    });
  });

  describe("votesFromOthers", () => {
    it("counts the votes beyond a self-delegated holder's own balance", () => {
      expect(votesFromOthers({ account: me, balance: 100n, votes: 250n, delegate: me })).toBe(150n);
    });
    it("counts all votes when the holder's own votes went elsewhere", () => {
      expect(votesFromOthers({ account: me, balance: 100n, votes: 40n, delegate: friend })).toBe(40n);
    });
    it("is zero when nobody delegated to the holder", () => {
      expect(votesFromOthers({ account: me, balance: 100n, votes: 100n, delegate: me })).toBe(0n);
      expect(votesFromOthers({ account: me, balance: 100n, votes: 0n, delegate: zeroAddress })).toBe(0n);
    });
  });

  describe("checkDelegateInput", () => {
    it("accepts a valid address and returns it checksummed", () => {
      expect(checkDelegateInput(` ${friend.toLowerCase()} `, me)).toEqual({ ok: true, value: friend });
    });
    it("refuses an empty field", () => {
      expect(checkDelegateInput("", me)).toEqual({ ok: false, error: "Enter an address." });
    });
    it("refuses text that is not an address", () => {
      const r = checkDelegateInput("0x1234", me);
      expect(r.ok).toBe(false);
    });
    it("refuses an address with a wrong checksum", () => {
      const broken = friend.replace(/[a-f]/, (c) => c.toUpperCase());
      expect(checkDelegateInput(broken, me)).toEqual({ ok: false, error: "This address has a wrong checksum (a typo?)." });
    });
    it("refuses the zero address (opting out is not a delegation)", () => {
      expect(checkDelegateInput(zeroAddress, me).ok).toBe(false);
    });
    it("refuses the address that already holds the votes", () => {
      expect(checkDelegateInput(friend, friend)).toEqual({ ok: false, error: "Your votes already go to this address." });
    });
  });
});
