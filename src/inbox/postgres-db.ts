/**
 * The connection pool of the PostgreSQL inbox (src/inbox/postgres.ts), and the few helpers its
 * parts share: transactions, rows, and the shared statements' `?` parameters numbered.
 */
import { hostname } from 'node:os';
import pg from 'pg';

/** BIGINT (int8) and COUNT come back as strings by default; every one here fits a double. */
const types: pg.CustomTypesConfig = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') => {
    if (oid === 20) return (value: string) => Number(value);
    return pg.types.getTypeParser(oid, format) as unknown;
  }) as pg.CustomTypesConfig['getTypeParser'],
};

export const APPLICATION = 'aircall-sfv';

/** What the connections of this process are called in pg_stat_activity: `aircall-sfv <pid>@<host>`. */
export function applicationName(): string {
  return `${APPLICATION} ${process.pid}@${hostname()}`.slice(0, 63);
}

/** A shared statement (src/inbox/rows.ts) with PostgreSQL's numbered parameters: `?` → `$1`, `$2`… */
export function numbered(sql: string): string {
  let n = 0;
  return sql.replace(/\?/g, () => `$${++n}`);
}

/** PostgreSQL text cannot hold NUL; an error message echoing a webhook string might. */
export const text = (value: string) => value.replace(/\0/g, '\uFFFD');

export class PostgresDb {
  readonly pool: pg.Pool;

  constructor(url: string, poolSize: number) {
    this.pool = new pg.Pool({
      connectionString: url,
      max: poolSize,
      types,
      // Tells an operator (pg_stat_activity) and `doctor` which process a connection belongs to.
      application_name: applicationName(),
    });
    // An idle connection that the server closes must not crash the process; the next query reconnects.
    this.pool.on('error', () => undefined);
  }

  async transaction<T>(fn: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      const result = await fn(client);
      await client.query('COMMIT');
      return result;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }

  async rows<T>(sql: string, params: unknown[] = []): Promise<T[]> {
    return (await this.pool.query(sql, params)).rows as T[];
  }
}
