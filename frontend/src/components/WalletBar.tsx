/**
 * Connect and disconnect: injected wallets discovered through EIP-6963 (each shows its own name and
 * icon), and on the local chain the dev accounts. A wallet on a network the app is not configured
 * for gets a banner with a switch button (see NetworkGuard).
 */
import { useEffect, useRef, useState } from "react";
import { useConnect, useConnection, useConnectors, useDisconnect, useSwitchChain, type Connector } from "wagmi";
import type { Address } from "viem";
import { useActiveChain, useRuntime, useWalletSettled } from "../config/context.tsx";
import { DEV_CONNECTOR_ID, devAccounts, selectDevAccount } from "../config/devConnector.ts";
import { explainError } from "../lib/errors.ts";
import { shortAddress } from "../lib/format.ts";
import { Button, CopyButton, Notice } from "./ui.tsx";

const OPEN_EVENT = "coterie:open-wallet-menu";

/** Opens the wallet menu from anywhere (e.g. a page's "Connect wallet" prompt). */
export function openWalletMenu(): void {
  window.dispatchEvent(new Event(OPEN_EVENT));
}

/** The generic `injected` connector's id: wagmi lists it whether or not a wallet exists. */
const GENERIC_INJECTED_ID = "injected";

/**
 * The browser wallets to offer: every wallet announced through EIP-6963 (by its own name and icon);
 * the generic injected entry only when `window.ethereum` exists and no wallet announced itself (a
 * wallet that announces is usually the same one behind `window.ethereum`). Never the dev connector.
 */
export function walletOptions<C extends Pick<Connector, "id" | "type">>(connectors: readonly C[], hasWindowEthereum: boolean): C[] {
  const wallets = connectors.filter((c) => c.id !== DEV_CONNECTOR_ID);
  const announced = wallets.filter((c) => c.id !== GENERIC_INJECTED_ID);
  if (announced.length > 0) return announced;
  return hasWindowEthereum ? wallets.filter((c) => c.id === GENERIC_INJECTED_ID) : [];
}

/** A connector's name as shown: wagmi calls the generic one "Injected". */
export function walletLabel(c: Pick<Connector, "id" | "name">): string {
  return c.id === GENERIC_INJECTED_ID ? "Browser wallet" : c.name;
}

export function WalletBar() {
  const connection = useConnection();
  const connectors = useConnectors();
  const connect = useConnect();
  const disconnect = useDisconnect();
  const runtime = useRuntime();
  // "true" once a reload's session restore is over (tests wait for it before checking the result).
  const settled = useWalletSettled() ? "true" : "false";
  const local = runtime.chains.find((c) => c.local);
  const [open, setOpen] = useState(false);
  const [accounts, setAccounts] = useState<Address[] | null>(null);
  const [devChoice, setDevChoice] = useState<string>("");
  const [pendingUid, setPendingUid] = useState<string | null>(null);
  const menu = useRef<HTMLDivElement>(null);
  const { reset: resetConnect } = connect;

  // Opened from a page's prompt: start fresh (no error left over from an earlier attempt).
  useEffect(() => {
    const onOpen = () => {
      resetConnect();
      setOpen(true);
    };
    window.addEventListener(OPEN_EVENT, onOpen);
    return () => window.removeEventListener(OPEN_EVENT, onOpen);
  }, [resetConnect]);

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
    const escape = (e: KeyboardEvent) => {
      if (e.key === "Escape") setOpen(false);
    };
    document.addEventListener("mousedown", close);
    document.addEventListener("keydown", escape);
    return () => {
      document.removeEventListener("mousedown", close);
      document.removeEventListener("keydown", escape);
    };
  }, [open]);

  if (connection.isConnected && connection.address) {
    return (
      <div className="wallet" data-testid="wallet-connected" data-settled={settled}>
        <span className="wallet-account" title={connection.address} data-testid="wallet-address" data-address={connection.address}>
          {connection.connector?.icon ? (
            <img className="wallet-icon" src={connection.connector.icon} alt="" width={16} height={16} />
          ) : (
            <span className="dot dot-good" aria-hidden />
          )}
          {shortAddress(connection.address)}
          <span className="muted wallet-name" data-testid="wallet-name">
            {connection.connector ? walletLabel(connection.connector) : ""}
          </span>
        </span>
        <CopyButton text={connection.address} />
        <Button
          variant="secondary"
          className="btn-small"
          loading={disconnect.isPending}
          onClick={() => disconnect.mutate()}
          data-testid="disconnect"
        >
          Disconnect
        </Button>
      </div>
    );
  }

  const dev = connectors.find((c) => c.id === DEV_CONNECTOR_ID);
  const shown = walletOptions(connectors, typeof window !== "undefined" && "ethereum" in window);
  const connectWith = (connector: Connector, chainId?: number) => {
    setPendingUid(connector.uid);
    connect.mutate(
      { connector, chainId },
      { onSuccess: () => setOpen(false), onSettled: () => setPendingUid(null) },
    );
  };

  return (
    <div className="wallet" ref={menu} data-testid="wallet-disconnected" data-settled={settled}>
      <Button
        onClick={() => {
          if (!open) resetConnect();
          setOpen(!open);
        }}
        loading={connect.isPending}
        data-testid="connect-wallet"
        aria-expanded={open}
        aria-haspopup="dialog"
      >
        Connect wallet
      </Button>
      {open && (
        <div className="wallet-menu" role="dialog" aria-label="Connect a wallet" data-testid="wallet-menu">
          <h3>Browser wallets</h3>
          {shown.length === 0 && (
            <p className="muted" data-testid="no-wallet">
              No wallet extension found. Install one{dev && local ? ", or use a dev account on the local chain" : ""}.
            </p>
          )}
          {shown.map((c) => (
            <button
              key={c.uid}
              type="button"
              className="wallet-option"
              data-testid={`wallet-option-${c.id}`}
              disabled={connect.isPending}
              onClick={() => connectWith(c)}
            >
              {c.icon ? <img src={c.icon} alt="" width={24} height={24} /> : <span className="wallet-icon-placeholder" aria-hidden />}
              <span className="wallet-option-name">{walletLabel(c)}</span>
              {pendingUid === c.uid && <span className="spinner" aria-label="Waiting for the wallet" />}
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
                    loading={pendingUid === dev.uid}
                    disabled={connect.isPending}
                    onClick={() => {
                      selectDevAccount(devChoice as Address);
                      connectWith(dev, local.id);
                    }}
                  >
                    Use this account
                  </Button>
                </div>
              )}
            </>
          )}
          {connect.error && (
            <Notice tone="bad" testId="connect-error">
              {explainError(connect.error)}
            </Notice>
          )}
        </div>
      )}
    </div>
  );
}

/** A banner when the wallet is on a network the app does not know, with a button to switch. */
export function NetworkGuard() {
  const { chain, walletOnWrongChain } = useActiveChain();
  const connection = useConnection();
  const switchChain = useSwitchChain();
  if (!walletOnWrongChain) return null;
  return (
    <div className="network-guard" role="alert" data-testid="wrong-network">
      <span>
        Your wallet is on a network Coterie does not use here{connection.chainId ? ` (chain ${connection.chainId})` : ""}. Switch to {chain.name} to
        continue.
      </span>
      <Button className="btn-small" loading={switchChain.isPending} onClick={() => switchChain.mutate({ chainId: chain.id })} data-testid="switch-network">
        Switch to {chain.name}
      </Button>
      {switchChain.error && (
        <span className="network-guard-error" data-testid="switch-network-error">
          {explainError(switchChain.error)}
        </span>
      )}
    </div>
  );
}
