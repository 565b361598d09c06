// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {ICommunityRewardVault} from "./ICommunityRewardVault.sol";

/// @title IRewardVault
/// @notice A community's reward vault: fans earn community tokens through vouchers signed by the
/// community's attester (EIP-712) and through Merkle campaigns opened by the creator. Every amount
/// the vault mints or reserves counts against a per-epoch budget. See docs/rewards.md.
interface IRewardVault is ICommunityRewardVault {
    /*//////////////////////////////////////////////////////////////
                                  TYPES
    //////////////////////////////////////////////////////////////*/

    /// @notice A signed promise of `amount` tokens to `recipient`. EIP-712 type
    /// `Voucher(address recipient,uint256 amount,address referrer,uint256 id,uint256 deadline)`,
    /// domain `Coterie Rewards`, version `1`, the chain id and the vault's address.
    struct Voucher {
        address recipient;
        uint256 amount;
        address referrer;
        uint256 id;
        uint256 deadline;
    }

    /// @notice The settings a creator chooses at launch, ABI-encoded as the factory's `rewardVaultConfig`.
    /// An empty `rewardVaultConfig` means: the creator is the attester, a zero budget (nothing can be
    /// minted until the DAO sets one), weekly epochs and no referral bonus.
    /// @param attester Signs vouchers: an EOA or an ERC-1271 contract wallet; zero means the creator.
    /// @param epochBudget Tokens (in wei units) the vault may mint or reserve per epoch; < 2^104.
    /// @param epochLength Seconds per epoch (epochs start at the vault's creation); non-zero.
    /// @param referralBps Bonus paid to a fan's referrer, in basis points of each redemption; <= 10,000.
    // Passed in calldata or ABI-encoded, never stored: each member takes a full word whatever its
    // order, and the order is part of the public ABI.
    // solhint-disable-next-line gas-struct-packing
    struct VaultConfig {
        address attester;
        uint256 epochBudget;
        uint32 epochLength;
        uint16 referralBps;
    }

    /// @notice A Merkle campaign. `reserved` was charged to the budget of epoch `epoch` on opening.
    struct Campaign {
        bytes32 root;
        uint104 reserved;
        uint104 claimed;
        uint48 end;
        uint48 epoch;
        bool closed;
    }

    /// @notice What a referrer has earned. `earned` counts every bonus credited; `unclaimed` is
    /// the part not yet minted to the referrer by {claimReferralRewards}.
    struct ReferralStats {
        uint32 referredFans;
        uint112 earned;
        uint112 unclaimed;
    }

    /*//////////////////////////////////////////////////////////////
                                  EVENTS
    //////////////////////////////////////////////////////////////*/

    /// @notice The vault was set up for `token`, administered by `timelock` and operated by `operator`.
    /// @param token The community token the vault mints.
    /// @param timelock The community Timelock, the vault's admin.
    /// @param operator The account that opens and closes campaigns.
    event RewardVaultInitialized(address indexed token, address indexed timelock, address indexed operator);
    /// @notice Voucher `id` paid `amount` to `recipient` (whoever submitted it).
    /// @param id The voucher id.
    /// @param recipient The account paid.
    /// @param amount Tokens minted to `recipient`.
    event VoucherRedeemed(uint256 indexed id, address indexed recipient, uint256 amount);
    /// @notice `fan`'s first voucher naming a referrer recorded `referrer` for good.
    /// @param fan The referred fan.
    /// @param referrer The referrer recorded for `fan`.
    event ReferrerRecorded(address indexed fan, address indexed referrer);
    /// @notice `referrer` was credited `bonus` for a redemption of `fan`'s.
    /// @param referrer The fan's recorded referrer.
    /// @param fan The fan whose redemption earned the bonus.
    /// @param bonus Tokens credited to `referrer`.
    event ReferralBonusCredited(address indexed referrer, address indexed fan, uint256 bonus);
    /// @notice `referrer` minted `amount` of its credited bonuses to `to`.
    /// @param referrer The referrer whose credit was minted.
    /// @param to The account paid.
    /// @param amount Tokens minted.
    event ReferralRewardsClaimed(address indexed referrer, address indexed to, uint256 amount);
    /// @notice Campaign `campaignId` opened with `root`, reserving `total` until `end`.
    /// @param campaignId The campaign.
    /// @param root The Merkle root of its (index, account, amount) leaves.
    /// @param total Tokens reserved for it.
    /// @param end Timestamp after which it can be closed and no longer claimed.
    event CampaignOpened(uint256 indexed campaignId, bytes32 root, uint256 total, uint256 end);
    /// @notice Leaf `index` of campaign `campaignId` paid `amount` to `account`.
    /// @param campaignId The campaign.
    /// @param index The leaf index.
    /// @param account The account paid.
    /// @param amount Tokens minted.
    event CampaignClaimed(uint256 indexed campaignId, uint256 indexed index, address indexed account, uint256 amount);
    /// @notice Campaign `campaignId` ended with `unclaimed` tokens never minted; `returnedToBudget`
    /// of them went back to the current epoch's budget (zero once the opening epoch is over).
    /// @param campaignId The campaign.
    /// @param unclaimed Reserved tokens never minted.
    /// @param returnedToBudget The part of `unclaimed` returned to the current epoch's budget.
    event CampaignClosed(uint256 indexed campaignId, uint256 unclaimed, uint256 returnedToBudget);
    /// @notice The attester changed.
    /// @param previous The former attester.
    /// @param current The new attester.
    event AttesterSet(address indexed previous, address indexed current);
    /// @notice The operator changed.
    /// @param previous The former operator.
    /// @param current The new operator.
    event OperatorSet(address indexed previous, address indexed current);
    /// @notice The per-epoch budget changed.
    /// @param previous The former budget per epoch.
    /// @param current The new budget per epoch.
    event EpochBudgetSet(uint256 previous, uint256 current);
    /// @notice The referral rate changed.
    /// @param previous The former rate, in basis points.
    /// @param current The new rate, in basis points.
    event ReferralBpsSet(uint256 previous, uint256 current);
    /// @notice Redemptions and claims were paused (`true`) or resumed (`false`) by `by`.
    /// @param paused True when paused.
    /// @param by The caller: the operator or the Timelock.
    event PausedSet(bool paused, address indexed by);

