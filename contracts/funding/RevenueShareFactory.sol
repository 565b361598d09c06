// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {Clones} from "@openzeppelin/contracts/proxy/Clones.sol";
import {ICommunityFactory} from "../interfaces/ICommunityFactory.sol";
import {IRevenueShare} from "../interfaces/IRevenueShare.sol";

/**
 * @title RevenueShareFactory
 * @notice Makes the one {RevenueShare} of a community registered in the {CommunityFactory}, at an
 * address fixed by the token. Anyone may create it: it does nothing until the community's DAO grants
 * it REVENUE_ROLE on the token.
 */
contract RevenueShareFactory {
    /// @notice The revenue share of `token` was created.
    /// @param token The community token.
    /// @param revenueShare The new revenue share.
    /// @param treasury The community Timelock, where sweeps go.
    event RevenueShareCreated(address indexed token, address indexed revenueShare, address treasury);

    /// @notice The token's revenue share exists already.
    error RevenueShareFactoryExists(address revenueShare);
    /// @notice A required address is not a contract.
    error RevenueShareFactoryZeroAddress();

    ICommunityFactory private immutable _communityFactory;
    address private immutable _implementation;

    /// @notice Binds the factory to the platform's registry and the implementation it clones.
    /// @param communityFactory_ The platform's community factory (its registry).
    /// @param implementation_ The RevenueShare implementation.
    constructor(ICommunityFactory communityFactory_, address implementation_) {
        if (address(communityFactory_).code.length == 0 || implementation_.code.length == 0) {
            revert RevenueShareFactoryZeroAddress();
        }
        _communityFactory = communityFactory_;
        _implementation = implementation_;
    }

    /// @notice Creates the revenue share of a registered community token.
    /// @dev Reverts with the community factory's FactoryUnknownToken for an unknown token and
    /// {RevenueShareFactoryExists} when it exists. Emits {RevenueShareCreated}.
    /// @param token The community token.
    /// @return revenueShare The new revenue share.
    function createRevenueShare(address token) external returns (address revenueShare) {
        address treasury = _communityFactory.communityByToken(token).timelock;
        bytes memory args = abi.encodePacked(token, treasury);
        bytes32 salt = bytes32(uint256(uint160(token)));
        address predicted = Clones.predictDeterministicAddressWithImmutableArgs(_implementation, args, salt);
        if (predicted.code.length != 0) revert RevenueShareFactoryExists(predicted);
        revenueShare = Clones.cloneDeterministicWithImmutableArgs(_implementation, args, salt);
        emit RevenueShareCreated(token, revenueShare, treasury);
        IRevenueShare(revenueShare).initialize(token, treasury);
    }

    /// @notice Where the revenue share of `token` is (or will be).
    /// @param token The community token.
    function revenueShareOf(address token) external view returns (address) {
        address treasury = _communityFactory.communityByToken(token).timelock;
        return
            Clones.predictDeterministicAddressWithImmutableArgs(
                _implementation,
                abi.encodePacked(token, treasury),
                bytes32(uint256(uint160(token)))
            );
    }

    /// @notice The RevenueShare implementation.
    function implementation() external view returns (address) {
        return _implementation;
    }

    /// @notice The community factory.
    function communityFactory() external view returns (address) {
        return address(_communityFactory);
    }
}
