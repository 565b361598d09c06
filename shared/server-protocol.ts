/**
 * What a fan signs for the Coterie server, and the ids and sign-in resources the server and the app
 * must compute alike (docs/server.md): the EIP-712 types of OpenZeppelin's Governor and Votes that
 * the relay submits (`castVoteWithReasonAndParamsBySig`, `delegateBySig`), the join voucher's id,
 * and the EIP-4361 `resources` that bind a sign-in to one action. Browser-safe: used by the server,
 * the web app, the scripts and the tests.
 */
import { encodeAbiParameters, getAddress, keccak256, stringToBytes, type Hex } from "viem";

/** EIP-712 `ExtendedBallot` of OpenZeppelin's Governor (castVoteWithReasonAndParamsBySig). */
export const EXTENDED_BALLOT_TYPES = {
  ExtendedBallot: [
    { name: "proposalId", type: "uint256" },
    { name: "support", type: "uint8" },
    { name: "voter", type: "address" },
    { name: "nonce", type: "uint256" },
    { name: "reason", type: "string" },
    { name: "params", type: "bytes" },
  ],
} as const;

/** EIP-712 `Delegation` of OpenZeppelin's Votes (delegateBySig). */
export const DELEGATION_TYPES = {
  Delegation: [
    { name: "delegatee", type: "address" },
    { name: "nonce", type: "uint256" },
    { name: "expiry", type: "uint256" },
  ],
} as const;

/** The join voucher's id for `fan`: `uint256(keccak256(abi.encode("coterie.join", fan)))`, one per fan per vault. */
export function joinVoucherId(fan: string): bigint {
  return BigInt(keccak256(encodeAbiParameters([{ type: "string" }, { type: "address" }], ["coterie.join", getAddress(fan)])));
}

/** `urn:coterie:join:<token>`: the resource a join sign-in names. */
export function joinResource(token: string): string {
  return `urn:coterie:join:${getAddress(token)}`;
}

/** keccak256 of the UTF-8 JSON of `settings`, serialised as sent (JSON.stringify, keys in the order given). */
export function settingsHash(settings: unknown): Hex {
  return keccak256(stringToBytes(JSON.stringify(settings)));
}

/** `urn:coterie:settings:<token>:<settingsHash>`: the resource a settings sign-in names. */
export function settingsResource(token: string, hash: Hex): string {
  return `urn:coterie:settings:${getAddress(token)}:${hash.toLowerCase()}`;
}
