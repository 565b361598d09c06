import { describe, expect, it } from "vitest";
import type { InfiniteData } from "@tanstack/react-query";
import type { Address, PublicClient } from "viem";
import { filterCommunities, flattenPages } from "./useCommunities.ts";
import { EXPLORE_PAGE_SIZE, pageBefore, readPage, type CommunityListing, type CommunityPage } from "../reads/community.ts";

const listing = (id: number, name: string | null, symbol: string | null): CommunityListing => ({
  id: BigInt(id),
  creator: "0x0000000000000000000000000000000000000001",
  token: `0x${id.toString(16).padStart(40, "0")}`,
  verified: false,
  createdAt: 1_700_000_000 + id,
  name,
  symbol,
  decimals: 18,
  totalSupply: 0n,
  isPlatform: false,
});

describe("useCommunities", () => {
  describe("pageBefore", () => {
    it("reads the newest page of 24 ending at the registry's end", () => {
      expect(pageBefore(100n, EXPLORE_PAGE_SIZE)).toEqual({ offset: 76n, limit: 24n });
    });
    it("reads a shorter page at the start of the registry instead of going below id 0", () => {
      expect(pageBefore(10n, EXPLORE_PAGE_SIZE)).toEqual({ offset: 0n, limit: 10n });
      expect(pageBefore(24n, EXPLORE_PAGE_SIZE)).toEqual({ offset: 0n, limit: 24n });
    });
    it("reads nothing from an empty registry", () => {
      expect(pageBefore(0n, EXPLORE_PAGE_SIZE)).toEqual({ offset: 0n, limit: 0n });
    });
  });

  describe("filterCommunities", () => {
    const list = [listing(0, "Coterie", "CTRE"), listing(1, "Aurora Fans", "AUR"), listing(2, "Night Owls", "OWL"), listing(3, null, null)];
    it("keeps every community for an empty or blank search", () => {
      expect(filterCommunities(list, "")).toHaveLength(4);
      expect(filterCommunities(list, "   ")).toHaveLength(4);
    });
    it("matches part of the name, ignoring case", () => {
      expect(filterCommunities(list, "aURoRa").map((c) => c.symbol)).toEqual(["AUR"]);
      expect(filterCommunities(list, "fans").map((c) => c.symbol)).toEqual(["AUR"]);
    });
    it("matches the symbol, ignoring case and surrounding spaces", () => {
      expect(filterCommunities(list, " owl ").map((c) => c.name)).toEqual(["Night Owls"]);
      expect(filterCommunities(list, "ctre").map((c) => c.name)).toEqual(["Coterie"]);
    });
    it("returns nothing when no name or symbol matches, and skips unreadable tokens", () => {
      expect(filterCommunities(list, "zebra")).toEqual([]);
      expect(filterCommunities(list, "null")).toEqual([]);
    });
    it("keeps the newest-first order of the list", () => {
      expect(filterCommunities([...list].reverse(), "o").map((c) => c.id)).toEqual([2n, 1n, 0n]);
    });
  });

  describe("flattenPages", () => {
    it("joins the loaded pages in order, newest first", () => {
      const page = (ids: number[], start: number): CommunityPage => ({
        count: 30n,
        platformId: 0n,
        start: BigInt(start),
        items: ids.map((i) => listing(i, `C${i}`, `C${i}`)),
      });
      const data: InfiniteData<CommunityPage, unknown> = { pages: [page([29, 28], 28), page([27], 27)], pageParams: [null, null] };
      expect(flattenPages(data).map((c) => c.id)).toEqual([29n, 28n, 27n]);
      expect(flattenPages(undefined)).toEqual([]);
    });
  });
});

