/**
 * Attack: force-sent ETH or tokens skewing accounting. ETH can reach any address without its
 * consent (a contract that self-destructs to it, or ETH sent to a clone's predicted address before
 * the clone exists), and any ERC-20 can be transferred to any address. An attacker uses that to push
 * a crowdfund over its goal or cap, to inflate or deflate revenue shares, or to make a sweep pay out
 * what was never deposited.
 *
 * Defence: Crowdfund and RevenueShare never read their own balances for accounting: `raised`, each
 * contribution and each deposit are recorded amounts, payouts and sweeps pay recorded amounts; in a
 * revenue share whatever is forced in simply stays, and a crowdfund sends what it holds above what it
 * owes (`owedOf`) to the treasury with `sweepStrayTokens`. Related: `test/Crowdfund.test.ts` "ignores ETH added out of
 * band …" (three tests, balances set directly), "ignores payment and community tokens transferred
 * directly …", "sends any ERC-20 it does not account for to the treasury …";
 * `test/RevenueShare.test.ts` "force-sent ETH changes no share and is not swept"; the invariant
 * "money conserved" in `contracts/funding/Crowdfund.t.sol` (its handler forces ETH in).
 */
import { expect } from "chai";
import { network } from "hardhat";
import { id, MaxUint256, parseEther, ZeroAddress } from "ethers";
import { DAY } from "../../scripts/lib/community.ts";
import { CrowdfundState } from "../helpers/funding.ts";
import { createCommunity, deployPlatform, forceSend, impersonate, mined, type Connection } from "../helpers/attacks.ts";

const conn = (await network.create()) as Connection;
const { ethers, networkHelpers } = conn;
const { loadFixture, time } = networkHelpers;

const E = (n: number): bigint => parseEther(String(n));
const REVENUE_ROLE = id("REVENUE_ROLE");
const SUPPLY = E(1_000_000);

async function withCommunity() {
  const platform = await deployPlatform(conn);
  const [, creator, alice, bob, attacker] = platform.signers;
  const aurora = await createCommunity(conn, platform, creator, { salt: id("force") });
  const timelock = await impersonate(conn, aurora.timelock);
  return { platform, creator, alice, bob, attacker, aurora, timelock };
}

