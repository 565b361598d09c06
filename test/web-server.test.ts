/**
 * The web app's static server (scripts/lib/web.ts `serveWebApp`), on a loopback port with a small
 * stand-in for frontend/dist: the runtime configuration at /coterie.json, the SPA fallback for the
 * app's routes, 404 for missing assets, no way out of the dist folder, and read-only methods.
 */
import { expect } from "chai";
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { request, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { serveWebApp, type WebConfig } from "../scripts/lib/web.ts";

const INDEX = "<!doctype html><title>Coterie</title><div id=root></div>";
const config: WebConfig = {
  chains: [
    {
      id: 31337,
      name: "Local chain",
      rpcUrl: "http://127.0.0.1:8545",
      explorerUrl: null,
      local: true,
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
});
