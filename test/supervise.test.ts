/**
 * `./coterie start`'s process supervision (scripts/lib/supervise.ts), with real child processes on
 * loopback: a crash of any child (or of the parent, which serves the web app) stops every other
 * child's whole process group, so nothing is left listening on a port (issue 11 item 1), and each
 * step prints one timestamped line with the child's output only on failure (item 17). Also the
 * demo clock's arithmetic (scripts/lib/demo-clock.ts, item 15).
 */
import { EventEmitter, once } from "node:events";
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { connect, createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { expect } from "chai";
import { catchUpTarget, CHAIN_START_MARGIN, chainStartDate, DEMO_GOVERNANCE, PLATFORM_GOVERNANCE, seedWarpSeconds } from "../scripts/lib/demo-clock.ts";
import { compileEstimate, OUTPUT_TAIL_LINES, Supervisor, timestamp } from "../scripts/lib/supervise.ts";

const HOST = "127.0.0.1";
const node = process.execPath;

async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, HOST);
  await once(server, "listening");
  const address = server.address();
  if (address === null || typeof address === "string") throw new Error("no port");
  server.close();
  await once(server, "close");
  return address.port;
}

/** Whether something accepts connections on 127.0.0.1:port. */
function listening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, HOST);
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
  });
}

async function waitUntil(condition: () => Promise<boolean>, what: string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** A shell that starts a grandchild node server on `port` and waits: the port is held by a grandchild, as with `npx hardhat node`. */
function serverViaShell(port: number, ignoreTerm = false): [string, string[]] {
  const server = `${ignoreTerm ? "process.on('SIGTERM',()=>{});" : ""}require('node:http').createServer((q,s)=>s.end('ok')).listen(${port},'${HOST}')`;
  return ["sh", ["-c", `${ignoreTerm ? "trap '' TERM; " : ""}'${node}' -e "${server}" & wait`]];
}

function harness(options: { killAfterMs?: number; tty?: boolean } = {}) {
  const lines: string[] = [];
  let resolveExit: (code: number) => void = () => {};
  const exited = new Promise<number>((resolve) => (resolveExit = resolve));
  const supervisor = new Supervisor({
    log: (line) => lines.push(line),
    exit: (code) => resolveExit(code),
    now: () => new Date("2026-12-05T21:30:05Z"),
    killAfterMs: options.killAfterMs ?? 3_000,
    tty: options.tty,
  });
  return { supervisor, lines, exited };
}

describe("start's supervisor (scripts/lib/supervise.ts)", function () {
  this.timeout(60_000);
  const cleanup: number[] = [];
  afterEach(function () {
    for (const pid of cleanup.splice(0)) {
      try {
        process.kill(-pid, "SIGKILL");
      } catch {
        // gone
      }
    }
  });

  it("when one child crashes, stops the other child's whole process group (its port is freed) and exits 1 with a clear message", async function () {
    const port = await freePort();
    const { supervisor, lines, exited } = harness();
    const [cmd, args] = serverViaShell(port);
    const chain = supervisor.service("the local chain", cmd, args);
    cleanup.push(chain.pid!);
    await waitUntil(() => listening(port), "the server child to listen");
    supervisor.service("the web server", node, ["-e", "console.error('listen failed: boom'); setTimeout(() => process.exit(3), 100)"]);
    expect(await exited).to.equal(1);
    expect(lines.join("\n")).to.include("coterie start: the web server stopped unexpectedly (exit 3); stopping everything else");
    expect(lines.join("\n")).to.include("listen failed: boom"); // its last output
    expect(await listening(port), "nothing is left on the chain's port").to.equal(false);
    expect(alive(chain.pid!)).to.equal(false);
  });

  it("a group that ignores SIGTERM is killed after killAfterMs", async function () {
    const port = await freePort();
    const { supervisor, exited } = harness({ killAfterMs: 300 });
    const [cmd, args] = serverViaShell(port, true);
    const child = supervisor.service("stubborn", cmd, args);
    cleanup.push(child.pid!);
    await waitUntil(() => listening(port), "the stubborn child to listen");
    const started = Date.now();
    void supervisor.stop(0);
    expect(await exited).to.equal(0);
    expect(Date.now() - started).to.be.at.least(250);
    expect(await listening(port)).to.equal(false);
  });

  it("an uncaught exception in the parent (which serves the web app) stops the chain's group and exits 1", async function () {
    const port = await freePort();
    const { supervisor, lines, exited } = harness();
    const fakeProcess = new EventEmitter();
    supervisor.handleSignals(fakeProcess);
    const [cmd, args] = serverViaShell(port);
    cleanup.push(supervisor.service("the local chain", cmd, args).pid!);
    await waitUntil(() => listening(port), "the chain child to listen");
    fakeProcess.emit("uncaughtException", new Error("Invalid URL"));
    expect(await exited).to.equal(1);
    expect(lines.join("\n")).to.include("coterie start: unexpected error: Error: Invalid URL");
    expect(await listening(port)).to.equal(false);
    // A second failure while stopping changes nothing.
    fakeProcess.emit("unhandledRejection", "late");
    expect(lines.filter((l) => l.includes("late"))).to.deep.equal([]);
  });

  it("an unhandled rejection stops everything with exit 1, and the parent's exit kills what is left", async function () {
    const { supervisor, lines, exited } = harness();
    const fakeProcess = new EventEmitter();
    supervisor.handleSignals(fakeProcess);
    fakeProcess.emit("unhandledRejection", "no reason object");
    expect(await exited).to.equal(1);
    expect(lines.join("\n")).to.include("unexpected error: no reason object");

    const second = harness();
    const other = new EventEmitter();
    second.supervisor.handleSignals(other);
    const port = await freePort();
    const [cmd, args] = serverViaShell(port);
    const child = second.supervisor.service("the local chain", cmd, args);
    cleanup.push(child.pid!);
    await waitUntil(() => listening(port), "the chain child to listen");
    other.emit("exit");
    await waitUntil(async () => !(await listening(port)), "the port to be freed");
  });

  it("Ctrl-C (SIGINT) and SIGTERM stop every group and exit 0", async function () {
    for (const signal of ["SIGINT", "SIGTERM"]) {
      const port = await freePort();
      const { supervisor, lines, exited } = harness();
      const fakeProcess = new EventEmitter();
      supervisor.handleSignals(fakeProcess);
      const [cmd, args] = serverViaShell(port);
      cleanup.push(supervisor.service("the local chain", cmd, args).pid!);
      await waitUntil(() => listening(port), "the chain child to listen");
      fakeProcess.emit(signal);
      fakeProcess.emit(signal); // a terminal's Ctrl-C arrives twice under npx/tsx
      expect(await exited, signal).to.equal(0);
      expect(await listening(port), signal).to.equal(false);
      if (signal === "SIGINT") expect(lines).to.deep.equal(["[21:30:05] stopping (Ctrl-C): the local chain, the indexer, the server and the web app"]);
    }
  });

  it("a step's output is captured: not shown when it succeeds, shown (with the exit code) when it fails, and the failure stops running services", async function () {
    const { supervisor, lines, exited } = harness();
    await supervisor.run("quiet step", node, ["-e", "console.log('Compiled 42 Solidity files'); console.log('\\n\\n')"]);
    expect(lines).to.deep.equal([]);
    supervisor.step("deploying the platform");
    expect(lines).to.deep.equal(["[21:30:05] deploying the platform"]);

    const port = await freePort();
    const [cmd, args] = serverViaShell(port);
    cleanup.push(supervisor.service("the local chain", cmd, args).pid!);
    await waitUntil(() => listening(port), "the chain child to listen");
    void supervisor.run("deploying the platform (hardhat ignition deploy)", node, ["-e", "console.log('Batch #1'); console.error('IGN403: bad'); process.exit(2)"]);
    expect(await exited).to.equal(1);
    expect(lines[1]).to.equal("coterie start: deploying the platform (hardhat ignition deploy) failed (exit 2):\nBatch #1\nIGN403: bad");
    expect(await listening(port)).to.equal(false);
    // Stopping again returns the same stop; nothing more is printed.
    await supervisor.stop(0);
    await supervisor.fail("ignored");
    expect(lines).to.have.length(2);
  });

  it("passes a step's output through on a terminal, and reports a command that cannot start", async function () {
    const { supervisor, lines, exited } = harness({ tty: true });
    await supervisor.run("pass-through step", node, ["-e", "process.exit(0)"], { passThrough: true });
    void supervisor.run("missing command", join(tmpdir(), "no-such-command-coterie"), []);
    expect(await exited).to.equal(1);
    expect(lines.join("\n")).to.match(/missing command could not start: spawn .*ENOENT/);

    const second = harness();
    second.supervisor.service("missing service", join(tmpdir(), "no-such-command-coterie"), []);
    expect(await second.exited).to.equal(1);
    expect(second.lines.join("\n")).to.match(/missing service could not start/);
  });

  it("a failure shows only the child's last OUTPUT_TAIL_LINES lines", async function () {
    const { supervisor, lines, exited } = harness();
    void supervisor.run("noisy step", node, ["-e", "for (let i = 1; i <= 100; i++) console.log('line ' + i); process.exit(1)"]);
    expect(await exited).to.equal(1);
    const shown = lines[0].split("\n").slice(1);
    expect(shown).to.have.length(OUTPUT_TAIL_LINES);
    expect(shown[0]).to.equal(`line ${100 - OUTPUT_TAIL_LINES + 1}`);
    expect(shown.at(-1)).to.equal("line 100");
  });

  it("a service killed by a signal is reported with the signal", async function () {
    const { supervisor, lines, exited } = harness();
    const child = supervisor.service("the local chain", node, ["-e", "setInterval(() => {}, 1000)"]);
    await sleep(200);
    process.kill(child.pid!, "SIGKILL");
    expect(await exited).to.equal(1);
    expect(lines.join("\n")).to.include("the local chain stopped unexpectedly (signal SIGKILL); stopping everything else");
  });

  it("a restartable service that exits for a recognised reason is prepared and started again, then fails like any service after max restarts within the window", async function () {
    const { supervisor, lines, exited } = harness();
    let prepared = 0;
    const crash = ["-e", "console.error('Encountered unrecoverable reorg beyond finalized block 7'); process.exit(1)"];
    const handle = supervisor.restartableService("the indexer", node, crash, {}, {
      when: (output) => output.includes("unrecoverable reorg"),
      prepare: () => (prepared += 1),
      note: "the chain was rewound past its finality",
      max: 2,
      windowMs: 60_000,
    });
    cleanup.push(handle.current().pid!);
    expect(await exited).to.equal(1);
    expect(prepared).to.equal(2);
    expect(handle.restarts()).to.equal(2);
    expect(lines.slice(0, 2)).to.deep.equal([
      "[21:30:05] the indexer stopped (exit 1): the chain was rewound past its finality; restarting it (restart 1)",
      "[21:30:05] the indexer stopped (exit 1): the chain was rewound past its finality; restarting it (restart 2)",
    ]);
    expect(lines[2]).to.match(/^coterie start: the indexer stopped unexpectedly \(exit 1\); stopping everything else\. Its last output:\nEncountered unrecoverable reorg/);
  });

  it("a restartable service that exits for any other reason stops everything without a restart", async function () {
    const { supervisor, lines, exited } = harness();
    let prepared = 0;
    const handle = supervisor.restartableService("the indexer", node, ["-e", "console.error('port in use'); process.exit(1)"], {}, {
      when: (output) => output.includes("unrecoverable reorg"),
      prepare: () => (prepared += 1),
      note: "n/a",
      max: 3,
      windowMs: 60_000,
    });
    cleanup.push(handle.current().pid!);
    expect(await exited).to.equal(1);
    expect(prepared).to.equal(0);
    expect(lines).to.deep.equal(["coterie start: the indexer stopped unexpectedly (exit 1); stopping everything else. Its last output:\nport in use"]);
  });

  it("timestamps are UTC HH:MM:SS", function () {
    expect(timestamp(new Date("2026-12-05T08:07:06.789Z"))).to.equal("08:07:06");
  });

  it("estimates the first compile (no production build in the compile cache) and says later ones compile only what changed", function () {
    const root = mkdtempSync(join(tmpdir(), "coterie-compile-"));
    try {
      expect(compileEstimate(root)).to.equal("first time: about 2 minutes");
      mkdirSync(join(root, "cache"));
      writeFileSync(join(root, "cache", "compile-cache.json"), JSON.stringify({ "a.sol": { isolated: false } }));
      expect(compileEstimate(root)).to.equal("first time: about 2 minutes");
      writeFileSync(join(root, "cache", "compile-cache.json"), JSON.stringify({ "a.sol": { isolated: false }, "b.sol": { isolated: true } }));
      expect(compileEstimate(root)).to.equal("only what changed since the last start");
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});

describe("the demo's clock (scripts/lib/demo-clock.ts)", function () {
  it("the seed's warp is one platform proposal, two community proposals and a voting delay", function () {
    expect(seedWarpSeconds()).to.equal(86_400 + 7 * 86_400 + 2 * 86_400 + 2 * (1_800 + 3_600 + 300) + 1_800);
    expect(seedWarpSeconds(PLATFORM_GOVERNANCE, DEMO_GOVERNANCE)).to.equal(seedWarpSeconds());
    expect(DEMO_GOVERNANCE.votingDelay).to.equal(1_800); // the upcoming proposal opens 30 minutes after the seed
  });

  it("starts the chain in the past by the warp and a margin", function () {
    const now = new Date("2026-12-05T21:00:00Z");
    expect(chainStartDate(now, 1_000)).to.equal(new Date(now.getTime() - (1_000 + CHAIN_START_MARGIN) * 1_000).toISOString());
    expect(Date.parse(chainStartDate(now))).to.be.below(now.getTime() - seedWarpSeconds() * 1_000);
  });

  it("moves the chain up to the wall clock minus what the last steps still warp, never backwards", function () {
    const wall = Date.parse("2026-12-05T21:00:00Z");
    expect(catchUpTarget(wall, wall / 1_000 - 5_000, 1_805)).to.equal(wall / 1_000 - 1_805);
    expect(catchUpTarget(wall, wall / 1_000 - 1_805, 1_805)).to.equal(null); // already there
    expect(catchUpTarget(wall, wall / 1_000 + 864_000, 1_805)).to.equal(null); // a chain ahead stays ahead
  });
});
