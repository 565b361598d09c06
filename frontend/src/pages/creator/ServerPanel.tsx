/**
 * "Free joins & sponsored actions": the creator's view of the Coterie server for this community
 * (docs/server.md). Shows what the server sponsors (relay budget this epoch) and the join rules,
 * lets the operator change the join rules (saved with an EIP-4361 sign-in bound to the exact
 * settings, PUT /v1/communities/:token/settings), and, when the vault's attester is not the
 * server's, offers `rewardVault.setAttester(serverAttester)` from the operator's wallet, saying
 * what that changes. Rendered only on chains whose /coterie.json entry names a server.
 */
import { useEffect, useState } from "react";
import { formatUnits, getAddress, isAddress, parseUnits, type Address } from "viem";
import { useQueryClient } from "@tanstack/react-query";
import { AddressView, Amount, Badge, Button, Card, Empty, Field, Notice, Skeleton, TxStatus } from "../../components/ui.tsx";
import { rewardVaultAbi } from "../../generated/abis.ts";
import type { CommunityData } from "../../hooks/useCommunity.ts";
import { settingsJson, settingsResource, useSignIn } from "../../hooks/useSignIn.ts";
import { useServer, useServerCommunity } from "../../hooks/useSponsored.ts";
import { useTransaction } from "../../hooks/useTransaction.ts";
import { explainError } from "../../lib/errors.ts";
import { ServerError, type ServerCommunity, type SettingsInput } from "../../lib/server.ts";

interface JoinForm {
  enabled: boolean;
  welcome: string;
  ttlDays: string;
  perReferrerPerDay: string;
  perIpPerHour: string;
  allowlist: string;
}

function formFrom(community: ServerCommunity, decimals: number): JoinForm {
  const j = community.join;
  return {
    enabled: j.enabled,
    welcome: formatUnits(j.welcome, decimals),
    ttlDays: String(j.voucherTtlSeconds / 86_400),
    perReferrerPerDay: String(j.perReferrerPerDay),
    perIpPerHour: String(j.perIpPerHour),
    allowlist: (j.allowlist ?? []).join("\n"),
  };
}

export type FormCheck = { ok: true; settings: SettingsInput } | { ok: false; errors: Partial<Record<keyof JoinForm, string>> };

/** The join rules as the API takes them, or each bad field's message (nothing is signed then). */
export function checkJoinForm(form: JoinForm, decimals: number): FormCheck {
  const errors: Partial<Record<keyof JoinForm, string>> = {};
  let welcome = 0n;
  try {
    welcome = parseUnits(form.welcome.trim(), decimals);
    if (welcome <= 0n) errors.welcome = "The welcome reward must be more than zero.";
  } catch {
    errors.welcome = "Enter an amount of tokens, e.g. 100.";
  }
  const ttl = Number(form.ttlDays);
  if (!Number.isFinite(ttl) || ttl <= 0 || ttl > 365) errors.ttlDays = "Between a fraction of a day and 365 days.";
  const whole = (text: string, key: keyof JoinForm) => {
    const n = Number(text);
    if (!Number.isInteger(n) || n < 0 || n > 1_000_000) errors[key] = "A whole number, 0 or more.";
    return n;
  };
  const perReferrerPerDay = whole(form.perReferrerPerDay, "perReferrerPerDay");
  const perIpPerHour = whole(form.perIpPerHour, "perIpPerHour");
  const lines = form.allowlist.split(/[\s,]+/).filter((l) => l !== "");
  const bad = lines.find((l) => !isAddress(l));
  if (bad) errors.allowlist = `Not an address: ${bad}`;
  if (Object.keys(errors).length > 0) return { ok: false, errors };
  return {
    ok: true,
    settings: {
      join: {
        enabled: form.enabled,
        welcome: welcome.toString(),
        voucherTtlSeconds: Math.round(ttl * 86_400),
        perReferrerPerDay,
        perIpPerHour,
        allowlist: lines.length === 0 ? null : lines.map((l) => getAddress(l)),
      },
    },
  };
}

type SaveState = { status: "idle" } | { status: "awaiting-signature" } | { status: "saving" } | { status: "confirmed" } | { status: "error"; message: string };

export default function ServerPanel({ data }: { data: CommunityData }) {
  const { community } = data;
  const server = useServer();
  const query = useServerCommunity(community.token);
  if (!server) return null;
  return (
    <Card title="Free joins & sponsored actions" testId="server-panel" className="server-panel">
      {query.isPending ? (
        <Skeleton lines={3} />
      ) : query.isError ? (
        <Empty title="The Coterie server does not answer">{explainError(query.error)} Fans can still do everything from their own wallets.</Empty>
      ) : (
        <ServerSettings data={data} sc={query.data} />
      )}
    </Card>
  );
}

