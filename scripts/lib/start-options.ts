/**
 * `./coterie start`'s ports (scripts/start.ts): each from its `--<name> <port>` option, else its
 * environment variable, else its default; every one must be a port number and all must differ.
 */

export interface StartPorts {
  rpcPort: number;
  webPort: number;
  indexerPort: number;
  serverPort: number;
}

/** The four ports, their options, environment variables and defaults. */
export const START_PORTS = [
  { key: "rpcPort", option: "rpc-port", env: "COTERIE_RPC_PORT", fallback: 8545, what: "the local chain (JSON-RPC)", example: 8546 },
  { key: "webPort", option: "web-port", env: "COTERIE_WEB_PORT", fallback: 5173, what: "the web app", example: 5180 },
  { key: "indexerPort", option: "indexer-port", env: "COTERIE_INDEXER_PORT", fallback: 42069, what: "the indexer (REST API)", example: 42070 },
  { key: "serverPort", option: "server-port", env: "COTERIE_SERVER_PORT", fallback: 8787, what: "the Coterie server (relay and attester)", example: 8788 },
] as const;

/** Parses the ports; returns a one-line message (no "coterie start:" prefix) for a bad option instead. */
export function parseStartPorts(argv: string[], env: NodeJS.ProcessEnv): { ports: StartPorts } | { error: string } {
  const ports: Partial<StartPorts> = {};
  for (const p of START_PORTS) {
    const i = argv.indexOf(`--${p.option}`);
    const raw = i >= 0 ? argv[i + 1] : env[p.env];
    if (raw === undefined) {
      ports[p.key] = p.fallback;
      continue;
    }
    const port = Number(raw);
    if (raw.trim() === "" || !Number.isInteger(port) || port < 1 || port > 65_535) return { error: `--${p.option} must be a port number (1-65535), got "${raw}"` };
    ports[p.key] = port;
  }
  const all = ports as StartPorts;
  for (let a = 0; a < START_PORTS.length; a++) {
    for (let b = a + 1; b < START_PORTS.length; b++) {
      const [pa, pb] = [START_PORTS[a]!, START_PORTS[b]!];
      if (all[pa.key] === all[pb.key]) return { error: `--${pa.option} and --${pb.option} must differ (both ${all[pa.key]})` };
    }
  }
  return { ports: all };
}
