/**
 * Attack: voucher replay. Someone who saw a reward voucher (a claim link, a mempool transaction, a
 * redeemed voucher on chain) submits it again: on another chain where the same vault exists at the
 * same address, to another community's vault sharing the attester, or to the same vault after it
 * was redeemed.
 *
 * Defence: RewardVault's EIP-712 domain binds the chain id and the vault's address (OpenZeppelin
 * EIP712, reported by `eip712Domain()`), and each voucher id is redeemed once (a bitmap checked
 * before the signature). Signatures here are made from the domain the vault itself reports, as an
 * attester's tooling would, so a vault that left the chain id or its address out of its domain
 * would be caught: the replay would then succeed. Related: `test/RewardVault.test.ts` "vouchers"
 * (a voucher signed for another chain id or vault is refused) and the invariant "no voucher id pays
 * twice" in `contracts/rewards/RewardVault.t.sol`.
 */
import { expect } from "chai";
import { network } from "hardhat";
import { id, parseEther, ZeroAddress } from "ethers";
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/types";
import { encodeVaultConfig, VOUCHER_TYPES, type Voucher } from "../../scripts/lib/rewards.ts";
import { DAY } from "../../scripts/lib/community.ts";
import { createCommunity, deployPlatform, mined, type Connection } from "../helpers/attacks.ts";
import type { RewardVault } from "../../typechain-types/index.ts";

const chainA = (await network.create()) as Connection;
/** A second, independent chain with another chain id, where the same deployer deploys the same platform. */
const chainB = (await network.create({ override: { chainId: 10 } })) as Connection;
const { loadFixture, time } = chainA.networkHelpers;

const T = (n: number): bigint => parseEther(String(n));
const WEEK = 7 * DAY;

/** Signs `v` with the EIP-712 domain `vault` reports (ERC-5267), as an attester's tooling would. */
async function signWithReportedDomain(signer: HardhatEthersSigner, vault: RewardVault, v: Voucher): Promise<string> {
  const [fields, name, version, chainId, verifyingContract] = await vault.eip712Domain();
  const f = Number(BigInt(fields));
  const domain: { name?: string; version?: string; chainId?: bigint; verifyingContract?: string } = {};
  if (f & 1) domain.name = name;
  if (f & 2) domain.version = version;
  if (f & 4) domain.chainId = chainId;
  if (f & 8) domain.verifyingContract = verifyingContract;
  const types = { Voucher: VOUCHER_TYPES.Voucher.map((x) => ({ ...x })) };
  return signer.signTypedData(domain, types, { ...v });
}

/** The platform and "Aurora Fans" with a vault (attester: signer 2) on `conn`; `salt` names the community. */
async function auroraOn(conn: Connection, salt = "aurora") {
  const platform = await deployPlatform(conn);
  const [, creator, attester, fan, relayer, referrer] = platform.signers;
  const config = encodeVaultConfig({ attester: attester.address, epochBudget: T(10_000), epochLength: WEEK, referralBps: 1_000 });
  const aurora = await createCommunity(conn, platform, creator, { salt: id(salt), rewardVaultConfig: config });
  return { platform, creator, attester, fan, relayer, referrer, aurora, vault: aurora.vault, token: aurora.token };
}

async function voucher(conn: Connection, recipient: string, voucherId: bigint, referrer = ZeroAddress): Promise<Voucher> {
  const now = BigInt(await conn.networkHelpers.time.latest());
  return { recipient, amount: T(100), referrer, id: voucherId, deadline: now + BigInt(30 * DAY) };
}

async function twoChains() {
  const a = await auroraOn(chainA);
  const b = await auroraOn(chainB);
  return { a, b };
}

async function oneChain() {
  return auroraOn(chainA);
}

