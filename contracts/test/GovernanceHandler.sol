// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IGovernor} from "@openzeppelin/contracts/governance/IGovernor.sol";
import {Errors} from "@openzeppelin/contracts/utils/Errors.sol";
import {Strings} from "@openzeppelin/contracts/utils/Strings.sol";
import {TimelockControllerUpgradeable} from "@openzeppelin/contracts-upgradeable/governance/TimelockControllerUpgradeable.sol";
import {ICommunityFactory} from "../interfaces/ICommunityFactory.sol";
import {ICommunityGovernor} from "../interfaces/ICommunityGovernor.sol";
import {IRewardVault} from "../interfaces/IRewardVault.sol";
import {CommunityFactory} from "../factory/CommunityFactory.sol";
import {CommunityTimelock} from "../governance/CommunityTimelock.sol";
import {RewardVault} from "../rewards/RewardVault.sol";
import {SocialToken} from "../token/SocialToken.sol";
import {ModelHandler} from "./ModelHandler.sol";

/**
 * @notice TEST ONLY. The CommunityGovernor functions the governance tests call: OpenZeppelin's
 * IGovernor (queue / execute by the proposal's full arguments), `proposalCount`, the counting,
 * settings and quorum views, and the governance-only setters. The handler names the governor through this interface so that it
 * does not compile the governor itself (the governor is compiled through the IR pipeline, alone).
 */
interface IGovernorUnderTest is IGovernor, ICommunityGovernor {
    function proposalVotes(
        uint256 proposalId
    ) external view returns (uint256 againstVotes, uint256 forVotes, uint256 abstainVotes);
    function quorumNumerator() external view returns (uint256);
    function lateQuorumVoteExtension() external view returns (uint48);
    function timelock() external view returns (address);
    function setVotingDelay(uint48 newVotingDelay) external;
    function setVotingPeriod(uint32 newVotingPeriod) external;
    function setProposalThreshold(uint256 newProposalThreshold) external;
    function updateQuorumNumerator(uint256 newQuorumNumerator) external;
    function setLateQuorumVoteExtension(uint48 newVoteExtension) external;
    function relay(address target, uint256 value, bytes calldata data) external payable;
}

/**
 * @title GovernanceHandler
 * @notice TEST ONLY. Drives a whole community (the platform community, whose Timelock owns the
 * factory) through pseudo-random sequences from many actors for the invariant tests in
 * `contracts/governance/GovernanceInvariant.t.sol`. Never deploy it outside tests.
 *
 * Actions: token transfers (actor 0 is the market: transfers from it are purchases), delegations
 * and opt-outs, burns, proposals (paying treasury ETH to an actor or changing a governor, Timelock,
 * factory or vault parameter), votes, **flash votes** (actor 0 lends tokens, the borrower votes and
 * repays, all in one second), warps (one second to 25 minutes), queueing, executing, donations to
 * the treasury, and **unauthorised calls**: an actor, the creator, the handler or an outsider calls
 * one of 34 privileged functions of the token, Timelock, Governor, vault or factory directly.
 *
 * The **model** is independent of the contracts: each actor's balance and delegation, the history
 * of each actor's votes and of the supply (value at the end of each second), the history of the
 * quorum, every parameter, the treasury's ETH, and each proposal's call, snapshot and tallies.
 * A vote must weigh exactly the voter's model votes at the proposal's snapshot (so tokens bought,
 * borrowed, received or re-delegated after it count for nothing); a proposal's state must follow
 * from the model tallies and the quorum at its snapshot; parameters and the treasury change only
 * when an executed proposal changes them; every unauthorised call must revert. Every action
 * predicts its outcome (success, or the exact revert data) and records a violation otherwise.
 *
 * @dev The actors must hold the whole supply, none having delegated, and the creator none; the
 * community must be the platform, launched by the creator (so the vault's operator and attester
 * are the Timelock and there is no guardian), with a zero vault budget and no referral rate.
 */
