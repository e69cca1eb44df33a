/**
 * The Aircall account's own lines (E.164), so a call whose other party is one of them is known as
 * internal (`Skip_Internal_Calls__c`) even in a batch without a call on that line, and after a
 * restart: the lines of the calls the connector sees are added as they come, and the first batch
 * that needs them (the setting on) reads those of the calls already logged, once per process (one
 * SOQL: every logged call has its line in `Aircall_Voice__c.Aircall_Number__c`, E.164). Bounded:
 * an account has few lines.
 */
import type { SalesforceClient } from '../salesforce/client';

/** The distinct lines of the logged calls (a GROUP BY answers one row per line). */
export const LINES_SOQL =
  'SELECT Aircall_Number__c FROM Aircall_Voice__c WHERE Aircall_Number__c != null GROUP BY Aircall_Number__c LIMIT 2000';

const MAX_LINES = 10_000;

export class AircallLines {
  private readonly lines = new Set<string>();
  private read: Promise<void> | null = null;

  constructor(private readonly client: Pick<SalesforceClient, 'query'>) {}

  /** The lines known so far. */
  get all(): ReadonlySet<string> {
    return this.lines;
  }

  /** A line seen on a call. */
  add(line: string): void {
    if (this.lines.size < MAX_LINES) this.lines.add(line);
  }

  /**
   * Reads the lines of the calls already logged, the first time it is asked; a failure (the org is
   * unreachable) fails the batch, which retries, and the next batch reads again.
   */
  async load(): Promise<void> {
    this.read ??= this.client
      .query<{ Aircall_Number__c: string | null }>(LINES_SOQL)
      .then((rows) => {
        for (const row of rows)
          if (typeof row.Aircall_Number__c === 'string' && row.Aircall_Number__c.startsWith('+'))
            this.add(row.Aircall_Number__c);
      })
      .catch((error: unknown) => {
        this.read = null;
        throw error;
      });
    await this.read;
  }
}
