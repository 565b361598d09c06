/** The Hold tab's address list (issue 11 item 14): a revenue share is listed only once it exists. */
import { afterEach, describe, expect, it, vi } from "vitest";
import { cleanup, render, screen } from "@testing-library/react";
import type { ReactNode } from "react";
import { RuntimeProvider } from "../../config/context.tsx";
import { parseRuntimeConfig } from "../../config/runtime.ts";
import type { CommunityInfo } from "../../hooks/useCommunity.ts";
import { CommunityAddressList, codeState } from "./HoldTab.tsx";

vi.mock("wagmi", () => ({
  useConnection: () => ({ isConnected: false, address: undefined, chainId: undefined, status: "disconnected" }),
  useChainId: () => 31337,
  useBytecode: () => ({ data: undefined, isLoading: false }),
}));

const A = "0x5FbDB2315678afecb367f032d93F642f64180aa3";
const SHARE = "0x9fE46736679d2D9a65F0992F2272dE9f3c7fa6e0";
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
const community = {
  id: 2n,
  creator: A,
  token: A,
  governor: A,
  timelock: A,
  rewardVault: A,
  verified: false,
  createdAt: 0n,
  name: "New Club",
  symbol: "NEW",
  decimals: 18,
  totalSupply: 0n,
  cap: 0n,
  revenueShare: SHARE,
  treasuryEth: 1n,
  treasuryTokens: 0n,
  isPlatform: false,
} satisfies CommunityInfo;
const wrap = (node: ReactNode) => render(<RuntimeProvider runtime={runtime}>{node}</RuntimeProvider>);

afterEach(cleanup);

describe("Hold tab addresses", () => {
  it("says a revenue share with no contract at its predicted address is not set up, instead of listing the address", () => {
    wrap(<CommunityAddressList community={community} revenueShare="not-deployed" />);
    const row = screen.getByTestId("address-revenue");
    expect(row.textContent).toContain("not set up");
    expect(row.innerHTML.toLowerCase()).not.toContain(SHARE.toLowerCase());
  });

  it("lists a deployed revenue share's address", () => {
    wrap(<CommunityAddressList community={community} revenueShare="deployed" />);
    const row = screen.getByTestId("address-revenue");
    expect(row.textContent).not.toContain("not set up");
    expect(row.innerHTML.toLowerCase()).toContain(SHARE.slice(0, 6).toLowerCase());
  });

  it("reads no code, or 0x, as not deployed", () => {
    expect(codeState(undefined, true)).toBe("checking");
    expect(codeState(undefined, false)).toBe("not-deployed");
    expect(codeState("0x", false)).toBe("not-deployed");
    expect(codeState("0x6080", false)).toBe("deployed");
  });
});
