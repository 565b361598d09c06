/**
 * The creator CLI's core (scripts/lib/rewards-cli.ts) against a community created on the in-process
 * chain: CSV problems with line numbers, claim links, signing vouchers that redeem, campaigns whose
 * proofs file claims on chain, decoded reverts and the status report. scripts/rewards.ts only adds
 * argv parsing and the connection on top of these functions.
 */
import { expect } from "chai";
import { network } from "hardhat";
import { getAddress, id, parseEther, Wallet, ZeroAddress, type Signer } from "ethers";
import PlatformModule from "../deploy/modules/Platform.ts";
import { communityParams, findCommunityCreated, DAY } from "../scripts/lib/community.ts";
import {
  buildCampaign,
  claimLink,
  CsvError,
  defaultVaultConfig,
  encodeVaultConfig,
  parseClaimLink,
  parseCampaignCsv,
  parseVoucherCsv,
  signVoucher,
  type CsvProblem,
  type Voucher,
} from "../scripts/lib/rewards.ts";
import {
  claimFromProofs,
  formatStatus,
  linksCsv,
  openCampaign,
  openVault,
  planCampaign,
  readProofsFile,
  readStatus,
  redeemClaimLink,
  signVouchersFromCsv,
  vaultInterfaces,
} from "../scripts/lib/rewards-cli.ts";
import { RewardsError } from "../scripts/lib/errors.ts";
import { displayAmount, formatTime } from "../scripts/lib/format.ts";
import { decodeRevert } from "../scripts/lib/transactions.ts";

const { ethers, networkHelpers, ignition } = await network.create();

const CAP = parseEther("10000000");
const BUDGET = CAP / 100n; // defaultVaultConfig: 1% of the cap per epoch
const BASE_URL = "http://127.0.0.1:5173";
const DAY_BIG = BigInt(DAY);

/** The platform as Ignition deploys it and one community whose creator attests and operates its vault. */
async function withVault() {
  const [deployer, creator, fanA, fanB, fanC, referrer, relayer, outsider] = await ethers.getSigners();
  const platform = await ignition.deploy(PlatformModule);
  const factory = await ethers.getContractAt("CommunityFactory", await platform.factory.getAddress());
  const params = communityParams({ cap: CAP, salt: id("rewards-cli"), rewardVaultConfig: encodeVaultConfig(defaultVaultConfig(CAP)) });
  const receipt = await (await factory.connect(creator).createCommunity(params, { value: await factory.creationFee() })).wait();
  if (receipt === null) throw new Error("createCommunity was not mined");
  const created = findCommunityCreated(receipt, factory.interface);
  // The referrer holds tokens already, as a demo fan does.
  await (await (await ethers.getContractAt("SocialToken", created.token)).connect(creator).transfer(referrer.address, parseEther("100"))).wait();
  const info = await openVault(ethers.provider, created.rewardVault);
  return { deployer, creator, fanA, fanB, fanC, referrer, relayer, outsider, factory, created, info };
}

