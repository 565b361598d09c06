// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {Strings} from "@openzeppelin/contracts/utils/Strings.sol";
import {IRevenueShare} from "../interfaces/IRevenueShare.sol";
import {ISocialToken} from "../interfaces/ISocialToken.sol";
import {RevenueShare} from "../funding/RevenueShare.sol";
import {SocialToken} from "../token/SocialToken.sol";
import {MockERC20} from "./MockERC20.sol";
import {ModelHandler} from "./ModelHandler.sol";
import {hexOf} from "./SolidityTestBase.sol";

/**
 * @title ReentrantClaimer
 * @notice TEST ONLY. A token holder that claims its ETH revenue and, when paid, tries to claim again
 * from its `receive` (the re-entry is caught, counted and its revert data kept). Never deploy it
 * outside tests.
 */
contract ReentrantClaimer {
    /// @notice The revenue share it claims from.
    IRevenueShare public immutable revenue;
    /// @notice Re-entries attempted and refused (reverted).
    uint256 public attempts;
    uint256 public refused;
    /// @notice ETH received in total.
    uint256 public received;
    /// @notice Revert data of the last refused re-entry.
    bytes public lastError;

    constructor(IRevenueShare revenue_) {
        revenue = revenue_;
    }

    /// @notice Claims its own ETH share of up to `maxDeposits` deposits.
    function claimOwn(uint256 maxDeposits) external returns (uint256) {
        return revenue.claim(address(0), address(this), maxDeposits);
    }

    /// @notice On payment, tries once more to claim every deposit.
    receive() external payable {
        received += msg.value;
        ++attempts;
        try revenue.claim(address(0), address(this), type(uint256).max) returns (uint256) {} catch (bytes memory err) {
            ++refused;
            lastError = err;
        }
    }
}

/**
 * @title RevenueHandler
 * @notice TEST ONLY. Drives a {SocialToken} with revenue recording on and its {RevenueShare} through
 * pseudo-random actions for the stateful tests in `contracts/funding/RevenueShare.t.sol` and the
 * invariant tests in `contracts/funding/RevenueShareInvariant.t.sol`, and keeps an independent model
 * of what both should do ({ModelHandler} holds the outcome bookkeeping). Never deploy it outside
 * tests.
 *
 * Actions: transfers (to anyone, self included, zero and whole balances included), mints, burns,
 * warps (mostly short, several actions share each timestamp as they would share a block; rarely
 * past the claim window), snapshots taken directly by a REVENUE_ROLE holder (the handler), ETH and
 * ERC-20 deposits (each a snapshot through the revenue share), claims by anyone for anyone with a
 * random `maxDeposits`, and sweeps.
 *
 * The **model**: each actor's balance, and its balance at the start of the current timestamp (the
 * balance "before the block"), kept lazily; at every snapshot S the before-block balance of every
 * actor and the supply are stored. Each deposit's amount, supply and snapshot; per asset and account
 * the claim cursor; per deposit what was claimed. Every action predicts its exact outcome (the
 * amount paid, or the exact revert data) and records a violation when the contracts differ; expected
 * reverts are caught, never propagated, so both a seed-driven test ({step}) and a forge-style
 * invariant run (the `act*` functions) can call it freely.
 *
 * @dev The handler is the token's minter and holds REVENUE_ROLE (granted in the constructor by
 * pranking the Timelock, which must be the token's admin); the revenue share must be a clone of
 * (`token`, `timelock`). Actors are plain addresses without code, so ETH payments to them succeed.
 */
