/**
 * Start a crowdfund (the creator): payment asset, goal, cap, deadline, price, referral bonus, each
 * validated next to its field; then `CrowdfundFactory.createCrowdfund` and the link to the DAO
 * proposal that lets it mint.
 */
import { useState, type FormEvent } from "react";
import { getAddress, parseEventLogs, type Address } from "viem";
import { AddressView, Button, Card, Field, Notice, TxStatus } from "../../../components/ui.tsx";
import { useActiveChain } from "../../../config/context.tsx";
import { crowdfundFactoryAbi } from "../../../generated/abis.ts";
import { useChainNow, type CommunityData } from "../../../hooks/useCommunity.ts";
import { useCrowdfundAsset } from "../../../hooks/useCrowdfunds.ts";
import { useTransaction } from "../../../hooks/useTransaction.ts";
import { formatAmount, formatBps } from "../../../lib/format.ts";
import {
  ETH_ASSET,
  grantProposalHref,
  planCrowdfund,
  randomSalt,
  toDatetimeLocal,
  type AssetInfo,
  type CrowdfundForm,
  type CrowdfundFormErrors,
} from "../../../lib/funding.ts";
import { Link } from "../../../lib/router.tsx";
import { checkAddress } from "../../../lib/validate.ts";

const EMPTY: CrowdfundForm = { goal: "", cap: "", deadline: "", price: "", referral: "5" };
const QUICK_DAYS = [7, 14, 30, 90];

