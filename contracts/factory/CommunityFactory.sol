// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";
import {Pausable} from "@openzeppelin/contracts/utils/Pausable.sol";
import {Clones} from "@openzeppelin/contracts/proxy/Clones.sol";
import {IVotes} from "@openzeppelin/contracts/governance/utils/IVotes.sol";
import {TimelockControllerUpgradeable} from "@openzeppelin/contracts-upgradeable/governance/TimelockControllerUpgradeable.sol";
import {ICommunityFactory} from "../interfaces/ICommunityFactory.sol";
import {ISocialToken} from "../interfaces/ISocialToken.sol";
import {ICommunityGovernor} from "../interfaces/ICommunityGovernor.sol";
import {ICommunityRewardVault} from "../interfaces/ICommunityRewardVault.sol";
import {IRewardVault} from "../interfaces/IRewardVault.sol";

/**
 * @title CommunityFactory
 * @notice The Coterie platform. One transaction creates a community (token, timelock, governor and,
 * when the platform has a vault implementation, a reward vault) as EIP-1167 clones at CREATE2
 * addresses fixed by the creator's address and salt; wires every role so the community's Timelock
 * is the only admin; mints the creator allocation; forwards the creation fee to the platform
 * treasury; and records the community in a registry.
 *
 * The platform is itself the first community: {launchPlatform} creates it and hands this factory
 * to its Timelock, so fees, the `verified` flag, pausing and the implementations used for *future*
 * communities change only through platform proposals. The deployer keeps nothing but the platform
 * tokens it distributes: the platform's registered creator, reward-vault operator and attester are
 * its Timelock, and it has no proposal guardian until the DAO elects one. Existing communities are never upgraded:
 * clones point at a fixed implementation forever.
 *
 * Registry storage is two slots per community: the token, implementation-set version, creation time
 * and `verified` flag in one, the creator and id in the by-token index. The token's CREATE2 salt is
 * bound to (creator, salt); the governor's, timelock's and vault's salts are bound to the token's
 * address. So every address is predictable from (creator, salt) before creation, and recomputed in
 * the views from the token address and the implementation set, exactly as CREATE2 placed them.
 */
