/**
 * A tiny History-API router: the app has a handful of routes, and a router library would cost more
 * bundle than this file. Paths: see `matchRoute`. Query strings (claim links, `?ref=`) are kept.
 */
import { useSyncExternalStore, type AnchorHTMLAttributes, type MouseEvent } from "react";

const listeners = new Set<() => void>();
function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  window.addEventListener("popstate", listener);
  return () => {
    listeners.delete(listener);
    window.removeEventListener("popstate", listener);
  };
}

export function navigate(to: string, options: { replace?: boolean } = {}): void {
  if (options.replace) window.history.replaceState(null, "", to);
  else window.history.pushState(null, "", to);
  window.scrollTo(0, 0);
  for (const l of listeners) l();
}

/** The current location (path + query), re-rendering on navigation. */
export function useLocation(): { path: string; query: URLSearchParams; href: string } {
  const href = useSyncExternalStore(subscribe, () => window.location.pathname + window.location.search);
  const url = new URL(href, window.location.origin);
  return { path: url.pathname, query: url.searchParams, href };
}

export type Route =
  | { name: "explore" }
  | { name: "launch" }
  | { name: "claim" }
  | { name: "mine" }
  | { name: "community"; token: string; tab: CommunityTab }
  | { name: "proposal"; token: string; proposalId: string }
  | { name: "propose"; token: string }
  | { name: "notFound" };

export type CommunityTab = "hold" | "earn" | "fund" | "vote" | "creator";
const TABS: CommunityTab[] = ["hold", "earn", "fund", "vote", "creator"];

/** Routes: / · /launch · /me · /claim?v=..&s=.. · /c/<token>[/<tab>] · /c/<token>/proposals/<id> · /c/<token>/propose */
export function matchRoute(path: string): Route {
  const parts = path.split("/").filter(Boolean);
  if (parts.length === 0) return { name: "explore" };
  if (parts[0] === "launch" && parts.length === 1) return { name: "launch" };
  if (parts[0] === "claim" && parts.length === 1) return { name: "claim" };
  if (parts[0] === "me" && parts.length === 1) return { name: "mine" };
  if (parts[0] === "c" && parts.length >= 2) {
    const token = parts[1];
    if (parts.length === 2) return { name: "community", token, tab: "hold" };
    if (parts.length === 3 && parts[2] === "propose") return { name: "propose", token };
    if (parts.length === 3 && (TABS as string[]).includes(parts[2])) {
      return { name: "community", token, tab: parts[2] as CommunityTab };
    }
    if (parts.length === 4 && parts[2] === "proposals" && /^\d+$/.test(parts[3])) {
      return { name: "proposal", token, proposalId: parts[3] };
    }
  }
  return { name: "notFound" };
}

/** An <a> that navigates without reloading the page. */
export function Link(props: AnchorHTMLAttributes<HTMLAnchorElement> & { href: string }) {
  const { onClick, ...rest } = props;
  return (
    <a
      {...rest}
      onClick={(event: MouseEvent<HTMLAnchorElement>) => {
        onClick?.(event);
        if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey) return;
        event.preventDefault();
        navigate(props.href);
      }}
    />
  );
}
