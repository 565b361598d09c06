import { describe, expect, it } from "vitest";
import type { Address } from "viem";
import type { ReadClient } from "./governance.ts";
import { IndexerClient } from "./indexer.ts";
import { A, mockFetch, TOKEN } from "./indexer.mock.ts";
import type { LogsClient } from "./logs.ts";
import { readProposalList } from "./proposal-list.ts";

const GOV = "0x00000000000000000000000000000000000000a1" as Address;

const proposal = (id: string) => ({
  id, proposer: A, description: `# Proposal ${id}\nbody`, targets: [A], values: ["0"], calldatas: ["0x"], voteStart: 10, voteEnd: 20,
  status: "pending-or-active", eta: null, forVotes: "0", againstVotes: "0", abstainVotes: "0", votes: 0, createdAt: 5, createdBlock: "9", txHash: "0xab",
});

/** A chain client whose governor logs hold one proposal (id 1), counting its requests. */
function chainClient() {
  const requests: string[] = [];
  const client = {
    getBlockNumber: async () => (requests.push("eth_blockNumber"), 100n),
    getLogs: async () => {
      requests.push("eth_getLogs");
      return [{ eventName: "ProposalCreated", args: { proposalId: 1n, proposer: A, targets: [], values: [], calldatas: [], voteStart: 1n, voteEnd: 2n, description: "From the logs" }, blockNumber: 3n, transactionHash: "0xcd" }];
    },
  } as unknown as ReadClient & LogsClient;
  return { client, requests };
}

describe("the Vote tab's proposal list", () => {
  it("comes from the indexer's pages when it answers, without reading logs", async () => {
    const { fetch, urls } = mockFetch({
      [`/api/communities/${TOKEN}/proposals?limit=100`]: [200, { items: [proposal("3"), proposal("2")], nextCursor: "c2" }],
      [`/api/communities/${TOKEN}/proposals?limit=100&cursor=c2`]: [200, { items: [proposal("1")], nextCursor: null }],
    });
    const { client, requests } = chainClient();
    const list = await readProposalList(client, { governor: GOV, token: TOKEN, fromBlock: 0n, indexer: new IndexerClient("http://idx.test", { fetch }) });
    expect(list.source).toBe("indexer");
    expect([...list.created.keys()]).toEqual(["3", "2", "1"]);
    expect(list.created.get("2")).toMatchObject({ id: 2n, voteStart: 10n, voteEnd: 20n, blockNumber: 9n, description: "# Proposal 2\nbody" });
    expect(urls).toHaveLength(2);
    expect(requests).toEqual([]);
  });

  it("comes from the governor's logs when the indexer is down or none is configured", async () => {
    for (const indexer of [new IndexerClient("http://idx.test", { fetch: mockFetch({}).fetch }), null]) {
      const { client, requests } = chainClient();
      const list = await readProposalList(client, { governor: GOV, token: TOKEN, fromBlock: 7n, indexer });
      expect(list.source).toBe("chain");
      expect(list.created.get("1")?.description).toBe("From the logs");
      expect(requests).toEqual(["eth_blockNumber", "eth_getLogs"]);
    }
  });
});
