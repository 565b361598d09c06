/**
 * The revenue-sharing part of the funding CLI's core (scripts/funding.ts is the thin wrapper that
 * reads argv and connects): create a community's RevenueShare through the RevenueShareFactory and
 * print the DAO proposal that approves it (`grantRole(REVENUE_ROLE, revenueShare)` on the token),
 * deposit ETH or an ERC-20, show the deposits and what an account can claim, claim, and sweep a
 * deposit whose claim window closed to the treasury. Every function takes an ethers provider and,
 * where it sends, an ethers signer, so the tests run it against the in-process chain. Expected
 * failures throw {@link FundingError} with a message meant for a person; transactions are simulated
 * first and a revert is reported by its custom error's name and arguments.
 *
 * The revenue share of a token is the one `RevenueShareFactory.revenueShareOf(token)` names (the
 * factory fixes it by the token), so a community is named by its token everywhere here.
 * Units: amounts are decimal amounts of the deposited asset (ETH, or the ERC-20's whole units).
 */
import { getAddress, id, Interface, ZeroAddress, type Provider, type Signer } from "ethers";
import {
  ICommunityFactory__factory,
  RevenueShare__factory,
  RevenueShareFactory__factory,
  SocialToken__factory,
} from "../../typechain-types/index.ts";
import type { RevenueShare, RevenueShareFactory, SocialToken } from "../../typechain-types/index.ts";
import { addressFlag, chainNow, readAsset, type Asset } from "./chain.ts";
import { CliError, FundingError } from "./errors.ts";
import { amountText, formatRelative, formatTime, parseAmount } from "./format.ts";
import { grantRoleProposal, type ApprovalProposal } from "./proposals.ts";
import { callWithAllowance, decodeRevert, ERC20_ERRORS, send, simulate, type RevertExplainer } from "./transactions.ts";
import { CLAIM_MAX_DEPOSITS, MAX_DEPOSIT } from "../../shared/funding.ts";

export const REVENUE_ROLE = id("REVENUE_ROLE");
/** Deposits one claim (and the status's `claimable`) covers when `--max` is not given. */
export const DEFAULT_MAX_DEPOSITS = Number(CLAIM_MAX_DEPOSITS);
/** The most `--max` accepts: a claim costs about 10,000 gas per deposit it covers. */
export const MAX_MAX_DEPOSITS = 1_000;
/** Deposits `revenue` lists (the most recent ones). */
export const DEPOSITS_SHOWN = 50;
/** `RevenueShare.CLAIM_WINDOW`, used before the revenue share exists. */
export const CLAIM_WINDOW = 365n * 86_400n;

/** One line on the cost of turning revenue sharing on, for `revenue-setup` and the proposal. */
export function tradeOffText(symbol: string): string {
  return (
    `once granted, every ${symbol} transfer pays extra gas to record balances for revenue sharing ` +
    `(for good: recording cannot be turned off; see docs/funding.md, "The trade-off, measured")`
  );
}

// ---------------------------------------------------------------------------------------------
// Flags
// ---------------------------------------------------------------------------------------------

const DEPOSIT_AMOUNTS = { max: MAX_DEPOSIT, why: "a deposit is below 2^104 units", example: "5 or 0.5" };

/**
 * Parses a decimal amount given for `--<flag>` in `asset`'s whole units ("0.5"): positive, no more
 * decimals than the asset has, below 2^104 units (the revenue share's limit).
 */
export function parseDepositAmount(text: string, asset: Pick<Asset, "symbol" | "decimals">, flag = "amount"): bigint {
  return parseAmount(text, asset, flag, DEPOSIT_AMOUNTS);
}

/** `--max`: how many deposits a claim covers, 1 to {@link MAX_MAX_DEPOSITS}. */
export function parseMaxDeposits(value: string | number | undefined): bigint {
  if (value === undefined) return BigInt(DEFAULT_MAX_DEPOSITS);
  const t = String(value).trim();
  if (!/^\d+$/.test(t) || Number(t) < 1 || Number(t) > MAX_MAX_DEPOSITS) {
    throw new FundingError(`--max must be a whole number of deposits from 1 to ${MAX_MAX_DEPOSITS} (a claim costs about 10,000 gas per deposit), got "${value}"`);
  }
  return BigInt(t);
}

/** `--id`: a deposit id, a whole number from 0. */
export function parseDepositId(value: string | number | undefined): bigint {
  const t = String(value ?? "").trim();
  if (!/^\d+$/.test(t)) throw new FundingError(`--id must be a deposit number (0, 1, ...; see ./coterie funding revenue), got "${value ?? ""}"`);
  return BigInt(t);
}

