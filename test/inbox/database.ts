/**
 * A real PostgreSQL server for the tests: `DATABASE_URL` when set (the developer's own server),
 * else the one `npm test` starts for the whole run (scripts/postgres.ts puts its URL in
 * AIRCALL_TEST_DATABASE_URL), else one started for this test file from the machine's PostgreSQL
 * binaries. Each test gets its own schema (search_path in the URL), dropped at the end.
 *
 * Without a server the PostgreSQL tests are skipped with the reason (`skipped: …` on stderr);
 * under CI=true they fail instead, because .ci/run installs PostgreSQL.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { findPostgresBin, startPostgres, type PostgresServer } from '../../scripts/postgres';

let own: Promise<PostgresServer> | null = null;

/** The server URL, or why there is none. */
export async function postgresUrl(): Promise<{ url: string } | { skip: string }> {
  const given = process.env.DATABASE_URL || process.env.AIRCALL_TEST_DATABASE_URL;
  if (given) return { url: given };
  const found = findPostgresBin();
  if ('missing' in found) {
    if (process.env.CI) throw new Error(`PostgreSQL tests cannot run under CI: ${found.missing}`);
    process.stderr.write(`skipped: PostgreSQL tests: ${found.missing}\n`);
    return { skip: found.missing };
  }
  // Stopped when this process exits (see `unref`).
  own ??= startPostgres({ unref: true });
  return { url: (await own).url };
}

export interface TestSchema {
  /** The server URL with `search_path` set to this test's own schema. */
  url: string;
  schema: string;
  drop(): Promise<void>;
}

export function withSearchPath(url: string, schema: string): string {
  const u = new URL(url);
  u.searchParams.set('options', `-c search_path=${schema}`);
  return u.toString();
}

/** A fresh, empty schema on the test server. */
export async function freshSchema(label = 'test'): Promise<TestSchema | { skip: string }> {
  const server = await postgresUrl();
  if ('skip' in server) return server;
  const schema = `t_${label.replace(/[^a-z0-9]/gi, '_').toLowerCase()}_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: server.url });
  await admin.connect();
  try {
    await admin.query(`CREATE SCHEMA ${schema}`);
  } finally {
    await admin.end();
  }
  return {
    url: withSearchPath(server.url, schema),
    schema,
    async drop() {
      const client = new pg.Client({ connectionString: server.url });
      await client.connect();
      try {
        await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      } finally {
        await client.end();
      }
    },
  };
}
