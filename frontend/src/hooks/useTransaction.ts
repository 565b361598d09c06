/**
 * Every write in the app goes through this hook: it checks the wallet, simulates the call (so a
 * revert is shown, decoded, before anything is signed), asks the wallet to sign, then waits for the
 * mined receipt. Success means a successful receipt, never a returned hash.
 *
 *   idle -> simulating -> awaiting-signature -> pending(hash) -> confirmed(receipt, refreshing) -> confirmed(receipt)
 *                 \______________\___________________\________-> error(message)
 */
import { useCallback, useRef, useState } from "react";
import { useConfig, useConnection } from "wagmi";
import { getBlockNumber, simulateContract, waitForTransactionReceipt, writeContract } from "wagmi/actions";
import { useQueryClient } from "@tanstack/react-query";
import type { Abi, Address, ContractFunctionArgs, ContractFunctionName, Hex, TransactionReceipt } from "viem";
import { useActiveChain } from "../config/context.tsx";
import { explainError } from "../lib/errors.ts";
import { refreshAfterReceipt } from "../lib/freshness.ts";
import { freshnessBlock, indexerFor } from "../reads/indexer.ts";

export type TxState =
  | { status: "idle" }
  | { status: "simulating" }
  | { status: "awaiting-signature" }
  /** Relayed actions (hooks/useRelay.ts): the Coterie server stored the request and will send it. */
  | { status: "queued" }
  | { status: "pending"; hash: Hex }
  /** `refreshing`: the reads on screen are being brought up to the receipt's block (lib/freshness.ts). */
  | { status: "confirmed"; hash: Hex; receipt: TransactionReceipt; refreshing?: true }
  | { status: "error"; message: string; hash?: Hex };

type WriteMutability = "nonpayable" | "payable";

export interface WriteRequest<
  abi extends Abi = Abi,
  functionName extends ContractFunctionName<abi, WriteMutability> = ContractFunctionName<abi, WriteMutability>,
> {
  address: Address;
  abi: abi;
  functionName: functionName;
  args?: ContractFunctionArgs<abi, WriteMutability, functionName>;
  value?: bigint;
}

export interface Transaction {
  state: TxState;
  busy: boolean;
  /** Runs the write; resolves with the receipt when it succeeded, or null (the state says why). */
  send: <const abi extends Abi, functionName extends ContractFunctionName<abi, WriteMutability>>(
    request: WriteRequest<abi, functionName>,
  ) => Promise<TransactionReceipt | null>;
  /** Shows a validation or preparation problem in the same place as transaction errors. */
  fail: (message: string) => void;
  reset: () => void;
}

export function useTransaction(): Transaction {
  const config = useConfig();
  const queryClient = useQueryClient();
  const connection = useConnection();
  const { chain, walletOnWrongChain } = useActiveChain();
  const [state, setState] = useState<TxState>({ status: "idle" });
  const running = useRef(false);
  const sends = useRef(0);

  const send = useCallback(
    async (request: WriteRequest<Abi, string>): Promise<TransactionReceipt | null> => {
      if (running.current) return null;
      if (!connection.isConnected || !connection.address) {
        setState({ status: "error", message: "Connect a wallet first." });
        return null;
      }
      if (walletOnWrongChain) {
        setState({ status: "error", message: `Your wallet is on another network. Switch to ${chain.name} first.` });
        return null;
      }
      running.current = true;
      const mine = ++sends.current;
      let hash: Hex | undefined;
      try {
        setState({ status: "simulating" });
        // Simulated against the pending block: the state the transaction will actually run in
        // (right after a DAO grant, `latest` can still predate it).
        const { request: prepared } = await simulateContract(config, {
          ...(request as WriteRequest),
          account: connection.address,
          chainId: chain.id,
          blockTag: "pending",
        } as Parameters<typeof simulateContract>[1]);
        setState({ status: "awaiting-signature" });
        hash = await writeContract(config, prepared as Parameters<typeof writeContract>[1]);
        setState({ status: "pending", hash });
        const receipt = await waitForTransactionReceipt(config, { hash, chainId: chain.id });
        if (receipt.status !== "success") {
          setState({ status: "error", hash, message: "The transaction was mined but reverted; nothing changed." });
          return null;
        }
        // Confirmed, but what the page shows still predates it until every read has seen the
        // receipt's block: one refetch is not enough (issue 11 item 18, lib/freshness.ts).
        setState({ status: "confirmed", hash, receipt, refreshing: true });
        running.current = false; // the next transaction may start meanwhile
        await refreshAfterReceipt({
          queryClient,
          minBlock: receipt.blockNumber,
          // With an indexer, its lists must have the receipt's block too (reads/indexer.ts).
          blockNumber: () => freshnessBlock(() => getBlockNumber(config, { chainId: chain.id, cacheTime: 0 }), indexerFor(chain)),
        });
        const done = hash;
        if (sends.current === mine) setState({ status: "confirmed", hash: done, receipt });
        return receipt;
      } catch (error) {
        setState({ status: "error", hash, message: explainError(error) });
        return null;
      } finally {
        if (sends.current === mine) running.current = false;
      }
    },
    [config, queryClient, connection.isConnected, connection.address, walletOnWrongChain, chain],
  ) as Transaction["send"];

  const busy = state.status === "simulating" || state.status === "awaiting-signature" || state.status === "pending";
  return {
    state,
    busy,
    send,
    fail: useCallback((message: string) => setState({ status: "error", message }), []),
    reset: useCallback(() => setState({ status: "idle" }), []),
  };
}
