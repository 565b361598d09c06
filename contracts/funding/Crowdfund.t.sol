// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

// Fuzz settings. hardhat.config.ts's `test.solidity` block sets the defaults (256 fuzz runs, 64
// invariant runs x depth 100, Hardhat's fixed default fuzz seed) except where a `forge-config:`
// line in a test's NatSpec overrides them:
// - every plain `testFuzz_*`: 256 runs (the default);
// - testFuzz_stateful_invariantsHoldAfterEveryStep: 256 runs x 30-60 handler steps (depth), every
//   invariant checked after every step (plus refund-everyone / claim-everyone checks on a state
//   snapshot), then a drain that settles and empties the crowdfund;
// - test_stateful_fixedSeedsExerciseEveryBranch: 24 fixed seeds x 60 steps, a coverage check (the
//   invariants are checked at the end of each sequence only, which keeps it light: EDR re-executes
//   a failing test with tracing, and a failing 24 x 60 run with per-step checks needed ~19 GB);
// - CrowdfundInvariantTest (forge-style `invariant_*` on the same handler) lives in
//   CrowdfundInvariant.t.sol: 64 runs x depth 50.
// The whole file runs in about 11 s on 2 cores (`--no-compile`; a full compile takes ~60 s), peak
// ~0.6 GB.
// Three tests were written as findings against an earlier Crowdfund and now guard the fixes:
// test_success_unclaimableDustWithinDocumentedBound (the documented rounding bound),
// testFuzz_finalize_anyPriceSettlesAfterGrace (prices are capped below 2^128 at creation, so
// finalize cannot overflow), testFuzz_contribute_erc20AnyAmountPastCapRevertsCapExceeded (the cap
// check cannot overflow).

import {Clones} from "@openzeppelin/contracts/proxy/Clones.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";
import {Strings} from "@openzeppelin/contracts/utils/Strings.sol";
import {ICrowdfund} from "../interfaces/ICrowdfund.sol";
import {ISocialToken} from "../interfaces/ISocialToken.sol";
import {SocialToken} from "../token/SocialToken.sol";
import {Crowdfund} from "./Crowdfund.sol";
import {CrowdfundHandler, CrowdfundPayee} from "../test/CrowdfundHandler.sol";
import {MockERC20} from "../test/MockERC20.sol";
import {Vm, Assertions, hexOf} from "../test/SolidityTestBase.sol";

/**
 * @title Crowdfund test fixture
 * @notice Deploys a token clone and a crowdfund clone directly (no factory), the test contract being
 * the token's admin so it can grant or withhold MINTER_ROLE, and checks the stateful invariants
 * against a {CrowdfundHandler}.
 */
