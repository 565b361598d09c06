/**
 * A new proposal from a template (`/c/<token>/propose?template=…`): validated fields, a preview of
 * the decoded actions and of the generated title and description (both editable), then
 * `governor.propose(targets, values, calldatas, description)` through useTransaction. On success the
 * page moves to the new proposal (its id from the receipt's ProposalCreated event).
 *
 * Deep links other pages use: `?template=grant-minter&target=<crowdfund>`,
 * `?template=grant-revenue&target=<revenueShare>`, `?template=verify&community=<id>`,
 * `?template=reward-budget`, `?template=referral-rate`, `?template=creation-fee`.
 */
import { useMemo, useState } from "react";
import { isAddress, parseEventLogs, type PublicClient } from "viem";
import { usePublicClient } from "wagmi";
import { Button, Card, Empty, Field, Notice, Skeleton, TxStatus } from "../../components/ui.tsx";
import { useActiveChain } from "../../config/context.tsx";
import { useCommunity, type CommunityData } from "../../hooks/useCommunity.ts";
import { useGovernorSettings } from "../../hooks/useGovernor.ts";
import { useProposalTemplateFacts } from "../../hooks/useProposalTemplateFacts.ts";
import { useTransaction } from "../../hooks/useTransaction.ts";
import { communityGovernorAbi } from "../../generated/abis.ts";
import { explainError } from "../../lib/errors.ts";
import { composeDescription, formatPeriod, proposeBlocker } from "../../lib/governance.ts";
import { decodeActions, knownContracts } from "../../lib/governance-actions.ts";
import {
  availableTemplates,
  isTemplateId,
  TEMPLATES,
  type RegistryEntry,
  type TemplateContext,
  type TemplateDef,
  type TemplateField,
  type TemplateId,
} from "../../lib/governance-templates.ts";
import { Link, navigate, useLocation } from "../../lib/router.tsx";
import { checkText } from "../../lib/validate.ts";
import { ActionList } from "./parts.tsx";
import { fetchProposalId } from "../../reads/governance.ts";
import { communityPath, proposalPath, proposePath } from "../../lib/routes.ts";

const MAX_TITLE = 200;
const MAX_BODY = 10_000;

export default function ProposePage({ token }: { token: string }) {
  const community = useCommunity(token);
  if (!isAddress(token)) return <Empty title="Not a community address">The link should contain a token address (0x…).</Empty>;
  if (community.isPending) {
    return (
      <Card>
        <Skeleton lines={6} />
      </Card>
    );
  }
  if (community.isError) return <Empty title="Cannot load this community">{explainError(community.error)}</Empty>;
  return <Propose data={community.data} />;
}

function baseContext(data: CommunityData, factory: TemplateContext["factory"]): TemplateContext {
  const c = data.community;
  return {
    community: {
      name: c.name,
      symbol: c.symbol,
      decimals: c.decimals,
      token: c.token,
      timelock: c.timelock,
      rewardVault: c.rewardVault,
      revenueShare: c.revenueShare,
      treasuryEth: c.treasuryEth,
      treasuryTokens: c.treasuryTokens,
      isPlatform: c.isPlatform,
    },
    factory,
  };
}

function Propose({ data }: { data: CommunityData }) {
  const { community } = data;
  const { chain } = useActiveChain();
  const { query } = useLocation();
  const param = query.get("template");
  const base = baseContext(data, chain.contracts.factory);
  const templates = availableTemplates(base);
  const template = isTemplateId(param) ? TEMPLATES[param] : null;
  const unavailable = template ? template.unavailable(base) : null;

  return (
    <div className="stack propose-page" data-testid="propose-page">
      <Link href={communityPath(community.token, "vote")} className="back-link">
        ← {community.name} proposals
      </Link>
      <h1>
        New proposal <span className="muted">· {community.isPlatform ? "platform DAO" : community.name}</span>
      </h1>
      <Card title="What should the DAO do?" testId="template-picker">
        <div className={`template-grid ${template ? "has-choice" : ""}`} role="list">
          {templates.map((t) => (
            <button
              key={t.id}
              type="button"
              role="listitem"
              className={`template-option ${template?.id === t.id ? "template-on" : ""}`}
              aria-pressed={template?.id === t.id}
              onClick={() => navigate(proposePath(community.token, t.id), { replace: true })}
              data-testid={`template-${t.id}`}
            >
              <strong>{t.label}</strong>
              <span className="muted">{t.blurb}</span>
            </button>
          ))}
        </div>
      </Card>
      {param !== null && !template && <Notice tone="bad">There is no template “{param}”. Choose one above.</Notice>}
      {template && unavailable && (
        <Notice tone="bad" testId="template-unavailable">
          {template.label}: {unavailable}
        </Notice>
      )}
      {template && !unavailable && (
        <TemplateForm key={`${template.id}:${query.get("target") ?? ""}:${query.get("community") ?? ""}`} data={data} template={template} base={base} query={query} />
      )}
    </div>
  );
}

