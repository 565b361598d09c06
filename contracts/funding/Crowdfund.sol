// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {IVotes} from "@openzeppelin/contracts/governance/utils/IVotes.sol";
import {IAccessControl} from "@openzeppelin/contracts/access/IAccessControl.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";
import {ICrowdfund} from "../interfaces/ICrowdfund.sol";
import {ISocialToken} from "../interfaces/ISocialToken.sol";

/**
 * @title Crowdfund
 * @notice One crowdfund of a creator community, an EIP-1167 clone made by {CrowdfundFactory}.
 *
 * Money rules (docs/funding.md):
 * - Accounting never reads this contract's balance: `raised` and each contribution are recorded
 *   amounts, so ETH or tokens sent here by other means change nothing. The crowdfund keeps what it
 *   owes per asset ({owedOf}); anything above it, in any asset (the payment token, the community
 *   token, ETH, another ERC-20), anyone can send to the treasury ({sweepStrayTokens}).
 * - Success (goal reached when the deadline passes, or the cap reached early): `finalize` mints
 *   `raised * price / 1e18` tokens plus the referral bonuses to this contract in one mint (then
 *   renounces MINTER_ROLE), pays the
 *   treasury `raised - fee` and the platform `fee`; contributors and referrers then pull their
 *   tokens. Minting needs MINTER_ROLE, which only the community's DAO can grant: a crowdfund the
 *   DAO never approves fails after a grace period and refunds everyone.
 * - Failure: each contributor withdraws exactly what it paid, whenever it likes; no fee.
 * - Pull payments, checks-effects-interactions and a reentrancy guard on every function that
 *   moves value (a flag in the core slot every such function reads anyway). A payout the treasury or fee recipient cannot take is kept for it
 *   ({withdrawPayout}) instead of blocking everyone else.
 * - Fee-on-transfer payment tokens are refused: a contribution that delivers less than its amount
 *   reverts ({CrowdfundTransferShortfall}). Rebasing tokens are not supported (documented).
 *
 * This crowdfund opts out of voting on the token at initialisation, so tokens waiting to be
 * claimed carry no votes and claims move no checkpoint of its own.
 */
