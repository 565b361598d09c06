/**
 * The reward vault's reads (the pages' live vault reads stay in their hooks' multicalls; see
 * hooks/useVault.ts).
 */
import type { Address } from "viem";
import { rewardVaultAbi } from "../generated/abis.ts";
import type { ReadClient } from "./governance.ts";

/** The vault's settings a reward proposal template starts from. */
export async function fetchVaultSettings(client: ReadClient, vault: Address) {
  const [epochBudget, epochLength, referralBps] = await client.multicall({
    deployless: true,
    allowFailure: false,
    contracts: [
      { address: vault, abi: rewardVaultAbi, functionName: "epochBudget" },
      { address: vault, abi: rewardVaultAbi, functionName: "epochLength" },
      { address: vault, abi: rewardVaultAbi, functionName: "referralBps" },
    ],
  });
  return { epochBudget: BigInt(epochBudget), epochLength: BigInt(epochLength), referralBps: BigInt(referralBps) };
}
