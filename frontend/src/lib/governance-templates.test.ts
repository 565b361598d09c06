import { describe, expect, it } from "vitest";
import { decodeFunctionData, parseEther, type Address } from "viem";
import { communityFactoryAbi, rewardVaultAbi, socialTokenAbi } from "../generated/abis.ts";
import { ROLES } from "./governance-actions.ts";
import { availableTemplates, checkPercent, TEMPLATES, type TemplateContext } from "./governance-templates.ts";

const a = (n: number) => `0x${n.toString(16).padStart(40, "0")}` as Address;
const TOKEN = a(0x70);
const TIMELOCK = a(0x72);
const VAULT = a(0x73);
const SHARE = a(0x74);
const FACTORY = a(0x80);
const FAN = "0x90F79bf6EB2c4f870365E785982E1f101E93b906";
const CROWDFUND = a(0x99);

const base: TemplateContext = {
  community: {
    name: "Aurora Fans",
    symbol: "AUR",
    decimals: 18,
    token: TOKEN,
    timelock: TIMELOCK,
    rewardVault: VAULT,
    revenueShare: SHARE,
    treasuryEth: parseEther("1"),
    treasuryTokens: parseEther("500"),
    isPlatform: false,
  },
  factory: FACTORY,
  vault: { epochBudget: parseEther("100000"), epochLength: 604_800n, referralBps: 1_000n },
};
const platform: TemplateContext = {
  ...base,
  community: { ...base.community, isPlatform: true, rewardVault: null },
  creationFee: 0n,
  registry: [
    { id: 0n, name: "Coterie", symbol: "CTRE", token: a(1), creator: a(2), verified: false },
    { id: 1n, name: "Aurora Fans", symbol: "AUR", token: TOKEN, creator: a(3), verified: true },
    { id: 2n, name: "Borealis", symbol: "BOR", token: a(4), creator: a(5), verified: false },
  ],
};

function built(result: ReturnType<(typeof TEMPLATES)["eth-transfer"]["build"]>) {
  if (!result.ok) throw new Error(`expected a proposal, got ${JSON.stringify(result)}`);
  return result;
}

