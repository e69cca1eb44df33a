import { AircallApi } from '../aircall/api';
import { readConfig } from '../config';
import { ingest } from '../connector/ingest';
import { openDrainingConnector, printJson, type CommandContext } from './common';
import { drainUntilDone, progressBar } from './drain';
import { UsageError, parse, str } from './flags';

/** Aircall keeps six months of calls and stops a listing at 10,000 results. */
const MAX_LISTING = 10_000;
const BACKFILL_TOKEN = 'aircall-sfv-backfill';

/**
 * `aircall-sfv backfill --since DATE [--until DATE]` — reads ended calls from Aircall's
 * `GET /v1/calls` and feeds each one as a `call.ended` event through the inbox, so calls missed
 * while the connector was down are logged by the same rules (and never twice: upserts by call id).
 */
export async function backfill({ args, io }: CommandContext): Promise<number> {
  const { values } = parse(args, { since: { type: 'string' }, until: { type: 'string' } });
  const since = str(values, 'since');
  if (!since) throw new UsageError('Give the start date: aircall-sfv backfill --since 2026-11-01');
  const from = new Date(since);
  const to = new Date(str(values, 'until') ?? Date.now());
  if (Number.isNaN(from.getTime()) || Number.isNaN(to.getTime()))
    throw new UsageError('--since/--until must be dates such as 2026-11-01.');
  const api = AircallApi.fromConfig(
    readConfig(['aircallApiId', 'aircallApiToken', 'aircallApiUrl'], { env: io.env }),
  );
  if (!api)
    throw new UsageError(
      'Set AIRCALL_API_ID and AIRCALL_API_TOKEN (and AIRCALL_API_URL for a test server).',
    );
  const { connector, logger, close } = await openDrainingConnector(values, io, [BACKFILL_TOKEN]);
  try {
    const fromS = Math.floor(from.getTime() / 1000);
    const toS = Math.floor(to.getTime() / 1000);
    let page = 1;
    let read = 0;
    let rejected = 0;
    const bar = values.json ? undefined : progressBar(io.err, 'Reading Aircall calls');
    for (;;) {
      const result = await api.listCalls(fromS, toS, page);
      for (const call of result.calls) {
        read++;
        const endedAt = typeof call.ended_at === 'number' ? call.ended_at : toS;
        const envelope = {
          resource: 'call',
          event: 'call.ended',
          timestamp: endedAt,
          token: BACKFILL_TOKEN,
          data: call,
        };
        const outcome = await ingest(envelope, {
          inbox: connector.inbox,
          tokens: [BACKFILL_TOKEN],
          metrics: connector.metrics,
        });
        if (outcome.status === 'rejected') {
          rejected++;
          logger.warn(`Aircall call ${String(call.id)} skipped: ${outcome.error}`);
        }
      }
      bar?.({ finished: read, total: Math.min(result.meta.total ?? read, MAX_LISTING) });
      if (!result.meta.next_page_link || result.calls.length === 0 || read >= MAX_LISTING) break;
      page++;
    }
    if (read >= MAX_LISTING) {
      logger.warn(
        'Aircall lists at most 10,000 calls per listing: run backfill again with a later --since for the rest.',
      );
    }
    await drainUntilDone(connector, {
      deadlineMs: 30 * 60_000,
      onProgress: values.json ? undefined : progressBar(io.err, 'Logging'),
    });
    const counts = await connector.inbox.counts();
    const summary = { read, rejected, pending: counts.pending, deadLetters: counts.dead };
    if (values.json) printJson(io, summary);
    else
      io.out.write(
        `Backfilled ${read} call(s) from Aircall (${rejected} rejected); ${counts.dead} dead letter(s).\n`,
      );
    return counts.pending > 0 ? 1 : 0;
  } finally {
    await close();
  }
}
