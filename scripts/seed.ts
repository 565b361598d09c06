/**
 * Seeds a local chain with a demo community after the platform is deployed.
 * Run by `npm start`; on its own: `npx hardhat run scripts/seed.ts --network localhost`.
 *
 * What it leaves behind (and writes to deploy/deployments/demo-<chainId>.json):
 * - "Aurora Fans" (AUR), created by dev account #1 through the factory, with short local-demo
 *   governance times (30 min voting delay, 1 h voting, 5 min timelock);
 * - three fans holding AUR, each able to vote at once (self-delegated on receipt);
 * - 1 ETH in the community treasury (its Timelock);
 * - the community marked verified by a real platform proposal (time is advanced on the local chain);
 * - a live proposal (treasury grant to a fan) with one vote cast, and an upcoming one created last,
 *   whose voting opens 30 minutes after the seed ends: fans who claim a demo link before then hold
 *   votes at its snapshot and can vote on it (issue 11 item 11);
 * - a chain clock near the wall clock at the end (issue 11 item 15): `npm start` starts the chain in
 *   the past by what the governance steps warp (scripts/lib/demo-clock.ts), and the seed moves it up
 *   to the wall clock before its last proposals;
 * - a reward vault (the creator attests; 1% of the cap per weekly epoch; 10% referral bonus) and
 *   three signed demo claim links for fresh dev accounts #6-#8, one of them referred by a fan;
 * - a crowdfund in progress, started by the creator through the CrowdfundFactory with the creator
 *   CLI's core (ETH, goal 5, cap 10, 14 days, 1,000 AUR per ETH, 5% referral bonus), approved by a
 *   real community proposal (MINTER_ROLE), with two fans' contributions, one naming a referrer;
 * - the community's revenue share, created with the creator CLI's core and approved by a real
 *   community proposal (REVENUE_ROLE, so AUR records balances from then on), holding one revenue
 *   deposit of 0.5 ETH from the creator that the holders can claim.
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { network } from "hardhat";
import { id, parseEther, ZeroAddress } from "ethers";
import { communityParams, findCommunityCreated } from "./lib/community.ts";
import { catchUpTarget, DEMO_GOVERNANCE } from "./lib/demo-clock.ts";
import { DEPLOYMENTS_DIR, defaultDeploymentId, readPlatformAddresses } from "./lib/deployments.ts";
import { buildProposal, GovernorHelper, mined, VoteType } from "./lib/governance.ts";
import { claimLink, defaultVaultConfig, encodeVaultConfig, signVoucher, type Voucher } from "./lib/rewards.ts";
import { DEFAULT_APP_URL } from "./lib/rewards-cli.ts";
import { contribute, startCrowdfund } from "./lib/funding-cli.ts";
import { depositRevenue, REVENUE_ROLE, setupRevenueShare } from "./lib/revenue-cli.ts";

const { ethers, networkHelpers } = await network.create();
const { chainId } = await ethers.provider.getNetwork();
const deploymentId = process.env.COTERIE_DEPLOYMENT_ID ?? defaultDeploymentId(chainId);
const platform = readPlatformAddresses(deploymentId);

const signers = await ethers.getSigners();
const [deployer, creator, fan1, fan2, fan3] = signers;
// Fresh dev accounts (no tokens, no history) that the demo claim links pay.
const claimants = signers.slice(6, 9);
const factory = await ethers.getContractAt("CommunityFactory", platform.factory);
const platformGovernor = await ethers.getContractAt("CommunityGovernor", platform.platformGovernor);

// ---------------------------------------------------------------- the demo community
const cap = parseEther("10000000");
const params = communityParams({
  cap,
  rewardVaultConfig: encodeVaultConfig(defaultVaultConfig(cap)), // the creator attests
  name: "Aurora Fans",
  symbol: "AUR",
  ...DEMO_GOVERNANCE,
  proposalThreshold: parseEther("1000"),
  salt: id("coterie.demo.aurora"),
});
const fee = await factory.creationFee();
const receipt = await (await factory.connect(creator).createCommunity(params, { value: fee })).wait();
if (receipt === null) throw new Error("createCommunity was not mined");
const aurora = findCommunityCreated(receipt, factory.interface);
const token = await ethers.getContractAt("SocialToken", aurora.token);
const governor = await ethers.getContractAt("CommunityGovernor", aurora.governor);

await mined(token.connect(creator).transfer(fan1.address, parseEther("10000")));
await mined(token.connect(creator).transfer(fan2.address, parseEther("5000")));
await mined(token.connect(creator).transfer(fan3.address, parseEther("2500")));
await (await creator.sendTransaction({ to: aurora.timelock, value: parseEther("1") })).wait();

// ---------------------------------------------------------------- verified by the platform DAO
{
  const verify = { target: platform.factory, data: factory.interface.encodeFunctionData("setVerified", [aurora.id, true]) };
  const p = new GovernorHelper(platformGovernor, networkHelpers.time, buildProposal([verify], `Verify ${params.name} (${params.symbol})`));
  await p.propose(deployer);
  await p.waitForSnapshot();
  await mined(p.vote(deployer, VoteType.For, "Known creator, checked"));
  await p.waitForDeadline();
  await mined(p.queue());
  await p.waitForEta();
  await mined(p.execute());
}

// ---------------------------------------------------------------- a crowdfund, approved by the community DAO
// Before the live proposal below, whose voting must still be open at the end: approving the
// crowdfund walks a whole community proposal (about 70 minutes of chain time).
const fund = await startCrowdfund(ethers.provider, creator, {
  factory: platform.crowdfundFactory,
  token: aurora.token,
  goal: "5",
  cap: "10",
  days: 14,
  price: "1000",
  referralBps: 500,
  salt: "coterie.demo.aurora.crowdfund",
});
let approvalProposalId: bigint;
{
  // Exactly the proposal `./coterie funding start` prints: grantRole(MINTER_ROLE, crowdfund) on the token.
  const { proposal } = fund;
  const approve = buildProposal([{ target: proposal.target, data: proposal.calldata, value: proposal.value }], proposal.description);
  const p = new GovernorHelper(governor, networkHelpers.time, approve);
  approvalProposalId = await p.pass(creator, [creator]);
}
const crowdfundContributions = [
  { fan: fan2, amount: "1.5", referrer: undefined },
  { fan: fan3, amount: "1", referrer: fan1.address },
];
for (const c of crowdfundContributions) await contribute(ethers.provider, c.fan, fund.crowdfund, { amount: c.amount, referrer: c.referrer });
const crowdfund = await ethers.getContractAt("Crowdfund", fund.crowdfund);

// ---------------------------------------------------------------- revenue sharing, approved by the community DAO
// Also before the live proposal (another whole community proposal of chain time).
const revenueWhere = { factory: platform.revenueShareFactory, token: aurora.token };
const revenueSetup = await setupRevenueShare(ethers.provider, creator, revenueWhere);
let revenueProposalId: bigint;
{
  // Exactly the proposal `./coterie funding revenue-setup` prints: grantRole(REVENUE_ROLE, revenueShare) on the token.
  const { proposal } = revenueSetup;
  const approve = buildProposal([{ target: proposal.target, data: proposal.calldata, value: proposal.value }], proposal.description);
  revenueProposalId = await new GovernorHelper(governor, networkHelpers.time, approve).pass(creator, [creator]);
}
// Recording started in the block that executed the proposal; a deposit needs a later block.
await networkHelpers.mine();
const revenueDeposit = await depositRevenue(ethers.provider, creator, { ...revenueWhere, amount: "0.5" });

// ---------------------------------------------------------------- the chain's clock meets the wall clock
// What follows moves chain time by one voting delay (and a second per block): move the chain up to
// "now minus that", so it ends at the wall clock when the chain was started in the past (`npm start`).
const latestTime = async () => (await ethers.provider.getBlock("latest"))!.timestamp;
{
  const target = catchUpTarget(Date.now(), await latestTime(), params.votingDelay + 5);
  if (target !== null) await networkHelpers.time.increaseTo(target);
}

// ---------------------------------------------------------------- a live community proposal
const grant = parseEther("0.25");
const description = "Fan-art contest: send 0.25 ETH from the treasury to the winner";
await mined(governor.connect(creator).propose([fan1.address], [grant], ["0x"], description));
const liveProposalId = await governor.latestProposalId();
await networkHelpers.time.increase(params.votingDelay + 1);
await mined(governor.connect(fan1).castVoteWithReason(liveProposalId, 1, "Great idea"));

// ---------------------------------------------------------------- an upcoming community proposal
// Created last: its snapshot is one voting delay (30 minutes) ahead, so the demo claim links' fans
// who redeem before then hold votes at the snapshot and can vote on it.
const meetup = parseEther("0.1");
const upcomingDescription = "Community meetup: send 0.1 ETH from the treasury to fan 2 for the venue";
await mined(governor.connect(creator).propose([fan2.address], [meetup], ["0x"], upcomingDescription));
const upcomingProposalId = await governor.latestProposalId();

// ---------------------------------------------------------------- demo claim links
// Signed last, so their deadlines count from the chain's clock after the time travel above.
const vault = await ethers.getContractAt("RewardVault", aurora.rewardVault);
const now = BigInt((await ethers.provider.getBlock("latest"))!.timestamp);
const appUrl = process.env.COTERIE_APP_URL ?? DEFAULT_APP_URL;
const demoVouchers: Voucher[] = [
  { recipient: claimants[0].address, amount: parseEther("100"), referrer: ZeroAddress, id: 1n, deadline: now + 30n * 86_400n },
  { recipient: claimants[1].address, amount: parseEther("250"), referrer: fan1.address, id: 2n, deadline: now + 30n * 86_400n },
  { recipient: claimants[2].address, amount: parseEther("50"), referrer: ZeroAddress, id: 3n, deadline: now + 30n * 86_400n },
];
const claimLinks = [];
for (const voucher of demoVouchers) {
  const signature = await signVoucher(creator, chainId, aurora.rewardVault, voucher);
  await vault.redeem.staticCall(voucher, signature); // the link works on this chain (nothing is sent)
  claimLinks.push({
    recipient: voucher.recipient,
    amount: voucher.amount.toString(),
    referrer: voucher.referrer,
    id: voucher.id.toString(),
    deadline: voucher.deadline.toString(),
    link: claimLink(appUrl, { chainId, vault: aurora.rewardVault, voucher, signature }),
  });
}

const verified = (await factory.community(aurora.id)).verified;
const demo = {
  chainId: Number(chainId),
  deploymentId,
  platform,
  community: { ...aurora, id: Number(aurora.id), name: params.name, symbol: params.symbol, verified },
  liveProposalId: Number(liveProposalId),
  liveProposal: { id: Number(liveProposalId), deadline: Number(await governor.proposalDeadline(liveProposalId)) },
  // Voting opens after `snapshot` (chain time, near the wall clock): redeem a claim link before it to vote.
  upcomingProposal: {
    id: Number(upcomingProposalId),
    snapshot: Number(await governor.proposalSnapshot(upcomingProposalId)),
    deadline: Number(await governor.proposalDeadline(upcomingProposalId)),
    description: upcomingDescription,
  },
  // The chain's clock against the wall clock when the seed ended (seconds).
  clock: { chainTime: await latestTime(), wallTime: Math.floor(Date.now() / 1_000) },
  rewardVault: aurora.rewardVault,
  crowdfund: fund.crowdfund,
  funding: {
    paymentToken: fund.plan.params.paymentToken,
    goal: fund.plan.params.goal.toString(),
    cap: fund.plan.params.cap.toString(),
    deadline: Number(fund.plan.params.deadline),
    price: fund.plan.params.price.toString(),
    referralBps: Number(fund.plan.params.referralBps),
    raised: (await crowdfund.raised()).toString(),
    approved: await token.hasRole(await token.MINTER_ROLE(), fund.crowdfund),
    approvalProposalId: Number(approvalProposalId),
    contributions: crowdfundContributions.map((c) => ({
      contributor: c.fan.address,
      amount: parseEther(c.amount).toString(),
      referrer: c.referrer ?? ZeroAddress,
    })),
  },
  revenueShare: revenueSetup.info.address,
  revenue: {
    approved: await token.hasRole(REVENUE_ROLE, revenueSetup.info.address),
    approvalProposalId: Number(revenueProposalId),
    recordingSince: Number(await token.revenueRecordingSince()),
    deposits: [
      {
        asset: revenueDeposit.asset.address,
        id: Number(revenueDeposit.id),
        amount: revenueDeposit.amount.toString(),
        supply: revenueDeposit.supply.toString(),
        snapshot: Number(revenueDeposit.snapshot),
        depositor: revenueDeposit.depositor,
      },
    ],
  },
  rewards: {
    attester: await vault.attester(),
    epochBudget: (await vault.epochBudget()).toString(),
    epochLength: Number(await vault.epochLength()),
    referralBps: Number(await vault.referralBps()),
    claimLinks,
  },
  holders: {
    creator: creator.address,
    fans: [fan1.address, fan2.address, fan3.address],
  },
};
const out = process.env.COTERIE_DEMO_OUT ?? join(DEPLOYMENTS_DIR, `demo-${chainId}.json`);
writeFileSync(out, JSON.stringify(demo, null, 2) + "\n");
console.log(`seeded ${params.name} at ${aurora.token}; demo summary in ${out}`);
