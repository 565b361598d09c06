// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {GovernorUpgradeable} from "@openzeppelin/contracts-upgradeable/governance/GovernorUpgradeable.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";

/**
 * @title GovernorTallyUpgradeable
 * @notice Governor-Bravo vote counting (against/for/abstain, quorum = for + abstain) together with
 * late-quorum protection, in packed storage.
 *
 * It replaces OpenZeppelin's GovernorCountingSimple + GovernorPreventLateQuorum with the same
 * external behaviour (`COUNTING_MODE`, `hasVoted`, `proposalVotes`, `proposalDeadline`,
 * `lateQuorumVoteExtension`, {ProposalExtended}, {LateQuorumVoteExtensionSet}) at a much lower cost
 * per vote:
 *
 * - **Voted flags are bitmaps over sequential proposal ids.** With sequential ids (see
 *   GovernorSequentialProposalId), a member's votes on 256 consecutive proposals share one storage
 *   word, so only a member's first vote in 256 proposals writes a fresh slot.
 * - **For, against and the late-quorum mark share one slot**, which `proposalDeadline` reads anyway
 *   during `castVote`, so the write that records the vote is warm.
 * - **The late-quorum window is fixed when the proposal is made.** `propose` stores
 *   `windowStart = deadline - extension`. A vote at or before `windowStart` cannot need an
 *   extension (quorum reached then leaves at least `extension` of voting), so no quorum is computed
 *   for it. The first vote after `windowStart` that finds quorum reached decides: if quorum was
 *   already reached before that vote, voting is not extended (as OpenZeppelin's module would have
 *   recorded at the earlier vote); if that vote is the one that reaches quorum, voting ends
 *   `extension` after it, exactly as OpenZeppelin's module does.
 *
 * Requirement: every vote weight fits in 104 bits (the factory caps supply at 2^104 - 1 units).
 *
 * If you are overriding: `_propose` must keep calling `super._propose` to arm the late-quorum
 * window, and `_countVote` is the single place where tallies change. Implement
 * `lateQuorumVoteExtension` and `_storeLateQuorumVoteExtension` together: they are where the
 * setting lives.
 */
