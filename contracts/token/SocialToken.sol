// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {AccessControlUpgradeable} from "@openzeppelin/contracts-upgradeable/access/AccessControlUpgradeable.sol";
import {ERC20Upgradeable} from "@openzeppelin/contracts-upgradeable/token/ERC20/ERC20Upgradeable.sol";
import {ERC20BurnableUpgradeable} from "@openzeppelin/contracts-upgradeable/token/ERC20/extensions/ERC20BurnableUpgradeable.sol";
import {ERC20CappedUpgradeable} from "@openzeppelin/contracts-upgradeable/token/ERC20/extensions/ERC20CappedUpgradeable.sol";
import {ERC20PermitUpgradeable} from "@openzeppelin/contracts-upgradeable/token/ERC20/extensions/ERC20PermitUpgradeable.sol";
import {ERC20VotesUpgradeable} from "@openzeppelin/contracts-upgradeable/token/ERC20/extensions/ERC20VotesUpgradeable.sol";
import {NoncesUpgradeable} from "@openzeppelin/contracts-upgradeable/utils/NoncesUpgradeable.sol";
import {Checkpoints} from "@openzeppelin/contracts/utils/structs/Checkpoints.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";
import {ISocialToken} from "../interfaces/ISocialToken.sol";

/**
 * @title SocialToken
 * @notice A creator community's token: ERC-20, ERC-2612 permit, ERC-5805 votes on the ERC-6372
 * timestamp clock, hard cap, burnable, minted only by holders of MINTER_ROLE.
 *
 * Departures from a plain OpenZeppelin ERC20Votes token:
 * - **Self-delegated by default.** A holder that never chose a delegate votes with its own
 *   tokens: `delegates(account)` is the account itself while it holds tokens, so a fan can vote
 *   with tokens they earned without a `delegate` transaction, and receiving tokens costs no
 *   delegation write at all. An account that never chose and holds nothing has no delegate (zero,
 *   as in OpenZeppelin). The `DelegateChanged` events replay exactly to `delegates()`: the receipt
 *   that makes such an account a holder emits `DelegateChanged(account, 0, account)`, the transfer
 *   or burn that empties it `DelegateChanged(account, account, 0)`; an explicit `delegate` emits
 *   `(account, previous delegates(), new delegates())`, and nothing when the delegate is unchanged
 *   (Issue 11 item 7). A holder who does not want voting power calls `delegate(address(0))`: that
 *   records an opt-out until they delegate again.
 * - **No EIP-712 storage.** The permit domain's name is the token name and its version is "1";
 *   both are derived rather than stored twice, which keeps clone initialisation cheap.
 * - **Clone-ready.** The implementation's initialisers are disabled in the constructor; each
 *   clone is initialised by the factory in the transaction that creates it.
 *
 * If you are overriding: `_update` is the single hook every balance change goes through; keep
 * calling `super._update` after any pre-checks so caps, votes and auto-delegation stay intact.
 */
