/**
 * What the Coterie indexer stores. Addresses are lowercase hex (Ponder's `hex` column); amounts are
 * uint256 (`bigint`); timestamps are unix seconds. Rows that are listed newest first keep the
 * (block, logIndex) of the log that created them as their keyset sort key. See docs/indexer.md.
 */
import { index, onchainTable, primaryKey } from "ponder";

/** A community, from CommunityFactory's CommunityCreated (PlatformLaunched, CommunityVerified). */
export const community = onchainTable(
  "community",
  (t) => ({
    token: t.hex().primaryKey(),
    registryId: t.bigint().notNull(),
    creator: t.hex().notNull(),
    governor: t.hex().notNull(),
    timelock: t.hex().notNull(),
    rewardVault: t.hex().notNull(),
    revenueShare: t.hex(),
    verified: t.boolean().notNull(),
    platform: t.boolean().notNull(),
    name: t.text().notNull(),
    symbol: t.text().notNull(),
    createdAt: t.integer().notNull(),
    createdBlock: t.bigint().notNull(),
  }),
  (table) => ({ listIdx: index().on(table.verified, table.registryId), registryIdx: index().on(table.registryId) }),
);

/**
 * Running numbers of a token, kept apart from `community` because the token's first events (the
 * creator's mint, its delegation) come before CommunityCreated in the creating transaction.
 */
export const tokenStats = onchainTable("token_stats", (t) => ({
  token: t.hex().primaryKey(),
  totalSupply: t.bigint().notNull(),
  holders: t.integer().notNull(),
  proposals: t.integer().notNull(),
  crowdfunds: t.integer().notNull(),
}));

/** Which community a governor, reward vault, crowdfund or revenue share belongs to. */
export const contractLink = onchainTable("contract_link", (t) => ({
  address: t.hex().primaryKey(),
  token: t.hex().notNull(),
  kind: t.text().notNull(), // "governor" | "rewardVault" | "crowdfund" | "revenueShare"
  creator: t.hex(),
}));

/** Registry id -> token (PlatformLaunched names the id only). */
export const registryEntry = onchainTable("registry_entry", (t) => ({
  registryId: t.bigint().primaryKey(),
  token: t.hex().notNull(),
}));

/** An account's balance, votes and delegate in one community token (Transfer, DelegateChanged, DelegateVotesChanged). */
export const holder = onchainTable(
  "holder",
  (t) => ({
    token: t.hex().notNull(),
    account: t.hex().notNull(),
    balance: t.bigint().notNull(),
    votes: t.bigint().notNull(),
    delegate: t.hex(),
  }),
  (table) => ({
    pk: primaryKey({ columns: [table.token, table.account] }),
    balanceIdx: index().on(table.token, table.balance, table.account),
    accountIdx: index().on(table.account),
    delegateIdx: index().on(table.delegate),
  }),
);

/** A governance proposal (ProposalCreated and the state events). */
export const proposal = onchainTable(
  "proposal",
  (t) => ({
    token: t.hex().notNull(),
    proposalId: t.bigint().notNull(),
    governor: t.hex().notNull(),
    proposer: t.hex().notNull(),
    description: t.text().notNull(),
    targets: t.hex().array().notNull(),
    values: t.bigint().array().notNull(),
    calldatas: t.hex().array().notNull(),
    voteStart: t.bigint().notNull(),
    voteEnd: t.bigint().notNull(),
    status: t.text().notNull(), // "pending-or-active" | "canceled" | "queued" | "executed"
    eta: t.bigint(),
    forVotes: t.bigint().notNull(),
    againstVotes: t.bigint().notNull(),
    abstainVotes: t.bigint().notNull(),
    voteCount: t.integer().notNull(),
    createdAt: t.integer().notNull(),
    createdBlock: t.bigint().notNull(),
    logIndex: t.integer().notNull(),
    txHash: t.hex().notNull(),
  }),
  (table) => ({
    pk: primaryKey({ columns: [table.token, table.proposalId] }),
    listIdx: index().on(table.token, table.createdBlock, table.logIndex),
  }),
);

