// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

// Stateful tests of the token's accounting: supply, cap, votes and their history.
// Settings: the invariant contract runs 64 runs x depth 100 for each of its five invariants (EDR's
// invariant fuzzer, Hardhat's fixed default seed, so CI is reproducible); the seeded test runs 64
// sequences of 40-80 steps with every invariant checked after every step; the fixed-seed test runs
// 4 x 80 steps. The file takes about 35 s on 2 cores (`--no-compile`).
// Note: the invariant contract needs SocialTokenHandler's artifact; when passing this file alone on
// a fresh checkout, run `npx hardhat build` first (or EDR reports "address does not have an
// associated contract").

import {Clones} from "@openzeppelin/contracts/proxy/Clones.sol";
import {Strings} from "@openzeppelin/contracts/utils/Strings.sol";
import {ISocialToken} from "../interfaces/ISocialToken.sol";
import {SocialToken} from "./SocialToken.sol";
import {SocialTokenHandler} from "../test/SocialTokenHandler.sol";
import {InvariantTargets} from "../test/ModelHandler.sol";
import {Assertions, Vm} from "../test/SolidityTestBase.sol";

/**
 * @title SocialToken invariant fixture
 * @notice A token clone (this contract its admin) whose allocation sits with actor 0 and whose only
 * minter is the {SocialTokenHandler}; and the checks of the token invariants against the handler.
 */
abstract contract SocialTokenInvariantFixture is Assertions {
    uint256 internal constant CAP = 1_000_000_000e18;
    uint256 internal constant ALLOCATION = 100_000_000e18;

    function _deployStateful() internal returns (SocialTokenHandler h) {
        SocialToken token = SocialToken(Clones.clone(address(new SocialToken())));
        address[6] memory actors = [
            address(0xC0FFEE),
            address(0xA11CE),
            address(0xB0B),
            address(0xCA401),
            address(0xDA7E),
            address(0xE7E)
        ];
        // The handler replays every DelegateChanged event from here on, the allocation's included.
        Vm(address(uint160(uint256(keccak256("hevm cheat code"))))).recordLogs();
        token.initialize(
            ISocialToken.TokenConfig({
                name: "Invariant Fans",
                symbol: "INV",
                cap: CAP,
                admin: address(this),
                minter: address(0),
                initialHolder: actors[0],
                initialAmount: ALLOCATION
            })
        );
        h = new SocialTokenHandler(token, actors);
        token.grantRole(token.MINTER_ROLE(), address(h));
    }

    /// @dev Every outcome matched the model's prediction (balances, supply, allowances,
    /// delegates and the past values read at each warp).
    function _assertOutcomesMatchModel(SocialTokenHandler h) internal view {
        assertEq(h.violations(), 0, string.concat("outcome differs from model, first: ", h.firstViolation()));
    }

    /// @dev (a) The balances of all holders sum to the total supply, which equals the model's.
    function _assertBalancesSumToSupply(SocialTokenHandler h) internal view {
        SocialToken token = h.token();
        uint256 sum;
        for (uint256 i; i < h.ACTOR_COUNT(); ++i) {
            address a = h.actor(i);
            assertEq(token.balanceOf(a), h.balanceModel(a), "balance");
            sum += token.balanceOf(a);
        }
        assertEq(sum, token.totalSupply(), "(a) sum of balances != totalSupply");
        assertEq(token.totalSupply(), h.supplyModel(), "(a) totalSupply != model");
    }

    /// @dev (b) The supply never exceeds the cap.
    function _assertSupplyWithinCap(SocialTokenHandler h) internal view {
        SocialToken token = h.token();
        assertEq(token.cap(), CAP, "cap");
        assertLe(token.totalSupply(), token.cap(), "(b) totalSupply above cap");
    }

    /// @dev (c) Each account's votes equal the balances delegated to it; the total of votes equals
    /// the supply less the balances of holders who opted out.
    function _assertVotesEqualDelegatedBalances(SocialTokenHandler h) internal view {
        SocialToken token = h.token();
        uint256 totalVotes;
        for (uint256 i; i < h.VOTER_COUNT(); ++i) {
            address a = h.voter(i);
            uint256 votes = token.getVotes(a);
            assertEq(votes, h.votesModel(a), "(c) getVotes != balances delegated to the account");
            totalVotes += votes;
            if (i < h.ACTOR_COUNT()) assertEq(token.delegates(a), h.delegateModel(a), "delegates");
        }
        assertEq(totalVotes, token.totalSupply() - h.optedOutBalanceModel(), "(c) total votes != delegated supply");
    }

    /// @dev (d) The votes and supply recorded at every past second still read the same.
    function _assertPastVotesNeverChange(SocialTokenHandler h) internal view {
        SocialToken token = h.token();
        uint256 n = h.timepointCount();
        for (uint256 k; k < n; ++k) {
            uint256 t = h.timepoints(k);
            assertEq(token.getPastTotalSupply(t), h.supplyAt(t), "(d) getPastTotalSupply changed");
            for (uint256 i; i < h.VOTER_COUNT(); ++i) {
                address a = h.voter(i);
                assertEq(token.getPastVotes(a, t), h.votesAt(t, a), "(d) getPastVotes changed");
            }
        }
    }

    /// @dev (e) An indexer replaying only the DelegateChanged events holds exactly `delegates()` for
    /// every account (Issue 11 item 7); each event named the previous delegate and changed it (both
    /// checked as each event is replayed, and reported through the outcome violations).
    function _assertEventsReplayToDelegates(SocialTokenHandler h) internal view {
        SocialToken token = h.token();
        for (uint256 i; i < h.VOTER_COUNT(); ++i) {
            address a = h.voter(i);
            assertEq(h.replayedDelegate(a), token.delegates(a), "(e) replayed DelegateChanged != delegates()");
        }
    }

    function _assertAllInvariants(SocialTokenHandler h) internal view {
        _assertEventsReplayToDelegates(h);
        _assertOutcomesMatchModel(h);
        _assertBalancesSumToSupply(h);
        _assertSupplyWithinCap(h);
        _assertVotesEqualDelegatedBalances(h);
        _assertPastVotesNeverChange(h);
    }
}

