// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {Strings} from "@openzeppelin/contracts/utils/Strings.sol";
import {Vm, hexOf} from "./SolidityTestBase.sol";

/**
 * @title ModelHandler
 * @notice TEST ONLY. The bookkeeping shared by the stateful handlers that keep an independent model
 * of the contracts they drive: pseudo-random choices from a seed, per-action success and
 * expected-revert counters, and the record of outcomes that differed from the model's prediction
 * (`violations`, `firstViolation`), which the invariant functions read. Expected reverts are
 * counted, never propagated, so a forge-style invariant run can call any action at any time.
 * Never deploy it outside tests.
 */
abstract contract ModelHandler {
    /// @dev The cheatcodes (EDR serves them at the forge-std address).
    Vm internal constant vm = Vm(address(uint160(uint256(keccak256("hevm cheat code")))));

    /// @notice Outcomes that differed from the model's prediction.
    uint256 public violations;
    /// @notice The first such outcome, described.
    string public firstViolation;

    /// @notice Calls that succeeded as predicted, per action index.
    mapping(uint256 action => uint256) public successes;
    /// @notice Calls that reverted as predicted, per action index.
    mapping(uint256 action => uint256) public expectedReverts;

    /// @dev The action's name, for failure messages.
    function _actionName(uint256 action) internal pure virtual returns (string memory);

    /// @dev Records a violation unless `condition` holds.
    function _check(bool condition, string memory what) internal {
        if (!condition) _violation(what);
    }

    /// @dev Records a violation (the first one is kept, with the time it happened).
    function _violation(string memory what) internal {
        if (violations == 0) firstViolation = string.concat(what, " (t=", Strings.toString(block.timestamp), ")");
        violations += 1;
    }

    /// @dev Compares an outcome with the prediction (`expected` empty: success; otherwise the exact
    /// revert data) and counts it. Returns true when the call succeeded as predicted.
    function _outcome(
        uint256 action,
        bytes memory expected,
        bool succeeded,
        bytes memory reason
    ) internal returns (bool) {
        if (succeeded) {
            if (expected.length != 0) {
                _violation(string.concat(_actionName(action), ": succeeded, expected revert ", hexOf(expected)));
                return false;
            }
            successes[action] += 1;
            return true;
        }
        if (keccak256(reason) != keccak256(expected)) {
            _violation(
                string.concat(
                    _actionName(action),
                    ": reverted with ",
                    hexOf(reason),
                    ", expected ",
                    expected.length == 0 ? "success" : hexOf(expected)
                )
            );
        } else {
            expectedReverts[action] += 1;
        }
        return false;
    }

    /// @dev A pseudo-random word derived from `seed` and a salt naming the choice.
    function _rand(uint256 seed, string memory salt) internal pure returns (uint256) {
        return uint256(keccak256(abi.encode(seed, salt)));
    }

    /// @dev As {_rand}, with a numeric salt.
    function _rand(uint256 seed, uint256 salt) internal pure returns (uint256) {
        return uint256(keccak256(abi.encode(seed, salt)));
    }
}

/**
 * @title InvariantTargets
 * @notice TEST ONLY. Forge-style target selection for EDR's invariant fuzzer: only the listed
 * functions of one handler are called. A test contract inherits it and sets {_handlerTarget} and
 * {_handlerSelectors}.
 */
abstract contract InvariantTargets {
    /// @dev Forge-style target selection.
    struct FuzzSelector {
        address addr;
        bytes4[] selectors;
    }

    /// @dev The handler the fuzzer calls.
    function _handlerTarget() internal view virtual returns (address);

    /// @dev The handler functions it calls.
    function _handlerSelectors() internal pure virtual returns (bytes4[] memory);

    /// @dev Only the handler is called...
    function targetContracts() public view returns (address[] memory targets) {
        targets = new address[](1);
        targets[0] = _handlerTarget();
    }

    /// @dev ...and only through its actions.
    function targetSelectors() public view returns (FuzzSelector[] memory targets) {
        targets = new FuzzSelector[](1);
        targets[0] = FuzzSelector({addr: _handlerTarget(), selectors: _handlerSelectors()});
    }
}
