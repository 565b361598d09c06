/**
 * The HTTP application: middleware (request ids and logs, CORS, body limit), the error mapping of
 * docs/server.md (HttpError → its status; zod → 400; anything else → 500, logged), GET /health,
 * GET /v1/communities/:token, and the routers of the relay and the attester.
 */
import { randomUUID } from "node:crypto";
import { getConnInfo } from "@hono/node-server/conninfo";
import { Hono, type Context } from "hono";
import { bodyLimit } from "hono/body-limit";
import { cors } from "hono/cors";
import { getAddress, isAddress, type Address } from "viem";
import { ZodError, type ZodType, type ZodTypeDef } from "zod";
import { rewardVaultAbi } from "../../indexer/generated/abis.ts";
import { HttpError, type ServerContext } from "./context.ts";
import { budgetUsed, epochOf } from "./relay/budget.ts";
import { settingsToJson } from "./settings.ts";

type Env = { Variables: { requestId: string } };

/** The first issue of a zod error as "field: message". */
function zodMessage(error: ZodError): { message: string; field: string } {
  const issue = error.issues[0];
  const field = issue && issue.path.length > 0 ? issue.path.join(".") : "body";
  return { message: `${field}: ${issue?.message ?? "invalid"}`, field };
}

/** `schema.parse(value)`, refusing with 400 bad_request naming the field. */
export function validate<Out, In = Out>(schema: ZodType<Out, ZodTypeDef, In>, value: unknown): Out {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const { message, field } = zodMessage(result.error);
  throw new HttpError(400, "bad_request", message, { field });
}

/** The request's JSON body: 415 when not application/json, 413 over the limit, 400 when malformed. */
export async function readJson(c: Context): Promise<unknown> {
  const type = c.req.header("content-type") ?? "";
  if (!/^application\/json\s*(;|$)/i.test(type)) throw new HttpError(415, "unsupported_media_type", "Send the body as application/json.");
  let text: string;
  try {
    text = await c.req.text();
  } catch (error) {
    if ((error as Error).name === "BodyLimitError") throw tooLarge();
    throw new HttpError(400, "bad_request", "The request body could not be read.");
  }
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new HttpError(400, "bad_request", "The body is not valid JSON.");
  }
}

const tooLarge = () => new HttpError(413, "payload_too_large", "The request body is too large.");

/** The client's IP address (the socket's remote address; no proxy headers are trusted). */
export function clientIp(c: Context): string {
  try {
    return getConnInfo(c).remote.address ?? "unknown";
  } catch {
    return "unknown";
  }
}

/** A route parameter or field that must be an address: 400 bad_request otherwise. */
export function addressParam(value: string | undefined, field: string): Address {
  if (value === undefined || !isAddress(value, { strict: false })) throw new HttpError(400, "bad_request", `${field}: not an address`, { field });
  return getAddress(value);
}

function errorBody(error: HttpError) {
  return { error: error.message, code: error.code, ...error.extra };
}

/** The JSON of GET /v1/communities/:token (also returned by PUT …/settings). */
export async function communityJson(ctx: ServerContext, tokenParam: string | undefined) {
  const token = addressParam(tokenParam, "token");
  const community = await ctx.community(token);
  if (community === null) throw new HttpError(404, "unknown_community", `${token} is not a community of this platform.`);
  const settings = await ctx.settings(token);
  const [vaultAttester, referralBps] = await Promise.all([
    ctx.chain.readContract({ address: community.rewardVault, abi: rewardVaultAbi, functionName: "attester" }),
    ctx.chain.readContract({ address: community.rewardVault, abi: rewardVaultAbi, functionName: "referralBps" }),
  ]);
  const now = Math.floor(Date.now() / 1000);
  const epoch = epochOf(now, settings.relay.epochSeconds);
  const json = settingsToJson(settings);
  return {
    token: community.token,
    name: community.name,
    symbol: community.symbol,
    rewardVault: community.rewardVault,
    sponsor: ctx.sponsor,
    relay: {
      ...json.relay,
      epoch: { index: epoch, endsAt: (epoch + 1) * settings.relay.epochSeconds, used: (await budgetUsed(ctx.db, token, epoch, null)).toString() },
    },
    join: {
      ...json.join,
      referralBps: Number(referralBps),
      attester: ctx.attester,
      vaultAttester: getAddress(vaultAttester),
      ready: settings.join.enabled && ctx.attester !== null && getAddress(vaultAttester) === ctx.attester,
    },
  };
}

/** Health: the chain's block and the sponsor's balance, the database, the relay queue. */
async function health(ctx: ServerContext) {
  const [block, balance, queue] = await Promise.all([
    ctx.chain.getBlockNumber({ cacheTime: 0 }),
    ctx.chain.getBalance({ address: ctx.sponsor }),
    ctx.db.query<{ status: string; n: string }>(
      "SELECT status, count(*)::text AS n FROM relay_requests WHERE status IN ('queued', 'sent') GROUP BY status",
    ),
  ]);
  const count = (s: string) => Number(queue.find((r) => r.status === s)?.n ?? 0);
  return {
    ok: true,
    chainId: ctx.config.chainId,
    block: block.toString(),
    sponsor: ctx.sponsor,
    sponsorBalance: balance.toString(),
    attester: ctx.attester,
    db: ctx.db.kind,
    queue: { queued: count("queued"), sent: count("sent") },
  };
}

/** The application: middleware, core routes, then `routers` (mounted at "/"). */
export function createApp(ctx: ServerContext, routers: Hono[]): Hono<Env> {
  const app = new Hono<Env>();
  app.use("*", async (c, next) => {
    const id = randomUUID();
    c.set("requestId", id);
    const started = performance.now();
    await next();
    c.header("x-request-id", id);
    ctx.log.info({ req: id, method: c.req.method, path: c.req.path, status: c.res.status, ms: Math.round((performance.now() - started) * 10) / 10 }, "request");
  });
  app.use("*", cors({ origin: ctx.config.appUrls, allowMethods: ["GET", "POST", "PUT", "OPTIONS"], allowHeaders: ["content-type"], maxAge: 600 }));
  app.use("*", bodyLimit({ maxSize: ctx.config.maxBodyBytes, onError: (c) => c.json(errorBody(tooLarge()), 413) }));

  app.get("/health", async (c) => {
    try {
      return c.json(await health(ctx));
    } catch (error) {
      ctx.log.warn({ req: c.get("requestId"), err: (error as Error).message }, "health check failed");
      return c.json({ ok: false, error: (error as Error).message }, 503);
    }
  });
  app.get("/v1/communities/:token", async (c) => c.json(await communityJson(ctx, c.req.param("token"))));
  for (const router of routers) app.route("/", router);

  app.notFound((c) => c.json({ error: `No route ${c.req.method} ${c.req.path}.`, code: "not_found" }, 404));
  app.onError((error, c) => {
    if (error instanceof HttpError) return c.json(errorBody(error), error.status);
    if (error instanceof ZodError) {
      const { message, field } = zodMessage(error);
      return c.json({ error: message, code: "bad_request", field }, 400);
    }
    if (error.name === "BodyLimitError") return c.json(errorBody(tooLarge()), 413);
    ctx.log.error({ req: c.get("requestId"), err: { message: error.message, stack: error.stack } }, "unexpected error");
    return c.json({ error: "The server failed to handle this request.", code: "internal" }, 500);
  });
  return app;
}
