/**
 * RewardVault: the vault every community gets from the factory. Vouchers (EIP-712, signed by the
 * attester, redeemed by anyone), referrals, Merkle campaigns, the per-epoch budget, the token cap,
 * administration by the operator and the community Timelock, and a seeded property test.
 *
 * Communities are created through the factory the platform's Ignition module deploys, exactly as in
 * production. Timelock-only calls go through a real community proposal where the proposal is the
 * point (the DAO rotates a leaked key, the DAO retunes the vault) and through the impersonated
 * Timelock elsewhere, for speed.
 */
import { expect } from "chai";
import { network } from "hardhat";
import {
  concat,
  getAddress,
  HDNodeWallet,
  id,
  parseEther,
  Signature,
  TypedDataEncoder,
  Wallet,
  ZeroAddress,
  ZeroHash,
  type ContractTransactionReceipt,
  type ContractTransactionResponse,
} from "ethers";
import { hashTypedData, type Hex } from "viem";
import { privateKeyToAccount, signTypedData as viemSignTypedData } from "viem/accounts";
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/types";
import PlatformModule from "../deploy/modules/Platform.ts";
import { communityParams, findCommunityCreated, DAY, type CommunityParams } from "../scripts/lib/community.ts";
import { buildProposal, GovernorHelper } from "../scripts/lib/governance.ts";
import {
  buildCampaign,
  claimLink,
  encodeVaultConfig,
  parseCampaignCsv,
  parseClaimLink,
  REWARDS_DOMAIN_NAME,
  REWARDS_DOMAIN_VERSION,
  signVoucher,
  voucherDomain,
  VOUCHER_TYPES,
  type BuiltCampaign,
  type TypedDataSigner,
  type VaultConfig,
  type Voucher,
} from "../scripts/lib/rewards.ts";
import { minimalProxyCreationCode, minimalProxyRuntime } from "./helpers/clones.ts";
import { cloneWithArgsCreationCode, ecrecoverInput, malleableTwin, Prng } from "./helpers/rewards.ts";
import type { RewardVault } from "../typechain-types/index.ts";

const { ethers, networkHelpers, ignition, networkConfig } = await network.create();
const { loadFixture, time } = networkHelpers;

// ------------------------------------------------------------------------------------ constants

/** Whole tokens (18 decimals) in wei units. */
const T = (n: number | bigint): bigint => parseEther(String(n));
const WEEK = 7 * DAY;
const BUDGET = T(10_000);
const BPS = 1_000n;
const MAX_BPS = 10_000n;
const UINT104_MAX = (1n << 104n) - 1n;
const UINT48_MAX = (1n << 48n) - 1n;
const MINTER_ROLE = id("MINTER_ROLE");
const ECRECOVER = "0x0000000000000000000000000000000000000001";

// -------------------------------------------------------------------------------------- helpers

async function mined(tx: Promise<ContractTransactionResponse>): Promise<ContractTransactionReceipt> {
  const receipt = await (await tx).wait();
  if (receipt === null) throw new Error("transaction was not mined");
  return receipt;
}

/**
 * The dev account at `index` as an ethers Wallet with its private key, derived from the network's
 * configured HD accounts (Hardhat's public test mnemonic), so viem can sign with the same key.
 */
async function devWallet(index: number): Promise<Wallet> {
  const accounts = networkConfig.accounts;
  if (typeof accounts !== "object" || Array.isArray(accounts) || !("mnemonic" in accounts)) {
    throw new Error("the test network has no HD accounts configuration");
  }
  const phrase = await accounts.mnemonic.get();
  const passphrase = await accounts.passphrase.get();
  const hd = HDNodeWallet.fromPhrase(phrase, passphrase, `${accounts.path}/${accounts.initialIndex + index}`);
  return new Wallet(hd.privateKey, ethers.provider);
}

/** An account impersonated and funded (the community Timelock, standing in for a passed proposal). */
async function impersonate(address: string): Promise<HardhatEthersSigner> {
  await networkHelpers.setBalance(address, parseEther("10"));
  return ethers.getImpersonatedSigner(address);
}

let nextVoucherId = 1n;

/** A voucher for `recipient`: 100 tokens, no referrer, a fresh id, valid for a day unless overridden. */
async function newVoucher(fields: Partial<Voucher> & { recipient: string }): Promise<Voucher> {
  return {
    amount: T(100),
    referrer: ZeroAddress,
    id: nextVoucherId++,
    deadline: BigInt(await time.latest()) + BigInt(DAY),
    ...fields,
  };
}

/** The voucher as viem's typed-data message. */
function viemMessage(v: Voucher) {
  return {
    recipient: v.recipient as Hex,
    amount: v.amount,
    referrer: v.referrer as Hex,
    id: v.id,
    deadline: v.deadline,
  };
}

/** viem's EIP-712 domain of the vault at `vault`. */
function viemDomain(chainId: bigint, vault: string) {
  return {
    name: REWARDS_DOMAIN_NAME,
    version: REWARDS_DOMAIN_VERSION,
    chainId,
    verifyingContract: vault as Hex,
  };
}

/** Fields of a `referralStats` result, for deep equality. */
async function statsOf(vault: RewardVault, referrer: string): Promise<[bigint, bigint, bigint]> {
  const s = await vault.referralStats(referrer);
  return [s.referredFans, s.earned, s.unclaimed];
}

/** The claim of `account` in a built campaign, as `claimCampaign`'s arguments after the id. */
function claimOf(built: BuiltCampaign, account: string): [bigint, string, bigint, string[]] {
  const c = built.claims[getAddress(account)];
  if (c === undefined) throw new Error(`no claim for ${account}`);
  return [BigInt(c.index), getAddress(account), BigInt(c.amount), c.proof];
}

// ------------------------------------------------------------------------------------- fixtures

/** The platform as Ignition deploys it (with the RewardVault implementation registered). */
async function deployPlatform() {
  const signers = await ethers.getSigners();
  const [deployer, creator, attesterSigner, relayer, outsider, referrer, referrer2, fan, fan2, fan3] = signers;
  const attester = await devWallet(2);
  if (attester.address !== attesterSigner.address) throw new Error("dev key 2 does not match signer 2");
  const newAttester = await devWallet(10);
  const walletOwner = signers[11];
  const p = await ignition.deploy(PlatformModule);
  const factory = await ethers.getContractAt("CommunityFactory", await p.factory.getAddress());
  const vaultImplementation = await ethers.getContractAt("RewardVault", await p.rewardVaultImplementation.getAddress());
  const chainId = (await ethers.provider.getNetwork()).chainId;
  return {
    signers,
    deployer,
    creator,
    attester,
    attesterSigner,
    newAttester,
    walletOwner,
    relayer,
    outsider,
    referrer,
    referrer2,
    fan,
    fan2,
    fan3,
    factory,
    vaultImplementation,
    chainId,
  };
}

type Platform = Awaited<ReturnType<typeof deployPlatform>>;

/** Creates a community with `overrides` and returns its contracts and the vault's epoch origin. */
async function launch(platform: Platform, creator: HardhatEthersSigner, overrides: Partial<CommunityParams>) {
  const receipt = await mined(platform.factory.connect(creator).createCommunity(communityParams(overrides)));
  const created = findCommunityCreated(receipt, platform.factory.interface);
  const block = await ethers.provider.getBlock(receipt.blockNumber);
  if (block === null) throw new Error("no creation block");
  return {
    ...created,
    receipt,
    origin: BigInt(block.timestamp),
    vault: await ethers.getContractAt("RewardVault", created.rewardVault),
    token: await ethers.getContractAt("SocialToken", created.token),
    governor: await ethers.getContractAt("CommunityGovernor", created.governor),
  };
}

/** The config of the main community: the attester EOA, 10,000 tokens per weekly epoch, 10% referrals. */
function auroraConfig(platform: Platform, overrides: Partial<VaultConfig> = {}): VaultConfig {
  return {
    attester: platform.attester.address,
    epochBudget: BUDGET,
    epochLength: WEEK,
    referralBps: Number(BPS),
    ...overrides,
  };
}

/** The platform plus "Aurora Fans" with a configured vault, and its Timelock impersonated. */
async function withVault() {
  const platform = await deployPlatform();
  const aurora = await launch(platform, platform.creator, {
    rewardVaultConfig: encodeVaultConfig(auroraConfig(platform)),
  });
  const timelock = await impersonate(aurora.timelock);
  return { ...platform, aurora, vault: aurora.vault, token: aurora.token, vaultAddress: aurora.rewardVault, timelock };
}

type Ctx = Awaited<ReturnType<typeof withVault>>;

/** Signs `v` for the main vault (or `vault`, or `chainId`) with the attester (or `signer`). */
function sign(
  c: Pick<Ctx, "attester" | "chainId" | "vaultAddress">,
  v: Voucher,
  signer: TypedDataSigner = c.attester,
  vault: string = c.vaultAddress,
  chainId: bigint = c.chainId
): Promise<string> {
  return signVoucher(signer, chainId, vault, v);
}

/** Aurora plus "Borealis", a second community of the same creator with the same attester. */
async function withTwoVaults() {
  const base = await withVault();
  const borealis = await launch(base, base.creator, {
    name: "Borealis Fans",
    symbol: "BOR",
    salt: id("borealis"),
    rewardVaultConfig: encodeVaultConfig(auroraConfig(base)),
  });
  return { ...base, borealis };
}

/** A community created with an empty `rewardVaultConfig`. */
async function withEmptyConfig() {
  const platform = await deployPlatform();
  const plain = await launch(platform, platform.creator, { salt: id("plain"), rewardVaultConfig: "0x" });
  return { ...platform, plain };
}

/** Aurora whose attester is a MockERC1271Wallet owned by `walletOwner`. */
async function withWalletAttester() {
  const base = await withVault();
  const wallet = await ethers.deployContract("MockERC1271Wallet", [base.walletOwner.address]);
  const walletAddress = await wallet.getAddress();
  return { ...base, wallet, walletAddress };
}

/** A community whose 30-day epochs outlast a whole proposal (1 + 5 + 2 days), without referrals. */
async function withLongEpochs() {
  const platform = await deployPlatform();
  const community = await launch(platform, platform.creator, {
    salt: id("long"),
    rewardVaultConfig: encodeVaultConfig(auroraConfig(platform, { epochLength: 30 * DAY, referralBps: 0 })),
  });
  return {
    ...platform,
    community,
    vault: community.vault,
    token: community.token,
    vaultAddress: community.rewardVault,
  };
}

/** A community whose cap (1,000 tokens, 900 to the creator) binds long before its budget. */
async function withSmallCap() {
  const platform = await deployPlatform();
  const tiny = await launch(platform, platform.creator, {
    name: "Tiny",
    symbol: "TNY",
    cap: T(1_000),
    creatorAllocation: T(900),
    proposalThreshold: 0n,
    salt: id("tiny"),
    rewardVaultConfig: encodeVaultConfig(auroraConfig(platform)),
  });
  return { ...platform, tiny, vault: tiny.vault, token: tiny.token, vaultAddress: tiny.rewardVault };
}

/** Aurora with campaign 0 open: fan 100, fan2 200, fan3 300 tokens (from a CSV), ending 3 days in. */
async function withCampaign() {
  const base = await withVault();
  const csv = `account,amount\n${base.fan.address},100\n${base.fan2.address},200\n${base.fan3.address},300\n`;
  const built = buildCampaign(parseCampaignCsv(csv, 18));
  const end = base.aurora.origin + BigInt(3 * DAY);
  await mined(base.vault.connect(base.creator).openCampaign(built.root, built.total, end));
  return { ...base, built, end, campaignId: 0n };
}

// ------------------------------------------------------------------------------------------ tests

