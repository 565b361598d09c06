// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";
import {Clones} from "@openzeppelin/contracts/proxy/Clones.sol";
import {ICommunityFactory} from "../interfaces/ICommunityFactory.sol";
import {ICrowdfund} from "../interfaces/ICrowdfund.sol";
import {ICrowdfundFactory} from "../interfaces/ICrowdfundFactory.sol";

/**
 * @title CrowdfundFactory
 * @notice Clones {Crowdfund}s for communities registered in the {CommunityFactory}. Only a
 * community's creator or its Timelock may start one. The fee (basis points of the amount raised,
 * paid to the platform treasury on success) is set by this contract's owner, the platform
 * Timelock, and read once into each crowdfund at creation; the fee recipient is the community
 * factory's, also read at creation.
 *
 * Nothing here can mint: a crowdfund succeeds only if the community's own DAO grants it
 * MINTER_ROLE, so the platform cannot dilute a community, and a new implementation means a new
 * CrowdfundFactory, never a change to existing crowdfunds.
 */
contract CrowdfundFactory is ICrowdfundFactory, Ownable {
    /// @notice The highest fee the platform DAO can set: 10% of the amount raised.
    uint256 public constant MAX_FEE_BPS = 1_000;

    ICommunityFactory private immutable _communityFactory;
    address private immutable _implementation;
    uint16 private _feeBps;

    /// @notice Binds the factory to the platform's registry and the implementation it clones.
    /// @param communityFactory_ The platform's community factory (its registry and fee recipient).
    /// @param implementation_ The Crowdfund implementation.
    /// @param initialOwner The deployer; the deployment hands ownership to the platform Timelock.
    constructor(
        ICommunityFactory communityFactory_,
        address implementation_,
        address initialOwner
    ) Ownable(initialOwner) {
        if (address(communityFactory_).code.length == 0 || implementation_.code.length == 0) {
            revert CrowdfundFactoryZeroAddress();
        }
        _communityFactory = communityFactory_;
        _implementation = implementation_;
    }

    /// @inheritdoc ICrowdfundFactory
    /// @dev Requirements: `token` is a registered community token (else the community factory's
    /// FactoryUnknownToken); caller is its creator or Timelock; salt unused by the caller for this
    /// token; valid params (else the crowdfund's CrowdfundInvalidParams). Emits {CrowdfundCreated}.
    function createCrowdfund(
        address token,
        ICrowdfund.Params calldata params,
        bytes32 salt
    ) external returns (address crowdfund) {
        ICommunityFactory.Community memory c = _communityFactory.communityByToken(token);
        if (msg.sender != c.creator && msg.sender != c.timelock) revert CrowdfundFactoryNotCreator(msg.sender);
        bytes32 fullSalt = _salt(token, msg.sender, salt);
        if (Clones.predictDeterministicAddress(_implementation, fullSalt).code.length != 0) {
            revert CrowdfundFactorySaltUsed(salt);
        }
        crowdfund = Clones.cloneDeterministic(_implementation, fullSalt);
        emit CrowdfundCreated(token, crowdfund, msg.sender, salt);
        ICrowdfund(crowdfund).initialize(token, c.timelock, _communityFactory.feeRecipient(), _feeBps, params);
    }

    /// @inheritdoc ICrowdfundFactory
    function predictCrowdfund(address token, address creator, bytes32 salt) external view returns (address) {
        return Clones.predictDeterministicAddress(_implementation, _salt(token, creator, salt));
    }

    /// @inheritdoc ICrowdfundFactory
    /// @dev Emits {CrowdfundFeeSet}.
    function setFeeBps(uint256 bps) external onlyOwner {
        if (bps > MAX_FEE_BPS) revert CrowdfundFactoryFeeTooHigh(bps, MAX_FEE_BPS);
        emit CrowdfundFeeSet(_feeBps, bps);
        _feeBps = uint16(bps);
    }

    /// @inheritdoc ICrowdfundFactory
    function feeBps() external view returns (uint256) {
        return _feeBps;
    }

    /// @inheritdoc ICrowdfundFactory
    function implementation() external view returns (address) {
        return _implementation;
    }

    /// @inheritdoc ICrowdfundFactory
    function communityFactory() external view returns (address) {
        return address(_communityFactory);
    }

    function _salt(address token, address creator, bytes32 salt) private pure returns (bytes32) {
        return keccak256(abi.encode(token, creator, salt));
    }
}
