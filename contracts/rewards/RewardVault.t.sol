// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

// Fuzz settings. hardhat.config.ts's `test.solidity` block sets the defaults (256 fuzz runs, 64
// invariant runs x depth 100, Hardhat's fixed default fuzz seed) except where a `forge-config:`
// line in a test's NatSpec overrides them:
// - every `testFuzz_*`: 256 runs (the default; the stateful one states it explicitly);
// - testFuzz_stateful_invariantsHoldAfterEveryStep: 256 runs x 30-60 handler steps (depth), all
//   invariants checked after every step;
// - test_stateful_fixedSeedsExerciseEveryBranch: 8 fixed seeds x 60 steps, a coverage check;
// - RewardVaultInvariantTest (forge-style `invariant_*` on the same handler) lives in
//   RewardVaultInvariant.t.sol: 64 runs x depth 50.
// The whole file runs in about 9 s on 2 cores (`--no-compile`; compiling it adds ~15 s).

import {Clones} from "@openzeppelin/contracts/proxy/Clones.sol";
import {Strings} from "@openzeppelin/contracts/utils/Strings.sol";
import {IRewardVault} from "../interfaces/IRewardVault.sol";
import {ISocialToken} from "../interfaces/ISocialToken.sol";
import {SocialToken} from "../token/SocialToken.sol";
import {RewardVault} from "./RewardVault.sol";
import {RewardVaultHandler} from "../test/RewardVaultHandler.sol";
import {Vm, Assertions} from "../test/SolidityTestBase.sol";

/**
 * @title RewardVault test fixture
 * @notice Deploys token and vault as the factory does (EIP-1167 clones; the vault carries
 * `abi.encodePacked(token, timelock)` as immutable arguments and holds MINTER_ROLE), signs
 * vouchers, and checks the stateful invariants against a {RewardVaultHandler}.
 */