describe("RewardVault", function () {
  describe("factory wiring", function () {
    it("creates a vault whose token, timelock, operator, attester, budget, epoch length and referral rate match the config", async function () {
      const { aurora, vault, creator, attester } = await loadFixture(withVault);
      expect(await vault.token()).to.equal(aurora.token);
      expect(await vault.timelock()).to.equal(aurora.timelock);
      expect(await vault.operator()).to.equal(creator.address);
      expect(await vault.attester()).to.equal(attester.address);
      expect(await vault.epochBudget()).to.equal(BUDGET);
      expect(await vault.epochLength()).to.equal(BigInt(WEEK));
      expect(await vault.referralBps()).to.equal(BPS);
      expect(await vault.paused()).to.equal(false);
      expect(await vault.currentEpoch()).to.equal(0n);
      expect(await vault.epochSpent()).to.equal(0n);
      expect(await vault.remainingBudget()).to.equal(BUDGET);
      expect(await vault.campaignCount()).to.equal(0n);
    });

    it("gives the vault MINTER_ROLE on the community token, and the creator none", async function () {
      const { token, vaultAddress, creator } = await loadFixture(withVault);
      expect(await token.hasRole(MINTER_ROLE, vaultAddress)).to.equal(true);
      expect(await token.hasRole(MINTER_ROLE, creator.address)).to.equal(false);
    });

    it("places the vault at predictAddresses(creator, salt).rewardVault, a clone carrying (token, timelock), initialised in the creating transaction", async function () {
      const platform = await loadFixture(deployPlatform);
      const { factory, creator, vaultImplementation, attester } = platform;
      const salt = id("predicted");
      const predicted = await factory.predictAddresses(creator.address, salt);
      expect(await ethers.provider.getCode(predicted.rewardVault)).to.equal("0x");
      const predictedVault = await ethers.getContractAt("RewardVault", predicted.rewardVault);
      const tx = factory
        .connect(creator)
        .createCommunity(communityParams({ salt, rewardVaultConfig: encodeVaultConfig(auroraConfig(platform)) }));
      await expect(tx)
        .to.emit(predictedVault, "RewardVaultInitialized")
        .withArgs(predicted.token, predicted.timelock, creator.address);
      await expect(tx).to.emit(predictedVault, "OperatorSet").withArgs(ZeroAddress, creator.address);
      await expect(tx).to.emit(predictedVault, "AttesterSet").withArgs(ZeroAddress, attester.address);
      await expect(tx).to.emit(predictedVault, "EpochBudgetSet").withArgs(0n, BUDGET);
      await expect(tx).to.emit(predictedVault, "ReferralBpsSet").withArgs(0n, BPS);
      const created = findCommunityCreated(await mined(tx), factory.interface);
      expect(created.rewardVault).to.equal(predicted.rewardVault);
      expect(await ethers.provider.getCode(created.rewardVault)).to.equal(
        minimalProxyRuntime(await vaultImplementation.getAddress()) +
          created.token.slice(2).toLowerCase() +
          created.timelock.slice(2).toLowerCase()
      );
    });

    it("with an empty config makes the creator the attester, with a zero budget, 7-day epochs and no referral bonus", async function () {
      const { plain, creator, fan, chainId } = await loadFixture(withEmptyConfig);
      const vault = plain.vault;
      expect(await vault.operator()).to.equal(creator.address);
      expect(await vault.attester()).to.equal(creator.address);
      expect(await vault.epochBudget()).to.equal(0n);
      expect(await vault.epochLength()).to.equal(BigInt(7 * DAY));
      expect(await vault.referralBps()).to.equal(0n);
      // Nothing can be minted until the DAO sets a budget, even with the creator's own signature.
      const v = await newVoucher({ recipient: fan.address });
      const signature = await signVoucher(creator, chainId, plain.rewardVault, v);
      await expect(vault.redeem(v, signature))
        .to.be.revertedWithCustomError(vault, "RewardVaultOverBudget")
        .withArgs(v.amount, 0n);
    });

    it("takes a zero attester in the config to mean the creator", async function () {
      const platform = await loadFixture(deployPlatform);
      const c = await launch(platform, platform.creator, {
        salt: id("zero-attester"),
        rewardVaultConfig: encodeVaultConfig(auroraConfig(platform, { attester: ZeroAddress })),
      });
      expect(await c.vault.attester()).to.equal(platform.creator.address);
      expect(await c.vault.epochBudget()).to.equal(BUDGET);
    });

    it("cannot be initialised again, by anyone (RewardVaultAlreadyInitialized)", async function () {
      const { vault, aurora, outsider, timelock } = await loadFixture(withVault);
      for (const caller of [outsider, timelock]) {
        await expect(
          vault.connect(caller).initialize(aurora.token, aurora.timelock, outsider.address, "0x")
        ).to.be.revertedWithCustomError(vault, "RewardVaultAlreadyInitialized");
      }
    });

    it("locks the implementation: initialize reverts RewardVaultAlreadyInitialized", async function () {
      const { vaultImplementation, outsider, factory } = await loadFixture(deployPlatform);
      const [, current] = await factory.currentImplementations();
      expect(current.rewardVault).to.equal(await vaultImplementation.getAddress());
      await expect(
        vaultImplementation.connect(outsider).initialize(outsider.address, outsider.address, outsider.address, "0x")
      ).to.be.revertedWithCustomError(vaultImplementation, "RewardVaultAlreadyInitialized");
    });

    it("a clone made outside the factory initialises only with its own (token, timelock) and non-zero addresses", async function () {
      const { vaultImplementation, deployer, creator, outsider } = await loadFixture(deployPlatform);
      const impl = await vaultImplementation.getAddress();
      const [token, timelock, operator] = [creator.address, outsider.address, deployer.address];
      const deploy = async (data: string): Promise<RewardVault> => {
        const receipt = await (await outsider.sendTransaction({ data })).wait();
        if (receipt === null || receipt.contractAddress === null) throw new Error("clone not deployed");
        return ethers.getContractAt("RewardVault", receipt.contractAddress);
      };
      const clone = await deploy(cloneWithArgsCreationCode(impl, concat([token, timelock])));
      expect(await clone.token()).to.equal(token);
      expect(await clone.timelock()).to.equal(timelock);
      await expect(clone.initialize(outsider.address, timelock, operator, "0x")).to.be.revertedWithCustomError(
        clone,
        "RewardVaultWrongClone"
      );
      await expect(clone.initialize(token, creator.address, operator, "0x")).to.be.revertedWithCustomError(
        clone,
        "RewardVaultWrongClone"
      );
      await expect(clone.initialize(token, timelock, ZeroAddress, "0x")).to.be.revertedWithCustomError(
        clone,
        "RewardVaultZeroAddress"
      );
      await expect(clone.initialize(token, timelock, operator, "0x"))
        .to.emit(clone, "RewardVaultInitialized")
        .withArgs(token, timelock, operator);
      await expect(clone.initialize(token, timelock, operator, "0x")).to.be.revertedWithCustomError(
        clone,
        "RewardVaultAlreadyInitialized"
      );
      // A plain EIP-1167 clone carries no arguments: it never initialises.
      const bare = await deploy(minimalProxyCreationCode(impl));
      expect(await bare.token()).to.equal(ZeroAddress);
      await expect(bare.initialize(token, timelock, operator, "0x")).to.be.revertedWithCustomError(
        bare,
        "RewardVaultWrongClone"
      );
      await expect(bare.initialize(ZeroAddress, ZeroAddress, operator, "0x")).to.be.revertedWithCustomError(
        bare,
        "RewardVaultZeroAddress"
      );
    });

    it("rejects at creation a zero epoch length, a referral rate above 10,000 bps and a budget of 2^104 or more", async function () {
      const platform = await loadFixture(deployPlatform);
      const { factory, creator, vaultImplementation: impl } = platform;
      const create = (config: Partial<VaultConfig>) =>
        factory
          .connect(creator)
          .createCommunity(
            communityParams({ salt: id("bad"), rewardVaultConfig: encodeVaultConfig(auroraConfig(platform, config)) })
          );
      await expect(create({ epochLength: 0 })).to.be.revertedWithCustomError(impl, "RewardVaultInvalidEpochLength");
      await expect(create({ referralBps: 10_001 }))
        .to.be.revertedWithCustomError(impl, "RewardVaultInvalidReferralBps")
        .withArgs(10_001n);
      await expect(create({ epochBudget: 1n << 104n }))
        .to.be.revertedWithCustomError(impl, "RewardVaultBudgetTooLarge")
        .withArgs(1n << 104n);
      expect(await factory.communityCount()).to.equal(1n); // only the platform
    });

    it("accepts the limits: a budget of 2^104 - 1, a 10,000 bps referral rate and a 1-second epoch", async function () {
      const platform = await loadFixture(deployPlatform);
      const c = await launch(platform, platform.creator, {
        salt: id("limits"),
        rewardVaultConfig: encodeVaultConfig(
          auroraConfig(platform, { epochBudget: UINT104_MAX, referralBps: 10_000, epochLength: 1 })
        ),
      });
      expect(await c.vault.epochBudget()).to.equal(UINT104_MAX);
      expect(await c.vault.referralBps()).to.equal(MAX_BPS);
      expect(await c.vault.epochLength()).to.equal(1n);
    });
  });

  describe("vouchers", function () {
    it("mints the amount to the signed recipient, who can vote with it at once", async function () {
      const c = await loadFixture(withVault);
      const { vault, token, fan } = c;
      const v = await newVoucher({ recipient: fan.address, amount: T(250) });
      expect(await vault.isRedeemed(v.id)).to.equal(false);
      await expect(vault.connect(fan).redeem(v, await sign(c, v))).to.changeTokenBalances(
        ethers,
        token,
        [fan],
        [T(250)]
      );
      expect(await token.getVotes(fan.address)).to.equal(T(250));
      expect(await vault.isRedeemed(v.id)).to.equal(true);
    });

    it("pays the signed recipient whoever submits the voucher, and emits VoucherRedeemed", async function () {
      const c = await loadFixture(withVault);
      const { vault, token, fan, relayer } = c;
      const v = await newVoucher({ recipient: fan.address });
      const tx = vault.connect(relayer).redeem(v, await sign(c, v));
      await expect(tx).to.emit(vault, "VoucherRedeemed").withArgs(v.id, fan.address, v.amount);
      await expect(tx).to.changeTokenBalances(ethers, token, [fan, relayer], [v.amount, 0n]);
    });

    it("redeems each id once, whatever else the second voucher says (RewardVaultVoucherAlreadyRedeemed)", async function () {
      const c = await loadFixture(withVault);
      const { vault, fan, fan2 } = c;
      const v = await newVoucher({ recipient: fan.address });
      const signature = await sign(c, v);
      await mined(vault.redeem(v, signature));
      await expect(vault.redeem(v, signature))
        .to.be.revertedWithCustomError(vault, "RewardVaultVoucherAlreadyRedeemed")
        .withArgs(v.id);
      const sameId = await newVoucher({ recipient: fan2.address, amount: T(1), id: v.id });
      await expect(vault.redeem(sameId, await sign(c, sameId)))
        .to.be.revertedWithCustomError(vault, "RewardVaultVoucherAlreadyRedeemed")
        .withArgs(v.id);
    });

    it("rejects an id repeated within one batch, redeeming neither voucher", async function () {
      const c = await loadFixture(withVault);
      const { vault, token, fan, fan2 } = c;
      const a = await newVoucher({ recipient: fan.address });
      const b = await newVoucher({ recipient: fan2.address, id: a.id });
      await expect(vault.redeemBatch([a, b], [await sign(c, a), await sign(c, b)]))
        .to.be.revertedWithCustomError(vault, "RewardVaultVoucherAlreadyRedeemed")
        .withArgs(a.id);
      expect(await vault.isRedeemed(a.id)).to.equal(false);
      expect(await token.balanceOf(fan.address)).to.equal(0n);
    });

    it("accepts a voucher redeemed at its deadline and rejects it one second later (RewardVaultVoucherExpired)", async function () {
      const c = await loadFixture(withVault);
      const { vault, fan } = c;
      const now = BigInt(await time.latest());
      const onTime = await newVoucher({ recipient: fan.address, deadline: now + 100n });
      await time.setNextBlockTimestamp(onTime.deadline);
      await expect(vault.redeem(onTime, await sign(c, onTime))).to.emit(vault, "VoucherRedeemed");
      const late = await newVoucher({ recipient: fan.address, deadline: now + 200n });
      const signature = await sign(c, late);
      await time.increaseTo(late.deadline); // the next transaction is at deadline + 1
      await expect(vault.redeem(late, signature))
        .to.be.revertedWithCustomError(vault, "RewardVaultVoucherExpired")
        .withArgs(late.id, late.deadline);
    });

    it("rejects a voucher signed by anyone but the attester, the operator included (RewardVaultBadSignature)", async function () {
      const c = await loadFixture(withVault);
      const { vault, fan, creator, outsider, newAttester } = c;
      for (const signer of [creator, outsider, newAttester]) {
        const v = await newVoucher({ recipient: fan.address });
        await expect(vault.redeem(v, await sign(c, v, signer)))
          .to.be.revertedWithCustomError(vault, "RewardVaultBadSignature")
          .withArgs(v.id);
      }
    });

    it("rejects a voucher whose amount, recipient, referrer, id or deadline was altered after signing", async function () {
      const c = await loadFixture(withVault);
      const { vault, fan, outsider, referrer } = c;
      const v = await newVoucher({ recipient: fan.address, referrer: ZeroAddress });
      const signature = await sign(c, v);
      const altered: Array<[string, Voucher]> = [
        ["amount", { ...v, amount: v.amount + 1n }],
        ["recipient", { ...v, recipient: outsider.address }],
        ["referrer", { ...v, referrer: referrer.address }],
        ["id", { ...v, id: v.id + 1n }],
        ["deadline", { ...v, deadline: v.deadline + 1n }],
      ];
      for (const [field, w] of altered) {
        await expect(vault.redeem(w, signature), field)
          .to.be.revertedWithCustomError(vault, "RewardVaultBadSignature")
          .withArgs(w.id);
      }
      await expect(vault.redeem(v, signature)).to.emit(vault, "VoucherRedeemed"); // the original still works
    });

    it("rejects a voucher paying nobody or nothing, even when signed (RewardVaultInvalidVoucher)", async function () {
      const c = await loadFixture(withVault);
      const { vault, fan } = c;
      const nobody = await newVoucher({ recipient: ZeroAddress });
      const nothing = await newVoucher({ recipient: fan.address, amount: 0n });
      for (const v of [nobody, nothing]) {
        await expect(vault.redeem(v, await sign(c, v)))
          .to.be.revertedWithCustomError(vault, "RewardVaultInvalidVoucher")
          .withArgs(v.id);
      }
    });

    it("rejects the malleable high-s twin of a valid signature, which ecrecover maps to the attester", async function () {
      const c = await loadFixture(withVault);
      const { vault, fan, attester } = c;
      const v = await newVoucher({ recipient: fan.address });
      const signature = await sign(c, v);
      const twin = malleableTwin(signature);
      expect(twin).to.not.equal(signature);
      // The bare precompile accepts the twin as the attester's signature of the same digest...
      const digest = await vault.voucherDigest(v);
      const recovered = await ethers.provider.call({ to: ECRECOVER, data: ecrecoverInput(digest, twin) });
      expect(getAddress("0x" + recovered.slice(26))).to.equal(attester.address);
      // ...the vault does not.
      await expect(vault.redeem(v, twin))
        .to.be.revertedWithCustomError(vault, "RewardVaultBadSignature")
        .withArgs(v.id);
      await expect(vault.redeem(v, signature)).to.emit(vault, "VoucherRedeemed");
    });

    it("rejects signatures that are not 65 bytes: empty or the 64-byte EIP-2098 form", async function () {
      const c = await loadFixture(withVault);
      const { vault, fan } = c;
      const v = await newVoucher({ recipient: fan.address });
      const compact = Signature.from(await sign(c, v)).compactSerialized;
      for (const signature of ["0x", compact]) {
        await expect(vault.redeem(v, signature))
          .to.be.revertedWithCustomError(vault, "RewardVaultBadSignature")
          .withArgs(v.id);
      }
    });

    it("ethers (local key and node), viem's account and viem/accounts sign byte-identical vouchers, and both libraries' signatures redeem", async function () {
      const c = await loadFixture(withVault);
      const { vault, token, fan, fan2, attester, attesterSigner, chainId, vaultAddress } = c;
      const privateKey = attester.privateKey as Hex;
      const account = privateKeyToAccount(privateKey);
      expect(account.address).to.equal(attester.address);
      const domain = viemDomain(chainId, vaultAddress);
      const signatures = async (v: Voucher) => ({
        ethersWallet: await sign(c, v, attester),
        ethersNode: await sign(c, v, attesterSigner),
        viemAccount: await account.signTypedData({
          domain,
          types: VOUCHER_TYPES,
          primaryType: "Voucher",
          message: viemMessage(v),
        }),
        viemAccounts: await viemSignTypedData({
          privateKey,
          domain,
          types: VOUCHER_TYPES,
          primaryType: "Voucher",
          message: viemMessage(v),
        }),
      });
      const viaViem = await newVoucher({ recipient: fan.address, referrer: fan2.address, amount: T(12) + 345n });
      const viaEthers = await newVoucher({ recipient: fan2.address, amount: T(7) });
      for (const v of [viaViem, viaEthers]) {
        const s = await signatures(v);
        expect(s.ethersNode).to.equal(s.ethersWallet);
        expect(s.viemAccount).to.equal(s.ethersWallet);
        expect(s.viemAccounts).to.equal(s.ethersWallet);
      }
      await mined(vault.redeem(viaViem, (await signatures(viaViem)).viemAccount));
      await mined(vault.redeem(viaEthers, (await signatures(viaEthers)).ethersWallet));
      expect(await token.balanceOf(fan.address)).to.equal(viaViem.amount);
      expect(await token.balanceOf(fan2.address)).to.equal(viaEthers.amount);
    });

    it("computes voucherDigest exactly as ethers' TypedDataEncoder.hash and viem's hashTypedData", async function () {
      const c = await loadFixture(withVault);
      const { vault, fan, referrer, chainId, vaultAddress } = c;
      const v = await newVoucher({ recipient: fan.address, referrer: referrer.address, id: (1n << 200n) + 7n });
      const onChain = await vault.voucherDigest(v);
      const types = { Voucher: VOUCHER_TYPES.Voucher.map((f) => ({ ...f })) };
      expect(onChain).to.equal(TypedDataEncoder.hash(voucherDomain(chainId, vaultAddress), types, v));
      expect(onChain).to.equal(
        hashTypedData({
          domain: viemDomain(chainId, vaultAddress),
          types: VOUCHER_TYPES,
          primaryType: "Voucher",
          message: viemMessage(v),
        })
      );
      expect(await vault.VOUCHER_TYPEHASH()).to.equal(
        id("Voucher(address recipient,uint256 amount,address referrer,uint256 id,uint256 deadline)")
      );
      const [, name, version, domainChainId, verifyingContract] = await vault.eip712Domain();
      expect([name, version, domainChainId, verifyingContract]).to.deep.equal([
        REWARDS_DOMAIN_NAME,
        REWARDS_DOMAIN_VERSION,
        chainId,
        vaultAddress,
      ]);
    });

    it("rejects a voucher signed for another chain id (cross-chain replay)", async function () {
      const c = await loadFixture(withVault);
      const { vault, fan, attester, vaultAddress } = c;
      const v = await newVoucher({ recipient: fan.address });
      await expect(vault.redeem(v, await sign(c, v, attester, vaultAddress, 1n)))
        .to.be.revertedWithCustomError(vault, "RewardVaultBadSignature")
        .withArgs(v.id);
    });

    it("rejects a voucher signed for another community's vault with the same attester (cross-vault replay)", async function () {
      const c = await loadFixture(withTwoVaults);
      const { vault, borealis, fan, attester, token } = c;
      expect(await borealis.vault.attester()).to.equal(await vault.attester());
      const v = await newVoucher({ recipient: fan.address });
      const forAurora = await sign(c, v);
      await expect(borealis.vault.redeem(v, forAurora))
        .to.be.revertedWithCustomError(borealis.vault, "RewardVaultBadSignature")
        .withArgs(v.id);
      await mined(vault.redeem(v, forAurora));
      // The same id is free in Borealis: its own signature redeems there.
      await mined(borealis.vault.redeem(v, await sign(c, v, attester, borealis.rewardVault)));
      expect(await token.balanceOf(fan.address)).to.equal(v.amount);
      expect(await borealis.token.balanceOf(fan.address)).to.equal(v.amount);
    });

    it("redeems a voucher carried through a claim link (claimLink, parseClaimLink)", async function () {
      const c = await loadFixture(withVault);
      const { vault, token, fan, referrer, relayer, chainId, vaultAddress } = c;
      const v = await newVoucher({ recipient: fan.address, referrer: referrer.address });
      const link = claimLink("http://127.0.0.1:5173/", {
        chainId,
        vault: vaultAddress,
        voucher: v,
        signature: await sign(c, v),
      });
      const parsed = parseClaimLink(link);
      expect(parsed.chainId).to.equal(chainId);
      expect(parsed.vault).to.equal(vaultAddress);
      await expect(vault.connect(relayer).redeem(parsed.voucher, parsed.signature)).to.changeTokenBalances(
        ethers,
        token,
        [fan],
        [v.amount]
      );
    });

    describe("front-running", function () {
      it("a relayer submitting someone else's voucher still pays the signed recipient and credits the signed referrer", async function () {
        const c = await loadFixture(withVault);
        const { vault, token, fan, relayer, referrer } = c;
        const v = await newVoucher({ recipient: fan.address, referrer: referrer.address });
        const signature = await sign(c, v);
        await expect(vault.connect(relayer).redeem(v, signature)).to.changeTokenBalances(
          ethers,
          token,
          [fan, relayer, referrer],
          [v.amount, 0n, 0n]
        );
        expect(await vault.referrerOf(fan.address)).to.equal(referrer.address);
        expect(await statsOf(vault, referrer.address)).to.deep.equal([1n, T(10), T(10)]);
        expect(await statsOf(vault, relayer.address)).to.deep.equal([0n, 0n, 0n]);
        // The fan's own (later) transaction fails harmlessly: the voucher already paid them.
        await expect(vault.connect(fan).redeem(v, signature))
          .to.be.revertedWithCustomError(vault, "RewardVaultVoucherAlreadyRedeemed")
          .withArgs(v.id);
      });

      it("a relayer cannot redirect the payment or the referral to itself without breaking the signature", async function () {
        const c = await loadFixture(withVault);
        const { vault, fan, relayer, referrer } = c;
        const v = await newVoucher({ recipient: fan.address, referrer: referrer.address });
        const signature = await sign(c, v);
        for (const stolen of [
          { ...v, recipient: relayer.address },
          { ...v, referrer: relayer.address },
          { ...v, referrer: ZeroAddress },
        ]) {
          await expect(vault.connect(relayer).redeem(stolen, signature))
            .to.be.revertedWithCustomError(vault, "RewardVaultBadSignature")
            .withArgs(v.id);
        }
        expect(await vault.referrerOf(fan.address)).to.equal(ZeroAddress);
      });
    });

    describe("batches", function () {
      it("redeemBatch pays every voucher and emits each redemption", async function () {
        const c = await loadFixture(withVault);
        const { vault, token, fan, fan2, fan3, relayer } = c;
        const vs = [
          await newVoucher({ recipient: fan.address, amount: T(1) }),
          await newVoucher({ recipient: fan2.address, amount: T(2) }),
          await newVoucher({ recipient: fan3.address, amount: T(3) }),
        ];
        const sigs = await Promise.all(vs.map((v) => sign(c, v)));
        const tx = vault.connect(relayer).redeemBatch(vs, sigs);
        for (const v of vs) await expect(tx).to.emit(vault, "VoucherRedeemed").withArgs(v.id, v.recipient, v.amount);
        await expect(tx).to.changeTokenBalances(ethers, token, [fan, fan2, fan3, relayer], [T(1), T(2), T(3), 0n]);
        expect(await vault.epochSpent()).to.equal(T(6));
      });

      it("one bad voucher reverts the whole batch with its own error, and nothing is redeemed", async function () {
        const c = await loadFixture(withVault);
        const { vault, token, fan, fan2, outsider } = c;
        const used = await newVoucher({ recipient: fan2.address, amount: T(1) });
        await mined(vault.redeem(used, await sign(c, used)));
        const spentBefore = await vault.epochSpent();
        const good1 = await newVoucher({ recipient: fan.address, amount: T(1) });
        const good2 = await newVoucher({ recipient: fan.address, amount: T(2) });
        const expired = await newVoucher({ recipient: fan.address, deadline: BigInt(await time.latest()) });
        const forged = await newVoucher({ recipient: fan.address });
        const huge = await newVoucher({ recipient: fan.address, amount: BUDGET });
        const cases: Array<[string, Voucher, string, string, unknown[]]> = [
          ["expired", expired, await sign(c, expired), "RewardVaultVoucherExpired", [expired.id, expired.deadline]],
          ["forged", forged, await sign(c, forged, outsider), "RewardVaultBadSignature", [forged.id]],
          ["reused", used, await sign(c, used), "RewardVaultVoucherAlreadyRedeemed", [used.id]],
          ["over budget", huge, await sign(c, huge), "RewardVaultOverBudget", [BUDGET, BUDGET - spentBefore - T(3)]],
        ];
        const s1 = await sign(c, good1);
        const s2 = await sign(c, good2);
        for (const [what, bad, badSig, error, args] of cases) {
          await expect(vault.redeemBatch([good1, good2, bad], [s1, s2, badSig]), what)
            .to.be.revertedWithCustomError(vault, error)
            .withArgs(...args);
          await expect(vault.redeemBatch([good1, bad, good2], [s1, badSig, s2]), what).to.be.revertedWithCustomError(
            vault,
            error
          );
        }
        expect(await vault.isRedeemed(good1.id)).to.equal(false);
        expect(await vault.isRedeemed(good2.id)).to.equal(false);
        expect(await token.balanceOf(fan.address)).to.equal(0n);
        expect(await vault.epochSpent()).to.equal(spentBefore);
        await mined(vault.redeemBatch([good1, good2], [s1, s2])); // still redeemable
        expect(await token.balanceOf(fan.address)).to.equal(T(3));
      });

      it("an empty batch or arrays of different lengths revert RewardVaultBatchLengthMismatch", async function () {
        const c = await loadFixture(withVault);
        const { vault, fan } = c;
        const a = await newVoucher({ recipient: fan.address });
        const b = await newVoucher({ recipient: fan.address });
        const sa = await sign(c, a);
        const sb = await sign(c, b);
        await expect(vault.redeemBatch([], []))
          .to.be.revertedWithCustomError(vault, "RewardVaultBatchLengthMismatch")
          .withArgs(0n, 0n);
        await expect(vault.redeemBatch([a, b], [sa]))
          .to.be.revertedWithCustomError(vault, "RewardVaultBatchLengthMismatch")
          .withArgs(2n, 1n);
        await expect(vault.redeemBatch([a], [sa, sb]))
          .to.be.revertedWithCustomError(vault, "RewardVaultBatchLengthMismatch")
          .withArgs(1n, 2n);
      });
    });
  });

  describe("ERC-1271 attester", function () {
    it("the operator can make a contract wallet the attester; vouchers its owner signs redeem", async function () {
      const c = await loadFixture(withWalletAttester);
      const { vault, token, creator, attester, walletAddress, walletOwner, fan } = c;
      await expect(vault.connect(creator).setAttester(walletAddress))
        .to.emit(vault, "AttesterSet")
        .withArgs(attester.address, walletAddress);
      const v = await newVoucher({ recipient: fan.address });
      await expect(vault.redeem(v, await sign(c, v, walletOwner))).to.changeTokenBalances(
        ethers,
        token,
        [fan],
        [v.amount]
      );
    });

    it("the DAO can make a contract wallet the attester too", async function () {
      const c = await loadFixture(withWalletAttester);
      const { vault, timelock, walletAddress, walletOwner, fan } = c;
      await mined(vault.connect(timelock).setAttester(walletAddress));
      expect(await vault.attester()).to.equal(walletAddress);
      const v = await newVoucher({ recipient: fan.address });
      await expect(vault.redeem(v, await sign(c, v, walletOwner))).to.emit(vault, "VoucherRedeemed");
    });

    it("rejects vouchers signed by anyone but the wallet's owner, the former EOA attester included", async function () {
      const c = await loadFixture(withWalletAttester);
      const { vault, creator, walletAddress, attester, outsider, fan } = c;
      await mined(vault.connect(creator).setAttester(walletAddress));
      for (const signer of [attester, outsider, creator]) {
        const v = await newVoucher({ recipient: fan.address });
        await expect(vault.redeem(v, await sign(c, v, signer)))
          .to.be.revertedWithCustomError(vault, "RewardVaultBadSignature")
          .withArgs(v.id);
      }
    });
  });

  describe("referrals", function () {
    it("records the referrer named by a fan's first voucher and credits it amount * referralBps / 10,000", async function () {
      const c = await loadFixture(withVault);
      const { vault, token, fan, referrer } = c;
      const v = await newVoucher({ recipient: fan.address, referrer: referrer.address, amount: T(100) });
      const tx = vault.redeem(v, await sign(c, v));
      await expect(tx).to.emit(vault, "ReferrerRecorded").withArgs(fan.address, referrer.address);
      await expect(tx).to.emit(vault, "ReferralBonusCredited").withArgs(referrer.address, fan.address, T(10));
      await expect(tx).to.changeTokenBalances(ethers, token, [fan, referrer], [T(100), 0n]);
      expect(await vault.referrerOf(fan.address)).to.equal(referrer.address);
      expect(await statsOf(vault, referrer.address)).to.deep.equal([1n, T(10), T(10)]);
    });

    it("credits the recorded referrer on the fan's later vouchers, whichever referrer (or none) they name", async function () {
      const c = await loadFixture(withVault);
      const { vault, fan, referrer, referrer2 } = c;
      const first = await newVoucher({ recipient: fan.address, referrer: referrer.address, amount: T(100) });
      await mined(vault.redeem(first, await sign(c, first)));
      const other = await newVoucher({ recipient: fan.address, referrer: referrer2.address, amount: T(200) });
      const tx = vault.redeem(other, await sign(c, other));
      await expect(tx).to.not.emit(vault, "ReferrerRecorded");
      await expect(tx).to.emit(vault, "ReferralBonusCredited").withArgs(referrer.address, fan.address, T(20));
      const none = await newVoucher({ recipient: fan.address, amount: T(50) });
      await expect(vault.redeem(none, await sign(c, none)))
        .to.emit(vault, "ReferralBonusCredited")
        .withArgs(referrer.address, fan.address, T(5));
      expect(await vault.referrerOf(fan.address)).to.equal(referrer.address);
      expect(await statsOf(vault, referrer.address)).to.deep.equal([1n, T(35), T(35)]);
      expect(await statsOf(vault, referrer2.address)).to.deep.equal([0n, 0n, 0n]);
    });

    it("counts each referred fan once", async function () {
      const c = await loadFixture(withVault);
      const { vault, fan, fan2, referrer } = c;
      for (const recipient of [fan, fan, fan2]) {
        const v = await newVoucher({ recipient: recipient.address, referrer: referrer.address, amount: T(10) });
        await mined(vault.redeem(v, await sign(c, v)));
      }
      expect(await statsOf(vault, referrer.address)).to.deep.equal([2n, T(3), T(3)]);
    });

    it("a self-referral records nothing and credits nothing; a later real referrer is still recorded", async function () {
      const c = await loadFixture(withVault);
      const { vault, fan, referrer } = c;
      const self = await newVoucher({ recipient: fan.address, referrer: fan.address, amount: T(100) });
      const tx = vault.redeem(self, await sign(c, self));
      await expect(tx).to.not.emit(vault, "ReferrerRecorded");
      await expect(tx).to.not.emit(vault, "ReferralBonusCredited");
      expect(await vault.referrerOf(fan.address)).to.equal(ZeroAddress);
      expect(await statsOf(vault, fan.address)).to.deep.equal([0n, 0n, 0n]);
      expect(await vault.epochSpent()).to.equal(T(100));
      const real = await newVoucher({ recipient: fan.address, referrer: referrer.address, amount: T(100) });
      await expect(vault.redeem(real, await sign(c, real)))
        .to.emit(vault, "ReferrerRecorded")
        .withArgs(fan.address, referrer.address);
    });

    it("gives nothing extra when the fan has no recorded referrer and the voucher names none", async function () {
      const c = await loadFixture(withVault);
      const { vault, fan } = c;
      const v = await newVoucher({ recipient: fan.address, amount: T(100) });
      const tx = vault.redeem(v, await sign(c, v));
      await expect(tx).to.not.emit(vault, "ReferrerRecorded");
      await expect(tx).to.not.emit(vault, "ReferralBonusCredited");
      expect(await vault.epochSpent()).to.equal(T(100));
    });

    it("charges the bonus to the epoch budget: epochSpent grows by amount + bonus (rounded down)", async function () {
      const c = await loadFixture(withVault);
      const { vault, fan, referrer } = c;
      const v = await newVoucher({ recipient: fan.address, referrer: referrer.address, amount: 12_345n });
      await expect(vault.redeem(v, await sign(c, v)))
        .to.emit(vault, "ReferralBonusCredited")
        .withArgs(referrer.address, fan.address, 1_234n);
      expect(await vault.epochSpent()).to.equal(12_345n + 1_234n);
      expect(await vault.remainingBudget()).to.equal(BUDGET - 12_345n - 1_234n);
    });

    it("claimReferralRewards mints the unclaimed bonus to `to`, without charging the budget again; nothing is left after", async function () {
      const c = await loadFixture(withVault);
      const { vault, token, fan, referrer, outsider } = c;
      const v = await newVoucher({ recipient: fan.address, referrer: referrer.address, amount: T(300) });
      await mined(vault.redeem(v, await sign(c, v)));
      const spent = await vault.epochSpent();
      const tx = vault.connect(referrer).claimReferralRewards(outsider.address);
      await expect(tx).to.emit(vault, "ReferralRewardsClaimed").withArgs(referrer.address, outsider.address, T(30));
      await expect(tx).to.changeTokenBalances(ethers, token, [outsider, referrer], [T(30), 0n]);
      expect(await statsOf(vault, referrer.address)).to.deep.equal([1n, T(30), 0n]);
      expect(await vault.epochSpent()).to.equal(spent);
      await expect(vault.connect(referrer).claimReferralRewards(referrer.address))
        .to.be.revertedWithCustomError(vault, "RewardVaultNothingToClaim")
        .withArgs(referrer.address);
    });

    it("claimReferralRewardsFor, sent by anyone (a relayer), mints the referrer's unclaimed bonus to the referrer only", async function () {
      const c = await loadFixture(withVault);
      const { vault, token, fan, referrer, outsider } = c;
      await expect(vault.connect(outsider).claimReferralRewardsFor(referrer.address))
        .to.be.revertedWithCustomError(vault, "RewardVaultNothingToClaim")
        .withArgs(referrer.address);
      const v = await newVoucher({ recipient: fan.address, referrer: referrer.address, amount: T(300) });
      await mined(vault.redeem(v, await sign(c, v)));
      const spent = await vault.epochSpent();
      const tx = vault.connect(outsider).claimReferralRewardsFor(referrer.address);
      await expect(tx).to.emit(vault, "ReferralRewardsClaimed").withArgs(referrer.address, referrer.address, T(30));
      await expect(tx).to.changeTokenBalances(ethers, token, [referrer, outsider], [T(30), 0n]);
      expect(await statsOf(vault, referrer.address)).to.deep.equal([1n, T(30), 0n]);
      expect(await vault.epochSpent()).to.equal(spent);
      await expect(vault.connect(outsider).claimReferralRewardsFor(referrer.address))
        .to.be.revertedWithCustomError(vault, "RewardVaultNothingToClaim")
        .withArgs(referrer.address);
      await expect(vault.connect(outsider).claimReferralRewardsFor(ZeroAddress)).to.be.revertedWithCustomError(
        vault,
        "RewardVaultZeroAddress"
      );
    });

    it("claimReferralRewards with nothing credited reverts RewardVaultNothingToClaim, and to the zero address RewardVaultZeroAddress", async function () {
      const c = await loadFixture(withVault);
      const { vault, outsider, fan, referrer } = c;
      await expect(vault.connect(outsider).claimReferralRewards(outsider.address))
        .to.be.revertedWithCustomError(vault, "RewardVaultNothingToClaim")
        .withArgs(outsider.address);
      const v = await newVoucher({ recipient: fan.address, referrer: referrer.address });
      await mined(vault.redeem(v, await sign(c, v)));
      await expect(vault.connect(referrer).claimReferralRewards(ZeroAddress)).to.be.revertedWithCustomError(
        vault,
        "RewardVaultZeroAddress"
      );
    });

    it("with a zero rate still records the first named referrer, who is credited once the DAO sets a rate", async function () {
      const c = await loadFixture(withVault);
      const { vault, timelock, fan, referrer, referrer2 } = c;
      await mined(vault.connect(timelock).setReferralBps(0n));
      const v = await newVoucher({ recipient: fan.address, referrer: referrer.address });
      const tx = vault.redeem(v, await sign(c, v));
      await expect(tx).to.emit(vault, "ReferrerRecorded").withArgs(fan.address, referrer.address);
      await expect(tx).to.not.emit(vault, "ReferralBonusCredited");
      expect(await vault.epochSpent()).to.equal(v.amount);
      await mined(vault.connect(timelock).setReferralBps(2_500n));
      const later = await newVoucher({ recipient: fan.address, referrer: referrer2.address, amount: T(40) });
      await expect(vault.redeem(later, await sign(c, later)))
        .to.emit(vault, "ReferralBonusCredited")
        .withArgs(referrer.address, fan.address, T(10));
      expect(await statsOf(vault, referrer.address)).to.deep.equal([1n, T(10), T(10)]);
    });
  });

  describe("budget and epochs", function () {
    it("reverts RewardVaultOverBudget(requested, available) beyond the epoch's budget, the referral bonus included", async function () {
      const c = await loadFixture(withVault);
      const { vault, fan, fan2, referrer } = c;
      const big = await newVoucher({ recipient: fan.address, amount: T(9_000) });
      await mined(vault.redeem(big, await sign(c, big)));
      const referred = await newVoucher({ recipient: fan2.address, referrer: referrer.address, amount: T(1_000) });
      await expect(vault.redeem(referred, await sign(c, referred)))
        .to.be.revertedWithCustomError(vault, "RewardVaultOverBudget")
        .withArgs(T(1_100), T(1_000));
      const exact = await newVoucher({ recipient: fan2.address, amount: T(1_000) });
      await mined(vault.redeem(exact, await sign(c, exact)));
      expect(await vault.remainingBudget()).to.equal(0n);
      const oneWei = await newVoucher({ recipient: fan2.address, amount: 1n });
      await expect(vault.redeem(oneWei, await sign(c, oneWei)))
        .to.be.revertedWithCustomError(vault, "RewardVaultOverBudget")
        .withArgs(1n, 0n);
    });

    it("reports currentEpoch, epochSpent and remainingBudget", async function () {
      const c = await loadFixture(withVault);
      const { vault, fan } = c;
      const v = await newVoucher({ recipient: fan.address, amount: T(3_000) });
      await mined(vault.redeem(v, await sign(c, v)));
      expect(await vault.currentEpoch()).to.equal(0n);
      expect(await vault.epochSpent()).to.equal(T(3_000));
      expect(await vault.remainingBudget()).to.equal(T(7_000));
    });

    it("starts a fresh budget exactly epochLength after creation; unused budget does not accumulate", async function () {
      const c = await loadFixture(withVault);
      const { vault, fan, aurora } = c;
      const all = await newVoucher({
        recipient: fan.address,
        amount: BUDGET,
        deadline: aurora.origin + BigInt(10 * WEEK),
      });
      await mined(vault.redeem(all, await sign(c, all)));
      await time.increaseTo(aurora.origin + BigInt(WEEK) - 1n);
      expect(await vault.currentEpoch()).to.equal(0n);
      expect(await vault.remainingBudget()).to.equal(0n);
      const next = await newVoucher({
        recipient: fan.address,
        amount: BUDGET,
        deadline: aurora.origin + BigInt(10 * WEEK),
      });
      const signature = await sign(c, next);
      await time.setNextBlockTimestamp(aurora.origin + BigInt(WEEK));
      await expect(vault.redeem(next, signature)).to.emit(vault, "VoucherRedeemed");
      expect(await vault.currentEpoch()).to.equal(1n);
      expect(await vault.epochSpent()).to.equal(BUDGET);
      // Two idle epochs later the budget is one epoch's, not three.
      await time.increaseTo(aurora.origin + BigInt(3 * WEEK) + 5n);
      expect(await vault.currentEpoch()).to.equal(3n);
      expect(await vault.epochSpent()).to.equal(0n);
      expect(await vault.remainingBudget()).to.equal(BUDGET);
      const greedy = await newVoucher({ recipient: fan.address, amount: BUDGET + 1n });
      await expect(vault.redeem(greedy, await sign(c, greedy)))
        .to.be.revertedWithCustomError(vault, "RewardVaultOverBudget")
        .withArgs(BUDGET + 1n, BUDGET);
    });

    it("a leaked attester key mints at most one epoch's budget before a DAO proposal rotates it", async function () {
      const c = await loadFixture(withLongEpochs);
      const { vault, token, community, creator, attester, newAttester, outsider: thief } = c;
      const vaultAddress = community.rewardVault;
      const deadline = BigInt(await time.latest()) + BigInt(60 * DAY);
      // The thief signs twenty 1,000-token vouchers (twice the budget) with the leaked key.
      const loot: Array<[Voucher, string]> = [];
      for (let i = 0; i < 20; i++) {
        const v = await newVoucher({ recipient: thief.address, amount: T(1_000), deadline });
        loot.push([v, await signVoucher(attester, c.chainId, vaultAddress, v)]);
      }
      let next = 0;
      for (; next < 10; next++) await mined(vault.connect(thief).redeem(...loot[next]));
      await expect(vault.connect(thief).redeem(...loot[next]))
        .to.be.revertedWithCustomError(vault, "RewardVaultOverBudget")
        .withArgs(T(1_000), 0n);
      expect(await token.balanceOf(thief.address)).to.equal(BUDGET);

      // The community votes the key out (1 day delay, 5 days voting, 2 days Timelock: one epoch).
      const proposal = new GovernorHelper(
        community.governor,
        time,
        buildProposal(
          [{ target: vaultAddress, data: vault.interface.encodeFunctionData("setAttester", [newAttester.address]) }],
          "Rotate the leaked attester key"
        )
      );
      await proposal.passToEta(creator, [creator]);
      await expect(vault.connect(thief).redeem(...loot[next])).to.be.revertedWithCustomError(
        vault,
        "RewardVaultOverBudget"
      );
      await expect(proposal.execute()).to.emit(vault, "AttesterSet").withArgs(attester.address, newAttester.address);
      expect(await vault.currentEpoch()).to.equal(0n);

      // Every remaining voucher of the old key is now worthless, in this epoch and the next.
      for (const [v, signature] of loot.slice(next, next + 3)) {
        await expect(vault.connect(thief).redeem(v, signature))
          .to.be.revertedWithCustomError(vault, "RewardVaultBadSignature")
          .withArgs(v.id);
      }
      await time.increaseTo(community.origin + BigInt(30 * DAY) + 1n);
      for (const [v, signature] of loot.slice(next)) {
        await expect(vault.connect(thief).redeem(v, signature))
          .to.be.revertedWithCustomError(vault, "RewardVaultBadSignature")
          .withArgs(v.id);
      }
      expect(await token.balanceOf(thief.address)).to.equal(BUDGET);
      // The new key works.
      const fresh = await newVoucher({ recipient: creator.address, amount: T(1) });
      await mined(vault.redeem(fresh, await signVoucher(newAttester, c.chainId, vaultAddress, fresh)));
    });

    it("the operator can rotate a leaked key at once, without waiting for a vote", async function () {
      const c = await loadFixture(withVault);
      const { vault, creator, attester, newAttester, outsider: thief } = c;
      const v = await newVoucher({ recipient: thief.address });
      const stolen = await sign(c, v, attester);
      await expect(vault.connect(creator).setAttester(newAttester.address))
        .to.emit(vault, "AttesterSet")
        .withArgs(attester.address, newAttester.address);
      await expect(vault.redeem(v, stolen))
        .to.be.revertedWithCustomError(vault, "RewardVaultBadSignature")
        .withArgs(v.id);
      await mined(vault.redeem(v, await sign(c, v, newAttester)));
    });

    it("setEpochBudget takes effect in the current epoch; below what was spent it stops minting until the next epoch", async function () {
      const c = await loadFixture(withVault);
      const { vault, timelock, fan, aurora } = c;
      const v = await newVoucher({ recipient: fan.address, amount: T(6_000) });
      await mined(vault.redeem(v, await sign(c, v)));
      await expect(vault.connect(timelock).setEpochBudget(T(5_000)))
        .to.emit(vault, "EpochBudgetSet")
        .withArgs(BUDGET, T(5_000));
      expect(await vault.epochSpent()).to.equal(T(6_000));
      expect(await vault.remainingBudget()).to.equal(0n);
      const more = await newVoucher({ recipient: fan.address, amount: 1n, deadline: aurora.origin + BigInt(2 * WEEK) });
      const signature = await sign(c, more);
      await expect(vault.redeem(more, signature))
        .to.be.revertedWithCustomError(vault, "RewardVaultOverBudget")
        .withArgs(1n, 0n);
      await mined(vault.connect(timelock).setEpochBudget(T(8_000)));
      expect(await vault.remainingBudget()).to.equal(T(2_000));
      await mined(vault.connect(timelock).setEpochBudget(T(5_000)));
      await time.increaseTo(aurora.origin + BigInt(WEEK));
      expect(await vault.remainingBudget()).to.equal(T(5_000));
      await mined(vault.redeem(more, signature));
    });

    describe("token cap", function () {
      it("reverts RewardVaultCapReached(requestedSupply, cap) when the token cap binds before the budget", async function () {
        const c = await loadFixture(withSmallCap);
        const { vault, token, fan } = c;
        const tooMuch = await newVoucher({ recipient: fan.address, amount: T(200) });
        await expect(vault.redeem(tooMuch, await sign(c, tooMuch)))
          .to.be.revertedWithCustomError(vault, "RewardVaultCapReached")
          .withArgs(T(1_100), T(1_000));
        const fill = await newVoucher({ recipient: fan.address, amount: T(100) });
        await mined(vault.redeem(fill, await sign(c, fill)));
        expect(await token.totalSupply()).to.equal(T(1_000));
        const oneWei = await newVoucher({ recipient: fan.address, amount: 1n });
        await expect(vault.redeem(oneWei, await sign(c, oneWei)))
          .to.be.revertedWithCustomError(vault, "RewardVaultCapReached")
          .withArgs(T(1_000) + 1n, T(1_000));
        expect(await vault.isRedeemed(tooMuch.id)).to.equal(false);
        expect(await vault.epochSpent()).to.equal(T(100));
      });

      it("reverts a batch that would cross the cap as a whole", async function () {
        const c = await loadFixture(withSmallCap);
        const { vault, token, fan, fan2 } = c;
        const a = await newVoucher({ recipient: fan.address, amount: T(50) });
        const b = await newVoucher({ recipient: fan2.address, amount: T(60) });
        await expect(vault.redeemBatch([a, b], [await sign(c, a), await sign(c, b)]))
          .to.be.revertedWithCustomError(vault, "RewardVaultCapReached")
          .withArgs(T(1_010), T(1_000));
        expect(await token.totalSupply()).to.equal(T(900));
        expect(await vault.isRedeemed(a.id)).to.equal(false);
      });

      it("a credited referral bonus cannot be minted past the cap: the claim reverts and the credit stays", async function () {
        const c = await loadFixture(withSmallCap);
        const { vault, fan, fan2, referrer } = c;
        const referred = await newVoucher({ recipient: fan.address, referrer: referrer.address, amount: T(50) });
        await mined(vault.redeem(referred, await sign(c, referred)));
        const fill = await newVoucher({ recipient: fan2.address, amount: T(50) });
        await mined(vault.redeem(fill, await sign(c, fill)));
        await expect(vault.connect(referrer).claimReferralRewards(referrer.address))
          .to.be.revertedWithCustomError(vault, "RewardVaultCapReached")
          .withArgs(T(1_005), T(1_000));
        expect(await statsOf(vault, referrer.address)).to.deep.equal([1n, T(5), T(5)]);
      });
    });
  });

  describe("administration", function () {
    it("setAttester: the operator or the Timelock, nobody else (RewardVaultNotOperator); never zero", async function () {
      const { vault, creator, timelock, attester, attesterSigner, newAttester, outsider } = await loadFixture(
        withVault
      );
      await expect(vault.connect(creator).setAttester(outsider.address))
        .to.emit(vault, "AttesterSet")
        .withArgs(attester.address, outsider.address);
      await expect(vault.connect(timelock).setAttester(newAttester.address))
        .to.emit(vault, "AttesterSet")
        .withArgs(outsider.address, newAttester.address);
      for (const caller of [outsider, attesterSigner]) {
        await expect(vault.connect(caller).setAttester(caller.address))
          .to.be.revertedWithCustomError(vault, "RewardVaultNotOperator")
          .withArgs(caller.address);
      }
      await expect(vault.connect(creator).setAttester(ZeroAddress)).to.be.revertedWithCustomError(
        vault,
        "RewardVaultZeroAddress"
      );
      expect(await vault.attester()).to.equal(newAttester.address);
    });

    it("setOperator is Timelock-only (RewardVaultNotAdmin) and hands the operator's powers over", async function () {
      const { vault, creator, timelock, outsider, newAttester } = await loadFixture(withVault);
      await expect(vault.connect(creator).setOperator(creator.address))
        .to.be.revertedWithCustomError(vault, "RewardVaultNotAdmin")
        .withArgs(creator.address);
      await expect(vault.connect(timelock).setOperator(ZeroAddress)).to.be.revertedWithCustomError(
        vault,
        "RewardVaultZeroAddress"
      );
      await expect(vault.connect(timelock).setOperator(outsider.address))
        .to.emit(vault, "OperatorSet")
        .withArgs(creator.address, outsider.address);
      expect(await vault.operator()).to.equal(outsider.address);
      await expect(vault.connect(creator).setAttester(creator.address))
        .to.be.revertedWithCustomError(vault, "RewardVaultNotOperator")
        .withArgs(creator.address);
      await expect(vault.connect(creator).pause())
        .to.be.revertedWithCustomError(vault, "RewardVaultNotOperator")
        .withArgs(creator.address);
      await mined(vault.connect(outsider).setAttester(newAttester.address));
    });

    it("setEpochBudget is Timelock-only and below 2^104 (RewardVaultNotAdmin, RewardVaultBudgetTooLarge)", async function () {
      const { vault, creator, timelock } = await loadFixture(withVault);
      await expect(vault.connect(creator).setEpochBudget(T(1)))
        .to.be.revertedWithCustomError(vault, "RewardVaultNotAdmin")
        .withArgs(creator.address);
      await expect(vault.connect(timelock).setEpochBudget(1n << 104n))
        .to.be.revertedWithCustomError(vault, "RewardVaultBudgetTooLarge")
        .withArgs(1n << 104n);
      await expect(vault.connect(timelock).setEpochBudget(UINT104_MAX))
        .to.emit(vault, "EpochBudgetSet")
        .withArgs(BUDGET, UINT104_MAX);
      expect(await vault.epochBudget()).to.equal(UINT104_MAX);
    });

    it("setReferralBps is Timelock-only and at most 10,000 (RewardVaultNotAdmin, RewardVaultInvalidReferralBps)", async function () {
      const { vault, creator, timelock } = await loadFixture(withVault);
      await expect(vault.connect(creator).setReferralBps(0n))
        .to.be.revertedWithCustomError(vault, "RewardVaultNotAdmin")
        .withArgs(creator.address);
      await expect(vault.connect(timelock).setReferralBps(10_001n))
        .to.be.revertedWithCustomError(vault, "RewardVaultInvalidReferralBps")
        .withArgs(10_001n);
      await expect(vault.connect(timelock).setReferralBps(MAX_BPS))
        .to.emit(vault, "ReferralBpsSet")
        .withArgs(BPS, MAX_BPS);
      expect(await vault.referralBps()).to.equal(MAX_BPS);
    });

    it("pause by the operator or the Timelock; unpause by the Timelock only", async function () {
      const { vault, creator, timelock, outsider } = await loadFixture(withVault);
      await expect(vault.connect(outsider).pause())
        .to.be.revertedWithCustomError(vault, "RewardVaultNotOperator")
        .withArgs(outsider.address);
      await expect(vault.connect(creator).pause()).to.emit(vault, "PausedSet").withArgs(true, creator.address);
      expect(await vault.paused()).to.equal(true);
      for (const caller of [creator, outsider]) {
        await expect(vault.connect(caller).unpause())
          .to.be.revertedWithCustomError(vault, "RewardVaultNotAdmin")
          .withArgs(caller.address);
      }
      await expect(vault.connect(timelock).unpause()).to.emit(vault, "PausedSet").withArgs(false, timelock.address);
      expect(await vault.paused()).to.equal(false);
      await expect(vault.connect(timelock).pause()).to.emit(vault, "PausedSet").withArgs(true, timelock.address);
    });

    it("while paused, redeem, redeemBatch, claimCampaign, claimReferralRewards and claimReferralRewardsFor revert RewardVaultPaused", async function () {
      const c = await loadFixture(withCampaign);
      const { vault, token, creator, timelock, fan, referrer, built, campaignId } = c;
      const referred = await newVoucher({ recipient: fan.address, referrer: referrer.address });
      await mined(vault.redeem(referred, await sign(c, referred)));
      const v = await newVoucher({ recipient: fan.address });
      const signature = await sign(c, v);
      await mined(vault.connect(creator).pause());
      await expect(vault.redeem(v, signature)).to.be.revertedWithCustomError(vault, "RewardVaultPaused");
      await expect(vault.redeemBatch([v], [signature])).to.be.revertedWithCustomError(vault, "RewardVaultPaused");
      await expect(vault.claimCampaign(campaignId, ...claimOf(built, fan.address))).to.be.revertedWithCustomError(
        vault,
        "RewardVaultPaused"
      );
      await expect(vault.connect(fan).claimReferralRewardsFor(referrer.address)).to.be.revertedWithCustomError(
        vault,
        "RewardVaultPaused"
      );
      await expect(vault.connect(referrer).claimReferralRewards(referrer.address)).to.be.revertedWithCustomError(
        vault,
        "RewardVaultPaused"
      );
      await mined(vault.connect(timelock).unpause());
      const before = await token.balanceOf(fan.address);
      await mined(vault.redeem(v, signature));
      await mined(vault.claimCampaign(campaignId, ...claimOf(built, fan.address)));
      await mined(vault.connect(referrer).claimReferralRewards(referrer.address));
      expect(await token.balanceOf(fan.address)).to.equal(before + v.amount + T(100));
    });

    it("the community DAO retunes the vault and lifts the creator's pause through a real proposal", async function () {
      const c = await loadFixture(withVault);
      const { vault, aurora, creator, outsider, timelock, fan } = c;
      await mined(vault.connect(creator).pause());
      const vaultInterface = vault.interface;
      const data = [
        vaultInterface.encodeFunctionData("setEpochBudget", [T(20_000)]),
        vaultInterface.encodeFunctionData("setReferralBps", [500n]),
        vaultInterface.encodeFunctionData("setOperator", [outsider.address]),
        vaultInterface.encodeFunctionData("unpause"),
      ];
      const proposal = new GovernorHelper(
        aurora.governor,
        time,
        buildProposal(
          data.map((d) => ({ target: aurora.rewardVault, data: d })),
          "Double the reward budget, halve the referral bonus, hand the vault to a community manager"
        )
      );
      await proposal.passToEta(creator, [creator]);
      const tx = proposal.execute();
      await expect(tx).to.emit(vault, "EpochBudgetSet").withArgs(BUDGET, T(20_000));
      await expect(tx).to.emit(vault, "ReferralBpsSet").withArgs(BPS, 500n);
      await expect(tx).to.emit(vault, "OperatorSet").withArgs(creator.address, outsider.address);
      await expect(tx).to.emit(vault, "PausedSet").withArgs(false, timelock.address);
      expect(await vault.epochBudget()).to.equal(T(20_000));
      expect(await vault.referralBps()).to.equal(500n);
      expect(await vault.operator()).to.equal(outsider.address);
      expect(await vault.paused()).to.equal(false);
      const v = await newVoucher({ recipient: fan.address, amount: T(15_000) });
      await mined(vault.redeem(v, await sign(c, v)));
    });
  });

  describe("campaigns", function () {
    it("openCampaign by the operator reserves the total from the epoch's budget", async function () {
      const c = await loadFixture(withVault);
      const { vault, creator, fan, fan2 } = c;
      const built = buildCampaign([
        { account: fan.address, amount: T(400) },
        { account: fan2.address, amount: T(600) },
      ]);
      const end = BigInt(await time.latest()) + BigInt(DAY);
      await expect(vault.connect(creator).openCampaign(built.root, built.total, end))
        .to.emit(vault, "CampaignOpened")
        .withArgs(0n, built.root, T(1_000), end);
      expect(await vault.campaignCount()).to.equal(1n);
      const campaign = await vault.campaign(0n);
      expect([
        campaign.root,
        campaign.reserved,
        campaign.claimed,
        campaign.end,
        campaign.epoch,
        campaign.closed,
      ]).to.deep.equal([built.root, T(1_000), 0n, end, 0n, false]);
      expect(await vault.epochSpent()).to.equal(T(1_000));
      expect(await vault.remainingBudget()).to.equal(BUDGET - T(1_000));
    });

    it("the Timelock may open a campaign too; anyone else reverts RewardVaultNotOperator", async function () {
      const c = await loadFixture(withVault);
      const { vault, timelock, outsider, fan } = c;
      const built = buildCampaign([{ account: fan.address, amount: T(1) }]);
      const end = BigInt(await time.latest()) + BigInt(DAY);
      await expect(vault.connect(outsider).openCampaign(built.root, built.total, end))
        .to.be.revertedWithCustomError(vault, "RewardVaultNotOperator")
        .withArgs(outsider.address);
      await expect(vault.connect(timelock).openCampaign(built.root, built.total, end)).to.emit(vault, "CampaignOpened");
    });

    it("a campaign above the epoch's remaining budget reverts RewardVaultOverBudget", async function () {
      const c = await loadFixture(withVault);
      const { vault, creator, fan } = c;
      const v = await newVoucher({ recipient: fan.address, amount: T(9_500) });
      await mined(vault.redeem(v, await sign(c, v)));
      const built = buildCampaign([{ account: fan.address, amount: T(600) }]);
      const end = BigInt(await time.latest()) + BigInt(DAY);
      await expect(vault.connect(creator).openCampaign(built.root, built.total, end))
        .to.be.revertedWithCustomError(vault, "RewardVaultOverBudget")
        .withArgs(T(600), T(500));
    });

    it("rejects a zero root, a zero total, an end not in the future or beyond uint48 (CampaignInvalid)", async function () {
      const c = await loadFixture(withVault);
      const { vault, creator, fan } = c;
      const built = buildCampaign([{ account: fan.address, amount: T(1) }]);
      const now = BigInt(await time.latest());
      for (const [root, total, end] of [
        [ZeroHash, T(1), now + 100n],
        [built.root, 0n, now + 100n],
        [built.root, T(1), now + 1n], // the transaction's own timestamp
        [built.root, T(1), now - 100n],
        [built.root, T(1), UINT48_MAX + 1n],
      ] as const) {
        await expect(vault.connect(creator).openCampaign(root, total, end)).to.be.revertedWithCustomError(
          vault,
          "CampaignInvalid"
        );
      }
      await mined(vault.connect(creator).openCampaign(built.root, T(1), UINT48_MAX));
    });

    it("pays every leaf of a buildCampaign tree (the CLI's code) to its account, whoever submits the claim", async function () {
      const c = await loadFixture(withCampaign);
      const { vault, token, relayer, fan, fan2, fan3, built, campaignId } = c;
      for (const [account, amount] of [
        [fan, T(100)],
        [fan2, T(200)],
        [fan3, T(300)],
      ] as const) {
        const args = claimOf(built, account.address);
        const tx = vault.connect(relayer).claimCampaign(campaignId, ...args);
        await expect(tx).to.emit(vault, "CampaignClaimed").withArgs(campaignId, args[0], account.address, amount);
        await expect(tx).to.changeTokenBalances(ethers, token, [account, relayer], [amount, 0n]);
        expect(await vault.isCampaignClaimed(campaignId, args[0])).to.equal(true);
      }
      expect((await vault.campaign(campaignId)).claimed).to.equal(T(600));
    });

    it("does not charge claims to the epoch again: the opening reserved them", async function () {
      const c = await loadFixture(withCampaign);
      const { vault, fan, fan2, fan3, built, campaignId } = c;
      expect(await vault.epochSpent()).to.equal(T(600));
      for (const account of [fan, fan2, fan3])
        await mined(vault.claimCampaign(campaignId, ...claimOf(built, account.address)));
      expect(await vault.epochSpent()).to.equal(T(600));
      expect(await vault.remainingBudget()).to.equal(BUDGET - T(600));
    });

    it("pays each leaf once (CampaignAlreadyClaimed)", async function () {
      const c = await loadFixture(withCampaign);
      const { vault, fan, built, campaignId } = c;
      const args = claimOf(built, fan.address);
      await mined(vault.claimCampaign(campaignId, ...args));
      await expect(vault.claimCampaign(campaignId, ...args))
        .to.be.revertedWithCustomError(vault, "CampaignAlreadyClaimed")
        .withArgs(campaignId, args[0]);
    });

    it("rejects a wrong proof, amount, account or index (CampaignInvalidProof)", async function () {
      const c = await loadFixture(withCampaign);
      const { vault, fan, fan2, outsider, built, campaignId } = c;
      const [index, account, amount, proof] = claimOf(built, fan.address);
      const [index2, , , proof2] = claimOf(built, fan2.address);
      const wrong: Array<[string, bigint, string, bigint, string[]]> = [
        ["proof", index, account, amount, proof2],
        ["empty proof", index, account, amount, []],
        ["amount", index, account, amount + 1n, proof],
        ["account", index, outsider.address, amount, proof],
        ["index", index2, account, amount, proof],
      ];
      for (const [what, i, a, m, p] of wrong) {
        await expect(vault.claimCampaign(campaignId, i, a, m, p), what)
          .to.be.revertedWithCustomError(vault, "CampaignInvalidProof")
          .withArgs(campaignId, i);
      }
      await mined(vault.claimCampaign(campaignId, index, account, amount, proof));
    });

    it("accepts claims until the end inclusive, then reverts CampaignEnded", async function () {
      const c = await loadFixture(withCampaign);
      const { vault, fan, fan2, built, campaignId, end } = c;
      await time.setNextBlockTimestamp(end);
      await mined(vault.claimCampaign(campaignId, ...claimOf(built, fan.address)));
      await expect(vault.claimCampaign(campaignId, ...claimOf(built, fan2.address)))
        .to.be.revertedWithCustomError(vault, "CampaignEnded")
        .withArgs(campaignId, end);
    });

    it("reverts CampaignUnknown for an id never opened", async function () {
      const c = await loadFixture(withCampaign);
      const { vault, fan, built } = c;
      await expect(vault.claimCampaign(1n, ...claimOf(built, fan.address)))
        .to.be.revertedWithCustomError(vault, "CampaignUnknown")
        .withArgs(1n);
      await expect(vault.closeCampaign(1n)).to.be.revertedWithCustomError(vault, "CampaignUnknown").withArgs(1n);
      await expect(vault.campaign(1n)).to.be.revertedWithCustomError(vault, "CampaignUnknown").withArgs(1n);
    });

    it("closeCampaign before or at the end reverts CampaignNotEnded, right after it succeeds", async function () {
      const c = await loadFixture(withCampaign);
      const { vault, outsider, campaignId, end } = c;
      await expect(vault.connect(outsider).closeCampaign(campaignId))
        .to.be.revertedWithCustomError(vault, "CampaignNotEnded")
        .withArgs(campaignId, end);
      await time.setNextBlockTimestamp(end);
      await expect(vault.connect(outsider).closeCampaign(campaignId))
        .to.be.revertedWithCustomError(vault, "CampaignNotEnded")
        .withArgs(campaignId, end);
      await networkHelpers.mine(); // the block at `end`; the next transaction comes after it
      await expect(vault.connect(outsider).closeCampaign(campaignId)).to.emit(vault, "CampaignClosed");
    });

    it("closing within the opening epoch returns the unclaimed part to the budget; closing twice reverts CampaignAlreadyClosed", async function () {
      const c = await loadFixture(withCampaign);
      const { vault, outsider, fan, built, campaignId, end } = c;
      await mined(vault.claimCampaign(campaignId, ...claimOf(built, fan.address)));
      await time.increaseTo(end);
      expect(await vault.currentEpoch()).to.equal(0n);
      await expect(vault.connect(outsider).closeCampaign(campaignId))
        .to.emit(vault, "CampaignClosed")
        .withArgs(campaignId, T(500), T(500));
      expect(await vault.epochSpent()).to.equal(T(100));
      expect(await vault.remainingBudget()).to.equal(BUDGET - T(100));
      expect((await vault.campaign(campaignId)).closed).to.equal(true);
      await expect(vault.closeCampaign(campaignId))
        .to.be.revertedWithCustomError(vault, "CampaignAlreadyClosed")
        .withArgs(campaignId);
    });

    it("closing after the opening epoch returns nothing: that epoch's reservation lapses", async function () {
      const c = await loadFixture(withCampaign);
      const { vault, fan, aurora, built, campaignId } = c;
      const v = await newVoucher({
        recipient: fan.address,
        amount: T(2_000),
        deadline: aurora.origin + BigInt(2 * WEEK),
      });
      const signature = await sign(c, v);
      await time.increaseTo(aurora.origin + BigInt(WEEK));
      await mined(vault.redeem(v, signature));
      await expect(vault.closeCampaign(campaignId)).to.emit(vault, "CampaignClosed").withArgs(campaignId, T(600), 0n);
      expect(await vault.currentEpoch()).to.equal(1n);
      expect(await vault.epochSpent()).to.equal(T(2_000));
      await expect(vault.claimCampaign(campaignId, ...claimOf(built, fan.address))).to.be.revertedWithCustomError(
        vault,
        "CampaignEnded"
      );
    });

    it("claims made in a later epoch are not charged to that epoch", async function () {
      const c = await loadFixture(withVault);
      const { vault, creator, fan, aurora } = c;
      const built = buildCampaign([{ account: fan.address, amount: T(700) }]);
      await mined(vault.connect(creator).openCampaign(built.root, built.total, aurora.origin + BigInt(WEEK + 3 * DAY)));
      await time.increaseTo(aurora.origin + BigInt(WEEK) + 1n);
      expect(await vault.epochSpent()).to.equal(0n);
      await mined(vault.claimCampaign(0n, ...claimOf(built, fan.address)));
      expect(await vault.currentEpoch()).to.equal(1n);
      expect(await vault.epochSpent()).to.equal(0n);
      expect(await vault.remainingBudget()).to.equal(BUDGET);
    });

    it("a malformed tree whose leaves sum above the total cannot overdraw the reservation (CampaignTotalExceeded)", async function () {
      const c = await loadFixture(withVault);
      const { vault, token, creator, fan, fan2 } = c;
      const built = buildCampaign([
        { account: fan.address, amount: T(150) },
        { account: fan2.address, amount: T(150) },
      ]);
      const end = BigInt(await time.latest()) + BigInt(DAY);
      await mined(vault.connect(creator).openCampaign(built.root, T(200), end));
      await mined(vault.claimCampaign(0n, ...claimOf(built, fan.address)));
      await expect(vault.claimCampaign(0n, ...claimOf(built, fan2.address)))
        .to.be.revertedWithCustomError(vault, "CampaignTotalExceeded")
        .withArgs(0n);
      expect(await token.balanceOf(fan2.address)).to.equal(0n);
      expect((await vault.campaign(0n)).claimed).to.equal(T(150));
      expect(await vault.epochSpent()).to.equal(T(200));
    });
  });

  describe("properties", function () {
    it("over 60 seeded random operations across epochs: mints match recipients' gains, no epoch is charged above its budget, no id pays twice, supply stays under the cap", async function () {
      this.timeout(120_000);
      const s = await loadFixture(withPropertyCommunity);
      await runProperty(s, 0xc07e21e, 60);
    });
  });
});

