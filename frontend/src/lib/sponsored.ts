/**
 * What a fan signs for a sponsored action (docs/server.md "POST /v1/relay"): EIP-712 typed data in
 * the contract's own domain, read from its `eip712Domain()` (ERC-5267), so the signature is the one
 * `castVoteWithReasonAndParamsBySig` or `delegateBySig` recovers. Pure builders, tested without a wallet.
 */
import { getAddress, type Address, type Hex, type TypedDataDomain } from "viem";
import { DELEGATION_TYPES, EXTENDED_BALLOT_TYPES } from "../../../shared/server-protocol.ts";

export { DELEGATION_TYPES, EXTENDED_BALLOT_TYPES, joinVoucherId } from "../../../shared/server-protocol.ts";

/** `eip712Domain()`'s answer: (fields, name, version, chainId, verifyingContract, salt, extensions). */
export type Eip712DomainResult = readonly [Hex, string, string, bigint, Address, Hex, readonly bigint[]];

/** The EIP-712 domain a contract reports, keeping only the fields its `fields` bitmap names. */
export function domainFromEip712(result: Eip712DomainResult): TypedDataDomain {
  const [fields, name, version, chainId, verifyingContract, salt] = result;
  const bits = Number.parseInt(fields, 16);
  const domain: TypedDataDomain = {};
  if (bits & 0x01) domain.name = name;
  if (bits & 0x02) domain.version = version;
  if (bits & 0x04) domain.chainId = chainId;
  if (bits & 0x08) domain.verifyingContract = getAddress(verifyingContract);
  if (bits & 0x10) domain.salt = salt;
  return domain;
}

export interface BallotInput {
  proposalId: bigint;
  support: number;
  voter: Address;
  nonce: bigint;
  reason: string;
}

/** The typed data of a vote with its reason kept and no params (`0x`). */
export function ballotTypedData(domain: TypedDataDomain, ballot: BallotInput) {
  return {
    domain,
    types: EXTENDED_BALLOT_TYPES,
    primaryType: "ExtendedBallot" as const,
    message: { proposalId: ballot.proposalId, support: ballot.support, voter: getAddress(ballot.voter), nonce: ballot.nonce, reason: ballot.reason, params: "0x" as Hex },
  };
}

export function delegationTypedData(domain: TypedDataDomain, delegation: { delegatee: Address; nonce: bigint; expiry: bigint }) {
  return {
    domain,
    types: DELEGATION_TYPES,
    primaryType: "Delegation" as const,
    message: { delegatee: getAddress(delegation.delegatee), nonce: delegation.nonce, expiry: delegation.expiry },
  };
}

/** How long a delegation signature stays valid (the relay sends it within seconds). */
export const DELEGATION_TTL_SECONDS = 3_600n;
