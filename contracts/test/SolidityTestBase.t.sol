// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

// Unit tests of the Solidity test base itself: `bound`, which every fuzz test uses to bring its
// inputs into range. A value already in range must come back unchanged (the fuzzer's dictionary
// picks boundary values on purpose); a value outside is mapped into the range.

import {Assertions, Vm} from "./SolidityTestBase.sol";

contract SolidityTestBaseTest is Assertions {
    Vm internal constant vm = Vm(address(uint160(uint256(keccak256("hevm cheat code")))));

    uint256 internal constant MAX = type(uint256).max;

    /// @dev `bound` behind an external call, so a revert can be expected.
    function boundExternal(uint256 x, uint256 min, uint256 max) external pure returns (uint256) {
        return bound(x, min, max);
    }

    function test_BoundKeepsInRangeValues() public pure {
        assertEq(bound(10, 10, 20), 10, "min");
        assertEq(bound(11, 10, 20), 11, "min + 1");
        assertEq(bound(15, 10, 20), 15, "middle");
        assertEq(bound(19, 10, 20), 19, "max - 1");
        assertEq(bound(20, 10, 20), 20, "max");
        assertEq(bound(0, 0, 5), 0, "zero as min");
        assertEq(bound(MAX, 1, MAX), MAX, "uint256 max as max");
    }

    function test_BoundMapsValuesBelowTheRangeUpFromMin() public pure {
        assertEq(bound(0, 10, 20), 10, "0 -> min");
        assertEq(bound(1, 10, 20), 11, "1 -> min + 1");
        assertEq(bound(9, 10, 20), 19, "9 -> min + 9");
        assertEq(bound(0, 1, MAX), 1, "0 -> 1 when only 0 is out of range");
    }

    function test_BoundMapsValuesAboveTheRangeDownFromMax() public pure {
        assertEq(bound(MAX, 10, 20), 20, "uint256 max -> max");
        assertEq(bound(MAX - 1, 10, 20), 19, "uint256 max - 1 -> max - 1");
        // (MAX - 21) % 11 == 9 and (MAX - 100) % 11 == 7.
        assertEq(bound(21, 10, 20), 11, "max + 1");
        assertEq(bound(100, 10, 20), 13, "100");
        assertEq(bound(MAX, 0, MAX - 1), MAX - 1, "uint256 max -> max when only it is out of range");
    }

    function test_BoundMinEqualsMax() public pure {
        assertEq(bound(0, 7, 7), 7, "0");
        assertEq(bound(7, 7, 7), 7, "7");
        assertEq(bound(8, 7, 7), 7, "8");
        assertEq(bound(MAX, 7, 7), 7, "uint256 max");
        assertEq(bound(MAX, MAX, MAX), MAX, "uint256 max as min and max");
        assertEq(bound(1, 0, 0), 0, "0 as min and max");
    }

    function test_BoundFullRangeReturnsEveryValue() public pure {
        assertEq(bound(0, 0, MAX), 0, "0");
        assertEq(bound(1, 0, MAX), 1, "1");
        assertEq(bound(MAX, 0, MAX), MAX, "uint256 max");
    }

    function test_BoundRevertsWhenMinIsAboveMax() public {
        vm.expectRevert(abi.encodeWithSignature("Error(string)", "bound: min > max"));
        this.boundExternal(0, 2, 1);
    }

    /// @dev Any x and any range: the result is in range, and equals x when x already was.
    function testFuzz_BoundIsInRangeAndKeepsInRangeValues(uint256 x, uint256 a, uint256 b) public pure {
        (uint256 min, uint256 max) = a <= b ? (a, b) : (b, a);
        uint256 result = bound(x, min, max);
        assertTrue(result >= min && result <= max, "result in range");
        if (x >= min && x <= max) assertEq(result, x, "in-range value unchanged");
    }

    /// @dev Small ranges, where in-range and out-of-range inputs are both frequent.
    function testFuzz_BoundSmallRanges(uint256 x, uint8 min, uint8 width) public pure {
        uint256 max = uint256(min) + width;
        uint256 result = bound(x, min, max);
        assertTrue(result >= min && result <= max, "result in range");
        if (x >= min && x <= max) assertEq(result, x, "in-range value unchanged");
        else if (x < min) assertEq(result, min + (x % (uint256(width) + 1)), "below: counts up from min");
        else assertEq(result, max - ((MAX - x) % (uint256(width) + 1)), "above: counts down from max");
    }

    /// @dev Any x in the full range comes back unchanged.
    function testFuzz_BoundFullRange(uint256 x) public pure {
        assertEq(bound(x, 0, MAX), x, "full range");
    }
}
