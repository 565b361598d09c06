// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IERC20Errors} from "@openzeppelin/contracts/interfaces/draft-IERC6093.sol";
import {ERC20CappedUpgradeable} from "@openzeppelin/contracts-upgradeable/token/ERC20/extensions/ERC20CappedUpgradeable.sol";
import {SocialToken} from "../token/SocialToken.sol";
import {ModelHandler} from "./ModelHandler.sol";
import {Vm} from "./SolidityTestBase.sol";

/**
 * @title SocialTokenHandler
 * @notice TEST ONLY. Drives a {SocialToken} through pseudo-random transfers, approved transfers,
 * mints, burns, delegations and opt-outs among many actors, with time moving forward in steps of
 * one second to a day (several actions share a timestamp, as they would share a block), for the
 * invariant tests in `contracts/token/SocialTokenInvariant.t.sol`. Never deploy it outside tests.
 *
 * The **model** is independent of the token: each actor's balance and delegation choice (default
 * self-delegation, an explicit delegate, or an opt-out), hence each account's votes (the sum of the
 * balances delegated to it) and the supply. Every action predicts its outcome (success or the exact
 * revert data) from the model and records a violation when the token differs.
 *
 * The **ghosts**: at every warp the handler records, for the second that just ended, every
 * account's votes and the supply as the model has them, and checks the token's `getPastVotes` /
 * `getPastTotalSupply` for that second against them; the invariant test re-reads every recorded
 * second after every call, so a checkpoint that changes after the fact is caught.
 *
 * @dev The handler must hold MINTER_ROLE; actor 0 must hold the whole initial supply and nobody
 * else any token, and no actor may have delegated before the handler starts.
 */