/** The values a deep link fills in: ?target= for the grant templates (the revenue share by default), ?community= for verify. */
function initialValues(id: TemplateId, query: URLSearchParams, data: CommunityData): Record<string, string> {
  if (id === "grant-minter") return { target: query.get("target") ?? "" };
  if (id === "grant-revenue") return { target: query.get("target") ?? data.community.revenueShare ?? "" };
  if (id === "verify") return { community: query.get("community") ?? "" };
  return {};
}

function TemplateForm({ data, template, base, query }: { data: CommunityData; template: TemplateDef; base: TemplateContext; query: URLSearchParams }) {
  const { community, holder } = data;
  const { chain } = useActiveChain();
  const client = usePublicClient({ chainId: chain.id }) as PublicClient | undefined;
  const settings = useGovernorSettings(community.governor, community.timelock);
  const tx = useTransaction();
  const [values, setValues] = useState<Record<string, string>>(() => initialValues(template.id, query, data));
  // A field shows its error once edited (or filled from the link), or after a submit attempt.
  const [touched, setTouched] = useState<Record<string, boolean>>(() =>
    Object.fromEntries(Object.entries(initialValues(template.id, query, data)).filter(([, v]) => v !== "").map(([k]) => [k, true])),
  );
  const [submitted, setSubmitted] = useState(false);
  const [title, setTitle] = useState<string | null>(null);
  const [body, setBody] = useState<string | null>(null);

  const facts = useProposalTemplateFacts(community, template.id, values.target ?? "");
  const ctx: TemplateContext = { ...base, vault: facts.vault, creationFee: facts.creationFee, registry: facts.registry, target: facts.target };
  const result = template.build(values, ctx);
  const fields = template.fields(ctx);

  const finalTitle = title ?? (result.ok ? result.title : "");
  const finalBody = body ?? (result.ok ? result.body : "");
  const titleCheck = checkText(finalTitle, MAX_TITLE, "The title");
  const bodyError = finalBody.length > MAX_BODY ? `The description is longer than ${MAX_BODY} characters.` : null;
  const description = composeDescription(finalTitle, finalBody);

  const callsKey = result.ok ? result.calls.map((c) => `${c.target}:${c.value}:${c.data}`).join("|") : "";
  const actions = useMemo(
    () =>
      result.ok
        ? decodeActions(
            result.calls.map((c) => c.target),
            result.calls.map((c) => c.value),
            result.calls.map((c) => c.data),
            {
              contracts: knownContracts(community, chain.contracts),
              token: { address: community.token, symbol: community.symbol, decimals: community.decimals },
              communityName: (id) => {
                const entry = facts.registry?.find((c) => c.id === id);
                return entry ? `${entry.name} (${entry.symbol})` : undefined;
              },
            },
          )
        : [],
    // `result` is rebuilt on every render; its calls are what matters.
    [callsKey, community, chain.contracts, facts.registry],
  );

  const blocker = proposeBlocker(holder, settings.data?.proposalThreshold, community);
  const errorOf = (name: string) => (!result.ok && (touched[name] || submitted) ? (result.errors[name] ?? null) : null);
  const set = (name: string, value: string) => {
    setValues((v) => ({ ...v, [name]: value }));
    setTouched((t) => ({ ...t, [name]: true }));
  };

  const submit = async () => {
    setSubmitted(true);
    if (!result.ok) return tx.fail(result.waiting ?? "Fix the fields marked in red first.");
    if (!titleCheck.ok) return tx.fail(titleCheck.error);
    if (bodyError) return tx.fail(bodyError);
    if (blocker) return tx.fail(blocker);
    const targets = result.calls.map((c) => c.target);
    const callValues = result.calls.map((c) => c.value);
    const calldatas = result.calls.map((c) => c.data);
    // The governor refuses a proposal identical to an earlier one (same actions and description):
    // say so plainly instead of the generic state error.
    if (client) {
      try {
        const existing = await fetchProposalId(client, community.governor, { targets, values: callValues, calldatas, description });
        return tx.fail(`An identical proposal (#${existing}) already exists. Change the title or description to propose it again.`);
      } catch {
        // Not found: the usual case.
      }
    }
    const receipt = await tx.send({
      address: community.governor,
      abi: communityGovernorAbi,
      functionName: "propose",
      args: [targets, callValues, calldatas, description],
    });
    if (!receipt) return;
    const [created] = parseEventLogs({ abi: communityGovernorAbi, eventName: "ProposalCreated", logs: receipt.logs });
    if (created) navigate(proposalPath(community.token, created.args.proposalId));
  };

  return (
    <div className="grid grid-2 propose-grid">
      <Card title={template.label} testId="propose-form">
        <p className="muted">{template.blurb}</p>
        {fields.map((f) =>
          f.kind === "community" ? (
            <CommunityPicker key={f.name} field={f} value={values[f.name] ?? ""} error={errorOf(f.name)} registry={facts.registry} onChange={(v) => set(f.name, v)} />
          ) : (
            <Field
              key={f.name}
              name={f.name}
              label={f.label}
              value={values[f.name] ?? ""}
              placeholder={f.placeholder}
              suffix={f.suffix}
              hint={f.hint}
              error={errorOf(f.name)}
              inputMode={f.kind === "address" ? "text" : "decimal"}
              autoComplete="off"
              spellCheck={false}
              onChange={(e) => set(f.name, e.target.value)}
              onBlur={() => setTouched((t) => ({ ...t, [f.name]: true }))}
              data-testid={`propose-${f.name}`}
            />
          ),
        )}
        {!result.ok && result.waiting && <p className="field-hint">{result.waiting}</p>}
        {facts.error && <Notice tone="bad">{explainError(facts.error)}</Notice>}
        <Field
          name="title"
          label="Title"
          value={finalTitle}
          placeholder="Filled in from the fields above"
          error={(title !== null || (submitted && result.ok)) && !titleCheck.ok ? titleCheck.error : null}
          hint={title !== null && result.ok ? <ResetLink onClick={() => setTitle(null)} /> : "The first line of the description; members see it in the list."}
          onChange={(e) => setTitle(e.target.value)}
          data-testid="propose-title"
        />
        <div className={`field ${bodyError ? "field-invalid" : ""}`}>
          <label htmlFor="propose-body">Description</label>
          <textarea id="propose-body" className="propose-body" value={finalBody} onChange={(e) => setBody(e.target.value)} placeholder="Explain what the proposal does and why." data-testid="propose-body" />
          {bodyError ? (
            <p className="field-error" data-testid="body-error">
              {bodyError}
            </p>
          ) : body !== null && result.ok ? (
            <p className="field-hint">
              <ResetLink onClick={() => setBody(null)} />
            </p>
          ) : (
            <p className="field-hint">Plain text. Say why; the actions are listed from the calldata itself.</p>
          )}
        </div>
        {blocker && (
          <Notice tone="warn" testId="propose-blocker">
            {blocker}
          </Notice>
        )}
        <Button onClick={() => void submit()} loading={tx.busy} disabled={blocker !== null} data-testid="propose-submit">
          Submit proposal
        </Button>
        <TxStatus state={tx.state} success="Proposal created." testId="propose-tx" />
      </Card>
      <Card title="Preview" testId="propose-preview">
        {result.ok ? (
          <>
            <h3 className="preview-title" data-testid="preview-title">
              {finalTitle || <span className="muted">(no title)</span>}
            </h3>
            {finalBody && <div className="proposal-desc">{finalBody}</div>}
            <h3>Actions</h3>
            <ActionList actions={actions} testId="preview-actions" />
            {settings.data && (
              <p className="field-hint">
                Voting opens {formatPeriod(settings.data.votingDelay)} after submission and lasts {formatPeriod(settings.data.votingPeriod)}; a
                passed proposal then waits {formatPeriod(settings.data.timelockDelay)} in the timelock.
              </p>
            )}
          </>
        ) : (
          <p className="muted">Fill in the fields to see what the proposal will do.</p>
        )}
      </Card>
    </div>
  );
}

