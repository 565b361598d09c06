import { afterEach, describe, expect, it } from "vitest";
import { cleanup, render, screen } from "@testing-library/react";
import { parseEther } from "viem";
import { ProposalState, tallyFrom } from "../../lib/governance.ts";
import { Milestone, NoVotesNotice, QuorumMeter, StateBadge, VoteBars } from "./parts.tsx";

const unit = { decimals: 18, symbol: "AUR" };

afterEach(cleanup);

const ME = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8";
const ZERO = "0x0000000000000000000000000000000000000000";
const TOKEN = { address: "0x5FbDB2315678afecb367f032d93F642f64180aa3", decimals: 18, symbol: "AUR" } as const;

describe("NoVotesNotice (issue 11 item 11)", () => {
  it("tells a fan who got votes after the snapshot the true reason, not to delegate", () => {
    render(<NoVotesNotice holder={{ account: ME, balance: parseEther("100"), votes: parseEther("100"), delegate: ME }} snapshot={1_700_000_000n} token={TOKEN} />);
    const text = screen.getByTestId("no-voting-power").textContent ?? "";
    expect(text).toContain("You had no votes when this proposal's snapshot was taken");
    expect(text).toContain("your 100 votes came after it");
    expect(text).toContain("You can vote on proposals created from now on.");
    expect(text).not.toMatch(/Delegate to yourself|Delegate on the/);
  });

  it("tells an account whose tokens are undelegated to delegate to itself", () => {
    render(<NoVotesNotice holder={{ account: ME, balance: parseEther("5"), votes: 0n, delegate: ZERO }} snapshot={1_700_000_000n} token={TOKEN} />);
    const text = screen.getByTestId("no-voting-power").textContent ?? "";
    expect(text).toContain("your 5 AUR are not delegated");
    expect(text).toContain("Delegate to yourself on the Hold tab");
  });

  it("tells an account without tokens that it has none", () => {
    render(<NoVotesNotice holder={{ account: ME, balance: 0n, votes: 0n, delegate: ZERO }} snapshot={1_700_000_000n} token={TOKEN} />);
    expect(screen.getByTestId("no-voting-power").textContent).toContain("you hold no AUR now");
    expect(screen.getByTestId("no-voting-power").textContent).not.toContain("Delegate to yourself");
  });
});

describe("proposal parts", () => {
  it("shows each state with its own badge tone and explains it on hover", () => {
    render(
      <>
        <StateBadge state={ProposalState.Defeated} testId="a" />
        <StateBadge state={ProposalState.Queued} testId="b" />
      </>,
    );
    expect(screen.getByTestId("a").textContent).toBe("Defeated");
    expect(screen.getByTestId("a").className).toContain("badge-bad");
    expect(screen.getByTestId("b").className).toContain("badge-warn");
    expect(screen.getByTestId("a").parentElement?.getAttribute("title")).toMatch(/did not pass/);
  });

  it("gives each option's exact amount in data-raw and its share of the votes", () => {
    render(<VoteBars tally={tallyFrom([parseEther("25"), parseEther("75"), 0n])} unit={unit} />);
    expect(screen.getByTestId("votes-for").getAttribute("data-raw")).toBe(parseEther("75").toString());
    expect(screen.getByTestId("votes-for").textContent).toBe("75 AUR");
    expect(screen.getByRole("img").getAttribute("aria-label")).toBe("For 75.0%, against 25.0%, abstain 0.0%");
  });

  it("counts For and Abstain toward quorum and marks it reached", () => {
    render(<QuorumMeter tally={tallyFrom([parseEther("100"), parseEther("30"), parseEther("10")])} quorum={parseEther("40")} estimated={false} unit={unit} />);
    expect(screen.getByTestId("quorum").getAttribute("data-reached")).toBe("yes");
    expect(screen.getByTestId("quorum").textContent).toContain("40 AUR of 40 AUR");
  });

  it("says a pending quorum is an estimate", () => {
    render(<QuorumMeter tally={tallyFrom([0n, 0n, 0n])} quorum={parseEther("40")} estimated unit={unit} />);
    expect(screen.getByTestId("quorum").getAttribute("data-reached")).toBe("no");
    expect(screen.getByTestId("quorum").textContent).toContain("estimated");
  });

  it("counts down in chain time to the next milestone and exposes the seconds left", () => {
    render(<Milestone state={ProposalState.Queued} times={{ snapshot: 10n, deadline: 20n, eta: 400n }} now={100n} />);
    const m = screen.getByTestId("proposal-milestone");
    expect(m.getAttribute("data-seconds-left")).toBe("300");
    expect(m.textContent).toContain("Executable in 5m 0s");
  });

  it("shows no countdown for a finished proposal", () => {
    const { container } = render(<Milestone state={ProposalState.Executed} times={{ snapshot: 10n, deadline: 20n, eta: 30n }} now={100n} />);
    expect(container.textContent).toBe("");
  });
});