    /*//////////////////////////////////////////////////////////////
                                  ERRORS
    //////////////////////////////////////////////////////////////*/

    /// @notice The vault is already initialised (or is the implementation).
    error RewardVaultAlreadyInitialized();
    /// @notice The initialiser's token or Timelock differs from the clone's immutable arguments.
    error RewardVaultWrongClone();
    /// @notice A required address is zero.
    error RewardVaultZeroAddress();
    /// @notice The epoch length is zero.
    error RewardVaultInvalidEpochLength();
    /// @notice The referral rate exceeds 10,000 basis points.
    error RewardVaultInvalidReferralBps(uint256 bps);
    /// @notice The budget does not fit in 104 bits.
    error RewardVaultBudgetTooLarge(uint256 budget);
    /// @notice The caller is not the community Timelock.
    error RewardVaultNotAdmin(address caller);
    /// @notice The caller is neither the operator nor the community Timelock.
    error RewardVaultNotOperator(address caller);
    /// @notice Redemptions and claims are paused.
    error RewardVaultPaused();
    /// @notice The voucher's deadline has passed.
    error RewardVaultVoucherExpired(uint256 id, uint256 deadline);
    /// @notice The voucher id was redeemed before.
    error RewardVaultVoucherAlreadyRedeemed(uint256 id);
    /// @notice The signature is not the attester's over this voucher, chain and vault.
    error RewardVaultBadSignature(uint256 id);
    /// @notice The voucher pays nobody or nothing.
    error RewardVaultInvalidVoucher(uint256 id);
    /// @notice Minting `requested` would exceed the epoch's remaining budget `available`.
    error RewardVaultOverBudget(uint256 requested, uint256 available);
    /// @notice Minting would exceed the token's cap.
    error RewardVaultCapReached(uint256 requestedSupply, uint256 cap);
    /// @notice Batch arrays differ in length or are empty.
    error RewardVaultBatchLengthMismatch(uint256 vouchers, uint256 signatures);
    /// @notice The referrer has nothing to claim.
    error RewardVaultNothingToClaim(address referrer);
    /// @notice No campaign has this id.
    error CampaignUnknown(uint256 campaignId);
    /// @notice The campaign root, total or end is invalid.
    error CampaignInvalid();
    /// @notice The campaign has ended; no more claims.
    error CampaignEnded(uint256 campaignId, uint256 end);
    /// @notice The campaign has not ended yet, so it cannot be closed.
    error CampaignNotEnded(uint256 campaignId, uint256 end);
    /// @notice The campaign was closed already.
    error CampaignAlreadyClosed(uint256 campaignId);
    /// @notice This leaf of the campaign was claimed before.
    error CampaignAlreadyClaimed(uint256 campaignId, uint256 index);
    /// @notice The proof does not lead to the campaign's root.
    error CampaignInvalidProof(uint256 campaignId, uint256 index);
    /// @notice The claims would exceed the campaign's reserved total (a malformed tree).
    error CampaignTotalExceeded(uint256 campaignId);

    /*//////////////////////////////////////////////////////////////
                                 ACTIONS
    //////////////////////////////////////////////////////////////*/

    /// @notice Redeems one voucher; anyone may submit it, tokens go to `voucher.recipient`.
    /// @param voucher The signed voucher.
    /// @param signature The attester's signature (65-byte ECDSA, or anything its ERC-1271 wallet accepts).
    function redeem(Voucher calldata voucher, bytes calldata signature) external;