// ---------------------------------------------------------------------------------------------
// Decoding reverts
// ---------------------------------------------------------------------------------------------

/** The interfaces whose errors a revenue call can revert with: revenue share, its factory, the community factory, the token, ERC-20. */
export function revenueInterfaces(): Interface[] {
  return [
    RevenueShare__factory.createInterface(),
    RevenueShareFactory__factory.createInterface(),
    ICommunityFactory__factory.createInterface(),
    SocialToken__factory.createInterface(),
    ERC20_ERRORS,
  ];
}

/** What a decoded error means, added after it where that helps a person. */
export function revenueHint(decoded: string, symbol = "the token"): string {
  const arg = (name: string) => decoded.match(new RegExp(`${name}=(\\w+)`))?.[1];
  if (decoded.startsWith("AccessControlUnauthorizedAccount(") && arg("neededRole")?.toLowerCase() === REVENUE_ROLE) {
    return (
      `: the revenue share does not hold REVENUE_ROLE on ${symbol}: the community's DAO has not approved it ` +
      "(./coterie funding revenue-setup prints the proposal to make)"
    );
  }
  if (decoded.startsWith("SocialTokenRevenueNotStarted(")) {
    const since = BigInt(arg("since") ?? "0");
    return since === 0n
      ? `: ${symbol} does not record balances yet: the community's DAO has not granted REVENUE_ROLE (./coterie funding revenue-setup prints the proposal to make)`
      : `: ${symbol} started recording balances at ${formatTime(since)}, in this block; deposits are possible from the next block`;
  }
  if (decoded.startsWith("RevenueShareClaimWindowOpen(")) {
    const until = BigInt(arg("claimableUntil")!);
    return `: the deposit is claimable until ${formatTime(until)}; what is left of it can be swept to the treasury after that`;
  }
  if (decoded.startsWith("RevenueShareNothingToClaim(")) return ": the account has no unclaimed deposit of this asset";
  if (decoded.startsWith("RevenueShareUnknownDeposit(")) return ": there is no deposit with this id (./coterie funding revenue lists them)";
  if (decoded.startsWith("RevenueShareAlreadySwept(")) return ": the deposit was swept already (or claimed in full)";
  if (decoded.startsWith("RevenueShareNoHolders(")) return `: nobody held ${symbol} before this block`;
  if (decoded.startsWith("RevenueShareDepositTooSmall(")) return ": the amount is below the minimum deposit the community's DAO set for this asset";
  if (decoded.startsWith("RevenueShareTransferShortfall(")) return ": the token delivered less than the amount (fee-on-transfer tokens are refused)";
  if (decoded.startsWith("RevenueShareEthTransferFailed(")) return ": the receiver refused the ETH";
  if (decoded.startsWith("RevenueShareFactoryExists(")) return ": the community's revenue share exists already";
  if (decoded.startsWith("FactoryUnknownToken(")) return ": the token is not a community of this platform";
  return "";
}

/** Decodes reverts with the revenue share's, the token's and the factories' errors. */
function explain(symbol: string): RevertExplainer {
  return { interfaces: revenueInterfaces(), hint: (decoded) => revenueHint(decoded, symbol) };
}

/**
 * Simulates a deposit (or the token's snapshot it takes). A call at the latest block runs with that
 * block's time, so right after the block that granted REVENUE_ROLE it reverts
 * SocialTokenRevenueNotStarted although the transaction, mined in a later block, would not: then the
 * call is repeated against the pending block, and the revert is reported only if that fails too.
 */
async function simulateDeposit<T>(symbol: string, call: (blockTag: "latest" | "pending") => Promise<T>): Promise<T> {
  try {
    return await simulate("deposit", () => call("latest"), explain(symbol));
  } catch (error) {
    const since = error instanceof CliError ? error.revert?.match(/^SocialTokenRevenueNotStarted\(since=(\d+)\)/)?.[1] : undefined;
    if (since === undefined || BigInt(since) === 0n) throw error;
    try {
      return await call("pending");
    } catch {
      throw error;
    }
  }
}

// ---------------------------------------------------------------------------------------------
// The revenue share of a community
// ---------------------------------------------------------------------------------------------

/** A community's revenue share (created or not yet), its token and its community. */
export interface RevenueInfo {
  provider: Provider;
  chainId: bigint;
  /** The RevenueShareFactory. */
  factory: RevenueShareFactory;
  factoryAddress: string;
  /** Where the revenue share is, or will be once created. */
  address: string;
  exists: boolean;
  revenueShare: RevenueShare;
  token: SocialToken;
  tokenAsset: Asset & { name: string };
  community: { creator: string; governor: string; timelock: string };
  /** The community Timelock: sweeps go there. */
  treasury: string;
}

