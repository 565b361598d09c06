/**
 * Everything the Fund tab and the creator's funding console show, in few JSON-RPC requests:
 *
 * 1. one `eth_getLogs` for the community's crowdfunds: the CrowdfundFactory's `CrowdfundCreated` and
 *    each clone's `CrowdfundInitialized` both carry the token as first topic, so one filter on
 *    (either event, token) returns the crowdfunds and their immutable parameters. Only crowdfunds the
 *    factory created count, and only parameters those crowdfunds emitted (anyone can emit look-alikes);
 * 2. one `eth_getLogs` for the revenue share's `RevenueDeposited` (which assets have deposits);
 * 3. the connected account's ETH balance;
 * 4. one multicall for every live value (states, totals, roles, the account's positions, ERC-20
 *    symbols and decimals, deposits and claimable revenue).
 *
 * With an indexer configured (and answering), 1 and 2 are its lists instead, checked on chain (see
 * `listsFromIndexer`); when it is down or wrong, the logs.
 *
 * 1-3 run in parallel. Logs are read from the chain's start block (the platform deployment's first
 * block) to the latest block in bounded ranges (reads/logs.ts): one eth_blockNumber, then one
 * eth_getLogs per 10,000 blocks for each of 1 and 2.
 */
import {
  encodeEventTopics,
  erc20Abi,
  formatLog,
  getAddress,
  parseEventLogs,
  zeroAddress,
  type Abi,
  type ContractFunctionArgs,
  type ContractFunctionName,
  type ContractFunctionParameters,
  type ContractFunctionReturnType,
  type MulticallResponse,
  type Address,
  type Hex,
  type Log,
  numberToHex,
  type PublicClient,
  type RpcLog,
} from "viem";
import { crowdfundAbi, crowdfundFactoryAbi, revenueShareAbi, socialTokenAbi } from "../generated/abis.ts";
import { CLAIM_MAX_DEPOSITS, crowdfundState, ETH_ASSET, MINTER_ROLE, REVENUE_ROLE, type AssetInfo, type CrowdfundState } from "../lib/funding.ts";
import { shortAddress } from "../lib/format.ts";
import { allPages, IndexerError, preferIndexer, type IndexerClient } from "./indexer.ts";
import { latestBlock, readLogsInChunks } from "./logs.ts";
import { resultsAt, valueOf } from "./multicall.ts";

/** Deposits listed per asset (the most recent). */
export const DEPOSITS_SHOWN = 20;

export type FundingClient = Pick<PublicClient, "request" | "getLogs" | "multicall" | "getBalance" | "getBlockNumber" | "getCode">;

export interface FundingSource {
  crowdfundFactory: Address;
  token: Address;
  /** The community Timelock (treasury): crowdfund proceeds go there. */
  treasury: Address;
  /** Where the revenue share is or will be (the factory predicts it even before it exists). */
  revenueShare: Address | null;
  account: Address | null;
  /** The first block whose logs are read (the chain's startBlock); default 0. */
  fromBlock?: bigint;
  /** The chain's indexer: the lists come from it (checked on chain) when it answers, else from the logs. */
  indexer?: IndexerClient | null;
}

/** A crowdfund the factory created for the token, with the parameters it was initialised with (immutable). */
export interface CrowdfundEntry {
  address: Address;
  creator: Address;
  blockNumber: bigint;
  paymentToken: Address;
  goal: bigint;
  cap: bigint;
  deadline: bigint;
  price: bigint;
  referralBps: bigint;
  feeBps: bigint;
  feeRecipient: Address;
}

export interface CrowdfundAccount {
  contributed: bigint;
  /** Others' contributions naming the account as referrer, not yet claimed. */
  referred: bigint;
  tokens: bigint;
  bonus: bigint;
  /** The account's balance of the payment asset (ETH or the ERC-20). */
  balance: bigint | null;
  /** ERC-20 only: what the crowdfund may pull from the account. */
  allowance: bigint | null;
}

