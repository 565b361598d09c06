// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {Strings} from "@openzeppelin/contracts/utils/Strings.sol";

// Shared by the Solidity test files (`*.t.sol`). forge-std is not installed, so the tests declare
// the cheatcodes they use and a few assertion helpers here. TEST ONLY.

/// @dev The cheatcodes the tests use (EDR serves them at the forge-std cheatcode address).
interface Vm {
    /// @dev A log captured by {recordLogs}.
    struct Log {
        bytes32[] topics;
        bytes data;
        address emitter;
    }

    function assume(bool condition) external pure;
    function recordLogs() external;
    function getRecordedLogs() external returns (Log[] memory logs);
    function prank(address sender) external;
    function startPrank(address sender) external;
    function stopPrank() external;
    function warp(uint256 timestamp) external;
    function expectRevert(bytes4 selector) external;
    function expectRevert(bytes calldata revertData) external;
    function sign(uint256 privateKey, bytes32 digest) external pure returns (uint8 v, bytes32 r, bytes32 s);
    function addr(uint256 privateKey) external pure returns (address);
    function deal(address account, uint256 newBalance) external;
    function snapshotState() external returns (uint256 snapshotId);
    function revertToStateAndDelete(uint256 snapshotId) external returns (bool success);
}

/// @dev Minimal assertions: revert with both values so a failing fuzz run explains itself.
abstract contract Assertions {
    function assertEq(uint256 actual, uint256 expected, string memory what) internal pure {
        if (actual != expected) {
            revert(string.concat(what, ": ", Strings.toString(actual), " != expected ", Strings.toString(expected)));
        }
    }

    function assertEq(address actual, address expected, string memory what) internal pure {
        if (actual != expected) {
            revert(
                string.concat(what, ": ", Strings.toHexString(actual), " != expected ", Strings.toHexString(expected))
            );
        }
    }

    function assertEq(bytes32 actual, bytes32 expected, string memory what) internal pure {
        if (actual != expected) {
            revert(
                string.concat(
                    what,
                    ": ",
                    Strings.toHexString(uint256(actual), 32),
                    " != expected ",
                    Strings.toHexString(uint256(expected), 32)
                )
            );
        }
    }

    function assertTrue(bool condition, string memory what) internal pure {
        if (!condition) revert(what);
    }

    function assertLe(uint256 a, uint256 b, string memory what) internal pure {
        if (a > b) revert(string.concat(what, ": ", Strings.toString(a), " > ", Strings.toString(b)));
    }

    /// @dev `x` mapped into [min, max] (inclusive). A value already in range is returned unchanged,
    /// so the boundary values the fuzzer's dictionary picks (`min`, `max`, their neighbours) reach the
    /// test as they are. A value below the range counts up from `min` (0 -> min, 1 -> min + 1, ...)
    /// and a value above it counts down from `max` (type(uint256).max -> max, ... - 1 -> max - 1),
    /// both wrapping modulo the range's size, so the extremes of uint256 land on the bounds too.
    function bound(uint256 x, uint256 min, uint256 max) internal pure returns (uint256) {
        if (min > max) revert("bound: min > max");
        if (x >= min && x <= max) return x;
        // Here the range is not all of uint256 (every x would be in it), so size + 1 cannot overflow.
        uint256 size = max - min + 1;
        if (x < min) return min + (x % size);
        return max - ((type(uint256).max - x) % size);
    }
}

/// @dev Revert data and other bytes as 0x-hex for failure messages ("0x (empty)" for none).
function hexOf(bytes memory data) pure returns (string memory) {
    if (data.length == 0) return "0x (empty)";
    bytes memory out = new bytes(2 + data.length * 2);
    bytes16 digits = "0123456789abcdef";
    (out[0], out[1]) = ("0", "x");
    for (uint256 i; i < data.length; ++i) {
        out[2 + 2 * i] = digits[uint8(data[i]) >> 4];
        out[3 + 2 * i] = digits[uint8(data[i]) & 0x0f];
    }
    return string(out);
}
