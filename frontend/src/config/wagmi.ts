/**
 * The wagmi configuration, built at start-up from the runtime configuration (/coterie.json).
 *
 * - Injected wallets are discovered through EIP-6963 (wagmi's multi-injected-provider discovery),
 *   plus the legacy `window.ethereum` one when a wallet does not announce itself.
 * - On the local chain only, the dev-account connector is added.
 * - Reads go through viem's deployless multicall: every read issued within one tick is folded into
 *   a single `eth_call`, on any chain, with no Multicall3 contract deployed.
 */
import { createConfig, http, type Config } from "wagmi";
import { injected } from "wagmi/connectors";
import type { Chain } from "viem";
import { devConnector } from "./devConnector.ts";
import { toViemChain, type RuntimeConfig } from "./runtime.ts";

export function makeWagmiConfig(runtime: RuntimeConfig): Config {
  const chains = runtime.chains.map(toViemChain) as [Chain, ...Chain[]];
  const defaultFirst = [
    ...chains.filter((c) => c.id === runtime.defaultChainId),
    ...chains.filter((c) => c.id !== runtime.defaultChainId),
  ] as [Chain, ...Chain[]];
  const local = runtime.chains.find((c) => c.local);
  return createConfig({
    chains: defaultFirst,
    connectors: [injected({ shimDisconnect: true }), ...(local ? [devConnector(local)] : [])],
    multiInjectedProviderDiscovery: true,
    transports: Object.fromEntries(runtime.chains.map((c) => [c.id, http(c.rpcUrl)])),
    batch: { multicall: { deployless: true, wait: 16 } },
    pollingInterval: 2_000,
  });
}
