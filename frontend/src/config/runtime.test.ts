import { afterEach, describe, expect, it, vi } from "vitest";
import { DEV_CONNECTOR_ID } from "./devConnector.ts";
import { loadRuntimeConfig, parseRuntimeConfig, toViemChain, type RuntimeConfig } from "./runtime.ts";
import { makeWagmiConfig } from "./wagmi.ts";

const contracts = {
  factory: "0x5fbdb2315678afecb367f032d93f642f64180aa3",
  platformToken: "0xe7f1725E7734CE288F8367e1Bb143E90bb3F0512",
  platformGovernor: "0x9fE46736679d2D9a65F0992F2272dE9f3c7fa6e0",
  platformTimelock: "0xCf7Ed3AccA5a467e9e704C703E8D87F634fB0Fc9",
  crowdfundFactory: "0xDc64a140Aa3E981100a9becA4E685f962f0cF6C9",
  revenueShareFactory: "0x5FC8d32690cc91D4c39d9d3abcBD16989F875707",
};
const local = { id: 31337, name: "Local chain", rpcUrl: "http://127.0.0.1:8545", explorerUrl: null, local: true, contracts };
const sepolia = { id: 11155111, name: "Sepolia", rpcUrl: "https://rpc.example.org", explorerUrl: "https://sepolia.etherscan.io/", contracts };

afterEach(() => vi.unstubAllGlobals());

