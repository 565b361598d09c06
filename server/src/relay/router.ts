/**
 * POST /v1/relay and GET /v1/relay/:id (docs/server.md). A request is checked (schema, chain,
 * community, settings, duplicate, rate, eligibility, simulation), its gas is reserved in the
 * community's and the account's budget and it is stored `queued` in one database transaction
 * (shared with the requests accepted at the same moment, accept.ts), and only then answered 202;
 * the sender takes it from there.
 */
import { randomUUID } from "node:crypto";
import { Hono } from "hono";
import { numberToHex } from "viem";
import { clientIp, readJson, validate } from "../app.ts";
import { HttpError, type ServerContext } from "../context.ts";
import { chainClock, gasLimitFor, prepare, relayBodySchema, revenueLimit, type ActionKind, type Prepared } from "./actions.ts";
import { Acceptor } from "./accept.ts";
import { epochOf } from "./budget.ts";
import { RateLimiter } from "./ratelimit.ts";
import { describeRevert } from "./revert.ts";
import { RpcError, type JsonRpc } from "./rpc.ts";
import { activeByKey, getRequest, requestJson } from "./store.ts";

/** Reverts that mean "this signature is not the account's": 401 rather than 422. */
const BAD_SIGNATURE = new Set(["GovernorInvalidSignature", "ERC2612InvalidSigner", "RewardVaultBadSignature", "ECDSAInvalidSignature", "ECDSAInvalidSignatureLength", "ECDSAInvalidSignatureS"]);

export interface RelayLimits {
  perIpPerMinute: number;
  perAccountPerMinute: number;
}

/** The relay's routes; `wake` tells the sender that something was queued. */
export function relayRouter(ctx: ServerContext, rpc: JsonRpc, wake: () => void, limits: RelayLimits): Hono {
  const router = new Hono();
  const perIp = new RateLimiter(limits.perIpPerMinute);
  const perAccount = new RateLimiter(limits.perAccountPerMinute);
  const now = chainClock(ctx);
  const acceptor = new Acceptor(ctx.db);

  const duplicate = (id: string) => new HttpError(409, "duplicate", "The same action is already relayed (see its id).", { id });

  /**
   * The transaction's gas limit (= its reservation), after ONE simulation at the latest block with
   * that limit (eth_call; a revert or running out of gas refuses the request). Only a revenue
   * claim, whose cost grows with the deposits it covers, is estimated instead (eth_estimateGas).
   * Never against "pending": the node would re-execute its whole mempool for each call.
   */
  async function simulate(kind: ActionKind, p: Prepared): Promise<bigint> {
    try {
      if (kind === "revenue") {
        const estimate = await rpc.call<string>("eth_estimateGas", [{ from: ctx.sponsor, to: p.target, data: p.data }, "latest"]);
        return revenueLimit(BigInt(estimate));
      }
      const gas = gasLimitFor(kind, p.data);
      await rpc.call<string>("eth_call", [{ from: ctx.sponsor, to: p.target, data: p.data, gas: numberToHex(gas) }, "latest"]);
      return gas;
    } catch (error) {
      if (!(error instanceof RpcError)) throw error;
      const decoded = describeRevert(error.data, `The chain would refuse it: ${error.message.split("\n")[0]}`);
      if (decoded.reason !== null && BAD_SIGNATURE.has(decoded.reason)) {
        throw new HttpError(401, "bad_signature", "The signature does not match the account it claims.", { reason: decoded.reason });
      }
      throw new HttpError(422, "reverted", decoded.message, { reason: decoded.reason });
    }
  }

  router.post("/v1/relay", async (c) => {
    if (!perIp.take(`ip:${clientIp(c)}`)) throw new HttpError(429, "rate_limited", "Too many requests from your address; wait a minute.");
    const body = validate(relayBodySchema, await readJson(c));
    if (body.chainId !== ctx.config.chainId) throw new HttpError(400, "wrong_chain", `This server relays on chain ${ctx.config.chainId}, not ${body.chainId}.`);
    const community = await ctx.community(body.community);
    if (community === null) throw new HttpError(404, "unknown_community", `${body.community} is not a community of this platform.`);
    const settings = await ctx.settings(community.token);
    if (!settings.relay.enabled) throw new HttpError(503, "not_configured", "This community does not sponsor transactions.");

    const p = await prepare(ctx, community, body.action, now);
    if (!perAccount.take(`account:${community.token}:${p.account}`)) throw new HttpError(429, "rate_limited", "Too many requests for this account; wait a minute.");
    // The duplicate lookup runs beside the simulation (a duplicate is refused 409 whatever the simulation says).
    const [existing, simulated] = await Promise.allSettled([activeByKey(ctx.db, p.key, p.once), simulate(body.action.kind, p)]);
    if (existing.status === "rejected") throw existing.reason;
    if (existing.value) throw duplicate(existing.value.id);
    if (simulated.status === "rejected") throw simulated.reason;
    const gas = simulated.value;

    const id = randomUUID();
    const epoch = epochOf(Math.floor(Date.now() / 1000), settings.relay.epochSeconds);
    await acceptor.accept({ id, community: community.token, kind: body.action.kind, account: p.account, key: p.key, once: p.once, target: p.target, data: p.data, gas, epoch, limits: settings.relay });
    wake();
    ctx.log.debug({ id, kind: body.action.kind, gas: numberToHex(gas) }, "relay request queued");
    return c.json({ id, status: "queued", kind: body.action.kind, account: p.account }, 202);
  });

  router.get("/v1/relay/:id", async (c) => {
    const id = c.req.param("id");
    const row = /^[0-9a-f-]{36}$/.test(id) ? await getRequest(ctx.db, id) : null;
    if (row === null) throw new HttpError(404, "not_found", "No relay request with this id.");
    return c.json(requestJson(row));
  });
  return router;
}
