/**
 * The dev-account connector's session across reloads (issue 11 item 16): a disconnect sticks, a
 * connect restores reconnect-on-reload.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { privateKeyToAccount } from "viem/accounts";
import { getAddress, recoverMessageAddress, recoverTypedDataAddress, toHex } from "viem";
import { DEV_KEY, DISCONNECTED_KEY, devConnector, selectDevAccount } from "./devConnector.ts";
import type { ChainConfig } from "./runtime.ts";

const ACCOUNTS = ["0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266", "0x70997970c51812dc3a010c7d01b50e0d17dc79c8"];
const chain = { id: 31337, name: "Local chain", rpcUrl: "http://127.0.0.1:9/dev-connector-test", local: true } as unknown as ChainConfig;

/** A page load: a new connector instance, as wagmi creates on every reload. */
function load() {
  const config = { chains: [{ id: 31337 }], emitter: { emit: vi.fn() }, storage: null };
  return (devConnector(chain) as unknown as (c: typeof config) => {
    connect: (p: { chainId?: number }) => Promise<{ accounts: readonly string[] }>;
    disconnect: () => Promise<void>;
    isAuthorized: () => Promise<boolean>;
  })(config);
}

beforeEach(() => {
  localStorage.clear();
  vi.stubGlobal(
    "fetch",
    vi.fn(async () => new Response(JSON.stringify({ jsonrpc: "2.0", id: 1, result: ACCOUNTS }))),
  );
});
afterEach(() => vi.unstubAllGlobals());

describe("devConnector across reloads", () => {
  it("reconnects the chosen dev account on reload", async () => {
    selectDevAccount(ACCOUNTS[1] as `0x${string}`);
    const first = load();
    await first.connect({});
    expect(await load().isAuthorized()).toBe(true);
  });

  it("stays disconnected on reload after the person disconnected", async () => {
    selectDevAccount(ACCOUNTS[1] as `0x${string}`);
    const first = load();
    await first.connect({});
    await first.disconnect();
    expect(localStorage.getItem(DISCONNECTED_KEY)).toBe("1");
    const reloaded = load();
    expect(await reloaded.isAuthorized()).toBe(false);
    // Connecting again clears the flag: the next reload reconnects.
    await reloaded.connect({});
    expect(localStorage.getItem(DISCONNECTED_KEY)).toBeNull();
    expect(await load().isAuthorized()).toBe(true);
  });
});

describe("devConnector's test key (local chain, browser tests)", () => {
  const KEY = "0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d" as const;
  const KEY_ADDRESS = privateKeyToAccount(KEY).address;

  function loadWithProvider() {
    const config = { chains: [{ id: 31337 }], emitter: { emit: vi.fn() }, storage: null };
    return (devConnector(chain) as unknown as (c: typeof config) => {
      connect: (p: { chainId?: number }) => Promise<{ accounts: readonly string[] }>;
      getProvider: () => Promise<{ request: (a: { method: string; params?: unknown }) => Promise<unknown> }>;
    })(config);
  }

  it("connects the key's account and signs with the key in the page, never asking the node", async () => {
    localStorage.setItem(DEV_KEY, KEY);
    const connector = loadWithProvider();
    expect((await connector.connect({})).accounts).toEqual([KEY_ADDRESS]);
    const provider = await connector.getProvider();
    const fetchMock = vi.mocked(fetch);
    fetchMock.mockClear();
    const signature = (await provider.request({ method: "personal_sign", params: [toHex("hello"), KEY_ADDRESS] })) as `0x${string}`;
    expect(await recoverMessageAddress({ message: "hello", signature })).toBe(KEY_ADDRESS);
    const typed = {
      domain: { name: "T", version: "1", chainId: 31337, verifyingContract: "0x5FbDB2315678afecb367f032d93F642f64180aa3" },
      types: { Delegation: [{ name: "delegatee", type: "address" }, { name: "nonce", type: "uint256" }, { name: "expiry", type: "uint256" }] },
      primaryType: "Delegation",
      message: { delegatee: KEY_ADDRESS, nonce: 0n, expiry: 99n },
    } as const;
    const typedSignature = (await provider.request({
      method: "eth_signTypedData_v4",
      params: [KEY_ADDRESS, JSON.stringify({ ...typed, message: { ...typed.message, nonce: "0", expiry: "99" } })],
    })) as `0x${string}`;
    expect(await recoverTypedDataAddress({ ...typed, signature: typedSignature })).toBe(KEY_ADDRESS);
    expect(fetchMock).not.toHaveBeenCalled();
    await expect(provider.request({ method: "eth_sendTransaction", params: [{}] })).rejects.toThrow("sends no transactions");
  });

  it("ignores a malformed key and connects a dev account as before", async () => {
    localStorage.setItem(DEV_KEY, "0x1234");
    const connector = loadWithProvider();
    expect((await connector.connect({})).accounts).toEqual([ACCOUNTS[1]].map((a) => getAddress(a)));
  });
});
