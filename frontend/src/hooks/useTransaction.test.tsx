/**
 * The transaction state machine with wagmi's actions mocked: simulate, sign, wait for the receipt.
 * Nothing is signed when the simulation reverts; success only ever comes from a successful receipt.
 */
import { beforeEach, describe, expect, it, vi } from "vitest";
import { act, renderHook } from "@testing-library/react";
import { QueryClient, QueryClientProvider, QueryObserver } from "@tanstack/react-query";
import type { ReactNode } from "react";
import {
  ContractFunctionExecutionError,
  ContractFunctionRevertedError,
  UserRejectedRequestError,
  encodeErrorResult,
  type Hex,
  type TransactionReceipt,
} from "viem";
import { getBlockNumber, simulateContract, waitForTransactionReceipt, writeContract } from "wagmi/actions";
import { RuntimeProvider } from "../config/context.tsx";
import { parseRuntimeConfig } from "../config/runtime.ts";
import { communityFactoryAbi } from "../generated/abis.ts";
import { useTransaction } from "./useTransaction.ts";

const ACCOUNT = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8";
const FACTORY = "0x5FbDB2315678afecb367f032d93F642f64180aa3";
const HASH = `0x${"12".repeat(32)}` as Hex;

const wallet = vi.hoisted(() => ({ isConnected: true, address: "0x70997970C51812dc3A010C7d01b50e0d17dc79C8" as string | undefined, chainId: 31337 }));

vi.mock("wagmi", () => ({
  useConfig: () => ({ fake: "wagmi config" }),
  useConnection: () => wallet,
  useChainId: () => 31337,
}));
vi.mock("wagmi/actions", () => ({
  simulateContract: vi.fn(),
  writeContract: vi.fn(),
  waitForTransactionReceipt: vi.fn(),
  getBlockNumber: vi.fn(),
}));

const simulate = vi.mocked(simulateContract);
const write = vi.mocked(writeContract);
const waitReceipt = vi.mocked(waitForTransactionReceipt);
const blockNumber = vi.mocked(getBlockNumber);

const runtime = parseRuntimeConfig(
  {
    chains: [
      {
        id: 31337,
        name: "Local chain",
        rpcUrl: "http://127.0.0.1:8545",
        local: true,
        contracts: {
          factory: FACTORY,
          platformToken: FACTORY,
          platformGovernor: FACTORY,
          platformTimelock: FACTORY,
          crowdfundFactory: FACTORY,
          revenueShareFactory: FACTORY,
        },
      },
    ],
  },
  "http://127.0.0.1:5173",
);

function setup(queryClient = new QueryClient()) {
  const invalidate = vi.spyOn(queryClient, "invalidateQueries");
  const wrapper = ({ children }: { children: ReactNode }) => (
    <QueryClientProvider client={queryClient}>
      <RuntimeProvider runtime={runtime}>{children}</RuntimeProvider>
    </QueryClientProvider>
  );
  const hook = renderHook(() => useTransaction(), { wrapper });
  return { hook, invalidate };
}

const request = { address: FACTORY, abi: communityFactoryAbi, functionName: "pause" } as const;
type MinedReceipt = Awaited<ReturnType<typeof waitForTransactionReceipt>>;
const receipt = (status: "success" | "reverted") => ({ status, blockNumber: 42n, transactionHash: HASH, logs: [], chainId: 31337 }) as unknown as MinedReceipt;

/** A promise resolved from outside, to look at the state while a step is still running. */
function deferred<T>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

beforeEach(() => {
  vi.clearAllMocks();
  Object.assign(wallet, { isConnected: true, address: ACCOUNT, chainId: 31337 });
  simulate.mockResolvedValue({ request: { prepared: true } } as never);
  write.mockResolvedValue(HASH);
  waitReceipt.mockResolvedValue(receipt("success"));
  blockNumber.mockResolvedValue(42n);
});

