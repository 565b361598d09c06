// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";

/**
 * @title MockERC20
 * @notice TEST ONLY. A plain ERC-20 anyone can mint, used as a crowdfund payment token. With a
 * non-zero `feeBps` it burns that share of every transfer (a fee-on-transfer token), and it can be
 * told to refuse transfers to one address (a blocklisting token). Never deploy it outside tests.
 */
contract MockERC20 is ERC20 {
    /// @notice Basis points burnt from every transfer.
    uint256 public feeBps;
    /// @notice Transfers to this address revert.
    address public blocked;

    /// @notice The transfer was refused by the blocklist.
    error MockERC20Blocked(address to);

    constructor(string memory name_, string memory symbol_) ERC20(name_, symbol_) {}

    /// @notice Mints `amount` to `to`.
    function mint(address to, uint256 amount) external {
        _mint(to, amount);
    }

    /// @notice Sets the fee burnt from every transfer.
    function setFeeBps(uint256 bps) external {
        feeBps = bps;
    }

    /// @notice Makes transfers to `account` revert (zero clears it).
    function setBlocked(address account) external {
        blocked = account;
    }

    function _update(address from, address to, uint256 value) internal override {
        if (to != address(0) && to == blocked) revert MockERC20Blocked(to);
        uint256 burnt = from != address(0) && to != address(0) ? (value * feeBps) / 10_000 : 0;
        if (burnt != 0) super._update(from, address(0), burnt);
        super._update(from, to, value - burnt);
    }
}