contract RevenueHandler is ModelHandler {
    /*//////////////////////////////////////////////////////////////
                                  TYPES
    //////////////////////////////////////////////////////////////*/

    /// @notice The actions; indexes {successes} and {expectedReverts}.
    enum Action {
        Transfer,
        Mint,
        Burn,
        Warp,
        Snapshot,
        DepositEth,
        DepositToken,
        Claim,
        Sweep
    }

    /// @notice The model of one deposit.
    struct DepositModel {
        uint256 amount;
        uint256 supply;
        uint256 snapshot;
        uint256 claimed;
        bool swept;
    }

    /*//////////////////////////////////////////////////////////////
                                CONSTANTS
    //////////////////////////////////////////////////////////////*/

    uint256 public constant ACTIONS = 9;
    uint256 public constant ACTOR_COUNT = 8;
    address public constant ETH = address(0);
    /// @notice An address that never holds tokens: it must read 0 at every snapshot.
    address public constant NEVER_HOLDER = address(0xBEEF00);

    /*//////////////////////////////////////////////////////////////
                                 SET-UP
    //////////////////////////////////////////////////////////////*/

    SocialToken public immutable token;
    RevenueShare public immutable revenue;
    MockERC20 public immutable asset;
    address public immutable timelock;
    /// @notice When recording started (the constructor's timestamp).
    uint256 public immutable since;
    uint256 public immutable claimWindow;
    uint256 private immutable _cap;

    address[ACTOR_COUNT] private _actors;

    /*//////////////////////////////////////////////////////////////
                               TOKEN MODEL
    //////////////////////////////////////////////////////////////*/

    mapping(address account => uint256) public modelBalance;
    mapping(address account => uint256) private _startBalance;
    mapping(address account => uint256) private _startTime;
    uint256 public modelSupply;
    uint256 private _startSupply;
    uint256 private _startSupplyTime;

    uint256[] private _snapshots;
    mapping(uint256 snapshot => mapping(address account => uint256)) private _before;
    mapping(uint256 snapshot => uint256) private _supplyBefore;

    /*//////////////////////////////////////////////////////////////
                              REVENUE MODEL
    //////////////////////////////////////////////////////////////*/

    mapping(address asset => DepositModel[]) private _deposits;
    mapping(address asset => mapping(address account => uint256)) private _next;
    /// @notice Per asset: deposited, paid to claimants, swept to the treasury.
    mapping(address asset => uint256) public deposited;
    mapping(address asset => uint256) public claimed;
    mapping(address asset => uint256) public swept;

    /*//////////////////////////////////////////////////////////////
                                 GHOSTS
    //////////////////////////////////////////////////////////////*/

    /// @notice Coverage counters: an actor's balance changed in a timestamp after a snapshot at that
    /// timestamp; a snapshot taken in a timestamp where an actor had already changed; a holder changed
    /// after two or more snapshots since its previous change; claims paying something; claims of
    /// expired deposits; sweeps paying something.
    uint256 public changesAfterSnapshotInBlock;
    uint256 public snapshotsAfterChangeInBlock;
    /// @notice Coverage counter: deposits that shared a snapshot less than SNAPSHOT_INTERVAL old.
    uint256 public sharedSnapshotDeposits;
    uint256 public changesAfterSeveralSnapshots;
    uint256 public payingClaims;
    uint256 public expiredClaims;
    uint256 public payingSweeps;

    mapping(address account => uint256) private _snapshotsAtLastChange;
    uint256 private _lastChangeTime;

    constructor(
        SocialToken token_,
        RevenueShare revenue_,
        MockERC20 asset_,
        address timelock_,
        address creator,
        uint256 cap_
    ) {
        token = token_;
        revenue = revenue_;
        asset = asset_;
        timelock = timelock_;
        _cap = cap_;
        claimWindow = revenue_.CLAIM_WINDOW();
        _actors[0] = creator;
        for (uint256 i = 1; i < ACTOR_COUNT; ++i) _actors[i] = address(uint160(0xA11CE0 + i));
        for (uint256 i; i < ACTOR_COUNT; ++i) modelBalance[_actors[i]] = token_.balanceOf(_actors[i]);
        modelSupply = token_.totalSupply();

        // The creator spreads part of its allocation before recording starts.
        uint256 part = modelBalance[creator] / 16;
        for (uint256 i = 1; i < 5; ++i) {
            vm.prank(creator);
            token_.transfer(_actors[i], part * i);
            modelBalance[creator] -= part * i;
            modelBalance[_actors[i]] += part * i;
        }

        vm.startPrank(timelock_);
        token_.grantRole(token_.MINTER_ROLE(), address(this));
        token_.grantRole(token_.REVENUE_ROLE(), address(revenue_));
        token_.grantRole(token_.REVENUE_ROLE(), address(this));
        vm.stopPrank();
        since = block.timestamp;
    }

    /*//////////////////////////////////////////////////////////////
                                 ENTRY
    //////////////////////////////////////////////////////////////*/

    /// @notice One seed-chosen action, weighted: transfer 24, mint 8, burn 8, warp 18, snapshot 6,
    /// ETH deposit 9, token deposit 6, claim 16, sweep 5.
    function step(uint256 seed) external {
        uint256 r = seed % 100;
        uint256 rest = seed / 100;
        if (r < 24) actTransfer(rest);
        else if (r < 32) actMint(rest);
        else if (r < 40) actBurn(rest);
        else if (r < 58) actWarp(rest);
        else if (r < 64) actSnapshot(rest);
        else if (r < 73) actDepositEth(rest);
        else if (r < 79) actDepositToken(rest);
        else if (r < 95) actClaim(rest);
        else actSweep(rest);
    }

    /// @notice `from` sends `to` (possibly itself) nothing, everything or a random part of its balance.
    function actTransfer(uint256 seed) public {
        address from = _actor(seed);
        address to = _actor(seed >> 8);
        uint256 amount = _part(seed >> 16, modelBalance[from]);
        _change(from);
        _change(to);
        vm.prank(from);
        try token.transfer(to, amount) {
            modelBalance[from] -= amount;
            modelBalance[to] += amount;
            _ok(Action.Transfer);
        } catch (bytes memory err) {
            _violation("transfer reverted", err);
        }
    }

    /// @notice The handler (MINTER_ROLE) mints up to 200,000 tokens, within the cap.
    function actMint(uint256 seed) public {
        address to = _actor(seed);
        uint256 room = _cap - modelSupply;
        uint256 amount = _part(seed >> 8, room < 200_000e18 ? room : 200_000e18);
        _change(to);
        _changeSupply();
        try token.mint(to, amount) {
            modelBalance[to] += amount;
            modelSupply += amount;
            _ok(Action.Mint);
        } catch (bytes memory err) {
            _violation("mint reverted", err);
        }
    }

    /// @notice An actor burns nothing, everything or part of its balance.
    function actBurn(uint256 seed) public {
        address from = _actor(seed);
        uint256 amount = _part(seed >> 8, modelBalance[from]);
        _change(from);
        _changeSupply();
        vm.prank(from);
        try token.burn(amount) {
            modelBalance[from] -= amount;
            modelSupply -= amount;
            _ok(Action.Burn);
        } catch (bytes memory err) {
            _violation("burn reverted", err);
        }
    }

    /// @notice Moves time on: one second half of the time, up to two days mostly, and rarely (3%)
    /// past the claim window.
    function actWarp(uint256 seed) public {
        uint256 r = seed % 100;
        uint256 by;
        if (r < 3) by = claimWindow + 1 + ((seed >> 8) % 3 days);
        else if (r < 50) by = 1;
        else by = 1 + ((seed >> 8) % 2 days);
        vm.warp(block.timestamp + by);
        _ok(Action.Warp);
    }

    /// @notice The handler (REVENUE_ROLE) takes a snapshot; it must return the supply before the block.
    function actSnapshot(uint256) public {
        if (block.timestamp <= since) {
            _expectRevert(
                Action.Snapshot,
                abi.encodeWithSelector(ISocialToken.SocialTokenRevenueNotStarted.selector, since),
                address(token),
                abi.encodeCall(ISocialToken.markRevenueSnapshot, ())
            );
            return;
        }
        try token.markRevenueSnapshot() returns (uint256 supplyBefore) {
            if (supplyBefore != _supplyBeforeBlock()) _violation("snapshot supply", "");
            _registerSnapshot();
            _ok(Action.Snapshot);
        } catch (bytes memory err) {
            _violation("snapshot reverted", err);
        }
    }

    /// @notice Deposits up to 100 ETH (sometimes nothing, which must revert RevenueShareInvalidAmount).
    function actDepositEth(uint256 seed) public {
        uint256 amount = seed % 16 == 0 ? 0 : 1 + ((seed >> 4) % 100 ether);
        vm.deal(address(this), address(this).balance + amount);
        _deposit(ETH, amount);
    }

    /// @notice Deposits up to 10^24 units of the mock ERC-20 (sometimes nothing).
    function actDepositToken(uint256 seed) public {
        uint256 amount = seed % 16 == 0 ? 0 : 1 + ((seed >> 4) % 1e24);
        asset.mint(address(this), amount);
        asset.approve(address(revenue), amount);
        _deposit(address(asset), amount);
    }

    /// @notice Someone claims an actor's share of ETH or of the ERC-20 over 0 to 5 deposits (or all).
    function actClaim(uint256 seed) public {
        address a = seed & 1 == 0 ? ETH : address(asset);
        address account = _actor(seed >> 1);
        address caller = _actor(seed >> 9);
        uint256 r = (seed >> 17) % 8;
        uint256 maxDeposits = r < 6 ? r : type(uint256).max;
        uint256 fromId = _next[a][account];
        uint256 count = _deposits[a].length;
        uint256 toId = count - fromId > maxDeposits ? fromId + maxDeposits : count;
        if (toId == fromId) {
            vm.prank(caller);
            _expectRevert(
                Action.Claim,
                abi.encodeWithSelector(IRevenueShare.RevenueShareNothingToClaim.selector, a, account),
                address(revenue),
                abi.encodeCall(IRevenueShare.claim, (a, account, maxDeposits))
            );
            return;
        }
        uint256 expected;
        uint256[] memory shares = new uint256[](toId - fromId);
        for (uint256 id = fromId; id < toId; ++id) {
            DepositModel storage d = _deposits[a][id];
            if (block.timestamp > d.snapshot + claimWindow) {
                ++expiredClaims;
                continue;
            }
            uint256 share = (_before[d.snapshot][account] * d.amount) / d.supply;
            shares[id - fromId] = share;
            expected += share;
        }
        uint256 balanceBefore = _balanceOf(a, account);
        vm.prank(caller);
        try revenue.claim(a, account, maxDeposits) returns (uint256 paid) {
            if (paid != expected) _violation("claim amount", "");
            if (_balanceOf(a, account) - balanceBefore != expected) _violation("claim payment", "");
            for (uint256 id = fromId; id < toId; ++id) _deposits[a][id].claimed += shares[id - fromId];
            _next[a][account] = toId;
            claimed[a] += expected;
            if (expected != 0) ++payingClaims;
            _ok(Action.Claim);
        } catch (bytes memory err) {
            _violation("claim reverted", err);
        }
    }

    /// @notice Sweeps a deposit of ETH or the ERC-20 (sometimes an unknown id).
    function actSweep(uint256 seed) public {
        address a = seed & 1 == 0 ? ETH : address(asset);
        uint256 count = _deposits[a].length;
        uint256 id = (seed >> 1) % (count + 1);
        bytes memory call = abi.encodeCall(IRevenueShare.sweep, (a, id));
        if (id == count) {
            _expectRevert(
                Action.Sweep,
                abi.encodeWithSelector(IRevenueShare.RevenueShareUnknownDeposit.selector, a, id),
                address(revenue),
                call
            );
            return;
        }
        DepositModel storage d = _deposits[a][id];
        uint256 until = d.snapshot + claimWindow;
        if (block.timestamp <= until) {
            _expectRevert(
                Action.Sweep,
                abi.encodeWithSelector(IRevenueShare.RevenueShareClaimWindowOpen.selector, until),
                address(revenue),
                call
            );
            return;
        }
        if (d.claimed >= d.amount) {
            _expectRevert(
                Action.Sweep,
                abi.encodeWithSelector(IRevenueShare.RevenueShareAlreadySwept.selector, a, id),
                address(revenue),
                call
            );
            return;
        }
        uint256 remainder = d.amount - d.claimed;
        uint256 treasuryBefore = _balanceOf(a, timelock);
        try revenue.sweep(a, id) {
            if (_balanceOf(a, timelock) - treasuryBefore != remainder) _violation("sweep payment", "");
            d.claimed = d.amount;
            d.swept = true;
            swept[a] += remainder;
            ++payingSweeps;
            _ok(Action.Sweep);
        } catch (bytes memory err) {
            _violation("sweep reverted", err);
        }
    }

    /*//////////////////////////////////////////////////////////////
                                  VIEWS
    //////////////////////////////////////////////////////////////*/

    /// @notice The `i`-th actor (0 is the creator).
    function actor(uint256 i) external view returns (address) {
        return _actors[i];
    }

    /// @notice Number of distinct snapshot timestamps taken.
    function snapshotCount() external view returns (uint256) {
        return _snapshots.length;
    }

    /// @notice The `i`-th snapshot timestamp.
    function snapshotAt(uint256 i) external view returns (uint256) {
        return _snapshots[i];
    }

    /// @notice The modelled balance of `account` at the end of the last block before `snapshot`.
    function modelBefore(uint256 snapshot, address account) external view returns (uint256) {
        return _before[snapshot][account];
    }

    /// @notice The modelled total supply at the end of the last block before `snapshot`.
    function modelSupplyBefore(uint256 snapshot) external view returns (uint256) {
        return _supplyBefore[snapshot];
    }

    /// @notice Number of modelled deposits of `a`.
    function depositCount(address a) external view returns (uint256) {
        return _deposits[a].length;
    }

    /// @notice The model of deposit `id` of `a`.
    function depositModel(address a, uint256 id) external view returns (DepositModel memory) {
        return _deposits[a][id];
    }

    /// @notice The modelled claim cursor of `account` for `a`.
    function nextModel(address a, address account) external view returns (uint256) {
        return _next[a][account];
    }

    /// @dev Receives the ETH it deposits (dealt) and nothing else of note.
    receive() external payable {}

    /*//////////////////////////////////////////////////////////////
                                INTERNALS
    //////////////////////////////////////////////////////////////*/

    function _deposit(address a, uint256 amount) private {
        bytes memory call =
            a == ETH
                ? abi.encodeCall(IRevenueShare.depositETH, ())
                : abi.encodeCall(IRevenueShare.depositToken, (a, amount));
        uint256 value = a == ETH ? amount : 0;
        Action action = a == ETH ? Action.DepositEth : Action.DepositToken;
        bytes memory expectedErr = _depositError(amount);
        if (expectedErr.length != 0) {
            _expectRevertWithValue(action, expectedErr, address(revenue), call, value);
            return;
        }
        uint256 id = _deposits[a].length;
        (bool ok, bytes memory ret) = address(revenue).call{value: value}(call);
        if (!ok) {
            _violation("deposit reverted", ret);
            return;
        }
        if (abi.decode(ret, (uint256)) != id) _violation("deposit id", "");
        _recordDeposit(a, id, amount);
        successes[uint256(action)]++;
    }

    /// @dev The snapshot a deposit now uses: the latest one (any, the handler's own included) when it
    /// is less than SNAPSHOT_INTERVAL old, else a new one at this timestamp; and the supply before it.
    function _expectedSnapshot() private view returns (bool shared, uint256 snapshot, uint256 supply) {
        uint256 n = _snapshots.length;
        uint256 last = n == 0 ? 0 : _snapshots[n - 1];
        shared = last != 0 && block.timestamp - last < revenue.SNAPSHOT_INTERVAL();
        snapshot = shared ? last : block.timestamp;
        supply = shared ? _supplyBefore[last] : _supplyBeforeBlock();
    }

    function _depositError(uint256 amount) private view returns (bytes memory) {
        if (amount == 0) return abi.encodeWithSelector(IRevenueShare.RevenueShareInvalidAmount.selector, 0);
        if (block.timestamp <= since) {
            return abi.encodeWithSelector(ISocialToken.SocialTokenRevenueNotStarted.selector, since);
        }
        (, , uint256 supply) = _expectedSnapshot();
        if (supply == 0) return abi.encodeWithSelector(IRevenueShare.RevenueShareNoHolders.selector);
        return "";
    }

    function _recordDeposit(address a, uint256 id, uint256 amount) private {
        (bool shared, uint256 snapshot, uint256 supply) = _expectedSnapshot();
        IRevenueShare.Deposit memory stored = revenue.deposit(a, id);
        if (stored.amount != amount || stored.supply != supply || stored.snapshot != snapshot) {
            _violation("deposit record", "");
        }
        _deposits[a].push(DepositModel({amount: amount, supply: supply, snapshot: snapshot, claimed: 0, swept: false}));
        deposited[a] += amount;
        if (shared) ++sharedSnapshotDeposits;
        else _registerSnapshot();
    }

    /// @dev Stores every actor's before-block balance at this timestamp, once per timestamp.
    function _registerSnapshot() private {
        uint256 now_ = block.timestamp;
        uint256 n = _snapshots.length;
        if (n != 0 && _snapshots[n - 1] == now_) return;
        _snapshots.push(now_);
        bool changedThisBlock;
        for (uint256 i; i < ACTOR_COUNT; ++i) {
            address a = _actors[i];
            _before[now_][a] = _beforeBlock(a);
            if (_startTime[a] == now_) changedThisBlock = true;
        }
        if (changedThisBlock) ++snapshotsAfterChangeInBlock;
        _supplyBefore[now_] = _supplyBeforeBlock();
    }

    /// @dev Called before `account`'s balance may change: remembers its balance before this block.
    function _change(address account) private {
        uint256 now_ = block.timestamp;
        if (_startTime[account] != now_) {
            _startTime[account] = now_;
            _startBalance[account] = modelBalance[account];
            uint256 n = _snapshots.length;
            if (n - _snapshotsAtLastChange[account] >= 2) ++changesAfterSeveralSnapshots;
            _snapshotsAtLastChange[account] = n;
        }
        if (_snapshots.length != 0 && _snapshots[_snapshots.length - 1] == now_) ++changesAfterSnapshotInBlock;
    }

    function _changeSupply() private {
        if (_startSupplyTime != block.timestamp) {
            _startSupplyTime = block.timestamp;
            _startSupply = modelSupply;
        }
    }

    function _beforeBlock(address account) private view returns (uint256) {
        return _startTime[account] == block.timestamp ? _startBalance[account] : modelBalance[account];
    }

    function _supplyBeforeBlock() private view returns (uint256) {
        return _startSupplyTime == block.timestamp ? _startSupply : modelSupply;
    }

    function _actor(uint256 seed) private view returns (address) {
        return _actors[seed % ACTOR_COUNT];
    }

    /// @dev Nothing (1/8), everything (1/8) or a random part of `max`.
    function _part(uint256 seed, uint256 max) private pure returns (uint256) {
        uint256 r = seed % 8;
        if (r == 0 || max == 0) return 0;
        if (r == 1) return max;
        return (seed >> 3) % (max + 1);
    }

    function _balanceOf(address a, address account) private view returns (uint256) {
        return a == ETH ? account.balance : MockERC20(a).balanceOf(account);
    }

    function _ok(Action action) private {
        successes[uint256(action)]++;
    }

    function _expectRevert(Action action, bytes memory expected, address target, bytes memory call) private {
        _expectRevertWithValue(action, expected, target, call, 0);
    }

    function _expectRevertWithValue(
        Action action,
        bytes memory expected,
        address target,
        bytes memory call,
        uint256 value
    ) private {
        (bool ok, bytes memory ret) = target.call{value: value}(call);
        _outcome(uint256(action), expected, ok, ret);
    }

    /// @dev {ModelHandler-_violation} with the data involved (revert data, or none).
    function _violation(string memory what, bytes memory data) private {
        _violation(data.length == 0 ? what : string.concat(what, " data=", hexOf(data)));
    }

    /// @dev The action's name and index, for failure messages.
    function _actionName(uint256 action) internal pure override returns (string memory) {
        string[ACTIONS] memory names = [
            "transfer",
            "mint",
            "burn",
            "warp",
            "snapshot",
            "depositETH",
            "depositToken",
            "claim",
            "sweep"
        ];
        return string.concat(names[action], " (action ", Strings.toString(action), ")");
    }
}
