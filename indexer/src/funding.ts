/** CrowdfundFactory / Crowdfund and RevenueShareFactory / RevenueShare. */
import { ponder } from "ponder:registry";
import { community, contractLink, contribution, crowdfund, referral, revenueClaim, revenueDeposit } from "ponder:schema";
import { bumpStats, isZero, tokenOf } from "./stats.ts";
import { bumpReferralStats } from "./vault.ts";

// CrowdfundCreated comes before the clone's CrowdfundInitialized (same transaction): it links the
// crowdfund to its community and creator; CrowdfundInitialized writes the crowdfund row.
ponder.on("CrowdfundFactory:CrowdfundCreated", async ({ event, context }) => {
  const { token, crowdfund: address, creator } = event.args;
  if (await context.db.find(contractLink, { address })) return;
  await context.db.insert(contractLink).values({ address, token, kind: "crowdfund", creator });
  await bumpStats(context, token, { crowdfunds: 1 });
  if (await context.db.find(crowdfund, { address })) await context.db.update(crowdfund, { address }).set({ creator });
});

ponder.on("Crowdfund:CrowdfundInitialized", async ({ event, context }) => {
  const a = event.args;
  const address = event.log.address;
  const link = await context.db.find(contractLink, { address });
  await context.db
    .insert(crowdfund)
    .values({
      address,
      token: a.token,
      creator: link?.creator ?? null,
      treasury: a.treasury,
      paymentToken: a.paymentToken,
      goal: a.goal,
      cap: a.cap,
      deadline: a.deadline,
      price: a.price,
      referralBps: Number(a.referralBps),
      feeBps: Number(a.feeBps),
      raised: 0n,
      contributors: 0,
      status: "open",
      proceeds: null,
      fee: null,
      tokensMinted: null,
      createdAt: Number(event.block.timestamp),
      createdBlock: event.block.number,
      logIndex: event.log.logIndex,
    })
    .onConflictDoNothing();
});

ponder.on("Crowdfund:Contributed", async ({ event, context }) => {
  const address = event.log.address;
  const cf = await context.db.find(crowdfund, { address });
  if (!cf) return;
  const { contributor, amount, referrer } = event.args;
  const named = isZero(referrer) ? null : referrer;
  const key = { crowdfund: address, contributor };
  const existing = await context.db.find(contribution, key);
  if (existing) {
    await context.db.update(contribution, key).set({ amount: existing.amount + amount, referrer: named ?? existing.referrer });
  } else {
    await context.db.insert(contribution).values({
      ...key,
      token: cf.token,
      paymentToken: cf.paymentToken,
      amount,
      referrer: named,
      claimedTokens: null,
      claimedBonus: null,
      refunded: false,
    });
  }
  await context.db.update(crowdfund, { address }).set({ raised: cf.raised + amount, contributors: cf.contributors + (existing ? 0 : 1) });
  if (named !== null) {
    const refKey = { origin: address, referrer: named, fan: contributor };
    if (!(await context.db.find(referral, refKey))) {
      await context.db.insert(referral).values({
        ...refKey,
        token: cf.token,
        source: "crowdfund",
        bonus: 0n,
        createdAt: Number(event.block.timestamp),
        block: event.block.number,
        logIndex: event.log.logIndex,
        txHash: event.transaction.hash,
      });
      await bumpReferralStats(context, cf.token, named, { crowdfundReferred: 1 });
    }
  }
});

ponder.on("Crowdfund:Finalized", async ({ event, context }) => {
  const address = event.log.address;
  if (!(await context.db.find(crowdfund, { address }))) return;
  const { raised, proceeds, fee, tokens } = event.args;
  await context.db.update(crowdfund, { address }).set({ status: "finalized", raised, proceeds, fee, tokensMinted: tokens });
});

ponder.on("Crowdfund:Failed", async ({ event, context }) => {
  const address = event.log.address;
  if (!(await context.db.find(crowdfund, { address }))) return;
  await context.db.update(crowdfund, { address }).set({ status: "failed", raised: event.args.raised });
});

ponder.on("Crowdfund:TokensClaimed", async ({ event, context }) => {
  const address = event.log.address;
  const cf = await context.db.find(crowdfund, { address });
  if (!cf) return;
  const { account, tokens, bonus } = event.args;
  const key = { crowdfund: address, contributor: account };
  if (!(await context.db.find(contribution, key))) {
    // A referrer that never contributed claims its bonus only.
    await context.db.insert(contribution).values({
      ...key,
      token: cf.token,
      paymentToken: cf.paymentToken,
      amount: 0n,
      referrer: null,
      claimedTokens: null,
      claimedBonus: null,
      refunded: false,
    });
  }
  await context.db.update(contribution, key).set((row) => ({
    claimedTokens: (row.claimedTokens ?? 0n) + tokens,
    claimedBonus: (row.claimedBonus ?? 0n) + bonus,
  }));
});

ponder.on("Crowdfund:Refunded", async ({ event, context }) => {
  const key = { crowdfund: event.log.address, contributor: event.args.contributor };
  if (!(await context.db.find(contribution, key))) return;
  await context.db.update(contribution, key).set({ refunded: true });
});

ponder.on("RevenueShareFactory:RevenueShareCreated", async ({ event, context }) => {
  const { token, revenueShare } = event.args;
  await context.db.insert(contractLink).values({ address: revenueShare, token, kind: "revenueShare" }).onConflictDoNothing();
  if (await context.db.find(community, { token })) await context.db.update(community, { token }).set({ revenueShare });
});

ponder.on("RevenueShare:RevenueDeposited", async ({ event, context }) => {
  const revenueShare = event.log.address;
  const token = await tokenOf(context, revenueShare);
  if (token === null) return;
  const a = event.args;
  await context.db
    .insert(revenueDeposit)
    .values({
      revenueShare,
      depositId: a.id,
      token,
      asset: a.asset,
      depositor: a.depositor,
      amount: a.amount,
      supply: a.supply,
      createdAt: Number(event.block.timestamp),
      block: event.block.number,
      logIndex: event.log.logIndex,
      txHash: event.transaction.hash,
    })
    .onConflictDoNothing();
});

ponder.on("RevenueShare:RevenueClaimed", async ({ event, context }) => {
  const revenueShare = event.log.address;
  const token = await tokenOf(context, revenueShare);
  if (token === null) return;
  const a = event.args;
  await context.db
    .insert(revenueClaim)
    .values({
      id: `${event.transaction.hash}-${event.log.logIndex}`,
      revenueShare,
      token,
      asset: a.asset,
      account: a.account,
      fromId: a.fromId,
      toId: a.toId,
      amount: a.amount,
      createdAt: Number(event.block.timestamp),
      block: event.block.number,
      txHash: event.transaction.hash,
    })
    .onConflictDoNothing();
});
