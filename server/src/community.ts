/**
 * Communities by token, resolved on chain through the platform's CommunityFactory
 * (`communityByToken`, which reverts FactoryUnknownToken for a token it did not make), cached:
 * a community's contracts never change. Unknown tokens are cached briefly (a community may be
 * created later).
 */
import { BaseError, ContractFunctionRevertedError, getAddress, type Address, type PublicClient } from "viem";
import { communityFactoryAbi, socialTokenAbi } from "../../indexer/generated/abis.ts";
import type { Community } from "./context.ts";

const UNKNOWN_TTL_MS = 30_000;

/** A resolver `token => Community | null` over `factory`, with a cache. Chain errors other than "unknown token" propagate. */
export function communityResolver(chain: PublicClient, factory: Address): (token: Address) => Promise<Community | null> {
  const known = new Map<Address, Promise<Community>>();
  const unknown = new Map<Address, number>();
  const resolve = async (token: Address): Promise<Community | null> => {
    try {
      const c = await chain.readContract({ address: factory, abi: communityFactoryAbi, functionName: "communityByToken", args: [token] });
      const [name, symbol] = await Promise.all([
        chain.readContract({ address: token, abi: socialTokenAbi, functionName: "name" }),
        chain.readContract({ address: token, abi: socialTokenAbi, functionName: "symbol" }),
      ]);
      return { id: c.id, token: getAddress(c.token), governor: getAddress(c.governor), timelock: getAddress(c.timelock), rewardVault: getAddress(c.rewardVault), name, symbol };
    } catch (error) {
      const reverted = error instanceof BaseError ? error.walk((e) => e instanceof ContractFunctionRevertedError) : null;
      if (reverted instanceof ContractFunctionRevertedError) return null;
      throw error;
    }
  };
  return async (raw) => {
    const token = getAddress(raw);
    const cached = known.get(token);
    if (cached) return cached;
    const miss = unknown.get(token);
    if (miss !== undefined && Date.now() - miss < UNKNOWN_TTL_MS) return null;
    const found = await resolve(token);
    if (found === null) {
      unknown.set(token, Date.now());
      return null;
    }
    known.set(token, Promise.resolve(found));
    return found;
  };
}