/** Wraps a signer so the test can count the signatures it makes. */
function counting(signer: Signer): { signer: Signer; signatures: () => number } {
  let n = 0;
  const proxy = new Proxy(signer, {
    get(target, prop) {
      if (prop === "signTypedData") {
        return (...args: Parameters<Signer["signTypedData"]>) => {
          n++;
          return target.signTypedData(...args);
        };
      }
      const value = Reflect.get(target, prop, target) as unknown;
      return typeof value === "function" ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
  return { signer: proxy, signatures: () => n };
}

/** The problems of a CsvError thrown by `fn`. */
function csvProblems(fn: () => unknown): CsvProblem[] {
  try {
    fn();
  } catch (e) {
    expect(e).to.be.instanceOf(CsvError);
    return (e as CsvError).problems;
  }
  expect.fail("expected a CsvError");
}

/** The message of the RewardsError (or other Error) `promise` rejects with. */
async function rejection(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (e) {
    return (e as Error).message;
  }
  expect.fail("expected a rejection");
}

const A = "0x90F79bf6EB2c4f870365E785982E1f101E93b906";
const B = "0x15d34AAf54267DB7D7c367839AAf71A00a2C6A65";

describe("rewards CLI", function () {
  describe("CSV input", function () {
    it("reports every bad voucher row with its line number: bad address, negative, too many decimals, zero, wrong columns", function () {
      const csv = [
        "recipient,amount,referrer", // line 1: header
        `${A},10`, // 2: fine
        "0x1234,5", // 3: bad address
        `${A},-1`, // 4: negative
        `${A},1.0000000000000000001`, // 5: 19 decimals
        "", // 6: blank, skipped
        `${A},0`, // 7: zero
        `${A},1,${B},extra`, // 8: four columns
        `${A}`, // 9: one column
        `${A},2,${A}`, // 10: self-referral
      ].join("\n");
      const problems = csvProblems(() => parseVoucherCsv(csv, 18, "fans.csv"));
      expect(problems.map((p) => p.line)).to.deep.equal([3, 4, 5, 7, 8, 9, 10]);
      expect(problems[0].message).to.match(/recipient is not an address: 0x1234/);
      expect(problems[1].message).to.match(/negative/);
      expect(problems[2].message).to.match(/more than 18 decimal places/);
      expect(problems[3].message).to.match(/zero/);
      expect(problems[4].message).to.match(/found 4 column/);
      expect(problems[5].message).to.match(/found 1 column/);
      expect(problems[6].message).to.match(/self-referral/);
    });

    it("counts decimals against the token's: 6 decimals refuse a 7th", function () {
      const problems = csvProblems(() => parseVoucherCsv(`${A},1.1234567`, 6));
      expect(problems).to.deep.equal([{ line: 1, message: "amount 1.1234567 has more than 6 decimal places" }]);
      expect(parseVoucherCsv(`${A},1.123456`, 6)[0].amount).to.equal(1_123_456n);
    });

    it("reports a duplicate campaign account with the line it first appeared on, and wrong columns", function () {
      const csv = ["account,amount", `${A},1`, `${B},2`, `${A.toLowerCase()},3`, `${B},4,5`].join("\n");
      const problems = csvProblems(() => parseCampaignCsv(csv, 18, "campaign.csv"));
      expect(problems).to.have.length(2);
      expect(problems[0]).to.deep.include({ line: 4 });
      expect(problems[0].message).to.equal(`duplicate account ${A} (first on line 2)`);
      expect(problems[1]).to.deep.include({ line: 5 });
      expect(problems[1].message).to.match(/expected account,amount but found 3 column/);
    });

    it("reports an amount of 2^256 or more with its line, in vouchers, campaigns and campaign totals (issue 11 item 10)", function () {
      const max = (1n << 256n) - 1n;
      // 0 decimals: the CSV amount is the uint256 itself.
      expect(parseVoucherCsv(`${A},${max}`, 0)[0].amount).to.equal(max);
      const vouchers = csvProblems(() => parseVoucherCsv([`${A},1`, `${A},${max + 1n}`, `${B},${max * 10n}`].join("\n"), 0, "fans.csv"));
      expect(vouchers.map((p) => p.line)).to.deep.equal([2, 3]);
      expect(vouchers[0].message).to.equal(`amount ${max + 1n} is too large: a uint256 holds at most 2^256 - 1 of the token's smallest units`);
      // 18 decimals: 2^256 whole tokens is far past it.
      expect(csvProblems(() => parseVoucherCsv(`${A},${1n << 256n}`, 18))[0].message).to.match(/^amount \d+ is too large/);
      expect(csvProblems(() => parseCampaignCsv(`${A},${max + 1n}`, 0))).to.deep.equal([
        { line: 1, message: `amount ${max + 1n} is too large: a uint256 holds at most 2^256 - 1 of the token's smallest units` },
      ]);
      // Each amount fits, their sum does not: the row where it stops fitting is named.
      const total = csvProblems(() => parseCampaignCsv(["account,amount", `${A},${max}`, `${B},1`].join("\n"), 0));
      expect(total).to.deep.equal([{ line: 3, message: "the amounts up to this row add up to more than 2^256 - 1 units" }]);
      // Claim links with numbers past uint256 are refused as well.
      const link = `v=1.31337.${A}.${A}.${max + 1n}.${ZeroAddress}.1.1&s=0x${"ab".repeat(65)}`;
      expect(() => parseClaimLink(link)).to.throw(`claim link amount is too large: ${max + 1n}`);
    });

    it("signs nothing and names the line of an amount of 2^256 or more (it used to fail in the encoder)", async function () {
      const { info, creator } = await networkHelpers.loadFixture(withVault);
      const { signer, signatures } = counting(creator);
      const csv = [`${A},10`, `${B},${1n << 256n}`].join("\n");
      const error = await signVouchersFromCsv(info, signer, { csv, file: "fans.csv" }).catch((e: unknown) => e);
      expect(error).to.be.instanceOf(CsvError);
      expect((error as CsvError).problems.map((p) => p.line)).to.deep.equal([2]);
      expect((error as Error).message).to.match(/^fans\.csv: 1 problem\(s\):\n {2}line 2: amount \d+ is too large/);
      expect(signatures()).to.equal(0);
    });

    it("signs nothing when any voucher row is bad", async function () {
      const { info, creator } = await networkHelpers.loadFixture(withVault);
      const { signer, signatures } = counting(creator);
      const csv = [`${A},10`, `${B},1.5`, "nope,1"].join("\n");
      const error = await signVouchersFromCsv(info, signer, { csv, file: "fans.csv" }).catch((e: unknown) => e);
      expect(error).to.be.instanceOf(CsvError);
      expect((error as CsvError).message).to.equal("fans.csv: 1 problem(s):\n  line 3: recipient is not an address: nope");
      expect(signatures()).to.equal(0);
    });

    it("sends nothing when any campaign row is bad", async function () {
      const { info } = await networkHelpers.loadFixture(withVault);
      const csv = [`${A},10`, `${A},11`].join("\n");
      const error = await planCampaign(info, { csv, endDays: 7 }).catch((e: unknown) => e);
      expect(error).to.be.instanceOf(CsvError);
      expect((error as CsvError).problems).to.deep.equal([{ line: 2, message: `duplicate account ${A} (first on line 1)` }]);
      expect(await info.vault.campaignCount()).to.equal(0n);
    });
  });

  describe("claim links", function () {
    const voucher: Voucher = {
      recipient: getAddress(A),
      amount: parseEther("12.5"),
      referrer: getAddress(B),
      id: 1_795_000_000_000n * 256n + 3n,
      deadline: 1_900_000_000n,
    };
    const vault = "0x6145E39a358cccD530B8ab8478303beE010B4acb";

    it("round-trips: encode, parse, the same chain, vault, voucher and signature", async function () {
      const signature = await signVoucher(Wallet.createRandom(), 31337n, vault, voucher);
      const link = claimLink(`${BASE_URL}/`, { chainId: 31337n, vault, voucher, signature });
      expect(link.startsWith(`${BASE_URL}/claim?v=1.31337.`)).to.equal(true);
      expect(parseClaimLink(link)).to.deep.equal({ chainId: 31337n, vault, voucher, signature });
      // The query string alone parses too (what the web app's router hands over).
      expect(parseClaimLink(link.slice(link.indexOf("?"))).voucher).to.deep.equal(voucher);
    });

    it("refuses malformed links with a message naming what is wrong", function () {
      const link = claimLink(BASE_URL, { chainId: 31337n, vault, voucher, signature: "0x" + "ab".repeat(65) });
      expect(() => parseClaimLink(link.replace(/&s=.*/, ""))).to.throw("claim link has no signature (s=...)");
      expect(() => parseClaimLink(link.replace("?v=", "?x="))).to.throw("claim link has no voucher (v=...)");
      expect(() => parseClaimLink(link.replace(/&s=0x/, "&s=zz"))).to.throw("claim link signature is not hex");
      expect(() => parseClaimLink(link.replace(".1900000000&", "&"))).to.throw("claim link voucher has 7 fields, expected 8");
      expect(() => parseClaimLink(link.replace("?v=1.", "?v=2."))).to.throw("unsupported claim link version 2");
      expect(() => parseClaimLink(link.replace(".12500000000000000000.", ".-5."))).to.throw("claim link amount is not a whole number: -5");
      expect(() => parseClaimLink(link.replace(getAddress(A), "0x1234"))).to.throw("claim link recipient is not an address: 0x1234");
    });
  });

  describe("sign", function () {
    it("signs vouchers from a CSV that redeem on chain, the referral included", async function () {
      const { info, creator, fanA, fanB, referrer, relayer } = await networkHelpers.loadFixture(withVault);
      const csv = ["recipient,amount,referrer", `${fanA.address},100`, `${fanB.address},40.25,${referrer.address}`].join("\n");
      const firstId = 1_000n * 256n;
      const now = BigInt(await networkHelpers.time.latest());
      const result = await signVouchersFromCsv(info, creator, { csv, firstId, deadlineDays: 2, baseUrl: BASE_URL });

      expect(result.attester).to.equal(creator.address);
      expect(result.total).to.equal(parseEther("140.25"));
      expect(result.warnings).to.deep.equal([]);
      expect(result.signed.map((s) => s.line)).to.deep.equal([2, 3]);
      expect(result.signed.map((s) => s.voucher.id)).to.deep.equal([firstId, firstId + 1n]);
      expect(result.deadline).to.equal(now + 2n * 86_400n);
      for (const s of result.signed) expect(parseClaimLink(s.link)).to.deep.equal({ chainId: 31337n, vault: info.address, voucher: s.voucher, signature: s.signature });

      const first = await redeemClaimLink(ethers.provider, relayer, result.signed[0].link);
      expect(first.balance).to.equal(parseEther("100"));
      expect(first.referralBonus).to.equal(0n);
      const second = await redeemClaimLink(ethers.provider, relayer, result.signed[1].link);
      expect(second.balance).to.equal(parseEther("40.25"));
      expect(second.referrer).to.equal(referrer.address);
      expect(second.referralBonus).to.equal(parseEther("4.025")); // 10%
      expect(await info.vault.referrerOf(fanB.address)).to.equal(referrer.address);
      expect(await info.token.getVotes(fanB.address)).to.equal(parseEther("40.25"));
      expect(await info.vault.epochSpent()).to.equal(parseEther("144.275"));
    });

    it("writes the links file with one row per voucher", async function () {
      const { info, creator, fanA, fanB, referrer } = await networkHelpers.loadFixture(withVault);
      const csv = [`${fanA.address},1`, `# a comment`, `${fanB.address},0.5,${referrer.address}`].join("\n");
      const { signed } = await signVouchersFromCsv(info, creator, { csv, firstId: 7n });
      const rows = linksCsv(signed, info.decimals).trimEnd().split("\n");
      expect(rows[0]).to.equal("line,recipient,amount,referrer,id,deadline,link");
      expect(rows[1]).to.equal(`1,${fanA.address},1,,7,${signed[0].voucher.deadline},${signed[0].link}`);
      expect(rows[2]).to.equal(`3,${fanB.address},0.5,${referrer.address},8,${signed[1].voucher.deadline},${signed[1].link}`);
    });

    it("refuses a key that is not the vault's attester, signing nothing", async function () {
      const { info, outsider, creator } = await networkHelpers.loadFixture(withVault);
      const { signer, signatures } = counting(outsider);
      const message = await rejection(signVouchersFromCsv(info, signer, { csv: `${A},1` }));
      expect(message).to.equal(
        `the attester key is for ${outsider.address}, but the vault's attester is ${creator.address}; vouchers it signs would fail with RewardVaultBadSignature`,
      );
      expect(signatures()).to.equal(0);
    });

    it("signs with a key from the environment (an ethers Wallet) once the DAO made it the attester", async function () {
      const { info, created, creator, fanA, relayer } = await networkHelpers.loadFixture(withVault);
      const key = Wallet.createRandom();
      await (await info.vault.connect(creator).setAttester(key.address)).wait(); // the operator may rotate it
      const { signed } = await signVouchersFromCsv(info, new Wallet(key.privateKey, ethers.provider), { csv: `${fanA.address},3` });
      const r = await redeemClaimLink(ethers.provider, relayer, signed[0].link, created.rewardVault);
      expect(r.balance).to.equal(parseEther("3"));
    });

    it("refuses ids that were redeemed before", async function () {
      const { info, creator, fanA, relayer } = await networkHelpers.loadFixture(withVault);
      const { signed } = await signVouchersFromCsv(info, creator, { csv: `${fanA.address},1`, firstId: 500n });
      await redeemClaimLink(ethers.provider, relayer, signed[0].link);
      const message = await rejection(signVouchersFromCsv(info, creator, { csv: `${fanA.address},1\n${A},2`, firstId: 499n }));
      expect(message).to.equal("voucher id(s) already redeemed on this vault: 500; pick another --first-id");
    });

    it("warns when the vouchers exceed the epoch's remaining budget", async function () {
      const { info, creator } = await networkHelpers.loadFixture(withVault);
      const { warnings } = await signVouchersFromCsv(info, creator, { csv: `${A},60000\n${B},50000` });
      expect(warnings).to.have.length(1);
      expect(warnings[0]).to.match(/total 110,000 AUR, more than this epoch's remaining budget \(100,000 AUR\)/);
    });

    it("refuses a voucher larger than the vault's whole budget per period, signing nothing (issue 11 item 12)", async function () {
      const { info, creator, created, fanA, fanB, fanC, referrer, relayer } = await networkHelpers.loadFixture(withVault);
      // fanC gets a recorded referrer: its later vouchers pay the 10% bonus although they name none.
      const { signed } = await signVouchersFromCsv(info, creator, { csv: `${fanC.address},1,${referrer.address}`, firstId: 77n });
      await redeemClaimLink(ethers.provider, relayer, signed[0].link);
      const { signer, signatures } = counting(creator);
      const csv = [
        "recipient,amount,referrer",
        `${fanA.address},100000`, // 2: exactly the budget, no referrer: fine
        `${fanB.address},100000.5`, // 3: over
        `${A},95000,${referrer.address}`, // 4: 95,000 + 9,500 bonus: over
        `${fanC.address},95000`, // 5: the recorded referrer's bonus: over
        `${B},90000,${referrer.address}`, // 6: 99,000 with the bonus: fine
      ].join("\n");
      const error = await signVouchersFromCsv(info, signer, { csv, file: "fans.csv" }).catch((e: unknown) => e);
      expect(error).to.be.instanceOf(CsvError);
      expect((error as CsvError).problems).to.deep.equal([
        { line: 3, message: "100,000.5 AUR is more than the vault's whole budget per period (100,000 AUR): the link could never be redeemed; split it or have the DAO raise the budget" },
        { line: 4, message: "95,000 AUR (104,500 AUR with the referral bonus) is more than the vault's whole budget per period (100,000 AUR): the link could never be redeemed; split it or have the DAO raise the budget" },
        { line: 5, message: "95,000 AUR (104,500 AUR with the referral bonus) is more than the vault's whole budget per period (100,000 AUR): the link could never be redeemed; split it or have the DAO raise the budget" },
      ]);
      expect(signatures()).to.equal(0);
      // The rows that fit one period are signed (and warned about together: they exceed what is left).
      const ok = await signVouchersFromCsv(info, creator, { csv: [`${fanA.address},100000`, `${B},90000,${referrer.address}`].join("\n"), firstId: 900n });
      expect(ok.signed).to.have.length(2);
      expect(ok.warnings[0]).to.match(/more than this epoch's remaining budget/);
      // Without a referral rate no bonus is charged: the whole budget, referrer named, fits.
      await networkHelpers.setBalance(created.timelock, parseEther("1"));
      const timelock = await ethers.getImpersonatedSigner(created.timelock);
      await (await info.vault.connect(timelock).setReferralBps(0)).wait();
      const noBonus = await signVouchersFromCsv(info, creator, { csv: `${fanC.address},100000,${referrer.address}`, firstId: 950n });
      expect(noBonus.signed).to.have.length(1);
    });

    it("uses the clock in ms x 256 as the default first id", async function () {
      const { info, creator } = await networkHelpers.loadFixture(withVault);
      const before = BigInt(Date.now()) << 20n;
      const { signed } = await signVouchersFromCsv(info, creator, { csv: `${A},1\n${B},1` });
      expect(signed[0].voucher.id >= before && signed[0].voucher.id <= BigInt(Date.now()) << 20n).to.equal(true);
      expect(signed[1].voucher.id).to.equal(signed[0].voucher.id + 1n);
    });
  });

  describe("redeem", function () {
    it("reports a second redemption by its decoded custom error", async function () {
      const { info, creator, fanA, relayer } = await networkHelpers.loadFixture(withVault);
      const { signed } = await signVouchersFromCsv(info, creator, { csv: `${fanA.address},1`, firstId: 42n });
      await redeemClaimLink(ethers.provider, relayer, signed[0].link);
      expect(await rejection(redeemClaimLink(ethers.provider, relayer, signed[0].link))).to.equal(
        "redeem would revert: RewardVaultVoucherAlreadyRedeemed(id=42)",
      );
    });

    it("reports an expired voucher by its decoded custom error", async function () {
      const { info, creator, fanA, relayer } = await networkHelpers.loadFixture(withVault);
      const { signed, deadline } = await signVouchersFromCsv(info, creator, { csv: `${fanA.address},1`, firstId: 9n, deadlineDays: 1 });
      await networkHelpers.time.increaseTo(deadline + 1n);
      expect(await rejection(redeemClaimLink(ethers.provider, relayer, signed[0].link))).to.equal(
        `redeem would revert: RewardVaultVoucherExpired(id=9, deadline=${deadline})`,
      );
    });

    it("refuses tampered links, other chains and other vaults before sending anything", async function () {
      const { info, creator, fanA, relayer } = await networkHelpers.loadFixture(withVault);
      const { signed } = await signVouchersFromCsv(info, creator, { csv: `${fanA.address},1`, firstId: 1n });
      const link = signed[0].link;
      const nonce = await ethers.provider.getTransactionCount(relayer.address);

      const moreTokens = link.replace(".1000000000000000000.", ".9000000000000000000.");
      expect(await rejection(redeemClaimLink(ethers.provider, relayer, moreTokens))).to.match(
        new RegExp(`^the claim link's signature is not the vault attester's \\(${creator.address}\\) over this voucher: the link was altered`),
      );
      const otherRecipient = link.replace(fanA.address, relayer.address);
      expect(await rejection(redeemClaimLink(ethers.provider, relayer, otherRecipient))).to.match(/signature is not the vault attester's/);
      const shortSignature = link.slice(0, -10);
      expect(await rejection(redeemClaimLink(ethers.provider, relayer, shortSignature))).to.equal(
        "the claim link's signature is malformed (tampered or truncated link?)",
      );
      expect(await rejection(redeemClaimLink(ethers.provider, relayer, link.replace("v=1.31337.", "v=1.1.")))).to.equal(
        "the claim link is for chain 1, but the connected chain is 31337",
      );
      expect(await rejection(redeemClaimLink(ethers.provider, relayer, link, A))).to.equal(
        `the claim link is for vault ${info.address}, not ${getAddress(A)}`,
      );
      expect(await rejection(redeemClaimLink(ethers.provider, relayer, link.replace(info.address, getAddress(A))))).to.equal(
        `no contract at ${getAddress(A)} on chain 31337`,
      );
      expect(await rejection(redeemClaimLink(ethers.provider, relayer, link.split("&")[0]))).to.equal("claim link has no signature (s=...)");
      expect(await ethers.provider.getTransactionCount(relayer.address)).to.equal(nonce);
      expect(await info.vault.isRedeemed(1n)).to.equal(false);
    });
  });

  describe("campaign", function () {
    it("opens a campaign whose proofs file claims on chain for several accounts", async function () {
      const { info, creator, fanA, fanB, fanC, relayer } = await networkHelpers.loadFixture(withVault);
      const csv = ["account,amount", `${fanA.address},100`, `${fanB.address},250.5`, `${fanC.address},0.000001`].join("\n");
      const plan = await planCampaign(info, { csv, endDays: 14 });
      const opened = await openCampaign(info, creator, plan);
      expect(opened.campaignId).to.equal(0n);

      // What the CLI writes and the web app (or `rewards claim`) reads back.
      const proofs = readProofsFile(JSON.stringify(opened.proofs, null, 2));
      expect(proofs).to.deep.include({ format: "coterie-campaign-1", chainId: "31337", vault: info.address, campaignId: "0" });
      expect(proofs.total).to.equal(parseEther("350.500001").toString());
      expect(proofs.root).to.equal(buildCampaign(parseCampaignCsv(csv, 18)).root);
      const onChain = await info.vault.campaign(0n);
      expect(onChain.root).to.equal(proofs.root);
      expect(onChain.reserved).to.equal(parseEther("350.500001"));
      expect(onChain.end).to.equal(plan.end);
      expect(await info.vault.remainingBudget()).to.equal(BUDGET - parseEther("350.500001"));

      for (const [fan, amount] of [
        [fanA, parseEther("100")],
        [fanB, parseEther("250.5")],
        [fanC, parseEther("0.000001")],
      ] as const) {
        const r = await claimFromProofs(ethers.provider, relayer, proofs, fan.address.toLowerCase());
        expect(r.amount).to.equal(amount);
        expect(r.balance).to.equal(amount);
        expect(await info.token.getVotes(fan.address)).to.equal(amount);
      }
      expect((await info.vault.campaign(0n)).claimed).to.equal(parseEther("350.500001"));
      expect(await rejection(claimFromProofs(ethers.provider, relayer, proofs, fanA.address))).to.equal(
        "claimCampaign would revert: CampaignAlreadyClaimed(campaignId=0, index=0)",
      );
      expect(await rejection(claimFromProofs(ethers.provider, relayer, proofs, relayer.address))).to.equal(
        `${relayer.address} has no claim in this campaign`,
      );
    });

    it("refuses a campaign above the epoch's remaining budget, sending nothing", async function () {
      const { info } = await networkHelpers.loadFixture(withVault);
      const message = await rejection(planCampaign(info, { csv: `${A},99999\n${B},2`, endDays: 7 }));
      expect(message).to.equal("the campaign totals 100,001 AUR but this epoch's remaining budget is 100,000 AUR");
      expect(await info.vault.campaignCount()).to.equal(0n);
    });

    it("decodes a revert from the simulation before sending", async function () {
      const { info, creator } = await networkHelpers.loadFixture(withVault);
      const nonce = await ethers.provider.getTransactionCount(creator.address);
      // An end in the past: openCampaign reverts with CampaignInvalid().
      const plan = await planCampaign(info, { csv: `${A},1`, endDays: 1, now: 1_000n });
      expect(await rejection(openCampaign(info, creator, plan))).to.equal("openCampaign would revert: CampaignInvalid()");
      expect(await ethers.provider.getTransactionCount(creator.address)).to.equal(nonce);
    });

    it("refuses a key that is neither the operator nor the Timelock", async function () {
      const { info, outsider, creator, created } = await networkHelpers.loadFixture(withVault);
      const plan = await planCampaign(info, { csv: `${A},1`, endDays: 1 });
      expect(await rejection(openCampaign(info, outsider, plan))).to.equal(
        `the operator key is for ${outsider.address}, but the vault's operator is ${creator.address} (or its Timelock ${created.timelock})`,
      );
    });

    it("dry run: simulates as the operator, sends nothing, writes campaignId null that cannot be claimed", async function () {
      const { info, fanA, relayer } = await networkHelpers.loadFixture(withVault);
      const plan = await planCampaign(info, { csv: `${fanA.address},5`, endDays: 3 });
      const dry = await openCampaign(info, null, plan);
      expect(dry.campaignId).to.equal(null);
      expect(dry.hash).to.equal(null);
      expect(dry.proofs.campaignId).to.equal(null);
      expect(dry.proofs.claims[fanA.address].amount).to.equal(parseEther("5").toString());
      expect(await info.vault.campaignCount()).to.equal(0n);
      expect(await rejection(claimFromProofs(ethers.provider, relayer, dry.proofs, fanA.address))).to.equal(
        "the proofs file has no campaign id (written by --dry-run): open the campaign first",
      );
    });

    it("refuses a proofs file for another chain or a campaign with another root", async function () {
      const { info, creator, fanA, relayer } = await networkHelpers.loadFixture(withVault);
      const opened = await openCampaign(info, creator, await planCampaign(info, { csv: `${fanA.address},5`, endDays: 3 }));
      expect(await rejection(claimFromProofs(ethers.provider, relayer, { ...opened.proofs, chainId: "1" }, fanA.address))).to.equal(
        "the proofs file is for chain 1, but the connected chain is 31337",
      );
      const other = await openCampaign(info, creator, await planCampaign(info, { csv: `${fanA.address},6`, endDays: 3 }));
      const mixed = { ...other.proofs, campaignId: "0" };
      expect(await rejection(claimFromProofs(ethers.provider, relayer, mixed, fanA.address))).to.match(/is not campaign #0's root/);
      expect(() => readProofsFile("{}", "p.json")).to.throw('p.json is not a Coterie campaign proofs file (format "coterie-campaign-1")');
    });
  });

  describe("status", function () {
    it("shows the token, the vault's figures, the campaigns and a fan's balance, votes and referrals", async function () {
      const { info, creator, fanA, fanB, referrer, relayer, created, factory } = await networkHelpers.loadFixture(withVault);
      const csv = `${fanA.address},100,${referrer.address}\n${fanB.address},20`;
      const { signed } = await signVouchersFromCsv(info, creator, { csv, firstId: 256n });
      for (const s of signed) await redeemClaimLink(ethers.provider, relayer, s.link);
      await openCampaign(info, creator, await planCampaign(info, { csv: `${fanB.address},30`, endDays: 2 }));

      const status = await readStatus(info, { account: fanA.address, factory: await factory.getAddress() });
      const createdAt = (await factory.communityByToken(created.token)).createdAt;
      expect(status.vault.epochEndsAt).to.equal(createdAt + 7n * DAY_BIG);
      expect(await info.vault.epochEndsAt()).to.equal(createdAt + 7n * DAY_BIG);
      const spent = parseEther("100") + parseEther("10") + parseEther("20") + parseEther("30");
      expect(status.vault.spent).to.equal(spent);
      expect(status.account?.referrer).to.equal(referrer.address);

      const text = formatStatus(status);
      for (const expected of [
        `Token Aurora Fans (AUR)  ${created.token}  chain 31337`,
        `supply            ${displayAmount(await info.token.totalSupply(), 18)} AUR of cap 10,000,000 AUR`,
        `attester          ${creator.address}`,
        `operator          ${creator.address}`,
        `timelock          ${created.timelock}`,
        "paused            no",
        "referral bonus    1000 bps (10%)",
        `epoch             #0, 7 days long, ends ${formatTime(createdAt + 7n * DAY_BIG)}`,
        "epoch budget      100,000 AUR",
        `spent             ${displayAmount(spent, 18)} AUR`,
        `remaining         ${displayAmount(BUDGET - spent, 18)} AUR`,
        "Campaigns: 1",
        "#0  open    until",
        "claimed 0 AUR of 30 AUR  (epoch #0)",
        `Account ${fanA.address}`,
        "balance           100 AUR",
        "votes             100 AUR",
        `delegate          ${fanA.address} (self)`,
        `referrer          ${referrer.address}`,
      ]) {
        expect(text).to.include(expected);
      }

      const ofReferrer = formatStatus(await readStatus(info, { account: referrer.address }));
      expect(ofReferrer).to.include("referred fans     1");
      expect(ofReferrer).to.include("referral earned   10 AUR (unclaimed 10 AUR)");
    });

    it("marks an ended campaign and reports a pause", async function () {
      const { info, creator } = await networkHelpers.loadFixture(withVault);
      const plan = await planCampaign(info, { csv: `${A},1`, endDays: 1 });
      await openCampaign(info, creator, plan);
      await networkHelpers.time.increaseTo(plan.end + 1n);
      await (await info.vault.connect(creator).pause()).wait();
      const text = formatStatus(await readStatus(info));
      expect(text).to.include(`#0  ended   ended ${formatTime(plan.end)}`);
      expect(text).to.include("paused            yes");
    });
  });

  describe("decodeRevert", function () {
    it("names the vault's and the token's custom errors with their arguments, and Error(string)", function () {
      const [vaultIface, tokenIface] = vaultInterfaces();
      const data = vaultIface.encodeErrorResult("RewardVaultOverBudget", [5n, 3n]);
      expect(decodeRevert({ data }, vaultInterfaces())).to.equal("RewardVaultOverBudget(requested=5, available=3)");
      expect(decodeRevert({ error: { data: { data } } }, vaultInterfaces())).to.equal("RewardVaultOverBudget(requested=5, available=3)");
      const tokenData = tokenIface.encodeErrorResult("AccessControlUnauthorizedAccount", [ZeroAddress, id("MINTER_ROLE")]);
      expect(decodeRevert({ data: tokenData }, vaultInterfaces())).to.equal(
        `AccessControlUnauthorizedAccount(account=${ZeroAddress}, neededRole=${id("MINTER_ROLE")})`,
      );
      const stringError = "0x08c379a0" + vaultIface.getAbiCoder().encode(["string"], ["nope"]).slice(2);
      expect(decodeRevert({ data: stringError }, vaultInterfaces())).to.equal('Error("nope")');
      const panic = "0x4e487b71" + vaultIface.getAbiCoder().encode(["uint256"], [0x11]).slice(2);
      expect(decodeRevert({ data: panic }, vaultInterfaces())).to.equal("Panic(17)");
      expect(decodeRevert(new Error("network down"), vaultInterfaces())).to.equal(null);
      expect(new RewardsError("x").name).to.equal("RewardsError");
    });
  });
});
