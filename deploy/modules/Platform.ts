import { buildModule } from "@nomicfoundation/hardhat-ignition/modules";
import { id, parseEther } from "ethers";

/**
 * Deploys the Coterie platform:
 * 1. the implementations every community is cloned from (token, governor, timelock, reward vault),
 * 2. the CommunityFactory (owned by the deployer for one transaction),
 * 3. the platform's own community, through the factory's `launchPlatform`, which hands the
 *    factory to the platform Timelock and makes it the fee recipient.
 *
 * Every default can be overridden with Ignition parameters (`--parameters file.json`), under the
 * module id "CoteriePlatform".
 */
export default buildModule("CoteriePlatform", (m) => {
  const tokenImplementation = m.contract("SocialToken");
  const governorImplementation = m.contract("CommunityGovernor");
  const timelockImplementation = m.contract("CommunityTimelock");
  const rewardVaultImplementation = m.contract("RewardVault");

  const factory = m.contract("CommunityFactory", [
    {
      token: tokenImplementation,
      governor: governorImplementation,
      timelock: timelockImplementation,
      rewardVault: rewardVaultImplementation,
    },
    m.getAccount(0),
  ]);

  const launch = m.call(factory, "launchPlatform", [
    {
      name: m.getParameter("name", "Coterie"),
      symbol: m.getParameter("symbol", "CTRE"),
      cap: m.getParameter("cap", parseEther("1000000000")),
      creatorAllocation: m.getParameter("creatorAllocation", parseEther("100000000")),
      votingDelay: m.getParameter("votingDelay", 86_400),
      votingPeriod: m.getParameter("votingPeriod", 7 * 86_400),
      proposalThreshold: m.getParameter("proposalThreshold", parseEther("100000")),
      quorumBps: m.getParameter("quorumBps", 400),
      lateQuorumExtension: m.getParameter("lateQuorumExtension", 2 * 86_400),
      timelockDelay: m.getParameter("timelockDelay", 2 * 86_400),
      salt: m.getParameter("salt", id("coterie.platform")),
      rewardVaultConfig: "0x",
    },
  ]);

  const tokenAddress = m.readEventArgument(launch, "CommunityCreated", "token", { id: "PlatformTokenAddress" });
  const governorAddress = m.readEventArgument(launch, "CommunityCreated", "governor", {
    id: "PlatformGovernorAddress",
  });
  const timelockAddress = m.readEventArgument(launch, "CommunityCreated", "timelock", {
    id: "PlatformTimelockAddress",
  });

  const crowdfundImplementation = m.contract("Crowdfund");
  const crowdfundFactory = m.contract("CrowdfundFactory", [factory, crowdfundImplementation, m.getAccount(0)]);
  m.call(crowdfundFactory, "transferOwnership", [timelockAddress], { id: "HandCrowdfundFactoryToPlatform" });
  const revenueShareImplementation = m.contract("RevenueShare");
  const revenueShareFactory = m.contract("RevenueShareFactory", [factory, revenueShareImplementation]);

  const platformToken = m.contractAt("SocialToken", tokenAddress, { id: "PlatformToken" });
  const platformGovernor = m.contractAt("CommunityGovernor", governorAddress, { id: "PlatformGovernor" });
  const platformTimelock = m.contractAt("CommunityTimelock", timelockAddress, { id: "PlatformTimelock" });

  return {
    factory,
    tokenImplementation,
    governorImplementation,
    timelockImplementation,
    rewardVaultImplementation,
    crowdfundImplementation,
    crowdfundFactory,
    revenueShareImplementation,
    revenueShareFactory,
    platformToken,
    platformGovernor,
    platformTimelock,
  };
});