abstract contract RewardVaultFixture is Assertions {
    Vm internal constant vm = Vm(address(uint160(uint256(keccak256("hevm cheat code")))));

    uint256 internal constant ATTESTER_KEY = 0xA77E57;
    address internal constant TIMELOCK = address(0x7113);
    address internal constant OPERATOR = address(0x0BE7);
    address internal constant CREATOR = address(0xC0FFEE);
    uint256 internal constant MAX_BPS = 10_000;
    /// @dev secp256k1 group order.
    uint256 internal constant SECP256K1_N = 0xFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141;

    /// @dev The stateful tests' vault: a cap half a budget above the allocation, so
    /// it binds part-way through many sequences.
    uint256 internal constant STATEFUL_BUDGET = 1_000e18;
    uint256 internal constant STATEFUL_ALLOCATION = 10_000e18;
    uint32 internal constant STATEFUL_EPOCH = 1 days;
    uint16 internal constant STATEFUL_BPS = 1_000;

    SocialToken internal tokenImplementation;
    RewardVault internal vaultImplementation;

    function _deployImplementations() internal {
        tokenImplementation = new SocialToken();
        vaultImplementation = new RewardVault();
    }

    /// @dev A token clone and a vault clone wired to each other: the vault is cloned first (its
    /// address is the token's minter), then the token and the vault are initialised.
    function _deploy(
        uint256 cap,
        uint256 allocation,
        uint256 budget,
        uint32 epochLength,
        uint16 referralBps
    ) internal returns (SocialToken token, RewardVault vault) {
        token = SocialToken(Clones.clone(address(tokenImplementation)));
        vault = RewardVault(
            Clones.cloneWithImmutableArgs(address(vaultImplementation), abi.encodePacked(address(token), TIMELOCK))
        );
        token.initialize(
            ISocialToken.TokenConfig({
                name: "Vault Fans",
                symbol: "VAULT",
                cap: cap,
                admin: TIMELOCK,
                minter: address(vault),
                initialHolder: CREATOR,
                initialAmount: allocation
            })
        );
        vault.initialize(
            address(token),
            TIMELOCK,
            OPERATOR,
            abi.encode(
                IRewardVault.VaultConfig({
                    attester: vm.addr(ATTESTER_KEY),
                    epochBudget: budget,
                    epochLength: epochLength,
                    referralBps: referralBps
                })
            )
        );
    }

    /// @dev A vault sized for the stateful tests, and its handler.
    function _deployStateful() internal returns (RewardVaultHandler h) {
        uint256 origin = block.timestamp;
        (, RewardVault vault) = _deploy(
            STATEFUL_ALLOCATION + STATEFUL_BUDGET / 2,
            STATEFUL_ALLOCATION,
            STATEFUL_BUDGET,
            STATEFUL_EPOCH,
            STATEFUL_BPS
        );
        h = new RewardVaultHandler(vault, TIMELOCK, OPERATOR, ATTESTER_KEY, origin);
    }

    /// @dev The EIP-712 digest of `v` for `vault`, by hand from the documented domain and type.
    function _handDigest(address vault, IRewardVault.Voucher memory v) internal view returns (bytes32) {
        bytes32 domainSeparator = keccak256(
            abi.encode(
                keccak256("EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)"),
                keccak256(bytes("Coterie Rewards")),
                keccak256(bytes("1")),
                block.chainid,
                vault
            )
        );
        bytes32 structHash = keccak256(
            abi.encode(
                keccak256("Voucher(address recipient,uint256 amount,address referrer,uint256 id,uint256 deadline)"),
                v.recipient,
                v.amount,
                v.referrer,
                v.id,
                v.deadline
            )
        );
        return keccak256(abi.encodePacked("\x19\x01", domainSeparator, structHash));
    }

    function _sign(uint256 key, address vault, IRewardVault.Voucher memory v) internal view returns (bytes memory) {
        (uint8 sv, bytes32 r, bytes32 s) = vm.sign(key, _handDigest(vault, v));
        return abi.encodePacked(r, s, sv);
    }

    /*//////////////////////////////////////////////////////////////
                           STATEFUL INVARIANTS
    //////////////////////////////////////////////////////////////*/

    /// @dev Every call's outcome matched the model (exact revert data included).
    function _assertOutcomesMatchModel(RewardVaultHandler h) internal view {
        if (h.violations() != 0) {
            revert(
                string.concat(
                    "outcome differs from model (",
                    Strings.toString(h.violations()),
                    "x), first: ",
                    h.firstViolation()
                )
            );
        }
    }

    /// @dev (a) No voucher id and no campaign leaf index pays more than once, and the vault's
    /// bitmaps say exactly which paid.
    function _assertNothingPaysTwice(RewardVaultHandler h) internal view {
        RewardVault vault = h.vault();
        uint256 ids = h.paidIdCount();
        for (uint256 i; i < ids; ++i) {
            uint256 id = h.paidIds(i);
            assertEq(h.voucherPayouts(id), 1, "(a) voucher id paid more than once");
            assertTrue(vault.isRedeemed(id), "(a) paid voucher id not marked redeemed");
        }
        uint256 campaigns = h.campaignCount();
        assertEq(vault.campaignCount(), campaigns, "campaign count");
        for (uint256 c; c < campaigns; ++c) {
            RewardVaultHandler.CampaignModel memory m = h.campaignModel(c);
            for (uint256 k; k < m.leafCount; ++k) {
                uint256 payouts = h.leafPayouts(c, m.indices[k]);
                assertLe(payouts, 1, "(a) campaign leaf index paid more than once");
                assertTrue(vault.isCampaignClaimed(c, m.indices[k]) == (payouts == 1), "(a) claimed bit vs payouts");
            }
            IRewardVault.Campaign memory onChain = vault.campaign(c);
            assertEq(onChain.reserved, m.reserved, "campaign reserved");
            assertEq(onChain.claimed, m.claimed, "campaign claimed");
            assertLe(onChain.claimed, onChain.reserved, "campaign claimed above its reservation");
            assertTrue(onChain.closed == m.closed, "campaign closed flag");
            assertEq(onChain.epoch, m.epoch, "campaign epoch");
        }
    }

    /// @dev (b) Per epoch, the net charge (vouchers + bonuses credited + reservations opened -
    /// reservations returned) and the tokens minted for vouchers stay within the highest budget in
    /// effect during that epoch; the vault's own accounting of the current epoch equals the model's.
    function _assertEpochChargesWithinBudget(RewardVaultHandler h) internal view {
        RewardVault vault = h.vault();
        uint256 epochs = h.epochCount();
        for (uint256 i; i < epochs; ++i) {
            uint256 e = h.epochs(i);
            assertLe(h.charged(e), h.budgetHigh(e), "(b) epoch charged above its budget");
            assertLe(h.voucherMintedInEpoch(e), h.budgetHigh(e), "(b) voucher mints in an epoch above its budget");
        }
        uint256 current = h.epochNow();
        uint256 budget = h.budget();
        uint256 spent = h.charged(current);
        assertEq(vault.currentEpoch(), current, "current epoch");
        assertEq(vault.epochSpent(), spent, "(b) vault epochSpent vs charged");
        assertEq(vault.epochBudget(), budget, "epoch budget");
        assertEq(vault.remainingBudget(), budget > spent ? budget - spent : 0, "remaining budget");
    }

    /// @dev (c) The token's supply never exceeds its cap.
    function _assertSupplyWithinCap(RewardVaultHandler h) internal view {
        SocialToken token = h.token();
        assertLe(token.totalSupply(), token.cap(), "(c) totalSupply above cap");
    }

    /// @dev (d) Everything the vault minted is a voucher, a claimed referral bonus or a campaign
    /// claim, and the referral books balance.
    function _assertMintsAccountedFor(RewardVaultHandler h) internal view {
        RewardVault vault = h.vault();
        SocialToken token = h.token();
        assertEq(
            token.totalSupply() - h.initialSupply(),
            h.mintedForVouchers() + h.mintedForReferrals() + h.mintedForCampaigns(),
            "(d) vault-minted supply vs vouchers + referral claims + campaign claims"
        );
        uint256 claimedBonuses;
        uint256 actors = h.ACTOR_COUNT();
        for (uint256 i; i < actors; ++i) {
            address actor = h.actors(i);
            IRewardVault.ReferralStats memory s = vault.referralStats(actor);
            assertEq(s.earned, h.earnedModel(actor), "referral earned");
            assertEq(s.unclaimed, h.unclaimedModel(actor), "referral unclaimed");
            assertEq(vault.referrerOf(actor), h.referrerModel(actor), "recorded referrer");
            claimedBonuses += s.earned - s.unclaimed;
        }
        assertEq(claimedBonuses, h.mintedForReferrals(), "(d) referral bonuses claimed vs minted");
        assertTrue(vault.paused() == h.paused(), "paused flag");
        assertEq(vault.referralBps(), h.referralBps(), "referral rate");
    }

    /// @dev (e) Referral bonuses go only to the recorded referrer: each fan's recorded referrer is
    /// the one its first referred voucher named (never itself) and never changes; every account's
    /// credited bonuses equal the model's, which credits each redemption's bonus to the redeeming
    /// fan's recorded referrer only, whatever referrer the voucher names.
    function _assertReferralBonusesOnlyToRecordedReferrer(RewardVaultHandler h) internal view {
        RewardVault vault = h.vault();
        uint256 actors = h.ACTOR_COUNT();
        uint256 credited;
        for (uint256 i; i < actors; ++i) {
            address actor = h.actors(i);
            address referrer = vault.referrerOf(actor);
            assertEq(referrer, h.referrerModel(actor), "(e) recorded referrer changed or differs from the first named");
            assertTrue(referrer != actor, "(e) a fan is its own referrer");
            uint256 earned = vault.referralStats(actor).earned;
            assertEq(earned, h.earnedModel(actor), "(e) bonus credited to someone other than the recorded referrer");
            credited += earned;
        }
        assertLe(h.mintedForReferrals(), credited, "(e) referral mints above the bonuses credited");
    }

    function _assertAllInvariants(RewardVaultHandler h) internal view {
        _assertOutcomesMatchModel(h);
        _assertNothingPaysTwice(h);
        _assertEpochChargesWithinBudget(h);
        _assertSupplyWithinCap(h);
        _assertMintsAccountedFor(h);
        _assertReferralBonusesOnlyToRecordedReferrer(h);
    }
}

