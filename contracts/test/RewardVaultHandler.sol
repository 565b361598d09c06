// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {Strings} from "@openzeppelin/contracts/utils/Strings.sol";
import {IRewardVault} from "../interfaces/IRewardVault.sol";
import {RewardVault} from "../rewards/RewardVault.sol";
import {SocialToken} from "../token/SocialToken.sol";
import {ModelHandler} from "./ModelHandler.sol";

/**
 * @title RewardVaultHandler
 * @notice TEST ONLY. Drives a {RewardVault} through pseudo-random actions for the stateful tests in
 * `contracts/rewards/RewardVault.t.sol` and the invariant tests in
 * `contracts/rewards/RewardVaultInvariant.t.sol`, and keeps an independent model of what the vault
 * should do ({ModelHandler} holds the outcome bookkeeping). Never deploy it outside tests.
 *
 * Every action derives its choices (actor, amounts, ids, signer, ...) from a `seed`, predicts the
 * exact outcome from the model (success, or the exact revert data the vault must return, checking
 * conditions in the order the vault documents them), performs the call, and records a violation when
 * the vault's outcome differs. Expected reverts are caught and counted, never propagated, so both a
 * seed-driven test (through {step}) and a forge-style invariant run (through the `act*` functions)
 * can call it freely.
 *
 * Two kinds of state are kept:
 * - the **model** (budget, per-epoch charges, redeemed ids, referrers, referral balances,
 *   campaigns), updated only when a call succeeds as predicted;
 * - the **ghosts**, measured from what actually happened (token supply deltas, how many times
 *   each voucher id and each campaign leaf paid out), which the tests compare with the model and
 *   with the vault's own views after every step.
 *
 * @dev The handler pranks the community Timelock and the operator, so the vault must be created
 * with those two addresses. It signs vouchers with `attesterKey` (the vault's attester) and, to
 * exercise the signature check, with an unrelated key. Amounts scale with the budget at setup.
 */
