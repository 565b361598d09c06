import { describe, expect, it, vi } from "vitest";
import { createServerClient, isServerUnreachable, serverFor, ServerError, ServerUnreachableError, relayFailureMessage } from "./server.ts";

const TOKEN = "0x1111111111111111111111111111111111111111";
const VAULT = "0x2222222222222222222222222222222222222222";
const FAN = "0x3333333333333333333333333333333333333333";
const FRIEND = "0x4444444444444444444444444444444444444444";

function reply(status: number, body: unknown): Response {
  return new Response(body === undefined ? "" : JSON.stringify(body), { status, headers: { "content-type": "application/json" } });
}

function client(handler: (url: string, init: RequestInit) => Response | Promise<Response>) {
  const fetchMock = vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => handler(String(input), init ?? {}));
  return { server: createServerClient("http://server.test/", { fetch: fetchMock as unknown as typeof fetch, timeoutMs: 50 }), fetchMock };
}

const COMMUNITY = {
  token: TOKEN,
  name: "Aurora Fans",
  symbol: "AUR",
  rewardVault: VAULT,
  sponsor: FRIEND,
  relay: { enabled: true, epochSeconds: 86400, gasPerEpoch: "30000000", gasPerAccountPerEpoch: "1000000", epoch: { index: 3, endsAt: 1767225600, used: "21000" } },
  join: {
    enabled: true, welcome: "100000000000000000000", voucherTtlSeconds: 604800, perReferrerPerDay: 20, perIpPerHour: 10,
    allowlist: null, referralBps: 1000, attester: FAN, vaultAttester: FAN, ready: true,
  },
};

describe("the server client", () => {
  it("offers nothing for free on a chain that names no server", () => {
    expect(serverFor({ serverUrl: null })).toBeNull();
    expect(serverFor({ serverUrl: "http://s.test" })?.baseUrl).toBe("http://s.test");
  });

  it("reads a community's relay and join settings with amounts as bigints", async () => {
    const { server, fetchMock } = client(() => reply(200, COMMUNITY));
    const community = await server.community(TOKEN);
    expect(fetchMock.mock.calls[0][0]).toBe(`http://server.test/v1/communities/${TOKEN}`);
    expect(community.join).toMatchObject({ ready: true, welcome: 100n * 10n ** 18n, referralBps: 1000 });
    expect(community.relay.epoch.used).toBe(21000n);
  });

  it("refuses an answer whose fields are not of the documented form, naming the field", async () => {
    const { server } = client(() => reply(200, { ...COMMUNITY, join: { ...COMMUNITY.join, welcome: 5 } }));
    await expect(server.community(TOKEN)).rejects.toThrow("community.join.welcome is not a decimal number");
  });

  it("turns every refusal into the server's sentence with its code", async () => {
    const { server } = client(() => reply(409, { error: "You already joined this community.", code: "duplicate", id: "abc" }));
    const error = await server.join({ token: TOKEN, referrer: FRIEND, message: "m", signature: "0x12" }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ServerError);
    expect((error as ServerError).message).toBe("You already joined this community.");
    expect((error as ServerError).code).toBe("duplicate");
    expect((error as ServerError).existingId).toBe("abc");
  });

  it("says a refusal the chain would make in plain words, from the decoded custom error", async () => {
    const { server } = client(() => reply(422, { error: "reverted", code: "reverted", reason: "GovernorAlreadyCastVote" }));
    await expect(server.relay({ chainId: 31337, community: TOKEN, action: { kind: "referral", referrer: FRIEND } })).rejects.toThrow(
      "You have already voted on this proposal.",
    );
  });

  it("reports a refusal without a body by its status", async () => {
    const { server } = client(() => new Response("nope", { status: 429 }));
    await expect(server.nonce()).rejects.toThrow("The Coterie server refused the request (HTTP 429).");
  });

  it("treats a network failure, a timeout or a gateway error as an unreachable server (the wallet path stays)", async () => {
    const down = client(() => Promise.reject(new TypeError("Failed to fetch")));
    const error = await down.server.nonce().catch((e: unknown) => e);
    expect(isServerUnreachable(error)).toBe(true);
    expect((error as Error).message).toContain("unreachable");
    const slow = client((_url, init) => new Promise((_resolve, reject) => init.signal?.addEventListener("abort", () => reject(new DOMException("aborted", "AbortError")))));
    await expect(slow.server.nonce()).rejects.toBeInstanceOf(ServerUnreachableError);
    const gateway = client(() => new Response("<html>Bad gateway</html>", { status: 502 }));
    await expect(gateway.server.nonce()).rejects.toBeInstanceOf(ServerUnreachableError);
    const notConfigured = client(() => reply(503, { error: "Join is disabled for this community.", code: "not_configured" }));
    await expect(notConfigured.server.nonce()).rejects.toThrow("Join is disabled for this community.");
  });

  it("posts a relay action as JSON and reads its lifecycle", async () => {
    const { server, fetchMock } = client((url) =>
      url.endsWith("/v1/relay")
        ? reply(202, { id: "r1", status: "queued", kind: "referral", account: FRIEND })
        : reply(200, { id: "r1", community: TOKEN, kind: "referral", account: FRIEND, status: "failed", txHash: null, blockNumber: null, error: { code: "reverted", reason: "RewardVaultNothingToClaim", message: "x" } }),
    );
    const accepted = await server.relay({ chainId: 31337, community: TOKEN, action: { kind: "referral", referrer: FRIEND } });
    expect(accepted.id).toBe("r1");
    const init = fetchMock.mock.calls[0][1] as RequestInit;
    expect(init.method).toBe("POST");
    expect((init.headers as Record<string, string>)["content-type"]).toBe("application/json");
    expect(JSON.parse(init.body as string)).toEqual({ chainId: 31337, community: TOKEN, action: { kind: "referral", referrer: FRIEND } });
    const status = await server.relayStatus("r1");
    expect(status.status).toBe("failed");
    expect(relayFailureMessage(status.error)).toBe("There is nothing to claim yet.");
  });

  it("reads the voucher a join returns with its numbers as bigints", async () => {
    const { server } = client(() =>
      reply(200, { voucher: { recipient: FAN, amount: "5", referrer: FRIEND, id: "77", deadline: "1800000000" }, signature: "0xabcd", claimLink: "http://app/claim?v=1", rewardVault: VAULT, existing: true }),
    );
    const joined = await server.join({ token: TOKEN, referrer: FRIEND, message: "m", signature: "0x12" });
    expect(joined.voucher).toEqual({ recipient: FAN, amount: 5n, referrer: FRIEND, id: 77n, deadline: 1800000000n });
    expect(joined.existing).toBe(true);
  });
});
