/**
 * The claim page's details (ClaimDetails) as a fan sees them: the community's verification mark
 * (issue 11 item 17) and what the budget verdicts offer (issue 11 item 12: a link the budget cannot
 * pay is never offered for redemption). Rendered with a wagmi config that never reaches a node.
 */
import { afterEach, describe, expect, it } from "vitest";
import { cleanup, render, screen } from "@testing-library/react";
import type { ReactNode } from "react";
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { createConfig, http, WagmiProvider } from "wagmi";
import { defineChain, getAddress, zeroAddress } from "viem";
import type { ClaimPayload } from "../../../shared/rewards.ts";
import { RuntimeProvider } from "../config/context.tsx";
import type { RuntimeConfig } from "../config/runtime.ts";
import type { ClaimReads } from "../hooks/useClaimLink.ts";
import { claimVerdict, type ClaimBudget, type ClaimFacts } from "../lib/rewards.ts";
import { ClaimDetails } from "./Claim.tsx";

const RPC = "http://127.0.0.1:9/rpc";
const VAULT = getAddress("0x5fbdb2315678afecb367f032d93f642f64180aa3");
const TOKEN = getAddress("0xe7f1725e7734ce288f8367e1bb143e90bb3f0512");
const FAN = getAddress("0x90f79bf6eb2c4f870365e785982e1f101e93b906");
const ATTESTER = getAddress("0x70997970c51812dc3a010c7d01b50e0d17dc79c8");
const E18 = 10n ** 18n;

const chain = defineChain({ id: 31337, name: "Local chain", nativeCurrency: { name: "Ether", symbol: "ETH", decimals: 18 }, rpcUrls: { default: { http: [RPC] } } });
const runtime: RuntimeConfig = {
  chains: [
    {
      id: 31337,
      name: "Local chain",
      rpcUrl: RPC,
      explorerUrl: null,
      local: true,
      startBlock: 0n,
      indexerUrl: null,
      serverUrl: null,
      contracts: { factory: VAULT, platformToken: TOKEN, platformGovernor: VAULT, platformTimelock: VAULT, crowdfundFactory: VAULT, revenueShareFactory: VAULT },
    },
  ],
  defaultChainId: 31337,
  appUrl: "http://127.0.0.1:5173",
};

const payload: ClaimPayload = {
  chainId: 31337n,
  vault: VAULT,
  signature: "0x00",
  voucher: { recipient: FAN, amount: 100n * E18, referrer: zeroAddress, id: 7n, deadline: 2_000_000_000n },
};

const budget: ClaimBudget = { budget: 1_000n * E18, remaining: 1_000n * E18, nextPeriodAt: 1_700_000_000n, referralBps: 1_000n, referred: false, decimals: 18, symbol: "AUR" };

function reads(verified: boolean, b: ClaimBudget = budget): ClaimReads {
  return {
    isVault: true,
    community: { token: TOKEN, name: "Aurora Fans", symbol: "AUR", decimals: 18, verified, creator: ATTESTER },
    token: TOKEN,
    attester: ATTESTER,
    attesterIsContract: false,
    redeemed: false,
    paused: false,
    recipientBalance: 0n,
    signer: { kind: "attester" },
    budget: b,
  };
}

const NOW = 1_600_000_000n;

function show(data: ClaimReads) {
  const facts: ClaimFacts = {
    activeChainId: 31337,
    chainConfigured: true,
    isVault: data.isVault,
    isCoterie: data.community !== null,
    redeemed: data.redeemed,
    paused: data.paused,
    now: NOW,
    signer: data.signer,
    budget: data.budget,
  };
  const config = createConfig({ chains: [chain], transports: { [chain.id]: http(RPC) }, storage: null });
  const wrapper = ({ children }: { children: ReactNode }) => (
    <WagmiProvider config={config} reconnectOnMount={false}>
      <QueryClientProvider client={new QueryClient()}>
        <RuntimeProvider runtime={runtime}>{children}</RuntimeProvider>
      </QueryClientProvider>
    </WagmiProvider>
  );
  render(<ClaimDetails payload={payload} data={data} verdict={claimVerdict(payload, facts)} now={NOW} linkChainName="Local chain" />, { wrapper });
}

afterEach(cleanup);

describe("claim page", () => {
  it("marks a community the platform has not verified as not verified (issue 11 item 17)", () => {
    show(reads(false));
    const badge = screen.getByTestId("not-verified-badge");
    expect(badge.textContent).toBe("Not verified");
    expect(badge.getAttribute("title")).toMatch(/has not verified this community/);
    expect(screen.queryByTestId("verified-badge")).toBeNull();
  });

  it("shows the verified badge, and no warning, for a verified community", () => {
    show(reads(true));
    expect(screen.getByTestId("verified-badge").textContent).toContain("Verified");
    expect(screen.queryByTestId("not-verified-badge")).toBeNull();
  });

  it("offers to redeem a link the budget can pay", () => {
    show(reads(true));
    expect(screen.getByTestId("claim-status").getAttribute("data-status")).toBe("ready");
    expect(screen.getByTestId("claim-connect")).toBeTruthy();
  });

  it("never offers to redeem a link over the whole period budget (issue 11 item 12)", () => {
    show(reads(true, { ...budget, budget: 99n * E18, remaining: 99n * E18 }));
    const status = screen.getByTestId("claim-status");
    expect(status.getAttribute("data-status")).toBe("over-budget");
    expect(status.textContent).toMatch(/over the whole period budget: it needs 100 AUR, more than .*\(99 AUR\)/);
    expect(screen.queryByTestId("claim-connect")).toBeNull();
    expect(screen.queryByTestId("claim-redeem")).toBeNull();
  });

  it("says when the next period starts when this period's budget is used up, without offering to redeem", () => {
    show(reads(true, { ...budget, remaining: 10n * E18 }));
    const status = screen.getByTestId("claim-status");
    expect(status.getAttribute("data-status")).toBe("budget-used-up");
    expect(status.textContent).toMatch(/This period's budget is used up: .* The next period starts in \d+d \d+h/);
    expect(screen.queryByTestId("claim-connect")).toBeNull();
  });
});