/**
 * Finds the revenue share of `token` through the RevenueShareFactory at `factory` (whether or not
 * it exists yet); throws a readable error for an address that is not a contract, not a community
 * token of the platform, or not a RevenueShareFactory.
 */
export async function openRevenueShare(provider: Provider, opts: { factory: string; token: string }): Promise<RevenueInfo> {
  const { chainId } = await provider.getNetwork();
  const tokenAddress = addressFlag(opts.token, "token");
  const factoryAddress = addressFlag(opts.factory, "revenue-factory");
  if ((await provider.getCode(tokenAddress)) === "0x") throw new FundingError(`--token ${tokenAddress} is not a contract on chain ${chainId}`, "no-contract", { subject: "token" });
  const token = SocialToken__factory.connect(tokenAddress, provider);
  let tokenAsset: Asset & { name: string };
  try {
    const [name, symbol, decimals] = await Promise.all([token.name(), token.symbol(), token.decimals()]);
    tokenAsset = { address: tokenAddress, name, symbol, decimals: Number(decimals) };
  } catch {
    throw new FundingError(`--token ${tokenAddress} is not an ERC-20 community token`, "wrong-contract", { subject: "token" });
  }
  if ((await provider.getCode(factoryAddress)) === "0x") throw new FundingError(`no RevenueShareFactory at ${factoryAddress} on chain ${chainId} (no contract there)`, "no-contract", {
      subject: "revenue-factory",
    });
  const factory = RevenueShareFactory__factory.connect(factoryAddress, provider);
  let communityFactory: string;
  let predicted: string;
  try {
    [communityFactory, predicted] = await Promise.all([factory.communityFactory(), factory.revenueShareOf(tokenAddress)]);
  } catch (error) {
    // revenueShareOf asks the community factory's registry, which names an unknown token.
    const decoded = decodeRevert(error, revenueInterfaces());
    if (decoded?.startsWith("FactoryUnknownToken(")) {
      throw new FundingError(`revenueShareOf would revert: ${decoded}${revenueHint(decoded)}`, "unknown-token", { subject: "token", revert: decoded });
    }
    throw new FundingError(`${factoryAddress} is not a RevenueShareFactory`, "wrong-contract", { subject: "revenue-factory" });
  }
  const registry = ICommunityFactory__factory.connect(communityFactory, provider);
  const c = await simulate("revenueShareOf", () => registry.communityByToken(tokenAddress), explain(tokenAsset.symbol));
  const address = getAddress(predicted);
  const exists = (await provider.getCode(address)) !== "0x";
  return {
    provider,
    chainId,
    factory,
    factoryAddress,
    address,
    exists,
    revenueShare: RevenueShare__factory.connect(address, provider),
    token,
    tokenAsset,
    community: { creator: c.creator, governor: c.governor, timelock: c.timelock },
    treasury: c.timelock,
  };
}

function requireExists(info: RevenueInfo): void {
  if (!info.exists) {
    throw new FundingError(
      `${info.tokenAsset.symbol} has no revenue share yet (it would be at ${info.address}): ` +
        "./coterie funding revenue-setup creates it and prints the DAO proposal that approves it",
    );
  }
}

// ---------------------------------------------------------------------------------------------
// revenue-setup: create it, and the DAO proposal that approves it
// ---------------------------------------------------------------------------------------------

/** The DAO proposal that approves a revenue share: the token's `grantRole(REVENUE_ROLE, revenueShare)`, run by the Timelock. */
export function revenueApprovalProposal(
  revenueShare: string,
  community: { governor: string; timelock: string; token: Asset & { name?: string } },
  rpcUrl = "$RPC_URL",
): ApprovalProposal {
  const { token } = community;
  const description =
    `Approve revenue sharing for ${token.name === undefined ? token.symbol : `${token.name} (${token.symbol})`}: grant REVENUE_ROLE on ` +
    `${token.symbol} to its revenue share ${revenueShare}, so that revenue deposited there (ETH or ERC-20) is shared among ` +
    `holders pro rata to their balances before each deposit, claimable for 365 days, the rest swept to the treasury. ` +
    `Trade-off: ${tradeOffText(token.symbol)}.`;
  return grantRoleProposal(
    { governor: community.governor, timelock: community.timelock, token: token.address },
    { role: REVENUE_ROLE, grantee: revenueShare, description },
    rpcUrl,
  );
}

