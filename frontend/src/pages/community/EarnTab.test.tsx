/** The referral card says exactly what the link does (issue 11 item 13). */
import { afterEach, describe, expect, it } from "vitest";
import { cleanup, render, screen } from "@testing-library/react";
import { ReferralTerms } from "./EarnTab.tsx";

afterEach(cleanup);

describe("ReferralTerms", () => {
  it("promises the crowdfund referral bonus and says the link earns nothing on reward claims", () => {
    render(<ReferralTerms vault={{ referralBps: 1_000n }} />);
    const text = screen.getByTestId("referral-terms").textContent ?? "";
    expect(text).toContain("contributes to one of this community's crowdfunds names you as referrer");
    expect(text).toContain("that crowdfund's referral bonus");
    expect(text).toContain("the link earns you nothing on reward claims");
    expect(text).toContain("10% referral bonus goes to the referrer named in a fan's voucher");
    // The old promise, which the link could not keep.
    expect(text).not.toMatch(/come through it and redeem a reward/);
  });
});
