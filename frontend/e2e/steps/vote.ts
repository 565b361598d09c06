/**
 * Browser steps for governance: make a proposal from a template, vote, let chain time pass (read
 * from the UI's countdowns, then `coterie.advanceTime`), queue and execute, and the platform DAO's
 * verification of a community. Each step leaves a screenshot named `vote-<step>`.
 *
 * `as` is a dev-account index (#0 deployer holds the platform token, #1 the demo creator, #2-#4 fans).
 * A step connects that account when another (or none) is connected.
 */
import { decodeFunctionResult, encodeFunctionData, getAddress } from "viem";
import { communityFactoryAbi } from "../../src/generated/abis.ts";
import { connectDevAccount, waitForTx, type BrowserSession, type Coterie } from "../harness.ts";

export interface StepContext {
  coterie: Coterie;
  session: BrowserSession;
}

export type SupportName = "for" | "against" | "abstain";
export type StateName = "Pending" | "Active" | "Canceled" | "Defeated" | "Succeeded" | "Queued" | "Expired" | "Executed";

const TIMEOUT = 30_000;
/** useChainNow polls the latest block every 5 s; a time jump shows within that plus a refetch. */
const CHAIN_TIME_TIMEOUT = 20_000;

/** Opens `path` unless it is already shown. */
async function open({ coterie, session }: StepContext, path: string, options: { reload?: boolean } = {}): Promise<void> {
  const { page } = session;
  const current = new URL(page.url() === "about:blank" ? coterie.appUrl : page.url(), coterie.appUrl);
  if (options.reload || current.pathname + current.search !== path) await page.goto(`${coterie.appUrl}${path}`);
}

/** Makes dev account #`index` the connected one (the dev connector reconnects the last one after a load). */
export async function actAs({ coterie, session }: StepContext, index: number): Promise<string> {
  const { page } = session;
  const want = getAddress(coterie.accounts[index]);
  const shown = page.getByTestId("wallet-address");
  try {
    await shown.waitFor({ timeout: 3_000 });
  } catch {
    // not connected (yet): connect below
  }
  const current = (await shown.isVisible()) ? await shown.getAttribute("data-address") : null;
  if (current === null || getAddress(current) !== want) await connectDevAccount(page, coterie, index);
  return want;
}

const proposalPath = (token: string, id: bigint | number) => `/c/${getAddress(token)}/proposals/${id}`;

/** The state badge of the open proposal page. */
export async function shownState(session: BrowserSession): Promise<string> {
  return (await session.page.getByTestId("proposal-state").innerText()).trim();
}

/** Waits until the proposal page's badge shows `state` (without reloading: the page re-reads on its own). */
export async function waitForState(session: BrowserSession, state: StateName, timeout = CHAIN_TIME_TIMEOUT): Promise<void> {
  await session.page.locator(`[data-testid="proposal-state"]`, { hasText: new RegExp(`^${state}$`) }).waitFor({ timeout });
}

/** Opens a proposal's page and waits for it to load. */
export async function openProposal(ctx: StepContext, { token, proposalId, as, reload }: { token: string; proposalId: bigint; as?: number; reload?: boolean }): Promise<void> {
  await open(ctx, proposalPath(token, proposalId), { reload });
  if (as !== undefined) await actAs(ctx, as);
  await ctx.session.page.getByTestId("proposal-page").waitFor({ timeout: TIMEOUT });
  await ctx.session.page.getByTestId("proposal-state").waitFor({ timeout: TIMEOUT });
}

/** What the proposal page shows: state, title, the decoded action sentences, the description. */
export async function readProposal(ctx: StepContext, { token, proposalId }: { token: string; proposalId: bigint }) {
  await openProposal(ctx, { token, proposalId });
  const { page } = ctx.session;
  await page.getByTestId("proposal-actions").or(page.getByText("This proposal has no actions.")).first().waitFor({ timeout: TIMEOUT });
  const actions = await page.locator('[data-testid$="-summary"][data-testid^="action-"]').allInnerTexts();
  const description = (await page.getByTestId("proposal-description").isVisible()) ? await page.getByTestId("proposal-description").innerText() : "";
  return {
    state: await shownState(ctx.session),
    title: (await page.getByTestId("proposal-title").innerText()).trim(),
    actions: actions.map((a) => a.trim()),
    description,
  };
}

