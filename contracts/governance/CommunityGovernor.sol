// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IVotes} from "@openzeppelin/contracts/governance/utils/IVotes.sol";
import {IGovernor} from "@openzeppelin/contracts/governance/IGovernor.sol";
import {GovernorUpgradeable} from "@openzeppelin/contracts-upgradeable/governance/GovernorUpgradeable.sol";
import {GovernorProposalGuardianUpgradeable} from "@openzeppelin/contracts-upgradeable/governance/extensions/GovernorProposalGuardianUpgradeable.sol";
import {GovernorSequentialProposalIdUpgradeable} from "@openzeppelin/contracts-upgradeable/governance/extensions/GovernorSequentialProposalIdUpgradeable.sol";
import {GovernorSettingsUpgradeable} from "@openzeppelin/contracts-upgradeable/governance/extensions/GovernorSettingsUpgradeable.sol";
import {GovernorStorageUpgradeable} from "@openzeppelin/contracts-upgradeable/governance/extensions/GovernorStorageUpgradeable.sol";
import {GovernorTimelockControlUpgradeable} from "@openzeppelin/contracts-upgradeable/governance/extensions/GovernorTimelockControlUpgradeable.sol";
import {GovernorVotesQuorumFractionUpgradeable} from "@openzeppelin/contracts-upgradeable/governance/extensions/GovernorVotesQuorumFractionUpgradeable.sol";
import {GovernorVotesUpgradeable} from "@openzeppelin/contracts-upgradeable/governance/extensions/GovernorVotesUpgradeable.sol";
import {TimelockControllerUpgradeable} from "@openzeppelin/contracts-upgradeable/governance/TimelockControllerUpgradeable.sol";
import {IERC20Metadata} from "@openzeppelin/contracts/token/ERC20/extensions/IERC20Metadata.sol";
import {ICommunityGovernor} from "../interfaces/ICommunityGovernor.sol";
import {GovernorTallyUpgradeable} from "./extensions/GovernorTallyUpgradeable.sol";

/**
 * @title CommunityGovernor
 * @notice The Governor of one creator community (and of the platform DAO, which is a community too).
 *
 * Built from OpenZeppelin's upgradeable Governor family so it can be an EIP-1167 clone:
 * settings in seconds on the token's timestamp clock, for/against/abstain counting, quorum as a
 * fraction of supply (in basis points: `quorumDenominator() == 10_000`), Timelock control,
 * late-quorum protection, votes by signature, sequential proposal ids with proposals stored on chain
 * (`proposalCount`, `proposalDetailsAt`), and a proposal guardian who can cancel a proposal at any
 * point before execution, including while it waits in the Timelock. The DAO removes or replaces the
 * guardian with `setProposalGuardian` (governance only).
 *
 * Departures from OpenZeppelin's defaults:
 * - Counting and late-quorum protection come from {GovernorTallyUpgradeable} (same interface as
 *   GovernorCountingSimple + GovernorPreventLateQuorum, packed storage, cheaper votes).
 * - The name is "<token name> Governor", read from the token, and the EIP-712 domain (name,
 *   version "1") is derived from it: nothing about names is stored in the governor.
 */