export interface SetupResult {
  info: RevenueInfo;
  /** The creation transaction, or null when the revenue share existed already. */
  hash: string | null;
  approved: boolean;
  recordingSince: bigint;
  proposal: ApprovalProposal;
}

/**
 * Creates the revenue share of `opts.token` with `sender` (anyone may) unless it exists, simulating
 * first, and returns the DAO proposal that approves it.
 */
export async function setupRevenueShare(
  provider: Provider,
  sender: Signer,
  opts: { factory: string; token: string; rpcUrl?: string },
): Promise<SetupResult> {
  let info = await openRevenueShare(provider, opts);
  let hash: string | null = null;
  if (!info.exists) {
    const factory = info.factory.connect(sender);
    const symbol = info.tokenAsset.symbol;
    const predicted = await simulate(
      "createRevenueShare",
      () => factory.createRevenueShare.staticCall(info.tokenAsset.address),
      explain(symbol),
    );
    const receipt = await send("createRevenueShare", () => factory.createRevenueShare(info.tokenAsset.address), explain(symbol));
    hash = receipt.hash;
    info = await openRevenueShare(provider, opts);
    if (!info.exists || getAddress(predicted) !== info.address) {
      throw new FundingError(`transaction ${receipt.hash} did not create the revenue share at ${info.address}`);
    }
  }
  const [approved, recordingSince] = await Promise.all([info.token.hasRole(REVENUE_ROLE, info.address), info.token.revenueRecordingSince()]);
  const proposal = revenueApprovalProposal(info.address, { ...info.community, token: info.tokenAsset }, opts.rpcUrl);
  return { info, hash, approved, recordingSince, proposal };
}

/** The text `revenue-setup` prints. */
export function formatSetup(r: SetupResult): string {
  const { info, proposal } = r;
  const t = info.tokenAsset;
  const lines = [
    r.hash === null
      ? `the revenue share of ${t.name} (${t.symbol}) exists already at ${info.address} (nothing sent)`
      : `created the revenue share of ${t.name} (${t.symbol}) at ${info.address}`,
  ];
  if (r.hash !== null) lines.push(`  tx              ${r.hash}`);
  lines.push(`  treasury        ${info.treasury}  (the community Timelock: what is unclaimed after 365 days is swept there)`);
  if (r.approved) {
    lines.push(
      `  approval        approved: it holds REVENUE_ROLE on ${t.symbol}, which records balances since ${formatTime(r.recordingSince)}; deposits are open`,
      "                  (./coterie funding deposit --amount <x>)",
    );
    return lines.join("\n");
  }
  lines.push(
    `  approval        awaiting DAO approval (no REVENUE_ROLE on ${t.symbol}: deposits are refused until the DAO grants it)`,
    "",
    `It takes deposits once ${t.symbol}'s DAO grants it REVENUE_ROLE. The proposal to make (governor ${proposal.governor}):`,
    `  target          ${proposal.target}  (the ${t.symbol} token; value 0; run by the Timelock ${proposal.timelock})`,
    `  calldata        ${proposal.calldata}`,
    `                  = grantRole(REVENUE_ROLE ${REVENUE_ROLE}, ${info.address})`,
    `  description     ${proposal.description}`,
    "  with Foundry's cast (a holder with at least the proposal threshold of votes proposes):",
    `  ${proposal.command}`,
    `Trade-off: ${tradeOffText(t.symbol)}.`,
  );
  return lines.join("\n");
}

// ---------------------------------------------------------------------------------------------
// deposit
// ---------------------------------------------------------------------------------------------

const ERC20 = new Interface([
  "function balanceOf(address) view returns (uint256)",
  "function allowance(address,address) view returns (uint256)",
  "function approve(address,uint256) returns (bool)",
]);

async function erc20Read(provider: Provider, asset: string, fn: "balanceOf" | "allowance", args: unknown[]): Promise<bigint> {
  return ERC20.decodeFunctionResult(fn, await provider.call({ to: asset, data: ERC20.encodeFunctionData(fn, args) }))[0] as bigint;
}

/** What the revenue share holds of `asset`. */
async function heldBy(provider: Provider, holder: string, asset: Asset): Promise<bigint> {
  return asset.address === ZeroAddress ? provider.getBalance(holder) : erc20Read(provider, asset.address, "balanceOf", [holder]);
}