describe("runtime configuration", () => {
  describe("parseRuntimeConfig", () => {
    it("reads the chains, the default chain and the app URL", () => {
      const config = parseRuntimeConfig({ chains: [local, sepolia], defaultChainId: 11155111, appUrl: "https://app.example.org/" }, "http://fallback");
      expect(config.defaultChainId).toBe(11155111);
      expect(config.appUrl).toBe("https://app.example.org");
      expect(config.chains.map((c) => c.id)).toEqual([31337, 11155111]);
    });

    it("checksums the platform addresses", () => {
      const [chain] = parseRuntimeConfig({ chains: [local] }, "http://x").chains;
      expect(chain.contracts.factory).toBe("0x5FbDB2315678afecb367f032d93F642f64180aa3");
    });

    it("defaults the default chain to the first one and the app URL to the page's origin", () => {
      const config = parseRuntimeConfig({ chains: [sepolia, local] }, "http://127.0.0.1:5173");
      expect(config.defaultChainId).toBe(11155111);
      expect(config.appUrl).toBe("http://127.0.0.1:5173");
    });

    it("names an unnamed chain by its id, drops an explorer URL's trailing slash, and is local only when told", () => {
      const config = parseRuntimeConfig({ chains: [{ ...sepolia, name: "", local: "yes" }, { ...local, explorerUrl: "" }] }, "http://x");
      expect(config.chains[0]).toMatchObject({ name: "Chain 11155111", explorerUrl: "https://sepolia.etherscan.io", local: false });
      expect(config.chains[1]).toMatchObject({ explorerUrl: null, local: true });
    });

    it("refuses JSON that is not an object or lists no chains", () => {
      expect(() => parseRuntimeConfig(null, "http://x")).toThrow("coterie.json is not an object");
      expect(() => parseRuntimeConfig({ chains: [] }, "http://x")).toThrow("coterie.json lists no chains");
    });

    it("names the first bad field of a chain", () => {
      expect(() => parseRuntimeConfig({ chains: [{ ...local, id: -1 }] }, "http://x")).toThrow("coterie.json chains[0].id is not a chain id");
      expect(() => parseRuntimeConfig({ chains: [local, { ...sepolia, rpcUrl: "ws://rpc" }] }, "http://x")).toThrow(
        "coterie.json chains[1].rpcUrl is not an http(s) URL",
      );
      expect(() => parseRuntimeConfig({ chains: [{ ...local, contracts: { ...contracts, crowdfundFactory: "0x12" } }] }, "http://x")).toThrow(
        "coterie.json chains[0].contracts.crowdfundFactory is not an address",
      );
    });

    it("reads each chain's start block and indexer URL, defaulting to block 0 and no indexer", () => {
      const config = parseRuntimeConfig(
        { chains: [{ ...sepolia, startBlock: 5_123_456, indexerUrl: "https://indexer.example.org/" }, local] },
        "http://x",
      );
      expect(config.chains[0]).toMatchObject({ startBlock: 5_123_456n, indexerUrl: "https://indexer.example.org" });
      expect(config.chains[1]).toMatchObject({ startBlock: 0n, indexerUrl: null });
      expect(parseRuntimeConfig({ chains: [{ ...local, indexerUrl: null }] }, "http://x").chains[0].indexerUrl).toBeNull();
    });

    it("refuses a start block that is not a block number", () => {
      for (const startBlock of [-1, 1.5, "12", Number.MAX_SAFE_INTEGER + 1]) {
        expect(() => parseRuntimeConfig({ chains: [{ ...local, startBlock }] }, "http://x")).toThrow("coterie.json chains[0].startBlock is not a block number");
      }
    });

    it("refuses an indexer URL that is not an http(s) URL", () => {
      for (const indexerUrl of ["ws://127.0.0.1:42069", "127.0.0.1:42069", "", "http://", 42069]) {
        expect(() => parseRuntimeConfig({ chains: [local, { ...sepolia, indexerUrl }] }, "http://x")).toThrow("coterie.json chains[1].indexerUrl is not an http(s) URL");
      }
    });

    it("reads each chain's server URL (free actions), defaulting to no server so nothing is offered for free", () => {
      const config = parseRuntimeConfig({ chains: [{ ...local, serverUrl: "http://127.0.0.1:8787/" }, sepolia] }, "http://x");
      expect(config.chains[0].serverUrl).toBe("http://127.0.0.1:8787");
      expect(config.chains[1].serverUrl).toBeNull();
      expect(parseRuntimeConfig({ chains: [{ ...local, serverUrl: null }] }, "http://x").chains[0].serverUrl).toBeNull();
    });

    it("refuses a server URL that is not an http(s) URL", () => {
      for (const serverUrl of ["ws://127.0.0.1:8787", "127.0.0.1:8787", "", "http://", 8787, {}]) {
        expect(() => parseRuntimeConfig({ chains: [local, { ...sepolia, serverUrl }] }, "http://x")).toThrow("coterie.json chains[1].serverUrl is not an http(s) URL");
      }
    });

    it("refuses a default chain that is not among the chains", () => {
      expect(() => parseRuntimeConfig({ chains: [local], defaultChainId: 1 }, "http://x")).toThrow("coterie.json defaultChainId 1 is not among its chains");
    });
  });

  describe("toViemChain", () => {
    it("gives viem the chain's id, RPC URL and explorer", () => {
      const config = parseRuntimeConfig({ chains: [sepolia, local] }, "http://x");
      const chain = toViemChain(config.chains[0]);
      expect(chain).toMatchObject({ id: 11155111, name: "Sepolia", testnet: false });
      expect(chain.rpcUrls.default.http).toEqual(["https://rpc.example.org"]);
      expect(chain.blockExplorers?.default.url).toBe("https://sepolia.etherscan.io");
      expect(toViemChain(config.chains[1]).blockExplorers).toBeUndefined();
    });
  });

  describe("loadRuntimeConfig", () => {
    it("fetches /coterie.json without the cache", async () => {
      const fetchMock = vi.fn(async () => new Response(JSON.stringify({ chains: [local] }), { status: 200 }));
      vi.stubGlobal("fetch", fetchMock);
      const config = await loadRuntimeConfig();
      expect(config.chains[0].id).toBe(31337);
      expect(fetchMock).toHaveBeenCalledWith("/coterie.json", { cache: "no-store" });
    });

    it("says what to run when /coterie.json cannot be loaded", async () => {
      vi.stubGlobal("fetch", vi.fn(async () => new Response("not found", { status: 404 })));
      await expect(loadRuntimeConfig()).rejects.toThrow("could not load /coterie.json (HTTP 404); is `npm start` running?");
    });
  });

  describe("makeWagmiConfig", () => {
    const runtime = (chains: unknown[], defaultChainId?: number): RuntimeConfig => parseRuntimeConfig({ chains, defaultChainId }, "http://x");

    it("offers the dev-account connector when a chain is local", () => {
      const ids = makeWagmiConfig(runtime([local])).connectors.map((c) => c.id);
      expect(ids).toContain(DEV_CONNECTOR_ID);
      expect(ids).toContain("injected");
    });

    it("never offers the dev-account connector without a local chain", () => {
      const ids = makeWagmiConfig(runtime([sepolia])).connectors.map((c) => c.id);
      expect(ids).not.toContain(DEV_CONNECTOR_ID);
    });

    it("puts the default chain first, so it is the one read before a wallet connects", () => {
      const config = makeWagmiConfig(runtime([local, sepolia], 11155111));
      expect(config.chains.map((c) => c.id)).toEqual([11155111, 31337]);
      expect(config.state.chainId).toBe(11155111);
    });
  });
});
