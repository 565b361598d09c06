// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

// Forge-style invariant tests of the revenue share: EDR's invariant fuzzer calls the
// {RevenueHandler}'s `act*` functions in random order with random seeds, 48 runs x depth 60 for each
// of the three invariants (Hardhat's fixed default seed, so CI is reproducible). The deployment
// fixture, the invariant checks and the seeded stateful tests that share them live in
// RevenueShare.t.sol.
// Note: the invariant contract needs RevenueHandler's artifact. `npx hardhat test solidity` (no file
// argument) compiles it; when passing this file as an argument on a fresh checkout, run
// `npx hardhat build` first, or EDR reports "address does not have an associated contract".

import {RevenueHandler} from "../test/RevenueHandler.sol";
import {InvariantTargets} from "../test/ModelHandler.sol";
import {RevenueShareFixture} from "./RevenueShare.t.sol";

/**
 * @title RevenueShare invariant tests
 * @notice The same invariants as the seeded stateful test, checked by EDR's invariant fuzzer calling
 * the handler's `act*` functions in random order with random seeds.
 */
contract RevenueShareInvariantTest is RevenueShareFixture, InvariantTargets {
    RevenueHandler private handler;

    function setUp() public {
        _deployImplementations();
        handler = _deployStateful();
    }

    function _handlerTarget() internal view override returns (address) {
        return address(handler);
    }

    function _handlerSelectors() internal pure override returns (bytes4[] memory selectors) {
        selectors = new bytes4[](9);
        selectors[0] = RevenueHandler.actTransfer.selector;
        selectors[1] = RevenueHandler.actMint.selector;
        selectors[2] = RevenueHandler.actBurn.selector;
        selectors[3] = RevenueHandler.actWarp.selector;
        selectors[4] = RevenueHandler.actSnapshot.selector;
        selectors[5] = RevenueHandler.actDepositEth.selector;
        selectors[6] = RevenueHandler.actDepositToken.selector;
        selectors[7] = RevenueHandler.actClaim.selector;
        selectors[8] = RevenueHandler.actSweep.selector;
    }

    /// forge-config: default.invariant.runs = 48
    /// forge-config: default.invariant.depth = 60
    function invariant_outcomesMatchModel() public view {
        _assertNoViolation(handler);
    }

    /// forge-config: default.invariant.runs = 48
    /// forge-config: default.invariant.depth = 60
    function invariant_balanceBeforeSnapshotExact() public view {
        _assertRecordsExact(handler);
    }

    /// forge-config: default.invariant.runs = 48
    /// forge-config: default.invariant.depth = 60
    function invariant_claimedNeverExceedsDeposited() public view {
        _assertRevenueAccounting(handler);
    }
}
