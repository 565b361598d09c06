// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IERC1271} from "@openzeppelin/contracts/interfaces/IERC1271.sol";
import {ECDSA} from "@openzeppelin/contracts/utils/cryptography/ECDSA.sol";

/**
 * @title MockERC1271Wallet
 * @notice TEST ONLY. A minimal ERC-1271 contract wallet controlled by one EOA, the `owner`: a
 * signature is valid for a hash when it is a (low-s, 65-byte) ECDSA signature of that hash by the
 * owner. Used to test that a reward vault accepts vouchers from a contract-wallet attester.
 */
contract MockERC1271Wallet is IERC1271 {
    /// @notice `bytes4(keccak256("isValidSignature(bytes32,bytes)"))`, returned for valid signatures.
    bytes4 private constant MAGIC_VALUE = IERC1271.isValidSignature.selector;
    /// @notice Returned for invalid signatures.
    bytes4 private constant INVALID_VALUE = 0xffffffff;

    /// @notice The EOA whose signatures this wallet accepts.
    address public immutable owner;

    /// @notice The owner is the zero address.
    error MockERC1271WalletZeroOwner();

    /// @param owner_ The EOA whose signatures the wallet accepts; not zero.
    constructor(address owner_) {
        if (owner_ == address(0)) revert MockERC1271WalletZeroOwner();
        owner = owner_;
    }

    /// @inheritdoc IERC1271
    /// @dev Never reverts: a malformed or foreign signature yields `0xffffffff`.
    function isValidSignature(bytes32 hash, bytes calldata signature) external view returns (bytes4 magicValue) {
        (address recovered, ECDSA.RecoverError err, ) = ECDSA.tryRecover(hash, signature);
        return err == ECDSA.RecoverError.NoError && recovered == owner ? MAGIC_VALUE : INVALID_VALUE;
    }
}
