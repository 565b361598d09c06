/**
 * The creator's revenue share: create it (anyone may; here the creator does), link to the DAO
 * proposal that approves it, and deposit revenue in ETH or an ERC-20 (approve, then deposit).
 */
import { useState, type FormEvent } from "react";
import { erc20Abi, parseEventLogs } from "viem";
import { AddressView, Badge, Button, Card, Field, Notice, Skeleton, TxStatus } from "../../../components/ui.tsx";
import { useActiveChain } from "../../../config/context.tsx";
import { revenueShareAbi, revenueShareFactoryAbi } from "../../../generated/abis.ts";
import type { CommunityData } from "../../../hooks/useCommunity.ts";
import { useCrowdfundAsset } from "../../../hooks/useCrowdfunds.ts";
import { useTransaction } from "../../../hooks/useTransaction.ts";
import { formatAmount, formatDate } from "../../../lib/format.ts";
import { checkDeposit, ETH_ASSET, grantProposalHref, type AssetInfo } from "../../../lib/funding.ts";
import type { RevenueView } from "../../../reads/funding.ts";
import { Link } from "../../../lib/router.tsx";
import { confirmedReceipt } from "../../community/fund/ids.ts";
import { checkAddress } from "../../../lib/validate.ts";

export function RevenueConsole({ data, revenue, ethBalance }: { data: CommunityData; revenue: RevenueView | null; ethBalance: bigint | null }) {
  const { community } = data;
  const { chain } = useActiveChain();
  const createTx = useTransaction();

  if (!revenue) {
    return (
      <Card title="Revenue share">
        <Skeleton lines={2} />
      </Card>
    );
  }
  const create = () =>
    createTx.send({ address: chain.contracts.revenueShareFactory, abi: revenueShareFactoryAbi, functionName: "createRevenueShare", args: [community.token] });

  return (
    <Card
      title={
        <span className="row">
          Revenue share
          <Badge tone={!revenue.exists ? "neutral" : revenue.approved ? "good" : "warn"} testId="console-revenue-status">
            {!revenue.exists ? "Not set up" : revenue.approved ? "Approved by the DAO" : "Awaiting DAO approval"}
          </Badge>
        </span>
      }
      actions={revenue.exists ? <AddressView address={revenue.address} /> : undefined}
      testId="console-revenue"
    >
      {!revenue.exists && (
        <div className="stack">
          <p className="muted">
            Share revenue with {community.symbol} holders: anyone deposits ETH or a token; each holder claims pro rata to the balance held before
            the deposit. Creating the revenue share is free but it does nothing until the DAO approves it; once approved, every{" "}
            {community.symbol} transfer costs a little more gas to record balances (for good).
          </p>
          <div className="row">
            <Button onClick={create} loading={createTx.busy} disabled={createTx.busy} data-testid="revenue-create">
              Create the revenue share
            </Button>
          </div>
        </div>
      )}
      <TxStatus state={createTx.state} success="Revenue share created" testId="revenue-create-tx" />
      {revenue.exists && !revenue.approved && (
        <Notice tone="warn" testId="revenue-needs-approval">
          <div className="stack fund-next">
            <span>
              Next, {community.symbol}'s DAO must approve it: a proposal granting it <code>REVENUE_ROLE</code> on {community.symbol}. Deposits are
              refused until then.
            </span>
            <Link href={grantProposalHref(community.token, "grant-revenue", revenue.address)} className="btn btn-primary" data-testid="revenue-propose">
              Propose the approval to the DAO
            </Link>
          </div>
        </Notice>
      )}
      {revenue.exists && revenue.approved && (
        <p className="muted">
          {community.symbol} records balances since {formatDate(revenue.recordingSince)}.{" "}
          {revenue.assets.length === 0 ? "No deposits yet." : `Deposits so far: ${revenue.assets.map((a) => `${a.count} in ${a.asset.symbol}`).join(", ")}.`}
        </p>
      )}
      {revenue.exists && <DepositForm data={data} revenue={revenue} ethBalance={ethBalance} />}
    </Card>
  );
}

