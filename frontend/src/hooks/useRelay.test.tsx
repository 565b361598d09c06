/**
 * Sponsored actions with wagmi's actions and the server's HTTP API mocked: the fan signs, the server
 * queues, sends and mines, and the page walks the same states a wallet transaction does; a failed
 * request shows its decoded reason and an unanswered server sets `unreachable` (the wallet path).
 */
import { beforeEach, describe, expect, it, vi } from "vitest";
import { act, renderHook, waitFor } from "@testing-library/react";
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import type { ReactNode } from "react";
import type { Hex } from "viem";
import { getBlockNumber, getTransactionReceipt } from "wagmi/actions";
import { RuntimeProvider } from "../config/context.tsx";
import { parseRuntimeConfig } from "../config/runtime.ts";
import type { TxState } from "./useTransaction.ts";
import { useRelay } from "./useRelay.ts";

const ACCOUNT = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8";
const TOKEN = "0x5FbDB2315678afecb367f032d93F642f64180aa3";
const HASH = `0x${"12".repeat(32)}` as Hex;

const wallet = vi.hoisted(() => ({ isConnected: true, address: "0x70997970C51812dc3A010C7d01b50e0d17dc79C8" as string | undefined, chainId: 31337 }));
vi.mock("wagmi", () => ({
  useConfig: () => ({ fake: "wagmi config" }),
  useConnection: () => wallet,
  useChainId: () => 31337,
}));
vi.mock("wagmi/actions", () => ({ getTransactionReceipt: vi.fn(), getBlockNumber: vi.fn() }));
const receiptOf = vi.mocked(getTransactionReceipt);
const blockNumber = vi.mocked(getBlockNumber);

function runtimeWith(serverUrl: string | null) {
  return parseRuntimeConfig(
    {
      chains: [
        {
          id: 31337,
          name: "Local chain",
          rpcUrl: "http://127.0.0.1:8545",
          local: true,
          serverUrl,
          contracts: { factory: TOKEN, platformToken: TOKEN, platformGovernor: TOKEN, platformTimelock: TOKEN, crowdfundFactory: TOKEN, revenueShareFactory: TOKEN },
        },
      ],
    },
    "http://127.0.0.1:5173",
  );
}

function setup(serverUrl: string | null = "http://server.test") {
  const wrapper = ({ children }: { children: ReactNode }) => (
    <QueryClientProvider client={new QueryClient()}>
      <RuntimeProvider runtime={runtimeWith(serverUrl)}>{children}</RuntimeProvider>
    </QueryClientProvider>
  );
  const seen: TxState["status"][] = [];
  const hook = renderHook(
    () => {
      const relay = useRelay();
      if (seen[seen.length - 1] !== relay.state.status) seen.push(relay.state.status);
      return relay;
    },
    { wrapper },
  );
  return { hook, seen };
}

const json = (status: number, body: unknown) => new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } });
const statusBody = (status: string, extra: Record<string, unknown> = {}) => ({
  id: "r1", community: TOKEN, kind: "referral", account: ACCOUNT, status, txHash: null, blockNumber: null, error: null, ...extra,
});

