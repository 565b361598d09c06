// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/// @title ICrowdfund
/// @notice Fans fund a creator's release: contributions in ETH or one ERC-20 until a deadline;
/// on success the treasury receives the funds less the platform fee and contributors (and the
/// referrers they named) claim community tokens; on failure every contributor withdraws exactly
/// what they paid. See docs/funding.md.
interface ICrowdfund {
    /*//////////////////////////////////////////////////////////////
                                  TYPES
    //////////////////////////////////////////////////////////////*/

    /// @notice What a creator chooses when starting a crowdfund.
    /// @param paymentToken The ERC-20 accepted, or the zero address for ETH.
    /// @param goal The amount (payment units) that must be raised by the deadline; non-zero.
    /// @param cap The most that can be raised (reaching it ends the crowdfund early); 0 = no cap,
    /// otherwise >= goal.
    /// @param deadline Last timestamp at which contributions are accepted; in the future, at most
    /// 365 days away (contributions are locked until it passes).
    /// @param price Community tokens (smallest unit) per 10^18 payment units, so
    /// `tokens = paid * price / 1e18`; non-zero and below 2^128.
    /// @param referralBps Bonus for the referrer named on a contribution, in basis points of the
    /// tokens that contribution buys; <= 10,000.
    // Passed in calldata or ABI-encoded, never stored: each member takes a full word whatever its
    // order, and the order is part of the public ABI.
    // solhint-disable-next-line gas-struct-packing
    struct Params {
        address paymentToken;
        uint256 goal;
        uint256 cap;
        uint256 deadline;
        uint256 price;
        uint16 referralBps;
    }

    /// @notice Where a crowdfund stands.
    enum State {
        Active, // accepting contributions (until the deadline or the cap)
        Ended, // deadline passed or cap reached, not finalised yet
        Succeeded, // finalised: funds paid out, tokens claimable
        Failed // goal missed (or tokens could not be minted): contributors withdraw what they paid
    }

    /*//////////////////////////////////////////////////////////////
                                  EVENTS
    //////////////////////////////////////////////////////////////*/

    /// @notice The crowdfund was set up.
    /// @param token The community token.
    /// @param treasury The community Timelock, paid on success.
    /// @param paymentToken The ERC-20 accepted, or zero for ETH.
    /// @param goal The least amount for success.
    /// @param cap The most it accepts; zero for none.
    /// @param deadline When contributions stop.
    /// @param price Community tokens (smallest unit) per 10^18 payment units.
    /// @param referralBps The referrers' bonus, in basis points of the tokens their referrals bought.
    /// @param feeBps The platform fee, in basis points of the amount raised.
    /// @param feeRecipient The platform treasury, paid the fee.
    event CrowdfundInitialized(
        address indexed token,
        address indexed treasury,
        address indexed paymentToken,
        uint256 goal,
        uint256 cap,
        uint256 deadline,
        uint256 price,
        uint256 referralBps,
        uint256 feeBps,
        address feeRecipient
    );
    /// @notice `contributor` paid `amount`, naming `referrer` (zero for none or a self-referral).
    /// @param contributor The payer.
    /// @param amount The amount received.
    /// @param referrer The referrer named, or zero.
    event Contributed(address indexed contributor, uint256 amount, address indexed referrer);
    /// @notice The crowdfund succeeded: `tokens` were minted for contributors and referrers;
    /// `proceeds` went to the treasury and `fee` to the platform.
    /// @param raised The total contributed.
    /// @param proceeds The treasury's part.
    /// @param fee The platform's part.
    /// @param tokens Tokens minted for contributors and referrers.
    event Finalized(uint256 raised, uint256 proceeds, uint256 fee, uint256 tokens);
    /// @notice The crowdfund failed; contributors can withdraw what they paid.
    /// @param raised The total contributed.
    /// @param goalReached True when the goal was met but the tokens could not be minted.
    event Failed(uint256 raised, bool goalReached);
    /// @notice `account` received `tokens` for its contributions and `bonus` for its referrals.
    /// @param account The contributor or referrer paid.
    /// @param tokens Tokens for its contributions.
    /// @param bonus Tokens for its referrals.
    event TokensClaimed(address indexed account, uint256 tokens, uint256 bonus);
    /// @notice `contributor` withdrew `amount` to `to` after a failure.
    /// @param contributor The contributor refunded.
    /// @param to The account paid.
    /// @param amount The amount paid back.
    event Refunded(address indexed contributor, address indexed to, uint256 amount);
    /// @notice An ETH payout to `recipient` failed and is kept for it to withdraw.
    /// @param recipient The payee that rejected the payment.
    /// @param amount The amount kept for it.
    event PayoutDeferred(address indexed recipient, uint256 amount);
    /// @notice A deferred payout was sent.
    /// @param recipient The payee.
    /// @param amount The amount sent.
    event PayoutWithdrawn(address indexed recipient, uint256 amount);
    /// @notice Units of an asset above what this crowdfund owes in it (e.g. a revenue share paid to
    /// the tokens it holds for contributors, or ETH forced on it) went to the treasury.
    /// @param asset The ERC-20 swept, or the zero address for ETH.
    /// @param treasury The community Timelock, paid.
    /// @param amount The amount sent.
    event StrayTokensSwept(address indexed asset, address indexed treasury, uint256 amount);

    /*//////////////////////////////////////////////////////////////
                                  ERRORS
    //////////////////////////////////////////////////////////////*/