/** A vote (VoteCast, VoteCastWithParams; `params` is 0x for VoteCast). One per voter and proposal. */
export const vote = onchainTable(
  "vote",
  (t) => ({
    token: t.hex().notNull(),
    proposalId: t.bigint().notNull(),
    voter: t.hex().notNull(),
    support: t.integer().notNull(),
    weight: t.bigint().notNull(),
    reason: t.text().notNull(),
    params: t.hex().notNull(),
    createdAt: t.integer().notNull(),
    block: t.bigint().notNull(),
    logIndex: t.integer().notNull(),
    txHash: t.hex().notNull(),
  }),
  (table) => ({
    pk: primaryKey({ columns: [table.token, table.proposalId, table.voter] }),
    listIdx: index().on(table.token, table.proposalId, table.block, table.logIndex),
    voterIdx: index().on(table.voter, table.block),
  }),
);

/** A redeemed reward voucher (RewardVault VoucherRedeemed). */
export const voucher = onchainTable(
  "voucher",
  (t) => ({
    token: t.hex().notNull(),
    voucherId: t.bigint().notNull(),
    recipient: t.hex().notNull(),
    amount: t.bigint().notNull(),
    createdAt: t.integer().notNull(),
    block: t.bigint().notNull(),
    txHash: t.hex().notNull(),
  }),
  (table) => ({ pk: primaryKey({ columns: [table.token, table.voucherId] }) }),
);

/**
 * A referral: a fan the vault recorded for a referrer (ReferrerRecorded, bonus from
 * ReferralBonusCredited), or a crowdfund contribution that named a referrer (`origin` = crowdfund).
 */
export const referral = onchainTable(
  "referral",
  (t) => ({
    token: t.hex().notNull(),
    origin: t.hex().notNull(), // the reward vault or the crowdfund
    referrer: t.hex().notNull(),
    fan: t.hex().notNull(),
    source: t.text().notNull(), // "vault" | "crowdfund"
    bonus: t.bigint().notNull(),
    createdAt: t.integer().notNull(),
    block: t.bigint().notNull(),
    logIndex: t.integer().notNull(),
    txHash: t.hex().notNull(),
  }),
  (table) => ({
    pk: primaryKey({ columns: [table.origin, table.referrer, table.fan] }),
    listIdx: index().on(table.referrer, table.block, table.logIndex),
  }),
);

/** A referrer's totals in one community. */
export const referralStats = onchainTable(
  "referral_stats",
  (t) => ({
    token: t.hex().notNull(),
    referrer: t.hex().notNull(),
    referred: t.integer().notNull(),
    bonusCredited: t.bigint().notNull(),
    bonusClaimed: t.bigint().notNull(),
    crowdfundReferred: t.integer().notNull(),
  }),
  (table) => ({ pk: primaryKey({ columns: [table.token, table.referrer] }), referrerIdx: index().on(table.referrer) }),
);

/** A reward campaign (CampaignOpened / CampaignClaimed / CampaignClosed). */
export const campaign = onchainTable(
  "campaign",
  (t) => ({
    token: t.hex().notNull(),
    campaignId: t.bigint().notNull(),
    root: t.hex().notNull(),
    total: t.bigint().notNull(),
    end: t.bigint().notNull(),
    claimed: t.bigint().notNull(),
    claims: t.integer().notNull(),
    closed: t.boolean().notNull(),
    unclaimed: t.bigint(),
    returnedToBudget: t.bigint(),
    createdAt: t.integer().notNull(),
    block: t.bigint().notNull(),
  }),
  (table) => ({ pk: primaryKey({ columns: [table.token, table.campaignId] }) }),
);

