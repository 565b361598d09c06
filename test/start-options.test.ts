/**
 * `./coterie start`'s ports (scripts/lib/start-options.ts, scripts/start.ts): the chain's, the web
 * app's, the indexer's and the Coterie server's, each from its option, else its environment variable, else its default;
 * a bad value exits 2, two equal ports exit 2, and a port in use exits 1 naming the option that
 * moves it, all before anything is started.
 */
import { execFile } from "node:child_process";
import { createServer, type Server } from "node:net";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { expect } from "chai";
import { parseStartPorts } from "../scripts/lib/start-options.ts";

const ROOT = join(fileURLToPath(import.meta.url), "..", "..");
const TSX = join(ROOT, "node_modules", ".bin", "tsx");

function start(args: string[]): Promise<{ code: number; stderr: string }> {
  return new Promise((resolve) => {
    execFile(TSX, ["scripts/start.ts", ...args], { cwd: ROOT, timeout: 60_000 }, (error, _stdout, stderr) => {
      resolve({ code: error === null ? 0 : typeof error.code === "number" ? error.code : -1, stderr });
    });
  });
}

function listen(): Promise<{ server: Server; port: number }> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      resolve({ server, port: typeof address === "object" && address !== null ? address.port : 0 });
    });
  });
}

describe("start's ports: --rpc-port, --web-port, --indexer-port, --server-port", function () {
  this.timeout(120_000);

  it("defaults to 8545, 5173, 42069 and 8787", () => {
    expect(parseStartPorts([], {})).to.deep.equal({ ports: { rpcPort: 8545, webPort: 5173, indexerPort: 42069, serverPort: 8787 } });
  });

  it("takes each port from its option before its environment variable", () => {
    const env = { COTERIE_RPC_PORT: "8600", COTERIE_WEB_PORT: "5200", COTERIE_INDEXER_PORT: "42100", COTERIE_SERVER_PORT: "8790" };
    expect(parseStartPorts([], env)).to.deep.equal({ ports: { rpcPort: 8600, webPort: 5200, indexerPort: 42100, serverPort: 8790 } });
    expect(parseStartPorts(["--indexer-port", "42111", "--web-port", "5201", "--server-port", "8791"], env)).to.deep.equal({
      ports: { rpcPort: 8600, webPort: 5201, indexerPort: 42111, serverPort: 8791 },
    });
  });

  it("rejects a value that is not a port number", () => {
    for (const bad of ["0", "65536", "abc", "1.5", ""]) {
      expect(parseStartPorts(["--indexer-port", bad], {})).to.deep.equal({ error: `--indexer-port must be a port number (1-65535), got "${bad}"` });
    }
    expect(parseStartPorts(["--indexer-port"], {})).to.deep.equal({ ports: { rpcPort: 8545, webPort: 5173, indexerPort: 42069, serverPort: 8787 } });
    expect(parseStartPorts([], { COTERIE_INDEXER_PORT: "x" })).to.deep.equal({ error: '--indexer-port must be a port number (1-65535), got "x"' });
    expect(parseStartPorts(["--server-port", "99999"], {})).to.deep.equal({ error: '--server-port must be a port number (1-65535), got "99999"' });
  });

  it("rejects two services on one port", () => {
    expect(parseStartPorts(["--indexer-port", "5173"], {})).to.deep.equal({ error: "--web-port and --indexer-port must differ (both 5173)" });
    expect(parseStartPorts(["--rpc-port", "42069"], {})).to.deep.equal({ error: "--rpc-port and --indexer-port must differ (both 42069)" });
    expect(parseStartPorts(["--rpc-port", "5173"], {})).to.deep.equal({ error: "--rpc-port and --web-port must differ (both 5173)" });
    expect(parseStartPorts(["--server-port", "42069"], {})).to.deep.equal({ error: "--indexer-port and --server-port must differ (both 42069)" });
  });

  it("start exits 2 on a bad or clashing port before starting anything", async () => {
    const bad = await start(["--indexer-port", "nope"]);
    expect(bad.code).to.equal(2);
    expect(bad.stderr).to.contain('--indexer-port must be a port number (1-65535), got "nope"');
    const clash = await start(["--rpc-port", "42113", "--indexer-port", "42113"]);
    expect(clash.code).to.equal(2);
    expect(clash.stderr).to.contain("--rpc-port and --indexer-port must differ (both 42113)");
  });

  it("start exits 1 when the indexer's port is in use, naming the option that moves it", async () => {
    const busy = await listen();
    const [rpc, web, server] = [await listen(), await listen(), await listen()];
    // Free ports for the chain, the app and the server (closed again), the indexer's held.
    await Promise.all([rpc, web, server].map(({ server }) => new Promise((resolve) => server.close(resolve))));
    try {
      const run = await start(["--rpc-port", String(rpc.port), "--web-port", String(web.port), "--indexer-port", String(busy.port), "--server-port", String(server.port)]);
      expect(run.code).to.equal(1);
      expect(run.stderr).to.contain(`port ${busy.port} on 127.0.0.1 is already in use`);
      expect(run.stderr).to.contain("--indexer-port 42070");
    } finally {
      busy.server.close();
    }
  });

  it("start exits 1 when the server's port is in use, naming --server-port", async () => {
    const busy = await listen();
    const free = [await listen(), await listen(), await listen()];
    await Promise.all(free.map(({ server }) => new Promise((resolve) => server.close(resolve))));
    const [rpc, web, indexer] = free.map((f) => String(f.port));
    try {
      const run = await start(["--rpc-port", rpc!, "--web-port", web!, "--indexer-port", indexer!, "--server-port", String(busy.port)]);
      expect(run.code).to.equal(1);
      expect(run.stderr).to.contain(`port ${busy.port} on 127.0.0.1 is already in use`);
      expect(run.stderr).to.contain("--server-port 8788");
    } finally {
      busy.server.close();
    }
  });
});
