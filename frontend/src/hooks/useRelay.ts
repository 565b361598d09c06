/**
 * Sponsored actions: the fan signs, the Coterie server (docs/server.md) submits and pays the gas.
 * Same lifecycle and UI states as `useTransaction`, with one more step:
 *
 *   idle -> awaiting-signature -> queued -> pending(hash) -> confirmed(receipt, refreshing) -> confirmed(receipt)
 *                \____________________\__________\_________-> error(message)
 *
 * The request is polled (GET /v1/relay/:id) every second until it is mined or failed. Success is a
 * mined request whose receipt the chain confirms; then the reads on screen are refreshed exactly as
 * after a wallet transaction (lib/freshness.ts). A server that does not answer sets `unreachable`,
 * so the page offers the wallet path instead.
 */
import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import { useConfig, useConnection } from "wagmi";
import { getBlockNumber, getTransactionReceipt } from "wagmi/actions";
import { useQueryClient } from "@tanstack/react-query";
import type { Address, TransactionReceipt } from "viem";
import { useActiveChain } from "../config/context.tsx";
import { explainError } from "../lib/errors.ts";
import { refreshAfterReceipt } from "../lib/freshness.ts";
import { isServerUnreachable, relayFailureMessage, serverFor, ServerError, type RelayAction, type ServerClient } from "../lib/server.ts";
import { freshnessBlock, indexerFor } from "../reads/indexer.ts";
import type { TxState } from "./useTransaction.ts";

/** How often a relay request's status is read. */
export const RELAY_POLL_MS = 1_000;
/** Consecutive unanswered status reads after which the page stops waiting (the request may still be sent). */
const MAX_POLL_FAILURES = 15;

export interface Relay {
  state: TxState;
  busy: boolean;
  /** The server did not answer the last request: offer the wallet path. */
  unreachable: boolean;
  /** The chain's server, or null (nothing is offered for free). */
  server: ServerClient | null;
  /**
   * Signs (inside `prepare`) and relays one action for `community`; resolves with the receipt when
   * it was mined successfully, or null (the state says why).
   */
  submit: (community: Address, prepare: () => Promise<RelayAction>) => Promise<TransactionReceipt | null>;
  fail: (message: string) => void;
  reset: () => void;
}

const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export function useRelay(): Relay {
  const config = useConfig();
  const queryClient = useQueryClient();
  const connection = useConnection();
  const { chain, walletOnWrongChain } = useActiveChain();
  const server = useMemo(() => serverFor(chain), [chain]);
  const [state, setState] = useState<TxState>({ status: "idle" });
  const [unreachable, setUnreachable] = useState(false);
  const running = useRef(false);
  const mounted = useRef(true);
  useEffect(() => {
    mounted.current = true;
    return () => {
      mounted.current = false;
    };
  }, []);

  const submit = useCallback(
    async (community: Address, prepare: () => Promise<RelayAction>): Promise<TransactionReceipt | null> => {
      if (running.current) return null;
      if (!server) {
        setState({ status: "error", message: "This network has no Coterie server, so this cannot be done for free." });
        return null;
      }
      if (!connection.isConnected || !connection.address) {
        setState({ status: "error", message: "Connect a wallet first." });
        return null;
      }
      if (walletOnWrongChain) {
        setState({ status: "error", message: `Your wallet is on another network. Switch to ${chain.name} first.` });
        return null;
      }
      running.current = true;
      setUnreachable(false);
      let hash: `0x${string}` | undefined;
      try {
        setState({ status: "awaiting-signature" });
        const action = await prepare();
        let id: string;
        try {
          id = (await server.relay({ chainId: chain.id, community, action })).id;
        } catch (error) {
          // The same action is already on its way: follow that request instead of failing.
          if (error instanceof ServerError && error.code === "duplicate" && error.existingId) id = error.existingId;
          else throw error;
        }
        setState({ status: "queued" });
        let failures = 0;
        for (;;) {
          if (!mounted.current) return null;
          let status;
          try {
            status = await server.relayStatus(id);
            failures = 0;
          } catch (error) {
            if (!isServerUnreachable(error) || ++failures >= MAX_POLL_FAILURES) throw error;
            await wait(RELAY_POLL_MS);
            continue;
          }
          if (status.txHash && status.txHash !== hash) {
            hash = status.txHash;
            if (status.status === "sent") setState({ status: "pending", hash });
          }
          if (status.status === "failed") {
            setState({ status: "error", hash, message: relayFailureMessage(status.error) });
            return null;
          }
          if (status.status === "mined" && hash) break;
          await wait(RELAY_POLL_MS);
        }
        const receipt = await getTransactionReceipt(config, { hash, chainId: chain.id });
        if (receipt.status !== "success") {
          setState({ status: "error", hash, message: "The transaction was mined but reverted; nothing changed." });
          return null;
        }
        setState({ status: "confirmed", hash, receipt, refreshing: true });
        running.current = false;
        await refreshAfterReceipt({
          queryClient,
          minBlock: receipt.blockNumber,
          blockNumber: () => freshnessBlock(() => getBlockNumber(config, { chainId: chain.id, cacheTime: 0 }), indexerFor(chain)),
        });
        const done = hash;
        if (mounted.current) setState({ status: "confirmed", hash: done, receipt });
        return receipt;
      } catch (error) {
        if (isServerUnreachable(error)) setUnreachable(true);
        setState({ status: "error", hash, message: error instanceof ServerError || isServerUnreachable(error) ? error.message : explainError(error) });
        return null;
      } finally {
        running.current = false;
      }
    },
    [server, config, queryClient, connection.isConnected, connection.address, walletOnWrongChain, chain],
  );

  const busy = state.status === "awaiting-signature" || state.status === "queued" || state.status === "pending";
  return {
    state,
    busy,
    unreachable,
    server,
    submit,
    fail: useCallback((message: string) => setState({ status: "error", message }), []),
    reset: useCallback(() => {
      setState({ status: "idle" });
      setUnreachable(false);
    }, []),
  };
}
