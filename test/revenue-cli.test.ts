/**
 * The revenue-sharing commands of the funding CLI (scripts/lib/revenue-cli.ts) against a community
 * created on the in-process chain: input validation that sends nothing, `revenue-setup` creating the
 * revenue share and the approval proposal it prints (passed by a real community proposal, and by the
 * impersonated Timelock), deposits refused before the DAO approves with the token's decoded error,
 * deposits in ETH and in an ERC-20, the status, pro-rata claims for two holders, and sweeps before
 * and after the claim window. scripts/funding.ts only adds argv parsing and the connection.
 */
import { expect } from "chai";
import { network } from "hardhat";
import { id, parseEther, ZeroAddress } from "ethers";
import PlatformModule from "../deploy/modules/Platform.ts";
import { communityParams, findCommunityCreated, DAY } from "../scripts/lib/community.ts";
import { buildProposal, GovernorHelper } from "../scripts/lib/governance.ts";
import { CliError as FundingError } from "../scripts/lib/errors.ts";
import { formatTime } from "../scripts/lib/format.ts";
import { decodeRevert } from "../scripts/lib/transactions.ts";
import {
  claimRevenue,
  depositRevenue,
  formatClaim,
  formatDeposit,
  formatRevenueStatus,
  formatSetup,
  formatSweep,
  openRevenueShare,
  parseDepositAmount,
  parseDepositId,
  parseMaxDeposits,
  readRevenueStatus,
  REVENUE_ROLE,
  revenueApprovalProposal,
  revenueHint,
  revenueInterfaces,
  setupRevenueShare,
  sweepDeposit,
} from "../scripts/lib/revenue-cli.ts";

const { ethers, networkHelpers, ignition } = await network.create();

/**
 * The platform as Ignition deploys it and one community: the creator keeps 600,000 of the 1,000,000
 * AUR supply, fan A holds 250,000 and fan B 150,000.
 */
async function withCommunity() {
  const [deployer, creator, fanA, fanB, relayer, outsider] = await ethers.getSigners();
  const platform = await ignition.deploy(PlatformModule);
  const factory = await ethers.getContractAt("CommunityFactory", await platform.factory.getAddress());
  const revenueFactory = await platform.revenueShareFactory.getAddress();
  const crowdfundFactory = await platform.crowdfundFactory.getAddress();
  const params = communityParams({ salt: id("revenue-cli") });
  const receipt = await (await factory.connect(creator).createCommunity(params, { value: await factory.creationFee() })).wait();
  if (receipt === null) throw new Error("createCommunity was not mined");
  const created = findCommunityCreated(receipt, factory.interface);
  const token = await ethers.getContractAt("SocialToken", created.token);
  const governor = await ethers.getContractAt("CommunityGovernor", created.governor);
  await (await token.connect(creator).transfer(fanA.address, parseEther("250000"))).wait();
  await (await token.connect(creator).transfer(fanB.address, parseEther("150000"))).wait();
  const payment = await ethers.deployContract("MockERC20", ["Mock Dollar", "mUSD"]);
  const where = { factory: revenueFactory, token: created.token };
  return { deployer, creator, fanA, fanB, relayer, outsider, factory, revenueFactory, crowdfundFactory, created, token, governor, payment, where };
}

/** The revenue share created and approved (the Timelock's call that the printed proposal makes). */
async function approvedShare() {
  const ctx = await networkHelpers.loadFixture(withCommunity);
  const setup = await setupRevenueShare(ethers.provider, ctx.relayer, ctx.where);
  await approveAsTimelock(ctx.created.timelock, setup.proposal);
  return { ...ctx, share: setup.info.address };
}

/** The message of the FundingError (or other Error) `promise` rejects with. */
async function rejection(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (e) {
    return (e as Error).message;
  }
  expect.fail("expected a rejection");
}

/** Asserts that `promise` rejects with the custom error `name` (decoded with the CLI's interfaces). */
async function expectRevertName(promise: Promise<unknown>, name: string): Promise<void> {
  try {
    await promise;
  } catch (e) {
    expect(decodeRevert(e, revenueInterfaces())).to.match(new RegExp(`^${name}\\(`));
    return;
  }
  expect.fail(`expected a revert with ${name}`);
}

