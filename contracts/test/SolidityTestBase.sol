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

    /// @dev `x` mapped into [min, max] (inclusive), uniformly enough for fuzzing.
    function bound(uint256 x, uint256 min, uint256 max) internal pure returns (uint256) {
        if (min > max) revert("bound: min > max");
        uint256 size = max - min;
        if (size == type(uint256).max) return x;
        return min + (x % (size + 1));
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
