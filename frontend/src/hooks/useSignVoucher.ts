/**
 * Signs vouchers in the connected wallet (EIP-712 through wagmi's useSignTypedData) and turns them
 * into claim links. Ids are random 64-bit numbers checked unused on chain (`isRedeemed`, one
 * multicall) before anything is signed. Each signature is checked to recover to the connected
 * account, so a wallet that signs something else is caught here rather than by a fan. A voucher
 * larger than the vault's whole budget per period (with the referral bonus when the fan has or is
 * given a referrer) could never be redeemed: nothing is signed then, and every such line is named
 * (the arithmetic is shared/rewards.ts's, the CLI's too).
 *
 *   idle -> checking-ids -> awaiting-signature(i of n) -> done(n)
 *                 \________________\______________________-> error(message)
 *                  \-> over-budget(problems)
 */
import { useCallback, useRef, useState } from "react";
import { useConnection, usePublicClient, useSignTypedData } from "wagmi";
import { getAddress, recoverTypedDataAddress, zeroAddress, type Address, type Hex } from "viem";
import { claimLink, vouchersOverPeriodBudget, type CsvProblem, type Voucher } from "../../../shared/rewards.ts";
import { useActiveChain, useRuntime } from "../config/context.tsx";
import { explainError } from "../lib/errors.ts";
import { readBudgetFacts, readRedeemed } from "../reads/rewards.ts";
import { formatAmount } from "../lib/format.ts";
import { pickVoucherIds, randomVoucherId, voucherTypedData, type SignedVoucher } from "../lib/rewards.ts";

export type SignState =
  | { status: "idle" }
  | { status: "checking-ids" }
  | { status: "awaiting-signature"; index: number; total: number }
  | { status: "done"; count: number }
  | { status: "error"; message: string }
  /** Vouchers no period's budget can pay (dead links): nothing was signed. */
  | { status: "over-budget"; problems: CsvProblem[]; single: boolean };

/** One voucher to sign: who gets how much, and who referred them (the zero address when nobody). */
export interface VoucherRequest {
  line: number;
  recipient: string;
  amount: bigint;
  referrer: string;
}

const ID_CHECK_CHUNK = 500;

export function useSignVouchers(vault: Address | null, unit: { decimals: number; symbol: string } = { decimals: 18, symbol: "tokens" }) {
  const runtime = useRuntime();
  const connection = useConnection();
  const { chain, walletOnWrongChain } = useActiveChain();
  const client = usePublicClient({ chainId: chain.id });
  const signTypedData = useSignTypedData();
  const [state, setState] = useState<SignState>({ status: "idle" });
  const running = useRef(false);

  /** Ids not redeemed on chain yet: draws, checks, and redraws any taken one (astronomically rare). */
  const freshIds = useCallback(
    async (count: number): Promise<bigint[]> => {
      if (!client || !vault) throw new Error("no vault to check ids against");
      let ids = pickVoucherIds(count);
      for (let attempt = 0; attempt < 3; attempt++) {
        const taken = new Set<bigint>();
        for (let i = 0; i < ids.length; i += ID_CHECK_CHUNK) {
          const chunk = ids.slice(i, i + ID_CHECK_CHUNK);
          const redeemed = await readRedeemed(client, vault, chunk);
          chunk.forEach((id, j) => redeemed[j] && taken.add(id));
        }
        if (taken.size === 0) return ids;
        const next = new Set(ids.filter((id) => !taken.has(id)));
        while (next.size < count) {
          const id = randomVoucherId();
          if (!taken.has(id)) next.add(id);
        }
        ids = [...next];
      }
      throw new Error("Could not find unused voucher ids; try again.");
    },
    [client, vault],
  );

  /**
   * The requests no period's budget can pay: reads the budget, the referral rate and the recipients'
   * recorded referrers (one multicall), then applies the shared arithmetic.
   */
  const overBudget = useCallback(
    async (requests: VoucherRequest[]): Promise<CsvProblem[]> => {
      if (!client || !vault) throw new Error("no vault to check the budget against");
      const fans = [...new Set(requests.filter((r) => getAddress(r.referrer) === zeroAddress).map((r) => getAddress(r.recipient)))];
      const { budget, referralBps, referrers } = await readBudgetFacts(client, vault, fans);
      const recorded = new Set(fans.filter((_, i) => referrers[i] !== zeroAddress));
      return vouchersOverPeriodBudget(
        requests,
        { budget, referralBps },
        (fan) => recorded.has(getAddress(fan)),
        (x) => formatAmount(x, unit.decimals, unit.symbol, unit.decimals),
      );
    },
    [client, vault, unit.decimals, unit.symbol],
  );

  /** Signs one voucher per request, all with `deadline`; resolves with the claim links, or null (the state says why). */
  const sign = useCallback(
    async (requests: VoucherRequest[], deadline: bigint): Promise<SignedVoucher[] | null> => {
      if (running.current) return null;
      if (!connection.isConnected || !connection.address) {
        setState({ status: "error", message: "Connect a wallet first." });
        return null;
      }
      if (walletOnWrongChain) {
        setState({ status: "error", message: `Your wallet is on another network. Switch to ${chain.name} first.` });
        return null;
      }
      if (!vault || requests.length === 0) {
        setState({ status: "error", message: "Nothing to sign." });
        return null;
      }
      running.current = true;
      const me = getAddress(connection.address);
      try {
        setState({ status: "checking-ids" });
        const problems = await overBudget(requests);
        if (problems.length > 0) {
          setState({ status: "over-budget", problems, single: requests.length === 1 });
          return null;
        }
        const ids = await freshIds(requests.length);
        const signed: SignedVoucher[] = [];
        for (const [i, r] of requests.entries()) {
          const voucher: Voucher = { recipient: getAddress(r.recipient), amount: r.amount, referrer: getAddress(r.referrer), id: ids[i], deadline };
          setState({ status: "awaiting-signature", index: i + 1, total: requests.length });
          const typed = voucherTypedData(chain.id, vault, voucher);
          const signature = (await signTypedData.mutateAsync({ ...typed, account: me })) as Hex;
          const recovered = await recoverTypedDataAddress({ ...typed, signature });
          if (recovered !== me) {
            throw new Error(`The wallet returned a signature by ${recovered}, not by your account ${me}; nothing was kept.`);
          }
          signed.push({
            line: r.line,
            voucher,
            signature,
            link: claimLink(runtime.appUrl, { chainId: BigInt(chain.id), vault, voucher, signature }),
          });
        }
        setState({ status: "done", count: signed.length });
        return signed;
      } catch (error) {
        setState({ status: "error", message: explainError(error) });
        return null;
      } finally {
        running.current = false;
      }
    },
    [connection.isConnected, connection.address, walletOnWrongChain, chain, vault, overBudget, freshIds, signTypedData, runtime.appUrl],
  );

  const busy = state.status === "checking-ids" || state.status === "awaiting-signature";
  return { state, busy, sign, reset: useCallback(() => setState({ status: "idle" }), []) };
}
