/**
 * Browser steps for wallet connection: a fake EIP-1193 wallet that announces itself through EIP-6963
 * (the way browser extensions do), connecting it from the wallet menu, a rejected connection, the
 * wrong-network banner and its switch button, and disconnecting. Each step leaves a screenshot named
 * `wallet-<step>`.
 *
 * The fake wallet acts as one dev account of the local node: it answers the account and chain
 * methods itself and forwards everything else (calls, transactions, signatures) to the node, which
 * holds the dev accounts' keys.
 */
import { expect } from "vitest";
import { getAddress, type Address } from "viem";
import type { BrowserSession, Coterie } from "../harness.ts";

export interface StepContext {
  coterie: Coterie;
  session: BrowserSession;
}

const TIMEOUT = 30_000;

const ICON_SVG =
  "<svg xmlns='http://www.w3.org/2000/svg' width='32' height='32' viewBox='0 0 32 32'>" +
  "<rect width='32' height='32' rx='8' fill='#0f8a5f'/><path d='M9 16.5l4.5 4.5L23 11.5' stroke='#fff' stroke-width='3' fill='none' stroke-linecap='round'/></svg>";

/** What the fake wallet announces (EIP-6963 `EIP6963ProviderInfo`). */
export const TEST_WALLET = {
  name: "Test Wallet",
  rdns: "org.coterie.testwallet",
  uuid: "6c1e2f1a-5d2b-4b8e-9a57-0c3f2e1d7b41",
  icon: `data:image/svg+xml;base64,${Buffer.from(ICON_SVG).toString("base64")}`,
};

interface FakeWalletOptions {
  rpcUrl: string;
  account: string;
  chainId: number;
  info: typeof TEST_WALLET;
}

/**
 * Runs in the page before the app: installs the wallet and answers `eip6963:requestProvider`.
 * It does not set `window.ethereum`, so the app's generic "browser wallet" entry must stay hidden.
 *
 * Plain JavaScript in a string, not a function handed to Playwright: a function's source would be
 * whatever the test runner's transpiler made of it (tsx adds `__name(...)` helpers that do not exist
 * in the page).
 */
const FAKE_WALLET_SCRIPT = String.raw`(function (options) {
  var listeners = {};
  function emit(event, payload) {
    (listeners[event] || []).slice().forEach(function (l) { l(payload); });
  }
  var chainId = options.chainId;
  var authorized = false;
  var control = { rejectNext: false, methods: [] };
  window.__testWallet = control;
  function rpcError(code, message, data) {
    var e = new Error(message);
    e.code = code;
    e.data = data;
    return e;
  }
  function hexChain() { return "0x" + chainId.toString(16); }
  var nextId = 1;
  function forward(method, params) {
    return fetch(options.rpcUrl, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ jsonrpc: "2.0", id: nextId++, method: method, params: params || [] }),
    })
      .then(function (r) { return r.json(); })
      .then(function (body) {
        if (body.error) throw rpcError(body.error.code, body.error.message, body.error.data);
        return body.result;
      });
  }
  function approve() {
    if (control.rejectNext) {
      control.rejectNext = false;
      throw rpcError(4001, "User rejected the request.");
    }
    authorized = true;
  }
  var provider = {
    request: function (args) {
      var method = args.method;
      var params = args.params;
      control.methods.push(method);
      try {
        switch (method) {
          case "eth_chainId": return Promise.resolve(hexChain());
          case "net_version": return Promise.resolve(String(chainId));
          case "eth_accounts": return Promise.resolve(authorized ? [options.account] : []);
          case "eth_requestAccounts": approve(); return Promise.resolve([options.account]);
          case "wallet_requestPermissions":
            approve();
            return Promise.resolve([{ parentCapability: "eth_accounts", caveats: [{ type: "restrictReturnedAccounts", value: [options.account] }] }]);
          case "wallet_revokePermissions": authorized = false; return Promise.resolve(null);
          case "wallet_switchEthereumChain": {
            var wanted = parseInt(params[0].chainId, 16);
            if (wanted !== chainId) {
              chainId = wanted;
              emit("chainChanged", hexChain());
            }
            return Promise.resolve(null);
          }
          default: return forward(method, params);
        }
      } catch (error) {
        return Promise.reject(error);
      }
    },
    on: function (event, listener) {
      (listeners[event] = listeners[event] || []).push(listener);
      return provider;
    },
    removeListener: function (event, listener) {
      listeners[event] = (listeners[event] || []).filter(function (l) { return l !== listener; });
      return provider;
    },
  };
  function announce() {
    window.dispatchEvent(new CustomEvent("eip6963:announceProvider", { detail: Object.freeze({ info: options.info, provider: provider }) }));
  }
  window.addEventListener("eip6963:requestProvider", announce);
  announce();
})`;

