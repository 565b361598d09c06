/**
 * The app-wide context: the runtime configuration and the chain the app is working on.
 * The active chain is the wallet's chain when it is one of the configured chains, else the default.
 */
import { createContext, useContext, useEffect, useRef, useState, type ReactNode } from "react";
import { useChainId, useConnection } from "wagmi";
import type { ChainConfig, RuntimeConfig } from "./runtime.ts";

const RuntimeContext = createContext<RuntimeConfig | null>(null);

export function RuntimeProvider({ runtime, children }: { runtime: RuntimeConfig; children: ReactNode }) {
  return <RuntimeContext.Provider value={runtime}>{children}</RuntimeContext.Provider>;
}

export function useRuntime(): RuntimeConfig {
  const runtime = useContext(RuntimeContext);
  if (!runtime) throw new Error("useRuntime outside RuntimeProvider");
  return runtime;
}

export interface ActiveChain {
  chain: ChainConfig;
  /** A wallet is connected but to a chain the app is not configured for. */
  walletOnWrongChain: boolean;
}

/** The chain the app reads from and writes to. */
export function useActiveChain(): ActiveChain {
  const runtime = useRuntime();
  const connection = useConnection();
  const configChainId = useChainId();
  const walletChainId = connection.chainId;
  const byId = (id: number | undefined) => runtime.chains.find((c) => c.id === id);
  const walletChain = connection.isConnected ? byId(walletChainId) : undefined;
  const chain = walletChain ?? byId(configChainId) ?? byId(runtime.defaultChainId) ?? runtime.chains[0];
  return { chain, walletOnWrongChain: connection.isConnected && walletChain === undefined };
}

/** Explorer link for a transaction or address on the active chain, or null when it has no explorer. */
export function explorerLink(chain: ChainConfig, kind: "tx" | "address", value: string): string | null {
  return chain.explorerUrl ? `${chain.explorerUrl}/${kind}/${value}` : null;
}

let walletSettled = false;

/**
 * False while wagmi may still be restoring the last session's wallet (on a reload); true once it is
 * connected, gave up, or there was nothing to restore. Reads keyed by the account wait for it, so a
 * page is not read once for "no account" and again a moment later for the restored one (that double
 * read would cost the community page a third of its request budget).
 */
export function useWalletSettled(): boolean {
  const { status } = useConnection();
  const hadSession = typeof localStorage !== "undefined" && localStorage.getItem("wagmi.recentConnectorId") !== null;
  const sawRestoring = useRef(false);
  const [gaveUp, setGaveUp] = useState(false);
  if (status === "reconnecting" || status === "connecting") sawRestoring.current = true;
  useEffect(() => {
    if (walletSettled || !hadSession) return;
    // Should a restore never start (the connector is gone), read as a visitor after a moment.
    const timer = window.setTimeout(() => setGaveUp(true), 1_500);
    return () => window.clearTimeout(timer);
  }, [hadSession]);
  const settled =
    walletSettled || !hadSession || status === "connected" || (status === "disconnected" && sawRestoring.current) || gaveUp;
  if (settled) walletSettled = true;
  return settled;
}
