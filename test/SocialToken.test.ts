import { expect } from "chai";
import { network } from "hardhat";
import { id, parseEther, Signature, ZeroAddress, type Signer } from "ethers";
import PlatformModule from "../deploy/modules/Platform.ts";
import { communityParams, findCommunityCreated } from "../scripts/lib/community.ts";
import { DELEGATION_TYPES as SHARED_DELEGATION_TYPES } from "../shared/server-protocol.ts";

const { ethers, networkHelpers, ignition } = await network.create();

const PERMIT_TYPES = {
  Permit: [
    { name: "owner", type: "address" },
    { name: "spender", type: "address" },
    { name: "value", type: "uint256" },
    { name: "nonce", type: "uint256" },
    { name: "deadline", type: "uint256" },
  ],
};

const DELEGATION_TYPES = { Delegation: SHARED_DELEGATION_TYPES.Delegation.map((f) => ({ ...f })) };

// ERC-165 interface ids.
const IERC165_ID = "0x01ffc9a7";
const IACCESS_CONTROL_ID = "0x7965db0b";

const PARAMS = communityParams({ name: "Aurora Fans", symbol: "AUR", salt: id("token-tests") });
const CAP = PARAMS.cap; // 10M
const ALLOCATION = PARAMS.creatorAllocation; // 1M
const DEFAULT_ADMIN_ROLE = ethers.ZeroHash;
const MINTER_ROLE = id("MINTER_ROLE");

/**
 * The platform (Ignition module) plus one creator community. The community has no reward vault, so
 * nobody holds MINTER_ROLE; `minter` is granted it by the community Timelock (its admin),
 * impersonated here because role administration is not what these tests are about.
 */
async function deployCommunity() {
  const [deployer, creator, minter, fanA, fanB, fanC, relayer, stranger] = await ethers.getSigners();
  const platform = await ignition.deploy(PlatformModule);
  const factory = await ethers.getContractAt("CommunityFactory", await platform.factory.getAddress());
  const fee = await factory.creationFee();
  const createTx = await factory.connect(creator).createCommunity(PARAMS, { value: fee });
  const receipt = await createTx.wait();
  if (receipt === null) throw new Error("createCommunity was not mined");
  const created = findCommunityCreated(receipt, factory.interface);
  const token = await ethers.getContractAt("SocialToken", created.token);
  const tokenImplementation = await ethers.getContractAt(
    "SocialToken",
    await platform.tokenImplementation.getAddress()
  );

  await networkHelpers.impersonateAccount(created.timelock);
  await networkHelpers.setBalance(created.timelock, parseEther("10"));
  const timelockSigner = await ethers.getSigner(created.timelock);
  await (await token.connect(timelockSigner).grantRole(MINTER_ROLE, minter.address)).wait();
  await networkHelpers.stopImpersonatingAccount(created.timelock);

  return {
    deployer,
    creator,
    minter,
    fanA,
    fanB,
    fanC,
    relayer,
    stranger,
    factory,
    token,
    tokenImplementation,
    created,
    receipt,
  };
}

/** A fresh account with no history on the token. */
function freshAccount(): string {
  return ethers.Wallet.createRandom().address;
}

