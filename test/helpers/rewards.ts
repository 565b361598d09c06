/**
 * Test helpers for the RewardVault tests: a seeded PRNG for the property test and the malleable
 * (high-s) twin of an ECDSA signature. Pure functions; the module has no side effects (mocha loads
 * every file under test/).
 */
import { concat, getBytes, hexlify, toBeHex } from "ethers";

/** The order of the secp256k1 group. */
export const SECP256K1_N = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n;

/** The parts of a 65-byte `r ‖ s ‖ v` signature. */
export interface SignatureParts {
  r: string;
  s: bigint;
  v: number;
}

/** Splits a 65-byte `r ‖ s ‖ v` signature; throws on any other length. */
export function splitSignature(signature: string): SignatureParts {
  const bytes = getBytes(signature);
  if (bytes.length !== 65) throw new Error(`expected a 65-byte signature, got ${bytes.length} bytes`);
  return { r: hexlify(bytes.slice(0, 32)), s: BigInt(hexlify(bytes.slice(32, 64))), v: bytes[64] };
}

/**
 * The malleable twin of a low-s signature: `(r, n - s, v ^ 1)` recovers the same signer through the
 * bare `ecrecover` precompile, but OpenZeppelin's ECDSA rejects it (s in the upper half).
 */
export function malleableTwin(signature: string): string {
  const { r, s, v } = splitSignature(signature);
  return concat([r, toBeHex(SECP256K1_N - s, 32), toBeHex(v === 27 ? 28 : 27, 1)]);
}

/** The calldata of the `ecrecover` precompile (address 0x01) for `digest` and a 65-byte signature. */
export function ecrecoverInput(digest: string, signature: string): string {
  const { r, s, v } = splitSignature(signature);
  return concat([digest, toBeHex(v, 32), r, toBeHex(s, 32)]);
}

/** A small deterministic PRNG (mulberry32) so the property test replays exactly from its seed. */
export class Prng {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** A float in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  }

  /** An integer in [min, max], both inclusive. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  /** True with probability `p`. */
  chance(p: number): boolean {
    return this.next() < p;
  }

  /** A uniformly chosen element of a non-empty array. */
  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new Error("pick from an empty array");
    return items[Math.floor(this.next() * items.length)];
  }

  /** Chooses a key by weight. */
  weighted<K extends string>(weights: Record<K, number>): K {
    const entries = Object.entries(weights) as Array<[K, number]>;
    const total = entries.reduce((sum, [, w]) => sum + w, 0);
    let x = this.next() * total;
    for (const [key, w] of entries) {
      if (x < w) return key;
      x -= w;
    }
    return entries[entries.length - 1][0];
  }
}

/**
 * The creation code OpenZeppelin's `Clones.cloneWithImmutableArgs` deploys: an EIP-1167 proxy to
 * `implementation` whose runtime code is followed by `args` (how the factory clones the vault with
 * `abi.encodePacked(token, timelock)`), for deploying such a clone outside the factory.
 */
export function cloneWithArgsCreationCode(implementation: string, args: string): string {
  const argBytes = getBytes(args);
  return concat([
    "0x61",
    toBeHex(argBytes.length + 0x2d, 2),
    "0x3d81600a3d39f3363d3d373d3d3d363d73",
    implementation,
    "0x5af43d82803e903d91602b57fd5bf3",
    argBytes,
  ]);
}
