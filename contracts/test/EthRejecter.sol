// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

/**
 * @title EthRejecter
 * @notice TEST ONLY. A contract that refuses every plain ETH transfer, to test that the factory
 * reverts with `FactoryEthTransferFailed` when the fee recipient or a creator (receiving change)
 * rejects ETH. It can also act as a creator: {forward} calls any contract with value.
 */
contract EthRejecter {
    /// @notice Plain ETH transfers are always refused.
    error EthRejecterRejected(uint256 amount);

    /// @notice Rejects every plain transfer.
    receive() external payable {
        revert EthRejecterRejected(msg.value);
    }

    /// @notice Calls `target` with `data` and the ETH sent along; bubbles up a revert unchanged.
    function forward(address target, bytes calldata data) external payable returns (bytes memory result) {
        bool ok;
        (ok, result) = target.call{value: msg.value}(data);
        if (!ok) {
            assembly {
                revert(add(result, 0x20), mload(result))
            }
        }
    }
}