/**
 * @title SocialToken seeded stateful tests
 * @notice Fixed and fuzzed seeds drive the handler; every invariant is checked after every step,
 * and the fixed seeds prove the sequences are not vacuous (every action succeeds and every
 * expected revert is hit).
 */
contract SocialTokenStatefulTest is SocialTokenInvariantFixture {
    /// @dev 40-80 pseudo-random steps per fuzzed seed; all invariants after each.
    /// forge-config: default.fuzz.runs = 64
    function testFuzz_stateful_invariantsHoldAfterEveryStep(uint256 seed, uint8 steps) public {
        SocialTokenHandler h = _deployStateful();
        uint256 n = bound(steps, 40, 80);
        for (uint256 i; i < n; ++i) {
            h.step(uint256(keccak256(abi.encode(seed, i))));
            _assertAllInvariants(h);
        }
    }

    /// @dev Four fixed seeds x 80 steps: every action succeeds at least once, every action but
    /// delegate and warp reverts as predicted at least once, and seconds are recorded.
    function test_stateful_fixedSeedsExerciseEveryBranch() public {
        uint256[6] memory ok;
        uint256[6] memory reverted;
        uint256 recorded;
        uint256 events;
        for (uint256 s; s < 4; ++s) {
            SocialTokenHandler h = _deployStateful();
            for (uint256 i; i < 80; ++i) h.step(uint256(keccak256(abi.encode("fixed seed", s, i))));
            _assertAllInvariants(h);
            for (uint256 a; a < 6; ++a) {
                ok[a] += h.successes(a);
                reverted[a] += h.expectedReverts(a);
            }
            recorded += h.timepointCount();
            events += h.delegateChangedEvents();
        }
        for (uint256 a; a < 6; ++a) {
            assertTrue(ok[a] != 0, string.concat("action never succeeded: ", Strings.toString(a)));
            if (a < 4) assertTrue(reverted[a] != 0, string.concat("action never reverted: ", Strings.toString(a)));
        }
        assertTrue(recorded >= 20, "too few seconds recorded");
        assertTrue(events >= 20, "too few DelegateChanged events replayed");
    }
}

/**
 * @title SocialToken invariant tests
 * @notice EDR's invariant fuzzer calls the handler's actions in random order with random seeds;
 * after every call: (a) sum of balances == totalSupply, (b) totalSupply <= cap, (c) votes ==
 * delegated balances, (d) past votes and past supply never change, (e) the DelegateChanged events
 * replay to `delegates()`.
 */
contract SocialTokenInvariantTest is SocialTokenInvariantFixture, InvariantTargets {
    SocialTokenHandler private handler;

    function setUp() public {
        handler = _deployStateful();
    }

    function _handlerTarget() internal view override returns (address) {
        return address(handler);
    }

    function _handlerSelectors() internal pure override returns (bytes4[] memory selectors) {
        selectors = new bytes4[](6);
        selectors[0] = SocialTokenHandler.actTransfer.selector;
        selectors[1] = SocialTokenHandler.actTransferFrom.selector;
        selectors[2] = SocialTokenHandler.actMint.selector;
        selectors[3] = SocialTokenHandler.actBurn.selector;
        selectors[4] = SocialTokenHandler.actDelegate.selector;
        selectors[5] = SocialTokenHandler.actWarp.selector;
    }

    /// forge-config: default.invariant.runs = 64
    /// forge-config: default.invariant.depth = 100
    function invariant_outcomesMatchModel() public view {
        _assertOutcomesMatchModel(handler);
    }

    /// forge-config: default.invariant.runs = 64
    /// forge-config: default.invariant.depth = 100
    function invariant_sumOfBalancesEqualsTotalSupply() public view {
        _assertBalancesSumToSupply(handler);
    }

    /// forge-config: default.invariant.runs = 64
    /// forge-config: default.invariant.depth = 100
    function invariant_supplyWithinCap() public view {
        _assertSupplyWithinCap(handler);
    }

    /// forge-config: default.invariant.runs = 64
    /// forge-config: default.invariant.depth = 100
    function invariant_totalVotesEqualDelegatedBalances() public view {
        _assertVotesEqualDelegatedBalances(handler);
    }

    /// forge-config: default.invariant.runs = 64
    /// forge-config: default.invariant.depth = 100
    function invariant_pastVotesNeverChange() public view {
        _assertPastVotesNeverChange(handler);
    }

    /// forge-config: default.invariant.runs = 64
    /// forge-config: default.invariant.depth = 100
    function invariant_delegateChangedEventsReplayToDelegates() public view {
        _assertEventsReplayToDelegates(handler);
    }
}
