// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";
import {Strings} from "@openzeppelin/contracts/utils/Strings.sol";
import {ICrowdfund} from "../interfaces/ICrowdfund.sol";
import {Crowdfund} from "../funding/Crowdfund.sol";
import {SocialToken} from "../token/SocialToken.sol";
import {ModelHandler} from "./ModelHandler.sol";

/**
 * @title CrowdfundPayee
 * @notice TEST ONLY. A treasury, fee recipient or refund target that takes ETH or, once told to,
 * refuses it, so the crowdfund's deferred payouts and failed refunds can be exercised.
 * Never deploy it outside tests.
 */
contract CrowdfundPayee {
    /// @notice Whether plain ETH transfers are accepted.
    bool public accepting;

    /// @notice A plain ETH transfer was refused.
    error CrowdfundPayeeRejected(uint256 amount);

    /// @param accepting_ Whether ETH is accepted to begin with.
    constructor(bool accepting_) {
        accepting = accepting_;
    }

    /// @notice Takes ETH or refuses it (anyone may flip this; it is a test double).
    function setAccepting(bool accepting_) external {
        accepting = accepting_;
    }

    /// @notice Takes the ETH when accepting, reverts otherwise.
    receive() external payable {
        if (!accepting) revert CrowdfundPayeeRejected(msg.value);
    }
}

/**
 * @title CrowdfundHandler
 * @notice TEST ONLY. Drives an ETH {Crowdfund} through pseudo-random actions for the stateful tests
 * in `contracts/funding/Crowdfund.t.sol` and the invariant tests in
 * `contracts/funding/CrowdfundInvariant.t.sol`, and keeps an independent model of what it should do
 * ({ModelHandler} holds the outcome bookkeeping). Never deploy it outside tests.
 *
 * Every action derives its choices (actor, amount, referrer, refund target, ...) from a `seed`,
 * predicts the exact outcome from the model (success, or the exact revert data the crowdfund must
 * return, checking conditions in the order the crowdfund documents them), performs the call, and
 * records a violation when the outcome differs. Expected reverts are caught and counted, never
 * propagated, so both a seed-driven test (through {step}) and a forge-style invariant run (through
 * the `act*` functions) can call it freely.
 *
 * Two kinds of state are kept:
 * - the **model** (settled state, raised, per-contributor payments, per-referrer referred amounts,
 *   deferred payouts, whether minting is possible), updated only when a call succeeds as predicted;
 * - the **ghosts**, measured from what actually happened (ETH balance deltas of the crowdfund,
 *   the refund targets, the treasury and the fee recipient; token supply and balance deltas; how
 *   many times each account was refunded or claimed), which the tests compare with the model and
 *   with the crowdfund's own views after every step.
 *
 * @dev The crowdfund must pay in ETH and have `treasury_` and `feeRecipient_` (two distinct
 * {CrowdfundPayee}s) as its treasury and fee recipient; `admin_` must hold the token's
 * DEFAULT_ADMIN_ROLE (the handler pranks it to grant or revoke MINTER_ROLE). Contributors get their
 * ETH from `vm.deal` just before they pay.
 */
