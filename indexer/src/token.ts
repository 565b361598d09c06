/** SocialToken: balances and holders (Transfer), delegation and voting power (ERC20Votes events). */
import { ponder } from "ponder:registry";
import type { Context } from "ponder:registry";
import { holder } from "ponder:schema";
import type { Address } from "viem";
import { bumpStats, ensureStats, isZero } from "./stats.ts";

async function ensureHolder(context: Context, token: Address, account: Address) {
  return (
    (await context.db.find(holder, { token, account })) ??
    (await context.db.insert(holder).values({ token, account, balance: 0n, votes: 0n, delegate: null }))
  );
}

/** Moves `amount` on `account`'s balance, keeping the token's holders count (balance > 0) exact. */
async function addBalance(context: Context, token: Address, account: Address, amount: bigint): Promise<void> {
  const row = await ensureHolder(context, token, account);
  const balance = row.balance + amount;
  await context.db.update(holder, { token, account }).set({ balance });
  const was = row.balance > 0n;
  const is = balance > 0n;
  if (was !== is) await bumpStats(context, token, { holders: is ? 1 : -1 });
}

ponder.on("SocialToken:Transfer", async ({ event, context }) => {
  const token = event.log.address;
  const { from, to, value } = event.args;
  await ensureStats(context, token);
  if (isZero(from)) await bumpStats(context, token, { totalSupply: value });
  else await addBalance(context, token, from, -value);
  if (isZero(to)) await bumpStats(context, token, { totalSupply: -value });
  else await addBalance(context, token, to, value);
});

ponder.on("SocialToken:DelegateChanged", async ({ event, context }) => {
  const token = event.log.address;
  const { delegator, toDelegate } = event.args;
  await ensureHolder(context, token, delegator);
  await context.db.update(holder, { token, account: delegator }).set({ delegate: isZero(toDelegate) ? null : toDelegate });
});

ponder.on("SocialToken:DelegateVotesChanged", async ({ event, context }) => {
  const token = event.log.address;
  const { delegate, newVotes } = event.args;
  await ensureHolder(context, token, delegate);
  await context.db.update(holder, { token, account: delegate }).set({ votes: newVotes });
});