function ResetLink({ onClick }: { onClick: () => void }) {
  return (
    <button type="button" className="btn btn-ghost btn-small" onClick={onClick}>
      Edited · reset to the generated text
    </button>
  );
}

/** Pick a community from the registry: a search box (name, symbol or id) over a select. */
function CommunityPicker({ field, value, error, registry, onChange }: {
  field: TemplateField;
  value: string;
  error: string | null;
  registry: RegistryEntry[] | undefined;
  onChange: (value: string) => void;
}) {
  const [search, setSearch] = useState("");
  if (!registry) return <Skeleton lines={2} />;
  const q = search.trim().toLowerCase().replace(/^#/, "");
  const shown = registry.filter(
    (c) => q === "" || c.id.toString() === q || c.name.toLowerCase().includes(q) || c.symbol.toLowerCase().includes(q) || c.id.toString() === value,
  );
  return (
    <div className={`field ${error ? "field-invalid" : ""}`}>
      <label htmlFor="propose-community">{field.label}</label>
      <input
        className="picker-search"
        type="search"
        placeholder="Search by name, symbol or #id"
        value={search}
        onChange={(e) => setSearch(e.target.value)}
        aria-label="Search communities"
        data-testid="community-search"
      />
      <select id="propose-community" value={value} onChange={(e) => onChange(e.target.value)} data-testid="propose-community">
        <option value="">Choose a community…</option>
        {shown.map((c) => (
          <option key={c.id.toString()} value={c.id.toString()} disabled={c.verified}>
            #{c.id.toString()} {c.name} ({c.symbol}){c.verified ? " · already verified" : ""}
          </option>
        ))}
      </select>
      {error ? (
        <p className="field-error" role="alert" data-testid="community-error">
          {error}
        </p>
      ) : (
        <p className="field-hint">{registry.length} communities in the registry; verified ones cannot be picked.</p>
      )}
    </div>
  );
}