// ---------------------------------------------------------------------------------- property test

const P_BUDGET = T(1_000);
const P_BPS = 500n;
const P_ALLOCATION = T(1_000);
const P_CAP = T(2_800);

/**
 * The property test's community: 1,000 tokens per weekly epoch, 5% referrals, and a cap 1,800 tokens
 * above the creator allocation, so the cap binds within the run.
 */
async function withPropertyCommunity() {
  const platform = await deployPlatform();
  const community = await launch(platform, platform.creator, {
    name: "Property",
    symbol: "PRP",
    cap: P_CAP,
    creatorAllocation: P_ALLOCATION,
    salt: id("property"),
    rewardVaultConfig: encodeVaultConfig(
      auroraConfig(platform, { epochBudget: P_BUDGET, referralBps: Number(P_BPS), epochLength: WEEK })
    ),
  });
  return { ...platform, community, pool: platform.signers.slice(11, 19) };
}

type PropertySetup = Awaited<ReturnType<typeof withPropertyCommunity>>;

interface ExpectedError {
  name: string;
  args: unknown[];
}

/** What the vault and token should hold; copied before each operation and kept only if it succeeds. */
interface ModelState {
  supply: bigint;
  minted: bigint;
  balances: Map<string, bigint>;
  redeemed: Set<bigint>;
  referrerOf: Map<string, string>;
  unclaimed: Map<string, bigint>;
  /** Budget charged per epoch index. */
  charged: Map<bigint, bigint>;
}

