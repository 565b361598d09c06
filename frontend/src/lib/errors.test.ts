import { describe, expect, it } from "vitest";
import {
  BaseError,
  CallExecutionError,
  ChainMismatchError,
  ContractFunctionExecutionError,
  ContractFunctionRevertedError,
  HttpRequestError,
  InsufficientFundsError,
  RawContractError,
  UserRejectedRequestError,
  encodeErrorResult,
  parseAbi,
  type Abi,
  type Hex,
} from "viem";
import { communityFactoryAbi } from "../generated/abis.ts";
import { decodeRevertData, describeCustomError, explainError } from "./errors.ts";

const CREATOR = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8";
const SALT = `0x${"ab".repeat(32)}` as Hex;

/** The error simulateContract throws when the contract reverts with `data`, decoded against `abi`. */
function simulationRevert(abi: Abi, data: Hex): ContractFunctionExecutionError {
  return new ContractFunctionExecutionError(new ContractFunctionRevertedError({ abi, data, functionName: "pause" }), {
    abi,
    functionName: "pause",
    contractAddress: "0x5FbDB2315678afecb367f032d93F642f64180aa3",
  });
}

describe("errors", () => {
  describe("explainError", () => {
    it("explains a rejected signature or connection", () => {
      expect(explainError(new UserRejectedRequestError(new Error("User denied transaction signature.")))).toBe("You rejected the request in your wallet.");
      expect(explainError(new BaseError("wrapped", { cause: new UserRejectedRequestError(new Error("no")) }))).toBe("You rejected the request in your wallet.");
    });

    it("explains a raw EIP-1193 rejection (code 4001) that is not a viem error", () => {
      expect(explainError({ code: 4001, message: "User rejected the request." })).toBe("You rejected the request in your wallet.");
    });

    it("gives the friendly text of a known custom error", () => {
      const data = encodeErrorResult({ abi: communityFactoryAbi, errorName: "FactorySaltUsed", args: [CREATOR, SALT] });
      expect(explainError(simulationRevert(communityFactoryAbi, data))).toBe("You already launched a community with these settings; change the name or symbol.");
    });

    it("spells out a custom error without friendly text, with its arguments", () => {
      const data = encodeErrorResult({ abi: communityFactoryAbi, errorName: "FactoryInvalidQuorum", args: [0n] });
      expect(explainError(simulationRevert(communityFactoryAbi, data))).toBe("Factory invalid quorum (0).");
    });

    it("decodes a revert from another contract (not in the called contract's ABI) against every Coterie error", () => {
      // A token error bubbling up through the vault: the vault's ABI does not know it.
      const tokenError = encodeErrorResult({
        abi: parseAbi(["error ERC20InsufficientBalance(address sender, uint256 balance, uint256 needed)"]),
        errorName: "ERC20InsufficientBalance",
        args: [CREATOR, 1n, 2n],
      });
      const error = simulationRevert(parseAbi(["function pause()"]), tokenError);
      expect(explainError(error)).toBe("Your token balance is too low.");
    });

    it("decodes revert data found deeper in the cause chain (an RPC error's data)", () => {
      const data = encodeErrorResult({ abi: communityFactoryAbi, errorName: "FactoryFeeUnderpaid", args: [0n, 1n] });
      const error = new CallExecutionError(new RawContractError({ data }), {});
      expect(explainError(error)).toBe("The creation fee was not paid in full.");
    });

    it("names an unknown error by its selector", () => {
      const error = simulationRevert(parseAbi(["function pause()"]), "0xdeadbeef");
      expect(explainError(error)).toBe("The transaction would fail with an unknown error (0xdeadbeef).");
    });

    it("shows a require message", () => {
      const data = encodeErrorResult({ abi: parseAbi(["error Error(string)"]), errorName: "Error", args: ["not allowed"] });
      expect(explainError(simulationRevert(parseAbi(["function pause()"]), data))).toBe("The transaction would fail: not allowed.");
    });

    it("explains too little ETH for the transaction and its gas", () => {
      expect(explainError(new BaseError("send failed", { cause: new InsufficientFundsError() }))).toBe(
        "Not enough ETH in your account to pay for this transaction and its gas.",
      );
    });

    it("explains a wallet on another chain", () => {
      const error = new ChainMismatchError({ chain: { id: 31337, name: "Local chain" } as never, currentChainId: 1 });
      expect(explainError(error)).toBe("Your wallet is on another network. Switch to the app's network and try again.");
    });

    it("explains an unreachable RPC node", () => {
      const error = new HttpRequestError({ url: "http://127.0.0.1:8545", cause: new TypeError("fetch failed") });
      expect(explainError(error)).toBe("Cannot reach the network's RPC node. Is the chain running?");
    });

    it("falls back to an error's message, or the value as text", () => {
      expect(explainError(new Error("boom"))).toBe("boom");
      expect(explainError("plain")).toBe("plain");
    });
  });

  describe("describeCustomError", () => {
    it("prefers the friendly text", () => {
      expect(describeCustomError("RewardVaultOverBudget", [1n, 2n])).toBe("The community's reward budget for this period is used up. Try again in the next period.");
    });

    it("spells out a name in words", () => {
      expect(describeCustomError("FactoryUnknownToken")).toBe("Factory unknown token.");
      expect(describeCustomError("CampaignTotalExceeded", [3n])).toBe("Campaign total exceeded (3).");
    });
  });

  describe("decodeRevertData", () => {
    it("decodes any Coterie error by name with its arguments", () => {
      const data = encodeErrorResult({ abi: communityFactoryAbi, errorName: "FactoryAllocationAboveCap", args: [2n, 1n] });
      expect(decodeRevertData(data)).toEqual({ name: "FactoryAllocationAboveCap", args: [2n, 1n] });
    });

    it("returns null for data that matches no error", () => {
      expect(decodeRevertData("0x12345678")).toBeNull();
    });
  });
});
