import { expect } from "chai";
import hre, { network } from "hardhat";
import {
  id,
  parseEther,
  getAddress,
  MaxUint256,
  ZeroAddress,
  ZeroHash,
  type ContractTransactionReceipt,
  type ContractTransactionResponse,
  type Interface,
  type Signer,
} from "ethers";
import PlatformModule from "../deploy/modules/Platform.ts";
import { communityParams, findCommunityCreated, DAY, type CommunityParams, type CreatedCommunity } from "../scripts/lib/community.ts";
import { minimalProxyRuntime } from "./helpers/clones.ts";
import type { CommunityFactory } from "../typechain-types/index.ts";

const { ethers, networkHelpers, ignition } = await network.create();

/** The factory's cap limit: vote tallies are packed in 104 bits. */
const MAX_CAP = (1n << 104n) - 1n;
/** EIP-170: the largest runtime bytecode a contract may have. */
const EIP170_LIMIT = 24_576;
const FEE = parseEther("0.01");
/** The Ignition module's default platform parameters (deploy/modules/Platform.ts). */
const PLATFORM_PARAMS = communityParams({
  name: "Coterie",
  symbol: "CTRE",
  cap: parseEther("1000000000"),
  creatorAllocation: parseEther("100000000"),
  votingDelay: DAY,
  votingPeriod: 7 * DAY,
  proposalThreshold: parseEther("100000"),
  quorumBps: 400,
  lateQuorumExtension: 2 * DAY,
  timelockDelay: 2 * DAY,
  salt: id("coterie.platform"),
});

const DEFAULT_ADMIN_ROLE = ZeroHash;
const MINTER_ROLE = id("MINTER_ROLE");
const PROPOSER_ROLE = id("PROPOSER_ROLE");
const EXECUTOR_ROLE = id("EXECUTOR_ROLE");
const CANCELLER_ROLE = id("CANCELLER_ROLE");

async function mined(tx: Promise<ContractTransactionResponse>): Promise<ContractTransactionReceipt> {
  const receipt = await (await tx).wait();
  if (receipt === null) throw new Error("transaction was not mined");
  return receipt;
}

/** Creates a community from `signer` and returns the addresses its event names. */
async function create(
  factory: CommunityFactory,
  signer: Signer,
  overrides: Partial<CommunityParams> = {},
  value = 0n,
): Promise<CreatedCommunity & { receipt: ContractTransactionReceipt }> {
  const receipt = await mined(factory.connect(signer).createCommunity(communityParams(overrides), { value }));
  return { ...findCommunityCreated(receipt, factory.interface), receipt };
}

type CommunityEntry = Awaited<ReturnType<CommunityFactory["community"]>>;
type ImplementationsEntry = Awaited<ReturnType<CommunityFactory["implementationsAt"]>>;

/** A registry entry as a plain object, for deep equality. */
function entryOf(c: CommunityEntry) {
  return {
    id: c.id,
    creator: c.creator,
    token: c.token,
    governor: c.governor,
    timelock: c.timelock,
    rewardVault: c.rewardVault,
    verified: c.verified,
    createdAt: c.createdAt,
    implementationsVersion: c.implementationsVersion,
  };
}

/** An implementation set as a plain object, for deep equality and for passing back in. */
function implementationsOf(i: ImplementationsEntry) {
  return { token: i.token, governor: i.governor, timelock: i.timelock, rewardVault: i.rewardVault };
}

/** Runtime code size in bytes. */
async function codeSize(address: string): Promise<number> {
  const code = await ethers.provider.getCode(address);
  return (code.length - 2) / 2;
}

/** The (role, account) pairs of every RoleGranted event `emitter` logged in `receipt`. */
function rolesGranted(receipt: ContractTransactionReceipt, emitter: string, iface: Interface): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  for (const log of receipt.logs) {
    if (getAddress(log.address) !== getAddress(emitter)) continue;
    const parsed = iface.parseLog(log);
    if (parsed?.name === "RoleGranted") out.push([parsed.args.role as string, parsed.args.account as string]);
  }
  return out;
}

// ------------------------------------------------------------------------------------ fixtures

/**
 * The platform as Ignition deploys it, except that the factory starts without a reward-vault
 * implementation: these unit tests exercise the factory's vault extension point with
 * MockRewardVault (RewardVault.test.ts covers the real vault the Ignition module registers). The
 * implementations come from the Ignition deployment; the factory is deployed and launched the way
 * the module does it, with the module's default platform parameters.
 */
async function deployPlatform() {
  const [deployer, creator, other, attacker, fan] = await ethers.getSigners();
  const p = await ignition.deploy(PlatformModule);
  const implementations = {
    token: await p.tokenImplementation.getAddress(),
    governor: await p.governorImplementation.getAddress(),
    timelock: await p.timelockImplementation.getAddress(),
    rewardVault: ZeroAddress,
  };
  const factory = await ethers.deployContract("CommunityFactory", [implementations, deployer.address]);
  const launched = findCommunityCreated(
    await mined(factory.connect(deployer).launchPlatform(PLATFORM_PARAMS)),
    factory.interface,
  );
  const platformTimelock = launched.timelock;
  const platformToken = launched.token;
  const platformGovernor = launched.governor;
  // The platform Timelock, impersonated: stands in for an executed platform proposal in the
  // factory's own unit tests (PlatformDAO.e2e.test.ts walks the real proposals).
  await networkHelpers.setBalance(platformTimelock, parseEther("10"));
  const owner = await ethers.getImpersonatedSigner(platformTimelock);
  return {
    deployer,
    creator,
    other,
    attacker,
    fan,
    factory,
    owner,
    implementations,
    platformTimelock,
    platformToken,
    platformGovernor,
  };
}

/** The platform plus one creator community ("Aurora Fans", salt "aurora"). */
async function withCommunity() {
  const base = await deployPlatform();
  const aurora = await create(base.factory, base.creator);
  return { ...base, aurora };
}

/** The platform with a creation fee of 0.01 ETH set by its owner. */
async function withFee() {
  const base = await deployPlatform();
  await mined(base.factory.connect(base.owner).setCreationFee(FEE));
  return base;
}

/** One community created under version 0, then a MockRewardVault implementation registered (version 1). */
async function withVaultImplementation() {
  const base = await withCommunity();
  const vaultImplementation = await ethers.deployContract("MockRewardVault");
  const vaultImpl = await vaultImplementation.getAddress();
  await mined(base.factory.connect(base.owner).setImplementations({ ...base.implementations, rewardVault: vaultImpl }));
  return { ...base, vaultImplementation, vaultImpl };
}

/** A factory deployed directly (not launched), owned by the deployer, on the same implementations. */
async function freshFactory() {
  const base = await deployPlatform();
  const fresh = await ethers.deployContract("CommunityFactory", [base.implementations, base.deployer.address]);
  return { ...base, fresh };
}

// ---------------------------------------------------------------------------------------- tests