describe("governance-templates", () => {
  describe("eth-transfer", () => {
    const t = TEMPLATES["eth-transfer"];

    it("sends ETH from the treasury as a plain value call to the recipient", () => {
      const r = built(t.build({ recipient: FAN, amount: "0.25" }, base));
      expect(r.calls).toEqual([{ target: FAN, value: parseEther("0.25"), data: "0x" }]);
      expect(r.title).toBe("Send 0.25 ETH from the treasury to 0x90F7…b906");
    });

    it("refuses an invalid address, a zero amount and more than the treasury holds", () => {
      expect(t.build({ recipient: "0x123", amount: "0" }, base)).toEqual({
        ok: false,
        errors: { recipient: "Not an address: expected 0x followed by 40 hex characters.", amount: "The amount must be more than zero." },
      });
      const r = t.build({ recipient: FAN, amount: "2" }, base);
      expect(!r.ok && r.errors.amount).toBe("More than the treasury holds (1 ETH).");
    });

    it("refuses an amount with more decimals than ETH has", () => {
      const r = t.build({ recipient: FAN, amount: "0.0000000000000000001" }, base);
      expect(!r.ok && r.errors.amount).toBe("At most 18 decimal places for ETH.");
    });

    it("refuses the treasury as its own recipient", () => {
      const r = t.build({ recipient: TIMELOCK, amount: "0.1" }, base);
      expect(!r.ok && r.errors.recipient).toMatch(/treasury itself/);
    });
  });

  describe("token-transfer", () => {
    it("calls transfer on the token for the treasury's tokens", () => {
      const r = built(TEMPLATES["token-transfer"].build({ recipient: FAN, amount: "120" }, base));
      expect(r.calls[0].target).toBe(TOKEN);
      const call = decodeFunctionData({ abi: socialTokenAbi, data: r.calls[0].data });
      expect(call.functionName).toBe("transfer");
      expect(call.args).toEqual([FAN, parseEther("120")]);
    });

    it("refuses more tokens than the treasury holds", () => {
      const r = TEMPLATES["token-transfer"].build({ recipient: FAN, amount: "500.1" }, base);
      expect(!r.ok && r.errors.amount).toBe("More than the treasury holds (500 AUR).");
    });
  });

  describe("reward-budget and referral-rate", () => {
    it("sets the epoch budget on the vault, saying the old and new budget", () => {
      const r = built(TEMPLATES["reward-budget"].build({ budget: "250000" }, base));
      expect(r.calls[0].target).toBe(VAULT);
      expect(decodeFunctionData({ abi: rewardVaultAbi, data: r.calls[0].data }).args).toEqual([parseEther("250000")]);
      expect(r.body).toContain("from 100,000 AUR to 250,000 AUR per 7d 0h epoch");
    });

    it("refuses the budget it already has, and waits while the vault is being read", () => {
      const same = TEMPLATES["reward-budget"].build({ budget: "100000" }, base);
      expect(!same.ok && same.errors.budget).toBe("This is already the budget.");
      const loading = TEMPLATES["reward-budget"].build({ budget: "1" }, { ...base, vault: undefined });
      expect(!loading.ok && loading.waiting).toBe("Reading the reward vault…");
    });

    it("turns a percentage into basis points for setReferralBps", () => {
      const r = built(TEMPLATES["referral-rate"].build({ percent: "12.5" }, base));
      expect(decodeFunctionData({ abi: rewardVaultAbi, data: r.calls[0].data }).args).toEqual([1_250n]);
      expect(r.title).toBe("Set the referral bonus to 12.5%");
    });

    it("accepts 0% to turn referral bonuses off but refuses over 100% and finer than 0.01%", () => {
      expect(checkPercent("0")).toEqual({ ok: true, value: 0n });
      expect(checkPercent("100")).toEqual({ ok: true, value: 10_000n });
      expect(checkPercent("100.01")).toEqual({ ok: false, error: "At most 100%." });
      expect(checkPercent("1.005")).toEqual({ ok: false, error: "At most 2 decimal places (0.01% steps)." });
      expect(checkPercent("-1")).toEqual({ ok: false, error: "The percentage cannot be negative." });
      expect(checkPercent("ten")).toEqual({ ok: false, error: "Enter a number, like 10 or 2.5." });
    });

    it("is not offered to a community without a reward vault", () => {
      const ids = availableTemplates(platform).map((t) => t.id);
      expect(ids).not.toContain("reward-budget");
      expect(ids).not.toContain("referral-rate");
    });
  });

  describe("grant-minter and grant-revenue", () => {
    const crowdfundFacts = {
      address: CROWDFUND,
      hasRole: false,
      crowdfund: {
        ofThisToken: true,
        goal: parseEther("5"),
        cap: parseEther("10"),
        deadline: 1_800_000_000n,
        price: parseEther("1000"),
        referralBps: 500n,
        payment: { symbol: "ETH", decimals: 18 },
      },
    };

    it("grants MINTER_ROLE on the token to the crowdfund and states its terms", () => {
      const r = built(TEMPLATES["grant-minter"].build({ target: CROWDFUND }, { ...base, target: crowdfundFacts }));
      expect(r.calls[0].target).toBe(TOKEN);
      expect(decodeFunctionData({ abi: socialTokenAbi, data: r.calls[0].data }).args).toEqual([ROLES.MINTER_ROLE, CROWDFUND]);
      expect(r.body).toContain("goal 5 ETH, cap 10 ETH, 1,000 AUR per ETH, 5% referral bonus");
    });

    it("waits for the facts about the address before building", () => {
      const r = TEMPLATES["grant-minter"].build({ target: CROWDFUND }, { ...base, target: undefined });
      expect(!r.ok && r.waiting).toBe("Checking the address…");
    });

    it("refuses an address that is not a crowdfund of this token, or already mints", () => {
      const notFund = TEMPLATES["grant-minter"].build({ target: CROWDFUND }, { ...base, target: { address: CROWDFUND, hasRole: false, crowdfund: null } });
      expect(!notFund.ok && notFund.errors.target).toBe("This address is not a crowdfund.");
      const other = TEMPLATES["grant-minter"].build({ target: CROWDFUND }, { ...base, target: { ...crowdfundFacts, crowdfund: { ...crowdfundFacts.crowdfund, ofThisToken: false } } });
      expect(!other.ok && other.errors.target).toBe("This crowdfund sells another token, not AUR.");
      const already = TEMPLATES["grant-minter"].build({ target: CROWDFUND }, { ...base, target: { ...crowdfundFacts, hasRole: true } });
      expect(!already.ok && already.errors.target).toBe("This crowdfund can already mint AUR.");
    });

    it("grants REVENUE_ROLE to the community's revenue share", () => {
      const r = built(TEMPLATES["grant-revenue"].build({ target: SHARE }, { ...base, target: { address: SHARE, hasRole: false, revenueShareOfThisToken: true } }));
      expect(decodeFunctionData({ abi: socialTokenAbi, data: r.calls[0].data }).args).toEqual([ROLES.REVENUE_ROLE, SHARE]);
      expect(r.title).toBe("Approve revenue sharing for Aurora Fans (AUR)");
      const wrong = TEMPLATES["grant-revenue"].build({ target: SHARE }, { ...base, target: { address: SHARE, hasRole: false, revenueShareOfThisToken: false } });
      expect(!wrong.ok && wrong.errors.target).toBe("This is not the revenue share of AUR.");
    });
  });

  describe("platform templates", () => {
    it("are offered on the platform DAO only", () => {
      expect(TEMPLATES.verify.unavailable(base)).toBe("Only the platform DAO can do this.");
      expect(availableTemplates(platform).map((t) => t.id)).toEqual(["eth-transfer", "token-transfer", "grant-minter", "grant-revenue", "verify", "creation-fee"]);
    });

    it("verifies a community picked by id with setVerified(id, true) on the factory", () => {
      const r = built(TEMPLATES.verify.build({ community: "2" }, platform));
      expect(r.calls[0].target).toBe(FACTORY);
      expect(decodeFunctionData({ abi: communityFactoryAbi, data: r.calls[0].data }).args).toEqual([2n, true]);
      expect(r.title).toBe("Verify Borealis (BOR)");
    });

    it("refuses an unknown or already verified community", () => {
      const unknown = TEMPLATES.verify.build({ community: "9" }, platform);
      expect(!unknown.ok && unknown.errors.community).toBe("There is no community #9.");
      const verified = TEMPLATES.verify.build({ community: "1" }, platform);
      expect(!verified.ok && verified.errors.community).toBe("Aurora Fans is already verified.");
    });

    it("sets the creation fee in ETH, zero included, but not to the current fee", () => {
      const r = built(TEMPLATES["creation-fee"].build({ fee: "0.01" }, platform));
      expect(decodeFunctionData({ abi: communityFactoryAbi, data: r.calls[0].data }).args).toEqual([parseEther("0.01")]);
      const same = TEMPLATES["creation-fee"].build({ fee: "0" }, platform);
      expect(!same.ok && same.errors.fee).toBe("This is already the fee.");
      expect(TEMPLATES["creation-fee"].build({ fee: "0" }, { ...platform, creationFee: 1n }).ok).toBe(true);
    });
  });
});