contract SocialToken is
    ISocialToken,
    ERC20Upgradeable,
    ERC20BurnableUpgradeable,
    ERC20CappedUpgradeable,
    ERC20PermitUpgradeable,
    ERC20VotesUpgradeable,
    AccessControlUpgradeable
{
    /*//////////////////////////////////////////////////////////////
                                 ROLES
    //////////////////////////////////////////////////////////////*/

    /// @notice Role allowed to mint (the community's reward vault and crowdfund).
    bytes32 public constant MINTER_ROLE = keccak256("MINTER_ROLE");

    /// @notice Role of the community's RevenueShare: takes revenue snapshots. Granting it the first
    /// time (a DAO decision: it adds gas to every transfer) starts balance recording.
    bytes32 public constant REVENUE_ROLE = keccak256("REVENUE_ROLE");

    /*//////////////////////////////////////////////////////////////
                                STORAGE
    //////////////////////////////////////////////////////////////*/

    /// @dev Stored for an account that opted out of voting (delegated to the zero address).
    address private constant OPTED_OUT = address(type(uint160).max);

    /// @dev An account's latest balance record: before the block with timestamp `key`, the account
    /// held `value`. `prevKey` is the key of the record before it (or the start of recording) and
    /// `seen` the latest snapshot when it was written: together they tell whether a snapshot may
    /// still read this record when the next one replaces it.
    struct Pending {
        uint48 key;
        uint48 prevKey;
        uint48 seen;
        uint104 value;
    }

    /// @custom:storage-location erc7201:coterie.storage.SocialToken
    struct SocialTokenStorage {
        /// @dev Zero: never chose, so self-delegated; OPTED_OUT: no delegate; otherwise the delegate.
        /// Replaces VotesUpgradeable's own delegatee mapping, which stays unused.
        mapping(address account => address) delegation;
        /// @dev Revenue sharing: when recording started (0: off), the latest snapshot and the one before.
        uint48 revenueSince;
        uint48 lastSnapshot;
        uint48 prevSnapshot;
        mapping(address account => Pending) pending;
        /// @dev Older records kept because a snapshot may read them (key: block time of the change,
        /// value: the balance before that block).
        mapping(address account => Checkpoints.Trace208) history;
    }

    // keccak256(abi.encode(uint256(keccak256("coterie.storage.SocialToken")) - 1)) & ~bytes32(uint256(0xff))
    bytes32 private constant SOCIAL_TOKEN_STORAGE_LOCATION =
        0xb9419ab005ad6f6f437dcc70c785939603da70e6ffd5c59e4a4d80ae8b844300;

    /// @dev OpenZeppelin VotesUpgradeable's namespaced storage (ERC-7201 "openzeppelin.storage.Votes",
    /// same layout), read only for the latest total-supply checkpoint: the supply before a snapshot's
    /// block is almost always that one, found without the binary search of `getPastTotalSupply`.
    struct VotesSupplyStorage {
        mapping(address account => address) delegatee;
        mapping(address delegatee => Checkpoints.Trace208) delegateCheckpoints;
        Checkpoints.Trace208 totalCheckpoints;
    }

    bytes32 private constant VOTES_STORAGE_LOCATION =
        0xe8b26c30fad74198956032a3533d903385d56dd795af560196f9c78d4af40d00;

    function _getVotesSupplyStorage() private pure returns (VotesSupplyStorage storage $) {
        // ERC-7201 namespaced storage, as above.
        // solhint-disable-next-line no-inline-assembly
        assembly {
            $.slot := VOTES_STORAGE_LOCATION
        }
    }

    function _getSocialTokenStorage() private pure returns (SocialTokenStorage storage $) {
        // ERC-7201 namespaced storage: Solidity has no other way to point a storage reference at a slot.
        // solhint-disable-next-line no-inline-assembly
        assembly {
            $.slot := SOCIAL_TOKEN_STORAGE_LOCATION
        }
    }

    /*//////////////////////////////////////////////////////////////
                              CONSTRUCTION
    //////////////////////////////////////////////////////////////*/

    /// @custom:oz-upgrades-unsafe-allow constructor
    constructor() {
        _disableInitializers();
    }

    /// @inheritdoc ISocialToken
    /// @dev Requirements: called once, on a clone; `admin` non-zero; `initialAmount <= cap` (else
    /// OpenZeppelin's {ERC20ExceededCap}).
    /// Emits {RoleGranted} for the admin and the minter, {Transfer} and {DelegateChanged} for the
    /// creator allocation.
    function initialize(TokenConfig calldata config) external initializer {
        if (config.admin == address(0)) revert SocialTokenZeroAdmin();
        // An allocation above the cap reverts in `_mint` with OpenZeppelin's ERC20ExceededCap.
        __ERC20_init(config.name, config.symbol);
        __ERC20Capped_init(config.cap);
        // ERC20Permit/EIP712 initialisers are deliberately not called: the domain name and version
        // are derived in `_EIP712Name` and `_EIP712Version`, so nothing needs to be stored.
        _grantRole(DEFAULT_ADMIN_ROLE, config.admin);
        if (config.minter != address(0)) {
            _grantRole(MINTER_ROLE, config.minter);
        }
        if (config.initialAmount != 0) {
            _mint(config.initialHolder, config.initialAmount);
        }
    }

    /*//////////////////////////////////////////////////////////////
                                MINTING
    //////////////////////////////////////////////////////////////*/

    /// @inheritdoc ISocialToken
    /// @dev Requirements: caller has MINTER_ROLE; the new supply stays within the cap.
    /// Emits {Transfer}, and {DelegateChanged} (to itself) when `to` becomes a holder.
    function mint(address to, uint256 amount) external onlyRole(MINTER_ROLE) {
        _mint(to, amount);
    }

    /*//////////////////////////////////////////////////////////////
                              DELEGATION
    //////////////////////////////////////////////////////////////*/

    /// @inheritdoc ISocialToken
    function autoDelegationOptedOut(address account) external view returns (bool) {
        return _getSocialTokenStorage().delegation[account] == OPTED_OUT;
    }

    /// @notice The account `account` delegates its votes to: itself while it holds tokens, unless it
    /// chose otherwise.
    /// @param account The token holder (or any address).
    /// @return The delegate; the zero address if the account opted out, or never chose and holds
    /// nothing.
    function delegates(address account) public view virtual override returns (address) {
        // The zero address (the mint and burn side of every vote move) can never choose: answering
        // without reading its slots saves two cold storage reads on every mint and burn.
        if (account == address(0)) return address(0);
        return _resolve(account, _getSocialTokenStorage().delegation[account]);
    }

    /// @dev Records an explicit choice and moves the account's votes. Delegating to the zero
    /// address (or to the opt-out marker itself) opts out; delegating to anyone opts back in.
    /// {DelegateChanged} names the previous `delegates()` and is emitted only when it changes.
    /// Replaces VotesUpgradeable's `_delegate`, whose storage is unused here.
    function _delegate(address account, address delegatee) internal virtual override {
        SocialTokenStorage storage $ = _getSocialTokenStorage();
        address stored = $.delegation[account];
        address oldDelegate = _resolve(account, stored);
        address newStored = delegatee == address(0) ? OPTED_OUT : delegatee;
        address newDelegate = newStored == OPTED_OUT ? address(0) : delegatee;
        bool optOut = newStored == OPTED_OUT;
        if ((stored == OPTED_OUT) != optOut) emit AutoDelegationOptOutSet(account, optOut);
        $.delegation[account] = newStored;
        if (newDelegate != oldDelegate) {
            emit DelegateChanged(account, oldDelegate, newDelegate);
            // With no tokens (the only case where the default reads zero) there is nothing to move.
            _moveDelegateVotes(oldDelegate, newDelegate, _getVotingUnits(account));
        }
    }

    /// @dev Zero stored: never chose, so the account itself while it holds tokens, else nobody.
    function _resolve(address account, address stored) private view returns (address) {
        if (stored == address(0)) return balanceOf(account) == 0 ? address(0) : account;
        if (stored == OPTED_OUT) return address(0);
        return stored;
    }

    /*//////////////////////////////////////////////////////////////
                                 HOOKS
    //////////////////////////////////////////////////////////////*/

    /// @dev For an account that never chose a delegate, announces the default self-delegation on
    /// the receipt that makes it a holder and its end on the transfer or burn that empties it (no
    /// storage is written for either); records balances for revenue sharing once it is on; votes
    /// then follow `delegates()` in super._update.
    function _update(
        address from,
        address to,
        uint256 value
    ) internal virtual override(ERC20Upgradeable, ERC20CappedUpgradeable, ERC20VotesUpgradeable) {
        SocialTokenStorage storage $ = _getSocialTokenStorage();
        if (value != 0 && from != to) {
            if (to != address(0) && balanceOf(to) == 0 && $.delegation[to] == address(0)) {
                emit DelegateChanged(to, address(0), to);
            }
            if (from != address(0) && balanceOf(from) == value && $.delegation[from] == address(0)) {
                emit DelegateChanged(from, from, address(0));
            }
        }
        uint48 since = $.revenueSince;
        if (since != 0 && value != 0) {
            (uint48 last, uint48 prev) = ($.lastSnapshot, $.prevSnapshot);
            if (from != address(0)) _recordBalance($, from, since, last, prev);
            if (to != address(0) && to != from) _recordBalance($, to, since, last, prev);
        }
        super._update(from, to, value);
    }

    /// @dev Once this update emptied an account that never chose a delegate, `delegates(from)` reads
    /// zero, but the votes it moves still sit with the account itself: take them from there.
    function _transferVotingUnits(address from, address to, uint256 amount) internal virtual override {
        if (from != address(0) && balanceOf(from) == 0 && _getSocialTokenStorage().delegation[from] == address(0)) {
            _moveDelegateVotes(from, address(0), amount);
        }
        super._transferVotingUnits(from, to, amount);
    }

    /*//////////////////////////////////////////////////////////////
                            REVENUE SNAPSHOTS
    //////////////////////////////////////////////////////////////*/

    /// @dev Before `account`'s balance changes for the first time in this block, remembers what it
    /// held before the block. The record it replaces, covering the snapshots in (prevKey, key], is
    /// moved to the history only if one of them exists: one seen when it was written, or one taken
    /// later in its own block (the latest snapshot, or the one before it, at exactly `key`; with two
    /// or more snapshots since, it is kept to be safe). Steady state: one slot read and rewritten
    /// per account per block; a history slot once per account after each snapshot it lived through.
    function _recordBalance(
        SocialTokenStorage storage $,
        address account,
        uint48 since,
        uint48 last,
        uint48 prev
    ) private {
        Pending memory p = $.pending[account];
        uint48 now_ = clock();
        if (p.key == now_) return;
        uint48 prevKey = since;
        if (p.key != 0) {
            bool needed = p.seen > p.prevKey || (last >= p.key && (last == p.key || prev >= p.key));
            if (needed) Checkpoints.push($.history[account], p.key, p.value);
            prevKey = p.key;
        }
        $.pending[account] = Pending({
            key: now_,
            prevKey: prevKey,
            seen: last,
            value: SafeCast.toUint104(balanceOf(account))
        });
    }

    /// @inheritdoc ISocialToken
    /// @dev Emits {RevenueSnapshot} the first time in a block.
    function markRevenueSnapshot() external onlyRole(REVENUE_ROLE) returns (uint256 supplyBefore) {
        return _supplyBefore(_takeRevenueSnapshot(1));
    }

    /// @inheritdoc ISocialToken
    /// @dev Emits {RevenueSnapshot} when it takes one. The revenue share passes its rate limit here,
    /// so deposits cannot make snapshots (and the history records they cost every holder) faster.
    function takeRevenueSnapshot(
        uint256 minInterval
    ) external onlyRole(REVENUE_ROLE) returns (uint256 snapshot, uint256 supplyBefore) {
        uint48 taken = _takeRevenueSnapshot(minInterval);
        (snapshot, supplyBefore) = (taken, _supplyBefore(taken));
    }

    /// @dev Total supply before the block with timestamp `timepoint` (<= now): the latest checkpoint
    /// when it is older than that block, else `getPastTotalSupply`.
    function _supplyBefore(uint48 timepoint) private view returns (uint256) {
        (bool exists, uint48 key, uint208 value) = Checkpoints.latestCheckpoint(
            _getVotesSupplyStorage().totalCheckpoints
        );
        if (!exists || key < timepoint) return value;
        return getPastTotalSupply(timepoint - 1);
    }

    /// @dev The snapshot a deposit uses: a new one at this block unless the latest is less than
    /// `minInterval` old (or of this block).
    function _takeRevenueSnapshot(uint256 minInterval) private returns (uint48) {
        SocialTokenStorage storage $ = _getSocialTokenStorage();
        uint48 now_ = clock();
        uint48 since = $.revenueSince;
        if (since == 0 || now_ <= since) revert SocialTokenRevenueNotStarted(since);
        uint48 last = $.lastSnapshot;
        if (last == now_ || (last != 0 && now_ - last < minInterval)) return last;
        ($.prevSnapshot, $.lastSnapshot) = (last, now_);
        emit RevenueSnapshot(now_);
        return now_;
    }

    /// @inheritdoc ISocialToken
    function balanceBeforeSnapshot(address account, uint256 snapshot) external view returns (uint256) {
        SocialTokenStorage storage $ = _getSocialTokenStorage();
        Pending memory p = $.pending[account];
        if (p.key == 0) return balanceOf(account); // unchanged since recording started
        Checkpoints.Trace208 storage h = $.history[account];
        (bool exists, uint48 lastKey, ) = Checkpoints.latestCheckpoint(h);
        if (exists && lastKey >= snapshot) return Checkpoints.lowerLookup(h, SafeCast.toUint48(snapshot));
        if (p.key >= snapshot) return p.value;
        return balanceOf(account);
    }

    /// @inheritdoc ISocialToken
    function revenueRecordingSince() external view returns (uint256) {
        return _getSocialTokenStorage().revenueSince;
    }

    /// @inheritdoc ISocialToken
    function lastRevenueSnapshot() external view returns (uint256) {
        return _getSocialTokenStorage().lastSnapshot;
    }

    /// @dev The first grant of REVENUE_ROLE starts balance recording (for good).
    function _grantRole(bytes32 role, address account) internal virtual override returns (bool granted) {
        granted = super._grantRole(role, account);
        if (granted && role == REVENUE_ROLE) {
            SocialTokenStorage storage $ = _getSocialTokenStorage();
            if ($.revenueSince == 0) {
                $.revenueSince = clock();
                emit RevenueRecordingStarted(clock());
            }
        }
    }

    /// @inheritdoc ERC20PermitUpgradeable
    function nonces(
        address owner
    ) public view virtual override(ERC20PermitUpgradeable, NoncesUpgradeable) returns (uint256) {
        return super.nonces(owner);
    }

    /// @notice The voting clock: block timestamps (ERC-6372).
    function clock() public view virtual override returns (uint48) {
        return uint48(block.timestamp);
    }

    // Names fixed by ERC-6372 and by OpenZeppelin's EIP712 hooks, not ours to choose:
    // solhint-disable func-name-mixedcase

    /// @notice Machine-readable description of the clock (ERC-6372).
    function CLOCK_MODE() public pure virtual override returns (string memory) {
        return "mode=timestamp";
    }

    /// @dev The permit domain name is the token name.
    function _EIP712Name() internal view virtual override returns (string memory) {
        return name();
    }

    /// @dev The permit domain version is fixed to "1".
    function _EIP712Version() internal view virtual override returns (string memory) {
        return "1";
    }

    // solhint-enable func-name-mixedcase
}
