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

/** The inbox implementations the connector suites run on. */
export const INBOX_BACKENDS = ['SQLite', 'PostgreSQL'] as const;
export type InboxBackend = (typeof INBOX_BACKENDS)[number];

/**
 * Why this backend's suite is skipped here (undefined: it runs). Synchronous, for `describe`'s
 * `skip` option. Under CI=true a missing PostgreSQL is not a skip: the suite runs and fails.
 */
export function backendSkip(backend: InboxBackend): string | undefined {
  if (backend === 'SQLite') return undefined;
  if (process.env.DATABASE_URL || process.env.AIRCALL_TEST_DATABASE_URL) return undefined;
  const found = findPostgresBin();
  if ('missing' in found && !process.env.CI) {
    process.stderr.write(`skipped: PostgreSQL suites: ${found.missing}\n`);
    return found.missing;
  }
  return undefined;
}

/**
 * An inbox location for a test: `sqlite` as given (a file or ':memory:'), or a fresh PostgreSQL
 * schema's URL, dropped by `drop()`.
 */
export async function testInbox(
  backend: InboxBackend,
  sqlite = ':memory:',
): Promise<{ location: string; drop(): Promise<void> }> {
  if (backend === 'SQLite') return { location: sqlite, drop: () => Promise.resolve() };
  const schema = await freshSchema('connector');
  if ('skip' in schema) throw new Error(`PostgreSQL unavailable: ${schema.skip}`);
  return { location: schema.url, drop: () => schema.drop() };
}
