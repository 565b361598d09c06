// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {IVotes} from "@openzeppelin/contracts/governance/utils/IVotes.sol";
import {TimelockControllerUpgradeable} from "@openzeppelin/contracts-upgradeable/governance/TimelockControllerUpgradeable.sol";

/// @title ICommunityGovernor
/// @notice Set-up entry point and errors of a community's Governor.
interface ICommunityGovernor {
    /// @notice The proposal guardian changed (same event as OpenZeppelin's GovernorProposalGuardian).
    /// @param oldProposalGuardian The former guardian.
    /// @param newProposalGuardian The new guardian, or zero for none.
    event ProposalGuardianSet(address oldProposalGuardian, address newProposalGuardian);

    /// @notice The voting delay is zero: votes must be read from a checkpoint before the proposal's
    /// own block could move them. OpenZeppelin has no error for this (its GovernorSettings accepts 0).
    /// @param votingDelay The rejected delay, in seconds.
    error GovernorInvalidVotingDelay(uint256 votingDelay);

    /// @notice How many proposals were made: the latest sequential id (ids are 1, 2, 3…; zero before
    /// the first proposal). Proposals themselves are not stored: read them from {ProposalCreated}.
    function proposalCount() external view returns (uint256);

    /// @notice The account that may cancel any proposal before it executes; zero for none.
    function proposalGuardian() external view returns (address);

    /// @notice Replaces or removes (zero address) the proposal guardian. Governance only.
    /// @param newProposalGuardian The new guardian, or the zero address.
    function setProposalGuardian(address newProposalGuardian) external;

    /// @notice Governance settings of a community. Times are in seconds (the token's clock).
    /// @param votingDelay Seconds between a proposal and its snapshot, at whose balances votes are
    /// weighed; at least 1. Voting opens after the snapshot second, so tokens bought or borrowed in the
    /// block of a vote never count.
    /// @param votingPeriod Seconds of voting.
    /// @param proposalThreshold Votes needed to propose.
    /// @param quorumBps Quorum as basis points of the total supply at the proposal's snapshot.
    /// @param lateQuorumExtension Seconds voting is extended when quorum is reached late.
    // Passed in calldata or ABI-encoded, never stored: each member takes a full word whatever its
    // order, and the order is part of the public ABI.
    // solhint-disable-next-line gas-struct-packing
    struct GovernorConfig {
        uint48 votingDelay;
        uint32 votingPeriod;
        uint256 proposalThreshold;
        uint256 quorumBps;
        uint48 lateQuorumExtension;
    }

    /// @notice Initialises a freshly cloned governor. Callable once; disabled on the implementation.
    /// @param config Governance settings.
    /// @param token The community token (ERC-5805, timestamp clock).
    /// @param timelock The community Timelock, which executes and owns the treasury.
    /// @param guardian Proposal guardian (the creator at first), or zero for none.
    function initialize(
        GovernorConfig calldata config,
        IVotes token,
        TimelockControllerUpgradeable timelock,
        address guardian
    ) external;
}
