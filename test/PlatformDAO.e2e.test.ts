/**
 * The platform is run by its members: every change to the factory goes through a full platform
 * proposal (propose → vote → queue → execute, with real time travel over the platform's one-day
 * voting delay, seven-day voting period and two-day Timelock delay). Nothing here impersonates the
 * platform Timelock.
 */
import { expect } from "chai";
import { network } from "hardhat";
import { AbiCoder, id, parseEther, toBeHex, Wallet, ZeroAddress, ZeroHash, type ContractTransactionReceipt, type ContractTransactionResponse } from "ethers";
import PlatformModule from "../deploy/modules/Platform.ts";
import { communityParams, findCommunityCreated } from "../scripts/lib/community.ts";
import { buildProposal, GovernorHelper, ProposalState, stateBitmap, VoteType, type ProposalCall } from "../scripts/lib/governance.ts";
import { minimalProxyRuntime } from "./helpers/clones.ts";

const { ethers, networkHelpers, ignition } = await network.create();

const DEFAULT_ADMIN_ROLE = ZeroHash;
const MINTER_ROLE = id("MINTER_ROLE");
const PROPOSER_ROLE = id("PROPOSER_ROLE");
const EXECUTOR_ROLE = id("EXECUTOR_ROLE");
const CANCELLER_ROLE = id("CANCELLER_ROLE");
const REVENUE_ROLE = id("REVENUE_ROLE");
/** TimelockController's expected-states bitmap for OperationState.Ready (Unset, Waiting, Ready, Done). */
const TIMELOCK_READY_BITMAP = toBeHex(1n << 2n, 32);
const M = (n: number): bigint => parseEther(String(n * 1_000_000));

async function mined(tx: Promise<ContractTransactionResponse>): Promise<ContractTransactionReceipt> {
  const receipt = await (await tx).wait();
  if (receipt === null) throw new Error("transaction was not mined");
  return receipt;
}

/**
 * The platform as Ignition deploys it, with the deployer's 100M CTRE spread over members:
 * deployer 55M, voterA 30M, voterB 10M, attacker 5M (supply 100M, quorum 4% = 4M, threshold 100k).
 */
async function deployPlatform() {
  const [deployer, voterA, voterB, attacker, creator, treasury] = await ethers.getSigners();
  const p = await ignition.deploy(PlatformModule);
  const factory = await ethers.getContractAt("CommunityFactory", await p.factory.getAddress());
  const token = await ethers.getContractAt("SocialToken", await p.platformToken.getAddress());
  const governor = await ethers.getContractAt("CommunityGovernor", await p.platformGovernor.getAddress());
  const timelock = await ethers.getContractAt("CommunityTimelock", await p.platformTimelock.getAddress());
  const implementations = {
    token: await p.tokenImplementation.getAddress(),
    governor: await p.governorImplementation.getAddress(),
    timelock: await p.timelockImplementation.getAddress(),
  };
  const crowdfundFactory = await ethers.getContractAt("CrowdfundFactory", await p.crowdfundFactory.getAddress());
  const revenueShareFactory = await ethers.getContractAt("RevenueShareFactory", await p.revenueShareFactory.getAddress());
  const vault = await ethers.getContractAt("RewardVault", (await factory.community(await factory.platformCommunityId())).rewardVault);
  await mined(token.connect(deployer).transfer(voterA.address, M(30)));
  await mined(token.connect(deployer).transfer(voterB.address, M(10)));
  await mined(token.connect(deployer).transfer(attacker.address, M(5)));
  return {
    deployer,
    voterA,
    voterB,
    attacker,
    creator,
    treasury,
    factory,
    token,
    governor,
    timelock,
    vault,
    crowdfundFactory,
    revenueShareFactory,
    implementations,
  };
}

type Platform = Awaited<ReturnType<typeof deployPlatform>>;

