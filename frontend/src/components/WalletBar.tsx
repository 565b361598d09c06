/**
 * Connect and disconnect: injected wallets discovered through EIP-6963 (each shows its own name and
 * icon), and on the local chain the dev accounts. A wallet on a network the app is not configured
 * for gets a banner with a switch button (see NetworkGuard).
 */
import { useEffect, useRef, useState } from "react";
import { useConnect, useConnection, useConnectors, useDisconnect, useSwitchChain } from "wagmi";
import type { Address } from "viem";
import { useActiveChain, useRuntime } from "../config/context.tsx";
import { DEV_CONNECTOR_ID, devAccounts, selectDevAccount } from "../config/devConnector.ts";
import { explainError } from "../lib/errors.ts";
import { shortAddress } from "../lib/format.ts";
import { Button, CopyButton, Notice } from "./ui.tsx";

export function WalletBar() {
  const connection = useConnection();
  const connectors = useConnectors();
  const connect = useConnect();
  const disconnect = useDisconnect();
  const runtime = useRuntime();
  const local = runtime.chains.find((c) => c.local);
  const [open, setOpen] = useState(false);
  const [accounts, setAccounts] = useState<Address[] | null>(null);
  const [devChoice, setDevChoice] = useState<string>("");
  const menu = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (!open || !local || accounts) return;
    devAccounts(local)
      .then((list) => {
        setAccounts(list);
        setDevChoice((current) => current || list[1] || list[0] || "");
      })
      .catch(() => setAccounts([]));
  }, [open, local, accounts]);

  useEffect(() => {
    if (!open) return;
    const close = (e: MouseEvent) => {
      if (menu.current && !menu.current.contains(e.target as Node)) setOpen(false);
    };
    document.addEventListener("mousedown", close);
    return () => document.removeEventListener("mousedown", close);
  }, [open]);

  if (connection.isConnected && connection.address) {
    return (
      <div className="wallet" data-testid="wallet-connected">
        <span className="wallet-account" title={connection.address} data-testid="wallet-address" data-address={connection.address}>
          <span className="dot dot-good" aria-hidden />
          {shortAddress(connection.address)}
          <span className="muted wallet-name">{connection.connector?.name}</span>
        </span>
        <CopyButton text={connection.address} />
        <Button variant="secondary" className="btn-small" onClick={() => disconnect.mutate()} data-testid="disconnect">
          Disconnect
        </Button>
      </div>
    );
  }

  const injectedWallets = connectors.filter((c) => c.id !== DEV_CONNECTOR_ID);
  const dev = connectors.find((c) => c.id === DEV_CONNECTOR_ID);
  // wagmi lists the generic `injected` connector even without a wallet; show it only when one exists.
  const visibleInjected = injectedWallets.filter(
    (c) => c.type !== "injected" || c.id !== "injected" || (typeof window !== "undefined" && "ethereum" in window),
  );
  const eip6963 = visibleInjected.filter((c) => c.id !== "injected");
  const shown = eip6963.length > 0 ? eip6963 : visibleInjected;

  return (
    <div className="wallet" ref={menu}>
      <Button onClick={() => setOpen(!open)} loading={connect.isPending} data-testid="connect-wallet" aria-expanded={open}>
        Connect wallet
      </Button>
      {open && (
        <div className="wallet-menu" role="dialog" aria-label="Connect a wallet">
          <h3>Browser wallets</h3>
          {shown.length === 0 && <p className="muted">No wallet extension found. Install one, or use a dev account on the local chain.</p>}
          {shown.map((c) => (
            <button
              key={c.uid}
              type="button"
              className="wallet-option"
              data-testid={`wallet-option-${c.id}`}
              onClick={() => connect.mutate({ connector: c }, { onSuccess: () => setOpen(false) })}
            >
              {c.icon ? <img src={c.icon} alt="" width={20} height={20} /> : <span className="dot" aria-hidden />}
              {c.name}
            </button>
          ))}
          {dev && local && (
            <>
              <h3>Dev accounts ({local.name} only)</h3>
              {accounts === null ? (
                <p className="muted">Reading the node's accounts…</p>
              ) : accounts.length === 0 ? (
                <p className="muted">The local node has no unlocked accounts.</p>
              ) : (
                <div className="dev-accounts">
                  <select value={devChoice} onChange={(e) => setDevChoice(e.target.value)} data-testid="dev-account-select" aria-label="Dev account">
                    {accounts.map((a, i) => (
                      <option key={a} value={a}>
                        #{i} {shortAddress(a)}
                        {i === 0 ? " (deployer)" : i === 1 ? " (demo creator)" : ""}
                      </option>
                    ))}
                  </select>
                  <Button
                    data-testid="connect-dev"
                    onClick={() => {
                      selectDevAccount(devChoice as Address);
                      connect.mutate({ connector: dev, chainId: local.id }, { onSuccess: () => setOpen(false) });
                    }}
                  >
                    Use this account
                  </Button>
                </div>
              )}
            </>
          )}
          {connect.error && <Notice tone="bad">{explainError(connect.error)}</Notice>}
        </div>
      )}
    </div>
  );
}

/** A banner when the wallet is on a network the app does not know, with a button to switch. */
export function NetworkGuard() {
  const { chain, walletOnWrongChain } = useActiveChain();
  const switchChain = useSwitchChain();
  if (!walletOnWrongChain) return null;
  return (
    <div className="network-guard" role="alert" data-testid="wrong-network">
      <span>Your wallet is on a network Coterie does not use here. Switch to {chain.name} to continue.</span>
      <Button className="btn-small" loading={switchChain.isPending} onClick={() => switchChain.mutate({ chainId: chain.id })} data-testid="switch-network">
        Switch to {chain.name}
      </Button>
      {switchChain.error && <span className="field-error">{explainError(switchChain.error)}</span>}
    </div>
  );
}
