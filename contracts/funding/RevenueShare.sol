// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {CloneArgs} from "../utils/CloneArgs.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";
import {IRevenueShare} from "../interfaces/IRevenueShare.sol";
import {ISocialToken} from "../interfaces/ISocialToken.sol";

/**
 * @title RevenueShare
 * @notice A community's revenue share, an EIP-1167 clone carrying `abi.encodePacked(token,
 * treasury)` as immutable arguments, made by {RevenueShareFactory}.
 *
 * Mechanism (docs/funding.md): each deposit takes a revenue snapshot on the token
 * ({ISocialToken-takeRevenueSnapshot}) and stores the total supply as it stood before its block;
 * a deposit less than SNAPSHOT_INTERVAL after the latest snapshot shares that snapshot instead, so
 * deposits cannot make snapshots (each costs every holder's next transfer a history record) more
 * than once an hour. The DAO may set a minimum deposit per asset ({setMinimumDeposit}), so
 * every deposit a claim walks is worth at least that.
 * The token records, lazily, each holder's balance before the first change of every block, keeping
 * older records only where a snapshot may need them; so `balanceBeforeSnapshot(holder, snapshot)`
 * is exact and a balance bought in the deposit's block counts for nothing. A holder's share of a
 * deposit is `balance * amount / supply`, rounded down.
 *
 * Claims walk a holder's unclaimed deposits of one asset oldest first, up to a count the caller
 * chooses: the cost grows with the deposits covered (a few thousand gas each), never with the number
 * of holders. Rounding dust (under one unit per claimant and deposit) and shares nobody claimed
 * within CLAIM_WINDOW go to the treasury through {sweep}.
 *
 * The token only lets an address holding REVENUE_ROLE take snapshots, and only the community's DAO
 * grants roles, so a revenue share works once the DAO has approved it.
 */