contract Crowdfund is ICrowdfund {
    using SafeERC20 for IERC20;

    /// @notice Price scale: `tokens = paid * price / PRICE_SCALE`.
    uint256 public constant PRICE_SCALE = 1e18;
    /// @notice How long after the deadline a successful crowdfund may wait for the DAO's minting
    /// approval before anyone can declare it failed.
    uint256 public constant MINT_GRACE = 30 days;
    /// @notice The longest a crowdfund may run: contributions are locked until it ends.
    uint256 public constant MAX_DURATION = 365 days;

    uint256 private constant MAX_BPS = 10_000;
    bytes32 private constant MINTER_ROLE = keccak256("MINTER_ROLE");

    /*//////////////////////////////////////////////////////////////
                                 STORAGE
    //////////////////////////////////////////////////////////////*/

    // One slot exactly: 20 + 6 + 2 + 2 + 1 + 1 = 32 bytes (the rule's estimate is wrong here).
    // solhint-disable-next-line gas-struct-packing
    struct Core {
        address token;
        uint48 deadline;
        uint16 feeBps;
        uint16 referralBps;
        State settled; // Active until finalised: then Succeeded or Failed
        bool entered; // reentrancy guard
    }

    struct Totals {
        uint128 raised;
        uint128 referred; // contributions that named a referrer (for the bonus)
    }

    struct Limits {
        uint128 goal;
        uint128 cap; // 0: none
    }

    Core private _core;
    address private _paymentToken;
    Limits private _limits;
    Totals private _totals;
    // What the crowdfund owes once settled (before, it owes `raised` in the payment asset): the
    // tokens not yet claimed, and the refunds left (failure) or the deferred payouts (success).
    uint256 private _tokensOwed;
    uint256 private _paymentOwed;
    uint256 private _price;
    address private _treasury;
    address private _feeRecipient;

    mapping(address contributor => uint256) private _paid;
    mapping(address referrer => uint256) private _referred;
    mapping(address recipient => uint256) private _owed;

    /*//////////////////////////////////////////////////////////////
                               CONSTRUCTOR
    //////////////////////////////////////////////////////////////*/

    /// @dev Rejects a call made while another guarded call of this crowdfund is running.
    modifier nonReentrant() {
        if (_core.entered) revert CrowdfundReentrantCall();
        _core.entered = true;
        _;
        _core.entered = false;
    }

    /// @dev Locks the implementation: a non-zero token marks it initialised.
    constructor() {
        _core.token = address(0xdead);
    }

    /// @inheritdoc ICrowdfund
    /// @dev Requirements: once; non-zero addresses; goal > 0; cap 0 or >= goal; deadline in the
    /// future and at most MAX_DURATION away; 0 < price < 2^128; referral rate <= 10,000; amounts below 2^128. Emits {CrowdfundInitialized}.
    /// Undelegates the crowdfund's own votes: tokens held here until claimed carry none.
    function initialize(
        address token_,
        address treasury_,
        address feeRecipient_,
        uint16 feeBps_,
        Params calldata p
    ) external {
        if (_core.token != address(0)) revert CrowdfundAlreadyInitialized();
        if (token_ == address(0) || treasury_ == address(0) || feeRecipient_ == address(0)) {
            revert CrowdfundZeroAddress();
        }
        if (
            p.goal == 0 ||
            p.goal > type(uint128).max ||
            p.cap > type(uint128).max ||
            (p.cap != 0 && p.cap < p.goal) ||
            p.deadline <= block.timestamp ||
            p.deadline > block.timestamp + MAX_DURATION ||
            p.price == 0 ||
            p.price > type(uint128).max || // keeps the token arithmetic of finalize from overflowing
            p.referralBps > MAX_BPS ||
            feeBps_ > MAX_BPS
        ) revert CrowdfundInvalidParams();

        _core = Core({
            token: token_,
            deadline: uint48(p.deadline),
            feeBps: feeBps_,
            referralBps: p.referralBps,
            settled: State.Active,
            entered: false
        });
        if (p.paymentToken != address(0)) _paymentToken = p.paymentToken;
        _limits = Limits({goal: uint128(p.goal), cap: uint128(p.cap)});
        _price = p.price;
        _treasury = treasury_;
        _feeRecipient = feeRecipient_;

        emit CrowdfundInitialized(
            token_,
            treasury_,
            p.paymentToken,
            p.goal,
            p.cap,
            p.deadline,
            p.price,
            p.referralBps,
            feeBps_,
            feeRecipient_
        );
        IVotes(token_).delegate(address(0));
    }

    /*//////////////////////////////////////////////////////////////
                               CONTRIBUTING
    //////////////////////////////////////////////////////////////*/

    /// @inheritdoc ICrowdfund
    /// @dev Requirements: Active; before or at the deadline; amount > 0 and within the cap; ETH:
    /// `msg.value == amount`; ERC-20: no ETH, allowance for `amount`, and `amount` delivered in full.
    /// Emits {Contributed}.
    function contribute(uint256 amount, address referrer) external payable nonReentrant {
        Core memory core = _core;
        if (core.settled != State.Active) revert CrowdfundWrongState(core.settled);
        if (block.timestamp > core.deadline) revert CrowdfundDeadlinePassed(core.deadline);
        if (amount == 0) revert CrowdfundZeroAmount();
        address paymentToken = _paymentToken;
        if (paymentToken == address(0) ? msg.value != amount : msg.value != 0) {
            revert CrowdfundWrongValue(msg.value, amount);
        }

        Totals memory totals = _totals;
        uint256 cap = _limits.cap;
        uint256 room = (cap != 0 ? cap : type(uint128).max) - totals.raised;
        if (amount > room) revert CrowdfundCapExceeded(amount, room);
        uint256 newRaised = totals.raised + amount;

        // Effects. Reaching the cap ends the crowdfund: `state()` reads Ended from then on.
        totals.raised = uint128(newRaised);
        _paid[msg.sender] += amount;
        if (referrer == msg.sender) referrer = address(0);
        if (referrer != address(0)) {
            totals.referred += uint128(amount);
            _referred[referrer] += amount;
        }
        _totals = totals;
        emit Contributed(msg.sender, amount, referrer);

        // Interaction: pull the ERC-20 and check that all of it arrived.
        if (paymentToken != address(0)) {
            IERC20 payment = IERC20(paymentToken);
            uint256 before = payment.balanceOf(address(this));
            payment.safeTransferFrom(msg.sender, address(this), amount);
            uint256 received = payment.balanceOf(address(this)) - before;
            if (received != amount) revert CrowdfundTransferShortfall(amount, received);
        }
    }

    /*//////////////////////////////////////////////////////////////
                               SETTLEMENT
    //////////////////////////////////////////////////////////////*/

    /// @inheritdoc ICrowdfund
    /// @dev Requirements: Ended (deadline passed or cap reached) and not finalised. With the goal
    /// reached it mints and pays out (Succeeded), unless minting is impossible: then it reverts
    /// {CrowdfundCannotMint} until `deadline + MINT_GRACE`, after which it marks the crowdfund
    /// Failed. With the goal missed it marks it Failed. Emits {Finalized} or {Failed}.
    function finalize() external nonReentrant {
        State current = state();
        if (current != State.Ended) revert CrowdfundWrongState(current);
        Core memory core = _core;
        Totals memory totals = _totals;
        uint256 raised_ = totals.raised;

        if (raised_ < _limits.goal) {
            _fail(raised_, false);
            return;
        }

        uint256 price = _price;
        uint256 tokens = Math.mulDiv(raised_, price, PRICE_SCALE) + _bonus(totals.referred, price, core.referralBps);
        // Nothing to do on success; the try exists for the catch.
        // solhint-disable-next-line no-empty-blocks
        try ISocialToken(core.token).mint(address(this), tokens) {} catch {
            uint256 retryUntil = uint256(core.deadline) + MINT_GRACE;
            if (block.timestamp <= retryUntil) revert CrowdfundCannotMint(retryUntil);
            _fail(raised_, true);
            return;
        }

        _core.settled = State.Succeeded;
        _tokensOwed = tokens;
        // Minted once and for all: give the role back so no stale minter remains.
        IAccessControl(core.token).renounceRole(MINTER_ROLE, address(this));
        uint256 fee_ = (raised_ * core.feeBps) / MAX_BPS;
        uint256 proceeds = raised_ - fee_;
        emit Finalized(raised_, proceeds, fee_, tokens);
        _payout(_treasury, proceeds);
        if (fee_ != 0) _payout(_feeRecipient, fee_);
    }

    /// @inheritdoc ICrowdfund
    /// @dev Requirements: Succeeded; something to claim. Emits {TokensClaimed}.
    function claimTokens(address account) external nonReentrant {
        if (_core.settled != State.Succeeded) revert CrowdfundWrongState(state());
        (uint256 tokens, uint256 bonus) = claimableTokens(account);
        if (tokens == 0 && bonus == 0) revert CrowdfundNothingToClaim(account);
        delete _paid[account];
        delete _referred[account];
        _tokensOwed -= tokens + bonus;
        emit TokensClaimed(account, tokens, bonus);
        IERC20(_core.token).safeTransfer(account, tokens + bonus);
    }

    /// @inheritdoc ICrowdfund
    /// @dev Requirements: Failed (or Ended with the goal missed, which this records as Failed);
    /// the caller paid something not yet refunded; `to` non-zero. Emits {Refunded} (and {Failed}
    /// when it records the failure).
    function refund(address payable to) external nonReentrant {
        if (to == address(0)) revert CrowdfundZeroAddress();
        State current = state();
        if (current == State.Ended && _totals.raised < _limits.goal) {
            _fail(_totals.raised, false);
            current = State.Failed;
        }
        if (current != State.Failed) revert CrowdfundWrongState(current);
        uint256 amount = _paid[msg.sender];
        if (amount == 0) revert CrowdfundNothingToClaim(msg.sender);
        delete _paid[msg.sender];
        _paymentOwed -= amount;
        emit Refunded(msg.sender, to, amount);
        _send(to, amount);
    }

    /// @inheritdoc ICrowdfund
    /// @dev Emits {PayoutWithdrawn}.
    function withdrawPayout(address recipient) external nonReentrant {
        uint256 amount = _owed[recipient];
        if (amount == 0) revert CrowdfundNothingToClaim(recipient);
        delete _owed[recipient];
        _paymentOwed -= amount;
        emit PayoutWithdrawn(recipient, amount);
        _send(recipient, amount);
    }

    /// @inheritdoc ICrowdfund
    /// @dev Anyone may call; the surplus goes to the treasury. Reverts {CrowdfundNothingToClaim}
    /// when the crowdfund holds no more than it owes. Emits {StrayTokensSwept}.
    function sweepStrayTokens(address asset) external nonReentrant {
        uint256 balance = asset == address(0) ? address(this).balance : IERC20(asset).balanceOf(address(this));
        uint256 owed = owedOf(asset);
        if (balance <= owed) revert CrowdfundNothingToClaim(address(this));
        uint256 amount = balance - owed;
        address treasury_ = _treasury;
        emit StrayTokensSwept(asset, treasury_, amount);
        if (asset == address(0)) {
            (bool ok, ) = treasury_.call{value: amount}("");
            if (!ok) revert CrowdfundEthTransferFailed(treasury_, amount);
        } else {
            IERC20(asset).safeTransfer(treasury_, amount);
        }
    }

    /// @dev Pays a payout, keeping it for {withdrawPayout} if the recipient cannot take it now.
    function _payout(address recipient, uint256 amount) private {
        address paymentToken = _paymentToken;
        bool ok;
        if (paymentToken == address(0)) {
            (ok, ) = recipient.call{value: amount}("");
        } else {
            ok = IERC20(paymentToken).trySafeTransfer(recipient, amount);
        }
        if (!ok) {
            _owed[recipient] += amount;
            _paymentOwed += amount;
            emit PayoutDeferred(recipient, amount);
        }
    }

    /// @dev Sends `amount` of the payment asset to `to`, reverting if it cannot.
    function _send(address to, uint256 amount) private {
        address paymentToken = _paymentToken;
        if (paymentToken == address(0)) {
            (bool ok, ) = to.call{value: amount}("");
            if (!ok) revert CrowdfundEthTransferFailed(to, amount);
        } else {
            IERC20(paymentToken).safeTransfer(to, amount);
        }
    }

    /// @dev Marks the crowdfund Failed: every contribution is now owed back as a refund.
    function _fail(uint256 raised_, bool mintFailed) private {
        _core.settled = State.Failed;
        _paymentOwed = raised_;
        emit Failed(raised_, mintFailed);
    }

    function _bonus(uint256 referredPaid, uint256 price, uint256 bps) private pure returns (uint256) {
        return Math.mulDiv(Math.mulDiv(referredPaid, price, PRICE_SCALE), bps, MAX_BPS);
    }

    /*//////////////////////////////////////////////////////////////
                                  VIEWS
    //////////////////////////////////////////////////////////////*/

    /// @inheritdoc ICrowdfund
    function state() public view returns (State) {
        Core memory core = _core;
        if (core.settled != State.Active) return core.settled;
        if (block.timestamp > core.deadline) return State.Ended;
        uint256 cap = _limits.cap;
        if (cap != 0 && _totals.raised == cap) return State.Ended;
        return State.Active;
    }

    /// @inheritdoc ICrowdfund
    function token() external view returns (address) {
        return _core.token;
    }

    /// @inheritdoc ICrowdfund
    function treasury() external view returns (address) {
        return _treasury;
    }

    /// @inheritdoc ICrowdfund
    function fee() external view returns (address recipient, uint256 bps) {
        return (_feeRecipient, _core.feeBps);
    }

    /// @inheritdoc ICrowdfund
    function params() external view returns (Params memory p) {
        Core memory core = _core;
        Limits memory limits = _limits;
        p = Params({
            paymentToken: _paymentToken,
            goal: limits.goal,
            cap: limits.cap,
            deadline: core.deadline,
            price: _price,
            referralBps: core.referralBps
        });
    }

    /// @inheritdoc ICrowdfund
    function raised() external view returns (uint256) {
        return _totals.raised;
    }

    /// @inheritdoc ICrowdfund
    function contributionOf(address contributor) external view returns (uint256) {
        return _paid[contributor];
    }

    /// @inheritdoc ICrowdfund
    function referredBy(address referrer) external view returns (uint256) {
        return _referred[referrer];
    }

    /// @inheritdoc ICrowdfund
    /// @dev Rounds down per account, so the tokens minted at finalisation always cover every claim.
    /// Zero once the crowdfund failed (contributors take refunds instead).
    function claimableTokens(address account) public view returns (uint256 tokens, uint256 bonus) {
        if (_core.settled == State.Failed) return (0, 0);
        uint256 price = _price;
        tokens = Math.mulDiv(_paid[account], price, PRICE_SCALE);
        bonus = _bonus(_referred[account], price, _core.referralBps);
    }

    /// @inheritdoc ICrowdfund
    function owedOf(address asset) public view returns (uint256 owed) {
        if (asset == _paymentToken) owed = _core.settled == State.Active ? _totals.raised : _paymentOwed;
        if (asset == _core.token) owed += _tokensOwed;
    }

    /// @inheritdoc ICrowdfund
    function payoutOwed(address recipient) external view returns (uint256) {
        return _owed[recipient];
    }
}
