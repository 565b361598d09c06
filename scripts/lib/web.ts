/**
 * The web app's build and its small static server, used by `npm start` and by the end-to-end tests.
 *
 * The server serves frontend/dist (built by Vite) and, at /coterie.json, the runtime configuration:
 * chains, RPC URLs, explorer URLs and platform addresses read from Ignition's deployment files.
 * Unknown paths without a file extension get index.html, so /claim?... and /c/<token> load the app.
 * It binds to loopback only.
 */
import { spawn } from "node:child_process";
import { createReadStream, existsSync, statSync } from "node:fs";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { extname, join, normalize, sep } from "node:path";
import { ROOT, readDeploymentStartBlock, readPlatformAddresses } from "./deployments.ts";

export const FRONTEND_DIR = join(ROOT, "frontend");
export const DIST_DIR = join(FRONTEND_DIR, "dist");

/** One chain of the runtime configuration (frontend/src/config/runtime.ts reads it). */
export interface WebChain {
  id: number;
  name: string;
  rpcUrl: string;
  explorerUrl: string | null;
  local: boolean;
  /** The deployment's first block: the app reads logs from here, never from block 0. */
  startBlock: number;
  /** The Coterie indexer's REST API (indexer/, docs/indexer.md), when one runs for this chain. */
  indexerUrl?: string;
  /** The Coterie server (server/, docs/server.md: relay and attester), when one runs for this chain. */
  serverUrl?: string;
  contracts: {
    factory: string;
    platformToken: string;
    platformGovernor: string;
    platformTimelock: string;
    crowdfundFactory: string;
    revenueShareFactory: string;
  };
}

export interface WebConfig {
  chains: WebChain[];
  defaultChainId: number;
  appUrl: string;
}

/** The chain entry for an Ignition deployment (default id `chain-<chainId>`). */
export function webChainFromDeployment(options: {
  chainId: number;
  rpcUrl: string;
  name?: string;
  explorerUrl?: string | null;
  local?: boolean;
  deploymentId?: string;
  /** The indexer's base URL (http(s)); omitted from the entry when not given. */
  indexerUrl?: string;
  /** The Coterie server's base URL (http(s)); omitted from the entry when not given. */
  serverUrl?: string;
}): WebChain {
  const deploymentId = options.deploymentId ?? `chain-${options.chainId}`;
  const p = readPlatformAddresses(deploymentId);
  if (options.indexerUrl !== undefined && !/^https?:\/\/[^/]/.test(options.indexerUrl)) {
    throw new Error(`the indexer URL ${JSON.stringify(options.indexerUrl)} is not an http(s) URL`);
  }
  if (options.serverUrl !== undefined && !/^https?:\/\/[^/]/.test(options.serverUrl)) {
    throw new Error(`the server URL ${JSON.stringify(options.serverUrl)} is not an http(s) URL`);
  }
  return {
    id: options.chainId,
    name: options.name ?? (options.local ? "Local chain" : `Chain ${options.chainId}`),
    rpcUrl: options.rpcUrl,
    explorerUrl: options.explorerUrl ?? null,
    local: options.local ?? false,
    startBlock: readDeploymentStartBlock(deploymentId),
    ...(options.indexerUrl !== undefined ? { indexerUrl: options.indexerUrl.replace(/\/+$/, "") } : {}),
    ...(options.serverUrl !== undefined ? { serverUrl: options.serverUrl.replace(/\/+$/, "") } : {}),
    contracts: {
      factory: p.factory,
      platformToken: p.platformToken,
      platformGovernor: p.platformGovernor,
      platformTimelock: p.platformTimelock,
      crowdfundFactory: p.crowdfundFactory,
      revenueShareFactory: p.revenueShareFactory,
    },
  };
}

function runNode(bin: string, args: string[], what: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(join(ROOT, "node_modules", ".bin", bin), args, { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout.on("data", (d) => (output += d));
    child.stderr.on("data", (d) => (output += d));
    child.on("error", reject);
    child.on("exit", (code) => (code === 0 ? resolve() : reject(new Error(`${what} failed (exit ${code}):\n${output}`))));
  });
}

/** Generates the typed ABIs from the artifacts and builds the app into `outDir` (default frontend/dist). */
export async function buildWebApp(outDir: string = DIST_DIR): Promise<void> {
  await runNode("tsx", ["scripts/gen-frontend.ts"], "generating the web app's ABIs");
  await runNode(
    "vite",
    ["build", "--config", "frontend/vite.config.ts", "--logLevel", "warn", "--outDir", outDir, "--emptyOutDir"],
    "building the web app",
  );
}

const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".ico": "image/x-icon",
  ".txt": "text/plain; charset=utf-8",
};

