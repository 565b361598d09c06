/** Structured logs: pino, one JSON object per line on stdout. */
import { pino, type Logger } from "pino";

/** The server's logger (`COTERIE_LOG_LEVEL`, default "info"; "silent" in tests that want quiet). */
export function createLogger(level: string = process.env.COTERIE_LOG_LEVEL ?? "info"): Logger {
  return pino({ level, base: { service: "coterie-server" }, timestamp: pino.stdTimeFunctions.isoTime });
}
