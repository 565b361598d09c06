/**
 * Attack: griefing by a contract that rejects ETH. A contributor, holder, fee recipient or payee
 * that reverts on every ETH transfer tries to make a payout loop revert so that nobody else is
 * paid: a crowdfund that cannot finalise or refund, a revenue share that cannot pay, a treasury
 * that cannot execute.
 *
 * Defence: nothing pays several parties in one loop. Crowdfund refunds and revenue claims are pulled
 * per account (a rejecter only fails its own, and may have its refund sent elsewhere); a crowdfund's
 * treasury and fee payouts at finalisation are attempted once and, if refused, kept for
 * `withdrawPayout` instead of reverting; every Timelock operation executes on its own. Related:
 * `test/Crowdfund.test.ts` "a contributor that rejects ETH cannot take its refund itself … and
 * blocks nobody", "defers an ETH payout the fee recipient rejects (PayoutDeferred) without blocking
 * the treasury or claims …"; `test/RevenueShare.test.ts` "an ETH-rejecting holder's claim reverts …
 * without moving its cursor or blocking anyone else"; `test/CommunityFactory.test.ts` "reverts
 * FactoryEthTransferFailed when a creator contract rejects its change, and succeeds without change".
 */
import { expect } from "chai";
import { network } from "hardhat";
import { id, parseEther, ZeroAddress } from "ethers";
import { DAY } from "../../scripts/lib/community.ts";
import { buildProposal, GovernorHelper, VoteType } from "../../scripts/lib/governance.ts";
import { CrowdfundState } from "../helpers/funding.ts";
import { createCommunity, deployPlatform, impersonate, mined, type Connection } from "../helpers/attacks.ts";

const conn = (await network.create()) as Connection;
const { ethers, networkHelpers } = conn;
const { loadFixture, time } = networkHelpers;

const E = (n: number): bigint => parseEther(String(n));
const MINTER_ROLE = id("MINTER_ROLE");

/**
 * Aurora, and a platform whose fee recipient (set by the impersonated platform Timelock) is an
 * EthRejecter, with a 5% crowdfund fee; a second EthRejecter takes part as a contributor.
 */
async function withGriefers() {
  const platform = await deployPlatform(conn);
  const [, creator, alice, bob, outsider] = platform.signers;
  const aurora = await createCommunity(conn, platform, creator, { salt: id("griefing") });
  const timelock = await impersonate(conn, aurora.timelock);
  const platformTimelock = await impersonate(conn, await platform.platformTimelock.getAddress());
  const rejectingFeeRecipient = await ethers.deployContract("EthRejecter");
  const rejecter = await ethers.deployContract("EthRejecter");
  await mined(platform.factory.connect(platformTimelock).setFeeRecipient(rejectingFeeRecipient.target));
  await mined(platform.crowdfundFactory.connect(platformTimelock).setFeeBps(500n));
  return { platform, creator, alice, bob, outsider, aurora, timelock, rejectingFeeRecipient, rejecter };
}

type Ctx = Awaited<ReturnType<typeof withGriefers>>;

/** An ETH crowdfund of Aurora (goal 10, cap 20) with alice 6 ETH, bob 3 ETH and the rejecter 2 ETH. */
async function crowdfundWithRejecter(c: Ctx) {
  const deadline = BigInt(await time.latest()) + BigInt(10 * DAY);
  const params = { paymentToken: ZeroAddress, goal: E(10), cap: E(20), deadline, price: E(1_000), referralBps: 0n };
  const token = c.aurora.token.target as string;
  const address = await c.platform.crowdfundFactory.predictCrowdfund(token, c.creator.address, id("cf"));
  await mined(c.platform.crowdfundFactory.connect(c.creator).createCrowdfund(token, params, id("cf")));
  const crowdfund = await ethers.getContractAt("Crowdfund", address);
  await mined(crowdfund.connect(c.alice).contribute(E(6), ZeroAddress, { value: E(6) }));
  await mined(crowdfund.connect(c.bob).contribute(E(3), ZeroAddress, { value: E(3) }));
  const contribute = crowdfund.interface.encodeFunctionData("contribute", [E(2), ZeroAddress]);
  await mined(c.rejecter.forward(address, contribute, { value: E(2) }));
  return { crowdfund, address, deadline };
}