    /// @notice The crowdfund is already initialised (or is the implementation).
    error CrowdfundAlreadyInitialized();
    /// @notice Goal, cap, deadline, price or referral rate is invalid.
    error CrowdfundInvalidParams();
    /// @notice The action needs another state.
    error CrowdfundWrongState(State current);
    /// @notice Contributions closed at the deadline.
    error CrowdfundDeadlinePassed(uint256 deadline);
    /// @notice The contribution would take the total past the cap.
    error CrowdfundCapExceeded(uint256 amount, uint256 remaining);
    /// @notice A zero contribution.
    error CrowdfundZeroAmount();
    /// @notice ETH sent does not match the amount (or ETH sent to an ERC-20 crowdfund).
    error CrowdfundWrongValue(uint256 value, uint256 amount);
    /// @notice The payment token delivered less than the amount (fee-on-transfer tokens are refused).
    error CrowdfundTransferShortfall(uint256 expected, uint256 received);
    /// @notice Nothing to claim or withdraw for this account.
    error CrowdfundNothingToClaim(address account);
    /// @notice The tokens could not be minted yet (the DAO has not granted MINTER_ROLE, or the
    /// token's cap is in the way); finalisation can be retried until `retryUntil`.
    error CrowdfundCannotMint(uint256 retryUntil);
    /// @notice An ETH payment to `to` failed.
    error CrowdfundEthTransferFailed(address to, uint256 amount);
    /// @notice A call re-entered the crowdfund while another was running.
    error CrowdfundReentrantCall();
    /// @notice A zero address where an account is needed.
    error CrowdfundZeroAddress();

    /*//////////////////////////////////////////////////////////////
                                 ACTIONS
    //////////////////////////////////////////////////////////////*/

    /// @notice Sets up a freshly cloned crowdfund. Called once, by the crowdfund factory.
    /// @param token The community token; the crowdfund must hold its MINTER_ROLE to succeed.
    /// @param treasury The community Timelock, which receives the proceeds.
    /// @param feeRecipient The platform treasury, which receives the fee.
    /// @param feeBps The platform fee in basis points, read from the factory at creation.
    /// @param params The creator's choices.
    function initialize(
        address token,
        address treasury,
        address feeRecipient,
        uint16 feeBps,
        Params calldata params
    ) external;

    /// @notice Contributes `amount` (ETH: send exactly `amount`; ERC-20: approve it first).
    /// @param amount Payment units.
    /// @param referrer Who brought the contributor (zero for none; the contributor itself is ignored).
    function contribute(uint256 amount, address referrer) external payable;

    /// @notice Ends the crowdfund once the deadline passed or the cap was reached (anyone): on
    /// success mints the tokens and pays the treasury and the fee; otherwise marks it failed.
    function finalize() external;

    /// @notice Sends `account` its tokens after a success (anyone may call; tokens go to `account`).
    /// @param account The contributor or referrer.
    function claimTokens(address account) external;

    /// @notice After a failure, sends the caller exactly what it paid, to `to`.
    /// @param to Receiver of the refund (lets a contract that cannot take ETH redirect it).
    function refund(address payable to) external;

    /// @notice Sends the treasury every unit of `asset` this crowdfund holds above what it owes in
    /// it ({owedOf}): any ERC-20 including the payment token and the community token, or ETH
    /// (anyone may call).
    /// @param asset The ERC-20, or the zero address for ETH.
    function sweepStrayTokens(address asset) external;

    /// @notice Sends a deferred ETH payout (anyone may call; the ETH goes to `recipient`).
    /// @param recipient The treasury or fee recipient whose payout was deferred.
    function withdrawPayout(address recipient) external;

    /*//////////////////////////////////////////////////////////////
                                  VIEWS
    //////////////////////////////////////////////////////////////*/

    /// @notice What this crowdfund owes in `asset`: in the payment asset, the contributions until
    /// success or what is left to refund after a failure, then the deferred payouts; in the
    /// community token, the tokens not yet claimed. Anything it holds above this is sweepable.
    /// @param asset An ERC-20, or the zero address for ETH.
    function owedOf(address asset) external view returns (uint256);

    /// @notice The current state (an Active crowdfund past its deadline or at its cap reads Ended).
    function state() external view returns (State);

    /// @notice The community token.
    function token() external view returns (address);

    /// @notice The community Timelock (treasury).
    function treasury() external view returns (address);

    /// @notice The platform fee recipient and fee in basis points.
    /// @return recipient The platform treasury.
    /// @return bps The fee, in basis points.
    function fee() external view returns (address recipient, uint256 bps);

    /// @notice The creator's parameters.
    function params() external view returns (Params memory);

    /// @notice Total contributed.
    function raised() external view returns (uint256);

    /// @notice What `contributor` paid (zero after a claim or a refund).
    /// @param contributor The contributor.
    function contributionOf(address contributor) external view returns (uint256);

    /// @notice Contributions that named `referrer`, not yet claimed.
    /// @param referrer The referrer.
    function referredBy(address referrer) external view returns (uint256);

    /// @notice Tokens `account` can claim after a success (or would, if the crowdfund succeeds): for
    /// its contributions and its referrals. Zero after a failure.
    /// @param account The contributor or referrer.
    /// @return tokens Tokens for its contributions.
    /// @return bonus Tokens for its referrals.
    function claimableTokens(address account) external view returns (uint256 tokens, uint256 bonus);

    /// @notice A deferred ETH payout owed to `recipient`.
    /// @param recipient The payee.
    function payoutOwed(address recipient) external view returns (uint256);
}
