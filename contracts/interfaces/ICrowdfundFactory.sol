// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {ICrowdfund} from "./ICrowdfund.sol";

/// @title ICrowdfundFactory
/// @notice Starts crowdfunds for communities of the Coterie platform, as clones of one
/// implementation, and holds the platform fee on crowdfunds (set by the platform DAO).
interface ICrowdfundFactory {
    /// @notice `creator` (the community's creator or its Timelock) started `crowdfund` for `token`.
    /// @param token The community token.
    /// @param crowdfund The new crowdfund.
    /// @param creator The caller.
    /// @param salt The salt of its CREATE2 address.
    event CrowdfundCreated(address indexed token, address indexed crowdfund, address indexed creator, bytes32 salt);
    /// @notice The platform fee on future crowdfunds changed.
    /// @param previousBps The former fee, in basis points.
    /// @param newBps The new fee, in basis points.
    event CrowdfundFeeSet(uint256 previousBps, uint256 newBps);

    /// @notice Only the community's creator or its Timelock may start its crowdfunds.
    error CrowdfundFactoryNotCreator(address caller);
    /// @notice The fee exceeds the maximum.
    error CrowdfundFactoryFeeTooHigh(uint256 bps, uint256 maxBps);
    /// @notice The caller already used this salt for this token.
    error CrowdfundFactorySaltUsed(bytes32 salt);
    /// @notice A required address is zero or not a contract.
    error CrowdfundFactoryZeroAddress();

    /// @notice Starts a crowdfund for the community of `token`. The crowdfund can only succeed once
    /// the community's DAO grants it MINTER_ROLE on the token.
    /// @param token The community token (must be registered in the community factory).
    /// @param params Goal, cap, deadline, price, payment token and referral rate.
    /// @param salt Any value; with the token and the caller it fixes the crowdfund's address.
    /// @return crowdfund The new crowdfund.
    function createCrowdfund(
        address token,
        ICrowdfund.Params calldata params,
        bytes32 salt
    ) external returns (address crowdfund);

    /// @notice The address `createCrowdfund(token, ..., salt)` by `creator` will use.
    /// @param token The community token.
    /// @param creator The caller of createCrowdfund.
    /// @param salt The salt.
    function predictCrowdfund(address token, address creator, bytes32 salt) external view returns (address);

    /// @notice Sets the platform fee on crowdfunds created from now on (owner: the platform Timelock).
    /// @param bps Basis points of the amount raised; at most MAX_FEE_BPS.
    function setFeeBps(uint256 bps) external;

    /// @notice The platform fee on new crowdfunds, in basis points.
    function feeBps() external view returns (uint256);

    /// @notice The crowdfund implementation every crowdfund is cloned from.
    function implementation() external view returns (address);

    /// @notice The community factory whose registry says who may start a community's crowdfunds.
    function communityFactory() external view returns (address);
}
