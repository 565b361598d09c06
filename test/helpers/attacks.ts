/**
 * Shared set-up of the attack tests (`test/attacks/*.test.ts`): the platform exactly as its Ignition
 * module deploys it, communities created through the factory, impersonated Timelocks (standing in
 * for a passed proposal where the proposal is not the point), a force-feeder that sends ETH to any
 * address without calling it, and mempool control for front-running scenarios.
 *
 * Every function takes the test file's network connection; the module has no side effects (mocha
 * loads every file under test/).
 */
import { concat, getBytes, parseEther, type TransactionReceipt } from "ethers";
import type { NetworkConnection } from "hardhat/types/network";
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/types";
import PlatformModule from "../../deploy/modules/Platform.ts";
import { communityParams, findCommunityCreated, type CommunityParams } from "../../scripts/lib/community.ts";

export type Connection = NetworkConnection;

/** Waits for a transaction's receipt (a contract call's or a plain transfer's); throws if it was not mined. */
export async function mined<R extends TransactionReceipt>(tx: Promise<{ wait(): Promise<R | null> }>): Promise<R> {
  const receipt = await (await tx).wait();
  if (receipt === null) throw new Error("transaction was not mined");
  return receipt;
}

/** The platform as Ignition deploys it: factories owned by the platform Timelock. */
export async function deployPlatform(conn: Connection) {
  const { ethers, ignition } = conn;
  const p = await ignition.deploy(PlatformModule);
  const at = async <T extends string>(name: T, contract: { getAddress(): Promise<string> }) =>
    ethers.getContractAt(name, await contract.getAddress());
  return {
    signers: await ethers.getSigners(),
    factory: await ethers.getContractAt("CommunityFactory", await p.factory.getAddress()),
    crowdfundFactory: await ethers.getContractAt("CrowdfundFactory", await p.crowdfundFactory.getAddress()),
    revenueShareFactory: await ethers.getContractAt("RevenueShareFactory", await p.revenueShareFactory.getAddress()),
    platformToken: await ethers.getContractAt("SocialToken", await p.platformToken.getAddress()),
    platformGovernor: await ethers.getContractAt("CommunityGovernor", await p.platformGovernor.getAddress()),
    platformTimelock: await ethers.getContractAt("CommunityTimelock", await p.platformTimelock.getAddress()),
    implementations: {
      token: await at("SocialToken", p.tokenImplementation),
      governor: await at("CommunityGovernor", p.governorImplementation),
      timelock: await at("CommunityTimelock", p.timelockImplementation),
      rewardVault: await at("RewardVault", p.rewardVaultImplementation),
      crowdfund: await at("Crowdfund", p.crowdfundImplementation),
      revenueShare: await at("RevenueShare", p.revenueShareImplementation),
    },
  };
}

export type Platform = Awaited<ReturnType<typeof deployPlatform>>;

/** Creates a community by `creator` with `overrides` and returns its contracts. */
export async function createCommunity(
  conn: Connection,
  platform: Platform,
  creator: HardhatEthersSigner,
  overrides: Partial<CommunityParams> = {}
) {
  const { ethers } = conn;
  const receipt = await mined(platform.factory.connect(creator).createCommunity(communityParams(overrides)));
  const created = findCommunityCreated(receipt, platform.factory.interface);
  return {
    ...created,
    receipt,
    token: await ethers.getContractAt("SocialToken", created.token),
    governor: await ethers.getContractAt("CommunityGovernor", created.governor),
    timelockContract: await ethers.getContractAt("CommunityTimelock", created.timelock),
    vault: await ethers.getContractAt("RewardVault", created.rewardVault),
  };
}

/** An account impersonated and funded (a Timelock, standing in for a passed proposal). */
export async function impersonate(conn: Connection, address: string): Promise<HardhatEthersSigner> {
  await conn.networkHelpers.setBalance(address, parseEther("100"));
  return conn.ethers.getImpersonatedSigner(address);
}

/**
 * Sends `amount` wei to `target` without calling it: deploys `PUSH20 target SELFDESTRUCT` with the
 * value, so the ETH arrives even at a contract whose `receive` reverts or that has none (and at an
 * address where nothing is deployed yet).
 */
export async function forceSend(from: HardhatEthersSigner, target: string, amount: bigint): Promise<void> {
  const creationCode = concat(["0x73", getBytes(target), "0xff"]);
  const receipt = await (await from.sendTransaction({ data: creationCode, value: amount })).wait();
  if (receipt === null || receipt.status !== 1) throw new Error("force-send failed");
}

/**
 * Runs `send` with automining off, then mines everything pending in one block, transactions ordered
 * by fee as a block builder would: how a searcher's copy with a higher fee lands before the original.
 */
export async function inOneBlock<T>(conn: Connection, send: () => Promise<T>): Promise<T> {
  const { provider } = conn;
  await provider.request({ method: "evm_setAutomine", params: [false] });
  try {
    const result = await send();
    await provider.request({ method: "evm_mine", params: [] });
    return result;
  } finally {
    await provider.request({ method: "evm_setAutomine", params: [true] });
  }
}