export interface DepositResult {
  info: RevenueInfo;
  asset: Asset;
  depositor: string;
  amount: bigint;
  /** The deposit's id among the asset's deposits. */
  id: bigint;
  /** The token supply before the deposit's block, the deposit is shared over. */
  supply: bigint;
  /** The deposit's block time (its snapshot). */
  snapshot: bigint;
  /** The ERC-20 approval sent first, if one was needed. */
  approveHash: string | null;
  hash: string;
}

/**
 * Deposits `amount` (a decimal amount of ETH, or of the ERC-20 `asset`) from `depositor`. Checks the
 * amount and the balance, simulates (a revert is reported by name: not approved by the DAO, recording
 * not started, ...) and sends; for an ERC-20 it first approves the amount when the allowance is short,
 * only once nothing but the allowance is in the way.
 */
export async function depositRevenue(
  provider: Provider,
  depositor: Signer,
  opts: { factory: string; token: string; amount: string; asset?: string },
): Promise<DepositResult> {
  const info = await openRevenueShare(provider, opts);
  const asset = await readAsset(provider, opts.asset, "asset");
  const amount = parseDepositAmount(opts.amount, asset);
  requireExists(info);
  const from = getAddress(await depositor.getAddress());
  const symbol = info.tokenAsset.symbol;
  const money = (x: bigint) => amountText(x, asset);
  const share = info.revenueShare.connect(depositor);

  // The DAO's minimum for this asset (issue 11 item 4): refuse below it before sending anything.
  const minimum = await info.revenueShare.minimumDeposit(asset.address);
  if (amount < minimum) {
    throw new FundingError(`--amount ${money(amount)} is below the minimum deposit of ${money(minimum)} the community's DAO set for this asset`);
  }

  let approveHash: string | null = null;
  if (asset.address === ZeroAddress) {
    const balance = await provider.getBalance(from);
    if (balance < amount) throw new FundingError(`${from} has ${money(balance)}, less than the ${money(amount)} to deposit (plus gas)`);
    await simulateDeposit(symbol, (blockTag) => share.depositETH.staticCall({ value: amount, blockTag }));
  } else {
    const balance = await erc20Read(provider, asset.address, "balanceOf", [from]);
    if (balance < amount) throw new FundingError(`${from} has ${money(balance)}, less than the ${money(amount)} to deposit`);
    const allowance = await erc20Read(provider, asset.address, "allowance", [from, info.address]);
    if (allowance < amount) {
      // Simulate the approval and then the deposit as if approved (a state override of the
      // allowance): the DAO's approval, recording, and a token the revenue share refuses
      // (fee-on-transfer: the shortfall shows only after the transfer) are all reported before
      // anything is sent.
      const data = share.interface.encodeFunctionData("depositToken", [asset.address, amount]);
      await simulateDeposit(symbol, (blockTag) =>
        callWithAllowance(provider, { from, to: info.address, data }, { token: asset.address, spender: info.address, amount, symbol: asset.symbol }, blockTag),
      );
      const response = await depositor
        .sendTransaction({ to: asset.address, data: ERC20.encodeFunctionData("approve", [info.address, amount]) })
        .catch((error: unknown) => {
          const decoded = decodeRevert(error, revenueInterfaces());
          throw decoded !== null ? new FundingError(`approve reverted: ${decoded}`, "revert", { revert: decoded }) : error;
        });
      const receipt = await response.wait();
      if (receipt === null || receipt.status !== 1) throw new FundingError(`approve ${response.hash} failed`);
      approveHash = response.hash;
    }
    await simulateDeposit(symbol, (blockTag) => share.depositToken.staticCall(asset.address, amount, { blockTag }));
  }
  const receipt = await send(
    "deposit",
    () => (asset.address === ZeroAddress ? share.depositETH({ value: amount }) : share.depositToken(asset.address, amount)),
    explain(symbol),
  );
  let id: bigint | null = null;
  let supply = 0n;
  for (const log of receipt.logs) {
    if (getAddress(log.address) !== info.address) continue;
    const parsed = info.revenueShare.interface.parseLog(log);
    if (parsed?.name === "RevenueDeposited") {
      id = parsed.args.id as bigint;
      supply = parsed.args.supply as bigint;
    }
  }
  if (id === null) throw new FundingError(`transaction ${receipt.hash} emitted no RevenueDeposited event`);
  // The snapshot is this block's, or the latest one when it is less than SNAPSHOT_INTERVAL old.
  const stored = await info.revenueShare.deposit(asset.address, id, { blockTag: receipt.blockNumber });
  return { info, asset, depositor: from, amount, id, supply, snapshot: stored.snapshot, approveHash, hash: receipt.hash };
}

