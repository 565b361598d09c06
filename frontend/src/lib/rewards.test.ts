import { describe, expect, it } from "vitest";
import { encodeAbiParameters, encodeEventTopics, getAddress, zeroAddress, type Address, type Hex, type Log } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { buildCampaign, campaignProofsFile, claimLink, parseClaimLink, type ClaimPayload, type Voucher } from "../../../shared/rewards.ts";
import { rewardVaultAbi } from "../generated/abis.ts";
import {
  campaignIdFromLogs,
  checkSigner,
  claimVerdict,
  findCampaignLeaf,
  formatEpochLength,
  parseProofsFile,
  pickVoucherIds,
  randomVoucherId,
  recoverVoucherSigner,
  voucherTypedData,
  vouchersCsv,
  type ClaimFacts,
} from "./rewards.ts";

// Hardhat's public dev keys #1 and #2 (never used outside a local chain).
const attester = privateKeyToAccount("0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d");
const stranger = privateKeyToAccount("0x5de4111afa1a4b94908f83103eb1f1706367c2e68ca870fc3fb9a804cdab365a");
const VAULT = getAddress("0x5fbdb2315678afecb367f032d93f642f64180aa3");
const FAN = getAddress("0x90f79bf6eb2c4f870365e785982e1f101e93b906");
const REF = getAddress("0x15d34aaf54267db7d7c367839aaf71a00a2c6a65");
const CHAIN = 31337n;

const voucher: Voucher = { recipient: FAN, amount: 10n ** 20n, referrer: REF, id: 42n, deadline: 2_000_000_000n };

async function signedPayload(v: Voucher = voucher, signer = attester): Promise<ClaimPayload> {
  const signature = await signer.signTypedData(voucherTypedData(CHAIN, VAULT, v));
  return { chainId: CHAIN, vault: VAULT, voucher: v, signature };
}

