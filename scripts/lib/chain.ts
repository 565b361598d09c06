/**
 * Reading the chain for the creator CLIs: the chain's clock, address flags, and the asset (ETH or
 * an ERC-20) amounts are counted in.
 */
import { getAddress, Interface, isAddress, ZeroAddress, type Provider } from "ethers";
import { CliError } from "./errors.ts";

/** The latest block's timestamp: the clock vouchers, campaigns and crowdfunds are checked against. */
export async function chainNow(provider: Provider): Promise<bigint> {
  const block = await provider.getBlock("latest");
  if (block === null) throw new CliError("the chain returned no latest block");
  return BigInt(block.timestamp);
}

/** An address flag: a checksummed, non-zero address. */
export function addressFlag(value: string, flag: string): string {
  if (!isAddress(value)) throw new CliError(`--${flag} is not an address: ${value}`, "input", { subject: flag });
  const a = getAddress(value);
  if (a === ZeroAddress) throw new CliError(`--${flag} is the zero address`, "input", { subject: flag });
  return a;
}

/** A payment asset or the community token: what amounts are counted in. */
export interface Asset {
  /** The ERC-20, or the zero address for ETH. */
  address: string;
  symbol: string;
  decimals: number;
}

export const ETH: Asset = { address: ZeroAddress, symbol: "ETH", decimals: 18 };

/** The asset at `address` (zero or undefined: ETH); throws when it is not an ERC-20. */
export async function readAsset(provider: Provider, address: string | undefined, flag = "payment"): Promise<Asset> {
  if (address === undefined || (isAddress(address) && getAddress(address) === ZeroAddress)) return ETH;
  if (!isAddress(address)) throw new CliError(`--${flag} is not an address: ${address}`, "input", { subject: flag });
  const a = getAddress(address);
  if ((await provider.getCode(a)) === "0x") {
    throw new CliError(`--${flag} ${a} is not a contract on this chain (an ERC-20 is needed; leave it out for ETH)`, "no-contract", { subject: flag });
  }
  const erc20 = new Interface(["function symbol() view returns (string)", "function decimals() view returns (uint8)"]);
  try {
    const [symbolData, decimalsData] = await Promise.all([
      provider.call({ to: a, data: erc20.encodeFunctionData("symbol") }),
      provider.call({ to: a, data: erc20.encodeFunctionData("decimals") }),
    ]);
    const symbol = erc20.decodeFunctionResult("symbol", symbolData)[0] as string;
    const decimals = Number(erc20.decodeFunctionResult("decimals", decimalsData)[0]);
    return { address: a, symbol: symbol.trim() === "" ? a : symbol, decimals };
  } catch {
    throw new CliError(`--${flag} ${a} does not answer symbol() and decimals() as an ERC-20 does`, "wrong-contract", { subject: flag });
  }
}
