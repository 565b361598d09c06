/**
 * The REST API's contract (INDEXER_API.md, docs/indexer.md): every bad input is a 400 or 404 with a
 * readable `{ error }`, never a 500; keyset paging walks every item exactly once; CORS on GET;
 * Ponder's /graphql and /sql/* are served beside it.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startChain, startIndexer, waitForIndexed, type Chain, type Indexer } from "./harness.ts";

let chain: Chain;
let indexer: Indexer;
let token: string;

beforeAll(async () => {
  chain = await startChain();
  try {
    indexer = await startIndexer(chain);
    await waitForIndexed(indexer, chain);
  } catch (error) {
    await chain.stop();
    throw error;
  }
  token = chain.demo.community.token;
});

afterAll(async () => {
  await indexer?.stop();
  await chain?.stop();
});

interface Page {
  items: Array<Record<string, unknown>>;
  nextCursor: string | null;
}

/** Asserts a JSON error with a non-empty message and returns the message. */
async function expectError(path: string, status: 400 | 404): Promise<string> {
  const res = await indexer.get<{ error?: unknown }>(path);
  expect({ path, status: res.status }).toEqual({ path, status });
  expect(res.headers.get("content-type") ?? "").toContain("application/json");
  expect(typeof res.body.error).toBe("string");
  expect((res.body.error as string).length).toBeGreaterThan(0);
  return res.body.error as string;
}

async function walk(path: string, limit: number): Promise<Array<Record<string, unknown>>> {
  const out: Array<Record<string, unknown>> = [];
  let cursor: string | null = null;
  do {
    const sep = path.includes("?") ? "&" : "?";
    const res: { status: number; body: Page } = await indexer.get<Page>(`${path}${sep}limit=${limit}${cursor ? `&cursor=${cursor}` : ""}`);
    expect(res.status).toBe(200);
    expect(res.body.items.length).toBeLessThanOrEqual(limit);
    out.push(...res.body.items);
    cursor = res.body.nextCursor;
  } while (cursor !== null);
  return out;
}

describe("bad input is a 400 with a message", () => {
  it("a malformed address in the path or the query", async () => {
    expect(await expectError("/api/communities/0x1234", 400)).toMatch(/token must be an address/);
    await expectError("/api/communities/not-an-address/holders", 400);
    await expectError(`/api/communities/${"0x" + "g".repeat(40)}/proposals`, 400);
    await expectError("/api/accounts/0xZZ", 400);
    await expectError("/api/accounts/0x12/referrals", 400);
    await expectError(`/api/accounts/${chain.accounts[2]}/referrals?token=0x12`, 400);
  });

  it("a limit outside 1..100 or not an integer", async () => {
    for (const limit of ["0", "101", "abc", "-1", "1.5", "", "1e2", "9999999999"]) {
      expect(await expectError(`/api/communities?limit=${limit}`, 400)).toMatch(/limit must be an integer from 1 to 100/);
      await expectError(`/api/communities/${token}/holders?limit=${limit}`, 400);
    }
    expect((await indexer.get("/api/communities?limit=1")).status).toBe(200);
    expect((await indexer.get("/api/communities?limit=100")).status).toBe(200);
  });

  it("a cursor that this list did not produce", async () => {
    const holders = await indexer.get<Page>(`/api/communities/${token}/holders?limit=1`);
    const holdersCursor = holders.body.nextCursor!;
    expect(holdersCursor).toBeTypeOf("string");
    for (const cursor of ["garbage!", "W10", Buffer.from('["x","y"]').toString("base64url"), "A".repeat(600), "%00"]) {
      expect(await expectError(`/api/communities?cursor=${cursor}`, 400)).toMatch(/cursor is not valid/);
    }
    // A holders cursor (balance, account) is not a proposals cursor (block, log index).
    await expectError(`/api/communities/${token}/proposals?cursor=${holdersCursor}`, 400);
    await expectError(`/api/accounts/${chain.accounts[2]}/referrals?cursor=${holdersCursor}`, 400);
  });

  it("a proposal id that is not a uint256", async () => {
    for (const id of ["abc", "-1", "1.5", (1n << 256n).toString(), "0x10"]) {
      expect(await expectError(`/api/communities/${token}/proposals/${id}`, 400)).toMatch(/proposal id/);
    }
  });

  it("a search longer than 64 characters", async () => {
    expect(await expectError(`/api/communities?q=${"a".repeat(65)}`, 400)).toMatch(/q must be at most 64/);
    // LIKE wildcards are matched literally.
    const wild = await indexer.get<Page>("/api/communities?q=%25");
    expect(wild.status).toBe(200);
    expect(wild.body.items).toEqual([]);
    const aur = await indexer.get<Page>("/api/communities?q=aur");
    expect(aur.body.items.map((c) => c.symbol)).toEqual(["AUR"]);
  });
});