/** A helper walking a platform proposal that calls the factory. */
async function factoryProposal(platform: Platform, calls: Array<Omit<ProposalCall, "target">>, description: string): Promise<GovernorHelper> {
  const target = await platform.factory.getAddress();
  return new GovernorHelper(
    platform.governor,
    networkHelpers.time,
    buildProposal(calls.map((c) => ({ ...c, target })), description),
  );
}

describe("Platform DAO", function () {
  describe("ownership", function () {
    it("makes the platform Timelock the factory's owner, fee recipient and the platform token's only admin", async function () {
      const { factory, token, timelock } = await networkHelpers.loadFixture(deployPlatform);
      const timelockAddress = await timelock.getAddress();
      expect(await factory.owner()).to.equal(timelockAddress);
      expect(await factory.feeRecipient()).to.equal(timelockAddress);
      expect(await token.hasRole(DEFAULT_ADMIN_ROLE, timelockAddress)).to.equal(true);
    });

    it("leaves the deployer no role, operator, attester or guardian slot in any platform contract (Issue 11 item 2)", async function () {
      const { deployer, factory, token, timelock, governor, vault, crowdfundFactory, revenueShareFactory } =
        await networkHelpers.loadFixture(deployPlatform);
      const timelockAddress = await timelock.getAddress();
      const factoryAddress = await factory.getAddress();
      // Every role-bearing slot of every platform contract, and who must hold it.
      // CommunityFactory: owner and fee recipient; the platform's registered creator (who may start
      // its crowdfunds through the CrowdfundFactory).
      expect(await factory.owner()).to.equal(timelockAddress);
      expect(await factory.feeRecipient()).to.equal(timelockAddress);
      const platform = await factory.community(await factory.platformCommunityId());
      expect(platform.creator).to.equal(timelockAddress);
      // CrowdfundFactory: owner. RevenueShareFactory has no owner or role at all.
      expect(await crowdfundFactory.owner()).to.equal(timelockAddress);
      const revenueShareFactoryFunctions: string[] = [];
      revenueShareFactory.interface.forEachFunction((f) => revenueShareFactoryFunctions.push(f.name));
      expect(revenueShareFactoryFunctions.sort()).to.deep.equal(["communityFactory", "createRevenueShare", "implementation", "revenueShareOf"]);
      // SocialToken: every AccessControl role.
      for (const account of [deployer.address, factoryAddress]) {
        for (const role of [DEFAULT_ADMIN_ROLE, MINTER_ROLE, REVENUE_ROLE]) {
          expect(await token.hasRole(role, account), `token role ${role} of ${account}`).to.equal(false);
        }
      }
      expect(await token.hasRole(DEFAULT_ADMIN_ROLE, timelockAddress)).to.equal(true);
      expect(await token.hasRole(MINTER_ROLE, await vault.getAddress())).to.equal(true);
      // CommunityTimelock: every role.
      for (const account of [deployer.address, factoryAddress]) {
        for (const role of [DEFAULT_ADMIN_ROLE, PROPOSER_ROLE, CANCELLER_ROLE, EXECUTOR_ROLE]) {
          expect(await timelock.hasRole(role, account), `timelock role ${role} of ${account}`).to.equal(false);
        }
      }
      expect(await timelock.hasRole(DEFAULT_ADMIN_ROLE, timelockAddress)).to.equal(true);
      expect(await timelock.hasRole(PROPOSER_ROLE, await governor.getAddress())).to.equal(true);
      expect(await timelock.hasRole(CANCELLER_ROLE, await governor.getAddress())).to.equal(true);
      expect(await timelock.hasRole(EXECUTOR_ROLE, ZeroAddress)).to.equal(true); // open execution
      // CommunityGovernor: no proposal guardian until the DAO elects one; the Timelock executes.
      expect(await governor.proposalGuardian()).to.equal(ZeroAddress);
      expect(await governor.timelock()).to.equal(timelockAddress);
      // RewardVault (holds MINTER_ROLE): operator and attester are the Timelock.
      expect(await vault.operator()).to.equal(timelockAddress);
      expect(await vault.attester()).to.equal(timelockAddress);
      expect(await vault.timelock()).to.equal(timelockAddress);

      // Concretely: the deployer can change nothing.
      await expect(factory.connect(deployer).setCreationFee(1n))
        .to.be.revertedWithCustomError(factory, "OwnableUnauthorizedAccount")
        .withArgs(deployer.address);
      await expect(crowdfundFactory.connect(deployer).setFeeBps(1n))
        .to.be.revertedWithCustomError(crowdfundFactory, "OwnableUnauthorizedAccount")
        .withArgs(deployer.address);
      await expect(
        timelock.connect(deployer).schedule(factoryAddress, 0n, "0x", ZeroHash, ZeroHash, 2 * 86_400),
      )
        .to.be.revertedWithCustomError(timelock, "AccessControlUnauthorizedAccount")
        .withArgs(deployer.address, PROPOSER_ROLE);
      await expect(vault.connect(deployer).setAttester(deployer.address))
        .to.be.revertedWithCustomError(vault, "RewardVaultNotOperator")
        .withArgs(deployer.address);
      await expect(vault.connect(deployer).pause())
        .to.be.revertedWithCustomError(vault, "RewardVaultNotOperator")
        .withArgs(deployer.address);
    });

    it("refuses a launch whose vault configuration names the deployer as attester (Issue 11 item 2)", async function () {
      const { deployer } = await networkHelpers.loadFixture(deployPlatform);
      const fresh = await ethers.deployContract("CommunityFactory", [
        {
          token: await (await ethers.deployContract("SocialToken")).getAddress(),
          governor: await (await ethers.deployContract("CommunityGovernor")).getAddress(),
          timelock: await (await ethers.deployContract("CommunityTimelock")).getAddress(),
          rewardVault: await (await ethers.deployContract("RewardVault")).getAddress(),
        },
        deployer.address,
      ]);
      const config = (attester: string): string =>
        AbiCoder.defaultAbiCoder().encode(["tuple(address,uint256,uint32,uint16)"], [[attester, 0n, 86_400, 0]]);
      await expect(fresh.launchPlatform(communityParams({ rewardVaultConfig: config(deployer.address) })))
        .to.be.revertedWithCustomError(fresh, "FactoryDeployerKeepsRole")
        .withArgs(deployer.address);
      // Another attester (an attester service, say) is the deployer's to name; the DAO can replace it.
      const service = Wallet.createRandom().address;
      await mined(fresh.launchPlatform(communityParams({ rewardVaultConfig: config(service) })));
      const vault = await ethers.getContractAt("RewardVault", (await fresh.community(0n)).rewardVault);
      expect(await vault.attester()).to.equal(service);
      expect(await vault.operator()).to.equal((await fresh.community(0n)).timelock);
    });
  });

  describe("proposals that pass", function () {
    it("change the creation fee, which creators then pay to the platform Timelock", async function () {
      const platform = await networkHelpers.loadFixture(deployPlatform);
      const { factory, governor, timelock, deployer, voterA, creator } = platform;
      const fee = parseEther("0.05");
      const walker = await factoryProposal(
        platform,
        [{ data: factory.interface.encodeFunctionData("setCreationFee", [fee]) }],
        "Set the creation fee to 0.05 ETH",
      );
      await walker.passToEta(deployer, [deployer, voterA]);
      expect(await factory.creationFee()).to.equal(0n); // nothing changes before execution
      await expect(walker.execute()).to.emit(factory, "CreationFeeSet").withArgs(0n, fee);
      expect(await factory.creationFee()).to.equal(fee);
      await expect(factory.connect(creator).createCommunity(communityParams(), { value: fee })).to.changeEtherBalances(
        ethers,
        [creator, timelock],
        [-fee, fee],
      );
    });

    it("change the fee recipient (and the fee) in one proposal, so fees go to the new treasury", async function () {
      const platform = await networkHelpers.loadFixture(deployPlatform);
      const { factory, governor, timelock, deployer, voterA, creator, treasury } = platform;
      const fee = parseEther("0.02");
      const walker = await factoryProposal(
        platform,
        [
          { data: factory.interface.encodeFunctionData("setFeeRecipient", [treasury.address]) },
          { data: factory.interface.encodeFunctionData("setCreationFee", [fee]) },
        ],
        "Send creation fees to the treasury and charge 0.02 ETH",
      );
      await walker.passToEta(voterA, [deployer, voterA]);
      await expect(walker.execute())
        .to.emit(factory, "FeeRecipientSet")
        .withArgs(await timelock.getAddress(), treasury.address);
      expect(await factory.feeRecipient()).to.equal(treasury.address);
      await expect(factory.connect(creator).createCommunity(communityParams(), { value: fee })).to.changeEtherBalances(
        ethers,
        [creator, treasury, timelock],
        [-fee, fee, 0n],
      );
    });

    it("set a community's verified flag", async function () {
      const platform = await networkHelpers.loadFixture(deployPlatform);
      const { factory, governor, deployer, creator } = platform;
      const receipt = await mined(factory.connect(creator).createCommunity(communityParams()));
      const aurora = findCommunityCreated(receipt, factory.interface);
      expect((await factory.community(aurora.id)).verified).to.equal(false);
      const walker = await factoryProposal(
        platform,
        [{ data: factory.interface.encodeFunctionData("setVerified", [aurora.id, true]) }],
        "Verify Aurora Fans",
      );
      await walker.passToEta(deployer, [deployer]);
      await expect(walker.execute())
        .to.emit(factory, "CommunityVerified")
        .withArgs(aurora.id, aurora.token, true);
      expect((await factory.community(aurora.id)).verified).to.equal(true);
      expect((await factory.communityByToken(aurora.token)).verified).to.equal(true);
    });

    it("pause creation, and a later proposal unpauses it", async function () {
      const platform = await networkHelpers.loadFixture(deployPlatform);
      const { factory, governor, timelock, deployer, voterA, creator } = platform;
      const timelockAddress = await timelock.getAddress();

      const pause = await factoryProposal(platform, [{ data: factory.interface.encodeFunctionData("pause") }], "Pause community creation");
      await pause.passToEta(deployer, [deployer, voterA]);
      await expect(pause.execute()).to.emit(factory, "Paused").withArgs(timelockAddress);
      expect(await factory.paused()).to.equal(true);
      await expect(factory.connect(creator).createCommunity(communityParams())).to.be.revertedWithCustomError(
        factory,
        "EnforcedPause",
      );

      const unpause = await factoryProposal(
        platform,
        [{ data: factory.interface.encodeFunctionData("unpause") }],
        "Resume community creation",
      );
      await unpause.passToEta(voterA, [deployer, voterA]);
      await expect(unpause.execute()).to.emit(factory, "Unpaused").withArgs(timelockAddress);
      expect(await factory.paused()).to.equal(false);
      const created = findCommunityCreated(await mined(factory.connect(creator).createCommunity(communityParams())), factory.interface);
      expect(created.creator).to.equal(creator.address);
    });

    it("point future communities at new implementations while existing communities keep the old ones", async function () {
      const platform = await networkHelpers.loadFixture(deployPlatform);
      const { factory, governor, deployer, voterA, creator, voterB, implementations, token: platformToken } = platform;
      const before = findCommunityCreated(
        await mined(factory.connect(creator).createCommunity(communityParams({ salt: id("before") }))),
        factory.interface,
      );

      const next = {
        token: await (await ethers.deployContract("SocialToken")).getAddress(),
        governor: await (await ethers.deployContract("CommunityGovernor")).getAddress(),
        timelock: await (await ethers.deployContract("CommunityTimelock")).getAddress(),
        rewardVault: ZeroAddress,
      };
      const walker = await factoryProposal(
        platform,
        [{ data: factory.interface.encodeFunctionData("setImplementations", [next]) }],
        "Clone future communities from implementations v1",
      );
      await walker.passToEta(deployer, [deployer, voterA]);
      await expect(walker.execute())
        .to.emit(factory, "ImplementationsSet")
        .withArgs(1n, next.token, next.governor, next.timelock, ZeroAddress);

      const after = findCommunityCreated(
        await mined(factory.connect(voterB).createCommunity(communityParams({ name: "Nova", symbol: "NOVA", salt: id("after") }))),
        factory.interface,
      );
      expect(await ethers.provider.getCode(after.token)).to.equal(minimalProxyRuntime(next.token));
      expect(await ethers.provider.getCode(after.governor)).to.equal(minimalProxyRuntime(next.governor));
      expect(await ethers.provider.getCode(after.timelock)).to.equal(minimalProxyRuntime(next.timelock));
      expect((await factory.community(after.id)).implementationsVersion).to.equal(1n);

      // The community created before, and the platform itself, still delegate to version 0.
      expect(await ethers.provider.getCode(before.token)).to.equal(minimalProxyRuntime(implementations.token));
      expect(await ethers.provider.getCode(before.governor)).to.equal(minimalProxyRuntime(implementations.governor));
      expect(await ethers.provider.getCode(before.timelock)).to.equal(minimalProxyRuntime(implementations.timelock));
      expect(await ethers.provider.getCode(await platformToken.getAddress())).to.equal(minimalProxyRuntime(implementations.token));
      expect(await ethers.provider.getCode(await governor.getAddress())).to.equal(minimalProxyRuntime(implementations.governor));
      expect((await factory.community(before.id)).implementationsVersion).to.equal(0n);

      // Both generations work: their tokens move and their governors read their own tokens.
      const oldToken = await ethers.getContractAt("SocialToken", before.token);
      await mined(oldToken.connect(creator).transfer(voterA.address, 1n));
      expect(await oldToken.balanceOf(voterA.address)).to.equal(1n);
      const newGovernor = await ethers.getContractAt("CommunityGovernor", after.governor);
      expect(await newGovernor.token()).to.equal(after.token);
      expect(await newGovernor.name()).to.equal("Nova Governor");
    });
  });

  describe("proposals that must not pass", function () {
    it("a transferOwnership to an attacker that is voted down is Defeated and cannot be queued or executed", async function () {
      const platform = await networkHelpers.loadFixture(deployPlatform);
      const { factory, governor, timelock, attacker, deployer, voterA } = platform;
      const walker = await factoryProposal(
        platform,
        [{ data: factory.interface.encodeFunctionData("transferOwnership", [attacker.address]) }],
        "Routine maintenance",
      );
      const proposalId = await walker.propose(attacker);
      expect(await walker.state()).to.equal(ProposalState.Pending);
      await walker.waitForSnapshot(1n);
      expect(await walker.state()).to.equal(ProposalState.Active);
      await mined(walker.vote(attacker, VoteType.For)); // 5M: alone enough for quorum (4M)
      for (const voter of [deployer, voterA]) await mined(walker.vote(voter, VoteType.Against)); // 85M
      const [against, forVotes, abstain] = await governor.proposalVotes(proposalId);
      expect([against, forVotes, abstain]).to.deep.equal([M(85), M(5), 0n]);
      expect(forVotes + abstain).to.be.at.least(await governor.quorum(await governor.proposalSnapshot(proposalId)));

      await walker.waitForDeadline(1n);
      expect(await walker.state()).to.equal(ProposalState.Defeated);
      await expect(walker.queue())
        .to.be.revertedWithCustomError(governor, "GovernorUnexpectedProposalState")
        .withArgs(proposalId, ProposalState.Defeated, stateBitmap(ProposalState.Succeeded));
      await expect(walker.execute())
        .to.be.revertedWithCustomError(governor, "GovernorUnexpectedProposalState")
        .withArgs(proposalId, ProposalState.Defeated, stateBitmap(ProposalState.Queued));
      expect(await factory.owner()).to.equal(await timelock.getAddress());
    });

    it("the guardian the DAO elected cancels a passed transferOwnership to an attacker while it waits in the Timelock, and it never executes", async function () {
      const platform = await networkHelpers.loadFixture(deployPlatform);
      const { factory, governor, timelock, attacker, deployer, voterA, voterB, treasury: council } = platform;
      const timelockAddress = await timelock.getAddress();
      // The platform launches with no guardian (Issue 11 item 2); the DAO elects one, a council.
      const elect = new GovernorHelper(
        governor,
        networkHelpers.time,
        buildProposal(
          [{ target: await governor.getAddress(), data: governor.interface.encodeFunctionData("setProposalGuardian", [council.address]) }],
          "Elect the security council as proposal guardian",
        ),
      );
      await elect.pass(deployer, [deployer, voterA]);
      expect(await governor.proposalGuardian()).to.equal(council.address);
      const walker = await factoryProposal(
        platform,
        [{ data: factory.interface.encodeFunctionData("transferOwnership", [attacker.address]) }],
        "Move the factory to the new ops multisig",
      );
      // An apathetic DAO: only the attacker votes, and 5M For clears the 4M quorum.
      const proposalId = await walker.propose(attacker);
      expect(await walker.state()).to.equal(ProposalState.Pending);
      await walker.waitForSnapshot(1n);
      expect(await walker.state()).to.equal(ProposalState.Active);
      await mined(walker.vote(attacker, VoteType.For));
      await walker.waitForDeadline(1n);
      expect(await walker.state()).to.equal(ProposalState.Succeeded);
      const queued = await mined(walker.queue());
      expect(await walker.state()).to.equal(ProposalState.Queued);

      // The operation now waits in the Timelock.
      const scheduled = queued.logs
        .filter((l) => l.address === timelockAddress)
        .map((l) => timelock.interface.parseLog(l))
        .find((e) => e?.name === "CallScheduled");
      expect(scheduled, "CallScheduled").to.not.equal(undefined);
      const operationId = scheduled!.args.id as string;
      const { targets, values, calldatas } = walker.proposal;
      const { descriptionHash } = walker;
      // GovernorTimelockControl's salt: the governor's address (left-aligned) XOR the description hash.
      const salt = toBeHex((BigInt(await governor.getAddress()) << 96n) ^ BigInt(descriptionHash), 32);
      expect(await timelock.hashOperationBatch(targets, values, calldatas, ZeroHash, salt)).to.equal(operationId);
      expect(await timelock.isOperationPending(operationId)).to.equal(true);

      // Nobody but the guardian may cancel it now, not another member, not the deployer.
      for (const member of [voterB, deployer]) {
        await expect(walker.cancel(member))
          .to.be.revertedWithCustomError(governor, "GovernorUnableToCancel")
          .withArgs(proposalId, member.address);
      }

      await expect(walker.cancel(council))
        .to.emit(governor, "ProposalCanceled")
        .withArgs(proposalId)
        .and.to.emit(timelock, "Cancelled")
        .withArgs(operationId);
      expect(await governor.state(proposalId)).to.equal(ProposalState.Canceled);
      expect(await timelock.isOperation(operationId)).to.equal(false);

      // Past the ETA it still cannot run, through the Governor or the Timelock's open executor role.
      await networkHelpers.time.increase(3 * 86_400);
      await expect(walker.execute(attacker))
        .to.be.revertedWithCustomError(governor, "GovernorUnexpectedProposalState")
        .withArgs(proposalId, ProposalState.Canceled, stateBitmap(ProposalState.Queued));
      await expect(timelock.connect(attacker).executeBatch(targets, values, calldatas, ZeroHash, salt))
        .to.be.revertedWithCustomError(timelock, "TimelockUnexpectedOperationState")
        .withArgs(operationId, TIMELOCK_READY_BITMAP);
      expect(await factory.owner()).to.equal(timelockAddress);
    });
  });
});