describe("Attack: voucher replay", function () {
  describe("across chains", function () {
    it("a voucher redeemed on one chain is refused by the same vault, at the same address, on another chain", async function () {
      const { a, b } = await twoChains();
      expect((await chainA.ethers.provider.getNetwork()).chainId).to.not.equal(
        (await chainB.ethers.provider.getNetwork()).chainId
      );
      expect(a.aurora.rewardVault).to.equal(b.aurora.rewardVault, "same deployer, same nonces: same vault address");
      const v = await voucher(chainA, a.fan.address, 1n, a.referrer.address);
      const signature = await signWithReportedDomain(a.attester, a.vault, v);
      await mined(a.vault.connect(a.relayer).redeem(v, signature));
      expect(await a.token.balanceOf(a.fan.address)).to.equal(v.amount);
      // The same bytes replayed on chain B.
      await expect(b.vault.connect(b.relayer).redeem(v, signature))
        .to.be.revertedWithCustomError(b.vault, "RewardVaultBadSignature")
        .withArgs(v.id);
      expect(await b.token.balanceOf(b.fan.address)).to.equal(0n);
      expect(await b.vault.referrerOf(b.fan.address)).to.equal(ZeroAddress);
      // Chain B's own signature of the same voucher redeems there.
      await mined(b.vault.connect(b.relayer).redeem(v, await signWithReportedDomain(b.attester, b.vault, v)));
      expect(await b.token.balanceOf(b.fan.address)).to.equal(v.amount);
    });
  });

  describe("across vaults", function () {
    it("a voucher for one community's vault is refused by another community's vault with the same attester", async function () {
      const c = await loadFixture(oneChain);
      const borealis = await createCommunity(chainA, c.platform, c.creator, {
        salt: id("borealis"),
        rewardVaultConfig: encodeVaultConfig({
          attester: c.attester.address,
          epochBudget: T(10_000),
          epochLength: WEEK,
          referralBps: 1_000,
        }),
      });
      expect(await borealis.vault.attester()).to.equal(await c.vault.attester());
      const v = await voucher(chainA, c.fan.address, 7n);
      const forAurora = await signWithReportedDomain(c.attester, c.vault, v);
      await expect(borealis.vault.redeem(v, forAurora))
        .to.be.revertedWithCustomError(borealis.vault, "RewardVaultBadSignature")
        .withArgs(v.id);
      await mined(c.vault.redeem(v, forAurora));
      await expect(borealis.vault.redeem(v, forAurora))
        .to.be.revertedWithCustomError(borealis.vault, "RewardVaultBadSignature")
        .withArgs(v.id);
      expect(await borealis.token.balanceOf(c.fan.address)).to.equal(0n);
    });
  });

  describe("after redemption", function () {
    it("a redeemed voucher is refused when replayed by anyone, alone or in a batch, in a later epoch, after an attester rotation and back", async function () {
      const c = await loadFixture(oneChain);
      const { vault, token, fan, relayer, attester, referrer, creator } = c;
      const v = await voucher(chainA, fan.address, 42n, referrer.address);
      const signature = await signWithReportedDomain(attester, vault, v);
      await mined(vault.connect(fan).redeem(v, signature));
      const credited = (await vault.referralStats(referrer.address)).earned;

      const refused = async () =>
        expect(vault.connect(relayer).redeem(v, signature))
          .to.be.revertedWithCustomError(vault, "RewardVaultVoucherAlreadyRedeemed")
          .withArgs(v.id);
      await refused();
      // Inside a batch beside a fresh voucher: the whole batch is refused.
      const fresh = await voucher(chainA, relayer.address, 43n);
      await expect(vault.connect(relayer).redeemBatch([fresh, v], [await signWithReportedDomain(attester, vault, fresh), signature]))
        .to.be.revertedWithCustomError(vault, "RewardVaultVoucherAlreadyRedeemed")
        .withArgs(v.id);
      // The budget resets every epoch; redeemed ids do not.
      await time.increase(2 * WEEK);
      await refused();
      // The operator rotates the attester away and back: the old signature is valid again, the id still spent.
      await mined(vault.connect(creator).setAttester(relayer.address));
      await mined(vault.connect(creator).setAttester(attester.address));
      await refused();

      expect(await token.balanceOf(fan.address)).to.equal(v.amount, "paid once");
      expect((await vault.referralStats(referrer.address)).earned).to.equal(credited, "referrer credited once");
      expect(await token.balanceOf(relayer.address)).to.equal(0n, "the batch's fresh voucher did not go through either");
    });
  });
});
