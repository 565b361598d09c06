/**
 * The crowdfund CLI's core (scripts/lib/funding-cli.ts) against a community created on the
 * in-process chain: input validation that sends nothing, starting a crowdfund through the
 * CrowdfundFactory and the approval proposal it prints (passed by the impersonated community
 * Timelock, and once by a real proposal), contributions in ETH and in an ERC-20, status,
 * finalize, claim, refund, and decoded reverts. scripts/funding.ts only adds argv parsing and the
 * connection on top of these functions.
 */
import { expect } from "chai";
import { network } from "hardhat";
import { getAddress, id, parseEther, parseUnits, ZeroAddress, type Provider } from "ethers";
import PlatformModule from "../deploy/modules/Platform.ts";
import { communityParams, findCommunityCreated, DAY } from "../scripts/lib/community.ts";
import { buildProposal, GovernorHelper } from "../scripts/lib/governance.ts";
import {
  approvalProposal,
  claim,
  contribute,
  finalize,
  formatCrowdfundStatus,
  formatPrice,
  formatStart,
  fundingInterfaces,
  MINTER_ROLE,
  openCrowdfund,
  parseAmountFlag,
  planStart,
  priceFromHuman,
  readCrowdfundStatus,
  refund,
  startCrowdfund,
  type StartOptions,
} from "../scripts/lib/funding-cli.ts";
import { ETH } from "../scripts/lib/chain.ts";
import { CliError as FundingError } from "../scripts/lib/errors.ts";
import { amountText, formatTime } from "../scripts/lib/format.ts";
import { allowanceSlot, decodeRevert, findAllowanceSlot } from "../scripts/lib/transactions.ts";

const { ethers, networkHelpers, ignition } = await network.create();

const AUR = { symbol: "AUR", decimals: 18 };
const USDC = { symbol: "USDC", decimals: 6 };

