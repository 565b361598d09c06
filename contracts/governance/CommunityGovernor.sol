// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IVotes} from "@openzeppelin/contracts/governance/utils/IVotes.sol";
import {IGovernor} from "@openzeppelin/contracts/governance/IGovernor.sol";
import {GovernorUpgradeable} from "@openzeppelin/contracts-upgradeable/governance/GovernorUpgradeable.sol";
import {GovernorSequentialProposalIdUpgradeable} from "@openzeppelin/contracts-upgradeable/governance/extensions/GovernorSequentialProposalIdUpgradeable.sol";
import {GovernorSettingsUpgradeable} from "@openzeppelin/contracts-upgradeable/governance/extensions/GovernorSettingsUpgradeable.sol";
import {GovernorTimelockControlUpgradeable} from "@openzeppelin/contracts-upgradeable/governance/extensions/GovernorTimelockControlUpgradeable.sol";
import {GovernorVotesQuorumFractionUpgradeable} from "@openzeppelin/contracts-upgradeable/governance/extensions/GovernorVotesQuorumFractionUpgradeable.sol";
import {GovernorVotesUpgradeable} from "@openzeppelin/contracts-upgradeable/governance/extensions/GovernorVotesUpgradeable.sol";
import {TimelockControllerUpgradeable} from "@openzeppelin/contracts-upgradeable/governance/TimelockControllerUpgradeable.sol";
import {IERC20Metadata} from "@openzeppelin/contracts/token/ERC20/extensions/IERC20Metadata.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";
import {ICommunityGovernor} from "../interfaces/ICommunityGovernor.sol";
import {GovernorTallyUpgradeable} from "./extensions/GovernorTallyUpgradeable.sol";