interface ModelCampaign {
  built: BuiltCampaign;
  rows: Array<{ account: string; amount: bigint }>;
  end: bigint;
  epoch: bigint;
  claimed: bigint;
  claimedIndexes: Set<number>;
  closed: boolean;
}

function add(map: Map<string, bigint>, key: string, amount: bigint): void {
  map.set(key, (map.get(key) ?? 0n) + amount);
}

/** Mints in the model; the token's cap error (as the vault reports it) when it would exceed the cap. */
function modelMint(state: ModelState, to: string, amount: bigint): ExpectedError | null {
  if (state.supply + amount > P_CAP) return { name: "RewardVaultCapReached", args: [state.supply + amount, P_CAP] };
  state.supply += amount;
  state.minted += amount;
  add(state.balances, to, amount);
  return null;
}

/** Charges `amount` to `epoch`; RewardVaultOverBudget when it does not fit. */
function modelSpend(state: ModelState, epoch: bigint, amount: bigint): ExpectedError | null {
  const spent = state.charged.get(epoch) ?? 0n;
  const available = P_BUDGET > spent ? P_BUDGET - spent : 0n;
  if (amount > available) return { name: "RewardVaultOverBudget", args: [amount, available] };
  state.charged.set(epoch, spent + amount);
  return null;
}

