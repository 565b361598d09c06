/** The app's small set of building blocks; styles live in styles.css. */
import { useState, type ButtonHTMLAttributes, type InputHTMLAttributes, type ReactNode } from "react";
import type { Address } from "viem";
import { explorerLink, useActiveChain } from "../config/context.tsx";
import { formatAmount, formatVotes, shortAddress, VOTES } from "../lib/format.ts";
import type { TxState } from "../hooks/useTransaction.ts";

export function Button(
  props: ButtonHTMLAttributes<HTMLButtonElement> & { variant?: "primary" | "secondary" | "ghost"; loading?: boolean },
) {
  const { variant = "primary", loading = false, className = "", children, disabled, ...rest } = props;
  return (
    <button className={`btn btn-${variant} ${className}`} disabled={disabled || loading} aria-busy={loading} {...rest}>
      {loading && <span className="spinner" aria-hidden />}
      {children}
    </button>
  );
}

export function Card({ title, actions, children, className = "", testId }: {
  title?: ReactNode;
  actions?: ReactNode;
  children: ReactNode;
  className?: string;
  testId?: string;
}) {
  return (
    <section className={`card ${className}`} data-testid={testId}>
      {(title || actions) && (
        <header className="card-header">
          {title && <h2>{title}</h2>}
          {actions && <div className="card-actions">{actions}</div>}
        </header>
      )}
      {children}
    </section>
  );
}

/** A labelled input with its validation message right below it. */
export function Field(
  props: InputHTMLAttributes<HTMLInputElement> & { label: string; error?: string | null; hint?: ReactNode; suffix?: ReactNode },
) {
  const { label, error, hint, suffix, id, name, ...rest } = props;
  const inputId = id ?? `f-${name ?? label.replace(/\W+/g, "-").toLowerCase()}`;
  return (
    <div className={`field ${error ? "field-invalid" : ""}`}>
      <label htmlFor={inputId}>{label}</label>
      <div className="field-input">
        <input id={inputId} name={name} aria-invalid={!!error} aria-describedby={`${inputId}-msg`} {...rest} />
        {suffix && <span className="field-suffix">{suffix}</span>}
      </div>
      {error ? (
        <p className="field-error" id={`${inputId}-msg`} role="alert" data-testid={`${name ?? inputId}-error`}>
          {error}
        </p>
      ) : hint ? (
        <p className="field-hint" id={`${inputId}-msg`}>
          {hint}
        </p>
      ) : null}
    </div>
  );
}

export type Tone = "neutral" | "good" | "warn" | "bad" | "info" | "accent";

export function Badge({ tone = "neutral", children, testId }: { tone?: Tone; children: ReactNode; testId?: string }) {
  return (
    <span className={`badge badge-${tone}`} data-testid={testId}>
      {children}
    </span>
  );
}

export function VerifiedBadge() {
  return (
    <span className="badge badge-verified" title="Verified by the platform DAO" data-testid="verified-badge">
      ✓ Verified
    </span>
  );
}

/**
 * A community's verification as a badge: verified by the platform DAO, or plainly marked as not
 * verified (issue 11 item 17: unverified communities used to show nothing, which reads as trust).
 */
export function VerificationBadge({ verified }: { verified: boolean }) {
  if (verified) return <VerifiedBadge />;
  return (
    <span
      className="badge badge-warn"
      title="The platform DAO has not verified this community: anyone can launch one under any name. Check who runs it before you trust it."
      data-testid="not-verified-badge"
    >
      Not verified
    </span>
  );
}

/** Copies `text` to the clipboard; shows "Copied" for a moment. */
export function CopyButton({ text, label = "Copy", testId }: { text: string; label?: string; testId?: string }) {
  const [copied, setCopied] = useState(false);
  return (
    <button
      type="button"
      className="btn btn-ghost btn-small"
      data-testid={testId}
      onClick={() => {
        void navigator.clipboard?.writeText(text).catch(() => undefined);
        setCopied(true);
        window.setTimeout(() => setCopied(false), 1500);
      }}
    >
      {copied ? "Copied" : label}
    </button>
  );
}

/** A shortened address with a copy button and, where the chain has one, an explorer link. */
export function AddressView({ address, label }: { address: Address | string; label?: string }) {
  const { chain } = useActiveChain();
  const link = explorerLink(chain, "address", address);
  return (
    <span className="address" title={address}>
      {label && <span className="address-label">{label}</span>}
      {link ? (
        <a href={link} target="_blank" rel="noreferrer">
          {shortAddress(address)}
        </a>
      ) : (
        <code>{shortAddress(address)}</code>
      )}
      <CopyButton text={address} />
    </span>
  );
}

