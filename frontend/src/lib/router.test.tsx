import { afterEach, describe, expect, it } from "vitest";
import { act, cleanup, fireEvent, render, renderHook, screen } from "@testing-library/react";
import { Link, matchRoute, navigate, useLocation } from "./router.tsx";

const TOKEN = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8";

afterEach(() => {
  cleanup();
  window.history.replaceState(null, "", "/");
});

describe("router", () => {
  describe("matchRoute", () => {
    it("matches the app's pages", () => {
      expect(matchRoute("/")).toEqual({ name: "explore" });
      expect(matchRoute("/launch")).toEqual({ name: "launch" });
      expect(matchRoute("/claim")).toEqual({ name: "claim" });
      expect(matchRoute(`/c/${TOKEN}/propose`)).toEqual({ name: "propose", token: TOKEN });
      expect(matchRoute(`/c/${TOKEN}/proposals/12`)).toEqual({ name: "proposal", token: TOKEN, proposalId: "12" });
    });

    it("opens a community on its Hold tab, or on the tab named in the path", () => {
      expect(matchRoute(`/c/${TOKEN}`)).toEqual({ name: "community", token: TOKEN, tab: "hold" });
      for (const tab of ["hold", "earn", "fund", "vote", "creator"] as const) {
        expect(matchRoute(`/c/${TOKEN}/${tab}`)).toEqual({ name: "community", token: TOKEN, tab });
      }
    });

    it("ignores a trailing slash", () => {
      expect(matchRoute("/launch/")).toEqual({ name: "launch" });
      expect(matchRoute(`/c/${TOKEN}/vote/`)).toEqual({ name: "community", token: TOKEN, tab: "vote" });
    });

    it("does not match unknown paths, unknown tabs or non-numeric proposal ids", () => {
      for (const path of ["/nope", "/launch/now", "/c", `/c/${TOKEN}/settings`, `/c/${TOKEN}/proposals/abc`, `/c/${TOKEN}/proposals`, "/claim/x"]) {
        expect(matchRoute(path)).toEqual({ name: "notFound" });
      }
    });
  });

  describe("navigate and useLocation", () => {
    it("re-renders with the new path and keeps the query string", () => {
      const { result } = renderHook(() => useLocation());
      expect(result.current.path).toBe("/");
      act(() => navigate(`/c/${TOKEN}?ref=0xabc`));
      expect(result.current.path).toBe(`/c/${TOKEN}`);
      expect(result.current.query.get("ref")).toBe("0xabc");
      expect(result.current.href).toBe(`/c/${TOKEN}?ref=0xabc`);
    });

    it("adds a history entry, or replaces the current one when asked", () => {
      const before = window.history.length;
      act(() => navigate("/launch"));
      expect(window.history.length).toBe(before + 1);
      act(() => navigate("/claim", { replace: true }));
      expect(window.history.length).toBe(before + 1);
      expect(window.location.pathname).toBe("/claim");
    });

    it("follows the browser's back button (popstate)", () => {
      const { result } = renderHook(() => useLocation());
      act(() => {
        window.history.pushState(null, "", "/launch");
        window.dispatchEvent(new PopStateEvent("popstate"));
      });
      expect(result.current.path).toBe("/launch");
    });
  });

  describe("Link", () => {
    it("navigates without reloading the page", () => {
      render(<Link href="/launch">Launch</Link>);
      const event = fireEvent.click(screen.getByText("Launch"), { button: 0 });
      expect(event).toBe(false); // default prevented: no page load
      expect(window.location.pathname).toBe("/launch");
    });

    it("leaves a modified click (new tab) to the browser", () => {
      render(<Link href="/launch">Launch</Link>);
      const event = fireEvent.click(screen.getByText("Launch"), { button: 0, ctrlKey: true });
      expect(event).toBe(true); // not prevented: the browser opens it as it would any link
    });

    it("runs its own onClick first and respects preventDefault there", () => {
      render(
        <Link href="/launch" onClick={(e) => e.preventDefault()}>
          Launch
        </Link>,
      );
      fireEvent.click(screen.getByText("Launch"), { button: 0 });
      expect(window.location.pathname).toBe("/");
    });
  });
});
