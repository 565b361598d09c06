/**
 * Delegation of a community token's votes (ERC-5805 `delegate`). A holder votes with their own tokens
 * by default; they may hand their votes to someone else, take them back, or (with the zero address,
 * not offered here) opt out of voting.
 */
import { useCallback } from "react";
import { useConfig, useConnection } from "wagmi";
import { zeroAddress, type Address } from "viem";
import { useActiveChain } from "../config/context.tsx";
import { useRelay, type Relay } from "./useRelay.ts";
import { relayOn, signDelegation, useServerCommunity } from "./useSponsored.ts";
import { socialTokenAbi } from "../generated/abis.ts";
import { checkAddress, type Checked } from "../lib/validate.ts";
import { useTransaction, type Transaction } from "./useTransaction.ts";

export type DelegateKind = "self" | "none" | "other";

/**
 * Who `account`'s votes go to: itself, nobody (opted out), or another account. The token reports no
 * delegate for an account that never chose and holds nothing (Issue 11 item 7); such an account
 * votes with its own tokens as soon as it holds some, so with a zero `balance` it counts as "self".
 */
export function delegateKind(delegate: Address, account: Address, balance?: bigint): DelegateKind {
  if (delegate === zeroAddress) return balance === 0n ? "self" : "none";
  return delegate.toLowerCase() === account.toLowerCase() ? "self" : "other";
}

/**
 * Votes delegated to `account` by other holders: its voting power less its own balance when it
 * votes with its own tokens (never negative).
 */
export function votesFromOthers(holder: { account: Address; balance: bigint; votes: bigint; delegate: Address }): bigint {
  const own = delegateKind(holder.delegate, holder.account, holder.balance) === "self" ? holder.balance : 0n;
  return holder.votes > own ? holder.votes - own : 0n;
}

/** The "delegate to" field: a valid address that is not already the delegate. */
export function checkDelegateInput(text: string, currentDelegate: Address): Checked<Address> {
  const checked = checkAddress(text);
  if (!checked.ok) return checked;
  const address = checked.value as Address; // never null: the field is not optional
  if (address === currentDelegate) return { ok: false, error: "Your votes already go to this address." };
  return { ok: true, value: address };
}

/** Sends `token.delegate(to)` through the app's transaction flow. */
export function useDelegateVotes(token: Address): { tx: Transaction; delegateTo: (to: Address) => Promise<boolean> } {
  const tx = useTransaction();
  const { send } = tx;
  const delegateTo = useCallback(
    async (to: Address) => (await send({ address: token, abi: socialTokenAbi, functionName: "delegate", args: [to] })) !== null,
    [send, token],
  );
  return { tx, delegateTo };
}

/**
 * "Delegate for free": the holder signs an EIP-712 Delegation (the token's domain, its nonce, an
 * expiry an hour of chain time away) and the Coterie server submits `delegateBySig`. `free` is true
 * only when the chain names a server that sponsors this community and the account holds tokens
 * (the server refuses a delegation without a balance).
 */
export function useDelegateForFree(token: Address, balance: bigint): { relay: Relay; free: boolean; delegateTo: (to: Address) => Promise<boolean> } {
  const config = useConfig();
  const { chain } = useActiveChain();
  const { address } = useConnection();
  const relay = useRelay();
  const sponsor = useServerCommunity(token);
  const free = relayOn(sponsor.data) && !relay.unreachable && balance > 0n;
  const { submit } = relay;
  const delegateTo = useCallback(
    async (to: Address) => {
      if (!address) return false;
      const account = address;
      return (await submit(token, () => signDelegation(config, { chainId: chain.id, token, account, delegatee: to }))) !== null;
    },
    [submit, token, config, chain.id, address],
  );
  return { relay, free, delegateTo };
}
