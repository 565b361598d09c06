/** The views that need the indexer: holders leaderboard, referred fans, "My communities" (fetch mocked). */
import { afterEach, describe, expect, it, vi } from "vitest";
import { cleanup, fireEvent, render, screen, waitFor } from "@testing-library/react";
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import type { ReactNode } from "react";
import type { Address } from "viem";
import { RuntimeProvider } from "../config/context.tsx";
import { parseRuntimeConfig } from "../config/runtime.ts";
import type { CommunityInfo } from "../reads/community.ts";
import { A, mockFetch, TOKEN } from "../reads/indexer.mock.ts";
import MyCommunitiesPage from "../pages/MyCommunities.tsx";
import { HoldersCard, ReferralsCard } from "./IndexerViews.tsx";

const connection = vi.hoisted(() => ({ address: undefined as string | undefined }));
vi.mock("wagmi", () => ({
  useConnection: () => ({ isConnected: connection.address !== undefined, address: connection.address, chainId: undefined, status: "disconnected" }),
  useChainId: () => 31337,
}));

const C = "0x5FbDB2315678afecb367f032d93F642f64180aa3";
const IDX = "http://idx.test";
const runtime = (indexerUrl: string | null) =>
  parseRuntimeConfig(
    {
      chains: [
        {
          id: 31337, name: "Local chain", rpcUrl: "http://127.0.0.1:8545", local: true, indexerUrl,
          contracts: { factory: C, platformToken: C, platformGovernor: C, platformTimelock: C, crowdfundFactory: C, revenueShareFactory: C },
        },
      ],
    },
    "http://127.0.0.1:5173",
  );
const community = {
  id: 2n, creator: A, token: TOKEN, governor: C, timelock: C, rewardVault: C, verified: false, createdAt: 0n, name: "Aurora", symbol: "AUR",
  decimals: 18, totalSupply: 100n * 10n ** 18n, cap: 0n, revenueShare: null, treasuryEth: 0n, treasuryTokens: 0n, isPlatform: false,
} satisfies CommunityInfo;

function wrap(node: ReactNode, indexerUrl: string | null = IDX) {
  const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  return render(
    <RuntimeProvider runtime={runtime(indexerUrl)}>
      <QueryClientProvider client={client}>{node}</QueryClientProvider>
    </RuntimeProvider>,
  );
}

const holder = (n: number) => ({ account: `0x${n.toString(16).padStart(40, "0")}`, balance: `${(20 - n) * 10 ** 18}`, votes: "0", delegate: null });

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
  connection.address = undefined;
});

describe("views that need the indexer", () => {
  it("say plainly that they need the indexer when none is configured, and ask it nothing", () => {
    const { fetch } = mockFetch({});
    vi.stubGlobal("fetch", fetch);
    connection.address = A;
    wrap(
      <>
        <HoldersCard community={community} />
        <ReferralsCard community={community} account={A} />
        <MyCommunitiesPage />
      </>,
      null,
    );
    const notices = screen.getAllByTestId("needs-indexer").map((n) => n.textContent);
    expect(notices).toHaveLength(3);
    for (const text of notices) expect(text).toContain("needs the indexer");
    expect(fetch).not.toHaveBeenCalled();
  });

  it("list the holders largest first and load the next page with Load more", async () => {
    const { fetch, urls } = mockFetch({
      [`/api/communities/${TOKEN}/holders?limit=10`]: [200, { items: [holder(1), holder(2)], nextCursor: "p2" }],
      [`/api/communities/${TOKEN}/holders?limit=10&cursor=p2`]: [200, { items: [holder(3)], nextCursor: null }],
    });
    vi.stubGlobal("fetch", fetch);
    wrap(<HoldersCard community={community} />);
    await waitFor(() => expect(screen.getAllByTestId("holder-row")).toHaveLength(2));
    expect(screen.getAllByTestId("holder-balance").map((b) => b.getAttribute("data-raw"))).toEqual([`${19n * 10n ** 18n}`, `${18n * 10n ** 18n}`]);
    fireEvent.click(screen.getByTestId("holders-load-more"));
    await waitFor(() => expect(screen.getAllByTestId("holder-row")).toHaveLength(3));
    expect(screen.queryByTestId("holders-load-more")).toBeNull();
    expect(urls).toHaveLength(2);
  });

  it("show the indexer being down with a retry instead of an empty list", async () => {
    const fetch = vi.fn(async () => {
      throw new TypeError("Failed to fetch");
    });
    vi.stubGlobal("fetch", fetch);
    wrap(<HoldersCard community={community} />);
    const notice = await screen.findByTestId("indexer-down");
    expect(notice.textContent).toContain("The indexer is not answering");
    expect(screen.queryByTestId("holder-row")).toBeNull();
  });

  it("list the fans a fan referred in this community, with the bonus once credited", async () => {
    const { fetch, urls } = mockFetch({
      [`/api/accounts/${A}/referrals?token=${TOKEN}&limit=20`]: [
        200,
        {
          items: [
            { token: TOKEN, fan: C, source: "crowdfund", bonus: "0", createdAt: 1_700_000_000, block: "9", txHash: "0x01" },
            { token: TOKEN, fan: A, source: "vault", bonus: "5000000000000000000", createdAt: 1_700_000_000, block: "8", txHash: "0x02" },
          ],
          nextCursor: null,
        },
      ],
    });
    vi.stubGlobal("fetch", fetch);
    wrap(<ReferralsCard community={community} account={A as Address} />);
    await waitFor(() => expect(screen.getAllByTestId("referral-row")).toHaveLength(2));
    const rows = screen.getAllByTestId("referral-row").map((r) => r.textContent);
    expect(rows[0]).toContain("crowdfund contribution");
    expect(rows[0]).toContain("no bonus yet");
    expect(screen.getByTestId("referral-bonus").getAttribute("data-raw")).toBe("5000000000000000000");
    expect(urls).toEqual([`${IDX}/api/accounts/${A}/referrals?token=${TOKEN}&limit=20`]);
  });

  it("list the connected fan's communities on “My communities”, linking to each", async () => {
    connection.address = A;
    const { fetch } = mockFetch({
      [`/api/accounts/${A}`]: [
        200,
        {
          address: A,
          communities: [{ token: TOKEN, name: "Aurora", symbol: "AUR", balance: "2000000000000000000", votes: "2000000000000000000", delegate: A }],
          delegators: [], votesCast: [], contributions: [], revenueClaims: [],
          referrals: { perCommunity: [{ token: TOKEN, referred: 2, bonusCredited: "0", bonusClaimed: "0", crowdfundReferred: 1 }] },
        },
      ],
    });
    vi.stubGlobal("fetch", fetch);
    wrap(<MyCommunitiesPage />);
    const row = await screen.findByTestId("my-community");
    expect(row.querySelector("a")?.getAttribute("href")).toBe(`/c/${TOKEN}`);
    expect(screen.getByTestId("my-community-balance").getAttribute("data-raw")).toBe("2000000000000000000");
    expect(screen.getByTestId("my-community-referrals").textContent).toBe("3 referred");
  });

  it("ask for a wallet on “My communities” when none is connected", () => {
    const { fetch } = mockFetch({});
    vi.stubGlobal("fetch", fetch);
    wrap(<MyCommunitiesPage />);
    expect(screen.getByText("Connect a wallet")).toBeTruthy();
    expect(fetch).not.toHaveBeenCalled();
  });
});
