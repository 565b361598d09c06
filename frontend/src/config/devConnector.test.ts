/**
 * The dev-account connector's session across reloads (issue 11 item 16): a disconnect sticks, a
 * connect restores reconnect-on-reload.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { DISCONNECTED_KEY, devConnector, selectDevAccount } from "./devConnector.ts";
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
