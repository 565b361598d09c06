// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/// @title ICommunityFactory
/// @notice The Coterie platform: creates communities in one transaction and keeps their registry.
interface ICommunityFactory {
    /*//////////////////////////////////////////////////////////////
                                 TYPES
    //////////////////////////////////////////////////////////////*/

    /// @notice What a creator chooses when launching a community.
    /// @param name Token name; the governor is named "<name> Governor".
    /// @param symbol Token symbol.
    /// @param cap Hard cap on the token supply (smallest unit).
    /// @param creatorAllocation Tokens minted to the creator at launch; at most `cap`.
    /// @param votingDelay Seconds from proposal to voting start; at least 1.
    /// @param votingPeriod Seconds of voting; at least 1.
    /// @param proposalThreshold Votes needed to propose.
    /// @param quorumBps Quorum in basis points of supply; 1 to 10,000.
    /// @param lateQuorumExtension Seconds of extra voting when quorum is reached late; at most
    /// `votingPeriod`.
    /// @param timelockDelay Seconds a passed proposal waits in the Timelock; at least 1.
    /// @param salt Creator-chosen salt; with the creator's address it fixes every address.
    /// @param rewardVaultConfig Passed to the reward vault's initialiser; must be empty while the
    /// platform has no reward-vault implementation.
    // Passed in calldata or ABI-encoded, never stored: each member takes a full word whatever its
    // order, and the order is part of the public ABI.
    // solhint-disable-next-line gas-struct-packing
    struct CommunityParams {
        string name;
        string symbol;
        uint256 cap;
        uint256 creatorAllocation;
        uint48 votingDelay;
        uint32 votingPeriod;
        uint256 proposalThreshold;
        uint256 quorumBps;
        uint48 lateQuorumExtension;
        uint256 timelockDelay;
        bytes32 salt;
        bytes rewardVaultConfig;
    }

    /// @notice The implementations new communities are cloned from. Existing communities keep theirs.
    struct Implementations {
        address token;
        address governor;
        address timelock;
        address rewardVault;
    }

    /// @notice A registry entry as returned by the views.
    struct Community {
        uint256 id;
        address creator;
        address token;
        address governor;
        address timelock;
        address rewardVault;
        bool verified;
        uint48 createdAt;
        uint32 implementationsVersion;
    }

    /// @notice The addresses a community will have.
    struct Addresses {
        address token;
        address governor;
        address timelock;
        address rewardVault;
    }

    /*//////////////////////////////////////////////////////////////
                                 ERRORS
    //////////////////////////////////////////////////////////////*/

    /// @notice The token name is empty.
    error FactoryEmptyName();
    /// @notice The token symbol is empty.
    error FactoryEmptySymbol();
    /// @notice The cap is zero or above 2^104 - 1 (the width of the governor's packed vote tallies).
    error FactoryInvalidCap(uint256 cap);
    /// @notice The creator allocation exceeds the cap.
    error FactoryAllocationAboveCap(uint256 allocation, uint256 cap);
    /// @notice The quorum is zero or above 100% (10,000 bps).
    error FactoryInvalidQuorum(uint256 quorumBps);
    /// @notice The voting delay is zero: votes must be read from a checkpoint before the proposal.
    error FactoryInvalidVotingDelay(uint48 votingDelay);
    /// @notice The voting period is zero.
    error FactoryInvalidVotingPeriod(uint32 votingPeriod);
    /// @notice The Timelock delay is zero: queue and execute could land in one block, leaving holders
    /// and the guardian no window to react.
    error FactoryInvalidTimelockDelay(uint256 timelockDelay);
    /// @notice The late-quorum extension is longer than the voting period.
    error FactoryInvalidLateQuorumExtension(uint48 lateQuorumExtension, uint32 votingPeriod);
    /// @notice An address that must be set is the zero address (or has no code where code is needed).
    error FactoryZeroAddress();
    /// @notice Less ETH was sent than the creation fee.
    error FactoryFeeUnderpaid(uint256 paid, uint256 fee);
    /// @notice The fee does not fit the 96 bits it is stored in (about 79 billion ETH).
    error FactoryFeeTooHigh(uint256 fee);
    /// @notice Sending the fee to the platform treasury, or the change back to the creator, failed.
    error FactoryEthTransferFailed(address to, uint256 amount);
    /// @notice This creator already used this salt with the current token implementation (the
    /// addresses it fixes are taken). After the platform DAO registers a new token implementation the
    /// same (creator, salt) fixes new, free addresses.
    error FactorySaltUsed(address creator, bytes32 salt);
    /// @notice A reward-vault configuration was given but the platform has no vault implementation.
    error FactoryRewardVaultUnavailable();
    /// @notice No community has this id.
    error FactoryUnknownCommunity(uint256 id);
    /// @notice No community has this token.
    error FactoryUnknownToken(address token);
    /// @notice The platform community was already launched.
    error FactoryPlatformAlreadyLaunched();
    /// @notice The platform community has not been launched yet, so there is no treasury for fees.
    error FactoryPlatformNotLaunched();
    /// @notice The platform launch would leave the deployer a role: its vault configuration names
    /// the deployer as attester.
    error FactoryDeployerKeepsRole(address deployer);

    /*//////////////////////////////////////////////////////////////
                                 EVENTS
    //////////////////////////////////////////////////////////////*/