contract GovernanceHandler is ModelHandler {
    /*//////////////////////////////////////////////////////////////
                                  TYPES
    //////////////////////////////////////////////////////////////*/

    /// @notice The actions; index {successes} and {expectedReverts}.
    enum Action {
        Transfer,
        Delegate,
        Burn,
        Propose,
        Vote,
        FlashVote,
        Warp,
        Queue,
        Execute,
        Donate,
        Unauthorized
    }

    /// @notice What a proposal does (one call each).
    enum Kind {
        PayTreasury,
        SetVotingPeriod,
        UpdateQuorum,
        SetProposalThreshold,
        SetProposalGuardian,
        UpdateTimelockDelay,
        SetCreationFee,
        SetVaultBudget,
        SetVotingDelay,
        SetLateQuorumExtension
    }

    /// @notice The model of one proposal.
    struct ProposalModel {
        uint256 id;
        Kind kind;
        address target;
        uint256 value;
        bytes data;
        uint256 arg;
        bytes32 descriptionHash;
        uint256 snapshot;
        uint256 forVotes;
        uint256 againstVotes;
        uint256 abstainVotes;
        uint256 eta;
        bool executed;
    }

    /// @dev A value from a point in time on (the end of that second).
    struct Checkpoint {
        uint64 key;
        uint192 value;
    }

    /*//////////////////////////////////////////////////////////////
                                CONSTANTS
    //////////////////////////////////////////////////////////////*/

    uint256 public constant ACTION_COUNT = 11;
    uint256 public constant KIND_COUNT = 10;
    uint256 public constant ACTOR_COUNT = 6;
    /// @notice Callers of the unauthorised calls: the actors, the creator, the handler, an outsider.
    uint256 public constant CALLER_COUNT = ACTOR_COUNT + 3;
    uint256 public constant PRIVILEGED_CALL_COUNT = 34;
    /// @notice The most proposals per sequence (the invariants walk all of them).
    uint256 public constant MAX_PROPOSALS = 24;
    /// @notice An account that holds nothing and no role.
    address public constant OUTSIDER = address(0x0B5E55ED);

    uint256 private constant BPS = 10_000;
    address private constant OPTED_OUT = address(type(uint160).max);
    bytes32 private constant MINTER_ROLE = keccak256("MINTER_ROLE");
    bytes32 private constant REVENUE_ROLE = keccak256("REVENUE_ROLE");
    bytes32 private constant PROPOSER_ROLE = keccak256("PROPOSER_ROLE");

    /*//////////////////////////////////////////////////////////////
                              CONFIGURATION
    //////////////////////////////////////////////////////////////*/

    CommunityFactory public immutable factory;
    SocialToken public immutable token;
    IGovernorUnderTest public immutable governor;
    CommunityTimelock public immutable timelock;
    RewardVault public immutable vault;
    /// @notice The platform's deployer: it launched the platform and keeps no role.
    address public immutable creator;
    address[ACTOR_COUNT] private _actors;

    /*//////////////////////////////////////////////////////////////
                                  MODEL
    //////////////////////////////////////////////////////////////*/

    mapping(address account => uint256) public balanceModel;
    uint256 public supplyModel;
    /// @dev Zero: never chose (self-delegated); OPTED_OUT: no delegate; otherwise the delegate.
    mapping(address account => address) private _choice;
    mapping(address account => Checkpoint[]) private _votesHistory;
    Checkpoint[] private _supplyHistory;
    Checkpoint[] private _quorumHistory;

    uint256 public votingDelayModel;
    uint256 public votingPeriodModel;
    uint256 public thresholdModel;
    uint256 public extensionModel;
    address public guardianModel;
    uint256 public minDelayModel;
    uint256 public creationFeeModel;
    uint256 public vaultBudgetModel;
    /// @notice The Timelock's ETH: what it held, plus donations, less executed payments.
    uint256 public treasuryModel;

    ProposalModel[] private _proposals;
    mapping(uint256 index => mapping(address voter => bool)) private _voted;
    uint256 private _nonce;

    /*//////////////////////////////////////////////////////////////
                                 GHOSTS
    //////////////////////////////////////////////////////////////*/

    /// @notice Votes cast while the voter held more tokens than at the snapshot (bought, borrowed or
    /// received after it): each must have weighed the snapshot votes only.
    uint256 public votesWithLaterTokens;
    /// @notice Flash votes that found the proposal Active.
    uint256 public activeFlashVotes;
    /// @notice Proposals that executed, per kind.
    mapping(Kind kind => uint256) public executedByKind;
    /// @notice Queue attempts that found their proposal Defeated by the snapshot votes.
    uint256 public defeatedSeen;

    constructor(
        CommunityFactory factory_,
        ICommunityFactory.Community memory community,
        address creator_,
        address[ACTOR_COUNT] memory actors_
    ) {
        factory = factory_;
        token = SocialToken(community.token);
        governor = IGovernorUnderTest(community.governor);
        timelock = CommunityTimelock(payable(community.timelock));
        vault = RewardVault(community.rewardVault);
        creator = creator_;
        _actors = actors_;
        for (uint256 i; i < ACTOR_COUNT; ++i) balanceModel[actors_[i]] = token.balanceOf(actors_[i]);
        supplyModel = token.totalSupply();
        votingDelayModel = governor.votingDelay();
        votingPeriodModel = governor.votingPeriod();
        thresholdModel = governor.proposalThreshold();
        extensionModel = governor.lateQuorumVoteExtension();
        guardianModel = governor.proposalGuardian();
        minDelayModel = timelock.getMinDelay();
        creationFeeModel = factory_.creationFee();
        vaultBudgetModel = vault.epochBudget();
        treasuryModel = address(timelock).balance;
        _quorumHistory.push(Checkpoint({key: 0, value: uint192(governor.quorumNumerator())}));
        _checkpoint();
    }

    /*//////////////////////////////////////////////////////////////
                                 DRIVER
    //////////////////////////////////////////////////////////////*/

    /// @notice One weighted pseudo-random action chosen by `seed` (for seed-driven tests).
    function step(uint256 seed) external {
        uint256 roll = _rand(seed, "action") % 100;
        if (roll < 9) actTransfer(seed);
        else if (roll < 14) actDelegate(seed);
        else if (roll < 16) actBurn(seed);
        else if (roll < 24) actPropose(seed);
        else if (roll < 50) actVote(seed);
        else if (roll < 56) actFlashVote(seed);
        else if (roll < 74) actWarp(seed);
        else if (roll < 83) actQueue(seed);
        else if (roll < 92) actExecute(seed);
        else if (roll < 94) actDonate(seed);
        else actUnauthorized(seed);
    }

    /*//////////////////////////////////////////////////////////////
                              TOKEN ACTIONS
    //////////////////////////////////////////////////////////////*/

    /// @notice An actor transfers part or all of its balance to another (from actor 0: a purchase).
    function actTransfer(uint256 seed) public {
        address from = _rand(seed, "buy") % 3 == 0 ? _actors[0] : _actor(_rand(seed, "from"));
        address to = _actor(_rand(seed, "to"));
        uint256 amount = _part(seed, balanceModel[from]);
        vm.prank(from);
        try token.transfer(to, amount) {
            if (_outcome(uint256(Action.Transfer), "", true, "")) _move(from, to, amount);
        } catch (bytes memory reason) {
            _outcome(uint256(Action.Transfer), "", false, reason);
        }
    }

    /// @notice An actor delegates to itself or another actor, or opts out.
    function actDelegate(uint256 seed) public {
        address account = _actor(_rand(seed, "account"));
        uint256 mode = _rand(seed, "mode") % 6;
        address delegatee =
            mode == 0
                ? address(0)
                : mode == 1
                    ? account
                    : _actor(_rand(seed, "delegatee"));
        vm.prank(account);
        try token.delegate(delegatee) {
            if (_outcome(uint256(Action.Delegate), "", true, "")) {
                _choice[account] = delegatee == address(0) ? OPTED_OUT : delegatee;
                _checkpoint();
            }
        } catch (bytes memory reason) {
            _outcome(uint256(Action.Delegate), "", false, reason);
        }
    }

    /// @notice An actor burns part of its balance (the supply, hence the quorum, moves).
    function actBurn(uint256 seed) public {
        address from = _actor(_rand(seed, "from"));
        uint256 amount = _part(seed, balanceModel[from]) / 4;
        vm.prank(from);
        try token.burn(amount) {
            if (_outcome(uint256(Action.Burn), "", true, "")) _move(from, address(0), amount);
        } catch (bytes memory reason) {
            _outcome(uint256(Action.Burn), "", false, reason);
        }
    }

    /*//////////////////////////////////////////////////////////////
                               GOVERNANCE
    //////////////////////////////////////////////////////////////*/

    /// @notice An actor proposes one call (see {Kind}); it must pass the threshold with its votes
    /// of the previous second.
    function actPropose(uint256 seed) public {
        if (_proposals.length >= MAX_PROPOSALS) return;
        address proposer = _rand(seed, "market") % 3 == 0 ? _actors[0] : _actor(_rand(seed, "proposer"));
        ProposalModel memory p = _proposalCall(seed);
        string memory description = string.concat("proposal ", Strings.toString(++_nonce));
        p.descriptionHash = keccak256(bytes(description));
        uint256 votes = _at(_votesHistory[proposer], block.timestamp - 1);
        bytes memory expected;
        if (thresholdModel != 0 && votes < thresholdModel) {
            expected = abi.encodeWithSelector(
                IGovernor.GovernorInsufficientProposerVotes.selector,
                proposer,
                votes,
                thresholdModel
            );
        }
        (address[] memory targets, uint256[] memory values, bytes[] memory calldatas) = _arrays(p);
        vm.prank(proposer);
        try governor.propose(targets, values, calldatas, description) returns (uint256 id) {
            if (_outcome(uint256(Action.Propose), expected, true, "")) {
                p.id = id;
                p.snapshot = block.timestamp + votingDelayModel;
                _check(id == _proposals.length + 1, "propose: id is not sequential");
                _check(governor.proposalCount() == id, "propose: proposalCount != latest id");
                _check(governor.proposalSnapshot(id) == p.snapshot, "propose: snapshot != now + votingDelay");
                _check(
                    governor.proposalDeadline(id) == p.snapshot + votingPeriodModel,
                    "propose: deadline != snapshot + votingPeriod"
                );
                _proposals.push(p);
            }
        } catch (bytes memory reason) {
            _outcome(uint256(Action.Propose), expected, false, reason);
        }
    }

    /// @notice An actor votes for, against or abstaining (rarely with an invalid support value) on
    /// a proposal, usually an Active one.
    function actVote(uint256 seed) public {
        if (_proposals.length == 0) return;
        uint256 i = _pick(seed, IGovernor.ProposalState.Active);
        // Usually an actor that has not voted on it yet.
        uint256 start = _rand(seed, "voter");
        address voter = _actor(start);
        for (uint256 j; j < ACTOR_COUNT && _rand(seed, "fresh voter") % 4 != 0; ++j) {
            if (!_voted[i][_actor(start + j)]) {
                voter = _actor(start + j);
                break;
            }
        }
        // Half for, a quarter against, a fifth abstaining, rarely an invalid value.
        uint256 r = _rand(seed, "support") % 20;
        uint8 support =
            r < 10
                ? 1
                : r < 15
                    ? 0
                    : r < 19
                        ? 2
                        : 3;
        _vote(Action.Vote, i, voter, support);
    }

    /// @notice Actor 0 lends part of its balance to another actor, which votes on a proposal
    /// (usually Active) and repays, all in this second: the vote must weigh the borrower's votes at
    /// the snapshot, without the loan.
    function actFlashVote(uint256 seed) public {
        if (_proposals.length == 0) return;
        address lender = _actors[0];
        address borrower = _actors[1 + (_rand(seed, "borrower") % (ACTOR_COUNT - 1))];
        uint256 amount = _part(seed, balanceModel[lender]);
        uint256 i = _pick(seed, IGovernor.ProposalState.Active);
        vm.prank(lender);
        token.transfer(borrower, amount);
        _move(lender, borrower, amount);
        if (_expectedState(i) == IGovernor.ProposalState.Active) activeFlashVotes += 1;
        _vote(Action.FlashVote, i, borrower, 1);
        vm.prank(borrower);
        token.transfer(lender, amount);
        _move(borrower, lender, amount);
    }

    /// @notice Queues a proposal (usually a Succeeded one), by any actor.
    function actQueue(uint256 seed) public {
        if (_proposals.length == 0) return;
        uint256 i = _pick(seed, IGovernor.ProposalState.Succeeded);
        ProposalModel storage p = _proposals[i];
        IGovernor.ProposalState state = _expectedState(i);
        bytes memory expected;
        if (state != IGovernor.ProposalState.Succeeded) {
            if (state == IGovernor.ProposalState.Defeated) defeatedSeen += 1;
            expected = _unexpectedState(p.id, state, IGovernor.ProposalState.Succeeded);
        }
        (address[] memory targets, uint256[] memory values, bytes[] memory calldatas) = _arrays(p);
        vm.prank(_actor(_rand(seed, "caller")));
        try governor.queue(targets, values, calldatas, p.descriptionHash) {
            if (_outcome(uint256(Action.Queue), expected, true, "")) {
                p.eta = block.timestamp + minDelayModel;
                _check(governor.proposalEta(p.id) == p.eta, "queue: eta != now + Timelock delay");
            }
        } catch (bytes memory reason) {
            _outcome(uint256(Action.Queue), expected, false, reason);
        }
    }

    /// @notice Executes a proposal (usually a Queued one), by any actor; applies its effect to the
    /// model when it succeeds.
    function actExecute(uint256 seed) public {
        if (_proposals.length == 0) return;
        uint256 i = _pick(seed, IGovernor.ProposalState.Queued);
        ProposalModel storage p = _proposals[i];
        IGovernor.ProposalState state = _expectedState(i);
        (address[] memory targets, uint256[] memory values, bytes[] memory calldatas) = _arrays(p);
        bytes memory expected;
        if (state != IGovernor.ProposalState.Queued) {
            expected = _unexpectedState(p.id, state, IGovernor.ProposalState.Queued);
        } else if (block.timestamp < p.eta) {
            bytes32 salt = bytes20(address(governor)) ^ p.descriptionHash;
            bytes32 operation = timelock.hashOperationBatch(targets, values, calldatas, 0, salt);
            expected = abi.encodeWithSelector(
                TimelockControllerUpgradeable.TimelockUnexpectedOperationState.selector,
                operation,
                bytes32(1 << uint8(TimelockControllerUpgradeable.OperationState.Ready))
            );
        } else if (p.kind == Kind.PayTreasury && p.value > treasuryModel) {
            expected = abi.encodeWithSelector(Errors.FailedCall.selector);
        }
        vm.prank(_actor(_rand(seed, "caller")));
        try governor.execute(targets, values, calldatas, p.descriptionHash) {
            if (_outcome(uint256(Action.Execute), expected, true, "")) {
                p.executed = true;
                executedByKind[p.kind] += 1;
                _apply(p);
            }
        } catch (bytes memory reason) {
            _outcome(uint256(Action.Execute), expected, false, reason);
        }
    }

    /*//////////////////////////////////////////////////////////////
                              TIME AND ETH
    //////////////////////////////////////////////////////////////*/

    /// @notice Moves time forward: often one to three seconds (the next blocks), otherwise up to
    /// two minutes, or two to about seven minutes (a proposal lives about six).
    function actWarp(uint256 seed) public {
        uint256 r = _rand(seed, "warp") % 10;
        uint256 dt =
            r < 4
                ? 1 + (r % 3)
                : r < 8
                    ? 1 + (_rand(seed, "dt") % 120)
                    : 120 + (_rand(seed, "dt") % 280);
        vm.warp(block.timestamp + dt);
        successes[uint256(Action.Warp)] += 1;
    }

    /// @notice Someone sends ETH to the treasury (anyone may).
    function actDonate(uint256 seed) public {
        uint256 amount = 1 + (_rand(seed, "amount") % 10 ether);
        vm.deal(address(this), address(this).balance + amount);
        (bool ok, bytes memory reason) = address(timelock).call{value: amount}("");
        if (_outcome(uint256(Action.Donate), "", ok, reason)) treasuryModel += amount;
    }

    /*//////////////////////////////////////////////////////////////
                           UNAUTHORISED CALLS
    //////////////////////////////////////////////////////////////*/

    /// @notice Someone other than the Timelock (an actor, the creator, the handler or an outsider)
    /// calls a privileged function directly: it must revert.
    function actUnauthorized(uint256 seed) public {
        address caller = _caller(_rand(seed, "caller") % CALLER_COUNT);
        uint256 k = _rand(seed, "call") % PRIVILEGED_CALL_COUNT;
        // The creator launched the platform and keeps no role (Issue 11 item 2): every privileged
        // call, the vault operator's included, must be refused to it as to anyone.
        (address target, bytes memory data) = _privilegedCall(k, caller, seed);
        vm.prank(caller);
        (bool ok, ) = target.call(data);
        if (ok) {
            _violation(
                string.concat("unauthorised call ", Strings.toString(k), " succeeded for ", Strings.toHexString(caller))
            );
        } else {
            expectedReverts[uint256(Action.Unauthorized)] += 1;
        }
    }

    /// @notice The `k`-th privileged call, made by `caller`.
    function _privilegedCall(
        uint256 k,
        address caller,
        uint256 seed
    ) private view returns (address target, bytes memory data) {
        bytes32 salt = bytes32(seed);
        if (k < 5) {
            target = address(token);
            if (k == 0) data = abi.encodeCall(SocialToken.mint, (caller, 1));
            else if (k == 1) data = abi.encodeCall(token.grantRole, (MINTER_ROLE, caller));
            else if (k == 2) data = abi.encodeCall(token.grantRole, (bytes32(0), caller));
            else if (k == 3) data = abi.encodeCall(token.revokeRole, (bytes32(0), address(timelock)));
            else data = abi.encodeCall(token.grantRole, (REVENUE_ROLE, caller));
        } else if (k < 11) {
            target = address(timelock);
            if (k == 5)
                data = abi.encodeCall(timelock.schedule, (caller, 1 ether, "", bytes32(0), salt, minDelayModel));
            else if (k == 6) data = abi.encodeCall(timelock.execute, (caller, 1 ether, "", bytes32(0), salt));
            else if (k == 7) data = abi.encodeCall(timelock.updateDelay, (0));
            else if (k == 8) data = abi.encodeCall(timelock.grantRole, (PROPOSER_ROLE, caller));
            else if (k == 9) data = abi.encodeCall(timelock.grantRole, (bytes32(0), caller));
            else data = abi.encodeCall(timelock.cancel, (salt));
        } else if (k < 19) {
            target = address(governor);
            if (k == 11) data = abi.encodeCall(governor.relay, (caller, 0, ""));
            else if (k == 12) data = abi.encodeCall(governor.setVotingDelay, (0));
            else if (k == 13) data = abi.encodeCall(governor.setVotingPeriod, (1));
            else if (k == 14) data = abi.encodeCall(governor.setProposalThreshold, (0));
            else if (k == 15) data = abi.encodeCall(governor.updateQuorumNumerator, (1));
            else if (k == 16) data = abi.encodeCall(governor.setLateQuorumVoteExtension, (0));
            else if (k == 17) data = abi.encodeCall(governor.setProposalGuardian, (caller));
            else data = abi.encodeWithSignature("updateTimelock(address)", caller);
        } else if (k < 26) {
            target = address(vault);
            if (k == 19) data = abi.encodeCall(IRewardVault.setOperator, (caller));
            else if (k == 20) data = abi.encodeCall(IRewardVault.setEpochBudget, (1e30));
            else if (k == 21) data = abi.encodeCall(IRewardVault.setReferralBps, (BPS));
            else if (k == 22) data = abi.encodeCall(IRewardVault.unpause, ());
            else if (k == 23) data = abi.encodeCall(IRewardVault.setAttester, (caller));
            else if (k == 24) data = abi.encodeCall(IRewardVault.pause, ());
            else data = abi.encodeCall(IRewardVault.openCampaign, (salt | bytes32(uint256(1)), 1, block.timestamp + 1));
        } else {
            target = address(factory);
            if (k == 26) data = abi.encodeCall(factory.setCreationFee, (1));
            else if (k == 27) data = abi.encodeCall(factory.setFeeRecipient, (caller));
            else if (k == 28) data = abi.encodeCall(factory.setVerified, (0, true));
            else if (k == 29) data = abi.encodeCall(factory.pause, ());
            else if (k == 30) data = abi.encodeCall(factory.transferOwnership, (caller));
            else if (k == 31) data = abi.encodeCall(factory.renounceOwnership, ());
            else if (k == 32) data = abi.encodeCall(factory.launchPlatform, (_params()));
            else {
                (, ICommunityFactory.Implementations memory impl) = factory.currentImplementations();
                impl.token = address(token); // any contract would do: the call itself must be refused
                data = abi.encodeCall(factory.setImplementations, (impl));
            }
        }
    }

    /*//////////////////////////////////////////////////////////////
                                  VIEWS
    //////////////////////////////////////////////////////////////*/

    function actor(uint256 i) external view returns (address) {
        return _actors[i];
    }

    /// @notice The `i`-th caller of unauthorised calls (actors, creator, handler, outsider).
    function callerAt(uint256 i) external view returns (address) {
        return _caller(i);
    }

    function proposalCount() external view returns (uint256) {
        return _proposals.length;
    }

    function proposalModel(uint256 i) external view returns (ProposalModel memory) {
        return _proposals[i];
    }

    /// @notice The model's votes of `account` at the end of second `t`.
    function votesAt(address account, uint256 t) external view returns (uint256) {
        return _at(_votesHistory[account], t);
    }

    /// @notice The model's supply at the end of second `t`.
    function supplyAt(uint256 t) public view returns (uint256) {
        return _at(_supplyHistory, t);
    }

    /// @notice The model's quorum (in tokens) for a proposal with snapshot `t`.
    function quorumAt(uint256 t) public view returns (uint256) {
        return (supplyAt(t) * _at(_quorumHistory, t)) / BPS;
    }

    /// @notice The model's quorum numerator (basis points) now.
    function quorumBpsModel() external view returns (uint256) {
        return _at(_quorumHistory, block.timestamp);
    }

    /// @notice The state the `i`-th proposal must be in: from the model's tallies (the votes
    /// checkpointed at its snapshot) and the quorum at its snapshot; the deadline is the governor's.
    function expectedState(uint256 i) external view returns (IGovernor.ProposalState) {
        return _expectedState(i);
    }

    /*//////////////////////////////////////////////////////////////
                                 HELPERS
    //////////////////////////////////////////////////////////////*/

    function _actionName(uint256 action) internal pure override returns (string memory) {
        return
            [
                "transfer",
                "delegate",
                "burn",
                "propose",
                "vote",
                "flash vote",
                "warp",
                "queue",
                "execute",
                "donate",
                "unauthorised call"
            ][action];
    }

    /// @dev Casts a vote and checks its weight against the voter's model votes at the snapshot.
    function _vote(Action action, uint256 i, address voter, uint8 support) private {
        ProposalModel storage p = _proposals[i];
        IGovernor.ProposalState state = _expectedState(i);
        bytes memory expected;
        if (state != IGovernor.ProposalState.Active) {
            expected = _unexpectedState(p.id, state, IGovernor.ProposalState.Active);
        } else if (_voted[i][voter]) {
            expected = abi.encodeWithSelector(IGovernor.GovernorAlreadyCastVote.selector, voter);
        } else if (support > 2) {
            expected = abi.encodeWithSelector(IGovernor.GovernorInvalidVoteType.selector);
        }
        uint256 weight = _at(_votesHistory[voter], p.snapshot);
        uint256 now_ = _at(_votesHistory[voter], block.timestamp);
        vm.prank(voter);
        try governor.castVote(p.id, support) returns (uint256 counted) {
            if (_outcome(uint256(action), expected, true, "")) {
                _check(counted == weight, "vote: weight != the voter's votes at the snapshot");
                _voted[i][voter] = true;
                if (support == 0) p.againstVotes += weight;
                else if (support == 1) p.forVotes += weight;
                else p.abstainVotes += weight;
                if (now_ > weight) votesWithLaterTokens += 1;
                (uint256 against, uint256 for_, uint256 abstain) = governor.proposalVotes(p.id);
                _check(
                    against == p.againstVotes && for_ == p.forVotes && abstain == p.abstainVotes,
                    "vote: tallies != the sums of snapshot votes"
                );
            }
        } catch (bytes memory reason) {
            _outcome(uint256(action), expected, false, reason);
        }
    }

    function _expectedState(uint256 i) private view returns (IGovernor.ProposalState) {
        ProposalModel storage p = _proposals[i];
        if (p.executed) return IGovernor.ProposalState.Executed;
        if (block.timestamp <= p.snapshot) return IGovernor.ProposalState.Pending;
        if (block.timestamp <= governor.proposalDeadline(p.id)) return IGovernor.ProposalState.Active;
        bool passed = p.forVotes > p.againstVotes && p.forVotes + p.abstainVotes >= quorumAt(p.snapshot);
        if (!passed) return IGovernor.ProposalState.Defeated;
        return p.eta != 0 ? IGovernor.ProposalState.Queued : IGovernor.ProposalState.Succeeded;
    }

    /// @dev Two times in three, the first proposal in `state` from a random start; otherwise (or if
    /// there is none) a random one.
    function _pick(uint256 seed, IGovernor.ProposalState state) private view returns (uint256) {
        uint256 n = _proposals.length;
        uint256 start = _rand(seed, "proposal") % n;
        if (_rand(seed, "prefer") % 3 != 0) {
            for (uint256 j; j < n; ++j) {
                uint256 i = (start + j) % n;
                if (_expectedState(i) == state) return i;
            }
        }
        return start;
    }

    /// @dev A proposal of a random kind with a random argument.
    function _proposalCall(uint256 seed) private view returns (ProposalModel memory p) {
        p.kind = Kind(_rand(seed, "kind") % KIND_COUNT);
        uint256 r = _rand(seed, "arg");
        if (p.kind == Kind.PayTreasury) {
            p.target = _actor(r >> 128);
            p.value = 1 + (r % (treasuryModel / 2 + 1 ether));
            p.arg = p.value;
        } else if (p.kind == Kind.SetVotingPeriod) {
            p.arg = 60 + (r % 340);
            (p.target, p.data) = (address(governor), abi.encodeCall(governor.setVotingPeriod, (uint32(p.arg))));
        } else if (p.kind == Kind.UpdateQuorum) {
            p.arg = 500 + (r % 4_500);
            (p.target, p.data) = (address(governor), abi.encodeCall(governor.updateQuorumNumerator, (p.arg)));
        } else if (p.kind == Kind.SetProposalThreshold) {
            p.arg = r % (supplyModel / 20 + 1);
            (p.target, p.data) = (address(governor), abi.encodeCall(governor.setProposalThreshold, (p.arg)));
        } else if (p.kind == Kind.SetProposalGuardian) {
            address guardian = r % 4 == 0 ? address(0) : _actor(r >> 8);
            p.arg = uint160(guardian);
            (p.target, p.data) = (address(governor), abi.encodeCall(governor.setProposalGuardian, (guardian)));
        } else if (p.kind == Kind.UpdateTimelockDelay) {
            p.arg = 10 + (r % 110);
            (p.target, p.data) = (address(timelock), abi.encodeCall(timelock.updateDelay, (p.arg)));
        } else if (p.kind == Kind.SetCreationFee) {
            p.arg = r % 1 ether;
            (p.target, p.data) = (address(factory), abi.encodeCall(factory.setCreationFee, (p.arg)));
        } else if (p.kind == Kind.SetVaultBudget) {
            p.arg = r % 1e24;
            (p.target, p.data) = (address(vault), abi.encodeCall(IRewardVault.setEpochBudget, (p.arg)));
        } else if (p.kind == Kind.SetVotingDelay) {
            p.arg = 1 + (r % 60);
            (p.target, p.data) = (address(governor), abi.encodeCall(governor.setVotingDelay, (uint48(p.arg))));
        } else {
            p.arg = r % 61; // at most the shortest voting period (60)
            (p.target, p.data) = (
                address(governor),
                abi.encodeCall(governor.setLateQuorumVoteExtension, (uint48(p.arg)))
            );
        }
    }

    /// @dev What an executed proposal changed, in the model.
    function _apply(ProposalModel storage p) private {
        Kind kind = p.kind;
        if (kind == Kind.PayTreasury) treasuryModel -= p.value;
        else if (kind == Kind.SetVotingPeriod) votingPeriodModel = p.arg;
        else if (kind == Kind.UpdateQuorum) _push(_quorumHistory, block.timestamp, p.arg);
        else if (kind == Kind.SetProposalThreshold) thresholdModel = p.arg;
        else if (kind == Kind.SetProposalGuardian) guardianModel = address(uint160(p.arg));
        else if (kind == Kind.UpdateTimelockDelay) minDelayModel = p.arg;
        else if (kind == Kind.SetCreationFee) creationFeeModel = p.arg;
        else if (kind == Kind.SetVaultBudget) vaultBudgetModel = p.arg;
        else if (kind == Kind.SetVotingDelay) votingDelayModel = p.arg;
        else extensionModel = p.arg;
    }

    function _arrays(
        ProposalModel memory p
    ) private pure returns (address[] memory targets, uint256[] memory values, bytes[] memory calldatas) {
        targets = new address[](1);
        values = new uint256[](1);
        calldatas = new bytes[](1);
        (targets[0], values[0], calldatas[0]) = (p.target, p.value, p.data);
    }

    function _unexpectedState(
        uint256 id,
        IGovernor.ProposalState current,
        IGovernor.ProposalState wanted
    ) private pure returns (bytes memory) {
        return
            abi.encodeWithSelector(
                IGovernor.GovernorUnexpectedProposalState.selector,
                id,
                current,
                bytes32(1 << uint8(wanted))
            );
    }

    function _move(address from, address to, uint256 amount) private {
        if (from == address(0)) supplyModel += amount;
        else balanceModel[from] -= amount;
        if (to == address(0)) supplyModel -= amount;
        else balanceModel[to] += amount;
        _checkpoint();
    }

    /// @dev Writes every actor's model votes and the supply at this second.
    function _checkpoint() private {
        for (uint256 i; i < ACTOR_COUNT; ++i) {
            address d = _actors[i];
            uint256 votes;
            for (uint256 j; j < ACTOR_COUNT; ++j) {
                address a = _actors[j];
                if (_delegateOf(a) == d) votes += balanceModel[a];
            }
            _push(_votesHistory[d], block.timestamp, votes);
        }
        _push(_supplyHistory, block.timestamp, supplyModel);
    }

    function _push(Checkpoint[] storage h, uint256 t, uint256 value) private {
        uint256 n = h.length;
        if (n != 0 && h[n - 1].key == t) h[n - 1].value = uint192(value);
        else if (n == 0 || h[n - 1].value != value) h.push(Checkpoint({key: uint64(t), value: uint192(value)}));
    }

    /// @dev The value in force at the end of second `t` (zero before the first checkpoint).
    function _at(Checkpoint[] storage h, uint256 t) private view returns (uint256) {
        for (uint256 n = h.length; n != 0; --n) {
            if (h[n - 1].key <= t) return h[n - 1].value;
        }
        return 0;
    }

    function _delegateOf(address account) private view returns (address) {
        address c = _choice[account];
        if (c == address(0)) return account;
        if (c == OPTED_OUT) return address(0);
        return c;
    }

    /// @dev Nothing, all, or a random part of `balance`.
    function _part(uint256 seed, uint256 balance) private pure returns (uint256) {
        uint256 mode = _rand(seed, "part mode") % 8;
        if (mode == 0) return 0;
        if (mode == 1) return balance;
        return _rand(seed, "part") % (balance + 1);
    }

    function _actor(uint256 r) private view returns (address) {
        return _actors[r % ACTOR_COUNT];
    }

    function _caller(uint256 i) private view returns (address) {
        if (i < ACTOR_COUNT) return _actors[i];
        if (i == ACTOR_COUNT) return creator;
        if (i == ACTOR_COUNT + 1) return address(this);
        return OUTSIDER;
    }

    /// @dev A valid set of community parameters (for the attempt to launch the platform again).
    function _params() private pure returns (ICommunityFactory.CommunityParams memory) {
        return
            ICommunityFactory.CommunityParams({
                name: "Hijack",
                symbol: "HJK",
                cap: 1e27,
                creatorAllocation: 1e27,
                votingDelay: 1,
                votingPeriod: 1,
                proposalThreshold: 0,
                quorumBps: 1,
                lateQuorumExtension: 0,
                timelockDelay: 1,
                salt: bytes32("hijack"),
                rewardVaultConfig: ""
            });
    }

    /// @dev Receives the ETH it donates (dealt to it first).
    receive() external payable {}
}