/**
 * @title RewardVault fuzz and stateful tests
 * @notice Vouchers: any attester-signed voucher pays once; any other signer, any changed field and
 * any malleated signature is refused; over-budget redemptions revert and change nothing; referral
 * bonuses go to the recorded referrer only. Campaigns pay each leaf once and return what is
 * unclaimed only within their epoch. A seed-driven sequence of mixed actions keeps the budget,
 * cap, single-payment and accounting invariants after every step.
 */
contract RewardVaultTest is RewardVaultFixture {
    uint256 private constant CAP = 1e30;
    uint256 private constant ALLOCATION = 1_000e18;
    uint256 private constant BUDGET = 10_000e18;
    uint32 private constant EPOCH = 1 days;
    uint16 private constant BPS = 1_000;
    uint256 private constant ACTIONS = 10;
    uint256 private constant SEEDS = 8;

    SocialToken private token;
    RewardVault private vault;

    function setUp() public {
        _deployImplementations();
        (token, vault) = _deploy(CAP, ALLOCATION, BUDGET, EPOCH, BPS);
    }

    /// @dev An address that can receive tokens and be pranked: not zero, a precompile or the cheatcodes.
    function _assumeAccount(address account) private pure {
        vm.assume(account > address(0x100) && account != address(vm));
    }

    function _voucher(
        address recipient,
        uint256 amount,
        address referrer,
        uint256 id,
        uint256 deadline
    ) private pure returns (IRewardVault.Voucher memory) {
        return
            IRewardVault.Voucher({
                recipient: recipient,
                amount: amount,
                referrer: referrer,
                id: id,
                deadline: deadline
            });
    }

    function _redeem(IRewardVault.Voucher memory v) private {
        vault.redeem(v, _sign(ATTESTER_KEY, address(vault), v));
    }

    function _err(bytes4 selector, uint256 a) private pure returns (bytes memory) {
        return abi.encodeWithSelector(selector, a);
    }

    /// @dev The budget charge of a redemption of `amount` by a fan with (or without) a referrer.
    function _charge(uint256 amount, uint256 bps, bool referred) private pure returns (uint256) {
        return referred ? amount + (amount * bps) / MAX_BPS : amount;
    }

    /*//////////////////////////////////////////////////////////////
                                 DIGEST
    //////////////////////////////////////////////////////////////*/

    /// @dev The vault's digest is the EIP-712 digest of the documented domain and type.
    function testFuzz_voucherDigest_matchesHandComputedEip712(
        address recipient,
        uint256 amount,
        address referrer,
        uint256 id,
        uint256 deadline
    ) public view {
        IRewardVault.Voucher memory v = _voucher(recipient, amount, referrer, id, deadline);
        assertEq(vault.voucherDigest(v), _handDigest(address(vault), v), "voucherDigest");
        (, string memory name, string memory version, uint256 chainId, address verifyingContract, , ) = vault
            .eip712Domain();
        assertEq(keccak256(bytes(name)), keccak256("Coterie Rewards"), "domain name");
        assertEq(keccak256(bytes(version)), keccak256("1"), "domain version");
        assertEq(chainId, block.chainid, "domain chain id");
        assertEq(verifyingContract, address(vault), "domain verifying contract");
    }

    /*//////////////////////////////////////////////////////////////
                           REDEEM ONCE, SIGNATURES
    //////////////////////////////////////////////////////////////*/

    /// @dev Any attester-signed voucher (any recipient, in-budget amount, id and live deadline,
    /// submitted by anyone) pays once; the same id then reverts, whatever voucher carries it, and
    /// only that id's bit is set.
    function testFuzz_redeem_paysOnceThenRevertsAlreadyRedeemed(
        address recipient,
        uint256 amount,
        uint256 id,
        uint256 deadline,
        address relayer,
        uint256 otherAmount
    ) public {
        vm.assume(recipient != address(0));
        _assumeAccount(relayer);
        amount = bound(amount, 1, BUDGET);
        deadline = bound(deadline, block.timestamp, type(uint256).max);
        IRewardVault.Voucher memory v = _voucher(recipient, amount, address(0), id, deadline);
        bytes memory sig = _sign(ATTESTER_KEY, address(vault), v);
        uint256 balanceBefore = token.balanceOf(recipient);
        uint256 supplyBefore = token.totalSupply();

        vm.prank(relayer);
        vault.redeem(v, sig);

        assertEq(token.balanceOf(recipient), balanceBefore + amount, "recipient balance");
        assertEq(token.totalSupply(), supplyBefore + amount, "supply");
        assertTrue(vault.isRedeemed(id), "id redeemed");
        assertTrue(!vault.isRedeemed(id ^ 1), "neighbouring id untouched");
        assertEq(vault.epochSpent(), amount, "epoch spent");

        vm.expectRevert(_err(IRewardVault.RewardVaultVoucherAlreadyRedeemed.selector, id));
        vm.prank(relayer);
        vault.redeem(v, sig);

        // A different, validly signed voucher reusing the id is refused too.
        IRewardVault.Voucher memory other = _voucher(
            recipient,
            bound(otherAmount, 1, BUDGET - amount + 1),
            address(0),
            id,
            deadline
        );
        bytes memory otherSig = _sign(ATTESTER_KEY, address(vault), other);
        vm.expectRevert(_err(IRewardVault.RewardVaultVoucherAlreadyRedeemed.selector, id));
        vault.redeem(other, otherSig);

        assertEq(token.balanceOf(recipient), balanceBefore + amount, "recipient balance after replays");
        assertEq(vault.epochSpent(), amount, "epoch spent after replays");
    }

    /// @dev A voucher signed by any key but the attester's is refused and burns nothing: the
    /// attester's signature over the same voucher still redeems it.
    function testFuzz_redeem_revertsForAnyOtherSigner(
        uint256 key,
        address recipient,
        uint256 amount,
        uint256 id,
        uint256 deadline
    ) public {
        key = bound(key, 1, SECP256K1_N - 1);
        vm.assume(key != ATTESTER_KEY);
        vm.assume(recipient != address(0));
        amount = bound(amount, 1, BUDGET);
        deadline = bound(deadline, block.timestamp, type(uint256).max);
        IRewardVault.Voucher memory v = _voucher(recipient, amount, address(0), id, deadline);
        uint256 supplyBefore = token.totalSupply();

        vm.expectRevert(_err(IRewardVault.RewardVaultBadSignature.selector, id));
        vault.redeem(v, _sign(key, address(vault), v));

        assertTrue(!vault.isRedeemed(id), "id not burnt");
        assertEq(token.totalSupply(), supplyBefore, "supply");
        assertEq(vault.epochSpent(), 0, "epoch spent");
        _redeem(v);
        assertTrue(vault.isRedeemed(id), "attester's voucher redeems");
    }

    /// @dev Junk bytes, the high-s twin of a valid signature and a flipped recovery byte are refused.
    function testFuzz_redeem_revertsForJunkOrMalleatedSignature(
        bytes calldata junk,
        address recipient,
        uint256 amount,
        uint256 id
    ) public {
        vm.assume(recipient != address(0));
        amount = bound(amount, 1, BUDGET);
        IRewardVault.Voucher memory v = _voucher(recipient, amount, address(0), id, block.timestamp);
        (uint8 sv, bytes32 r, bytes32 s) = vm.sign(ATTESTER_KEY, _handDigest(address(vault), v));
        bytes memory valid = abi.encodePacked(r, s, sv);
        vm.assume(keccak256(junk) != keccak256(valid));

        vm.expectRevert(_err(IRewardVault.RewardVaultBadSignature.selector, id));
        vault.redeem(v, junk);

        // (r, n - s, v ^ 1) recovers the same key: OpenZeppelin's ECDSA refuses the high-s form.
        bytes memory twin = abi.encodePacked(r, bytes32(SECP256K1_N - uint256(s)), sv == 27 ? uint8(28) : uint8(27));
        vm.expectRevert(_err(IRewardVault.RewardVaultBadSignature.selector, id));
        vault.redeem(v, twin);

        bytes memory flipped = abi.encodePacked(r, s, sv == 27 ? uint8(28) : uint8(27));
        vm.expectRevert(_err(IRewardVault.RewardVaultBadSignature.selector, id));
        vault.redeem(v, flipped);

        vault.redeem(v, valid);
        assertTrue(vault.isRedeemed(id), "valid signature still redeems");
    }

    /// @dev Changing any one field of a signed voucher breaks the signature (the vault reports the
    /// tampered voucher's id); the original still redeems afterwards.
    function testFuzz_redeem_anyChangedFieldBreaksSignature(
        address recipient,
        uint256 amount,
        address referrer,
        uint256 id,
        uint256 deadline,
        uint8 field,
        uint256 replacement
    ) public {
        vm.assume(recipient != address(0));
        amount = bound(amount, 1, BUDGET / 2);
        deadline = bound(deadline, block.timestamp, type(uint256).max);
        IRewardVault.Voucher memory v = _voucher(recipient, amount, referrer, id, deadline);
        bytes memory sig = _sign(ATTESTER_KEY, address(vault), v);

        IRewardVault.Voucher memory t = _voucher(recipient, amount, referrer, id, deadline);
        field = field % 5;
        if (field == 0) {
            t.recipient = address(uint160(replacement));
            vm.assume(t.recipient != address(0) && t.recipient != recipient);
        } else if (field == 1) {
            t.amount = bound(replacement, 1, type(uint256).max);
            vm.assume(t.amount != amount);
        } else if (field == 2) {
            t.referrer = address(uint160(replacement));
            vm.assume(t.referrer != referrer);
        } else if (field == 3) {
            t.id = replacement;
            vm.assume(t.id != id);
        } else {
            t.deadline = bound(replacement, block.timestamp, type(uint256).max);
            vm.assume(t.deadline != deadline);
        }

        vm.expectRevert(_err(IRewardVault.RewardVaultBadSignature.selector, t.id));
        vault.redeem(t, sig);

        assertEq(vault.epochSpent(), 0, "nothing charged");
        vault.redeem(v, sig);
        assertTrue(vault.isRedeemed(id), "original redeems");
    }

    /// @dev A voucher signed for another vault (same attester, same chain) is refused here, and
    /// the other way round.
    function testFuzz_redeem_signatureBoundToVault(address recipient, uint256 amount, uint256 id) public {
        vm.assume(recipient != address(0));
        amount = bound(amount, 1, BUDGET);
        (, RewardVault otherVault) = _deploy(CAP, 0, BUDGET, EPOCH, BPS);
        IRewardVault.Voucher memory v = _voucher(recipient, amount, address(0), id, block.timestamp);
        bytes memory forOther = _sign(ATTESTER_KEY, address(otherVault), v);

        vm.expectRevert(_err(IRewardVault.RewardVaultBadSignature.selector, id));
        vault.redeem(v, forOther);

        bytes memory forThis = _sign(ATTESTER_KEY, address(vault), v);
        vm.expectRevert(_err(IRewardVault.RewardVaultBadSignature.selector, id));
        otherVault.redeem(v, forThis);

        otherVault.redeem(v, forOther);
        assertTrue(otherVault.isRedeemed(id) && !vault.isRedeemed(id), "redeemed only where it was signed for");
    }

    /*//////////////////////////////////////////////////////////////
                                  BUDGET
    //////////////////////////////////////////////////////////////*/

    /// @dev What an over-budget redemption must leave unchanged.
    struct Snapshot {
        uint256 supply;
        uint256 fanBalance;
        uint256 spent;
        uint256 remaining;
        address referrerOfFan;
        uint256 referredFans;
        uint256 earned;
        uint256 unclaimed;
    }

    function _snapshot(address fan, address referrer) private view returns (Snapshot memory snap) {
        IRewardVault.ReferralStats memory stats = vault.referralStats(referrer);
        snap = Snapshot({
            supply: token.totalSupply(),
            fanBalance: token.balanceOf(fan),
            spent: vault.epochSpent(),
            remaining: vault.remainingBudget(),
            referrerOfFan: vault.referrerOf(fan),
            referredFans: stats.referredFans,
            earned: stats.earned,
            unclaimed: stats.unclaimed
        });
    }

    function _assertUnchanged(Snapshot memory before, Snapshot memory afterwards) private pure {
        assertEq(afterwards.supply, before.supply, "supply unchanged");
        assertEq(afterwards.fanBalance, before.fanBalance, "fan balance unchanged");
        assertEq(afterwards.spent, before.spent, "epoch spent unchanged");
        assertEq(afterwards.remaining, before.remaining, "remaining unchanged");
        assertEq(afterwards.referrerOfFan, before.referrerOfFan, "referrer unchanged");
        assertEq(afterwards.referredFans, before.referredFans, "referred fans unchanged");
        assertEq(afterwards.earned, before.earned, "earned unchanged");
        assertEq(afterwards.unclaimed, before.unclaimed, "unclaimed unchanged");
    }

    /// @dev Spends `spentFirst` of the budget (in mode 2 by `fan`, recording `referrer`); returns
    /// what remains.
    function _spendFirst(
        uint256 spentFirst,
        uint8 referralMode,
        address fan,
        address referrer,
        uint256 id
    ) private returns (uint256 remaining) {
        if (spentFirst != 0) {
            _redeem(
                _voucher(
                    referralMode == 2 ? fan : CREATOR,
                    spentFirst,
                    referralMode == 2 ? referrer : address(0),
                    uint256(keccak256(abi.encode(id))),
                    block.timestamp
                )
            );
        }
        remaining = vault.remainingBudget();
        assertEq(remaining, BUDGET - _charge(spentFirst, BPS, referralMode == 2), "remaining after first spend");
    }

    /// @dev The smallest amount whose charge exceeds `remaining`.
    function _minOver(uint256 remaining, bool referred) private pure returns (uint256 minOver) {
        minOver = (remaining * MAX_BPS) / (MAX_BPS + (referred ? BPS : 0));
        while (_charge(minOver, BPS, referred) <= remaining) ++minOver;
    }

    /// @dev After some spending (possibly recording a referrer), a voucher whose charge (amount plus
    /// any referral bonus) exceeds the remaining budget reverts RewardVaultOverBudget(charge,
    /// remaining) and changes nothing; the largest amount that fits still redeems under the same id.
    /// Amounts stay below 2^256 / 10,000 here (see testFuzz_redeem_hugeReferredAmountRevertsOverBudget).
    function testFuzz_redeem_overBudgetRevertsAndLeavesStateUnchanged(
        uint256 spentFirst,
        uint256 amount,
        uint8 referralMode,
        address fan,
        address referrer,
        uint256 id
    ) public {
        _assumeAccount(fan);
        _assumeAccount(referrer);
        vm.assume(fan != referrer);
        referralMode = referralMode % 3; // 0: none, 1: this voucher names the referrer, 2: recorded before
        bool referred = referralMode != 0;

        uint256 firstMax = referralMode == 2 ? (BUDGET * MAX_BPS) / (MAX_BPS + BPS) : BUDGET;
        uint256 remaining = _spendFirst(
            bound(spentFirst, referralMode == 2 ? 1 : 0, firstMax),
            referralMode,
            fan,
            referrer,
            id
        );

        // The smallest over-budget amount, then anything from it up.
        uint256 minOver = _minOver(remaining, referred);
        amount = bound(amount, minOver, type(uint256).max / MAX_BPS);

        IRewardVault.Voucher memory v = _voucher(
            fan,
            amount,
            referralMode == 1 ? referrer : address(0),
            id,
            block.timestamp
        );
        if (referralMode == 2) v.referrer = address(uint160(id)); // ignored: the fan's referrer is recorded
        Snapshot memory before = _snapshot(fan, referrer);

        vm.expectRevert(
            abi.encodeWithSelector(
                IRewardVault.RewardVaultOverBudget.selector,
                _charge(amount, BPS, referred),
                remaining
            )
        );
        _redeem(v);

        _assertUnchanged(before, _snapshot(fan, referrer));
        assertTrue(!vault.isRedeemed(id), "id not burnt");

        // One wei less than the smallest over-budget amount fits, and is charged as computed.
        if (minOver > 1) {
            v.amount = minOver - 1;
            _redeem(v);
            assertEq(vault.remainingBudget(), remaining - _charge(minOver - 1, BPS, referred), "boundary redemption");
        }
    }

    /// @dev The same property for any amount at all: a referred voucher so large that
    /// `amount * referralBps` overflows must still revert with RewardVaultOverBudget (the error the
    /// interface documents for amounts above the remaining budget), leaving nothing changed.
    function testFuzz_redeem_hugeReferredAmountRevertsOverBudget(uint256 amount, address fan, address referrer) public {
        _assumeAccount(fan);
        _assumeAccount(referrer);
        vm.assume(fan != referrer);
        amount = bound(amount, type(uint256).max / BPS + 1, type(uint256).max);
        IRewardVault.Voucher memory v = _voucher(fan, amount, referrer, 7, block.timestamp);
        bytes memory sig = _sign(ATTESTER_KEY, address(vault), v);
        try vault.redeem(v, sig) {
            revert("huge voucher redeemed");
        } catch (bytes memory reason) {
            bytes4 selector = bytes4(reason);
            if (selector != IRewardVault.RewardVaultOverBudget.selector) {
                revert(
                    string.concat(
                        "expected RewardVaultOverBudget, got revert data ",
                        Strings.toHexString(uint32(selector), 4),
                        reason.length == 36
                            ? string.concat(" ", Strings.toHexString(uint256(_word(reason, 4)), 32))
                            : ""
                    )
                );
            }
        }
        assertEq(vault.referrerOf(fan), address(0), "referrer not recorded");
        assertTrue(!vault.isRedeemed(7), "id not burnt");
    }

    function _word(bytes memory data, uint256 offset) private pure returns (bytes32 w) {
        assembly ("memory-safe") {
            w := mload(add(add(data, 0x20), offset))
        }
    }

    /// @dev Spending is per epoch: a spent budget refuses one more wei until the first second of the
    /// next epoch, then the whole budget is available again.
    function testFuzz_budget_resetsAtEpochBoundary(uint256 first, uint256 elapsed) public {
        first = bound(first, 1, BUDGET);
        _redeem(_voucher(CREATOR, first, address(0), 1, type(uint256).max));
        if (first < BUDGET) _redeem(_voucher(CREATOR, BUDGET - first, address(0), 2, type(uint256).max));
        assertEq(vault.remainingBudget(), 0, "budget spent");

        uint256 nextEpoch = block.timestamp + EPOCH; // the vault's origin is this block
        vm.warp(bound(elapsed, block.timestamp, nextEpoch - 1));
        vm.expectRevert(abi.encodeWithSelector(IRewardVault.RewardVaultOverBudget.selector, 1, 0));
        _redeem(_voucher(CREATOR, 1, address(0), 3, type(uint256).max));

        vm.warp(nextEpoch);
        assertEq(vault.currentEpoch(), 1, "epoch 1");
        assertEq(vault.remainingBudget(), BUDGET, "fresh budget");
        _redeem(_voucher(CREATOR, BUDGET, address(0), 3, type(uint256).max));
        assertEq(vault.epochSpent(), BUDGET, "epoch 1 spent");
    }

    /*//////////////////////////////////////////////////////////////
                                REFERRALS
    //////////////////////////////////////////////////////////////*/

    /// @dev The first voucher naming a referrer records it and credits amount * bps / 10,000 (that
    /// redemption included); later vouchers naming someone else or the fan still credit the
    /// recorded referrer only; the bonuses are charged to the budget and minted on claim.
    function testFuzz_redeem_referralBonusCreditedOnlyToRecordedReferrer(
        address fan,
        address referrer,
        address other,
        uint256[3] calldata amounts,
        uint256 bps
    ) public {
        _assumeAccount(fan);
        _assumeAccount(referrer);
        _assumeAccount(other);
        vm.assume(fan != referrer && fan != other && referrer != other);
        bps = bound(bps, 0, MAX_BPS);
        vm.prank(TIMELOCK);
        vault.setReferralBps(bps);

        address[3] memory named = [referrer, other, fan];
        uint256 credited;
        uint256 charged;
        for (uint256 i; i < 3; ++i) {
            uint256 amount = bound(amounts[i], 1, BUDGET / 6); // each charge <= 2 * amount
            _redeem(_voucher(fan, amount, named[i], 100 + i, block.timestamp));
            uint256 bonus = (amount * bps) / MAX_BPS;
            credited += bonus;
            charged += amount + bonus;
            assertEq(vault.referrerOf(fan), referrer, "recorded referrer");
            IRewardVault.ReferralStats memory s = vault.referralStats(referrer);
            assertEq(s.referredFans, 1, "referred fans");
            assertEq(s.earned, credited, "earned");
            assertEq(s.unclaimed, credited, "unclaimed");
            assertEq(vault.epochSpent(), charged, "amounts + bonuses charged");
        }
        IRewardVault.ReferralStats memory o = vault.referralStats(other);
        assertEq(uint256(o.referredFans) + o.earned + o.unclaimed, 0, "nothing credited to a non-recorded referrer");
        IRewardVault.ReferralStats memory f = vault.referralStats(fan);
        assertEq(uint256(f.referredFans) + f.earned + f.unclaimed, 0, "nothing credited to the fan");

        vm.expectRevert(abi.encodeWithSelector(IRewardVault.RewardVaultNothingToClaim.selector, other));
        vm.prank(other);
        vault.claimReferralRewards(other);

        if (credited == 0) {
            vm.expectRevert(abi.encodeWithSelector(IRewardVault.RewardVaultNothingToClaim.selector, referrer));
            vm.prank(referrer);
            vault.claimReferralRewards(referrer);
            return;
        }
        uint256 supplyBefore = token.totalSupply();
        uint256 otherBefore = token.balanceOf(other);
        vm.prank(referrer);
        vault.claimReferralRewards(other); // to any address
        assertEq(token.balanceOf(other), otherBefore + credited, "bonus minted to `to`");
        assertEq(token.totalSupply(), supplyBefore + credited, "supply");
        assertEq(vault.epochSpent(), charged, "claiming charges nothing more");
        IRewardVault.ReferralStats memory afterClaim = vault.referralStats(referrer);
        assertEq(afterClaim.unclaimed, 0, "unclaimed after claim");
        assertEq(afterClaim.earned, credited, "earned after claim");
        vm.expectRevert(abi.encodeWithSelector(IRewardVault.RewardVaultNothingToClaim.selector, referrer));
        vm.prank(referrer);
        vault.claimReferralRewards(referrer);
    }

    /// @dev Naming oneself as referrer records and credits nothing and does not use up the fan's
    /// referrer slot: a later voucher naming a real referrer records it.
    function testFuzz_redeem_selfReferralCreditsNothing(
        address fan,
        uint256 amount,
        address later,
        uint256 laterAmount
    ) public {
        _assumeAccount(fan);
        _assumeAccount(later);
        vm.assume(fan != later);
        amount = bound(amount, 1, BUDGET / 3);
        laterAmount = bound(laterAmount, 1, BUDGET / 3);

        _redeem(_voucher(fan, amount, fan, 1, block.timestamp));
        assertEq(vault.referrerOf(fan), address(0), "no referrer recorded");
        IRewardVault.ReferralStats memory s = vault.referralStats(fan);
        assertEq(uint256(s.referredFans) + s.earned + s.unclaimed, 0, "nothing credited to the fan");
        assertEq(vault.epochSpent(), amount, "only the amount charged");
        vm.expectRevert(abi.encodeWithSelector(IRewardVault.RewardVaultNothingToClaim.selector, fan));
        vm.prank(fan);
        vault.claimReferralRewards(fan);

        _redeem(_voucher(fan, laterAmount, later, 2, block.timestamp));
        assertEq(vault.referrerOf(fan), later, "real referrer recorded later");
        assertEq(vault.referralStats(later).earned, (laterAmount * BPS) / MAX_BPS, "later referrer credited");
        assertEq(vault.referralStats(fan).earned, 0, "fan still credited nothing");
    }

    /*//////////////////////////////////////////////////////////////
                                  BATCHES
    //////////////////////////////////////////////////////////////*/

    /// @dev A batch is all-or-nothing: one bad voucher (over budget, foreign signature, repeated id
    /// or expired) anywhere in it reverts the batch with that voucher's error and nothing is
    /// redeemed, minted, charged or recorded; the good vouchers alone then go through.
    function testFuzz_redeemBatch_isAllOrNothing(
        uint256[3] calldata amounts,
        uint8 badKind,
        uint8 badPosition,
        address fan,
        address referrer
    ) public {
        _assumeAccount(fan);
        _assumeAccount(referrer);
        vm.assume(fan != referrer);
        vm.warp(block.timestamp + 10);
        IRewardVault.Voucher[] memory vs = new IRewardVault.Voucher[](3);
        bytes[] memory sigs = new bytes[](3);
        for (uint256 i; i < 3; ++i) {
            vs[i] = _voucher(fan, bound(amounts[i], 1, BUDGET / 8), referrer, 10 + i, block.timestamp);
        }
        badKind = badKind % 4;
        // For a repeated id the failing voucher is the later of the two: position 1 or 2.
        uint256 bad = badKind == 2 ? 1 + (badPosition % 2) : badPosition % 3;
        IRewardVault.Voucher memory original = _voucher(
            vs[bad].recipient,
            vs[bad].amount,
            vs[bad].referrer,
            vs[bad].id,
            vs[bad].deadline
        );
        bytes memory expected;
        if (badKind == 0) {
            vs[bad].amount = BUDGET; // with its bonus, above any remaining budget
            uint256 spentBefore;
            for (uint256 i; i < bad; ++i) spentBefore += _charge(vs[i].amount, BPS, true);
            expected = abi.encodeWithSelector(
                IRewardVault.RewardVaultOverBudget.selector,
                _charge(BUDGET, BPS, true),
                BUDGET - spentBefore
            );
        } else if (badKind == 1) {
            expected = _err(IRewardVault.RewardVaultBadSignature.selector, vs[bad].id);
        } else if (badKind == 2) {
            vs[bad].id = vs[bad - 1].id;
            expected = _err(IRewardVault.RewardVaultVoucherAlreadyRedeemed.selector, vs[bad].id);
        } else {
            vs[bad].deadline = block.timestamp - 1;
            expected = abi.encodeWithSelector(
                IRewardVault.RewardVaultVoucherExpired.selector,
                vs[bad].id,
                block.timestamp - 1
            );
        }
        for (uint256 i; i < 3; ++i) sigs[i] = _sign(ATTESTER_KEY, address(vault), vs[i]);
        if (badKind == 1) sigs[bad] = _sign(ATTESTER_KEY + 1, address(vault), vs[bad]);

        uint256 supplyBefore = token.totalSupply();
        vm.expectRevert(expected);
        vault.redeemBatch(vs, sigs);
        assertEq(token.totalSupply(), supplyBefore, "nothing minted");
        assertEq(vault.epochSpent(), 0, "nothing charged");
        assertEq(vault.referrerOf(fan), address(0), "no referrer recorded");
        assertEq(vault.referralStats(referrer).earned, 0, "no bonus credited");
        for (uint256 i; i < 3; ++i) assertTrue(!vault.isRedeemed(10 + i), "no id burnt");

        // The three good vouchers redeem together.
        vs[bad] = original;
        uint256 total;
        for (uint256 i; i < 3; ++i) {
            sigs[i] = _sign(ATTESTER_KEY, address(vault), vs[i]);
            total += vs[i].amount;
        }
        vault.redeemBatch(vs, sigs);
        assertEq(token.totalSupply(), supplyBefore + total, "batch minted");
        for (uint256 i; i < 3; ++i) assertTrue(vault.isRedeemed(10 + i), "ids burnt");
    }

    /*//////////////////////////////////////////////////////////////
                                CAMPAIGNS
    //////////////////////////////////////////////////////////////*/

    function _leaf(uint256 index, address account, uint256 amount) private pure returns (bytes32) {
        return keccak256(bytes.concat(keccak256(abi.encode(index, account, amount))));
    }

    function _proof(bytes32 sibling) private pure returns (bytes32[] memory proof) {
        proof = new bytes32[](1);
        proof[0] = sibling;
    }

    /// @dev A two-leaf campaign under test.
    struct TwoLeaves {
        uint256 id;
        uint256 index;
        address[2] accounts;
        uint256[2] amounts;
        bytes32[2] leaves;
        uint256 end;
    }

    function _claim(TwoLeaves memory c, uint256 k, uint256 amount) private {
        vault.claimCampaign(c.id, c.index + k, c.accounts[k], amount, _proof(c.leaves[1 - k]));
    }

    /// @dev A two-leaf campaign pays each leaf once, refuses a forged amount, stops at its end, and
    /// on closing returns the unclaimed part to the budget only if its opening epoch is current.
    function testFuzz_campaign_leavesPayOnceAndCloseReturnsUnclaimedInEpoch(
        uint256 index,
        address[2] calldata accounts,
        uint256[2] calldata amounts,
        bool claimSecond,
        bool closeInLaterEpoch
    ) public {
        _assumeAccount(accounts[0]);
        _assumeAccount(accounts[1]);
        TwoLeaves memory c;
        c.index = bound(index, 0, type(uint256).max - 1);
        c.accounts = accounts;
        c.amounts = [bound(amounts[0], 1, BUDGET / 2), bound(amounts[1], 1, BUDGET / 2)];
        c.leaves = [_leaf(c.index, accounts[0], c.amounts[0]), _leaf(c.index + 1, accounts[1], c.amounts[1])];
        bytes32 root =
            c.leaves[0] < c.leaves[1]
                ? keccak256(abi.encode(c.leaves[0], c.leaves[1]))
                : keccak256(abi.encode(c.leaves[1], c.leaves[0]));
        c.end = block.timestamp + EPOCH / 2;
        uint256 total = c.amounts[0] + c.amounts[1];

        vm.prank(OPERATOR);
        c.id = vault.openCampaign(root, total, c.end);
        assertEq(vault.epochSpent(), total, "reservation charged");

        uint256 before0 = token.balanceOf(accounts[0]);
        _claim(c, 0, c.amounts[0]);
        assertEq(token.balanceOf(accounts[0]), before0 + c.amounts[0], "leaf 0 paid");
        vm.expectRevert(abi.encodeWithSelector(IRewardVault.CampaignAlreadyClaimed.selector, c.id, c.index));
        _claim(c, 0, c.amounts[0]);
        vm.expectRevert(abi.encodeWithSelector(IRewardVault.CampaignInvalidProof.selector, c.id, c.index + 1));
        _claim(c, 1, c.amounts[1] + 1);
        if (claimSecond) _claim(c, 1, c.amounts[1]);
        assertEq(vault.epochSpent(), total, "claims charge the reservation, not the epoch");

        uint256 claimed = claimSecond ? total : c.amounts[0];
        vm.expectRevert(abi.encodeWithSelector(IRewardVault.CampaignNotEnded.selector, c.id, c.end));
        vault.closeCampaign(c.id);
        vm.warp(closeInLaterEpoch ? block.timestamp + EPOCH : c.end + 1);
        vm.expectRevert(abi.encodeWithSelector(IRewardVault.CampaignEnded.selector, c.id, c.end));
        _claim(c, 1, c.amounts[1]);

        vault.closeCampaign(c.id);
        if (closeInLaterEpoch) {
            assertEq(vault.epochSpent(), 0, "later epoch: nothing returned into it");
            assertEq(vault.remainingBudget(), BUDGET, "later epoch: full budget");
        } else {
            assertEq(vault.epochSpent(), claimed, "unclaimed returned to the opening epoch");
        }
        vm.expectRevert(abi.encodeWithSelector(IRewardVault.CampaignAlreadyClosed.selector, c.id));
        vault.closeCampaign(c.id);
        assertEq(vault.campaign(c.id).claimed, claimed, "campaign claimed");
    }

    /*//////////////////////////////////////////////////////////////
                            STATEFUL (SEEDED)
    //////////////////////////////////////////////////////////////*/

    /// @dev 30-60 pseudo-random handler actions from several actors (redeem with fresh or reused ids,
    /// batches, warps across epochs, campaigns opened / claimed / closed, referral claims, budget,
    /// rate and pause changes); every outcome must match the model and, after every step, (a) no
    /// voucher id or campaign leaf pays twice, (b) per-epoch charges and voucher mints stay within
    /// the budget, (c) supply <= cap, (d) vault-minted supply = vouchers + claimed bonuses +
    /// campaign claims, (e) referral bonuses credited only to each fan's recorded referrer.
    /// forge-config: default.fuzz.runs = 256
    function testFuzz_stateful_invariantsHoldAfterEveryStep(uint256 seed, uint8 steps) public {
        RewardVaultHandler h = _deployStateful();
        uint256 n = bound(steps, 30, 60);
        for (uint256 i; i < n; ++i) {
            h.step(uint256(keccak256(abi.encode(seed, i))));
            _assertAllInvariants(h);
        }
    }

    /// @dev The seeded sequences are not vacuous: over four fixed seeds every action succeeds at
    /// least once and every expected revert branch of interest is hit.
    function test_stateful_fixedSeedsExerciseEveryBranch() public {
        uint256[ACTIONS] memory ok;
        bytes4[20] memory selectors = [
            IRewardVault.RewardVaultInvalidVoucher.selector,
            IRewardVault.RewardVaultBatchLengthMismatch.selector,
            IRewardVault.RewardVaultNotOperator.selector,
            IRewardVault.RewardVaultNotAdmin.selector,
            IRewardVault.RewardVaultBudgetTooLarge.selector,
            IRewardVault.RewardVaultInvalidReferralBps.selector,
            IRewardVault.CampaignUnknown.selector,
            IRewardVault.RewardVaultVoucherAlreadyRedeemed.selector,
            IRewardVault.RewardVaultBadSignature.selector,
            IRewardVault.RewardVaultOverBudget.selector,
            IRewardVault.RewardVaultVoucherExpired.selector,
            IRewardVault.RewardVaultCapReached.selector,
            IRewardVault.RewardVaultNothingToClaim.selector,
            IRewardVault.RewardVaultPaused.selector,
            IRewardVault.CampaignAlreadyClaimed.selector,
            IRewardVault.CampaignInvalidProof.selector,
            IRewardVault.CampaignEnded.selector,
            IRewardVault.CampaignNotEnded.selector,
            IRewardVault.CampaignAlreadyClosed.selector,
            IRewardVault.CampaignTotalExceeded.selector
        ];
        uint256[20] memory hits;
        uint256 returning;
        uint256 lapsed;
        for (uint256 s; s < SEEDS; ++s) {
            RewardVaultHandler h = _deployStateful();
            for (uint256 i; i < 60; ++i) {
                h.step(uint256(keccak256(abi.encode("fixed seed", s, i))));
                _assertAllInvariants(h);
            }
            for (uint256 a; a < ACTIONS; ++a) ok[a] += h.successes(a);
            for (uint256 k; k < selectors.length; ++k) hits[k] += h.revertsBySelector(selectors[k]);
            returning += h.closesReturning();
            lapsed += h.closesLapsed();
        }
        string memory summary = " (successes per action:";
        for (uint256 a; a < ACTIONS; ++a) summary = string.concat(summary, " ", Strings.toString(ok[a]));
        summary = string.concat(summary, "; reverts per selector:");
        for (uint256 k; k < selectors.length; ++k) summary = string.concat(summary, " ", Strings.toString(hits[k]));
        summary = string.concat(summary, ")");
        for (uint256 a; a < ACTIONS; ++a) {
            assertTrue(ok[a] != 0, string.concat("action never succeeded: ", Strings.toString(a), summary));
        }
        for (uint256 k; k < selectors.length; ++k) {
            assertTrue(
                hits[k] != 0,
                string.concat("revert never hit: ", Strings.toHexString(uint32(selectors[k]), 4), summary)
            );
        }
        assertTrue(returning != 0, "no close returned budget");
        assertTrue(lapsed != 0, "no close let its reservation lapse");
    }
}
