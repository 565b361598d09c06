/**
 * Deploys the platform the way a user does, over HTTP to a separately started `hardhat node`:
 *
 *   npx hardhat node --port <port> --hostname 127.0.0.1
 *   LOCALHOST_RPC_URL=http://127.0.0.1:<port> npm run deploy -- --network localhost --deployment-id <id>
 *
 * Ignition asks "Confirm deploy to network ...?" only when the chain id is not 31337; a `hardhat node`
 * is 31337, so no prompt appears. The child still gets HARDHAT_IGNITION_CONFIRM_DEPLOYMENT (Ignition's
 * documented non-interactive answer) and a closed stdin, so a prompt could never hang the test: it
 * would cancel the deploy and fail it with a non-zero exit code instead.
 *
 * Only loopback traffic: the node listens on 127.0.0.1 and every request goes there.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { readFile, rm } from "node:fs/promises";
import { createServer } from "node:net";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { setTimeout as sleep } from "node:timers/promises";
import { expect } from "chai";
import { Contract, getAddress, JsonRpcProvider, Wallet } from "ethers";
import hre from "hardhat";
import { waitForRpc } from "../scripts/lib/rpc.ts";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const MODULE_ID = "CoteriePlatform";
const NODE_START_TRIES = 120; // × 250 ms = 30 s
const DEPLOY_TIMEOUT_MS = 180_000; // per deployment, its contracts already compiled; a hang guard
// The production-profile compile Ignition would otherwise run inside the first deployment: from a
// fresh clone on a loaded two-core machine it alone can take several minutes, so it runs first, as
// its own step with its own guard, and no deployment's guard includes it.
const COMPILE_TIMEOUT_MS = 900_000;

/** The child's environment: ours, with the running Node's directory first on PATH (Hardhat 3 needs Node >= 22). */
function childEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const nodeDir = path.dirname(process.execPath);
  return { ...process.env, PATH: `${nodeDir}${path.delimiter}${process.env.PATH ?? ""}`, ...extra };
}

/** A TCP port that was free a moment ago on 127.0.0.1. */
async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const address = server.address();
  if (address === null || typeof address === "string") throw new Error("could not read the listening port");
  server.close();
  await once(server, "close");
  return address.port;
}

/** Collects a child's stdout and stderr, for the failure message. */
function capture(child: ChildProcess): () => string {
  const chunks: string[] = [];
  child.stdout?.on("data", (d: Buffer) => chunks.push(d.toString()));
  child.stderr?.on("data", (d: Buffer) => chunks.push(d.toString()));
  return () => chunks.join("");
}

/** Runs a command to completion; resolves with its exit code and output. Kills it after `timeoutMs`. */
async function run(
  command: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  timeoutMs: number,
): Promise<{ code: number | null; output: string }> {
  const child = spawn(command, args, { cwd: ROOT, env, stdio: ["ignore", "pipe", "pipe"], detached: true });
  const output = capture(child);
  const timer = setTimeout(() => {
    if (child.pid !== undefined) process.kill(-child.pid, "SIGKILL");
  }, timeoutMs);
  const [code] = (await once(child, "exit")) as [number | null];
  clearTimeout(timer);
  return { code, output: output() };
}