contract RewardVaultHandler is ModelHandler {
    /*//////////////////////////////////////////////////////////////
                                  TYPES
    //////////////////////////////////////////////////////////////*/

    /// @notice The actions the handler performs; indexes {successes} and {expectedReverts}.
    enum Action {
        Redeem,
        RedeemBatch,
        Warp,
        OpenCampaign,
        ClaimCampaign,
        CloseCampaign,
        ClaimReferral,
        SetBudget,
        SetReferralBps,
        Pause
    }

    /// @notice The model of one campaign: its (one or two) leaves and its accounting.
    struct CampaignModel {
        bytes32 root;
        uint256 leafCount;
        uint256[2] indices;
        address[2] accounts;
        uint256[2] amounts;
        uint256 reserved;
        uint256 claimed;
        uint256 end;
        uint256 epoch;
        bool closed;
    }

    /// @dev In-flight effects of the vouchers of one call, applied to the model only on success.
    struct Pending {
        uint256 spent;
        uint256 count;
        uint256[4] ids;
        address[4] fans;
        address[4] referrers;
        uint256[4] bonuses;
        bool[4] newReferrer;
    }

    /*//////////////////////////////////////////////////////////////
                                CONSTANTS
    //////////////////////////////////////////////////////////////*/

    /// @notice Number of actions in {Action}.
    uint256 public constant ACTION_COUNT = 10;
    /// @notice Number of fans / referrers / relayers the handler plays.
    uint256 public constant ACTOR_COUNT = 4;

    uint256 private constant MAX_BPS = 10_000;
    /// @dev Signs vouchers the vault must refuse.
    uint256 private constant STRANGER_KEY = 0x5757_5757;
    /// @dev Calls administrative functions it is not allowed to.
    address private constant STRANGER = address(0x5757);
    bytes32 private constant DOMAIN_TYPEHASH = keccak256(
        "EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)"
    );
    bytes32 private constant VOUCHER_TYPEHASH = keccak256(
        "Voucher(address recipient,uint256 amount,address referrer,uint256 id,uint256 deadline)"
    );

    /*//////////////////////////////////////////////////////////////
                              CONFIGURATION
    //////////////////////////////////////////////////////////////*/

    /// @notice The vault under test.
    RewardVault public immutable vault;
    /// @notice Its token (the vault is its only minter).
    SocialToken public immutable token;
    /// @notice The vault's administrator.
    address public immutable timelock;
    /// @notice The vault's operator.
    address public immutable operator;
    /// @notice When the vault was initialised (start of epoch 0).
    uint256 public immutable origin;
    /// @notice Seconds per epoch.
    uint256 public immutable epochLength;
    /// @notice The per-epoch budget at setup; amounts are drawn relative to it.
    uint256 public immutable baseBudget;
    /// @notice Token supply before the handler's first action (minted by others than the vault).
    uint256 public immutable initialSupply;
    uint256 private immutable attesterKey;

    /// @notice The fans, referrers and relayers.
    address[ACTOR_COUNT] public actors;

    /*//////////////////////////////////////////////////////////////
                                  MODEL
    //////////////////////////////////////////////////////////////*/

    /// @notice The budget the vault should have.
    uint256 public budget;
    /// @notice The referral rate the vault should have.
    uint256 public referralBps;
    /// @notice Whether the vault should be paused.
    bool public paused;
    /// @notice Net amount charged to each epoch: vouchers + bonuses credited + campaign reservations
    /// opened in it, minus reservations returned by closeCampaign within it.
    mapping(uint256 epoch => uint256) public charged;
    /// @notice The model's redeemed voucher ids.
    mapping(uint256 id => bool) public redeemedModel;
    /// @notice The model's recorded referrer of each fan.
    mapping(address fan => address) public referrerModel;
    /// @notice The model's total of bonuses credited to each referrer.
    mapping(address referrer => uint256) public earnedModel;
    /// @notice The model's unclaimed bonuses of each referrer.
    mapping(address referrer => uint256) public unclaimedModel;
    CampaignModel[] private _campaigns;

    /*//////////////////////////////////////////////////////////////
                                  GHOSTS
    //////////////////////////////////////////////////////////////*/

    /// @notice Every voucher id that paid out, in order.
    uint256[] public paidIds;
    /// @notice How many times each voucher id paid out.
    mapping(uint256 id => uint256) public voucherPayouts;
    /// @notice How many times each leaf index of each campaign paid out.
    mapping(uint256 campaignId => mapping(uint256 index => uint256)) public leafPayouts;
    /// @notice Tokens the vault minted for vouchers (measured as supply deltas).
    uint256 public mintedForVouchers;
    /// @notice Tokens the vault minted for referral claims (measured as supply deltas).
    uint256 public mintedForReferrals;
    /// @notice Tokens the vault minted for campaign claims (measured as supply deltas).
    uint256 public mintedForCampaigns;
    /// @notice Tokens minted for vouchers redeemed within each epoch.
    mapping(uint256 epoch => uint256) public voucherMintedInEpoch;
    /// @notice The highest budget in effect at any point of each epoch the handler saw.
    mapping(uint256 epoch => uint256) public budgetHigh;
    /// @notice The epochs the handler acted in, in order.
    uint256[] public epochs;
    mapping(uint256 epoch => bool) private _epochSeen;

    /// @notice Predicted reverts seen, per error selector.
    mapping(bytes4 selector => uint256) public revertsBySelector;
    /// @notice Campaign closes that returned unclaimed tokens to the current epoch's budget.
    uint256 public closesReturning;
    /// @notice Campaign closes whose reservation lapsed (opening epoch over, or nothing unclaimed).
    uint256 public closesLapsed;

    uint256 private _nextSmallId;

    /*//////////////////////////////////////////////////////////////
                               CONSTRUCTOR
    //////////////////////////////////////////////////////////////*/

    /// @param vault_ An initialised vault with `timelock_` and `operator_`, at its configured budget.
    /// @param attesterKey_ The private key of the vault's attester.
    /// @param origin_ The timestamp the vault was initialised at.
    constructor(RewardVault vault_, address timelock_, address operator_, uint256 attesterKey_, uint256 origin_) {
        vault = vault_;
        token = SocialToken(vault_.token());
        timelock = timelock_;
        operator = operator_;
        attesterKey = attesterKey_;
        origin = origin_;
        epochLength = vault_.epochLength();
        baseBudget = vault_.epochBudget();
        initialSupply = SocialToken(vault_.token()).totalSupply();
        budget = baseBudget;
        referralBps = vault_.referralBps();
        actors = [address(0xF0A1), address(0xF0B2), address(0xF0C3), address(0xF0D4)];
        _touchEpoch();
    }

    /*//////////////////////////////////////////////////////////////
                                 DRIVER
    //////////////////////////////////////////////////////////////*/

    /// @notice Performs one weighted pseudo-random action chosen by `seed`.
    /// While paused, a third of the steps are the DAO resuming, so pauses stay short.
    function step(uint256 seed) external {
        uint256 roll = _rand(seed, "action") % 100;
        if (paused && roll % 3 == 0) actPause(seed);
        else if (roll < 22) actRedeem(seed);
        else if (roll < 30) actRedeemBatch(seed);
        else if (roll < 42) actWarp(seed);
        else if (roll < 54) actOpenCampaign(seed);
        else if (roll < 74) actClaimCampaign(seed);
        else if (roll < 82) actCloseCampaign(seed);
        else if (roll < 90) actClaimReferral(seed);
        else if (roll < 94) actSetBudget(seed);
        else if (roll < 97) actSetReferralBps(seed);
        else actPause(seed);
    }

    /*//////////////////////////////////////////////////////////////
                                 VOUCHERS
    //////////////////////////////////////////////////////////////*/

    /// @notice Redeems one voucher: fresh or reused id, the attester's or a stranger's signature,
    /// in or over budget, possibly expired or invalid, with no referrer, a self-referral or an actor.
    function actRedeem(uint256 seed) public {
        uint256 epoch = _touchEpoch();
        (IRewardVault.Voucher memory v, bytes memory sig, bool goodSig) = _voucher(seed, 0);
        Pending memory p = _pending(epoch);
        bytes memory expected = paused ? _err(IRewardVault.RewardVaultPaused.selector) : _predict(v, goodSig, p);
        if (expected.length == 0) {
            uint256[] memory amounts = new uint256[](1);
            amounts[0] = v.amount;
            expected = _predictMints(amounts);
        }

        uint256 supplyBefore = token.totalSupply();
        vm.prank(_actor(_rand(seed, "relayer")));
        try vault.redeem(v, sig) {
            if (_outcome(Action.Redeem, expected, true, "")) {
                _commitVouchers(p, epoch);
                _recordVoucherMint(v, epoch);
                _check(token.totalSupply() - supplyBefore == v.amount, "redeem: supply delta != amount");
            }
        } catch (bytes memory reason) {
            _outcome(Action.Redeem, expected, false, reason);
        }
    }

    /// @notice Redeems a batch of one to three vouchers (sometimes repeating an id within the batch,
    /// sometimes with mismatched array lengths), which must be all-or-nothing.
    function actRedeemBatch(uint256 seed) public {
        uint256 epoch = _touchEpoch();
        uint256 n = 1 + (_rand(seed, "batch size") % 3);
        IRewardVault.Voucher[] memory vs = new IRewardVault.Voucher[](n);
        bool[] memory good = new bool[](n);
        bytes[] memory sigs = new bytes[](n);
        for (uint256 i; i < n; ++i) {
            (vs[i], sigs[i], good[i]) = _voucher(_rand(seed, i), 1);
        }
        // Now and then the last voucher repeats the first one's id (re-signed, so only the id clashes).
        if (n > 1 && _rand(seed, "duplicate") % 6 == 0) {
            vs[n - 1].id = vs[0].id;
            (sigs[n - 1], good[n - 1]) = (_sign(attesterKey, vs[n - 1]), true);
        }
        // Rarely, a signature array of the wrong length.
        if (_rand(seed, "mismatch") % 25 == 0) {
            bytes[] memory shorter = new bytes[](n - 1);
            for (uint256 i; i + 1 < n; ++i) shorter[i] = sigs[i];
            sigs = shorter;
        }

        bytes memory expected;
        Pending memory p = _pending(epoch);
        if (sigs.length != n || n == 0) {
            expected = abi.encodeWithSelector(IRewardVault.RewardVaultBatchLengthMismatch.selector, n, sigs.length);
        } else if (paused) {
            expected = _err(IRewardVault.RewardVaultPaused.selector);
        } else {
            for (uint256 i; i < n && expected.length == 0; ++i) expected = _predict(vs[i], good[i], p);
            if (expected.length == 0) {
                uint256[] memory amounts = new uint256[](n);
                for (uint256 i; i < n; ++i) amounts[i] = vs[i].amount;
                expected = _predictMints(amounts);
            }
        }

        uint256 supplyBefore = token.totalSupply();
        uint256 total;
        for (uint256 i; i < n; ++i) total += vs[i].amount;
        vm.prank(_actor(_rand(seed, "relayer")));
        try vault.redeemBatch(vs, sigs) {
            if (_outcome(Action.RedeemBatch, expected, true, "")) {
                _commitVouchers(p, epoch);
                for (uint256 i; i < n; ++i) _recordVoucherMint(vs[i], epoch);
                _check(token.totalSupply() - supplyBefore == total, "redeemBatch: supply delta != sum of amounts");
            }
        } catch (bytes memory reason) {
            _outcome(Action.RedeemBatch, expected, false, reason);
            _check(token.totalSupply() == supplyBefore, "redeemBatch: a failed batch minted");
        }
    }

    /*//////////////////////////////////////////////////////////////
                                   TIME
    //////////////////////////////////////////////////////////////*/

    /// @notice Moves time forward: within the epoch, to the second before or the first second of the
    /// next epoch, or several epochs ahead.
    function actWarp(uint256 seed) public {
        uint256 r = _rand(seed, "warp");
        uint256 now_ = block.timestamp;
        uint256 nextEpochStart = origin + (_epochNow() + 1) * epochLength;
        uint256 mode = r % 8;
        uint256 target;
        if (mode < 4) target = now_ + 1 + ((r >> 8) % (epochLength / 2));
        else if (mode == 4) target = nextEpochStart - 1 > now_ ? nextEpochStart - 1 : now_ + 1;
        else if (mode < 7) target = nextEpochStart;
        else target = now_ + epochLength * (2 + ((r >> 8) % 3));
        vm.warp(target);
        successes[uint256(Action.Warp)] += 1;
        _touchEpoch();
    }

    /*//////////////////////////////////////////////////////////////
                                CAMPAIGNS
    //////////////////////////////////////////////////////////////*/

    /// @notice Opens a one- or two-leaf campaign (by the operator, the Timelock or, rarely, a
    /// stranger); its total is usually the sum of the leaves, sometimes less (a malformed tree the
    /// reservation must contain) or more; the two leaves sometimes share an index.
    function actOpenCampaign(uint256 seed) public {
        uint256 epoch = _touchEpoch();
        CampaignModel memory c;
        c.leafCount = 1 + (_rand(seed, "leaves") % 2);
        uint256 base = _rand(seed, "index") % 600; // crosses bitmap words (256 indices each)
        for (uint256 k; k < c.leafCount; ++k) {
            c.indices[k] = base + k;
            c.accounts[k] = _actor(_rand(seed, k + 10));
            c.amounts[k] = 1 + (_rand(seed, k + 20) % (baseBudget / 10));
        }
        if (c.leafCount == 2 && _rand(seed, "same index") % 8 == 0) c.indices[1] = c.indices[0];
        uint256 sum = c.amounts[0] + c.amounts[1];
        uint256 totalMode = _rand(seed, "total") % 6;
        c.reserved = totalMode == 0 ? (sum > 1 ? sum - 1 : 1) : (totalMode == 1 ? sum + baseBudget / 10 : sum);
        c.root =
            c.leafCount == 1
                ? _leaf(c.indices[0], c.accounts[0], c.amounts[0])
                : _hashPair(
                    _leaf(c.indices[0], c.accounts[0], c.amounts[0]),
                    _leaf(c.indices[1], c.accounts[1], c.amounts[1])
                );
        c.end = block.timestamp + 1 + (_rand(seed, "end") % (2 * epochLength));
        c.epoch = epoch;

        uint256 callerRoll = _rand(seed, "caller") % 10;
        address caller = callerRoll == 0 ? STRANGER : (callerRoll == 1 ? timelock : operator);
        bytes memory expected;
        if (caller == STRANGER) {
            expected = abi.encodeWithSelector(IRewardVault.RewardVaultNotOperator.selector, caller);
        } else {
            uint256 available = _available(charged[epoch]);
            if (c.reserved > available) {
                expected = abi.encodeWithSelector(IRewardVault.RewardVaultOverBudget.selector, c.reserved, available);
            }
        }

        uint256 countBefore = vault.campaignCount();
        vm.prank(caller);
        try vault.openCampaign(c.root, c.reserved, c.end) returns (uint256 campaignId) {
            if (_outcome(Action.OpenCampaign, expected, true, "")) {
                _check(campaignId == countBefore && campaignId == _campaigns.length, "openCampaign: unexpected id");
                _campaigns.push(c);
                charged[epoch] += c.reserved;
                _checkSpentWithinBudget("openCampaign");
            }
        } catch (bytes memory reason) {
            _outcome(Action.OpenCampaign, expected, false, reason);
        }
    }

    /// @notice Claims a leaf of a campaign, sometimes with a wrong amount (a bad proof), sometimes
    /// again, sometimes after the end, rarely of an unknown campaign.
    function actClaimCampaign(uint256 seed) public {
        _touchEpoch();
        uint256 count = _campaigns.length;
        uint256 pick = _rand(seed, "id");
        uint256 campaignId;
        if (count == 0 || _rand(seed, "unknown") % 30 == 0) campaignId = count + (pick % 3);
        else campaignId = pick % 2 == 0 ? count - 1 : (pick >> 8) % count; // the latest is likeliest live
        uint256 k = _rand(seed, "leaf") % 2;

        uint256 index;
        address account;
        uint256 amount;
        bytes32[] memory proof;
        bytes memory expected;
        if (campaignId >= count) {
            (index, account, amount) = (k, actors[0], 1);
            proof = new bytes32[](0);
            expected =
                paused
                    ? _err(IRewardVault.RewardVaultPaused.selector)
                    : abi.encodeWithSelector(IRewardVault.CampaignUnknown.selector, campaignId);
        } else {
            CampaignModel storage c = _campaigns[campaignId];
            k = k % c.leafCount;
            // Usually go for a leaf not paid yet.
            if (c.leafCount == 2 && leafPayouts[campaignId][c.indices[k]] != 0 && _rand(seed, "retry") % 3 != 0) {
                k = 1 - k;
            }
            (index, account, amount) = (c.indices[k], c.accounts[k], c.amounts[k]);
            proof = new bytes32[](c.leafCount - 1);
            if (c.leafCount == 2) proof[0] = _leaf(c.indices[1 - k], c.accounts[1 - k], c.amounts[1 - k]);
            bool forged = _rand(seed, "forge") % 4 == 0;
            if (forged) amount += 1; // no longer the leaf that was committed to
            expected = _predictClaim(campaignId, c, index, amount, forged);
        }

        uint256 supplyBefore = token.totalSupply();
        vm.prank(_actor(_rand(seed, "relayer")));
        try vault.claimCampaign(campaignId, index, account, amount, proof) {
            if (_outcome(Action.ClaimCampaign, expected, true, "")) {
                CampaignModel storage c = _campaigns[campaignId];
                c.claimed += amount;
                leafPayouts[campaignId][index] += 1;
                mintedForCampaigns += token.totalSupply() - supplyBefore;
                _check(token.totalSupply() - supplyBefore == amount, "claimCampaign: supply delta != amount");
                _check(c.claimed <= c.reserved, "claimCampaign: claims above the reservation");
            }
        } catch (bytes memory reason) {
            _outcome(Action.ClaimCampaign, expected, false, reason);
        }
    }

    /// @notice Closes a campaign (anyone may), ended or not, closed before or not.
    function actCloseCampaign(uint256 seed) public {
        uint256 epoch = _touchEpoch();
        uint256 count = _campaigns.length;
        uint256 pick = _rand(seed, "id");
        uint256 campaignId;
        if (count == 0 || _rand(seed, "unknown") % 30 == 0) {
            campaignId = count + (pick % 3);
        } else {
            campaignId = pick % count;
            // Two times in three, prefer the first ended campaign from a random start (closed or not).
            for (uint256 i; i < count && pick % 3 != 0; ++i) {
                uint256 candidate = ((pick >> 8) + i) % count;
                if (block.timestamp > _campaigns[candidate].end) {
                    campaignId = candidate;
                    break;
                }
            }
        }
        bytes memory expected;
        uint256 returned;
        if (campaignId >= count) {
            expected = abi.encodeWithSelector(IRewardVault.CampaignUnknown.selector, campaignId);
        } else {
            CampaignModel storage c = _campaigns[campaignId];
            if (block.timestamp <= c.end) {
                expected = abi.encodeWithSelector(IRewardVault.CampaignNotEnded.selector, campaignId, c.end);
            } else if (c.closed) {
                expected = abi.encodeWithSelector(IRewardVault.CampaignAlreadyClosed.selector, campaignId);
            } else if (c.epoch == epoch) {
                returned = c.reserved - c.claimed;
            }
        }

        vm.prank(_actor(_rand(seed, "caller")));
        try vault.closeCampaign(campaignId) {
            if (_outcome(Action.CloseCampaign, expected, true, "")) {
                _campaigns[campaignId].closed = true;
                charged[epoch] -= returned;
                if (returned != 0) closesReturning += 1;
                else closesLapsed += 1;
            }
        } catch (bytes memory reason) {
            _outcome(Action.CloseCampaign, expected, false, reason);
        }
    }

    /*//////////////////////////////////////////////////////////////
                                REFERRALS
    //////////////////////////////////////////////////////////////*/

    /// @notice An actor mints its credited referral bonuses to itself or another actor.
    function actClaimReferral(uint256 seed) public {
        _touchEpoch();
        address referrer = _actor(_rand(seed, "referrer"));
        // Half the time a relayer submits claimReferralRewardsFor(referrer), which pays the referrer.
        bool relayed = _rand(seed, "relayed") % 2 == 0;
        address to = relayed ? referrer : _actor(_rand(seed, "to"));
        uint256 amount = unclaimedModel[referrer];
        bytes memory expected;
        if (paused) expected = _err(IRewardVault.RewardVaultPaused.selector);
        else if (amount == 0)
            expected = abi.encodeWithSelector(IRewardVault.RewardVaultNothingToClaim.selector, referrer);
        else {
            uint256[] memory amounts = new uint256[](1);
            amounts[0] = amount;
            expected = _predictMints(amounts);
        }

        uint256 supplyBefore = token.totalSupply();
        vm.prank(relayed ? _actor(_rand(seed, "relayer")) : referrer);
        (bool ok, bytes memory reason) = address(vault).call(
            relayed
                ? abi.encodeCall(vault.claimReferralRewardsFor, (referrer))
                : abi.encodeCall(vault.claimReferralRewards, (to))
        );
        if (ok) {
            if (_outcome(Action.ClaimReferral, expected, true, "")) {
                unclaimedModel[referrer] = 0;
                mintedForReferrals += token.totalSupply() - supplyBefore;
                _check(token.totalSupply() - supplyBefore == amount, "claimReferralRewards: supply delta != unclaimed");
            }
        } else {
            _outcome(Action.ClaimReferral, expected, false, reason);
        }
    }

    /*//////////////////////////////////////////////////////////////
                              ADMINISTRATION
    //////////////////////////////////////////////////////////////*/

    /// @notice The DAO (or, now and then, the operator, who may not) changes the budget: to zero,
    /// half, the initial budget, anything up to twice it, or beyond 104 bits.
    function actSetBudget(uint256 seed) public {
        uint256 epoch = _touchEpoch();
        uint256 r = _rand(seed, "budget");
        uint256 mode = r % 10;
        uint256 newBudget =
            mode == 0
                ? 0
                : mode < 3
                    ? baseBudget / 2
                    : mode < 6
                        ? baseBudget
                        : (r >> 8) % (2 * baseBudget + 1);
        if (mode == 9) newBudget = uint256(type(uint104).max) + 1 + ((r >> 8) % 1000);
        address caller = _rand(seed, "caller") % 10 == 0 ? operator : timelock;

        bytes memory expected;
        if (caller != timelock) expected = abi.encodeWithSelector(IRewardVault.RewardVaultNotAdmin.selector, caller);
        else if (newBudget > type(uint104).max) {
            expected = abi.encodeWithSelector(IRewardVault.RewardVaultBudgetTooLarge.selector, newBudget);
        }

        vm.prank(caller);
        try vault.setEpochBudget(newBudget) {
            if (_outcome(Action.SetBudget, expected, true, "")) {
                budget = newBudget;
                if (newBudget > budgetHigh[epoch]) budgetHigh[epoch] = newBudget;
            }
        } catch (bytes memory reason) {
            _outcome(Action.SetBudget, expected, false, reason);
        }
    }

    /// @notice The DAO changes the referral rate (one time in five to an invalid one above 10,000).
    function actSetReferralBps(uint256 seed) public {
        _touchEpoch();
        uint256 r = _rand(seed, "bps");
        uint256 newBps = r % 5 == 0 ? MAX_BPS + 1 + ((r >> 8) % 100) : (r >> 8) % (MAX_BPS + 1);
        bytes memory expected;
        if (newBps > MAX_BPS)
            expected = abi.encodeWithSelector(IRewardVault.RewardVaultInvalidReferralBps.selector, newBps);
        vm.prank(timelock);
        try vault.setReferralBps(newBps) {
            if (_outcome(Action.SetReferralBps, expected, true, "")) referralBps = newBps;
        } catch (bytes memory reason) {
            _outcome(Action.SetReferralBps, expected, false, reason);
        }
    }

    /// @notice Pauses a running vault (the operator or the Timelock) or resumes a paused one (the
    /// Timelock); now and then the wrong party tries (a stranger pausing, the operator resuming).
    function actPause(uint256 seed) public {
        _touchEpoch();
        uint256 r = _rand(seed, "pause") % 10;
        bool pausing = !paused;
        address caller;
        bytes memory expected;
        if (r == 0) {
            caller = pausing ? STRANGER : operator;
            expected =
                pausing
                    ? abi.encodeWithSelector(IRewardVault.RewardVaultNotOperator.selector, caller)
                    : abi.encodeWithSelector(IRewardVault.RewardVaultNotAdmin.selector, caller);
        } else {
            caller = pausing && r < 6 ? operator : timelock;
        }
        vm.prank(caller);
        if (pausing) {
            try vault.pause() {
                if (_outcome(Action.Pause, expected, true, "")) paused = true;
            } catch (bytes memory reason) {
                _outcome(Action.Pause, expected, false, reason);
            }
        } else {
            try vault.unpause() {
                if (_outcome(Action.Pause, expected, true, "")) paused = false;
            } catch (bytes memory reason) {
                _outcome(Action.Pause, expected, false, reason);
            }
        }
    }

    /*//////////////////////////////////////////////////////////////
                                  VIEWS
    //////////////////////////////////////////////////////////////*/

    /// @notice Number of voucher ids that paid out.
    function paidIdCount() external view returns (uint256) {
        return paidIds.length;
    }

    /// @notice Number of epochs the handler acted in.
    function epochCount() external view returns (uint256) {
        return epochs.length;
    }

    /// @notice Number of campaigns opened.
    function campaignCount() external view returns (uint256) {
        return _campaigns.length;
    }

    /// @notice The model of campaign `campaignId`.
    function campaignModel(uint256 campaignId) external view returns (CampaignModel memory) {
        return _campaigns[campaignId];
    }

    /// @notice The epoch the vault should be in now.
    function epochNow() external view returns (uint256) {
        return _epochNow();
    }

    /// @notice The EIP-712 digest of `v` for `vault_`, computed by hand (not through the vault).
    function digestOf(address vault_, IRewardVault.Voucher memory v) public view returns (bytes32) {
        bytes32 domainSeparator = keccak256(
            abi.encode(DOMAIN_TYPEHASH, keccak256("Coterie Rewards"), keccak256("1"), block.chainid, vault_)
        );
        bytes32 structHash = keccak256(
            abi.encode(VOUCHER_TYPEHASH, v.recipient, v.amount, v.referrer, v.id, v.deadline)
        );
        return keccak256(abi.encodePacked("\x19\x01", domainSeparator, structHash));
    }

    /*//////////////////////////////////////////////////////////////
                             PREDICTION (MODEL)
    //////////////////////////////////////////////////////////////*/

    /// @dev A voucher from `seed`. `calm` > 0 makes failures rarer (for batches, so some succeed).
    function _voucher(
        uint256 seed,
        uint256 calm
    ) private returns (IRewardVault.Voucher memory v, bytes memory sig, bool goodSig) {
        uint256 odds = 1 + calm * 3; // failure branches fire 1-in-(k * odds)
        v.recipient = _rand(seed, "zero recipient") % (40 * odds) == 0 ? address(0) : _actor(_rand(seed, "recipient"));

        uint256 ra = _rand(seed, "amount");
        if (ra % (40 * odds) == 0) v.amount = 0;
        else if (ra % (8 * odds) == 1)
            v.amount = 1 + ((ra >> 8) % (2 * baseBudget)); // often over budget
        else v.amount = 1 + ((ra >> 8) % (baseBudget / 10));

        uint256 rr = _rand(seed, "referrer") % 6;
        v.referrer = rr < 2 ? address(0) : (rr == 2 ? v.recipient : _actor(_rand(seed, "referrer actor")));

        uint256 ri = _rand(seed, "id");
        if (paidIds.length != 0 && ri % (5 * odds) == 0) {
            v.id = paidIds[(ri >> 8) % paidIds.length]; // a replay
        } else if (ri % 3 == 0) {
            v.id = _nextSmallId++; // dense ids share bitmap words
        } else if (ri % 3 == 1) {
            v.id = uint256(keccak256(abi.encode(seed, "wide id"))); // anywhere in uint256
        } else {
            v.id = type(uint256).max - (_nextSmallId++); // the top bitmap word
        }

        uint256 rd = _rand(seed, "deadline");
        v.deadline =
            rd % (12 * odds) == 0 && block.timestamp > 0
                ? block.timestamp - 1 - ((rd >> 8) % block.timestamp)
                : block.timestamp + ((rd >> 8) % (3 * epochLength));

        goodSig = _rand(seed, "signer") % (10 * odds) != 0;
        sig = _sign(goodSig ? attesterKey : STRANGER_KEY, v);
    }

    function _sign(uint256 key, IRewardVault.Voucher memory v) private view returns (bytes memory) {
        (uint8 sv, bytes32 r, bytes32 s) = vm.sign(key, digestOf(address(vault), v));
        return abi.encodePacked(r, s, sv);
    }

    function _pending(uint256 epoch) private view returns (Pending memory p) {
        p.spent = charged[epoch];
    }

    /// @dev The revert data the vault must return for `v` given the model and the batch so far
    /// (empty when it must be accepted); on acceptance records its effects in `p`.
    function _predict(
        IRewardVault.Voucher memory v,
        bool goodSig,
        Pending memory p
    ) private view returns (bytes memory) {
        if (block.timestamp > v.deadline) {
            return abi.encodeWithSelector(IRewardVault.RewardVaultVoucherExpired.selector, v.id, v.deadline);
        }
        if (v.recipient == address(0) || v.amount == 0) {
            return abi.encodeWithSelector(IRewardVault.RewardVaultInvalidVoucher.selector, v.id);
        }
        bool used = redeemedModel[v.id];
        for (uint256 i; i < p.count; ++i) used = used || p.ids[i] == v.id;
        if (used) return abi.encodeWithSelector(IRewardVault.RewardVaultVoucherAlreadyRedeemed.selector, v.id);
        if (!goodSig) return abi.encodeWithSelector(IRewardVault.RewardVaultBadSignature.selector, v.id);

        address referrer = referrerModel[v.recipient];
        for (uint256 i; i < p.count && referrer == address(0); ++i) {
            if (p.newReferrer[i] && p.fans[i] == v.recipient) referrer = p.referrers[i];
        }
        bool isNew;
        if (referrer == address(0) && v.referrer != address(0) && v.referrer != v.recipient) {
            referrer = v.referrer;
            isNew = true;
        }
        uint256 bonus = referrer != address(0) ? (v.amount * referralBps) / MAX_BPS : 0;
        uint256 charge = v.amount + bonus;
        uint256 available = _available(p.spent);
        if (charge > available) {
            return abi.encodeWithSelector(IRewardVault.RewardVaultOverBudget.selector, charge, available);
        }
        uint256 i_ = p.count++;
        p.spent += charge;
        p.ids[i_] = v.id;
        p.fans[i_] = v.recipient;
        p.referrers[i_] = referrer;
        p.bonuses[i_] = bonus;
        p.newReferrer[i_] = isNew;
        return "";
    }

    /// @dev The cap error of the first mint in `amounts` that would exceed the cap, if any.
    function _predictMints(uint256[] memory amounts) private view returns (bytes memory) {
        uint256 supply = token.totalSupply();
        uint256 cap = token.cap();
        for (uint256 i; i < amounts.length; ++i) {
            supply += amounts[i];
            if (supply > cap) return abi.encodeWithSelector(IRewardVault.RewardVaultCapReached.selector, supply, cap);
        }
        return "";
    }

    function _predictClaim(
        uint256 campaignId,
        CampaignModel storage c,
        uint256 index,
        uint256 amount,
        bool forged
    ) private view returns (bytes memory) {
        if (paused) return _err(IRewardVault.RewardVaultPaused.selector);
        if (block.timestamp > c.end)
            return abi.encodeWithSelector(IRewardVault.CampaignEnded.selector, campaignId, c.end);
        if (leafPayouts[campaignId][index] != 0) {
            return abi.encodeWithSelector(IRewardVault.CampaignAlreadyClaimed.selector, campaignId, index);
        }
        if (forged) return abi.encodeWithSelector(IRewardVault.CampaignInvalidProof.selector, campaignId, index);
        if (c.claimed + amount > c.reserved) {
            return abi.encodeWithSelector(IRewardVault.CampaignTotalExceeded.selector, campaignId);
        }
        uint256[] memory amounts = new uint256[](1);
        amounts[0] = amount;
        return _predictMints(amounts);
    }

    function _available(uint256 spent) private view returns (uint256) {
        return budget > spent ? budget - spent : 0;
    }

    /*//////////////////////////////////////////////////////////////
                             RECORDING (GHOSTS)
    //////////////////////////////////////////////////////////////*/

    /// @dev Applies accepted vouchers to the model and checks the vault's referral state agrees.
    function _commitVouchers(Pending memory p, uint256 epoch) private {
        for (uint256 i; i < p.count; ++i) {
            redeemedModel[p.ids[i]] = true;
            paidIds.push(p.ids[i]);
            voucherPayouts[p.ids[i]] += 1;
            if (p.newReferrer[i]) referrerModel[p.fans[i]] = p.referrers[i];
            if (p.bonuses[i] != 0) {
                earnedModel[p.referrers[i]] += p.bonuses[i];
                unclaimedModel[p.referrers[i]] += p.bonuses[i];
            }
        }
        for (uint256 i; i < p.count; ++i) {
            _check(vault.referrerOf(p.fans[i]) == referrerModel[p.fans[i]], "redeem: recorded referrer differs");
        }
        charged[epoch] = p.spent;
        _checkSpentWithinBudget("redeem");
    }

    function _recordVoucherMint(IRewardVault.Voucher memory v, uint256 epoch) private {
        mintedForVouchers += v.amount;
        voucherMintedInEpoch[epoch] += v.amount;
    }

    /// @dev After any successful charge, the vault's own view: spending within the budget.
    function _checkSpentWithinBudget(string memory what) private {
        _check(vault.epochSpent() <= vault.epochBudget(), string.concat(what, ": epochSpent above epochBudget"));
    }

    /// @dev {ModelHandler-_outcome} for an {Action}, also counting predicted reverts per error
    /// selector. Returns true when the call succeeded as predicted.
    function _outcome(
        Action action,
        bytes memory expected,
        bool succeeded,
        bytes memory reason
    ) private returns (bool) {
        bool asPredicted = _outcome(uint256(action), expected, succeeded, reason);
        if (!succeeded && keccak256(reason) == keccak256(expected)) revertsBySelector[bytes4(reason)] += 1;
        return asPredicted;
    }

    /*//////////////////////////////////////////////////////////////
                                 HELPERS
    //////////////////////////////////////////////////////////////*/

    function _epochNow() private view returns (uint256) {
        return (block.timestamp - origin) / epochLength;
    }

    /// @dev Notes the current epoch and the budget in effect in it; returns the epoch.
    function _touchEpoch() private returns (uint256 epoch) {
        epoch = _epochNow();
        if (!_epochSeen[epoch]) {
            _epochSeen[epoch] = true;
            epochs.push(epoch);
        }
        if (budget > budgetHigh[epoch]) budgetHigh[epoch] = budget;
    }

    function _actor(uint256 r) private view returns (address) {
        return actors[r % ACTOR_COUNT];
    }

    /// @dev OpenZeppelin StandardMerkleTree leaf of `(uint256 index, address account, uint256 amount)`.
    function _leaf(uint256 index, address account, uint256 amount) private pure returns (bytes32) {
        return keccak256(bytes.concat(keccak256(abi.encode(index, account, amount))));
    }

    /// @dev The parent of two nodes, hashed in sorted order (OpenZeppelin MerkleProof).
    function _hashPair(bytes32 a, bytes32 b) private pure returns (bytes32) {
        return a < b ? keccak256(abi.encode(a, b)) : keccak256(abi.encode(b, a));
    }

    function _err(bytes4 selector) private pure returns (bytes memory) {
        return abi.encodeWithSelector(selector);
    }

    /// @dev The action's name and index, for failure messages.
    function _actionName(uint256 action) internal pure override returns (string memory) {
        string[ACTION_COUNT] memory names = [
            "redeem",
            "redeemBatch",
            "warp",
            "openCampaign",
            "claimCampaign",
            "closeCampaign",
            "claimReferralRewards",
            "setEpochBudget",
            "setReferralBps",
            "pause/unpause"
        ];
        return string.concat(names[action], " (action ", Strings.toString(action), ")");
    }
}
