// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {ICrowdfund} from "../interfaces/ICrowdfund.sol";

/**
 * @title ReentrantContributor
 * @notice TEST ONLY. Contributes ETH to a crowdfund and, when refunded, tries to re-enter it
 * (refund again, or claim) from its `receive`. Records whether the re-entry was refused.
 * Never deploy it outside tests.
 */
contract ReentrantContributor {
    ICrowdfund public immutable crowdfund;
    /// @notice 0: accept quietly; 1: re-enter refund; 2: re-enter withdrawPayout; 3: reject ETH.
    uint8 public mode;
    /// @notice How many re-entries were attempted and how many were refused.
    uint256 public attempts;
    uint256 public refused;

    constructor(ICrowdfund crowdfund_) {
        crowdfund = crowdfund_;
    }

    /// @notice Sets the behaviour on receiving ETH.
    function setMode(uint8 mode_) external {
        mode = mode_;
    }

    /// @notice Contributes `msg.value` naming no referrer.
    function contribute() external payable {
        crowdfund.contribute{value: msg.value}(msg.value, address(0));
    }

    /// @notice Asks for its refund, sent to itself.
    function askRefund() external {
        crowdfund.refund(payable(address(this)));
    }

    /// @notice Asks for its refund, sent to `to`.
    function askRefundTo(address payable to) external {
        crowdfund.refund(to);
    }

    receive() external payable {
        if (mode == 3) revert("no ETH, thanks");
        if (mode == 1) {
            ++attempts;
            try crowdfund.refund(payable(address(this))) {} catch {
                ++refused;
            }
        } else if (mode == 2) {
            ++attempts;
            try crowdfund.withdrawPayout(address(this)) {} catch {
                ++refused;
            }
        }
    }
}
