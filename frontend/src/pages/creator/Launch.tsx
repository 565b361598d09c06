/**
 * /launch: a creator launches a community (token, governor, timelock and reward vault) in one
 * `createCommunity` transaction. Fields are checked as they are typed (lib/launch.ts); the addresses
 * the community will get and the creation fee are shown before anything is signed; on success the
 * app opens the new community's page.
 */
import { useEffect, useMemo, useState, type FormEvent, type ReactNode } from "react";
import { useConnection } from "wagmi";
import type { Hex } from "viem";
import { openWalletMenu } from "../../components/WalletBar.tsx";
import { AddressView, Amount, Button, Card, Field, Notice, Skeleton, TxStatus } from "../../components/ui.tsx";
import { useActiveChain } from "../../config/context.tsx";
import { useLaunchCommunity, usePredictCommunity, useReadFactoryFacts } from "../../hooks/useLaunchCommunity.ts";
import { explainError } from "../../lib/errors.ts";
import {
  ADVANCED_FIELDS,
  DURATION_UNITS,
  PRESETS,
  applyPreset,
  describeGovernance,
  describeRewards,
  editDraft,
  initialDraft,
  presetOf,
  saltOf,
  validateLaunch,
  type DurationField,
  type DurationInput,
  type DurationUnit,
  type LaunchField,
  type LaunchForm,
  type PresetName,
} from "../../lib/launch.ts";
import { Link, navigate } from "../../lib/router.tsx";
import { communityPath } from "../../lib/routes.ts";

