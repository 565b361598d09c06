/**
 * Contribute to an active crowdfund: an amount in the payment asset and an optional referrer
 * (prefilled from the `?ref=` the fan arrived with). An ERC-20 crowdfund needs an approval first:
 * two transactions, the approval only when the allowance read is short.
 */
import { useEffect, useState, type FormEvent } from "react";
import { erc20Abi, parseEventLogs, zeroAddress } from "viem";
import { Button, Field, Notice, TxStatus } from "../../../components/ui.tsx";
import type { CommunityData } from "../../../hooks/useCommunity.ts";
import { useTransaction } from "../../../hooks/useTransaction.ts";
import { crowdfundAbi } from "../../../generated/abis.ts";
import { formatAmount } from "../../../lib/format.ts";
import { bonusFor, checkContribution, checkReferrer, remainingUnderCap, tokensFor } from "../../../lib/funding.ts";
import type { CrowdfundView } from "../../../reads/funding.ts";
import { rememberedReferrer } from "../../../lib/referral.ts";
import { cfId, confirmedReceipt } from "./ids.ts";

export function ContributeForm({ data, cf }: { data: CommunityData; cf: CrowdfundView }) {
  const { community, holder } = data;
  const me = holder?.account ?? null;
  const [amount, setAmount] = useState("");
  const [referrer, setReferrer] = useState(() => rememberedReferrer(community.token, me ?? undefined) ?? "");
  const [referrerTouched, setReferrerTouched] = useState(false);
  const [submitted, setSubmitted] = useState(false);
  const approveTx = useTransaction();
  const contributeTx = useTransaction();

  // Connecting after the page loaded: offer the remembered referrer (never yourself) unless the fan typed one.
  useEffect(() => {
    if (!referrerTouched) setReferrer(rememberedReferrer(community.token, me ?? undefined) ?? "");
  }, [community.token, me, referrerTouched]);

  const isEth = cf.payment.address === null;
  const remaining = remainingUnderCap(cf.cap, cf.raised);
  const balance = cf.account?.balance ?? null;
  const amountCheck = checkContribution(amount, { asset: cf.payment, remaining: cf.cap === 0n ? null : remaining, balance });
  const referrerCheck = checkReferrer(referrer, me);
  const showAmountError = submitted || amount.trim() !== "";
  const needsApproval = !isEth && amountCheck.ok && (cf.account?.allowance ?? 0n) < amountCheck.value;
  const busy = approveTx.busy || contributeTx.busy;
  const tok = (v: bigint) => formatAmount(v, community.decimals, community.symbol);
  const money = (v: bigint) => formatAmount(v, cf.payment.decimals, cf.payment.symbol);

  if (!me) {
    return (
      <Notice testId={cfId("cf-connect", cf)}>
        Connect a wallet to contribute. You receive {community.symbol} if the crowdfund reaches its goal, or your full contribution back if it
        does not.
      </Notice>
    );
  }

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setSubmitted(true);
    if (!amountCheck.ok || !referrerCheck.ok) return; // the messages are next to the fields
    const value = amountCheck.value;
    const ref = referrerCheck.value ?? zeroAddress;
    if (!isEth && (cf.account?.allowance ?? 0n) < value && cf.payment.address) {
      const approved = await approveTx.send({ address: cf.payment.address, abi: erc20Abi, functionName: "approve", args: [cf.address, value] });
      if (!approved) return;
    }
    const receipt = await contributeTx.send({
      address: cf.address,
      abi: crowdfundAbi,
      functionName: "contribute",
      args: [value, ref],
      value: isEth ? value : undefined,
    });
    if (receipt) {
      setAmount("");
      setSubmitted(false);
    }
  };

  // The success message comes from the mined receipt's Contributed event.
  const contributed = parseEventLogs({ abi: crowdfundAbi, logs: confirmedReceipt(contributeTx.state)?.logs ?? [], eventName: "Contributed" }).find(
    (l) => l.address.toLowerCase() === cf.address.toLowerCase(),
  );
  const doneText = contributed
    ? `Contributed ${money(contributed.args.amount)}${contributed.args.referrer !== zeroAddress ? ", referred" : ""}: ${tok(tokensFor(contributed.args.amount, cf.price))} are yours if it succeeds.`
    : "Contributed";
  const preview = amountCheck.ok ? amountCheck.value : null;
  return (
    <form className="stack cf-contribute" onSubmit={submit} noValidate data-testid={cfId("cf-contribute-form", cf)}>
      <div className="grid grid-2">
        <Field
          label={`Amount (${cf.payment.symbol})`}
          name={cfId("cf-amount", cf)}
          data-testid={cfId("cf-amount-input", cf)}
          inputMode="decimal"
          autoComplete="off"
          placeholder="0.5"
          value={amount}
          onChange={(e) => setAmount(e.target.value)}
          suffix={cf.payment.symbol}
          error={showAmountError && !amountCheck.ok ? amountCheck.error : null}
          hint={
            <>
              {balance !== null && <>You have {money(balance)}{isEth ? " (keep some for gas)" : ""}. </>}
              {cf.cap !== 0n && <>{money(remaining)} left under the cap.</>}
            </>
          }
        />
        <Field
          label="Referrer (optional)"
          name={cfId("cf-referrer", cf)}
          data-testid={cfId("cf-referrer-input", cf)}
          autoComplete="off"
          spellCheck={false}
          placeholder="0x… who brought you"
          value={referrer}
          onChange={(e) => {
            setReferrerTouched(true);
            setReferrer(e.target.value);
          }}
          error={!referrerCheck.ok && (submitted || referrer.trim() !== "") ? referrerCheck.error : null}
          hint={
            referrerCheck.ok && referrerCheck.value
              ? `They receive a ${Number(cf.referralBps) / 100}% bonus in ${community.symbol}, minted on top: it costs you nothing; the community's token holders bear it through dilution.`
              : `Who brought you here earns a ${Number(cf.referralBps) / 100}% bonus on your contribution, minted on top: the community's token holders bear it through dilution (any address can be named, even a second one of your own).`
          }
        />
      </div>
      {preview !== null && (
        <p className="cf-preview" data-testid={cfId("cf-preview", cf)} data-raw={tokensFor(preview, cf.price).toString()}>
          You will get <strong>{tok(tokensFor(preview, cf.price))}</strong> if the crowdfund succeeds
          {referrerCheck.ok && referrerCheck.value ? <>, and your referrer {tok(bonusFor(preview, cf.price, cf.referralBps))}</> : null}. If it
          fails you get your {money(preview)} back.
        </p>
      )}
      <div className="row">
        <Button type="submit" loading={busy} disabled={busy} data-testid={cfId("cf-contribute", cf)}>
          {needsApproval ? `Approve ${cf.payment.symbol} and contribute` : "Contribute"}
        </Button>
        {needsApproval && <span className="muted">Two transactions: the approval, then the contribution.</span>}
      </div>
      {!isEth && <TxStatus state={approveTx.state} success={`Approved ${cf.payment.symbol}`} testId={cfId("cf-approve-tx", cf)} />}
      <TxStatus state={contributeTx.state} success={doneText} testId={cfId("cf-contribute-tx", cf)} />
    </form>
  );
}
