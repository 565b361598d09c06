/**
 * Issue 11 item 17, the small UI fixes: no stale balance right after redeeming, Copy beside the value
 * rather than inside a sentence, voting power worded "N votes" everywhere, and a confirmation with
 * next steps after launching a community.
 */
import { afterEach, describe, expect, it, vi } from "vitest";
import { cleanup, render, screen } from "@testing-library/react";
import type { ReactNode } from "react";
import { parseEther, type Hex, type TransactionReceipt } from "viem";
import { Amount, TxStatus } from "../components/ui.tsx";
import { RuntimeProvider } from "../config/context.tsx";
import { parseRuntimeConfig } from "../config/runtime.ts";
import { VOTES, votesUnit } from "../lib/format.ts";
import { RedeemedView } from "./Claim.tsx";
import { LaunchedPanel } from "./community/LaunchedPanel.tsx";
import type { ClaimPayload } from "../../../shared/rewards.ts";

vi.mock("wagmi", async (original) => ({
  ...(await original<typeof import("wagmi")>()),
  useConnection: () => ({ isConnected: false, address: undefined, chainId: undefined, status: "disconnected" }),
  useChainId: () => 31337,
}));

const A = "0x5FbDB2315678afecb367f032d93F642f64180aa3";
const FAN = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8";
const runtime = parseRuntimeConfig(
  {
    chains: [
      {
        id: 31337,
        name: "Local chain",
        rpcUrl: "http://127.0.0.1:8545",
        local: true,
        contracts: { factory: A, platformToken: A, platformGovernor: A, platformTimelock: A, crowdfundFactory: A, revenueShareFactory: A },
      },
    ],
  },
  "http://127.0.0.1:5173",
);
const wrap = (node: ReactNode) => render(<RuntimeProvider runtime={runtime}>{node}</RuntimeProvider>);
const payload = { voucher: { recipient: FAN } } as unknown as ClaimPayload;
const community = { decimals: 18, symbol: "AUR", name: "Aurora", token: A } as const;

afterEach(cleanup);

describe("after redeeming (claim page)", () => {
  it("shows 'updating…' instead of the balance read before the redemption while the reads catch up", () => {
    wrap(<RedeemedView payload={payload} data={{ community: community as never, recipientBalance: 0n }} refreshing />);
    expect(screen.getByTestId("claim-new-balance-updating").textContent).toContain("updating");
    expect(screen.queryByTestId("claim-new-balance")).toBeNull();
    expect(screen.getByTestId("claim-success").textContent).not.toContain("now holds 0");
  });

  it("then shows the new balance, with the recipient's Copy button beside the address, not inside a sentence", () => {
    wrap(<RedeemedView payload={payload} data={{ community: community as never, recipientBalance: parseEther("50") }} refreshing={false} />);
    expect(screen.getByTestId("claim-new-balance").textContent).toBe("50 AUR");
    const notice = screen.getByRole("status");
    expect(notice.textContent).not.toContain("Copy");
    expect(notice.querySelector("button")).toBeNull();
  });
});

describe("a transaction's status while the page refreshes", () => {
  it("says the figures are being updated after the receipt", () => {
    const receipt = { blockNumber: 7n } as TransactionReceipt;
    const hash = `0x${"ab".repeat(32)}` as Hex;
    const { rerender } = wrap(<TxStatus state={{ status: "confirmed", hash, receipt, refreshing: true }} testId="t" />);
    expect(screen.getByTestId("t").getAttribute("data-refreshing")).toBe("true");
    expect(screen.getByTestId("t-refreshing").textContent).toContain("Updating the figures on this page");
    rerender(
      <RuntimeProvider runtime={runtime}>
        <TxStatus state={{ status: "confirmed", hash, receipt }} testId="t" />
      </RuntimeProvider>,
    );
    expect(screen.getByTestId("t").getAttribute("data-refreshing")).toBeNull();
    expect(screen.queryByTestId("t-refreshing")).toBeNull();
  });
});

describe("voting power wording", () => {
  it("is 'N votes' wherever an amount is voting power", () => {
    render(
      <>
        <Amount value={parseEther("10000")} {...votesUnit(18)} testId="a" />
        <Amount value={parseEther("1")} decimals={18} symbol={VOTES} testId="b" />
      </>,
    );
    expect(screen.getByTestId("a").textContent).toBe("10,000 votes");
    expect(screen.getByTestId("b").textContent).toBe("1 vote");
  });
});

describe("after launching a community", () => {
  it("confirms it and gives the link to share, a Copy button beside it, and the next steps", () => {
    wrap(<LaunchedPanel community={{ name: "Story Club", symbol: "STO", token: A, rewardVault: FAN }} appUrl="http://127.0.0.1:5173/" />);
    const panel = screen.getByTestId("launched-panel");
    expect(panel.textContent).toContain("Story Club is live.");
    expect(screen.getByTestId("launched-link").textContent).toBe(`http://127.0.0.1:5173/c/${A}`);
    expect(screen.getByTestId("launched-link-copy").tagName).toBe("BUTTON");
    const steps = screen.getByTestId("launched-steps").textContent ?? "";
    expect(steps).toContain("Sign claim links");
    expect(steps).toContain("Start a crowdfund or set up the revenue share");
    expect(steps).toContain("Make the first proposal");
  });
});