describe("deployment to localhost (separate hardhat node over HTTP)", function () {
  // A hang guard, not a performance limit: the production-profile compile plus three Ignition
  // deployments of the whole platform over HTTP take a few minutes alone, longer on a loaded
  // two-core machine (a fresh clone's compile there once passed the old 180 s deployment guard).
  this.timeout(1_500_000);

  const deploymentId = `coterie-e2e-${process.pid}-${Date.now()}`;
  const deploymentDir = path.join(ROOT, "deploy", "deployments", deploymentId);
  let node: ChildProcess | undefined;
  let nodeOutput: () => string = () => "";
  let url = "";
  let deploy: { code: number | null; output: string } = { code: null, output: "" };
  let addresses: Record<string, string> = {};
  // The "public" network of hardhat.config.ts, pointed at the same node through its configuration
  // variables: the code path of a real public deployment, with a key that is not the node's account #0.
  const publicDeploymentId = `${deploymentId}-public`;
  const publicDeploymentDir = path.join(ROOT, "deploy", "deployments", publicDeploymentId);
  // Hardhat's public dev account #7: funded on the node, known to nobody outside tests.
  const publicDeployer = new Wallet("0x4bbbf85ce3377467afe5d46f804f221813b2bb87f24d81f60f1fcdbf7cbf4356");
  let publicDeploy: { code: number | null; output: string } = { code: null, output: "" };
  let missingKeyDeploy: { code: number | null; output: string } = { code: null, output: "" };
  let publicAddresses: Record<string, string> = {};

  before(async function () {
    // Under `hardhat test --coverage` the artifacts are instrumented (too large for a plain node, and
    // a child's plain rebuild would replace them under the running suite), and what the child
    // processes execute is not measured anyway. `npm test` runs this file on its own, uninstrumented,
    // before the coverage run; here it is skipped.
    if (hre.globalOptions.coverage === true) this.skip();
    const port = await freePort();
    url = `http://127.0.0.1:${port}`;
    // detached: the node leads its own process group, so `after` can stop it and anything it spawned.
    node = spawn("npx", ["hardhat", "node", "--port", String(port), "--hostname", "127.0.0.1"], {
      cwd: ROOT,
      env: childEnv(),
      stdio: ["ignore", "pipe", "pipe"],
      detached: true,
    });
    nodeOutput = capture(node);
    let exited = false;
    node.once("exit", () => (exited = true));

    try {
      await waitForRpc(url, NODE_START_TRIES, () => !exited);
    } catch (error) {
      throw new Error(`hardhat node: ${(error as Error).message}:\n${nodeOutput()}`);
    }

    const compile = await run(
      "npx",
      ["hardhat", "build", "--default-build-profile", "production", "--no-tests", "--quiet"],
      childEnv(),
      COMPILE_TIMEOUT_MS,
    );
    if (compile.code !== 0) throw new Error(`hardhat build (production profile) failed:\n${compile.output}`);

    deploy = await run(
      "npm",
      ["run", "deploy", "--", "--network", "localhost", "--deployment-id", deploymentId],
      childEnv({ LOCALHOST_RPC_URL: url, HARDHAT_IGNITION_CONFIRM_DEPLOYMENT: "true" }),
      DEPLOY_TIMEOUT_MS,
    );
    if (deploy.code === 0) {
      const file = path.join(deploymentDir, "deployed_addresses.json");
      addresses = JSON.parse(await readFile(file, "utf8")) as Record<string, string>;
    }

    const withoutKey = childEnv({ PUBLIC_RPC_URL: url, HARDHAT_IGNITION_CONFIRM_DEPLOYMENT: "true" });
    delete withoutKey.DEPLOYER_PRIVATE_KEY;
    missingKeyDeploy = await run(
      "npm",
      ["run", "deploy", "--", "--network", "public", "--deployment-id", `${publicDeploymentId}-nokey`],
      withoutKey,
      DEPLOY_TIMEOUT_MS,
    );
    publicDeploy = await run(
      "npm",
      ["run", "deploy", "--", "--network", "public", "--deployment-id", publicDeploymentId],
      childEnv({
        PUBLIC_RPC_URL: url,
        DEPLOYER_PRIVATE_KEY: publicDeployer.privateKey,
        HARDHAT_IGNITION_CONFIRM_DEPLOYMENT: "true",
      }),
      DEPLOY_TIMEOUT_MS,
    );
    if (publicDeploy.code === 0) {
      const file = path.join(publicDeploymentDir, "deployed_addresses.json");
      publicAddresses = JSON.parse(await readFile(file, "utf8")) as Record<string, string>;
    }
  });

  after(async function () {
    if (node?.pid !== undefined && node.exitCode === null && node.signalCode === null) {
      const exited = once(node, "exit");
      try {
        process.kill(-node.pid, "SIGTERM");
      } catch {
        // already gone
      }
      const stopped = await Promise.race([exited.then(() => true), sleep(5_000).then(() => false)]);
      if (!stopped) {
        try {
          process.kill(-node.pid, "SIGKILL");
        } catch {
          // already gone
        }
      }
    }
    await rm(deploymentDir, { recursive: true, force: true });
    await rm(publicDeploymentDir, { recursive: true, force: true });
    await rm(`${publicDeploymentDir}-nokey`, { recursive: true, force: true });
  });

  it("npm run deploy -- --network localhost exits with code 0", function () {
    expect(deploy.code, deploy.output).to.equal(0);
  });

  it("writes deployed_addresses.json listing the factory, the implementations and the platform contracts", async function () {
    expect(deploy.code, deploy.output).to.equal(0);
    const provider = new JsonRpcProvider(url, undefined, { staticNetwork: true });
    try {
      for (const name of [
        "CommunityFactory",
        "SocialToken",
        "CommunityGovernor",
        "CommunityTimelock",
        "PlatformToken",
        "PlatformGovernor",
        "PlatformTimelock",
      ]) {
        const address = addresses[`${MODULE_ID}#${name}`];
        expect(address, `${MODULE_ID}#${name} in deployed_addresses.json`).to.be.a("string");
        expect(getAddress(address)).to.equal(address);
        expect(await provider.getCode(address), `${name} has code on the node`).to.not.equal("0x");
      }
    } finally {
      provider.destroy();
    }
  });

  it("leaves the factory owned by the platform Timelock, with the platform token named Coterie", async function () {
    expect(deploy.code, deploy.output).to.equal(0);
    const provider = new JsonRpcProvider(url, undefined, { staticNetwork: true });
    try {
      expect(await provider.send("eth_chainId", [])).to.equal("0x7a69"); // 31337: the hardhat node
      const factory = new Contract(
        addresses[`${MODULE_ID}#CommunityFactory`],
        ["function owner() view returns (address)", "function feeRecipient() view returns (address)"],
        provider,
      );
      const token = new Contract(
        addresses[`${MODULE_ID}#PlatformToken`],
        ["function name() view returns (string)", "function symbol() view returns (string)"],
        provider,
      );
      const timelock = addresses[`${MODULE_ID}#PlatformTimelock`];
      expect(await factory.getFunction("owner")()).to.equal(timelock);
      expect(await factory.getFunction("feeRecipient")()).to.equal(timelock);
      expect(await token.getFunction("name")()).to.equal("Coterie");
      expect(await token.getFunction("symbol")()).to.equal("CTRE");
    } finally {
      provider.destroy();
    }
  });

  it("deploys to the public network with the RPC URL and deployer key from configuration variables", async function () {
    expect(publicDeploy.code, publicDeploy.output).to.equal(0);
    const provider = new JsonRpcProvider(url, undefined, { staticNetwork: true });
    try {
      const factory = new Contract(
        publicAddresses[`${MODULE_ID}#CommunityFactory`],
        ["function community(uint256) view returns ((uint256 id, address creator, address token, address governor, address timelock, address rewardVault, bool verified, uint48 createdAt, uint32 implementationsVersion))"],
        provider,
      );
      const platform = (await factory.getFunction("community")(0)) as { creator: string; token: string; timelock: string };
      const token = new Contract(platform.token, ["function balanceOf(address) view returns (uint256)"], provider);
      // The platform's allocation went to the account whose key came from DEPLOYER_PRIVATE_KEY; it
      // keeps nothing else: the registered creator is the platform Timelock (issue 11 item 2).
      expect((await token.getFunction("balanceOf")(publicDeployer.address)) as bigint).to.be.greaterThan(0n);
      expect(platform.timelock).to.equal(publicAddresses[`${MODULE_ID}#PlatformTimelock`]);
      expect(platform.creator).to.equal(platform.timelock);
    } finally {
      provider.destroy();
    }
  });

  it("refuses to deploy to the public network without a deployer key, naming the missing variable", function () {
    expect(missingKeyDeploy.code).to.not.equal(0);
    expect(missingKeyDeploy.output).to.include("DEPLOYER_PRIVATE_KEY");
  });
});
