/**
 * Attack: flash-loaned or just-bought votes. An attacker borrows (or buys) a majority of a
 * community's tokens for one transaction or one block and uses them to pass or block a proposal,
 * or to clear the proposal threshold.
 *
 * Defence: CommunityGovernor weighs every vote with `getPastVotes(voter, snapshot)`, the snapshot
 * being `votingDelay >= 1` second after the proposal, and voting opens only after the snapshot
 * second; the proposal threshold reads the proposer's votes of the previous second. The token's
 * checkpoints keep the value at the end of each second, so a loan taken and repaid within a second
 * leaves no trace. Related tests elsewhere: `test/CommunityGovernor.test.ts` "vote weight at the
 * snapshot" (no double voting through transfers after the snapshot), `test/RevenueShare.test.ts`
 * "a flash-acquired balance earns nothing" (the same attack on revenue shares), and the governance
 * invariants in `contracts/governance/GovernanceInvariant.t.sol` (flash votes in random sequences).
 */
import { expect } from "chai";
import { network } from "hardhat";
import { id, parseEther } from "ethers";
import { DAY } from "../../scripts/lib/community.ts";
import { buildProposal, GovernorHelper, ProposalState, VoteType } from "../../scripts/lib/governance.ts";
import { createCommunity, deployPlatform, inOneBlock, mined, type Connection } from "../helpers/attacks.ts";

const conn = (await network.create()) as Connection;
const { ethers, networkHelpers } = conn;
const { loadFixture, time } = networkHelpers;

const T = (n: number): bigint => parseEther(String(n));
/** The community's supply: the creator's 1,000,000 tokens. */
const LENT = T(600_000);
const THRESHOLD = T(1_000);

/**
 * Aurora (1M tokens, 1-day voting delay, 1,000-token threshold) with 100 ETH in its treasury; a
 * lending pool holding 600,000 tokens (60% of the supply), the creator keeping 398,000, the attacker
 * 2,000 (enough to propose) and a FlashVoter contract with none; the attacker's proposal to pay
 * itself the treasury is Active.
 */
async function withAttackProposal() {
  const platform = await deployPlatform(conn);
  const [, creator, attacker, seller] = platform.signers;
  const aurora = await createCommunity(conn, platform, creator, { proposalThreshold: THRESHOLD, salt: id("flash") });
  const lender = await ethers.deployContract("FlashLender", [aurora.token.target]);
  const flashVoter = await ethers.deployContract("FlashVoter", [aurora.governor.target, aurora.token.target]);
  await mined(aurora.token.connect(creator).transfer(lender.target, LENT));
  await mined(aurora.token.connect(creator).transfer(attacker.address, T(2_000)));
  await mined(creator.sendTransaction({ to: aurora.timelock, value: T(100) }));
  const proposal = new GovernorHelper(
    aurora.governor,
    time,
    buildProposal([{ target: attacker.address, data: "0x", value: T(100) }], "pay the treasury to the attacker")
  );
  await proposal.propose(attacker);
  return { platform, aurora, creator, attacker, seller, lender, flashVoter, proposal };
}

describe("Attack: flash-loaned or just-bought votes", function () {
  it("a flash loan borrowed, self-delegated and voted with in one transaction weighs nothing: votes count at the snapshot", async function () {
    const { aurora, creator, lender, flashVoter, proposal } = await loadFixture(withAttackProposal);
    await proposal.waitForSnapshot();
    await mined(flashVoter.borrowAndVote(lender.target, LENT, proposal.id));
    expect(await flashVoter.votesDuringLoan()).to.equal(LENT, "the loan carried 600,000 votes while held");
    expect(await flashVoter.lastWeight()).to.equal(0n, "the governor counted none of them");
    const [, forVotes] = await aurora.governor.proposalVotes(proposal.id);
    expect(forVotes).to.equal(0n);
    // The creator's 398,000 against now decide it.
    await mined(proposal.vote(creator, VoteType.Against));
    await proposal.waitForDeadline(1n);
    expect(await proposal.state()).to.equal(ProposalState.Defeated);
  });

  it("a flash loan cannot clear the proposal threshold: proposing reads the votes of the previous second", async function () {
    const { aurora, lender, flashVoter } = await loadFixture(withAttackProposal);
    await expect(
      flashVoter.borrowAndPropose(lender.target, LENT, [lender.target], [0n], ["0x"], "borrowed threshold")
    )
      .to.be.revertedWithCustomError(aurora.governor, "GovernorInsufficientProposerVotes")
      .withArgs(flashVoter.target, 0n, THRESHOLD);
  });

  it("tokens bought in a block after the snapshot and voted with in that block weigh nothing", async function () {
    const { aurora, creator, attacker, proposal } = await loadFixture(withAttackProposal);
    await proposal.waitForSnapshot();
    // The creator sells 300,000 to the attacker, who votes in the same block.
    const [, voteTx] = await inOneBlock(conn, async () => [
      await aurora.token.connect(creator).transfer(attacker.address, T(300_000), { gasLimit: 200_000 }),
      await aurora.governor.connect(attacker).castVote(proposal.id, VoteType.For, { gasLimit: 300_000 }),
    ]);
    const receipt = await voteTx.wait();
    expect(receipt?.status).to.equal(1);
    expect(await aurora.token.getVotes(attacker.address)).to.equal(T(302_000));
    await expect(voteTx)
      .to.emit(aurora.governor, "VoteCast")
      .withArgs(attacker.address, proposal.id, VoteType.For, T(2_000), "");
  });

  it("a loan taken and repaid within the snapshot's own second leaves the snapshot votes unchanged", async function () {
    const { aurora, attacker, lender, flashVoter, proposal } = await loadFixture(withAttackProposal);
    const snapshot = await proposal.snapshot();
    await time.setNextBlockTimestamp(snapshot);
    await mined(flashVoter.borrowAndHold(lender.target, LENT));
    expect(await flashVoter.votesDuringLoan()).to.equal(LENT);
    await time.increase(1);
    expect(await aurora.token.getPastVotes(flashVoter.target, snapshot)).to.equal(0n);
    expect(await aurora.token.getPastVotes(lender.target, snapshot)).to.equal(LENT);
    // So voting with it later counts nothing either.
    await mined(flashVoter.borrowAndVote(lender.target, LENT, proposal.id));
    expect(await flashVoter.lastWeight()).to.equal(0n);
    expect(await aurora.governor.hasVoted(proposal.id, flashVoter.target)).to.equal(true);
    // The attacker's own vote counts its 2,000 held at the snapshot, no more.
    await expect(proposal.vote(attacker, VoteType.For))
      .to.emit(aurora.governor, "VoteCast")
      .withArgs(attacker.address, proposal.id, VoteType.For, T(2_000), "");
  });

  it("voting cannot start in the snapshot's own second, where a loan could still be outstanding", async function () {
    const { aurora, lender, flashVoter, proposal } = await loadFixture(withAttackProposal);
    const snapshot = await proposal.snapshot();
    expect(snapshot - BigInt(await time.latest())).to.equal(BigInt(DAY), "the snapshot is votingDelay after the proposal");
    await time.setNextBlockTimestamp(snapshot);
    await expect(flashVoter.borrowAndVote(lender.target, LENT, proposal.id)).to.be.revertedWithCustomError(
      aurora.governor,
      "GovernorUnexpectedProposalState"
    );
  });
});
