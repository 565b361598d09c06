import { describe, expect, it } from "vitest";
import { getAddress, zeroAddress, type Address } from "viem";
import { fetchCommunity, type CommunityClient } from "./community.ts";
import { IndexerClient } from "./indexer.ts";
import { communityJson, mockFetch, TOKEN } from "./indexer.mock.ts";

const FACTORY = getAddress("0xfac0000000000000000000000000000000000001");
const RS_FACTORY = getAddress("0xfac0000000000000000000000000000000000002");
const FAN = getAddress("0xfa00000000000000000000000000000000000001");
const TIMELOCK = getAddress(communityJson.timelock);
const SHARE = getAddress("0x2500000000000000000000000000000000000001");

const entry = {
  id: 2n, creator: getAddress(communityJson.creator), token: TOKEN, governor: getAddress(communityJson.governor), timelock: TIMELOCK,
  rewardVault: getAddress(communityJson.rewardVault), verified: true, createdAt: 1_700_000_000,
};

/** A chain that answers the community reads, counting JSON-RPC requests (one multicall = one eth_call). */
function chain(options: { shareDeployed: boolean }) {
  const requests: string[] = [];
  const answer = (address: Address, fn: string, args: readonly unknown[] = []): unknown => {
    switch (fn) {
      case "communityByToken":
        return entry;
      case "platformCommunityId":
        return 1n;
      case "name":
        return "Aurora";
      case "symbol":
        return "AUR";
      case "decimals":
        return 18;
      case "totalSupply":
        return 1000n;
      case "cap":
        return 10_000n;
      case "revenueShareOf":
        return SHARE;
      case "balanceOf":
        return args[0] === TIMELOCK ? 300n : 25n;
      case "getVotes":
        return 25n;
      case "delegates":
        return FAN;
      case "token":
        if (address === SHARE && options.shareDeployed) return TOKEN;
        throw new Error("no contract");
    }
    throw new Error(`unexpected ${fn}`);
  };
  const client = {
    multicall: async ({ contracts, allowFailure }: { contracts: Array<{ address: Address; functionName: string; args?: readonly unknown[] }>; allowFailure?: boolean }) => {
      requests.push("eth_call");
      return contracts.map((c) => {
        if (allowFailure === false) return answer(c.address, c.functionName, c.args);
        try {
          return { status: "success", result: answer(c.address, c.functionName, c.args) };
        } catch (error) {
          return { status: "failure", error };
        }
      });
    },
    getBalance: async () => {
      requests.push("eth_getBalance");
      return 5n;
    },
  } as unknown as CommunityClient;
  return { client, requests };
}

const source = { factory: FACTORY, revenueShareFactory: RS_FACTORY, token: TOKEN, account: FAN };

describe("the community page's reads", () => {
  it("with the indexer: at most 3 indexer requests and at most 3 JSON-RPC requests (here 1 and 2), every figure from the chain", async () => {
    const { fetch, urls } = mockFetch({ [`/api/communities/${TOKEN}`]: [200, { ...communityJson, revenueShare: SHARE, totalSupply: "999999" }] });
    const { client, requests } = chain({ shareDeployed: true });
    const data = await fetchCommunity(client, { ...source, indexer: new IndexerClient("http://idx.test", { fetch }) });
    expect(urls.length).toBeLessThanOrEqual(3);
    expect(requests.length).toBeLessThanOrEqual(3);
    expect({ indexer: urls.length, rpc: requests }).toEqual({ indexer: 1, rpc: ["eth_call", "eth_getBalance"] });
    // The supply is the chain's (1000), not the indexer's; the revenue share's existence was read with it.
    expect(data.community).toMatchObject({ totalSupply: 1000n, treasuryTokens: 300n, treasuryEth: 5n, revenueShare: SHARE, revenueShareExists: true, isPlatform: false });
    expect(data.holder).toEqual({ account: FAN, balance: 25n, votes: 25n, delegate: FAN });
  });

  it("reports a revenue share the indexer does not know as not set up, without an eth_getCode", async () => {
    const { fetch } = mockFetch({ [`/api/communities/${TOKEN}`]: [200, communityJson] });
    const { client } = chain({ shareDeployed: false });
    const data = await fetchCommunity(client, { ...source, indexer: new IndexerClient("http://idx.test", { fetch }) });
    expect(data.community.revenueShareExists).toBe(false);
  });

  it("ignores an indexer whose timelock differs from the registry's, and reads the chain alone", async () => {
    const { fetch } = mockFetch({ [`/api/communities/${TOKEN}`]: [200, { ...communityJson, timelock: FAN }] });
    const { client, requests } = chain({ shareDeployed: true });
    const data = await fetchCommunity(client, { ...source, indexer: new IndexerClient("http://idx.test", { fetch }) });
    expect(data.community.timelock).toBe(TIMELOCK);
    expect(data.community.treasuryTokens).toBe(300n);
    // The indexer's round (eth_call + eth_getBalance) and the chain's own (two eth_calls + eth_getBalance).
    expect(requests).toEqual(["eth_call", "eth_getBalance", "eth_call", "eth_call", "eth_getBalance"]);
  });

  it("keeps working with the indexer down: the chain alone, 3 JSON-RPC requests, and asks the Hold tab to check the share's code", async () => {
    const { client, requests } = chain({ shareDeployed: true });
    const data = await fetchCommunity(client, { ...source, indexer: new IndexerClient("http://idx.test", { fetch: mockFetch({}).fetch }) });
    expect(requests).toEqual(["eth_call", "eth_call", "eth_getBalance"]);
    expect(data.community.revenueShareExists ?? null).toBeNull();
    expect(data.community.revenueShare).toBe(SHARE);
    expect(zeroAddress).not.toBe(data.community.timelock);
  });
});