describe("CommunityFactory", function () {
  describe("createCommunity", function () {
    it("deploys token, governor and timelock as 45-byte EIP-1167 clones of the current implementations", async function () {
      const { aurora, implementations } = await networkHelpers.loadFixture(withCommunity);
      for (const [clone, impl] of [
        [aurora.token, implementations.token],
        [aurora.governor, implementations.governor],
        [aurora.timelock, implementations.timelock],
      ] as const) {
        const code = await ethers.provider.getCode(clone);
        expect(code).to.equal(minimalProxyRuntime(impl));
        expect((code.length - 2) / 2).to.equal(45);
      }
    });

    it("places every component exactly at predictAddresses(creator, salt), with no vault while none is registered", async function () {
      const { factory, creator } = await networkHelpers.loadFixture(deployPlatform);
      const predicted = await factory.predictAddresses(creator.address, id("aurora"));
      expect(await ethers.provider.getCode(predicted.token)).to.equal("0x");
      const created = await create(factory, creator, { salt: id("aurora") });
      expect(created.token).to.equal(predicted.token);
      expect(created.governor).to.equal(predicted.governor);
      expect(created.timelock).to.equal(predicted.timelock);
      expect(created.rewardVault).to.equal(ZeroAddress);
      expect(predicted.rewardVault).to.equal(ZeroAddress);
    });

    it("returns the registry entry it creates", async function () {
      const { factory, creator } = await networkHelpers.loadFixture(deployPlatform);
      const params = communityParams();
      const predicted = await factory.predictAddresses(creator.address, params.salt);
      const entry = await factory.connect(creator).createCommunity.staticCall(params);
      expect(entry.id).to.equal(1n);
      expect(entry.creator).to.equal(creator.address);
      expect([entry.token, entry.governor, entry.timelock, entry.rewardVault]).to.deep.equal([
        predicted.token,
        predicted.governor,
        predicted.timelock,
        ZeroAddress,
      ]);
      expect(entry.verified).to.equal(false);
      expect(entry.implementationsVersion).to.equal(0n);
    });

    it("gives another creator using the same salt different addresses", async function () {
      const { factory, creator, other } = await networkHelpers.loadFixture(withCommunity);
      const salt = id("aurora");
      const mine = await factory.predictAddresses(creator.address, salt);
      const theirs = await factory.predictAddresses(other.address, salt);
      const created = await create(factory, other, { salt });
      expect(created.token).to.equal(theirs.token);
      for (const key of ["token", "governor", "timelock"] as const) {
        expect(theirs[key]).to.not.equal(mine[key]);
      }
    });

    it("reverts FactorySaltUsed when a creator reuses a salt", async function () {
      const { factory, creator } = await networkHelpers.loadFixture(withCommunity);
      const salt = id("aurora");
      await expect(factory.connect(creator).createCommunity(communityParams({ salt, name: "Other" })))
        .to.be.revertedWithCustomError(factory, "FactorySaltUsed")
        .withArgs(creator.address, salt);
    });

    // SKIPPED: shows a mismatch between FactorySaltUsed's documentation ("This creator already used
    // this salt") and the behaviour. The check is `token.code.length != 0` at the CREATE2 address,
    // and that address depends on the token implementation; once the platform DAO registers a new
    // token implementation, a creator can reuse a salt and predictAddresses(creator, salt) no longer
    // names the community that salt created. Proposed fix: either record used (creator, salt) pairs
    // (`mapping(bytes32 tokenSalt => bool)`, one extra cold SSTORE per creation) or document the
    // salt as unique per creator *and token implementation* (and predictAddresses as "under the
    // current implementations", which it already says). Un-skip once decided.
    it("lets a creator reuse a salt after a new token implementation, at new addresses that leave the old community intact", async function () {
      // Decision (docs/architecture.md): a salt is unique per creator and token implementation. The
      // new implementation fixes new, free addresses; the old community keeps its own.
      const { factory, owner, creator, implementations } = await networkHelpers.loadFixture(withCommunity);
      const before = await factory.community(1);
      const newToken = await (await ethers.deployContract("SocialToken")).getAddress();
      await mined(factory.connect(owner).setImplementations({ ...implementations, token: newToken }));
      const salt = id("aurora");
      const predicted = await factory.predictAddresses(creator.address, salt);
      expect(predicted.token).to.not.equal(before.token);
      await mined(factory.connect(creator).createCommunity(communityParams({ salt })));
      const again = await factory.communityByToken(predicted.token);
      expect(again.id).to.equal(2n);
      expect((await factory.community(1)).token).to.equal(before.token);
    });

    it("still reverts FactorySaltUsed for a reused salt when only the governor and timelock implementations changed", async function () {
      const { factory, owner, creator, implementations } = await networkHelpers.loadFixture(withCommunity);
      const governor = await (await ethers.deployContract("CommunityGovernor")).getAddress();
      const timelock = await (await ethers.deployContract("CommunityTimelock")).getAddress();
      await mined(factory.connect(owner).setImplementations({ ...implementations, governor, timelock }));
      const salt = id("aurora");
      await expect(factory.connect(creator).createCommunity(communityParams({ salt })))
        .to.be.revertedWithCustomError(factory, "FactorySaltUsed")
        .withArgs(creator.address, salt);
    });

    it("does not let anyone occupy another creator's predicted addresses by front-running their salt", async function () {
      const { factory, creator, attacker } = await networkHelpers.loadFixture(deployPlatform);
      const salt = id("victim-salt");
      const victim = await factory.predictAddresses(creator.address, salt);
      // The attacker copies the victim's pending parameters and gets there first.
      const stolen = await create(factory, attacker, { salt });
      expect(stolen.token).to.not.equal(victim.token);
      expect(stolen.governor).to.not.equal(victim.governor);
      expect(stolen.timelock).to.not.equal(victim.timelock);
      expect(await ethers.provider.getCode(victim.token)).to.equal("0x");
      // The victim still gets exactly the predicted addresses.
      const created = await create(factory, creator, { salt });
      expect([created.token, created.governor, created.timelock]).to.deep.equal([
        victim.token,
        victim.governor,
        victim.timelock,
      ]);
    });

    it("makes the community Timelock the token's only admin and grants MINTER_ROLE to nobody without a vault", async function () {
      const { factory, aurora, creator, deployer } = await networkHelpers.loadFixture(withCommunity);
      const token = await ethers.getContractAt("SocialToken", aurora.token);
      const factoryAddress = await factory.getAddress();
      expect(await token.hasRole(DEFAULT_ADMIN_ROLE, aurora.timelock)).to.equal(true);
      for (const account of [factoryAddress, creator.address, deployer.address, aurora.governor]) {
        expect(await token.hasRole(DEFAULT_ADMIN_ROLE, account)).to.equal(false);
        expect(await token.hasRole(MINTER_ROLE, account)).to.equal(false);
      }
      expect(await token.hasRole(MINTER_ROLE, aurora.timelock)).to.equal(false);
      // AccessControl cannot be enumerated: the creating transaction's RoleGranted events are the
      // complete list of grants.
      expect(rolesGranted(aurora.receipt, aurora.token, token.interface)).to.deep.equal([
        [DEFAULT_ADMIN_ROLE, aurora.timelock],
      ]);
      await expect(token.connect(creator).mint(creator.address, 1n))
        .to.be.revertedWithCustomError(token, "AccessControlUnauthorizedAccount")
        .withArgs(creator.address, MINTER_ROLE);
    });

    it("wires the Timelock: the Governor proposes and cancels, anyone executes, only the Timelock administers itself", async function () {
      const { factory, aurora, creator, deployer } = await networkHelpers.loadFixture(withCommunity);
      const timelock = await ethers.getContractAt("CommunityTimelock", aurora.timelock);
      const factoryAddress = await factory.getAddress();
      expect(await timelock.hasRole(PROPOSER_ROLE, aurora.governor)).to.equal(true);
      expect(await timelock.hasRole(CANCELLER_ROLE, aurora.governor)).to.equal(true);
      expect(await timelock.hasRole(EXECUTOR_ROLE, ZeroAddress)).to.equal(true); // open executor
      expect(await timelock.hasRole(DEFAULT_ADMIN_ROLE, aurora.timelock)).to.equal(true);
      for (const account of [factoryAddress, creator.address, deployer.address]) {
        for (const role of [DEFAULT_ADMIN_ROLE, PROPOSER_ROLE, CANCELLER_ROLE, EXECUTOR_ROLE]) {
          expect(await timelock.hasRole(role, account)).to.equal(false);
        }
      }
      expect(await timelock.hasRole(DEFAULT_ADMIN_ROLE, aurora.governor)).to.equal(false);
      expect(rolesGranted(aurora.receipt, aurora.timelock, timelock.interface)).to.have.deep.members([
        [DEFAULT_ADMIN_ROLE, aurora.timelock],
        [PROPOSER_ROLE, aurora.governor],
        [CANCELLER_ROLE, aurora.governor],
        [EXECUTOR_ROLE, ZeroAddress],
      ]);
      expect(rolesGranted(aurora.receipt, aurora.timelock, timelock.interface)).to.have.length(4);
      expect(await timelock.getMinDelay()).to.equal(BigInt(2 * DAY));
    });

    it("initialises the Governor with the token, the Timelock, the creator's settings and the creator as guardian", async function () {
      const { aurora, creator } = await networkHelpers.loadFixture(withCommunity);
      const governor = await ethers.getContractAt("CommunityGovernor", aurora.governor);
      const p = communityParams();
      expect(await governor.token()).to.equal(aurora.token);
      expect(await governor.timelock()).to.equal(aurora.timelock);
      expect(await governor.proposalGuardian()).to.equal(creator.address);
      expect(await governor.name()).to.equal("Aurora Fans Governor");
      expect(await governor.votingDelay()).to.equal(BigInt(p.votingDelay));
      expect(await governor.votingPeriod()).to.equal(BigInt(p.votingPeriod));
      expect(await governor.proposalThreshold()).to.equal(p.proposalThreshold);
      expect(await governor["quorumNumerator()"]()).to.equal(BigInt(p.quorumBps));
      expect(await governor.quorumDenominator()).to.equal(10_000n);
      expect(await governor.lateQuorumVoteExtension()).to.equal(BigInt(p.lateQuorumExtension));
      expect(await governor.CLOCK_MODE()).to.equal("mode=timestamp");
    });

    it("initialises the token and mints the creator allocation to the creator, who can vote with it at once", async function () {
      const { aurora, creator } = await networkHelpers.loadFixture(withCommunity);
      const token = await ethers.getContractAt("SocialToken", aurora.token);
      const p = communityParams();
      expect(await token.name()).to.equal("Aurora Fans");
      expect(await token.symbol()).to.equal("AUR");
      expect(await token.cap()).to.equal(p.cap);
      expect(await token.totalSupply()).to.equal(p.creatorAllocation);
      expect(await token.balanceOf(creator.address)).to.equal(p.creatorAllocation);
      expect(await token.delegates(creator.address)).to.equal(creator.address);
      expect(await token.getVotes(creator.address)).to.equal(p.creatorAllocation);
    });

    it("mints nothing when the creator allocation is zero", async function () {
      const { factory, creator } = await networkHelpers.loadFixture(deployPlatform);
      const created = await create(factory, creator, { creatorAllocation: 0n });
      const token = await ethers.getContractAt("SocialToken", created.token);
      expect(await token.totalSupply()).to.equal(0n);
      expect(await token.getVotes(creator.address)).to.equal(0n);
    });

    it("emits exactly one CommunityCreated naming every address, the name, symbol, salt and implementations version", async function () {
      const { factory, creator } = await networkHelpers.loadFixture(deployPlatform);
      const params = communityParams({ name: "Nova Circle", symbol: "NOVA", salt: id("nova") });
      const predicted = await factory.predictAddresses(creator.address, params.salt);
      const tx = factory.connect(creator).createCommunity(params);
      await expect(tx)
        .to.emit(factory, "CommunityCreated")
        .withArgs(1n, creator.address, predicted.token, predicted.governor, predicted.timelock, ZeroAddress, "Nova Circle", "NOVA", params.salt, 0n);
      const receipt = await mined(tx);
      const topic = factory.interface.getEvent("CommunityCreated").topicHash;
      const factoryAddress = await factory.getAddress();
      const created = receipt.logs.filter((l) => l.address === factoryAddress && l.topics[0] === topic);
      expect(created).to.have.length(1);
    });

    it("accepts the largest cap, 2^104 - 1, all of it allocated to the creator", async function () {
      const { factory, creator } = await networkHelpers.loadFixture(deployPlatform);
      const created = await create(factory, creator, { cap: MAX_CAP, creatorAllocation: MAX_CAP });
      const token = await ethers.getContractAt("SocialToken", created.token);
      expect(await token.cap()).to.equal(MAX_CAP);
      expect(await token.getVotes(creator.address)).to.equal(MAX_CAP);
    });

    it("accepts a quorum of exactly 10,000 bps (100%)", async function () {
      const { factory, creator } = await networkHelpers.loadFixture(deployPlatform);
      const created = await create(factory, creator, { quorumBps: 10_000 });
      const governor = await ethers.getContractAt("CommunityGovernor", created.governor);
      expect(await governor["quorumNumerator()"]()).to.equal(10_000n);
    });

    it("reverts FactoryInvalidLateQuorumExtension when the late-quorum extension exceeds the voting period", async function () {
      const { factory, creator } = await networkHelpers.loadFixture(deployPlatform);
      await expect(
        factory.connect(creator).createCommunity(communityParams({ votingPeriod: DAY, lateQuorumExtension: DAY + 1 })),
      )
        .to.be.revertedWithCustomError(factory, "FactoryInvalidLateQuorumExtension")
        .withArgs(DAY + 1, DAY);
    });

    it("accepts a late-quorum extension equal to the voting period", async function () {
      const { factory, creator } = await networkHelpers.loadFixture(deployPlatform);
      const created = await create(factory, creator, { votingPeriod: DAY, lateQuorumExtension: DAY });
      const governor = await ethers.getContractAt("CommunityGovernor", created.governor);
      expect(await governor.lateQuorumVoteExtension()).to.equal(BigInt(DAY));
    });

    describe("parameter validation", function () {
      it("reverts FactoryEmptyName for an empty name", async function () {
        const { factory, creator } = await networkHelpers.loadFixture(deployPlatform);
        await expect(factory.connect(creator).createCommunity(communityParams({ name: "" })))
          .to.be.revertedWithCustomError(factory, "FactoryEmptyName")
          .withArgs();
      });

      it("reverts FactoryEmptySymbol for an empty symbol", async function () {
        const { factory, creator } = await networkHelpers.loadFixture(deployPlatform);
        await expect(factory.connect(creator).createCommunity(communityParams({ symbol: "" })))
          .to.be.revertedWithCustomError(factory, "FactoryEmptySymbol")
          .withArgs();
      });

      it("reverts FactoryInvalidCap for a zero cap", async function () {
        const { factory, creator } = await networkHelpers.loadFixture(deployPlatform);
        await expect(factory.connect(creator).createCommunity(communityParams({ cap: 0n, creatorAllocation: 0n })))
          .to.be.revertedWithCustomError(factory, "FactoryInvalidCap")
          .withArgs(0n);
      });

      it("reverts FactoryInvalidCap for a cap above 2^104 - 1", async function () {
        const { factory, creator } = await networkHelpers.loadFixture(deployPlatform);
        await expect(factory.connect(creator).createCommunity(communityParams({ cap: MAX_CAP + 1n })))
          .to.be.revertedWithCustomError(factory, "FactoryInvalidCap")
          .withArgs(MAX_CAP + 1n);
      });

      it("reverts FactoryAllocationAboveCap when the creator allocation exceeds the cap", async function () {
        const { factory, creator } = await networkHelpers.loadFixture(deployPlatform);
        const cap = parseEther("1000");
        await expect(factory.connect(creator).createCommunity(communityParams({ cap, creatorAllocation: cap + 1n })))
          .to.be.revertedWithCustomError(factory, "FactoryAllocationAboveCap")
          .withArgs(cap + 1n, cap);
      });

      it("reverts FactoryInvalidQuorum for a zero quorum", async function () {
        const { factory, creator } = await networkHelpers.loadFixture(deployPlatform);
        await expect(factory.connect(creator).createCommunity(communityParams({ quorumBps: 0 })))
          .to.be.revertedWithCustomError(factory, "FactoryInvalidQuorum")
          .withArgs(0n);
      });

      it("reverts FactoryInvalidQuorum for a quorum above 10,000 bps", async function () {
        const { factory, creator } = await networkHelpers.loadFixture(deployPlatform);
        await expect(factory.connect(creator).createCommunity(communityParams({ quorumBps: 10_001 })))
          .to.be.revertedWithCustomError(factory, "FactoryInvalidQuorum")
          .withArgs(10_001n);
      });

      it("reverts FactoryInvalidVotingDelay for a zero voting delay", async function () {
        const { factory, creator } = await networkHelpers.loadFixture(deployPlatform);
        await expect(factory.connect(creator).createCommunity(communityParams({ votingDelay: 0 })))
          .to.be.revertedWithCustomError(factory, "FactoryInvalidVotingDelay")
          .withArgs(0n);
      });

      it("reverts FactoryInvalidVotingPeriod for a zero voting period", async function () {
        const { factory, creator } = await networkHelpers.loadFixture(deployPlatform);
        await expect(factory.connect(creator).createCommunity(communityParams({ votingPeriod: 0 })))
          .to.be.revertedWithCustomError(factory, "FactoryInvalidVotingPeriod")
          .withArgs(0n);
      });

      it("reverts FactoryInvalidTimelockDelay for a zero timelock delay (Issue 11 item 3)", async function () {
        const { factory, creator } = await networkHelpers.loadFixture(deployPlatform);
        await expect(factory.connect(creator).createCommunity(communityParams({ timelockDelay: 0 })))
          .to.be.revertedWithCustomError(factory, "FactoryInvalidTimelockDelay")
          .withArgs(0n);
        // One second is the floor, and enough.
        await expect(factory.connect(creator).createCommunity(communityParams({ timelockDelay: 1 }))).to.emit(
          factory,
          "CommunityCreated"
        );
      });

      it("reverts FactoryRewardVaultUnavailable for a vault configuration while no vault implementation is registered", async function () {
        const { factory, creator } = await networkHelpers.loadFixture(deployPlatform);
        await expect(factory.connect(creator).createCommunity(communityParams({ rewardVaultConfig: "0x01" })))
          .to.be.revertedWithCustomError(factory, "FactoryRewardVaultUnavailable")
          .withArgs();
      });
    });

    describe("creation fee", function () {
      it("reverts FactoryFeeUnderpaid when less than the fee is sent", async function () {
        const { factory, creator } = await networkHelpers.loadFixture(withFee);
        await expect(factory.connect(creator).createCommunity(communityParams(), { value: FEE - 1n }))
          .to.be.revertedWithCustomError(factory, "FactoryFeeUnderpaid")
          .withArgs(FEE - 1n, FEE);
        await expect(factory.connect(creator).createCommunity(communityParams()))
          .to.be.revertedWithCustomError(factory, "FactoryFeeUnderpaid")
          .withArgs(0n, FEE);
      });

      it("sends exactly the fee to the fee recipient (the platform Timelock)", async function () {
        const { factory, creator, platformTimelock } = await networkHelpers.loadFixture(withFee);
        expect(await factory.feeRecipient()).to.equal(platformTimelock);
        await expect(factory.connect(creator).createCommunity(communityParams(), { value: FEE })).to.changeEtherBalances(
          ethers,
          [creator, platformTimelock, factory],
          [-FEE, FEE, 0n],
        );
      });

      it("refunds any excess to the creator", async function () {
        const { factory, creator, platformTimelock } = await networkHelpers.loadFixture(withFee);
        const excess = parseEther("1.234");
        await expect(
          factory.connect(creator).createCommunity(communityParams(), { value: FEE + excess }),
        ).to.changeEtherBalances(ethers, [creator, platformTimelock, factory], [-FEE, FEE, 0n]);
      });

      it("refunds everything sent when creation is free", async function () {
        const { factory, creator, platformTimelock } = await networkHelpers.loadFixture(deployPlatform);
        expect(await factory.creationFee()).to.equal(0n);
        await expect(
          factory.connect(creator).createCommunity(communityParams(), { value: parseEther("1") }),
        ).to.changeEtherBalances(ethers, [creator, platformTimelock, factory], [0n, 0n, 0n]);
      });

      it("reverts FactoryEthTransferFailed when the fee recipient rejects ETH", async function () {
        const { factory, creator, owner } = await networkHelpers.loadFixture(withFee);
        const rejecter = await ethers.deployContract("EthRejecter");
        const rejecterAddress = await rejecter.getAddress();
        await mined(factory.connect(owner).setFeeRecipient(rejecterAddress));
        await expect(factory.connect(creator).createCommunity(communityParams(), { value: FEE }))
          .to.be.revertedWithCustomError(factory, "FactoryEthTransferFailed")
          .withArgs(rejecterAddress, FEE);
      });

      it("reverts FactoryEthTransferFailed when a creator contract rejects its change, and succeeds without change", async function () {
        const { factory, creator } = await networkHelpers.loadFixture(withFee);
        const rejecter = await ethers.deployContract("EthRejecter");
        const rejecterAddress = await rejecter.getAddress();
        const data = factory.interface.encodeFunctionData("createCommunity", [communityParams()]);
        const factoryAddress = await factory.getAddress();
        await expect(rejecter.connect(creator).forward(factoryAddress, data, { value: FEE + 1n }))
          .to.be.revertedWithCustomError(factory, "FactoryEthTransferFailed")
          .withArgs(rejecterAddress, 1n);
        // With the exact fee there is no change to send, so the same contract can create.
        await mined(rejecter.connect(creator).forward(factoryAddress, data, { value: FEE }));
        const predicted = await factory.predictAddresses(rejecterAddress, communityParams().salt);
        expect((await factory.communityByToken(predicted.token)).creator).to.equal(rejecterAddress);
      });
    });
  });

  describe("registry", function () {
    /** Platform (id 0) plus four creator communities (ids 1..4). */
    async function withFiveCommunities() {
      const base = await deployPlatform();
      const created: Array<CreatedCommunity & { receipt: ContractTransactionReceipt }> = [];
      const signers = [base.creator, base.other, base.fan, base.creator];
      for (let i = 0; i < signers.length; i++) {
        created.push(await create(base.factory, signers[i], { name: `Community ${i + 1}`, symbol: `C${i + 1}`, salt: id(`c${i + 1}`) }));
      }
      return { ...base, created };
    }

    it("counts the platform and every community created", async function () {
      const { factory } = await networkHelpers.loadFixture(withFiveCommunities);
      expect(await factory.communityCount()).to.equal(5n);
    });

    it("records the platform community as id 0, with its own Timelock as creator (the deployer keeps nothing)", async function () {
      const { factory, deployer, platformToken, platformGovernor, platformTimelock } = await networkHelpers.loadFixture(deployPlatform);
      expect(await factory.communityCount()).to.equal(1n);
      expect(await factory.platformCommunityId()).to.equal(0n);
      const platform = await factory.community(0n);
      expect(platform.creator).to.equal(platformTimelock);
      expect(platform.creator).to.not.equal(deployer.address);
      // Its addresses are still those the deployer's address and salt predict.
      expect((await factory.predictAddresses(deployer.address, id("coterie.platform"))).token).to.equal(platformToken);
      expect(platform.token).to.equal(platformToken);
      expect(platform.governor).to.equal(platformGovernor);
      expect(platform.timelock).to.equal(platformTimelock);
    });

    it("returns a community by id with its creator, addresses, creation time and implementations version", async function () {
      const { factory, created, other } = await networkHelpers.loadFixture(withFiveCommunities);
      const second = created[1];
      const block = await ethers.provider.getBlock(second.receipt.blockNumber);
      const entry = await factory.community(2n);
      expect(entry.id).to.equal(2n);
      expect(entry.creator).to.equal(other.address);
      expect(entry.token).to.equal(second.token);
      expect(entry.governor).to.equal(second.governor);
      expect(entry.timelock).to.equal(second.timelock);
      expect(entry.rewardVault).to.equal(ZeroAddress);
      expect(entry.verified).to.equal(false);
      expect(entry.createdAt).to.equal(BigInt(block!.timestamp));
      expect(entry.implementationsVersion).to.equal(0n);
    });

    it("returns the same entry by token", async function () {
      const { factory, created } = await networkHelpers.loadFixture(withFiveCommunities);
      for (let i = 0; i < created.length; i++) {
        const byToken = await factory.communityByToken(created[i].token);
        const byId = await factory.community(BigInt(i + 1));
        expect(entryOf(byToken)).to.deep.equal(entryOf(byId));
      }
    });

    it("reverts FactoryUnknownCommunity for an id not yet used", async function () {
      const { factory } = await networkHelpers.loadFixture(withFiveCommunities);
      await expect(factory.community(5n)).to.be.revertedWithCustomError(factory, "FactoryUnknownCommunity").withArgs(5n);
      await expect(factory.community(MaxUint256))
        .to.be.revertedWithCustomError(factory, "FactoryUnknownCommunity")
        .withArgs(MaxUint256);
    });

    it("reverts FactoryUnknownToken for an address that is not a community token", async function () {
      const { factory, created, other } = await networkHelpers.loadFixture(withFiveCommunities);
      for (const address of [other.address, created[0].governor, created[0].timelock, ZeroAddress]) {
        await expect(factory.communityByToken(address))
          .to.be.revertedWithCustomError(factory, "FactoryUnknownToken")
          .withArgs(address);
      }
    });

    describe("communities (paged)", function () {
      async function pageIds(factory: CommunityFactory, offset: bigint, limit: bigint): Promise<bigint[]> {
        return (await factory.communities(offset, limit)).map((c) => c.id);
      }

      it("returns full pages oldest first", async function () {
        const { factory } = await networkHelpers.loadFixture(withFiveCommunities);
        expect(await pageIds(factory, 0n, 2n)).to.deep.equal([0n, 1n]);
        expect(await pageIds(factory, 2n, 2n)).to.deep.equal([2n, 3n]);
      });

      it("returns the same entries as community(id)", async function () {
        const { factory } = await networkHelpers.loadFixture(withFiveCommunities);
        const page = await factory.communities(1n, 3n);
        for (const entry of page) {
          expect(entryOf(entry)).to.deep.equal(entryOf(await factory.community(entry.id)));
        }
      });

      it("returns a partial last page", async function () {
        const { factory } = await networkHelpers.loadFixture(withFiveCommunities);
        expect(await pageIds(factory, 4n, 2n)).to.deep.equal([4n]);
        expect(await pageIds(factory, 3n, 10n)).to.deep.equal([3n, 4n]);
      });

      it("returns everything for an unbounded limit", async function () {
        const { factory } = await networkHelpers.loadFixture(withFiveCommunities);
        expect(await pageIds(factory, 0n, MaxUint256)).to.deep.equal([0n, 1n, 2n, 3n, 4n]);
        expect(await pageIds(factory, 2n, MaxUint256)).to.deep.equal([2n, 3n, 4n]);
      });

      it("returns an empty page for an offset at or past the end", async function () {
        const { factory } = await networkHelpers.loadFixture(withFiveCommunities);
        expect(await pageIds(factory, 5n, 2n)).to.deep.equal([]);
        expect(await pageIds(factory, 1000n, 10n)).to.deep.equal([]);
        expect(await pageIds(factory, MaxUint256, MaxUint256)).to.deep.equal([]);
      });

      it("returns an empty page for a zero limit", async function () {
        const { factory } = await networkHelpers.loadFixture(withFiveCommunities);
        expect(await pageIds(factory, 0n, 0n)).to.deep.equal([]);
        expect(await pageIds(factory, 3n, 0n)).to.deep.equal([]);
      });
    });
  });

  describe("launchPlatform", function () {
    it("has handed the Ignition-deployed factory and its fees to the platform Timelock", async function () {
      const { factory, platformTimelock } = await networkHelpers.loadFixture(deployPlatform);
      expect(await factory.owner()).to.equal(platformTimelock);
      expect(await factory.feeRecipient()).to.equal(platformTimelock);
      expect(await factory.platformCommunityId()).to.equal(0n);
    });

    it("reverts OwnableUnauthorizedAccount when the deployer tries to launch again", async function () {
      const { factory, deployer } = await networkHelpers.loadFixture(deployPlatform);
      await expect(factory.connect(deployer).launchPlatform(communityParams({ salt: id("again") })))
        .to.be.revertedWithCustomError(factory, "OwnableUnauthorizedAccount")
        .withArgs(deployer.address);
    });

    it("reverts FactoryPlatformAlreadyLaunched when the owner launches a second time", async function () {
      const { factory, owner } = await networkHelpers.loadFixture(deployPlatform);
      await expect(factory.connect(owner).launchPlatform(communityParams({ salt: id("again") })))
        .to.be.revertedWithCustomError(factory, "FactoryPlatformAlreadyLaunched")
        .withArgs();
    });

    describe("on a factory deployed directly", function () {
      it("starts owned by the deployer, with no fee recipient and no platform community", async function () {
        const { fresh, deployer } = await networkHelpers.loadFixture(freshFactory);
        expect(await fresh.owner()).to.equal(deployer.address);
        expect(await fresh.feeRecipient()).to.equal(ZeroAddress);
        expect(await fresh.communityCount()).to.equal(0n);
        await expect(fresh.platformCommunityId()).to.be.revertedWithCustomError(fresh, "FactoryPlatformNotLaunched");
      });

      it("refuses createCommunity before launch with FactoryPlatformNotLaunched", async function () {
        const { fresh, creator } = await networkHelpers.loadFixture(freshFactory);
        await expect(fresh.connect(creator).createCommunity(communityParams()))
          .to.be.revertedWithCustomError(fresh, "FactoryPlatformNotLaunched")
          .withArgs();
      });

      it("lets only the owner launch (OwnableUnauthorizedAccount)", async function () {
        const { fresh, other } = await networkHelpers.loadFixture(freshFactory);
        await expect(fresh.connect(other).launchPlatform(communityParams()))
          .to.be.revertedWithCustomError(fresh, "OwnableUnauthorizedAccount")
          .withArgs(other.address);
      });

      it("validates the platform's parameters like any community's", async function () {
        const { fresh, deployer } = await networkHelpers.loadFixture(freshFactory);
        await expect(fresh.connect(deployer).launchPlatform(communityParams({ name: "" })))
          .to.be.revertedWithCustomError(fresh, "FactoryEmptyName");
        await expect(fresh.connect(deployer).launchPlatform(communityParams({ quorumBps: 0 })))
          .to.be.revertedWithCustomError(fresh, "FactoryInvalidQuorum")
          .withArgs(0n);
      });

      it("creates the platform community and hands ownership and fees to its Timelock", async function () {
        const { fresh, deployer } = await networkHelpers.loadFixture(freshFactory);
        const params = communityParams({ name: "Coterie", symbol: "CTRE", salt: id("fresh.platform") });
        const predicted = await fresh.predictAddresses(deployer.address, params.salt);
        const tx = fresh.connect(deployer).launchPlatform(params);
        await expect(tx).to.emit(fresh, "PlatformLaunched").withArgs(0n, predicted.timelock);
        await expect(tx).to.emit(fresh, "FeeRecipientSet").withArgs(ZeroAddress, predicted.timelock);
        await expect(tx).to.emit(fresh, "OwnershipTransferred").withArgs(deployer.address, predicted.timelock);
        await expect(tx)
          .to.emit(fresh, "CommunityCreated")
          .withArgs(0n, predicted.timelock, predicted.token, predicted.governor, predicted.timelock, ZeroAddress, "Coterie", "CTRE", params.salt, 0n);
        expect(await fresh.owner()).to.equal(predicted.timelock);
        expect(await fresh.feeRecipient()).to.equal(predicted.timelock);
        expect(await fresh.platformCommunityId()).to.equal(0n);
        expect(await fresh.communityCount()).to.equal(1n);
        const token = await ethers.getContractAt("SocialToken", predicted.token);
        expect(await token.getVotes(deployer.address)).to.equal(params.creatorAllocation);
        // The deployer holds the allocation (to distribute) and nothing else (Issue 11 item 2): the
        // platform's registered creator is its Timelock and it has no proposal guardian.
        expect((await fresh.community(0n)).creator).to.equal(predicted.timelock);
        const governor = await ethers.getContractAt("CommunityGovernor", predicted.governor);
        expect(await governor.proposalGuardian()).to.equal(ZeroAddress);
      });

      it("lets creators create communities once launched", async function () {
        const { fresh, deployer, creator } = await networkHelpers.loadFixture(freshFactory);
        await mined(fresh.connect(deployer).launchPlatform(communityParams({ salt: id("fresh.platform") })));
        const created = await create(fresh, creator);
        expect(created.id).to.equal(1n);
        expect((await fresh.community(1n)).creator).to.equal(creator.address);
      });

      it("refuses code-less implementations at construction (FactoryZeroAddress)", async function () {
        const { implementations, deployer, other } = await networkHelpers.loadFixture(deployPlatform);
        const Factory = await ethers.getContractFactory("CommunityFactory");
        for (const bad of [
          { ...implementations, token: ZeroAddress },
          { ...implementations, governor: other.address },
          { ...implementations, timelock: ZeroAddress },
          { ...implementations, rewardVault: other.address },
        ]) {
          await expect(Factory.deploy(bad, deployer.address)).to.be.revertedWithCustomError(Factory, "FactoryZeroAddress");
        }
      });
    });
  });

  describe("reward-vault extension point", function () {
    it("clones the registered vault implementation at the predicted address, carrying its token and Timelock as immutable args", async function () {
      const { factory, other, vaultImpl } = await networkHelpers.loadFixture(withVaultImplementation);
      const predicted = await factory.predictAddresses(other.address, id("with-vault"));
      expect(predicted.rewardVault).to.not.equal(ZeroAddress);
      const created = await create(factory, other, { salt: id("with-vault"), rewardVaultConfig: "0xc0ffee" });
      expect(created.rewardVault).to.equal(predicted.rewardVault);
      // EIP-1167 runtime followed by abi.encodePacked(token, timelock).
      const args = ethers.solidityPacked(["address", "address"], [created.token, created.timelock]);
      expect(await ethers.provider.getCode(created.rewardVault)).to.equal(
        minimalProxyRuntime(vaultImpl) + args.slice(2).toLowerCase(),
      );
      const entry = await factory.community(created.id);
      expect(entry.rewardVault).to.equal(predicted.rewardVault);
      expect(entry.implementationsVersion).to.equal(1n);
    });

    it("initialises the vault with the token, the Timelock, the creator as operator and the creator's config", async function () {
      const { factory, other } = await networkHelpers.loadFixture(withVaultImplementation);
      const params = communityParams({ salt: id("with-vault"), rewardVaultConfig: "0xc0ffee" });
      const predicted = await factory.predictAddresses(other.address, params.salt);
      const vault = await ethers.getContractAt("MockRewardVault", predicted.rewardVault);
      await expect(factory.connect(other).createCommunity(params))
        .to.emit(vault, "MockRewardVaultInitialized")
        .withArgs(predicted.token, predicted.timelock, other.address, "0xc0ffee");
      expect(await vault.token()).to.equal(predicted.token);
      expect(await vault.timelock()).to.equal(predicted.timelock);
      expect(await vault.operator()).to.equal(other.address);
      expect(await vault.config()).to.equal("0xc0ffee");
    });

    it("accepts an empty vault config when a vault implementation is registered", async function () {
      const { factory, other } = await networkHelpers.loadFixture(withVaultImplementation);
      const created = await create(factory, other, { salt: id("with-vault") });
      const vault = await ethers.getContractAt("MockRewardVault", created.rewardVault);
      expect(await vault.config()).to.equal("0x");
      expect(await vault.token()).to.equal(created.token);
    });

    it("grants the vault MINTER_ROLE, and only the vault, so it can mint", async function () {
      const { factory, other, fan } = await networkHelpers.loadFixture(withVaultImplementation);
      const created = await create(factory, other, { salt: id("with-vault") });
      const token = await ethers.getContractAt("SocialToken", created.token);
      const vault = await ethers.getContractAt("MockRewardVault", created.rewardVault);
      expect(await token.hasRole(MINTER_ROLE, created.rewardVault)).to.equal(true);
      expect(rolesGranted(created.receipt, created.token, token.interface)).to.deep.equal([
        [DEFAULT_ADMIN_ROLE, created.timelock],
        [MINTER_ROLE, created.rewardVault],
      ]);
      const supply = await token.totalSupply();
      await mined(vault.connect(other).mintTo(fan.address, parseEther("25")));
      expect(await token.balanceOf(fan.address)).to.equal(parseEther("25"));
      expect(await token.totalSupply()).to.equal(supply + parseEther("25"));
      expect(await token.getVotes(fan.address)).to.equal(parseEther("25"));
    });

    it("names the vault and the new implementations version in CommunityCreated", async function () {
      const { factory, other } = await networkHelpers.loadFixture(withVaultImplementation);
      const params = communityParams({ salt: id("with-vault") });
      const p = await factory.predictAddresses(other.address, params.salt);
      await expect(factory.connect(other).createCommunity(params))
        .to.emit(factory, "CommunityCreated")
        .withArgs(2n, other.address, p.token, p.governor, p.timelock, p.rewardVault, params.name, params.symbol, params.salt, 1n);
    });

    it("cannot initialise a vault clone twice, nor the vault implementation at all", async function () {
      const { factory, other, vaultImplementation } = await networkHelpers.loadFixture(withVaultImplementation);
      const created = await create(factory, other, { salt: id("with-vault") });
      const vault = await ethers.getContractAt("MockRewardVault", created.rewardVault);
      await expect(vault.connect(other).initialize(other.address, other.address, other.address, "0x"))
        .to.be.revertedWithCustomError(vault, "InvalidInitialization");
      await expect(vaultImplementation.initialize(other.address, other.address, other.address, "0x"))
        .to.be.revertedWithCustomError(vaultImplementation, "InvalidInitialization");
    });

    it("leaves communities created before without a vault and on their old implementations version", async function () {
      const { factory, aurora } = await networkHelpers.loadFixture(withVaultImplementation);
      for (const entry of [await factory.community(aurora.id), await factory.communityByToken(aurora.token)]) {
        expect(entry.rewardVault).to.equal(ZeroAddress);
        expect(entry.implementationsVersion).to.equal(0n);
        expect(entry.governor).to.equal(aurora.governor);
        expect(entry.timelock).to.equal(aurora.timelock);
      }
      const token = await ethers.getContractAt("SocialToken", aurora.token);
      expect(await token.hasRole(MINTER_ROLE, await factory.getAddress())).to.equal(false);
    });
  });

  describe("setImplementations", function () {
    async function withNewImplementations() {
      const base = await withCommunity();
      const next = {
        token: await (await ethers.deployContract("SocialToken")).getAddress(),
        governor: await (await ethers.deployContract("CommunityGovernor")).getAddress(),
        timelock: await (await ethers.deployContract("CommunityTimelock")).getAddress(),
        rewardVault: ZeroAddress,
      };
      return { ...base, next };
    }

    it("increments the version and emits ImplementationsSet", async function () {
      const { factory, owner, next, implementations } = await networkHelpers.loadFixture(withNewImplementations);
      const [v0] = await factory.currentImplementations();
      expect(v0).to.equal(0n);
      await expect(factory.connect(owner).setImplementations(next))
        .to.emit(factory, "ImplementationsSet")
        .withArgs(1n, next.token, next.governor, next.timelock, ZeroAddress);
      const [v1, current] = await factory.currentImplementations();
      expect(v1).to.equal(1n);
      expect(implementationsOf(current)).to.deep.equal(next);
      expect(implementationsOf(await factory.implementationsAt(0))).to.deep.equal(implementations);
      expect(implementationsOf(await factory.implementationsAt(1))).to.deep.equal(next);
    });

    it("clones new communities from the new implementations", async function () {
      const { factory, owner, next, other } = await networkHelpers.loadFixture(withNewImplementations);
      await mined(factory.connect(owner).setImplementations(next));
      const created = await create(factory, other, { salt: id("v1") });
      expect(await ethers.provider.getCode(created.token)).to.equal(minimalProxyRuntime(next.token));
      expect(await ethers.provider.getCode(created.governor)).to.equal(minimalProxyRuntime(next.governor));
      expect(await ethers.provider.getCode(created.timelock)).to.equal(minimalProxyRuntime(next.timelock));
      expect((await factory.community(created.id)).implementationsVersion).to.equal(1n);
      const governor = await ethers.getContractAt("CommunityGovernor", created.governor);
      expect(await governor.token()).to.equal(created.token);
    });

    it("leaves existing communities untouched: their clones still delegate to the old implementations", async function () {
      const { factory, owner, next, aurora, implementations } = await networkHelpers.loadFixture(withNewImplementations);
      await mined(factory.connect(owner).setImplementations(next));
      expect(await ethers.provider.getCode(aurora.token)).to.equal(minimalProxyRuntime(implementations.token));
      expect(await ethers.provider.getCode(aurora.governor)).to.equal(minimalProxyRuntime(implementations.governor));
      expect(await ethers.provider.getCode(aurora.timelock)).to.equal(minimalProxyRuntime(implementations.timelock));
      const entry = await factory.community(aurora.id);
      expect([entry.token, entry.governor, entry.timelock]).to.deep.equal([aurora.token, aurora.governor, aurora.timelock]);
      expect(entry.implementationsVersion).to.equal(0n);
    });

    it("reverts FactoryZeroAddress for a zero or code-less implementation", async function () {
      const { factory, owner, next, other } = await networkHelpers.loadFixture(withNewImplementations);
      for (const bad of [
        { ...next, token: ZeroAddress },
        { ...next, governor: ZeroAddress },
        { ...next, timelock: ZeroAddress },
        { ...next, token: other.address },
        { ...next, governor: other.address },
        { ...next, timelock: other.address },
        { ...next, rewardVault: other.address },
      ]) {
        await expect(factory.connect(owner).setImplementations(bad)).to.be.revertedWithCustomError(factory, "FactoryZeroAddress");
      }
      expect((await factory.currentImplementations())[0]).to.equal(0n);
    });
  });

  describe("setCreationFee", function () {
    it("sets the fee and emits CreationFeeSet with the previous and new fee", async function () {
      const { factory, owner } = await networkHelpers.loadFixture(deployPlatform);
      await expect(factory.connect(owner).setCreationFee(FEE)).to.emit(factory, "CreationFeeSet").withArgs(0n, FEE);
      await expect(factory.connect(owner).setCreationFee(2n * FEE)).to.emit(factory, "CreationFeeSet").withArgs(FEE, 2n * FEE);
      expect(await factory.creationFee()).to.equal(2n * FEE);
    });

    it("accepts 2^96 - 1 wei and reverts FactoryFeeTooHigh above", async function () {
      const { factory, owner } = await networkHelpers.loadFixture(deployPlatform);
      const max = (1n << 96n) - 1n;
      await mined(factory.connect(owner).setCreationFee(max));
      expect(await factory.creationFee()).to.equal(max);
      await expect(factory.connect(owner).setCreationFee(max + 1n))
        .to.be.revertedWithCustomError(factory, "FactoryFeeTooHigh")
        .withArgs(max + 1n);
    });
  });

  describe("setFeeRecipient", function () {
    it("sets the recipient, emits FeeRecipientSet, and sends later fees there", async function () {
      const { factory, owner, platformTimelock, other, creator } = await networkHelpers.loadFixture(withFee);
      await expect(factory.connect(owner).setFeeRecipient(other.address))
        .to.emit(factory, "FeeRecipientSet")
        .withArgs(platformTimelock, other.address);
      expect(await factory.feeRecipient()).to.equal(other.address);
      await expect(factory.connect(creator).createCommunity(communityParams(), { value: FEE })).to.changeEtherBalances(
        ethers,
        [other, platformTimelock],
        [FEE, 0n],
      );
    });

    it("reverts FactoryZeroAddress for the zero address", async function () {
      const { factory, owner } = await networkHelpers.loadFixture(deployPlatform);
      await expect(factory.connect(owner).setFeeRecipient(ZeroAddress)).to.be.revertedWithCustomError(factory, "FactoryZeroAddress");
    });
  });

  describe("setVerified", function () {
    it("sets and clears a community's verified flag, emitting CommunityVerified", async function () {
      const { factory, owner, aurora } = await networkHelpers.loadFixture(withCommunity);
      await expect(factory.connect(owner).setVerified(aurora.id, true))
        .to.emit(factory, "CommunityVerified")
        .withArgs(aurora.id, aurora.token, true);
      expect((await factory.community(aurora.id)).verified).to.equal(true);
      expect((await factory.communityByToken(aurora.token)).verified).to.equal(true);
      expect((await factory.community(0n)).verified).to.equal(false);
      await expect(factory.connect(owner).setVerified(aurora.id, false))
        .to.emit(factory, "CommunityVerified")
        .withArgs(aurora.id, aurora.token, false);
      expect((await factory.community(aurora.id)).verified).to.equal(false);
    });

    it("reverts FactoryUnknownCommunity for an unknown id", async function () {
      const { factory, owner } = await networkHelpers.loadFixture(withCommunity);
      await expect(factory.connect(owner).setVerified(2n, true))
        .to.be.revertedWithCustomError(factory, "FactoryUnknownCommunity")
        .withArgs(2n);
    });
  });

  describe("pause and unpause", function () {
    it("makes a paused factory refuse createCommunity with EnforcedPause", async function () {
      const { factory, owner, creator, platformTimelock } = await networkHelpers.loadFixture(deployPlatform);
      await expect(factory.connect(owner).pause()).to.emit(factory, "Paused").withArgs(platformTimelock);
      expect(await factory.paused()).to.equal(true);
      await expect(factory.connect(creator).createCommunity(communityParams())).to.be.revertedWithCustomError(
        factory,
        "EnforcedPause",
      );
      // Reads keep working while paused.
      expect(await factory.communityCount()).to.equal(1n);
    });

    it("restores creation on unpause", async function () {
      const { factory, owner, creator, platformTimelock } = await networkHelpers.loadFixture(deployPlatform);
      await mined(factory.connect(owner).pause());
      await expect(factory.connect(owner).unpause()).to.emit(factory, "Unpaused").withArgs(platformTimelock);
      const created = await create(factory, creator);
      expect(created.id).to.equal(1n);
    });
  });

  describe("owner-only setters", function () {
    type Call = (f: CommunityFactory) => Promise<ContractTransactionResponse>;
    const setters: Array<[string, Call]> = [
      ["setCreationFee", (f) => f.setCreationFee(FEE)],
      ["setFeeRecipient", (f) => f.setFeeRecipient("0x000000000000000000000000000000000000dEaD")],
      ["setVerified", (f) => f.setVerified(0n, true)],
      ["setImplementations", async (f) => f.setImplementations(implementationsOf((await f.currentImplementations())[1]))],
      ["pause", (f) => f.pause()],
      ["unpause", (f) => f.unpause()],
      ["launchPlatform", (f) => f.launchPlatform(communityParams({ salt: id("x") }))],
      ["transferOwnership", (f) => f.transferOwnership("0x000000000000000000000000000000000000dEaD")],
      ["renounceOwnership", (f) => f.renounceOwnership()],
    ];

    for (const [name, call] of setters) {
      it(`${name} reverts OwnableUnauthorizedAccount for a random account and for the deployer after launch`, async function () {
        const { factory, other, deployer } = await networkHelpers.loadFixture(deployPlatform);
        for (const account of [other, deployer]) {
          await expect(call(factory.connect(account)))
            .to.be.revertedWithCustomError(factory, "OwnableUnauthorizedAccount")
            .withArgs(account.address);
        }
      });
    }
  });

  describe("contract size (EIP-170)", function () {
    it("keeps the runtime bytecode of every implementation and the factory within 24,576 bytes", async function () {
      // Coverage runs deploy instrumented bytecode, which is larger than what is ever deployed;
      // the size rule is checked on the real build (every `./coterie test` run).
      if (hre.globalOptions.coverage === true) this.skip();
      const { factory, implementations } = await networkHelpers.loadFixture(deployPlatform);
      const sizes: Record<string, number> = {
        SocialToken: await codeSize(implementations.token),
        CommunityGovernor: await codeSize(implementations.governor),
        CommunityTimelock: await codeSize(implementations.timelock),
        CommunityFactory: await codeSize(await factory.getAddress()),
      };
      console.log(
        "      runtime sizes (bytes, limit 24,576):",
        Object.entries(sizes)
          .map(([name, size]) => `${name} ${size.toLocaleString("en-US")} (${EIP170_LIMIT - size} spare)`)
          .join(", "),
      );
      for (const [name, size] of Object.entries(sizes)) {
        expect(size, name).to.be.greaterThan(45); // a real contract, not a proxy or empty account
        expect(size, name).to.be.at.most(EIP170_LIMIT);
      }
    });
  });
});