contract RevenueShare is IRevenueShare {
    using SafeERC20 for IERC20;

    /// @inheritdoc IRevenueShare
    uint256 public constant CLAIM_WINDOW = 365 days;

    /// @inheritdoc IRevenueShare
    uint256 public constant SNAPSHOT_INTERVAL = 1 hours;

    address private constant ETH = address(0);

    /// @dev Per asset, one slot: the DAO's minimum deposit and the number of deposits.
    struct Asset {
        uint104 minimum;
        uint152 count;
    }

    bool private _initialized;
    bool private _entered;
    mapping(address asset => Asset) private _assets;
    mapping(address asset => mapping(uint256 id => Deposit)) private _deposits;
    mapping(address asset => mapping(uint256 id => uint256)) private _claimed;
    mapping(address asset => mapping(address account => uint256)) private _next;

    /// @dev Locks the implementation.
    constructor() {
        _initialized = true;
    }

    modifier nonReentrant() {
        if (_entered) revert RevenueShareReentrantCall();
        _entered = true;
        _;
        _entered = false;
    }

    /// @inheritdoc IRevenueShare
    function initialize(address token_, address treasury_) external {
        if (_initialized) revert RevenueShareAlreadyInitialized();
        (address argToken, address argTreasury) = _args();
        if (token_ != argToken || treasury_ != argTreasury || token_ == address(0) || treasury_ == address(0)) {
            revert RevenueShareWrongClone();
        }
        _initialized = true;
    }

    /*//////////////////////////////////////////////////////////////
                                 DEPOSITS
    //////////////////////////////////////////////////////////////*/

    /// @inheritdoc IRevenueShare
    /// @dev Emits {RevenueDeposited}.
    /// Needs no reentrancy guard: its only call is to the community token.
    function depositETH() external payable returns (uint256 id) {
        return _deposit(ETH, msg.value);
    }

    /// @inheritdoc IRevenueShare
    /// @dev Refuses fee-on-transfer tokens (the received amount must equal `amount`).
    /// Emits {RevenueDeposited}.
    function depositToken(address asset, uint256 amount) external nonReentrant returns (uint256 id) {
        if (asset == ETH) revert RevenueShareInvalidAmount(amount);
        IERC20 t = IERC20(asset);
        uint256 before = t.balanceOf(address(this));
        t.safeTransferFrom(msg.sender, address(this), amount);
        uint256 received = t.balanceOf(address(this)) - before;
        if (received != amount) revert RevenueShareTransferShortfall(amount, received);
        return _deposit(asset, amount);
    }

    function _deposit(address asset, uint256 amount) private returns (uint256 id) {
        if (amount == 0 || amount > type(uint104).max) revert RevenueShareInvalidAmount(amount);
        Asset memory a = _assets[asset];
        if (amount < a.minimum) revert RevenueShareDepositTooSmall(asset, amount, a.minimum);
        // Reverts unless the DAO granted REVENUE_ROLE and recording started in an earlier block. A
        // snapshot less than SNAPSHOT_INTERVAL old is shared instead of taking a new one.
        (uint256 snapshot, uint256 supply) = ISocialToken(CloneArgs.addressAt(0)).takeRevenueSnapshot(
            SNAPSHOT_INTERVAL
        );
        if (supply == 0) revert RevenueShareNoHolders();
        id = a.count;
        // One slot each; the cap of a community token is below 2^104, so its supply fits.
        unchecked {
            ++a.count; // fewer than 2^152 deposits
        }
        _assets[asset] = a;
        _deposits[asset][id] = Deposit({amount: uint104(amount), supply: uint104(supply), snapshot: uint48(snapshot)});
        emit RevenueDeposited(asset, id, msg.sender, amount, supply);
    }

    /// @inheritdoc IRevenueShare
    /// @dev Only the treasury (the community Timelock, so a DAO proposal). Emits {MinimumDepositSet}.
    function setMinimumDeposit(address asset, uint256 minimum) external {
        if (msg.sender != CloneArgs.addressAt(1)) revert RevenueShareOnlyTreasury(msg.sender);
        if (minimum > type(uint104).max) revert RevenueShareInvalidAmount(minimum);
        _assets[asset].minimum = uint104(minimum);
        emit MinimumDepositSet(asset, minimum);
    }

    /// @inheritdoc IRevenueShare
    function minimumDeposit(address asset) external view returns (uint256) {
        return _assets[asset].minimum;
    }

    /*//////////////////////////////////////////////////////////////
                                  CLAIMS
    //////////////////////////////////////////////////////////////*/

    /// @inheritdoc IRevenueShare
    /// @dev Deposits past their claim window pay nothing (their remainder belongs to the treasury).
    /// This contract cannot claim for itself. Emits {RevenueClaimed}.
    function claim(address asset, address account, uint256 maxDeposits) external nonReentrant returns (uint256 amount) {
        // Tokens held here (sent by anyone) share in deposits, but that share can only go to the
        // treasury with the sweep: paying it to this contract would lock it for good.
        if (account == address(this)) revert RevenueShareNothingToClaim(asset, account);
        uint256 fromId = _next[asset][account];
        mapping(uint256 => Deposit) storage list = _deposits[asset];
        uint256 toId = _end(_assets[asset].count, fromId, maxDeposits);
        if (toId == fromId) revert RevenueShareNothingToClaim(asset, account);

        _next[asset][account] = toId;
        address token_ = CloneArgs.addressAt(0);
        mapping(uint256 => uint256) storage claimed = _claimed[asset];
        for (uint256 id = fromId; id < toId; ++id) {
            uint256 share = _share(token_, list[id], account);
            if (share != 0) {
                claimed[id] += share;
                amount += share;
            }
        }
        emit RevenueClaimed(asset, account, fromId, toId, amount);
        if (amount != 0) _send(asset, account, amount);
    }

    /// @inheritdoc IRevenueShare
    function claimable(
        address asset,
        address account,
        uint256 maxDeposits
    ) external view returns (uint256 amount, uint256 toId) {
        return _claimable(asset, account, _next[asset][account], maxDeposits);
    }

    function _claimable(
        address asset,
        address account,
        uint256 fromId,
        uint256 maxDeposits
    ) private view returns (uint256 amount, uint256 toId) {
        mapping(uint256 => Deposit) storage list = _deposits[asset];
        toId = _end(_assets[asset].count, fromId, maxDeposits);
        address token_ = CloneArgs.addressAt(0);
        for (uint256 id = fromId; id < toId; ++id) {
            amount += _share(token_, list[id], account);
        }
    }

    function _end(uint256 count, uint256 fromId, uint256 maxDeposits) private pure returns (uint256) {
        return count - fromId > maxDeposits ? fromId + maxDeposits : count;
    }

    /// @dev `account`'s share of a deposit: zero once the deposit's claim window closed.
    function _share(address token_, Deposit storage d, address account) private view returns (uint256) {
        Deposit memory dep = d;
        if (block.timestamp > uint256(dep.snapshot) + CLAIM_WINDOW) return 0;
        uint256 balance = ISocialToken(token_).balanceBeforeSnapshot(account, dep.snapshot);
        return balance == 0 ? 0 : Math.mulDiv(balance, dep.amount, dep.supply);
    }

    /// @inheritdoc IRevenueShare
    /// @dev Anyone may call; the remainder goes to the treasury. Emits {RevenueSwept}.
    function sweep(address asset, uint256 id) external nonReentrant {
        if (id >= _assets[asset].count) revert RevenueShareUnknownDeposit(asset, id);
        Deposit memory dep = _deposits[asset][id];
        uint256 until = uint256(dep.snapshot) + CLAIM_WINDOW;
        if (block.timestamp <= until) revert RevenueShareClaimWindowOpen(until);
        uint256 claimed = _claimed[asset][id];
        if (claimed >= dep.amount) revert RevenueShareAlreadySwept(asset, id);
        uint256 remainder = dep.amount - claimed;
        _claimed[asset][id] = dep.amount;
        emit RevenueSwept(asset, id, remainder);
        address treasury_ = CloneArgs.addressAt(1);
        _send(asset, treasury_, remainder);
    }

    function _send(address asset, address to, uint256 amount) private {
        if (asset == ETH) {
            (bool ok, ) = to.call{value: amount}("");
            if (!ok) revert RevenueShareEthTransferFailed(to, amount);
        } else {
            IERC20(asset).safeTransfer(to, amount);
        }
    }

    /*//////////////////////////////////////////////////////////////
                                  VIEWS
    //////////////////////////////////////////////////////////////*/

    /// @inheritdoc IRevenueShare
    function token() external view returns (address) {
        return CloneArgs.addressAt(0);
    }

    /// @inheritdoc IRevenueShare
    function treasury() external view returns (address) {
        return CloneArgs.addressAt(1);
    }

    /// @inheritdoc IRevenueShare
    function depositCount(address asset) external view returns (uint256) {
        return _assets[asset].count;
    }

    /// @inheritdoc IRevenueShare
    function deposit(address asset, uint256 id) external view returns (Deposit memory) {
        if (id >= _assets[asset].count) revert RevenueShareUnknownDeposit(asset, id);
        return _deposits[asset][id];
    }

    /// @inheritdoc IRevenueShare
    function claimedOf(address asset, uint256 id) external view returns (uint256) {
        return _claimed[asset][id];
    }

    /// @inheritdoc IRevenueShare
    function nextClaim(address asset, address account) external view returns (uint256) {
        return _next[asset][account];
    }

    /// @dev The clone's immutable arguments: `abi.encodePacked(token, treasury)`.
    function _args() private view returns (address token_, address treasury_) {
        (token_, treasury_) = (CloneArgs.addressAt(0), CloneArgs.addressAt(1));
    }
}
