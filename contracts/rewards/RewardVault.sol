// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {EIP712} from "@openzeppelin/contracts/utils/cryptography/EIP712.sol";
import {ECDSA} from "@openzeppelin/contracts/utils/cryptography/ECDSA.sol";
import {SignatureChecker} from "@openzeppelin/contracts/utils/cryptography/SignatureChecker.sol";
import {MerkleProof} from "@openzeppelin/contracts/utils/cryptography/MerkleProof.sol";
import {CloneArgs} from "../utils/CloneArgs.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";
import {ERC20CappedUpgradeable} from "@openzeppelin/contracts-upgradeable/token/ERC20/extensions/ERC20CappedUpgradeable.sol";
import {IRewardVault} from "../interfaces/IRewardVault.sol";
import {ICommunityRewardVault} from "../interfaces/ICommunityRewardVault.sol";
import {ISocialToken} from "../interfaces/ISocialToken.sol";

/**
 * @title RewardVault
 * @notice A community's reward vault, cloned and initialised by the factory with the community and
 * holding MINTER_ROLE on its token. Fans earn tokens through EIP-712 vouchers signed by the attester
 * (anyone may submit them; tokens go to the signed recipient) and through Merkle campaigns opened by
 * the operator. A fan's first voucher naming a referrer records that referrer for good; each later
 * redemption credits the referrer `referralBps` of the amount, which the referrer mints with
 * {claimReferralRewards}. Everything the vault mints, credits or reserves is charged to the current
 * epoch's budget, so a leaked attester key can mint at most one epoch's budget before the DAO
 * rotates it; the token's cap still binds.
 *
 * Roles: the community Timelock administers (operator, attester, budget, referral rate, unpause);
 * the operator (the creator) sets the attester, opens campaigns and can pause.
 *
 * Storage is packed for the redemption path: the token and settings in one slot, the epoch's
 * budget, index and spending in another, the attester in a third; voucher ids in a bitmap.
 * The vault is an EIP-1167 clone; its implementation is locked in the constructor.
 */
