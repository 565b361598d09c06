// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

contract Counter { uint256 public n; function inc(uint8 x) external { n += x; if (n > 2000) n = 0; } }

contract ProbeTest {
    Counter c;
    function setUp() public { c = new Counter(); }
    function targetContracts() public view returns (address[] memory a) { a = new address[](1); a[0] = address(c); }
    /// forge-config: default.invariant.runs = 3
    /// forge-config: default.invariant.depth = 7
    function invariant_small() public view { require(c.n() <= 2000, "n"); }
    /// forge-config: default.fuzz.runs = 5
    function testFuzz_probe(uint256 x) public pure { require(x == x); }
    function testFuzz_probeDefault(uint256 x) public pure { require(x == x); }
}
