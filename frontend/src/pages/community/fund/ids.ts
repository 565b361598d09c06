import type { TransactionReceipt } from "viem";
import type { TxState } from "../../../hooks/useTransaction.ts";

/** Test ids of one crowdfund's controls: `<what>-<lowercase address>`, unique when several crowdfunds share the page. */
export const cfId = (what: string, cf: { address: string }) => `${what}-${cf.address.toLowerCase()}`;

/** The key of a revenue asset in test ids: "eth" or the ERC-20's lowercase address. */
export const assetKey = (asset: { address: string | null }) => (asset.address === null ? "eth" : asset.address.toLowerCase());

/** The mined receipt of a confirmed transaction, else null (success messages are read from its events). */
export function confirmedReceipt(state: TxState): TransactionReceipt | null {
  return state.status === "confirmed" ? state.receipt : null;
}