function deferred() {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

let fetchMock: ReturnType<typeof vi.fn>;
beforeEach(() => {
  vi.clearAllMocks();
  Object.assign(wallet, { isConnected: true, address: ACCOUNT, chainId: 31337 });
  receiptOf.mockResolvedValue({ status: "success", blockNumber: 42n, transactionHash: HASH, logs: [] } as never);
  blockNumber.mockResolvedValue(42n);
  fetchMock = vi.fn();
  vi.stubGlobal("fetch", fetchMock);
});

const referral = async () => ({ kind: "referral" as const, referrer: ACCOUNT as `0x${string}` });

describe("useRelay", () => {
  it("walks the wallet lifecycle for a sponsored action: signature, queued, sent with its hash, confirmed by the chain's receipt", async () => {
    const polls = [statusBody("queued"), statusBody("sent", { txHash: HASH }), statusBody("mined", { txHash: HASH, blockNumber: "42" })];
    fetchMock.mockImplementation(async (url: string) => (url.endsWith("/v1/relay") ? json(202, { id: "r1", status: "queued", kind: "referral", account: ACCOUNT }) : json(200, polls.shift() ?? polls[0])));
    const { hook, seen } = setup();
    const signed = deferred();
    let mined: unknown = null;
    let done!: Promise<void>;
    act(() => {
      done = hook.result.current.submit(TOKEN, async () => (await signed.promise, referral())).then((r) => void (mined = r));
    });
    await waitFor(() => expect(hook.result.current.state.status).toBe("awaiting-signature"));
    expect(fetchMock).not.toHaveBeenCalled(); // nothing reaches the server before the fan signed
    signed.resolve();
    await waitFor(() => expect(hook.result.current.state.status).toBe("queued"));
    await waitFor(() => expect(hook.result.current.state).toEqual({ status: "pending", hash: HASH }), { timeout: 5_000 });
    await waitFor(() => expect(hook.result.current.state.status).toBe("confirmed"), { timeout: 5_000 });
    await act(async () => {
      await done;
    });
    expect(mined).not.toBeNull();
    expect(seen).toEqual(["idle", "awaiting-signature", "queued", "pending", "confirmed"]);
    expect(hook.result.current.state).toMatchObject({ status: "confirmed", hash: HASH });
    expect(receiptOf).toHaveBeenCalledWith({ fake: "wagmi config" }, { hash: HASH, chainId: 31337 });
    const posted = JSON.parse((fetchMock.mock.calls[0][1] as RequestInit).body as string);
    expect(posted).toEqual({ chainId: 31337, community: TOKEN, action: { kind: "referral", referrer: ACCOUNT } });
  }, 20_000);

  it("shows a failed request's decoded reason and never reports success", async () => {
    fetchMock.mockImplementation(async (url: string) =>
      url.endsWith("/v1/relay")
        ? json(202, { id: "r1", status: "queued", kind: "referral", account: ACCOUNT })
        : json(200, statusBody("failed", { txHash: HASH, error: { code: "reverted", reason: "RewardVaultNothingToClaim", message: "reverted" } })),
    );
    const { hook } = setup();
    await act(async () => {
      expect(await hook.result.current.submit(TOKEN, referral)).toBeNull();
    });
    expect(hook.result.current.state).toEqual({ status: "error", hash: HASH, message: "There is nothing to claim yet." });
    expect(receiptOf).not.toHaveBeenCalled();
  });

  it("follows the request already on its way when the server says the action is a duplicate", async () => {
    fetchMock.mockImplementation(async (url: string) =>
      url.endsWith("/v1/relay") ? json(409, { error: "Already queued.", code: "duplicate", id: "r0" }) : json(200, statusBody("mined", { id: "r0", txHash: HASH, blockNumber: "42" })),
    );
    const { hook } = setup();
    await act(async () => {
      await hook.result.current.submit(TOKEN, referral);
    });
    expect(fetchMock.mock.calls[1][0]).toBe("http://server.test/v1/relay/r0");
    expect(hook.result.current.state.status).toBe("confirmed");
  });

  it("marks the server unreachable when it does not answer, so the page offers the wallet path", async () => {
    fetchMock.mockRejectedValue(new TypeError("Failed to fetch"));
    const { hook } = setup();
    await act(async () => {
      await hook.result.current.submit(TOKEN, referral);
    });
    expect(hook.result.current.unreachable).toBe(true);
    expect(hook.result.current.state).toMatchObject({ status: "error" });
    expect((hook.result.current.state as { message: string }).message).toContain("pay the gas yourself");
  });

  it("sends nothing and says so on a chain without a server", async () => {
    const { hook } = setup(null);
    expect(hook.result.current.server).toBeNull();
    const prepare = vi.fn(referral);
    await act(async () => {
      await hook.result.current.submit(TOKEN, prepare);
    });
    expect(prepare).not.toHaveBeenCalled();
    expect(fetchMock).not.toHaveBeenCalled();
  });

  it("asks for a wallet before the fan signs anything", async () => {
    Object.assign(wallet, { isConnected: false, address: undefined });
    const { hook } = setup();
    const prepare = vi.fn(referral);
    await act(async () => {
      await hook.result.current.submit(TOKEN, prepare);
    });
    expect(prepare).not.toHaveBeenCalled();
    expect(hook.result.current.state).toEqual({ status: "error", message: "Connect a wallet first." });
  });
});