/** The outcome of `redeemBatch(vs)` (or `redeem` of one) at time `now` in epoch `epoch`. */
function modelRedeem(state: ModelState, vs: Voucher[], now: bigint, epoch: bigint): ExpectedError | null {
  for (const v of vs) {
    if (now > v.deadline) return { name: "RewardVaultVoucherExpired", args: [v.id, v.deadline] };
    if (state.redeemed.has(v.id)) return { name: "RewardVaultVoucherAlreadyRedeemed", args: [v.id] };
    state.redeemed.add(v.id);
    let charge = v.amount;
    let referrer = state.referrerOf.get(v.recipient);
    if (referrer === undefined && v.referrer !== ZeroAddress && v.referrer !== v.recipient) {
      referrer = v.referrer;
      state.referrerOf.set(v.recipient, referrer);
    }
    if (referrer !== undefined) {
      const bonus = (v.amount * P_BPS) / MAX_BPS;
      charge += bonus;
      add(state.unclaimed, referrer, bonus);
    }
    const over = modelSpend(state, epoch, charge);
    if (over !== null) return over;
  }
  for (const v of vs) {
    const capped = modelMint(state, v.recipient, v.amount);
    if (capped !== null) return capped;
  }
  return null;
}

function copyState(state: ModelState): ModelState {
  return structuredClone(state);
}