describe("Attack: griefing by a contract that rejects ETH", function () {
  it("a rejecting fee recipient cannot block a crowdfund's success: the treasury is paid, the fee is kept for it, everyone claims", async function () {
    const c = await loadFixture(withGriefers);
    const { crowdfund, address, deadline } = await crowdfundWithRejecter(c);
    await mined(c.aurora.token.connect(c.timelock).grantRole(MINTER_ROLE, address));
    await time.increaseTo(deadline + 1n);
    const fee = (E(11) * 500n) / 10_000n;
    const tx = crowdfund.connect(c.outsider).finalize();
    await expect(tx).to.emit(crowdfund, "PayoutDeferred").withArgs(c.rejectingFeeRecipient.target, fee);
    await expect(tx).to.changeEtherBalance(ethers, c.aurora.timelock, E(11) - fee);
    expect(await crowdfund.state()).to.equal(CrowdfundState.Succeeded);
    expect(await crowdfund.payoutOwed(c.rejectingFeeRecipient.target)).to.equal(fee);
    for (const account of [c.alice.address, c.bob.address, c.rejecter.target as string]) {
      await mined(crowdfund.connect(c.outsider).claimTokens(account));
    }
    expect(await c.aurora.token.balanceOf(c.rejecter.target)).to.equal(E(2_000));
    // Only the rejecter's own payout waits, for as long as it refuses.
    await expect(crowdfund.withdrawPayout(c.rejectingFeeRecipient.target)).to.be.revertedWithCustomError(
      crowdfund,
      "CrowdfundEthTransferFailed"
    );
  });

  it("a rejecting contributor cannot block a failed crowdfund's refunds: it fails only its own, which it may send elsewhere", async function () {
    const c = await loadFixture(withGriefers);
    const { crowdfund, address, deadline } = await crowdfundWithRejecter(c);
    // The goal was reached but the DAO never granted MINTER_ROLE: after the mint grace it fails.
    await time.increaseTo(deadline + BigInt(30 * DAY) + 1n);
    await mined(crowdfund.finalize());
    expect(await crowdfund.state()).to.equal(CrowdfundState.Failed);
    const refundToSelf = crowdfund.interface.encodeFunctionData("refund", [c.rejecter.target]);
    await expect(c.rejecter.forward(address, refundToSelf))
      .to.be.revertedWithCustomError(crowdfund, "CrowdfundEthTransferFailed")
      .withArgs(c.rejecter.target, E(2));
    await expect(crowdfund.connect(c.alice).refund(c.alice.address)).to.changeEtherBalance(ethers, c.alice, E(6));
    await expect(crowdfund.connect(c.bob).refund(c.bob.address)).to.changeEtherBalance(ethers, c.bob, E(3));
    const refundElsewhere = crowdfund.interface.encodeFunctionData("refund", [c.outsider.address]);
    await expect(c.rejecter.forward(address, refundElsewhere)).to.changeEtherBalance(ethers, c.outsider, E(2));
    expect(await ethers.provider.getBalance(address)).to.equal(0n);
  });

  it("a rejecting holder cannot block a revenue share: its claim fails alone, others are paid, its share is swept to the treasury", async function () {
    const c = await loadFixture(withGriefers);
    const { revenueShareFactory } = c.platform;
    const address = await revenueShareFactory.revenueShareOf(c.aurora.token.target);
    await mined(revenueShareFactory.createRevenueShare(c.aurora.token.target));
    const revenue = await ethers.getContractAt("RevenueShare", address);
    await mined(c.aurora.token.connect(c.timelock).grantRole(id("REVENUE_ROLE"), address));
    await mined(c.aurora.token.connect(c.creator).transfer(c.rejecter.target, E(500_000)));
    await mined(c.aurora.token.connect(c.creator).transfer(c.alice.address, E(500_000)));
    await mined(revenue.connect(c.bob).depositETH({ value: E(2) }));
    await expect(revenue.claim(ZeroAddress, c.rejecter.target, 10n))
      .to.be.revertedWithCustomError(revenue, "RevenueShareEthTransferFailed")
      .withArgs(c.rejecter.target, E(1));
    await expect(revenue.claim(ZeroAddress, c.alice.address, 10n)).to.changeEtherBalance(ethers, c.alice, E(1));
    await time.increase(365 * DAY + 1);
    await expect(revenue.sweep(ZeroAddress, 0n)).to.changeEtherBalance(ethers, c.aurora.timelock, E(1));
  });

  it("a proposal paying a rejecting contract fails on its own: the treasury still executes the next proposal", async function () {
    const c = await loadFixture(withGriefers);
    await mined(c.creator.sendTransaction({ to: c.aurora.timelock, value: E(10) }));
    const pay = (to: string, description: string) =>
      new GovernorHelper(c.aurora.governor, time, buildProposal([{ target: to, data: "0x", value: E(1) }], description));
    const toRejecter = pay(c.rejecter.target as string, "pay the rejecter");
    const toAlice = pay(c.alice.address, "pay alice");
    await toRejecter.propose(c.creator);
    await toAlice.propose(c.creator);
    await toAlice.waitForSnapshot();
    for (const p of [toRejecter, toAlice]) await mined(p.vote(c.creator, VoteType.For));
    await toAlice.waitForDeadline(1n);
    for (const p of [toRejecter, toAlice]) await mined(p.queue());
    await toAlice.waitForEta();
    const treasury = await ethers.provider.getBalance(c.aurora.timelock);
    await expect(toRejecter.execute()).to.be.revertedWithCustomError(c.rejecter, "EthRejecterRejected").withArgs(E(1));
    await expect(toAlice.execute()).to.changeEtherBalance(ethers, c.alice, E(1));
    expect(await ethers.provider.getBalance(c.aurora.timelock)).to.equal(treasury - E(1));
  });
});