export function Amount({ value, decimals, symbol, testId }: { value: bigint; decimals: number; symbol?: string; testId?: string }) {
  return (
    <span className="amount" data-testid={testId} data-raw={value.toString()}>
      {symbol === VOTES ? formatVotes(value, decimals) : formatAmount(value, decimals, symbol)}
    </span>
  );
}

export function Stat({ label, children, testId }: { label: string; children: ReactNode; testId?: string }) {
  return (
    <div className="stat" data-testid={testId}>
      <div className="stat-label">{label}</div>
      <div className="stat-value">{children}</div>
    </div>
  );
}

export function Progress({ value, max, label, tone = "accent" }: { value: bigint; max: bigint; label?: string; tone?: Tone }) {
  const pct = max === 0n ? 0 : Math.min(100, Number((value * 10_000n) / max) / 100);
  return (
    <div className="progress" role="progressbar" aria-valuenow={pct} aria-valuemin={0} aria-valuemax={100} aria-label={label}>
      <div className={`progress-bar progress-${tone}`} style={{ width: `${pct}%` }} />
    </div>
  );
}

export function Spinner({ label = "Loading…" }: { label?: string }) {
  return (
    <div className="loading" role="status">
      <span className="spinner" aria-hidden /> {label}
    </div>
  );
}

export function Skeleton({ lines = 3 }: { lines?: number }) {
  return (
    <div className="skeleton" aria-busy="true" aria-label="Loading">
      {Array.from({ length: lines }, (_, i) => (
        <div key={i} className="skeleton-line" style={{ width: `${90 - i * 15}%` }} />
      ))}
    </div>
  );
}

export function Empty({ title, children }: { title: string; children?: ReactNode }) {
  return (
    <div className="empty">
      <p className="empty-title">{title}</p>
      {children && <div className="empty-body">{children}</div>}
    </div>
  );
}

export function Notice({ tone = "info", children, testId }: { tone?: Tone; children: ReactNode; testId?: string }) {
  return (
    <div className={`notice notice-${tone}`} role={tone === "bad" ? "alert" : "status"} data-testid={testId}>
      {children}
    </div>
  );
}

/** The state of one transaction: checking, waiting for the wallet, pending (with an explorer link), confirmed, or why it failed. */
export function TxStatus({ state, success, testId = "tx-status" }: { state: TxState; success?: ReactNode; testId?: string }) {
  const { chain } = useActiveChain();
  if (state.status === "idle") return null;
  const hashLink = "hash" in state && state.hash ? explorerLink(chain, "tx", state.hash) : null;
  const hashView =
    "hash" in state && state.hash ? (
      hashLink ? (
        <a href={hashLink} target="_blank" rel="noreferrer">
          {shortAddress(state.hash)}
        </a>
      ) : (
        <code title={state.hash}>{shortAddress(state.hash)}</code>
      )
    ) : null;
  switch (state.status) {
    case "simulating":
      return (
        <div className="tx tx-busy" data-testid={testId} data-status={state.status}>
          <span className="spinner" aria-hidden /> Checking the transaction…
        </div>
      );
    case "awaiting-signature":
      return (
        <div className="tx tx-busy" data-testid={testId} data-status={state.status}>
          <span className="spinner" aria-hidden /> Confirm in your wallet…
        </div>
      );
    case "queued":
      return (
        <div className="tx tx-busy" data-testid={testId} data-status={state.status}>
          <span className="spinner" aria-hidden /> Queued: the Coterie server will send it and pay the gas…
        </div>
      );
    case "pending":
      return (
        <div className="tx tx-busy" data-testid={testId} data-status={state.status}>
          <span className="spinner" aria-hidden /> Pending: {hashView}
        </div>
      );
    case "confirmed":
      return (
        <div className="tx tx-good" data-testid={testId} data-status={state.status} data-refreshing={state.refreshing ? "true" : undefined}>
          ✓ {success ?? "Confirmed"} <span className="muted">(block {state.receipt.blockNumber.toString()}, {hashView})</span>
          {state.refreshing && (
            <span className="muted" data-testid={`${testId}-refreshing`}>
              {" "}
              <span className="spinner" aria-hidden /> Updating the figures on this page…
            </span>
          )}
        </div>
      );
    case "error":
      return (
        <div className="tx tx-bad" role="alert" data-testid={testId} data-status={state.status}>
          {state.message} {hashView && <span className="muted">({hashView})</span>}
        </div>
      );
  }
}
