import { describe, expect, it } from "vitest";
import type { Address, PublicClient } from "viem";
import { readExplorePage } from "./explore.ts";
import { IndexerClient } from "./indexer.ts";
import { communityJson, mockFetch, TOKEN } from "./indexer.mock.ts";

const FACTORY = "0xfac0000000000000000000000000000000000001" as Address;

/** A chain client with an empty registry, counting its requests. */
function chainClient() {
  const requests: string[] = [];
  const client = {
    multicall: async () => {
      requests.push("eth_call");
      return [
        { status: "success", result: 0n },
        { status: "failure", error: new Error("no platform") },
      ];
    },
  } as unknown as PublicClient;
  return { client, requests };
}

describe("Explore's pages", () => {
  it("come from the indexer, searched there, verified first as it orders them, with a cursor for the next page", async () => {
    const { fetch, urls } = mockFetch({
      "/api/communities?q=aur&limit=24": [200, { items: [communityJson, { ...communityJson, id: "1", token: "0x7000000000000000000000000000000000000002", verified: false }], nextCursor: "n1" }],
    });
    const { client, requests } = chainClient();
    const page = await readExplorePage(client, { factory: FACTORY, indexer: new IndexerClient("http://idx.test", { fetch }), q: "aur ", param: { source: "indexer", cursor: null } });
    expect(urls).toEqual(["http://idx.test/api/communities?q=aur&limit=24"]);
    expect(requests).toEqual([]);
    expect(page.items.map((c) => [c.token, c.verified])).toEqual([
      [TOKEN, true],
      ["0x7000000000000000000000000000000000000002", false],
    ]);
    expect(page.next).toEqual({ source: "indexer", cursor: "n1" });
  });

  it("come from the chain when the indexer is down, and say why", async () => {
    const { client, requests } = chainClient();
    const page = await readExplorePage(client, { factory: FACTORY, indexer: new IndexerClient("http://idx.test", { fetch: mockFetch({}).fetch }), q: "", param: { source: "indexer", cursor: null } });
    expect(page.source).toBe("chain");
    expect(page.indexerError?.message).toMatch(/HTTP 404/);
    expect(requests).toEqual(["eth_call"]);
    expect(page.count).toBe(0n);
  });

  it("show a later page's indexer error instead of switching source mid-list", async () => {
    const { client } = chainClient();
    await expect(
      readExplorePage(client, { factory: FACTORY, indexer: new IndexerClient("http://idx.test", { fetch: mockFetch({}).fetch }), q: "", param: { source: "indexer", cursor: "n1" } }),
    ).rejects.toThrow(/HTTP 404/);
  });
});