/** The text `deposit` prints. */
export function formatDeposit(r: DepositResult): string {
  const t = r.info.tokenAsset;
  const lines = [`deposited ${amountText(r.amount, r.asset)} into ${t.symbol}'s revenue share ${r.info.address} from ${r.depositor}, as deposit #${r.id}`];
  if (r.approveHash !== null) lines.push(`  approve         ${r.approveHash}`);
  lines.push(
    `  tx              ${r.hash}`,
    `  shared over     ${amountText(r.supply, t)} (the supply before the snapshot's block, ${formatTime(r.snapshot)}): ` +
      `${amountText((r.amount * 10n ** BigInt(t.decimals)) / (r.supply === 0n ? 1n : r.supply), r.asset)} per ${t.symbol}`,
    `  claimable until ${formatTime(r.snapshot + CLAIM_WINDOW)} (./coterie funding claim-revenue --account <holder>${r.asset.address === ZeroAddress ? "" : ` --asset ${r.asset.address}`})`,
  );
  return lines.join("\n");
}

// ---------------------------------------------------------------------------------------------
// revenue: the status
// ---------------------------------------------------------------------------------------------

export interface DepositView {
  id: bigint;
  amount: bigint;
  supply: bigint;
  snapshot: bigint;
  claimed: bigint;
  /** Claims pay until this time (inclusive); a sweep works after it. */
  claimableUntil: bigint;
}

export interface RevenueAccountStatus {
  address: string;
  /** Its token balance now. */
  balance: bigint;
  /** The first deposit of the asset it has not claimed. */
  next: bigint;
  /** What `claim-revenue --max <max>` would pay now, and the deposit id it would stop before. */
  claimable: bigint;
  toId: bigint;
  max: bigint;
}

export interface RevenueStatus {
  info: RevenueInfo;
  now: bigint;
  asset: Asset;
  approved: boolean;
  /** When the token started recording balances (0: not started). */
  recordingSince: bigint;
  window: bigint;
  /** What the revenue share holds of the asset. */
  held: bigint;
  /** The smallest deposit of the asset the DAO accepts (0: any positive amount). */
  minimum: bigint;
  count: bigint;
  /** The most recent deposits, oldest first (at most {@link DEPOSITS_SHOWN}). */
  deposits: DepositView[];
  account: RevenueAccountStatus | null;
}

/** Reads everything `revenue` shows; `account` adds its next unclaimed deposit and what it can claim. */
export async function readRevenueStatus(
  info: RevenueInfo,
  opts: { asset?: string; account?: string; max?: string | number } = {},
): Promise<RevenueStatus> {
  const asset = await readAsset(info.provider, opts.asset, "asset");
  const max = parseMaxDeposits(opts.max);
  const accountAddress = opts.account === undefined ? undefined : addressFlag(opts.account, "account");
  const [now, approved, recordingSince] = await Promise.all([
    chainNow(info.provider),
    info.token.hasRole(REVENUE_ROLE, info.address),
    info.token.revenueRecordingSince(),
  ]);
  const base: RevenueStatus = { info, now, asset, approved, recordingSince, window: CLAIM_WINDOW, held: 0n, minimum: 0n, count: 0n, deposits: [], account: null };
  if (!info.exists) {
    if (accountAddress !== undefined) {
      base.account = { address: accountAddress, balance: await info.token.balanceOf(accountAddress), next: 0n, claimable: 0n, toId: 0n, max };
    }
    return base;
  }
  const rs = info.revenueShare;
  const [window, count, held, minimum] = await Promise.all([
    rs.CLAIM_WINDOW(),
    rs.depositCount(asset.address),
    heldBy(info.provider, info.address, asset),
    rs.minimumDeposit(asset.address),
  ]);
  const first = count > BigInt(DEPOSITS_SHOWN) ? count - BigInt(DEPOSITS_SHOWN) : 0n;
  const deposits = await Promise.all(
    Array.from({ length: Number(count - first) }, async (_, i) => {
      const depositId = first + BigInt(i);
      const [d, claimed] = await Promise.all([rs.deposit(asset.address, depositId), rs.claimedOf(asset.address, depositId)]);
      return { id: depositId, amount: d.amount, supply: d.supply, snapshot: d.snapshot, claimed, claimableUntil: d.snapshot + window };
    }),
  );
  let account: RevenueAccountStatus | null = null;
  if (accountAddress !== undefined) {
    const [balance, next, c] = await Promise.all([
      info.token.balanceOf(accountAddress),
      rs.nextClaim(asset.address, accountAddress),
      rs.claimable(asset.address, accountAddress, max),
    ]);
    account = { address: accountAddress, balance, next, claimable: c.amount, toId: c.toId, max };
  }
  return { ...base, window, count, held, minimum, deposits, account };
}