export interface CrowdfundView extends CrowdfundEntry {
  payment: AssetInfo;
  state: CrowdfundState;
  raised: bigint;
  /** The crowdfund holds MINTER_ROLE on the token (it renounces it once it minted). */
  minterGranted: boolean;
  /** Deferred payouts (a recipient that refused ETH). */
  owed: { treasury: bigint; feeRecipient: bigint };
  account: CrowdfundAccount | null;
}

export interface DepositView {
  id: bigint;
  amount: bigint;
  supply: bigint;
  snapshot: bigint;
  claimed: bigint;
  depositor: Address;
  claimableUntil: bigint;
}

export interface RevenueAssetView {
  asset: AssetInfo;
  count: bigint;
  /** The most recent deposits, newest first. */
  deposits: DepositView[];
  /** What `claim(asset, account, CLAIM_MAX_DEPOSITS)` pays now, and the id it stops before. */
  claimable: bigint;
  claimToId: bigint;
  nextClaim: bigint;
}

export interface RevenueView {
  address: Address;
  exists: boolean;
  /** It holds REVENUE_ROLE on the token (the DAO approved it). */
  approved: boolean;
  /** When the token started recording balances (0: never). */
  recordingSince: bigint;
  claimWindow: bigint;
  /** The smallest ETH deposit the DAO accepts (0: any positive amount; issue 11 item 4). */
  minimumEth: bigint;
  /** Assets with at least one deposit: ETH first. */
  assets: RevenueAssetView[];
}

export interface FundingOverview {
  /** The account whose positions, balances and claims were read (null: none connected). */
  account: Address | null;
  crowdfunds: CrowdfundView[];
  revenue: RevenueView | null;
  /** The platform fee on new crowdfunds (basis points). */
  feeBps: bigint;
  /** The connected account's ETH balance. */
  ethBalance: bigint | null;
}

const crowdfundCreated = crowdfundFactoryAbi.filter((x) => x.type === "event" && x.name === "CrowdfundCreated");
const crowdfundInitialized = crowdfundAbi.filter((x) => x.type === "event" && x.name === "CrowdfundInitialized");
const revenueDeposited = revenueShareAbi.find((x) => x.type === "event" && x.name === "RevenueDeposited");

/** The topics filter matching both crowdfund events of `token`: [[CrowdfundCreated, CrowdfundInitialized], token]. */
export function crowdfundLogTopics(token: Address): [`0x${string}`[], `0x${string}`] {
  const created = encodeEventTopics({ abi: crowdfundFactoryAbi, eventName: "CrowdfundCreated", args: { token } });
  const initialized = encodeEventTopics({ abi: crowdfundAbi, eventName: "CrowdfundInitialized", args: { token } });
  return [[created[0], initialized[0]], created[1] as `0x${string}`];
}

/**
 * The crowdfunds of `token` from the logs of both events: only those the factory at `factory`
 * announced, each with the parameters it emitted itself. Newest first.
 */
export function crowdfundsFromLogs(logs: Log[], factory: Address, token: Address): CrowdfundEntry[] {
  const created = parseEventLogs({ abi: crowdfundCreated, logs, eventName: "CrowdfundCreated" }).filter(
    (l) => getAddress(l.address) === getAddress(factory) && getAddress(l.args.token) === getAddress(token),
  );
  const initialized = parseEventLogs({ abi: crowdfundInitialized, logs, eventName: "CrowdfundInitialized" });
  const entries: CrowdfundEntry[] = [];
  for (const c of created) {
    const address = getAddress(c.args.crowdfund);
    const init = initialized.find((i) => getAddress(i.address) === address && getAddress(i.args.token) === getAddress(token));
    if (!init) continue;
    entries.push({
      address,
      creator: getAddress(c.args.creator),
      blockNumber: c.blockNumber ?? 0n,
      paymentToken: getAddress(init.args.paymentToken),
      goal: init.args.goal,
      cap: init.args.cap,
      deadline: init.args.deadline,
      price: init.args.price,
      referralBps: init.args.referralBps,
      feeBps: init.args.feeBps,
      feeRecipient: getAddress(init.args.feeRecipient),
    });
  }
  return entries.reverse();
}

