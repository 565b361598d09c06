/**
 * The funding arithmetic of shared/funding.ts (the CLI's and the web app's, one module) against the
 * deployed Crowdfund's actual results: seeded random amounts, prices and referral rates on real
 * crowdfunds created through the CrowdfundFactory. What a contributor and a referrer can claim,
 * what finalize mints and the fee it takes, and that a price converted with `exactPrice` makes one
 * whole payment unit buy exactly the human price. The contract's rounding is tested here, once.
 */
import { expect } from "chai";
import { network } from "hardhat";
import { id, parseEther, parseUnits, ZeroAddress, type ContractTransactionReceipt, type ContractTransactionResponse } from "ethers";
import PlatformModule from "../deploy/modules/Platform.ts";
import { communityParams, findCommunityCreated } from "../scripts/lib/community.ts";
import { bonusFor, exactPrice, feeFor, MAX_UINT128, MINT_GRACE_SECONDS, mintedFor, PRICE_SCALE, tokensFor } from "../shared/funding.ts";
import type { Crowdfund } from "../typechain-types/index.ts";

const { ethers, networkHelpers, ignition } = await network.create();
const MINTER_ROLE = id("MINTER_ROLE");
const FEE_BPS = 250n;

/** A small seeded generator (mulberry32), so a failing case is the same on every run. */
function random(seed: number) {
  let a = seed >>> 0;
  const next32 = (): number => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  };
  /** A uniform integer in [0, n). */
  const below = (n: number): number => next32() % n;
  /** A positive bigint of 1 to `maxBits` bits (the bit length itself random, so small and large values both occur). */
  const bigint = (maxBits: number): bigint => {
    const bits = 1 + below(maxBits);
    let x = 0n;
    for (let i = 0; i < bits; i += 32) x = (x << 32n) | BigInt(next32());
    x &= (1n << BigInt(bits)) - 1n;
    return x | (1n << BigInt(bits - 1));
  };
  return { below, bigint };
}

async function mined(tx: Promise<ContractTransactionResponse>): Promise<ContractTransactionReceipt> {
  const receipt = await (await tx).wait();
  if (receipt === null) throw new Error("transaction was not mined");
  return receipt;
}

/** The platform as Ignition deploys it with a 2.5% crowdfund fee, and one community whose Timelock is impersonated. */
async function withCommunity() {
  const [, creator, fanA, fanB, referrer] = await ethers.getSigners();
  const platform = await ignition.deploy(PlatformModule);
  const factory = await ethers.getContractAt("CommunityFactory", await platform.factory.getAddress());
  const crowdfundFactory = await ethers.getContractAt("CrowdfundFactory", await platform.crowdfundFactory.getAddress());
  const receipt = await mined(factory.connect(creator).createCommunity(communityParams({ salt: id("funding-maths") }), { value: await factory.creationFee() }));
  const created = findCommunityCreated(receipt, factory.interface);
  const platformTimelock = await platform.platformTimelock.getAddress();
  await networkHelpers.setBalance(platformTimelock, parseEther("1"));
  await mined(crowdfundFactory.connect(await ethers.getImpersonatedSigner(platformTimelock)).setFeeBps(FEE_BPS));
  await networkHelpers.setBalance(created.timelock, parseEther("1"));
  const timelock = await ethers.getImpersonatedSigner(created.timelock);
  const token = await ethers.getContractAt("SocialToken", created.token);
  let salts = 0;
  /** An ETH crowdfund without a cap at `price` and `referralBps`, with a goal of 1 wei. */
  async function start(price: bigint, referralBps: bigint): Promise<Crowdfund> {
    const salt = id(`funding-maths ${salts++}`);
    const params = {
      paymentToken: ZeroAddress,
      goal: 1n,
      cap: 0n,
      deadline: BigInt(await networkHelpers.time.latest()) + 30n * 86_400n,
      price,
      referralBps,
    };
    const address = await crowdfundFactory.predictCrowdfund(created.token, creator.address, salt);
    await mined(crowdfundFactory.connect(creator).createCrowdfund(created.token, params, salt));
    return ethers.getContractAt("Crowdfund", address);
  }
  return { creator, fanA, fanB, referrer, timelock, token, start };
}

