/** Test helpers for the indexer client: a fetch mock and a valid Community response. */
import type { Address } from "viem";
import { vi } from "vitest";

export const TOKEN: Address = "0x7000000000000000000000000000000000000001";
export const A: Address = "0xa000000000000000000000000000000000000001";

export const communityJson = {
  id: "2",
  token: TOKEN,
  name: "Aurora",
  symbol: "AUR",
  creator: A,
  governor: "0x6000000000000000000000000000000000000001",
  timelock: "0x7e00000000000000000000000000000000000001",
  rewardVault: "0x7a00000000000000000000000000000000000001",
  revenueShare: null,
  verified: true,
  platform: false,
  createdAt: 1_700_000_000,
  createdBlock: "12",
  totalSupply: "1000000000000000000000",
  holders: 3,
  proposals: 1,
  crowdfunds: 0,
};

/** A fetch mock answering each URL from `routes` (path + query -> [status, body]) and recording the URLs. */
export function mockFetch(routes: Record<string, [number, unknown]>) {
  const urls: string[] = [];
  const fn = vi.fn(async (input: string | URL | Request) => {
    const url = String(input);
    urls.push(url);
    const key = url.replace(/^https?:\/\/[^/]+/, "");
    const route = routes[key];
    if (!route) return new Response(JSON.stringify({ error: "not found" }), { status: 404 });
    return new Response(JSON.stringify(route[1]), { status: route[0] });
  });
  return { fetch: fn as unknown as typeof fetch, urls };
}

