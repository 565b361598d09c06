/**
 * Attack: creation by anyone of a community at a predicted address of someone else. Community,
 * crowdfund and revenue-share addresses are predictable before creation (CREATE2) so creators can
 * publish them in advance. An attacker who sees a creator's pending `createCommunity` (or a
 * published salt) copies it with a higher fee to occupy those addresses with contracts it controls,
 * so the creator's transaction fails and fans who trusted the published addresses meet the
 * attacker's token, treasury and governor.
 *
 * Defence: the token's CREATE2 salt is `keccak256(creator, salt)` and the other components' salts
 * are bound to the token's address, so the same parameters from another sender land elsewhere; a
 * crowdfund's salt binds the token and the caller (only the community's creator or Timelock may
 * create one); a revenue share's address is fixed by its token and treasury, which are also its only
 * possible initialisation, so whoever creates it creates the community's own. Related:
 * `test/CommunityFactory.test.ts` "does not let anyone occupy another creator's predicted addresses
 * by front-running their salt", `test/Crowdfund.test.ts` "refuses anyone else, including another
 * community's creator (CrowdfundFactoryNotCreator)".
 */
import { expect } from "chai";
import { network } from "hardhat";
import { id, parseEther, ZeroAddress } from "ethers";
import { communityParams, DAY } from "../../scripts/lib/community.ts";
import { createCommunity, deployPlatform, forceSend, impersonate, inOneBlock, mined, type Connection } from "../helpers/attacks.ts";

const conn = (await network.create()) as Connection;
const { ethers, networkHelpers } = conn;
const { loadFixture, time } = networkHelpers;

const E = (n: number): bigint => parseEther(String(n));
const GWEI = 1_000_000_000n;

async function withPlatform() {
  const platform = await deployPlatform(conn);
  const [, creator, attacker, fan] = platform.signers;
  return { platform, creator, attacker, fan };
}

describe("Attack: creating a community at someone else's predicted address", function () {
  it("a searcher copying a creator's pending createCommunity with a higher fee lands elsewhere; the creator gets exactly the published addresses", async function () {
    const { platform, creator, attacker, fan } = await loadFixture(withPlatform);
    const { factory } = platform;
    const salt = id("aurora-launch");
    const published = await factory.predictAddresses(creator.address, salt);
    // Fans were told to send support to the published treasury before launch: it arrives whatever happens.
    await forceSend(fan, published.timelock, E(1));

    const [creatorTx, attackerTx] = await inOneBlock(conn, async () => {
      const own = await factory
        .connect(creator)
        .createCommunity(communityParams({ salt }), { gasLimit: 3_000_000, maxFeePerGas: 10n * GWEI, maxPriorityFeePerGas: GWEI });
      const seen = await ethers.provider.getTransaction(own.hash);
      if (seen === null) throw new Error("not in the mempool");
      const copy = await attacker.sendTransaction({
        to: seen.to,
        data: seen.data,
        gasLimit: 3_000_000,
        maxFeePerGas: 100n * GWEI,
        maxPriorityFeePerGas: 50n * GWEI,
      });
      return [own, copy];
    });
    const block = await ethers.provider.getBlock("latest", false);
    expect(block?.transactions).to.deep.equal([attackerTx.hash, creatorTx.hash], "the copy was ordered first");
    expect((await ethers.provider.getTransactionReceipt(attackerTx.hash))?.status).to.equal(1);
    expect((await ethers.provider.getTransactionReceipt(creatorTx.hash))?.status).to.equal(1, "the creator's creation still succeeded");

    const theirs = await factory.predictAddresses(attacker.address, salt);
    for (const key of ["token", "governor", "timelock", "rewardVault"] as const) {
      expect(theirs[key]).to.not.equal(published[key]);
    }
    const mine = await factory.communityByToken(published.token);
    expect(mine.creator).to.equal(creator.address);
    expect([mine.governor, mine.timelock, mine.rewardVault]).to.deep.equal([
      published.governor,
      published.timelock,
      published.rewardVault,
    ]);
    const token = await ethers.getContractAt("SocialToken", published.token);
    expect(await token.balanceOf(creator.address)).to.equal(communityParams().creatorAllocation);
    expect(await token.hasRole(await token.DEFAULT_ADMIN_ROLE(), published.timelock)).to.equal(true);
    expect(await ethers.provider.getBalance(published.timelock)).to.equal(E(1), "the early support reached the creator's treasury");
    expect((await factory.communityByToken(theirs.token)).creator).to.equal(attacker.address);
  });

  it("nobody but a community's creator or Timelock starts its crowdfunds, and the creator cannot take the Timelock's predicted crowdfund address", async function () {
    const { platform, creator, attacker } = await loadFixture(withPlatform);
    const aurora = await createCommunity(conn, platform, creator, { salt: id("aurora") });
    const token = aurora.token.target as string;
    const { crowdfundFactory } = platform;
    const salt = id("release");
    const params = {
      paymentToken: ZeroAddress,
      goal: E(10),
      cap: E(20),
      deadline: BigInt(await time.latest()) + BigInt(10 * DAY),
      price: E(1_000),
      referralBps: 0n,
    };
    await expect(crowdfundFactory.connect(attacker).createCrowdfund(token, params, salt))
      .to.be.revertedWithCustomError(crowdfundFactory, "CrowdfundFactoryNotCreator")
      .withArgs(attacker.address);
    // The DAO announced a crowdfund at the Timelock's address for this salt; the creator uses the same salt first.
    const daoAddress = await crowdfundFactory.predictCrowdfund(token, aurora.timelock, salt);
    await mined(crowdfundFactory.connect(creator).createCrowdfund(token, params, salt));
    expect(await ethers.provider.getCode(daoAddress)).to.equal("0x");
    const timelock = await impersonate(conn, aurora.timelock);
    await mined(crowdfundFactory.connect(timelock).createCrowdfund(token, params, salt));
    const daoCrowdfund = await ethers.getContractAt("Crowdfund", daoAddress);
    expect(await daoCrowdfund.treasury()).to.equal(aurora.timelock);
  });

  it("whoever creates a community's revenue share creates the community's own: its address admits no other token or treasury", async function () {
    const { platform, creator, attacker } = await loadFixture(withPlatform);
    const aurora = await createCommunity(conn, platform, creator, { salt: id("aurora") });
    const { revenueShareFactory } = platform;
    const predicted = await revenueShareFactory.revenueShareOf(aurora.token.target);
    await mined(revenueShareFactory.connect(attacker).createRevenueShare(aurora.token.target));
    const revenue = await ethers.getContractAt("RevenueShare", predicted);
    expect(await revenue.token()).to.equal(aurora.token.target);
    expect(await revenue.treasury()).to.equal(aurora.timelock);
    await expect(revenue.connect(attacker).initialize(aurora.token.target, attacker.address)).to.be.revertedWithCustomError(
      revenue,
      "RevenueShareAlreadyInitialized"
    );
    await expect(revenueShareFactory.connect(creator).createRevenueShare(aurora.token.target))
      .to.be.revertedWithCustomError(revenueShareFactory, "RevenueShareFactoryExists")
      .withArgs(predicted);
  });
});
