import { id, parseEther, type ContractTransactionReceipt, type Interface, type LogDescription } from "ethers";

/** The factory's `CommunityParams`, as ethers takes it. */
export interface CommunityParams {
  name: string;
  symbol: string;
  cap: bigint;
  creatorAllocation: bigint;
  votingDelay: number;
  votingPeriod: number;
  proposalThreshold: bigint;
  quorumBps: number;
  lateQuorumExtension: number;
  timelockDelay: number;
  salt: string;
  rewardVaultConfig: string;
}

export const DAY = 86_400;

/**
 * Sensible defaults for a creator community: a 10M cap with 1M to the creator, one day before
 * voting starts, five days of voting, 4% quorum, two more days if quorum is reached late, and two
 * days in the Timelock. Override what you need.
 */
export function communityParams(overrides: Partial<CommunityParams> = {}): CommunityParams {
  return {
    name: "Aurora Fans",
    symbol: "AUR",
    cap: parseEther("10000000"),
    creatorAllocation: parseEther("1000000"),
    votingDelay: DAY,
    votingPeriod: 5 * DAY,
    proposalThreshold: parseEther("1000"),
    quorumBps: 400,
    lateQuorumExtension: 2 * DAY,
    timelockDelay: 2 * DAY,
    salt: id("aurora"),
    rewardVaultConfig: "0x",
    ...overrides,
  };
}

/** The addresses named by a `CommunityCreated` event. */
export interface CreatedCommunity {
  id: bigint;
  creator: string;
  token: string;
  governor: string;
  timelock: string;
  rewardVault: string;
}

/** Finds the factory's `CommunityCreated` event in a receipt; throws a readable error if absent. */
export function findCommunityCreated(receipt: ContractTransactionReceipt, factoryInterface: Interface): CreatedCommunity {
  for (const log of receipt.logs) {
    let parsed: LogDescription | null = null;
    try {
      parsed = factoryInterface.parseLog(log);
    } catch {
      continue; // a log from another contract (token, timelock, governor)
    }
    if (parsed?.name === "CommunityCreated") {
      const a = parsed.args;
      return {
        id: a.id as bigint,
        creator: a.creator as string,
        token: a.token as string,
        governor: a.governor as string,
        timelock: a.timelock as string,
        rewardVault: a.rewardVault as string,
      };
    }
  }
  throw new Error(`transaction ${receipt.hash} emitted no CommunityCreated event`);
}