/**
 * Headers on every response, errors included: no MIME sniffing, and the app may not be framed by
 * another site (clickjacking a wallet prompt), in both the CSP and the legacy header.
 */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  "x-content-type-options": "nosniff",
  "content-security-policy": "frame-ancestors 'none'",
  "x-frame-options": "DENY",
};

/**
 * The path of a request target, or null when the target is not one this server answers (400).
 * Node's HTTP parser accepts targets `new URL` rejects (`//[`, `/\[`, `//x:99999`, `//%zz`), and a
 * target starting with `//` would even be read as a host, so the origin form (`/path?query`) is
 * split by hand and never given to the URL parser; an absolute form (`http://host/path`) must parse.
 */
export function requestPath(target: string): string | null {
  if (target.startsWith("/")) {
    const end = target.search(/[?#]/);
    return end === -1 ? target : target.slice(0, end);
  }
  if (!/^https?:\/\//i.test(target)) return null;
  try {
    return new URL(target).pathname;
  } catch {
    return null;
  }
}

function plain(res: ServerResponse, status: number, body: string): void {
  res.writeHead(status, { "content-type": TYPES[".txt"], "content-length": Buffer.byteLength(body) }).end(body);
}

/**
 * Runs a request handler so that nothing it throws stops the server: a failure before the reply
 * started is answered 500, one after it closes that connection only.
 */
export function guarded(handler: (req: IncomingMessage, res: ServerResponse) => void) {
  return (req: IncomingMessage, res: ServerResponse): void => {
    for (const [name, value] of Object.entries(SECURITY_HEADERS)) res.setHeader(name, value);
    try {
      handler(req, res);
    } catch (error) {
      console.error(`web server: ${req.method} ${JSON.stringify(req.url)}: ${(error as Error).message}`);
      if (res.headersSent) res.destroy();
      else plain(res, 500, "internal error");
    }
  };
}

/** The raw 400 sent when Node's HTTP parser itself rejects a request (it never reaches the handler). */
export const CLIENT_ERROR_RESPONSE =
  "HTTP/1.1 400 Bad Request\r\n" +
  Object.entries(SECURITY_HEADERS)
    .map(([name, value]) => `${name}: ${value}\r\n`)
    .join("") +
  "content-type: text/plain; charset=utf-8\r\ncontent-length: 11\r\nconnection: close\r\n\r\nbad request";

/** Serves the built app and /coterie.json on host:port; resolves once listening. */
export function serveWebApp(options: { host: string; port: number; config: WebConfig; distDir?: string }): Promise<Server> {
  const dist = options.distDir ?? DIST_DIR;
  if (!existsSync(join(dist, "index.html"))) {
    return Promise.reject(new Error(`${dist}/index.html is missing: build the web app first (npm run frontend:build)`));
  }
  const configBody = JSON.stringify(options.config, null, 2);
  const server = createServer(
    guarded((req, res) => {
      if (req.method !== "GET" && req.method !== "HEAD") {
        res.writeHead(405, { allow: "GET, HEAD" }).end();
        return;
      }
      const pathname = requestPath(req.url ?? "/");
      if (pathname === null) {
        plain(res, 400, "bad request");
        return;
      }
      if (pathname === "/coterie.json") {
        res.writeHead(200, { "content-type": TYPES[".json"], "cache-control": "no-store" }).end(configBody);
        return;
      }
      let decoded: string;
      try {
        decoded = decodeURIComponent(pathname);
      } catch {
        // A malformed escape (e.g. "/%E0%A4%A") would otherwise throw out of the handler.
        plain(res, 400, "bad request");
        return;
      }
      if (decoded.includes("\0")) {
        plain(res, 400, "bad request");
        return;
      }
      let path = normalize(decoded).replace(/^([/\\])+/, "");
      let file = join(dist, path);
      if (!file.startsWith(dist + sep) && file !== dist) {
        res.writeHead(403).end();
        return;
      }
      if (!existsSync(file) || statSync(file).isDirectory()) {
        if (extname(path) !== "") {
          plain(res, 404, "not found");
          return;
        }
        path = "index.html";
        file = join(dist, path);
      }
      const immutable = path.startsWith("assets/");
      res.writeHead(200, {
        "content-type": TYPES[extname(file)] ?? "application/octet-stream",
        "cache-control": immutable ? "public, max-age=31536000, immutable" : "no-cache",
      });
      if (req.method === "HEAD") {
        res.end();
        return;
      }
      // A read error (the file removed after the check) closes this response, not the server.
      createReadStream(file)
        .on("error", () => res.destroy())
        .pipe(res);
    }),
  );
  // Requests Node's parser refuses (bad characters, oversized headers) get a 400, never a crash.
  server.on("clientError", (_error, socket) => {
    if (socket.writable) socket.end(CLIENT_ERROR_RESPONSE);
    else socket.destroy();
  });
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, options.host, () => resolve(server));
  });
}