describe("useTransaction", () => {
  it("starts idle and not busy", () => {
    const { hook } = setup();
    expect(hook.result.current.state).toEqual({ status: "idle" });
    expect(hook.result.current.busy).toBe(false);
  });

  it("asks for a wallet and sends nothing when none is connected", async () => {
    Object.assign(wallet, { isConnected: false, address: undefined });
    const { hook } = setup();
    let result: TransactionReceipt | null = receipt("success");
    await act(async () => {
      result = await hook.result.current.send(request);
    });
    expect(result).toBeNull();
    expect(hook.result.current.state).toEqual({ status: "error", message: "Connect a wallet first." });
    expect(simulate).not.toHaveBeenCalled();
  });

  it("asks to switch network and sends nothing when the wallet is on another chain", async () => {
    wallet.chainId = 1;
    const { hook } = setup();
    await act(async () => {
      await hook.result.current.send(request);
    });
    expect(hook.result.current.state).toEqual({ status: "error", message: "Your wallet is on another network. Switch to Local chain first." });
    expect(simulate).not.toHaveBeenCalled();
  });

  it("simulates as the connected account on the app's chain against the pending block, then signs what the simulation prepared", async () => {
    const { hook } = setup();
    await act(async () => {
      await hook.result.current.send({ ...request, value: 5n });
    });
    expect(simulate).toHaveBeenCalledWith(
      { fake: "wagmi config" },
      expect.objectContaining({ address: FACTORY, functionName: "pause", value: 5n, account: ACCOUNT, chainId: 31337, blockTag: "pending" }),
    );
    expect(write).toHaveBeenCalledWith({ fake: "wagmi config" }, { prepared: true });
    expect(waitReceipt).toHaveBeenCalledWith({ fake: "wagmi config" }, { hash: HASH, chainId: 31337 });
  });

  it("shows a simulated revert as its decoded error and signs nothing", async () => {
    const data = encodeErrorResult({ abi: communityFactoryAbi, errorName: "FactorySaltUsed", args: [ACCOUNT, HASH] });
    simulate.mockRejectedValue(
      new ContractFunctionExecutionError(new ContractFunctionRevertedError({ abi: communityFactoryAbi, data, functionName: "pause" }), {
        abi: communityFactoryAbi,
        functionName: "pause",
      }),
    );
    const { hook } = setup();
    let result: TransactionReceipt | null = receipt("success");
    await act(async () => {
      result = await hook.result.current.send(request);
    });
    expect(result).toBeNull();
    expect(hook.result.current.state).toEqual({
      status: "error",
      message: "You already launched a community with these settings; change the name or symbol.",
      hash: undefined,
    });
    expect(write).not.toHaveBeenCalled();
    expect(waitReceipt).not.toHaveBeenCalled();
  });

  it("reports a rejected signature and waits for no receipt", async () => {
    write.mockRejectedValue(new UserRejectedRequestError(new Error("User denied transaction signature.")));
    const { hook } = setup();
    await act(async () => {
      await hook.result.current.send(request);
    });
    expect(hook.result.current.state).toEqual({ status: "error", message: "You rejected the request in your wallet.", hash: undefined });
    expect(waitReceipt).not.toHaveBeenCalled();
  });

  it("reports a transaction that was mined but reverted, with its hash, as an error", async () => {
    waitReceipt.mockResolvedValue(receipt("reverted"));
    const { hook, invalidate } = setup();
    let result: TransactionReceipt | null = receipt("success");
    await act(async () => {
      result = await hook.result.current.send(request);
    });
    expect(result).toBeNull();
    expect(hook.result.current.state).toEqual({ status: "error", hash: HASH, message: "The transaction was mined but reverted; nothing changed." });
    expect(invalidate).not.toHaveBeenCalled();
  });

  it("keeps an error that happens while waiting for the receipt next to the transaction's hash", async () => {
    waitReceipt.mockRejectedValue(new Error("timed out"));
    const { hook } = setup();
    await act(async () => {
      await hook.result.current.send(request);
    });
    expect(hook.result.current.state).toEqual({ status: "error", hash: HASH, message: "timed out" });
  });

  it("walks simulating, awaiting signature and pending, and confirms only on the successful receipt", async () => {
    const simulation = deferred<never>();
    const signature = deferred<Hex>();
    const mined = deferred<MinedReceipt>();
    simulate.mockReturnValue(simulation.promise);
    write.mockReturnValue(signature.promise);
    waitReceipt.mockReturnValue(mined.promise);
    const { hook, invalidate } = setup();

    let sent!: Promise<TransactionReceipt | null>;
    act(() => {
      sent = hook.result.current.send(request);
    });
    expect(hook.result.current.state).toEqual({ status: "simulating" });
    expect(hook.result.current.busy).toBe(true);

    await act(async () => simulation.resolve({ request: { prepared: true } } as never));
    expect(hook.result.current.state).toEqual({ status: "awaiting-signature" });

    await act(async () => signature.resolve(HASH));
    expect(hook.result.current.state).toEqual({ status: "pending", hash: HASH });
    expect(hook.result.current.busy).toBe(true);
    expect(invalidate).not.toHaveBeenCalled();

    const minedReceipt = receipt("success");
    const head = deferred<bigint>();
    blockNumber.mockReturnValue(head.promise);
    await act(async () => mined.resolve(minedReceipt));
    // Confirmed, while the page's reads catch up with the receipt's block.
    expect(hook.result.current.state).toEqual({ status: "confirmed", hash: HASH, receipt: minedReceipt, refreshing: true });
    expect(hook.result.current.busy).toBe(false);
    expect(invalidate).not.toHaveBeenCalled();
    await act(async () => head.resolve(42n));
    await expect(sent).resolves.toBe(minedReceipt);
    expect(hook.result.current.state).toEqual({ status: "confirmed", hash: HASH, receipt: minedReceipt });
    expect(hook.result.current.state).not.toHaveProperty("refreshing");
    expect(invalidate).toHaveBeenCalledTimes(1);
    expect(blockNumber).toHaveBeenCalledWith({ fake: "wagmi config" }, { chainId: 31337, cacheTime: 0 });
  });

  it("does not leave a stale read on screen when the one refetch after the receipt fails (issue 11 item 18)", async () => {
    const queryClient = new QueryClient();
    let contributed = 10n ** 18n;
    let timeOutOnce = false;
    const observer = new QueryObserver(queryClient, {
      queryKey: ["funding", "position"],
      retry: false,
      queryFn: async () => {
        if (timeOutOnce) {
          timeOutOnce = false;
          throw new Error("The request took too long to respond.");
        }
        return contributed;
      },
    });
    const unsubscribe = observer.subscribe(() => undefined);
    await observer.refetch();
    const { hook } = setup(queryClient);
    // The refund is mined: the position is 0 on chain, but the first read after the receipt times out.
    waitReceipt.mockImplementation(async () => {
      contributed = 0n;
      timeOutOnce = true;
      return receipt("success");
    });
    await act(async () => {
      await hook.result.current.send(request);
    });
    expect(observer.getCurrentResult().data).toBe(0n);
    unsubscribe();
  });

  it("waits for the RPC to reach the receipt's block before refetching", async () => {
    const queryClient = new QueryClient();
    let head = 40n;
    const observer = new QueryObserver(queryClient, { queryKey: ["balance"], queryFn: async () => (head >= 42n ? "after" : "before") });
    const unsubscribe = observer.subscribe(() => undefined);
    await observer.refetch();
    blockNumber.mockImplementation(async () => head++);
    const { hook } = setup(queryClient);
    await act(async () => {
      await hook.result.current.send(request);
    });
    expect(observer.getCurrentResult().data).toBe("after");
    unsubscribe();
  });

  it("ignores a second send while one is running", async () => {
    const mined = deferred<MinedReceipt>();
    waitReceipt.mockReturnValue(mined.promise);
    const { hook } = setup();
    let first!: Promise<TransactionReceipt | null>;
    act(() => {
      first = hook.result.current.send(request);
    });
    let second: TransactionReceipt | null = receipt("success");
    await act(async () => {
      second = await hook.result.current.send(request);
    });
    expect(second).toBeNull();
    expect(simulate).toHaveBeenCalledTimes(1);
    await act(async () => mined.resolve(receipt("success")));
    await first;
  });

  it("shows a preparation problem with fail() and clears it with reset()", () => {
    const { hook } = setup();
    act(() => hook.result.current.fail("Enter an amount first."));
    expect(hook.result.current.state).toEqual({ status: "error", message: "Enter an amount first." });
    act(() => hook.result.current.reset());
    expect(hook.result.current.state).toEqual({ status: "idle" });
  });
});
