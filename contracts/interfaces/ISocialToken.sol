// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/// @title ISocialToken
/// @notice Errors, events and set-up entry point of a community's social token.
/// @dev The token is an ERC-20 with ERC-2612 permit, ERC-5805 votes on the ERC-6372 timestamp clock,
/// a hard cap and burning. It is deployed as an EIP-1167 clone and initialised in the same transaction.
interface ISocialToken {
    /// @notice The set-up of a new token.
    /// @param name ERC-20 name (also the EIP-712 domain name for permits).
    /// @param symbol ERC-20 symbol.
    /// @param cap Hard cap on the total supply, in the token's smallest unit.
    /// @param admin Holder of DEFAULT_ADMIN_ROLE: the community's Timelock.
    /// @param minter Initial holder of MINTER_ROLE (the reward vault), or the zero address for none.
    /// @param initialHolder Receiver of the creator allocation.
    /// @param initialAmount Creator allocation, minted at initialisation.
    struct TokenConfig {
        string name;
        string symbol;
        uint256 cap;
        address admin;
        address minter;
        address initialHolder;
        uint256 initialAmount;
    }

    /// @notice The admin passed at initialisation is the zero address.
    error SocialTokenZeroAdmin();

    /// @notice Revenue snapshots need recording to have started in an earlier block (the DAO
    /// starts it by granting REVENUE_ROLE).
    error SocialTokenRevenueNotStarted(uint256 since);

    /// @notice Balance recording for revenue sharing started (REVENUE_ROLE was first granted).
    /// @param since The timestamp from which balances are recorded; snapshots must be later.
    event RevenueRecordingStarted(uint256 since);

    /// @notice A revenue snapshot was taken: balances as they stood before this block count.
    /// @param timepoint The snapshot: the block timestamp; balances before this block count.
    event RevenueSnapshot(uint256 timepoint);

    /// @notice A holder turned automatic self-delegation on or off.
    /// @param account The holder.
    /// @param optedOut True when the holder no longer wants to be self-delegated on receipt.
    event AutoDelegationOptOutSet(address indexed account, bool optedOut);

    /// @notice Initialises a freshly cloned token. Callable once; disabled on the implementation.
    /// @param config See {TokenConfig}.
    function initialize(TokenConfig calldata config) external;

    /// @notice Mints `amount` tokens to `to`. Only MINTER_ROLE; the cap binds.
    /// @param to Receiver; votes with the tokens unless it delegated elsewhere or opted out.
    /// @param amount Amount in the token's smallest unit.
    function mint(address to, uint256 amount) external;

    /// @notice True when `account` explicitly delegated to the zero address, so it is not
    /// self-delegated by default.
    /// @param account The holder.
    function autoDelegationOptedOut(address account) external view returns (bool);

    /// @notice Takes a revenue snapshot at this block (REVENUE_ROLE only; once per block).
    /// @dev Requires recording to have started in an earlier block.
    /// @return supplyBefore The total supply as it stood before this block.
    function markRevenueSnapshot() external returns (uint256 supplyBefore);

    /// @notice Takes a revenue snapshot at this block unless the latest one is less than
    /// `minInterval` seconds old; then returns that one (REVENUE_ROLE only).
    /// @param minInterval The least time between two snapshots (1: once per block, as {markRevenueSnapshot}).
    /// @return snapshot The snapshot's timestamp (this block's, or the latest one's).
    /// @return supplyBefore Total supply as it stood before the snapshot's block.
    function takeRevenueSnapshot(uint256 minInterval) external returns (uint256 snapshot, uint256 supplyBefore);

    /// @notice `account`'s balance as it stood before the block with timestamp `snapshot`, for a
    /// snapshot taken with {markRevenueSnapshot}.
    /// @param account The holder.
    /// @param snapshot A timestamp at which a revenue snapshot was taken.
    function balanceBeforeSnapshot(address account, uint256 snapshot) external view returns (uint256);

    /// @notice When balance recording started (0: not started).
    function revenueRecordingSince() external view returns (uint256);

    /// @notice The latest revenue snapshot (0: none).
    function lastRevenueSnapshot() external view returns (uint256);
}
