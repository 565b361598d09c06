/**
 * End-to-end harness: starts Coterie exactly as `npm start` does (scripts/start.ts, on free loopback
 * ports and in its own deployment files), drives Debian's Chromium through playwright-core, counts
 * the JSON-RPC requests the page sends, and leaves a screenshot per step under test-results/e2e/.
 *
 * Only loopback is ever contacted. Chromium is /usr/bin/chromium (`.ci/run` installs it with apt);
 * CHROMIUM_PATH overrides it.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { chromium, type Browser, type BrowserContext, type Page } from "playwright-core";
import { inject } from "vitest";
import { freePort } from "../../scripts/lib/ports.ts";

/** What the global setup (global-setup.ts) shares with every test file: one running Coterie. */
export interface SharedCoterie {
  rpcUrl: string;
  appUrl: string;
  demo: DemoInfo;
  accounts: string[];
}

declare module "vitest" {
  export interface ProvidedContext {
    coterie: SharedCoterie | null;
  }
}

export const ROOT = join(import.meta.dirname, "..", "..");
export const RESULTS_DIR = join(ROOT, "test-results", "e2e");
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const HOST = "127.0.0.1";

/** What scripts/seed.ts wrote about the demo community (deploy/deployments/demo-*.json). */
export interface DemoInfo {
  platform: Record<string, string>;
  community: { id: number; name: string; symbol: string; token: string; governor: string; timelock: string; verified: boolean };
  liveProposalId: number;
  rewardVault: string;
  crowdfund: string;
  revenueShare?: string;
  rewards: { claimLinks: Array<{ recipient: string; amount: string; referrer: string; id: string; link: string }> };
  [key: string]: unknown;
}

export interface Coterie {
  rpcUrl: string;
  appUrl: string;
  demo: DemoInfo;
  /** The node's dev accounts, in order (#0 deployer, #1 demo creator, #2-#4 fans, ...). */
  accounts: string[];
  /** Sends a JSON-RPC request to the local node (time travel, balances...). */
  rpc<T = unknown>(method: string, params?: unknown[]): Promise<T>;
  /** Moves chain time forward and mines a block. */
  advanceTime(seconds: number): Promise<void>;
  stop(): Promise<void>;
}

function rpcClient(rpcUrl: string) {
  let id = 1;
  return async <T,>(method: string, params: unknown[] = []): Promise<T> => {
    const res = await fetch(rpcUrl, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ jsonrpc: "2.0", id: id++, method, params }),
    });
    const body = (await res.json()) as { result?: T; error?: { message: string } };
    if (body.error) throw new Error(`${method}: ${body.error.message}`);
    return body.result as T;
  };
}

/**
 * The Coterie a test file works with. Under the end-to-end config, the global setup has started one
 * for all files: each file then starts from the freshly seeded state (an `evm_snapshot` taken here
 * is reverted by `stop()`), so files stay independent without paying for a start each. Run on its
 * own (no global setup), it starts a private one.
 */
export async function startCoterie(): Promise<Coterie> {
  let shared: SharedCoterie | null = null;
  try {
    shared = inject("coterie");
  } catch {
    shared = null;
  }
  if (!shared) return launchCoterie();
  const rpc = rpcClient(shared.rpcUrl);
  const snapshot = await rpc<string>("evm_snapshot");
  return {
    ...shared,
    rpc,
    async advanceTime(seconds: number) {
      await rpc("evm_increaseTime", [seconds]);
      await rpc("evm_mine");
    },
    async stop() {
      if (!(await rpc<boolean>("evm_revert", [snapshot]))) throw new Error("could not revert the chain to the file's snapshot");
    },
  };
}