describe("SocialToken", function () {
  describe("ERC-20 metadata and creator allocation", function () {
    it("has the name and symbol chosen by the creator and 18 decimals", async function () {
      const { token } = await networkHelpers.loadFixture(deployCommunity);
      expect(await token.name()).to.equal("Aurora Fans");
      expect(await token.symbol()).to.equal("AUR");
      expect(await token.decimals()).to.equal(18n);
    });

    it("mints the creator allocation to the creator at creation, and nothing else", async function () {
      const { token, creator } = await networkHelpers.loadFixture(deployCommunity);
      expect(await token.balanceOf(creator.address)).to.equal(ALLOCATION);
      expect(await token.totalSupply()).to.equal(ALLOCATION);
    });

    it("gives the creator voting power for the allocation without a delegate transaction", async function () {
      const { token, creator, receipt } = await networkHelpers.loadFixture(deployCommunity);
      expect(await token.delegates(creator.address)).to.equal(creator.address);
      expect(await token.getVotes(creator.address)).to.equal(ALLOCATION);
      const block = await ethers.provider.getBlock(receipt.blockNumber);
      await networkHelpers.mine();
      expect(await token.getPastVotes(creator.address, block!.timestamp)).to.equal(ALLOCATION);
    });

    it("moves balances with transfer and transferFrom", async function () {
      const { token, creator, fanA, fanB } = await networkHelpers.loadFixture(deployCommunity);
      await expect(token.connect(creator).transfer(fanA.address, 100n)).to.changeTokenBalances(
        ethers,
        token,
        [creator, fanA],
        [-100n, 100n]
      );
      await token.connect(fanA).approve(fanB.address, 60n);
      await expect(token.connect(fanB).transferFrom(fanA.address, fanB.address, 60n)).to.changeTokenBalances(
        ethers,
        token,
        [fanA, fanB],
        [-60n, 60n]
      );
      expect(await token.allowance(fanA.address, fanB.address)).to.equal(0n);
    });
  });

  describe("cap", function () {
    it("exposes the cap chosen at creation", async function () {
      const { token } = await networkHelpers.loadFixture(deployCommunity);
      expect(await token.cap()).to.equal(CAP);
    });

    it("mints up to the cap exactly", async function () {
      const { token, minter, fanA } = await networkHelpers.loadFixture(deployCommunity);
      await token.connect(minter).mint(fanA.address, CAP - ALLOCATION);
      expect(await token.totalSupply()).to.equal(CAP);
      expect(await token.balanceOf(fanA.address)).to.equal(CAP - ALLOCATION);
    });

    it("reverts when minting past the cap", async function () {
      const { token, minter, fanA } = await networkHelpers.loadFixture(deployCommunity);
      await expect(token.connect(minter).mint(fanA.address, CAP - ALLOCATION + 1n))
        .to.be.revertedWithCustomError(token, "ERC20ExceededCap")
        .withArgs(CAP + 1n, CAP);
    });

    it("reverts one unit past the cap after the cap was reached", async function () {
      const { token, minter, fanA } = await networkHelpers.loadFixture(deployCommunity);
      await token.connect(minter).mint(fanA.address, CAP - ALLOCATION);
      await expect(token.connect(minter).mint(fanA.address, 1n))
        .to.be.revertedWithCustomError(token, "ERC20ExceededCap")
        .withArgs(CAP + 1n, CAP);
    });

    it("frees room under the cap when tokens are burnt", async function () {
      const { token, minter, creator, fanA } = await networkHelpers.loadFixture(deployCommunity);
      await token.connect(minter).mint(fanA.address, CAP - ALLOCATION);
      await token.connect(creator).burn(500n);
      await token.connect(minter).mint(fanA.address, 500n);
      expect(await token.totalSupply()).to.equal(CAP);
    });
  });

  describe("mint", function () {
    it("lets a MINTER_ROLE holder mint to any account", async function () {
      const { token, minter, fanA } = await networkHelpers.loadFixture(deployCommunity);
      await expect(token.connect(minter).mint(fanA.address, 1234n))
        .to.emit(token, "Transfer")
        .withArgs(ZeroAddress, fanA.address, 1234n);
      expect(await token.balanceOf(fanA.address)).to.equal(1234n);
      expect(await token.totalSupply()).to.equal(ALLOCATION + 1234n);
    });

    it("reverts for an account without MINTER_ROLE, the creator included", async function () {
      const { token, creator, stranger } = await networkHelpers.loadFixture(deployCommunity);
      for (const account of [creator, stranger]) {
        await expect(token.connect(account).mint(account.address, 1n))
          .to.be.revertedWithCustomError(token, "AccessControlUnauthorizedAccount")
          .withArgs(account.address, MINTER_ROLE);
      }
    });

    it("reverts after the Timelock revokes MINTER_ROLE", async function () {
      const { token, minter, created, fanA } = await networkHelpers.loadFixture(deployCommunity);
      await networkHelpers.impersonateAccount(created.timelock);
      await token.connect(await ethers.getSigner(created.timelock)).revokeRole(MINTER_ROLE, minter.address);
      await networkHelpers.stopImpersonatingAccount(created.timelock);
      await expect(token.connect(minter).mint(fanA.address, 1n))
        .to.be.revertedWithCustomError(token, "AccessControlUnauthorizedAccount")
        .withArgs(minter.address, MINTER_ROLE);
    });
  });

  describe("burn and burnFrom", function () {
    it("burn destroys the caller's tokens and their voting power", async function () {
      const { token, creator } = await networkHelpers.loadFixture(deployCommunity);
      await expect(token.connect(creator).burn(parseEther("1000")))
        .to.emit(token, "Transfer")
        .withArgs(creator.address, ZeroAddress, parseEther("1000"));
      expect(await token.balanceOf(creator.address)).to.equal(ALLOCATION - parseEther("1000"));
      expect(await token.totalSupply()).to.equal(ALLOCATION - parseEther("1000"));
      expect(await token.getVotes(creator.address)).to.equal(ALLOCATION - parseEther("1000"));
    });

    it("burn reverts beyond the caller's balance", async function () {
      const { token, fanA } = await networkHelpers.loadFixture(deployCommunity);
      await expect(token.connect(fanA).burn(1n))
        .to.be.revertedWithCustomError(token, "ERC20InsufficientBalance")
        .withArgs(fanA.address, 0n, 1n);
    });

    it("burnFrom spends the allowance", async function () {
      const { token, creator, fanA } = await networkHelpers.loadFixture(deployCommunity);
      await token.connect(creator).approve(fanA.address, 300n);
      await token.connect(fanA).burnFrom(creator.address, 200n);
      expect(await token.allowance(creator.address, fanA.address)).to.equal(100n);
      expect(await token.balanceOf(creator.address)).to.equal(ALLOCATION - 200n);
      expect(await token.totalSupply()).to.equal(ALLOCATION - 200n);
    });

    it("burnFrom reverts beyond the allowance", async function () {
      const { token, creator, fanA } = await networkHelpers.loadFixture(deployCommunity);
      await token.connect(creator).approve(fanA.address, 100n);
      await expect(token.connect(fanA).burnFrom(creator.address, 101n))
        .to.be.revertedWithCustomError(token, "ERC20InsufficientAllowance")
        .withArgs(fanA.address, 100n, 101n);
    });
  });

  describe("permit", function () {
    async function signPermit(
      signer: Signer,
      tokenAddress: string,
      message: { owner: string; spender: string; value: bigint; nonce: bigint; deadline: bigint }
    ): Promise<Signature> {
      const { chainId } = await ethers.provider.getNetwork();
      const domain = { name: PARAMS.name, version: "1", chainId, verifyingContract: tokenAddress };
      return Signature.from(await signer.signTypedData(domain, PERMIT_TYPES, message));
    }

    it("derives the EIP-712 domain from the token name, version 1", async function () {
      const { token } = await networkHelpers.loadFixture(deployCommunity);
      const { chainId } = await ethers.provider.getNetwork();
      const [fields, name, version, domainChainId, verifyingContract, salt, extensions] = await token.eip712Domain();
      expect(fields).to.equal("0x0f");
      expect(name).to.equal(PARAMS.name);
      expect(version).to.equal("1");
      expect(domainChainId).to.equal(chainId);
      expect(verifyingContract).to.equal(await token.getAddress());
      expect(salt).to.equal(ethers.ZeroHash);
      expect(extensions).to.deep.equal([]);
    });

    it("sets the allowance from the owner's signature, submitted by anyone, and uses the nonce", async function () {
      const { token, creator, fanA, relayer } = await networkHelpers.loadFixture(deployCommunity);
      const deadline = BigInt(await networkHelpers.time.latest()) + 3600n;
      const value = parseEther("42");
      const sig = await signPermit(creator, await token.getAddress(), {
        owner: creator.address,
        spender: fanA.address,
        value,
        nonce: 0n,
        deadline,
      });
      await expect(token.connect(relayer).permit(creator.address, fanA.address, value, deadline, sig.v, sig.r, sig.s))
        .to.emit(token, "Approval")
        .withArgs(creator.address, fanA.address, value);
      expect(await token.allowance(creator.address, fanA.address)).to.equal(value);
      expect(await token.nonces(creator.address)).to.equal(1n);
    });

    it("reverts once the deadline has passed", async function () {
      const { token, creator, fanA } = await networkHelpers.loadFixture(deployCommunity);
      const deadline = BigInt(await networkHelpers.time.latest()) + 10n;
      const sig = await signPermit(creator, await token.getAddress(), {
        owner: creator.address,
        spender: fanA.address,
        value: 1n,
        nonce: 0n,
        deadline,
      });
      await networkHelpers.time.increaseTo(deadline + 1n);
      await expect(token.permit(creator.address, fanA.address, 1n, deadline, sig.v, sig.r, sig.s))
        .to.be.revertedWithCustomError(token, "ERC2612ExpiredSignature")
        .withArgs(deadline);
    });

    it("reverts when someone other than the owner signed", async function () {
      const { token, creator, fanA, stranger } = await networkHelpers.loadFixture(deployCommunity);
      const deadline = BigInt(await networkHelpers.time.latest()) + 3600n;
      const sig = await signPermit(stranger, await token.getAddress(), {
        owner: creator.address,
        spender: fanA.address,
        value: 1n,
        nonce: 0n,
        deadline,
      });
      await expect(token.permit(creator.address, fanA.address, 1n, deadline, sig.v, sig.r, sig.s))
        .to.be.revertedWithCustomError(token, "ERC2612InvalidSigner")
        .withArgs(stranger.address, creator.address);
    });

    it("reverts when the same signature is replayed", async function () {
      const { token, creator, fanA } = await networkHelpers.loadFixture(deployCommunity);
      const deadline = BigInt(await networkHelpers.time.latest()) + 3600n;
      const sig = await signPermit(creator, await token.getAddress(), {
        owner: creator.address,
        spender: fanA.address,
        value: 1n,
        nonce: 0n,
        deadline,
      });
      await token.permit(creator.address, fanA.address, 1n, deadline, sig.v, sig.r, sig.s);
      await expect(
        token.permit(creator.address, fanA.address, 1n, deadline, sig.v, sig.r, sig.s)
      ).to.be.revertedWithCustomError(token, "ERC2612InvalidSigner");
    });
  });

  describe("clock", function () {
    it("uses block timestamps (ERC-6372 mode=timestamp)", async function () {
      const { token } = await networkHelpers.loadFixture(deployCommunity);
      expect(await token.CLOCK_MODE()).to.equal("mode=timestamp");
      await networkHelpers.time.increase(1000);
      expect(await token.clock()).to.equal(BigInt(await networkHelpers.time.latest()));
    });
  });

  describe("getPastVotes and getPastTotalSupply", function () {
    it("return the values checkpointed at earlier timestamps", async function () {
      const { token, creator, minter, fanA } = await networkHelpers.loadFixture(deployCommunity);
      const t0 = await networkHelpers.time.latest();

      await networkHelpers.time.setNextBlockTimestamp(t0 + 100);
      await token.connect(creator).transfer(fanA.address, 300n); // at t0 + 100
      await networkHelpers.time.setNextBlockTimestamp(t0 + 200);
      await token.connect(minter).mint(fanA.address, 700n); // at t0 + 200
      await networkHelpers.time.setNextBlockTimestamp(t0 + 300);
      await token.connect(fanA).burn(50n); // at t0 + 300
      await networkHelpers.mine();

      expect(await token.getPastVotes(fanA.address, t0 + 99)).to.equal(0n);
      expect(await token.getPastVotes(fanA.address, t0 + 100)).to.equal(300n);
      expect(await token.getPastVotes(fanA.address, t0 + 199)).to.equal(300n);
      expect(await token.getPastVotes(fanA.address, t0 + 200)).to.equal(1000n);
      expect(await token.getPastVotes(fanA.address, t0 + 300)).to.equal(950n);
      expect(await token.getPastVotes(creator.address, t0 + 99)).to.equal(ALLOCATION);
      expect(await token.getPastVotes(creator.address, t0 + 100)).to.equal(ALLOCATION - 300n);

      expect(await token.getPastTotalSupply(t0 + 199)).to.equal(ALLOCATION);
      expect(await token.getPastTotalSupply(t0 + 200)).to.equal(ALLOCATION + 700n);
      expect(await token.getPastTotalSupply(t0 + 300)).to.equal(ALLOCATION + 650n);
    });

    it("revert for the current or a future timestamp", async function () {
      const { token, fanA } = await networkHelpers.loadFixture(deployCommunity);
      const now = BigInt(await networkHelpers.time.latest());
      await expect(token.getPastVotes(fanA.address, now))
        .to.be.revertedWithCustomError(token, "ERC5805FutureLookup")
        .withArgs(now, now);
      await expect(token.getPastTotalSupply(now + 10n))
        .to.be.revertedWithCustomError(token, "ERC5805FutureLookup")
        .withArgs(now + 10n, now);
    });
  });

  describe("automatic self-delegation", function () {
    it("delegates a first-time receiver to itself, so its votes equal its balance without a delegate tx", async function () {
      const { token, creator, fanA } = await networkHelpers.loadFixture(deployCommunity);
      // Self-delegated by default once it holds: before, an account that never chose has no
      // delegate, exactly what its (absent) DelegateChanged events say (Issue 11 item 7).
      expect(await token.delegates(fanA.address)).to.equal(ZeroAddress);
      await expect(token.connect(creator).transfer(fanA.address, 500n))
        .to.emit(token, "DelegateChanged")
        .withArgs(fanA.address, ZeroAddress, fanA.address)
        .and.to.emit(token, "DelegateVotesChanged")
        .withArgs(fanA.address, 0n, 500n);
      expect(await token.delegates(fanA.address)).to.equal(fanA.address);
      expect(await token.getVotes(fanA.address)).to.equal(500n);
      expect(await token.getVotes(creator.address)).to.equal(ALLOCATION - 500n);
    });

    it("announces the end of the default delegation when a holder empties, and its return when it holds again (Issue 11 item 7)", async function () {
      const { token, creator, fanA } = await networkHelpers.loadFixture(deployCommunity);
      await (await token.connect(creator).transfer(fanA.address, 500n)).wait();
      await expect(token.connect(fanA).transfer(creator.address, 500n))
        .to.emit(token, "DelegateChanged")
        .withArgs(fanA.address, fanA.address, ZeroAddress)
        .and.to.emit(token, "DelegateVotesChanged")
        .withArgs(fanA.address, 500n, 0n);
      expect(await token.delegates(fanA.address)).to.equal(ZeroAddress);
      expect(await token.getVotes(creator.address)).to.equal(ALLOCATION);
      await expect(token.connect(creator).transfer(fanA.address, 1n))
        .to.emit(token, "DelegateChanged")
        .withArgs(fanA.address, ZeroAddress, fanA.address);
      expect(await token.getVotes(fanA.address)).to.equal(1n);
    });

    it("names zero as the previous delegate on a never-holder's first delegate, and emits nothing for an unchanged one (Issue 11 item 7)", async function () {
      const { token, fanA, fanB } = await networkHelpers.loadFixture(deployCommunity);
      await expect(token.connect(fanA).delegate(fanB.address))
        .to.emit(token, "DelegateChanged")
        .withArgs(fanA.address, ZeroAddress, fanB.address);
      await expect(token.connect(fanA).delegate(fanB.address)).not.to.emit(token, "DelegateChanged");
    });

    it("delegates a receiver of freshly minted tokens", async function () {
      const { token, minter } = await networkHelpers.loadFixture(deployCommunity);
      const fan = freshAccount();
      await expect(token.connect(minter).mint(fan, 77n))
        .to.emit(token, "DelegateChanged")
        .withArgs(fan, ZeroAddress, fan);
      expect(await token.getVotes(fan)).to.equal(77n);
    });

    it("delegates a receiver of transferFrom", async function () {
      const { token, creator, fanA } = await networkHelpers.loadFixture(deployCommunity);
      const fan = freshAccount();
      await token.connect(creator).approve(fanA.address, 10n);
      await token.connect(fanA).transferFrom(creator.address, fan, 10n);
      expect(await token.delegates(fan)).to.equal(fan);
      expect(await token.getVotes(fan)).to.equal(10n);
    });

    it("does not emit DelegateChanged on later receipts of a self-delegated holder", async function () {
      const { token, creator, fanA } = await networkHelpers.loadFixture(deployCommunity);
      await token.connect(creator).transfer(fanA.address, 500n);
      await expect(token.connect(creator).transfer(fanA.address, 250n)).not.to.emit(token, "DelegateChanged");
      expect(await token.getVotes(fanA.address)).to.equal(750n);
    });

    it("announces nothing and gives no votes on a zero-value transfer", async function () {
      const { token, creator } = await networkHelpers.loadFixture(deployCommunity);
      const fan = freshAccount();
      await expect(token.connect(creator).transfer(fan, 0n)).not.to.emit(token, "DelegateChanged");
      expect(await token.getVotes(fan)).to.equal(0n);
    });

    it("announces the default delegation again when an emptied holder receives again", async function () {
      const { token, creator, fanA, fanB } = await networkHelpers.loadFixture(deployCommunity);
      await token.connect(creator).transfer(fanA.address, 100n);
      await token.connect(fanA).transfer(fanB.address, 100n);
      await expect(token.connect(creator).transfer(fanA.address, 5n))
        .to.emit(token, "DelegateChanged")
        .withArgs(fanA.address, ZeroAddress, fanA.address);
      expect(await token.getVotes(fanA.address)).to.equal(5n);
    });

    it("writes no delegation storage for a new holder (the receipt costs no extra slot)", async function () {
      const { token, creator } = await networkHelpers.loadFixture(deployCommunity);
      const fan = freshAccount();
      await token.connect(creator).transfer(fan, 10n);
      // VotesUpgradeable's own delegatee mapping stays unused; ours stays zero (= self by default).
      expect(await token.autoDelegationOptedOut(fan)).to.equal(false);
      expect(await token.delegates(fan)).to.equal(fan);
    });

    it("treats delegating to the opt-out marker address like delegating to zero", async function () {
      const { token, creator, fanA } = await networkHelpers.loadFixture(deployCommunity);
      await token.connect(creator).transfer(fanA.address, 100n);
      const marker = "0xFFfFfFffFFfffFFfFFfFFFFFffFFFffffFfFFFfF";
      await expect(token.connect(fanA).delegate(marker))
        .to.emit(token, "DelegateChanged")
        .withArgs(fanA.address, fanA.address, ZeroAddress);
      expect(await token.delegates(fanA.address)).to.equal(ZeroAddress);
      expect(await token.autoDelegationOptedOut(fanA.address)).to.equal(true);
      expect(await token.getVotes(marker)).to.equal(0n);
      expect(await token.getVotes(fanA.address)).to.equal(0n);
    });

    it("keeps an explicit delegate on later receipts", async function () {
      const { token, creator, fanA, fanB } = await networkHelpers.loadFixture(deployCommunity);
      await token.connect(creator).transfer(fanA.address, 100n);
      await token.connect(fanA).delegate(fanB.address);
      expect(await token.getVotes(fanB.address)).to.equal(100n);

      await expect(token.connect(creator).transfer(fanA.address, 50n)).not.to.emit(token, "DelegateChanged");
      expect(await token.delegates(fanA.address)).to.equal(fanB.address);
      expect(await token.getVotes(fanA.address)).to.equal(0n);
      expect(await token.getVotes(fanB.address)).to.equal(150n);
    });

    it("respects a delegate chosen before the first receipt", async function () {
      const { token, creator, fanA, fanB } = await networkHelpers.loadFixture(deployCommunity);
      await token.connect(fanA).delegate(fanB.address);
      await token.connect(creator).transfer(fanA.address, 100n);
      expect(await token.delegates(fanA.address)).to.equal(fanB.address);
      expect(await token.getVotes(fanB.address)).to.equal(100n);
      expect(await token.getVotes(fanA.address)).to.equal(0n);
    });

    it("does not delegate the sender of a transfer", async function () {
      const { token, creator, fanA, fanB } = await networkHelpers.loadFixture(deployCommunity);
      await token.connect(creator).transfer(fanA.address, 100n);
      await token.connect(fanA).delegate(ZeroAddress);
      await token.connect(fanA).transfer(fanB.address, 40n);
      expect(await token.delegates(fanA.address)).to.equal(ZeroAddress);
      expect(await token.getVotes(fanB.address)).to.equal(40n);
    });
  });

  describe("delegate(address(0)): opting out of automatic self-delegation", function () {
    it("records the opt-out, emits AutoDelegationOptOutSet and removes the holder's votes", async function () {
      const { token, creator, fanA } = await networkHelpers.loadFixture(deployCommunity);
      await token.connect(creator).transfer(fanA.address, 100n);
      await expect(token.connect(fanA).delegate(ZeroAddress))
        .to.emit(token, "AutoDelegationOptOutSet")
        .withArgs(fanA.address, true)
        .and.to.emit(token, "DelegateChanged")
        .withArgs(fanA.address, fanA.address, ZeroAddress);
      expect(await token.autoDelegationOptedOut(fanA.address)).to.equal(true);
      expect(await token.delegates(fanA.address)).to.equal(ZeroAddress);
      expect(await token.getVotes(fanA.address)).to.equal(0n);
      expect(await token.balanceOf(fanA.address)).to.equal(100n);
    });

    it("is not re-delegated by later receipts", async function () {
      const { token, creator, minter, fanA } = await networkHelpers.loadFixture(deployCommunity);
      await token.connect(creator).transfer(fanA.address, 100n);
      await token.connect(fanA).delegate(ZeroAddress);

      await expect(token.connect(creator).transfer(fanA.address, 50n)).not.to.emit(token, "DelegateChanged");
      await expect(token.connect(minter).mint(fanA.address, 25n)).not.to.emit(token, "DelegateChanged");
      expect(await token.delegates(fanA.address)).to.equal(ZeroAddress);
      expect(await token.getVotes(fanA.address)).to.equal(0n);
      expect(await token.balanceOf(fanA.address)).to.equal(175n);
    });

    it("works before the first receipt too", async function () {
      const { token, creator, fanA } = await networkHelpers.loadFixture(deployCommunity);
      await expect(token.connect(fanA).delegate(ZeroAddress))
        .to.emit(token, "AutoDelegationOptOutSet")
        .withArgs(fanA.address, true);
      await expect(token.connect(creator).transfer(fanA.address, 100n)).not.to.emit(token, "DelegateChanged");
      expect(await token.getVotes(fanA.address)).to.equal(0n);
    });

    it("does not emit AutoDelegationOptOutSet again when the choice does not change", async function () {
      const { token, fanA } = await networkHelpers.loadFixture(deployCommunity);
      await token.connect(fanA).delegate(ZeroAddress);
      await expect(token.connect(fanA).delegate(ZeroAddress)).not.to.emit(token, "AutoDelegationOptOutSet");
      expect(await token.autoDelegationOptedOut(fanA.address)).to.equal(true);
    });

    it("is undone by delegating again, to oneself or to another", async function () {
      const { token, creator, fanA, fanB } = await networkHelpers.loadFixture(deployCommunity);
      await token.connect(creator).transfer(fanA.address, 100n);
      await token.connect(fanA).delegate(ZeroAddress);

      await expect(token.connect(fanA).delegate(fanA.address))
        .to.emit(token, "AutoDelegationOptOutSet")
        .withArgs(fanA.address, false);
      expect(await token.autoDelegationOptedOut(fanA.address)).to.equal(false);
      expect(await token.getVotes(fanA.address)).to.equal(100n);

      await token.connect(fanA).delegate(ZeroAddress);
      await expect(token.connect(fanA).delegate(fanB.address))
        .to.emit(token, "AutoDelegationOptOutSet")
        .withArgs(fanA.address, false);
      expect(await token.getVotes(fanB.address)).to.equal(100n);
      // Later receipts follow the chosen delegate.
      await token.connect(creator).transfer(fanA.address, 1n);
      expect(await token.getVotes(fanB.address)).to.equal(101n);
    });

    it("is false for accounts that never opted out", async function () {
      const { token, creator, fanA } = await networkHelpers.loadFixture(deployCommunity);
      expect(await token.autoDelegationOptedOut(creator.address)).to.equal(false);
      expect(await token.autoDelegationOptedOut(fanA.address)).to.equal(false);
    });
  });

  describe("delegateBySig", function () {
    async function signDelegation(
      signer: Signer,
      tokenAddress: string,
      message: { delegatee: string; nonce: bigint; expiry: bigint }
    ): Promise<Signature> {
      const { chainId } = await ethers.provider.getNetwork();
      const domain = { name: PARAMS.name, version: "1", chainId, verifyingContract: tokenAddress };
      return Signature.from(await signer.signTypedData(domain, DELEGATION_TYPES, message));
    }

    it("delegates the signer's votes, submitted by a relayer", async function () {
      const { token, creator, fanA, fanB, relayer } = await networkHelpers.loadFixture(deployCommunity);
      await token.connect(creator).transfer(fanA.address, 100n);
      const expiry = BigInt(await networkHelpers.time.latest()) + 3600n;
      const sig = await signDelegation(fanA, await token.getAddress(), { delegatee: fanB.address, nonce: 0n, expiry });
      await expect(token.connect(relayer).delegateBySig(fanB.address, 0n, expiry, sig.v, sig.r, sig.s))
        .to.emit(token, "DelegateChanged")
        .withArgs(fanA.address, fanA.address, fanB.address);
      expect(await token.delegates(fanA.address)).to.equal(fanB.address);
      expect(await token.getVotes(fanB.address)).to.equal(100n);
      expect(await token.getVotes(fanA.address)).to.equal(0n);
      expect(await token.nonces(fanA.address)).to.equal(1n);
    });

    it("opts out when the signed delegatee is the zero address", async function () {
      const { token, creator, fanA } = await networkHelpers.loadFixture(deployCommunity);
      await token.connect(creator).transfer(fanA.address, 100n);
      const expiry = BigInt(await networkHelpers.time.latest()) + 3600n;
      const sig = await signDelegation(fanA, await token.getAddress(), { delegatee: ZeroAddress, nonce: 0n, expiry });
      await expect(token.delegateBySig(ZeroAddress, 0n, expiry, sig.v, sig.r, sig.s))
        .to.emit(token, "AutoDelegationOptOutSet")
        .withArgs(fanA.address, true);
      expect(await token.getVotes(fanA.address)).to.equal(0n);
    });

    it("reverts when the signature is replayed", async function () {
      const { token, fanA, fanB } = await networkHelpers.loadFixture(deployCommunity);
      const expiry = BigInt(await networkHelpers.time.latest()) + 3600n;
      const sig = await signDelegation(fanA, await token.getAddress(), { delegatee: fanB.address, nonce: 0n, expiry });
      await token.delegateBySig(fanB.address, 0n, expiry, sig.v, sig.r, sig.s);
      await expect(token.delegateBySig(fanB.address, 0n, expiry, sig.v, sig.r, sig.s))
        .to.be.revertedWithCustomError(token, "InvalidAccountNonce")
        .withArgs(fanA.address, 1n);
    });

    it("reverts after the expiry", async function () {
      const { token, fanA, fanB } = await networkHelpers.loadFixture(deployCommunity);
      const expiry = BigInt(await networkHelpers.time.latest()) + 10n;
      const sig = await signDelegation(fanA, await token.getAddress(), { delegatee: fanB.address, nonce: 0n, expiry });
      await networkHelpers.time.increaseTo(expiry + 1n);
      await expect(token.delegateBySig(fanB.address, 0n, expiry, sig.v, sig.r, sig.s))
        .to.be.revertedWithCustomError(token, "VotesExpiredSignature")
        .withArgs(expiry);
    });
  });

  describe("initialize", function () {
    function config(admin: string, holder: string) {
      return {
        name: "X",
        symbol: "X",
        cap: 1000n,
        admin,
        minter: ZeroAddress,
        initialHolder: holder,
        initialAmount: 1n,
      };
    }

    it("reverts on the implementation contract", async function () {
      const { tokenImplementation, stranger } = await networkHelpers.loadFixture(deployCommunity);
      await expect(
        tokenImplementation.connect(stranger).initialize(config(stranger.address, stranger.address))
      ).to.be.revertedWithCustomError(tokenImplementation, "InvalidInitialization");
    });

    it("reverts on a community token that is already initialised", async function () {
      const { token, stranger } = await networkHelpers.loadFixture(deployCommunity);
      await expect(
        token.connect(stranger).initialize(config(stranger.address, stranger.address))
      ).to.be.revertedWithCustomError(token, "InvalidInitialization");
    });
  });

  describe("roles", function () {
    it("makes the community Timelock the only admin: factory, creator and deployer hold no role", async function () {
      const { token, factory, creator, deployer, created } = await networkHelpers.loadFixture(deployCommunity);
      expect(await token.hasRole(DEFAULT_ADMIN_ROLE, created.timelock)).to.equal(true);
      expect(await token.getRoleAdmin(MINTER_ROLE)).to.equal(DEFAULT_ADMIN_ROLE);
      for (const account of [await factory.getAddress(), creator.address, deployer.address, created.governor]) {
        expect(await token.hasRole(DEFAULT_ADMIN_ROLE, account)).to.equal(false, `admin: ${account}`);
        expect(await token.hasRole(MINTER_ROLE, account)).to.equal(false, `minter: ${account}`);
      }
    });

    it("grants exactly two roles at creation: DEFAULT_ADMIN_ROLE to the Timelock and MINTER_ROLE to the reward vault", async function () {
      const { token, receipt, created } = await networkHelpers.loadFixture(deployCommunity);
      const tokenAddress = await token.getAddress();
      const grants = receipt.logs
        .filter((log) => log.address === tokenAddress)
        .map((log) => token.interface.parseLog(log))
        .filter((parsed) => parsed?.name === "RoleGranted")
        .map((parsed) => [parsed!.args.role as string, parsed!.args.account as string]);
      expect(created.rewardVault).to.not.equal(ZeroAddress);
      expect(grants).to.deep.equal([
        [DEFAULT_ADMIN_ROLE, created.timelock],
        [MINTER_ROLE, created.rewardVault],
      ]);
    });

    it("lets only the admin grant roles", async function () {
      const { token, creator } = await networkHelpers.loadFixture(deployCommunity);
      await expect(token.connect(creator).grantRole(MINTER_ROLE, creator.address))
        .to.be.revertedWithCustomError(token, "AccessControlUnauthorizedAccount")
        .withArgs(creator.address, DEFAULT_ADMIN_ROLE);
    });
  });

  describe("supportsInterface", function () {
    it("reports ERC-165 and AccessControl, and nothing arbitrary", async function () {
      const { token } = await networkHelpers.loadFixture(deployCommunity);
      expect(await token.supportsInterface(IERC165_ID)).to.equal(true);
      expect(await token.supportsInterface(IACCESS_CONTROL_ID)).to.equal(true);
      expect(await token.supportsInterface("0xffffffff")).to.equal(false);
      expect(await token.supportsInterface("0x12345678")).to.equal(false);
    });
  });
});
