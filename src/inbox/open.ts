/**
 * Opens the inbox a connector was told to use: a PostgreSQL URL (`postgres://…` or
 * `postgresql://…`, several connector processes sharing it) or else a SQLite file (one process;
 * ':memory:' for a throwaway one).
 */
import type { Inbox } from './inbox';
import { SqliteInbox } from './sqlite';
import type { PostgresInboxOptions } from './postgres';

export function isPostgresUrl(location: string): boolean {
  return /^postgres(ql)?:\/\//i.test(location);
}

export async function openInbox(
  location: string,
  options: PostgresInboxOptions = {},
): Promise<Inbox> {
  if (isPostgresUrl(location)) {
    try {
      // Loaded only for a PostgreSQL inbox: a SQLite connector never loads the pg driver.
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const { PostgresInbox } = require('./postgres') as typeof import('./postgres');
      return await PostgresInbox.open(location, options);
    } catch (error) {
      throw new Error(
        `Cannot open the PostgreSQL inbox at ${describeInbox(location)}: ${(error as Error).message}`,
        { cause: error },
      );
    }
  }
  return new SqliteInbox(location);
}

/** The location with any password hidden, for logs and `doctor`. */
export function describeInbox(location: string): string {
  if (!isPostgresUrl(location)) return location;
  try {
    const url = new URL(location);
    if (url.password) url.password = '***';
    return `PostgreSQL ${url.host}${url.pathname}`;
  } catch {
    return 'PostgreSQL (unparsable URL)';
  }
}