    /// @notice A community was created. Names every address it consists of.
    /// @param id The registry id.
    /// @param creator The caller, who launched it.
    /// @param token The SocialToken clone.
    /// @param governor The CommunityGovernor clone.
    /// @param timelock The CommunityTimelock clone (the treasury).
    /// @param rewardVault The RewardVault clone.
    /// @param name The token name.
    /// @param symbol The token symbol.
    /// @param salt The creator's salt of the CREATE2 addresses.
    /// @param implementationsVersion The implementation set it was cloned from.
    event CommunityCreated(
        uint256 indexed id,
        address indexed creator,
        address indexed token,
        address governor,
        address timelock,
        address rewardVault,
        string name,
        string symbol,
        bytes32 salt,
        uint32 implementationsVersion
    );
    /// @notice The platform's own community was launched and now owns the factory.
    /// @param id The registry id of the platform community.
    /// @param timelock Its Timelock, the factory's new owner.
    event PlatformLaunched(uint256 indexed id, address indexed timelock);
    /// @notice The platform DAO changed a community's `verified` flag.
    /// @param id The registry id.
    /// @param token The community token.
    /// @param verified The new flag.
    event CommunityVerified(uint256 indexed id, address indexed token, bool verified);
    /// @notice The creation fee changed.
    /// @param previousFee The former fee, in wei.
    /// @param newFee The new fee, in wei.
    event CreationFeeSet(uint256 previousFee, uint256 newFee);
    /// @notice The fee recipient (platform treasury) changed.
    /// @param previousRecipient The former recipient.
    /// @param newRecipient The new recipient.
    event FeeRecipientSet(address indexed previousRecipient, address indexed newRecipient);
    /// @notice New communities will be cloned from these implementations.
    /// @param version The number of the new set.
    /// @param token The SocialToken implementation.
    /// @param governor The CommunityGovernor implementation.
    /// @param timelock The CommunityTimelock implementation.
    /// @param rewardVault The RewardVault implementation.
    event ImplementationsSet(
        uint32 indexed version,
        address token,
        address governor,
        address timelock,
        address rewardVault
    );

    /*//////////////////////////////////////////////////////////////
                                 ACTIONS
    //////////////////////////////////////////////////////////////*/

    /// @notice Creates a community: token, timelock, governor and (when the platform has one) a reward
    /// vault, as EIP-1167 clones at addresses fixed by (msg.sender, params.salt).
    /// @param params See {CommunityParams}.
    /// @return community The registry entry.
    function createCommunity(CommunityParams calldata params) external payable returns (Community memory community);

    /// @notice Creates the platform's own community and hands the factory to its Timelock.
    /// @param params The platform community's parameters. The caller receives the allocation and
    /// keeps no role: the platform's registered creator and its vault's operator (and attester,
    /// unless the configuration names another) are its Timelock; it has no proposal guardian.
    /// @return community The platform's registry entry.
    function launchPlatform(CommunityParams calldata params) external returns (Community memory community);

    /// @notice Sets the creation fee in wei. Owner (platform Timelock) only.
    /// @param newFee The new fee.
    function setCreationFee(uint256 newFee) external;

    /// @notice Sets the recipient of creation fees. Owner only.
    /// @param newRecipient The new recipient; not zero.
    function setFeeRecipient(address newRecipient) external;

    /// @notice Sets a community's `verified` flag. Owner only.
    /// @param id The community id.
    /// @param verified The new flag.
    function setVerified(uint256 id, bool verified) external;

    /// @notice Points future communities at new implementations. Owner only.
    /// @param implementations Token, governor and timelock must be contracts; rewardVault may be zero.
    function setImplementations(Implementations calldata implementations) external;

    /// @notice Stops new communities from being created. Owner only.
    function pause() external;

    /// @notice Allows new communities again. Owner only.
    function unpause() external;

    /*//////////////////////////////////////////////////////////////
                                  VIEWS
    //////////////////////////////////////////////////////////////*/

    /// @notice The addresses `creator` would get with `salt` under the current implementations.
    /// @dev The addresses depend on (creator, salt) and the implementation set: they stay valid until
    /// the platform DAO registers new implementations.
    /// @param creator The creating account.
    /// @param salt The creator's salt.
    function predictAddresses(address creator, bytes32 salt) external view returns (Addresses memory);

    /// @notice Number of communities created, the platform's included.
    function communityCount() external view returns (uint256);

    /// @notice One community by id.
    /// @param id The id, from 0.
    function community(uint256 id) external view returns (Community memory);

    /// @notice The community whose token is `token`.
    /// @param token The community token.
    function communityByToken(address token) external view returns (Community memory);

    /// @notice A page of the registry, oldest first.
    /// @param offset First id of the page.
    /// @param limit Most entries to return.
    /// @return page The entries, at most `limit` of them.
    function communities(uint256 offset, uint256 limit) external view returns (Community[] memory page);

    /// @notice The implementations new communities are cloned from, and their version number.
    function currentImplementations() external view returns (uint32 version, Implementations memory);

    /// @notice The implementations of a given version.
    /// @param version The version number, from 0.
    function implementationsAt(uint32 version) external view returns (Implementations memory);

    /// @notice The creation fee in wei.
    function creationFee() external view returns (uint256);

    /// @notice Where creation fees go (the platform Timelock once launched).
    function feeRecipient() external view returns (address);

    /// @notice The platform community's id; reverts before launch.
    function platformCommunityId() external view returns (uint256);
}