export const campaignClaim = onchainTable(
  "campaign_claim",
  (t) => ({
    token: t.hex().notNull(),
    campaignId: t.bigint().notNull(),
    index: t.bigint().notNull(),
    account: t.hex().notNull(),
    amount: t.bigint().notNull(),
    createdAt: t.integer().notNull(),
    block: t.bigint().notNull(),
    txHash: t.hex().notNull(),
  }),
  (table) => ({ pk: primaryKey({ columns: [table.token, table.campaignId, table.index] }) }),
);

/** A crowdfund (CrowdfundCreated, CrowdfundInitialized, Contributed, Finalized, Failed). */
export const crowdfund = onchainTable(
  "crowdfund",
  (t) => ({
    address: t.hex().primaryKey(),
    token: t.hex().notNull(),
    creator: t.hex(),
    treasury: t.hex().notNull(),
    paymentToken: t.hex().notNull(),
    goal: t.bigint().notNull(),
    cap: t.bigint().notNull(),
    deadline: t.bigint().notNull(),
    price: t.bigint().notNull(),
    referralBps: t.integer().notNull(),
    feeBps: t.integer().notNull(),
    raised: t.bigint().notNull(),
    contributors: t.integer().notNull(),
    status: t.text().notNull(), // "open" | "finalized" | "failed"
    proceeds: t.bigint(),
    fee: t.bigint(),
    tokensMinted: t.bigint(),
    createdAt: t.integer().notNull(),
    createdBlock: t.bigint().notNull(),
    logIndex: t.integer().notNull(),
  }),
  (table) => ({ listIdx: index().on(table.token, table.createdBlock, table.logIndex) }),
);

/** One contributor's position in a crowdfund (Contributed, TokensClaimed, Refunded). */
export const contribution = onchainTable(
  "contribution",
  (t) => ({
    crowdfund: t.hex().notNull(),
    contributor: t.hex().notNull(),
    token: t.hex().notNull(),
    paymentToken: t.hex().notNull(),
    amount: t.bigint().notNull(),
    referrer: t.hex(),
    claimedTokens: t.bigint(),
    claimedBonus: t.bigint(),
    refunded: t.boolean().notNull(),
  }),
  (table) => ({ pk: primaryKey({ columns: [table.crowdfund, table.contributor] }), contributorIdx: index().on(table.contributor) }),
);

/** A revenue deposit (RevenueDeposited). */
export const revenueDeposit = onchainTable(
  "revenue_deposit",
  (t) => ({
    revenueShare: t.hex().notNull(),
    depositId: t.bigint().notNull(),
    token: t.hex().notNull(),
    asset: t.hex().notNull(),
    depositor: t.hex().notNull(),
    amount: t.bigint().notNull(),
    supply: t.bigint().notNull(),
    createdAt: t.integer().notNull(),
    block: t.bigint().notNull(),
    logIndex: t.integer().notNull(),
    txHash: t.hex().notNull(),
  }),
  (table) => ({
    // Deposit ids count per asset (ETH's 0, 1, … and each ERC-20's own 0, 1, …).
    pk: primaryKey({ columns: [table.revenueShare, table.asset, table.depositId] }),
    listIdx: index().on(table.token, table.block, table.logIndex),
  }),
);

/** A revenue claim (RevenueClaimed). */
export const revenueClaim = onchainTable(
  "revenue_claim",
  (t) => ({
    id: t.text().primaryKey(), // `${txHash}-${logIndex}`
    revenueShare: t.hex().notNull(),
    token: t.hex().notNull(),
    asset: t.hex().notNull(),
    account: t.hex().notNull(),
    fromId: t.bigint().notNull(),
    toId: t.bigint().notNull(),
    amount: t.bigint().notNull(),
    createdAt: t.integer().notNull(),
    block: t.bigint().notNull(),
    txHash: t.hex().notNull(),
  }),
  (table) => ({ accountIdx: index().on(table.account) }),
);
