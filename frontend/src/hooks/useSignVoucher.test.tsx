import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { act, renderHook } from "@testing-library/react";
import type { ReactNode } from "react";
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { createConfig, http, WagmiProvider, type Config } from "wagmi";
import { connect } from "wagmi/actions";
import { mock } from "wagmi/connectors";
import {
  defineChain,
  encodeFunctionResult,
  encodeAbiParameters,
  getAddress,
  multicall3Abi,
  toFunctionSelector,
  zeroAddress,
  type Hex,
} from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { parseClaimLink } from "../../../shared/rewards.ts";
import { RuntimeProvider } from "../config/context.tsx";
import type { RuntimeConfig } from "../config/runtime.ts";
import { recoverVoucherSigner } from "../lib/rewards.ts";
import { useSignVouchers } from "./useSignVoucher.ts";

// Hardhat's public dev key #1 (the demo creator); never used outside a local chain.
const creator = privateKeyToAccount("0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d");
const VAULT = getAddress("0x5fbdb2315678afecb367f032d93f642f64180aa3");
const FAN = getAddress("0x90f79bf6eb2c4f870365e785982e1f101e93b906");
const REF = getAddress("0x15d34aaf54267db7d7c367839aaf71a00a2c6a65");
const RPC = "http://127.0.0.1:9/rpc";
const APP = "http://127.0.0.1:5173";
const IS_REDEEMED = toFunctionSelector("isRedeemed(uint256)").slice(2);
const EPOCH_BUDGET = toFunctionSelector("epochBudget()").slice(2);
const REFERRAL_BPS = toFunctionSelector("referralBps()").slice(2);
const REFERRER_OF = toFunctionSelector("referrerOf(address)").slice(2);

const chain = defineChain({ id: 31337, name: "Local chain", nativeCurrency: { name: "Ether", symbol: "ETH", decimals: 18 }, rpcUrls: { default: { http: [RPC] } } });
const runtime: RuntimeConfig = {
  chains: [
    {
      id: 31337,
      name: "Local chain",
      rpcUrl: RPC,
      explorerUrl: null,
      local: true,
      startBlock: 0n,
      indexerUrl: null,
      serverUrl: null,
      contracts: { factory: REF, platformToken: REF, platformGovernor: REF, platformTimelock: REF, crowdfundFactory: REF, revenueShareFactory: REF },
    },
  ],
  defaultChainId: 31337,
  appUrl: APP,
};

/**
 * A fake node behind `fetch`: answers the budget check (`epochBudget`, `referralBps` and each
 * `referrerOf` in a deployless multicall: `budget`, 10%, and `referrers`), the id check (every
 * `isRedeemed`, true for the ids in `redeemed`) and signs EIP-712 data with the creator's key, as an unlocked
 * `hardhat node` account would.
 */