/** Starts chain + platform + demo + web app; resolves when start.ts prints that it is ready. */
export async function launchCoterie(): Promise<Coterie> {
  const rpcPort = await freePort();
  let webPort = await freePort();
  while (webPort === rpcPort) webPort = await freePort();
  let indexerPort = await freePort();
  while (indexerPort === rpcPort || indexerPort === webPort) indexerPort = await freePort();
  let serverPort = await freePort();
  while (serverPort === rpcPort || serverPort === webPort || serverPort === indexerPort) serverPort = await freePort();
  const deploymentId = `e2e-${rpcPort}`;
  const demoOut = join(ROOT, "deploy", "deployments", `e2e-${rpcPort}-demo.json`);
  const child: ChildProcess = spawn(
    join(ROOT, "node_modules", ".bin", "tsx"),
    ["scripts/start.ts", "--rpc-port", String(rpcPort), "--web-port", String(webPort), "--indexer-port", String(indexerPort), "--server-port", String(serverPort)],
    {
      cwd: ROOT,
      detached: true,
      stdio: ["ignore", "pipe", "pipe"],
      env: {
        ...process.env,
        COTERIE_DEPLOYMENT_ID: deploymentId,
        COTERIE_DEMO_OUT: demoOut,
        COTERIE_WEB_DIST: join(ROOT, "frontend", `dist-e2e-${rpcPort}`),
      },
    },
  );
  let output = "";
  await new Promise<void>((resolve, reject) => {
    const onData = (d: Buffer) => {
      output += d.toString();
      if (output.includes("Ctrl-C stops")) resolve();
    };
    child.stdout?.on("data", onData);
    child.stderr?.on("data", (d: Buffer) => (output += d.toString()));
    child.on("exit", (code) => reject(new Error(`scripts/start.ts exited (${code}) before it was ready:\n${output.slice(-4000)}`)));
  });
  const rpcUrl = `http://${HOST}:${rpcPort}`;
  const rpc = rpcClient(rpcUrl);
  const accounts = await rpc<string[]>("eth_accounts");
  return {
    rpcUrl,
    appUrl: `http://${HOST}:${webPort}`,
    demo: JSON.parse(readFileSync(demoOut, "utf8")) as DemoInfo,
    accounts,
    rpc,
    async advanceTime(seconds: number) {
      await rpc("evm_increaseTime", [seconds]);
      await rpc("evm_mine");
    },
    async stop() {
      rmSync(join(ROOT, "frontend", `dist-e2e-${rpcPort}`), { recursive: true, force: true });
      rmSync(join(ROOT, "deploy", "deployments", deploymentId), { recursive: true, force: true });
      rmSync(demoOut, { force: true });
      if (child.pid !== undefined && child.exitCode === null) {
        const exited = new Promise((r) => child.once("exit", r));
        try {
          process.kill(-child.pid, "SIGINT");
        } catch {
          child.kill("SIGINT");
        }
        await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))]);
      }
    },
  };
}

export interface BrowserSession {
  browser: Browser;
  context: BrowserContext;
  page: Page;
  /** JSON-RPC calls (a batch counts each call) the page sent to the node since the last reset. */
  rpcCalls: Array<{ method: string }>;
  resetRpcCount(): void;
  /** Saves test-results/e2e/<NN>-<name>.png (numbered in the order taken). */
  screenshot(name: string): Promise<string>;
  close(): Promise<void>;
}

let shotCounter = 0;

export async function openBrowser(coterie: Coterie, options: { width?: number; height?: number } = {}): Promise<BrowserSession> {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(`Chromium not found at ${CHROMIUM_PATH}: install it (apt-get install -y chromium) or set CHROMIUM_PATH`);
  }
  mkdirSync(RESULTS_DIR, { recursive: true });
  const browser = await chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--no-first-run",
    ],
  });
  const context = await browser.newContext({
    viewport: { width: options.width ?? 1280, height: options.height ?? 900 },
    permissions: ["clipboard-read", "clipboard-write"],
  });
  const page = await context.newPage();
  const rpcCalls: Array<{ method: string }> = [];
  page.on("request", (request) => {
    if (!request.url().startsWith(coterie.rpcUrl) || request.method() !== "POST") return;
    try {
      const body = JSON.parse(request.postData() ?? "null") as { method: string } | Array<{ method: string }>;
      for (const call of Array.isArray(body) ? body : [body]) rpcCalls.push({ method: call.method });
    } catch {
      rpcCalls.push({ method: "(unparsable)" });
    }
  });
  page.on("pageerror", (error) => console.error(`[page error] ${error.message}`));
  return {
    browser,
    context,
    page,
    rpcCalls,
    resetRpcCount: () => void rpcCalls.splice(0),
    async screenshot(name: string) {
      shotCounter += 1;
      const file = join(RESULTS_DIR, `${String(shotCounter).padStart(2, "0")}-${name}.png`);
      await page.screenshot({ path: file, fullPage: true });
      return file;
    },
    close: () => browser.close(),
  };
}