contract CrowdfundHandler is ModelHandler {
    /*//////////////////////////////////////////////////////////////
                                  TYPES
    //////////////////////////////////////////////////////////////*/

    /// @notice The actions the handler performs; indexes {successes} and {expectedReverts}.
    enum Action {
        Contribute,
        Warp,
        Finalize,
        ClaimTokens,
        Refund,
        WithdrawPayout,
        ForceSend,
        TogglePayee,
        ToggleMinter
    }

    /*//////////////////////////////////////////////////////////////
                                CONSTANTS
    //////////////////////////////////////////////////////////////*/

    /// @notice Number of actions in {Action}.
    uint256 public constant ACTION_COUNT = 9;
    /// @notice Number of contributors the handler plays.
    uint256 public constant ACTOR_COUNT = 4;
    /// @notice Accounts that may hold a claim: the contributors and {OUTSIDER}.
    uint256 public constant ACCOUNT_COUNT = ACTOR_COUNT + 1;
    /// @notice A referrer that never contributes (and a refund target / claim caller).
    address public constant OUTSIDER = address(0x0B5E55ED);

    uint256 private constant MAX_BPS = 10_000;
    uint256 private constant PRICE_SCALE = 1e18;
    uint256 private constant MINT_GRACE = 30 days;
    bytes32 private constant MINTER_ROLE = keccak256("MINTER_ROLE");

    /*//////////////////////////////////////////////////////////////
                              CONFIGURATION
    //////////////////////////////////////////////////////////////*/

    /// @notice The crowdfund under test (ETH payments).
    Crowdfund public immutable crowdfund;
    /// @notice Its community token.
    SocialToken public immutable token;
    /// @notice Its treasury, which may refuse ETH.
    CrowdfundPayee public immutable treasury;
    /// @notice Its fee recipient, which may refuse ETH.
    CrowdfundPayee public immutable feeRecipient;
    /// @notice A refund target that always refuses ETH.
    CrowdfundPayee public immutable rejecter;
    /// @notice The token's admin (pranked to grant and revoke MINTER_ROLE).
    address public immutable admin;
    /// @notice Token supply before the handler's first action.
    uint256 public immutable initialSupply;
    /// @notice Typical contribution size (contributions are drawn relative to it).
    uint256 public immutable unit;
    /// @notice When the handler was created (the crowdfund's start, for the warp sizes).
    uint256 public immutable start;

    /// @notice The crowdfund's parameters and fee rate, read at construction.
    uint256 public immutable goal;
    /// @notice Zero for no cap (the limit is then 2^128 - 1).
    uint256 public immutable cap;
    uint256 public immutable deadline;
    uint256 public immutable price;
    uint256 public immutable referralBps;
    uint256 public immutable feeBps;

    /// @notice The contributors.
    address[ACTOR_COUNT] public actors;

    /*//////////////////////////////////////////////////////////////
                                  MODEL
    //////////////////////////////////////////////////////////////*/

    /// @notice The settled state the crowdfund should have (Active until finalised or failed).
    ICrowdfund.State public settled;
    /// @notice Whether the crowdfund should hold MINTER_ROLE.
    bool public minterGranted;
    /// @notice Total contributed.
    uint256 public raisedModel;
    /// @notice Total contributed naming a (non-self, non-zero) referrer.
    uint256 public referredTotalModel;
    /// @notice What each contributor paid and has not had refunded or claimed.
    mapping(address account => uint256) public paidModel;
    /// @notice Unclaimed contributions naming each referrer.
    mapping(address account => uint256) public referredModel;
    /// @notice Deferred payouts owed to each recipient.
    mapping(address recipient => uint256) public owedModel;
    /// @notice What each contributor paid in total (never reset): the amount it is owed on failure.
    mapping(address account => uint256) public contributedBy;
    /// @notice Contributions that ever named each referrer (never reset).
    mapping(address account => uint256) public referredEver;
    /// @notice The fee and the treasury's proceeds fixed at finalisation (zero before).
    uint256 public feeModel;
    uint256 public proceedsModel;
    /// @notice Tokens the model says finalisation minted (zero unless Succeeded).
    uint256 public mintedModel;

    /*//////////////////////////////////////////////////////////////
                                  GHOSTS
    //////////////////////////////////////////////////////////////*/

    /// @notice ETH the crowdfund's balance grew by through contributions.
    uint256 public contributed;
    /// @notice ETH that left the crowdfund as refunds (measured at the refund targets).
    uint256 public refunded;
    /// @notice ETH the treasury received from the crowdfund (finalisation and withdrawals).
    uint256 public treasuryReceived;
    /// @notice ETH the fee recipient received from the crowdfund (finalisation and withdrawals).
    uint256 public feeReceived;
    /// @notice ETH forced onto the crowdfund's balance (vm.deal), outside its accounting.
    uint256 public forceSent;
    /// @notice Token supply growth at finalisation.
    uint256 public minted;
    /// @notice Tokens that left the crowdfund through claims.
    uint256 public tokensClaimed;
    /// @notice Accounts that received tokens through a claim.
    uint256 public claimants;
    /// @notice Successful refunds per contributor.
    mapping(address account => uint256) public refundCount;
    /// @notice ETH refunded per contributor (whatever the target).
    mapping(address account => uint256) public refundedOf;
    /// @notice Successful claims per account.
    mapping(address account => uint256) public claimCount;

    /// @notice Predicted reverts seen, per error selector.
    mapping(bytes4 selector => uint256) public revertsBySelector;
    /// @notice Finalisations that succeeded, failed for the goal, and failed for minting.
    uint256 public finalizedSucceeded;
    uint256 public finalizedFailedGoal;
    uint256 public finalizedFailedMint;
    /// @notice Refunds that first recorded the failure themselves (Ended with the goal missed).
    uint256 public refundsRecordingFailure;
    /// @notice Payouts deferred at finalisation.
    uint256 public payoutsDeferred;

    /*//////////////////////////////////////////////////////////////
                               CONSTRUCTOR
    //////////////////////////////////////////////////////////////*/

    /// @param crowdfund_ An initialised ETH crowdfund nobody has contributed to yet.
    /// @param treasury_ Its treasury.
    /// @param feeRecipient_ Its fee recipient.
    /// @param admin_ Holder of the token's DEFAULT_ADMIN_ROLE.
    /// @param unit_ Typical contribution size; non-zero.
    constructor(
        Crowdfund crowdfund_,
        CrowdfundPayee treasury_,
        CrowdfundPayee feeRecipient_,
        address admin_,
        uint256 unit_
    ) {
        crowdfund = crowdfund_;
        token = SocialToken(crowdfund_.token());
        treasury = treasury_;
        feeRecipient = feeRecipient_;
        rejecter = new CrowdfundPayee(false);
        admin = admin_;
        unit = unit_;
        start = block.timestamp;
        initialSupply = token.totalSupply();
        ICrowdfund.Params memory p = crowdfund_.params();
        goal = p.goal;
        cap = p.cap;
        deadline = p.deadline;
        price = p.price;
        referralBps = p.referralBps;
        (, feeBps) = crowdfund_.fee();
        minterGranted = token.hasRole(MINTER_ROLE, address(crowdfund_));
        actors = [address(0xC0F1), address(0xC0F2), address(0xC0F3), address(0xC0F4)];
    }

    /*//////////////////////////////////////////////////////////////
                                 DRIVER
    //////////////////////////////////////////////////////////////*/

    /// @notice Performs one weighted pseudo-random action chosen by `seed`.
    function step(uint256 seed) external {
        uint256 roll = _rand(seed, "action") % 100;
        if (roll < 36) actContribute(seed);
        else if (roll < 48) actWarp(seed);
        else if (roll < 58) actFinalize(seed);
        else if (roll < 70) actClaimTokens(seed);
        else if (roll < 84) actRefund(seed);
        else if (roll < 89) actWithdrawPayout(seed);
        else if (roll < 93) actForceSend(seed);
        else if (roll < 97) actTogglePayee(seed);
        else actToggleMinter(seed);
    }

    /*//////////////////////////////////////////////////////////////
                                 ACTIONS
    //////////////////////////////////////////////////////////////*/

    /// @notice A contributor pays: usually a fair share of the goal, sometimes a few wei (rounding),
    /// exactly what is left to the cap or the goal, more than the cap allows, nothing, or with the
    /// wrong ETH value; naming no referrer, itself, another contributor or an outsider.
    function actContribute(uint256 seed) public {
        address actor = _actor(_rand(seed, "actor"));
        address referrer = _referrer(actor, _rand(seed, "referrer"));
        (uint256 amount, uint256 value) = _contribution(seed);

        bytes memory expected = _predictContribute(amount, value);
        vm.deal(actor, actor.balance + value);
        uint256 balanceBefore = address(crowdfund).balance;
        vm.prank(actor);
        try crowdfund.contribute{value: value}(amount, referrer) {
            if (_outcome(Action.Contribute, expected, true, "")) {
                uint256 delta = address(crowdfund).balance - balanceBefore;
                _check(delta == amount, "contribute: crowdfund balance delta != amount");
                contributed += delta;
                raisedModel += amount;
                paidModel[actor] += amount;
                contributedBy[actor] += amount;
                if (referrer != address(0) && referrer != actor) {
                    referredTotalModel += amount;
                    referredModel[referrer] += amount;
                    referredEver[referrer] += amount;
                }
            }
        } catch (bytes memory reason) {
            _outcome(Action.Contribute, expected, false, reason);
            _check(address(crowdfund).balance == balanceBefore, "contribute: a failed contribution moved ETH");
        }
    }

    /// @notice Moves time forward: usually a little (up to a fifth of the crowdfund's duration),
    /// sometimes to the deadline's last second, just past it, into the minting grace period, to its
    /// last second or just past it.
    function actWarp(uint256 seed) public {
        uint256 r = _rand(seed, "warp");
        uint256 now_ = block.timestamp;
        uint256 mode = r % 20;
        uint256 target;
        if (mode < 16) target = now_ + 1 + ((r >> 8) % ((deadline - start) / 5 + 1));
        else if (mode == 16) target = deadline;
        else if (mode == 17) target = deadline + 1 + ((r >> 8) % 2) * ((r >> 16) % MINT_GRACE);
        else if (mode == 18) target = deadline + MINT_GRACE;
        else target = deadline + MINT_GRACE + 1;
        if (target <= now_) target = now_ + 1;
        vm.warp(target);
        successes[uint256(Action.Warp)] += 1;
    }

    /// @notice Anyone finalises: succeeds (mints, pays the treasury and the fee, deferring what a
    /// payee refuses), fails the crowdfund, or reverts (wrong state, or minting impossible within
    /// the grace period).
    function actFinalize(uint256 seed) public {
        (bytes memory expected, uint8 outcome, uint256 tokens) = _predictFinalize();
        uint256 supplyBefore = token.totalSupply();
        uint256 treasuryBefore = address(treasury).balance;
        uint256 feeBefore = address(feeRecipient).balance;
        uint256 balanceBefore = address(crowdfund).balance;

        vm.prank(_caller(_rand(seed, "caller")));
        try crowdfund.finalize() {
            if (!_outcome(Action.Finalize, expected, true, "")) return;
            if (outcome != 0) {
                settled = ICrowdfund.State.Failed;
                if (outcome == 1) finalizedFailedGoal += 1;
                else finalizedFailedMint += 1;
                _check(token.totalSupply() == supplyBefore, "finalize (failed): tokens minted");
                _check(address(crowdfund).balance == balanceBefore, "finalize (failed): ETH moved");
                return;
            }
            settled = ICrowdfund.State.Succeeded;
            finalizedSucceeded += 1;
            feeModel = (raisedModel * feeBps) / MAX_BPS;
            proceedsModel = raisedModel - feeModel;
            mintedModel = tokens;
            minted = token.totalSupply() - supplyBefore;
            _check(minted == tokens, "finalize: supply delta != predicted tokens");
            _check(token.balanceOf(address(crowdfund)) == tokens, "finalize: crowdfund token balance != minted");

            uint256 treasuryGot = address(treasury).balance - treasuryBefore;
            uint256 feeGot = address(feeRecipient).balance - feeBefore;
            treasuryReceived += treasuryGot;
            feeReceived += feeGot;
            _settlePayout(address(treasury), proceedsModel, treasuryGot, true);
            _settlePayout(address(feeRecipient), feeModel, feeGot, feeModel != 0);
            _check(
                balanceBefore - address(crowdfund).balance == treasuryGot + feeGot,
                "finalize: crowdfund balance delta != payouts"
            );
        } catch (bytes memory reason) {
            _outcome(Action.Finalize, expected, false, reason);
        }
    }

    /// @notice Anyone claims an account's tokens (a contributor, or the outsider who only referred),
    /// usually one that has something recorded.
    function actClaimTokens(uint256 seed) public {
        address account = _holder(_rand(seed, "account"));
        (uint256 tokens, uint256 bonus) = claimableModel(account);
        bytes memory expected;
        if (settled != ICrowdfund.State.Succeeded) {
            expected = abi.encodeWithSelector(ICrowdfund.CrowdfundWrongState.selector, stateModel());
        } else if (tokens == 0 && bonus == 0) {
            expected = abi.encodeWithSelector(ICrowdfund.CrowdfundNothingToClaim.selector, account);
        }

        uint256 balanceBefore = token.balanceOf(account);
        uint256 heldBefore = token.balanceOf(address(crowdfund));
        vm.prank(_caller(_rand(seed, "caller")));
        try crowdfund.claimTokens(account) {
            if (_outcome(Action.ClaimTokens, expected, true, "")) {
                uint256 got = token.balanceOf(account) - balanceBefore;
                _check(got == tokens + bonus, "claimTokens: account received != claimable");
                _check(heldBefore - token.balanceOf(address(crowdfund)) == got, "claimTokens: crowdfund delta");
                tokensClaimed += got;
                claimCount[account] += 1;
                claimants += 1;
                paidModel[account] = 0;
                referredModel[account] = 0;
            }
        } catch (bytes memory reason) {
            _outcome(Action.ClaimTokens, expected, false, reason);
        }
    }

    /// @notice A contributor (usually one still owed, sometimes the outsider, who paid nothing) asks
    /// for its refund, to itself,
    /// another actor, a payee, an address that refuses ETH, the crowdfund itself or the zero address.
    function actRefund(uint256 seed) public {
        address caller = _holder(_rand(seed, "refunder"));
        address payable to = _refundTarget(caller, _rand(seed, "to"));
        uint256 amount = paidModel[caller];

        bytes memory expected;
        bool recordsFailure;
        ICrowdfund.State current = stateModel();
        if (to == address(0)) {
            expected = abi.encodeWithSelector(ICrowdfund.CrowdfundZeroAddress.selector);
        } else {
            if (current == ICrowdfund.State.Ended && raisedModel < goal) {
                current = ICrowdfund.State.Failed;
                recordsFailure = true;
            }
            if (current != ICrowdfund.State.Failed) {
                expected = abi.encodeWithSelector(ICrowdfund.CrowdfundWrongState.selector, current);
            } else if (amount == 0) {
                expected = abi.encodeWithSelector(ICrowdfund.CrowdfundNothingToClaim.selector, caller);
            } else if (!_takesEth(to)) {
                expected = abi.encodeWithSelector(ICrowdfund.CrowdfundEthTransferFailed.selector, to, amount);
            }
        }

        uint256 toBefore = to.balance;
        uint256 balanceBefore = address(crowdfund).balance;
        vm.prank(caller);
        try crowdfund.refund(to) {
            if (_outcome(Action.Refund, expected, true, "")) {
                uint256 got = to.balance - toBefore;
                _check(got == amount, "refund: target received != what the contributor paid");
                _check(balanceBefore - address(crowdfund).balance == got, "refund: crowdfund delta != refund");
                refunded += got;
                refundedOf[caller] += got;
                refundCount[caller] += 1;
                paidModel[caller] = 0;
                if (recordsFailure) {
                    settled = ICrowdfund.State.Failed;
                    refundsRecordingFailure += 1;
                }
            }
        } catch (bytes memory reason) {
            _outcome(Action.Refund, expected, false, reason);
            _check(address(crowdfund).balance == balanceBefore, "refund: a failed refund moved ETH");
        }
    }

    /// @notice Anyone sends a deferred payout to the treasury, the fee recipient or an actor; half
    /// the time a refusing treasury or fee recipient first starts taking ETH again.
    function actWithdrawPayout(uint256 seed) public {
        uint256 r = _rand(seed, "recipient") % 5;
        address recipient = r < 2 ? address(treasury) : (r < 4 ? address(feeRecipient) : _actor(r >> 8));
        // Usually go for a payee that is owed something.
        if (r < 4 && owedModel[recipient] == 0) {
            address other = recipient == address(treasury) ? address(feeRecipient) : address(treasury);
            if (owedModel[other] != 0) recipient = other;
        }
        if (r < 4 && _rand(seed, "fix") % 2 == 0) CrowdfundPayee(payable(recipient)).setAccepting(true);
        uint256 amount = owedModel[recipient];
        bytes memory expected;
        if (amount == 0) {
            expected = abi.encodeWithSelector(ICrowdfund.CrowdfundNothingToClaim.selector, recipient);
        } else if (!_takesEth(recipient)) {
            expected = abi.encodeWithSelector(ICrowdfund.CrowdfundEthTransferFailed.selector, recipient, amount);
        }

        uint256 before = recipient.balance;
        uint256 balanceBefore = address(crowdfund).balance;
        vm.prank(_caller(_rand(seed, "caller")));
        try crowdfund.withdrawPayout(recipient) {
            if (_outcome(Action.WithdrawPayout, expected, true, "")) {
                uint256 got = recipient.balance - before;
                _check(got == amount, "withdrawPayout: recipient received != owed");
                _check(balanceBefore - address(crowdfund).balance == got, "withdrawPayout: crowdfund delta");
                if (recipient == address(treasury)) treasuryReceived += got;
                else feeReceived += got;
                owedModel[recipient] = 0;
            }
        } catch (bytes memory reason) {
            _outcome(Action.WithdrawPayout, expected, false, reason);
        }
    }

    /// @notice Forces ETH onto the crowdfund's balance (as a selfdestruct or a coinbase reward would).
    function actForceSend(uint256 seed) public {
        uint256 amount = 1 + (_rand(seed, "force") % unit);
        vm.deal(address(crowdfund), address(crowdfund).balance + amount);
        forceSent += amount;
        successes[uint256(Action.ForceSend)] += 1;
    }

    /// @notice The treasury or the fee recipient starts or stops taking ETH.
    function actTogglePayee(uint256 seed) public {
        CrowdfundPayee payee = _rand(seed, "payee") % 2 == 0 ? treasury : feeRecipient;
        payee.setAccepting(!payee.accepting());
        successes[uint256(Action.TogglePayee)] += 1;
    }

    /// @notice The DAO grants the crowdfund MINTER_ROLE or, now and then, revokes it again.
    function actToggleMinter(uint256 seed) public {
        if (!minterGranted) {
            vm.prank(admin);
            token.grantRole(MINTER_ROLE, address(crowdfund));
            minterGranted = true;
        } else if (_rand(seed, "revoke") % 3 == 0) {
            vm.prank(admin);
            token.revokeRole(MINTER_ROLE, address(crowdfund));
            minterGranted = false;
        }
        successes[uint256(Action.ToggleMinter)] += 1;
    }

    /*//////////////////////////////////////////////////////////////
                              MODEL VIEWS
    //////////////////////////////////////////////////////////////*/

    /// @notice The state the crowdfund should report.
    function stateModel() public view returns (ICrowdfund.State) {
        if (settled != ICrowdfund.State.Active) return settled;
        if (block.timestamp > deadline) return ICrowdfund.State.Ended;
        if (cap != 0 && raisedModel == cap) return ICrowdfund.State.Ended;
        return ICrowdfund.State.Active;
    }

    /// @notice The tokens `account` should be able to claim (once Succeeded).
    function claimableModel(address account) public view returns (uint256 tokens, uint256 bonus) {
        tokens = Math.mulDiv(paidModel[account], price, PRICE_SCALE);
        bonus = Math.mulDiv(Math.mulDiv(referredModel[account], price, PRICE_SCALE), referralBps, MAX_BPS);
    }

    /// @notice The tokens a successful finalisation should mint for the contributions so far:
    /// `mulDiv(raised, price, 1e18) + mulDiv(mulDiv(referredTotal, price, 1e18), referralBps, 10_000)`.
    function tokensForContributions() public view returns (uint256) {
        return
            Math.mulDiv(raisedModel, price, PRICE_SCALE) +
            Math.mulDiv(Math.mulDiv(referredTotalModel, price, PRICE_SCALE), referralBps, MAX_BPS);
    }

    /// @notice Account `i` of the {ACCOUNT_COUNT} that may hold a claim.
    function accountAt(uint256 i) public view returns (address) {
        return i < ACTOR_COUNT ? actors[i] : OUTSIDER;
    }

    /*//////////////////////////////////////////////////////////////
                               PREDICTIONS
    //////////////////////////////////////////////////////////////*/

    function _predictContribute(uint256 amount, uint256 value) private view returns (bytes memory) {
        if (settled != ICrowdfund.State.Active) {
            return abi.encodeWithSelector(ICrowdfund.CrowdfundWrongState.selector, settled);
        }
        if (block.timestamp > deadline) {
            return abi.encodeWithSelector(ICrowdfund.CrowdfundDeadlinePassed.selector, deadline);
        }
        if (amount == 0) return abi.encodeWithSelector(ICrowdfund.CrowdfundZeroAmount.selector);
        if (value != amount) return abi.encodeWithSelector(ICrowdfund.CrowdfundWrongValue.selector, value, amount);
        uint256 limit = cap != 0 ? cap : type(uint128).max;
        if (amount > limit - raisedModel) {
            return abi.encodeWithSelector(ICrowdfund.CrowdfundCapExceeded.selector, amount, limit - raisedModel);
        }
        return "";
    }

    /// @dev The expected revert data (empty on success), the outcome (0 succeeded, 1 failed for
    /// the goal, 2 failed for minting) and the tokens a success mints.
    function _predictFinalize() private view returns (bytes memory expected, uint8 outcome, uint256 tokens) {
        ICrowdfund.State current = stateModel();
        if (current != ICrowdfund.State.Ended) {
            return (abi.encodeWithSelector(ICrowdfund.CrowdfundWrongState.selector, current), 0, 0);
        }
        if (raisedModel < goal) return ("", 1, 0);
        tokens = tokensForContributions();
        bool mintable = minterGranted && token.totalSupply() + tokens <= token.cap();
        if (mintable) return ("", 0, tokens);
        if (block.timestamp <= deadline + MINT_GRACE) {
            return (abi.encodeWithSelector(ICrowdfund.CrowdfundCannotMint.selector, deadline + MINT_GRACE), 0, 0);
        }
        return ("", 2, 0);
    }

    /// @dev Checks a finalisation payout: paid in full if the payee took ETH, otherwise deferred.
    function _settlePayout(address payee, uint256 amount, uint256 got, bool attempted) private {
        if (!attempted) {
            _check(got == 0, "finalize: zero fee paid something");
            return;
        }
        if (CrowdfundPayee(payable(payee)).accepting()) {
            _check(got == amount, "finalize: payee received != its payout");
        } else {
            _check(got == 0, "finalize: refusing payee received ETH");
            owedModel[payee] += amount;
            payoutsDeferred += 1;
        }
        _check(crowdfund.payoutOwed(payee) == owedModel[payee], "finalize: payoutOwed != model");
    }

    /*//////////////////////////////////////////////////////////////
                                 CHOICES
    //////////////////////////////////////////////////////////////*/

    function _contribution(uint256 seed) private view returns (uint256 amount, uint256 value) {
        uint256 r = _rand(seed, "amount");
        uint256 mode = r % 20;
        uint256 limit = cap != 0 ? cap : type(uint128).max;
        uint256 left = limit - raisedModel;
        if (mode == 0) {
            amount = 0;
        } else if (mode < 3) {
            amount = 1 + ((r >> 8) % 1e6); // dust: exercises the token rounding
        } else if (mode < 5) {
            // Exactly what reaches the cap (or, without a cap, the goal).
            amount = cap != 0 ? left : (goal > raisedModel ? goal - raisedModel : 1 + ((r >> 8) % unit));
        } else if (mode == 5) {
            amount = left + 1 + ((r >> 8) % unit); // past the cap
        } else {
            amount = 1 + ((r >> 8) % unit);
        }
        value = amount;
        uint256 v = _rand(seed, "value") % 20;
        if (v == 0) value = amount + 1;
        else if (v == 1 && amount != 0) value = amount - 1;
    }

    function _referrer(address actor, uint256 r) private view returns (address) {
        uint256 mode = r % 6;
        if (mode == 0) return address(0);
        if (mode == 1) return actor; // a self-referral is ignored
        if (mode == 5) return OUTSIDER;
        return _actor(r >> 8); // another contributor (or, by chance, itself)
    }

    function _refundTarget(address caller, uint256 r) private view returns (address payable) {
        uint256 mode = r % 16;
        if (mode < 8) return payable(caller);
        if (mode < 11) return payable(_actor(r >> 8));
        if (mode == 11) return payable(OUTSIDER);
        if (mode == 12) return payable(address(rejecter));
        if (mode == 13) return payable(address(crowdfund)); // has no receive: the refund must revert
        if (mode == 14) return payable(address(treasury)); // takes ETH only while accepting
        return payable(address(0));
    }

    /// @dev Whether a plain ETH transfer to `to` succeeds.
    function _takesEth(address to) private view returns (bool) {
        if (to == address(crowdfund) || to == address(rejecter)) return false;
        if (to == address(treasury) || to == address(feeRecipient)) return CrowdfundPayee(payable(to)).accepting();
        return true;
    }

    /// @dev Usually (three times in four) an account that still has a contribution or a referral
    /// recorded, if any; otherwise any account.
    function _holder(uint256 r) private view returns (address) {
        if (r % 4 != 0) {
            for (uint256 i; i < ACCOUNT_COUNT; ++i) {
                address a = accountAt((i + (r >> 8)) % ACCOUNT_COUNT);
                if (paidModel[a] != 0 || referredModel[a] != 0) return a;
            }
        }
        return _account(r >> 16);
    }

    function _actor(uint256 r) private view returns (address) {
        return actors[r % ACTOR_COUNT];
    }

    function _account(uint256 r) private view returns (address) {
        return accountAt(r % ACCOUNT_COUNT);
    }

    /// @dev Who sends a permissionless call: an actor, the outsider or the treasury.
    function _caller(uint256 r) private view returns (address) {
        uint256 mode = r % 6;
        if (mode == 5) return address(treasury);
        return accountAt(mode);
    }

    /*//////////////////////////////////////////////////////////////
                                RECORDING
    //////////////////////////////////////////////////////////////*/

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

    /// @dev The action's name and index, for failure messages.
    function _actionName(uint256 action) internal pure override returns (string memory) {
        string[ACTION_COUNT] memory names = [
            "contribute",
            "warp",
            "finalize",
            "claimTokens",
            "refund",
            "withdrawPayout",
            "forceSend",
            "togglePayee",
            "toggleMinter"
        ];
        return string.concat(names[action], " (action ", Strings.toString(action), ")");
    }
}