function DepositForm({ data, revenue, ethBalance }: { data: CommunityData; revenue: RevenueView; ethBalance: bigint | null }) {
  const { community, holder } = data;
  const me = holder?.account ?? null;
  const approveTx = useTransaction();
  const depositTx = useTransaction();
  const [kind, setKind] = useState<"eth" | "erc20">("eth");
  const [assetText, setAssetText] = useState("");
  const [amount, setAmount] = useState("");
  const [submitted, setSubmitted] = useState(false);
  const [depositedAsset, setDepositedAsset] = useState<AssetInfo | null>(null);

  const assetCheck = kind === "eth" ? null : checkAddress(assetText);
  const erc20 = useCrowdfundAsset(kind === "erc20" && assetCheck?.ok ? assetText : "", me, revenue.address);
  let asset: AssetInfo | null = ETH_ASSET;
  let balance: bigint | null = ethBalance;
  let assetError: string | null = null;
  if (kind === "erc20") {
    asset = null;
    balance = null;
    if (assetCheck && !assetCheck.ok) assetError = assetCheck.error;
    else if (!erc20.isPending && (erc20.isError || erc20.data === null)) assetError = "This address does not answer as an ERC-20 token (symbol, decimals).";
    else if (erc20.data) {
      asset = erc20.data.asset;
      balance = erc20.data.balance;
    }
  }
  // The DAO's minimum is read for ETH; for an ERC-20 the contract's refusal is shown if it has one.
  const minimum = kind === "eth" && revenue.minimumEth > 0n ? revenue.minimumEth : undefined;
  const amountCheck = asset ? checkDeposit(amount, { asset, balance, minimum }) : null;
  const needsApproval = kind === "erc20" && amountCheck?.ok === true && (erc20.data?.allowance ?? 0n) < amountCheck.value;
  const busy = approveTx.busy || depositTx.busy;
  const money = (v: bigint) => (asset ? formatAmount(v, asset.decimals, asset.symbol) : v.toString());

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setSubmitted(true);
    if (!asset || !amountCheck) {
      if (!assetError) depositTx.fail("Name the ERC-20 token to deposit.");
      return;
    }
    if (!amountCheck.ok) return; // the message is next to the field
    const value = amountCheck.value;
    setDepositedAsset(asset);
    let receipt;
    if (asset.address === null) {
      receipt = await depositTx.send({ address: revenue.address, abi: revenueShareAbi, functionName: "depositETH", value });
    } else {
      if ((erc20.data?.allowance ?? 0n) < value) {
        const approved = await approveTx.send({ address: asset.address, abi: erc20Abi, functionName: "approve", args: [revenue.address, value] });
        if (!approved) return;
      }
      receipt = await depositTx.send({ address: revenue.address, abi: revenueShareAbi, functionName: "depositToken", args: [asset.address, value] });
    }
    if (receipt) {
      setAmount("");
      setSubmitted(false);
    }
  };

  // The success message comes from the mined receipt's RevenueDeposited event.
  const deposited = parseEventLogs({ abi: revenueShareAbi, logs: confirmedReceipt(depositTx.state)?.logs ?? [], eventName: "RevenueDeposited" })[0];
  const doneText = deposited
    ? `Deposited ${formatAmount(deposited.args.amount, depositedAsset?.decimals ?? 18, depositedAsset?.symbol)} as deposit #${deposited.args.id}, shared over ${formatAmount(deposited.args.supply, community.decimals, community.symbol)}.`
    : "Deposited";

  return (
    <form className="stack" onSubmit={submit} noValidate data-testid="revenue-deposit-form">
      <h3>Deposit revenue</h3>
      {!revenue.approved && <Notice tone="warn">Deposits work once the DAO has approved the revenue share.</Notice>}
      <div className="grid grid-2">
        <div className="field">
          <label htmlFor="revenue-deposit-kind">Asset</label>
          <select id="revenue-deposit-kind" data-testid="revenue-deposit-kind" value={kind} onChange={(e) => setKind(e.target.value as "eth" | "erc20")}>
            <option value="eth">ETH</option>
            <option value="erc20">An ERC-20 token</option>
          </select>
        </div>
        {kind === "erc20" && (
          <Field
            label="Token address"
            name="revenue-deposit-token"
            data-testid="revenue-deposit-token-input"
            placeholder="0x…"
            spellCheck={false}
            autoComplete="off"
            value={assetText}
            onChange={(e) => setAssetText(e.target.value)}
            error={submitted || assetText.trim() !== "" ? assetError : null}
            hint={erc20.data ? `${erc20.data.asset.symbol}, ${erc20.data.asset.decimals} decimals.` : "Fee-on-transfer tokens are refused."}
          />
        )}
        <Field
          label={`Amount${asset ? ` (${asset.symbol})` : ""}`}
          name="revenue-deposit-amount"
          data-testid="revenue-deposit-amount-input"
          inputMode="decimal"
          autoComplete="off"
          placeholder="0.5"
          value={amount}
          onChange={(e) => setAmount(e.target.value)}
          suffix={asset?.symbol}
          error={amountCheck && !amountCheck.ok && (submitted || amount.trim() !== "") ? amountCheck.error : null}
          hint={
            balance !== null && asset
              ? `You have ${money(balance)}.${minimum !== undefined ? ` The DAO's minimum deposit is ${money(minimum)}.` : ""}`
              : undefined
          }
        />
      </div>
      <div className="row">
        <Button type="submit" loading={busy} disabled={busy || !revenue.approved} data-testid="revenue-deposit-submit">
          {needsApproval ? `Approve ${asset?.symbol ?? ""} and deposit` : "Deposit"}
        </Button>
        <span className="muted">
          Shared over {community.symbol} holders as they stood before the deposit's block, or before the latest snapshot if it is less than an hour
          old (deposits within an hour share one).
        </span>
      </div>
      {kind === "erc20" && <TxStatus state={approveTx.state} success="Approved" testId="revenue-approve-tx" />}
      <TxStatus state={depositTx.state} success={doneText} testId="revenue-deposit-tx" />
    </form>
  );
}