contract CommunityGovernor is
    ICommunityGovernor,
    GovernorUpgradeable,
    GovernorSettingsUpgradeable,
    GovernorTallyUpgradeable,
    GovernorStorageUpgradeable,
    GovernorSequentialProposalIdUpgradeable,
    GovernorVotesUpgradeable,
    GovernorVotesQuorumFractionUpgradeable,
    GovernorProposalGuardianUpgradeable,
    GovernorTimelockControlUpgradeable
{
    /// @custom:oz-upgrades-unsafe-allow constructor
    constructor() {
        _disableInitializers();
    }

    /// @inheritdoc ICommunityGovernor
    /// @dev Requirements: called once, on a clone; `votingDelay >= 1`, `votingPeriod > 0` and
    /// `quorumBps <= 10_000` (checked by the factory and by OpenZeppelin's initialisers).
    /// Emits the settings events of each extension and {ProposalGuardianSet}.
    function initialize(
        GovernorConfig calldata config,
        IVotes token,
        TimelockControllerUpgradeable timelock,
        address guardian
    ) external initializer {
        // No name initialiser: the name and the EIP-712 domain are derived from the token.
        __GovernorSettings_init_unchained(config.votingDelay, config.votingPeriod, config.proposalThreshold);
        __GovernorVotes_init_unchained(token);
        __GovernorVotesQuorumFraction_init_unchained(config.quorumBps);
        __GovernorTally_init_unchained(config.lateQuorumExtension);
        __GovernorTimelockControl_init_unchained(timelock);
        if (guardian != address(0)) {
            _setProposalGuardian(guardian);
        }
    }

    /*//////////////////////////////////////////////////////////////
                       EIP-712 DOMAIN (DERIVED)
    //////////////////////////////////////////////////////////////*/

    /// @notice "<token name> Governor".
    function name() public view virtual override returns (string memory) {
        return string.concat(IERC20Metadata(address(token())).name(), " Governor");
    }

    /// @dev Domain name = governor name.
    function _EIP712Name() internal view virtual override returns (string memory) {
        return name();
    }

    /// @dev Domain version = governor version ("1").
    function _EIP712Version() internal view virtual override returns (string memory) {
        return version();
    }

    /*//////////////////////////////////////////////////////////////
                                 QUORUM
    //////////////////////////////////////////////////////////////*/

    /// @notice Quorum is expressed in basis points of the total supply.
    function quorumDenominator() public view virtual override returns (uint256) {
        return 10_000;
    }

    /*//////////////////////////////////////////////////////////////
                   OVERRIDES REQUIRED BY SOLIDITY
    //////////////////////////////////////////////////////////////*/

    /// @inheritdoc IGovernor
    function proposalThreshold()
        public
        view
        override(GovernorUpgradeable, GovernorSettingsUpgradeable)
        returns (uint256)
    {
        return super.proposalThreshold();
    }

    /// @inheritdoc IGovernor
    function proposalDeadline(
        uint256 proposalId
    ) public view override(GovernorUpgradeable, GovernorTallyUpgradeable) returns (uint256) {
        return super.proposalDeadline(proposalId);
    }

    /// @inheritdoc IGovernor
    function state(
        uint256 proposalId
    ) public view override(GovernorUpgradeable, GovernorTimelockControlUpgradeable) returns (ProposalState) {
        return super.state(proposalId);
    }

    /// @inheritdoc IGovernor
    function proposalNeedsQueuing(
        uint256 proposalId
    ) public view override(GovernorUpgradeable, GovernorTimelockControlUpgradeable) returns (bool) {
        return super.proposalNeedsQueuing(proposalId);
    }

    /// @inheritdoc IGovernor
    function getProposalId(
        address[] memory targets,
        uint256[] memory values,
        bytes[] memory calldatas,
        bytes32 descriptionHash
    ) public view override(GovernorUpgradeable, GovernorSequentialProposalIdUpgradeable) returns (uint256) {
        return super.getProposalId(targets, values, calldatas, descriptionHash);
    }

    function _propose(
        address[] memory targets,
        uint256[] memory values,
        bytes[] memory calldatas,
        string memory description,
        address proposer
    )
        internal
        override(
            GovernorUpgradeable,
            GovernorTallyUpgradeable,
            GovernorStorageUpgradeable,
            GovernorSequentialProposalIdUpgradeable
        )
        returns (uint256)
    {
        return super._propose(targets, values, calldatas, description, proposer);
    }

    function _validateCancel(
        uint256 proposalId,
        address caller
    ) internal view override(GovernorUpgradeable, GovernorProposalGuardianUpgradeable) returns (bool) {
        return super._validateCancel(proposalId, caller);
    }

    function _queueOperations(
        uint256 proposalId,
        address[] memory targets,
        uint256[] memory values,
        bytes[] memory calldatas,
        bytes32 descriptionHash
    ) internal override(GovernorUpgradeable, GovernorTimelockControlUpgradeable) returns (uint48) {
        return super._queueOperations(proposalId, targets, values, calldatas, descriptionHash);
    }

    function _executeOperations(
        uint256 proposalId,
        address[] memory targets,
        uint256[] memory values,
        bytes[] memory calldatas,
        bytes32 descriptionHash
    ) internal override(GovernorUpgradeable, GovernorTimelockControlUpgradeable) {
        super._executeOperations(proposalId, targets, values, calldatas, descriptionHash);
    }

    function _cancel(
        address[] memory targets,
        uint256[] memory values,
        bytes[] memory calldatas,
        bytes32 descriptionHash
    ) internal override(GovernorUpgradeable, GovernorTimelockControlUpgradeable) returns (uint256) {
        return super._cancel(targets, values, calldatas, descriptionHash);
    }

    function _executor() internal view override(GovernorUpgradeable, GovernorTimelockControlUpgradeable) returns (address) {
        return super._executor();
    }
}
