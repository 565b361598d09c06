/**
 * `npm run serve -- --chain-id <id> --rpc-url <url> [--explorer-url <url>] [--name <name>]
 *                   [--deployment-id <id>] [--port 5173] [--app-url <public url>] [--indexer-url <url>] [--server-url <url>] [--no-build]`
 *
 * Serves the web app for any EVM chain the platform is deployed on: builds it (unless --no-build),
 * then serves frontend/dist with a /coterie.json naming that chain, its RPC and explorer URLs and the
 * platform addresses from Ignition's deployment (default id chain-<chainId>). Binds to 127.0.0.1;
 * put it behind your own HTTPS proxy, or copy frontend/dist and the printed coterie.json to any
 * static host. Environment equivalents: COTERIE_CHAIN_ID, COTERIE_RPC_URL, COTERIE_EXPLORER_URL,
 * COTERIE_INDEXER_URL, COTERIE_SERVER_URL.
 */
import { parseArgs } from "node:util";
import { buildWebApp, serveWebApp, webChainFromDeployment, type WebConfig } from "./lib/web.ts";

const USAGE = `usage: npm run serve -- --chain-id <id> --rpc-url <url> [options]

Builds the web app and serves it on 127.0.0.1 for one chain the platform is deployed on.

  --chain-id <id>         the chain's id (or COTERIE_CHAIN_ID)
  --rpc-url <url>         the chain's http(s) JSON-RPC URL (or COTERIE_RPC_URL)
  --explorer-url <url>    block explorer base URL (or COTERIE_EXPLORER_URL)
  --name <name>           the chain's display name
  --deployment-id <id>    Ignition deployment to read addresses from (default chain-<id>)
  --port <port>           port to serve on (default 5173)
  --app-url <url>         the app's public URL, used in claim links (default http://127.0.0.1:<port>)
  --indexer-url <url>     the Coterie indexer's http(s) base URL: the app reads lists from it and
                          falls back to the chain when it is down (or COTERIE_INDEXER_URL)
  --server-url <url>      the Coterie server's http(s) base URL (relay and attester, docs/server.md):
                          the app offers "... for free" through it (or COTERIE_SERVER_URL)
  --no-build              serve frontend/dist as it is
  -h, --help              print this help`;

function fail(message: string): never {
  console.error(`serve: ${message} (--help prints the usage)`);
  process.exit(2);
}

let values: {
  "chain-id"?: string;
  "rpc-url"?: string;
  "explorer-url"?: string;
  name?: string;
  "deployment-id"?: string;
  port?: string;
  "app-url"?: string;
  "indexer-url"?: string;
  "server-url"?: string;
  "no-build"?: boolean;
  help?: boolean;
};
try {
  ({ values } = parseArgs({
    options: {
      "chain-id": { type: "string", default: process.env.COTERIE_CHAIN_ID },
      "rpc-url": { type: "string", default: process.env.COTERIE_RPC_URL },
      "explorer-url": { type: "string", default: process.env.COTERIE_EXPLORER_URL },
      name: { type: "string" },
      "deployment-id": { type: "string" },
      port: { type: "string", default: "5173" },
      "app-url": { type: "string" },
      "indexer-url": { type: "string", default: process.env.COTERIE_INDEXER_URL },
      "server-url": { type: "string", default: process.env.COTERIE_SERVER_URL },
      "no-build": { type: "boolean", default: false },
      help: { type: "boolean", short: "h", default: false },
    },
  }));
} catch (error) {
  // An unknown option or a missing value: say which, with the usage, instead of a stack trace.
  fail((error as Error).message);
}
if (values.help) {
  console.log(USAGE);
  process.exit(0);
}

const chainId = Number(values["chain-id"]);
if (!Number.isInteger(chainId) || chainId <= 0) fail("--chain-id must be a chain id, e.g. --chain-id 11155111");
const rpcUrl = values["rpc-url"];
if (!rpcUrl || !/^https?:\/\//.test(rpcUrl)) fail("--rpc-url must be the chain's http(s) JSON-RPC URL");
const explorerUrl = values["explorer-url"];
if (explorerUrl !== undefined && !/^https?:\/\//.test(explorerUrl)) fail("--explorer-url must be an http(s) URL");
const indexerUrl = values["indexer-url"] === "" ? undefined : values["indexer-url"];
if (indexerUrl !== undefined && !/^https?:\/\/[^/]/.test(indexerUrl)) fail("--indexer-url must be an http(s) URL, e.g. --indexer-url http://127.0.0.1:42069");
const serverUrl = values["server-url"] === "" ? undefined : values["server-url"];
if (serverUrl !== undefined && !/^https?:\/\/[^/]/.test(serverUrl)) fail("--server-url must be an http(s) URL, e.g. --server-url http://127.0.0.1:8787");
const port = Number(values.port);
if (!Number.isInteger(port) || port < 1 || port > 65_535) fail("--port must be a port number (1-65535)");
const appUrl = values["app-url"] ?? `http://127.0.0.1:${port}`;

let config: WebConfig;
try {
  const chain = webChainFromDeployment({
    chainId,
    rpcUrl,
    explorerUrl: explorerUrl ?? null,
    name: values.name,
    local: false,
    deploymentId: values["deployment-id"],
    indexerUrl,
    serverUrl,
  });
  config = { chains: [chain], defaultChainId: chainId, appUrl };
} catch (error) {
  fail((error as Error).message);
}

if (!values["no-build"]) {
  console.log("building the web app");
  await buildWebApp();
}
try {
  await serveWebApp({ host: "127.0.0.1", port, config });
} catch (error) {
  fail(`cannot serve on 127.0.0.1:${port}: ${(error as Error).message}`);
}
console.log(`Coterie web app for chain ${chainId} on http://127.0.0.1:${port} (public URL ${appUrl}). Ctrl-C stops it.`);
console.log(`coterie.json:\n${JSON.stringify(config, null, 2)}`);
