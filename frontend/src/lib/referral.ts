/**
 * Referral links: `<app>/c/<token>?ref=<referrer>` (or any app URL with `?ref=`). The referrer a fan
 * arrived with is kept per community in localStorage, so it survives connecting a wallet, switching
 * tabs and reloads, and is offered as the referrer wherever the fan can name one (crowdfund
 * contributions). A fan never counts as their own referrer.
 */
import { getAddress, isAddress, zeroAddress, type Address } from "viem";
import { communityPath } from "./routes.ts";

const key = (token: string) => `coterie.ref.${token.toLowerCase()}`;

/** Remembers `?ref=` from the current URL for `token`, if it is a valid address. */
export function rememberReferrer(token: string, query: URLSearchParams): void {
  const ref = query.get("ref");
  if (ref && isAddress(ref) && getAddress(ref) !== zeroAddress) localStorage.setItem(key(token), getAddress(ref));
}

/** The referrer remembered for `token`, unless it is `self`. */
export function rememberedReferrer(token: string, self?: Address): Address | null {
  const stored = typeof localStorage === "undefined" ? null : localStorage.getItem(key(token));
  if (!stored || !isAddress(stored)) return null;
  const ref = getAddress(stored);
  return self && ref === getAddress(self) ? null : ref;
}

/** The link a fan shares to refer others to a community. */
export function referralLink(appUrl: string, token: string, referrer: Address): string {
  return `${appUrl.replace(/\/+$/, "")}${communityPath(getAddress(token))}?ref=${getAddress(referrer)}`;
}
