// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {IRevenueShare} from "../../interfaces/IRevenueShare.sol";

/**
 * @title RevenueDoubleDipper
 * @notice TEST ONLY. A holder that tries to be paid twice for one deposit: when its ETH claim pays
 * it, its `receive` hands its community tokens to an accomplice and claims the accomplice's share of
 * the same deposits from inside the payment (re-entering the revenue share). The revenue share must
 * refuse the re-entry, and the accomplice must earn nothing later either: shares follow balances
 * before each deposit's block, not balances now. Never deploy it outside tests.
 */
contract RevenueDoubleDipper {
    using SafeERC20 for IERC20;

    IRevenueShare public immutable revenue;
    IERC20 public immutable token;
    /// @notice Receives the tokens mid-claim and is claimed for.
    address public immutable accomplice;

    /// @notice ETH received from claims (its own; the accomplice is paid directly).
    uint256 public received;
    /// @notice Re-entries tried and refused, and the last refusal's revert data.
    uint256 public attempts;
    uint256 public refused;
    bytes public lastError;

    constructor(IRevenueShare revenue_, IERC20 token_, address accomplice_) {
        revenue = revenue_;
        token = token_;
        accomplice = accomplice_;
    }

    /// @notice Claims its own ETH share of every deposit.
    function claimOwn() external {
        revenue.claim(address(0), address(this), type(uint256).max);
    }

    receive() external payable {
        received += msg.value;
        uint256 balance = token.balanceOf(address(this));
        if (balance == 0) return;
        token.safeTransfer(accomplice, balance);
        ++attempts;
        try revenue.claim(address(0), accomplice, type(uint256).max) {} catch (bytes memory reason) {
            ++refused;
            lastError = reason;
        }
    }
}
