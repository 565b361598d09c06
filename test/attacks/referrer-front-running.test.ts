/**
 * Attack: a referrer swapped by front-running. A MEV searcher watches the mempool for a fan's first
 * reward redemption (which records the fan's referrer for good) or a crowdfund contribution naming a
 * referrer, and submits a copy with a higher fee that names the searcher instead, to collect every
 * future referral bonus on that fan.
 *
 * Defence: the referrer is a field of the attester-signed voucher (RewardVault's EIP-712 struct
 * hash covers recipient, amount, referrer, id and deadline), so changing it breaks the signature;
 * submitting the voucher unchanged only pays the fan and credits the signed referrer. A crowdfund
 * contribution's referrer is an argument of the contributor's own call, credited with that call's
 * amount only. Related: `test/RewardVault.test.ts` "front-running" (a relayer cannot redirect the
 * payment or the referral) and "credits the recorded referrer on the fan's later vouchers, whichever
 * referrer (or none) they name" (the first recorded referrer stays).
 */
import { expect } from "chai";
import { network } from "hardhat";
import { id, parseEther, ZeroAddress, type ContractTransactionResponse } from "ethers";
import { DAY } from "../../scripts/lib/community.ts";
import { encodeVaultConfig, signVoucher, type Voucher } from "../../scripts/lib/rewards.ts";
import { errorName, revertsIn } from "../helpers/funding.ts";
import { createCommunity, deployPlatform, impersonate, inOneBlock, mined, type Connection } from "../helpers/attacks.ts";

const conn = (await network.create()) as Connection;
const { ethers, networkHelpers } = conn;
const { loadFixture, time } = networkHelpers;

const T = (n: number): bigint => parseEther(String(n));
const GWEI = 1_000_000_000n;
const MINTER_ROLE = id("MINTER_ROLE");

/** Aurora with a vault paying a 10% referral bonus (attester: signer 2), and a searcher. */
async function withVault() {
  const platform = await deployPlatform(conn);
  const [, creator, attester, fan, referrer, searcher] = platform.signers;
  const aurora = await createCommunity(conn, platform, creator, {
    salt: id("front-running"),
    rewardVaultConfig: encodeVaultConfig({
      attester: attester.address,
      epochBudget: T(10_000),
      epochLength: 7 * DAY,
      referralBps: 1_000,
    }),
  });
  const chainId = (await ethers.provider.getNetwork()).chainId;
  const v: Voucher = {
    recipient: fan.address,
    amount: T(100),
    referrer: referrer.address,
    id: 1n,
    deadline: BigInt(await time.latest()) + BigInt(DAY),
  };
  const signature = await signVoucher(attester, chainId, aurora.rewardVault, v);
  return { platform, creator, attester, fan, referrer, searcher, aurora, vault: aurora.vault, token: aurora.token, v, signature };
}

/** The fan's transaction at a low fee, and what a searcher reads of it from the mempool. */
async function pendingRedemption(c: Awaited<ReturnType<typeof withVault>>) {
  const fanTx = await c.vault
    .connect(c.fan)
    .redeem(c.v, c.signature, { gasLimit: 400_000, maxFeePerGas: 10n * GWEI, maxPriorityFeePerGas: GWEI });
  const seen = await ethers.provider.getTransaction(fanTx.hash);
  if (seen === null) throw new Error("the fan's transaction is not in the mempool");
  const [voucher, signature] = c.vault.interface.decodeFunctionData("redeem", seen.data);
  return { fanTx, voucher: voucher.toObject() as Voucher, signature: signature as string };
}

async function statusOf(tx: ContractTransactionResponse): Promise<number | null> {
  return (await ethers.provider.getTransactionReceipt(tx.hash))?.status ?? null;
}

const higherFee = { gasLimit: 400_000, maxFeePerGas: 100n * GWEI, maxPriorityFeePerGas: 50n * GWEI };