export function StartCrowdfundForm({ data, feeBps }: { data: CommunityData; feeBps: bigint }) {
  const { community } = data;
  const { chain } = useActiveChain();
  const now = useChainNow();
  const tx = useTransaction();
  const [form, setForm] = useState<CrowdfundForm>(EMPTY);
  const [payWith, setPayWith] = useState<"eth" | "erc20">("eth");
  const [paymentText, setPaymentText] = useState("");
  const [submitted, setSubmitted] = useState(false);
  const [started, setStarted] = useState<Address | null>(null);
  const set = (key: keyof CrowdfundForm) => (e: { target: { value: string } }) => setForm((f) => ({ ...f, [key]: e.target.value }));

  // The payment asset: ETH, or the ERC-20 named (its decimals fix how amounts and the price are read).
  const paymentCheck = payWith === "eth" ? null : checkAddress(paymentText);
  const erc20 = useCrowdfundAsset(payWith === "erc20" && paymentCheck?.ok ? paymentText : "", null, null);
  let payment: AssetInfo | null = ETH_ASSET;
  let paymentError: string | null = null;
  if (payWith === "erc20") {
    payment = null;
    if (paymentCheck && !paymentCheck.ok) paymentError = paymentCheck.error;
    else if (erc20.isPending) paymentError = null;
    else if (erc20.isError || erc20.data === null) paymentError = "This address does not answer as an ERC-20 token (symbol, decimals).";
    else if (erc20.data) payment = erc20.data.asset;
  }

  const result =
    payment && now !== undefined
      ? planCrowdfund(form, {
          now,
          payment,
          token: { symbol: community.symbol, decimals: community.decimals, totalSupply: community.totalSupply, cap: community.cap },
        })
      : null;
  const errors: CrowdfundFormErrors = result && !result.ok ? result.errors : {};
  // A field's message shows once the form was submitted, or as soon as the field holds something.
  const shown = (key: keyof CrowdfundForm) => (submitted || form[key].trim() !== "" ? errors[key] ?? null : null);
  const unit = payment?.symbol ?? "unit";
  const tok = (v: bigint) => formatAmount(v, community.decimals, community.symbol);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setSubmitted(true);
    setStarted(null);
    if (!payment) {
      if (!paymentError) tx.fail("Name the ERC-20 token contributions are paid in.");
      return;
    }
    if (!result) return tx.fail("Waiting for the chain's time; try again in a moment.");
    if (!result.ok) return; // each message is next to its field
    const p = result.plan;
    const receipt = await tx.send({
      address: chain.contracts.crowdfundFactory,
      abi: crowdfundFactoryAbi,
      functionName: "createCrowdfund",
      args: [
        community.token,
        { paymentToken: p.paymentToken, goal: p.goal, cap: p.cap, deadline: p.deadline, price: p.price, referralBps: p.referralBps },
        randomSalt(),
      ],
    });
    const created = receipt && parseEventLogs({ abi: crowdfundFactoryAbi, logs: receipt.logs, eventName: "CrowdfundCreated" })[0];
    if (created) {
      setStarted(getAddress(created.args.crowdfund));
      setForm(EMPTY);
      setSubmitted(false);
    }
  };

  return (
    <Card title="Start a crowdfund" testId="start-crowdfund">
      <p className="muted">
        Fans fund a release in ETH or a token; if the goal is reached by the deadline they receive {community.symbol}, otherwise every
        contribution is refunded in full. The platform takes {formatBps(feeBps)} of the amount raised on success.
      </p>
      <form className="stack" onSubmit={submit} noValidate>
        <div className="grid grid-2">
          <div className="field">
            <label htmlFor="start-cf-payment">Paid in</label>
            <select id="start-cf-payment" data-testid="start-cf-payment" value={payWith} onChange={(e) => setPayWith(e.target.value as "eth" | "erc20")}>
              <option value="eth">ETH</option>
              <option value="erc20">An ERC-20 token</option>
            </select>
          </div>
          {payWith === "erc20" && (
            <Field
              label="Payment token address"
              name="start-cf-token"
              data-testid="start-cf-token-input"
              placeholder="0x…"
              spellCheck={false}
              autoComplete="off"
              value={paymentText}
              onChange={(e) => setPaymentText(e.target.value)}
              error={submitted || paymentText.trim() !== "" ? paymentError : null}
              hint={
                erc20.data
                  ? `${erc20.data.asset.symbol}, ${erc20.data.asset.decimals} decimals. Avoid rebasing tokens; fee-on-transfer tokens are refused.`
                  : "Any standard ERC-20 (not rebasing, no transfer fee)."
              }
            />
          )}
          <Field
            label={`Goal (${unit})`}
            name="start-cf-goal"
            data-testid="start-cf-goal-input"
            inputMode="decimal"
            placeholder="5"
            value={form.goal}
            onChange={set("goal")}
            suffix={unit}
            error={shown("goal")}
            hint="Must be raised by the deadline for the crowdfund to succeed."
          />
          <Field
            label={`Cap (${unit}, optional)`}
            name="start-cf-cap"
            data-testid="start-cf-cap-input"
            inputMode="decimal"
            placeholder="10"
            value={form.cap}
            onChange={set("cap")}
            suffix={unit}
            error={shown("cap")}
            hint="At least the goal; reaching it ends the crowdfund early. Empty: no cap."
          />
          <div className="stack cf-deadline">
            <Field
              label="Deadline"
              name="start-cf-deadline"
              data-testid="start-cf-deadline-input"
              type="datetime-local"
              value={form.deadline}
              onChange={set("deadline")}
              error={shown("deadline")}
              hint="At most 365 days away (contributions stay locked until then). Chain time."
            />
            <div className="row">
              {QUICK_DAYS.map((days) => (
                <button
                  key={days}
                  type="button"
                  className="btn btn-ghost btn-small"
                  disabled={now === undefined}
                  data-testid={`start-cf-days-${days}`}
                  onClick={() => now !== undefined && setForm((f) => ({ ...f, deadline: toDatetimeLocal(now + BigInt(days * 86_400)) }))}
                >
                  in {days} days
                </button>
              ))}
            </div>
          </div>
          <Field
            label={`Price (${community.symbol} per 1 ${unit})`}
            name="start-cf-price"
            data-testid="start-cf-price-input"
            inputMode="decimal"
            placeholder="1000"
            value={form.price}
            onChange={set("price")}
            suffix={`${community.symbol} / ${unit}`}
            error={shown("price")}
          />
          <Field
            label="Referral bonus"
            name="start-cf-referral"
            data-testid="start-cf-referral-input"
            inputMode="decimal"
            value={form.referral}
            onChange={set("referral")}
            suffix="%"
            error={shown("referral")}
            hint={`Of the ${community.symbol} a referred contribution buys, paid to the referrer. 0 for none.`}
          />
        </div>
        {result?.ok && (
          <p className="cf-preview" data-testid="start-cf-summary">
            At the goal this mints {tok(result.plan.tokensAtGoal)} for contributors
            {result.plan.tokensAtCap !== null ? <>, at most {tok(result.plan.tokensAtCap)} at the cap with every contribution referred</> : null}.
          </p>
        )}
        {result?.ok && result.plan.warning && <Notice tone="warn">{result.plan.warning}</Notice>}
        <div className="row">
          <Button type="submit" loading={tx.busy} disabled={tx.busy} data-testid="start-cf-submit">
            Start the crowdfund
          </Button>
        </div>
        <TxStatus state={tx.state} success="Crowdfund started" testId="start-cf-tx" />
      </form>
      {started && (
        <Notice tone="good" testId="start-cf-done">
          <div className="stack fund-next">
            <span>
              Your crowdfund is live at <AddressView address={started} /> <span hidden data-testid="start-cf-address" data-address={started} />
            </span>
            <span>
              It can only succeed once {community.symbol}'s DAO grants it <code>MINTER_ROLE</code>. Without that grant it fails 30 days after its
              deadline and everyone is refunded.
            </span>
            <Link href={grantProposalHref(community.token, "grant-minter", started)} className="btn btn-primary" data-testid="start-cf-propose">
              Propose the grant to the DAO
            </Link>
          </div>
        </Notice>
      )}
    </Card>
  );
}