/** Runs a proposal's call as the community Timelock (what executing the proposal does). */
async function approveAsTimelock(timelock: string, proposal: { target: string; calldata: string; value: bigint }): Promise<void> {
  await networkHelpers.setBalance(timelock, parseEther("1"));
  const signer = await ethers.getImpersonatedSigner(timelock);
  await (await signer.sendTransaction({ to: proposal.target, data: proposal.calldata, value: proposal.value })).wait();
}

describe("funding CLI: revenue sharing", function () {
  describe("validation", function () {
    it("parses amounts, --max and --id, naming what is wrong", function () {
      const ETH = { symbol: "ETH", decimals: 18 };
      expect(parseDepositAmount("0.5", ETH)).to.equal(parseEther("0.5"));
      expect(() => parseDepositAmount("abc", ETH)).to.throw(FundingError, '--amount must be a decimal amount of ETH such as 5 or 0.5, got "abc"');
      expect(() => parseDepositAmount("-1", ETH)).to.throw('--amount must be a decimal amount of ETH such as 5 or 0.5, got "-1"');
      expect(() => parseDepositAmount("0", ETH)).to.throw("--amount must be positive, got 0");
      expect(() => parseDepositAmount("1.0000000000000000001", ETH)).to.throw("--amount 1.0000000000000000001 has more than 18 decimal places (ETH has 18)");
      expect(() => parseDepositAmount("30000000000000", ETH)).to.throw("--amount 30000000000000 ETH is too large (a deposit is below 2^104 units)");
      expect(parseMaxDeposits(undefined)).to.equal(50n);
      expect(parseMaxDeposits("3")).to.equal(3n);
      for (const bad of ["0", "abc", "1.5", "1001", "-2"]) {
        expect(() => parseMaxDeposits(bad), bad).to.throw(`--max must be a whole number of deposits from 1 to 1000 (a claim costs about 10,000 gas per deposit), got "${bad}"`);
      }
      expect(parseDepositId("0")).to.equal(0n);
      expect(() => parseDepositId("-1")).to.throw('--id must be a deposit number (0, 1, ...; see ./coterie funding revenue), got "-1"');
      expect(() => parseDepositId("first")).to.throw(/--id must be a deposit number/);
    });

    it("rejects bad inputs with nothing sent: token, factory, amount, asset, account, --max, --id, balance", async function () {
      const { creator, relayer, outsider, created, where, crowdfundFactory } = await approvedShare();
      // A token the community factory does not know.
      const unknownToken = await (await ethers.deployContract("SocialToken")).getAddress();
      const nonces = async () => Promise.all([creator, relayer, outsider].map((s) => ethers.provider.getTransactionCount(s.address)));
      const before = await nonces();

      const cases: Array<[() => Promise<unknown>, string | RegExp]> = [
        [() => setupRevenueShare(ethers.provider, relayer, { ...where, token: "0x1234" }), "--token is not an address: 0x1234"],
        [() => setupRevenueShare(ethers.provider, relayer, { ...where, token: outsider.address }), `--token ${outsider.address} is not a contract on chain 31337`],
        [() => setupRevenueShare(ethers.provider, relayer, { ...where, token: created.governor }), `--token ${created.governor} is not an ERC-20 community token`],
        [
          () => setupRevenueShare(ethers.provider, relayer, { ...where, token: unknownToken }),
          `revenueShareOf would revert: FactoryUnknownToken(token=${unknownToken}): the token is not a community of this platform`,
        ],
        [() => setupRevenueShare(ethers.provider, relayer, { ...where, factory: outsider.address }), `no RevenueShareFactory at ${outsider.address} on chain 31337 (no contract there)`],
        [() => setupRevenueShare(ethers.provider, relayer, { ...where, factory: crowdfundFactory }), `${crowdfundFactory} is not a RevenueShareFactory`],
        [() => depositRevenue(ethers.provider, creator, { ...where, amount: "five" }), '--amount must be a decimal amount of ETH such as 5 or 0.5, got "five"'],
        [() => depositRevenue(ethers.provider, creator, { ...where, amount: "0" }), "--amount must be positive, got 0"],
        [() => depositRevenue(ethers.provider, creator, { ...where, amount: "1", asset: "0x1234" }), "--asset is not an address: 0x1234"],
        [
          () => depositRevenue(ethers.provider, creator, { ...where, amount: "1", asset: outsider.address }),
          `--asset ${outsider.address} is not a contract on this chain (an ERC-20 is needed; leave it out for ETH)`,
        ],
        [() => claimRevenue(ethers.provider, relayer, { ...where, account: "0xabc" }), "--account is not an address: 0xabc"],
        [() => claimRevenue(ethers.provider, relayer, { ...where, max: "0" }), /^--max must be a whole number of deposits from 1 to 1000/],
        [() => sweepDeposit(ethers.provider, relayer, { ...where, id: "x" }), '--id must be a deposit number (0, 1, ...; see ./coterie funding revenue), got "x"'],
        [
          async () => readRevenueStatus(await openRevenueShare(ethers.provider, where), { account: "nobody" }),
          "--account is not an address: nobody",
        ],
      ];
      for (const [run, expected] of cases) {
        const message = await rejection(run());
        if (typeof expected === "string") expect(message).to.equal(expected);
        else expect(message).to.match(expected);
      }
      await networkHelpers.setBalance(outsider.address, parseEther("0.5"));
      expect(await rejection(depositRevenue(ethers.provider, outsider, { ...where, amount: "1" }))).to.equal(
        `${outsider.address} has 0.5 ETH, less than the 1 ETH to deposit (plus gas)`,
      );
      expect(await nonces()).to.deep.equal(before);
    });
  });

  describe("revenue-setup and approval", function () {
    it("creates the revenue share, prints the proposal, and refuses deposits until the DAO approves it", async function () {
      const ctx = await networkHelpers.loadFixture(withCommunity);
      const expected = await (await ethers.getContractAt("RevenueShareFactory", ctx.revenueFactory)).revenueShareOf(ctx.created.token);

      // Before it exists: the status says so and deposits name the command that creates it.
      const before = await readRevenueStatus(await openRevenueShare(ethers.provider, ctx.where), { account: ctx.fanA.address });
      expect(formatRevenueStatus(before)).to.include("state           not created yet (./coterie funding revenue-setup creates it");
      expect(await rejection(depositRevenue(ethers.provider, ctx.creator, { ...ctx.where, amount: "1" }))).to.equal(
        `AUR has no revenue share yet (it would be at ${expected}): ./coterie funding revenue-setup creates it and prints the DAO proposal that approves it`,
      );

      // Anyone may create it (here the relayer).
      const r = await setupRevenueShare(ethers.provider, ctx.relayer, { ...ctx.where, rpcUrl: "http://127.0.0.1:8546" });
      expect(r.info.address).to.equal(expected);
      expect(r.hash).to.be.a("string");
      expect(r.approved).to.equal(false);
      expect(await ethers.provider.getCode(expected)).to.not.equal("0x");
      const share = await ethers.getContractAt("RevenueShare", expected);
      expect(await share.token()).to.equal(ctx.created.token);
      expect(await share.treasury()).to.equal(ctx.created.timelock);

      const p = r.proposal;
      expect(p).to.deep.include({ target: ctx.created.token, value: 0n, governor: ctx.created.governor, timelock: ctx.created.timelock });
      expect(p.calldata).to.equal(ctx.token.interface.encodeFunctionData("grantRole", [REVENUE_ROLE, expected]));
      expect(REVENUE_ROLE).to.equal(await ctx.token.REVENUE_ROLE());
      expect(p.description).to.match(/^Approve revenue sharing for Aurora Fans \(AUR\): grant REVENUE_ROLE on AUR to its revenue share 0x/);
      expect(p.description).to.include("Trade-off: once granted, every AUR transfer pays extra gas to record balances");
      expect(p.command).to.equal(
        `cast send ${ctx.created.governor} 'propose(address[],uint256[],bytes[],string)' '[${ctx.created.token}]' '[0]' ` +
          `'[${p.calldata}]' '${p.description}' --rpc-url http://127.0.0.1:8546 --private-key "$PROPOSER_PRIVATE_KEY"`,
      );
      const text = formatSetup(r);
      for (const line of [
        `created the revenue share of Aurora Fans (AUR) at ${expected}`,
        `tx              ${r.hash}`,
        `treasury        ${ctx.created.timelock}`,
        "approval        awaiting DAO approval (no REVENUE_ROLE on AUR: deposits are refused until the DAO grants it)",
        `target          ${ctx.created.token}  (the AUR token; value 0; run by the Timelock ${ctx.created.timelock})`,
        `= grantRole(REVENUE_ROLE ${REVENUE_ROLE}, ${expected})`,
        p.command,
        "Trade-off: once granted, every AUR transfer pays extra gas to record balances for revenue sharing (for good: recording cannot be turned off; see docs/funding.md",
      ]) {
        expect(text).to.include(line);
      }

      // A deposit before the approval: the token's AccessControl error, decoded, with nothing sent.
      const nonce = await ethers.provider.getTransactionCount(ctx.creator.address);
      expect(await rejection(depositRevenue(ethers.provider, ctx.creator, { ...ctx.where, amount: "1" }))).to.equal(
        `deposit would revert: AccessControlUnauthorizedAccount(account=${expected}, neededRole=${REVENUE_ROLE}): the revenue share does not hold ` +
          "REVENUE_ROLE on AUR: the community's DAO has not approved it (./coterie funding revenue-setup prints the proposal to make)",
      );
      // The same for an ERC-20 deposit, before any approve is sent.
      await (await ctx.payment.mint(ctx.creator.address, parseEther("100"))).wait();
      const nonceAfterMint = await ethers.provider.getTransactionCount(ctx.creator.address);
      expect(await rejection(depositRevenue(ethers.provider, ctx.creator, { ...ctx.where, amount: "10", asset: await ctx.payment.getAddress() }))).to.match(
        /^deposit would revert: AccessControlUnauthorizedAccount\(account=0x\w+, neededRole=0x\w+\): the revenue share does not hold REVENUE_ROLE on AUR/,
      );
      expect(await ethers.provider.getTransactionCount(ctx.creator.address)).to.equal(nonceAfterMint);
      expect(nonceAfterMint).to.equal(nonce); // the mint was sent by the deployer
      expect(await ctx.payment.allowance(ctx.creator.address, expected)).to.equal(0n);
      const status = formatRevenueStatus(await readRevenueStatus(await openRevenueShare(ethers.provider, ctx.where)));
      expect(status).to.include("approval        awaiting DAO approval (no REVENUE_ROLE on AUR; ./coterie funding revenue-setup prints the proposal)");
      expect(status).to.include("deposits        none in ETH");

      // Running setup again sends nothing and prints the same proposal.
      const again = await setupRevenueShare(ethers.provider, ctx.relayer, { ...ctx.where, rpcUrl: "http://127.0.0.1:8546" });
      expect(again.hash).to.equal(null);
      expect(again.proposal).to.deep.equal(p);
      expect(formatSetup(again)).to.include(`the revenue share of Aurora Fans (AUR) exists already at ${expected} (nothing sent)`);

      // The printed proposal, passed by the community's governor, opens deposits.
      const spec = buildProposal([{ target: p.target, data: p.calldata, value: p.value }], p.description);
      await new GovernorHelper(ctx.governor, networkHelpers.time, spec).pass(ctx.creator, [ctx.creator]);
      expect(await ctx.token.hasRole(REVENUE_ROLE, expected)).to.equal(true);
      const since = await ctx.token.revenueRecordingSince();
      expect(since).to.be.greaterThan(0n);
      const approved = await setupRevenueShare(ethers.provider, ctx.relayer, ctx.where);
      expect(approved.approved).to.equal(true);
      expect(formatSetup(approved)).to.include(`approval        approved: it holds REVENUE_ROLE on AUR, which records balances since ${formatTime(since)}; deposits are open`);
      const d = await depositRevenue(ethers.provider, ctx.creator, { ...ctx.where, amount: "1" });
      expect(d.id).to.equal(0n);
      expect(d.supply).to.equal(parseEther("1000000"));
      expect(formatRevenueStatus(await readRevenueStatus(await openRevenueShare(ethers.provider, ctx.where)))).to.include(
        `approval        approved by the DAO (holds REVENUE_ROLE on AUR); balances recorded since ${formatTime(since)}`,
      );
    });

    it("names the token's revenue errors and the revenue share's", function () {
      const [share, factory, , token] = revenueInterfaces();
      const decode = (data: string) => decodeRevert({ data }, revenueInterfaces());
      const notStarted = decode(token.encodeErrorResult("SocialTokenRevenueNotStarted", [0n]))!;
      expect(notStarted).to.equal("SocialTokenRevenueNotStarted(since=0)");
      expect(revenueHint(notStarted, "AUR")).to.equal(
        ": AUR does not record balances yet: the community's DAO has not granted REVENUE_ROLE (./coterie funding revenue-setup prints the proposal to make)",
      );
      const sameBlock = decode(token.encodeErrorResult("SocialTokenRevenueNotStarted", [2_000_000_000n]))!;
      expect(revenueHint(sameBlock, "AUR")).to.equal(
        ": AUR started recording balances at 2033-05-18 03:33:20 UTC, in this block; deposits are possible from the next block",
      );
      expect(decode(share.encodeErrorResult("RevenueShareNothingToClaim", [ZeroAddress, ZeroAddress]))).to.equal(
        `RevenueShareNothingToClaim(asset=${ZeroAddress}, account=${ZeroAddress})`,
      );
      expect(decode(factory.encodeErrorResult("RevenueShareFactoryExists", [ZeroAddress]))).to.equal(`RevenueShareFactoryExists(revenueShare=${ZeroAddress})`);
      const tooSmall = decode(share.encodeErrorResult("RevenueShareDepositTooSmall", [ZeroAddress, 1n, 2n]))!;
      expect(revenueHint(tooSmall, "AUR")).to.equal(": the amount is below the minimum deposit the community's DAO set for this asset");
      const p = revenueApprovalProposal(ZeroAddress, { governor: ZeroAddress, timelock: ZeroAddress, token: { address: ZeroAddress, symbol: "AUR", decimals: 18 } });
      expect(p.description).to.match(/^Approve revenue sharing for AUR: /);
      expect(p.command).to.match(/ --rpc-url "\$RPC_URL" --private-key "\$PROPOSER_PRIVATE_KEY"$/);
    });
  });

  describe("deposit, revenue, claim-revenue", function () {
    it("Issue 11 item 4: refuses a deposit below the DAO's minimum before sending anything, and a deposit within an hour of the last shares its snapshot", async function () {
      const { creator, share, where, created } = await approvedShare();
      await networkHelpers.mine(1);
      await networkHelpers.setBalance(created.timelock, parseEther("1"));
      const timelock = await ethers.getImpersonatedSigner(created.timelock);
      const revenue = await ethers.getContractAt("RevenueShare", share);
      await (await revenue.connect(timelock).setMinimumDeposit(ZeroAddress, parseEther("0.1"))).wait();
      const nonce = await ethers.provider.getTransactionCount(creator.address);
      expect(await rejection(depositRevenue(ethers.provider, creator, { ...where, amount: "0.05" }))).to.equal(
        "--amount 0.05 ETH is below the minimum deposit of 0.1 ETH the community's DAO set for this asset",
      );
      expect(await ethers.provider.getTransactionCount(creator.address)).to.equal(nonce, "nothing sent");
      const first = await depositRevenue(ethers.provider, creator, { ...where, amount: "0.1" });
      const second = await depositRevenue(ethers.provider, creator, { ...where, amount: "0.2" });
      expect(second.snapshot).to.equal(first.snapshot, "shares the first deposit's snapshot");
      expect(formatDeposit(second)).to.include(`(the supply before the snapshot's block, ${formatTime(first.snapshot)})`);
      const status = formatRevenueStatus(await readRevenueStatus(await openRevenueShare(ethers.provider, where), {}));
      expect(status).to.include("minimum         0.1 ETH per deposit (set by the DAO)");
    });

    it("shares deposits pro rata to balances before each deposit's block, for two holders", async function () {
      const { creator, fanA, fanB, relayer, token, share, where } = await approvedShare();
      // The latest block is the one that granted REVENUE_ROLE: a call against it reverts (recording
      // started in this block), though a transaction, mined in the next block, succeeds. The CLI
      // then simulates against the pending block.
      await expectRevertName((await ethers.getContractAt("RevenueShare", share)).connect(creator).depositETH.staticCall({ value: 1n }), "SocialTokenRevenueNotStarted");
      // Deposit #0: 1 ETH over 1,000,000 AUR (fan A 250,000, fan B 150,000).
      const first = await depositRevenue(ethers.provider, creator, { ...where, amount: "1" });
      expect(first).to.deep.include({ id: 0n, amount: parseEther("1"), supply: parseEther("1000000"), depositor: creator.address, approveHash: null });
      expect(await ethers.provider.getBalance(share)).to.equal(parseEther("1"));
      const depositText = formatDeposit(first);
      expect(depositText).to.include(`deposited 1 ETH into AUR's revenue share ${share} from ${creator.address}, as deposit #0`);
      expect(depositText).to.include(`shared over     1,000,000 AUR (the supply before the snapshot's block, ${formatTime(first.snapshot)}): 0.000001 ETH per AUR`);
      expect(depositText).to.include(`claimable until ${formatTime(first.snapshot + 365n * BigInt(DAY))}`);

      // Fan A sends fan B 50,000 AUR; deposit #1: 0.5 ETH over the same supply, now 200,000 each.
      await (await token.connect(fanA).transfer(fanB.address, parseEther("50000"))).wait();
      // Deposits less than SNAPSHOT_INTERVAL (an hour) apart share a snapshot: this one takes its own.
      await networkHelpers.time.increase(3600);
      const second = await depositRevenue(ethers.provider, creator, { ...where, amount: "0.5" });
      expect(second.id).to.equal(1n);

      const info = await openRevenueShare(ethers.provider, where);
      const status = await readRevenueStatus(info, { account: fanA.address });
      expect(status.count).to.equal(2n);
      expect(status.held).to.equal(parseEther("1.5"));
      expect(status.account).to.deep.include({ next: 0n, claimable: parseEther("0.35"), toId: 2n, balance: parseEther("200000") });
      const text = formatRevenueStatus(status);
      for (const line of [
        `Revenue share of Aurora Fans (AUR)  ${share}  chain 31337`,
        "asset           ETH; the revenue share holds 1.5 ETH",
        "minimum         none (any positive amount; the DAO may set one)",
        "deposits        2 in ETH; each claimable for 365 days, then sweepable to the treasury",
        `#0  1 ETH over 1,000,000 AUR, snapshot ${formatTime(first.snapshot)}; claimed 0 ETH; claimable until ${formatTime(first.snapshot + 365n * BigInt(DAY))} (in 364d 22h), sweepable after`,
        `#1  0.5 ETH over 1,000,000 AUR, snapshot ${formatTime(second.snapshot)}; claimed 0 ETH`,
        `Account ${fanA.address}`,
        "balance         200,000 AUR now",
        "next deposit    #0 (2 unclaimed)",
        "claimable       0.35 ETH from deposits #0 to #1",
      ]) {
        expect(text).to.include(line);
      }
      // --max 1: the claimable amount covers the first deposit only.
      expect(formatRevenueStatus(await readRevenueStatus(info, { account: fanA.address, max: 1 }))).to.include(
        "claimable       0.25 ETH from deposits #0 (up to 1 per claim; 1 more after that: claim again)",
      );

      // Fan A, claimed by the relayer one deposit at a time: 0.25 then 0.1 ETH, to fan A.
      const aBefore = await ethers.provider.getBalance(fanA.address);
      const a1 = await claimRevenue(ethers.provider, relayer, { ...where, account: fanA.address, max: "1" });
      expect(a1).to.deep.include({ account: fanA.address, sender: relayer.address, paid: parseEther("0.25"), fromId: 0n, toId: 1n, remaining: 1n });
      expect(formatClaim(a1)).to.include(`claimed 0.25 ETH of AUR revenue for ${fanA.address}, deposits #0`);
      expect(formatClaim(a1)).to.include("remaining       1 unclaimed deposit: run claim-revenue again");
      const a2 = await claimRevenue(ethers.provider, relayer, { ...where, account: fanA.address });
      expect(a2).to.deep.include({ paid: parseEther("0.1"), fromId: 1n, toId: 2n, remaining: 0n });
      expect(await ethers.provider.getBalance(fanA.address)).to.equal(aBefore + parseEther("0.35"));

      // Fan B claims for itself: 0.15 + 0.1 ETH.
      const b = await claimRevenue(ethers.provider, fanB, where);
      expect(b).to.deep.include({ account: fanB.address, paid: parseEther("0.25"), fromId: 0n, toId: 2n });
      expect(formatClaim(b)).to.include(`claimed 0.25 ETH of AUR revenue for ${fanB.address}, deposits #0 to #1`);

      // Nothing left: the contract's error, decoded; an account that held nothing is told so.
      expect(await rejection(claimRevenue(ethers.provider, relayer, { ...where, account: fanA.address }))).to.equal(
        `claim would revert: RevenueShareNothingToClaim(asset=${ZeroAddress}, account=${fanA.address}): the account has no unclaimed deposit of this asset`,
      );
      expect(await rejection(claimRevenue(ethers.provider, relayer, where))).to.equal(
        `${relayer.address} has nothing to claim: its 2 unclaimed ETH deposits (#0 to #1) pay it 0 ETH (it held no AUR before them)`,
      );
      const after = formatRevenueStatus(await readRevenueStatus(info, { account: fanA.address }));
      expect(after).to.include("next deposit    none: claimed up to #1");
      expect(after).to.include("#0  1 ETH over 1,000,000 AUR");
      expect(after).to.match(/#0 {2}1 ETH over 1,000,000 AUR, snapshot [^;]+; claimed 0\.4 ETH;/);
      expect(after).to.match(/#1 {2}0\.5 ETH over 1,000,000 AUR, snapshot [^;]+; claimed 0\.2 ETH;/);
      expect(await ethers.provider.getBalance(share)).to.equal(parseEther("1.5") - parseEther("0.6"));
    });

    it("deposits an ERC-20 (approved first) and pays claims in it", async function () {
      const { creator, fanA, fanB, relayer, payment, share, where } = await approvedShare();
      const asset = await payment.getAddress();
      await (await payment.mint(creator.address, parseEther("300"))).wait();
      expect(await rejection(depositRevenue(ethers.provider, creator, { ...where, amount: "301", asset }))).to.equal(
        `${creator.address} has 300 mUSD, less than the 301 mUSD to deposit`,
      );
      const d = await depositRevenue(ethers.provider, creator, { ...where, amount: "200", asset });
      expect(d.approveHash).to.be.a("string");
      expect(d.asset).to.deep.equal({ address: asset, symbol: "mUSD", decimals: 18 });
      expect(await payment.balanceOf(share)).to.equal(parseEther("200"));
      expect(formatDeposit(d)).to.include(`--asset ${asset}`);
      // An allowance that covers it: no second approve.
      await (await payment.connect(creator).approve(share, parseEther("100"))).wait();
      expect((await depositRevenue(ethers.provider, creator, { ...where, amount: "100", asset })).approveHash).to.equal(null);

      const info = await openRevenueShare(ethers.provider, where);
      const text = formatRevenueStatus(await readRevenueStatus(info, { account: fanB.address, asset }));
      expect(text).to.include(`asset           mUSD ${asset}; the revenue share holds 300 mUSD`);
      expect(text).to.include("claimable       45 mUSD from deposits #0 to #1");
      // ETH deposits are counted apart.
      expect(formatRevenueStatus(await readRevenueStatus(info))).to.include("deposits        none in ETH");

      const a = await claimRevenue(ethers.provider, relayer, { ...where, account: fanA.address, asset });
      expect(a.paid).to.equal(parseEther("75"));
      expect(await payment.balanceOf(fanA.address)).to.equal(parseEther("75"));
      expect((await claimRevenue(ethers.provider, relayer, { ...where, account: fanB.address, asset })).paid).to.equal(parseEther("45"));
    });
  });

  describe("nothing sent for a refused token (issue 11 item 10)", function () {
    it("a fee-on-transfer ERC-20: the refusal is reported before any approve is sent", async function () {
      const { creator, payment, share, where } = await approvedShare();
      const asset = await payment.getAddress();
      await (await payment.mint(creator.address, parseEther("100"))).wait();
      await (await payment.setFeeBps(250)).wait(); // 2.5% burnt on every transfer
      const nonce = await ethers.provider.getTransactionCount(creator.address);
      expect(await rejection(depositRevenue(ethers.provider, creator, { ...where, amount: "40", asset }))).to.equal(
        `deposit would revert: RevenueShareTransferShortfall(expected=${parseEther("40")}, received=${parseEther("39")}): ` +
          "the token delivered less than the amount (fee-on-transfer tokens are refused)",
      );
      expect(await ethers.provider.getTransactionCount(creator.address)).to.equal(nonce);
      expect(await payment.allowance(creator.address, share)).to.equal(0n);
    });
  });

  describe("sweep", function () {
    it("is refused while the deposit is claimable, then sends what is left to the treasury", async function () {
      const { creator, fanA, fanB, relayer, created, share, where } = await approvedShare();
      const d = await depositRevenue(ethers.provider, creator, { ...where, amount: "1" });
      const until = d.snapshot + 365n * BigInt(DAY);
      await claimRevenue(ethers.provider, relayer, { ...where, account: fanA.address });

      const nonce = await ethers.provider.getTransactionCount(relayer.address);
      expect(await rejection(sweepDeposit(ethers.provider, relayer, { ...where, id: 0 }))).to.equal(
        `sweep would revert: RevenueShareClaimWindowOpen(claimableUntil=${until}): the deposit is claimable until ${formatTime(until)}; ` +
          "what is left of it can be swept to the treasury after that",
      );
      expect(await rejection(sweepDeposit(ethers.provider, relayer, { ...where, id: "1" }))).to.equal(
        `sweep would revert: RevenueShareUnknownDeposit(asset=${ZeroAddress}, id=1): there is no deposit with this id (./coterie funding revenue lists them)`,
      );
      expect(await ethers.provider.getTransactionCount(relayer.address)).to.equal(nonce);

      await networkHelpers.time.increase(365 * DAY);
      const info = await openRevenueShare(ethers.provider, where);
      expect(formatRevenueStatus(await readRevenueStatus(info))).to.include(
        `claim window closed ${formatTime(until)}; 0.75 ETH sweepable now (sweep --id 0)`,
      );
      // Late claims pay nothing.
      expect(await rejection(claimRevenue(ethers.provider, relayer, { ...where, account: fanB.address }))).to.match(/has nothing to claim/);

      const treasuryBefore = await ethers.provider.getBalance(created.timelock);
      const s = await sweepDeposit(ethers.provider, relayer, { ...where, id: "0" });
      expect(s).to.deep.include({ id: 0n, amount: parseEther("0.75"), treasury: created.timelock });
      expect(formatSweep(s)).to.include(`swept 0.75 ETH left of deposit #0 to the treasury ${created.timelock}`);
      expect(await ethers.provider.getBalance(created.timelock)).to.equal(treasuryBefore + parseEther("0.75"));
      expect(await ethers.provider.getBalance(share)).to.equal(0n);
      expect(await rejection(sweepDeposit(ethers.provider, relayer, { ...where, id: 0 }))).to.equal(
        `sweep would revert: RevenueShareAlreadySwept(asset=${ZeroAddress}, id=0): the deposit was swept already (or claimed in full)`,
      );
      expect(formatRevenueStatus(await readRevenueStatus(info))).to.include(`claim window closed ${formatTime(until)}; nothing left (swept)`);
    });
  });
});
