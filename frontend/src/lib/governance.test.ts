import { describe, expect, it } from "vitest";
import {
  noVotesReason,
  canCancel,
  composeDescription,
  formatPeriod,
  nextMilestone,
  pageCount,
  pageIds,
  PROPOSAL_STATES,
  ProposalState,
  proposalBody,
  proposalTitle,
  proposeBlocker,
  quorumOf,
  quorumReached,
  quorumVotes,
  stateName,
  stateTone,
  tallyFrom,
  timePhase,
  voteShares,
  wouldPass,
} from "./governance.ts";

const ME = "0x1111111111111111111111111111111111111111";
const OTHER = "0x2222222222222222222222222222222222222222";
const ZERO = "0x0000000000000000000000000000000000000000";

describe("governance", () => {
  describe("states", () => {
    it("names the eight Governor states in contract order", () => {
      expect(PROPOSAL_STATES).toEqual(["Pending", "Active", "Canceled", "Defeated", "Succeeded", "Queued", "Expired", "Executed"]);
      expect(stateName(ProposalState.Queued)).toBe("Queued");
      expect(stateName(42)).toBe("Unknown");
    });

    it("gives the live and the failed states distinct tones", () => {
      const tones = new Set([ProposalState.Pending, ProposalState.Active, ProposalState.Defeated, ProposalState.Succeeded, ProposalState.Queued].map(stateTone));
      expect(tones.size).toBe(5);
      expect(stateTone(ProposalState.Defeated)).toBe("bad");
      expect(stateTone(ProposalState.Executed)).toBe("good");
    });
  });

  describe("proposalTitle / proposalBody", () => {
    it("takes the first non-empty line as the title and drops a Markdown heading mark", () => {
      expect(proposalTitle("\n# Verify Aurora Fans (AUR)\n\nBecause.")).toBe("Verify Aurora Fans (AUR)");
      expect(proposalBody("\n# Verify Aurora Fans (AUR)\n\nBecause.\nReally.")).toBe("Because.\nReally.");
    });

    it("keeps a one-line description whole as the title with an empty body", () => {
      const d = "Fan-art contest: send 0.25 ETH from the treasury to the winner";
      expect(proposalTitle(d)).toBe(d);
      expect(proposalBody(d)).toBe("");
    });

    it("shortens a very long title with an ellipsis", () => {
      const t = proposalTitle("x".repeat(300), 50);
      expect(t).toHaveLength(50);
      expect(t.endsWith("…")).toBe(true);
    });

    it("composes a description whose title line round-trips", () => {
      const d = composeDescription(" Set the referral bonus to 12% ", "Because referrals work.\n\nSecond paragraph.");
      expect(proposalTitle(d)).toBe("Set the referral bonus to 12%");
      expect(proposalBody(d)).toBe("Because referrals work.\n\nSecond paragraph.");
      expect(composeDescription("Only a title", "  ")).toBe("Only a title");
    });
  });

  describe("votes and quorum", () => {
    const tally = tallyFrom([30n, 50n, 20n]); // against, for, abstain — the order proposalVotes returns

    it("reads proposalVotes as (against, for, abstain)", () => {
      expect(tally).toEqual({ against: 30n, for: 50n, abstain: 20n });
    });

    it("counts For and Abstain toward quorum, not Against", () => {
      expect(quorumVotes(tally)).toBe(70n);
      expect(quorumReached(tally, 70n)).toBe(true);
      expect(quorumReached(tally, 71n)).toBe(false);
    });

    it("passes only with more For than Against and quorum reached", () => {
      expect(wouldPass(tally, 70n)).toBe(true);
      expect(wouldPass(tally, 100n)).toBe(false);
      expect(wouldPass(tallyFrom([50n, 50n, 100n]), 10n)).toBe(false); // a tie is not a majority
    });

    it("splits the votes in basis points and shows nothing when nobody voted", () => {
      expect(voteShares(tally)).toEqual({ for: 5000, against: 3000, abstain: 2000 });
      expect(voteShares(tallyFrom([0n, 0n, 0n]))).toEqual({ for: 0, against: 0, abstain: 0 });
    });

    it("computes quorum as supply times basis points, rounded down", () => {
      expect(quorumOf(1_000_001n, 400n)).toBe(40_000n);
    });
  });

  describe("time", () => {
    const times = { snapshot: 1_000n, deadline: 4_600n, eta: 0n };

    it("counts down to voting start while Pending (voting opens the second after the snapshot)", () => {
      expect(nextMilestone(ProposalState.Pending, times, 940n)).toEqual({ label: "Voting starts", at: 1_001n, secondsLeft: 61n });
    });

    it("counts down to the deadline while Active and to the ETA while Queued", () => {
      expect(nextMilestone(ProposalState.Active, times, 4_000n)?.label).toBe("Voting ends");
      expect(nextMilestone(ProposalState.Queued, { ...times, eta: 5_000n }, 4_900n)).toEqual({ label: "Executable", at: 5_000n, secondsLeft: 100n });
      expect(nextMilestone(ProposalState.Queued, { ...times, eta: 5_000n }, 5_100n)?.secondsLeft).toBe(0n);
      expect(nextMilestone(ProposalState.Executed, times, 9_000n)).toBeNull();
    });

    it("changes phase exactly when chain time passes the snapshot, the deadline and the ETA", () => {
      const t = { ...times, eta: 5_000n };
      expect([1_000n, 1_001n, 4_600n, 4_601n, 4_999n, 5_000n].map((now) => timePhase(t, now))).toEqual([0, 1, 1, 2, 2, 3]);
    });

    it("says governance periods the way people do", () => {
      expect(formatPeriod(60n)).toBe("1 minute");
      expect(formatPeriod(3_600n)).toBe("1 hour");
      expect(formatPeriod(604_800n)).toBe("7 days");
      expect(formatPeriod(300n)).toBe("5 minutes");
      expect(formatPeriod(1n)).toBe("1 second");
      expect(formatPeriod(5_400n)).toBe("1h 30m");
    });
  });

  describe("canCancel", () => {
    it("lets the guardian cancel until execution", () => {
      for (const state of [ProposalState.Pending, ProposalState.Active, ProposalState.Succeeded, ProposalState.Queued]) {
        expect(canCancel({ state, account: ME, guardian: ME, proposer: OTHER })).toBe(true);
      }
      for (const state of [ProposalState.Canceled, ProposalState.Expired, ProposalState.Executed]) {
        expect(canCancel({ state, account: ME, guardian: ME, proposer: OTHER })).toBe(false);
      }
    });

    it("lets the proposer cancel only while Pending when there is a guardian", () => {
      expect(canCancel({ state: ProposalState.Pending, account: ME, guardian: OTHER, proposer: ME })).toBe(true);
      expect(canCancel({ state: ProposalState.Active, account: ME, guardian: OTHER, proposer: ME })).toBe(false);
    });

    it("lets the proposer cancel any time before execution once the DAO removed the guardian", () => {
      expect(canCancel({ state: ProposalState.Queued, account: ME, guardian: ZERO, proposer: ME })).toBe(true);
    });

    it("refuses anyone else, and a disconnected visitor", () => {
      expect(canCancel({ state: ProposalState.Active, account: ME, guardian: OTHER, proposer: OTHER })).toBe(false);
      expect(canCancel({ state: ProposalState.Active, account: undefined, guardian: OTHER, proposer: OTHER })).toBe(false);
    });
  });

  describe("paging", () => {
    it("lists sequential ids newest first, page by page", () => {
      expect(pageIds(12n, 0, 5)).toEqual([12n, 11n, 10n, 9n, 8n]);
      expect(pageIds(12n, 2, 5)).toEqual([2n, 1n]);
      expect(pageIds(0n, 0, 5)).toEqual([]);
      expect(pageCount(12n, 5)).toBe(3);
      expect(pageCount(0n, 5)).toBe(1);
    });
  });

  describe("proposeBlocker", () => {
    const unit = { decimals: 18, symbol: "AUR" };
    const T = 1_000n * 10n ** 18n;

    it("asks a visitor to connect first", () => {
      expect(proposeBlocker(null, T, unit)).toMatch(/Connect a wallet/);
    });

    it("refuses an account whose votes are below the threshold, with both amounts", () => {
      const msg = proposeBlocker({ account: ME, balance: 0n, votes: 10n ** 18n, delegate: ME }, T, unit);
      expect(msg).toBe("You need 1,000 votes to make a proposal; you have 1 vote.");
    });

    it("points a holder with enough tokens but no self-delegation to the Hold tab", () => {
      expect(proposeBlocker({ account: ME, balance: T, votes: 0n, delegate: ZERO }, T, unit)).toMatch(/Delegate your tokens to yourself on the Hold tab/);
    });

    it("lets an account at the threshold propose", () => {
      expect(proposeBlocker({ account: ME, balance: 0n, votes: T, delegate: OTHER }, T, unit)).toBeNull();
    });
  });
});

describe("noVotesReason (issue 11 item 11)", () => {
  const me = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8" as const;
  const other = "0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC" as const;
  const zero = "0x0000000000000000000000000000000000000000" as const;
  it("says votes held now came after the snapshot", () => {
    expect(noVotesReason({ account: me, balance: 5n, votes: 5n, delegate: me })).toEqual({ kind: "came-after", votesNow: 5n });
    expect(noVotesReason({ account: me, balance: 0n, votes: 7n, delegate: zero })).toEqual({ kind: "came-after", votesNow: 7n });
  });
  it("asks to delegate only when the account's own tokens are undelegated", () => {
    expect(noVotesReason({ account: me, balance: 5n, votes: 0n, delegate: zero })).toEqual({ kind: "undelegated", balance: 5n });
    expect(noVotesReason({ account: me, balance: 5n, votes: 0n, delegate: other })).toEqual({ kind: "delegated-away", delegate: other, balance: 5n });
    expect(noVotesReason({ account: me, balance: 0n, votes: 0n, delegate: zero })).toEqual({ kind: "no-tokens" });
  });
});
