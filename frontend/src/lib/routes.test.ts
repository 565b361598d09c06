import { describe, expect, it } from "vitest";
import { matchRoute } from "./router.tsx";
import { communityPath, explorePath, launchPath, myCommunitiesPath, proposalPath, proposePath } from "./routes.ts";

const token = "0x00000000000000000000000000000000000000aa";

describe("link builders", () => {
  it("build the paths the router matches", () => {
    expect(matchRoute(explorePath)).toEqual({ name: "explore" });
    expect(matchRoute(launchPath)).toEqual({ name: "launch" });
    expect(matchRoute(myCommunitiesPath)).toEqual({ name: "mine" });
    expect(communityPath(token)).toBe(`/c/${token}`);
    expect(matchRoute(communityPath(token))).toEqual({ name: "community", token, tab: "hold" });
    expect(communityPath(token, "hold")).toBe(`/c/${token}`);
    expect(matchRoute(communityPath(token, "vote"))).toEqual({ name: "community", token, tab: "vote" });
    expect(matchRoute(proposalPath(token, 3n))).toEqual({ name: "proposal", token, proposalId: "3" });
    expect(matchRoute(proposePath(token))).toEqual({ name: "propose", token });
  });

  it("put a proposal template and its target in the query", () => {
    expect(proposePath(token, "reward-budget")).toBe(`/c/${token}/propose?template=reward-budget`);
    expect(proposePath(token, "grant-minter", token)).toBe(`/c/${token}/propose?template=grant-minter&target=${token}`);
  });
});
