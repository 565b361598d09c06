// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/// @title IRevenueShare
/// @notice A community's revenue share: anyone deposits ETH or an ERC-20; each holder claims a share
/// pro rata to its token balance as it stood before the deposit's snapshot (the deposit's block, or
/// the latest snapshot if it is less than SNAPSHOT_INTERVAL old). See docs/funding.md.
interface IRevenueShare {
    /// @notice One deposit: `amount` of its asset, shared over `supply` tokens as they stood before
    /// the block with timestamp `snapshot`.
    struct Deposit {
        uint104 amount;
        uint104 supply;
        uint48 snapshot;
    }

    /// @notice `depositor` deposited `amount` of `asset` (zero address: ETH) as deposit `id`, shared
    /// over `supply` tokens as they stood before the snapshot's block (this block's, or the latest
    /// snapshot's when that is less than SNAPSHOT_INTERVAL old).
    /// @param asset ETH (zero address) or the ERC-20.
    /// @param id The deposit id.
    /// @param depositor The account that paid it in.
    /// @param amount The amount received.
    /// @param supply The token supply it is shared over.
    event RevenueDeposited(
        address indexed asset,
        uint256 indexed id,
        address indexed depositor,
        uint256 amount,
        uint256 supply
    );
    /// @notice `account` received `amount` of `asset` for deposits `fromId` to `toId - 1`.
    /// @param asset ETH (zero address) or the ERC-20.
    /// @param account The holder paid.
    /// @param fromId The first deposit covered.
    /// @param toId One past the last deposit covered.
    /// @param amount The amount paid.
    event RevenueClaimed(address indexed asset, address indexed account, uint256 fromId, uint256 toId, uint256 amount);
    /// @notice The DAO set the smallest deposit of `asset` it accepts (0: any positive amount).
    /// @param asset ETH (zero address) or the ERC-20.
    /// @param minimum The new minimum.
    event MinimumDepositSet(address indexed asset, uint256 minimum);
    /// @notice What was never claimed of deposit `id` (unclaimed shares and rounding dust) went to the treasury.
    /// @param asset ETH (zero address) or the ERC-20.
    /// @param id The deposit.
    /// @param amount The amount sent to the treasury.
    event RevenueSwept(address indexed asset, uint256 indexed id, uint256 amount);

    /// @notice The revenue share is already initialised (or is the implementation).
    error RevenueShareAlreadyInitialized();
    /// @notice The clone's immutable arguments do not match.
    error RevenueShareWrongClone();
    /// @notice A zero deposit, or one of 2^104 units or more.
    error RevenueShareInvalidAmount(uint256 amount);
    /// @notice The token delivered less than the amount (fee-on-transfer tokens are refused).
    error RevenueShareTransferShortfall(uint256 expected, uint256 received);
    /// @notice Nobody held tokens before this block, so there is nobody to share with.
    error RevenueShareNoHolders();
    /// @notice `account` has no unclaimed deposit of `asset`.
    error RevenueShareNothingToClaim(address asset, address account);
    /// @notice The deposit is still claimable until `claimableUntil`.
    error RevenueShareClaimWindowOpen(uint256 claimableUntil);
    /// @notice No deposit of `asset` has this id.
    error RevenueShareUnknownDeposit(address asset, uint256 id);
    /// @notice Nothing is left of the deposit to sweep: it was swept already, or fully claimed.
    error RevenueShareAlreadySwept(address asset, uint256 id);
    /// @notice An ETH payment failed.
    error RevenueShareEthTransferFailed(address to, uint256 amount);
    /// @notice The deposit is below the minimum the DAO set for `asset`.
    error RevenueShareDepositTooSmall(address asset, uint256 amount, uint256 minimum);
    /// @notice Only the treasury (the community Timelock) may do this.
    error RevenueShareOnlyTreasury(address caller);
    /// @notice A call re-entered the revenue share.
    error RevenueShareReentrantCall();

    /// @notice Sets up a clone made by the revenue-share factory (token and treasury are its immutable args).
    /// @param token The community token (must match the clone's arguments).
    /// @param treasury The community Timelock (must match the clone's arguments).
    function initialize(address token, address treasury) external;

    /// @notice Sets the smallest deposit of `asset` accepted (0: any positive amount). Treasury only.
    /// @param asset ETH (zero address) or the ERC-20.
    /// @param minimum The minimum, below 2^104.
    function setMinimumDeposit(address asset, uint256 minimum) external;

    /// @notice The smallest deposit of `asset` accepted (0: any positive amount).
    /// @param asset ETH (zero address) or the ERC-20.
    function minimumDeposit(address asset) external view returns (uint256);

    /// @notice Deposits `msg.value` ETH for the holders. Needs REVENUE_ROLE on the token (granted by the DAO).
    /// @return id The deposit's id among ETH deposits.
    function depositETH() external payable returns (uint256 id);

    /// @notice Deposits `amount` of `asset` (approve it first).
    /// @param asset The ERC-20.
    /// @param amount The amount.
    /// @return id The deposit's id among `asset`'s deposits.
    function depositToken(address asset, uint256 amount) external returns (uint256 id);

    /// @notice Pays `account` its share of up to `maxDeposits` of its unclaimed `asset` deposits,
    /// oldest first. Anyone may call; the asset goes to `account`. Cost grows with the number of
    /// deposits covered, not with the number of holders.
    /// @param asset ETH (zero address) or the ERC-20.
    /// @param account The holder.
    /// @param maxDeposits The most deposits to cover in this call.
    /// @return amount What was paid.
    function claim(address asset, address account, uint256 maxDeposits) external returns (uint256 amount);

    /// @notice Sends to the treasury what was never claimed of a deposit, once its claim window closed.
    /// @param asset ETH (zero address) or the ERC-20.
    /// @param id The deposit.
    function sweep(address asset, uint256 id) external;

    /// @notice What `claim(asset, account, maxDeposits)` would pay now, and the deposit id it would stop at.
    /// @param asset ETH (zero address) or the ERC-20.
    /// @param account The holder.
    /// @param maxDeposits The most deposits to cover.
    /// @return amount What the claim would pay.
    /// @return toId One past the last deposit it would cover.
    function claimable(
        address asset,
        address account,
        uint256 maxDeposits
    ) external view returns (uint256 amount, uint256 toId);

    /// @notice How long a deposit stays claimable before the treasury may sweep what is left.
    function CLAIM_WINDOW() external view returns (uint256);

    /// @notice The least time between two revenue snapshots: a deposit within it of the latest
    /// snapshot shares that snapshot (the balances before its block) instead of taking a new one.
    function SNAPSHOT_INTERVAL() external view returns (uint256);

    /// @notice The community token.
    function token() external view returns (address);

    /// @notice The community Timelock (treasury).
    function treasury() external view returns (address);

    /// @notice Number of deposits of `asset`.
    /// @param asset ETH (zero address) or the ERC-20.
    function depositCount(address asset) external view returns (uint256);

    /// @notice A deposit of `asset`.
    /// @param asset ETH (zero address) or the ERC-20.
    /// @param id The deposit.
    function deposit(address asset, uint256 id) external view returns (Deposit memory);

    /// @notice What holders have claimed of a deposit (the whole amount once swept).
    /// @param asset ETH (zero address) or the ERC-20.
    /// @param id The deposit.
    function claimedOf(address asset, uint256 id) external view returns (uint256);

    /// @notice The first deposit of `asset` that `account` has not claimed.
    /// @param asset ETH (zero address) or the ERC-20.
    /// @param account The holder.
    function nextClaim(address asset, address account) external view returns (uint256);
}