/**
 * Installs the fake wallet in every page the session loads from now on, on chain `chainId`, acting as
 * dev account `accountIndex` (default #5, the spare). Returns that account.
 */
export async function injectFakeWallet(ctx: StepContext, { chainId, accountIndex = 5 }: { chainId: number; accountIndex?: number }): Promise<Address> {
  const account = getAddress(ctx.coterie.accounts[accountIndex]);
  const options: FakeWalletOptions = { rpcUrl: ctx.coterie.rpcUrl, account, chainId, info: TEST_WALLET };
  await ctx.session.page.addInitScript({ content: `${FAKE_WALLET_SCRIPT}(${JSON.stringify(options)});` });
  return account;
}

/** Loads the app at `path` and waits for its shell. */
export async function openApp(ctx: StepContext, path = "/"): Promise<void> {
  await ctx.session.page.goto(`${ctx.coterie.appUrl}${path}`);
  await ctx.session.page.getByTestId("chain-name").waitFor({ timeout: TIMEOUT });
}

/** Opens the wallet menu (if it is not open) and returns the browser wallets it lists, by name. */
export async function listedWallets(ctx: StepContext): Promise<string[]> {
  const { page } = ctx.session;
  const menu = page.getByTestId("wallet-menu");
  if (!(await menu.isVisible())) await page.getByTestId("connect-wallet").click();
  await menu.waitFor({ timeout: TIMEOUT });
  await page.locator(".wallet-option").first().waitFor({ timeout: TIMEOUT });
  const names = await page.locator(".wallet-option .wallet-option-name").allInnerTexts();
  await ctx.session.screenshot("wallet-menu");
  return names;
}

/** The menu entry of the wallet called `name`. */
function walletOption(session: BrowserSession, name: string) {
  return session.page.locator(".wallet-option").filter({ has: session.page.locator(".wallet-option-name", { hasText: name }) });
}

/** The icon the menu shows for the wallet called `name` (its `src`). */
export async function walletIcon(ctx: StepContext, name: string): Promise<string | null> {
  return walletOption(ctx.session, name).locator("img").getAttribute("src");
}

/** The fake wallet refuses the next connection request; the menu explains it and stays open. */
export async function connectionRejected(ctx: StepContext, name: string): Promise<string> {
  const { page } = ctx.session;
  await listedWallets(ctx);
  await page.evaluate(() => {
    (window as unknown as { __testWallet: { rejectNext: boolean } }).__testWallet.rejectNext = true;
  });
  await walletOption(ctx.session, name).click();
  const error = page.getByTestId("connect-error");
  await error.waitFor({ timeout: TIMEOUT });
  expect(await page.getByTestId("wallet-address").count()).toBe(0);
  await ctx.session.screenshot("wallet-rejected");
  return error.innerText();
}

/** Connects the browser wallet called `name` from the wallet menu; returns the connected address. */
export async function connectInjected(ctx: StepContext, name: string): Promise<Address> {
  const { page } = ctx.session;
  await listedWallets(ctx);
  await walletOption(ctx.session, name).click();
  const shown = page.getByTestId("wallet-address");
  await shown.waitFor({ timeout: TIMEOUT });
  await expect.poll(() => page.getByTestId("wallet-name").innerText()).toBe(name);
  await ctx.session.screenshot("wallet-connected");
  return getAddress((await shown.getAttribute("data-address")) ?? "");
}

/** Clicks the wrong-network banner's switch button and waits for the banner to go. */
export async function switchNetwork(ctx: StepContext): Promise<void> {
  const { page } = ctx.session;
  const banner = page.getByTestId("wrong-network");
  await banner.waitFor({ timeout: TIMEOUT });
  await page.getByTestId("switch-network").click();
  await banner.waitFor({ state: "detached", timeout: TIMEOUT });
  await ctx.session.screenshot("wallet-switched");
}

/** Disconnects and waits for the connect button to come back. */
export async function disconnectWallet(ctx: StepContext): Promise<void> {
  const { page } = ctx.session;
  await page.getByTestId("disconnect").click();
  await page.getByTestId("connect-wallet").waitFor({ timeout: TIMEOUT });
  expect(await page.getByTestId("wallet-address").count()).toBe(0);
  await ctx.session.screenshot("wallet-disconnected");
}