async function runProperty(setup: PropertySetup, seed: number, operations: number): Promise<void> {
  const { community, pool, creator, attester, chainId } = setup;
  const { vault, token } = community;
  const rng = new Prng(seed);
  const L = BigInt(WEEK);
  const origin = community.origin;
  const epochAt = (t: bigint): bigint => (t - origin) / L;
  const accounts = pool.map((a) => a.address);
  const signerOf = new Map(pool.map((a) => [a.address, a] as const));
  const startBlock = await ethers.provider.getBlockNumber();
  const initialBalances = new Map<string, bigint>();
  for (const a of accounts) initialBalances.set(a, await token.balanceOf(a));

  let state: ModelState = {
    supply: await token.totalSupply(),
    minted: 0n,
    balances: new Map(initialBalances),
    redeemed: new Set(),
    referrerOf: new Map(),
    unclaimed: new Map(),
    charged: new Map(),
  };
  const campaigns: ModelCampaign[] = [];
  const outcomes = new Map<string, number>();
  const epochsVisited = new Set<bigint>();
  let idSeed = 1n << 64n; // ids of their own, far from the other tests' counter

  const amount = (maxTokens: number): bigint => T(rng.int(1, maxTokens)) + BigInt(rng.int(0, 9_999));
  const freshVoucher = (now: bigint): Voucher => {
    const recipient = rng.pick(accounts);
    const r = rng.next();
    const referrer = r < 0.45 ? ZeroAddress : r < 0.55 ? recipient : rng.pick(accounts);
    const reuse = state.redeemed.size > 0 && rng.chance(0.1);
    const id = reuse ? rng.pick([...state.redeemed]) : idSeed++;
    const deadline = rng.chance(0.06) ? now - BigInt(rng.int(1, 3_600)) : now + BigInt(DAY);
    return { recipient, amount: amount(250), referrer, id, deadline };
  };

  /** Sends `send()` and checks its outcome against the model's prediction. */
  const check = async (
    kind: string,
    expected: ExpectedError | null,
    send: () => Promise<ContractTransactionResponse>
  ): Promise<boolean> => {
    outcomes.set(`${kind}:${expected?.name ?? "ok"}`, (outcomes.get(`${kind}:${expected?.name ?? "ok"}`) ?? 0) + 1);
    if (expected === null) {
      await mined(send());
      return true;
    }
    await expect(send(), `${kind} should revert ${expected.name}`)
      .to.be.revertedWithCustomError(vault, expected.name)
      .withArgs(...expected.args);
    return false;
  };

  for (let step = 0; step < operations; step++) {
    const now = BigInt(await time.latest()) + 1n; // the next transaction's timestamp
    const epoch = epochAt(now);
    epochsVisited.add(epoch);
    const kind = rng.weighted({ redeem: 30, batch: 14, open: 9, claim: 16, close: 6, referral: 9, jump: 16 });

    if (kind === "redeem" || kind === "batch") {
      const vs = [freshVoucher(now)];
      if (kind === "batch") {
        const n = rng.int(2, 4);
        while (vs.length < n) vs.push(freshVoucher(now));
        if (rng.chance(0.15)) vs[vs.length - 1] = { ...vs[vs.length - 1], id: vs[0].id }; // an id twice in one batch
      }
      const sigs = await Promise.all(vs.map((v) => signVoucher(attester, chainId, community.rewardVault, v)));
      const draft = copyState(state);
      const expected = modelRedeem(draft, vs, now, epoch);
      const ok = await check(kind, expected, () =>
        kind === "redeem" ? vault.redeem(vs[0], sigs[0]) : vault.redeemBatch(vs, sigs)
      );
      if (ok) state = draft;
    } else if (kind === "open") {
      const size = rng.int(1, 4);
      const members = [...accounts].sort(() => rng.next() - 0.5).slice(0, size);
      const rows = members.map((account) => ({ account, amount: amount(150) }));
      const built = buildCampaign(rows);
      // Campaigns end half-way through the current epoch (or the next, once past it): never close
      // to the times operations run at, which keep a tenth of an epoch clear of boundaries and ends.
      const mid = origin + epoch * L + L / 2n;
      const end = now < mid ? mid : mid + L;
      const draft = copyState(state);
      const expected = modelSpend(draft, epoch, built.total);
      const ok = await check(kind, expected, () => vault.connect(creator).openCampaign(built.root, built.total, end));
      if (ok) {
        state = draft;
        campaigns.push({ built, rows, end, epoch, claimed: 0n, claimedIndexes: new Set(), closed: false });
      }
    } else if (kind === "claim" && campaigns.length > 0) {
      const cid = rng.int(0, campaigns.length - 1);
      const c = campaigns[cid];
      const index = rng.int(0, c.rows.length - 1);
      const row = c.rows[index];
      const proof = c.built.claims[getAddress(row.account)].proof;
      const draft = copyState(state);
      let expected: ExpectedError | null = null;
      if (now > c.end) expected = { name: "CampaignEnded", args: [BigInt(cid), c.end] };
      else if (c.claimedIndexes.has(index))
        expected = { name: "CampaignAlreadyClaimed", args: [BigInt(cid), BigInt(index)] };
      else expected = modelMint(draft, row.account, row.amount);
      const ok = await check(kind, expected, () =>
        vault.connect(rng.pick(pool)).claimCampaign(BigInt(cid), BigInt(index), row.account, row.amount, proof)
      );
      if (ok) {
        state = draft;
        c.claimed += row.amount;
        c.claimedIndexes.add(index);
      }
    } else if (kind === "close" && campaigns.length > 0) {
      const cid = rng.int(0, campaigns.length - 1);
      const c = campaigns[cid];
      if (now <= c.end) {
        await check(kind, { name: "CampaignNotEnded", args: [BigInt(cid), c.end] }, () =>
          vault.closeCampaign(BigInt(cid))
        );
      } else if (c.closed) {
        await check(kind, { name: "CampaignAlreadyClosed", args: [BigInt(cid)] }, () =>
          vault.closeCampaign(BigInt(cid))
        );
      } else {
        const total = c.rows.reduce((sum, r) => sum + r.amount, 0n);
        const unclaimed = total - c.claimed;
        const returned = epoch === c.epoch ? unclaimed : 0n;
        outcomes.set(`close:ok`, (outcomes.get(`close:ok`) ?? 0) + 1);
        await expect(vault.closeCampaign(BigInt(cid)))
          .to.emit(vault, "CampaignClosed")
          .withArgs(BigInt(cid), unclaimed, returned);
        c.closed = true;
        if (returned !== 0n) state.charged.set(c.epoch, (state.charged.get(c.epoch) ?? 0n) - returned);
      }
    } else if (kind === "referral") {
      const who = rng.pick(accounts);
      const owed = state.unclaimed.get(who) ?? 0n;
      const draft = copyState(state);
      let expected: ExpectedError | null;
      if (owed === 0n) expected = { name: "RewardVaultNothingToClaim", args: [who] };
      else {
        draft.unclaimed.set(who, 0n);
        expected = modelMint(draft, who, owed);
      }
      const signer = signerOf.get(who);
      if (signer === undefined) throw new Error("unknown pool account");
      const ok = await check(kind, expected, () => vault.connect(signer).claimReferralRewards(who));
      if (ok) state = draft;
    } else {
      // Time jump: to 10-40% or 60-90% into this epoch or one of the next two, at least a minute ahead.
      let target = 0n;
      for (let tries = 0; target <= now + 60n; tries++) {
        const e = epoch + BigInt(tries < 3 ? rng.int(0, 2) : 1 + tries);
        const fraction = rng.chance(0.5) ? rng.int(10, 40) : rng.int(60, 90);
        target = origin + e * L + (L * BigInt(fraction)) / 100n;
      }
      outcomes.set("jump", (outcomes.get("jump") ?? 0) + 1);
      await time.increaseTo(target);
    }

    // Invariants after every step.
    const latest = BigInt(await time.latest());
    expect(await vault.currentEpoch(), `step ${step}`).to.equal(epochAt(latest));
    const spent = await vault.epochSpent();
    expect(spent, `step ${step}: epochSpent`).to.equal(state.charged.get(epochAt(latest)) ?? 0n);
    expect(spent, `step ${step}: epochSpent <= budget`).to.be.lte(await vault.epochBudget());
    const supply = await token.totalSupply();
    expect(supply, `step ${step}: supply`).to.equal(state.supply);
    expect(supply, `step ${step}: supply <= cap`).to.be.lte(P_CAP);
  }

  // Every epoch's charge stayed within its budget.
  for (const [e, charged] of state.charged) expect(charged, `epoch ${e}`).to.be.lte(P_BUDGET);
  // What the vault minted is exactly what recipients gained, and what the model expected.
  let gains = 0n;
  for (const a of accounts) {
    const balance = await token.balanceOf(a);
    expect(balance, a).to.equal(state.balances.get(a) ?? 0n);
    gains += balance - (initialBalances.get(a) ?? 0n);
  }
  const mints = await token.queryFilter(token.filters.Transfer(ZeroAddress), startBlock + 1);
  const mintedOnChain = mints.reduce((sum, e) => sum + e.args.value, 0n);
  expect(mintedOnChain).to.equal(state.minted);
  expect(gains).to.equal(state.minted);
  expect((await token.totalSupply()) - P_ALLOCATION).to.equal(state.minted);
  // No voucher id paid twice.
  const redemptions = await vault.queryFilter(vault.filters.VoucherRedeemed(), startBlock + 1);
  const ids = redemptions.map((e) => e.args.id);
  expect(new Set(ids).size).to.equal(ids.length);
  expect(new Set(ids)).to.deep.equal(state.redeemed);
  for (const i of ids) expect(await vault.isRedeemed(i)).to.equal(true);
  // The run exercised what it claims to: several epochs, the budget and the cap binding, campaigns.
  const seen = (key: string) => outcomes.get(key) ?? 0;
  expect(epochsVisited.size, "epochs visited").to.be.gte(4);
  for (const key of [
    "redeem:ok",
    "batch:ok",
    "open:ok",
    "claim:ok",
    "referral:ok",
    "redeem:RewardVaultOverBudget",
    "redeem:RewardVaultVoucherAlreadyRedeemed",
  ]) {
    expect(seen(key), `${key} in ${JSON.stringify([...outcomes])}`).to.be.gte(1);
  }
  const capHits = [...outcomes].filter(([key]) => key.endsWith(":RewardVaultCapReached"));
  expect(capHits.length, `the cap never bound: ${JSON.stringify([...outcomes])}`).to.be.gte(1);
}
