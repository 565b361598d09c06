/**
 * Attack: reentrancy through an ETH refund or revenue claim. A contract receiving ETH from a
 * crowdfund refund or a revenue claim runs code in its `receive` while the paying contract is
 * mid-call, and calls back into it (the same function, another one, or the same one for another
 * account) to be paid twice.
 *
 * Defence: Crowdfund and RevenueShare follow checks-effects-interactions (the contribution is
 * deleted, the claim cursor moved, before any ETH leaves) and guard every function that moves value
 * with a reentrancy flag; a revenue share is computed from balances before each deposit's block,
 * so tokens handed to an accomplice mid-claim earn nothing again. Related: `test/Crowdfund.test.ts`
 * "a contributor re-entering refund from its receive is refused (CrowdfundReentrantCall) and paid
 * exactly once …", "a fee recipient re-entering from its receive during finalize is refused and
 * still paid once"; `test/RevenueShare.test.ts` "a reentrant ETH claimer cannot claim twice …".
 */
import { expect } from "chai";
import { network } from "hardhat";
import { id, parseEther, ZeroAddress } from "ethers";
import { DAY } from "../../scripts/lib/community.ts";
import { createCommunity, deployPlatform, impersonate, mined, type Connection } from "../helpers/attacks.ts";
import { errorName, revertsIn } from "../helpers/funding.ts";

const conn = (await network.create()) as Connection;
const { ethers, networkHelpers } = conn;
const { loadFixture, time } = networkHelpers;

const E = (n: number): bigint => parseEther(String(n));
const REVENUE_ROLE = id("REVENUE_ROLE");
const SUPPLY = E(1_000_000);

async function withCommunity() {
  const platform = await deployPlatform(conn);
  const [, creator, alice, accomplice, depositor] = platform.signers;
  const aurora = await createCommunity(conn, platform, creator, { salt: id("reentrancy") });
  const timelock = await impersonate(conn, aurora.timelock);
  return { platform, creator, alice, accomplice, depositor, aurora, timelock };
}

/** A revenue share approved by the DAO; a RevenueDoubleDipper holds 100,000 tokens, alice 100,000; 10 ETH deposited. */
async function withRevenueDeposit() {
  const c = await withCommunity();
  const { revenueShareFactory } = c.platform;
  const address = await revenueShareFactory.revenueShareOf(c.aurora.token.target);
  await mined(revenueShareFactory.createRevenueShare(c.aurora.token.target));
  const revenue = await ethers.getContractAt("RevenueShare", address);
  await mined(c.aurora.token.connect(c.timelock).grantRole(REVENUE_ROLE, address));
  const dipper = await ethers.deployContract("RevenueDoubleDipper", [address, c.aurora.token.target, c.accomplice.address]);
  await mined(c.aurora.token.connect(c.creator).transfer(dipper.target, E(100_000)));
  await mined(c.aurora.token.connect(c.creator).transfer(c.alice.address, E(100_000)));
  await mined(revenue.connect(c.depositor).depositETH({ value: E(10) }));
  return { ...c, revenue, dipper };
}

/** An ETH crowdfund that missed its goal: a ReentrantContributor paid 2 ETH, alice 3 ETH. */
async function withFailedCrowdfund() {
  const c = await withCommunity();
  const deadline = BigInt(await time.latest()) + BigInt(10 * DAY);
  const params = { paymentToken: ZeroAddress, goal: E(10), cap: E(20), deadline, price: E(1_000), referralBps: 0n };
  const { crowdfundFactory } = c.platform;
  const address = await crowdfundFactory.predictCrowdfund(c.aurora.token.target, c.creator.address, id("cf"));
  await mined(crowdfundFactory.connect(c.creator).createCrowdfund(c.aurora.token.target, params, id("cf")));
  const crowdfund = await ethers.getContractAt("Crowdfund", address);
  const attacker = await ethers.deployContract("ReentrantContributor", [address]);
  await mined(attacker.contribute({ value: E(2) }));
  await mined(crowdfund.connect(c.alice).contribute(E(3), ZeroAddress, { value: E(3) }));
  await time.increaseTo(deadline + 1n);
  return { ...c, crowdfund, attacker };
}

describe("Attack: reentrancy through an ETH refund or revenue claim", function () {
  it("a holder that hands its tokens to an accomplice and claims for it from inside its own revenue payment is refused, and the accomplice earns nothing later", async function () {
    const c = await loadFixture(withRevenueDeposit);
    const { revenue, dipper, accomplice } = c;
    const share = (E(100_000) * E(10)) / SUPPLY;
    const tx = dipper.claimOwn();
    await expect(tx).to.changeEtherBalances(ethers, [dipper.target, revenue.target], [share, -share]);
    expect(await dipper.attempts()).to.equal(1n);
    expect(await dipper.refused()).to.equal(1n, "the re-entrant claim for the accomplice was refused");
    expect(errorName(revenue.interface, await dipper.lastError())).to.equal("RevenueShareReentrantCall");
    expect(await c.aurora.token.balanceOf(accomplice.address)).to.equal(E(100_000), "the accomplice holds the tokens now");
    // Claimed again for the accomplice, outside the payment: its balance before the deposit's block was 0.
    const before = await ethers.provider.getBalance(accomplice.address);
    await mined(revenue.connect(c.depositor).claim(ZeroAddress, accomplice.address, 10n));
    expect(await ethers.provider.getBalance(accomplice.address)).to.equal(before, "the accomplice earned nothing");
    expect(await revenue.claimedOf(ZeroAddress, 0n)).to.equal(share, "the deposit paid one share for those tokens");
    // Honest holders are unaffected.
    await expect(revenue.claim(ZeroAddress, c.alice.address, 10n)).to.changeEtherBalance(ethers, c.alice, share);
  });

  it("a contributor re-entering another guarded function (withdrawPayout) while its refund is paid is refused, and is refunded once", async function () {
    const c = await loadFixture(withFailedCrowdfund);
    const { crowdfund, attacker } = c;
    await mined(attacker.setMode(2));
    const tx = attacker.askRefund();
    await expect(tx).to.changeEtherBalances(ethers, [attacker.target, crowdfund.target], [E(2), -E(2)]);
    expect(await attacker.attempts()).to.equal(1n);
    expect(await attacker.refused()).to.equal(1n);
    const reverts = await revertsIn(ethers.provider, (await tx).hash);
    expect(reverts.map((r) => errorName(crowdfund.interface, r.data))).to.include("CrowdfundReentrantCall");
    await expect(attacker.askRefund())
      .to.be.revertedWithCustomError(crowdfund, "CrowdfundNothingToClaim")
      .withArgs(attacker.target);
    await expect(crowdfund.connect(c.alice).refund(c.alice.address)).to.changeEtherBalance(ethers, c.alice, E(3));
    expect(await ethers.provider.getBalance(crowdfund.target)).to.equal(0n);
  });
});
