/**
 * Attack: malleable signatures. For every ECDSA signature (r, s, v) the "twin" (r, n - s, v ^ 1)
 * recovers the same signer through the bare `ecrecover` precompile. An attacker who sees a signed
 * voucher, permit, delegation or ballot (in a claim link or the mempool) can compute the twin and
 * try to use it as a second, distinct authorisation, or submit it first to make the original fail.
 *
 * Defence: every signature check goes through OpenZeppelin's ECDSA, which refuses s in the upper
 * half of the curve order (RewardVault: `ECDSA.tryRecoverCalldata`; SocialToken permit and
 * delegateBySig; CommunityGovernor castVoteBySig through `SignatureChecker`), and every signed
 * authorisation is keyed by what it authorises (voucher id, nonce), never by the signature bytes.
 * Related: `test/RewardVault.test.ts` "rejects the malleable high-s twin of a valid signature, which
 * ecrecover maps to the attester" and the fuzz test `testFuzz_redeem_revertsForJunkOrMalleatedSignature`
 * in `contracts/rewards/RewardVault.t.sol`.
 */
import { expect } from "chai";
import { network } from "hardhat";
import { getAddress, id, parseEther, Signature, toBeHex, TypedDataEncoder, ZeroAddress } from "ethers";
import { DAY } from "../../scripts/lib/community.ts";
import { buildProposal, GovernorHelper, signBallot, VoteType } from "../../scripts/lib/governance.ts";
import { encodeVaultConfig, signVoucher, type Voucher } from "../../scripts/lib/rewards.ts";
import { createCommunity, deployPlatform, mined, type Connection } from "../helpers/attacks.ts";
import { ecrecoverInput, malleableTwin, SECP256K1_N, splitSignature } from "../helpers/rewards.ts";

const conn = (await network.create()) as Connection;
const { ethers, networkHelpers } = conn;
const { loadFixture, time } = networkHelpers;

const T = (n: number): bigint => parseEther(String(n));
const ECRECOVER = "0x0000000000000000000000000000000000000001";

/** Aurora with a vault (attester: signer 2), the creator's tokens split with a holder; chain id read. */
async function withAurora() {
  const platform = await deployPlatform(conn);
  const [, creator, attester, holder, spender, attacker] = platform.signers;
  const aurora = await createCommunity(conn, platform, creator, {
    salt: id("malleability"),
    rewardVaultConfig: encodeVaultConfig({
      attester: attester.address,
      epochBudget: T(10_000),
      epochLength: 7 * DAY,
      referralBps: 0,
    }),
  });
  await mined(aurora.token.connect(creator).transfer(holder.address, T(100_000)));
  const chainId = (await ethers.provider.getNetwork()).chainId;
  return { platform, creator, attester, holder, spender, attacker, aurora, chainId };
}

/** The token's permit / delegation domain, as it reports it. */
async function tokenDomain(c: Awaited<ReturnType<typeof withAurora>>) {
  const [, name, version, chainId, verifyingContract] = await c.aurora.token.eip712Domain();
  return { name, version, chainId, verifyingContract };
}

/** Checks that `twin` is the malleable twin of `signature` and that bare ecrecover maps it to `signer`. */
async function expectTwinRecoversTo(digest: string, signature: string, twin: string, signer: string) {
  expect(splitSignature(twin).s).to.equal(SECP256K1_N - splitSignature(signature).s);
  const recovered = await ethers.provider.call({ to: ECRECOVER, data: ecrecoverInput(digest, twin) });
  expect(getAddress("0x" + recovered.slice(26))).to.equal(getAddress(signer));
}

