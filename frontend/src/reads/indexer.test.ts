import { describe, expect, it, vi } from "vitest";
import { A, communityJson, mockFetch, TOKEN } from "./indexer.mock.ts";
import { allPages, freshnessBlock, IndexerClient, IndexerError, indexerFor, preferIndexer } from "./indexer.ts";

describe("the indexer client", () => {
  it("reads a page of communities with the query, limit and cursor, typed (amounts as bigint, addresses checksummed)", async () => {
    const { fetch, urls } = mockFetch({ "/api/communities?q=aur&limit=5&cursor=abc": [200, { items: [{ ...communityJson, token: TOKEN.toLowerCase() }], nextCursor: "def" }] });
    const page = await new IndexerClient("http://idx.test/", { fetch }).communities({ q: " aur ", limit: 5, cursor: "abc" });
    expect(urls).toEqual(["http://idx.test/api/communities?q=aur&limit=5&cursor=abc"]);
    expect(page.nextCursor).toBe("def");
    expect(page.items[0]).toMatchObject({ id: 2n, token: "0x7000000000000000000000000000000000000001", totalSupply: 10n ** 21n, revenueShare: null, verified: true });
  });

  it("names the malformed field of a response instead of passing it on", async () => {
    const { fetch } = mockFetch({ "/api/communities": [200, { items: [{ ...communityJson, totalSupply: 12 }], nextCursor: null }] });
    await expect(new IndexerClient("http://idx.test", { fetch }).communities()).rejects.toThrow(
      "The indexer sent a malformed response: communities.items[0].totalSupply is not a decimal integer string.",
    );
    const bad = mockFetch({ [`/api/communities/${TOKEN}`]: [200, { ...communityJson, governor: "0x12" }] });
    await expect(new IndexerClient("http://idx.test", { fetch: bad.fetch }).community(TOKEN)).rejects.toThrow("community.governor is not an address");
  });

  it("reports the indexer's own error message with the HTTP status", async () => {
    const { fetch } = mockFetch({ [`/api/communities/${TOKEN}`]: [404, { error: "unknown community" }] });
    const error = await new IndexerClient("http://idx.test", { fetch }).community(TOKEN).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(IndexerError);
    expect((error as IndexerError).status).toBe(404);
    expect((error as Error).message).toBe(`The indexer refused /api/communities/${TOKEN} (HTTP 404): unknown community`);
  });

  it("says the indexer is unreachable when the request fails", async () => {
    const fetch = (async () => {
      throw new TypeError("Failed to fetch");
    }) as unknown as typeof globalThis.fetch;
    await expect(new IndexerClient("http://idx.test", { fetch }).account(A)).rejects.toThrow("The indexer is unreachable (http://idx.test): Failed to fetch.");
  });

  it("gives up after its timeout and says so", async () => {
    vi.useFakeTimers();
    try {
      const fetch = ((_url: string, init: RequestInit) =>
        new Promise((_resolve, reject) => init.signal?.addEventListener("abort", () => reject(new DOMException("aborted", "AbortError"))))) as unknown as typeof globalThis.fetch;
      const pending = new IndexerClient("http://idx.test", { fetch, timeoutMs: 2_000 }).holders(TOKEN).catch((e: unknown) => e);
      await vi.advanceTimersByTimeAsync(2_000);
      expect(String(await pending)).toBe("IndexerError: The indexer did not answer within 2 s (http://idx.test).");
    } finally {
      vi.useRealTimers();
    }
  });

  it("reads an account's communities and referral totals, and its referred fans for one token", async () => {
    const { fetch, urls } = mockFetch({
      [`/api/accounts/${A}`]: [
        200,
        {
          address: A,
          communities: [{ token: TOKEN, name: "Aurora", symbol: "AUR", balance: "5", votes: "0", delegate: null }],
          delegators: [],
          votesCast: [],
          referrals: { perCommunity: [{ token: TOKEN, referred: 2, bonusCredited: "10", bonusClaimed: "4", crowdfundReferred: 1 }] },
          contributions: [],
          revenueClaims: [],
        },
      ],
      [`/api/accounts/${A}/referrals?token=${TOKEN}&limit=10`]: [
        200,
        { items: [{ token: TOKEN, fan: A, source: "vault", bonus: "0", createdAt: 5, block: "9", txHash: "0xab" }], nextCursor: null },
      ],
    });
    const client = new IndexerClient("http://idx.test", { fetch });
    const account = await client.account(A);
    expect(account.communities[0]).toMatchObject({ symbol: "AUR", balance: 5n, delegate: null });
    expect(account.referrals.perCommunity[0].bonusCredited).toBe(10n);
    const referrals = await client.referrals(A, { token: TOKEN, limit: 10 });
    expect(referrals.items[0]).toMatchObject({ source: "vault", bonus: 0n, block: 9n });
    expect(urls).toHaveLength(2);
  });

  it("has no client for a chain without indexerUrl", () => {
    expect(indexerFor({ indexerUrl: null })).toBeNull();
    expect(indexerFor({ indexerUrl: "http://idx.test" })?.baseUrl).toBe("http://idx.test");
  });

  it("falls back to the chain when the indexer errs, and only then", async () => {
    const down = new IndexerClient("http://idx.test", { fetch: mockFetch({}).fetch });
    const chain = vi.fn(async () => "from chain");
    const fromDown = await preferIndexer(down, (i) => i.community(TOKEN).then(() => "from indexer"), chain);
    expect(fromDown).toMatchObject({ value: "from chain", source: "chain" });
    expect(fromDown.indexerError?.status).toBe(404);
    const none = await preferIndexer(null, async () => "from indexer", chain);
    expect(none).toEqual({ value: "from chain", source: "chain", indexerError: null });
    chain.mockClear();
    const up = await preferIndexer(down, async () => "from indexer", chain);
    expect(up.source).toBe("indexer");
    expect(chain).not.toHaveBeenCalled();
  });

  it("follows cursors to read a whole list", async () => {
    const pages: Record<string, { items: number[]; nextCursor: string | null }> = { start: { items: [1, 2], nextCursor: "b" }, b: { items: [3], nextCursor: null } };
    expect(await allPages(async (cursor) => pages[cursor ?? "start"])).toEqual([1, 2, 3]);
  });

  it("holds the refresh after a transaction until the indexer has the block, unless its status cannot be read", async () => {
    const behind = new IndexerClient("http://idx.test", { fetch: mockFetch({ "/status": [200, { local: { block: { number: 41, timestamp: 1 }, ready: true } }] }).fetch });
    expect(await freshnessBlock(async () => 42n, behind)).toBe(41n);
    const ahead = new IndexerClient("http://idx.test", { fetch: mockFetch({ "/status": [200, { local: { block: { number: 43, timestamp: 1 }, ready: true } }] }).fetch });
    expect(await freshnessBlock(async () => 42n, ahead)).toBe(42n);
    const down = new IndexerClient("http://idx.test", { fetch: mockFetch({}).fetch });
    expect(await freshnessBlock(async () => 42n, down)).toBe(42n);
    expect(await freshnessBlock(async () => 42n, null)).toBe(42n);
  });
});