function depositRange(from: bigint, to: bigint): string {
  return to - from === 1n ? `#${from}` : `#${from} to #${to - 1n}`;
}

/** The text `revenue` prints. */
export function formatRevenueStatus(s: RevenueStatus): string {
  const { info, asset } = s;
  const t = info.tokenAsset;
  const money = (x: bigint) => amountText(x, asset);
  const tok = (x: bigint) => amountText(x, t);
  const assetText = asset.address === ZeroAddress ? "ETH" : `${asset.symbol} ${asset.address}`;
  const lines = [`Revenue share of ${t.name} (${t.symbol})  ${info.address}  chain ${info.chainId}`];
  if (!info.exists) {
    lines.push(`  state           not created yet (./coterie funding revenue-setup creates it and prints the DAO proposal that approves it)`);
  }
  lines.push(`  token           ${t.address}`, `  treasury        ${info.treasury}  (the community Timelock; sweeps go there)`);
  let approval: string;
  if (s.approved) {
    approval = `approved by the DAO (holds REVENUE_ROLE on ${t.symbol}); balances recorded since ${formatTime(s.recordingSince)}`;
  } else if (s.recordingSince !== 0n) {
    approval = `not approved: it does not hold REVENUE_ROLE on ${t.symbol} (balances recorded since ${formatTime(s.recordingSince)}), so deposits are refused`;
  } else {
    approval = `awaiting DAO approval (no REVENUE_ROLE on ${t.symbol}; ./coterie funding revenue-setup prints the proposal)`;
  }
  lines.push(`  approval        ${approval}`);
  if (info.exists) {
    lines.push(`  asset           ${assetText}; the revenue share holds ${money(s.held)}`);
    lines.push(`  minimum         ${s.minimum === 0n ? "none (any positive amount; the DAO may set one)" : `${money(s.minimum)} per deposit (set by the DAO)`}`);
    if (s.count === 0n) {
      lines.push(`  deposits        none in ${asset.symbol}`);
    } else {
      const shown = BigInt(s.deposits.length);
      lines.push(`  deposits        ${s.count} in ${asset.symbol}${shown < s.count ? ` (the latest ${shown} below)` : ""}; each claimable for ${s.window / 86_400n} days, then sweepable to the treasury`);
      for (const d of s.deposits) {
        let window: string;
        if (s.now <= d.claimableUntil) {
          window = `claimable until ${formatTime(d.claimableUntil)} (${formatRelative(d.claimableUntil, s.now)}), sweepable after`;
        } else if (d.claimed >= d.amount) {
          window = `claim window closed ${formatTime(d.claimableUntil)}; nothing left (swept)`;
        } else {
          window = `claim window closed ${formatTime(d.claimableUntil)}; ${money(d.amount - d.claimed)} sweepable now (sweep --id ${d.id})`;
        }
        lines.push(
          `    #${d.id}  ${money(d.amount)} over ${tok(d.supply)}, snapshot ${formatTime(d.snapshot)}; claimed ${money(d.claimed)}; ${window}`,
        );
      }
    }
  }
  if (s.account !== null) {
    const a = s.account;
    lines.push(`Account ${a.address}`, `  balance         ${tok(a.balance)} now`);
    if (!info.exists || s.count === 0n) {
      lines.push(`  claimable       ${money(0n)} (no deposits yet)`);
    } else if (a.next >= s.count) {
      lines.push(`  next deposit    none: claimed up to #${s.count - 1n}`, `  claimable       ${money(0n)}`);
    } else {
      const unclaimed = s.count - a.next;
      const more = s.count - a.toId;
      lines.push(
        `  next deposit    #${a.next} (${unclaimed} unclaimed)`,
        `  claimable       ${money(a.claimable)} from deposits ${depositRange(a.next, a.toId)}` +
          (more > 0n ? ` (up to ${a.max} per claim; ${more} more after that: claim again)` : ""),
      );
    }
  }
  return lines.join("\n");
}

// ---------------------------------------------------------------------------------------------
// claim-revenue and sweep
// ---------------------------------------------------------------------------------------------

export interface RevenueClaimResult {
  info: RevenueInfo;
  asset: Asset;
  account: string;
  sender: string;
  paid: bigint;
  fromId: bigint;
  toId: bigint;
  /** Unclaimed deposits left after this claim (beyond --max). */
  remaining: bigint;
  hash: string;
}

