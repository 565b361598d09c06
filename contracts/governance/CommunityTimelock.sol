// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {TimelockControllerUpgradeable} from "@openzeppelin/contracts-upgradeable/governance/TimelockControllerUpgradeable.sol";

/**
 * @title CommunityTimelock
 * @notice A community's Timelock and treasury: OpenZeppelin's TimelockController as an EIP-1167
 * clone. The factory initialises it with the Governor as the only proposer and canceller, an open
 * executor role (anyone may execute a ready operation) and no admin besides the Timelock itself.
 * @dev Adds nothing to OpenZeppelin's contract except disabling initialisers on the implementation.
 */
contract CommunityTimelock is TimelockControllerUpgradeable {
    /// @custom:oz-upgrades-unsafe-allow constructor
    constructor() {
        _disableInitializers();
    }
}
