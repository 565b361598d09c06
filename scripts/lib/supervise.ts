/**
 * Process supervision for `./coterie start` (scripts/start.ts): long-running children (the chain
 * node, the indexer) and one-shot steps (compile, deploy, seed) each run in their own process group, so stopping
 * one stops everything it spawned. The first unexpected event (a service exiting, a step failing,
 * SIGINT/SIGTERM, an uncaught exception in the parent, which serves the web app) stops every group
 * and exits: nothing is left listening on a port.
 *
 * Output: one timestamped line per step. Child output is captured and shown only when that child
 * fails, unless the parent's output is a terminal and the step asks to pass it through (Ignition's
 * progress display then renders in place, as it would when run by hand).
 */
import { spawn, type ChildProcess } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";

/** How much of a child's output is kept, and how many of its last lines a failure message shows. */
export const OUTPUT_TAIL_CHARS = 8_000;
export const OUTPUT_TAIL_LINES = 40;

export interface SupervisorOptions {
  /** Writes one line (no trailing newline) to the user. */
  log: (line: string) => void;
  /** Ends the parent process (process.exit in production). */
  exit: (code: number) => void;
  /** Whether the user's output is a terminal (pass-through steps then inherit stdio). */
  tty?: boolean;
  /** A clock for the timestamps (tests pin it). */
  now?: () => Date;
  /** How long a group gets between SIGTERM and SIGKILL. */
  killAfterMs?: number;
}

interface Managed {
  name: string;
  child: ChildProcess;
  output: () => string;
}

/** Keeps the last `limit` characters a child writes to stdout and stderr. */
function tail(child: ChildProcess, limit = OUTPUT_TAIL_CHARS): () => string {
  let text = "";
  const add = (chunk: Buffer) => {
    text = (text + chunk.toString()).slice(-limit);
  };
  child.stdout?.on("data", add);
  child.stderr?.on("data", add);
  return () => text.trimEnd().split("\n").slice(-OUTPUT_TAIL_LINES).join("\n");
}

/** "HH:MM:SS" in UTC. */
export function timestamp(date: Date): string {
  return date.toISOString().slice(11, 19);
}

/** A restart rule that never applies: the plain `service`. */
const NEVER_RESTART = { when: () => false, prepare: () => {}, note: "", max: 0, windowMs: 0 };

export class Supervisor {
  private readonly managed: Managed[] = [];
  private stopping: Promise<void> | null = null;
  private readonly options: Required<SupervisorOptions>;

  constructor(options: SupervisorOptions) {
    this.options = { tty: false, now: () => new Date(), killAfterMs: 5_000, ...options };
  }

  /** Prints one timestamped line. */
  step(message: string): void {
    this.options.log(`[${timestamp(this.options.now())}] ${message}`);
  }

  /** Whether stop() has begun (no new children are started after it). */
  get stopped(): boolean {
    return this.stopping !== null;
  }

  private track(name: string, child: ChildProcess): Managed {
    const managed = { name, child, output: tail(child) };
    this.managed.push(managed);
    return managed;
  }

  /**
   * Starts a long-running child in its own process group. Its exit before stop() is a failure:
   * every other group is stopped and the parent exits 1 with the child's last output.
   */
  service(name: string, command: string, args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): ChildProcess {
    return this.restartableService(name, command, args, options, NEVER_RESTART).current();
  }

  /**
   * A service that is started again, instead of stopping everything, when it exits for a reason
   * `restart.when(output)` recognises (its last output). Before each restart `restart.prepare()`
   * runs (e.g. removes a database the exit left unusable) and one line says why. At most
   * `restart.max` restarts within `restart.windowMs` (a crash loop is a failure); any other exit,
   * or one restart more, fails as `service` does.
   * `current()` is the child running now.
   */
  restartableService(
    name: string,
    command: string,
    args: string[],
    options: { cwd?: string; env?: NodeJS.ProcessEnv },
    restart: { when: (output: string) => boolean; prepare: () => void; note: string; max: number; windowMs: number },
  ): { current: () => ChildProcess; restarts: () => number } {
    let child!: ChildProcess;
    let restarts = 0;
    let recent: number[] = [];
    const launch = () => {
      child = spawn(command, args, { cwd: options.cwd, env: options.env, stdio: ["ignore", "pipe", "pipe"], detached: true });
      const managed = this.track(name, child);
      child.once("error", (error) => void this.fail(`${name} could not start: ${error.message}`));
      child.once("exit", (code, signal) => {
        if (this.stopped) return;
        const how = signal === null ? `exit ${code}` : `signal ${signal}`;
        const output = managed.output();
        const now = this.options.now().getTime();
        recent = recent.filter((at) => now - at < restart.windowMs);
        if (recent.length < restart.max && restart.when(output)) {
          restarts += 1;
          recent.push(now);
          this.step(`${name} stopped (${how}): ${restart.note}; restarting it (restart ${restarts})`);
          try {
            restart.prepare();
          } catch (error) {
            void this.fail(`${name} could not be restarted: ${(error as Error).message}`);
            return;
          }
          launch();
          return;
        }
        void this.fail(`${name} stopped unexpectedly (${how}); stopping everything else${output === "" ? "" : `. Its last output:\n${output}`}`);
      });
    };
    launch();
    return { current: () => child, restarts: () => restarts };
  }

