import { describe, expect, it } from "vitest";
import { keccak256, toHex } from "viem";
import { parseSiweMessage } from "viem/siwe";
import { joinResource, settingsJson, settingsResource, signInMessage } from "./useSignIn.ts";

const FAN = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8";
const TOKEN = "0x5fbdb2315678afecb367f032d93f642f64180aa3";

describe("sign-in with the Coterie server", () => {
  it("names the app's host and origin, the chain, the server's nonce and binds the message to joining this community", () => {
    const now = new Date("2026-12-06T05:00:00Z");
    const message = signInMessage({
      address: FAN, chainId: 31337, nonce: "abcdefgh12345678", resource: joinResource(TOKEN), now, host: "127.0.0.1:5173", origin: "http://127.0.0.1:5173", statement: "Join Aurora Fans.",
    });
    const parsed = parseSiweMessage(message);
    expect(parsed).toMatchObject({ domain: "127.0.0.1:5173", uri: "http://127.0.0.1:5173", chainId: 31337, nonce: "abcdefgh12345678", address: FAN, version: "1" });
    expect(parsed.resources).toEqual(["urn:coterie:join:0x5FbDB2315678afecb367f032d93F642f64180aa3"]);
    expect(parsed.issuedAt?.toISOString()).toBe(now.toISOString());
    // The server accepts at most 10 minutes between issue and expiry.
    expect(parsed.expirationTime!.getTime() - now.getTime()).toBeLessThanOrEqual(10 * 60_000);
  });

  it("binds a settings change to the exact JSON sent, so the signature cannot approve other settings", () => {
    const settings = { join: { enabled: true, welcome: "100" } };
    const json = settingsJson(settings);
    expect(settingsResource(TOKEN, json)).toBe(`urn:coterie:settings:0x5FbDB2315678afecb367f032d93F642f64180aa3:${keccak256(toHex(json))}`);
    expect(settingsResource(TOKEN, settingsJson({ join: { enabled: true, welcome: "101" } }))).not.toBe(settingsResource(TOKEN, json));
  });
});