describe("rewards", () => {
  describe("recoverVoucherSigner", () => {
    it("recovers the attester from a voucher it signed", async () => {
      expect(await recoverVoucherSigner(await signedPayload())).toBe(attester.address);
    });

    it("survives the trip through a claim link", async () => {
      const link = claimLink("http://127.0.0.1:5173", await signedPayload());
      expect(await recoverVoucherSigner(parseClaimLink(link))).toBe(attester.address);
    });

    it("recovers someone else when the amount in the link was changed", async () => {
      const link = claimLink("http://app", await signedPayload());
      const tampered = parseClaimLink(link.replace(`.${voucher.amount}.`, `.${voucher.amount * 10n}.`));
      expect(tampered.voucher.amount).toBe(voucher.amount * 10n);
      expect(await recoverVoucherSigner(tampered)).not.toBe(attester.address);
    });

    it("recovers someone else when the link names another chain or vault (replay)", async () => {
      const payload = await signedPayload();
      expect(await recoverVoucherSigner({ ...payload, chainId: 1n })).not.toBe(attester.address);
      expect(await recoverVoucherSigner({ ...payload, vault: REF })).not.toBe(attester.address);
    });

    it("refuses a truncated signature with a readable message", async () => {
      const payload = await signedPayload();
      await expect(recoverVoucherSigner({ ...payload, signature: payload.signature.slice(0, 40) })).rejects.toThrow(/malformed/);
    });
  });

  describe("checkSigner", () => {
    it("accepts the attester's signature", () => {
      expect(checkSigner(attester.address, attester.address, false)).toEqual({ kind: "attester" });
    });
    it("names the other signer when it is not the attester", () => {
      expect(checkSigner(stranger.address, attester.address, false)).toEqual({ kind: "other-signer", signer: stranger.address });
    });
    it("cannot judge an ERC-1271 contract attester off-chain", () => {
      expect(checkSigner(stranger.address, attester.address, true)).toEqual({ kind: "contract-attester" });
    });
    it("reports a malformed signature", () => {
      expect(checkSigner(null, attester.address, false)).toEqual({ kind: "malformed" });
    });
  });

  describe("claimVerdict", () => {
    const facts: ClaimFacts = {
      activeChainId: 31337,
      chainConfigured: true,
      isVault: true,
      isCoterie: true,
      redeemed: false,
      paused: false,
      now: 1_000n,
      signer: { kind: "attester" },
    };
    const payload: ClaimPayload = { chainId: CHAIN, vault: VAULT, voucher, signature: "0x00" };

    it("is ready when every check passes", () => {
      expect(claimVerdict(payload, facts).status).toBe("ready");
    });
    it("refuses a chain the app is not set up for, naming the chain", () => {
      const v = claimVerdict({ ...payload, chainId: 10n }, { ...facts, chainConfigured: false });
      expect(v).toMatchObject({ status: "unknown-chain" });
      expect(v.message).toContain("chain 10");
    });
    it("asks to switch when the link is for another configured chain", () => {
      expect(claimVerdict(payload, { ...facts, activeChainId: 1 }).status).toBe("wrong-chain");
    });
    it("warns about a vault that is not a Coterie community's", () => {
      expect(claimVerdict(payload, { ...facts, isCoterie: false }).status).toBe("not-coterie");
      expect(claimVerdict(payload, { ...facts, isVault: false }).status).toBe("not-vault");
    });
    it("says already redeemed before anything about time or signature", () => {
      expect(claimVerdict(payload, { ...facts, redeemed: true, now: 3_000_000_000n, signer: { kind: "malformed" } }).status).toBe("redeemed");
    });
    it("accepts a link at its deadline and calls it expired one second later", () => {
      expect(claimVerdict(payload, { ...facts, now: voucher.deadline }).status).toBe("ready");
      expect(claimVerdict(payload, { ...facts, now: voucher.deadline + 1n }).status).toBe("expired");
    });
    it("names the signature problem of an altered link", () => {
      const v = claimVerdict(payload, { ...facts, signer: { kind: "other-signer", signer: stranger.address } });
      expect(v.status).toBe("bad-signature");
      expect(v.message).toMatch(/not the community attester's/);
    });
    it("lets the chain judge a contract attester's signature", () => {
      expect(claimVerdict(payload, { ...facts, signer: { kind: "contract-attester" } }).status).toBe("ready");
    });
    it("reports a paused vault", () => {
      expect(claimVerdict(payload, { ...facts, paused: true }).status).toBe("paused");
    });

    // Issue 11 item 12: the budget is checked before a link is offered for redemption.
    describe("the vault's budget", () => {
      const E18 = 10n ** 18n;
      // The voucher: 100 AUR naming a referrer; 10% bonus, so it costs 110 AUR.
      const budget = { budget: 200n * E18, remaining: 200n * E18, nextPeriodAt: 5_000n, referralBps: 1_000n, referred: true, decimals: 18, symbol: "AUR" };

      it("is ready when the voucher and its bonus fit what the period has left", () => {
        expect(claimVerdict(payload, { ...facts, budget }).status).toBe("ready");
        expect(claimVerdict(payload, { ...facts, budget: { ...budget, remaining: 110n * E18 } }).status).toBe("ready");
      });

      it("says a link over the whole period budget can never be redeemed, counting the referral bonus", () => {
        const v = claimVerdict(payload, { ...facts, budget: { ...budget, budget: 109n * E18, remaining: 109n * E18 } });
        expect(v.status).toBe("over-budget");
        expect(v.message).toBe(
          "This link is over the whole period budget: it needs 110 AUR with the referral bonus, more than the community's reward budget " +
            "for a whole period (109 AUR), so it cannot be redeemed unless the community raises its budget. Ask the creator for a smaller link.",
        );
        // Without a referrer the bonus is not charged: 100 AUR fits a 109 AUR budget.
        expect(claimVerdict(payload, { ...facts, budget: { ...budget, budget: 109n * E18, remaining: 109n * E18, referred: false } }).status).toBe("ready");
        // Paused says so first.
        expect(claimVerdict(payload, { ...facts, paused: true, budget: { ...budget, budget: 1n } }).status).toBe("paused");
      });

      it("says when the next period starts when this one's budget is used up", () => {
        const v = claimVerdict(payload, { ...facts, budget: { ...budget, remaining: 50n * E18 } });
        expect(v).toMatchObject({ status: "budget-used-up", nextPeriodAt: 5_000n });
        expect(v.message).toMatch(/^This period's budget is used up: the link needs 110 AUR with the referral bonus and 50 AUR is left\. The next period starts in 1h 6m \(.+\); come back then to redeem\.$/);
      });

      it("says so when the link expires before the next period", () => {
        const v = claimVerdict(payload, { ...facts, budget: { ...budget, remaining: 0n, nextPeriodAt: voucher.deadline + 1n } });
        expect(v.status).toBe("budget-used-up");
        expect(v.message).toMatch(/, after this link expires: ask the creator for a new link\.$/);
      });

      it("counts a period that is over as a fresh one (the vault resets it lazily)", () => {
        expect(claimVerdict(payload, { ...facts, now: 5_000n, budget: { ...budget, remaining: 0n } }).status).toBe("ready");
      });
    });
  });

  describe("formatEpochLength", () => {
    it("says whole days and hours in words", () => {
      expect(formatEpochLength(7n * 86_400n)).toBe("7 days");
      expect(formatEpochLength(86_400n)).toBe("1 day");
      expect(formatEpochLength(3_600n * 12n)).toBe("12 hours");
    });
    it("falls back to a compact duration for odd lengths", () => {
      expect(formatEpochLength(90_000n + 60n)).toBe("1d 1h");
      expect(formatEpochLength(150n)).toBe("2m 30s");
    });
  });

  describe("voucher ids", () => {
    it("draws 64-bit ids from the random bytes, never zero", () => {
      expect(randomVoucherId((b) => b.fill(0xff))).toBe((1n << 64n) - 1n);
      expect(randomVoucherId((b) => b.fill(0))).toBe(1n);
      const id = randomVoucherId();
      expect(id > 0n && id < 1n << 64n).toBe(true);
    });
    it("never hands out the same id twice in one batch", () => {
      const draws = [5n, 5n, 7n, 5n, 9n];
      const ids = pickVoucherIds(3, () => draws.shift()!);
      expect(ids).toEqual([5n, 7n, 9n]);
    });
  });

  describe("parseProofsFile", () => {
    const rows = [
      { account: FAN, amount: 3n * 10n ** 18n },
      { account: REF, amount: 10n ** 18n },
    ];
    const built = buildCampaign(rows);
    const file = campaignProofsFile(built, { chainId: CHAIN, vault: VAULT, campaignId: 4n, end: 2_000_000_000n });
    const where = { chainId: 31337, vault: VAULT };
    const text = JSON.stringify(file);

    it("accepts a proofs file for this chain and vault", () => {
      expect(parseProofsFile(text, where)).toEqual({ ok: true, value: file });
    });
    it("refuses text that is not JSON", () => {
      expect(parseProofsFile("account,amount", where)).toMatchObject({ ok: false, error: expect.stringMatching(/not JSON/) });
    });
    it("refuses JSON in another format", () => {
      expect(parseProofsFile(JSON.stringify({ ...file, format: "x" }), where)).toMatchObject({ ok: false, error: expect.stringMatching(/coterie-campaign-1/) });
    });
    it("refuses a file for another chain, naming both chains", () => {
      const r = parseProofsFile(JSON.stringify({ ...file, chainId: "1" }), where);
      expect(r).toMatchObject({ ok: false, error: expect.stringMatching(/chain 1,.*chain 31337/) });
    });
    it("refuses a file for another community's vault", () => {
      expect(parseProofsFile(text, { ...where, vault: REF })).toMatchObject({ ok: false, error: expect.stringMatching(/another community/) });
    });
    it("refuses a dry-run file without a campaign id", () => {
      expect(parseProofsFile(JSON.stringify({ ...file, campaignId: null }), where)).toMatchObject({ ok: false, error: expect.stringMatching(/dry run/) });
    });
    it("refuses a file whose root is not 32 bytes", () => {
      expect(parseProofsFile(JSON.stringify({ ...file, root: "0x12" }), where)).toMatchObject({ ok: false, error: expect.stringMatching(/root/) });
    });

    describe("findCampaignLeaf", () => {
      it("finds an account's leaf whatever the address case", () => {
        const r = findCampaignLeaf(file, FAN.toLowerCase() as Address);
        expect(r).toEqual({
          ok: true,
          value: { campaignId: 4n, index: 0n, account: FAN, amount: 3n * 10n ** 18n, proof: file.claims[FAN].proof },
        });
      });
      it("returns null for an account the campaign does not list", () => {
        expect(findCampaignLeaf(file, attester.address)).toEqual({ ok: true, value: null });
      });
      it("refuses an entry whose amount was raised (the proof no longer matches the root)", () => {
        const edited = { ...file, claims: { ...file.claims, [FAN]: { ...file.claims[FAN], amount: (4n * 10n ** 18n).toString() } } };
        expect(findCampaignLeaf(edited, FAN)).toMatchObject({ ok: false, error: expect.stringMatching(/does not match/) });
      });
      it("refuses a malformed entry", () => {
        const edited = { ...file, claims: { [FAN]: { index: "zero", amount: "1", proof: [] } } };
        expect(findCampaignLeaf(edited, FAN)).toMatchObject({ ok: false, error: expect.stringMatching(/malformed/) });
      });
    });
  });

  describe("campaignIdFromLogs", () => {
    const openedLog = (address: Address, id: bigint): Log =>
      ({
        address,
        topics: encodeEventTopics({ abi: rewardVaultAbi, eventName: "CampaignOpened", args: { campaignId: id } }) as [Hex, ...Hex[]],
        data: encodeAbiParameters([{ type: "bytes32" }, { type: "uint256" }, { type: "uint256" }], [`0x${"11".repeat(32)}`, 5n, 6n]),
        blockHash: null,
        blockNumber: null,
        logIndex: null,
        transactionHash: null,
        transactionIndex: null,
        removed: false,
      }) as Log;

    it("reads the campaign id from the vault's CampaignOpened event", () => {
      expect(campaignIdFromLogs([openedLog(VAULT, 3n)], VAULT)).toBe(3n);
    });
    it("ignores the same event from another contract", () => {
      expect(campaignIdFromLogs([openedLog(REF, 3n)], VAULT)).toBeNull();
    });
  });

  describe("vouchersCsv", () => {
    it("writes one row per voucher with an empty referrer when there is none, quoting nothing needlessly", () => {
      const csv = vouchersCsv([
        { line: 2, voucher: { ...voucher, referrer: zeroAddress }, signature: "0x01", link: "http://app/claim?v=1&s=0x01" },
      ]);
      expect(csv).toBe(`recipient,amount,referrer,id,deadline,link\n${FAN},100000000000000000000,,42,2000000000,http://app/claim?v=1&s=0x01\n`);
    });
  });
});
