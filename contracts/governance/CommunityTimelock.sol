// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {TimelockControllerUpgradeable} from "@openzeppelin/contracts-upgradeable/governance/TimelockControllerUpgradeable.sol";

/**
 * @title CommunityTimelock
 * @notice A community's Timelock and treasury: OpenZeppelin's TimelockController as an EIP-1167
 * clone. The factory initialises it with the Governor as the only proposer and canceller, an open
 * executor role (anyone may execute a ready operation) and no admin besides the Timelock itself.
 * @dev Adds to OpenZeppelin's contract only a floor of one second on the delay (at initialisation
 * and in `updateDelay`, with OpenZeppelin's own error) and disabled initialisers on the implementation.
 */
contract CommunityTimelock is TimelockControllerUpgradeable {
    /// @notice The shortest delay the Timelock accepts, at initialisation and on every change: one
    /// second, so a proposal is never queued and executed in the same block.
    uint256 public constant MIN_DELAY_FLOOR = 1;

    /// @custom:oz-upgrades-unsafe-allow constructor
    constructor() {
        _disableInitializers();
    }

    /// @notice Initialises a freshly cloned Timelock (OpenZeppelin's initialiser, with a floor on the delay).
    /// @param minDelay Initial delay in seconds; at least {MIN_DELAY_FLOOR}, else OpenZeppelin's
    /// {TimelockInsufficientDelay}.
    /// @param proposers Accounts granted the proposer and canceller roles.
    /// @param executors Accounts granted the executor role (`address(0)`: anyone).
    /// @param admin Optional extra admin; the factory passes none.
    function initialize(
        uint256 minDelay,
        address[] memory proposers,
        address[] memory executors,
        address admin
    ) public override initializer {
        if (minDelay < MIN_DELAY_FLOOR) revert TimelockInsufficientDelay(minDelay, MIN_DELAY_FLOOR);
        __TimelockController_init(minDelay, proposers, executors, admin);
    }

    /// @notice Changes the delay of future operations. Only the Timelock itself, through a proposal.
    /// @param newDelay New delay in seconds; at least {MIN_DELAY_FLOOR}, else OpenZeppelin's
    /// {TimelockInsufficientDelay}.
    /// @dev Anyone else still gets OpenZeppelin's {TimelockUnauthorizedCaller}. Emits {MinDelayChange}.
    function updateDelay(uint256 newDelay) public override {
        if (newDelay < MIN_DELAY_FLOOR && msg.sender == address(this)) {
            revert TimelockInsufficientDelay(newDelay, MIN_DELAY_FLOOR);
        }
        super.updateDelay(newDelay);
    }
}
