import { describe, expect, it } from "vitest";
import { encodeAbiParameters, encodeEventTopics, getAddress, numberToHex, parseEther, zeroAddress, type Address, type Hex, type RpcLog } from "viem";
import { crowdfundAbi, crowdfundFactoryAbi } from "../generated/abis.ts";
import { MINTER_ROLE, REVENUE_ROLE } from "../lib/funding.ts";
import { cloneCode, crowdfundLogTopics, readFunding, type FundingClient } from "./funding.ts";
import { IndexerClient } from "./indexer.ts";
import { mockFetch } from "./indexer.mock.ts";

const FACTORY = getAddress("0xfac0000000000000000000000000000000000001");
const TOKEN = getAddress("0x7000000000000000000000000000000000000001");
const TREASURY = getAddress("0x7e00000000000000000000000000000000000001");
const CF = getAddress("0xcf00000000000000000000000000000000000001");
const CF_ERC20 = getAddress("0xcf00000000000000000000000000000000000002");
const USDC = getAddress("0x5dc0000000000000000000000000000000000001");
const RS = getAddress("0x2500000000000000000000000000000000000001");
const CREATOR = getAddress("0xc2ea000000000000000000000000000000000001");
const FAN = getAddress("0xfa00000000000000000000000000000000000001");
const FEE = getAddress("0xfee0000000000000000000000000000000000001");
const IMPOSTOR = getAddress("0xbad0000000000000000000000000000000000001");

let logIndex = 0;
function rpcLog(address: Address, topics: Hex[], data: Hex, block = 5): RpcLog {
  return {
    address,
    topics: topics as [Hex, ...Hex[]],
    data,
    blockNumber: numberToHex(block),
    blockHash: `0x${"ab".repeat(32)}`,
    transactionHash: `0x${"cd".repeat(32)}`,
    transactionIndex: "0x0",
    logIndex: numberToHex(logIndex++),
    removed: false,
  };
}

function created(emitter: Address, crowdfund: Address, block = 5): RpcLog {
  const topics = encodeEventTopics({ abi: crowdfundFactoryAbi, eventName: "CrowdfundCreated", args: { token: TOKEN, crowdfund, creator: CREATOR } }) as Hex[];
  return rpcLog(emitter, topics, encodeAbiParameters([{ type: "bytes32" }], [`0x${"00".repeat(32)}`]), block);
}

function initialized(emitter: Address, payment: Address, goal: bigint, block = 5): RpcLog {
  const topics = encodeEventTopics({ abi: crowdfundAbi, eventName: "CrowdfundInitialized", args: { token: TOKEN, treasury: TREASURY, paymentToken: payment } }) as Hex[];
  const data = encodeAbiParameters(
    ["uint256", "uint256", "uint256", "uint256", "uint256", "uint256", "address"].map((type) => ({ type })),
    [goal, goal * 2n, 2_000_000n, 1000n * 10n ** 18n, 500n, 100n, FEE],
  );
  return rpcLog(emitter, topics, data, block);
}

type Handler = (address: Address, functionName: string, args: readonly unknown[]) => unknown;

/** A client whose multicall answers each call from `handler` (throwing = a failed call). */
function fakeClient(options: { logs: RpcLog[]; deposits?: Array<{ asset: Address; id: bigint; depositor: Address }>; handler: Handler; code?: (address: Address) => Hex | undefined }) {
  const calls: Array<{ address: Address; functionName: string; args: readonly unknown[] }> = [];
  const requests: string[] = [];
  const ranges: Array<[string, unknown, unknown]> = [];
  const client = {
    async request({ method, params }: { method: string; params: unknown }) {
      requests.push(method);
      const range = (params as Array<{ fromBlock: unknown; toBlock: unknown }>)[0];
      ranges.push(["crowdfunds", range.fromBlock, range.toBlock]);
      expect(method).toBe("eth_getLogs");
      const filter = (params as Array<{ topics: unknown }>)[0];
      expect(filter.topics).toEqual(crowdfundLogTopics(TOKEN));
      return options.logs;
    },
    async getLogs({ fromBlock, toBlock }: { fromBlock: unknown; toBlock: unknown }) {
      ranges.push(["revenue", fromBlock, toBlock]);
      requests.push("eth_getLogs");
      return (options.deposits ?? []).map((d) => ({ args: { ...d, amount: 1n, supply: 1n } }));
    },
    async getBlockNumber() {
      requests.push("eth_blockNumber");
      return 100n;
    },
    async getCode({ address }: { address: Address }) {
      requests.push("eth_getCode");
      return options.code?.(address);
    },
    async getBalance() {
      requests.push("eth_getBalance");
      return parseEther("10");
    },
    async multicall({ contracts }: { contracts: Array<{ address: Address; functionName: string; args?: readonly unknown[] }> }) {
      requests.push("eth_call");
      return contracts.map((c) => {
        calls.push({ address: c.address, functionName: c.functionName, args: c.args ?? [] });
        try {
          const result = options.handler(c.address, c.functionName, c.args ?? []);
          if (result === undefined) throw new Error(`no answer for ${c.functionName}`);
          return { status: "success", result };
        } catch (error) {
          return { status: "failure", error };
        }
      });
    },
  };
  return { client: client as unknown as FundingClient, calls, requests, ranges };
}

