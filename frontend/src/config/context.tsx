/**
 * The app-wide context: the runtime configuration and the chain the app is working on.
 * The active chain is the wallet's chain when it is one of the configured chains, else the default.
 */
import { createContext, useContext, type ReactNode } from "react";
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
