/** CommunityFactory: communities, the platform flag and the verified flag. */
import { ponder } from "ponder:registry";
import { community, contractLink, registryEntry } from "ponder:schema";
import { ensureStats } from "./stats.ts";

ponder.on("CommunityFactory:CommunityCreated", async ({ event, context }) => {
  const a = event.args;
  await context.db
    .insert(community)
    .values({
      token: a.token,
      registryId: a.id,
      creator: a.creator,
      governor: a.governor,
      timelock: a.timelock,
      rewardVault: a.rewardVault,
      revenueShare: null,
      verified: false,
      platform: false,
      name: a.name,
      symbol: a.symbol,
      createdAt: Number(event.block.timestamp),
      createdBlock: event.block.number,
    })
    .onConflictDoNothing();
  await context.db.insert(registryEntry).values({ registryId: a.id, token: a.token }).onConflictDoNothing();
  await context.db.insert(contractLink).values({ address: a.governor, token: a.token, kind: "governor" }).onConflictDoNothing();
  await context.db.insert(contractLink).values({ address: a.rewardVault, token: a.token, kind: "rewardVault" }).onConflictDoNothing();
  await ensureStats(context, a.token);
});

ponder.on("CommunityFactory:PlatformLaunched", async ({ event, context }) => {
  const entry = await context.db.find(registryEntry, { registryId: event.args.id });
  if (entry) await context.db.update(community, { token: entry.token }).set({ platform: true });
});

ponder.on("CommunityFactory:CommunityVerified", async ({ event, context }) => {
  const row = await context.db.find(community, { token: event.args.token });
  if (row) await context.db.update(community, { token: event.args.token }).set({ verified: event.args.verified });
});