describe("Attack: malleable signatures", function () {
  it("a voucher's malleable twin, submitted first by a front-runner, is refused; the original still redeems once", async function () {
    const c = await loadFixture(withAurora);
    const { vault, token } = c.aurora;
    const v: Voucher = {
      recipient: c.holder.address,
      amount: T(100),
      referrer: ZeroAddress,
      id: 1n,
      deadline: BigInt(await time.latest()) + BigInt(DAY),
    };
    const signature = await signVoucher(c.attester, c.chainId, c.aurora.rewardVault, v);
    const twin = malleableTwin(signature);
    await expectTwinRecoversTo(await vault.voucherDigest(v), signature, twin, c.attester.address);
    await expect(vault.connect(c.attacker).redeem(v, twin))
      .to.be.revertedWithCustomError(vault, "RewardVaultBadSignature")
      .withArgs(v.id);
    await mined(vault.connect(c.holder).redeem(v, signature));
    // After redemption the twin meets the spent id first.
    await expect(vault.connect(c.attacker).redeem(v, twin))
      .to.be.revertedWithCustomError(vault, "RewardVaultVoucherAlreadyRedeemed")
      .withArgs(v.id);
    expect(await token.balanceOf(c.holder.address)).to.equal(T(100_000) + v.amount, "paid once");
  });

  it("a permit's malleable twin is refused (ECDSAInvalidSignatureS); the original sets the allowance once", async function () {
    const c = await loadFixture(withAurora);
    const { token } = c.aurora;
    const deadline = BigInt(await time.latest()) + BigInt(DAY);
    const message = {
      owner: c.holder.address,
      spender: c.spender.address,
      value: T(50),
      nonce: await token.nonces(c.holder.address),
      deadline,
    };
    const types = {
      Permit: [
        { name: "owner", type: "address" },
        { name: "spender", type: "address" },
        { name: "value", type: "uint256" },
        { name: "nonce", type: "uint256" },
        { name: "deadline", type: "uint256" },
      ],
    };
    const domain = await tokenDomain(c);
    const signature = await c.holder.signTypedData(domain, types, message);
    const twinBytes = malleableTwin(signature);
    const twin = splitSignature(twinBytes);
    await expectTwinRecoversTo(TypedDataEncoder.hash(domain, types, message), signature, twinBytes, c.holder.address);
    await expect(
      token.connect(c.attacker).permit(c.holder.address, c.spender.address, T(50), deadline, twin.v, twin.r, toBeHex(twin.s, 32))
    )
      .to.be.revertedWithCustomError(token, "ECDSAInvalidSignatureS")
      .withArgs(toBeHex(twin.s, 32));
    const sig = Signature.from(signature);
    await mined(token.connect(c.attacker).permit(c.holder.address, c.spender.address, T(50), deadline, sig.v, sig.r, sig.s));
    expect(await token.allowance(c.holder.address, c.spender.address)).to.equal(T(50));
    expect(await token.nonces(c.holder.address)).to.equal(1n);
  });

  it("a delegation signature's malleable twin is refused; the original moves the votes once", async function () {
    const c = await loadFixture(withAurora);
    const { token } = c.aurora;
    const expiry = BigInt(await time.latest()) + BigInt(DAY);
    const message = { delegatee: c.spender.address, nonce: await token.nonces(c.holder.address), expiry };
    const types = {
      Delegation: [
        { name: "delegatee", type: "address" },
        { name: "nonce", type: "uint256" },
        { name: "expiry", type: "uint256" },
      ],
    };
    const domain = await tokenDomain(c);
    const signature = await c.holder.signTypedData(domain, types, message);
    const twinBytes = malleableTwin(signature);
    const twin = splitSignature(twinBytes);
    await expectTwinRecoversTo(TypedDataEncoder.hash(domain, types, message), signature, twinBytes, c.holder.address);
    await expect(
      token
        .connect(c.attacker)
        .delegateBySig(c.spender.address, message.nonce, expiry, twin.v, twin.r, toBeHex(twin.s, 32))
    )
      .to.be.revertedWithCustomError(token, "ECDSAInvalidSignatureS")
      .withArgs(toBeHex(twin.s, 32));
    const sig = Signature.from(signature);
    await mined(token.connect(c.attacker).delegateBySig(c.spender.address, message.nonce, expiry, sig.v, sig.r, sig.s));
    expect(await token.getVotes(c.spender.address)).to.equal(T(100_000));
    expect(await token.delegates(c.holder.address)).to.equal(c.spender.address);
  });

  it("a ballot's malleable twin is refused (GovernorInvalidSignature); the original counts once", async function () {
    const c = await loadFixture(withAurora);
    const { governor } = c.aurora;
    const proposal = new GovernorHelper(
      governor,
      time,
      buildProposal([{ target: c.aurora.timelock, data: "0x" }], "a proposal to vote on")
    );
    await proposal.propose(c.creator);
    await proposal.waitForSnapshot();
    const signature = await signBallot(governor, c.holder, { proposalId: proposal.id, support: VoteType.For });
    const twin = malleableTwin(signature);
    await expect(governor.connect(c.attacker).castVoteBySig(proposal.id, VoteType.For, c.holder.address, twin))
      .to.be.revertedWithCustomError(governor, "GovernorInvalidSignature")
      .withArgs(c.holder.address);
    await mined(governor.connect(c.attacker).castVoteBySig(proposal.id, VoteType.For, c.holder.address, signature));
    const [, forVotes] = await governor.proposalVotes(proposal.id);
    expect(forVotes).to.equal(T(100_000));
    await expect(governor.connect(c.attacker).castVoteBySig(proposal.id, VoteType.For, c.holder.address, twin))
      .to.be.revertedWithCustomError(governor, "GovernorInvalidSignature")
      .withArgs(c.holder.address);
  });
});