/**
 * Leaves the wallet disconnected. After a navigation wagmi first reconnects the previous session,
 * so the wallet bar is read only once it has settled (data-settled): before that it may show
 * "Connect wallet" and turn into a connected account a moment later.
 */
export async function disconnectWallet(page: Page): Promise<void> {
  const settled = page.locator('[data-testid="wallet-connected"][data-settled="true"], [data-testid="wallet-disconnected"][data-settled="true"]');
  await settled.first().waitFor({ timeout: 30_000 });
  if (await page.getByTestId("wallet-connected").isVisible()) await page.getByTestId("disconnect").click();
  await page.locator('[data-testid="wallet-disconnected"][data-settled="true"]').waitFor({ timeout: 30_000 });
}

/** Connects dev account #`index` through the wallet menu (the local chain's dev-account connector). */
export async function connectDevAccount(page: Page, coterie: Coterie, index: number): Promise<string> {
  const address = coterie.accounts[index];
  await disconnectWallet(page);
  await page.getByTestId("connect-wallet").click();
  await page.getByTestId("dev-account-select").selectOption({ index });
  await page.getByTestId("connect-dev").click();
  await page.getByTestId("wallet-address").waitFor();
  const shown = await page.getByTestId("wallet-address").getAttribute("data-address");
  if (shown?.toLowerCase() !== address.toLowerCase()) throw new Error(`connected ${shown}, expected dev account #${index} ${address}`);
  return address;
}

/** Waits for the transaction status in `scope` to reach confirmed; throws with the shown error otherwise. */
export async function waitForTx(page: Page, testId = "tx-status", timeout = 60_000): Promise<void> {
  const status = page.getByTestId(testId).last();
  await status.waitFor({ timeout });
  const deadline = Date.now() + timeout;
  for (;;) {
    const s = await status.getAttribute("data-status");
    // Confirmed, and the page's reads have caught up with the receipt's block (no stale figures).
    if (s === "confirmed" && (await status.getAttribute("data-refreshing")) === null) return;
    if (s === "error") throw new Error(`transaction failed in the UI: ${await status.innerText()}`);
    if (Date.now() > deadline) throw new Error(`transaction still ${s} after ${timeout} ms`);
    await page.waitForTimeout(100);
  }
}

/**
 * Waits until the indexer named in the app's /coterie.json has indexed the chain's current head
 * (Ponder's /status), so a page that lists from the indexer shows what a test just wrote straight to
 * the chain. A no-op when the app names no indexer. Fails with the last status after `timeout` ms.
 */
export async function waitForIndexer(coterie: Coterie, timeout = 120_000): Promise<void> {
  const config = (await (await fetch(`${coterie.appUrl}/coterie.json`)).json()) as { chains: Array<{ indexerUrl?: string }> };
  const indexerUrl = config.chains[0]?.indexerUrl;
  if (!indexerUrl) return;
  const head = Number.parseInt(await coterie.rpc<string>("eth_blockNumber"), 16);
  const deadline = Date.now() + timeout;
  let last = "no answer";
  for (;;) {
    try {
      const response = await fetch(`${indexerUrl}/status`);
      const status = (await response.json()) as Record<string, { block: { number: number } | null; ready: boolean }> | null;
      const chain = status === null ? undefined : Object.values(status)[0];
      last = JSON.stringify(chain ?? null);
      if (chain?.ready === true && chain.block !== null && chain.block.number >= head) return;
    } catch (error) {
      last = (error as Error).message; // restarting after a rewind of the chain, or not listening yet
    }
    if (Date.now() > deadline) throw new Error(`the indexer at ${indexerUrl} did not reach block ${head} in ${timeout} ms (last status: ${last})`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