abstract contract GovernorTallyUpgradeable is GovernorUpgradeable {
    /// @notice Support values, as Governor Bravo.
    enum VoteType {
        Against,
        For,
        Abstain
    }

    /// @notice Voting was extended because quorum was reached late.
    /// @param proposalId The proposal.
    /// @param extendedDeadline The new end of its voting period.
    event ProposalExtended(uint256 indexed proposalId, uint64 extendedDeadline);

    /// @notice The late-quorum extension for future proposals changed.
    /// @param oldVoteExtension The former extension, in seconds.
    /// @param newVoteExtension The new extension, in seconds.
    event LateQuorumVoteExtensionSet(uint64 oldVoteExtension, uint64 newVoteExtension);

    /// @notice The extension is longer than the voting period. Same error as OpenZeppelin's
    /// GovernorPreventLateQuorum, so tools decoding with OpenZeppelin's ABI name it.
    /// @param newVoteExtension The rejected extension, in seconds.
    /// @param maxVoteExtension The largest accepted: the voting period.
    error GovernorPreventLateQuorumVoteExtensionTooLarge(uint256 newVoteExtension, uint256 maxVoteExtension);

    /// @dev `lateQuorumMark`: while bit 47 is clear, the timepoint after which a vote may trigger
    /// the extension; once bit 47 is set, the decision is made and the low 46 bits hold the
    /// extended deadline (zero when voting was not extended). Bit 46 is set only between the vote
    /// that extends voting and the end of that vote's `_castVote`, so {ProposalExtended} is logged
    /// after the vote's {VoteCast}, as OpenZeppelin's GovernorPreventLateQuorum logs it.
    struct Tally {
        uint104 forVotes;
        uint104 againstVotes;
        uint48 lateQuorumMark;
    }

    /// @custom:storage-location erc7201:coterie.storage.GovernorTally
    struct GovernorTallyStorage {
        mapping(uint256 proposalId => Tally) tallies;
        mapping(uint256 proposalId => uint256) abstainVotes;
        mapping(address voter => mapping(uint256 word => uint256)) votedBitmaps;
    }

    uint48 private constant DECIDED = uint48(1) << 47;
    uint48 private constant EXTENSION_UNANNOUNCED = uint48(1) << 46;
    uint48 private constant DEADLINE_MASK = EXTENSION_UNANNOUNCED - 1;

    // keccak256(abi.encode(uint256(keccak256("coterie.storage.GovernorTally")) - 1)) & ~bytes32(uint256(0xff))
    bytes32 private constant GOVERNOR_TALLY_STORAGE_LOCATION =
        0x3cf449679021c03d5cf0ac3a573214748a85dce12939d2dc01a3338df7c5a600;

    function _getGovernorTallyStorage() private pure returns (GovernorTallyStorage storage $) {
        // ERC-7201 namespaced storage: Solidity has no other way to point a storage reference at a slot.
        // solhint-disable-next-line no-inline-assembly
        assembly {
            $.slot := GOVERNOR_TALLY_STORAGE_LOCATION
        }
    }

    // OpenZeppelin's initialiser naming (`__<Contract>_init_unchained`):
    // solhint-disable-next-line func-name-mixedcase
    function __GovernorTally_init_unchained(uint48 initialVoteExtension) internal onlyInitializing {
        _setLateQuorumVoteExtension(initialVoteExtension);
    }

    /*//////////////////////////////////////////////////////////////
                                 COUNTING
    //////////////////////////////////////////////////////////////*/

    // The name is fixed by OpenZeppelin's IGovernor:
    // solhint-disable func-name-mixedcase

    /// @notice How votes are counted: Bravo support values; quorum counts for and abstain.
    function COUNTING_MODE() public pure virtual override returns (string memory) {
        return "support=bravo&quorum=for,abstain";
    }

    // solhint-enable func-name-mixedcase

    /// @notice Whether `account` has voted on `proposalId`.
    /// @param proposalId The proposal.
    /// @param account The voter.
    function hasVoted(uint256 proposalId, address account) public view virtual override returns (bool) {
        uint256 word = _getGovernorTallyStorage().votedBitmaps[account][proposalId >> 8];
        return (word >> (proposalId & 0xff)) & 1 == 1;
    }

    /// @notice Votes against, for and abstaining on `proposalId`.
    /// @param proposalId The proposal.
    /// @return againstVotes Votes against.
    /// @return forVotes Votes for.
    /// @return abstainVotes Votes abstaining.
    function proposalVotes(
        uint256 proposalId
    ) public view virtual returns (uint256 againstVotes, uint256 forVotes, uint256 abstainVotes) {
        GovernorTallyStorage storage $ = _getGovernorTallyStorage();
        Tally storage t = $.tallies[proposalId];
        return (t.againstVotes, t.forVotes, $.abstainVotes[proposalId]);
    }

    function _quorumReached(uint256 proposalId) internal view virtual override returns (bool) {
        return
            quorum(proposalSnapshot(proposalId)) <=
            _forAndAbstain(proposalId, _getGovernorTallyStorage().tallies[proposalId]);
    }

    /// @dev The votes that count towards quorum.
    function _forAndAbstain(uint256 proposalId, Tally storage t) private view returns (uint256) {
        return t.forVotes + _getGovernorTallyStorage().abstainVotes[proposalId];
    }

    function _voteSucceeded(uint256 proposalId) internal view virtual override returns (bool) {
        Tally storage t = _getGovernorTallyStorage().tallies[proposalId];
        return t.forVotes > t.againstVotes;
    }

    /// @dev Records the vote, then settles late-quorum protection (see the contract notes).
    function _countVote(
        uint256 proposalId,
        address account,
        uint8 support,
        uint256 totalWeight,
        bytes memory // params
    ) internal virtual override returns (uint256) {
        _markVoted(proposalId, account);

        Tally storage t = _getGovernorTallyStorage().tallies[proposalId];
        uint48 mark = t.lateQuorumMark;
        bool undecidedInWindow = mark & DECIDED == 0 && clock() > mark;
        uint256 forAndAbstainBefore = undecidedInWindow ? _forAndAbstain(proposalId, t) : 0;

        _addVotes(proposalId, t, support, SafeCast.toUint104(totalWeight));

        if (undecidedInWindow) _settleLateQuorum(proposalId, t, mark, forAndAbstainBefore, support);
        return totalWeight;
    }

    /// @dev Sets the voter's bit for `proposalId`; reverts if it was set.
    function _markVoted(uint256 proposalId, address account) private {
        mapping(uint256 word => uint256) storage voted = _getGovernorTallyStorage().votedBitmaps[account];
        uint256 wordIndex = proposalId >> 8;
        uint256 mask = uint256(1) << (proposalId & 0xff);
        uint256 word = voted[wordIndex];
        if (word & mask != 0) revert GovernorAlreadyCastVote(account);
        voted[wordIndex] = word | mask;
    }

    function _addVotes(uint256 proposalId, Tally storage t, uint8 support, uint104 weight) private {
        if (support == uint8(VoteType.Against)) {
            t.againstVotes += weight;
        } else if (support == uint8(VoteType.For)) {
            t.forVotes += weight;
        } else if (support == uint8(VoteType.Abstain)) {
            _getGovernorTallyStorage().abstainVotes[proposalId] += weight;
        } else {
            revert GovernorInvalidVoteType();
        }
    }

    /// @dev Called for a vote cast after the proposal's late-quorum window opened, while undecided.
    function _settleLateQuorum(
        uint256 proposalId,
        Tally storage t,
        uint48 windowStart,
        uint256 forAndAbstainBefore,
        uint8 support
    ) private {
        uint256 forAndAbstainAfter =
            support == uint8(VoteType.Against) ? forAndAbstainBefore : _forAndAbstain(proposalId, t);
        uint256 needed = quorum(proposalSnapshot(proposalId));
        if (forAndAbstainAfter < needed) return; // still short of quorum: stay undecided

        if (forAndAbstainBefore >= needed) {
            // Quorum was reached before the window opened: no extension, as with OpenZeppelin's module.
            t.lateQuorumMark = DECIDED;
            return;
        }
        // This vote reached quorum late: keep voting open for the proposal's extension from now.
        // {ProposalExtended} follows the vote's {VoteCast}, from `_tallyUpdated`.
        uint256 baseDeadline = super.proposalDeadline(proposalId);
        uint48 extendedDeadline = clock() + uint48(baseDeadline - windowStart);
        t.lateQuorumMark = DECIDED | EXTENSION_UNANNOUNCED | extendedDeadline;
    }

    /// @dev Runs after the vote's {VoteCast}: announces an extension this vote decided. The slot was
    /// written by the vote already, so reading and clearing the bit costs little.
    function _tallyUpdated(uint256 proposalId) internal virtual override {
        super._tallyUpdated(proposalId);
        Tally storage t = _getGovernorTallyStorage().tallies[proposalId];
        uint48 mark = t.lateQuorumMark;
        if (mark & EXTENSION_UNANNOUNCED != 0) {
            t.lateQuorumMark = mark & ~EXTENSION_UNANNOUNCED;
            emit ProposalExtended(proposalId, mark & DEADLINE_MASK);
        }
    }

    /*//////////////////////////////////////////////////////////////
                          LATE-QUORUM PROTECTION
    //////////////////////////////////////////////////////////////*/

    /// @notice The deadline, extended when quorum was reached late.
    /// @param proposalId The proposal.
    function proposalDeadline(uint256 proposalId) public view virtual override returns (uint256) {
        uint256 base = super.proposalDeadline(proposalId);
        uint48 mark = _getGovernorTallyStorage().tallies[proposalId].lateQuorumMark;
        if (mark & DECIDED != 0) {
            uint256 extended = mark & DEADLINE_MASK;
            if (extended > base) return extended;
        }
        return base;
    }

    /// @notice Seconds of voting guaranteed after a late quorum, for proposals made from now on.
    /// @dev Storage is the inheriting governor's (see {_storeLateQuorumVoteExtension}).
    function lateQuorumVoteExtension() public view virtual returns (uint48);

    /// @notice Changes the late-quorum extension for future proposals. Governance only.
    /// @param newVoteExtension Seconds; at most the voting period.
    /// @dev Emits {LateQuorumVoteExtensionSet}.
    function setLateQuorumVoteExtension(uint48 newVoteExtension) public virtual onlyGovernance {
        _setLateQuorumVoteExtension(newVoteExtension);
    }

    function _setLateQuorumVoteExtension(uint48 newVoteExtension) internal virtual {
        uint256 max = votingPeriod();
        if (newVoteExtension > max) revert GovernorPreventLateQuorumVoteExtensionTooLarge(newVoteExtension, max);
        emit LateQuorumVoteExtensionSet(lateQuorumVoteExtension(), newVoteExtension);
        _storeLateQuorumVoteExtension(newVoteExtension);
    }

    /// @dev Keeps the extension; the inheriting governor decides where, so it can pack it with its
    /// other settings (CommunityGovernor does), and returns it from {lateQuorumVoteExtension}.
    function _storeLateQuorumVoteExtension(uint48 newVoteExtension) internal virtual;

    /// @dev Arms the late-quorum window: the last `lateQuorumVoteExtension()` seconds of voting.
    function _propose(
        address[] memory targets,
        uint256[] memory values,
        bytes[] memory calldatas,
        string memory description,
        address proposer
    ) internal virtual override returns (uint256 proposalId) {
        proposalId = super._propose(targets, values, calldatas, description, proposer);
        // The window may start before voting does (when the DAO later shortened the voting period
        // below the extension): then every vote counts as late, and the extension stays whole,
        // because `_settleLateQuorum` derives it as `deadline - windowStart`.
        uint256 windowStart = super.proposalDeadline(proposalId) - lateQuorumVoteExtension();
        _getGovernorTallyStorage().tallies[proposalId].lateQuorumMark = SafeCast.toUint48(windowStart);
    }
}
