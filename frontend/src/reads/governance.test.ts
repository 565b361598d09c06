import { describe, expect, it } from "vitest";
import { keccak256, toHex, type Address } from "viem";
import type { LogsClient } from "./logs.ts";
import { fetchGovernorLogs, fetchProposal, fetchProposalPage, type ProposalCreatedInfo, type ReadClient } from "./governance.ts";

const GOV = "0x00000000000000000000000000000000000000a1" as Address;
const TOKEN = "0x00000000000000000000000000000000000000a2" as Address;
const TIMELOCK = "0x00000000000000000000000000000000000000a3" as Address;
const ME = "0x00000000000000000000000000000000000000b1" as Address;

type Call = { functionName: string; args?: readonly unknown[] };
type Reply = (call: Call) => unknown;

/** A client whose multicall answers each call with `reply` (throwing = that call reverted) and counts requests. */
function fakeClient(reply: Reply, logs: unknown[] = []) {
  const requests: string[] = [];
  const client = {
    multicall: async ({ contracts }: { contracts: Call[] }) => {
      requests.push(`multicall(${contracts.length})`);
      return contracts.map((c) => {
        try {
          return { status: "success", result: reply(c) };
        } catch (error) {
          return { status: "failure", error };
        }
      });
    },
    getLogs: async () => {
      requests.push("getLogs");
      return logs;
    },
    getBlockNumber: async () => {
      requests.push("blockNumber");
      return 100n;
    },
  } as unknown as ReadClient & LogsClient; // only the methods the fetchers use
  return { client, requests };
}

function created(id: bigint, voteStart: bigint): ProposalCreatedInfo {
  return { id, proposer: ME, targets: [], values: [], calldatas: [], voteStart, voteEnd: voteStart + 3600n, description: `Proposal ${id}`, blockNumber: 1n, transactionHash: null };
}

