/**
 * Attack: a malicious proposal that tries to take the platform factory's ownership. Whoever owns the
 * CommunityFactory sets fees, the fee recipient, `verified` flags, pausing and the implementations
 * future communities are cloned from; the CrowdfundFactory's owner sets the crowdfund fee. An
 * attacker tries to get `transferOwnership` called: directly, through the DAO of a community it
 * controls, or through the platform DAO with votes bought after the proposal's snapshot.
 *
 * Defence: both factories are `Ownable` by the platform Timelock alone (the deployer hands them over
 * at launch and keeps nothing); a community's Timelock is not the platform's; the platform DAO
 * weighs votes at the snapshot, and a passed proposal waits in the Timelock, where a guardian the
 * platform DAO elected can cancel it (the platform launches with none: Issue 11 item 2). Related:
 * `test/PlatformDAO.e2e.test.ts` "a transferOwnership to an attacker that is voted down is
 * Defeated …", "the guardian the DAO elected cancels a passed transferOwnership to an attacker while
 * it waits in the Timelock, and it never executes"; `test/CommunityFactory.test.ts`
 * "owner-only setters".
 */
import { expect } from "chai";
import { network } from "hardhat";
import { id, parseEther } from "ethers";
import { buildProposal, GovernorHelper, ProposalState, VoteType } from "../../scripts/lib/governance.ts";
import { createCommunity, deployPlatform, impersonate, mined, type Connection } from "../helpers/attacks.ts";

const conn = (await network.create()) as Connection;
const { ethers, networkHelpers } = conn;
const { loadFixture, time } = networkHelpers;

const M = (n: number): bigint => parseEther(String(n * 1_000_000));

/** The platform; the deployer's 100M CTRE spread: voter 30M, attacker 0.2M (above the 0.1M threshold). */
async function withPlatform() {
  const platform = await deployPlatform(conn);
  const [deployer, voter, attacker, creator] = platform.signers;
  await mined(platform.platformToken.connect(deployer).transfer(voter.address, M(30)));
  await mined(platform.platformToken.connect(deployer).transfer(attacker.address, M(0.2)));
  return { platform, deployer, voter, attacker, creator };
}

describe("Attack: a malicious proposal to take the platform factory's ownership", function () {
  it("nobody but the platform Timelock may transfer or renounce either factory's ownership: not the deployer, the platform governor, a community Timelock or an attacker", async function () {
    const { platform, deployer, attacker, creator } = await loadFixture(withPlatform);
    const aurora = await createCommunity(conn, platform, creator, { salt: id("aurora") });
    const callers = [
      deployer,
      attacker,
      await impersonate(conn, await platform.platformGovernor.getAddress()),
      await impersonate(conn, aurora.timelock),
    ];
    for (const owned of [platform.factory, platform.crowdfundFactory]) {
      expect(await owned.owner()).to.equal(await platform.platformTimelock.getAddress());
      for (const caller of callers) {
        await expect(owned.connect(caller).transferOwnership(attacker.address))
          .to.be.revertedWithCustomError(owned, "OwnableUnauthorizedAccount")
          .withArgs(caller.address);
        await expect(owned.connect(caller).renounceOwnership())
          .to.be.revertedWithCustomError(owned, "OwnableUnauthorizedAccount")
          .withArgs(caller.address);
      }
      expect(await owned.owner()).to.equal(await platform.platformTimelock.getAddress());
    }
  });

  it("a passed proposal of a community the attacker controls cannot execute a takeover: its Timelock is not the platform's", async function () {
    const { platform, attacker } = await loadFixture(withPlatform);
    const own = await createCommunity(conn, platform, attacker, { salt: id("attacker's own") });
    const takeover = new GovernorHelper(
      own.governor,
      time,
      buildProposal(
        [{ target: await platform.factory.getAddress(), data: platform.factory.interface.encodeFunctionData("transferOwnership", [attacker.address]) }],
        "take the platform"
      )
    );
    await takeover.passToEta(attacker, [attacker]);
    await expect(takeover.execute())
      .to.be.revertedWithCustomError(platform.factory, "OwnableUnauthorizedAccount")
      .withArgs(own.timelock);
    expect(await platform.factory.owner()).to.equal(await platform.platformTimelock.getAddress());
  });

  it("a takeover proposal on the platform DAO cannot be carried by tokens bought after its snapshot", async function () {
    const { platform, deployer, voter, attacker } = await loadFixture(withPlatform);
    const factoryAddress = await platform.factory.getAddress();
    const takeover = new GovernorHelper(
      platform.platformGovernor,
      time,
      buildProposal(
        [{ target: factoryAddress, data: platform.factory.interface.encodeFunctionData("transferOwnership", [attacker.address]) }],
        "hand the factory to a friendly owner"
      )
    );
    await takeover.propose(attacker);
    await takeover.waitForSnapshot();
    // After the snapshot the attacker buys 60M CTRE, a majority of the supply, and votes.
    await mined(platform.platformToken.connect(deployer).transfer(attacker.address, M(60)));
    await expect(takeover.vote(attacker, VoteType.For))
      .to.emit(platform.platformGovernor, "VoteCast")
      .withArgs(attacker.address, takeover.id, VoteType.For, M(0.2), "");
    await mined(takeover.vote(voter, VoteType.Against));
    await takeover.waitForDeadline(1n);
    expect(await takeover.state()).to.equal(ProposalState.Defeated);
    await expect(takeover.queue()).to.be.revertedWithCustomError(platform.platformGovernor, "GovernorUnexpectedProposalState");
    expect(await platform.factory.owner()).to.equal(await platform.platformTimelock.getAddress());
  });
});
