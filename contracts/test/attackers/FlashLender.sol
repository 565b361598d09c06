// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";

/// @notice TEST ONLY. What a {FlashLender} calls on its borrower.
interface IFlashBorrower {
    /// @notice Called with `amount` tokens lent; they must be back before the call returns.
    function onFlashLoan(uint256 amount, bytes calldata data) external;
}

/**
 * @title FlashLender
 * @notice TEST ONLY. A pool of tokens lent for the length of one call, as a lending market's flash
 * loan would: the borrower receives the tokens, runs its code, and must have returned them when its
 * callback returns. Stands in for any source of borrowed voting power. Never deploy it outside tests.
 */
contract FlashLender {
    using SafeERC20 for IERC20;

    /// @notice The borrower did not return the loan.
    error FlashLenderNotRepaid(uint256 balance, uint256 expected);

    /// @notice The token lent.
    IERC20 public immutable token;

    constructor(IERC20 token_) {
        token = token_;
    }

    /// @notice Lends `amount` to `borrower` for the length of its `onFlashLoan(amount, data)`.
    function flashLoan(IFlashBorrower borrower, uint256 amount, bytes calldata data) external {
        uint256 before = token.balanceOf(address(this));
        token.safeTransfer(address(borrower), amount);
        borrower.onFlashLoan(amount, data);
        uint256 balance = token.balanceOf(address(this));
        if (balance < before) revert FlashLenderNotRepaid(balance, before);
    }
}
