// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

// Baselines for the reward benchmarks: the plain way to pay fans, with no budget, referrals,
// pausing or contract-wallet attesters. Only `npm run bench` deploys these.

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {EIP712} from "@openzeppelin/contracts/utils/cryptography/EIP712.sol";
import {ECDSA} from "@openzeppelin/contracts/utils/cryptography/ECDSA.sol";
import {MerkleProof} from "@openzeppelin/contracts/utils/cryptography/MerkleProof.sol";
import {BitMaps} from "@openzeppelin/contracts/utils/structs/BitMaps.sol";

interface IBaselineMintable {
    function mint(address to, uint256 amount) external;
}

/// @notice A plain voucher minter: the same EIP-712 voucher, an attester, a bitmap, then `mint`.
contract BaselineVoucherMinter is EIP712 {
    using BitMaps for BitMaps.BitMap;

    // The EIP-712 type string cannot be shorter, and keccak256 of a literal is computed at compile time.
    // solhint-disable-next-line gas-small-strings
    bytes32 private constant TYPEHASH = keccak256(
        "Voucher(address recipient,uint256 amount,address referrer,uint256 id,uint256 deadline)"
    );

    IBaselineMintable public immutable token;
    address public immutable attester;
    BitMaps.BitMap private _used;

    error Expired();
    error Used();
    error BadSignature();

    constructor(IBaselineMintable token_, address attester_) EIP712("Coterie Rewards", "1") {
        token = token_;
        attester = attester_;
    }

    function redeem(
        address recipient,
        uint256 amount,
        address referrer,
        uint256 id,
        uint256 deadline,
        bytes calldata signature
    ) external {
        if (block.timestamp > deadline) revert Expired();
        if (_used.get(id)) revert Used();
        bytes32 digest = _hashTypedDataV4(keccak256(abi.encode(TYPEHASH, recipient, amount, referrer, id, deadline)));
        if (ECDSA.recoverCalldata(digest, signature) != attester) revert BadSignature();
        _used.set(id);
        token.mint(recipient, amount);
    }
}

/// @notice A plain ERC-20 whose whole supply is minted to the deployer.
contract BaselinePlainToken is ERC20 {
    constructor(uint256 supply) ERC20("Plain", "PLN") {
        _mint(msg.sender, supply);
    }
}

/// @notice A plain Merkle distributor transferring pre-minted tokens it holds; same leaf format.
contract BaselineMerkleDistributor {
    using BitMaps for BitMaps.BitMap;
    using SafeERC20 for IERC20;

    IERC20 public immutable token;
    bytes32 public immutable root;
    BitMaps.BitMap private _claimed;

    error Claimed();
    error BadProof();

    constructor(IERC20 token_, bytes32 root_) {
        token = token_;
        root = root_;
    }

    function claim(uint256 index, address account, uint256 amount, bytes32[] calldata proof) external {
        if (_claimed.get(index)) revert Claimed();
        bytes32 leaf = keccak256(bytes.concat(keccak256(abi.encode(index, account, amount))));
        if (!MerkleProof.verifyCalldata(proof, root, leaf)) revert BadProof();
        _claimed.set(index);
        token.safeTransfer(account, amount);
    }
}
