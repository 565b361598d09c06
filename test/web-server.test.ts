/**
 * The web app's static server (scripts/lib/web.ts `serveWebApp`), on a loopback port with a small
 * stand-in for frontend/dist: the runtime configuration at /coterie.json, the SPA fallback for the
 * app's routes, 404 for missing assets, no way out of the dist folder, and read-only methods; no
 * request target stops it (a fuzzer sends thousands over raw TCP), and `serve --help` prints usage.
 */
import { expect } from "chai";
import { spawnSync } from "node:child_process";
import { mkdtempSync, mkdirSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { createServer, request, type Server } from "node:http";
import { Socket, type AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { guarded, requestPath, SECURITY_HEADERS, serveWebApp, webChainFromDeployment, type WebConfig } from "../scripts/lib/web.ts";
import { DEPLOYMENTS_DIR, ROOT } from "../scripts/lib/deployments.ts";

const INDEX = "<!doctype html><title>Coterie</title><div id=root></div>";
const config: WebConfig = {
  chains: [
    {
      id: 31337,
      name: "Local chain",
      rpcUrl: "http://127.0.0.1:8545",
      explorerUrl: null,
      local: true,
      startBlock: 0,
      contracts: {
        factory: "0x5FbDB2315678afecb367f032d93F642f64180aa3",
        platformToken: "0xe7f1725E7734CE288F8367e1Bb143E90bb3F0512",
        platformGovernor: "0x9fE46736679d2D9a65F0992F2272dE9f3c7fa6e0",
        platformTimelock: "0xCf7Ed3AccA5a467e9e704C703E8D87F634fB0Fc9",
        crowdfundFactory: "0xDc64a140Aa3E981100a9becA4E685f962f0cF6C9",
        revenueShareFactory: "0x5FC8d32690cc91D4c39d9d3abcBD16989F875707",
      },
    },
  ],
  defaultChainId: 31337,
  appUrl: "http://127.0.0.1:5173",
};

interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** One raw HTTP request: the path is sent exactly as given (no client-side normalisation of `..`). */
function send(port: number, method: string, path: string): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request({ host: "127.0.0.1", port, method, path }, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => (body += chunk));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on("error", reject);
    req.end();
  });
}

interface RawReply {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/**
 * One request over a raw socket, so the target reaches the server byte for byte (http.request would
 * refuse or rewrite many of them). Resolves with the parsed reply once the server closes.
 */
function sendRaw(port: number, target: Buffer | string, method = "GET"): Promise<RawReply> {
  return new Promise((resolve, reject) => {
    const socket = new Socket();
    const chunks: Buffer[] = [];
    socket.on("data", (chunk: Buffer) => chunks.push(chunk));
    socket.on("error", reject);
    socket.on("close", () => {
      const text = Buffer.concat(chunks).toString("latin1");
      const split = text.indexOf("\r\n\r\n");
      const head = (split === -1 ? text : text.slice(0, split)).split("\r\n");
      const match = /^HTTP\/1\.1 (\d{3}) /.exec(head[0] ?? "");
      if (!match) return reject(new Error(`no HTTP reply to ${JSON.stringify(target.toString("latin1"))}: ${JSON.stringify(text)}`));
      const headers: Record<string, string> = {};
      for (const line of head.slice(1)) {
        const colon = line.indexOf(":");
        headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
      }
      let body = split === -1 ? "" : text.slice(split + 4);
      if (headers["transfer-encoding"] === "chunked") body = dechunk(body);
      resolve({ status: Number(match[1]), headers, body });
    });
    socket.connect(port, "127.0.0.1", () => {
      const bytes = typeof target === "string" ? Buffer.from(target, "latin1") : target;
      // write, not end: the server closes (Connection: close) once it has answered.
      socket.write(
        Buffer.concat([
          Buffer.from(`${method} `, "latin1"),
          bytes,
          Buffer.from(" HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n", "latin1"),
        ]),
      );
    });
  });
}

/** The body of a chunked reply (as far as it arrived). */
function dechunk(raw: string): string {
  let body = "";
  let at = 0;
  for (;;) {
    const eol = raw.indexOf("\r\n", at);
    if (eol === -1) return body;
    const size = parseInt(raw.slice(at, eol), 16);
    if (!(size > 0)) return body;
    body += raw.slice(eol + 2, eol + 2 + size);
    at = eol + 2 + size + 2;
  }
}

/** A small seeded PRNG (mulberry32), so every run fuzzes the same targets. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** Pieces request targets are built from: path syntax, URL-parser traps, escapes, odd bytes. */
const PREFIXES = ["/", "//", "/\\", "///", "http://x/", "http://[", "HTTP://x:99999/", "https://x/", "*", "x", "", "?", "#", "%2f", ".."];
const PIECES = [
  "/", "//", "\\", "[", "]", "[::1]", ":", "99999", "@", "?", "#", "&", "=", "%", "%z", "%zz", "%2e", "%2E%2e", "%2f", "%5c", "%00",
  "%E0%A4%A", "%C3%A9", "%ff", "..", ".", "x", "assets", "assets/app-1234.js", "index.html", "coterie.json", "favicon.svg",
  "secret.txt", ".js", ".css", "{", "}", "|", "^", "`", "'", "\"", "<", ">", "~", "!", "$", "(", ")", "*", "+", ",", ";",
  "claim", "c/0xabc/vote", "\t", " ", "\x01", "\x7f", "\u00e9", "\u20ac", "\ud83d\ude00", "\r", "\n",
];

function generateTarget(random: () => number): Buffer {
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)];
  let target = pick(PREFIXES);
  const count = Math.floor(random() * 8);
  for (let i = 0; i < count; i++) target += pick(PIECES);
  return Buffer.from(target, "utf8");
}