abstract contract CrowdfundFixture is Assertions {
    Vm internal constant vm = Vm(address(uint160(uint256(keccak256("hevm cheat code")))));

    address internal constant TREASURY = address(0x7EA5_0000);
    address internal constant FEE_RECIPIENT = address(0xFEE5_0000);
    address internal constant CREATOR = address(0xC4EA_7000);
    address internal constant OUTSIDER = address(0x0B5E55ED);
    uint256 internal constant INITIAL_SUPPLY = 1_000e18;
    uint256 internal constant MAX_BPS = 10_000;
    uint256 internal constant PRICE_SCALE = 1e18;
    uint256 internal constant MINT_GRACE = 30 days;
    bytes32 internal constant MINTER_ROLE = keccak256("MINTER_ROLE");
    uint256 internal constant ACTORS = 4;

    SocialToken internal tokenImplementation;
    Crowdfund internal crowdfundImplementation;

    /// @dev One crowdfund's set-up.
    struct Setup {
        address paymentToken;
        uint256 goal;
        uint256 cap;
        uint256 duration;
        uint256 price;
        uint16 referralBps;
        uint16 feeBps;
        bool grantMinter;
        uint256 tokenCap;
        address treasury;
        address feeRecipient;
    }

    function _deployImplementations() internal {
        tokenImplementation = new SocialToken();
        crowdfundImplementation = new Crowdfund();
    }

    /// @dev 10 ETH goal, no cap, a week, 1 token per payment unit, 10% referral bonus, 2.5% fee,
    /// MINTER_ROLE granted, a cap far away, EOA treasury and fee recipient.
    function _setup() internal pure returns (Setup memory) {
        return
            Setup({
                paymentToken: address(0),
                goal: 10 ether,
                cap: 0,
                duration: 7 days,
                price: 1e18,
                referralBps: 1_000,
                feeBps: 250,
                grantMinter: true,
                tokenCap: 1e40,
                treasury: TREASURY,
                feeRecipient: FEE_RECIPIENT
            });
    }

    /// @dev A token clone (admin: this contract) and a crowdfund clone initialised with `s`.
    function _deploy(Setup memory s) internal returns (SocialToken token, Crowdfund cf) {
        token = SocialToken(Clones.clone(address(tokenImplementation)));
        token.initialize(
            ISocialToken.TokenConfig({
                name: "Crowd Fans",
                symbol: "CROWD",
                cap: s.tokenCap,
                admin: address(this),
                minter: address(0),
                initialHolder: CREATOR,
                initialAmount: INITIAL_SUPPLY
            })
        );
        cf = Crowdfund(Clones.clone(address(crowdfundImplementation)));
        cf.initialize(
            address(token),
            s.treasury,
            s.feeRecipient,
            s.feeBps,
            ICrowdfund.Params({
                paymentToken: s.paymentToken,
                goal: s.goal,
                cap: s.cap,
                deadline: block.timestamp + s.duration,
                price: s.price,
                referralBps: s.referralBps
            })
        );
        if (s.grantMinter) token.grantRole(MINTER_ROLE, address(cf));
    }

    /// @dev Contributor `i` (EOAs, so they take ETH).
    function _actor(uint256 i) internal pure returns (address) {
        return address(uint160(0xC0F1 + (i % ACTORS)));
    }

    /// @dev The tokens a success mints: `mulDiv(raised, price, 1e18) +
    /// mulDiv(mulDiv(referred, price, 1e18), referralBps, 10_000)`.
    function _tokensFor(uint256 raised, uint256 referred, uint256 price, uint256 bps) internal pure returns (uint256) {
        return
            Math.mulDiv(raised, price, PRICE_SCALE) +
            Math.mulDiv(Math.mulDiv(referred, price, PRICE_SCALE), bps, MAX_BPS);
    }

    /// @dev The most the per-account rounding can leave unclaimable: each account's contribution
    /// tokens round down once (< 1 each, so at most `contributors - 1` below the single rounding of
    /// the total), its referral bonus twice (at most `2 * (referrers - 1)`).
    function _dustBound(uint256 contributors, uint256 referrers) internal pure returns (uint256) {
        return (contributors == 0 ? 0 : contributors - 1) + 2 * (referrers == 0 ? 0 : referrers - 1);
    }

    /*//////////////////////////////////////////////////////////////
                           STATEFUL SET-UP
    //////////////////////////////////////////////////////////////*/

    /// @dev A crowdfund whose parameters are drawn from `seed` (goal 1-50 ETH; a cap in a quarter
    /// of runs; 1-10 days; a price of 1e18, a tiny one that rounds a lot, an arbitrary one up to
    /// 1e24, or an odd one; extreme or arbitrary referral and fee rates; MINTER_ROLE withheld in a
    /// fifth of runs, a token cap in the way in an eighth), its payees (each refusing ETH at first in
    /// a quarter of runs) and its handler.
    function _deployStateful(uint256 seed) internal returns (CrowdfundHandler h) {
        Setup memory s = _setup();
        s.goal = 1 ether + (_r(seed, 1) % 49 ether);
        s.cap = _r(seed, 2) % 4 == 0 ? s.goal + (_r(seed, 3) % s.goal) : 0;
        s.duration = 1 days + (_r(seed, 4) % 9 days);
        uint256 priceMode = _r(seed, 5) % 4;
        s.price =
            priceMode == 0
                ? 1e18
                : (priceMode == 1 ? 1 + (_r(seed, 6) % 1000) : (priceMode == 2 ? 1 + (_r(seed, 6) % 1e24) : 7e17 + 3));
        uint256 bpsMode = _r(seed, 7) % 4;
        s.referralBps = uint16(bpsMode == 0 ? 0 : (bpsMode == 1 ? MAX_BPS : _r(seed, 8) % (MAX_BPS + 1)));
        uint256 feeMode = _r(seed, 9) % 5;
        s.feeBps = uint16(feeMode == 0 ? 0 : (feeMode == 1 ? MAX_BPS : _r(seed, 10) % 1_001));
        s.grantMinter = _r(seed, 11) % 5 != 0;
        s.tokenCap = _r(seed, 12) % 8 == 0 ? INITIAL_SUPPLY + 1 : 1e40;
        uint256 unit = s.goal / (1 + (_r(seed, 13) % 8));
        h = _deployWithHandler(s, unit, _r(seed, 14) % 4 != 0, _r(seed, 15) % 4 != 0);
    }

    /// @dev Payees (taking ETH or not to begin with), a crowdfund paying them, and its handler.
    function _deployWithHandler(
        Setup memory s,
        uint256 unit,
        bool treasuryAccepts,
        bool feeRecipientAccepts
    ) internal returns (CrowdfundHandler h) {
        CrowdfundPayee treasury = new CrowdfundPayee(treasuryAccepts);
        CrowdfundPayee feeRecipient = new CrowdfundPayee(feeRecipientAccepts);
        s.treasury = address(treasury);
        s.feeRecipient = address(feeRecipient);
        (, Crowdfund cf) = _deploy(s);
        h = new CrowdfundHandler(cf, treasury, feeRecipient, address(this), unit);
    }

    function _r(uint256 seed, uint256 salt) internal pure returns (uint256) {
        return uint256(keccak256(abi.encode(seed, salt)));
    }

    /*//////////////////////////////////////////////////////////////
                           STATEFUL INVARIANTS
    //////////////////////////////////////////////////////////////*/

    /// @dev Every call's outcome matched the model (exact revert data included).
    function _assertOutcomesMatchModel(CrowdfundHandler h) internal view {
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

    /// @dev The crowdfund's views equal the model's.
    function _assertViewsMatchModel(CrowdfundHandler h) internal view {
        Crowdfund cf = h.crowdfund();
        assertEq(uint256(cf.state()), uint256(h.stateModel()), "state");
        assertEq(cf.raised(), h.raisedModel(), "raised");
        for (uint256 i; i < h.ACCOUNT_COUNT(); ++i) {
            address a = h.accountAt(i);
            assertEq(cf.contributionOf(a), h.paidModel(a), "contributionOf");
            assertEq(cf.referredBy(a), h.referredModel(a), "referredBy");
            if (h.settled() == ICrowdfund.State.Succeeded) {
                (uint256 tokens, uint256 bonus) = cf.claimableTokens(a);
                (uint256 mTokens, uint256 mBonus) = h.claimableModel(a);
                assertEq(tokens, mTokens, "claimable tokens");
                assertEq(bonus, mBonus, "claimable bonus");
            }
        }
        assertEq(cf.payoutOwed(address(h.treasury())), h.owedModel(address(h.treasury())), "treasury owed");
        assertEq(cf.payoutOwed(address(h.feeRecipient())), h.owedModel(address(h.feeRecipient())), "fee owed");
    }

    /// @dev (a) Money is conserved: everything contributed was refunded, paid to the treasury or
    /// the fee recipient, is owed to them as a deferred payout, or is still held for the
    /// contributors (before success); the crowdfund's balance is exactly that plus what was forced
    /// on it. After success the treasury's and fee recipient's shares are exactly raised - fee and
    /// fee = raised * feeBps / 10_000; before it they got nothing.
    function _assertMoneyConserved(CrowdfundHandler h) internal view {
        Crowdfund cf = h.crowdfund();
        uint256 held;
        if (h.settled() != ICrowdfund.State.Succeeded) {
            for (uint256 i; i < h.ACTOR_COUNT(); ++i) held += cf.contributionOf(h.actors(i));
        }
        uint256 owedTreasury = cf.payoutOwed(address(h.treasury()));
        uint256 owedFee = cf.payoutOwed(address(h.feeRecipient()));
        assertEq(h.contributed(), h.raisedModel(), "(a) ETH taken in != raised");
        assertEq(
            h.contributed(),
            h.refunded() + h.treasuryReceived() + h.feeReceived() + owedTreasury + owedFee + held,
            "(a) contributed != refunded + paid out + owed + held"
        );
        assertEq(
            address(cf).balance,
            h.forceSent() + held + owedTreasury + owedFee,
            "(a) crowdfund balance != forced + held + owed"
        );
        if (h.settled() == ICrowdfund.State.Succeeded) {
            uint256 fee = (h.raisedModel() * h.feeBps()) / MAX_BPS;
            assertEq(h.feeReceived() + owedFee, fee, "(a) fee paid + owed != raised * feeBps / 10000");
            assertEq(
                h.treasuryReceived() + owedTreasury,
                h.raisedModel() - fee,
                "(a) treasury paid + owed != raised - fee"
            );
            assertEq(h.refunded(), 0, "(a) refunds after success");
        } else {
            assertEq(h.treasuryReceived() + h.feeReceived() + owedTreasury + owedFee, 0, "(a) payout before success");
        }
    }

    /// @dev (b) Until success, every contributor's claim is exactly what it paid less what was
    /// refunded to it (all or nothing), and the crowdfund holds enough to refund all of them.
    function _assertRefundsCovered(CrowdfundHandler h) internal view {
        if (h.settled() == ICrowdfund.State.Succeeded) return;
        Crowdfund cf = h.crowdfund();
        uint256 owed;
        for (uint256 i; i < h.ACTOR_COUNT(); ++i) {
            address a = h.actors(i);
            uint256 paid = cf.contributionOf(a);
            assertEq(paid + h.refundedOf(a), h.contributedBy(a), "(b) still owed + refunded != paid");
            assertTrue(paid == 0 || h.refundedOf(a) == 0, "(b) partial refund");
            owed += paid;
        }
        assertLe(owed, address(cf).balance, "(b) crowdfund cannot cover every refund");
    }

    /// @dev (c) Tokens are minted once, at a successful finalisation, exactly
    /// mulDiv(raised, price, 1e18) + mulDiv(mulDiv(referred, price, 1e18), referralBps, 10_000);
    /// the crowdfund holds what was minted less what was claimed, which covers every open claim
    /// with at most the rounding bound left over.
    function _assertMintedMatchesContributions(CrowdfundHandler h) internal view {
        Crowdfund cf = h.crowdfund();
        SocialToken token = h.token();
        bool succeeded = h.settled() == ICrowdfund.State.Succeeded;
        uint256 expected = succeeded ? h.tokensForContributions() : 0;
        assertEq(token.totalSupply() - h.initialSupply(), expected, "(c) minted != price x contributions + bonuses");
        assertEq(h.minted(), expected, "(c) finalisation minted");
        assertEq(
            token.balanceOf(address(cf)),
            expected - h.tokensClaimed(),
            "(c) crowdfund tokens != minted - claimed"
        );
        uint256 open;
        uint256 contributors;
        uint256 referrers;
        for (uint256 i; i < h.ACCOUNT_COUNT(); ++i) {
            address a = h.accountAt(i);
            (uint256 tokens, uint256 bonus) = h.claimableModel(a);
            if (succeeded) open += tokens + bonus;
            if (h.contributedBy(a) != 0) ++contributors;
            if (h.referredEver(a) != 0) ++referrers;
        }
        assertLe(h.tokensClaimed() + open, expected, "(c) claims exceed minted");
        assertLe(expected - h.tokensClaimed() - open, _dustBound(contributors, referrers), "(c) unclaimable dust");
    }

    /// @dev (d) Nobody is refunded twice or claims twice, and nobody both claims and is refunded.
    function _assertNoDoubleRefundOrClaim(CrowdfundHandler h) internal view {
        for (uint256 i; i < h.ACCOUNT_COUNT(); ++i) {
            address a = h.accountAt(i);
            assertLe(h.refundCount(a), 1, "(d) refunded twice");
            assertLe(h.claimCount(a), 1, "(d) claimed twice");
            assertTrue(h.refundCount(a) == 0 || h.claimCount(a) == 0, "(d) refunded and claimed");
        }
    }

    /// @dev (e) No asset the crowdfund holds exceeds what it owes unless sweepable: owedOf(ETH) is
    /// exactly the contributions held plus the deferred payouts, so the ETH above it is exactly what
    /// was forced on the crowdfund (what {Crowdfund-sweepStrayTokens} sends the treasury); owedOf
    /// the community token is what was minted less what was claimed, and the crowdfund holds it.
    function _assertSurplusSweepable(CrowdfundHandler h) internal view {
        Crowdfund cf = h.crowdfund();
        uint256 held;
        if (h.settled() != ICrowdfund.State.Succeeded) {
            for (uint256 i; i < h.ACTOR_COUNT(); ++i) held += cf.contributionOf(h.actors(i));
        }
        uint256 owed = held + cf.payoutOwed(address(h.treasury())) + cf.payoutOwed(address(h.feeRecipient()));
        assertEq(cf.owedOf(address(0)), owed, "(e) owedOf(ETH) != held + deferred payouts");
        assertEq(address(cf).balance - cf.owedOf(address(0)), h.forceSent(), "(e) ETH above owed != forced");
        address token = address(h.token());
        assertEq(cf.owedOf(token), h.minted() - h.tokensClaimed(), "(e) owedOf(token) != minted - claimed");
        assertEq(h.token().balanceOf(address(cf)), cf.owedOf(token), "(e) token balance != owed");
    }

    function _assertAllInvariants(CrowdfundHandler h) internal view {
        _assertSurplusSweepable(h);
        _assertOutcomesMatchModel(h);
        _assertViewsMatchModel(h);
        _assertMoneyConserved(h);
        _assertRefundsCovered(h);
        _assertMintedMatchesContributions(h);
        _assertNoDoubleRefundOrClaim(h);
    }
}

/**
 * @title Crowdfund fuzz and stateful tests
 * @notice Contributions are recorded exactly, the cap and the deadline bind, a failure refunds
 * exactly what each contributor paid whatever ETH is forced on the contract, a success pays the
 * treasury and the fee exactly and mints exactly what the contributions and referrals bought, and a
 * seed-driven sequence of mixed actions keeps money conserved, refunds whole, mints exact and
 * nothing paid twice after every step.
 */
contract CrowdfundTest is CrowdfundFixture {
    uint256 private constant SEEDS = 24;

    function setUp() public {
        _deployImplementations();
    }

    /// @dev Pays `amount` from `who` in the crowdfund's currency (dealt or minted first).
    function _pay(Crowdfund cf, address who, uint256 amount, address referrer) private {
        address asset = cf.params().paymentToken;
        if (asset == address(0)) {
            vm.deal(who, who.balance + amount);
            vm.prank(who);
            cf.contribute{value: amount}(amount, referrer);
        } else {
            MockERC20(asset).mint(who, amount);
            vm.prank(who);
            MockERC20(asset).approve(address(cf), amount);
            vm.prank(who);
            cf.contribute(amount, referrer);
        }
    }

    function _balance(address asset, address who) private view returns (uint256) {
        return asset == address(0) ? who.balance : MockERC20(asset).balanceOf(who);
    }

    /// @dev Referrer choice `r`: none, the contributor itself, the outsider or a contributor.
    function _pickReferrer(address who, uint256 r) private pure returns (address) {
        uint256 mode = r % 6;
        if (mode == 0) return address(0);
        if (mode == 1) return who;
        if (mode == 2) return OUTSIDER;
        return _actor(r >> 3);
    }

    /*//////////////////////////////////////////////////////////////
                               CONTRIBUTING
    //////////////////////////////////////////////////////////////*/

    /// @dev Any sequence of up to six contributions within the cap (ETH or ERC-20, any contributor,
    /// any referrer including itself and none) is recorded exactly: raised is the sum, each
    /// contributionOf is that contributor's sum, each referredBy the sum naming it (self-referrals
    /// ignored), and the crowdfund holds the sum. Filling to the cap exactly ends the crowdfund.
    function testFuzz_contribute_recordsAnySequenceWithinCap(
        uint256[6] calldata amounts,
        uint256 actorBits,
        uint256 referrerBits,
        uint256 capSeed,
        bool fillToCap,
        bool erc20
    ) public {
        Setup memory s = _setup();
        if (erc20) s.paymentToken = address(new MockERC20("Pay", "PAY"));
        s.cap = bound(capSeed, 6, 1e30);
        s.goal = s.cap;
        (, Crowdfund cf) = _deploy(s);

        uint256[ACTORS + 1] memory paid; // the outsider (index ACTORS) only refers
        uint256[ACTORS + 1] memory referred;
        uint256 sum;
        for (uint256 i; i < 6; ++i) {
            uint256 amount = bound(amounts[i], 1, s.cap / 6);
            uint256 who = (actorBits >> (8 * i)) % ACTORS;
            address referrer = _pickReferrer(_actor(who), referrerBits >> (8 * i));
            if (fillToCap && i == 5) amount = s.cap - sum;
            _pay(cf, _actor(who), amount, referrer);
            sum += amount;
            paid[who] += amount;
            if (referrer == OUTSIDER) referred[ACTORS] += amount;
            else if (referrer != address(0) && referrer != _actor(who)) referred[uint160(referrer) - 0xC0F1] += amount;
            assertEq(cf.raised(), sum, "raised == running sum");
        }
        for (uint256 i; i < ACTORS; ++i) {
            assertEq(cf.contributionOf(_actor(i)), paid[i], "contributionOf == its sum");
            assertEq(cf.referredBy(_actor(i)), referred[i], "referredBy == contributions naming it");
        }
        assertEq(cf.contributionOf(OUTSIDER), 0, "outsider paid nothing");
        assertEq(cf.referredBy(OUTSIDER), referred[ACTORS], "outsider referredBy");
        assertEq(_balance(s.paymentToken, address(cf)), sum, "crowdfund holds the sum");
        if (sum == s.cap) {
            assertEq(uint256(cf.state()), uint256(ICrowdfund.State.Ended), "cap reached: Ended");
            if (erc20) MockERC20(s.paymentToken).mint(_actor(0), 1);
            else vm.deal(_actor(0), 1);
            if (erc20) {
                vm.prank(_actor(0));
                MockERC20(s.paymentToken).approve(address(cf), 1);
            }
            vm.expectRevert(abi.encodeWithSelector(ICrowdfund.CrowdfundCapExceeded.selector, 1, 0));
            vm.prank(_actor(0));
            cf.contribute{value: erc20 ? 0 : 1}(1, address(0));
        } else {
            assertEq(uint256(cf.state()), uint256(ICrowdfund.State.Active), "below cap: Active");
        }
    }

    /// @dev What a rejected contribution must leave unchanged.
    struct Snapshot {
        uint256 raised;
        uint256 paid;
        uint256 referred;
        uint256 held;
        uint256 contributorBalance;
        uint256 state;
    }

    function _snapshot(Crowdfund cf, address who, address referrer) private view returns (Snapshot memory) {
        return
            Snapshot({
                raised: cf.raised(),
                paid: cf.contributionOf(who),
                referred: cf.referredBy(referrer),
                held: address(cf).balance,
                contributorBalance: who.balance,
                state: uint256(cf.state())
            });
    }

    function _assertUnchanged(Snapshot memory a, Snapshot memory b) private pure {
        assertEq(b.raised, a.raised, "raised unchanged");
        assertEq(b.paid, a.paid, "contributionOf unchanged");
        assertEq(b.referred, a.referred, "referredBy unchanged");
        assertEq(b.held, a.held, "crowdfund balance unchanged");
        assertEq(b.contributorBalance, a.contributorBalance, "contributor balance unchanged");
        assertEq(b.state, a.state, "state unchanged");
    }

    /// @dev A contribution that would take the total past the cap (or, without a cap, past
    /// 2^128 - 1) reverts CrowdfundCapExceeded(amount, remaining) and changes nothing; exactly the
    /// remainder then goes through. Amounts up to 2^129 (any ETH amount that can exist).
    function testFuzz_contribute_pastCapRevertsAndChangesNothing(
        uint256 capSeed,
        uint256 first,
        uint256 amount,
        bool noCap,
        uint256 referrerSeed
    ) public {
        Setup memory s = _setup();
        uint256 limit;
        if (noCap) {
            limit = type(uint128).max;
            s.cap = 0;
            s.goal = 1 ether;
        } else {
            s.cap = bound(capSeed, 1, 1e30);
            s.goal = s.cap;
            limit = s.cap;
        }
        (, Crowdfund cf) = _deploy(s);
        address who = _actor(0);
        address referrer = _pickReferrer(who, referrerSeed);
        first = bound(first, 0, limit);
        if (first != 0) _pay(cf, _actor(1), first, address(0));
        uint256 remaining = limit - first;
        amount = bound(amount, remaining + 1, uint256(type(uint128).max) * 2 + 2);

        vm.deal(who, amount);
        Snapshot memory before = _snapshot(cf, who, referrer);
        vm.expectRevert(abi.encodeWithSelector(ICrowdfund.CrowdfundCapExceeded.selector, amount, remaining));
        vm.prank(who);
        cf.contribute{value: amount}(amount, referrer);
        _assertUnchanged(before, _snapshot(cf, who, referrer));

        if (remaining != 0) {
            vm.prank(who);
            cf.contribute{value: remaining}(remaining, referrer);
            assertEq(cf.raised(), limit, "filled to the limit");
            if (!noCap) assertEq(uint256(cf.state()), uint256(ICrowdfund.State.Ended), "cap reached: Ended");
        }
    }

    /// @dev With an ERC-20 (no ETH needed, nothing pulled before the check), any amount past the
    /// cap, up to 2^256 - 1, reverts CrowdfundCapExceeded(amount, remaining) and changes nothing.
    /// Half the runs draw the amount from the top of the uint256 range, where raised + amount
    /// does not fit in 256 bits.
    function testFuzz_contribute_erc20AnyAmountPastCapRevertsCapExceeded(
        uint256 capSeed,
        uint256 first,
        uint256 amount,
        bool nearMax
    ) public {
        Setup memory s = _setup();
        s.paymentToken = address(new MockERC20("Pay", "PAY"));
        s.cap = bound(capSeed, 1, 1e30);
        s.goal = s.cap;
        (, Crowdfund cf) = _deploy(s);
        first = bound(first, 1, s.cap);
        _pay(cf, _actor(1), first, address(0));
        uint256 remaining = s.cap - first;
        amount =
            nearMax ? type(uint256).max - bound(amount, 0, 2 * s.cap) : bound(amount, remaining + 1, type(uint256).max);

        vm.expectRevert(abi.encodeWithSelector(ICrowdfund.CrowdfundCapExceeded.selector, amount, remaining));
        vm.prank(_actor(0));
        cf.contribute(amount, address(0));
        assertEq(cf.raised(), first, "raised unchanged");
        assertEq(cf.contributionOf(_actor(0)), 0, "nothing recorded");
    }

    /// @dev Contributions are accepted up to and including the deadline's second and revert
    /// CrowdfundDeadlinePassed(deadline) after it, changing nothing; once finalised they revert
    /// CrowdfundWrongState.
    function testFuzz_contribute_revertsAfterDeadline(uint256 duration, uint256 late, uint256 amount) public {
        Setup memory s = _setup();
        s.duration = bound(duration, 1, 365 days);
        (, Crowdfund cf) = _deploy(s);
        uint256 deadline = block.timestamp + s.duration;
        amount = bound(amount, 1, s.goal - 1);
        address who = _actor(2);

        vm.warp(deadline);
        _pay(cf, who, amount, address(0));
        assertEq(cf.raised(), amount, "last-second contribution accepted");

        vm.warp(deadline + bound(late, 1, 10 * 365 days));
        vm.deal(who, 1);
        Snapshot memory before = _snapshot(cf, who, address(0));
        vm.expectRevert(abi.encodeWithSelector(ICrowdfund.CrowdfundDeadlinePassed.selector, deadline));
        vm.prank(who);
        cf.contribute{value: 1}(1, address(0));
        _assertUnchanged(before, _snapshot(cf, who, address(0)));
        assertEq(uint256(cf.state()), uint256(ICrowdfund.State.Ended), "Ended after the deadline");

        cf.finalize(); // goal missed
        vm.expectRevert(
            abi.encodeWithSelector(ICrowdfund.CrowdfundWrongState.selector, uint256(ICrowdfund.State.Failed))
        );
        vm.prank(who);
        cf.contribute{value: 1}(1, address(0));
    }

    /*//////////////////////////////////////////////////////////////
                                REFERRALS
    //////////////////////////////////////////////////////////////*/

    /// @dev Issue 11 item 6 (a documented decision, not a contract change): naming oneself earns
    /// nothing, and naming a second address of one's own earns exactly the bonus rate the crowdfund
    /// was created with (which the DAO approves with MINTER_ROLE) on the money paid, never more. The
    /// bonus is minted on top, so the community's other holders bear it through dilution.
    function testFuzz_referral_selfReferralThroughSecondAddressEarnsExactlyTheRate(
        uint256 amount,
        uint16 referralBps
    ) public {
        Setup memory s = _setup();
        s.referralBps = uint16(bound(referralBps, 1, MAX_BPS));
        amount = bound(amount, s.goal, 1_000 ether);
        (SocialToken token, Crowdfund cf) = _deploy(s);
        address me = _actor(0);
        address myOther = _actor(1);
        _pay(cf, me, amount / 2, me); // naming oneself: counted as naming nobody
        _pay(cf, me, amount - amount / 2, myOther);
        assertEq(cf.referredBy(me), 0, "self-referral earns nothing");
        assertEq(cf.referredBy(myOther), amount - amount / 2, "second address: the money it was named for");
        vm.warp(block.timestamp + s.duration + 1);
        uint256 supplyBefore = token.totalSupply();
        cf.finalize();
        cf.claimTokens(me);
        cf.claimTokens(myOther);
        uint256 bought = Math.mulDiv(amount, s.price, PRICE_SCALE);
        uint256 bonus = Math.mulDiv(Math.mulDiv(amount - amount / 2, s.price, PRICE_SCALE), s.referralBps, MAX_BPS);
        assertEq(token.balanceOf(me) + token.balanceOf(myOther), bought + bonus, "tokens: bought + the rate's bonus");
        assertEq(token.totalSupply() - supplyBefore, bought + bonus, "the bonus is minted on top (dilution)");
    }

    /*//////////////////////////////////////////////////////////////
                                 SWEEPING
    //////////////////////////////////////////////////////////////*/

    /// @dev Issue 11 item 5: whatever the crowdfund holds above what it owes, in the payment asset
    /// (ETH or ERC-20) or the community token, goes to the treasury, at any state; what it owes
    /// stays, and a treasury that rejects ETH makes the ETH sweep revert (nothing moves).
    function testFuzz_sweep_sendsOnlyTheSurplus(uint256 amount, uint256 extra, uint8 stage, bool erc20) public {
        Setup memory s = _setup();
        if (erc20) s.paymentToken = address(new MockERC20("Pay", "PAY"));
        CrowdfundPayee treasury = new CrowdfundPayee(true);
        s.treasury = address(treasury);
        amount = bound(amount, s.goal, 1_000 ether);
        extra = bound(extra, 1, 1_000 ether);
        stage = stage % 3; // 0: running, 1: succeeded, 2: failed
        if (stage == 2) s.goal = amount + 1;
        (SocialToken token, Crowdfund cf) = _deploy(s);
        _pay(cf, _actor(0), amount, address(0));
        if (stage != 0) {
            vm.warp(block.timestamp + s.duration + 1);
            cf.finalize();
        }
        uint256 owedPay = stage == 1 ? 0 : amount;
        uint256 owedTokens = stage == 1 ? Math.mulDiv(amount, s.price, PRICE_SCALE) : 0;
        assertEq(cf.owedOf(s.paymentToken), owedPay, "owed in the payment asset");
        assertEq(cf.owedOf(address(token)), owedTokens, "owed in tokens");

        // Surplus in the payment asset and the community token.
        if (erc20) MockERC20(s.paymentToken).mint(address(cf), extra);
        else vm.deal(address(cf), address(cf).balance + extra);
        vm.prank(CREATOR);
        token.transfer(address(cf), extra);
        if (!erc20) {
            treasury.setAccepting(false);
            vm.expectRevert(
                abi.encodeWithSelector(ICrowdfund.CrowdfundEthTransferFailed.selector, address(treasury), extra)
            );
            cf.sweepStrayTokens(address(0));
            treasury.setAccepting(true);
        }
        cf.sweepStrayTokens(s.paymentToken);
        cf.sweepStrayTokens(address(token));
        assertEq(
            _balance(s.paymentToken, address(treasury)),
            extra + (stage == 1 ? amount - (amount * 250) / 10_000 : 0),
            "payment surplus swept (beside the proceeds)"
        );
        assertEq(token.balanceOf(address(treasury)), extra, "token surplus swept");
        assertEq(_balance(s.paymentToken, address(cf)), owedPay, "payment owed stays");
        assertEq(token.balanceOf(address(cf)), owedTokens, "tokens owed stay");
        for (uint256 i; i < 2; ++i) {
            address asset = i == 0 ? s.paymentToken : address(token);
            vm.expectRevert(abi.encodeWithSelector(ICrowdfund.CrowdfundNothingToClaim.selector, address(cf)));
            cf.sweepStrayTokens(asset);
        }
        // What is owed is still paid in full.
        if (stage == 1) cf.claimTokens(_actor(0));
        if (stage == 2) {
            vm.prank(_actor(0));
            cf.refund(payable(_actor(0)));
        }
        assertEq(
            cf.owedOf(s.paymentToken) + cf.owedOf(address(token)),
            stage == 0 ? amount : 0,
            "settled: nothing owed"
        );
    }

    /*//////////////////////////////////////////////////////////////
                                  FAILURE
    //////////////////////////////////////////////////////////////*/

    /// @dev A failed crowdfund (goal missed; or goal met but MINTER_ROLE never granted; or goal met
    /// but the token cap in the way) refunds each contributor exactly what it paid, to any target,
    /// once; ETH forced on the contract before and after changes nothing and stays behind; the
    /// owed amounts go to zero (raised stays, as the record of what was contributed), no tokens are
    /// minted, the treasury and fee recipient get nothing, claims revert.
    function testFuzz_failure_refundsExactlyWhatEachPaid(
        uint256[6] calldata amounts,
        uint256 actorBits,
        uint256 toBits,
        uint256 extra,
        uint8 failMode,
        bool refundBeforeFinalize,
        bool erc20
    ) public {
        Setup memory s = _setup();
        if (erc20) s.paymentToken = address(new MockERC20("Pay", "PAY"));
        failMode = failMode % 3;
        uint256[6] memory bounded;
        s.goal = 0;
        for (uint256 i; i < 6; ++i) {
            bounded[i] = bound(amounts[i], 1, 100 ether);
            s.goal += bounded[i];
        }
        uint256 sum = s.goal;
        // 0: the goal is one wei out of reach; 1: met, but no MINTER_ROLE; 2: met, token cap in the way.
        if (failMode == 0) s.goal += 1;
        s.grantMinter = failMode != 1;
        if (failMode == 2) s.tokenCap = INITIAL_SUPPLY;
        (, Crowdfund cf) = _deploy(s);

        uint256[ACTORS] memory paid = _contributeEach(cf, bounded, actorBits);
        extra = bound(extra, 1, 1_000 ether);
        vm.deal(address(cf), address(cf).balance + extra); // forced ETH, outside the accounting

        _fail(cf, failMode, refundBeforeFinalize);
        vm.deal(address(cf), address(cf).balance + extra); // and more after the failure
        for (uint256 i; i < ACTORS; ++i) _refundOnce(cf, s.paymentToken, i, paid[i], toBits);

        assertEq(uint256(cf.state()), uint256(ICrowdfund.State.Failed), "Failed after refunds");
        for (uint256 i; i < ACTORS; ++i) assertEq(cf.contributionOf(_actor(i)), 0, "every owed amount is zero");
        assertEq(cf.raised(), sum, "raised stays the record of contributions");
        assertEq(_balance(s.paymentToken, address(cf)), erc20 ? 0 : 2 * extra, "nothing but forced ETH left");
        assertEq(address(cf).balance, 2 * extra, "forced ETH stays behind");
        assertEq(_balance(s.paymentToken, TREASURY), 0, "treasury got nothing");
        assertEq(_balance(s.paymentToken, FEE_RECIPIENT), 0, "fee recipient got nothing");
        assertEq(SocialToken(cf.token()).totalSupply(), INITIAL_SUPPLY, "nothing minted");
        vm.expectRevert(
            abi.encodeWithSelector(ICrowdfund.CrowdfundWrongState.selector, uint256(ICrowdfund.State.Failed))
        );
        cf.claimTokens(_actor(0));
    }

    /// @dev Six contributions by the contributors `actorBits` picks, naming random referrers;
    /// returns what each contributor paid.
    function _contributeEach(
        Crowdfund cf,
        uint256[6] memory amounts,
        uint256 actorBits
    ) private returns (uint256[ACTORS] memory paid) {
        for (uint256 i; i < 6; ++i) {
            uint256 who = (actorBits >> (8 * i)) % ACTORS;
            _pay(cf, _actor(who), amounts[i], _pickReferrer(_actor(who), actorBits >> (8 * i + 4)));
            paid[who] += amounts[i];
        }
    }

    /// @dev Takes an ended crowdfund to Failed: for a missed goal by finalising (or, with
    /// `viaRefund`, leaving it to the first refund); otherwise finalisation reverts
    /// CrowdfundCannotMint through the last second of the grace period and fails it after.
    function _fail(Crowdfund cf, uint8 failMode, bool viaRefund) private {
        uint256 deadline = cf.params().deadline;
        vm.warp(deadline + 1);
        if (failMode == 0) {
            assertEq(uint256(cf.state()), uint256(ICrowdfund.State.Ended), "Ended");
            if (viaRefund) return;
            cf.finalize();
        } else {
            bytes memory cannotMint = abi.encodeWithSelector(
                ICrowdfund.CrowdfundCannotMint.selector,
                deadline + MINT_GRACE
            );
            vm.expectRevert(cannotMint);
            cf.finalize();
            vm.warp(deadline + MINT_GRACE);
            vm.expectRevert(cannotMint);
            cf.finalize();
            vm.warp(deadline + MINT_GRACE + 1);
            cf.finalize();
        }
        assertEq(uint256(cf.state()), uint256(ICrowdfund.State.Failed), "Failed");
    }

    /// @dev Contributor `i` refunds (to itself or another address) exactly what it paid, once; with
    /// nothing paid the refund reverts.
    function _refundOnce(Crowdfund cf, address asset, uint256 i, uint256 paid, uint256 toBits) private {
        address who = _actor(i);
        if (paid == 0) {
            vm.expectRevert(abi.encodeWithSelector(ICrowdfund.CrowdfundNothingToClaim.selector, who));
            vm.prank(who);
            cf.refund(payable(who));
            return;
        }
        address payable to = payable((toBits >> i) % 2 == 0 ? who : address(uint160(0xAB00 + i)));
        uint256 toBefore = _balance(asset, to);
        uint256 heldBefore = _balance(asset, address(cf));
        vm.prank(who);
        cf.refund(to);
        assertEq(_balance(asset, to) - toBefore, paid, "refund == what it paid");
        assertEq(heldBefore - _balance(asset, address(cf)), paid, "crowdfund paid out exactly that");
        assertEq(cf.contributionOf(who), 0, "contributionOf zeroed");
        vm.expectRevert(abi.encodeWithSelector(ICrowdfund.CrowdfundNothingToClaim.selector, who));
        vm.prank(who);
        cf.refund(to);
    }

    /*//////////////////////////////////////////////////////////////
                                  SUCCESS
    //////////////////////////////////////////////////////////////*/

    /// @dev The success test's inputs, kept together (stack depth).
    struct SuccessCase {
        uint256[6] amounts;
        uint256[ACTORS + 1] paid;
        uint256[ACTORS + 1] referred;
        uint256 sum;
        uint256 referredTotal;
        uint256 extra;
        uint256 fee;
        uint256 minted;
        uint256 claimed;
        uint256 claimants;
        uint256 contributors;
        uint256 referrers;
    }

    /// @dev A success (by the deadline or by reaching the cap early) pays the treasury exactly
    /// raised - fee and the fee recipient fee = raised * feeBps / 10_000 whatever ETH was forced on
    /// the contract (which stays behind), mints exactly mulDiv(raised, price, 1e18) +
    /// mulDiv(mulDiv(referred, price, 1e18), referralBps, 10_000), and lets each account claim its
    /// tokens once: the claims never exceed the mint and leave at most the rounding bound behind.
    function testFuzz_success_paysOutAndMintsExactly(
        uint256[6] calldata amounts,
        uint256 actorBits,
        uint256 referrerBits,
        uint256 priceSeed,
        uint256 priceDigits,
        uint16 referralBps,
        uint16 feeBps,
        uint256 extra,
        bool viaCap
    ) public {
        Setup memory s = _setup();
        s.price = bound(priceSeed, 1, 10 ** bound(priceDigits, 0, 24));
        s.referralBps = uint16(bound(referralBps, 1, MAX_BPS));
        s.feeBps = uint16(bound(feeBps, 0, MAX_BPS));
        SuccessCase memory c;
        for (uint256 i; i < 6; ++i) {
            c.amounts[i] = bound(amounts[i], 1, 100 ether);
            c.sum += c.amounts[i];
        }
        s.goal = c.sum;
        if (viaCap) s.cap = c.sum;
        (SocialToken token, Crowdfund cf) = _deploy(s);
        _contributeAll(cf, actorBits, referrerBits, c);

        c.extra = bound(extra, 0, 1_000 ether);
        vm.deal(address(cf), address(cf).balance + c.extra);
        if (viaCap) {
            assertEq(uint256(cf.state()), uint256(ICrowdfund.State.Ended), "cap reached: Ended early");
        } else {
            vm.expectRevert(
                abi.encodeWithSelector(ICrowdfund.CrowdfundWrongState.selector, uint256(ICrowdfund.State.Active))
            );
            cf.finalize();
            vm.warp(cf.params().deadline + 1);
        }

        cf.finalize();
        assertEq(uint256(cf.state()), uint256(ICrowdfund.State.Succeeded), "Succeeded");
        c.fee = (c.sum * s.feeBps) / MAX_BPS;
        assertEq(TREASURY.balance, c.sum - c.fee, "treasury gets raised - fee");
        assertEq(FEE_RECIPIENT.balance, c.fee, "fee recipient gets the fee");
        assertEq(address(cf).balance, c.extra, "only the forced ETH stays behind");
        c.minted = _tokensFor(c.sum, c.referredTotal, s.price, s.referralBps);
        assertEq(token.totalSupply() - INITIAL_SUPPLY, c.minted, "minted == price x raised + bonuses");
        assertEq(token.balanceOf(address(cf)), c.minted, "crowdfund holds the mint");

        for (uint256 i; i <= ACTORS; ++i) _claimOnce(cf, token, s, c, i);
        assertLe(c.claimed, c.minted, "claims <= minted");
        assertEq(token.balanceOf(address(cf)), c.minted - c.claimed, "crowdfund keeps only the dust");
        assertLe(c.minted - c.claimed, _dustBound(c.contributors, c.referrers), "dust within the rounding bound");
        assertEq(token.getVotes(address(cf)), 0, "tokens held for claims carry no votes");
    }

    /// @dev Pays `c.amounts` from the contributors `actorBits` picks, naming the referrers
    /// `referrerBits` picks, and records who paid and who was named in `c`.
    function _contributeAll(Crowdfund cf, uint256 actorBits, uint256 referrerBits, SuccessCase memory c) private {
        for (uint256 i; i < 6; ++i) {
            uint256 who = (actorBits >> (8 * i)) % ACTORS;
            address referrer = _pickReferrer(_actor(who), referrerBits >> (8 * i));
            _pay(cf, _actor(who), c.amounts[i], referrer);
            c.paid[who] += c.amounts[i];
            if (referrer == address(0) || referrer == _actor(who)) continue;
            c.referredTotal += c.amounts[i];
            c.referred[referrer == OUTSIDER ? ACTORS : uint160(referrer) - 0xC0F1] += c.amounts[i];
        }
    }

    /// @dev Account `i` (the outsider for i == ACTORS) claims, for anyone, exactly its claimable
    /// tokens, once; with nothing claimable the claim reverts.
    function _claimOnce(Crowdfund cf, SocialToken token, Setup memory s, SuccessCase memory c, uint256 i) private {
        address a = i < ACTORS ? _actor(i) : OUTSIDER;
        if (c.paid[i] != 0) ++c.contributors;
        if (c.referred[i] != 0) ++c.referrers;
        (uint256 tokens, uint256 bonus) = cf.claimableTokens(a);
        assertEq(tokens, Math.mulDiv(c.paid[i], s.price, PRICE_SCALE), "claimable tokens");
        assertEq(
            bonus,
            Math.mulDiv(Math.mulDiv(c.referred[i], s.price, PRICE_SCALE), s.referralBps, MAX_BPS),
            "claimable bonus"
        );
        if (tokens + bonus == 0) {
            vm.expectRevert(abi.encodeWithSelector(ICrowdfund.CrowdfundNothingToClaim.selector, a));
            cf.claimTokens(a);
            return;
        }
        uint256 before = token.balanceOf(a);
        vm.prank(_actor(i + 1)); // anyone may claim for anyone
        cf.claimTokens(a);
        assertEq(token.balanceOf(a) - before, tokens + bonus, "claimed == claimable");
        c.claimed += tokens + bonus;
        ++c.claimants;
        vm.expectRevert(abi.encodeWithSelector(ICrowdfund.CrowdfundNothingToClaim.selector, a));
        cf.claimTokens(a);
    }

    /// @dev The brief's tighter dust bound, minted - claimed < claimants + 1, on a case built for
    /// it: three contributors pay 1.99 payment units at a price of one token unit per 1e18 each,
    /// each referring the next, with a 50% bonus. Minted: floor(5.97) + floor(floor(5.97) / 2) = 7;
    /// each claims floor(1.99) + floor(floor(1.99) / 2) = 1, so 4 units stay unclaimable for 3
    /// claimants. The per-account double rounding of the bonus makes the dust up to ~3 per claimant
    /// (see _dustBound), not below 1.
    function test_success_unclaimableDustWithinDocumentedBound() public {
        Setup memory s = _setup();
        s.price = 1;
        s.referralBps = 5_000;
        s.goal = 5.97 ether;
        (SocialToken token, Crowdfund cf) = _deploy(s);
        for (uint256 i; i < 3; ++i) _pay(cf, _actor(i), 1.99 ether, _actor((i + 1) % 3));
        vm.warp(block.timestamp + s.duration + 1);
        cf.finalize();
        uint256 minted = token.totalSupply() - INITIAL_SUPPLY;
        assertEq(minted, 7, "minted");
        uint256 claimed;
        for (uint256 i; i < 3; ++i) {
            uint256 before = token.balanceOf(_actor(i));
            cf.claimTokens(_actor(i));
            claimed += token.balanceOf(_actor(i)) - before;
        }
        assertLe(claimed, minted, "claims <= minted");
        // docs/funding.md: under one unit per contributor and two per referrer (the bonus is rounded twice).
        assertTrue(
            minted - claimed < 3 + 2 * 3,
            string.concat("dust ", Strings.toString(minted - claimed), " >= 3 + 2 x 3")
        );
    }

    /// @dev Whatever price the creator set, once the deadline and the minting grace are over the
    /// crowdfund can be settled: it either succeeds or fails and refunds in full. Nothing stays
    /// locked.
    function testFuzz_finalize_anyPriceSettlesAfterGrace(uint256 price, uint256 amount) public {
        Setup memory s = _setup();
        s.price = bound(price, 1, type(uint128).max); // larger prices are refused at creation
        amount = bound(amount, 1, 100 ether);
        s.goal = amount;
        (, Crowdfund cf) = _deploy(s);
        _pay(cf, _actor(0), amount, _actor(1));
        vm.warp(block.timestamp + s.duration + MINT_GRACE + 1);
        (bool ok, bytes memory reason) = address(cf).call(abi.encodeCall(ICrowdfund.finalize, ()));
        if (!ok) revert(string.concat("finalize reverted after the grace period, funds locked: ", hexOf(reason)));
        if (cf.state() == ICrowdfund.State.Failed) {
            uint256 before = _actor(0).balance;
            vm.prank(_actor(0));
            cf.refund(payable(_actor(0)));
            assertEq(_actor(0).balance - before, amount, "refund in full");
        } else {
            assertEq(uint256(cf.state()), uint256(ICrowdfund.State.Succeeded), "settled");
        }
    }

    /*//////////////////////////////////////////////////////////////
                            STATEFUL (SEEDED)
    //////////////////////////////////////////////////////////////*/

    /// @dev (b), on a state snapshot: when the crowdfund has failed (or has ended with the goal
    /// missed), every contributor can refund, and gets back exactly what it paid; afterwards the
    /// crowdfund holds only forced ETH.
    function _assertEveryoneCanRefundInFull(CrowdfundHandler h) private {
        ICrowdfund.State st = h.stateModel();
        bool failed = st == ICrowdfund.State.Failed || (st == ICrowdfund.State.Ended && h.raisedModel() < h.goal());
        if (!failed) return;
        Crowdfund cf = h.crowdfund();
        uint256 snap = vm.snapshotState();
        for (uint256 i; i < h.ACTOR_COUNT(); ++i) {
            address a = h.actors(i);
            uint256 owed = h.contributedBy(a) - h.refundedOf(a);
            if (owed == 0) continue;
            uint256 before = a.balance;
            vm.prank(a);
            cf.refund(payable(a));
            assertEq(a.balance - before, owed, "(b) refund in full");
        }
        assertEq(address(cf).balance, h.forceSent(), "(b) after all refunds only forced ETH remains");
        vm.revertToStateAndDelete(snap);
    }

    /// @dev (c)/(d), on a state snapshot: after a success every account can claim what it is owed
    /// once; all claims together stay within the mint with at most the rounding bound left.
    function _assertEveryoneCanClaim(CrowdfundHandler h) private {
        if (h.settled() != ICrowdfund.State.Succeeded) return;
        Crowdfund cf = h.crowdfund();
        SocialToken token = h.token();
        uint256 snap = vm.snapshotState();
        uint256 claimed = h.tokensClaimed();
        uint256 contributors;
        uint256 referrers;
        for (uint256 i; i < h.ACCOUNT_COUNT(); ++i) {
            address a = h.accountAt(i);
            if (h.contributedBy(a) != 0) ++contributors;
            if (h.referredEver(a) != 0) ++referrers;
            (uint256 tokens, uint256 bonus) = cf.claimableTokens(a);
            if (tokens + bonus == 0) continue;
            uint256 before = token.balanceOf(a);
            cf.claimTokens(a);
            assertEq(token.balanceOf(a) - before, tokens + bonus, "(c) claim == claimable");
            claimed += tokens + bonus;
        }
        assertLe(claimed, h.minted(), "(c) all claims <= minted");
        assertEq(token.balanceOf(address(cf)), h.minted() - claimed, "(c) crowdfund keeps the dust");
        assertLe(h.minted() - claimed, _dustBound(contributors, referrers), "(c) dust within the rounding bound");
        vm.revertToStateAndDelete(snap);
    }

    /// @dev After the sequence: the DAO-side problems go away only if the sequence fixed them; time
    /// passes beyond the grace period; anyone finalises; everyone refunds or claims; payees take
    /// their deferred payouts. Every contributed wei then sits with a contributor (refund), the
    /// treasury or the fee recipient, and the crowdfund keeps only forced ETH.
    function _drain(CrowdfundHandler h) private {
        Crowdfund cf = h.crowdfund();
        uint256 treasuryBefore = address(h.treasury()).balance;
        uint256 feeBefore = address(h.feeRecipient()).balance;
        vm.warp(h.deadline() + MINT_GRACE + 1);
        if (cf.state() == ICrowdfund.State.Ended) cf.finalize();
        ICrowdfund.State st = cf.state();
        assertTrue(st == ICrowdfund.State.Succeeded || st == ICrowdfund.State.Failed, "drain: settled");
        uint256 refundedNow;
        for (uint256 i; i < h.ACTOR_COUNT(); ++i) {
            address a = h.actors(i);
            if (st == ICrowdfund.State.Failed) {
                uint256 owed = cf.contributionOf(a);
                if (owed == 0) continue;
                uint256 before = a.balance;
                vm.prank(a);
                cf.refund(payable(a));
                assertEq(a.balance - before, owed, "drain: refund in full");
                refundedNow += owed;
            }
        }
        if (st == ICrowdfund.State.Succeeded) {
            for (uint256 i; i < h.ACCOUNT_COUNT(); ++i) {
                (uint256 tokens, uint256 bonus) = cf.claimableTokens(h.accountAt(i));
                if (tokens + bonus != 0) cf.claimTokens(h.accountAt(i));
            }
            h.treasury().setAccepting(true);
            h.feeRecipient().setAccepting(true);
            if (cf.payoutOwed(address(h.treasury())) != 0) cf.withdrawPayout(address(h.treasury()));
            if (cf.payoutOwed(address(h.feeRecipient())) != 0) cf.withdrawPayout(address(h.feeRecipient()));
        }
        uint256 toTreasury = h.treasuryReceived() + address(h.treasury()).balance - treasuryBefore;
        uint256 toFee = h.feeReceived() + address(h.feeRecipient()).balance - feeBefore;
        assertEq(
            h.contributed(),
            h.refunded() + refundedNow + toTreasury + toFee,
            "drain: every contributed wei refunded or paid out"
        );
        assertEq(address(cf).balance, h.forceSent(), "drain: only forced ETH stays");
        if (st == ICrowdfund.State.Succeeded) {
            uint256 fee = (h.raisedModel() * h.feeBps()) / MAX_BPS;
            assertEq(toFee, fee, "drain: fee recipient got raised * feeBps / 10000");
            assertEq(toTreasury, h.raisedModel() - fee, "drain: treasury got raised - fee");
            assertEq(h.refunded() + refundedNow, 0, "drain: no refunds after success");
        } else {
            assertEq(toTreasury + toFee, 0, "drain: no payout after failure");
        }
    }

    function _runSequence(CrowdfundHandler h, uint256 seed, uint256 n) private {
        for (uint256 i; i < n; ++i) {
            h.step(uint256(keccak256(abi.encode(seed, i))));
            _assertAllInvariants(h);
            _assertEveryoneCanRefundInFull(h);
            _assertEveryoneCanClaim(h);
        }
    }

    /// @dev 30-60 pseudo-random handler actions on a crowdfund drawn from the seed (contributions
    /// by four actors naming random referrers, themselves or none; warps across the deadline and
    /// the grace period; finalise; claims; refunds to random targets; deferred payouts; forced ETH;
    /// payees refusing ETH; MINTER_ROLE granted or revoked): every outcome must match the model and,
    /// after every step, (a) money is conserved, (b) a failed crowdfund refunds everyone in full,
    /// (c) the mint is exactly price x contributions + bonuses, (d) nobody is refunded or claims
    /// twice. The sequence ends with a drain that settles and empties the crowdfund.
    /// forge-config: default.fuzz.runs = 256
    function testFuzz_stateful_invariantsHoldAfterEveryStep(uint256 seed, uint8 steps) public {
        CrowdfundHandler h = _deployStateful(seed);
        _runSequence(h, seed, bound(steps, 30, 60));
        _drain(h);
    }

    /// @dev The seeded sequences are not vacuous: over fixed seeds every action succeeds at least
    /// once, every expected revert is hit, and finalisation succeeds, fails for the goal and fails
    /// for minting; a refund records the failure itself; payouts are deferred. Each sequence must
    /// also match the model and end with every invariant holding.
    function test_stateful_fixedSeedsExerciseEveryBranch() public {
        uint256[9] memory ok;
        bytes4[9] memory selectors = [
            ICrowdfund.CrowdfundWrongState.selector,
            ICrowdfund.CrowdfundDeadlinePassed.selector,
            ICrowdfund.CrowdfundCapExceeded.selector,
            ICrowdfund.CrowdfundZeroAmount.selector,
            ICrowdfund.CrowdfundWrongValue.selector,
            ICrowdfund.CrowdfundNothingToClaim.selector,
            ICrowdfund.CrowdfundCannotMint.selector,
            ICrowdfund.CrowdfundEthTransferFailed.selector,
            ICrowdfund.CrowdfundZeroAddress.selector
        ];
        uint256[9] memory hits;
        uint256[5] memory outcomes; // succeeded, failed (goal), failed (mint), refund recorded failure, deferred
        for (uint256 s; s < SEEDS; ++s) {
            uint256 seed = uint256(keccak256(abi.encode("fixed seed", s)));
            CrowdfundHandler h = _deployStateful(seed);
            for (uint256 i; i < 60; ++i) h.step(uint256(keccak256(abi.encode(seed, i))));
            _assertAllInvariants(h);
            for (uint256 a; a < h.ACTION_COUNT(); ++a) ok[a] += h.successes(a);
            for (uint256 k; k < selectors.length; ++k) hits[k] += h.revertsBySelector(selectors[k]);
            outcomes[0] += h.finalizedSucceeded();
            outcomes[1] += h.finalizedFailedGoal();
            outcomes[2] += h.finalizedFailedMint();
            outcomes[3] += h.refundsRecordingFailure();
            outcomes[4] += h.payoutsDeferred();
        }
        string memory summary = " (successes per action:";
        for (uint256 a; a < ok.length; ++a) summary = string.concat(summary, " ", Strings.toString(ok[a]));
        summary = string.concat(summary, "; reverts per selector:");
        for (uint256 k; k < selectors.length; ++k) summary = string.concat(summary, " ", Strings.toString(hits[k]));
        summary = string.concat(summary, "; outcomes:");
        for (uint256 k; k < outcomes.length; ++k) summary = string.concat(summary, " ", Strings.toString(outcomes[k]));
        summary = string.concat(summary, ")");
        for (uint256 a; a < ok.length; ++a) {
            assertTrue(ok[a] != 0, string.concat("action never succeeded: ", Strings.toString(a), summary));
        }
        for (uint256 k; k < selectors.length; ++k) {
            assertTrue(
                hits[k] != 0,
                string.concat("revert never hit: ", Strings.toHexString(uint32(selectors[k]), 4), summary)
            );
        }
        for (uint256 k; k < outcomes.length; ++k) {
            assertTrue(outcomes[k] != 0, string.concat("outcome never seen: ", Strings.toString(k), summary));
        }
    }
}