    /// @notice Redeems several vouchers atomically: if any fails, none is redeemed.
    /// @param vouchers The signed vouchers.
    /// @param signatures One signature per voucher, in the same order.
    function redeemBatch(Voucher[] calldata vouchers, bytes[] calldata signatures) external;

    /// @notice Mints the caller's credited referral bonuses to `to`.
    /// @param to Receiver of the tokens.
    function claimReferralRewards(address to) external;

    /// @notice Mints `referrer`'s credited referral bonuses to `referrer` itself. Anyone may submit it
    /// (a relayer pays the gas); the tokens can only go to the referrer.
    /// @param referrer The referrer whose bonuses are minted.
    function claimReferralRewardsFor(address referrer) external;

    /// @notice Opens a Merkle campaign (operator or Timelock). Reserves `total` from this epoch's budget.
    /// @param root Root of an OpenZeppelin StandardMerkleTree over `(uint256 index, address account, uint256 amount)`.
    /// @param total Sum of the tree's amounts.
    /// @param end Timestamp after which claims stop and the campaign may be closed.
    /// @return campaignId The new campaign's id.
    function openCampaign(bytes32 root, uint256 total, uint256 end) external returns (uint256 campaignId);

    /// @notice Claims leaf `index` of a campaign; anyone may submit it, tokens go to `account`.
    /// @param campaignId The campaign.
    /// @param index The leaf's index field.
    /// @param account The leaf's account.
    /// @param amount The leaf's amount.
    /// @param proof The Merkle proof of the leaf.
    function claimCampaign(
        uint256 campaignId,
        uint256 index,
        address account,
        uint256 amount,
        bytes32[] calldata proof
    ) external;

    /// @notice Closes an ended campaign (anyone), releasing what was never claimed.
    /// @param campaignId The campaign.
    function closeCampaign(uint256 campaignId) external;

    /// @notice Sets the attester (operator or Timelock).
    /// @param newAttester The new signer of vouchers.
    function setAttester(address newAttester) external;

    /// @notice Replaces the operator (Timelock).
    /// @param newOperator The new operator.
    function setOperator(address newOperator) external;

    /// @notice Sets the per-epoch budget (Timelock). Takes effect in the current epoch.
    /// @param newBudget Tokens per epoch, in wei units.
    function setEpochBudget(uint256 newBudget) external;

    /// @notice Sets the referral rate (Timelock).
    /// @param newBps Basis points of each redemption paid to the fan's referrer.
    function setReferralBps(uint256 newBps) external;

    /// @notice Pauses redemptions, campaign claims and referral claims (operator or Timelock).
    function pause() external;

    /// @notice Resumes them (Timelock only, so a creator cannot undo the DAO's emergency stop).
    function unpause() external;

    /*//////////////////////////////////////////////////////////////
                                  VIEWS
    //////////////////////////////////////////////////////////////*/

    /// @notice The community token.
    function token() external view returns (address);

    /// @notice The community Timelock, the vault's administrator.
    function timelock() external view returns (address);

    /// @notice The creator (or whoever the DAO appointed) who runs the vault.
    function operator() external view returns (address);

    /// @notice The voucher signer.
    function attester() external view returns (address);

    /// @notice Whether redemptions and claims are paused.
    function paused() external view returns (bool);

    /// @notice The referral rate in basis points.
    function referralBps() external view returns (uint256);

    /// @notice The per-epoch budget.
    function epochBudget() external view returns (uint256);

    /// @notice Seconds per epoch.
    function epochLength() external view returns (uint256);

    /// @notice Index of the current epoch (zero at creation).
    function currentEpoch() external view returns (uint256);

    /// @notice When the current epoch ends (the first second of the next one).
    function epochEndsAt() external view returns (uint256);

    /// @notice The budget the current epoch has used (minted, credited or reserved).
    function epochSpent() external view returns (uint256);

    /// @notice The budget the current epoch has left.
    function remainingBudget() external view returns (uint256);

    /// @notice Whether voucher `id` was redeemed.
    /// @param id The voucher id.
    function isRedeemed(uint256 id) external view returns (bool);

    /// @notice The referrer recorded for `fan` (zero if none).
    /// @param fan The fan.
    function referrerOf(address fan) external view returns (address);

    /// @notice What `referrer` has referred and earned.
    /// @param referrer The referrer.
    function referralStats(address referrer) external view returns (ReferralStats memory);

    /// @notice The EIP-712 digest the attester signs for `voucher`.
    /// @param voucher The voucher.
    function voucherDigest(Voucher calldata voucher) external view returns (bytes32);

    /// @notice Number of campaigns opened.
    function campaignCount() external view returns (uint256);

    /// @notice A campaign's state.
    /// @param campaignId The campaign.
    function campaign(uint256 campaignId) external view returns (Campaign memory);

    /// @notice Whether leaf `index` of campaign `campaignId` was claimed.
    /// @param campaignId The campaign.
    /// @param index The leaf index.
    function isCampaignClaimed(uint256 campaignId, uint256 index) external view returns (bool);
}
