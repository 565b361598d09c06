// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/**
 * @title CloneArgs
 * @notice Reads the immutable arguments that OpenZeppelin's `Clones.cloneWithImmutableArgs`
 * appends to an EIP-1167 clone's 45-byte runtime code, when they are packed addresses
 * (`abi.encodePacked(a0, a1, ...)`). One EXTCODECOPY of the running contract's own code, with no
 * memory allocation: cheaper than `Clones.fetchCloneArgs` on hot paths.
 * @dev On a contract that is not such a clone (e.g. an implementation) this reads whatever follows
 * byte 45 of its code, or zeros past its end; callers must not rely on the result there.
 */
library CloneArgs {
    /// @dev Length of the EIP-1167 runtime code that precedes the arguments.
    uint256 private constant CLONE_CODE_LENGTH = 0x2d;

    /// @notice The `index`-th packed address argument of the running clone.
    /// @param index 0 for the first address, 1 for the second, ...
    /// @return a The address.
    function addressAt(uint256 index) internal view returns (address a) {
        uint256 offset = CLONE_CODE_LENGTH + index * 20;
        // Reads the clone's own code: Solidity has no EXTCODECOPY of a slice.
        // solhint-disable-next-line no-inline-assembly
        assembly ("memory-safe") {
            extcodecopy(address(), 0x00, offset, 0x20)
            a := shr(96, mload(0x00))
        }
    }
}
