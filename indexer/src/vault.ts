/** RewardVault: redeemed vouchers, referrals and campaigns. */
import { ponder } from "ponder:registry";
import type { Context } from "ponder:registry";
import { campaign, campaignClaim, referral, referralStats, voucher } from "ponder:schema";
import type { Address } from "viem";
import { tokenOf } from "./stats.ts";

/** Adds to a referrer's totals in a community (creating the row first when needed). */
export async function bumpReferralStats(
  context: Context,
  token: Address,
  referrer: Address,
  delta: { referred?: number; bonusCredited?: bigint; bonusClaimed?: bigint; crowdfundReferred?: number },
): Promise<void> {
  await context.db
    .insert(referralStats)
    .values({ token, referrer, referred: 0, bonusCredited: 0n, bonusClaimed: 0n, crowdfundReferred: 0 })
    .onConflictDoNothing();
  await context.db.update(referralStats, { token, referrer }).set((row) => ({
    referred: row.referred + (delta.referred ?? 0),
    bonusCredited: row.bonusCredited + (delta.bonusCredited ?? 0n),
    bonusClaimed: row.bonusClaimed + (delta.bonusClaimed ?? 0n),
    crowdfundReferred: row.crowdfundReferred + (delta.crowdfundReferred ?? 0),
  }));
}

ponder.on("RewardVault:VoucherRedeemed", async ({ event, context }) => {
  const token = await tokenOf(context, event.log.address);
  if (token === null) return;
  await context.db
    .insert(voucher)
    .values({
      token,
      voucherId: event.args.id,
      recipient: event.args.recipient,
      amount: event.args.amount,
      createdAt: Number(event.block.timestamp),
      block: event.block.number,
      txHash: event.transaction.hash,
    })
    .onConflictDoNothing();
});

ponder.on("RewardVault:ReferrerRecorded", async ({ event, context }) => {
  const token = await tokenOf(context, event.log.address);
  if (token === null) return;
  const key = { origin: event.log.address, referrer: event.args.referrer, fan: event.args.fan };
  if (await context.db.find(referral, key)) return;
  await context.db.insert(referral).values({
    ...key,
    token,
    source: "vault",
    bonus: 0n,
    createdAt: Number(event.block.timestamp),
    block: event.block.number,
    logIndex: event.log.logIndex,
    txHash: event.transaction.hash,
  });
  await bumpReferralStats(context, token, event.args.referrer, { referred: 1 });
});

ponder.on("RewardVault:ReferralBonusCredited", async ({ event, context }) => {
  const token = await tokenOf(context, event.log.address);
  if (token === null) return;
  const { referrer, fan, bonus } = event.args;
  const key = { origin: event.log.address, referrer, fan };
  if (await context.db.find(referral, key)) {
    await context.db.update(referral, key).set((row) => ({ bonus: row.bonus + bonus }));
  }
  await bumpReferralStats(context, token, referrer, { bonusCredited: bonus });
});

ponder.on("RewardVault:ReferralRewardsClaimed", async ({ event, context }) => {
  const token = await tokenOf(context, event.log.address);
  if (token === null) return;
  await bumpReferralStats(context, token, event.args.referrer, { bonusClaimed: event.args.amount });
});

ponder.on("RewardVault:CampaignOpened", async ({ event, context }) => {
  const token = await tokenOf(context, event.log.address);
  if (token === null) return;
  await context.db
    .insert(campaign)
    .values({
      token,
      campaignId: event.args.campaignId,
      root: event.args.root,
      total: event.args.total,
      end: event.args.end,
      claimed: 0n,
      claims: 0,
      closed: false,
      unclaimed: null,
      returnedToBudget: null,
      createdAt: Number(event.block.timestamp),
      block: event.block.number,
    })
    .onConflictDoNothing();
});

ponder.on("RewardVault:CampaignClaimed", async ({ event, context }) => {
  const token = await tokenOf(context, event.log.address);
  if (token === null) return;
  const { campaignId, index, account, amount } = event.args;
  if (await context.db.find(campaignClaim, { token, campaignId, index })) return;
  await context.db.insert(campaignClaim).values({
    token,
    campaignId,
    index,
    account,
    amount,
    createdAt: Number(event.block.timestamp),
    block: event.block.number,
    txHash: event.transaction.hash,
  });
  if (await context.db.find(campaign, { token, campaignId })) {
    await context.db.update(campaign, { token, campaignId }).set((row) => ({ claimed: row.claimed + amount, claims: row.claims + 1 }));
  }
});

ponder.on("RewardVault:CampaignClosed", async ({ event, context }) => {
  const token = await tokenOf(context, event.log.address);
  if (token === null) return;
  const key = { token, campaignId: event.args.campaignId };
  if (!(await context.db.find(campaign, key))) return;
  await context.db
    .update(campaign, key)
    .set({ closed: true, unclaimed: event.args.unclaimed, returnedToBudget: event.args.returnedToBudget });
});