export default function LaunchPage() {
  const { chain } = useActiveChain();
  const connection = useConnection();
  const account = connection.isConnected ? connection.address : undefined;
  const [draft, setDraft] = useState(() => initialDraft("standard"));
  const [touched, setTouched] = useState<ReadonlySet<LaunchField>>(new Set());
  const [submitted, setSubmitted] = useState(false);
  const [advancedOpen, setAdvancedOpen] = useState(false);
  const facts = useReadFactoryFacts();
  const vaultAvailable = facts.data?.vaultAvailable ?? true;
  const { form } = draft;
  const check = useMemo(() => validateLaunch(form, { vaultAvailable }), [form, vaultAvailable]);
  const salt = useDebounced(saltOf(form), 350);
  const predicted = usePredictCommunity(account, salt);
  const { tx, launch } = useLaunchCommunity();

  const edit = <F extends LaunchField>(field: F, value: LaunchForm[F]) => {
    setDraft((d) => editDraft(d, field, value));
    setTouched((t) => (t.has(field) ? t : new Set(t).add(field)));
    if (tx.state.status === "error") tx.reset();
  };
  const errorOf = (field: LaunchField): string | undefined => (submitted || touched.has(field) ? check.errors[field] : undefined);
  const bind = (field: Exclude<LaunchField, DurationField>) => ({
    name: `launch-${field}`,
    "data-testid": `launch-${field}`,
    value: form[field],
    error: errorOf(field),
    onChange: (e: { target: { value: string } }) => edit(field, e.target.value),
  });
  const bindDuration = (field: DurationField) => ({
    field,
    value: form[field],
    error: errorOf(field),
    onChange: (value: DurationInput) => edit(field, value),
  });

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setSubmitted(true);
    if (!check.ok) {
      if (ADVANCED_FIELDS.some((f) => check.errors[f])) setAdvancedOpen(true);
      return;
    }
    if (!facts.data) {
      tx.fail(facts.isError ? `Cannot read the platform's creation fee: ${explainError(facts.error)}` : "Still reading the creation fee; try again in a moment.");
      return;
    }
    if (facts.data.paused) {
      tx.fail("Creating communities is paused by the platform DAO.");
      return;
    }
    const created = await launch(check.params, facts.data.fee);
    // The community page greets its creator with the link to share and the next steps.
    if (created) navigate(`${communityPath(created.token)}?launched=1`);
  };

  const symbol = check.errors.symbol || form.symbol.trim() === "" ? "tokens" : form.symbol.trim();
  const invalidCount = Object.keys(check.errors).length;
  const preset = presetOf(form);

  return (
    <form className="launch" onSubmit={submit} noValidate data-testid="launch-page">
      <header className="launch-intro">
        <h1>Launch a community</h1>
        <p className="muted">
          One transaction creates your social token, its DAO (a governor and a timelock that holds the treasury) and a reward vault for
          vouchers and referrals. You start with your allocation; everything else is decided by the holders' votes.
        </p>
      </header>
      <div className="launch-layout">
        <div className="stack launch-sections">
          <Card title="Token" testId="launch-token">
            <div className="grid grid-2">
              <Field label="Community name" placeholder="Aurora Fans" autoComplete="off" maxLength={80} {...bind("name")} hint="The token's name; the governor is called “<name> Governor”." />
              <Field
                label="Symbol"
                placeholder="AUR"
                autoComplete="off"
                autoCapitalize="characters"
                maxLength={16}
                {...bind("symbol")}
                hint="2 to 11 capital letters or digits."
              />
              <Field label="Supply cap" inputMode="decimal" suffix={symbol} {...bind("cap")} hint="No more tokens can ever exist." />
              <Field label="Your allocation" inputMode="decimal" suffix={symbol} {...bind("allocation")} hint="Minted to you at launch; at most the cap." />
            </div>
          </Card>

          <Card
            title="Governance"
            testId="launch-governance"
            actions={
              <div className="launch-presets" role="group" aria-label="Governance preset">
                {(Object.keys(PRESETS) as PresetName[]).map((name) => (
                  <button
                    key={name}
                    type="button"
                    className={`launch-preset ${preset === name ? "launch-preset-active" : ""}`}
                    aria-pressed={preset === name}
                    data-testid={`launch-preset-${name}`}
                    onClick={() => setDraft((d) => applyPreset(d, name))}
                  >
                    {PRESETS[name].label}
                  </button>
                ))}
              </div>
            }
          >
            <ul className="launch-rules" data-testid="launch-governance-summary">
              {describeGovernance(form).map((line) => (
                <li key={line}>{line}</li>
              ))}
            </ul>
            {preset === "quick" ? (
              <Notice tone="warn">Quick times are for trying things out on a local chain: a real community needs days to notice and vote on a proposal.</Notice>
            ) : (
              chain.local && <p className="muted launch-note">On this local chain, “Quick” lets a proposal pass in minutes.</p>
            )}
            <details className="launch-advanced" open={advancedOpen} onToggle={(e) => setAdvancedOpen(e.currentTarget.open)}>
              <summary data-testid="launch-advanced">Advanced settings</summary>
              <div className="grid grid-2">
                <DurationField label="Voting delay" hint="Time between a proposal and the start of voting (at least 1 second)." {...bindDuration("votingDelay")} />
                <DurationField label="Voting period" hint="How long voting stays open." {...bindDuration("votingPeriod")} />
                <Field label="Proposal threshold" inputMode="decimal" suffix={symbol} {...bind("proposalThreshold")} hint={thresholdHint(draft.follow.proposalThreshold)} />
                <Field label="Quorum" inputMode="decimal" suffix="%" {...bind("quorum")} hint="Share of the supply that must vote for or abstain (0.01% to 100%)." />
                <DurationField label="Late-quorum extension" hint="Extra voting time when quorum is reached at the last minute; at most the voting period; 0 turns it off." {...bindDuration("lateQuorumExtension")} />
                <DurationField label="Timelock delay" hint="How long a passed proposal waits before it can be executed." {...bindDuration("timelockDelay")} />
                <Field label="Salt nonce" inputMode="numeric" {...bind("nonce")} hint="Change it to launch another community with the same name and symbol." />
              </div>
            </details>
          </Card>

          <Card title="Rewards" testId="launch-rewards">
            {facts.data && !facts.data.vaultAvailable ? (
              <Notice>This platform creates communities without a reward vault for now; the platform DAO can add one for future launches.</Notice>
            ) : (
              <>
                <p className="muted launch-note">{describeRewards(form)}</p>
                <div className="grid grid-2">
                  <Field
                    label="Budget per epoch"
                    inputMode="decimal"
                    suffix={symbol}
                    {...bind("epochBudget")}
                    hint={`${draft.follow.epochBudget ? "1% of the cap. " : ""}The most the vault can pay out per epoch, so a leaked signing key cannot inflate the supply.`}
                  />
                  <DurationField label="Epoch length" hint="The budget refills at the start of each epoch." {...bindDuration("epochLength")} />
                  <Field label="Referral bonus" inputMode="decimal" suffix="%" {...bind("referral")} hint="Paid to a fan's referrer on top of each reward the fan earns (0% to 100%)." />
                  <Field label="Attester" placeholder="You (the connected account)" autoComplete="off" spellCheck={false} {...bind("attester")} hint="Signs reward vouchers. Leave empty to sign them yourself." />
                </div>
              </>
            )}
          </Card>
        </div>

        <aside className="launch-aside">
          <Card title="Review and launch" testId="launch-review">
            <dl className="launch-facts">
              <Fact label="Token">{check.errors.name || check.errors.symbol ? <span className="muted">—</span> : `${form.name.trim()} (${form.symbol.trim()})`}</Fact>
              <Fact label="Creation fee">
                {facts.isPending ? (
                  <span className="muted">reading…</span>
                ) : facts.isError ? (
                  <span className="field-error">{explainError(facts.error)}</span>
                ) : (
                  <>
                    <Amount value={facts.data.fee} decimals={18} symbol="ETH" testId="launch-fee" />
                    {facts.data.fee === 0n && <span className="muted"> (free)</span>}
                  </>
                )}
              </Fact>
            </dl>
            {facts.data?.paused && <Notice tone="bad">Creating communities is paused by the platform DAO.</Notice>}
            <Predicted account={account} salt={salt} pending={salt !== saltOf(form)} query={predicted} onNextNonce={() => edit("nonce", String(Number(form.nonce) + 1))} />
            <Button
              type="submit"
              className="launch-submit"
              loading={tx.busy}
              disabled={!account || facts.data?.paused === true}
              data-testid="launch-submit"
            >
              Launch community
            </Button>
            {submitted && !check.ok && (
              <p className="field-error" role="alert" data-testid="launch-invalid">
                {invalidCount === 1 ? "One field needs fixing" : `${invalidCount} fields need fixing`} before launching (see the messages above).
              </p>
            )}
            <TxStatus state={tx.state} success="Community launched; opening its page…" testId="launch-tx" />
          </Card>
        </aside>
      </div>
    </form>
  );
}

