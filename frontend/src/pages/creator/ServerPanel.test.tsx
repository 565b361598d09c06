/**
 * The creator's "Free joins & sponsored actions" panel with the server's HTTP API (fetch) and the
 * wallet (wagmi actions) mocked: it offers to make the server the vault's attester only when it is
 * not, saves join rules only with a sign-in bound to exactly the settings sent, and refuses bad
 * rules before the wallet is asked anything.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { cleanup, fireEvent, render, screen, waitFor } from "@testing-library/react";
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { keccak256, parseEther, toHex } from "viem";
import { parseSiweMessage } from "viem/siwe";
import { signMessage, simulateContract } from "wagmi/actions";
import { RuntimeProvider } from "../../config/context.tsx";
import { parseRuntimeConfig } from "../../config/runtime.ts";
import type { CommunityData } from "../../hooks/useCommunity.ts";
import ServerPanel, { checkJoinForm } from "./ServerPanel.tsx";

const A = "0x5FbDB2315678afecb367f032d93F642f64180aa3";
const CREATOR = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8";
const SERVER_ATTESTER = "0x90F79bf6EB2c4f870365E785982E1f101E93b906";
const VAULT = "0x9fE46736679d2D9a65F0992F2272dE9f3c7fa6e0";

vi.mock("wagmi", () => ({
  useConfig: () => ({ fake: "wagmi config" }),
  useConnection: () => ({ isConnected: true, address: "0x70997970C51812dc3A010C7d01b50e0d17dc79C8", chainId: 31337, status: "connected" }),
  useChainId: () => 31337,
}));
vi.mock("wagmi/actions", () => ({
  signMessage: vi.fn(async () => "0x5151"),
  simulateContract: vi.fn(async () => new Promise(() => undefined)),
  writeContract: vi.fn(),
  waitForTransactionReceipt: vi.fn(),
  getBlockNumber: vi.fn(),
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
    id: 1n, creator: CREATOR, token: A, governor: A, timelock: A, rewardVault: VAULT, verified: true, createdAt: 0n, name: "Aurora Fans", symbol: "AUR",
    decimals: 18, totalSupply: 0n, cap: 0n, revenueShare: null, treasuryEth: 0n, treasuryTokens: 0n, isPlatform: false,
  },
  holder: null,
} satisfies CommunityData;

function serverCommunity(vaultAttester: string, enabled = true) {
  return {
    token: A, name: "Aurora Fans", symbol: "AUR", rewardVault: VAULT, sponsor: SERVER_ATTESTER,
    relay: { enabled: true, epochSeconds: 86400, gasPerEpoch: "30000000", gasPerAccountPerEpoch: "1000000", epoch: { index: 1, endsAt: 1, used: "0" } },
    join: {
      enabled, welcome: parseEther("100").toString(), voucherTtlSeconds: 604800, perReferrerPerDay: 20, perIpPerHour: 10, allowlist: null,
      referralBps: 1000, attester: SERVER_ATTESTER, vaultAttester, ready: enabled && vaultAttester === SERVER_ATTESTER,
    },
  };
}

const json = (status: number, body: unknown) => new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } });
let fetchMock: ReturnType<typeof vi.fn>;
function serve(community: ReturnType<typeof serverCommunity>) {
  fetchMock.mockImplementation(async (url: string, init?: RequestInit) => {
    if (url.endsWith("/v1/nonce")) return json(200, { nonce: "abcdefgh12345678" });
    if (init?.method === "PUT") return json(200, { ...community, join: { ...community.join, ...JSON.parse(init.body as string).settings.join } });
    return json(200, community);
  });
}

const renderPanel = () =>
  render(
    <QueryClientProvider client={new QueryClient()}>
      <RuntimeProvider runtime={runtime}>
        <ServerPanel data={data} />
      </RuntimeProvider>
    </QueryClientProvider>,
  );

beforeEach(() => {
  vi.clearAllMocks();
  fetchMock = vi.fn();
  vi.stubGlobal("fetch", fetchMock);
});
afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

describe("the creator's free joins panel", () => {
  it("offers to make the server the vault's attester when it is not, saying earlier claim links stop working, and sends setAttester from the wallet", async () => {
    serve(serverCommunity(CREATOR));
    renderPanel();
    const button = await screen.findByTestId("server-set-attester");
    expect(screen.getByTestId("server-attester").textContent).toContain("stop working");
    expect(screen.getByTestId("server-join-not-ready")).toBeTruthy();
    fireEvent.click(button);
    await waitFor(() => expect(simulateContract).toHaveBeenCalled());
    expect(vi.mocked(simulateContract).mock.calls[0][1]).toMatchObject({ address: VAULT, functionName: "setAttester", args: [SERVER_ATTESTER] });
  });

  it("does not offer to change the attester when the server already signs for the vault", async () => {
    serve(serverCommunity(SERVER_ATTESTER));
    renderPanel();
    await screen.findByTestId("server-join-ready");
    expect(screen.queryByTestId("server-set-attester")).toBeNull();
  });

  it("saves join rules only with a sign-in bound to exactly the settings it sends", async () => {
    serve(serverCommunity(SERVER_ATTESTER, false));
    renderPanel();
    const enabled = (await screen.findByTestId("server-join-enabled")) as HTMLInputElement;
    expect(enabled.checked).toBe(false);
    fireEvent.click(enabled);
    fireEvent.change(screen.getByLabelText("Welcome reward (AUR)"), { target: { value: "25" } });
    fireEvent.click(screen.getByTestId("server-settings-save"));
    await waitFor(() => expect(screen.getByTestId("server-settings-tx").getAttribute("data-status")).toBe("confirmed"));
    const put = fetchMock.mock.calls.find(([, init]) => (init as RequestInit | undefined)?.method === "PUT")!;
    expect(put[0]).toBe(`http://server.test/v1/communities/${A}/settings`);
    const body = JSON.parse((put[1] as RequestInit).body as string) as { settings: { join: Record<string, unknown> }; message: string; signature: string };
    expect(body.settings.join).toMatchObject({ enabled: true, welcome: parseEther("25").toString(), voucherTtlSeconds: 604800, perReferrerPerDay: 20, perIpPerHour: 10, allowlist: null });
    const siwe = parseSiweMessage(body.message);
    expect(siwe.resources).toEqual([`urn:coterie:settings:${A}:${keccak256(toHex(JSON.stringify(body.settings)))}`]);
    expect(siwe.nonce).toBe("abcdefgh12345678");
    expect(vi.mocked(signMessage).mock.calls[0][1]).toMatchObject({ message: body.message });
    expect(body.signature).toBe("0x5151");
  });

  it("refuses bad join rules before the wallet is asked anything", async () => {
    const form = { enabled: true, welcome: "0", ttlDays: "-1", perReferrerPerDay: "1.5", perIpPerHour: "10", allowlist: "0x12" };
    const checked = checkJoinForm(form, 18);
    expect(checked.ok).toBe(false);
    if (!checked.ok) expect(Object.keys(checked.errors).sort()).toEqual(["allowlist", "perReferrerPerDay", "ttlDays", "welcome"]);
    serve(serverCommunity(SERVER_ATTESTER));
    renderPanel();
    fireEvent.change(await screen.findByLabelText("Welcome reward (AUR)"), { target: { value: "lots" } });
    fireEvent.click(screen.getByTestId("server-settings-save"));
    await screen.findByText("Enter an amount of tokens, e.g. 100.");
    expect(signMessage).not.toHaveBeenCalled();
    expect(fetchMock.mock.calls.some(([, init]) => (init as RequestInit | undefined)?.method === "PUT")).toBe(false);
  });
});
