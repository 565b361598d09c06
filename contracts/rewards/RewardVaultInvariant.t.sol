// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

// Forge-style invariant tests of the reward vault: EDR's invariant fuzzer calls the
// {RewardVaultHandler}'s `act*` functions in random order with random seeds, 64 runs x depth 50 for
// each of the six invariants (Hardhat's fixed default seed, so CI is reproducible). The deployment
// fixture, the invariant checks and the seeded stateful tests that share them live in
// RewardVault.t.sol.
// Note: the invariant contract needs RewardVaultHandler's artifact. `npx hardhat test solidity`
// (no file argument) compiles it; when passing this file as an argument on a fresh checkout, run
// `npx hardhat build` first, or EDR reports "address does not have an associated contract".

import {RewardVaultHandler} from "../test/RewardVaultHandler.sol";
import {InvariantTargets} from "../test/ModelHandler.sol";
import {RewardVaultFixture} from "./RewardVault.t.sol";

/**
 * @title RewardVault invariant tests
 * @notice The same invariants as the seeded stateful test, checked by EDR's invariant fuzzer
 * calling the handler's `act*` functions in random order with random seeds.
 */
contract RewardVaultInvariantTest is RewardVaultFixture, InvariantTargets {
    RewardVaultHandler private handler;

    function setUp() public {
        _deployImplementations();
        handler = _deployStateful();
    }

    function _handlerTarget() internal view override returns (address) {
        return address(handler);
    }

    function _handlerSelectors() internal pure override returns (bytes4[] memory selectors) {
        selectors = new bytes4[](10);
        selectors[0] = RewardVaultHandler.actRedeem.selector;
        selectors[1] = RewardVaultHandler.actRedeemBatch.selector;
        selectors[2] = RewardVaultHandler.actWarp.selector;
        selectors[3] = RewardVaultHandler.actOpenCampaign.selector;
        selectors[4] = RewardVaultHandler.actClaimCampaign.selector;
        selectors[5] = RewardVaultHandler.actCloseCampaign.selector;
        selectors[6] = RewardVaultHandler.actClaimReferral.selector;
        selectors[7] = RewardVaultHandler.actSetBudget.selector;
        selectors[8] = RewardVaultHandler.actSetReferralBps.selector;
        selectors[9] = RewardVaultHandler.actPause.selector;
    }

    /// forge-config: default.invariant.runs = 64
    /// forge-config: default.invariant.depth = 50
    function invariant_outcomesMatchModel() public view {
        _assertOutcomesMatchModel(handler);
    }

    /// forge-config: default.invariant.runs = 64
    /// forge-config: default.invariant.depth = 50
    function invariant_noVoucherIdOrLeafPaysTwice() public view {
        _assertNothingPaysTwice(handler);
    }

    /// forge-config: default.invariant.runs = 64
    /// forge-config: default.invariant.depth = 50
    function invariant_epochChargesWithinBudget() public view {
        _assertEpochChargesWithinBudget(handler);
    }

    /// forge-config: default.invariant.runs = 64
    /// forge-config: default.invariant.depth = 50
    function invariant_supplyWithinCap() public view {
        _assertSupplyWithinCap(handler);
    }

    /// forge-config: default.invariant.runs = 64
    /// forge-config: default.invariant.depth = 50
    function invariant_vaultMintsAccountedFor() public view {
        _assertMintsAccountedFor(handler);
    }

    /// forge-config: default.invariant.runs = 64
    /// forge-config: default.invariant.depth = 50
    function invariant_referralBonusOnlyToRecordedReferrer() public view {
        _assertReferralBonusesOnlyToRecordedReferrer(handler);
    }
}