function DurationField(props: { field: DurationField; label: string; hint: ReactNode; value: DurationInput; error?: string; onChange: (v: DurationInput) => void }) {
  const { field, label, hint, value, error, onChange } = props;
  return (
    <Field
      label={label}
      name={`launch-${field}`}
      data-testid={`launch-${field}`}
      inputMode="decimal"
      value={value.amount}
      error={error}
      hint={hint}
      onChange={(e) => onChange({ ...value, amount: e.target.value })}
      suffix={
        <select
          className="unit-select"
          aria-label={`${label} unit`}
          data-testid={`launch-${field}-unit`}
          value={value.unit}
          onChange={(e) => onChange({ ...value, unit: e.target.value as DurationUnit })}
        >
          {(Object.keys(DURATION_UNITS) as DurationUnit[]).map((u) => (
            <option key={u} value={u}>
              {u}
            </option>
          ))}
        </select>
      }
    />
  );
}

function Fact({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="launch-fact">
      <dt>{label}</dt>
      <dd>{children}</dd>
    </div>
  );
}

function Predicted({
  account,
  salt,
  pending,
  query,
  onNextNonce,
}: {
  account: string | undefined;
  salt: Hex | null;
  pending: boolean;
  query: ReturnType<typeof usePredictCommunity>;
  onNextNonce: () => void;
}) {
  if (!account) {
    return (
      <Notice testId="launch-connect">
        <div className="stack">
          <span>Connect a wallet to see your community's addresses and launch it. You will be its creator.</span>
          <Button variant="secondary" className="btn-small" onClick={openWalletMenu} data-testid="launch-connect-button">
            Connect wallet
          </Button>
        </div>
      </Notice>
    );
  }
  if (salt === null) return <p className="muted">Enter a name and a symbol to see your community's addresses.</p>;
  if (query.isError) return <Notice tone="bad">Cannot predict the addresses: {explainError(query.error)}</Notice>;
  if (query.isPending || pending) return <Skeleton lines={3} />;
  const p = query.data;
  return (
    <div className="stack launch-predicted" data-testid="launch-predicted">
      <span className="muted">Your community will live at:</span>
      <span data-testid="predicted-token" data-address={p.token}>
        <AddressView address={p.token} label="Token" />
      </span>
      <AddressView address={p.governor} label="Governor" />
      <AddressView address={p.timelock} label="Treasury (timelock)" />
      {p.rewardVault && <AddressView address={p.rewardVault} label="Reward vault" />}
      {p.taken && (
        <Notice tone="warn" testId="launch-taken">
          <div className="stack">
            <span>
              You already launched a community with this name, symbol and nonce: <Link href={communityPath(p.token)}>open it</Link>.
            </span>
            <Button variant="secondary" className="btn-small" onClick={onNextNonce} data-testid="launch-next-nonce">
              Launch another one (next nonce)
            </Button>
          </div>
        </Notice>
      )}
    </div>
  );
}

function thresholdHint(following: boolean): string {
  return `${following ? "1% of your allocation. " : ""}Voting power needed to make a proposal; 0 lets any holder propose.`;
}

/** `value`, updated once it has not changed for `ms`. */
function useDebounced<T>(value: T, ms: number): T {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const timer = window.setTimeout(() => setSettled(value), ms);
    return () => window.clearTimeout(timer);
  }, [value, ms]);
  return settled;
}
