/**
 * Attack: re-initialising a clone or its implementation. Every community contract is an EIP-1167
 * clone of a shared implementation, configured by an `initialize` call instead of a constructor. An
 * attacker calls `initialize` on an implementation (to own it, or to make its state look like a
 * community's) or on a live clone (to make itself admin, minter, proposer, operator or treasury),
 * or races the factory to initialise a new clone first.
 *
 * Defence: every implementation is locked in its constructor (`_disableInitializers()` for the
 * OpenZeppelin-based token, governor and Timelock; a non-zero marker for RewardVault, Crowdfund and
 * RevenueShare); every clone is created and initialised by its factory in one transaction, and
 * `initialize` runs once. Related: the per-contract initialisation tests in
 * `test/SocialToken.test.ts`, `test/CommunityGovernor.test.ts`, `test/RewardVault.test.ts`,
 * `test/Crowdfund.test.ts` and `test/RevenueShare.test.ts` ("initialize" / "cannot re-initialise").
 */
import { expect } from "chai";
import { network } from "hardhat";
import {
  getAddress,
  getBytes,
  hexlify,
  id,
  parseEther,
  ZeroAddress,
  ZeroHash,
  type BaseContract,
  type ContractTransactionReceipt,
} from "ethers";
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/types";
import { DAY } from "../../scripts/lib/community.ts";
import { encodeVaultConfig } from "../../scripts/lib/rewards.ts";
import { createCommunity, deployPlatform, mined, type Connection } from "../helpers/attacks.ts";

const conn = (await network.create()) as Connection;
const { ethers, networkHelpers } = conn;
const { loadFixture, time } = networkHelpers;

const E = (n: number): bigint => parseEther(String(n));
const MINTER_ROLE = id("MINTER_ROLE");

/** The platform, Aurora (with its vault), one of its crowdfunds and its revenue share. */
async function withEverything() {
  const platform = await deployPlatform(conn);
  const [, creator, attacker] = platform.signers;
  const aurora = await createCommunity(conn, platform, creator, { salt: id("reinit") });
  const token = aurora.token.target as string;
  const deadline = BigInt(await time.latest()) + BigInt(10 * DAY);
  const cfParams = { paymentToken: ZeroAddress, goal: E(10), cap: E(20), deadline, price: E(1_000), referralBps: 0n };
  const crowdfundAddress = await platform.crowdfundFactory.predictCrowdfund(token, creator.address, id("cf"));
  const crowdfundReceipt = await mined(platform.crowdfundFactory.connect(creator).createCrowdfund(token, cfParams, id("cf")));
  const revenueAddress = await platform.revenueShareFactory.revenueShareOf(token);
  await mined(platform.revenueShareFactory.createRevenueShare(token));
  return {
    platform,
    creator,
    attacker,
    aurora,
    cfParams,
    crowdfund: await ethers.getContractAt("Crowdfund", crowdfundAddress),
    crowdfundReceipt,
    revenue: await ethers.getContractAt("RevenueShare", revenueAddress),
  };
}

type Ctx = Awaited<ReturnType<typeof withEverything>>;

/**
 * The two packed addresses a contract reads as its clone arguments (the 40 bytes after the 45-byte
 * EIP-1167 code): a clone's own token and Timelock or treasury, or whatever bytes sit there in an
 * implementation. The attacker passes exactly these, so the "wrong clone" check cannot stop it and
 * only the initialisation lock does.
 */
async function cloneArgs(target: string): Promise<[string, string]> {
  const code = getBytes((await ethers.provider.getCode(target)) + "00".repeat(85));
  return [getAddress(hexlify(code.slice(45, 65))), getAddress(hexlify(code.slice(65, 85)))];
}

/** One kind of clone: how the attacker would initialise it (to seize it), and the refusal expected. */
interface Kind {
  name: string;
  implementation(c: Ctx): BaseContract;
  clone(c: Ctx): BaseContract;
  /** Sends `initialize` to `target` as `attacker`, with parameters handing the attacker control. */
  attack(c: Ctx, target: string, attacker: HardhatEthersSigner): Promise<unknown>;
  error: string;
  /** After a refused attempt on a clone, the attacker has no power over it. */
  attackerPowerless(c: Ctx): Promise<void>;
}

