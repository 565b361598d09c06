/**
 * Browser steps for the Coterie server's free actions (issue 14): connecting a brand-new key with
 * 0 ETH (the dev connector's test key, local chain only), "Join for free" from a friend's link,
 * "Vote for free" and "Claim for free". Chain facts are read straight from the node, not the page.
 * Each step leaves a screenshot named `server-<step>`.
 */
import { expect } from "vitest";
import { decodeFunctionResult, encodeFunctionData, getAddress, type Address, type Hex } from "viem";
import { communityGovernorAbi, rewardVaultAbi } from "../../src/generated/abis.ts";
import { connectDevAccount, disconnectWallet, waitForTx, type BrowserSession, type Coterie } from "../harness.ts";

export interface StepContext {
  coterie: Coterie;
  session: BrowserSession;
}

const TIMEOUT = 30_000;
/** localStorage key the dev connector reads its test key from (frontend/src/config/devConnector.ts). */
const DEV_KEY = "coterie.devKey";

/** The chain's server URL from the app's own /coterie.json; fails when the app names none. */
export async function serverUrlOf(coterie: Coterie): Promise<string> {
  const config = (await (await fetch(`${coterie.appUrl}/coterie.json`)).json()) as { chains: Array<{ serverUrl?: string | null }> };
  const url = config.chains[0]?.serverUrl;
  if (!url) throw new Error("the app's /coterie.json names no serverUrl: `./coterie start` must run the Coterie server");
  return url;
}

export async function ethBalance(coterie: Coterie, account: string): Promise<bigint> {
  return BigInt(await coterie.rpc<string>("eth_getBalance", [getAddress(account), "latest"]));
}

async function call<T>(coterie: Coterie, to: string, data: Hex, decode: (result: Hex) => T, from?: string): Promise<T> {
  return decode(await coterie.rpc<Hex>("eth_call", [{ to, data, ...(from ? { from } : {}) }, "latest"]));
}