/** A registry of `count` communities behind a fake client; token `broken` fails to answer. */
function fakeRegistry(count: number, options: { platformId?: bigint | null; broken?: number } = {}) {
  const { platformId = 0n, broken } = options;
  const tokenOf = (id: number) => `0x${(id + 1).toString(16).padStart(40, "0")}` as Address;
  const idOfToken = (token: Address) => Number(BigInt(token)) - 1;
  const calls: string[] = [];
  type Read = { address: Address; functionName: string; args?: readonly unknown[] };
  const client = {
    async multicall({ contracts }: { contracts: readonly Read[] }) {
      calls.push(`multicall(${contracts.length})`);
      return contracts.map((c) => {
        if (c.functionName === "communityCount") return { status: "success", result: BigInt(count) };
        if (c.functionName === "platformCommunityId") {
          return platformId === null ? { status: "failure", error: new Error("not launched") } : { status: "success", result: platformId };
        }
        const id = idOfToken(c.address);
        if (id === broken) return { status: "failure", error: new Error("no code") };
        const facts: Record<string, unknown> = { name: `Community ${id}`, symbol: `C${id}`, decimals: 18, totalSupply: BigInt(id) * 10n ** 18n };
        return { status: "success", result: facts[c.functionName] };
      });
    },
    async readContract({ functionName, args }: Read) {
      calls.push(functionName);
      const [offset, limit] = args as [bigint, bigint];
      const end = Math.min(count, Number(offset + limit));
      return Array.from({ length: Math.max(0, end - Number(offset)) }, (_, i) => {
        const id = Number(offset) + i;
        return { id: BigInt(id), creator: tokenOf(999), token: tokenOf(id), governor: tokenOf(998), timelock: tokenOf(997), rewardVault: tokenOf(996), verified: id === 1, createdAt: 1_700_000_000 + id, implementationsVersion: 0 };
      });
    },
  };
  // A test double with only the two methods readPage uses.
  return { client: client as unknown as PublicClient, calls };
}

const FACTORY = "0x00000000000000000000000000000000000000fa" as Address;

describe("useCommunities: readPage", () => {
  it("reads the newest 24 communities first, newest at the top, in three requests", async () => {
    const { client, calls } = fakeRegistry(30);
    const page = await readPage(client, FACTORY, null);
    expect(page.items.map((c) => Number(c.id))).toEqual(Array.from({ length: 24 }, (_, i) => 29 - i));
    expect(page).toMatchObject({ count: 30n, start: 6n, platformId: 0n });
    expect(calls).toEqual(["multicall(2)", "communities", "multicall(96)"]);
  });

  it("reads the next page below the previous one without reading the count again", async () => {
    const { client, calls } = fakeRegistry(30);
    const page = await readPage(client, FACTORY, { end: 6n, count: 30n, platformId: 0n });
    expect(page.items.map((c) => Number(c.id))).toEqual([5, 4, 3, 2, 1, 0]);
    expect(page.start).toBe(0n);
    expect(calls).toEqual(["communities", "multicall(24)"]);
  });

  it("marks the platform's community and keeps the verified flag and token facts", async () => {
    const { client } = fakeRegistry(3);
    const [newest, verified, platform] = (await readPage(client, FACTORY, null)).items;
    expect(platform).toMatchObject({ id: 0n, isPlatform: true, verified: false });
    expect(verified).toMatchObject({ id: 1n, isPlatform: false, verified: true, name: "Community 1", symbol: "C1", totalSupply: 10n ** 18n });
    expect(newest.isPlatform).toBe(false);
  });

  it("marks no community as the platform's before the platform is launched", async () => {
    const { client } = fakeRegistry(2, { platformId: null });
    expect((await readPage(client, FACTORY, null)).items.some((c) => c.isPlatform)).toBe(false);
  });

  it("still lists the other communities when one token cannot be read", async () => {
    const { client } = fakeRegistry(3, { broken: 1 });
    const items = (await readPage(client, FACTORY, null)).items;
    expect(items.map((c) => c.name)).toEqual(["Community 2", null, "Community 0"]);
    expect(items[1]).toMatchObject({ symbol: null, totalSupply: null, decimals: 18 });
  });

  it("returns an empty page for an empty registry without reading it", async () => {
    const { client, calls } = fakeRegistry(0, { platformId: null });
    expect(await readPage(client, FACTORY, null)).toEqual({ count: 0n, platformId: null, start: 0n, items: [] });
    expect(calls).toEqual(["multicall(2)"]);
  });
});
