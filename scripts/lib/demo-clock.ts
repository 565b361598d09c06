/**
 * The local demo's clock (issue 11 item 15). The seed (scripts/seed.ts) walks real proposals through
 * governance, which moves chain time forward by days (the platform DAO alone waits its voting delay,
 * voting period and timelock delay). So that the chain's clock ends near the wall clock, `npm start`
 * starts the chain in the past (hardhat.config.ts `networks.node.initialDate`, from
 * COTERIE_CHAIN_START) by at least what the seed will move it, and the seed, before its last steps,
 * moves the chain up to "now minus what those steps still move it".
 */

/** The demo community's governance times, in seconds (scripts/seed.ts launches Aurora with them). */
export const DEMO_GOVERNANCE = {
  /**
   * 30 minutes: the seed's last proposal opens for voting 30 minutes after `npm start` is ready,
   * so fans who claim a demo link before then hold votes at its snapshot (issue 11 item 11).
   */
  votingDelay: 1_800,
  votingPeriod: 3_600,
  lateQuorumExtension: 600,
  timelockDelay: 300,
} as const;

/** The platform DAO's defaults in deploy/modules/Platform.ts (what `npm start` deploys). */
export const PLATFORM_GOVERNANCE = { votingDelay: 86_400, votingPeriod: 7 * 86_400, timelockDelay: 2 * 86_400 } as const;

/** Slack for the blocks each step mines and for a platform with slower settings than expected. */
export const CHAIN_START_MARGIN = 3_600;

interface Governance {
  votingDelay: number;
  votingPeriod: number;
  timelockDelay: number;
}

const wholeProposal = (g: Governance): number => g.votingDelay + g.votingPeriod + g.timelockDelay;

/**
 * The chain time the seed moves forward: one platform proposal (verification), two community
 * proposals (the crowdfund's and the revenue share's approvals), and the live proposal's voting
 * delay.
 */
export function seedWarpSeconds(platform: Governance = PLATFORM_GOVERNANCE, community: Governance = DEMO_GOVERNANCE): number {
  return wholeProposal(platform) + 2 * wholeProposal(community) + community.votingDelay;
}

/** The ISO date the chain should start at so that the seed ends near `now` (before the seed's catch-up). */
export function chainStartDate(now: Date, warpSeconds: number = seedWarpSeconds()): string {
  return new Date(now.getTime() - (warpSeconds + CHAIN_START_MARGIN) * 1_000).toISOString();
}

/**
 * Where the seed moves the chain before steps that will still move it `remainingSeconds`: the
 * wall clock minus those seconds, or null when the chain is already there or later (it was not
 * started in the past, e.g. a plain `hardhat node`; it then stays ahead, by `chainNow - target`).
 */
export function catchUpTarget(wallNowMs: number, chainNow: number, remainingSeconds: number): number | null {
  const target = Math.floor(wallNowMs / 1_000) - remainingSeconds;
  return target > chainNow ? target : null;
}
