import { describe, expect, it } from "vitest";
import { encodeFunctionData, parseEther, type Address } from "viem";
import {
  communityFactoryAbi,
  communityGovernorAbi,
  crowdfundAbi,
  rewardVaultAbi,
  socialTokenAbi,
} from "../generated/abis.ts";
import { decodeAction, decodeActions, knownContracts, roleName, ROLES, type DecodeContext } from "./governance-actions.ts";

const a = (n: number) => `0x${n.toString(16).padStart(40, "0")}` as Address;
const TOKEN = a(0x70);
const GOVERNOR = a(0x71);
const TIMELOCK = a(0x72);
const VAULT = a(0x73);
const SHARE = a(0x74);
const FACTORY = a(0x80);
const FAN = "0x90F79bf6EB2c4f870365E785982E1f101E93b906" as Address;

const ctx: DecodeContext = {
  contracts: knownContracts(
    { symbol: "AUR", token: TOKEN, governor: GOVERNOR, timelock: TIMELOCK, rewardVault: VAULT, revenueShare: SHARE },
    {
      factory: FACTORY,
      platformToken: a(0x81),
      platformGovernor: a(0x82),
      platformTimelock: a(0x83),
      crowdfundFactory: a(0x84),
      revenueShareFactory: a(0x85),
    },
  ),
  token: { address: TOKEN, symbol: "AUR", decimals: 18 },
  communityName: (id) => (id === 1n ? "Aurora Fans (AUR)" : undefined),
};

describe("governance-actions", () => {
  describe("decodeAction", () => {
    it("says a plain value transfer as “Transfer 1 ETH to 0x…”", () => {
      const d = decodeAction(0, FAN, parseEther("1"), "0x", ctx);
      expect(d.summary).toBe("Transfer 1 ETH to 0x90F7…b906");
      expect(d.source).toBe("transfer");
      expect(d.selector).toBeNull();
    });

    it("decodes a treasury token transfer with the token's decimals and symbol", () => {
      const data = encodeFunctionData({ abi: socialTokenAbi, functionName: "transfer", args: [FAN, parseEther("1500.5")] });
      const d = decodeAction(0, TOKEN, 0n, data, ctx);
      expect(d.summary).toBe("Transfer 1,500.5 AUR from the treasury to 0x90F7…b906");
      expect(d.source).toBe("known");
      expect(d.signature).toBe("transfer(address to, uint256 value)");
      expect(d.args.map((x) => x.raw)).toEqual([FAN, parseEther("1500.5").toString()]);
    });

    it("names the role and the grantee of grantRole (crowdfund approval, revenue sharing)", () => {
      const crowdfund = a(0x99);
      const minter = encodeFunctionData({ abi: socialTokenAbi, functionName: "grantRole", args: [ROLES.MINTER_ROLE, crowdfund] });
      expect(decodeAction(0, TOKEN, 0n, minter, ctx).summary).toBe("Grant MINTER_ROLE on AUR to 0x0000…0099");
      const revenue = encodeFunctionData({ abi: socialTokenAbi, functionName: "grantRole", args: [ROLES.REVENUE_ROLE, SHARE] });
      expect(decodeAction(0, TOKEN, 0n, revenue, ctx).summary).toBe("Grant REVENUE_ROLE on AUR to the revenue share 0x0000…0074");
    });

    it("writes the reward vault's settings in tokens and percent", () => {
      const budget = encodeFunctionData({ abi: rewardVaultAbi, functionName: "setEpochBudget", args: [parseEther("200000")] });
      expect(decodeAction(0, VAULT, 0n, budget, ctx).summary).toBe("Set the reward budget to 200,000 AUR per epoch");
      const bps = encodeFunctionData({ abi: rewardVaultAbi, functionName: "setReferralBps", args: [1250n] });
      expect(decodeAction(0, VAULT, 0n, bps, ctx).summary).toBe("Set the referral bonus to 12.5%");
    });

    it("names the community the platform DAO verifies, and the creation fee in ETH", () => {
      const verify = encodeFunctionData({ abi: communityFactoryAbi, functionName: "setVerified", args: [1n, true] });
      expect(decodeAction(0, FACTORY, 0n, verify, ctx).summary).toBe("Verify Aurora Fans (AUR) (community #1)");
      const unknownId = encodeFunctionData({ abi: communityFactoryAbi, functionName: "setVerified", args: [7n, false] });
      expect(decodeAction(0, FACTORY, 0n, unknownId, ctx).summary).toBe("Remove the verified badge of community #7");
      const fee = encodeFunctionData({ abi: communityFactoryAbi, functionName: "setCreationFee", args: [parseEther("0.02")] });
      expect(decodeAction(0, FACTORY, 0n, fee, ctx).summary).toBe("Set the community creation fee to 0.02 ETH");
    });

    it("decodes governor settings changes", () => {
      const period = encodeFunctionData({ abi: communityGovernorAbi, functionName: "setVotingPeriod", args: [7200] });
      expect(decodeAction(0, GOVERNOR, 0n, period, ctx).summary).toBe("Set the voting period to 2h 0m");
      const guardian = encodeFunctionData({ abi: communityGovernorAbi, functionName: "setProposalGuardian", args: ["0x0000000000000000000000000000000000000000"] });
      expect(decodeAction(0, GOVERNOR, 0n, guardian, ctx).summary).toBe("Remove the proposal guardian");
    });

    it("decodes a call to an unknown address by selector, and says so", () => {
      const crowdfund = a(0x99);
      const data = encodeFunctionData({ abi: crowdfundAbi, functionName: "finalize" });
      const d = decodeAction(0, crowdfund, 0n, data, ctx);
      expect(d.source).toBe("selector");
      expect(d.summary).toBe("Call finalize() on 0x0000…0099");
    });

    it("shows calldata nothing matches as unknown with its selector, and the ETH sent along", () => {
      const d = decodeAction(2, FAN, parseEther("0.5"), "0xdeadbeef0000", ctx);
      expect(d.source).toBe("unknown");
      expect(d.selector).toBe("0xdeadbeef");
      expect(d.summary).toBe("Call 0x90F7…b906 with unknown data (selector 0xdeadbeef) and send 0.5 ETH");
    });

    it("does not trust a known selector with malformed arguments", () => {
      const transfer = encodeFunctionData({ abi: socialTokenAbi, functionName: "transfer", args: [FAN, 1n] });
      const d = decodeAction(0, TOKEN, 0n, transfer.slice(0, 20) as `0x${string}`, ctx);
      expect(d.source).toBe("unknown");
    });
  });

  it("decodes every action of a proposal in order", () => {
    const list = decodeActions([FAN, TOKEN], [1n, 0n], ["0x", encodeFunctionData({ abi: socialTokenAbi, functionName: "transfer", args: [FAN, 1n] })], ctx);
    expect(list.map((x) => x.index)).toEqual([0, 1]);
    expect(list[1].source).toBe("known");
  });

  it("names the well-known roles and nothing else", () => {
    expect(roleName(ROLES.MINTER_ROLE)).toBe("MINTER_ROLE");
    expect(ROLES.MINTER_ROLE).toBe("0x9f2df0fed2c77648de5860a4cc508cd0818c85b8b8a1ab4ceeef8d981c8956a6");
    expect(roleName("0x0000000000000000000000000000000000000000000000000000000000000000")).toBe("DEFAULT_ADMIN_ROLE");
    expect(roleName("0x1234000000000000000000000000000000000000000000000000000000000000")).toBeNull();
  });
});