function ServerSettings({ data, sc }: { data: CommunityData; sc: ServerCommunity }) {
  const { community } = data;
  const server = useServer();
  const signIn = useSignIn(server);
  const queryClient = useQueryClient();
  const attesterTx = useTransaction();
  const unit = { decimals: community.decimals, symbol: community.symbol };
  const [form, setForm] = useState<JoinForm>(() => formFrom(sc, community.decimals));
  const [touched, setTouched] = useState(false);
  const [save, setSave] = useState<SaveState>({ status: "idle" });
  useEffect(() => {
    if (!touched) setForm(formFrom(sc, community.decimals));
  }, [sc, touched, community.decimals]);
  const checked = checkJoinForm(form, community.decimals);
  const errors = touched && !checked.ok ? checked.errors : {};
  const attester = sc.join.attester;
  const attesterDiffers = attester !== null && attester !== sc.join.vaultAttester;

  const set = (key: keyof JoinForm, value: string | boolean) => setForm((f) => ({ ...f, [key]: value }));

  const submit = async () => {
    setTouched(true);
    if (!checked.ok || !server) return;
    const json = settingsJson(checked.settings);
    try {
      setSave({ status: "awaiting-signature" });
      const { message, signature } = await signIn(settingsResource(community.token, json), `Change the free-join settings of ${community.name} (${community.symbol}).`);
      setSave({ status: "saving" });
      const updated = await server.putSettings(community.token, { settings: JSON.parse(json) as SettingsInput, message, signature });
      queryClient.setQueryData(["server-community", server.baseUrl, community.token], updated);
      setTouched(false);
      setSave({ status: "confirmed" });
    } catch (error) {
      setSave({ status: "error", message: error instanceof ServerError ? error.message : explainError(error) });
    }
  };

  return (
    <div className="stack" data-testid="server-settings" data-loaded="true">
      <p className="muted small">
        The community's Coterie server pays the gas for fans: votes, delegation, redeeming vouchers and claims. New fans who open a
        referral link get a welcome reward signed by the server, and their referrer earns the vault's {sc.join.referralBps / 100}% bonus.
      </p>
      <div className="stats">
        <div className="stat">
          <div className="stat-label">Sponsored gas this epoch</div>
          <div className="stat-value" data-testid="server-relay-used">
            {sc.relay.enabled ? `${sc.relay.epoch.used.toLocaleString()} of ${sc.relay.gasPerEpoch.toLocaleString()}` : "off"}
          </div>
        </div>
        <div className="stat">
          <div className="stat-label">Free joins</div>
          <div className="stat-value">
            {sc.join.ready ? (
              <Badge tone="good" testId="server-join-ready">
                Ready
              </Badge>
            ) : (
              <Badge tone="warn" testId="server-join-not-ready">
                Not ready
              </Badge>
            )}
          </div>
        </div>
      </div>

      {attester === null && <Notice tone="warn">This server has no attester key, so it cannot sign welcome vouchers.</Notice>}
      {attesterDiffers && (
        <div className="stack-tight" data-testid="server-attester">
          <Notice tone="warn">
            The vault's attester is <AddressView address={sc.join.vaultAttester} />, not the server's (<AddressView address={attester} />). Welcome
            vouchers need the server as the vault's attester. Once you change it, claim links signed by the previous attester (including yours
            signed earlier) stop working; the vault's budget per epoch still bounds what any attester can hand out.
          </Notice>
          <div className="row">
            <Button
              onClick={() => void attesterTx.send({ address: sc.rewardVault, abi: rewardVaultAbi, functionName: "setAttester", args: [attester as Address] })}
              loading={attesterTx.busy}
              data-testid="server-set-attester"
            >
              Let the server sign welcome vouchers
            </Button>
          </div>
        </div>
      )}
      <TxStatus state={attesterTx.state} success="The server now signs welcome vouchers." testId="server-attester-tx" />

      <form
        className="stack-tight"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          void submit();
        }}
      >
        <label className="checkbox">
          <input type="checkbox" checked={form.enabled} onChange={(e) => set("enabled", e.target.checked)} data-testid="server-join-enabled" /> Welcome new fans
          for free
        </label>
        <Field
          label={`Welcome reward (${community.symbol})`}
          name="server-welcome"
          value={form.welcome}
          onChange={(e) => set("welcome", e.target.value)}
          error={errors.welcome}
          hint={checked.ok && checked.settings.join?.welcome ? <>Each new fan gets <Amount value={BigInt(checked.settings.join.welcome)} {...unit} />, once.</> : undefined}
        />
        <Field label="Voucher valid for (days)" name="server-ttl" value={form.ttlDays} onChange={(e) => set("ttlDays", e.target.value)} error={errors.ttlDays} />
        <Field
          label="Joins per referrer per day"
          name="server-per-referrer"
          value={form.perReferrerPerDay}
          onChange={(e) => set("perReferrerPerDay", e.target.value)}
          error={errors.perReferrerPerDay}
        />
        <Field label="Joins per IP address per hour" name="server-per-ip" value={form.perIpPerHour} onChange={(e) => set("perIpPerHour", e.target.value)} error={errors.perIpPerHour} />
        <div className={`field ${errors.allowlist ? "field-invalid" : ""}`}>
          <label htmlFor="server-allowlist">
            Allowlist <span className="muted">(optional: one address per line; empty lets anyone join)</span>
          </label>
          <textarea id="server-allowlist" value={form.allowlist} onChange={(e) => set("allowlist", e.target.value)} data-testid="server-allowlist" />
          {errors.allowlist && (
            <p className="field-error" data-testid="server-allowlist-error">
              {errors.allowlist}
            </p>
          )}
        </div>
        <div className="row">
          <Button type="submit" loading={save.status === "awaiting-signature" || save.status === "saving"} data-testid="server-settings-save">
            Save (sign in with your wallet)
          </Button>
        </div>
      </form>
      <SaveStatus state={save} />
    </div>
  );
}

function SaveStatus({ state }: { state: SaveState }) {
  if (state.status === "idle") return null;
  const text =
    state.status === "awaiting-signature"
      ? "Sign in with your wallet to save…"
      : state.status === "saving"
        ? "Saving on the server…"
        : state.status === "confirmed"
          ? "✓ Saved."
          : state.message;
  return (
    <div
      className={`tx ${state.status === "error" ? "tx-bad" : state.status === "confirmed" ? "tx-good" : "tx-busy"}`}
      role={state.status === "error" ? "alert" : "status"}
      data-testid="server-settings-tx"
      data-status={state.status}
    >
      {text}
    </div>
  );
}