/**
 * Fills template `template` on `/c/<token>/propose` as account `as`, checks the preview, submits, and
 * returns the new proposal's id (the page moves to it). `fields` are the template's field names
 * (recipient, amount, budget, percent, target, community, fee); `title`/`description` override the
 * generated text.
 */
export async function createProposal(
  ctx: StepContext,
  { token, template, fields, as, title, description, query = "" }: {
    token: string;
    template: string;
    fields: Record<string, string>;
    as: number;
    title?: string;
    description?: string;
    query?: string;
  },
): Promise<bigint> {
  const { session } = ctx;
  const { page } = session;
  await open(ctx, `/c/${getAddress(token)}/propose?template=${template}${query}`);
  await actAs(ctx, as);
  await page.getByTestId("propose-form").waitFor({ timeout: TIMEOUT });
  for (const [name, value] of Object.entries(fields)) {
    if (name === "community") {
      await page.getByTestId("propose-community").waitFor({ timeout: TIMEOUT });
      await page.getByTestId("propose-community").selectOption(value);
    } else {
      await page.getByTestId(`propose-${name}`).fill(value);
    }
  }
  if (title !== undefined) await page.getByTestId("propose-title").fill(title);
  if (description !== undefined) await page.getByTestId("propose-body").fill(description);
  await page.getByTestId("preview-actions").waitFor({ timeout: TIMEOUT });
  await session.screenshot(`vote-propose-${template}`);

  await page.getByTestId("propose-submit").click();
  // Success moves to the proposal's page; a failure stays with its reason in the status.
  const deadline = Date.now() + 60_000;
  for (;;) {
    const match = /\/proposals\/(\d+)$/.exec(new URL(page.url()).pathname);
    if (match) {
      await page.getByTestId("proposal-state").waitFor({ timeout: TIMEOUT });
      await session.screenshot(`vote-created-${match[1]}`);
      return BigInt(match[1]);
    }
    const status = page.getByTestId("propose-tx");
    if ((await status.count()) > 0 && (await status.getAttribute("data-status")) === "error") {
      throw new Error(`proposing failed in the UI: ${await status.innerText()}`);
    }
    if (Date.now() > deadline) throw new Error("the propose page did not move to the new proposal within 60 s");
    await page.waitForTimeout(100);
  }
}

/** Moves chain time past the open proposal's next milestone (voting start, voting end or ETA), read from its countdown. */
async function passMilestone(ctx: StepContext, testId: string): Promise<number> {
  const { page } = ctx.session;
  const milestone = page.getByTestId(testId);
  await milestone.waitFor({ timeout: TIMEOUT });
  const left = Number(await milestone.getAttribute("data-seconds-left"));
  // One second more than the countdown: the next block is strictly after the timepoint.
  await ctx.coterie.advanceTime(left + 1);
  return left + 1;
}

/** Pending → Active: advances chain time past the voting delay shown by the page. */
export async function startVoting(ctx: StepContext, { token, proposalId }: { token: string; proposalId: bigint }): Promise<void> {
  await openProposal(ctx, { token, proposalId });
  await waitForState(ctx.session, "Pending", TIMEOUT);
  await passMilestone(ctx, "proposal-milestone");
  await waitForState(ctx.session, "Active");
  await ctx.session.screenshot(`vote-active-${proposalId}`);
}

/** Active → decided: advances chain time past the voting deadline; returns the resulting state. */
export async function endVoting(ctx: StepContext, { token, proposalId }: { token: string; proposalId: bigint }): Promise<string> {
  await openProposal(ctx, { token, proposalId });
  await waitForState(ctx.session, "Active", TIMEOUT);
  await passMilestone(ctx, "proposal-milestone");
  const { page } = ctx.session;
  await page.locator(`[data-testid="proposal-state"]`, { hasText: /^(Succeeded|Defeated)$/ }).waitFor({ timeout: CHAIN_TIME_TIMEOUT });
  const state = await shownState(ctx.session);
  await ctx.session.screenshot(`vote-${state.toLowerCase()}-${proposalId}`);
  return state;
}

