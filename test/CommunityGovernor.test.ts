import { expect } from "chai";
import { network } from "hardhat";
import { id, parseEther, ZeroAddress, type ContractTransactionResponse } from "ethers";
import PlatformModule from "../deploy/modules/Platform.ts";
import { communityParams, findCommunityCreated, DAY } from "../scripts/lib/community.ts";
import {
  GovernorHelper,
  ProposalState,
  proposalFromLog,
  VoteType,
  signBallot,
  signExtendedBallot,
  stateBitmap,
  timelockSalt,
  type ProposalSpec,
} from "../scripts/lib/governance.ts";
import { minimalProxyCreationCode } from "./helpers/clones.ts";
import { openZeppelinErrorInterface, revertData } from "./helpers/openzeppelin.ts";

const { ethers, networkHelpers, ignition } = await network.create();
const { time } = networkHelpers;

const PARAMS = communityParams({ name: "Aurora Fans", symbol: "AUR", salt: id("governor-tests") });
const SUPPLY = PARAMS.creatorAllocation; // 1,000,000 tokens, all minted to the creator
const QUORUM = (SUPPLY * BigInt(PARAMS.quorumBps)) / 10_000n; // 40,000 tokens
const VOTING_DELAY = BigInt(PARAMS.votingDelay); // 1 day
const VOTING_PERIOD = BigInt(PARAMS.votingPeriod); // 5 days
const EXTENSION = BigInt(PARAMS.lateQuorumExtension); // 2 days
const TIMELOCK_DELAY = BigInt(PARAMS.timelockDelay); // 2 days
const DAY_N = BigInt(DAY);

// Holdings handed out by the creator in the fixture. alice + bob reach quorum (50k >= 40k); none
// of them does alone; the creator alone does.
const ALICE = parseEther("30000");
const BOB = parseEther("20000");
const CAROL = parseEther("15000");
const DAVE = parseEther("500"); // below the 1,000-token proposal threshold
const CREATOR = SUPPLY - ALICE - BOB - CAROL - DAVE;

const DEFAULT_ADMIN_ROLE = ethers.ZeroHash;
const PROPOSER_ROLE = id("PROPOSER_ROLE");
const EXECUTOR_ROLE = id("EXECUTOR_ROLE");
const CANCELLER_ROLE = id("CANCELLER_ROLE");

/** `Governor._encodeStateBitmap`: the `expectedStates` argument of GovernorUnexpectedProposalState. */
async function deployGovernance() {
  const [deployer, creator, alice, bob, carol, dave, relayer, stranger, recipient] = await ethers.getSigners();
  const platform = await ignition.deploy(PlatformModule);
  const factory = await ethers.getContractAt("CommunityFactory", await platform.factory.getAddress());
  const receipt = await (
    await factory.connect(creator).createCommunity(PARAMS, { value: await factory.creationFee() })
  ).wait();
  if (receipt === null) throw new Error("createCommunity was not mined");
  const created = findCommunityCreated(receipt, factory.interface);
  const token = await ethers.getContractAt("SocialToken", created.token);
  const governor = await ethers.getContractAt("CommunityGovernor", created.governor);
  const timelock = await ethers.getContractAt("CommunityTimelock", created.timelock);
  const governorImplementation = await ethers.getContractAt(
    "CommunityGovernor",
    await platform.governorImplementation.getAddress()
  );
  const timelockImplementation = await ethers.getContractAt(
    "CommunityTimelock",
    await platform.timelockImplementation.getAddress()
  );

  // Fans receive tokens and are self-delegated on receipt (no delegate transaction).
  await token.connect(creator).transfer(alice.address, ALICE);
  await token.connect(creator).transfer(bob.address, BOB);
  await token.connect(creator).transfer(carol.address, CAROL);
  await token.connect(creator).transfer(dave.address, DAVE);
  await networkHelpers.mine();

  /** A proposal that does nothing harmful: a zero-value call to an EOA. */
  function noop(description: string): ProposalSpec {
    return { targets: [recipient.address], values: [0n], calldatas: ["0x"], description };
  }

  /** A proposal in which the Timelock calls the governor (governance-only functions). */
  function governorCall(description: string, calldata: string): ProposalSpec {
    return { targets: [created.governor], values: [0n], calldatas: [calldata], description };
  }

  function helper(spec: ProposalSpec): GovernorHelper {
    return new GovernorHelper(governor, time, spec);
  }

  return {
    deployer,
    creator,
    alice,
    bob,
    carol,
    dave,
    relayer,
    stranger,
    recipient,
    factory,
    token,
    governor,
    timelock,
    governorImplementation,
    timelockImplementation,
    created,
    receipt,
    noop,
    governorCall,
    helper,
  };
}

/** Sends `send()` in a block at exactly `timestamp`. */
async function at(
  timestamp: bigint,
  send: () => Promise<ContractTransactionResponse>
): Promise<ContractTransactionResponse> {
  await time.setNextBlockTimestamp(timestamp);
  return send();
}