describe("funding maths (shared/funding.ts) against the deployed Crowdfund", function () {
  it("tokensFor and bonusFor equal what contributors and referrers can claim, for seeded random amounts, prices and rates", async function () {
    const c = await networkHelpers.loadFixture(withCommunity);
    const rnd = random(0xc0ffee);
    let rounded = 0;
    let checks = 0;
    for (let n = 0; n < 10; n++) {
      // Prices of any size the contract accepts, the largest included; rates from 0 to 100%.
      const price = n === 0 ? MAX_UINT128 : n === 1 ? 1n : rnd.bigint(128);
      const bps = n === 2 ? 0n : n === 3 ? 10_000n : BigInt(rnd.below(10_001));
      const crowdfund = await c.start(price, bps);
      let paidA = 0n;
      let paidB = 0n;
      let referred = 0n;
      for (let k = 0; k < 4; k++) {
        const amount = k === 0 ? 1n : rnd.bigint(66); // 1 wei up to about 74 ETH
        const fan = k % 2 === 0 ? c.fanA : c.fanB;
        const referrer = rnd.below(3) === 0 ? ZeroAddress : c.referrer.address;
        await mined(crowdfund.connect(fan).contribute(amount, referrer, { value: amount }));
        if (fan === c.fanA) paidA += amount;
        else paidB += amount;
        if (referrer !== ZeroAddress) referred += amount;
        const paid = fan === c.fanA ? paidA : paidB;
        if ((paid * price) % PRICE_SCALE !== 0n) rounded++;
        expect(await crowdfund.claimableTokens(fan.address)).to.deep.equal([tokensFor(paid, price), 0n], `paid ${paid} at price ${price}`);
        expect(await crowdfund.claimableTokens(c.referrer.address)).to.deep.equal(
          [0n, bonusFor(referred, price, bps)],
          `referred ${referred} at price ${price}, ${bps} bps`,
        );
        checks++;
      }
    }
    expect(checks).to.equal(40);
    expect(rounded, "most cases round down a fraction of a token unit").to.be.greaterThan(20);
  });

  it("finalize mints mintedFor(raised, referred) and takes feeFor(raised), for seeded random contributions", async function () {
    const c = await networkHelpers.loadFixture(withCommunity);
    const rnd = random(0xfeed);
    for (let n = 0; n < 4; n++) {
      // Up to about 1,000 tokens per ETH, so the mint stays under the token's cap.
      const price = rnd.bigint(70);
      const bps = BigInt(rnd.below(10_001));
      const crowdfund = await c.start(price, bps);
      let raised = 0n;
      let referred = 0n;
      for (let k = 0; k < 3; k++) {
        const amount = rnd.bigint(64);
        const referrer = k === 1 ? ZeroAddress : c.referrer.address;
        await mined(crowdfund.connect(c.fanA).contribute(amount, referrer, { value: amount }));
        raised += amount;
        if (referrer !== ZeroAddress) referred += amount;
      }
      await mined(c.token.connect(c.timelock).grantRole(MINTER_ROLE, await crowdfund.getAddress()));
      await networkHelpers.time.increaseTo((await crowdfund.params()).deadline + 1n);
      const receipt = await mined(crowdfund.finalize());
      const finalized = receipt.logs.map((log) => crowdfund.interface.parseLog(log)).find((log) => log?.name === "Finalized");
      const fee = feeFor(raised, FEE_BPS);
      expect(finalized?.args.toArray()).to.deep.equal([raised, raised - fee, fee, mintedFor(raised, referred, price, bps)]);
    }
    // A crowdfund that cannot mint may wait this long for its DAO before it fails.
    expect(MINT_GRACE_SECONDS).to.equal(await (await c.start(1n, 0n)).MINT_GRACE());
  });

  it("a price converted with exactPrice makes 1 ETH buy exactly the human price, for seeded random decimal prices", async function () {
    const c = await networkHelpers.loadFixture(withCommunity);
    const rnd = random(0xbeef);
    expect(await (await c.start(1n, 0n)).PRICE_SCALE()).to.equal(PRICE_SCALE);
    for (let n = 0; n < 8; n++) {
      const whole = rnd.bigint(20).toString();
      const fraction = Array.from({ length: rnd.below(19) }, () => String(rnd.below(10))).join("");
      const human = fraction === "" ? whole : `${whole}.${fraction}`;
      const converted = exactPrice(human, 18, 18);
      if (!converted.ok) expect.fail(`${human} was refused: ${converted.reason}`);
      const crowdfund = await c.start(converted.price, 0n);
      const one = parseEther("1");
      await mined(crowdfund.connect(c.fanA).contribute(one, ZeroAddress, { value: one }));
      expect((await crowdfund.claimableTokens(c.fanA.address))[0]).to.equal(parseUnits(human, 18), human);
    }
  });
});
