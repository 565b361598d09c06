/**
 * Wallet connection with a browser wallet announced through EIP-6963 (a fake one, acting as dev
 * account #5): it is listed by name and icon without a generic entry, a rejected connection is
 * explained, connecting while it is on chain 1 shows the wrong-network banner, the switch button
 * fixes it, a transaction goes through the wallet, and disconnecting works.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connectDevAccount, openBrowser, startCoterie, type BrowserSession, type Coterie } from "./harness.ts";
import { launchCommunity } from "./steps/launch.ts";
import {
  TEST_WALLET,
  connectInjected,
  connectionRejected,
  disconnectWallet,
  injectFakeWallet,
  listedWallets,
  openApp,
  switchNetwork,
  walletIcon,
} from "./steps/wallet.ts";

describe("wallet connection", () => {
  let coterie: Coterie;
  let session: BrowserSession;
  let account: string;
  beforeAll(async () => {
    coterie = await startCoterie();
    session = await openBrowser(coterie);
    account = await injectFakeWallet({ coterie, session }, { chainId: 1 });
    await openApp({ coterie, session });
  });
  afterAll(async () => {
    await session?.close();
    await coterie?.stop();
  });
  const ctx = () => ({ coterie, session });

  it("lists the announced wallet by name and icon, and no generic browser wallet without window.ethereum", async () => {
    const names = await listedWallets(ctx());
    expect(names).toEqual([TEST_WALLET.name]);
    expect(await walletIcon(ctx(), TEST_WALLET.name)).toBe(TEST_WALLET.icon);
    expect(await session.page.getByTestId("wallet-option-injected").count()).toBe(0);
    // The local chain also offers its dev accounts.
    expect(await session.page.getByTestId("dev-account-select").count()).toBe(1);
  });

  it("explains a rejected connection", async () => {
    expect(await connectionRejected(ctx(), TEST_WALLET.name)).toBe("You rejected the request in your wallet.");
  });

  it("shows the wrong-network banner when the wallet connects on chain 1", async () => {
    const connected = await connectInjected(ctx(), TEST_WALLET.name);
    expect(connected).toBe(account);
    const banner = session.page.getByTestId("wrong-network");
    await banner.waitFor();
    expect(await banner.innerText()).toContain("Switch to Local chain");
    await session.screenshot("wallet-wrong-network");
  });

  it("switches the wallet to the app's chain with the banner's button", async () => {
    await switchNetwork(ctx());
    const asked = await session.page.evaluate(() =>
      (window as unknown as { __testWallet: { methods: string[] } }).__testWallet.methods.includes("wallet_switchEthereumChain"),
    );
    expect(asked).toBe(true);
    expect(await session.page.getByTestId("wrong-network").count()).toBe(0);
  });

  it("sends a transaction through the browser wallet (launches a community as account #5)", async () => {
    const { token } = await launchCommunity(ctx(), { name: "Wallet Fans", symbol: "WAL" });
    expect(token).toMatch(/^0x[0-9a-fA-F]{40}$/);
    const sent = await session.page.evaluate(() =>
      (window as unknown as { __testWallet: { methods: string[] } }).__testWallet.methods.includes("eth_sendTransaction"),
    );
    expect(sent).toBe(true);
    expect(await session.page.getByTestId("wallet-address").getAttribute("data-address")).toBe(account);
  });

  it("disconnects", async () => {
    await disconnectWallet(ctx());
  });

  it("a disconnected dev account stays disconnected after a reload (issue 11 item 16)", async () => {
    const { page } = session;
    await connectDevAccount(page, coterie, 2);
    await page.reload();
    // Connected dev accounts come back on reload...
    await page.locator('[data-testid="wallet-connected"][data-settled="true"]').waitFor({ timeout: 30_000 });
    await page.getByTestId("disconnect").click();
    await page.getByTestId("connect-wallet").waitFor({ timeout: 30_000 });
    await page.reload();
    // ...a disconnected one does not: once the session restore is over, nothing is connected.
    await page.locator('[data-testid="wallet-disconnected"][data-settled="true"]').waitFor({ timeout: 30_000 });
    expect(await page.getByTestId("wallet-address").count()).toBe(0);
    await session.screenshot("wallet-disconnect-sticks");
  });

  it("opens the wallet menu from the launch page's connect prompt", async () => {
    await session.page.getByTestId("nav-launch").click();
    await session.page.getByTestId("launch-connect-button").click();
    await session.page.getByTestId("wallet-menu").waitFor();
    await session.screenshot("wallet-from-launch");
  });
});
