import { describe, expect, it, vi } from "vitest";
import { renderHook, waitFor } from "@testing-library/react";
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import type { ReactNode } from "react";
import { getAddress, zeroAddress } from "viem";
import type { CommunityData } from "./useCommunity.ts";

const FACTORY = getAddress("0xfac0000000000000000000000000000000000001");
const TOKEN = getAddress("0x7000000000000000000000000000000000000001");
const RS = getAddress("0x2500000000000000000000000000000000000001");
const FAN = getAddress("0xfa00000000000000000000000000000000000001");

const requests: string[] = [];
const client = {
  request: vi.fn(async () => {
    requests.push("eth_getLogs");
    return [];
  }),
  getLogs: vi.fn(async () => {
    requests.push("eth_getLogs");
    return [];
  }),
  getBlockNumber: vi.fn(async () => {
    requests.push("eth_blockNumber");
    return 100n;
  }),
  getBalance: vi.fn(async () => {
    requests.push("eth_getBalance");
    return 5n;
  }),
  multicall: vi.fn(async ({ contracts }: { contracts: Array<{ functionName: string }> }) => {
    requests.push("eth_call");
    return contracts.map((c) =>
      c.functionName === "token" ? { status: "success", result: TOKEN } : c.functionName === "feeBps" ? { status: "success", result: 250n } : { status: "failure", error: new Error("no") },
    );
  }),
};

vi.mock("wagmi", () => ({ usePublicClient: () => client }));
vi.mock("../config/context.tsx", () => ({
  useActiveChain: () => ({ chain: { id: 31337, startBlock: 0n, indexerUrl: null, contracts: { crowdfundFactory: FACTORY } }, walletOnWrongChain: false }),
}));

const { useCrowdfunds, useFundingOverview, useRevenueShare } = await import("./useCrowdfunds.ts");

const data = {
  community: { token: TOKEN, timelock: zeroAddress, revenueShare: RS },
  holder: { account: FAN, balance: 0n, votes: 0n, delegate: FAN },
} as unknown as CommunityData;

function wrapper({ children }: { children: ReactNode }) {
  return <QueryClientProvider client={new QueryClient()}>{children}</QueryClientProvider>;
}

describe("useCrowdfunds", () => {
  it("reads the crowdfunds, the revenue share and the fee once for every hook that shows them", async () => {
    const { result } = renderHook(() => ({ crowdfunds: useCrowdfunds(data), revenue: useRevenueShare(data), overview: useFundingOverview(data) }), { wrapper });
    await waitFor(() => expect(result.current.overview.isSuccess).toBe(true));
    expect(result.current.crowdfunds.data).toEqual([]);
    expect(result.current.revenue.data).toMatchObject({ address: RS, exists: true, approved: false, assets: [] });
    expect(result.current.overview.data).toMatchObject({ feeBps: 250n, ethBalance: 5n });
    expect(requests.sort()).toEqual(["eth_blockNumber", "eth_call", "eth_getBalance", "eth_getLogs", "eth_getLogs"]);
  });
});