/** Collects multicall calls; each `add` returns a getter for its result (undefined when the call failed). */
class CallPlan {
  readonly calls: ContractFunctionParameters[] = [];
  private results: readonly MulticallResponse<unknown>[] = [];

  /** The getter's type is the call's return type, from its ABI and function name. */
  add<
    const abi extends Abi,
    const functionName extends ContractFunctionName<abi, "pure" | "view">,
    const args extends ContractFunctionArgs<abi, "pure" | "view", functionName>,
  >(call: { address: Address; abi: abi; functionName: functionName; args?: args }): () => ContractFunctionReturnType<abi, "pure" | "view", functionName, args> | undefined {
    const index = this.calls.push(call as ContractFunctionParameters) - 1;
    return () => {
      const [outcome] = resultsAt([call] as const, this.results, index);
      return valueOf(outcome) as ContractFunctionReturnType<abi, "pure" | "view", functionName, args> | undefined;
    };
  }

  async run(client: FundingClient): Promise<void> {
    if (this.calls.length === 0) return;
    // Heterogeneous ABIs in one batch, typed per call by `add`.
    this.results = await client.multicall({ deployless: true, allowFailure: true, contracts: this.calls });
  }
}

function erc20Reads(plan: CallPlan, address: Address) {
  return {
    symbol: plan.add({ address, abi: erc20Abi, functionName: "symbol" }),
    decimals: plan.add({ address, abi: erc20Abi, functionName: "decimals" }),
  };
}

function assetFrom(address: Address, reads: { symbol: () => string | undefined; decimals: () => number | undefined }): AssetInfo {
  if (address === zeroAddress) return ETH_ASSET;
  const symbol = reads.symbol();
  return { address, symbol: symbol && symbol.trim() !== "" ? symbol : shortAddress(address), decimals: reads.decimals() ?? 18 };
}

interface FundingLists {
  /** Newest first. */
  entries: CrowdfundEntry[];
  /** Oldest first. */
  deposits: Array<{ args: { asset?: Address; id?: bigint; depositor?: Address } }>;
}

/** The crowdfunds and deposits from the chain's logs (from the start block, in bounded ranges). */
async function listsFromLogs(client: FundingClient, source: FundingSource): Promise<FundingLists> {
  const { token, revenueShare } = source;
  const fromBlock = source.fromBlock ?? 0n;
  const topics = crowdfundLogTopics(token);
  const toBlock = await latestBlock(client);
  const [crowdfundLogs, deposits] = await Promise.all([
    readLogsInChunks(client, {
      fromBlock,
      toBlock,
      read: (from, to) =>
        client
          .request({ method: "eth_getLogs", params: [{ fromBlock: numberToHex(from), toBlock: numberToHex(to), topics }] })
          .then((logs) => (logs as RpcLog[]).map((l) => formatLog(l))),
    }),
    revenueShare && revenueDeposited
      ? readLogsInChunks(client, {
          fromBlock,
          toBlock,
          read: (from, to) => client.getLogs({ address: revenueShare, event: revenueDeposited, fromBlock: from, toBlock: to }),
        })
      : Promise.resolve([]),
  ]);
  return { entries: crowdfundsFromLogs(crowdfundLogs, source.crowdfundFactory, token), deposits };
}

/** The runtime code of an EIP-1167 clone of `implementation` (OpenZeppelin's Clones, which the CrowdfundFactory uses). */
export function cloneCode(implementation: Address): Hex {
  return `0x363d3d373d3d3d363d73${implementation.slice(2).toLowerCase()}5af43d82803e903d91602b57fd5bf3`;
}

/**
 * The crowdfunds and deposits the indexer lists, checked on chain: the indexer only says where to
 * look. Each crowdfund must be a clone of the factory's implementation (its code, one eth_getCode
 * each) of this token with this treasury, and its terms are the ones it answers itself (one
 * multicall); any crowdfund that fails the check makes the whole list come from the logs instead.
 * A deposit's amount and supply are read on chain later, by id, like the logs' deposits.
 */