describe("useGovernor fetchers", () => {
  describe("fetchProposalPage", () => {
    const settings: Record<string, unknown> = {
      proposalCount: 2n,
      latestProposalId: 2n,
      proposalThreshold: 1_000n,
      votingDelay: 60n,
      votingPeriod: 3_600n,
      quorumNumerator: 400n,
      lateQuorumVoteExtension: 600,
      proposalGuardian: ME,
      clock: 1_500,
      getMinDelay: 300n,
    };
    const reply: Reply = ({ functionName, args }) => {
      if (functionName in settings) return settings[functionName];
      const id = args?.[0] as bigint;
      switch (functionName) {
        case "state":
          return id === 2n ? 0 : 1;
        case "proposalVotes":
          return [1n, 5n, 2n];
        case "proposalSnapshot":
          return id === 2n ? 2_000n : 1_000n;
        case "proposalDeadline":
          return 5_000n;
        case "proposalEta":
          return 0n;
        case "proposalProposer":
          return ME;
        case "quorum":
          if ((args?.[0] as bigint) >= 1_500n) throw new Error("ERC5805FutureLookup");
          return 40n;
        case "totalSupply":
          return 1_000n;
        default:
          throw new Error(`unexpected ${functionName}`);
      }
    };
    const options = { governor: GOV, timelock: TIMELOCK, token: TOKEN, page: 0, pageSize: 5 };

    it("asks viem for each multicall unsplit (batchSize 0): a page of several proposals passes viem's 1 KB default and would become several eth_calls", async () => {
      const batchSizes: Array<number | undefined> = [];
      const { client } = fakeClient(reply);
      const multicall = client.multicall.bind(client);
      (client as unknown as { multicall: (p: { batchSize?: number }) => unknown }).multicall = (parameters: { batchSize?: number }) => {
        batchSizes.push(parameters.batchSize);
        return multicall(parameters as Parameters<typeof multicall>[0]);
      };
      await fetchProposalPage(client, { ...options, created: new Map([["1", created(1n, 1_000n)], ["2", created(2n, 2_000n)]]) });
      await fetchProposalPage(client, { ...options, created: new Map([["1", created(1n, 1_000n)]]) }); // the logs missed #2: a second call
      expect(batchSizes).toEqual([0, 0, 0]);
    });

    it("reads the settings and a page in one multicall when the logs give the ids and snapshots", async () => {
      const { client, requests } = fakeClient(reply);
      const { settings: s, summaries } = await fetchProposalPage(client, {
        ...options,
        created: new Map([
          ["1", created(1n, 1_000n)],
          ["2", created(2n, 2_000n)],
        ]),
      });
      expect(requests).toEqual(["multicall(25)"]); // 10 settings + 2 × 6 + 2 quorums + supply
      expect(s).toMatchObject({ latestProposalId: 2n, proposalThreshold: 1_000n, clock: 1_500n, timelockDelay: 300n });
      expect(summaries.map((x) => x.id)).toEqual([2n, 1n]);
      expect(summaries[1]).toMatchObject({ id: 1n, state: 1, quorum: 40n, quorumEstimated: false, tally: { against: 1n, for: 5n, abstain: 2n } });
      // Pending: the snapshot is ahead of the chain, so quorum is estimated from today's supply (4% of 1,000).
      expect(summaries[0]).toMatchObject({ id: 2n, state: 0, quorum: 40n, quorumEstimated: true });
    });

    it("without the logs, reads the settings first, then the page and the past quorums", async () => {
      const { client, requests } = fakeClient(reply);
      const { summaries } = await fetchProposalPage(client, { ...options, created: undefined });
      expect(requests).toEqual(["multicall(10)", "multicall(13)", "multicall(1)"]);
      expect(summaries[1]).toMatchObject({ quorum: 40n, quorumEstimated: false });
    });

    it("re-reads the page when the logs missed the newest proposal", async () => {
      const { client, requests } = fakeClient(reply);
      const { summaries } = await fetchProposalPage(client, { ...options, created: new Map([["1", created(1n, 1_000n)]]) });
      expect(requests).toEqual(["multicall(18)", "multicall(14)"]);
      expect(summaries.map((x) => x.id)).toEqual([2n, 1n]);
    });

    it("shows an empty page for a governor without proposals", async () => {
      const { client, requests } = fakeClient((c) => (c.functionName === "latestProposalId" || c.functionName === "proposalCount" ? 0n : reply(c)));
      expect((await fetchProposalPage(client, { ...options, created: new Map() })).summaries).toEqual([]);
      expect(requests).toEqual(["multicall(10)"]);
    });

    it("fails with the governor's error when its settings cannot be read", async () => {
      const { client } = fakeClient(() => {
        throw new Error("not a governor");
      });
      await expect(fetchProposalPage(client, { ...options, created: undefined })).rejects.toThrow("not a governor");
    });
  });

  describe("fetchGovernorLogs", () => {
    it("splits one eth_getLogs into proposals by id and votes", async () => {
      const logs = [
        { eventName: "ProposalCreated", args: { proposalId: 3n, proposer: ME, targets: [ME], values: [1n], calldatas: ["0x"], voteStart: 10n, voteEnd: 20n, description: "Hello" }, blockNumber: 5n, transactionHash: "0xaa" },
        { eventName: "VoteCast", args: { voter: ME, proposalId: 3n, support: 1, weight: 7n, reason: "Great idea" }, blockNumber: 6n, transactionHash: "0xbb" },
      ];
      const { client, requests } = fakeClient(() => undefined, logs);
      const result = await fetchGovernorLogs(client, GOV);
      expect(requests).toEqual(["blockNumber", "getLogs"]);
      expect(result.created.get("3")?.description).toBe("Hello");
      expect(result.votes).toEqual([{ proposalId: 3n, voter: ME, support: 1, weight: 7n, reason: "Great idea", blockNumber: 6n, transactionHash: "0xbb" }]);
    });
  });

  describe("fetchProposal", () => {
    const createdLogs = [
      { eventName: "ProposalCreated", args: { proposalId: 2n, proposer: ME, targets: [TOKEN], values: [0n], calldatas: ["0x01"], voteStart: 1n, voteEnd: 2n, description: "Other" } },
      { eventName: "ProposalCreated", args: { proposalId: 1n, proposer: ME, targets: [ME], values: [1n], calldatas: ["0x"], voteStart: 100n, voteEnd: 200n, description: "Hello" } },
    ];
    const base: Reply = ({ functionName }) => {
      switch (functionName) {
        case "state":
          return 1;
        case "proposalVotes":
          return [0n, 10n, 0n];
        case "proposalSnapshot":
          return 100n;
        case "proposalDeadline":
          return 200n;
        case "proposalEta":
          return 0n;
        case "proposalProposer":
        case "proposalGuardian":
          return ME;
        case "proposalNeedsQueuing":
          return true;
        case "clock":
          return 150;
        case "quorumNumerator":
          return 400n;
        case "hasVoted":
          return false;
        case "totalSupply":
          return 10_000n;
        case "quorum":
          return 400n;
        case "getVotes":
          return 25n;
        default:
          throw new Error(functionName);
      }
    };

    it("reads the proposal, then quorum and the account's weight at the snapshot", async () => {
      const { client, requests } = fakeClient(base, createdLogs);
      const p = await fetchProposal(client, { governor: GOV, token: TOKEN, id: 1n, account: ME });
      expect(requests).toEqual(["blockNumber", "multicall(12)", "getLogs", "multicall(2)"]);
      expect(p).toMatchObject({ state: 1, quorum: 400n, quorumEstimated: false, weight: 25n, hasVoted: false, clock: 150n });
    });

    // Issue 13 item 6: the governor does not store proposals; queue/execute/cancel need the full arguments.
    it("takes the actions and description from the proposal's own ProposalCreated log, with the description's hash", async () => {
      const { client } = fakeClient(base, createdLogs);
      const p = await fetchProposal(client, { governor: GOV, token: TOKEN, id: 1n, account: ME });
      expect(p).toMatchObject({ targets: [ME], values: [1n], calldatas: ["0x"], description: "Hello", descriptionHash: keccak256(toHex("Hello")) });
    });

    it("returns null for an id the governor does not have", async () => {
      const { client } = fakeClient((call) => {
        if (call.functionName === "state") throw new Error("GovernorNonexistentProposal");
        return base(call);
      }, createdLogs);
      expect(await fetchProposal(client, { governor: GOV, token: TOKEN, id: 99n, account: null })).toBeNull();
    });

    it("fails, rather than showing a proposal without its actions, when its ProposalCreated log is missing", async () => {
      const { client } = fakeClient(base, createdLogs.slice(0, 1));
      await expect(fetchProposal(client, { governor: GOV, token: TOKEN, id: 1n, account: ME })).rejects.toThrow("Could not read this proposal's actions");
    });
  });
});