contract SocialTokenHandler is ModelHandler {
    /// @notice The actions; index {successes} and {expectedReverts}.
    enum Action {
        Transfer,
        TransferFrom,
        Mint,
        Burn,
        Delegate,
        Warp
    }

    uint256 public constant ACTION_COUNT = 6;
    /// @notice Token holders.
    uint256 public constant ACTOR_COUNT = 6;
    /// @notice Accounts that may hold votes: the actors plus a delegate that never holds tokens.
    uint256 public constant VOTER_COUNT = ACTOR_COUNT + 1;
    /// @notice The most seconds recorded for the past-votes check (the first ones seen).
    uint256 public constant MAX_TIMEPOINTS = 96;

    /// @dev The token's own opt-out marker: delegating to it opts out like delegating to zero.
    address private constant OPTED_OUT = address(type(uint160).max);
    /// @dev A delegate that never holds tokens.
    address private constant OUTSIDE_DELEGATE = address(0xDE1E6A7E);
    /// @dev topic0 of ERC-5805's DelegateChanged(address indexed, address indexed, address indexed).
    bytes32 private constant DELEGATE_CHANGED = keccak256("DelegateChanged(address,address,address)");

    /// @notice The token under test.
    SocialToken public immutable token;
    /// @notice Its cap.
    uint256 public immutable cap;

    address[ACTOR_COUNT] private _actors;

    /*//////////////////////////////////////////////////////////////
                                  MODEL
    //////////////////////////////////////////////////////////////*/

    /// @notice The model's balance of each account.
    mapping(address account => uint256) public balanceModel;
    /// @notice The model's supply.
    uint256 public supplyModel;
    /// @dev Zero: never chose (self-delegated); OPTED_OUT: no delegate; otherwise the delegate.
    mapping(address account => address) private _choice;

    /*//////////////////////////////////////////////////////////////
                                  GHOSTS
    //////////////////////////////////////////////////////////////*/

    /// @notice Seconds recorded for the past-votes check, in order.
    uint256[] public timepoints;
    /// @notice The votes each account had at the end of a recorded second.
    mapping(uint256 timepoint => mapping(address account => uint256)) public votesAt;
    /// @notice The supply at the end of a recorded second.
    mapping(uint256 timepoint => uint256) public supplyAt;
    /// @notice What an indexer knows: every account's delegate, replayed from the token's
    /// DelegateChanged events alone (zero for an account no event named).
    mapping(address account => address) public replayedDelegate;
    /// @notice DelegateChanged events replayed.
    uint256 public delegateChangedEvents;
    /// @dev Set when the action's token call succeeded: EDR records the logs of a call that later
    /// reverted too, which no indexer ever sees, so those are dropped.
    bool private _landed;

    /// @dev The fixture must have called `vm.recordLogs()` before initialising the token, so the
    /// events of the initial allocation are replayed too.
    constructor(SocialToken token_, address[ACTOR_COUNT] memory actors_) {
        token = token_;
        cap = token_.cap();
        _actors = actors_;
        supplyModel = token_.totalSupply();
        balanceModel[actors_[0]] = supplyModel;
        _replay(address(token_), vm.getRecordedLogs());
    }

    /// @dev Records the logs of the action and replays its DelegateChanged events afterwards.
    modifier replaysEvents() {
        _landed = false;
        vm.recordLogs();
        _;
        Vm.Log[] memory logs = vm.getRecordedLogs();
        if (_landed) _replay(address(token), logs);
        for (uint256 i; i < VOTER_COUNT; ++i) {
            address a = _voter(i);
            _check(replayedDelegate[a] == token.delegates(a), "events: replayed delegate != delegates()");
        }
    }

    /*//////////////////////////////////////////////////////////////
                                 DRIVER
    //////////////////////////////////////////////////////////////*/

    /// @notice One weighted pseudo-random action chosen by `seed` (for seed-driven tests).
    function step(uint256 seed) external {
        uint256 roll = _rand(seed, "action") % 100;
        if (roll < 25) actTransfer(seed);
        else if (roll < 37) actTransferFrom(seed);
        else if (roll < 50) actMint(seed);
        else if (roll < 60) actBurn(seed);
        else if (roll < 80) actDelegate(seed);
        else actWarp(seed);
    }

    /*//////////////////////////////////////////////////////////////
                                 ACTIONS
    //////////////////////////////////////////////////////////////*/

    /// @notice An actor transfers to an actor (itself included) or, rarely, to the zero address:
    /// nothing, part, all, or more than its balance.
    function actTransfer(uint256 seed) public replaysEvents {
        address from = _actor(_rand(seed, "from"));
        address to = _rand(seed, "zero") % 40 == 0 ? address(0) : _actor(_rand(seed, "to"));
        uint256 amount = _amount(seed, balanceModel[from]);
        bytes memory expected;
        if (to == address(0)) expected = abi.encodeWithSelector(IERC20Errors.ERC20InvalidReceiver.selector, to);
        else if (amount > balanceModel[from]) expected = _insufficientBalance(from, amount);

        vm.prank(from);
        try token.transfer(to, amount) {
            _landed = true;
            if (_outcome(uint256(Action.Transfer), expected, true, "")) _move(from, to, amount);
        } catch (bytes memory reason) {
            _outcome(uint256(Action.Transfer), expected, false, reason);
        }
    }

    /// @notice An actor approves another, which then moves up to (or one past) the allowance from
    /// the owner to any actor.
    function actTransferFrom(uint256 seed) public replaysEvents {
        address owner = _actor(_rand(seed, "owner"));
        address spender = _actor(_rand(seed, "spender"));
        address to = _actor(_rand(seed, "to"));
        uint256 allowance = _amount(seed, balanceModel[owner]);
        uint256 amount = _rand(seed, "over") % 6 == 0 ? allowance + 1 : _rand(seed, "part") % (allowance + 1);
        vm.prank(owner);
        token.approve(spender, allowance);
        bytes memory expected;
        if (amount > allowance) {
            expected = abi.encodeWithSelector(
                IERC20Errors.ERC20InsufficientAllowance.selector,
                spender,
                allowance,
                amount
            );
        } else if (amount > balanceModel[owner]) {
            expected = _insufficientBalance(owner, amount);
        }

        vm.prank(spender);
        try token.transferFrom(owner, to, amount) {
            _landed = true;
            if (_outcome(uint256(Action.TransferFrom), expected, true, "")) {
                _move(owner, to, amount);
                _check(token.allowance(owner, spender) == allowance - amount, "transferFrom: allowance not spent");
            }
        } catch (bytes memory reason) {
            _outcome(uint256(Action.TransferFrom), expected, false, reason);
        }
    }

    /// @notice The minter mints to an actor: nothing, part of the room under the cap, all of it,
    /// or past it.
    function actMint(uint256 seed) public replaysEvents {
        address to = _actor(_rand(seed, "to"));
        uint256 room = cap - supplyModel;
        uint256 mode = _rand(seed, "mode") % 10;
        uint256 amount =
            mode == 0
                ? 0
                : mode == 1
                    ? room
                    : mode == 2
                        ? room + 1 + (_rand(seed, "over") % cap)
                        : 1 + (_rand(seed, "amount") % (room / 50 + 1));
        bytes memory expected;
        if (amount > room) {
            expected = abi.encodeWithSelector(
                ERC20CappedUpgradeable.ERC20ExceededCap.selector,
                supplyModel + amount,
                cap
            );
        }

        try token.mint(to, amount) {
            _landed = true;
            if (_outcome(uint256(Action.Mint), expected, true, "")) _move(address(0), to, amount);
        } catch (bytes memory reason) {
            _outcome(uint256(Action.Mint), expected, false, reason);
        }
    }

    /// @notice An actor burns nothing, part, all, or more than its balance.
    function actBurn(uint256 seed) public replaysEvents {
        address from = _actor(_rand(seed, "from"));
        uint256 amount = _amount(seed, balanceModel[from]);
        bytes memory expected = amount > balanceModel[from] ? _insufficientBalance(from, amount) : bytes("");

        vm.prank(from);
        try token.burn(amount) {
            _landed = true;
            if (_outcome(uint256(Action.Burn), expected, true, "")) _move(from, address(0), amount);
        } catch (bytes memory reason) {
            _outcome(uint256(Action.Burn), expected, false, reason);
        }
    }

    /// @notice An actor delegates to itself, another actor or the outside delegate, or opts out
    /// (to the zero address or to the token's opt-out marker).
    function actDelegate(uint256 seed) public replaysEvents {
        address account = _actor(_rand(seed, "account"));
        uint256 mode = _rand(seed, "mode") % 10;
        address delegatee =
            mode == 0
                ? address(0)
                : mode == 1
                    ? OPTED_OUT
                    : mode == 2
                        ? OUTSIDE_DELEGATE
                        : mode == 3
                            ? account
                            : _actor(_rand(seed, "delegatee"));

        vm.prank(account);
        try token.delegate(delegatee) {
            _landed = true;
            if (_outcome(uint256(Action.Delegate), "", true, "")) {
                _choice[account] = delegatee == address(0) ? OPTED_OUT : delegatee;
                _check(token.delegates(account) == _delegateOf(account), "delegate: delegates() differs from model");
                _check(
                    token.autoDelegationOptedOut(account) == (_choice[account] == OPTED_OUT),
                    "delegate: opt-out flag differs from model"
                );
            }
        } catch (bytes memory reason) {
            _outcome(uint256(Action.Delegate), "", false, reason);
        }
    }

    /// @notice Ends the current second: records every account's votes and the supply at it (as the
    /// model has them), moves time forward by 1 second to a day, and checks the token's past values
    /// for the second just ended.
    function actWarp(uint256 seed) public {
        uint256 t = block.timestamp;
        uint256 n = timepoints.length;
        bool record = n < MAX_TIMEPOINTS && (n == 0 || timepoints[n - 1] != t);
        if (record) {
            timepoints.push(t);
            supplyAt[t] = supplyModel;
            for (uint256 i; i < VOTER_COUNT; ++i) {
                address a = _voter(i);
                votesAt[t][a] = votesModel(a);
            }
        }
        uint256 r = _rand(seed, "warp") % 10;
        uint256 dt =
            r < 5
                ? 1 + (r % 3)
                : r < 9
                    ? 1 + (_rand(seed, "dt") % 3_600)
                    : 1 + (_rand(seed, "dt") % 1 days);
        vm.warp(t + dt);
        successes[uint256(Action.Warp)] += 1;
        if (record) {
            _check(token.getPastTotalSupply(t) == supplyAt[t], "warp: getPastTotalSupply differs from model");
            for (uint256 i; i < VOTER_COUNT; ++i) {
                address a = _voter(i);
                _check(token.getPastVotes(a, t) == votesAt[t][a], "warp: getPastVotes differs from model");
            }
        }
    }

    /*//////////////////////////////////////////////////////////////
                                  VIEWS
    //////////////////////////////////////////////////////////////*/

    /// @notice The `i`-th actor (0 held the initial supply).
    function actor(uint256 i) external view returns (address) {
        return _actors[i];
    }

    /// @notice The `i`-th account that may hold votes (the actors, then the outside delegate).
    function voter(uint256 i) external view returns (address) {
        return _voter(i);
    }

    /// @notice How many seconds were recorded.
    function timepointCount() external view returns (uint256) {
        return timepoints.length;
    }

    /// @notice The model's delegate of `account` (zero when it opted out).
    function delegateModel(address account) external view returns (address) {
        return _delegateOf(account);
    }

    /// @notice The model's votes of `account`: the balances of the actors delegating to it.
    function votesModel(address account) public view returns (uint256 votes) {
        for (uint256 i; i < ACTOR_COUNT; ++i) {
            address a = _actors[i];
            if (_delegateOf(a) == account) votes += balanceModel[a];
        }
    }

    /// @notice The model's balances of actors that opted out (they carry no votes).
    function optedOutBalanceModel() external view returns (uint256 sum) {
        for (uint256 i; i < ACTOR_COUNT; ++i) {
            address a = _actors[i];
            if (_delegateOf(a) == address(0)) sum += balanceModel[a];
        }
    }

    /*//////////////////////////////////////////////////////////////
                                 HELPERS
    //////////////////////////////////////////////////////////////*/

    /// @dev Applies `emitter`'s DelegateChanged events in order, as an indexer would: each must name
    /// the delegate the replay holds as its `fromDelegate`, and must change it.
    function _replay(address emitter, Vm.Log[] memory logs) private {
        for (uint256 i; i < logs.length; ++i) {
            Vm.Log memory log = logs[i];
            if (log.emitter != emitter || log.topics.length != 4 || log.topics[0] != DELEGATE_CHANGED) continue;
            address delegator = address(uint160(uint256(log.topics[1])));
            address fromDelegate = address(uint160(uint256(log.topics[2])));
            address toDelegate = address(uint160(uint256(log.topics[3])));
            _check(fromDelegate == replayedDelegate[delegator], "events: fromDelegate != the replayed delegate");
            _check(fromDelegate != toDelegate, "events: DelegateChanged that changes nothing");
            replayedDelegate[delegator] = toDelegate;
            delegateChangedEvents += 1;
        }
    }

    function _actionName(uint256 action) internal pure override returns (string memory) {
        return ["transfer", "transferFrom", "mint", "burn", "delegate", "warp"][action];
    }

    function _move(address from, address to, uint256 amount) private {
        if (from == address(0)) supplyModel += amount;
        else balanceModel[from] -= amount;
        if (to == address(0)) supplyModel -= amount;
        else balanceModel[to] += amount;
        if (from != address(0)) _check(token.balanceOf(from) == balanceModel[from], "balance of sender differs");
        if (to != address(0)) _check(token.balanceOf(to) == balanceModel[to], "balance of receiver differs");
        _check(token.totalSupply() == supplyModel, "totalSupply differs from model");
    }

    /// @dev Never chose: itself while it holds tokens, else nobody.
    function _delegateOf(address account) private view returns (address) {
        address c = _choice[account];
        if (c == address(0)) return balanceModel[account] == 0 ? address(0) : account;
        if (c == OPTED_OUT) return address(0);
        return c;
    }

    /// @dev 0, all, one past, far past, or a random part of `balance`.
    function _amount(uint256 seed, uint256 balance) private pure returns (uint256) {
        uint256 mode = _rand(seed, "amount mode") % 12;
        if (mode == 0) return 0;
        if (mode == 1) return balance;
        if (mode == 2) return balance + 1;
        if (mode == 3) return balance + 1 + (_rand(seed, "far") % 1e24);
        return _rand(seed, "part") % (balance + 1);
    }

    function _insufficientBalance(address from, uint256 amount) private view returns (bytes memory) {
        return abi.encodeWithSelector(IERC20Errors.ERC20InsufficientBalance.selector, from, balanceModel[from], amount);
    }

    function _actor(uint256 r) private view returns (address) {
        return _actors[r % ACTOR_COUNT];
    }

    function _voter(uint256 i) private view returns (address) {
        return i < ACTOR_COUNT ? _actors[i] : OUTSIDE_DELEGATE;
    }
}
