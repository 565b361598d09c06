// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

// Forge-style invariant tests of the crowdfund: EDR's invariant fuzzer calls the
// {CrowdfundHandler}'s `act*` functions in random order with random seeds, 64 runs x depth 50 for
// each of the six invariants (Hardhat's fixed default seed, so CI is reproducible). The deployment
// fixture, the invariant checks and the seeded stateful tests that share them live in
// Crowdfund.t.sol.
// Note: the invariant contract needs CrowdfundHandler's artifact. `npx hardhat test solidity`
// (no file argument) compiles it; when passing this file as an argument on a fresh checkout, run
// `npx hardhat build` first, or EDR reports "address does not have an associated contract".

import {CrowdfundHandler} from "../test/CrowdfundHandler.sol";
import {InvariantTargets} from "../test/ModelHandler.sol";
import {CrowdfundFixture} from "./Crowdfund.t.sol";

/**
 * @title Crowdfund invariant tests
 * @notice The same invariants as the seeded stateful test, checked by EDR's invariant fuzzer
 * calling the handler's `act*` functions in random order with random seeds, on one fixed crowdfund
 * (goal 10 ETH, cap 25 ETH, 5 days, an odd price, 25% referral bonus, 5% fee).
 */
contract CrowdfundInvariantTest is CrowdfundFixture, InvariantTargets {
    CrowdfundHandler private handler;

    function setUp() public {
        _deployImplementations();
        Setup memory s = _setup();
        s.goal = 10 ether;
        s.cap = 25 ether;
        s.duration = 5 days;
        s.price = 3e17 + 7;
        s.referralBps = 2_500;
        s.feeBps = 500;
        handler = _deployWithHandler(s, 3 ether, true, true);
    }

    function _handlerTarget() internal view override returns (address) {
        return address(handler);
    }

    function _handlerSelectors() internal pure override returns (bytes4[] memory selectors) {
        selectors = new bytes4[](9);
        selectors[0] = CrowdfundHandler.actContribute.selector;
        selectors[1] = CrowdfundHandler.actWarp.selector;
        selectors[2] = CrowdfundHandler.actFinalize.selector;
        selectors[3] = CrowdfundHandler.actClaimTokens.selector;
        selectors[4] = CrowdfundHandler.actRefund.selector;
        selectors[5] = CrowdfundHandler.actWithdrawPayout.selector;
        selectors[6] = CrowdfundHandler.actForceSend.selector;
        selectors[7] = CrowdfundHandler.actTogglePayee.selector;
        selectors[8] = CrowdfundHandler.actToggleMinter.selector;
    }

    /// forge-config: default.invariant.runs = 64
    /// forge-config: default.invariant.depth = 50
    function invariant_outcomesAndViewsMatchModel() public view {
        _assertOutcomesMatchModel(handler);
        _assertViewsMatchModel(handler);
    }

    /// forge-config: default.invariant.runs = 64
    /// forge-config: default.invariant.depth = 50
    function invariant_moneyConserved() public view {
        _assertMoneyConserved(handler);
    }

    /// forge-config: default.invariant.runs = 64
    /// forge-config: default.invariant.depth = 50
    function invariant_failedCrowdfundRefundsEveryoneInFull() public view {
        _assertRefundsCovered(handler);
    }

    /// forge-config: default.invariant.runs = 64
    /// forge-config: default.invariant.depth = 50
    function invariant_mintedMatchesContributions() public view {
        _assertMintedMatchesContributions(handler);
    }

    /// forge-config: default.invariant.runs = 64
    /// forge-config: default.invariant.depth = 50
    function invariant_noBalanceAboveOwedUnlessSweepable() public view {
        _assertSurplusSweepable(handler);
    }

    /// forge-config: default.invariant.runs = 64
    /// forge-config: default.invariant.depth = 50
    function invariant_nobodyRefundedOrClaimsTwice() public view {
        _assertNoDoubleRefundOrClaim(handler);
    }
}