const source = { crowdfundFactory: FACTORY, token: TOKEN, treasury: TREASURY, revenueShare: RS, account: FAN };

/** A chain with one ETH crowdfund, one USDC crowdfund and a revenue share with deposits in ETH and USDC. */
const handler: Handler = (address, fn, args) => {
  if (address === FACTORY && fn === "feeBps") return 100n;
  if (address === CF || address === CF_ERC20) {
    switch (fn) {
      case "state":
        return address === CF ? 0 : 3;
      case "raised":
        return parseEther("2.5");
      case "payoutOwed":
        return 0n;
      case "contributionOf":
        return parseEther("1");
      case "referredBy":
        return 0n;
      case "claimableTokens":
        return [parseEther("1000"), 0n] as const;
    }
  }
  if (address === TOKEN && fn === "hasRole") return args[0] === MINTER_ROLE ? args[1] === CF : args[0] === REVENUE_ROLE && args[1] === RS;
  if (address === TOKEN && fn === "revenueRecordingSince") return 1_000n;
  if (address === USDC) {
    if (fn === "symbol") return "USDC";
    if (fn === "decimals") return 6;
    if (fn === "balanceOf") return 42_000_000n;
    if (fn === "allowance") return 7n;
  }
  if (address === RS) {
    switch (fn) {
      case "token":
        return TOKEN;
      case "CLAIM_WINDOW":
        return 365n * 86_400n;
      case "depositCount":
        return args[0] === zeroAddress ? 2n : 1n;
      case "deposit":
        return { amount: parseEther("0.5"), supply: parseEther("100"), snapshot: 2_000 };
      case "claimedOf":
        return 0n;
      case "claimable":
        return args[0] === zeroAddress ? ([parseEther("0.05"), 2n] as const) : ([0n, 1n] as const);
      case "nextClaim":
        return 0n;
    }
  }
  return undefined;
};

