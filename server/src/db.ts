/**
 * The server's SQL database: embedded PGlite (a directory) or PostgreSQL (a pg Pool), behind the
 * small Db interface of context.ts. Both speak the same SQL; bigints are stored as NUMERIC and read
 * back as text (`::text`), so both drivers return the same JavaScript values.
 *
 * A PostgreSQL URL may carry `schema=<name>` (removed before connecting): the server then keeps its
 * tables in that schema (created if missing), e.g. one schema per test run.
 */
import { mkdirSync } from "node:fs";
import { PGlite, type Transaction } from "@electric-sql/pglite";
import pg from "pg";
import type { Db, ServerConfig } from "./context.ts";

type Params = unknown[] | undefined;

function pgliteDb(conn: PGlite | Transaction, close: () => Promise<void>): Db {
  return {
    kind: "pglite",
    async query<T extends Record<string, unknown>>(sql: string, params?: Params) {
      const result = await conn.query<T>(sql, params);
      return result.rows;
    },
    async transaction<T>(fn: (tx: Db) => Promise<T>): Promise<T> {
      if (!(conn instanceof PGlite)) return fn(pgliteDb(conn, close)); // already in one: join it
      // PGlite types the result `T | undefined` (for a rolled-back transaction, which throws here instead).
      return (await conn.transaction((tx) => fn(pgliteDb(tx, close)))) as T;
    },
    close,
  };
}

function clientDb(client: pg.PoolClient): Db {
  return {
    kind: "postgres",
    async query<T extends Record<string, unknown>>(sql: string, params?: Params) {
      return (await client.query<T>(sql, params)).rows;
    },
    async transaction<T>(fn: (tx: Db) => Promise<T>) {
      return fn(clientDb(client)); // nested: the outer transaction holds the client
    },
    async close() {},
  };
}

function poolDb(pool: pg.Pool): Db {
  return {
    kind: "postgres",
    async query<T extends Record<string, unknown>>(sql: string, params?: Params) {
      return (await pool.query<T>(sql, params)).rows;
    },
    async transaction<T>(fn: (tx: Db) => Promise<T>): Promise<T> {
      const client = await pool.connect();
      try {
        await client.query("BEGIN");
        const result = await fn(clientDb(client));
        await client.query("COMMIT");
        return result;
      } catch (error) {
        await client.query("ROLLBACK").catch(() => undefined);
        throw error;
      } finally {
        client.release();
      }
    },
    async close() {
      await pool.end();
    },
  };
}

/** Opens the configured database (creating PGlite's directory or the URL's schema when missing). */
export async function openDb(database: ServerConfig["database"]): Promise<Db> {
  if (database.kind === "pglite") {
    mkdirSync(database.dir, { recursive: true });
    const lite = new PGlite(database.dir);
    await lite.waitReady;
    return pgliteDb(lite, () => lite.close());
  }
  const url = new URL(database.url);
  const schema = url.searchParams.get("schema");
  url.searchParams.delete("schema");
  if (schema !== null && !/^[a-z_][a-z0-9_]{0,62}$/.test(schema)) throw new Error(`DATABASE_URL: schema "${schema}" is not a plain lower-case name`);
  if (schema !== null) {
    const setup = new pg.Client({ connectionString: url.toString() });
    await setup.connect();
    try {
      await setup.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
    } finally {
      await setup.end();
    }
  }
  const options = schema === null ? undefined : `-c search_path=${schema}`;
  return poolDb(new pg.Pool({ connectionString: url.toString(), max: 10, options }));
}

/** Runs `CREATE … IF NOT EXISTS` statements (idempotent) in one transaction. */
export async function migrate(db: Db, statements: string[]): Promise<void> {
  await db.transaction(async (tx) => {
    for (const sql of statements) await tx.query(sql);
  });
}