function expectSecurityHeaders(headers: Record<string, string | string[] | undefined>, what: string): void {
  for (const [name, value] of Object.entries(SECURITY_HEADERS)) expect(headers[name], `${what}: ${name}`).to.equal(value);
}

describe("web server", function () {
  let root: string;
  let dist: string;
  let server: Server;
  let port: number;
  const get = (path: string) => send(port, "GET", path);

  before(async function () {
    root = mkdtempSync(join(tmpdir(), "coterie-web-"));
    dist = join(root, "dist");
    mkdirSync(join(dist, "assets"), { recursive: true });
    writeFileSync(join(dist, "index.html"), INDEX);
    writeFileSync(join(dist, "assets", "app-1234.js"), "console.log('app');");
    writeFileSync(join(dist, "favicon.svg"), "<svg/>");
    // A file next to dist/ that must never be served.
    writeFileSync(join(root, "secret.txt"), "do not serve");
    // A file that exists but cannot be read (reading /proc/self/mem at 0 fails with EIO).
    symlinkSync("/proc/self/mem", join(dist, "unreadable.bin"));
    server = await serveWebApp({ host: "127.0.0.1", port: 0, config, distDir: dist });
    port = (server.address() as AddressInfo).port;
  });

  after(async function () {
    await new Promise((resolve) => server.close(resolve));
    rmSync(root, { recursive: true, force: true });
  });

  describe("serveWebApp", function () {
    it("refuses to start without a built app", async function () {
      let error: Error | undefined;
      try {
        await serveWebApp({ host: "127.0.0.1", port: 0, config, distDir: join(root, "missing") });
      } catch (e) {
        error = e as Error;
      }
      expect(error?.message).to.match(/index\.html is missing: build the web app first \(npm run frontend:build\)/);
    });

    it("serves the runtime configuration at /coterie.json, never cached", async function () {
      const reply = await get("/coterie.json");
      expect(reply.status).to.equal(200);
      expect(reply.headers["content-type"]).to.equal("application/json; charset=utf-8");
      expect(reply.headers["cache-control"]).to.equal("no-store");
      expect(JSON.parse(reply.body)).to.deep.equal(config);
    });

    it("serves index.html at the root", async function () {
      const reply = await get("/");
      expect(reply.status).to.equal(200);
      expect(reply.headers["content-type"]).to.equal("text/html; charset=utf-8");
      expect(reply.body).to.equal(INDEX);
    });

    it("answers the app's routes with index.html (SPA fallback), query strings included", async function () {
      for (const path of ["/launch", "/c/0x5FbDB2315678afecb367f032d93F642f64180aa3/vote", "/claim?v=1.31337.0xabc&s=0x12", "/c/0xabc/proposals/3"]) {
        const reply = await get(path);
        expect(reply.status, path).to.equal(200);
        expect(reply.body, path).to.equal(INDEX);
        expect(reply.headers["cache-control"], path).to.equal("no-cache");
      }
    });

    it("serves a built asset with its type, cached for good (its name carries a content hash)", async function () {
      const reply = await get("/assets/app-1234.js");
      expect(reply.status).to.equal(200);
      expect(reply.headers["content-type"]).to.equal("text/javascript; charset=utf-8");
      expect(reply.headers["cache-control"]).to.equal("public, max-age=31536000, immutable");
      expect(reply.body).to.equal("console.log('app');");
    });

    it("serves other files with their type and without long caching", async function () {
      const reply = await get("/favicon.svg");
      expect(reply.status).to.equal(200);
      expect(reply.headers["content-type"]).to.equal("image/svg+xml");
      expect(reply.headers["cache-control"]).to.equal("no-cache");
    });

    it("answers 404 for a missing asset instead of index.html", async function () {
      for (const path of ["/assets/gone-9999.js", "/missing.css", "/logo.png"]) {
        const reply = await get(path);
        expect(reply.status, path).to.equal(404);
        expect(reply.body, path).to.equal("not found");
      }
    });

    it("never serves a file outside the dist folder", async function () {
      for (const path of ["/../secret.txt", "/%2e%2e/secret.txt", "/..%2fsecret.txt", "/assets/..%2f..%2fsecret.txt", "/%2e%2e%5csecret.txt"]) {
        const reply = await get(path);
        expect(reply.body, path).not.to.contain("do not serve");
        expect([403, 404], path).to.include(reply.status);
      }
    });

    it("answers 400 to a malformed path instead of failing", async function () {
      const reply = await get("/%E0%A4%A");
      expect(reply.status).to.equal(400);
      // Still serving afterwards.
      expect((await get("/coterie.json")).status).to.equal(200);
    });

    it("answers HEAD with the headers only", async function () {
      const reply = await send(port, "HEAD", "/launch");
      expect(reply.status).to.equal(200);
      expect(reply.headers["content-type"]).to.equal("text/html; charset=utf-8");
      expect(reply.body).to.equal("");
    });

    it("answers 405 to any method that would change something", async function () {
      for (const method of ["POST", "PUT", "DELETE", "PATCH"]) {
        const reply = await send(port, method, "/coterie.json");
        expect(reply.status, method).to.equal(405);
        expect(reply.headers.allow, method).to.equal("GET, HEAD");
      }
    });
  });
  describe("malformed requests (issue 11 item 1)", function () {
    // Node's HTTP parser accepts these targets but `new URL` throws on them: each used to stop the server.
    const LITERALS = ["//[", "/\\[", "//x:99999", "//%zz"];

    it("answers the targets that used to stop the server, and keeps serving", async function () {
      for (const target of LITERALS) {
        const reply = await sendRaw(port, target);
        expect(reply.status, target).to.be.lessThan(500);
        expectSecurityHeaders(reply.headers, target);
        expect((await get("/coterie.json")).status, `after ${target}`).to.equal(200);
      }
      expect((await sendRaw(port, "//%zz")).status).to.equal(400);
      expect((await sendRaw(port, "//[")).body).to.equal(INDEX);
    });

    it("reads the path of a request target without the URL parser", function () {
      expect(requestPath("/claim?v=1#x")).to.equal("/claim");
      expect(requestPath("/a#b?c")).to.equal("/a");
      expect(requestPath("//x:99999")).to.equal("//x:99999");
      expect(requestPath("http://x/assets/a.js?q")).to.equal("/assets/a.js");
      expect(requestPath("http://[")).to.equal(null);
      expect(requestPath("*")).to.equal(null);
      expect(requestPath("ftp://x/")).to.equal(null);
    });

    it("answers 400 to a target that is not a path or an http URL, and to a NUL byte", async function () {
      for (const target of ["*", "x", "http://[/", "http://x:99999/", "/%00", "/a%00.js"]) {
        const reply = await sendRaw(port, target);
        expect(reply.status, target).to.equal(400);
        expect(reply.body, target).to.equal("bad request");
      }
      expect((await sendRaw(port, "http://127.0.0.1/coterie.json")).status).to.equal(200);
    });

    it("answers 400, with the same headers, to a request Node's parser refuses", async function () {
      const reply = await sendRaw(port, "/a\x01b");
      expect(reply.status).to.equal(400);
      expect(reply.body).to.equal("bad request");
      expectSecurityHeaders(reply.headers, "parser error");
      expect((await get("/")).status).to.equal(200);
    });

    it("closes a connection that can no longer be written to when Node's parser refuses its request", function () {
      let destroyed = false;
      const socket = { writable: false, destroy: () => void (destroyed = true), end: () => expect.fail("wrote to a closed socket") };
      server.emit("clientError", new Error("parse error"), socket);
      expect(destroyed).to.equal(true);
    });

    it("closes only the one response when a file cannot be read", async function () {
      if (process.platform !== "linux") this.skip();
      let failed = false;
      try {
        const reply = await sendRaw(port, "/unreadable.bin");
        failed = reply.body === "";
      } catch {
        failed = true;
      }
      expect(failed).to.equal(true);
      expect((await get("/coterie.json")).status).to.equal(200);
    });

    it("sends nosniff and a frame-ancestors policy on every response", async function () {
      expectSecurityHeaders((await get("/coterie.json")).headers, "config");
      expectSecurityHeaders((await get("/")).headers, "index");
      expectSecurityHeaders((await get("/assets/app-1234.js")).headers, "asset");
      expectSecurityHeaders((await get("/missing.css")).headers, "404");
      expectSecurityHeaders((await get("/%E0%A4%A")).headers, "400");
      expectSecurityHeaders((await get("/..%2fsecret.txt")).headers, "403");
      expectSecurityHeaders((await send(port, "POST", "/")).headers, "405");
    });

    it("survives thousands of generated request targets (seeded fuzz over raw TCP)", async function () {
      this.timeout(180_000);
      const random = prng(0xc07e11);
      const FILES: Record<string, string> = { "/assets/app-1234.js": "console.log('app');", "/favicon.svg": "<svg/>" };
      const targets = [...LITERALS.map((t) => Buffer.from(t, "latin1")), ...Array.from({ length: 3000 }, () => generateTarget(random))];
      const seen = new Map<number, number>();
      for (const bytes of targets) {
        const target = bytes.toString("latin1");
        const what = JSON.stringify(target);
        const reply = await sendRaw(port, bytes);
        seen.set(reply.status, (seen.get(reply.status) ?? 0) + 1);
        expect(reply.status, what).to.be.oneOf([200, 400, 403, 404]);
        expectSecurityHeaders(reply.headers, what);
        expect(reply.body, what).not.to.contain("do not serve");
        if (reply.status === 200) {
          expect([INDEX, JSON.stringify(config, null, 2), ...Object.values(FILES)], what).to.include(reply.body);
        }
        // The expected kind, where it follows from the target alone (printable ASCII reaches the handler).
        if (/^[\x21-\x7e]*$/.test(target) && target.length > 0) {
          const path = requestPath(target);
          let decodable = path !== null;
          try {
            if (path !== null && decodeURIComponent(path).includes("\0")) decodable = false;
          } catch {
            decodable = false;
          }
          if (!decodable) expect(reply.status, what).to.equal(400);
          else expect(reply.status, what).not.to.equal(400);
        }
      }
      // Every kind of answer was exercised, and the server still answers.
      expect([...seen.keys()].sort()).to.include.members([200, 400, 403, 404]);
      expect((await get("/coterie.json")).status).to.equal(200);
      expect((await get("/launch")).body).to.equal(INDEX);
    });
  });

  describe("guarded (the request handler's safety net)", function () {
    async function withServer(handler: Parameters<typeof guarded>[0], run: (port: number) => Promise<void>) {
      const server = createServer(guarded(handler));
      await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
      const original = console.error;
      console.error = () => {};
      try {
        await run((server.address() as AddressInfo).port);
      } finally {
        console.error = original;
        await new Promise((resolve) => server.close(resolve));
      }
    }

    it("answers 500 when the handler throws before replying, and keeps serving", async function () {
      let calls = 0;
      await withServer(
        (_req, res) => {
          if (calls++ === 0) throw new Error("boom");
          res.end("ok");
        },
        async (p) => {
          const reply = await sendRaw(p, "/");
          expect(reply.status).to.equal(500);
          expect(reply.body).to.equal("internal error");
          expectSecurityHeaders(reply.headers, "500");
          expect((await sendRaw(p, "/")).body).to.equal("ok");
        },
      );
    });

    it("closes the connection when the handler throws after the reply started", async function () {
      let calls = 0;
      await withServer(
        (_req, res) => {
          if (calls++ === 0) {
            res.writeHead(200, { "content-length": "100" });
            res.write("partial");
            throw new Error("boom");
          }
          res.end("ok");
        },
        async (p) => {
          // The connection is closed before the promised 100 bytes: no complete reply arrives.
          const reply = await sendRaw(p, "/").catch(() => null);
          expect(reply === null || reply.body.length < 100).to.equal(true);
          expect((await sendRaw(p, "/")).body).to.equal("ok");
        },
      );
    });
  });

  describe("webChainFromDeployment (the chain entry of /coterie.json)", function () {
    const id = `web-config-test-${process.pid}`;
    const dir = join(DEPLOYMENTS_DIR, id);
    before(function () {
      mkdirSync(dir, { recursive: true });
      const names = ["CommunityFactory", "PlatformToken", "PlatformGovernor", "PlatformTimelock", "SocialToken", "CommunityGovernor", "CommunityTimelock", "RewardVault", "CrowdfundFactory", "Crowdfund", "RevenueShareFactory", "RevenueShare"];
      const addresses = Object.fromEntries(names.map((n, i) => [`CoteriePlatform#${n}`, `0x${(i + 1).toString(16).padStart(40, "0")}`]));
      writeFileSync(join(dir, "deployed_addresses.json"), JSON.stringify(addresses));
      const journal = [{ type: "TRANSACTION_CONFIRM", receipt: { blockNumber: 1207 } }, { type: "TRANSACTION_CONFIRM", receipt: { blockNumber: 1203 } }, { type: "OTHER" }];
      writeFileSync(join(dir, "journal.jsonl"), journal.map((j) => JSON.stringify(j)).join("\n") + "\n");
    });
    after(() => rmSync(dir, { recursive: true, force: true }));

    it("gives the app the deployment's first block, so it never reads logs from block 0", function () {
      const chain = webChainFromDeployment({ chainId: 5, rpcUrl: "https://rpc.example.org", deploymentId: id });
      expect(chain.startBlock).to.equal(1203);
      expect(chain).to.not.have.property("indexerUrl");
      expect(chain).to.not.have.property("serverUrl");
    });

    it("names the Coterie server only when given one, and refuses a URL that is not http(s)", function () {
      const chain = webChainFromDeployment({ chainId: 5, rpcUrl: "https://rpc.example.org", deploymentId: id, serverUrl: "http://127.0.0.1:8787/" });
      expect(chain.serverUrl).to.equal("http://127.0.0.1:8787");
      expect(() => webChainFromDeployment({ chainId: 5, rpcUrl: "https://rpc.example.org", deploymentId: id, serverUrl: "ws://x" })).to.throw(
        'the server URL "ws://x" is not an http(s) URL',
      );
    });

    it("names the indexer only when given one, and refuses a URL that is not http(s)", function () {
      const chain = webChainFromDeployment({ chainId: 5, rpcUrl: "https://rpc.example.org", deploymentId: id, indexerUrl: "http://127.0.0.1:42069/" });
      expect(chain.indexerUrl).to.equal("http://127.0.0.1:42069");
      expect(() => webChainFromDeployment({ chainId: 5, rpcUrl: "https://rpc.example.org", deploymentId: id, indexerUrl: "ftp://x" })).to.throw(
        'the indexer URL "ftp://x" is not an http(s) URL',
      );
    });
  });

  describe("serve CLI", function () {
    const serve = (...args: string[]) =>
      spawnSync(process.execPath, ["--import", "tsx", join(ROOT, "scripts", "serve.ts"), ...args], { cwd: ROOT, encoding: "utf8" });

    it("prints its usage for --help and exits 0", function () {
      this.timeout(60_000);
      for (const flag of ["--help", "-h"]) {
        const run = serve(flag);
        expect(run.status, flag).to.equal(0);
        expect(run.stdout, flag).to.match(/^usage: npm run serve -- --chain-id <id> --rpc-url <url>/);
        expect(run.stderr, flag).to.equal("");
      }
    });

    it("names an unknown option and exits 2, without a stack trace", function () {
      this.timeout(60_000);
      const run = serve("--bogus");
      expect(run.status).to.equal(2);
      expect(run.stderr).to.equal("serve: Unknown option '--bogus' (--help prints the usage)\n");
    });

    it("refuses an --indexer-url that is not an http(s) URL", function () {
      this.timeout(60_000);
      const run = serve("--chain-id", "5", "--rpc-url", "https://rpc.example.org", "--indexer-url", "ws://x", "--no-build");
      expect(run.status).to.equal(2);
      expect(run.stderr).to.match(/^serve: --indexer-url must be an http\(s\) URL/);
    });

    it("refuses a --server-url that is not an http(s) URL", function () {
      this.timeout(60_000);
      const run = serve("--chain-id", "5", "--rpc-url", "https://rpc.example.org", "--server-url", "ws://x", "--no-build");
      expect(run.status).to.equal(2);
      expect(run.stderr).to.match(/^serve: --server-url must be an http\(s\) URL/);
    });
  });
});