describe("Attack: force-sent ETH or tokens skewing accounting", function () {
  it("ETH forced into a crowdfund, before it exists and after, is not raised: the cap stays open, a missed goal fails, everyone is refunded exactly, the forced ETH is swept to the treasury", async function () {
    const c = await loadFixture(withCommunity);
    const { crowdfundFactory } = c.platform;
    const token = c.aurora.token.target as string;
    const salt = id("release");
    const address = await crowdfundFactory.predictCrowdfund(token, c.creator.address, salt);
    // 30 ETH forced on the address the crowdfund will occupy, more than its goal and cap.
    await forceSend(c.attacker, address, E(30));
    const deadline = BigInt(await time.latest()) + BigInt(10 * DAY);
    const params = { paymentToken: ZeroAddress, goal: E(10), cap: E(20), deadline, price: E(1_000), referralBps: 0n };
    await mined(crowdfundFactory.connect(c.creator).createCrowdfund(token, params, salt));
    const crowdfund = await ethers.getContractAt("Crowdfund", address);
    await mined(crowdfund.connect(c.alice).contribute(E(4), ZeroAddress, { value: E(4) }));
    await forceSend(c.attacker, address, E(50)); // and more while it runs
    await mined(crowdfund.connect(c.bob).contribute(E(3), ZeroAddress, { value: E(3) }));
    expect(await crowdfund.raised()).to.equal(E(7));
    expect(await crowdfund.state()).to.equal(CrowdfundState.Active, "80 ETH forced in did not fill the 20 ETH cap");
    expect(await ethers.provider.getBalance(address)).to.equal(E(87));

    // The DAO approved minting, so only the recorded 7 ETH stand between the crowdfund and success.
    await mined(c.aurora.token.connect(c.timelock).grantRole(id("MINTER_ROLE"), address));
    await time.increaseTo(deadline + 1n);
    await expect(crowdfund.finalize()).to.emit(crowdfund, "Failed").withArgs(E(7), false);
    expect(await crowdfund.state()).to.equal(CrowdfundState.Failed);
    await expect(crowdfund.connect(c.alice).refund(c.alice.address)).to.changeEtherBalance(ethers, c.alice, E(4));
    await expect(crowdfund.connect(c.bob).refund(c.bob.address)).to.changeEtherBalance(ethers, c.bob, E(3));
    await expect(crowdfund.connect(c.attacker).refund(c.attacker.address))
      .to.be.revertedWithCustomError(crowdfund, "CrowdfundNothingToClaim")
      .withArgs(c.attacker.address);
    expect(await ethers.provider.getBalance(address)).to.equal(E(80), "the forced ETH is paid to nobody");
    // Issue 11 item 5: nothing is stranded: what it does not owe goes to the treasury.
    await expect(crowdfund.connect(c.attacker).sweepStrayTokens(ZeroAddress)).to.changeEtherBalance(ethers, c.aurora.timelock, E(80));
    expect(await c.aurora.token.totalSupply()).to.equal(SUPPLY, "nothing minted");
  });

  it("ETH forced into a revenue share and tokens transferred to it directly are no deposit: shares and sweeps follow recorded deposits only", async function () {
    const c = await loadFixture(withCommunity);
    const { revenueShareFactory } = c.platform;
    const address = await revenueShareFactory.revenueShareOf(c.aurora.token.target);
    await forceSend(c.attacker, address, E(5)); // before it exists
    await mined(revenueShareFactory.createRevenueShare(c.aurora.token.target));
    const revenue = await ethers.getContractAt("RevenueShare", address);
    await mined(c.aurora.token.connect(c.timelock).grantRole(REVENUE_ROLE, address));
    const usd = await ethers.deployContract("MockERC20", ["Mock USD", "mUSD"]);
    await mined(usd.mint(c.bob.address, E(1_000)));
    await mined(usd.mint(c.attacker.address, E(1_000)));
    await mined(usd.connect(c.bob).approve(address, MaxUint256));
    await mined(c.aurora.token.connect(c.creator).transfer(c.alice.address, E(250_000)));

    await mined(revenue.connect(c.bob).depositETH({ value: E(1) }));
    await mined(revenue.connect(c.bob).depositToken(usd.target, E(100)));
    await forceSend(c.attacker, address, E(5)); // and after
    await mined(usd.connect(c.attacker).transfer(address, E(900))); // tokens sent directly
    expect(await revenue.depositCount(ZeroAddress)).to.equal(1n);
    expect(await revenue.depositCount(usd.target)).to.equal(1n);

    // Alice held a quarter of the supply before the deposits' blocks: a quarter of each recorded deposit.
    await expect(revenue.claim(ZeroAddress, c.alice.address, 10n)).to.changeEtherBalance(ethers, c.alice, E(0.25));
    await expect(revenue.claim(usd.target, c.alice.address, 10n)).to.changeTokenBalance(ethers, usd, c.alice, E(25));
    // After the claim window the sweep pays the treasury the unclaimed remainder of each deposit, nothing more.
    await time.increase(365 * DAY + 1);
    await expect(revenue.sweep(ZeroAddress, 0n)).to.changeEtherBalance(ethers, c.aurora.timelock, E(0.75));
    await expect(revenue.sweep(usd.target, 0n)).to.changeTokenBalance(ethers, usd, c.aurora.timelock, E(75));
    expect(await ethers.provider.getBalance(address)).to.equal(E(10), "the forced ETH stays");
    expect(await usd.balanceOf(address)).to.equal(E(900), "the directly sent tokens stay");
  });
});
