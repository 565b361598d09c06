// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/// @title ICommunityRewardVault
/// @notice The extension point through which the factory sets up a community's reward vault.
/// @dev While the platform has no reward-vault implementation registered, communities are created
/// without one and their `rewardVault` is the zero address. Once the platform DAO registers an
/// implementation (see {ICommunityFactory-setImplementations}), every new community gets a clone of
/// it at a CREATE2 address, carrying `abi.encodePacked(token, timelock)` as immutable clone
/// arguments (OpenZeppelin `Clones.cloneDeterministicWithImmutableArgs`), initialised through this
/// function in the creating transaction and granted MINTER_ROLE on the community token.
interface ICommunityRewardVault {
    /// @notice Initialises a freshly cloned vault. Must be callable once only.
    /// @param token The community token the vault mints.
    /// @param timelock The community Timelock, the vault's administrator.
    /// @param operator The creator, who runs the vault day to day.
    /// @param config Implementation-specific settings passed through from the creator's parameters.
    function initialize(address token, address timelock, address operator, bytes calldata config) external;
}