describe("CommunityGovernor", function () {
  describe("settings", function () {
    it("reads back the creator's settings, in seconds and basis points", async function () {
      const { governor } = await networkHelpers.loadFixture(deployGovernance);
      expect(await governor.votingDelay()).to.equal(VOTING_DELAY);
      expect(await governor.votingPeriod()).to.equal(VOTING_PERIOD);
      expect(await governor.proposalThreshold()).to.equal(PARAMS.proposalThreshold);
      expect(await governor["quorumNumerator()"]()).to.equal(BigInt(PARAMS.quorumBps));
      expect(await governor.quorumDenominator()).to.equal(10_000n);
      expect(await governor.lateQuorumVoteExtension()).to.equal(EXTENSION);
    });

    it("is wired to the community token and Timelock", async function () {
      const { governor, created } = await networkHelpers.loadFixture(deployGovernance);
      expect(await governor.token()).to.equal(created.token);
      expect(await governor.timelock()).to.equal(created.timelock);
    });

    it("computes quorum(t) as the supply at t times quorumBps / 10,000", async function () {
      const { governor, creator, token } = await networkHelpers.loadFixture(deployGovernance);
      const before = BigInt(await time.latest());
      await token.connect(creator).burn(parseEther("100000"));
      const after = BigInt(await time.latest());
      await networkHelpers.mine();
      expect(await governor.quorum(before)).to.equal(QUORUM);
      expect(await governor.quorum(before)).to.equal(parseEther("40000"));
      expect(await governor.quorum(after)).to.equal(((SUPPLY - parseEther("100000")) * 400n) / 10_000n);
      expect(await governor.quorum(after)).to.equal(parseEther("36000"));
    });

    it("uses the token's clock (timestamps)", async function () {
      const { governor, token } = await networkHelpers.loadFixture(deployGovernance);
      expect(await governor.CLOCK_MODE()).to.equal("mode=timestamp");
      expect(await governor.CLOCK_MODE()).to.equal(await token.CLOCK_MODE());
      expect(await governor.clock()).to.equal(await token.clock());
      expect(await governor.clock()).to.equal(BigInt(await time.latest()));
    });

    it("counts Bravo-style with quorum over for and abstain votes", async function () {
      const { governor } = await networkHelpers.loadFixture(deployGovernance);
      expect(await governor.COUNTING_MODE()).to.equal("support=bravo&quorum=for,abstain");
    });

    it("is named '<token name> Governor', version 1, and uses that as its EIP-712 domain", async function () {
      const { governor } = await networkHelpers.loadFixture(deployGovernance);
      expect(await governor.name()).to.equal("Aurora Fans Governor");
      expect(await governor.version()).to.equal("1");
      const [, name, version, chainId, verifyingContract] = await governor.eip712Domain();
      expect(name).to.equal("Aurora Fans Governor");
      expect(version).to.equal("1");
      expect(chainId).to.equal((await ethers.provider.getNetwork()).chainId);
      expect(verifyingContract).to.equal(await governor.getAddress());
    });

    it("needs queuing (Timelock control)", async function () {
      const { governor, helper, noop, creator } = await networkHelpers.loadFixture(deployGovernance);
      const p = helper(noop("queuing"));
      await p.propose(creator);
      expect(await governor.proposalNeedsQueuing(p.id)).to.equal(true);
    });
  });

  describe("propose", function () {
    it("reverts when the proposer has fewer votes than the threshold", async function () {
      const { governor, helper, noop, dave } = await networkHelpers.loadFixture(deployGovernance);
      await expect(helper(noop("too small")).proposeTx(dave))
        .to.be.revertedWithCustomError(governor, "GovernorInsufficientProposerVotes")
        .withArgs(dave.address, DAVE, PARAMS.proposalThreshold);
    });

    it("accepts a proposer holding exactly the threshold", async function () {
      const { governor, helper, noop, creator, stranger, token } = await networkHelpers.loadFixture(deployGovernance);
      await token.connect(creator).transfer(stranger.address, PARAMS.proposalThreshold);
      await networkHelpers.mine();
      const p = helper(noop("exactly the threshold"));
      await p.propose(stranger);
      expect(await governor.proposalProposer(p.id)).to.equal(stranger.address);
    });

    it("counts delegated votes towards the threshold, not the balance", async function () {
      const { governor, helper, noop, alice, dave, token } = await networkHelpers.loadFixture(deployGovernance);
      await token.connect(alice).delegate(dave.address);
      await networkHelpers.mine();
      const p = helper(noop("delegated"));
      await p.propose(dave); // 500 own + 30,000 delegated
      expect(await governor.proposalProposer(p.id)).to.equal(dave.address);
      await expect(helper(noop("alice has no votes")).proposeTx(alice))
        .to.be.revertedWithCustomError(governor, "GovernorInsufficientProposerVotes")
        .withArgs(alice.address, 0n, PARAMS.proposalThreshold);
    });

    it("emits ProposalCreated with the voting window in seconds", async function () {
      const { governor, helper, noop, creator, recipient } = await networkHelpers.loadFixture(deployGovernance);
      const spec = noop("event");
      const proposedAt = BigInt(await time.latest()) + 10n;
      await time.setNextBlockTimestamp(proposedAt);
      await expect(helper(spec).proposeTx(creator))
        .to.emit(governor, "ProposalCreated")
        .withArgs(
          1n,
          creator.address,
          [recipient.address],
          [0n],
          [""],
          ["0x"],
          proposedAt + VOTING_DELAY,
          proposedAt + VOTING_DELAY + VOTING_PERIOD,
          "event"
        );
    });

    it("numbers proposals sequentially from 1 and tracks latestProposalId", async function () {
      const { governor, helper, noop, creator, alice } = await networkHelpers.loadFixture(deployGovernance);
      expect(await governor.latestProposalId()).to.equal(0n);
      const ids: bigint[] = [];
      for (const [i, proposer] of [creator, alice, creator].entries()) {
        const p = helper(noop(`proposal #${i}`));
        ids.push(await p.propose(proposer));
        expect(await governor.latestProposalId()).to.equal(BigInt(i + 1));
      }
      expect(ids).to.deep.equal([1n, 2n, 3n]);
    });

    it("returns the stored sequential id from getProposalId, not the hash", async function () {
      const { governor, helper, noop, creator } = await networkHelpers.loadFixture(deployGovernance);
      await helper(noop("first")).propose(creator);
      const spec = noop("second");
      await helper(spec).propose(creator);
      const descriptionHash = id(spec.description);
      expect(await governor.getProposalId(spec.targets, spec.values, spec.calldatas, descriptionHash)).to.equal(2n);
      expect(await governor.hashProposal(spec.targets, spec.values, spec.calldatas, descriptionHash)).not.to.equal(2n);
    });

    it("getProposalId reverts for a proposal never made", async function () {
      const { governor, noop } = await networkHelpers.loadFixture(deployGovernance);
      const spec = noop("never proposed");
      await expect(governor.getProposalId(spec.targets, spec.values, spec.calldatas, id(spec.description)))
        .to.be.revertedWithCustomError(governor, "GovernorNonexistentProposal")
        .withArgs(0n);
    });

    it("reverts when the same proposal is made twice", async function () {
      const { governor, helper, noop, creator } = await networkHelpers.loadFixture(deployGovernance);
      await helper(noop("twice")).propose(creator);
      await expect(helper(noop("twice")).proposeTx(creator)).to.be.revertedWithCustomError(
        governor,
        "GovernorUnexpectedProposalState"
      );
      expect(await governor.latestProposalId()).to.equal(1n);
    });
  });

  describe("proposals are not stored on chain (issue 13 item 6)", function () {
    it("keeps only sequential ids on chain: proposalCount is latestProposalId, the actions are in ProposalCreated", async function () {
      const { governor, helper, noop, creator, alice, created } = await networkHelpers.loadFixture(deployGovernance);
      const first = noop("pay nobody");
      const token = await ethers.getContractAt("SocialToken", created.token);
      const second: ProposalSpec = {
        targets: [created.token, created.governor],
        values: [0n, 0n],
        calldatas: [
          token.interface.encodeFunctionData("transfer", [alice.address, 1n]),
          governor.interface.encodeFunctionData("setVotingPeriod", [3 * DAY]),
        ],
        description: "two calls",
      };
      expect(await governor.proposalCount()).to.equal(0n);
      expect(await helper(first).propose(creator)).to.equal(1n);
      expect(await helper(second).propose(alice)).to.equal(2n);
      expect(await governor.proposalCount()).to.equal(2n);
      expect(await governor.latestProposalId()).to.equal(2n);

      expect(await proposalFromLog(governor, 2n)).to.deep.equal(second);
      expect(await proposalFromLog(governor, 1n)).to.deep.equal(first);
      let missing: unknown;
      try {
        await proposalFromLog(governor, 3n);
      } catch (error) {
        missing = error;
      }
      expect(String(missing)).to.contain("no ProposalCreated log for proposal 3");
    });

    it("has no stored-proposal functions (proposalDetails, proposalDetailsAt, queue/execute/cancel by id)", async function () {
      const { governor } = await networkHelpers.loadFixture(deployGovernance);
      const functions: string[] = [];
      governor.interface.forEachFunction((fragment) => functions.push(fragment.format("sighash")));
      for (const signature of ["proposalDetails(uint256)", "proposalDetailsAt(uint256)", "queue(uint256)", "execute(uint256)", "cancel(uint256)"]) {
        expect(functions).to.not.include(signature);
      }
      // The standard IGovernor forms stay (Tally and every Governor client call them).
      for (const f of ["queue", "execute", "cancel"]) expect(functions).to.include(`${f}(address[],uint256[],bytes[],bytes32)`);
    });
  });

  describe("castVote", function () {
    it("tallies against, for and abstain separately and records who voted", async function () {
      const { governor, helper, noop, creator, alice, bob, carol, dave } = await networkHelpers.loadFixture(
        deployGovernance
      );
      const p = helper(noop("tally"));
      await p.propose(creator);
      await p.waitForSnapshot();
      await p.vote(alice, VoteType.For);
      await p.vote(bob, VoteType.Against);
      await p.vote(carol, VoteType.Abstain);
      const [against, forVotes, abstain] = await governor.proposalVotes(p.id);
      expect([against, forVotes, abstain]).to.deep.equal([BOB, ALICE, CAROL]);
      expect(await governor.hasVoted(p.id, alice.address)).to.equal(true);
      expect(await governor.hasVoted(p.id, bob.address)).to.equal(true);
      expect(await governor.hasVoted(p.id, carol.address)).to.equal(true);
      expect(await governor.hasVoted(p.id, dave.address)).to.equal(false);
      expect(await governor.hasVoted(p.id, creator.address)).to.equal(false);
    });

    it("keeps voted flags per proposal", async function () {
      const { governor, helper, noop, creator, alice } = await networkHelpers.loadFixture(deployGovernance);
      const p1 = helper(noop("one"));
      const p2 = helper(noop("two"));
      await p1.propose(creator);
      await p2.propose(creator);
      await p2.waitForSnapshot();
      await p2.vote(alice, VoteType.For);
      expect(await governor.hasVoted(p1.id, alice.address)).to.equal(false);
      expect(await governor.hasVoted(p2.id, alice.address)).to.equal(true);
      await p1.vote(alice, VoteType.Against);
      expect(await governor.proposalVotes(p1.id)).to.deep.equal([ALICE, 0n, 0n]);
      expect(await governor.proposalVotes(p2.id)).to.deep.equal([0n, ALICE, 0n]);
    });

    it("emits VoteCast with the weight and the reason", async function () {
      const { governor, helper, noop, creator, alice } = await networkHelpers.loadFixture(deployGovernance);
      const p = helper(noop("reason"));
      await p.propose(creator);
      await p.waitForSnapshot();
      await expect(p.vote(alice, VoteType.Abstain, "not my call"))
        .to.emit(governor, "VoteCast")
        .withArgs(alice.address, p.id, VoteType.Abstain, ALICE, "not my call");
    });

    it("reverts on a second vote by the same account", async function () {
      const { governor, helper, noop, creator, alice } = await networkHelpers.loadFixture(deployGovernance);
      const p = helper(noop("twice"));
      await p.propose(creator);
      await p.waitForSnapshot();
      await p.vote(alice, VoteType.For);
      await expect(p.vote(alice, VoteType.Against))
        .to.be.revertedWithCustomError(governor, "GovernorAlreadyCastVote")
        .withArgs(alice.address);
      expect(await governor.proposalVotes(p.id)).to.deep.equal([0n, ALICE, 0n]);
    });

    it("reverts on a support value other than 0, 1 or 2", async function () {
      const { governor, helper, noop, creator, alice } = await networkHelpers.loadFixture(deployGovernance);
      const p = helper(noop("invalid"));
      await p.propose(creator);
      await p.waitForSnapshot();
      await expect(p.vote(alice, 3)).to.be.revertedWithCustomError(governor, "GovernorInvalidVoteType");
      expect(await governor.hasVoted(p.id, alice.address)).to.equal(false);
    });

    it("reverts while the proposal is Pending, including at the snapshot second", async function () {
      const { governor, helper, noop, creator, alice } = await networkHelpers.loadFixture(deployGovernance);
      const p = helper(noop("early"));
      await p.propose(creator);
      const snapshot = await p.snapshot();
      await expect(at(snapshot, () => p.vote(alice, VoteType.For)))
        .to.be.revertedWithCustomError(governor, "GovernorUnexpectedProposalState")
        .withArgs(p.id, ProposalState.Pending, stateBitmap(ProposalState.Active));
      await expect(at(snapshot + 1n, () => p.vote(alice, VoteType.For))).to.emit(governor, "VoteCast");
    });

    it("reverts after the deadline", async function () {
      const { governor, helper, noop, creator, alice } = await networkHelpers.loadFixture(deployGovernance);
      const p = helper(noop("late"));
      await p.propose(creator);
      const deadline = await p.deadline();
      await expect(at(deadline + 1n, () => p.vote(alice, VoteType.For)))
        .to.be.revertedWithCustomError(governor, "GovernorUnexpectedProposalState")
        .withArgs(p.id, ProposalState.Defeated, stateBitmap(ProposalState.Active));
    });

    it("accepts a vote in the deadline's own second", async function () {
      const { governor, helper, noop, creator, alice } = await networkHelpers.loadFixture(deployGovernance);
      const p = helper(noop("last second"));
      await p.propose(creator);
      const deadline = await p.deadline();
      await expect(at(deadline, () => p.vote(alice, VoteType.For)))
        .to.emit(governor, "VoteCast")
        .withArgs(alice.address, p.id, VoteType.For, ALICE, "");
    });
  });

  describe("vote weight at the snapshot", function () {
    it("gives no weight to tokens received after the snapshot", async function () {
      const { governor, helper, noop, creator, stranger, token } = await networkHelpers.loadFixture(deployGovernance);
      const p = helper(noop("late buyer"));
      await p.propose(creator);
      const snapshot = await p.snapshot();
      await at(snapshot + 1n, () => token.connect(creator).transfer(stranger.address, parseEther("50000")));
      await expect(p.vote(stranger, VoteType.For))
        .to.emit(governor, "VoteCast")
        .withArgs(stranger.address, p.id, VoteType.For, 0n, "");
      expect(await governor.proposalVotes(p.id)).to.deep.equal([0n, 0n, 0n]);
    });

    it("counts tokens received up to the snapshot second, and the seller keeps none of them", async function () {
      const { governor, helper, noop, creator, stranger, token } = await networkHelpers.loadFixture(deployGovernance);
      const p = helper(noop("buyer at the snapshot"));
      await p.propose(creator);
      const snapshot = await p.snapshot();
      await at(snapshot, () => token.connect(creator).transfer(stranger.address, parseEther("50000")));
      await p.vote(stranger, VoteType.For);
      await p.vote(creator, VoteType.Against);
      expect(await governor.proposalVotes(p.id)).to.deep.equal([
        CREATOR - parseEther("50000"),
        parseEther("50000"),
        0n,
      ]);
    });

    it("counts tokens moved in the proposal's own block, since the snapshot is votingDelay later", async function () {
      // A voting delay >= 1 does not exclude the proposal's block: the snapshot is `votingDelay`
      // seconds after it. What it guarantees is that voting opens strictly after the snapshot, so
      // tokens acquired in the block where a vote is cast never count for that vote.
      const { governor, helper, noop, creator, stranger, token } = await networkHelpers.loadFixture(deployGovernance);
      const p = helper(noop("same block"));
      await ethers.provider.send("evm_setAutomine", [false]);
      try {
        await p.proposeTx(creator);
        await token.connect(creator).transfer(stranger.address, parseEther("1234"));
        await networkHelpers.mine();
      } finally {
        await ethers.provider.send("evm_setAutomine", [true]);
      }
      p.useId(await governor.latestProposalId());
      await p.waitForSnapshot();
      await expect(p.vote(stranger, VoteType.For))
        .to.emit(governor, "VoteCast")
        .withArgs(stranger.address, p.id, VoteType.For, parseEther("1234"), "");
    });

    it("ignores transfers and re-delegations after the snapshot (no double voting)", async function () {
      const { governor, helper, noop, creator, alice, bob, token } = await networkHelpers.loadFixture(deployGovernance);
      const p = helper(noop("double"));
      await p.propose(creator);
      await p.waitForSnapshot();
      await p.vote(alice, VoteType.For);
      await token.connect(alice).transfer(bob.address, ALICE);
      await p.vote(bob, VoteType.For);
      expect(await governor.proposalVotes(p.id)).to.deep.equal([0n, ALICE + BOB, 0n]);
    });
  });

  describe("outcome", function () {
    it("is Defeated when quorum is not reached, even with only for votes", async function () {
      const { governor, helper, noop, creator, alice } = await networkHelpers.loadFixture(deployGovernance);
      const p = helper(noop("no quorum"));
      await p.propose(creator);
      await p.waitForSnapshot();
      await p.vote(alice, VoteType.For); // 30k < 40k
      await p.waitForDeadline(1n);
      expect(await p.state()).to.equal(ProposalState.Defeated);
      await expect(p.queue())
        .to.be.revertedWithCustomError(governor, "GovernorUnexpectedProposalState")
        .withArgs(p.id, ProposalState.Defeated, stateBitmap(ProposalState.Succeeded));
    });

    it("counts abstain votes towards quorum", async function () {
      const { helper, noop, creator, alice, carol } = await networkHelpers.loadFixture(deployGovernance);
      const p = helper(noop("abstain quorum"));
      await p.propose(creator);
      await p.waitForSnapshot();
      await p.vote(alice, VoteType.For); // 30k
      await p.vote(carol, VoteType.Abstain); // +15k = 45k >= 40k
      await p.waitForDeadline(1n);
      expect(await p.state()).to.equal(ProposalState.Succeeded);
    });

    it("does not count against votes towards quorum", async function () {
      const { helper, noop, creator, alice, carol } = await networkHelpers.loadFixture(deployGovernance);
      const p = helper(noop("against no quorum"));
      await p.propose(creator);
      await p.waitForSnapshot();
      await p.vote(alice, VoteType.For); // 30k
      await p.vote(carol, VoteType.Against); // 15k against: for + abstain still 30k
      await p.waitForDeadline(1n);
      expect(await p.state()).to.equal(ProposalState.Defeated);
    });

    it("is Defeated on a tie between for and against", async function () {
      const { helper, noop, creator, alice, bob, carol, token } = await networkHelpers.loadFixture(deployGovernance);
      await token.connect(carol).transfer(bob.address, ALICE - BOB); // bob now holds as much as alice
      await networkHelpers.mine();
      const p = helper(noop("tie"));
      await p.propose(creator);
      await p.waitForSnapshot();
      await p.vote(alice, VoteType.For);
      await p.vote(bob, VoteType.Against);
      await p.vote(carol, VoteType.Abstain);
      await p.waitForDeadline(1n);
      expect(await p.state()).to.equal(ProposalState.Defeated);
    });
  });

  describe("late-quorum protection", function () {
    /** Proposes a no-op and returns its helper with the snapshot, deadline and window start. */
    async function proposeNoop(f: Awaited<ReturnType<typeof deployGovernance>>, description: string) {
      const p = f.helper(f.noop(description));
      await p.propose(f.creator);
      const snapshot = await p.snapshot();
      const deadline = await p.deadline();
      return { p, snapshot, deadline, windowStart: deadline - EXTENSION };
    }

    it("keeps the deadline when quorum was reached before the last window, despite late votes", async function () {
      const f = await networkHelpers.loadFixture(deployGovernance);
      const { p, snapshot, deadline } = await proposeNoop(f, "early quorum");
      await at(snapshot + 1n, () => p.vote(f.alice, VoteType.For));
      await at(snapshot + 2n, () => p.vote(f.bob, VoteType.For)); // 50k >= 40k: quorum, early
      await expect(at(deadline - 10n, () => p.vote(f.carol, VoteType.For))).not.to.emit(f.governor, "ProposalExtended");
      await expect(at(deadline, () => p.vote(f.dave, VoteType.Abstain))).not.to.emit(f.governor, "ProposalExtended");
      expect(await p.deadline()).to.equal(deadline);
      await time.increaseTo(deadline + 1n);
      expect(await p.state()).to.equal(ProposalState.Succeeded);
    });

    it("keeps the deadline when quorum was reached early and the first late vote is against", async function () {
      const f = await networkHelpers.loadFixture(deployGovernance);
      const { p, snapshot, deadline, windowStart } = await proposeNoop(f, "early quorum, late against");
      await at(snapshot + 1n, () => p.vote(f.alice, VoteType.For));
      await at(snapshot + 2n, () => p.vote(f.bob, VoteType.For));
      await expect(at(windowStart + 1n, () => p.vote(f.carol, VoteType.Against))).not.to.emit(
        f.governor,
        "ProposalExtended"
      );
      await expect(at(deadline, () => p.vote(f.dave, VoteType.For))).not.to.emit(f.governor, "ProposalExtended");
      expect(await p.deadline()).to.equal(deadline);
    });

    it("extends voting to vote time + extension when a vote in the last window reaches quorum", async function () {
      const f = await networkHelpers.loadFixture(deployGovernance);
      const { p, snapshot, deadline, windowStart } = await proposeNoop(f, "late quorum");
      await at(snapshot + 1n, () => p.vote(f.alice, VoteType.For)); // 30k: short of quorum
      const lateVote = windowStart + 3600n;
      await expect(at(lateVote, () => p.vote(f.bob, VoteType.For))) // 50k: quorum, late
        .to.emit(f.governor, "ProposalExtended")
        .withArgs(p.id, lateVote + EXTENSION);
      expect(await p.deadline()).to.equal(lateVote + EXTENSION);
      expect(lateVote + EXTENSION).to.equal(deadline + 3600n);

      // Still Active after the original deadline, until the extended one; votes are still accepted.
      await time.increaseTo(deadline + 1n);
      expect(await p.state()).to.equal(ProposalState.Active);
      await expect(at(lateVote + EXTENSION, () => p.vote(f.carol, VoteType.Against)))
        .to.emit(f.governor, "VoteCast")
        .and.not.to.emit(f.governor, "ProposalExtended");
      expect(await p.deadline()).to.equal(lateVote + EXTENSION);
      await time.increaseTo(lateVote + EXTENSION + 1n);
      expect(await p.state()).to.equal(ProposalState.Succeeded);
    });

    it("extends when an abstain vote in the last window reaches quorum", async function () {
      const f = await networkHelpers.loadFixture(deployGovernance);
      const { p, snapshot, deadline } = await proposeNoop(f, "late abstain quorum");
      await at(snapshot + 1n, () => p.vote(f.alice, VoteType.For)); // 30k
      const lateVote = deadline - 60n;
      await expect(at(lateVote, () => p.vote(f.carol, VoteType.Abstain))) // +15k = 45k
        .to.emit(f.governor, "ProposalExtended")
        .withArgs(p.id, lateVote + EXTENSION);
      expect(await p.deadline()).to.equal(lateVote + EXTENSION);
    });

    it("does not extend for a quorum-reaching vote at the window's start (exactly `extension` left)", async function () {
      const f = await networkHelpers.loadFixture(deployGovernance);
      const { p, deadline, windowStart } = await proposeNoop(f, "window boundary");
      await expect(at(windowStart, () => p.vote(f.creator, VoteType.For))).not.to.emit(f.governor, "ProposalExtended");
      expect(await p.deadline()).to.equal(deadline);
      // The decision is made: later votes in the window do not extend either.
      await expect(at(windowStart + 1n, () => p.vote(f.alice, VoteType.For))).not.to.emit(
        f.governor,
        "ProposalExtended"
      );
      expect(await p.deadline()).to.equal(deadline);
    });

    it("extends by one second for a quorum-reaching vote one second into the window", async function () {
      const f = await networkHelpers.loadFixture(deployGovernance);
      const { p, deadline, windowStart } = await proposeNoop(f, "window boundary + 1");
      await expect(at(windowStart + 1n, () => p.vote(f.creator, VoteType.For)))
        .to.emit(f.governor, "ProposalExtended")
        .withArgs(p.id, deadline + 1n);
      expect(await p.deadline()).to.equal(deadline + 1n);
    });

    it("logs the quorum-reaching vote's VoteCast before ProposalExtended, as OpenZeppelin does (Issue 11 item 8)", async function () {
      const f = await networkHelpers.loadFixture(deployGovernance);
      const { p, deadline } = await proposeNoop(f, "log order");
      const tx = await at(deadline, () => p.vote(f.creator, VoteType.For));
      const receipt = await tx.wait();
      const governorAddress = await f.governor.getAddress();
      const names = (receipt?.logs ?? [])
        .filter((log) => log.address === governorAddress)
        .map((log) => f.governor.interface.parseLog(log)?.name);
      expect(names).to.deep.equal(["VoteCast", "ProposalExtended"]);
      // The announcement bit is cleared: the deadline reads the plain extended time.
      expect(await p.deadline()).to.equal(deadline + EXTENSION);
    });

    it("extends for a quorum-reaching vote in the deadline's own second", async function () {
      const f = await networkHelpers.loadFixture(deployGovernance);
      const { p, deadline } = await proposeNoop(f, "last second");
      await expect(at(deadline, () => p.vote(f.creator, VoteType.For)))
        .to.emit(f.governor, "ProposalExtended")
        .withArgs(p.id, deadline + EXTENSION);
    });

    it("changes nothing for votes in the window that stay short of quorum", async function () {
      const f = await networkHelpers.loadFixture(deployGovernance);
      const { p, deadline, windowStart } = await proposeNoop(f, "late, no quorum");
      await expect(at(windowStart + 1n, () => p.vote(f.alice, VoteType.For))).not.to.emit(
        f.governor,
        "ProposalExtended"
      );
      await expect(at(deadline - 1n, () => p.vote(f.dave, VoteType.Abstain))).not.to.emit(
        f.governor,
        "ProposalExtended"
      );
      expect(await p.deadline()).to.equal(deadline);
      await time.increaseTo(deadline + 1n);
      expect(await p.state()).to.equal(ProposalState.Defeated);
    });

    it("extends from the vote that reaches quorum, after earlier short votes in the window", async function () {
      const f = await networkHelpers.loadFixture(deployGovernance);
      const { p, windowStart } = await proposeNoop(f, "late, quorum on the second vote");
      await at(windowStart + 10n, () => p.vote(f.alice, VoteType.For)); // 30k
      await at(windowStart + 20n, () => p.vote(f.dave, VoteType.For)); // 30.5k
      const quorumVote = windowStart + 5000n;
      await expect(at(quorumVote, () => p.vote(f.bob, VoteType.For))) // 50.5k
        .to.emit(f.governor, "ProposalExtended")
        .withArgs(p.id, quorumVote + EXTENSION);
      expect(await p.deadline()).to.equal(quorumVote + EXTENSION);
    });

    it("never extends for against votes, however large", async function () {
      const f = await networkHelpers.loadFixture(deployGovernance);
      const { p, deadline, windowStart } = await proposeNoop(f, "late against");
      await expect(at(windowStart + 1n, () => p.vote(f.creator, VoteType.Against))).not.to.emit(
        f.governor,
        "ProposalExtended"
      );
      expect(await p.deadline()).to.equal(deadline);
      await time.increaseTo(deadline + 1n);
      expect(await p.state()).to.equal(ProposalState.Defeated);
    });

    it("leaves the decision open after a late against vote, so a later quorum still extends", async function () {
      const f = await networkHelpers.loadFixture(deployGovernance);
      const { p, windowStart } = await proposeNoop(f, "late against then quorum");
      await at(windowStart + 1n, () => p.vote(f.carol, VoteType.Against));
      const quorumVote = windowStart + 100n;
      await expect(at(quorumVote, () => p.vote(f.creator, VoteType.For)))
        .to.emit(f.governor, "ProposalExtended")
        .withArgs(p.id, quorumVote + EXTENSION);
    });

    it("measures quorum against the supply at the snapshot, not the current supply", async function () {
      const f = await networkHelpers.loadFixture(deployGovernance);
      const { p, snapshot, windowStart } = await proposeNoop(f, "supply shrinks");
      await at(snapshot + 1n, () => p.vote(f.alice, VoteType.For)); // 30k < 40k (quorum at the snapshot)
      // Burning half the supply after the snapshot would put a current-supply quorum at 20k.
      await f.token.connect(f.creator).burn(parseEther("500000"));
      expect(await f.governor.quorum(snapshot)).to.equal(QUORUM);
      await expect(at(windowStart + 1n, () => p.vote(f.carol, VoteType.For))) // 45k
        .to.emit(f.governor, "ProposalExtended")
        .withArgs(p.id, windowStart + 1n + EXTENSION);
    });
  });

  describe("setLateQuorumVoteExtension", function () {
    it("reverts when called directly, by anyone (governance only)", async function () {
      const { governor, creator, stranger } = await networkHelpers.loadFixture(deployGovernance);
      for (const caller of [creator, stranger]) {
        await expect(governor.connect(caller).setLateQuorumVoteExtension(3600))
          .to.be.revertedWithCustomError(governor, "GovernorOnlyExecutor")
          .withArgs(caller.address);
      }
    });

    it("changes the extension through a proposal and emits LateQuorumVoteExtensionSet", async function () {
      const { governor, governorCall, helper, creator } = await networkHelpers.loadFixture(deployGovernance);
      const p = helper(
        governorCall("one hour", governor.interface.encodeFunctionData("setLateQuorumVoteExtension", [3600]))
      );
      await p.propose(creator);
      await p.waitForSnapshot();
      await p.vote(creator, VoteType.For);
      await p.waitForDeadline(1n);
      await p.queue();
      await p.waitForEta();
      await expect(p.execute()).to.emit(governor, "LateQuorumVoteExtensionSet").withArgs(EXTENSION, 3600n);
      expect(await governor.lateQuorumVoteExtension()).to.equal(3600n);
    });

    it("accepts an extension equal to the voting period and rejects a longer one", async function () {
      const { governor, governorCall, helper, creator } = await networkHelpers.loadFixture(deployGovernance);
      const tooLong = helper(
        governorCall(
          "too long",
          governor.interface.encodeFunctionData("setLateQuorumVoteExtension", [VOTING_PERIOD + 1n])
        )
      );
      const equal = helper(
        governorCall("equal", governor.interface.encodeFunctionData("setLateQuorumVoteExtension", [VOTING_PERIOD]))
      );
      await tooLong.propose(creator);
      await equal.propose(creator);
      await equal.waitForSnapshot();
      await tooLong.vote(creator, VoteType.For);
      await equal.vote(creator, VoteType.For);
      await equal.waitForDeadline(1n);
      await tooLong.queue();
      await equal.queue();
      await equal.waitForEta();
      // Issue 11 item 9: a tool holding only OpenZeppelin's ABI names the error.
      const { targets, values, calldatas } = tooLong.proposal;
      const data = await revertData(governor.execute.staticCall(targets, values, calldatas, tooLong.descriptionHash));
      const decoded = openZeppelinErrorInterface("GovernorPreventLateQuorumVoteExtensionTooLarge").parseError(data);
      expect(decoded?.name).to.equal("GovernorPreventLateQuorumVoteExtensionTooLarge");
      expect([...(decoded?.args ?? [])]).to.deep.equal([VOTING_PERIOD + 1n, VOTING_PERIOD]);
      await expect(tooLong.execute())
        .to.be.revertedWithCustomError(governor, "GovernorPreventLateQuorumVoteExtensionTooLarge")
        .withArgs(VOTING_PERIOD + 1n, VOTING_PERIOD);
      await equal.execute();
      expect(await governor.lateQuorumVoteExtension()).to.equal(VOTING_PERIOD);
    });

    // Regression: the window start is not clamped to the snapshot, so the extension stays whole.
    it("extends by lateQuorumVoteExtension even after the voting period was shortened below it", async function () {
      const { governor, governorCall, helper, noop, creator } = await networkHelpers.loadFixture(deployGovernance);
      await helper(governorCall("one-day votes", governor.interface.encodeFunctionData("setVotingPeriod", [DAY]))).pass(
        creator,
        [creator]
      );
      expect(await governor.votingPeriod()).to.equal(DAY_N);
      expect(await governor.lateQuorumVoteExtension()).to.equal(EXTENSION); // 2 days > 1-day period

      const p = helper(noop("short vote"));
      await p.propose(creator);
      const vote = (await p.snapshot()) + 1n;
      await expect(at(vote, () => p.vote(creator, VoteType.For)))
        .to.emit(governor, "ProposalExtended")
        .withArgs(p.id, vote + EXTENSION);
    });

    it("applies to proposals made afterwards only; existing proposals keep their window", async function () {
      const f = await networkHelpers.loadFixture(deployGovernance);
      const { governor, governorCall, helper, noop, creator } = f;
      const ONE_HOUR = 3600n;
      const change = helper(
        governorCall("shorten", governor.interface.encodeFunctionData("setLateQuorumVoteExtension", [ONE_HOUR]))
      );
      await change.propose(creator);
      await change.waitForSnapshot();
      await change.vote(creator, VoteType.For);
      await change.waitForDeadline(1n);
      await change.queue();

      // Made while the change waits in the Timelock: armed with the two-day window.
      const old = helper(noop("made before the change"));
      await old.propose(creator);
      await change.waitForEta();
      await change.execute();
      expect(await governor.lateQuorumVoteExtension()).to.equal(ONE_HOUR);

      const fresh = helper(noop("made after the change"));
      await fresh.propose(creator);

      // Old proposal: a quorum vote a day before its deadline is inside its two-day window.
      const oldDeadline = await old.deadline();
      const oldVote = oldDeadline - DAY_N;
      await expect(at(oldVote, () => old.vote(creator, VoteType.For)))
        .to.emit(governor, "ProposalExtended")
        .withArgs(old.id, oldVote + EXTENSION);

      // New proposal: the same vote a day before its deadline is outside its one-hour window...
      const freshDeadline = await fresh.deadline();
      await expect(at(freshDeadline - DAY_N, () => fresh.vote(f.alice, VoteType.For))).not.to.emit(
        governor,
        "ProposalExtended"
      );
      // ...and the quorum vote in its last hour extends by one hour.
      const freshVote = freshDeadline - 60n;
      await expect(at(freshVote, () => fresh.vote(f.bob, VoteType.For)))
        .to.emit(governor, "ProposalExtended")
        .withArgs(fresh.id, freshVote + ONE_HOUR);
    });
  });

  describe("castVoteBySig", function () {
    it("counts a vote signed by the voter and relayed by someone else", async function () {
      const { governor, helper, noop, creator, alice, relayer } = await networkHelpers.loadFixture(deployGovernance);
      const p = helper(noop("by sig"));
      await p.propose(creator);
      await p.waitForSnapshot();
      expect(await governor.nonces(alice.address)).to.equal(0n);
      const signature = await signBallot(governor, alice, { proposalId: p.id, support: VoteType.For });
      await expect(governor.connect(relayer).castVoteBySig(p.id, VoteType.For, alice.address, signature))
        .to.emit(governor, "VoteCast")
        .withArgs(alice.address, p.id, VoteType.For, ALICE, "");
      expect(await governor.hasVoted(p.id, alice.address)).to.equal(true);
      expect(await governor.hasVoted(p.id, relayer.address)).to.equal(false);
      expect(await governor.nonces(alice.address)).to.equal(1n);
      expect(await governor.proposalVotes(p.id)).to.deep.equal([0n, ALICE, 0n]);
    });

    it("reverts when the signer is not the voter", async function () {
      const { governor, helper, noop, creator, alice, bob } = await networkHelpers.loadFixture(deployGovernance);
      const p = helper(noop("wrong signer"));
      await p.propose(creator);
      await p.waitForSnapshot();
      const signature = await signBallot(governor, bob, {
        proposalId: p.id,
        support: VoteType.For,
        voter: alice.address,
        nonce: 0n,
      });
      await expect(governor.castVoteBySig(p.id, VoteType.For, alice.address, signature))
        .to.be.revertedWithCustomError(governor, "GovernorInvalidSignature")
        .withArgs(alice.address);
    });

    it("reverts when a signature is replayed (the nonce moved on)", async function () {
      const { governor, helper, noop, creator, alice } = await networkHelpers.loadFixture(deployGovernance);
      const p1 = helper(noop("replay 1"));
      const p2 = helper(noop("replay 2"));
      await p1.propose(creator);
      await p2.propose(creator);
      await p2.waitForSnapshot();
      const signature = await signBallot(governor, alice, { proposalId: p1.id, support: VoteType.For });
      await governor.castVoteBySig(p1.id, VoteType.For, alice.address, signature);
      await expect(governor.castVoteBySig(p1.id, VoteType.For, alice.address, signature))
        .to.be.revertedWithCustomError(governor, "GovernorInvalidSignature")
        .withArgs(alice.address);
      // A signature with a stale nonce is refused on another proposal too.
      const stale = await signBallot(governor, alice, { proposalId: p2.id, support: VoteType.For, nonce: 0n });
      await expect(governor.castVoteBySig(p2.id, VoteType.For, alice.address, stale))
        .to.be.revertedWithCustomError(governor, "GovernorInvalidSignature")
        .withArgs(alice.address);
    });

    it("reverts when the relayer changes the support value", async function () {
      const { governor, helper, noop, creator, alice } = await networkHelpers.loadFixture(deployGovernance);
      const p = helper(noop("tampered"));
      await p.propose(creator);
      await p.waitForSnapshot();
      const signature = await signBallot(governor, alice, { proposalId: p.id, support: VoteType.For });
      await expect(governor.castVoteBySig(p.id, VoteType.Against, alice.address, signature))
        .to.be.revertedWithCustomError(governor, "GovernorInvalidSignature")
        .withArgs(alice.address);
    });
  });

  describe("castVoteWithReasonAndParamsBySig", function () {
    it("counts a signed vote with a reason and emits VoteCast when params are empty", async function () {
      const { governor, helper, noop, creator, bob, relayer } = await networkHelpers.loadFixture(deployGovernance);
      const p = helper(noop("extended"));
      await p.propose(creator);
      await p.waitForSnapshot();
      const reason = "signed with a reason";
      const signature = await signExtendedBallot(governor, bob, {
        proposalId: p.id,
        support: VoteType.Against,
        reason,
        params: "0x",
      });
      await expect(
        governor
          .connect(relayer)
          .castVoteWithReasonAndParamsBySig(p.id, VoteType.Against, bob.address, reason, "0x", signature)
      )
        .to.emit(governor, "VoteCast")
        .withArgs(bob.address, p.id, VoteType.Against, BOB, reason);
      expect(await governor.proposalVotes(p.id)).to.deep.equal([BOB, 0n, 0n]);
    });

    it("reverts when the reason differs from the signed one", async function () {
      const { governor, helper, noop, creator, bob } = await networkHelpers.loadFixture(deployGovernance);
      const p = helper(noop("extended tampered"));
      await p.propose(creator);
      await p.waitForSnapshot();
      const signature = await signExtendedBallot(governor, bob, {
        proposalId: p.id,
        support: VoteType.For,
        reason: "yes",
        params: "0x",
      });
      await expect(governor.castVoteWithReasonAndParamsBySig(p.id, VoteType.For, bob.address, "no", "0x", signature))
        .to.be.revertedWithCustomError(governor, "GovernorInvalidSignature")
        .withArgs(bob.address);
    });
  });

  describe("lifecycle", function () {
    it("pays ETH from the Timelock treasury through propose, vote, queue and execute", async function () {
      const { governor, timelock, creator, alice, bob, relayer, stranger, recipient, helper } =
        await networkHelpers.loadFixture(deployGovernance);
      const timelockAddress = await timelock.getAddress();
      await creator.sendTransaction({ to: timelockAddress, value: parseEther("5") });
      expect(await ethers.provider.getBalance(timelockAddress)).to.equal(parseEther("5"));

      const p = helper({
        targets: [recipient.address],
        values: [parseEther("1")],
        calldatas: ["0x"],
        description: "Pay the recipient 1 ETH from the treasury",
      });
      await p.propose(alice);
      expect(await p.state()).to.equal(ProposalState.Pending);
      await p.waitForSnapshot();
      expect(await p.state()).to.equal(ProposalState.Pending);
      await time.increase(1);
      expect(await p.state()).to.equal(ProposalState.Active);

      await expect(p.vote(alice, VoteType.For, "treasury should pay"))
        .to.emit(governor, "VoteCast")
        .withArgs(alice.address, p.id, VoteType.For, ALICE, "treasury should pay");
      await p.voteBySig(bob, relayer, VoteType.For);
      expect(await governor.proposalVotes(p.id)).to.deep.equal([0n, ALICE + BOB, 0n]);

      await p.waitForDeadline();
      expect(await p.state()).to.equal(ProposalState.Active);
      await time.increase(1);
      expect(await p.state()).to.equal(ProposalState.Succeeded);

      const queueTx = await p.queue(stranger);
      const queuedAt = BigInt((await ethers.provider.getBlock((await queueTx.wait())!.blockNumber))!.timestamp);
      await expect(queueTx)
        .to.emit(governor, "ProposalQueued")
        .withArgs(p.id, queuedAt + TIMELOCK_DELAY);
      expect(await p.state()).to.equal(ProposalState.Queued);
      expect(await governor.proposalEta(p.id)).to.equal(queuedAt + TIMELOCK_DELAY);

      // Not before the Timelock delay.
      await expect(p.execute(stranger)).to.be.revertedWithCustomError(timelock, "TimelockUnexpectedOperationState");

      await p.waitForEta();
      const executeTx = p.execute(stranger);
      await expect(executeTx).to.changeEtherBalances(
        ethers,
        [timelockAddress, recipient.address],
        [-parseEther("1"), parseEther("1")]
      );
      await expect(executeTx).to.emit(governor, "ProposalExecuted").withArgs(p.id);
      expect(await p.state()).to.equal(ProposalState.Executed);
      expect(await ethers.provider.getBalance(timelockAddress)).to.equal(parseEther("4"));
    });

    it("queues and executes a proposal by its full arguments read back from ProposalCreated; ids stay sequential", async function () {
      const { governor, creator, recipient, helper, noop, timelock } = await networkHelpers.loadFixture(deployGovernance);
      await creator.sendTransaction({ to: await timelock.getAddress(), value: parseEther("1") });
      const before = helper(noop("before"));
      const pay = helper({
        targets: [recipient.address],
        values: [parseEther("0.5")],
        calldatas: ["0x"],
        description: "pay the recipient",
      });
      const after = helper(noop("after"));
      expect(await before.propose(creator)).to.equal(1n);
      expect(await pay.propose(creator)).to.equal(2n);
      expect(await after.propose(creator)).to.equal(3n);
      await pay.waitForSnapshot();
      await pay.vote(creator, VoteType.For);
      await pay.waitForDeadline(1n);

      // What a caller with only the id knows: the log gives the arguments, the description its hash.
      const { targets, values, calldatas, description } = await proposalFromLog(governor, 2n);
      const descriptionHash = id(description);
      expect(await governor.getProposalId(targets, values, calldatas, descriptionHash)).to.equal(2n);
      // Any other arguments name no proposal: the voted actions are the only ones that can be queued.
      await expect(governor.queue(targets, [parseEther("0.9")], calldatas, descriptionHash))
        .to.be.revertedWithCustomError(governor, "GovernorNonexistentProposal")
        .withArgs(0n);
      await expect(governor.queue(targets, values, calldatas, id(`${description}!`)))
        .to.be.revertedWithCustomError(governor, "GovernorNonexistentProposal")
        .withArgs(0n);
      await expect(governor.queue(targets, values, calldatas, descriptionHash)).to.emit(governor, "ProposalQueued");
      expect(await pay.state()).to.equal(ProposalState.Queued);
      await pay.waitForEta();
      await expect(governor.execute(targets, values, calldatas, descriptionHash)).to.changeEtherBalances(
        ethers,
        [recipient.address],
        [parseEther("0.5")]
      );
      expect(await pay.state()).to.equal(ProposalState.Executed);
      expect(await before.state()).to.equal(ProposalState.Defeated);
      expect(await governor.proposalCount()).to.equal(3n);
    });

    it("cannot execute a proposal twice", async function () {
      const { governor, creator, helper, noop } = await networkHelpers.loadFixture(deployGovernance);
      const p = helper(noop("once"));
      await p.pass(creator, [creator]);
      await expect(p.execute())
        .to.be.revertedWithCustomError(governor, "GovernorUnexpectedProposalState")
        .withArgs(p.id, ProposalState.Executed, stateBitmap(ProposalState.Queued));
    });
  });

  describe("Timelock", function () {
    it("has the Governor as its only proposer and canceller, an open executor role, and itself as admin", async function () {
      const { timelock, created } = await networkHelpers.loadFixture(deployGovernance);
      expect(await timelock.hasRole(PROPOSER_ROLE, created.governor)).to.equal(true);
      expect(await timelock.hasRole(CANCELLER_ROLE, created.governor)).to.equal(true);
      expect(await timelock.hasRole(EXECUTOR_ROLE, ZeroAddress)).to.equal(true);
      expect(await timelock.hasRole(DEFAULT_ADMIN_ROLE, created.timelock)).to.equal(true);
      expect(await timelock.hasRole(DEFAULT_ADMIN_ROLE, created.governor)).to.equal(false);
      expect(await timelock.getMinDelay()).to.equal(TIMELOCK_DELAY);
    });

    it("gives factory, creator and deployer no role at all", async function () {
      const { timelock, factory, creator, deployer } = await networkHelpers.loadFixture(deployGovernance);
      for (const account of [await factory.getAddress(), creator.address, deployer.address]) {
        for (const role of [DEFAULT_ADMIN_ROLE, PROPOSER_ROLE, CANCELLER_ROLE, EXECUTOR_ROLE]) {
          expect(await timelock.hasRole(role, account)).to.equal(false, `${account} holds ${role}`);
        }
      }
    });

    it("granted exactly four roles at creation and revoked none", async function () {
      const { timelock, receipt, created } = await networkHelpers.loadFixture(deployGovernance);
      const events = receipt.logs
        .filter((log) => log.address === created.timelock)
        .map((log) => timelock.interface.parseLog(log))
        .filter((parsed) => parsed?.name === "RoleGranted" || parsed?.name === "RoleRevoked")
        .map((parsed) => `${parsed!.name} ${parsed!.args.role as string} ${parsed!.args.account as string}`)
        .sort();
      const expected = [
        `RoleGranted ${DEFAULT_ADMIN_ROLE} ${created.timelock}`,
        `RoleGranted ${PROPOSER_ROLE} ${created.governor}`,
        `RoleGranted ${CANCELLER_ROLE} ${created.governor}`,
        `RoleGranted ${EXECUTOR_ROLE} ${ZeroAddress}`,
      ].sort();
      expect(events).to.deep.equal(expected);
    });

    it("refuses a direct schedule by anyone but the Governor", async function () {
      const { timelock, creator, recipient } = await networkHelpers.loadFixture(deployGovernance);
      await expect(
        timelock
          .connect(creator)
          .schedule(recipient.address, 0n, "0x", ethers.ZeroHash, ethers.ZeroHash, TIMELOCK_DELAY)
      )
        .to.be.revertedWithCustomError(timelock, "AccessControlUnauthorizedAccount")
        .withArgs(creator.address, PROPOSER_ROLE);
    });

    it("lets anyone execute a ready operation, even directly on the Timelock", async function () {
      const { governor, timelock, creator, stranger, helper, noop } = await networkHelpers.loadFixture(
        deployGovernance
      );
      const spec = noop("executed on the timelock");
      const p = helper(spec);
      await p.propose(creator);
      await p.waitForSnapshot();
      await p.vote(creator, VoteType.For);
      await p.waitForDeadline(1n);
      await p.queue();
      await p.waitForEta();
      const salt = timelockSalt(await governor.getAddress(), p.descriptionHash);
      await timelock.connect(stranger).executeBatch(spec.targets, spec.values, spec.calldatas, ethers.ZeroHash, salt);
      expect(await p.state()).to.equal(ProposalState.Executed);
    });
  });

  describe("proposal guardian", function () {
    it("is the creator after creation", async function () {
      const { governor, creator } = await networkHelpers.loadFixture(deployGovernance);
      expect(await governor.proposalGuardian()).to.equal(creator.address);
    });

    it("can be handed to another account by the DAO, after which only the new guardian cancels", async function () {
      const { governor, governorCall, helper, noop, creator, alice, carol } = await networkHelpers.loadFixture(deployGovernance);
      const handover = helper(
        governorCall("carol guards", governor.interface.encodeFunctionData("setProposalGuardian", [carol.address]))
      );
      await handover.passToEta(creator, [creator]);
      await expect(handover.execute()).to.emit(governor, "ProposalGuardianSet").withArgs(creator.address, carol.address);
      expect(await governor.proposalGuardian()).to.equal(carol.address);

      const p = helper(noop("watched by carol"));
      await p.propose(alice);
      await p.waitForSnapshot(1n);
      await expect(p.cancel(creator)).to.be.revertedWithCustomError(governor, "GovernorUnableToCancel");
      await expect(p.cancel(carol)).to.emit(governor, "ProposalCanceled").withArgs(p.id);
    });

    it("cancels a Pending proposal", async function () {
      const { governor, helper, noop, alice, creator } = await networkHelpers.loadFixture(deployGovernance);
      const p = helper(noop("pending"));
      await p.propose(alice);
      await expect(p.cancel(creator)).to.emit(governor, "ProposalCanceled").withArgs(p.id);
      expect(await p.state()).to.equal(ProposalState.Canceled);
    });

    it("cancels an Active proposal, after which it takes no votes", async function () {
      const { governor, helper, noop, alice, creator } = await networkHelpers.loadFixture(deployGovernance);
      const p = helper(noop("active"));
      await p.propose(alice);
      await p.waitForSnapshot(1n);
      expect(await p.state()).to.equal(ProposalState.Active);
      await expect(p.cancel(creator)).to.emit(governor, "ProposalCanceled").withArgs(p.id);
      expect(await p.state()).to.equal(ProposalState.Canceled);
      await expect(p.vote(alice, VoteType.For))
        .to.be.revertedWithCustomError(governor, "GovernorUnexpectedProposalState")
        .withArgs(p.id, ProposalState.Canceled, stateBitmap(ProposalState.Active));
    });

    it("cancels a Queued proposal and its Timelock operation, so it can never execute", async function () {
      const { governor, timelock, helper, creator, alice, bob, recipient } = await networkHelpers.loadFixture(
        deployGovernance
      );
      await creator.sendTransaction({ to: await timelock.getAddress(), value: parseEther("1") });
      const spec: ProposalSpec = {
        targets: [recipient.address],
        values: [parseEther("1")],
        calldatas: ["0x"],
        description: "malicious drain",
      };
      const p = helper(spec);
      await p.propose(alice);
      await p.waitForSnapshot();
      await p.vote(alice, VoteType.For);
      await p.vote(bob, VoteType.For);
      await p.waitForDeadline(1n);
      await p.queue();
      expect(await p.state()).to.equal(ProposalState.Queued);
      const salt = timelockSalt(await governor.getAddress(), p.descriptionHash);
      const operationId = await timelock.hashOperationBatch(
        spec.targets,
        spec.values,
        spec.calldatas,
        ethers.ZeroHash,
        salt
      );
      expect(await timelock.isOperationPending(operationId)).to.equal(true);

      await expect(p.cancel(creator))
        .to.emit(governor, "ProposalCanceled")
        .withArgs(p.id)
        .and.to.emit(timelock, "Cancelled")
        .withArgs(operationId);
      expect(await p.state()).to.equal(ProposalState.Canceled);
      expect(await timelock.isOperation(operationId)).to.equal(false);

      await p.waitForEta(1n);
      await expect(p.execute())
        .to.be.revertedWithCustomError(governor, "GovernorUnexpectedProposalState")
        .withArgs(p.id, ProposalState.Canceled, stateBitmap(ProposalState.Queued));
      await expect(
        timelock.executeBatch(spec.targets, spec.values, spec.calldatas, ethers.ZeroHash, salt)
      ).to.be.revertedWithCustomError(timelock, "TimelockUnexpectedOperationState");
      expect(await ethers.provider.getBalance(await timelock.getAddress())).to.equal(parseEther("1"));
    });

    it("cannot cancel an executed proposal", async function () {
      const { governor, helper, noop, creator } = await networkHelpers.loadFixture(deployGovernance);
      const p = helper(noop("done"));
      await p.pass(creator, [creator]);
      await expect(p.cancel(creator)).to.be.revertedWithCustomError(governor, "GovernorUnexpectedProposalState");
    });

    it("is the only one besides a Pending proposal's proposer who may cancel", async function () {
      const { governor, helper, noop, alice, stranger, bob } = await networkHelpers.loadFixture(deployGovernance);
      const p = helper(noop("not yours"));
      await p.propose(alice);
      for (const caller of [stranger, bob]) {
        await expect(p.cancel(caller))
          .to.be.revertedWithCustomError(governor, "GovernorUnableToCancel")
          .withArgs(p.id, caller.address);
      }
      // The proposer may withdraw their own proposal while it is Pending (OpenZeppelin's rule)...
      await expect(p.cancel(alice)).to.emit(governor, "ProposalCanceled").withArgs(p.id);
    });

    it("leaves the proposer unable to cancel their Active proposal while a guardian is set", async function () {
      const { governor, helper, noop, alice } = await networkHelpers.loadFixture(deployGovernance);
      const p = helper(noop("active, own"));
      await p.propose(alice);
      await p.waitForSnapshot(1n);
      await expect(p.cancel(alice))
        .to.be.revertedWithCustomError(governor, "GovernorUnableToCancel")
        .withArgs(p.id, alice.address);
    });

    it("cannot be changed directly, not even by the creator", async function () {
      const { governor, creator } = await networkHelpers.loadFixture(deployGovernance);
      await expect(governor.connect(creator).setProposalGuardian(ZeroAddress))
        .to.be.revertedWithCustomError(governor, "GovernorOnlyExecutor")
        .withArgs(creator.address);
      expect(await governor.proposalGuardian()).to.equal(creator.address);
    });

    it("is removed by a DAO proposal, after which proposers cancel their own proposals and the creator cannot", async function () {
      const { governor, governorCall, helper, noop, creator, alice } = await networkHelpers.loadFixture(
        deployGovernance
      );
      const removal = helper(
        governorCall("remove the guardian", governor.interface.encodeFunctionData("setProposalGuardian", [ZeroAddress]))
      );
      await removal.propose(alice);
      await removal.waitForSnapshot();
      await removal.vote(creator, VoteType.For);
      await removal.waitForDeadline(1n);
      await removal.queue();
      await removal.waitForEta();
      await expect(removal.execute()).to.emit(governor, "ProposalGuardianSet").withArgs(creator.address, ZeroAddress);
      expect(await governor.proposalGuardian()).to.equal(ZeroAddress);

      const p = helper(noop("alice's own"));
      await p.propose(alice);
      await p.waitForSnapshot(1n);
      expect(await p.state()).to.equal(ProposalState.Active);
      await expect(p.cancel(creator))
        .to.be.revertedWithCustomError(governor, "GovernorUnableToCancel")
        .withArgs(p.id, creator.address);
      await expect(p.cancel(alice)).to.emit(governor, "ProposalCanceled").withArgs(p.id);
    });
  });

  describe("initialize", function () {
    const config = {
      votingDelay: 1,
      votingPeriod: 100,
      proposalThreshold: 0n,
      quorumBps: 100n,
      lateQuorumExtension: 10,
    };

    it("reverts on the governor implementation", async function () {
      const { governorImplementation, created, stranger } = await networkHelpers.loadFixture(deployGovernance);
      await expect(
        governorImplementation.initialize(config, created.token, created.timelock, stranger.address)
      ).to.be.revertedWithCustomError(governorImplementation, "InvalidInitialization");
    });

    it("reverts on a community governor that is already initialised", async function () {
      const { governor, created, stranger } = await networkHelpers.loadFixture(deployGovernance);
      await expect(
        governor.connect(stranger).initialize(config, created.token, created.timelock, stranger.address)
      ).to.be.revertedWithCustomError(governor, "InvalidInitialization");
    });

    it("refuses a quorum above 100% on a fresh clone initialised outside the factory", async function () {
      const { governorImplementation, created, deployer, stranger } = await networkHelpers.loadFixture(deployGovernance);
      const tx = await deployer.sendTransaction({
        data: minimalProxyCreationCode(await governorImplementation.getAddress()),
      });
      const clone = await ethers.getContractAt("CommunityGovernor", (await tx.wait())!.contractAddress!);
      await expect(clone.initialize({ ...config, quorumBps: 10_001n }, created.token, created.timelock, stranger.address))
        .to.be.revertedWithCustomError(clone, "GovernorInvalidQuorumFraction")
        .withArgs(10_001n, 10_000n);
      // The same clone accepts valid settings: the refusal was about the quorum only.
      await expect(clone.initialize(config, created.token, created.timelock, stranger.address))
        .to.emit(clone, "QuorumNumeratorUpdated")
        .withArgs(0n, config.quorumBps);
      expect(await clone["quorumNumerator()"]()).to.equal(config.quorumBps);
    });

    it("refuses a zero voting delay on a fresh clone initialised outside the factory (Issue 11 item 3)", async function () {
      const { governorImplementation, created, deployer, stranger } = await networkHelpers.loadFixture(deployGovernance);
      const tx = await deployer.sendTransaction({
        data: minimalProxyCreationCode(await governorImplementation.getAddress()),
      });
      const clone = await ethers.getContractAt("CommunityGovernor", (await tx.wait())!.contractAddress!);
      await expect(clone.initialize({ ...config, votingDelay: 0 }, created.token, created.timelock, stranger.address))
        .to.be.revertedWithCustomError(clone, "GovernorInvalidVotingDelay")
        .withArgs(0n);
      await expect(clone.initialize(config, created.token, created.timelock, stranger.address))
        .to.emit(clone, "VotingDelaySet")
        .withArgs(0n, 1n);
    });

    it("refuses a zero delay on a fresh Timelock clone initialised outside the factory (Issue 11 item 3)", async function () {
      const { timelockImplementation, deployer, stranger } = await networkHelpers.loadFixture(deployGovernance);
      const tx = await deployer.sendTransaction({
        data: minimalProxyCreationCode(await timelockImplementation.getAddress()),
      });
      const clone = await ethers.getContractAt("CommunityTimelock", (await tx.wait())!.contractAddress!);
      await expect(clone.initialize(0n, [stranger.address], [ZeroAddress], ZeroAddress))
        .to.be.revertedWithCustomError(clone, "TimelockInsufficientDelay")
        .withArgs(0n, 1n);
      await expect(clone.initialize(1n, [stranger.address], [ZeroAddress], ZeroAddress))
        .to.emit(clone, "MinDelayChange")
        .withArgs(0n, 1n);
      expect(await clone.MIN_DELAY_FLOOR()).to.equal(1n);
    });

    it("reverts on the timelock implementation and on a community timelock", async function () {
      const { timelockImplementation, timelock, stranger } = await networkHelpers.loadFixture(deployGovernance);
      for (const t of [timelockImplementation, timelock]) {
        await expect(
          t.connect(stranger).initialize(0n, [stranger.address], [stranger.address], stranger.address)
        ).to.be.revertedWithCustomError(t, "InvalidInitialization");
      }
    });
  });

  describe("settings changed by governance", function () {
    it("updates the voting period through a proposal, for later proposals, leaving the token untouched", async function () {
      const { governor, governorCall, helper, noop, creator, alice, token } = await networkHelpers.loadFixture(
        deployGovernance
      );
      const supplyBefore = await token.totalSupply();
      const newPeriod = 3n * DAY_N;
      const change = helper(
        governorCall("three-day votes", governor.interface.encodeFunctionData("setVotingPeriod", [newPeriod]))
      );
      const pending = helper(noop("made before the change"));
      await change.propose(creator);
      await pending.propose(alice);
      await change.waitForSnapshot();
      await change.vote(creator, VoteType.For);
      await change.waitForDeadline(1n);
      await change.queue();
      await change.waitForEta();
      await expect(change.execute()).to.emit(governor, "VotingPeriodSet").withArgs(VOTING_PERIOD, newPeriod);
      expect(await governor.votingPeriod()).to.equal(newPeriod);

      // The earlier proposal keeps its five days; a new one gets three.
      expect((await pending.deadline()) - (await pending.snapshot())).to.equal(VOTING_PERIOD);
      const later = helper(noop("made after the change"));
      await later.propose(alice);
      expect((await later.deadline()) - (await later.snapshot())).to.equal(newPeriod);

      // The token is a separate contract with its own settings: nothing about it changed.
      expect(await token.totalSupply()).to.equal(supplyBefore);
      expect(await token.getVotes(creator.address)).to.equal(CREATOR);
      expect(await token.CLOCK_MODE()).to.equal("mode=timestamp");
      expect(await token.hasRole(DEFAULT_ADMIN_ROLE, await governor.timelock())).to.equal(true);
    });

    it("keeps the creation quorum before the DAO's first change and follows the history after each change", async function () {
      const { governor, governorCall, helper, creator } = await networkHelpers.loadFixture(deployGovernance);
      const initial = BigInt(PARAMS.quorumBps);
      const setQuorum = (bps: bigint, what: string) =>
        helper(governorCall(what, governor.interface.encodeFunctionData("updateQuorumNumerator", [bps])));

      const first = setQuorum(1000n, "ten percent");
      await first.passToEta(creator, [creator]);
      const firstTx = await first.execute();
      await expect(firstTx).to.emit(governor, "QuorumNumeratorUpdated").withArgs(initial, 1000n);
      const firstAt = BigInt((await ethers.provider.getBlock((await firstTx.wait())!.blockNumber))!.timestamp);

      const second = setQuorum(2500n, "twenty-five percent");
      await second.passToEta(creator, [creator]);
      const secondTx = await second.execute();
      await expect(secondTx).to.emit(governor, "QuorumNumeratorUpdated").withArgs(1000n, 2500n);
      const secondAt = BigInt((await ethers.provider.getBlock((await secondTx.wait())!.blockNumber))!.timestamp);

      expect(await governor["quorumNumerator(uint256)"](firstAt - 1n)).to.equal(initial);
      expect(await governor["quorumNumerator(uint256)"](firstAt)).to.equal(1000n);
      expect(await governor["quorumNumerator(uint256)"](secondAt - 1n)).to.equal(1000n);
      expect(await governor["quorumNumerator(uint256)"](secondAt)).to.equal(2500n);
      expect(await governor["quorumNumerator()"]()).to.equal(2500n);
    });

    it("decides a proposal made before a quorum change by the quorum at its snapshot", async function () {
      const { governor, governorCall, helper, noop, creator, alice, bob } = await networkHelpers.loadFixture(deployGovernance);
      // ALICE + BOB (50.5k) clear the creation quorum (40k) but not a 10% quorum (100k).
      const earlier = helper(noop("made under the creation quorum"));
      const raise = helper(governorCall("ten percent", governor.interface.encodeFunctionData("updateQuorumNumerator", [1000n])));
      await earlier.propose(creator);
      await raise.propose(creator);
      await raise.waitForSnapshot(1n);
      await earlier.vote(alice, VoteType.For);
      await earlier.vote(bob, VoteType.For);
      await raise.vote(creator, VoteType.For);
      await raise.waitForDeadline(1n);
      await raise.queue();
      await raise.waitForEta();
      await raise.execute();
      expect(await governor["quorumNumerator()"]()).to.equal(1000n);
      // The change is in force, yet the earlier proposal is judged at its own snapshot.
      expect(await governor.quorum(await earlier.snapshot())).to.equal(QUORUM);
      expect(await earlier.state()).to.equal(ProposalState.Succeeded);

      const later = helper(noop("made under the raised quorum"));
      await later.propose(creator);
      await later.waitForSnapshot(1n);
      await later.vote(alice, VoteType.For);
      await later.vote(bob, VoteType.For);
      await later.waitForDeadline(1n);
      expect(await later.state()).to.equal(ProposalState.Defeated);
    });

    it("refuses a quorum above 100% proposed through governance (GovernorInvalidQuorumFraction)", async function () {
      const { governor, governorCall, helper, creator } = await networkHelpers.loadFixture(deployGovernance);
      const bad = helper(governorCall("too much", governor.interface.encodeFunctionData("updateQuorumNumerator", [10_001n])));
      await bad.passToEta(creator, [creator]);
      await expect(bad.execute())
        .to.be.revertedWithCustomError(governor, "GovernorInvalidQuorumFraction")
        .withArgs(10_001n, 10_000n);
      expect(await governor["quorumNumerator()"]()).to.equal(BigInt(PARAMS.quorumBps));
    });

    it("refuses a zero voting delay proposed through governance, and accepts one second (Issue 11 item 3)", async function () {
      const { governor, governorCall, helper, creator } = await networkHelpers.loadFixture(deployGovernance);
      const zero = helper(governorCall("no delay", governor.interface.encodeFunctionData("setVotingDelay", [0])));
      const one = helper(governorCall("one second", governor.interface.encodeFunctionData("setVotingDelay", [1])));
      await zero.propose(creator);
      await one.propose(creator);
      await one.waitForSnapshot();
      await zero.vote(creator, VoteType.For);
      await one.vote(creator, VoteType.For);
      await one.waitForDeadline(1n);
      await zero.queue();
      await one.queue();
      await one.waitForEta();
      await expect(zero.execute()).to.be.revertedWithCustomError(governor, "GovernorInvalidVotingDelay").withArgs(0n);
      expect(await governor.votingDelay()).to.equal(VOTING_DELAY);
      await expect(one.execute()).to.emit(governor, "VotingDelaySet").withArgs(VOTING_DELAY, 1n);
      expect(await governor.votingDelay()).to.equal(1n);
    });

    it("refuses a zero Timelock delay proposed through governance, with OpenZeppelin's error (Issue 11 item 3)", async function () {
      const { governor, timelock, helper, creator, stranger } = await networkHelpers.loadFixture(deployGovernance);
      const target = await timelock.getAddress();
      const zero = helper({
        targets: [target],
        values: [0n],
        calldatas: [timelock.interface.encodeFunctionData("updateDelay", [0n])],
        description: "no Timelock delay",
      });
      await zero.passToEta(creator, [creator]);
      await expect(zero.execute()).to.be.revertedWithCustomError(timelock, "TimelockInsufficientDelay").withArgs(0n, 1n);
      expect(await timelock.getMinDelay()).to.equal(TIMELOCK_DELAY);
      // Anyone else still gets OpenZeppelin's caller check first, whatever the delay.
      await expect(timelock.connect(stranger).updateDelay(0n))
        .to.be.revertedWithCustomError(timelock, "TimelockUnauthorizedCaller")
        .withArgs(stranger.address);
      const one = helper({
        targets: [target],
        values: [0n],
        calldatas: [timelock.interface.encodeFunctionData("updateDelay", [1n])],
        description: "one-second Timelock delay",
      });
      await one.pass(creator, [creator]);
      expect(await timelock.getMinDelay()).to.equal(1n);
      expect(await governor.timelock()).to.equal(target);
    });

    it("updates the quorum through a proposal without changing the quorum of earlier timepoints", async function () {
      const { governor, governorCall, helper, creator } = await networkHelpers.loadFixture(deployGovernance);
      const before = BigInt(await time.latest());
      const change = helper(
        governorCall("ten percent", governor.interface.encodeFunctionData("updateQuorumNumerator", [1000n]))
      );
      await change.pass(creator, [creator]);
      await networkHelpers.mine();
      expect(await governor["quorumNumerator()"]()).to.equal(1000n);
      expect(await governor.quorum(BigInt(await time.latest()) - 1n)).to.equal(SUPPLY / 10n);
      expect(await governor.quorum(before)).to.equal(QUORUM);
    });
  });
});