async function listsFromIndexer(client: FundingClient, indexer: IndexerClient, source: FundingSource): Promise<FundingLists> {
  const { token, revenueShare } = source;
  const [listed, deposits] = await Promise.all([
    allPages((cursor) => indexer.crowdfunds(token, { limit: 100, cursor })),
    revenueShare ? allPages((cursor) => indexer.revenue(token, { limit: 100, cursor })) : Promise.resolve([]),
  ]);
  let entries: CrowdfundEntry[] = [];
  if (listed.length > 0) {
    const plan = new CallPlan();
    const implementation = plan.add({ address: source.crowdfundFactory, abi: crowdfundFactoryAbi, functionName: "implementation" });
    const reads = listed.map((cf) => ({
      listed: cf,
      token: plan.add({ address: cf.address, abi: crowdfundAbi, functionName: "token" }),
      treasury: plan.add({ address: cf.address, abi: crowdfundAbi, functionName: "treasury" }),
      params: plan.add({ address: cf.address, abi: crowdfundAbi, functionName: "params" }),
      fee: plan.add({ address: cf.address, abi: crowdfundAbi, functionName: "fee" }),
    }));
    const [, codes] = await Promise.all([plan.run(client), Promise.all(listed.map((cf) => client.getCode({ address: cf.address })))]);
    const impl = implementation();
    if (!impl) throw new IndexerError("Could not read the crowdfund factory's implementation to check the indexer's crowdfunds.");
    entries = reads.map((r, i) => {
      const params = r.params();
      const fee = r.fee();
      const genuine =
        (codes[i] ?? "0x").toLowerCase() === cloneCode(impl) &&
        r.token()?.toLowerCase() === token.toLowerCase() &&
        r.treasury()?.toLowerCase() === source.treasury.toLowerCase() &&
        params !== undefined &&
        fee !== undefined;
      if (!genuine || !params || !fee) {
        throw new IndexerError(`The indexer lists ${r.listed.address} as a crowdfund of this community, which the chain does not confirm.`);
      }
      return {
        address: r.listed.address,
        creator: r.listed.creator,
        blockNumber: r.listed.createdBlock,
        paymentToken: getAddress(params.paymentToken),
        goal: params.goal,
        cap: params.cap,
        deadline: BigInt(params.deadline),
        price: params.price,
        referralBps: BigInt(params.referralBps),
        feeBps: fee[1],
        feeRecipient: getAddress(fee[0]),
      };
    });
  }
  return {
    entries,
    deposits: deposits
      .filter((d) => revenueShare !== null && d.revenueShare === getAddress(revenueShare))
      .map((d) => ({ args: { asset: d.asset, id: d.depositId, depositor: d.depositor } }))
      .reverse(),
  };
}