/** Casts a vote (with an optional reason) as account `as` on an Active proposal; waits for the receipt and the page to show it. */
export async function castVote(
  ctx: StepContext,
  { token, proposalId, support, reason, as }: { token: string; proposalId: bigint; support: SupportName; reason?: string; as: number },
): Promise<void> {
  const { session } = ctx;
  const { page } = session;
  await openProposal(ctx, { token, proposalId, as });
  await waitForState(session, "Active", TIMEOUT);
  // The form of this account (after a switch, the page re-reads the proposal for it).
  const voter = getAddress(ctx.coterie.accounts[as]);
  await page.locator(`[data-testid="vote-form"][data-account="${voter}"]`).waitFor({ timeout: TIMEOUT });
  await page.getByTestId(`vote-choice-${support}`).click();
  await page.getByTestId("vote-reason").fill(reason ?? "");
  await page.getByTestId("vote-submit").click();
  await waitForTx(page, "vote-tx");
  const label = support === "for" ? "For" : support === "against" ? "Against" : "Abstain";
  await page.locator(`[data-testid="my-vote"][data-account="${voter}"][data-support="${label}"]`).waitFor({ timeout: TIMEOUT });
  await session.screenshot(`vote-cast-${proposalId}-${support}`);
}

/**
 * Succeeded → Queued → Executed as account `as`: queues, advances chain time past the timelock ETA
 * shown by the page's countdown, and executes once the button enables.
 */
export async function queueAndExecute(ctx: StepContext, { token, proposalId, as }: { token: string; proposalId: bigint; as: number }): Promise<void> {
  const { session } = ctx;
  const { page } = session;
  await openProposal(ctx, { token, proposalId, as });
  await waitForState(session, "Succeeded", TIMEOUT);
  await page.getByTestId("proposal-queue").click();
  await waitForTx(page, "queue-tx");
  await waitForState(session, "Queued", TIMEOUT);
  await page.getByTestId("execute-countdown").waitFor({ timeout: TIMEOUT });
  await session.screenshot(`vote-queued-${proposalId}`);
  await passMilestone(ctx, "execute-countdown");
  const execute = page.locator('[data-testid="proposal-execute"]:not([disabled])');
  await execute.waitFor({ timeout: CHAIN_TIME_TIMEOUT });
  await execute.click();
  await waitForTx(page, "execute-tx");
  await waitForState(session, "Executed", TIMEOUT);
  await session.screenshot(`vote-executed-${proposalId}`);
}

/** The guardian (or the proposer while Pending) cancels; the badge turns Canceled. */
export async function cancelProposal(ctx: StepContext, { token, proposalId, as }: { token: string; proposalId: bigint; as: number }): Promise<void> {
  const { session } = ctx;
  const { page } = session;
  await openProposal(ctx, { token, proposalId, as });
  await page.getByTestId("proposal-cancel").click();
  await page.getByTestId("proposal-cancel-confirm").click();
  await waitForTx(page, "cancel-tx");
  await waitForState(session, "Canceled", TIMEOUT);
  await session.screenshot(`vote-canceled-${proposalId}`);
}

/** The registry id of the community whose token is `token` (read from the factory over JSON-RPC). */
export async function communityIdOf(coterie: Coterie, token: string): Promise<bigint> {
  const data = encodeFunctionData({ abi: communityFactoryAbi, functionName: "communityByToken", args: [getAddress(token)] });
  const result = await coterie.rpc<`0x${string}`>("eth_call", [{ to: coterie.demo.platform.factory, data }, "latest"]);
  return decodeFunctionResult({ abi: communityFactoryAbi, functionName: "communityByToken", data: result }).id;
}

/**
 * The platform DAO verifies a community: the deployer (#0, platform token holder) proposes the verify
 * template on the platform DAO, `voters` vote For, chain time passes the voting period, then it is
 * queued and executed. Returns the platform proposal's id.
 */
export async function platformVerifiesCommunity(
  ctx: StepContext,
  { communityId, token, voters = [0] }: { communityId?: bigint; token?: string; voters?: number[] },
): Promise<bigint> {
  const id = communityId ?? (token ? await communityIdOf(ctx.coterie, token) : null);
  if (id === null) throw new Error("platformVerifiesCommunity needs a communityId or a token");
  const platformToken = ctx.coterie.demo.platform.platformToken;
  const proposalId = await createProposal(ctx, { token: platformToken, template: "verify", fields: {}, query: `&community=${id}`, as: 0 });
  await startVoting(ctx, { token: platformToken, proposalId });
  for (const voter of voters) {
    await castVote(ctx, { token: platformToken, proposalId, support: "for", reason: "Known creator, checked", as: voter });
  }
  const state = await endVoting(ctx, { token: platformToken, proposalId });
  if (state !== "Succeeded") throw new Error(`the platform proposal ${proposalId} was ${state}`);
  await queueAndExecute(ctx, { token: platformToken, proposalId, as: voters[0] ?? 0 });
  return proposalId;
}