describe("Attack: a referrer swapped by front-running", function () {
  it("a searcher's copy of a pending first redemption naming itself as referrer lands first and is refused; the signed referrer is recorded", async function () {
    const c = await loadFixture(withVault);
    const [fanTx, searcherTx] = await inOneBlock(conn, async () => {
      const pending = await pendingRedemption(c);
      const swapped = { ...pending.voucher, referrer: c.searcher.address };
      const copy = await c.vault.connect(c.searcher).redeem(swapped, pending.signature, higherFee);
      return [pending.fanTx, copy];
    });
    const block = await ethers.provider.getBlock("latest", false);
    expect(block?.transactions).to.deep.equal([searcherTx.hash, fanTx.hash], "the searcher's copy was ordered first");
    expect(await statusOf(searcherTx)).to.equal(0, "the swapped copy reverted");
    const reverts = await revertsIn(ethers.provider, searcherTx.hash);
    expect(reverts.map((r) => errorName(c.vault.interface, r.data))).to.include("RewardVaultBadSignature");
    expect(await statusOf(fanTx)).to.equal(1);
    expect(await c.vault.referrerOf(c.fan.address)).to.equal(c.referrer.address);
    expect((await c.vault.referralStats(c.searcher.address)).referredFans).to.equal(0n);
    expect(await c.token.balanceOf(c.fan.address)).to.equal(c.v.amount);
  });

  it("a searcher who front-runs the unchanged redemption only pays the fan's gas: the fan is paid, the signed referrer recorded and credited", async function () {
    const c = await loadFixture(withVault);
    const [fanTx, searcherTx] = await inOneBlock(conn, async () => {
      const pending = await pendingRedemption(c);
      const copy = await c.vault.connect(c.searcher).redeem(pending.voucher, pending.signature, higherFee);
      return [pending.fanTx, copy];
    });
    expect(await statusOf(searcherTx)).to.equal(1);
    expect(await statusOf(fanTx)).to.equal(0, "the fan's own submission finds the id spent");
    expect(await c.token.balanceOf(c.fan.address)).to.equal(c.v.amount);
    expect(await c.token.balanceOf(c.searcher.address)).to.equal(0n);
    expect(await c.vault.referrerOf(c.fan.address)).to.equal(c.referrer.address);
    expect((await c.vault.referralStats(c.referrer.address)).earned).to.equal(c.v.amount / 10n);
  });

  it("a crowdfund contribution's referrer cannot be taken by a searcher's own contribution ahead of it", async function () {
    const c = await loadFixture(withVault);
    const deadline = BigInt(await time.latest()) + BigInt(10 * DAY);
    const params = { paymentToken: ZeroAddress, goal: T(10), cap: T(20), deadline, price: T(1_000), referralBps: 500n };
    const address = await c.platform.crowdfundFactory.predictCrowdfund(c.aurora.token.target, c.creator.address, id("cf"));
    await mined(c.platform.crowdfundFactory.connect(c.creator).createCrowdfund(c.aurora.token.target, params, id("cf")));
    const crowdfund = await ethers.getContractAt("Crowdfund", address);
    const [fanTx, searcherTx] = await inOneBlock(conn, async () => {
      const fan = await crowdfund
        .connect(c.fan)
        .contribute(T(8), c.referrer.address, { value: T(8), gasLimit: 300_000, maxFeePerGas: 10n * GWEI, maxPriorityFeePerGas: GWEI });
      const copy = await crowdfund
        .connect(c.searcher)
        .contribute(T(2), c.searcher.address, { value: T(2), ...higherFee });
      return [fan, copy];
    });
    expect(await statusOf(searcherTx)).to.equal(1);
    expect(await statusOf(fanTx)).to.equal(1);
    expect(await crowdfund.referredBy(c.referrer.address)).to.equal(T(8), "the fan's referrer keeps the fan's contribution");
    expect(await crowdfund.referredBy(c.searcher.address)).to.equal(0n, "a self-referral credits nothing");
    // Success: the referrer's bonus is 5% of the tokens the fan's 8 ETH bought.
    await mined(c.aurora.token.connect(await impersonate(conn, c.aurora.timelock)).grantRole(MINTER_ROLE, address));
    await time.increaseTo(deadline + 1n);
    await mined(crowdfund.finalize());
    const [, bonus] = await crowdfund.claimableTokens(c.referrer.address);
    expect(bonus).to.equal((T(8_000) * 500n) / 10_000n);
    const [, searcherBonus] = await crowdfund.claimableTokens(c.searcher.address);
    expect(searcherBonus).to.equal(0n);
  });
});
