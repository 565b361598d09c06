/**
 * Shown once on a community's page right after its creator launched it (`?launched=1`, issue 11
 * item 17): the confirmation, the link to share (with a Copy button beside it) and the next steps.
 */
import { Card, CopyButton, Notice } from "../../components/ui.tsx";
import type { CommunityInfo } from "../../hooks/useCommunity.ts";
import { Link } from "../../lib/router.tsx";
import { communityPath } from "../../lib/routes.ts";

export function LaunchedPanel({ community, appUrl }: { community: Pick<CommunityInfo, "name" | "symbol" | "token" | "rewardVault">; appUrl: string }) {
  const link = `${appUrl.replace(/\/+$/, "")}${communityPath(community.token)}`;
  return (
    <Card className="launched" testId="launched-panel" title="Community launched">
      <Notice tone="good">
        <strong>{community.name} is live.</strong> Your {community.symbol} token, its DAO and treasury exist on chain; you hold your
        allocation and vote with it.
      </Notice>
      <div className="stack-tight">
        <span className="label">Its page, to share with fans</span>
        <div className="copy-line">
          <code className="mono wrap" data-testid="launched-link">
            {link}
          </code>
          <CopyButton text={link} testId="launched-link-copy" />
        </div>
      </div>
      <div className="stack-tight">
        <span className="label">Next steps</span>
        <ol className="launched-steps" data-testid="launched-steps">
          {community.rewardVault && (
            <li>
              <Link href={communityPath(community.token, "creator")}>Sign claim links</Link> in the creator console to reward your first fans with {community.symbol}.
            </li>
          )}
          <li>
            <Link href={communityPath(community.token, "creator")}>Start a crowdfund or set up the revenue share</Link> in the creator console (each needs a DAO
            proposal to take effect).
          </li>
          <li>
            <Link href={communityPath(community.token, "vote")}>Make the first proposal</Link> on the Vote tab.
          </li>
        </ol>
      </div>
    </Card>
  );
}