  /**
   * Runs a command to completion in its own process group. Resolves on exit code 0; otherwise
   * prints its captured output and stops everything (exit 1). With `passThrough` and a terminal,
   * the child writes straight to it instead of being captured.
   */
  run(name: string, command: string, args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv; passThrough?: boolean } = {}): Promise<void> {
    const inherit = options.passThrough === true && this.options.tty;
    const child = spawn(command, args, { cwd: options.cwd, env: options.env, stdio: inherit ? ["ignore", "inherit", "inherit"] : ["ignore", "pipe", "pipe"], detached: true });
    const managed = this.track(name, child);
    return new Promise<void>((resolve) => {
      child.once("error", (error) => void this.fail(`${name} could not start: ${error.message}`));
      child.once("exit", (code, signal) => {
        if (code === 0) {
          resolve();
          return;
        }
        if (this.stopped) return;
        const how = signal === null ? `exit ${code}` : `signal ${signal}`;
        const output = managed.output();
        void this.fail(`${name} failed (${how})${output === "" ? "" : `:\n${output}`}`);
      });
    });
  }

  /** Prints `message` and stops everything with exit code 1. */
  fail(message: string): Promise<void> {
    if (this.stopped) return this.stopping!;
    this.options.log(`coterie start: ${message}`);
    return this.stop(1);
  }

  /**
   * Stops every child's process group (SIGTERM, then SIGKILL for groups still alive after
   * killAfterMs), then exits with `code`. Later calls return the first call's promise.
   */
  stop(code: number): Promise<void> {
    if (this.stopping !== null) return this.stopping;
    this.stopping = (async () => {
      // Every group, also those whose leader has exited: a grandchild (the node behind `npx`) may hold the port.
      for (const m of this.managed) signalGroup(m.child, "SIGTERM");
      await Promise.all(
        this.managed.map(async (m) => {
          if (!(await groupGone(m.child, this.options.killAfterMs))) {
            signalGroup(m.child, "SIGKILL");
            await groupGone(m.child, 2_000);
          }
        }),
      );
      this.options.exit(code);
    })();
    return this.stopping;
  }

  /** Last resort when the parent exits without stop(): kill every group synchronously. */
  killAllNow(): void {
    for (const m of this.managed) signalGroup(m.child, "SIGKILL");
  }

  /**
   * SIGINT and SIGTERM stop everything (exit 0 after Ctrl-C or a plain kill); an uncaught
   * exception or unhandled rejection in the parent (the web server runs there) stops everything
   * with exit 1; and the parent's own exit kills any group still alive.
   */
  handleSignals(target: NodeJS.EventEmitter = process): void {
    target.on("SIGINT", () => {
      // A terminal's Ctrl-C reaches this process twice when it runs under npx/tsx (from the
      // terminal and forwarded): say it once.
      if (!this.stopped) this.step("stopping (Ctrl-C): the local chain, the indexer, the server and the web app");
      void this.stop(0);
    });
    target.on("SIGTERM", () => void this.stop(0));
    target.on("uncaughtException", (error: Error) => void this.fail(`unexpected error: ${error.stack ?? error.message}`));
    target.on("unhandledRejection", (reason: unknown) => void this.fail(`unexpected error: ${reason instanceof Error ? (reason.stack ?? reason.message) : String(reason)}`));
    target.on("exit", () => this.killAllNow());
  }
}

/** Whether the child's process group still has a member (a zombie counts: its port is closed already, and the wait is bounded). */
function groupExists(child: ChildProcess): boolean {
  try {
    process.kill(-child.pid!, 0);
    return true;
  } catch {
    return false;
  }
}

/** Waits up to `ms` for the child's process group to be gone; resolves whether it is. */
async function groupGone(child: ChildProcess, ms: number): Promise<boolean> {
  if (child.pid === undefined) return true;
  const deadline = Date.now() + ms;
  while (groupExists(child)) {
    if (Date.now() >= deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  return true;
}

/** Sends `signal` to the child's whole process group; a group that is already gone is fine. */
function signalGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // no such process group: already stopped
  }
}

/**
 * What `npm start`'s compile step prints: Ignition compiles with the production build profile,
 * which compiles each contract on its own; the first time that takes about two minutes (longer on a
 * busy two-core machine), afterwards only what changed is compiled. "First time" means the compile
 * cache (cache/compile-cache.json under `root`) holds no production (isolated) build yet.
 */
export function compileEstimate(root: string): string {
  let compiledBefore = false;
  try {
    const cache = JSON.parse(readFileSync(join(root, "cache", "compile-cache.json"), "utf8")) as Record<string, { isolated?: boolean }>;
    compiledBefore = Object.values(cache).some((entry) => entry.isolated === true);
  } catch {
    compiledBefore = false; // no cache yet (a fresh clone), or one this code cannot read
  }
  return compiledBefore ? "only what changed since the last start" : "first time: about 2 minutes";
}
