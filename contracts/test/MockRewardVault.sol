// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {Initializable} from "@openzeppelin/contracts-upgradeable/proxy/utils/Initializable.sol";
import {ICommunityRewardVault} from "../interfaces/ICommunityRewardVault.sol";
import {ISocialToken} from "../interfaces/ISocialToken.sol";

/**
 * @title MockRewardVault
 * @notice TEST ONLY. The smallest real {ICommunityRewardVault}: it records what the factory passes to
 * its initialiser and lets a test mint through it, which proves the factory granted the vault
 * MINTER_ROLE on the community token. Used to exercise the factory's reward-vault extension point
 * before the real RewardVault exists. Never deploy it outside tests.
 */
contract MockRewardVault is ICommunityRewardVault, Initializable {
    /// @notice The factory initialised this vault.
    event MockRewardVaultInitialized(
        address indexed token,
        address indexed timelock,
        address indexed operator,
        bytes config
    );

    address private _token;
    address private _timelock;
    address private _operator;
    bytes private _config;

    /// @custom:oz-upgrades-unsafe-allow constructor
    constructor() {
        _disableInitializers();
    }

    /// @inheritdoc ICommunityRewardVault
    function initialize(
        address token_,
        address timelock_,
        address operator_,
        bytes calldata config_
    ) external initializer {
        _token = token_;
        _timelock = timelock_;
        _operator = operator_;
        _config = config_;
        emit MockRewardVaultInitialized(token_, timelock_, operator_, config_);
    }

    /// @notice Mints `amount` community tokens to `to`; the vault must hold MINTER_ROLE.
    /// @dev A test double: anyone may call it. It exists to prove the factory granted the role.
    function mintTo(address to, uint256 amount) external {
        ISocialToken(_token).mint(to, amount);
    }

    /// @notice The community token.
    function token() external view returns (address) {
        return _token;
    }

    /// @notice The community Timelock.
    function timelock() external view returns (address) {
        return _timelock;
    }

    /// @notice The creator who operates the vault.
    function operator() external view returns (address) {
        return _operator;
    }

    /// @notice The configuration bytes passed through by the factory.
    function config() external view returns (bytes memory) {
        return _config;
    }
}
