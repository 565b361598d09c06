/**
 * How `./coterie start` runs the Coterie server (scripts/lib/server.ts): its command and
 * environment come from the run alone (an inherited DATABASE_URL or attester key never leaks in),
 * its PGlite directory is per deployment, and waiting for it stops as soon as it has exited.
 */
import { createServer, type Server } from "node:http";
import { join } from "node:path";
import { expect } from "chai";
import { serverCommand, serverDbDir, waitForServerReady } from "../scripts/lib/server.ts";
import { ROOT } from "../scripts/lib/deployments.ts";

const run = {
  rpcUrl: "http://127.0.0.1:8545",
  chainId: 31337,
  deploymentId: "chain-31337",
  host: "127.0.0.1",
  port: 8787,
  appUrls: ["http://127.0.0.1:5173"],
  sponsorKey: "0x" + "11".repeat(32),
};

describe("start runs the Coterie server (scripts/lib/server.ts)", function () {
  it("runs tsx server/src/main.ts with the run's chain, port, app URLs and sponsor key, its PGlite in server/.data/<deployment>", () => {
    const { command, args, env } = serverCommand(run, {});
    expect(command).to.equal(join(ROOT, "node_modules", ".bin", "tsx"));
    expect(args).to.deep.equal([join("server", "src", "main.ts")]);
    expect(env).to.include({
      COTERIE_RPC_URL: "http://127.0.0.1:8545",
      COTERIE_CHAIN_ID: "31337",
      COTERIE_DEPLOYMENT_ID: "chain-31337",
      COTERIE_SERVER_HOST: "127.0.0.1",
      COTERIE_SERVER_PORT: "8787",
      COTERIE_APP_URLS: "http://127.0.0.1:5173",
      COTERIE_SPONSOR_KEY: run.sponsorKey,
      COTERIE_SERVER_DB_DIR: serverDbDir("chain-31337"),
    });
    expect(serverDbDir("chain-31337")).to.equal(join(ROOT, "server", ".data", "chain-31337"));
  });

  it("never inherits the database, the keys or the communities from the caller's environment", () => {
    const inherited = {
      DATABASE_URL: "postgresql://elsewhere/db",
      COTERIE_ATTESTER_KEY: "0x" + "22".repeat(32),
      COTERIE_SPONSOR_KEYSTORE: "/somewhere/key.json",
      COTERIE_SERVER_COMMUNITIES: "{}",
      PATH: "/usr/bin",
    };
    const { env } = serverCommand(run, inherited);
    expect(env).to.not.have.any.keys("DATABASE_URL", "COTERIE_ATTESTER_KEY", "COTERIE_SPONSOR_KEYSTORE", "COTERIE_SERVER_COMMUNITIES");
    expect(env.PATH).to.equal("/usr/bin");
    const withAll = serverCommand({ ...run, attesterKey: "0x" + "33".repeat(32), communities: { "0xabc": { join: { enabled: true } } }, databaseUrl: "postgresql://db" }, inherited).env;
    expect(withAll.COTERIE_ATTESTER_KEY).to.equal("0x" + "33".repeat(32));
    expect(JSON.parse(withAll.COTERIE_SERVER_COMMUNITIES!)).to.deep.equal({ "0xabc": { join: { enabled: true } } });
    expect(withAll.DATABASE_URL).to.equal("postgresql://db");
    expect(withAll).to.not.have.property("COTERIE_SERVER_DB_DIR");
  });

  it("waits for /health to answer 200, and gives up as soon as the server has stopped", async () => {
    let healthy = false;
    const server: Server = createServer((req, res) => res.writeHead(req.url === "/health" && healthy ? 200 : 503).end());
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const address = server.address();
    const url = `http://127.0.0.1:${typeof address === "object" && address !== null ? address.port : 0}`;
    try {
      let polls = 0;
      const stopped = await waitForServerReady(url, 60_000, () => ++polls < 3).then(
        () => null,
        (error: Error) => error.message,
      );
      expect(stopped).to.equal(`the Coterie server at ${url} stopped before it was ready`);
      healthy = true;
      await waitForServerReady(url, 60_000);
    } finally {
      server.close();
    }
  });
});
