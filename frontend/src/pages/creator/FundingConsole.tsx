/**
 * The creator's funding console: start a crowdfund, see which crowdfunds still wait for the DAO's
 * grant to mint (with the link to propose it), set up the revenue share and deposit revenue.
 */
import { Badge, Card, Empty, Skeleton } from "../../components/ui.tsx";
import type { CommunityData } from "../../hooks/useCommunity.ts";
import { useFundingOverview } from "../../hooks/useCrowdfunds.ts";
import { explainError } from "../../lib/errors.ts";
import { formatAmount, formatDate, shortAddress } from "../../lib/format.ts";
import { grantProposalHref } from "../../lib/funding.ts";
import type { CrowdfundView } from "../../reads/funding.ts";
import { Link } from "../../lib/router.tsx";
import { RevenueConsole } from "./funding/RevenueConsole.tsx";
import { StartCrowdfundForm } from "./funding/StartCrowdfundForm.tsx";

export default function FundingConsole({ data }: { data: CommunityData }) {
  const overview = useFundingOverview(data);
  if (overview.isPending) {
    return (
      <Card title="Funding">
        <Skeleton lines={4} />
      </Card>
    );
  }
  if (overview.isError) {
    return (
      <Card title="Funding">
        <Empty title="Cannot load the community's funding">{explainError(overview.error)}</Empty>
      </Card>
    );
  }
  const { crowdfunds, revenue, feeBps, ethBalance, account } = overview.data;
  return (
    <div className="stack" data-testid="funding-console" data-account={account ?? ""} aria-busy={overview.isPlaceholderData}>
      <StartCrowdfundForm data={data} feeBps={feeBps} />
      <CrowdfundApprovals data={data} crowdfunds={crowdfunds} />
      <RevenueConsole data={data} revenue={revenue} ethBalance={ethBalance} />
    </div>
  );
}

/** The community's crowdfunds that can still use the DAO's grant, each with the link to propose it. */
function CrowdfundApprovals({ data, crowdfunds }: { data: CommunityData; crowdfunds: CrowdfundView[] }) {
  const { community } = data;
  const open = crowdfunds.filter((cf) => cf.state === "Active" || cf.state === "Ended");
  if (open.length === 0) return null;
  return (
    <Card title="Your open crowdfunds" testId="console-crowdfunds">
      <ul className="list">
        {open.map((cf) => (
          <li key={cf.address} className="list-item" data-testid={`console-cf-${cf.address.toLowerCase()}`}>
            <span className="stack console-cf-text">
              <span>
                <code title={cf.address}>{shortAddress(cf.address)}</code> ·{" "}
                {formatAmount(cf.raised, cf.payment.decimals, cf.payment.symbol)} of {formatAmount(cf.goal, cf.payment.decimals, cf.payment.symbol)} ·
                closes {formatDate(cf.deadline)}
              </span>
              {cf.minterGranted ? (
                <Badge tone="good">DAO approved minting</Badge>
              ) : (
                <span className="muted">
                  The DAO has not granted it <code>MINTER_ROLE</code> on {community.symbol}: it cannot succeed without it.
                </span>
              )}
            </span>
            {!cf.minterGranted && (
              <Link href={grantProposalHref(community.token, "grant-minter", cf.address)} className="btn btn-secondary btn-small" data-testid="console-cf-propose">
                Propose the grant
              </Link>
            )}
          </li>
        ))}
      </ul>
    </Card>
  );
}