async function send(coterie: Coterie, from: string, to: string, data: Hex): Promise<void> {
  const hash = await coterie.rpc<string>("eth_sendTransaction", [{ from, to, data }]);
  for (;;) {
    const receipt = await coterie.rpc<{ status: string } | null>("eth_getTransactionReceipt", [hash]);
    if (receipt) {
      expect(receipt.status).toBe("0x1");
      return;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Connects the page as the account of `key` (a fresh key with no ETH), through the dev connector's test key. */
export async function connectKey({ session }: StepContext, key: Hex, address: Address): Promise<void> {
  const { page } = session;
  await disconnectWallet(page);
  await page.evaluate(([k, v]) => localStorage.setItem(k, v), [DEV_KEY, key] as const);
  await page.getByTestId("connect-wallet").click();
  await page.getByTestId("connect-dev").click();
  await page.locator(`[data-testid="wallet-address"][data-address="${address}"]`).waitFor({ timeout: TIMEOUT });
}

/** Back to dev account #`index` (the node signs): the test key is forgotten first. */
export async function connectDev({ coterie, session }: StepContext, index: number): Promise<Address> {
  await session.page.evaluate((k) => localStorage.removeItem(k), DEV_KEY);
  return getAddress(await connectDevAccount(session.page, coterie, index));
}

/**
 * The friend's link `/c/<token>?ref=<friend>` → "Join for free" → the relayed redemption is mined
 * (and the free self-delegation, when the fan's tokens do not vote for the fan yet). Returns the
 * welcome amount the card offered.
 */
export async function joinForFree(ctx: StepContext, { friend }: { friend: Address }): Promise<bigint> {
  const { page } = ctx.session;
  await page.getByTestId("join-card").waitFor({ timeout: TIMEOUT });
  const referrer = page.getByTestId("join-referrer");
  await referrer.waitFor({ timeout: TIMEOUT });
  expect(await referrer.innerText()).toContain(`${friend.slice(0, 6)}`);
  const welcome = BigInt((await page.getByTestId("join-welcome").getAttribute("data-raw")) ?? "0");
  await ctx.session.screenshot("server-join-card");
  await page.getByTestId("join-free").click();
  await waitForTx(page, "join-tx");
  await page.getByTestId("join-done").waitFor({ timeout: TIMEOUT });
  if ((await page.getByTestId("join-delegate-tx").count()) > 0) await waitForTx(page, "join-delegate-tx");
  await page.getByTestId("join-votes-ready").waitFor({ timeout: TIMEOUT });
  await ctx.session.screenshot("server-joined");
  return welcome;
}

/** A proposal made straight on the chain by dev account #`as` (a holder over the threshold): one harmless call. Returns its id. */
export async function proposeOnChain(coterie: Coterie, { governor, as, description }: { governor: string; as: number; description: string }): Promise<bigint> {
  const proposer = coterie.accounts[as];
  const data = encodeFunctionData({ abi: communityGovernorAbi, functionName: "propose", args: [[getAddress(proposer)], [0n], ["0x"], description] });
  const id = await call(coterie, governor, data, (r) => decodeFunctionResult({ abi: communityGovernorAbi, functionName: "propose", data: r }), proposer);
  await send(coterie, proposer, governor, data);
  return id;
}

/** Moves chain time past the proposal's snapshot so it is Active. */
export async function openVoting(coterie: Coterie, { governor, proposalId }: { governor: string; proposalId: bigint }): Promise<void> {
  const snapshot = await call(
    coterie,
    governor,
    encodeFunctionData({ abi: communityGovernorAbi, functionName: "proposalSnapshot", args: [proposalId] }),
    (r) => decodeFunctionResult({ abi: communityGovernorAbi, functionName: "proposalSnapshot", data: r }),
  );
  const block = await coterie.rpc<{ timestamp: string }>("eth_getBlockByNumber", ["latest", false]);
  const now = BigInt(block.timestamp);
  if (snapshot >= now) await coterie.advanceTime(Number(snapshot - now) + 1);
}

/** On the proposal's page: "Vote for free" with a reason; waits until the page shows the vote counted. */
export async function voteForFree(ctx: StepContext, { token, proposalId, voter, reason }: { token: string; proposalId: bigint; voter: Address; reason: string }): Promise<void> {
  const { page } = ctx.session;
  await page.goto(`${ctx.coterie.appUrl}/c/${getAddress(token)}/proposals/${proposalId}`);
  await page.locator(`[data-testid="wallet-address"][data-address="${voter}"]`).waitFor({ timeout: TIMEOUT });
  await page.locator(`[data-testid="vote-form"][data-account="${voter}"]`).waitFor({ timeout: TIMEOUT });
  await page.getByTestId("vote-choice-for").click();
  await page.getByTestId("vote-reason").fill(reason);
  await page.getByTestId("vote-free").click();
  await waitForTx(page, "vote-free-tx");
  await page.locator(`[data-testid="my-vote"][data-account="${voter}"][data-support="For"]`).waitFor({ timeout: TIMEOUT });
  await ctx.session.screenshot("server-voted");
}

export async function hasVoted(coterie: Coterie, governor: string, proposalId: bigint, voter: Address): Promise<boolean> {
  return call(
    coterie,
    governor,
    encodeFunctionData({ abi: communityGovernorAbi, functionName: "hasVoted", args: [proposalId, voter] }),
    (r) => decodeFunctionResult({ abi: communityGovernorAbi, functionName: "hasVoted", data: r }),
  );
}

/** The referrer's unclaimed bonus, read from the vault. */
export async function unclaimedBonus(coterie: Coterie, vault: string, referrer: Address): Promise<bigint> {
  const stats = await call(
    coterie,
    vault,
    encodeFunctionData({ abi: rewardVaultAbi, functionName: "referralStats", args: [referrer] }),
    (r) => decodeFunctionResult({ abi: rewardVaultAbi, functionName: "referralStats", data: r }),
  );
  return stats.unclaimed;
}

/** The Earn tab's "Claim for free" for the referral bonus; waits until mined and the page refreshed. */
export async function claimReferralForFree(ctx: StepContext, token: string): Promise<void> {
  const { page } = ctx.session;
  await page.goto(`${ctx.coterie.appUrl}/c/${getAddress(token)}/earn`);
  await page.getByTestId("referral-claim-free").waitFor({ timeout: TIMEOUT });
  await ctx.session.screenshot("server-referral-before");
  await page.getByTestId("referral-claim-free").click();
  await waitForTx(page, "referral-free-tx");
  await page.locator(`[data-testid="referral-unclaimed"][data-raw="0"]`).waitFor({ timeout: TIMEOUT });
  await ctx.session.screenshot("server-referral-claimed");
}

/**
 * The creator console's "Free joins & sponsored actions" panel as the operator (dev account
 * #`operator`): enables joins if they are off (saved with a sign-in) and, when the vault's attester
 * is not the server's, lets the server sign welcome vouchers (setAttester from the operator's wallet).
 */
export async function makeJoinReady(ctx: StepContext, { token, operator }: { token: string; operator: number }): Promise<void> {
  const { page } = ctx.session;
  await page.goto(`${ctx.coterie.appUrl}/c/${getAddress(token)}/creator`);
  await connectDev(ctx, operator);
  const panel = page.getByTestId("server-panel");
  await panel.waitFor({ timeout: TIMEOUT });
  await page.locator(`[data-testid="server-settings"][data-loaded="true"]`).waitFor({ timeout: TIMEOUT });
  if (!(await page.getByTestId("server-join-enabled").isChecked())) {
    await page.getByTestId("server-join-enabled").check();
    await page.getByTestId("server-settings-save").click();
    await waitForTx(page, "server-settings-tx");
  }
  if ((await page.getByTestId("server-set-attester").count()) > 0) {
    await page.getByTestId("server-set-attester").click();
    await waitForTx(page, "server-attester-tx");
  }
  await page.getByTestId("server-join-ready").waitFor({ timeout: TIMEOUT });
  await ctx.session.screenshot("server-console-ready");
}