const kinds: Kind[] = [
  {
    name: "SocialToken",
    implementation: (c) => c.platform.implementations.token,
    clone: (c) => c.aurora.token,
    attack: async (c, target, attacker) =>
      (await ethers.getContractAt("SocialToken", target)).connect(attacker).initialize({
        name: "Seized",
        symbol: "SZD",
        cap: E(1_000_000_000),
        admin: attacker.address,
        minter: attacker.address,
        initialHolder: attacker.address,
        initialAmount: E(1_000_000_000),
      }),
    error: "InvalidInitialization",
    attackerPowerless: async (c) => {
      expect(await c.aurora.token.hasRole(ZeroHash, c.attacker.address)).to.equal(false);
      expect(await c.aurora.token.hasRole(MINTER_ROLE, c.attacker.address)).to.equal(false);
      expect(await c.aurora.token.balanceOf(c.attacker.address)).to.equal(0n);
    },
  },
  {
    name: "CommunityGovernor",
    implementation: (c) => c.platform.implementations.governor,
    clone: (c) => c.aurora.governor,
    attack: async (c, target, attacker) =>
      (await ethers.getContractAt("CommunityGovernor", target))
        .connect(attacker)
        .initialize(
          { votingDelay: 1, votingPeriod: 1, proposalThreshold: 0n, quorumBps: 1, lateQuorumExtension: 0 },
          c.aurora.token.target,
          c.aurora.timelock,
          attacker.address
        ),
    error: "InvalidInitialization",
    attackerPowerless: async (c) => {
      expect(await c.aurora.governor.proposalGuardian()).to.equal(c.creator.address);
      expect(await c.aurora.governor.votingDelay()).to.equal(BigInt(DAY));
    },
  },
  {
    name: "CommunityTimelock",
    implementation: (c) => c.platform.implementations.timelock,
    clone: (c) => c.aurora.timelockContract,
    attack: async (_c, target, attacker) =>
      (await ethers.getContractAt("CommunityTimelock", target))
        .connect(attacker)
        .initialize(0n, [attacker.address], [attacker.address], attacker.address),
    error: "InvalidInitialization",
    attackerPowerless: async (c) => {
      const timelock = c.aurora.timelockContract;
      for (const role of [ZeroHash, await timelock.PROPOSER_ROLE(), await timelock.CANCELLER_ROLE()]) {
        expect(await timelock.hasRole(role, c.attacker.address)).to.equal(false);
      }
      expect(await timelock.getMinDelay()).to.equal(BigInt(2 * DAY));
    },
  },
  {
    name: "RewardVault",
    implementation: (c) => c.platform.implementations.rewardVault,
    clone: (c) => c.aurora.vault,
    attack: async (_c, target, attacker) => {
      const [tokenArg, timelockArg] = await cloneArgs(target);
      return (await ethers.getContractAt("RewardVault", target))
        .connect(attacker)
        .initialize(
          tokenArg,
          timelockArg,
          attacker.address,
          encodeVaultConfig({ attester: attacker.address, epochBudget: E(1_000_000), epochLength: 1, referralBps: 0 })
        );
    },
    error: "RewardVaultAlreadyInitialized",
    attackerPowerless: async (c) => {
      expect(await c.aurora.vault.operator()).to.equal(c.creator.address);
      expect(await c.aurora.vault.attester()).to.equal(c.creator.address);
      expect(await c.aurora.vault.epochBudget()).to.equal(0n);
    },
  },
  {
    name: "Crowdfund",
    implementation: (c) => c.platform.implementations.crowdfund,
    clone: (c) => c.crowdfund,
    attack: async (c, target, attacker) =>
      (await ethers.getContractAt("Crowdfund", target))
        .connect(attacker)
        .initialize(c.aurora.token.target, attacker.address, attacker.address, 10_000, c.cfParams),
    error: "CrowdfundAlreadyInitialized",
    attackerPowerless: async (c) => {
      expect(await c.crowdfund.treasury()).to.equal(c.aurora.timelock);
      const [feeRecipient] = await c.crowdfund.fee();
      expect(feeRecipient).to.not.equal(c.attacker.address);
    },
  },
  {
    name: "RevenueShare",
    implementation: (c) => c.platform.implementations.revenueShare,
    clone: (c) => c.revenue,
    attack: async (_c, target, attacker) => {
      // The treasury argument must match the clone's; the attacker hopes to reach an unlocked one.
      const [tokenArg, treasuryArg] = await cloneArgs(target);
      return (await ethers.getContractAt("RevenueShare", target)).connect(attacker).initialize(tokenArg, treasuryArg);
    },
    error: "RevenueShareAlreadyInitialized",
    attackerPowerless: async (c) => {
      expect(await c.revenue.treasury()).to.equal(c.aurora.timelock);
    },
  },
];

/** The contracts that emitted `eventName` in `receipt`, per `contract`'s ABI. */
function emitters(receipt: ContractTransactionReceipt, contract: BaseContract, eventName: string): string[] {
  const out: string[] = [];
  for (const log of receipt.logs) {
    const parsed = (() => {
      try {
        return contract.interface.parseLog(log);
      } catch {
        return null;
      }
    })();
    if (parsed?.name === eventName) out.push(log.address);
  }
  return out;
}

describe("Attack: re-initialising a clone or its implementation", function () {
  for (const kind of kinds) {
    it(`the ${kind.name} implementation cannot be initialised by anyone (${kind.error})`, async function () {
      const c = await loadFixture(withEverything);
      const implementation = kind.implementation(c);
      await expect(kind.attack(c, implementation.target as string, c.attacker)).to.be.revertedWithCustomError(
        implementation,
        kind.error
      );
    });

    it(`a ${kind.name} clone cannot be initialised again, and the attempt leaves the attacker no power`, async function () {
      const c = await loadFixture(withEverything);
      const clone = kind.clone(c);
      await expect(kind.attack(c, clone.target as string, c.attacker)).to.be.revertedWithCustomError(clone, kind.error);
      await kind.attackerPowerless(c);
    });
  }

  it("the factories initialise every clone in the transaction that creates it, leaving no block in which to initialise it first", async function () {
    const c = await loadFixture(withEverything);
    const receipt = c.aurora.receipt;
    const initialized = emitters(receipt, c.aurora.token, "Initialized").map((a) => a.toLowerCase());
    for (const address of [c.aurora.token.target, c.aurora.governor.target, c.aurora.timelock]) {
      expect(initialized).to.include((address as string).toLowerCase());
    }
    expect(emitters(receipt, c.aurora.vault, "RewardVaultInitialized")).to.deep.equal([c.aurora.rewardVault]);
    expect(emitters(c.crowdfundReceipt, c.crowdfund, "CrowdfundInitialized")).to.deep.equal([c.crowdfund.target]);
    // The revenue share emits no initialisation event: a second initialisation in the next block is refused.
    await expect(c.revenue.initialize(c.aurora.token.target, c.aurora.timelock)).to.be.revertedWithCustomError(
      c.revenue,
      "RevenueShareAlreadyInitialized"
    );
  });
});
