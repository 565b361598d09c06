// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {IGovernor} from "@openzeppelin/contracts/governance/IGovernor.sol";
import {IVotes} from "@openzeppelin/contracts/governance/utils/IVotes.sol";
import {FlashLender, IFlashBorrower} from "./FlashLender.sol";

/**
 * @title FlashVoter
 * @notice TEST ONLY. An attacker that borrows a community's tokens from a {FlashLender} and, within
 * the same transaction, delegates them to itself and votes (or proposes) with them, then repays.
 * Records the weight the governor counted. Never deploy it outside tests.
 */
contract FlashVoter is IFlashBorrower {
    using SafeERC20 for IERC20;

    /// @notice The governor attacked.
    IGovernor public immutable governor;
    /// @notice Its token.
    IERC20 public immutable token;

    /// @notice The weight the governor gave the last vote cast with borrowed tokens.
    uint256 public lastWeight;
    /// @notice The votes this contract held while it held the loan.
    uint256 public votesDuringLoan;

    uint8 private constant HOLD = 0;
    uint8 private constant VOTE = 1;
    uint8 private constant PROPOSE = 2;

    constructor(IGovernor governor_, IERC20 token_) {
        governor = governor_;
        token = token_;
    }

    /// @notice Borrows `amount`, delegates it to itself and repays, doing nothing else.
    function borrowAndHold(FlashLender lender, uint256 amount) external {
        lender.flashLoan(this, amount, abi.encode(HOLD, ""));
    }

    /// @notice Borrows `amount` and votes For `proposalId` with it in one transaction.
    function borrowAndVote(FlashLender lender, uint256 amount, uint256 proposalId) external {
        lender.flashLoan(this, amount, abi.encode(VOTE, abi.encode(proposalId)));
    }

    /// @notice Borrows `amount` and proposes with it in one transaction (to clear the threshold).
    function borrowAndPropose(
        FlashLender lender,
        uint256 amount,
        address[] calldata targets,
        uint256[] calldata values,
        bytes[] calldata calldatas,
        string calldata description
    ) external {
        lender.flashLoan(this, amount, abi.encode(PROPOSE, abi.encode(targets, values, calldatas, description)));
    }

    /// @inheritdoc IFlashBorrower
    function onFlashLoan(uint256 amount, bytes calldata data) external {
        (uint8 action, bytes memory args) = abi.decode(data, (uint8, bytes));
        // Make sure the borrowed tokens carry votes now (self-delegation is the default anyway).
        IVotes(address(token)).delegate(address(this));
        votesDuringLoan = IVotes(address(token)).getVotes(address(this));
        if (action == VOTE) {
            uint256 proposalId = abi.decode(args, (uint256));
            lastWeight = governor.castVote(proposalId, 1);
        } else if (action == PROPOSE) {
            (
                address[] memory targets,
                uint256[] memory values,
                bytes[] memory calldatas,
                string memory description
            ) = abi.decode(args, (address[], uint256[], bytes[], string));
            governor.propose(targets, values, calldatas, description);
        }
        token.safeTransfer(msg.sender, amount);
    }
}