/** The platform as Ignition deploys it and one community (the creator holds most of its tokens). */
async function withCommunity() {
  const [deployer, creator, fanA, fanB, referrer, relayer, outsider] = await ethers.getSigners();
  const platform = await ignition.deploy(PlatformModule);
  const factory = await ethers.getContractAt("CommunityFactory", await platform.factory.getAddress());
  const crowdfundFactory = await platform.crowdfundFactory.getAddress();
  const params = communityParams({ salt: id("funding-cli") });
  const receipt = await (await factory.connect(creator).createCommunity(params, { value: await factory.creationFee() })).wait();
  if (receipt === null) throw new Error("createCommunity was not mined");
  const created = findCommunityCreated(receipt, factory.interface);
  const token = await ethers.getContractAt("SocialToken", created.token);
  const governor = await ethers.getContractAt("CommunityGovernor", created.governor);
  const payment = await ethers.deployContract("MockERC20", ["Mock Dollar", "mUSD"]);
  return { deployer, creator, fanA, fanB, referrer, relayer, outsider, factory, crowdfundFactory, created, token, governor, payment };
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

/** Runs the approval proposal's call as the community Timelock (what executing the proposal does). */
async function approveAsTimelock(timelock: string, proposal: { target: string; calldata: string; value: bigint }): Promise<void> {
  await networkHelpers.setBalance(timelock, parseEther("1"));
  const signer = await ethers.getImpersonatedSigner(timelock);
  await (await signer.sendTransaction({ to: proposal.target, data: proposal.calldata, value: proposal.value })).wait();
}

describe("funding CLI", function () {
  describe("amounts and the price", function () {
    it("parses amounts in the payment asset's units and names what is wrong with a bad one", function () {
      expect(parseAmountFlag("5", ETH, "goal")).to.equal(parseEther("5"));
      expect(parseAmountFlag("2.5", ETH, "goal")).to.equal(parseEther("2.5"));
      expect(parseAmountFlag("1.123456", USDC, "amount")).to.equal(1_123_456n);
      expect(() => parseAmountFlag("abc", ETH, "goal")).to.throw(FundingError, '--goal must be a decimal amount of ETH such as 5 or 2.5, got "abc"');
      expect(() => parseAmountFlag("-1", ETH, "goal")).to.throw('--goal must be a decimal amount of ETH such as 5 or 2.5, got "-1"');
      expect(() => parseAmountFlag("1e3", ETH, "cap")).to.throw('--cap must be a decimal amount of ETH such as 5 or 2.5, got "1e3"');
      expect(() => parseAmountFlag("0", ETH, "goal")).to.throw("--goal must be positive, got 0");
      expect(() => parseAmountFlag("0.000", ETH, "amount")).to.throw("--amount must be positive, got 0.000");
      expect(() => parseAmountFlag("1.0000000000000000001", ETH, "goal")).to.throw(
        "--goal 1.0000000000000000001 has more than 18 decimal places (ETH has 18)",
      );
      expect(() => parseAmountFlag("1.1234567", USDC, "amount")).to.throw("--amount 1.1234567 has more than 6 decimal places (USDC has 6)");
      expect(() => parseAmountFlag((1n << 128n).toString(), { symbol: "X", decimals: 0 }, "goal")).to.throw(/too large/);
    });

    it("converts tokens per 1 payment unit into the contract's price exactly, and back", function () {
      // tokens_wei * 1e18 / 10^paymentDecimals
      expect(priceFromHuman("1000", AUR, ETH)).to.equal(parseEther("1000"));
      expect(priceFromHuman("0.5", AUR, ETH)).to.equal(parseEther("0.5"));
      expect(priceFromHuman("2", AUR, USDC)).to.equal(2n * 10n ** 30n);
      expect(priceFromHuman("1.50", AUR, USDC)).to.equal(15n * 10n ** 29n);
      // A fraction of a token wei per USDC is still a whole number of the contract's unit.
      expect(priceFromHuman("0.0000000000000000001", AUR, USDC)).to.equal(10n ** 11n);
      for (const [text, payment] of [
        ["1000", ETH],
        ["0.5", ETH],
        ["2", USDC],
        ["0.0000000000000000001", USDC],
      ] as const) {
        const price = priceFromHuman(text, AUR, payment);
        expect(formatPrice(price, AUR, payment)).to.equal(`${text === "1000" ? "1,000" : text} AUR per ${payment.symbol}`);
      }
      // 1 whole payment unit buys exactly the human price (in token wei).
      expect((10n ** 6n * priceFromHuman("2.000001", AUR, USDC)) / 10n ** 18n).to.equal(parseUnits("2.000001", 18));
    });

    it("refuses prices that are zero, not decimal, or cannot be represented", function () {
      expect(() => priceFromHuman("0", AUR, ETH)).to.throw(FundingError, "--price must be positive, got 0");
      expect(() => priceFromHuman("0.000", AUR, ETH)).to.throw("--price must be positive, got 0.000");
      expect(() => priceFromHuman("-3", AUR, ETH)).to.throw('--price must be a decimal number of AUR per ETH such as 1000 or 0.5, got "-3"');
      expect(() => priceFromHuman("1,000", AUR, ETH)).to.throw(/must be a decimal number/);
      expect(() => priceFromHuman("0.0000000000000000001", AUR, ETH)).to.throw(
        "--price 0.0000000000000000001 AUR per ETH cannot be represented exactly: the crowdfund's price counts AUR's smallest unit " +
          "per 10^18 of ETH's smallest unit, so a price in AUR per ETH can have at most 18 decimal places",
      );
      // Trailing zeros do not count as decimals.
      expect(priceFromHuman("0.100000000000000000000", AUR, ETH)).to.equal(parseEther("0.1"));
    });
  });

  describe("start", function () {
    const base = (over: Partial<StartOptions> = {}) => async (ctx: Awaited<ReturnType<typeof withCommunity>>) => ({
      factory: ctx.crowdfundFactory,
      token: ctx.created.token,
      goal: "5",
      cap: "10",
      days: 14,
      price: "1000",
      ...over,
    });

    it("rejects bad inputs before sending anything: amounts, cap below goal, decimals, price, days, referral rate", async function () {
      const ctx = await networkHelpers.loadFixture(withCommunity);
      const nonce = await ethers.provider.getTransactionCount(ctx.creator.address);
      const cases: Array<[Partial<StartOptions>, string | RegExp]> = [
        [{ goal: "five" }, '--goal must be a decimal amount of ETH such as 5 or 2.5, got "five"'],
        [{ goal: "0" }, "--goal must be positive, got 0"],
        [{ goal: "-5" }, /--goal must be a decimal amount of ETH/],
        [{ cap: "0" }, "--cap must be positive, got 0"],
        [{ goal: "1.0000000000000000001" }, "--goal 1.0000000000000000001 has more than 18 decimal places (ETH has 18)"],
        [{ goal: "10", cap: "9.99" }, "--cap 9.99 ETH is below --goal 10 ETH (the cap is the most that can be raised)"],
        [{ price: "0" }, "--price must be positive, got 0"],
        [{ price: "abc" }, /--price must be a decimal number of AUR per ETH/],
        [{ price: "0.0000000000000000001" }, /--price 0.0000000000000000001 AUR per ETH cannot be represented exactly/],
        [{ price: "10000000" }, /at the goal this crowdfund would mint 50,000,000 AUR, more than AUR's remaining cap \(9,000,000 AUR\)/],
        [{ days: 0 }, '--days must be a positive number of days, got "0"'],
        [{ days: "two" }, '--days must be a positive number of days, got "two"'],
        [{ referralBps: "10001" }, '--referral-bps must be a whole number of basis points from 0 to 10000 (500 = 5%), got "10001"'],
        [{ referralBps: "5%" }, /--referral-bps must be a whole number/],
        [{ payment: "0x1234" }, "--payment is not an address: 0x1234"],
        [{ payment: ctx.outsider.address }, `--payment ${ctx.outsider.address} is not a contract on this chain (an ERC-20 is needed; leave it out for ETH)`],
        [{ token: ctx.created.governor }, /is not an ERC-20 community token/],
      ];
      for (const [over, expected] of cases) {
        const message = await rejection(startCrowdfund(ethers.provider, ctx.creator, await base(over)(ctx)));
        if (typeof expected === "string") expect(message, JSON.stringify(over)).to.equal(expected);
        else expect(message, JSON.stringify(over)).to.match(expected);
      }
      // ERC-20 payment: decimals are the token's (18 for the mock).
      const payment = await ctx.payment.getAddress();
      expect(await rejection(startCrowdfund(ethers.provider, ctx.creator, await base({ payment, goal: "1.0000000000000000001" })(ctx)))).to.equal(
        "--goal 1.0000000000000000001 has more than 18 decimal places (mUSD has 18)",
      );
      expect(await ethers.provider.getTransactionCount(ctx.creator.address)).to.equal(nonce);
    });

    it("warns when the cap would mint past the token's cap", async function () {
      const ctx = await networkHelpers.loadFixture(withCommunity);
      const plan = await planStart(ethers.provider, await base({ goal: "1", cap: "10000", price: "1000" })(ctx));
      expect(plan.warnings).to.have.length(1);
      expect(plan.warnings[0]).to.match(/at the cap, with every contribution referred, this crowdfund would mint 10,500,000 AUR, more than AUR's remaining cap \(9,000,000 AUR\)/);
    });

    it("creates a crowdfund whose parameters match and prints the proposal that approves it", async function () {
      const ctx = await networkHelpers.loadFixture(withCommunity);
      const now = BigInt(await networkHelpers.time.latest());
      const r = await startCrowdfund(ethers.provider, ctx.creator, await base({ goal: "5", cap: "10", days: "14", price: "1000", referralBps: "500", salt: "first" })(ctx));

      const expectedAddress = await (await ethers.getContractAt("CrowdfundFactory", ctx.crowdfundFactory)).predictCrowdfund(ctx.created.token, ctx.creator.address, id("first"));
      expect(r.crowdfund).to.equal(expectedAddress);
      const cf = await ethers.getContractAt("Crowdfund", r.crowdfund);
      const p = await cf.params();
      expect(p.paymentToken).to.equal(ZeroAddress);
      expect(p.goal).to.equal(parseEther("5"));
      expect(p.cap).to.equal(parseEther("10"));
      expect(p.deadline).to.equal(now + 14n * BigInt(DAY));
      expect(p.price).to.equal(parseEther("1000"));
      expect(p.referralBps).to.equal(500n);
      expect(await cf.token()).to.equal(ctx.created.token);
      expect(await cf.treasury()).to.equal(ctx.created.timelock);

      const proposal = r.proposal;
      expect(proposal.target).to.equal(ctx.created.token);
      expect(proposal.value).to.equal(0n);
      expect(proposal.governor).to.equal(ctx.created.governor);
      expect(proposal.timelock).to.equal(ctx.created.timelock);
      expect(proposal.calldata).to.equal(ctx.token.interface.encodeFunctionData("grantRole", [MINTER_ROLE, r.crowdfund]));
      expect(proposal.command).to.equal(
        `cast send ${ctx.created.governor} 'propose(address[],uint256[],bytes[],string)' '[${ctx.created.token}]' '[0]' ` +
          `'[${proposal.calldata}]' '${proposal.description}' --rpc-url "$RPC_URL" --private-key "$PROPOSER_PRIVATE_KEY"`,
      );
      expect(proposal.description).to.equal(
        `Approve crowdfund ${r.crowdfund}: grant it MINTER_ROLE on AUR so that, if it succeeds, it can mint the tokens of its contributors ` +
          `(goal 5 ETH, cap 10 ETH, 1,000 AUR per ETH, 5% referral bonus, deadline ${formatTime(p.deadline)})`,
      );

      const text = formatStart(r);
      for (const expected of [
        `started crowdfund ${r.crowdfund} for Aurora Fans (AUR)`,
        "goal            5 ETH  cap 10 ETH",
        `deadline        ${formatTime(p.deadline)}`,
        "price           1,000 AUR per ETH  (contract price 1000000000000000000000)",
        "referral bonus  500 bps (5%)",
        'salt            "first"',
        `It can only succeed once AUR's DAO grants it MINTER_ROLE. The proposal to make (governor ${ctx.created.governor}):`,
        `target          ${ctx.created.token}  (the AUR token; value 0; run by the Timelock ${ctx.created.timelock})`,
        `calldata        ${proposal.calldata}`,
        `= grantRole(MINTER_ROLE ${MINTER_ROLE}, ${r.crowdfund})`,
        proposal.command,
      ]) {
        expect(text).to.include(expected);
      }

      // Not approved yet; the Timelock's call (what the proposal executes) approves it.
      const info = await openCrowdfund(ethers.provider, r.crowdfund);
      expect(formatCrowdfundStatus(await readCrowdfundStatus(info))).to.include("minting           awaiting DAO approval");
      await approveAsTimelock(ctx.created.timelock, proposal);
      expect(await ctx.token.hasRole(MINTER_ROLE, r.crowdfund)).to.equal(true);
      expect(formatCrowdfundStatus(await readCrowdfundStatus(info))).to.include("minting           approved (holds MINTER_ROLE on AUR)");
    });

    it("the printed proposal passes through the community's governor and approves the crowdfund", async function () {
      const ctx = await networkHelpers.loadFixture(withCommunity);
      const r = await startCrowdfund(ethers.provider, ctx.creator, await base({ days: 30, salt: "governed" })(ctx));
      const { proposal } = r;
      const spec = buildProposal([{ target: proposal.target, data: proposal.calldata, value: proposal.value }], proposal.description);
      await new GovernorHelper(ctx.governor, networkHelpers.time, spec).pass(ctx.creator, [ctx.creator]);
      expect(await ctx.token.hasRole(MINTER_ROLE, r.crowdfund)).to.equal(true);
    });

    it("starts an ERC-20 crowdfund with the payment token's decimals", async function () {
      const ctx = await networkHelpers.loadFixture(withCommunity);
      const payment = await ctx.payment.getAddress();
      const r = await startCrowdfund(ethers.provider, ctx.creator, await base({ payment, goal: "100.5", cap: undefined, price: "2", referralBps: 0 })(ctx));
      const p = await (await ethers.getContractAt("Crowdfund", r.crowdfund)).params();
      expect(p.paymentToken).to.equal(payment);
      expect(p.goal).to.equal(parseEther("100.5"));
      expect(p.cap).to.equal(0n);
      expect(p.price).to.equal(parseEther("2"));
      expect(p.referralBps).to.equal(0n);
      expect(formatStart(r)).to.include(`payment         mUSD ${payment}`);
      expect(formatStart(r)).to.include("goal            100.5 mUSD  (no cap)");
    });

    it("refuses a key that is neither the creator nor the Timelock, and decodes the factory's and the registry's errors", async function () {
      const ctx = await networkHelpers.loadFixture(withCommunity);
      const nonce = await ethers.provider.getTransactionCount(ctx.outsider.address);
      expect(await rejection(startCrowdfund(ethers.provider, ctx.outsider, await base()(ctx)))).to.equal(
        `the creator key is for ${ctx.outsider.address}, but AUR's creator is ${ctx.creator.address} (or its Timelock ${ctx.created.timelock}); only they may start its crowdfunds`,
      );
      expect(await ethers.provider.getTransactionCount(ctx.outsider.address)).to.equal(nonce);

      // A token the community factory does not know: FactoryUnknownToken, from the registry.
      const otherToken = await ethers.deployContract("SocialToken");
      expect(await rejection(startCrowdfund(ethers.provider, ctx.creator, await base({ token: await otherToken.getAddress() })(ctx)))).to.match(
        new RegExp(`^createCrowdfund would revert: FactoryUnknownToken\\(token=${await otherToken.getAddress()}\\): the token is not a community of this platform$`),
      );

      // The same salt twice: CrowdfundFactorySaltUsed, from the crowdfund factory's simulation.
      await startCrowdfund(ethers.provider, ctx.creator, await base({ salt: "once" })(ctx));
      expect(await rejection(startCrowdfund(ethers.provider, ctx.creator, await base({ salt: "once" })(ctx)))).to.equal(
        `createCrowdfund would revert: CrowdfundFactorySaltUsed(salt=${id("once")}): this creator already started a crowdfund with this --salt for this token; pick another`,
      );
    });
  });

  describe("contribute, status, finalize, claim", function () {
    /** An approved ETH crowdfund: goal 5, cap 10, 1000 AUR per ETH, 5% referral. */
    async function approvedEth() {
      const ctx = await networkHelpers.loadFixture(withCommunity);
      const r = await startCrowdfund(ethers.provider, ctx.creator, {
        factory: ctx.crowdfundFactory,
        token: ctx.created.token,
        goal: "5",
        cap: "10",
        days: 14,
        price: "1000",
        referralBps: 500,
        salt: "eth",
      });
      await approveAsTimelock(ctx.created.timelock, r.proposal);
      return { ...ctx, address: r.crowdfund, deadline: r.plan.params.deadline };
    }

    it("takes contributions with and without a referrer and reports them in the status", async function () {
      const { fanA, fanB, referrer, address, deadline } = await approvedEth();
      const a = await contribute(ethers.provider, fanA, address, { amount: "1.5" });
      expect(a.amount).to.equal(parseEther("1.5"));
      expect(a.referrer).to.equal(ZeroAddress);
      expect(a.raised).to.equal(parseEther("1.5"));
      expect(a.tokens).to.equal(parseEther("1500"));
      expect(a.approveHash).to.equal(null);
      const b = await contribute(ethers.provider, fanB, address, { amount: "2", referrer: referrer.address.toLowerCase() });
      expect(b.referrer).to.equal(referrer.address);
      expect(b.raised).to.equal(parseEther("3.5"));

      const info = await openCrowdfund(ethers.provider, address);
      const status = await readCrowdfundStatus(info, { account: fanB.address });
      expect(status.state).to.equal("Active");
      expect(status.approved).to.equal(true);
      expect(status.account).to.deep.include({ contributed: parseEther("2"), tokens: parseEther("2000"), bonus: 0n, refundable: 0n });
      const text = formatCrowdfundStatus(status);
      for (const expected of [
        `Crowdfund ${address}  chain 31337`,
        "state             Active (accepting contributions)",
        "raised            3.5 ETH of goal 5 ETH (70%); cap 10 ETH (6.5 ETH left)",
        `deadline          ${formatTime(deadline)} (in 13d 23h)`,
        "price             1,000 AUR per ETH",
        "referral bonus    500 bps (5%)",
        "platform fee      0 bps (0%)",
        "minting           approved (holds MINTER_ROLE on AUR)",
        `Account ${fanB.address}`,
        "contributed       2 ETH",
        "tokens            2,000 AUR + 0 AUR referral bonus (if the crowdfund succeeds)",
        "refund            none (only if the goal is missed)",
      ]) {
        expect(text).to.include(expected);
      }
      const ofReferrer = formatCrowdfundStatus(await readCrowdfundStatus(info, { account: referrer.address }));
      expect(ofReferrer).to.include("referred          2 ETH of others' contributions");
      expect(ofReferrer).to.include("tokens            0 AUR + 100 AUR referral bonus (if the crowdfund succeeds)");
    });

    it("decodes reverts: past the cap, after the deadline (with nothing sent), and refuses what the sender cannot pay", async function () {
      const { fanA, outsider, address, deadline } = await approvedEth();
      await contribute(ethers.provider, fanA, address, { amount: "9" });
      const nonce = await ethers.provider.getTransactionCount(fanA.address);
      expect(await rejection(contribute(ethers.provider, fanA, address, { amount: "1.5" }))).to.equal(
        `contribute would revert: CrowdfundCapExceeded(amount=${parseEther("1.5")}, remaining=${parseEther("1")})`,
      );
      expect(await rejection(contribute(ethers.provider, fanA, address, { amount: "1.0000000000000000001" }))).to.equal(
        "--amount 1.0000000000000000001 has more than 18 decimal places (ETH has 18)",
      );
      expect(await rejection(contribute(ethers.provider, fanA, address, { amount: "1", referrer: "0xabc" }))).to.equal("--referrer is not an address: 0xabc");
      await networkHelpers.setBalance(outsider.address, parseEther("0.5"));
      expect(await rejection(contribute(ethers.provider, outsider, address, { amount: "1" }))).to.equal(
        `${outsider.address} has 0.5 ETH, less than the 1 ETH to contribute (plus gas)`,
      );

      await networkHelpers.time.increaseTo(deadline + 1n);
      expect(await rejection(contribute(ethers.provider, fanA, address, { amount: "0.5" }))).to.equal(
        `contribute would revert: CrowdfundDeadlinePassed(deadline=${deadline}): contributions closed at ${formatTime(deadline)}`,
      );
      expect(await ethers.provider.getTransactionCount(fanA.address)).to.equal(nonce);
    });

    it("finalizes a success: the treasury gets the ETH, contributors and the referrer claim their tokens", async function () {
      const { fanA, fanB, referrer, relayer, created, token, address, deadline } = await approvedEth();
      await contribute(ethers.provider, fanA, address, { amount: "3" });
      await contribute(ethers.provider, fanB, address, { amount: "2.5", referrer: referrer.address });
      const treasuryBefore = await ethers.provider.getBalance(created.timelock);

      expect(await rejection(finalize(ethers.provider, relayer, address))).to.equal(
        "finalize would revert: CrowdfundWrongState(current=0) (the crowdfund is Active)",
      );
      await networkHelpers.time.increaseTo(deadline + 1n);
      const info = await openCrowdfund(ethers.provider, address);
      expect(formatCrowdfundStatus(await readCrowdfundStatus(info))).to.include(
        "state             Ended (deadline passed, goal reached): anyone can finalize to pay out and mint",
      );
      const f = await finalize(ethers.provider, relayer, address);
      expect(f.outcome).to.equal("Succeeded");
      expect(f.raised).to.equal(parseEther("5.5"));
      expect(f.proceeds).to.equal(parseEther("5.5"));
      expect(f.fee).to.equal(0n);
      expect(f.tokens).to.equal(parseEther("5500") + parseEther("125")); // 5% of the 2,500 AUR fanB's 2.5 ETH bought
      expect(await ethers.provider.getBalance(created.timelock)).to.equal(treasuryBefore + parseEther("5.5"));

      // claim --account: sent by the relayer, tokens to the account.
      const a = await claim(ethers.provider, relayer, address, fanA.address);
      expect(a).to.deep.include({ account: fanA.address, tokens: parseEther("3000"), bonus: 0n, balance: parseEther("3000") });
      expect(await token.getVotes(fanA.address)).to.equal(parseEther("3000"));
      // Without --account, the sender claims for itself.
      const b = await claim(ethers.provider, fanB, address);
      expect(b).to.deep.include({ account: fanB.address, tokens: parseEther("2500"), bonus: 0n });
      const ref = await claim(ethers.provider, relayer, address, referrer.address);
      expect(ref).to.deep.include({ tokens: 0n, bonus: parseEther("125"), balance: parseEther("125") });

      expect(await rejection(claim(ethers.provider, relayer, address, fanA.address))).to.equal(
        `claimTokens would revert: CrowdfundNothingToClaim(account=${fanA.address})`,
      );
      expect(await rejection(refund(ethers.provider, fanA, address))).to.equal("refund would revert: CrowdfundWrongState(current=2) (the crowdfund is Succeeded)");
      const text = formatCrowdfundStatus(await readCrowdfundStatus(info, { account: fanA.address }));
      expect(text).to.include("state             Succeeded (finalised: proceeds paid, tokens claimable)");
      expect(text).to.include("raised            5.5 ETH of goal 5 ETH (110%); cap 10 ETH");
      expect(text).to.include("tokens            0 AUR + 0 AUR referral bonus (claimable now)");
    });

    it("refunds after a missed goal, to another address when asked; a second refund is decoded", async function () {
      const { fanA, fanB, relayer, outsider, address, deadline } = await approvedEth();
      await contribute(ethers.provider, fanA, address, { amount: "1" });
      await contribute(ethers.provider, fanB, address, { amount: "0.25" });
      await networkHelpers.time.increaseTo(deadline + 1n);

      const info = await openCrowdfund(ethers.provider, address);
      const ended = formatCrowdfundStatus(await readCrowdfundStatus(info, { account: fanA.address }));
      expect(ended).to.include("state             Ended (deadline passed, goal missed): contributors can refund");
      expect(ended).to.include("refund            1 ETH available");

      // refund --to: the ETH goes to another address.
      const before = await ethers.provider.getBalance(outsider.address);
      const r = await refund(ethers.provider, fanA, address, outsider.address);
      expect(r).to.deep.include({ contributor: fanA.address, to: outsider.address, amount: parseEther("1") });
      expect(await ethers.provider.getBalance(outsider.address)).to.equal(before + parseEther("1"));
      expect(await rejection(refund(ethers.provider, fanA, address))).to.equal(`refund would revert: CrowdfundNothingToClaim(account=${fanA.address})`);
      expect(await rejection(refund(ethers.provider, relayer, address))).to.equal(`refund would revert: CrowdfundNothingToClaim(account=${relayer.address})`);

      // finalize records nothing new: the first refund already marked it failed.
      expect(await rejection(finalize(ethers.provider, relayer, address))).to.equal("finalize would revert: CrowdfundWrongState(current=3) (the crowdfund is Failed)");
      const failed = formatCrowdfundStatus(await readCrowdfundStatus(info, { account: fanB.address }));
      expect(failed).to.include("state             Failed (contributors can refund what they paid)");
      expect(failed).to.include("refund            0.25 ETH available");
      expect(failed).to.include("(none: the crowdfund failed)");
      await refund(ethers.provider, fanB, address);
    });

    it("finalize reports CrowdfundCannotMint while the DAO has not approved the crowdfund", async function () {
      const ctx = await networkHelpers.loadFixture(withCommunity);
      const r = await startCrowdfund(ethers.provider, ctx.creator, {
        factory: ctx.crowdfundFactory,
        token: ctx.created.token,
        goal: "1",
        days: 1,
        price: "10",
        salt: "unapproved",
      });
      await contribute(ethers.provider, ctx.fanA, r.crowdfund, { amount: "1" });
      const info = await openCrowdfund(ethers.provider, r.crowdfund);
      expect(formatCrowdfundStatus(await readCrowdfundStatus(info))).to.include(
        "minting           awaiting DAO approval (no MINTER_ROLE on AUR yet: the community's DAO must grant it, or finalize cannot mint)",
      );
      await networkHelpers.time.increaseTo(r.plan.params.deadline + 1n);
      const retryUntil = r.plan.params.deadline + 30n * BigInt(DAY);
      expect(await rejection(finalize(ethers.provider, ctx.relayer, r.crowdfund))).to.equal(
        `finalize would revert: CrowdfundCannotMint(retryUntil=${retryUntil}): the crowdfund cannot mint its tokens (the community's DAO has not granted it ` +
          `MINTER_ROLE, or the token's cap is in the way); finalize can be retried until ${formatTime(retryUntil)}, after which it fails and refunds open`,
      );
      // The DAO approves late (within the grace period): finalize now succeeds.
      await approveAsTimelock(ctx.created.timelock, r.proposal);
      expect((await finalize(ethers.provider, ctx.relayer, r.crowdfund)).tokens).to.equal(parseEther("10"));
    });
  });

  describe("ERC-20 crowdfunds", function () {
    it("approves the payment token first, then contributes; status counts in its units", async function () {
      const ctx = await networkHelpers.loadFixture(withCommunity);
      const payment = await ctx.payment.getAddress();
      const r = await startCrowdfund(ethers.provider, ctx.creator, {
        factory: ctx.crowdfundFactory,
        token: ctx.created.token,
        goal: "100",
        cap: "150",
        days: 7,
        price: "2",
        payment,
        salt: "erc20",
      });
      await approveAsTimelock(ctx.created.timelock, r.proposal);
      await (await ctx.payment.mint(ctx.fanA.address, parseEther("120"))).wait();

      expect(await rejection(contribute(ethers.provider, ctx.fanA, r.crowdfund, { amount: "121" }))).to.equal(
        `${ctx.fanA.address} has 120 mUSD, less than the 121 mUSD to contribute`,
      );
      const first = await contribute(ethers.provider, ctx.fanA, r.crowdfund, { amount: "80", referrer: ctx.referrer.address });
      expect(first.approveHash).to.be.a("string");
      expect(await ctx.payment.balanceOf(r.crowdfund)).to.equal(parseEther("80"));
      expect(await ctx.payment.allowance(ctx.fanA.address, r.crowdfund)).to.equal(0n);

      // An allowance that covers the amount: no second approve.
      await (await ctx.payment.connect(ctx.fanA).approve(r.crowdfund, parseEther("40"))).wait();
      const second = await contribute(ethers.provider, ctx.fanA, r.crowdfund, { amount: "30" });
      expect(second.approveHash).to.equal(null);
      expect(second.raised).to.equal(parseEther("110"));

      const info = await openCrowdfund(ethers.provider, r.crowdfund);
      expect(info.payment).to.deep.equal({ address: payment, symbol: "mUSD", decimals: 18 });
      const text = formatCrowdfundStatus(await readCrowdfundStatus(info, { account: ctx.fanA.address }));
      expect(text).to.include(`payment           mUSD ${payment}`);
      expect(text).to.include("raised            110 mUSD of goal 100 mUSD (110%); cap 150 mUSD (40 mUSD left)");
      expect(text).to.include("price             2 AUR per mUSD");
      expect(text).to.include("tokens            220 AUR + 0 AUR referral bonus (if the crowdfund succeeds)");

      await networkHelpers.time.increaseTo(r.plan.params.deadline + 1n);
      const f = await finalize(ethers.provider, ctx.relayer, r.crowdfund);
      expect(f.tokens).to.equal(parseEther("220") + parseEther("8")); // 5% of the 160 AUR the referred 80 mUSD bought
      expect(await ctx.payment.balanceOf(ctx.created.timelock)).to.equal(parseEther("110"));
      const ref = await claim(ethers.provider, ctx.relayer, r.crowdfund, ctx.referrer.address);
      expect(ref.bonus).to.equal(parseEther("8"));
    });

    it("reports the crowdfund's own revert before approving anything", async function () {
      const ctx = await networkHelpers.loadFixture(withCommunity);
      const r = await startCrowdfund(ethers.provider, ctx.creator, {
        factory: ctx.crowdfundFactory,
        token: ctx.created.token,
        goal: "100",
        days: 1,
        price: "2",
        payment: await ctx.payment.getAddress(),
        salt: "erc20-late",
      });
      await (await ctx.payment.mint(ctx.fanA.address, parseEther("50"))).wait();
      await networkHelpers.time.increaseTo(r.plan.params.deadline + 1n);
      const nonce = await ethers.provider.getTransactionCount(ctx.fanA.address);
      expect(await rejection(contribute(ethers.provider, ctx.fanA, r.crowdfund, { amount: "10" }))).to.equal(
        `contribute would revert: CrowdfundDeadlinePassed(deadline=${r.plan.params.deadline}): contributions closed at ${formatTime(r.plan.params.deadline)}`,
      );
      expect(await ethers.provider.getTransactionCount(ctx.fanA.address)).to.equal(nonce);
      expect(await ctx.payment.allowance(ctx.fanA.address, r.crowdfund)).to.equal(0n);
    });
  });

  describe("nothing sent for a refused token (issue 11 item 10)", function () {
    /** An approved crowdfund paid in mUSD, and fanA holding 50 mUSD. */
    async function erc20Crowdfund(salt: string) {
      const ctx = await networkHelpers.loadFixture(withCommunity);
      const r = await startCrowdfund(ethers.provider, ctx.creator, {
        factory: ctx.crowdfundFactory,
        token: ctx.created.token,
        goal: "100",
        days: 7,
        price: "2",
        payment: await ctx.payment.getAddress(),
        salt,
      });
      await approveAsTimelock(ctx.created.timelock, r.proposal);
      await (await ctx.payment.mint(ctx.fanA.address, parseEther("50"))).wait();
      return { ctx, r };
    }

    it("a fee-on-transfer payment token: the refusal is reported before any approve is sent", async function () {
      const { ctx, r } = await erc20Crowdfund("fee-on-transfer");
      await (await ctx.payment.setFeeBps(100)).wait(); // 1% burnt on every transfer
      const nonce = await ethers.provider.getTransactionCount(ctx.fanA.address);
      expect(await rejection(contribute(ethers.provider, ctx.fanA, r.crowdfund, { amount: "10" }))).to.equal(
        `contribute would revert: CrowdfundTransferShortfall(expected=${parseEther("10")}, received=${parseEther("9.9")}): ` +
          "the payment token delivered less than the amount (fee-on-transfer tokens are refused)",
      );
      expect(await ethers.provider.getTransactionCount(ctx.fanA.address)).to.equal(nonce);
      expect(await ctx.payment.allowance(ctx.fanA.address, r.crowdfund)).to.equal(0n);
    });

    it("a payment token that refuses transfers to the crowdfund: nothing is sent", async function () {
      const { ctx, r } = await erc20Crowdfund("blocklisted");
      await (await ctx.payment.setBlocked(r.crowdfund)).wait();
      const nonce = await ethers.provider.getTransactionCount(ctx.fanA.address);
      const blocked = ctx.payment.interface.encodeErrorResult("MockERC20Blocked", [r.crowdfund]).slice(0, 10);
      expect(await rejection(contribute(ethers.provider, ctx.fanA, r.crowdfund, { amount: "10" }))).to.equal(
        `contribute would revert: unknown error ${blocked}`,
      );
      expect(await ethers.provider.getTransactionCount(ctx.fanA.address)).to.equal(nonce);
    });

    it("without state overrides it sends nothing and says how to approve by hand", async function () {
      const { ctx, r } = await erc20Crowdfund("no-overrides");
      // A provider that takes no raw JSON-RPC calls cannot override the allowance.
      const bare = new Proxy(ethers.provider, {
        get(target, prop) {
          if (prop === "send") return undefined;
          const value = Reflect.get(target, prop, target) as unknown;
          return typeof value === "function" ? (value as (...a: unknown[]) => unknown).bind(target) : value;
        },
      }) as unknown as Provider;
      const nonce = await ethers.provider.getTransactionCount(ctx.fanA.address);
      expect(await rejection(contribute(bare, ctx.fanA, r.crowdfund, { amount: "10" }))).to.match(
        new RegExp(`^cannot simulate the transfer without an allowance .*so nothing was sent: approve ${r.crowdfund} for ${parseEther("10")} of mUSD's smallest units from ${ctx.fanA.address} yourself`),
      );
      expect(await ethers.provider.getTransactionCount(ctx.fanA.address)).to.equal(nonce);
      // Approved by hand, the same command goes through without an approve of its own.
      await (await ctx.payment.connect(ctx.fanA).approve(r.crowdfund, parseEther("10"))).wait();
      expect((await contribute(bare, ctx.fanA, r.crowdfund, { amount: "10" })).approveHash).to.equal(null);
    });

    it("finds the allowance slot of an OpenZeppelin ERC-20 (slot 1) and of the namespaced community token", async function () {
      const ctx = await networkHelpers.loadFixture(withCommunity);
      const [a, b] = [ctx.fanA.address, ctx.fanB.address];
      expect(await findAllowanceSlot(ethers.provider, await ctx.payment.getAddress(), a, b)).to.equal(allowanceSlot(1n, a, b));
      const slot = await findAllowanceSlot(ethers.provider, ctx.created.token, a, b);
      expect(slot).to.be.a("string");
      // A contract without allowances has none.
      expect(await findAllowanceSlot(ethers.provider, ctx.created.governor, a, b)).to.equal(null);
    });
  });

  describe("reading and decoding", function () {
    it("refuses an address that is not a crowdfund", async function () {
      const ctx = await networkHelpers.loadFixture(withCommunity);
      expect(await rejection(openCrowdfund(ethers.provider, ctx.outsider.address))).to.equal(`no contract at ${ctx.outsider.address} on chain 31337`);
      expect(await rejection(openCrowdfund(ethers.provider, ctx.created.governor))).to.equal(`${ctx.created.governor} on chain 31337 is not a Crowdfund`);
      expect(await rejection(openCrowdfund(ethers.provider, "nope"))).to.equal("--crowdfund is not an address: nope");
    });

    it("names the errors of the crowdfund factory, the crowdfund, the community factory, the token and ERC-20s", function () {
      const [crowdfundFactory, crowdfund, communityFactory, token, erc20] = fundingInterfaces();
      const decode = (data: string) => decodeRevert({ data }, fundingInterfaces());
      expect(decode(crowdfundFactory.encodeErrorResult("CrowdfundFactoryNotCreator", [ZeroAddress]))).to.equal(`CrowdfundFactoryNotCreator(caller=${ZeroAddress})`);
      expect(decode(crowdfund.encodeErrorResult("CrowdfundWrongValue", [1n, 2n]))).to.equal("CrowdfundWrongValue(value=1, amount=2)");
      expect(decode(communityFactory.encodeErrorResult("FactoryUnknownToken", [ZeroAddress]))).to.equal(`FactoryUnknownToken(token=${ZeroAddress})`);
      expect(decode(token.encodeErrorResult("ERC20ExceededCap", [2n, 1n]))).to.equal("ERC20ExceededCap(increasedSupply=2, cap=1)");
      expect(decode(erc20.encodeErrorResult("ERC20InsufficientAllowance", [ZeroAddress, 0n, 5n]))).to.equal(
        `ERC20InsufficientAllowance(spender=${ZeroAddress}, allowance=0, needed=5)`,
      );
    });

    it("builds the approval proposal for any crowdfund address, with the RPC URL it is given", function () {
      const crowdfund = getAddress("0x" + "12".repeat(20));
      const token = { address: getAddress("0x" + "34".repeat(20)), symbol: "AUR", decimals: 18 };
      const p = approvalProposal(
        crowdfund,
        { governor: getAddress("0x" + "56".repeat(20)), timelock: getAddress("0x" + "78".repeat(20)), token },
        { payment: ETH, params: { paymentToken: ZeroAddress, goal: parseEther("5"), cap: 0n, deadline: 2_000_000_000n, price: parseEther("1000"), referralBps: 0n } },
        "http://127.0.0.1:8546",
      );
      expect(p.description).to.include("(goal 5 ETH, no cap, 1,000 AUR per ETH, 0% referral bonus, deadline 2033-05-18 03:33:20 UTC)");
      expect(p.command).to.match(/ --rpc-url http:\/\/127\.0\.0\.1:8546 --private-key "\$PROPOSER_PRIVATE_KEY"$/);
      expect(amountText(parseEther("1234.5"), ETH)).to.equal("1,234.5 ETH");
    });
  });
});
