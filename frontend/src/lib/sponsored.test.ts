import { describe, expect, it } from "vitest";
import { encodeAbiParameters, hashTypedData, keccak256, toHex, concat, type Hex } from "viem";
import { ballotTypedData, delegationTypedData, domainFromEip712, joinVoucherId } from "./sponsored.ts";

const GOVERNOR = "0x5FbDB2315678afecb367f032d93F642f64180aa3";
const VOTER = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8";

describe("sponsored signatures", () => {
  it("keeps only the domain fields the contract's eip712Domain() names", () => {
    expect(domainFromEip712(["0x0f", "Aurora Governor", "1", 31337n, GOVERNOR, `0x${"00".repeat(32)}`, []])).toEqual({
      name: "Aurora Governor", version: "1", chainId: 31337n, verifyingContract: GOVERNOR,
    });
    expect(domainFromEip712(["0x05", "T", "1", 1n, GOVERNOR, `0x${"00".repeat(32)}`, []])).toEqual({ name: "T", chainId: 1n });
  });

  it("hashes a vote exactly as the governor's ExtendedBallot typehash does, reason kept and params empty", () => {
    const domain = { name: "G", version: "1", chainId: 31337n, verifyingContract: GOVERNOR } as const;
    const typed = ballotTypedData(domain, { proposalId: 7n, support: 1, voter: VOTER, nonce: 3n, reason: "Great idea" });
    const typehash = keccak256(toHex("ExtendedBallot(uint256 proposalId,uint8 support,address voter,uint256 nonce,string reason,bytes params)"));
    const structHash = keccak256(
      encodeAbiParameters(
        [{ type: "bytes32" }, { type: "uint256" }, { type: "uint8" }, { type: "address" }, { type: "uint256" }, { type: "bytes32" }, { type: "bytes32" }],
        [typehash, 7n, 1, VOTER, 3n, keccak256(toHex("Great idea")), keccak256("0x")],
      ),
    );
    const expected = keccak256(concat(["0x1901", domainSeparator(domain), structHash]));
    expect(hashTypedData(typed)).toBe(expected);
  });

  it("hashes a delegation exactly as the token's Delegation typehash does", () => {
    const domain = { name: "Aurora", version: "1", chainId: 31337n, verifyingContract: GOVERNOR } as const;
    const typed = delegationTypedData(domain, { delegatee: VOTER, nonce: 0n, expiry: 99n });
    const typehash = keccak256(toHex("Delegation(address delegatee,uint256 nonce,uint256 expiry)"));
    const structHash = keccak256(encodeAbiParameters([{ type: "bytes32" }, { type: "address" }, { type: "uint256" }, { type: "uint256" }], [typehash, VOTER, 0n, 99n]));
    expect(hashTypedData(typed)).toBe(keccak256(concat(["0x1901", domainSeparator(domain), structHash])));
  });

  it("derives the join voucher id the server uses: one per fan, whatever the database remembers", () => {
    const expected = BigInt(keccak256(encodeAbiParameters([{ type: "string" }, { type: "address" }], ["coterie.join", VOTER])));
    expect(joinVoucherId(VOTER)).toBe(expected);
    expect(joinVoucherId(VOTER.toLowerCase() as Hex)).toBe(expected);
    expect(joinVoucherId(GOVERNOR)).not.toBe(expected);
  });
});

function domainSeparator(domain: { name: string; version: string; chainId: bigint; verifyingContract: Hex }): Hex {
  const typehash = keccak256(toHex("EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)"));
  return keccak256(
    encodeAbiParameters(
      [{ type: "bytes32" }, { type: "bytes32" }, { type: "bytes32" }, { type: "uint256" }, { type: "address" }],
      [typehash, keccak256(toHex(domain.name)), keccak256(toHex(domain.version)), domain.chainId, domain.verifyingContract],
    ),
  );
}
