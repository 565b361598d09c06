/**
 * EIP-4361 sign-in with the Coterie server (docs/server.md "Sign-in messages"): a single-use nonce
 * from the server, a message for this app's host and origin, bound by `resources` to what it
 * authorises, signed in the wallet (wagmi's `signMessage`). Nothing is sent on chain.
 */
import { useCallback } from "react";
import { useConfig, useConnection } from "wagmi";
import { signMessage } from "wagmi/actions";
import { getAddress, keccak256, stringToBytes, type Address, type Hex } from "viem";
import { createSiweMessage } from "viem/siwe";
import { joinResource, settingsResource as sharedSettingsResource } from "../../../shared/server-protocol.ts";
import { useActiveChain } from "../config/context.tsx";
import type { ServerClient, SettingsInput } from "../lib/server.ts";

export { joinResource };

/** A sign-in message stays valid this long (the server accepts at most 10 minutes). */
const SIGN_IN_TTL_MS = 5 * 60_000;

/** The settings resource: the token and the keccak256 of the exact UTF-8 JSON sent as `settings`. */
export function settingsResource(token: Address, settingsJson: string): string {
  return sharedSettingsResource(token, keccak256(stringToBytes(settingsJson)));
}

/** The settings' JSON as sent (and hashed): one serialisation, used for both. */
export function settingsJson(settings: SettingsInput): string {
  return JSON.stringify(settings);
}

export interface SignInInput {
  address: Address;
  chainId: number;
  nonce: string;
  resource: string;
  now: Date;
  host: string;
  origin: string;
  statement: string;
}

export function signInMessage(input: SignInInput): string {
  return createSiweMessage({
    address: getAddress(input.address),
    chainId: input.chainId,
    domain: input.host,
    uri: input.origin,
    version: "1",
    nonce: input.nonce,
    issuedAt: input.now,
    expirationTime: new Date(input.now.getTime() + SIGN_IN_TTL_MS),
    statement: input.statement,
    resources: [input.resource],
  });
}

export function useSignIn(server: ServerClient | null) {
  const config = useConfig();
  const { address } = useConnection();
  const { chain } = useActiveChain();
  return useCallback(
    async (resource: string, statement: string): Promise<{ message: string; signature: Hex }> => {
      if (!server) throw new Error("This network has no Coterie server.");
      if (!address) throw new Error("Connect a wallet first.");
      const nonce = await server.nonce();
      const message = signInMessage({
        address,
        chainId: chain.id,
        nonce,
        resource,
        now: new Date(),
        host: window.location.host,
        origin: window.location.origin,
        statement,
      });
      const signature = await signMessage(config, { account: address, message });
      return { message, signature };
    },
    [server, address, chain.id, config],
  );
}