contract CommunityFactory is ICommunityFactory, Ownable, Pausable {
    /*//////////////////////////////////////////////////////////////
                                CONSTANTS
    //////////////////////////////////////////////////////////////*/

    /// @dev Vote tallies are packed in 104 bits (see GovernorTallyUpgradeable).
    uint256 private constant MAX_CAP = type(uint104).max;
    uint256 private constant MAX_BPS = 10_000;

    uint8 private constant KIND_GOVERNOR = 1;
    uint8 private constant KIND_TIMELOCK = 2;
    uint8 private constant KIND_REWARD_VAULT = 3;

    /*//////////////////////////////////////////////////////////////
                                 STORAGE
    //////////////////////////////////////////////////////////////*/

    struct Record {
        address token;
        uint32 implementationsVersion;
        uint48 createdAt;
        bool verified;
    }

    Implementations[] private _implementations;
    Record[] private _records;
    /// @dev `creator << 96 | (id + 1)`; zero for unknown tokens.
    mapping(address token => uint256 creatorAndIdPlusOne) private _entryByToken;

    address private _feeRecipient;
    uint96 private _creationFee;

    uint256 private _platformIdPlusOne;

    /*//////////////////////////////////////////////////////////////
                               CONSTRUCTOR
    //////////////////////////////////////////////////////////////*/

    /// @notice Records the first implementation set; the owner then launches the platform community.
    /// @param implementations The first implementation set (version 0).
    /// @param initialOwner The deployer, who launches the platform and thereby hands ownership over.
    constructor(Implementations memory implementations, address initialOwner) Ownable(initialOwner) {
        _pushImplementations(implementations);
    }

    /*//////////////////////////////////////////////////////////////
                                CREATION
    //////////////////////////////////////////////////////////////*/

    /// @inheritdoc ICommunityFactory
    /// @dev Requirements: not paused; platform launched; `msg.value >= creationFee` (any excess is
    /// returned); valid parameters (see the errors); salt unused by this creator.
    /// Emits {CommunityCreated}.
    function createCommunity(
        CommunityParams calldata params
    ) external payable whenNotPaused returns (Community memory created) {
        address recipient = _feeRecipient;
        uint256 fee = _creationFee;
        if (recipient == address(0)) revert FactoryPlatformNotLaunched();
        if (msg.value < fee) revert FactoryFeeUnderpaid(msg.value, fee);

        created = _create(params, msg.sender, false);

        // Interactions last: the fee to the platform treasury, then any change back to the creator.
        if (fee != 0) _sendEth(recipient, fee);
        uint256 change = msg.value - fee;
        if (change != 0) _sendEth(msg.sender, change);
    }

    /// @inheritdoc ICommunityFactory
    /// @dev Requirements: owner only; once; the vault configuration does not name the caller as
    /// attester. The caller receives the allocation (to distribute) and nothing else: the platform's
    /// registered creator (who may start its crowdfunds) and its vault's operator and attester are the
    /// platform Timelock, and it has no proposal guardian (Issue 11 item 2). Afterwards the platform
    /// Timelock owns this factory and receives creation fees. Emits {CommunityCreated},
    /// {PlatformLaunched}, {FeeRecipientSet} and {OwnershipTransferred}.
    function launchPlatform(CommunityParams calldata params) external onlyOwner returns (Community memory platform) {
        if (_platformIdPlusOne != 0) revert FactoryPlatformAlreadyLaunched();
        if (
            params.rewardVaultConfig.length != 0 &&
            abi.decode(params.rewardVaultConfig, (IRewardVault.VaultConfig)).attester == msg.sender
        ) revert FactoryDeployerKeepsRole(msg.sender);
        platform = _create(params, msg.sender, true);
        _platformIdPlusOne = platform.id + 1;
        emit PlatformLaunched(platform.id, platform.timelock);
        emit FeeRecipientSet(_feeRecipient, platform.timelock);
        _feeRecipient = platform.timelock;
        _transferOwnership(platform.timelock);
    }

    /// @dev `caller` binds the addresses (with the salt) and receives the allocation. For a creator
    /// community it is also the registered creator, proposal guardian and vault operator; for the
    /// platform those are the platform Timelock, and there is no guardian.
    function _create(
        CommunityParams calldata params,
        address caller,
        bool platform
    ) private returns (Community memory c) {
        _validate(params);

        uint256 versionPlusOne = _implementations.length;
        uint32 version = uint32(versionPlusOne - 1);
        Implementations storage impl = _implementations[version];
        if (impl.rewardVault == address(0) && params.rewardVaultConfig.length != 0) {
            revert FactoryRewardVaultUnavailable();
        }

        // Checks done; deploy. A reused (creator, salt) pair would collide on the token's address,
        // so that one is predicted first to give the named error; the others are what CREATE2 returns.
        bytes32 tokenSalt = _tokenSalt(caller, params.salt);
        address token = Clones.predictDeterministicAddress(impl.token, tokenSalt);
        if (token.code.length != 0) revert FactorySaltUsed(caller, params.salt);
        Addresses memory a = _deployClones(impl, tokenSalt, token);
        address creator = platform ? a.timelock : caller;

        // Registry entry before the clones are initialised (effects before interactions).
        uint256 id = _records.length;
        _records.push(
            Record({token: token, implementationsVersion: version, createdAt: uint48(block.timestamp), verified: false})
        );
        _entryByToken[token] = (uint256(uint160(creator)) << 96) | (id + 1);

        _initialize(params, caller, platform ? address(0) : caller, creator, a);
        _emitCreated(id, creator, a, params, version);

        c = Community({
            id: id,
            creator: creator,
            token: a.token,
            governor: a.governor,
            timelock: a.timelock,
            rewardVault: a.rewardVault,
            verified: false,
            createdAt: uint48(block.timestamp),
            implementationsVersion: version
        });
    }

    /// @dev Clones the implementations: the token at `tokenSalt`, the others at salts bound to `token`.
    function _deployClones(
        Implementations storage impl,
        bytes32 tokenSalt,
        address token
    ) private returns (Addresses memory a) {
        a.token = Clones.cloneDeterministic(impl.token, tokenSalt);
        a.timelock = Clones.cloneDeterministic(impl.timelock, _componentSalt(token, KIND_TIMELOCK));
        a.governor = Clones.cloneDeterministic(impl.governor, _componentSalt(token, KIND_GOVERNOR));
        address vaultImpl = impl.rewardVault;
        if (vaultImpl != address(0)) {
            a.rewardVault = Clones.cloneDeterministicWithImmutableArgs(
                vaultImpl,
                _vaultArgs(a.token, a.timelock),
                _componentSalt(token, KIND_REWARD_VAULT)
            );
        }
    }

    /// @dev `holder` receives the allocation, `guardian` (zero: none) guards proposals and `operator`
    /// runs the reward vault (and is its attester unless the configuration names one).
    function _initialize(
        CommunityParams calldata params,
        address holder,
        address guardian,
        address operator,
        Addresses memory a
    ) private {
        // Wire: the Governor is the Timelock's only proposer and canceller; anyone may execute;
        // the Timelock administers itself and nobody else holds an admin role.
        address[] memory proposers = new address[](1);
        proposers[0] = a.governor;
        address[] memory executors = new address[](1); // [address(0)]: open executor role
        TimelockControllerUpgradeable(payable(a.timelock)).initialize(
            params.timelockDelay,
            proposers,
            executors,
            address(0)
        );

        ISocialToken(a.token).initialize(
            ISocialToken.TokenConfig({
                name: params.name,
                symbol: params.symbol,
                cap: params.cap,
                admin: a.timelock,
                minter: a.rewardVault,
                initialHolder: holder,
                initialAmount: params.creatorAllocation
            })
        );

        ICommunityGovernor(a.governor).initialize(
            ICommunityGovernor.GovernorConfig({
                votingDelay: params.votingDelay,
                votingPeriod: params.votingPeriod,
                proposalThreshold: params.proposalThreshold,
                quorumBps: params.quorumBps,
                lateQuorumExtension: params.lateQuorumExtension
            }),
            IVotes(a.token),
            TimelockControllerUpgradeable(payable(a.timelock)),
            guardian
        );

        if (a.rewardVault != address(0)) {
            ICommunityRewardVault(a.rewardVault).initialize(a.token, a.timelock, operator, params.rewardVaultConfig);
        }
    }

    function _emitCreated(
        uint256 id,
        address creator,
        Addresses memory a,
        CommunityParams calldata params,
        uint32 version
    ) private {
        emit CommunityCreated(
            id,
            creator,
            a.token,
            a.governor,
            a.timelock,
            a.rewardVault,
            params.name,
            params.symbol,
            params.salt,
            version
        );
    }

    function _validate(CommunityParams calldata p) private pure {
        if (bytes(p.name).length == 0) revert FactoryEmptyName();
        if (bytes(p.symbol).length == 0) revert FactoryEmptySymbol();
        if (p.cap == 0 || p.cap > MAX_CAP) revert FactoryInvalidCap(p.cap);
        if (p.creatorAllocation > p.cap) revert FactoryAllocationAboveCap(p.creatorAllocation, p.cap);
        if (p.quorumBps == 0 || p.quorumBps > MAX_BPS) revert FactoryInvalidQuorum(p.quorumBps);
        if (p.votingDelay == 0) revert FactoryInvalidVotingDelay(p.votingDelay);
        if (p.votingPeriod == 0) revert FactoryInvalidVotingPeriod(p.votingPeriod);
        if (p.timelockDelay == 0) revert FactoryInvalidTimelockDelay(p.timelockDelay);
        if (p.lateQuorumExtension > p.votingPeriod) {
            revert FactoryInvalidLateQuorumExtension(p.lateQuorumExtension, p.votingPeriod);
        }
    }

    /*//////////////////////////////////////////////////////////////
                          PLATFORM GOVERNANCE
    //////////////////////////////////////////////////////////////*/

    /// @inheritdoc ICommunityFactory
    /// @dev Emits {CreationFeeSet}. Fees above 2^96 - 1 wei revert with {FactoryFeeTooHigh}.
    function setCreationFee(uint256 newFee) external onlyOwner {
        if (newFee > type(uint96).max) revert FactoryFeeTooHigh(newFee);
        emit CreationFeeSet(_creationFee, newFee);
        _creationFee = uint96(newFee);
    }

    /// @inheritdoc ICommunityFactory
    /// @dev Emits {FeeRecipientSet}.
    function setFeeRecipient(address newRecipient) external onlyOwner {
        if (newRecipient == address(0)) revert FactoryZeroAddress();
        emit FeeRecipientSet(_feeRecipient, newRecipient);
        _feeRecipient = newRecipient;
    }

    /// @inheritdoc ICommunityFactory
    /// @dev Emits {CommunityVerified}.
    function setVerified(uint256 id, bool verified) external onlyOwner {
        if (id >= _records.length) revert FactoryUnknownCommunity(id);
        Record storage r = _records[id];
        r.verified = verified;
        emit CommunityVerified(id, r.token, verified);
    }

    /// @inheritdoc ICommunityFactory
    /// @dev Emits {ImplementationsSet}.
    function setImplementations(Implementations calldata implementations) external onlyOwner {
        _pushImplementations(implementations);
    }

    /// @inheritdoc ICommunityFactory
    /// @dev Emits {Paused}.
    function pause() external onlyOwner {
        _pause();
    }

    /// @inheritdoc ICommunityFactory
    /// @dev Emits {Unpaused}.
    function unpause() external onlyOwner {
        _unpause();
    }

    function _pushImplementations(Implementations memory impl) private {
        if (
            impl.token.code.length == 0 ||
            impl.governor.code.length == 0 ||
            impl.timelock.code.length == 0 ||
            (impl.rewardVault != address(0) && impl.rewardVault.code.length == 0)
        ) revert FactoryZeroAddress();
        _implementations.push(impl);
        uint32 version = uint32(_implementations.length - 1);
        emit ImplementationsSet(version, impl.token, impl.governor, impl.timelock, impl.rewardVault);
    }

    /*//////////////////////////////////////////////////////////////
                                  VIEWS
    //////////////////////////////////////////////////////////////*/

    /// @inheritdoc ICommunityFactory
    function predictAddresses(address creator, bytes32 salt) external view returns (Addresses memory) {
        Implementations storage impl = _implementations[_implementations.length - 1];
        return _predictFromToken(impl, Clones.predictDeterministicAddress(impl.token, _tokenSalt(creator, salt)));
    }

    /// @inheritdoc ICommunityFactory
    function communityCount() external view returns (uint256) {
        return _records.length;
    }

    /// @inheritdoc ICommunityFactory
    function community(uint256 id) external view returns (Community memory) {
        if (id >= _records.length) revert FactoryUnknownCommunity(id);
        return _community(id);
    }

    /// @inheritdoc ICommunityFactory
    function communityByToken(address token) external view returns (Community memory) {
        uint256 entry = _entryByToken[token];
        if (entry == 0) revert FactoryUnknownToken(token);
        return _community(uint96(entry) - 1);
    }

    /// @inheritdoc ICommunityFactory
    function communities(uint256 offset, uint256 limit) external view returns (Community[] memory page) {
        uint256 total = _records.length;
        if (offset >= total) return new Community[](0);
        uint256 end = total - offset < limit ? total : offset + limit;
        page = new Community[](end - offset);
        for (uint256 i = offset; i < end; ++i) {
            page[i - offset] = _community(i);
        }
    }

    /// @inheritdoc ICommunityFactory
    function currentImplementations() external view returns (uint32 version, Implementations memory) {
        version = uint32(_implementations.length - 1);
        return (version, _implementations[version]);
    }

    /// @inheritdoc ICommunityFactory
    function implementationsAt(uint32 version) external view returns (Implementations memory) {
        return _implementations[version];
    }

    /// @inheritdoc ICommunityFactory
    function creationFee() external view returns (uint256) {
        return _creationFee;
    }

    /// @inheritdoc ICommunityFactory
    function feeRecipient() external view returns (address) {
        return _feeRecipient;
    }

    /// @inheritdoc ICommunityFactory
    function platformCommunityId() external view returns (uint256) {
        uint256 idPlusOne = _platformIdPlusOne;
        if (idPlusOne == 0) revert FactoryPlatformNotLaunched();
        return idPlusOne - 1;
    }

    /*//////////////////////////////////////////////////////////////
                                INTERNAL
    //////////////////////////////////////////////////////////////*/

    function _community(uint256 id) private view returns (Community memory) {
        Record storage r = _records[id];
        Addresses memory a = _predictFromToken(_implementations[r.implementationsVersion], r.token);
        return
            Community({
                id: id,
                creator: address(uint160(_entryByToken[r.token] >> 96)),
                token: a.token,
                governor: a.governor,
                timelock: a.timelock,
                rewardVault: a.rewardVault,
                verified: r.verified,
                createdAt: r.createdAt,
                implementationsVersion: r.implementationsVersion
            });
    }

    /// @dev Governor, timelock and vault addresses follow from the token's address.
    function _predictFromToken(Implementations storage impl, address token) private view returns (Addresses memory a) {
        a.token = token;
        a.governor = Clones.predictDeterministicAddress(impl.governor, _componentSalt(token, KIND_GOVERNOR));
        a.timelock = Clones.predictDeterministicAddress(impl.timelock, _componentSalt(token, KIND_TIMELOCK));
        address vaultImpl = impl.rewardVault;
        if (vaultImpl != address(0)) {
            a.rewardVault = Clones.predictDeterministicAddressWithImmutableArgs(
                vaultImpl,
                _vaultArgs(token, a.timelock),
                _componentSalt(token, KIND_REWARD_VAULT)
            );
        }
    }

    /// @dev The token's CREATE2 salt is bound to the creator, so nobody can take another creator's
    /// predicted addresses.
    function _tokenSalt(address creator, bytes32 salt) private pure returns (bytes32) {
        return keccak256(abi.encode(creator, salt));
    }

    /// @dev The other components' salts are bound to the token address (itself bound to the creator).
    function _componentSalt(address token, uint8 kind) private pure returns (bytes32) {
        return keccak256(abi.encode(token, kind));
    }

    /// @dev The vault clone carries its token and Timelock in its code (they never change), so
    /// reading them costs no storage access.
    function _vaultArgs(address token, address timelock) private pure returns (bytes memory) {
        return abi.encodePacked(token, timelock);
    }

    function _sendEth(address to, uint256 amount) private {
        (bool ok, ) = to.call{value: amount}("");
        if (!ok) revert FactoryEthTransferFailed(to, amount);
    }
}