function fakeNode(options: { redeemed?: Set<bigint>; rejectSignatures?: boolean; budget?: bigint; referrers?: Map<string, string> } = {}) {
  const calls: string[] = [];
  const answer = async (body: { id: number; method: string; params: unknown[] }) => {
    calls.push(body.method);
    switch (body.method) {
      case "eth_chainId":
        return "0x7a69";
      case "eth_call": {
        const data = ((body.params[0] as { data: Hex }).data ?? "").toLowerCase();
        // Every call in the (possibly batched) multicall, in order, by its selector.
        const pattern = new RegExp(`${EPOCH_BUDGET}|${REFERRAL_BPS}|${REFERRER_OF}([0-9a-f]{64})|${IS_REDEEMED}([0-9a-f]{64})`, "g");
        const results = [...data.matchAll(pattern)].map((m) => {
          const returnData =
            m[0].startsWith(EPOCH_BUDGET)
              ? encodeAbiParameters([{ type: "uint256" }], [options.budget ?? 10n ** 30n])
              : m[0].startsWith(REFERRAL_BPS)
                ? encodeAbiParameters([{ type: "uint256" }], [1_000n])
                : m[1] !== undefined
                  ? encodeAbiParameters([{ type: "address" }], [(options.referrers?.get(getAddress(`0x${m[1].slice(24)}`)) ?? zeroAddress) as Hex])
                  : encodeAbiParameters([{ type: "bool" }], [options.redeemed?.has(BigInt(`0x${m[2]}`)) ?? false]);
          return { success: true, returnData };
        });
        return encodeFunctionResult({ abi: multicall3Abi, functionName: "aggregate3", result: results });
      }
      case "eth_signTypedData_v4": {
        if (options.rejectSignatures) throw { code: 4001, message: "User rejected the request." };
        const typed = JSON.parse(body.params[1] as string);
        const m = typed.message;
        return creator.signTypedData({
          domain: { ...typed.domain, chainId: BigInt(typed.domain.chainId) },
          types: { Voucher: typed.types.Voucher },
          primaryType: "Voucher",
          message: { ...m, amount: BigInt(m.amount), id: BigInt(m.id), deadline: BigInt(m.deadline) },
        });
      }
      default:
        throw { code: -32601, message: `not in this fake node: ${body.method}` };
    }
  };
  const fetchStub = vi.fn(async (_url: string | URL | Request, init?: RequestInit) => {
    const body = JSON.parse(String(init?.body));
    const one = async (b: { id: number; method: string; params: unknown[] }) => {
      try {
        return { jsonrpc: "2.0", id: b.id, result: await answer(b) };
      } catch (error) {
        return { jsonrpc: "2.0", id: b.id, error };
      }
    };
    const reply = Array.isArray(body) ? await Promise.all(body.map(one)) : await one(body);
    return new Response(JSON.stringify(reply), { headers: { "content-type": "application/json" } });
  });
  return { calls, fetchStub };
}

async function setup(node: ReturnType<typeof fakeNode>, { connected = true } = {}) {
  vi.stubGlobal("fetch", node.fetchStub);
  const config: Config = createConfig({
    chains: [chain],
    connectors: [mock({ accounts: [creator.address] })],
    transports: { [chain.id]: http(RPC) },
    storage: null,
  });
  const queryClient = new QueryClient();
  const wrapper = ({ children }: { children: ReactNode }) => (
    <WagmiProvider config={config} reconnectOnMount={false}>
      <QueryClientProvider client={queryClient}>
        <RuntimeProvider runtime={runtime}>{children}</RuntimeProvider>
      </QueryClientProvider>
    </WagmiProvider>
  );
  const hook = renderHook(() => useSignVouchers(VAULT), { wrapper });
  if (connected) {
    await act(async () => {
      await connect(config, { connector: config.connectors[0] });
    });
  }
  return hook;
}