/** Reads the funding overview of one community (see the file comment for the requests). */
export async function readFunding(client: FundingClient, source: FundingSource): Promise<FundingOverview> {
  const { token, account, revenueShare } = source;
  const [lists, ethBalance] = await Promise.all([
    preferIndexer(
      source.indexer ?? null,
      (indexer) => listsFromIndexer(client, indexer, source),
      () => listsFromLogs(client, source),
    ),
    account ? client.getBalance({ address: account }) : Promise.resolve(null),
  ]);
  const { entries, deposits: depositLogs } = lists.value;

  const plan = new CallPlan();
  const feeBps = plan.add({ address: source.crowdfundFactory, abi: crowdfundFactoryAbi, functionName: "feeBps" });

  // ERC-20s met anywhere (payment tokens, deposited assets): symbol and decimals once each, and the account's balance.
  const erc20s = new Map<Address, ReturnType<typeof erc20Reads> & { balance?: () => bigint | undefined }>();
  const erc20 = (address: Address) => {
    let reads = erc20s.get(address);
    if (!reads) {
      reads = {
        ...erc20Reads(plan, address),
        balance: account ? plan.add({ address, abi: erc20Abi, functionName: "balanceOf", args: [account] }) : undefined,
      };
      erc20s.set(address, reads);
    }
    return reads;
  };

  const crowdfundReads = entries.map((e) => {
    return {
      entry: e,
      payment: e.paymentToken === zeroAddress ? null : erc20(e.paymentToken),
      state: plan.add({ address: e.address, abi: crowdfundAbi, functionName: "state" }),
      raised: plan.add({ address: e.address, abi: crowdfundAbi, functionName: "raised" }),
      minter: plan.add({ address: token, abi: socialTokenAbi, functionName: "hasRole", args: [MINTER_ROLE, e.address] }),
      owedTreasury: plan.add({ address: e.address, abi: crowdfundAbi, functionName: "payoutOwed", args: [source.treasury] }),
      owedFee: plan.add({ address: e.address, abi: crowdfundAbi, functionName: "payoutOwed", args: [e.feeRecipient] }),
      account: account
        ? {
            contributed: plan.add({ address: e.address, abi: crowdfundAbi, functionName: "contributionOf", args: [account] }),
            referred: plan.add({ address: e.address, abi: crowdfundAbi, functionName: "referredBy", args: [account] }),
            claimable: plan.add({ address: e.address, abi: crowdfundAbi, functionName: "claimableTokens", args: [account] }),
            allowance: e.paymentToken === zeroAddress ? null : plan.add({ address: e.paymentToken, abi: erc20Abi, functionName: "allowance", args: [account, e.address] }),
          }
        : null,
    };
  });

  // Revenue: which assets have deposits (from the logs), then their deposits and the account's claims.
  let revenueReads: null | {
    address: Address;
    exists: () => Address | undefined;
    approved: () => boolean | undefined;
    recordingSince: () => bigint | undefined;
    claimWindow: () => bigint | undefined;
    minimumEth: () => bigint | undefined;
    assets: Array<{
      address: Address;
      meta: ReturnType<typeof erc20Reads> | null;
      count: () => bigint | undefined;
      deposits: Array<{ id: bigint; depositor: Address; deposit: () => { amount: bigint; supply: bigint; snapshot: number } | undefined; claimed: () => bigint | undefined }>;
      claimable: (() => readonly [bigint, bigint] | undefined) | null;
      next: (() => bigint | undefined) | null;
    }>;
  } = null;
  if (revenueShare) {
    const byAsset = new Map<Address, Array<{ id: bigint; depositor: Address }>>();
    for (const log of depositLogs) {
      if (!log.args.asset || log.args.id === undefined || !log.args.depositor) continue;
      const asset = getAddress(log.args.asset);
      byAsset.set(asset, [...(byAsset.get(asset) ?? []), { id: log.args.id, depositor: getAddress(log.args.depositor) }]);
    }
    const assets = [...byAsset.keys()].sort((a, b) => (a === zeroAddress ? -1 : b === zeroAddress ? 1 : 0));
    revenueReads = {
      address: revenueShare,
      exists: plan.add({ address: revenueShare, abi: revenueShareAbi, functionName: "token" }),
      approved: plan.add({ address: token, abi: socialTokenAbi, functionName: "hasRole", args: [REVENUE_ROLE, revenueShare] }),
      recordingSince: plan.add({ address: token, abi: socialTokenAbi, functionName: "revenueRecordingSince" }),
      claimWindow: plan.add({ address: revenueShare, abi: revenueShareAbi, functionName: "CLAIM_WINDOW" }),
      minimumEth: plan.add({ address: revenueShare, abi: revenueShareAbi, functionName: "minimumDeposit", args: [zeroAddress] }),
      assets: assets.map((asset) => ({
        address: asset,
        meta: asset === zeroAddress ? null : erc20(asset),
        count: plan.add({ address: revenueShare, abi: revenueShareAbi, functionName: "depositCount", args: [asset] }),
        deposits: (byAsset.get(asset) ?? [])
          .slice(-DEPOSITS_SHOWN)
          .reverse()
          .map((d) => ({
            ...d,
            deposit: plan.add({ address: revenueShare, abi: revenueShareAbi, functionName: "deposit", args: [asset, d.id] }),
            claimed: plan.add({ address: revenueShare, abi: revenueShareAbi, functionName: "claimedOf", args: [asset, d.id] }),
          })),
        claimable: account ? plan.add({ address: revenueShare, abi: revenueShareAbi, functionName: "claimable", args: [asset, account, CLAIM_MAX_DEPOSITS] }) : null,
        next: account ? plan.add({ address: revenueShare, abi: revenueShareAbi, functionName: "nextClaim", args: [asset, account] }) : null,
      })),
    };
  }

  await plan.run(client);

  const crowdfunds: CrowdfundView[] = [];
  for (const r of crowdfundReads) {
    const stateValue = r.state();
    if (stateValue === undefined) continue; // not a crowdfund after all
    const payment = r.payment ? assetFrom(r.entry.paymentToken, r.payment) : ETH_ASSET;
    const claimable = r.account?.claimable();
    crowdfunds.push({
      ...r.entry,
      payment,
      state: crowdfundState(Number(stateValue)),
      raised: r.raised() ?? 0n,
      minterGranted: r.minter() ?? false,
      owed: { treasury: r.owedTreasury() ?? 0n, feeRecipient: r.owedFee() ?? 0n },
      account: r.account
        ? {
            contributed: r.account.contributed() ?? 0n,
            referred: r.account.referred() ?? 0n,
            tokens: claimable?.[0] ?? 0n,
            bonus: claimable?.[1] ?? 0n,
            balance: r.payment ? (r.payment.balance?.() ?? null) : ethBalance,
            allowance: r.account.allowance?.() ?? null,
          }
        : null,
    });
  }

  let revenue: RevenueView | null = null;
  if (revenueReads) {
    const claimWindow = revenueReads.claimWindow() ?? 365n * 86_400n;
    revenue = {
      address: revenueReads.address,
      exists: revenueReads.exists() !== undefined,
      approved: revenueReads.approved() ?? false,
      recordingSince: revenueReads.recordingSince() ?? 0n,
      claimWindow,
      minimumEth: revenueReads.minimumEth() ?? 0n,
      assets: revenueReads.assets.map((a) => {
        const claimable = a.claimable?.();
        return {
          asset: a.meta ? assetFrom(a.address, a.meta) : ETH_ASSET,
          count: a.count() ?? BigInt(a.deposits.length),
          deposits: a.deposits.flatMap((d) => {
            const stored = d.deposit();
            if (!stored) return [];
            const snapshot = BigInt(stored.snapshot);
            return [{ id: d.id, depositor: d.depositor, amount: stored.amount, supply: stored.supply, snapshot, claimed: d.claimed() ?? 0n, claimableUntil: snapshot + claimWindow }];
          }),
          claimable: claimable?.[0] ?? 0n,
          claimToId: claimable?.[1] ?? 0n,
          nextClaim: a.next?.() ?? 0n,
        };
      }),
    };
  }

  return { account, crowdfunds, revenue, feeBps: feeBps() ?? 0n, ethBalance };
}

/** What an ERC-20 address is, for a form that names one: symbol, decimals, the owner's balance and allowance. */
export interface Erc20Facts {
  asset: AssetInfo;
  balance: bigint | null;
  allowance: bigint | null;
}

/** Reads an ERC-20 in one multicall; null when the address does not answer as an ERC-20. */
export async function readErc20(client: FundingClient, address: Address, owner: Address | null, spender: Address | null): Promise<Erc20Facts | null> {
  const plan = new CallPlan();
  const meta = erc20Reads(plan, address);
  const balance = owner ? plan.add({ address, abi: erc20Abi, functionName: "balanceOf", args: [owner] }) : null;
  const allowance = owner && spender ? plan.add({ address, abi: erc20Abi, functionName: "allowance", args: [owner, spender] }) : null;
  await plan.run(client);
  if (meta.decimals() === undefined || meta.symbol() === undefined) return null;
  return { asset: assetFrom(address, meta), balance: balance?.() ?? null, allowance: allowance?.() ?? null };
}