contract RewardVault is IRewardVault, EIP712 {
    /*//////////////////////////////////////////////////////////////
                                CONSTANTS
    //////////////////////////////////////////////////////////////*/

    // The EIP-712 type string cannot be shorter, and keccak256 of a literal is computed at compile time:
    // solhint-disable gas-small-strings

    /// @notice The EIP-712 type hash of {IRewardVault-Voucher}.
    bytes32 public constant VOUCHER_TYPEHASH = keccak256(
        "Voucher(address recipient,uint256 amount,address referrer,uint256 id,uint256 deadline)"
    );

    // solhint-enable gas-small-strings

    uint256 private constant MAX_BPS = 10_000;
    uint32 private constant DEFAULT_EPOCH_LENGTH = 7 days;

    /*//////////////////////////////////////////////////////////////
                                 STORAGE
    //////////////////////////////////////////////////////////////*/

    /// @dev Read on every redemption: one slot. A non-zero attester marks the vault initialised.
    struct Config {
        address attester;
        uint16 referralBps;
        uint32 epochLength;
        uint40 origin;
        bool paused;
    }

    /// @dev The current epoch's accounting: one slot, reset lazily when a new epoch begins.
    struct Epoch {
        uint104 budget;
        uint48 index;
        uint104 spent;
    }

    Config private _config;
    Epoch private _epoch;
    address private _operator;

    mapping(uint256 word => uint256 bits) private _redeemed;
    mapping(address fan => address referrer) private _referrerOf;
    mapping(address referrer => ReferralStats) private _referralStats;

    Campaign[] private _campaigns;
    mapping(uint256 campaignId => mapping(uint256 word => uint256 bits)) private _campaignClaimed;

    /*//////////////////////////////////////////////////////////////
                               CONSTRUCTOR
    //////////////////////////////////////////////////////////////*/

    /// @dev Locks the implementation: a non-zero attester marks it initialised.
    constructor() EIP712("Coterie Rewards", "1") {
        _config.attester = address(0xdead);
    }

    /// @inheritdoc ICommunityRewardVault
    /// @dev `config` is empty or an ABI-encoded {IRewardVault-VaultConfig}. Emits
    /// {RewardVaultInitialized}, {OperatorSet}, {AttesterSet}, {EpochBudgetSet} and {ReferralBpsSet}.
    /// `token_` and `timelock_` must be the clone's immutable arguments.
    function initialize(address token_, address timelock_, address operator_, bytes calldata config) external {
        if (_config.attester != address(0)) revert RewardVaultAlreadyInitialized();
        (address argToken, address argTimelock) = _args();
        if (token_ != argToken || timelock_ != argTimelock) revert RewardVaultWrongClone();
        if (token_ == address(0) || timelock_ == address(0) || operator_ == address(0)) {
            revert RewardVaultZeroAddress();
        }
        VaultConfig memory c;
        if (config.length == 0) {
            c.epochLength = DEFAULT_EPOCH_LENGTH;
        } else {
            c = abi.decode(config, (VaultConfig));
        }
        if (c.attester == address(0)) c.attester = operator_;
        if (c.epochLength == 0) revert RewardVaultInvalidEpochLength();
        if (c.referralBps > MAX_BPS) revert RewardVaultInvalidReferralBps(c.referralBps);
        if (c.epochBudget > type(uint104).max) revert RewardVaultBudgetTooLarge(c.epochBudget);

        _config = Config({
            attester: c.attester,
            referralBps: c.referralBps,
            epochLength: c.epochLength,
            origin: uint40(block.timestamp),
            paused: false
        });
        _epoch = Epoch({budget: uint104(c.epochBudget), index: 0, spent: 0});
        _operator = operator_;

        emit RewardVaultInitialized(token_, timelock_, operator_);
        emit OperatorSet(address(0), operator_);
        emit AttesterSet(address(0), c.attester);
        emit EpochBudgetSet(0, c.epochBudget);
        emit ReferralBpsSet(0, c.referralBps);
    }

    /*//////////////////////////////////////////////////////////////
                                 VOUCHERS
    //////////////////////////////////////////////////////////////*/

    /// @inheritdoc IRewardVault
    /// @dev Emits {VoucherRedeemed}; {ReferrerRecorded} on a fan's first referred voucher;
    /// {ReferralBonusCredited} when the fan has a referrer and the rate is non-zero.
    function redeem(Voucher calldata voucher, bytes calldata signature) external {
        Config memory cfg = _config;
        if (cfg.paused) revert RewardVaultPaused();
        Epoch memory epoch = _currentEpoch(cfg);

        _redeem(cfg, epoch, voucher, signature);

        _epoch = epoch;
        _mintChecked(_token(), voucher.recipient, voucher.amount);
    }

    /// @inheritdoc IRewardVault
    /// @dev All vouchers are checked and recorded before any token is minted.
    function redeemBatch(Voucher[] calldata vouchers, bytes[] calldata signatures) external {
        uint256 n = vouchers.length;
        if (n == 0 || n != signatures.length) revert RewardVaultBatchLengthMismatch(n, signatures.length);
        Config memory cfg = _config;
        if (cfg.paused) revert RewardVaultPaused();
        Epoch memory epoch = _currentEpoch(cfg);

        for (uint256 i; i < n; ++i) {
            _redeem(cfg, epoch, vouchers[i], signatures[i]);
        }
        _epoch = epoch;

        address token_ = _token();
        for (uint256 i; i < n; ++i) {
            _mintChecked(token_, vouchers[i].recipient, vouchers[i].amount);
        }
    }

    /// @dev Checks one voucher and records its effects (id, referral, budget in `epoch`, written
    /// back by the caller). Mints nothing.
    function _redeem(Config memory cfg, Epoch memory epoch, Voucher calldata v, bytes calldata signature) private {
        uint256 id = v.id;
        if (block.timestamp > v.deadline) revert RewardVaultVoucherExpired(id, v.deadline);
        if (v.recipient == address(0) || v.amount == 0) revert RewardVaultInvalidVoucher(id);

        uint256 word = id >> 8;
        uint256 bit = 1 << (id & 0xff);
        uint256 bits = _redeemed[word];
        if (bits & bit != 0) revert RewardVaultVoucherAlreadyRedeemed(id);

        bytes32 digest = _voucherDigest(v);
        if (!_isAttesterSignature(cfg.attester, digest, signature)) revert RewardVaultBadSignature(id);

        _redeemed[word] = bits | bit;

        uint256 charge = v.amount;
        address fan = v.recipient;
        // Without a referral rate and without a named referrer nothing is recorded or credited:
        // skip the lookup.
        address referrer;
        if (cfg.referralBps != 0 || v.referrer != address(0)) referrer = _referrerOf[fan];
        if (referrer == address(0) && v.referrer != address(0) && v.referrer != fan) {
            referrer = v.referrer;
            _referrerOf[fan] = referrer;
            ++_referralStats[referrer].referredFans;
            emit ReferrerRecorded(fan, referrer);
        }
        uint256 bonus;
        if (referrer != address(0) && cfg.referralBps != 0) {
            // mulDiv: no overflow in amount * bps; a sum beyond 2^256 saturates, and either way
            // such a charge is refused by _spend below (budgets are under 2^104).
            bonus = Math.mulDiv(charge, cfg.referralBps, MAX_BPS);
            unchecked {
                charge = charge + bonus < charge ? type(uint256).max : charge + bonus;
            }
        }
        _spend(epoch, charge);
        if (bonus != 0) {
            ReferralStats storage s = _referralStats[referrer];
            // Both fit: the bonus passed _spend, so it is below 2^104.
            s.earned += uint112(bonus);
            s.unclaimed += uint112(bonus);
            emit ReferralBonusCredited(referrer, fan, bonus);
        }
        emit VoucherRedeemed(id, fan, v.amount);
    }

    function _voucherDigest(Voucher calldata v) private view returns (bytes32) {
        return
            _hashTypedDataV4(
                keccak256(abi.encode(VOUCHER_TYPEHASH, v.recipient, v.amount, v.referrer, v.id, v.deadline))
            );
    }

    /// @dev An ECDSA signature by the attester (low-s only, via OpenZeppelin's ECDSA), or, when the
    /// attester is a contract, whatever its ERC-1271 `isValidSignature` accepts.
    function _isAttesterSignature(
        address attester_,
        bytes32 digest,
        bytes calldata signature
    ) private view returns (bool) {
        (address recovered, ECDSA.RecoverError err, ) = ECDSA.tryRecoverCalldata(digest, signature);
        if (err == ECDSA.RecoverError.NoError && recovered == attester_) return true;
        return attester_.code.length != 0 && SignatureChecker.isValidERC1271SignatureNow(attester_, digest, signature);
    }

    /*//////////////////////////////////////////////////////////////
                                REFERRALS
    //////////////////////////////////////////////////////////////*/

    /// @inheritdoc IRewardVault
    /// @dev The bonuses were charged to the budget when credited, so minting them charges nothing.
    /// Emits {ReferralRewardsClaimed}.
    function claimReferralRewards(address to) external {
        _claimReferral(msg.sender, to);
    }

    /// @inheritdoc IRewardVault
    /// @dev Same as the referrer calling `claimReferralRewards(referrer)`. Emits {ReferralRewardsClaimed}.
    function claimReferralRewardsFor(address referrer) external {
        _claimReferral(referrer, referrer);
    }

    function _claimReferral(address referrer, address to) private {
        Config memory cfg = _config;
        if (cfg.paused) revert RewardVaultPaused();
        if (to == address(0)) revert RewardVaultZeroAddress();
        ReferralStats storage s = _referralStats[referrer];
        uint256 amount = s.unclaimed;
        if (amount == 0) revert RewardVaultNothingToClaim(referrer);
        s.unclaimed = 0;
        emit ReferralRewardsClaimed(referrer, to, amount);
        _mintChecked(_token(), to, amount);
    }

    /*//////////////////////////////////////////////////////////////
                                CAMPAIGNS
    //////////////////////////////////////////////////////////////*/

    /// @inheritdoc IRewardVault
    /// @dev Requirements: operator or Timelock; non-zero root and total; `end` in the future.
    /// Emits {CampaignOpened}.
    function openCampaign(bytes32 root, uint256 total, uint256 end) external returns (uint256 campaignId) {
        _onlyOperator();
        if (root == bytes32(0) || total == 0 || end <= block.timestamp || end > type(uint48).max) {
            revert CampaignInvalid();
        }
        Config memory cfg = _config;
        Epoch memory epoch = _currentEpoch(cfg);
        _spend(epoch, total);
        _epoch = epoch;

        campaignId = _campaigns.length;
        _campaigns.push(
            Campaign({
                root: root,
                reserved: uint104(total), // <= budget < 2^104, checked by _spend
                claimed: 0,
                end: uint48(end),
                epoch: epoch.index,
                closed: false
            })
        );
        emit CampaignOpened(campaignId, root, total, end);
    }

    /// @inheritdoc IRewardVault
    /// @dev The leaf is OpenZeppelin StandardMerkleTree's: keccak256(keccak256(abi.encode(index, account, amount))).
    /// Claims are charged to the reservation made on opening, not to the current epoch.
    /// Emits {CampaignClaimed}.
    function claimCampaign(
        uint256 campaignId,
        uint256 index,
        address account,
        uint256 amount,
        bytes32[] calldata proof
    ) external {
        Config memory cfg = _config;
        if (cfg.paused) revert RewardVaultPaused();
        _useLeaf(campaignId, index, keccak256(bytes.concat(keccak256(abi.encode(index, account, amount)))), proof);
        _chargeCampaign(campaignId, amount);
        emit CampaignClaimed(campaignId, index, account, amount);
        _mintChecked(_token(), account, amount);
    }

    /// @dev Checks the campaign is running and the leaf proven and unclaimed; marks it claimed.
    function _useLeaf(uint256 campaignId, uint256 index, bytes32 leaf, bytes32[] calldata proof) private {
        Campaign storage c = _campaign(campaignId);
        uint256 end = c.end;
        if (block.timestamp > end) revert CampaignEnded(campaignId, end);
        mapping(uint256 => uint256) storage claimedBits = _campaignClaimed[campaignId];
        uint256 word = index >> 8;
        uint256 bit = 1 << (index & 0xff);
        uint256 bits = claimedBits[word];
        if (bits & bit != 0) revert CampaignAlreadyClaimed(campaignId, index);
        if (!MerkleProof.verifyCalldata(proof, c.root, leaf)) revert CampaignInvalidProof(campaignId, index);
        claimedBits[word] = bits | bit;
    }

    /// @dev Charges a claim to the campaign's reservation; a tree summing above it cannot overdraw.
    function _chargeCampaign(uint256 campaignId, uint256 amount) private {
        Campaign storage c = _campaigns[campaignId];
        uint256 claimed = c.claimed + amount;
        if (claimed > c.reserved) revert CampaignTotalExceeded(campaignId);
        c.claimed = uint104(claimed);
    }

    /// @inheritdoc IRewardVault
    /// @dev Requirements: the campaign ended and is open. If its opening epoch is still current, the
    /// unclaimed part returns to that epoch's budget; otherwise that epoch is over and the
    /// reservation simply lapses (a new epoch has its own budget). Emits {CampaignClosed}.
    function closeCampaign(uint256 campaignId) external {
        Campaign storage c = _campaign(campaignId);
        if (block.timestamp <= c.end) revert CampaignNotEnded(campaignId, c.end);
        if (c.closed) revert CampaignAlreadyClosed(campaignId);
        c.closed = true;

        uint256 unclaimed = uint256(c.reserved) - c.claimed;
        uint256 returned;
        Epoch memory epoch = _currentEpoch(_config);
        if (epoch.index == c.epoch && unclaimed != 0) {
            returned = unclaimed;
            epoch.spent -= uint104(unclaimed);
            _epoch = epoch;
        }
        emit CampaignClosed(campaignId, unclaimed, returned);
    }

    function _campaign(uint256 campaignId) private view returns (Campaign storage) {
        if (campaignId >= _campaigns.length) revert CampaignUnknown(campaignId);
        return _campaigns[campaignId];
    }

    /*//////////////////////////////////////////////////////////////
                                  BUDGET
    //////////////////////////////////////////////////////////////*/

    /// @dev The stored epoch, rolled over (spending reset) when a later epoch has begun.
    function _currentEpoch(Config memory cfg) private view returns (Epoch memory epoch) {
        epoch = _epoch;
        uint48 index = uint48((block.timestamp - cfg.origin) / cfg.epochLength);
        if (index != epoch.index) {
            epoch.index = index;
            epoch.spent = 0;
        }
    }

    /// @dev Charges `amount` to `epoch` (in memory; the caller writes it back).
    function _spend(Epoch memory epoch, uint256 amount) private pure {
        uint256 available = epoch.budget > epoch.spent ? epoch.budget - epoch.spent : 0;
        if (amount > available) revert RewardVaultOverBudget(amount, available);
        epoch.spent += uint104(amount);
    }

    /// @dev Mints through the token, reporting the token's cap error as the vault's own.
    function _mintChecked(address token_, address to, uint256 amount) private {
        // Nothing to do on success; the try exists for the catch.
        // solhint-disable-next-line no-empty-blocks
        try ISocialToken(token_).mint(to, amount) {} catch (bytes memory reason) {
            _rethrow(reason);
        }
    }

    /// @dev Re-raises `reason`, translating the token's cap error. Assembly reads the error's two
    /// words in place and re-raises any other reason unchanged (Solidity can do neither).
    function _rethrow(bytes memory reason) private pure {
        if (reason.length == 68 && bytes4(reason) == ERC20CappedUpgradeable.ERC20ExceededCap.selector) {
            uint256 increasedSupply;
            uint256 cap;
            // solhint-disable-next-line no-inline-assembly
            assembly ("memory-safe") {
                increasedSupply := mload(add(reason, 0x24))
                cap := mload(add(reason, 0x44))
            }
            revert RewardVaultCapReached(increasedSupply, cap);
        }
        // solhint-disable-next-line no-inline-assembly
        assembly ("memory-safe") {
            revert(add(reason, 0x20), mload(reason))
        }
    }

    /*//////////////////////////////////////////////////////////////
                              ADMINISTRATION
    //////////////////////////////////////////////////////////////*/

    /// @inheritdoc IRewardVault
    /// @dev Emits {AttesterSet}.
    function setAttester(address newAttester) external {
        _onlyOperator();
        if (newAttester == address(0)) revert RewardVaultZeroAddress();
        emit AttesterSet(_config.attester, newAttester);
        _config.attester = newAttester;
    }

    /// @inheritdoc IRewardVault
    /// @dev Emits {OperatorSet}.
    function setOperator(address newOperator) external {
        _onlyAdmin();
        if (newOperator == address(0)) revert RewardVaultZeroAddress();
        emit OperatorSet(_operator, newOperator);
        _operator = newOperator;
    }

    /// @inheritdoc IRewardVault
    /// @dev Spending already recorded this epoch stays recorded: lowering the budget below it
    /// stops further minting until the next epoch. Emits {EpochBudgetSet}.
    function setEpochBudget(uint256 newBudget) external {
        _onlyAdmin();
        if (newBudget > type(uint104).max) revert RewardVaultBudgetTooLarge(newBudget);
        Epoch memory epoch = _currentEpoch(_config);
        emit EpochBudgetSet(epoch.budget, newBudget);
        epoch.budget = uint104(newBudget);
        _epoch = epoch;
    }

    /// @inheritdoc IRewardVault
    /// @dev Emits {ReferralBpsSet}.
    function setReferralBps(uint256 newBps) external {
        _onlyAdmin();
        if (newBps > MAX_BPS) revert RewardVaultInvalidReferralBps(newBps);
        emit ReferralBpsSet(_config.referralBps, newBps);
        _config.referralBps = uint16(newBps);
    }

    /// @inheritdoc IRewardVault
    /// @dev Emits {PausedSet}.
    function pause() external {
        _onlyOperator();
        _config.paused = true;
        emit PausedSet(true, msg.sender);
    }

    /// @inheritdoc IRewardVault
    /// @dev Emits {PausedSet}.
    function unpause() external {
        _onlyAdmin();
        _config.paused = false;
        emit PausedSet(false, msg.sender);
    }

    function _onlyAdmin() private view {
        if (msg.sender != _timelock()) revert RewardVaultNotAdmin(msg.sender);
    }

    function _onlyOperator() private view {
        if (msg.sender != _operator && msg.sender != _timelock()) revert RewardVaultNotOperator(msg.sender);
    }

    /// @dev The clone's immutable arguments: `abi.encodePacked(token, timelock)`.
    function _args() private view returns (address token_, address timelock_) {
        (token_, timelock_) = (CloneArgs.addressAt(0), CloneArgs.addressAt(1));
    }

    function _token() private view returns (address) {
        return CloneArgs.addressAt(0);
    }

    function _timelock() private view returns (address) {
        return CloneArgs.addressAt(1);
    }

    /*//////////////////////////////////////////////////////////////
                                  VIEWS
    //////////////////////////////////////////////////////////////*/

    /// @inheritdoc IRewardVault
    function token() external view returns (address) {
        return _token();
    }

    /// @inheritdoc IRewardVault
    function timelock() external view returns (address) {
        return _timelock();
    }

    /// @inheritdoc IRewardVault
    function operator() external view returns (address) {
        return _operator;
    }

    /// @inheritdoc IRewardVault
    function attester() external view returns (address) {
        return _config.attester;
    }

    /// @inheritdoc IRewardVault
    function paused() external view returns (bool) {
        return _config.paused;
    }

    /// @inheritdoc IRewardVault
    function referralBps() external view returns (uint256) {
        return _config.referralBps;
    }

    /// @inheritdoc IRewardVault
    function epochBudget() external view returns (uint256) {
        return _epoch.budget;
    }

    /// @inheritdoc IRewardVault
    function epochLength() external view returns (uint256) {
        return _config.epochLength;
    }

    /// @inheritdoc IRewardVault
    function currentEpoch() external view returns (uint256) {
        return _currentEpoch(_config).index;
    }

    /// @inheritdoc IRewardVault
    function epochEndsAt() external view returns (uint256) {
        Config memory cfg = _config;
        return uint256(cfg.origin) + (uint256(_currentEpoch(cfg).index) + 1) * cfg.epochLength;
    }

    /// @inheritdoc IRewardVault
    function epochSpent() external view returns (uint256) {
        return _currentEpoch(_config).spent;
    }

    /// @inheritdoc IRewardVault
    function remainingBudget() external view returns (uint256) {
        Epoch memory epoch = _currentEpoch(_config);
        return epoch.spent >= epoch.budget ? 0 : epoch.budget - epoch.spent;
    }

    /// @inheritdoc IRewardVault
    function isRedeemed(uint256 id) external view returns (bool) {
        return _redeemed[id >> 8] & (1 << (id & 0xff)) != 0;
    }

    /// @inheritdoc IRewardVault
    function referrerOf(address fan) external view returns (address) {
        return _referrerOf[fan];
    }

    /// @inheritdoc IRewardVault
    function referralStats(address referrer) external view returns (ReferralStats memory) {
        return _referralStats[referrer];
    }

    /// @inheritdoc IRewardVault
    function voucherDigest(Voucher calldata voucher) external view returns (bytes32) {
        return _voucherDigest(voucher);
    }

    /// @inheritdoc IRewardVault
    function campaignCount() external view returns (uint256) {
        return _campaigns.length;
    }

    /// @inheritdoc IRewardVault
    function campaign(uint256 campaignId) external view returns (Campaign memory) {
        return _campaign(campaignId);
    }

    /// @inheritdoc IRewardVault
    function isCampaignClaimed(uint256 campaignId, uint256 index) external view returns (bool) {
        return _campaignClaimed[campaignId][index >> 8] & (1 << (index & 0xff)) != 0;
    }
}