/**
 * Claims `account`'s share (default: the sender's) of up to `max` of its unclaimed deposits of the
 * asset, sent by `sender` (the asset always goes to the account). Refuses, with nothing sent, when
 * there is nothing to claim.
 */
export async function claimRevenue(
  provider: Provider,
  sender: Signer,
  opts: { factory: string; token: string; account?: string; asset?: string; max?: string | number },
): Promise<RevenueClaimResult> {
  const info = await openRevenueShare(provider, opts);
  const asset = await readAsset(provider, opts.asset, "asset");
  const max = parseMaxDeposits(opts.max);
  const from = getAddress(await sender.getAddress());
  const account = opts.account === undefined ? from : addressFlag(opts.account, "account");
  requireExists(info);
  const symbol = info.tokenAsset.symbol;
  const rs = info.revenueShare;
  const [count, next, c] = await Promise.all([rs.depositCount(asset.address), rs.nextClaim(asset.address, account), rs.claimable(asset.address, account, max)]);
  if (next < count && c.amount === 0n && c.toId === count) {
    throw new FundingError(
      `${account} has nothing to claim: its ${count - next} unclaimed ${asset.symbol} deposit${count - next === 1n ? "" : "s"} ` +
        `(${depositRange(next, count)}) pay it ${amountText(0n, asset)} (it held no ${symbol} before them)`,
    );
  }
  const share = rs.connect(sender);
  await simulate("claim", () => share.claim.staticCall(asset.address, account, max), explain(symbol));
  const receipt = await send("claim", () => share.claim(asset.address, account, max), explain(symbol));
  let result: { paid: bigint; fromId: bigint; toId: bigint } | null = null;
  for (const log of receipt.logs) {
    if (getAddress(log.address) !== info.address) continue;
    const parsed = rs.interface.parseLog(log);
    if (parsed?.name === "RevenueClaimed") {
      result = { paid: parsed.args.amount as bigint, fromId: parsed.args.fromId as bigint, toId: parsed.args.toId as bigint };
    }
  }
  if (result === null) throw new FundingError(`transaction ${receipt.hash} emitted no RevenueClaimed event`);
  return { info, asset, account, sender: from, ...result, remaining: count - result.toId, hash: receipt.hash };
}

/** The text `claim-revenue` prints. */
export function formatClaim(r: RevenueClaimResult): string {
  const lines = [
    `claimed ${amountText(r.paid, r.asset)} of ${r.info.tokenAsset.symbol} revenue for ${r.account}, deposits ${depositRange(r.fromId, r.toId)}`,
    `  tx              ${r.hash}  (sent by ${r.sender})`,
  ];
  if (r.remaining > 0n) lines.push(`  remaining       ${r.remaining} unclaimed deposit${r.remaining === 1n ? "" : "s"}: run claim-revenue again`);
  return lines.join("\n");
}

export interface SweepResult {
  info: RevenueInfo;
  asset: Asset;
  id: bigint;
  amount: bigint;
  treasury: string;
  hash: string;
}

/** Sweeps what is left of deposit `id` of the asset to the treasury once its claim window closed (anyone may). */
export async function sweepDeposit(
  provider: Provider,
  sender: Signer,
  opts: { factory: string; token: string; id: string | number; asset?: string },
): Promise<SweepResult> {
  const info = await openRevenueShare(provider, opts);
  const asset = await readAsset(provider, opts.asset, "asset");
  const depositId = parseDepositId(opts.id);
  requireExists(info);
  const symbol = info.tokenAsset.symbol;
  const share = info.revenueShare.connect(sender);
  await simulate("sweep", () => share.sweep.staticCall(asset.address, depositId), explain(symbol));
  const receipt = await send("sweep", () => share.sweep(asset.address, depositId), explain(symbol));
  let amount: bigint | null = null;
  for (const log of receipt.logs) {
    if (getAddress(log.address) !== info.address) continue;
    const parsed = info.revenueShare.interface.parseLog(log);
    if (parsed?.name === "RevenueSwept") amount = parsed.args.amount as bigint;
  }
  if (amount === null) throw new FundingError(`transaction ${receipt.hash} emitted no RevenueSwept event`);
  return { info, asset, id: depositId, amount, treasury: info.treasury, hash: receipt.hash };
}

/** The text `sweep` prints. */
export function formatSweep(r: SweepResult): string {
  return [
    `swept ${amountText(r.amount, r.asset)} left of deposit #${r.id} to the treasury ${r.treasury}`,
    `  tx              ${r.hash}`,
  ].join("\n");
}