describe("unknown things are a 404 with a message", () => {
  it("an unknown community token (any case) on every community route", async () => {
    const unknown = "0x" + "ab".repeat(20);
    for (const suffix of ["", "/holders", "/proposals", "/proposals/1", "/crowdfunds", "/revenue"]) {
      expect(await expectError(`/api/communities/${unknown}${suffix}`, 404)).toMatch(/no community/);
    }
    expect((await indexer.get(`/api/communities/${token.toLowerCase()}`)).status).toBe(200);
    expect((await indexer.get(`/api/communities/${token.toUpperCase().replace("0X", "0x")}`)).status).toBe(200);
  });

  it("an unknown proposal", async () => {
    expect(await expectError(`/api/communities/${token}/proposals/999999`, 404)).toMatch(/no proposal/);
  });

  it("an unknown route", async () => {
    for (const path of ["/nope", "/api", "/api/nope", "/api/communities/x/y/z/w", "/api/accounts"]) {
      expect(await expectError(path, 404)).toMatch(/no route/);
    }
  });

  it("no input ever produces a 500", async () => {
    const odd = ["%", "%zz", "..", "0x", "0x" + "0".repeat(40), "'", "\"", "🙂", "a".repeat(2000), "1".repeat(100)];
    for (const x of odd) {
      const e = encodeURIComponent(x);
      for (const path of [
        `/api/communities/${e}`,
        `/api/communities/${token}/proposals/${e}`,
        `/api/communities?q=${e}`,
        `/api/communities?cursor=${e}`,
        `/api/communities?limit=${e}`,
        `/api/accounts/${e}`,
        `/api/accounts/${chain.accounts[2]}/referrals?token=${e}`,
      ]) {
        const res = await indexer.get(path);
        expect({ path, status: res.status }).not.toEqual({ path, status: 500 });
        expect(res.status).toBeLessThan(500);
      }
    }
  });
});

describe("paging", () => {
  it("walks every item exactly once, in the same order as one big page", async () => {
    for (const path of [
      "/api/communities",
      `/api/communities/${token}/holders`,
      `/api/communities/${token}/proposals`,
      `/api/accounts/${chain.accounts[2]}/referrals`,
    ]) {
      const whole = await indexer.get<Page>(`${path}?limit=100`);
      expect(whole.body.nextCursor).toBeNull();
      for (const limit of [1, 2, 3]) {
        const walked = await walk(path, limit);
        expect(walked).toEqual(whole.body.items);
        expect(new Set(walked.map((i) => JSON.stringify(i))).size).toBe(walked.length);
      }
    }
    // Enough items for the walk to mean something.
    expect((await walk(`/api/communities/${token}/holders`, 1)).length).toBeGreaterThanOrEqual(4);
    expect((await walk(`/api/communities/${token}/proposals`, 1)).length).toBeGreaterThanOrEqual(3);
  });

  it("lists communities verified first, then newest first; holders by balance", async () => {
    const communities = (await indexer.get<Page>("/api/communities")).body.items;
    expect(communities.map((c) => [c.symbol, c.verified])).toEqual([
      ["AUR", true],
      ["CTRE", false],
    ]);
    const holders = (await indexer.get<Page>(`/api/communities/${token}/holders`)).body.items;
    const balances = holders.map((h) => BigInt(h.balance as string));
    expect([...balances].sort((a, b) => (a > b ? -1 : a < b ? 1 : 0))).toEqual(balances);
  });

  it("pages a proposal's votes", async () => {
    const proposals = (await indexer.get<Page>(`/api/communities/${token}/proposals?limit=100`)).body.items;
    const voted = proposals.find((p) => (p.votes as number) > 0)!;
    const detail = await indexer.get<{ id: string; votes: Page }>(`/api/communities/${token}/proposals/${voted.id}?limit=1`);
    expect(detail.status).toBe(200);
    expect(detail.body.id).toBe(voted.id);
    expect(detail.body.votes.items.length).toBe(1);
  });
});

describe("served beside the REST API", () => {
  it("CORS on GET", async () => {
    const res = await fetch(`${indexer.url}/api/communities`, { headers: { origin: "http://127.0.0.1:5173" } });
    expect(res.headers.get("access-control-allow-origin")).toBe("*");
  });

  it("Ponder's /graphql, /sql/*, /health and /ready", async () => {
    const gql = await fetch(`${indexer.url}/graphql`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ query: "{ communitys { items { symbol verified } } }" }),
    });
    expect(gql.status).toBe(200);
    const body = (await gql.json()) as { data?: { communitys: { items: Array<{ symbol: string }> } } };
    expect(body.data?.communitys.items.map((c) => c.symbol).sort()).toEqual(["AUR", "CTRE"]);
    expect((await indexer.get("/health")).status).toBe(200);
    expect((await indexer.get("/ready")).status).toBe(200);
    // /sql/* is Ponder's client endpoint: it answers (its own protocol), it is not our 404.
    expect((await indexer.get("/sql/db")).status).not.toBe(404);
  });
});