describe("fundingReads", () => {
  describe("readFunding", () => {
    it("lists the factory's crowdfunds of the token, newest first, with the account's position", async () => {
      const { client, requests } = fakeClient({
        logs: [created(FACTORY, CF, 5), initialized(CF, zeroAddress, parseEther("5"), 5), created(FACTORY, CF_ERC20, 9), initialized(CF_ERC20, USDC, 5_000_000n, 9)],
        handler,
      });
      const overview = await readFunding(client, source);
      expect(overview.crowdfunds.map((c) => c.address)).toEqual([CF_ERC20, CF]);
      const eth = overview.crowdfunds[1];
      expect(eth).toMatchObject({
        state: "Active",
        raised: parseEther("2.5"),
        goal: parseEther("5"),
        price: 1000n * 10n ** 18n,
        referralBps: 500n,
        feeRecipient: FEE,
        minterGranted: true,
        payment: { address: null, symbol: "ETH", decimals: 18 },
        account: { contributed: parseEther("1"), tokens: parseEther("1000"), balance: parseEther("10"), allowance: null },
      });
      const usdc = overview.crowdfunds[0];
      expect(usdc).toMatchObject({
        state: "Failed",
        minterGranted: false,
        payment: { address: USDC, symbol: "USDC", decimals: 6 },
        account: { balance: 42_000_000n, allowance: 7n },
      });
      expect(overview.feeBps).toBe(100n);
      // Two log queries, the balance, and one multicall for everything else.
      expect(requests.sort()).toEqual(["eth_blockNumber", "eth_call", "eth_getBalance", "eth_getLogs", "eth_getLogs"]);
    });

    it("ignores a CrowdfundCreated that another contract emitted", async () => {
      const { client } = fakeClient({ logs: [created(IMPOSTOR, CF), initialized(CF, zeroAddress, 1n)], handler });
      expect((await readFunding(client, source)).crowdfunds).toEqual([]);
    });

    it("takes a crowdfund's parameters only from the crowdfund itself", async () => {
      const { client } = fakeClient({
        logs: [created(FACTORY, CF), initialized(IMPOSTOR, zeroAddress, 1n), initialized(CF, zeroAddress, parseEther("5"))],
        handler,
      });
      const [cf] = (await readFunding(client, source)).crowdfunds;
      expect(cf.goal).toBe(parseEther("5"));
    });

    it("lists revenue assets with deposits, ETH first, newest deposit first, with the account's claimable share", async () => {
      const { client } = fakeClient({
        logs: [],
        deposits: [
          { asset: USDC, id: 0n, depositor: CREATOR },
          { asset: zeroAddress, id: 0n, depositor: CREATOR },
          { asset: zeroAddress, id: 1n, depositor: FAN },
        ],
        handler,
      });
      const { revenue } = await readFunding(client, source);
      expect(revenue).toMatchObject({ address: RS, exists: true, approved: true, recordingSince: 1_000n });
      expect(revenue?.assets.map((a) => a.asset.symbol)).toEqual(["ETH", "USDC"]);
      const eth = revenue!.assets[0];
      expect(eth).toMatchObject({ count: 2n, claimable: parseEther("0.05"), claimToId: 2n });
      expect(eth.deposits.map((d) => [d.id, d.depositor])).toEqual([
        [1n, FAN],
        [0n, CREATOR],
      ]);
      expect(eth.deposits[0]).toMatchObject({ amount: parseEther("0.5"), snapshot: 2_000n, claimableUntil: 2_000n + 365n * 86_400n });
    });

    it("reports a revenue share that was never created as missing", async () => {
      const { client } = fakeClient({ logs: [], handler: (address, fn, args) => (address === RS ? undefined : handler(address, fn, args)) });
      const { revenue } = await readFunding(client, source);
      expect(revenue).toMatchObject({ exists: false, assets: [] });
    });

    it("reads both event lists from the chain's start block to the latest block, never from block 0", async () => {
      const { client, ranges } = fakeClient({ logs: [], deposits: [], handler });
      await readFunding(client, { ...source, fromBlock: 42n });
      expect(ranges).toEqual([
        ["crowdfunds", "0x2a", "0x64"],
        ["revenue", 42n, 100n],
      ]);
    });

    it("reads no account positions and no balance without a connected account", async () => {
      const { client, calls, requests } = fakeClient({ logs: [created(FACTORY, CF), initialized(CF, zeroAddress, 1n)], handler });
      const overview = await readFunding(client, { ...source, account: null });
      expect(overview.crowdfunds[0].account).toBeNull();
      expect(overview.ethBalance).toBeNull();
      expect(requests).not.toContain("eth_getBalance");
      expect(calls.some((c) => c.functionName === "contributionOf" || c.functionName === "claimable")).toBe(false);
    });
  });

  describe("readFunding with an indexer", () => {
    const IMPL = getAddress("0x1e00000000000000000000000000000000000001");
    const listed = (address: Address) => ({
      address, token: TOKEN, creator: CREATOR, treasury: TREASURY, paymentToken: zeroAddress, goal: "1", cap: "2", deadline: 1, price: "1",
      referralBps: 0, feeBps: 0, raised: "0", contributors: 0, status: "open", createdAt: 1, createdBlock: "7",
    });
    const deposit = { revenueShare: RS, asset: zeroAddress, depositId: "1", depositor: CREATOR, amount: "999", supply: "1", createdAt: 1, block: "8", txHash: "0xab" };
    // The chain's answers for a crowdfund: its token, treasury, terms and fee, and the factory's implementation.
    const chain: Handler = (address, fn, args) => {
      if (address === FACTORY && fn === "implementation") return IMPL;
      if (address === CF || address === IMPOSTOR) {
        if (fn === "token") return TOKEN;
        if (fn === "treasury") return TREASURY;
        if (fn === "params") return { paymentToken: zeroAddress, goal: parseEther("5"), cap: parseEther("10"), deadline: 2_000_000n, price: 1000n * 10n ** 18n, referralBps: 500 };
        if (fn === "fee") return [FEE, 100n] as const;
      }
      return handler(address, fn, args);
    };
    const indexer = (crowdfunds: unknown[]) =>
      new IndexerClient("http://idx.test", {
        fetch: mockFetch({
          [`/api/communities/${TOKEN}/crowdfunds?limit=100`]: [200, { items: crowdfunds, nextCursor: null }],
          [`/api/communities/${TOKEN}/revenue?limit=100`]: [200, { items: [deposit], nextCursor: null }],
        }).fetch,
      });

    it("lists the indexer's crowdfunds with the terms the chain gives, and reads no logs", async () => {
      const { client, requests } = fakeClient({ logs: [], handler: chain, code: (a) => (a === CF ? cloneCode(IMPL) : undefined) });
      const overview = await readFunding(client, { ...source, indexer: indexer([listed(CF)]) });
      expect(requests).not.toContain("eth_getLogs");
      expect(overview.crowdfunds.map((c) => [c.address, c.goal, c.feeRecipient])).toEqual([[CF, parseEther("5"), FEE]]);
      // The deposit's amount is the chain's (0.5 ETH in `handler`), not the indexer's "999".
      expect(overview.revenue?.assets[0].deposits.map((d) => [d.id, d.amount])).toEqual([[1n, parseEther("0.5")]]);
    });

    it("falls back to the logs when the indexer lists a crowdfund that is not a clone of the factory's implementation", async () => {
      const { client, requests } = fakeClient({ logs: [created(FACTORY, CF), initialized(CF, zeroAddress, parseEther("1"))], handler: chain, code: () => "0x6080" });
      const overview = await readFunding(client, { ...source, indexer: indexer([listed(IMPOSTOR)]) });
      expect(requests).toContain("eth_getLogs");
      expect(overview.crowdfunds.map((c) => c.address)).toEqual([CF]);
    });

    it("falls back to the logs when the indexer is down", async () => {
      const { client, requests } = fakeClient({ logs: [], handler: chain });
      const down = new IndexerClient("http://idx.test", { fetch: mockFetch({}).fetch });
      await readFunding(client, { ...source, indexer: down });
      expect(requests.filter((r) => r === "eth_getLogs")).toHaveLength(2);
    });
  });
});