/**
 * @title CommunityGovernor
 * @notice The Governor of one creator community (and of the platform DAO, which is a community too).
 *
 * Built from OpenZeppelin's upgradeable Governor family so it can be an EIP-1167 clone:
 * settings in seconds on the token's timestamp clock, for/against/abstain counting, quorum as a
 * fraction of supply (in basis points: `quorumDenominator() == 10_000`), Timelock control,
 * late-quorum protection, votes by signature, sequential proposal ids (1, 2, 3…; `latestProposalId`,
 * and `proposalCount` as its alias), and a proposal guardian who can cancel a proposal at any point
 * before execution, including while it waits in the Timelock. The DAO removes or replaces the
 * guardian with `setProposalGuardian` (governance only).
 *
 * Proposals are not stored on chain (no GovernorStorage): a proposal's actions and description are
 * in its {ProposalCreated} event, and `queue`, `execute` and `cancel` take them in full
 * (targets, values, calldatas, keccak256 of the description), as in every standard Governor.
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
    GovernorSequentialProposalIdUpgradeable,
    GovernorVotesUpgradeable,
    GovernorVotesQuorumFractionUpgradeable,
    GovernorTimelockControlUpgradeable
{
    /*//////////////////////////////////////////////////////////////
                                 STORAGE
    //////////////////////////////////////////////////////////////*/

    /// @dev Settings that OpenZeppelin keeps in three separate places (four slots), packed in one:
    /// the proposal guardian, the late-quorum extension, and the quorum set at creation together
    /// with the time the quorum history starts (zero until the DAO first changes the quorum).
    /// @custom:storage-location erc7201:coterie.storage.CommunityGovernor
    struct CommunityGovernorStorage {
        address proposalGuardian;
        uint32 lateQuorumExtension;
        uint16 initialQuorumBps;
        uint48 quorumHistoryStart;
    }

    // keccak256(abi.encode(uint256(keccak256("coterie.storage.CommunityGovernor")) - 1)) & ~bytes32(uint256(0xff))
    bytes32 private constant COMMUNITY_GOVERNOR_STORAGE_LOCATION =
        0xed1d8d061c029e6b922c9e94fd3e30e055fbd6d91a4248e03659cc7d42517e00;

    function _getCommunityGovernorStorage() private pure returns (CommunityGovernorStorage storage $) {
        // ERC-7201 namespaced storage: Solidity has no other way to point a storage reference at a slot.
        // solhint-disable-next-line no-inline-assembly
        assembly {
            $.slot := COMMUNITY_GOVERNOR_STORAGE_LOCATION
        }
    }

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
        // The creation quorum is kept packed; OpenZeppelin's checkpoint history starts with the
        // DAO's first change (see quorumNumerator).
        uint256 denominator = quorumDenominator();
        if (config.quorumBps > denominator) revert GovernorInvalidQuorumFraction(config.quorumBps, denominator);
        _getCommunityGovernorStorage().initialQuorumBps = uint16(config.quorumBps);
        emit QuorumNumeratorUpdated(0, config.quorumBps);
        __GovernorTally_init_unchained(config.lateQuorumExtension);
        __GovernorTimelockControl_init_unchained(timelock);
        if (guardian != address(0)) {
            _setProposalGuardian(guardian);
        }
    }

    /*//////////////////////////////////////////////////////////////
                              VOTING DELAY
    //////////////////////////////////////////////////////////////*/

    /// @dev At least one second, at creation and on every change by proposal, so the snapshot is
    /// always after the proposal's own block. Emits {VotingDelaySet} (OpenZeppelin).
    function _setVotingDelay(uint48 newVotingDelay) internal override {
        if (newVotingDelay == 0) revert GovernorInvalidVotingDelay(newVotingDelay);
        super._setVotingDelay(newVotingDelay);
    }

    /*//////////////////////////////////////////////////////////////
                            PROPOSAL GUARDIAN
    //////////////////////////////////////////////////////////////*/

    /// @inheritdoc ICommunityGovernor
    function proposalGuardian() public view returns (address) {
        return _getCommunityGovernorStorage().proposalGuardian;
    }

    /// @inheritdoc ICommunityGovernor
    /// @dev Emits {ProposalGuardianSet}.
    function setProposalGuardian(address newProposalGuardian) external onlyGovernance {
        _setProposalGuardian(newProposalGuardian);
    }

    function _setProposalGuardian(address newProposalGuardian) private {
        CommunityGovernorStorage storage $ = _getCommunityGovernorStorage();
        emit ProposalGuardianSet($.proposalGuardian, newProposalGuardian);
        $.proposalGuardian = newProposalGuardian;
    }

    /// @dev As OpenZeppelin's GovernorProposalGuardian: the guardian may cancel any proposal at any
    /// point before execution; with no guardian, a proposer may cancel their own proposal at any
    /// point; the base rule (proposer while Pending) always applies.
    function _validateCancel(uint256 proposalId, address caller) internal view override returns (bool) {
        address guardian = _getCommunityGovernorStorage().proposalGuardian;
        return
            guardian == caller ||
            (guardian == address(0) && caller == proposalProposer(proposalId)) ||
            super._validateCancel(proposalId, caller);
    }

    /*//////////////////////////////////////////////////////////////
                              PROPOSAL IDS
    //////////////////////////////////////////////////////////////*/

    /// @inheritdoc ICommunityGovernor
    /// @dev Ids are sequential and a proposal cannot be made twice, so the count is the latest id.
    function proposalCount() external view returns (uint256) {
        return latestProposalId();
    }

    /*//////////////////////////////////////////////////////////////
                         LATE-QUORUM EXTENSION
    //////////////////////////////////////////////////////////////*/

    /// @notice Seconds of voting guaranteed after a late quorum, for proposals made from now on.
    function lateQuorumVoteExtension() public view override returns (uint48) {
        return _getCommunityGovernorStorage().lateQuorumExtension;
    }

    function _storeLateQuorumVoteExtension(uint48 newVoteExtension) internal override {
        // Bounded by the voting period (a uint32) in _setLateQuorumVoteExtension.
        _getCommunityGovernorStorage().lateQuorumExtension = SafeCast.toUint32(newVoteExtension);
    }

    /*//////////////////////////////////////////////////////////////
                       EIP-712 DOMAIN (DERIVED)
    //////////////////////////////////////////////////////////////*/

    /// @notice "<token name> Governor".
    function name() public view virtual override returns (string memory) {
        return string.concat(IERC20Metadata(address(token())).name(), " Governor");
    }

    // Names fixed by OpenZeppelin's EIP712 hooks:
    // solhint-disable func-name-mixedcase

    /// @dev Domain name = governor name.
    function _EIP712Name() internal view virtual override returns (string memory) {
        return name();
    }

    /// @dev Domain version = governor version ("1").
    function _EIP712Version() internal view virtual override returns (string memory) {
        return version();
    }

    // solhint-enable func-name-mixedcase

    /*//////////////////////////////////////////////////////////////
                                 QUORUM
    //////////////////////////////////////////////////////////////*/

    /// @notice Quorum is expressed in basis points of the total supply.
    function quorumDenominator() public view virtual override returns (uint256) {
        return 10_000;
    }

    /// @notice The quorum numerator (basis points) in force now.
    function quorumNumerator() public view override returns (uint256) {
        CommunityGovernorStorage storage $ = _getCommunityGovernorStorage();
        if ($.quorumHistoryStart == 0) return $.initialQuorumBps;
        return super.quorumNumerator();
    }

    /// @notice The quorum numerator (basis points) in force at `timepoint`: the creation value
    /// before the DAO's first change, OpenZeppelin's checkpoint history from then on.
    /// @param timepoint A timestamp.
    function quorumNumerator(uint256 timepoint) public view override returns (uint256) {
        CommunityGovernorStorage storage $ = _getCommunityGovernorStorage();
        uint256 historyStart = $.quorumHistoryStart;
        if (historyStart == 0 || timepoint < historyStart) return $.initialQuorumBps;
        return super.quorumNumerator(timepoint);
    }

    /// @dev The first change starts OpenZeppelin's history at this timestamp; earlier timepoints keep
    /// the creation value. Emits {QuorumNumeratorUpdated} (from OpenZeppelin, with the old value).
    function _updateQuorumNumerator(uint256 newQuorumNumerator) internal override {
        super._updateQuorumNumerator(newQuorumNumerator);
        CommunityGovernorStorage storage $ = _getCommunityGovernorStorage();
        if ($.quorumHistoryStart == 0) $.quorumHistoryStart = clock();
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
        override(GovernorUpgradeable, GovernorTallyUpgradeable, GovernorSequentialProposalIdUpgradeable)
        returns (uint256)
    {
        return super._propose(targets, values, calldatas, description, proposer);
    }

    function _tallyUpdated(uint256 proposalId) internal override(GovernorUpgradeable, GovernorTallyUpgradeable) {
        super._tallyUpdated(proposalId);
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

    function _executor()
        internal
        view
        override(GovernorUpgradeable, GovernorTimelockControlUpgradeable)
        returns (address)
    {
        return super._executor();
    }
}
