/**
 * "Join for free" with the server's HTTP API (fetch) and the wallet and chain reads (wagmi actions)
 * mocked: shown only when the server says the join is ready; names the friend from the referral
 * link; signs in for this community, joins with that referrer and relays the returned voucher; makes
 * the fan's tokens vote for the fan (free delegation) when they do not yet; a fan who joined sees it.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { cleanup, fireEvent, render, screen, waitFor } from "@testing-library/react";
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { parseEther, zeroAddress } from "viem";
import { parseSiweMessage } from "viem/siwe";
import { getTransactionReceipt, readContract, signMessage, signTypedData } from "wagmi/actions";
import { RuntimeProvider } from "../../config/context.tsx";
import { parseRuntimeConfig } from "../../config/runtime.ts";
import type { CommunityData } from "../../hooks/useCommunity.ts";
import { rememberReferrer } from "../../lib/referral.ts";
import JoinCard from "./JoinCard.tsx";

const A = "0x5FbDB2315678afecb367f032d93F642f64180aa3";
const FAN = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8";
const FRIEND = "0x90F79bf6EB2c4f870365E785982E1f101E93b906";
const VAULT = "0x9fE46736679d2D9a65F0992F2272dE9f3c7fa6e0";
const HASH = `0x${"12".repeat(32)}`;

vi.mock("wagmi", () => ({
  useConfig: () => ({ fake: "wagmi config" }),
  useConnection: () => ({ isConnected: true, address: "0x70997970C51812dc3A010C7d01b50e0d17dc79C8", chainId: 31337, status: "connected" }),
  useChainId: () => 31337,
}));
vi.mock("wagmi/actions", () => ({
  readContract: vi.fn(),
  signMessage: vi.fn(async () => "0x5151"),
  signTypedData: vi.fn(async () => "0x7272"),
  getTransactionReceipt: vi.fn(async () => ({ status: "success", blockNumber: 9n, transactionHash: `0x${"12".repeat(32)}`, logs: [] })),
  getBlockNumber: vi.fn(async () => 9n),
  getBlock: vi.fn(async () => ({ timestamp: 1_000n })),
}));

const runtime = parseRuntimeConfig(
  {
    chains: [
      {
        id: 31337, name: "Local chain", rpcUrl: "http://127.0.0.1:8545", local: true, serverUrl: "http://server.test",
        contracts: { factory: A, platformToken: A, platformGovernor: A, platformTimelock: A, crowdfundFactory: A, revenueShareFactory: A },
      },
    ],
  },
  "http://127.0.0.1:5173",
);
const data = {
  community: {
    id: 1n, creator: FRIEND, token: A, governor: A, timelock: A, rewardVault: VAULT, verified: true, createdAt: 0n, name: "Aurora Fans", symbol: "AUR",
    decimals: 18, totalSupply: 0n, cap: 0n, revenueShare: null, treasuryEth: 0n, treasuryTokens: 0n, isPlatform: false,
  },
  holder: { account: FAN, balance: 0n, votes: 0n, delegate: zeroAddress },
} satisfies CommunityData;

const community = (ready: boolean) => ({
  token: A, name: "Aurora Fans", symbol: "AUR", rewardVault: VAULT, sponsor: FRIEND,
  relay: { enabled: true, epochSeconds: 86400, gasPerEpoch: "30000000", gasPerAccountPerEpoch: "1000000", epoch: { index: 1, endsAt: 1, used: "0" } },
  join: {
    enabled: true, welcome: parseEther("100").toString(), voucherTtlSeconds: 604800, perReferrerPerDay: 20, perIpPerHour: 10, allowlist: null,
    referralBps: 1000, attester: FRIEND, vaultAttester: ready ? FRIEND : A, ready,
  },
});

const json = (status: number, body: unknown) => new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } });
let fetchMock: ReturnType<typeof vi.fn>;
let chain: { redeemed: boolean; referrer: string; delegate: string };

function serve(ready: boolean) {
  fetchMock.mockImplementation(async (url: string, init?: RequestInit) => {
    if (url.endsWith("/v1/nonce")) return json(200, { nonce: "abcdefgh12345678" });
    if (url.endsWith("/v1/join")) {
      return json(200, { voucher: { recipient: FAN, amount: parseEther("100").toString(), referrer: FRIEND, id: "77", deadline: "5000" }, signature: "0xabcd", claimLink: "http://app/claim", rewardVault: VAULT, existing: false });
    }
    if (url.endsWith("/v1/relay")) {
      const kind = JSON.parse(init!.body as string).action.kind as string;
      if (kind === "redeem") Object.assign(chain, { redeemed: true, referrer: FRIEND });
      return json(202, { id: kind, status: "queued", kind, account: FAN });
    }
    if (url.includes("/v1/relay/")) return json(200, { id: "x", kind: "redeem", account: FAN, status: "mined", txHash: HASH, blockNumber: "9", error: null });
    return json(200, community(ready));
  });
}

const renderCard = (queryClient = new QueryClient(), cardData: CommunityData = data) =>
  render(
    <QueryClientProvider client={queryClient}>
      <RuntimeProvider runtime={runtime}>
        <JoinCard data={cardData} />
      </RuntimeProvider>
    </QueryClientProvider>,
  );

const relayed = () => fetchMock.mock.calls.filter(([url]) => String(url).endsWith("/v1/relay")).map(([, init]) => JSON.parse((init as RequestInit).body as string).action);

beforeEach(() => {
  vi.clearAllMocks();
  localStorage.clear();
  chain = { redeemed: false, referrer: zeroAddress, delegate: FAN };
  vi.mocked(readContract).mockImplementation((async (_config: unknown, call: { functionName: string }) => {
    if (call.functionName === "isRedeemed") return chain.redeemed;
    if (call.functionName === "referrerOf") return chain.referrer;
    if (call.functionName === "delegates") return chain.delegate;
    if (call.functionName === "eip712Domain") return ["0x0f", "Aurora Fans", "1", 31337n, A, `0x${"00".repeat(32)}`, []];
    if (call.functionName === "nonces") return 0n;
    throw new Error(`unexpected read ${call.functionName}`);
  }) as never);
  fetchMock = vi.fn();
  vi.stubGlobal("fetch", fetchMock);
});
afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

describe("Join for free", () => {
  it("is not offered while the server says the community's join is not ready", async () => {
    serve(false);
    const queryClient = new QueryClient();
    const { rerender } = renderCard(queryClient);
    await waitFor(() => expect(queryClient.getQueryState(["server-community", "http://server.test", A])?.status).toBe("success"));
    rerender(
      <QueryClientProvider client={queryClient}>
        <RuntimeProvider runtime={runtime}>
          <JoinCard data={data} />
        </RuntimeProvider>
      </QueryClientProvider>,
    );
    expect(screen.queryByTestId("join-card")).toBeNull();
  });

  it("names the friend of the referral link, signs in for this community, joins with that referrer and relays the voucher the server returned", async () => {
    rememberReferrer(A, new URLSearchParams({ ref: FRIEND }));
    serve(true);
    renderCard();
    expect((await screen.findByTestId("join-referrer")).textContent).toContain(FRIEND.slice(0, 6));
    fireEvent.click(await screen.findByTestId("join-free"));
    await waitFor(() => expect(getTransactionReceipt).toHaveBeenCalled());
    const join = JSON.parse((fetchMock.mock.calls.find(([url]) => String(url).endsWith("/v1/join"))![1] as RequestInit).body as string);
    expect(join.referrer).toBe(FRIEND);
    expect(parseSiweMessage(join.message).resources).toEqual([`urn:coterie:join:${A}`]);
    expect(vi.mocked(signMessage)).toHaveBeenCalledTimes(1);
    expect(relayed()).toEqual([
      { kind: "redeem", voucher: { recipient: FAN, amount: parseEther("100").toString(), referrer: FRIEND, id: "77", deadline: "5000" }, signature: "0xabcd" },
    ]);
    // The fan's tokens already vote for the fan: no second signature.
    await waitFor(() => expect(readContract).toHaveBeenCalledWith(expect.anything(), expect.objectContaining({ functionName: "delegates" })));
    expect(signTypedData).not.toHaveBeenCalled();
  });

  it("delegates the new fan's tokens to the fan for free right after joining when they do not vote for the fan yet", async () => {
    chain.delegate = zeroAddress;
    serve(true);
    renderCard();
    const button = (await screen.findByTestId("join-free")) as HTMLButtonElement;
    await waitFor(() => expect(button.disabled).toBe(false)); // once the vault said whether this fan joined
    fireEvent.click(button);
    await waitFor(() => expect(relayed().map((a: { kind: string }) => a.kind)).toEqual(["redeem", "delegate"]));
    const delegation = relayed()[1];
    expect(delegation).toMatchObject({ kind: "delegate", delegatee: FAN, nonce: "0", expiry: "4600", signature: "0x7272" });
    expect(vi.mocked(signTypedData).mock.calls[0][1]).toMatchObject({ primaryType: "Delegation", message: { delegatee: FAN, nonce: 0n, expiry: 4600n } });
  });

  it("reads nothing more from the chain for an account without tokens until it joins", async () => {
    serve(true);
    renderCard();
    await screen.findByTestId("join-free");
    expect(readContract).not.toHaveBeenCalled();
  });

  it("shows a fan who already joined that they did, and who referred them, instead of offering to join again", async () => {
    Object.assign(chain, { redeemed: true, referrer: FRIEND });
    serve(true);
    renderCard(new QueryClient(), { ...data, holder: { account: FAN, balance: parseEther("100"), votes: parseEther("100"), delegate: FAN } });
    await screen.findByTestId("join-done");
    expect(screen.queryByTestId("join-free")).toBeNull();
    expect((await screen.findByTestId("join-referred-by")).textContent).toContain(FRIEND.slice(0, 6));
  });
});