describe("useSignVouchers", () => {
  beforeEach(() => vi.unstubAllGlobals());
  afterEach(() => vi.unstubAllGlobals());

  it("signs one voucher per request in the wallet and returns claim links the attester's key signed", async () => {
    const node = fakeNode();
    const { result } = await setup(node);
    let signed: Awaited<ReturnType<typeof result.current.sign>> = null;
    await act(async () => {
      signed = await result.current.sign(
        [
          { line: 2, recipient: FAN, amount: 5n * 10n ** 18n, referrer: REF },
          { line: 3, recipient: REF, amount: 10n ** 18n, referrer: zeroAddress },
        ],
        2_000_000_000n,
      );
    });
    expect(result.current.state).toEqual({ status: "done", count: 2 });
    expect(signed).toHaveLength(2);
    const links = signed!.map((s: { link: string }) => s.link);
    for (const link of links) expect(link.startsWith(`${APP}/claim?v=1.31337.${VAULT}.`)).toBe(true);
    const payloads = links.map((l: string) => parseClaimLink(l));
    expect(payloads[0].voucher).toMatchObject({ recipient: FAN, amount: 5n * 10n ** 18n, referrer: REF, deadline: 2_000_000_000n });
    expect(payloads[0].voucher.id).not.toBe(payloads[1].voucher.id);
    for (const p of payloads) expect(await recoverVoucherSigner(p)).toBe(creator.address);
    // The ids were checked on chain before the wallet was asked for anything.
    expect(node.calls.indexOf("eth_call")).toBeLessThan(node.calls.indexOf("eth_signTypedData_v4"));
  });

  it("refuses vouchers larger than the vault's whole budget per period, naming each line, and asks the wallet for nothing (issue 11 item 12)", async () => {
    const OTHER = getAddress("0x9965507d1a55bcc2695c58ba16fb37d819b0a4dc");
    // Budget 100 tokens, 10% referral bonus; OTHER already has a recorded referrer.
    const node = fakeNode({ budget: 100n * 10n ** 18n, referrers: new Map([[OTHER, REF]]) });
    const { result } = await setup(node);
    let signed: unknown = "not run";
    await act(async () => {
      signed = await result.current.sign(
        [
          { line: 2, recipient: FAN, amount: 100n * 10n ** 18n, referrer: zeroAddress }, // exactly the budget: fine
          { line: 3, recipient: FAN, amount: 95n * 10n ** 18n, referrer: REF }, // 104.5 with the bonus
          { line: 4, recipient: OTHER, amount: 95n * 10n ** 18n, referrer: zeroAddress }, // the recorded referrer's bonus
          { line: 5, recipient: FAN, amount: 101n * 10n ** 18n, referrer: zeroAddress }, // over on its own
        ],
        2_000_000_000n,
      );
    });
    expect(signed).toBeNull();
    const state = result.current.state;
    expect(state.status).toBe("over-budget");
    if (state.status !== "over-budget") return;
    expect(state.single).toBe(false);
    expect(state.problems.map((p) => p.line)).toEqual([3, 4, 5]);
    expect(state.problems[0].message).toBe(
      "95 tokens (104.5 tokens with the referral bonus) is more than the vault's whole budget per period (100 tokens): the link could never be redeemed; split it or have the DAO raise the budget",
    );
    expect(state.problems[2].message).toMatch(/^101 tokens is more than the vault's whole budget per period \(100 tokens\)/);
    expect(node.calls).not.toContain("eth_signTypedData_v4");
  });

  it("never reuses an id already redeemed on chain: it draws another before signing", async () => {
    const taken = BigInt(`0x${"01".repeat(8)}`);
    const fresh = BigInt(`0x${"02".repeat(8)}`);
    let draw = 0;
    vi.spyOn(crypto, "getRandomValues").mockImplementation(<T extends ArrayBufferView | null>(array: T): T => {
      draw += 1;
      (array as unknown as Uint8Array).fill(draw === 1 ? 1 : 2);
      return array;
    });
    const { result } = await setup(fakeNode({ redeemed: new Set([taken]) }));
    let signed: Awaited<ReturnType<typeof result.current.sign>> = null;
    await act(async () => {
      signed = await result.current.sign([{ line: 1, recipient: FAN, amount: 1n, referrer: zeroAddress }], 2_000_000_000n);
    });
    vi.restoreAllMocks();
    expect(result.current.state).toEqual({ status: "done", count: 1 });
    expect(signed![0].voucher.id).toBe(fresh);
  });

  it("reports a rejected signature readably and keeps no links", async () => {
    const { result } = await setup(fakeNode({ rejectSignatures: true }));
    let signed: unknown = "not run";
    await act(async () => {
      signed = await result.current.sign([{ line: 1, recipient: FAN, amount: 1n, referrer: zeroAddress }], 2_000_000_000n);
    });
    expect(signed).toBeNull();
    expect(result.current.state).toEqual({ status: "error", message: "You rejected the request in your wallet." });
  });

  it("asks for a wallet before anything else when none is connected", async () => {
    const node = fakeNode();
    const { result } = await setup(node, { connected: false });
    await act(async () => {
      await result.current.sign([{ line: 1, recipient: FAN, amount: 1n, referrer: zeroAddress }], 2_000_000_000n);
    });
    expect(result.current.state).toEqual({ status: "error", message: "Connect a wallet first." });
    expect(node.calls).not.toContain("eth_signTypedData_v4");
  });
});
