import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { admit } from '../connector/ingest';
import { GroupCommit } from '../inbox/group-commit';
import { openDrainingConnector, printJson, type CommandContext } from './common';
import { drainUntilDone, progressBar } from './drain';
import { UsageError, parse, tokensFromEnv } from './flags';
import { flagOptions, readConfig } from '../config';

/**
 * `aircall-sfv replay FILE.ndjson` — one webhook envelope per line, through the same ingest path as
 * HTTP (token checked, schema validated, deduplicated), then the worker until every event is
 * applied, skipped or dead-lettered. Ends with a summary (one JSON line with --json).
 */
export async function replay({ args, io }: CommandContext): Promise<number> {
  const { values, positionals } = parse(args, flagOptions(['waitMinutes']), 1);
  const file = positionals[0];
  if (!file)
    throw new UsageError('Give the NDJSON file to replay: aircall-sfv replay calls.ndjson');
  const tokens = tokensFromEnv(io.env);
  if (tokens.length === 0) {
    throw new UsageError(
      'Set AIRCALL_WEBHOOK_TOKENS to the webhook token(s) the events were sent with.',
    );
  }
  const deadlineMs =
    readConfig(['waitMinutes'], { flags: values, env: io.env }).waitMinutes * 60_000;
  const { connector, logger, close } = await openDrainingConnector(values, io, tokens);
  try {
    let rejected = 0;
    const keys: string[] = [];
    const lines = createInterface({ input: createReadStream(file), crlfDelay: Infinity });
    let lineNo = 0;
    // Lines are committed in groups (one fsync per group, not per line), as HTTP webhooks are.
    const commits = new GroupCommit(connector.inbox);
    let committing: Promise<boolean>[] = [];
    const settle = async () => {
      for (const stored of await Promise.all(committing)) {
        connector.metrics.received.inc({ result: stored ? 'accepted' : 'duplicate' });
      }
      committing = [];
    };
    for await (const line of lines) {
      lineNo++;
      if (line.trim() === '') continue;
      let body: unknown;
      try {
        body = JSON.parse(line);
      } catch (error) {
        rejected++;
        logger.warn(`line ${lineNo}: not valid JSON (${(error as Error).message})`);
        continue;
      }
      const result = admit(body, { tokens, metrics: connector.metrics });
      if (result.status === 'rejected') {
        rejected++;
        logger.warn(`line ${lineNo}: rejected — ${result.error}`);
        continue;
      }
      keys.push(result.event.key);
      committing.push(commits.add(result.event));
      if (committing.length >= 1000) await settle();
    }
    await settle();
    const { timedOut } = await drainUntilDone(connector, {
      deadlineMs,
      onProgress: values.json ? undefined : progressBar(io.err, 'Applying'),
    });
    const status = await connector.inbox.statusOf(keys);
    const summary = {
      accepted: keys.length,
      rejected,
      applied: 0,
      skipped: 0,
      deadLettered: 0,
      pending: 0,
    };
    for (const key of keys) {
      const s = status.get(key);
      if (s === 'done') summary.applied++;
      else if (s === 'skipped') summary.skipped++;
      else if (s === 'dead') summary.deadLettered++;
      else summary.pending++;
    }
    if (values.json) printJson(io, summary);
    else {
      io.out.write(
        `Replayed ${file}: ${summary.accepted} accepted, ${summary.rejected} rejected, ${summary.applied} applied, ` +
          `${summary.skipped} skipped, ${summary.deadLettered} dead-lettered` +
          (summary.pending
            ? `, ${summary.pending} still waiting (the org kept failing; run replay again later)`
            : '') +
          '.\n',
      );
      if (summary.deadLettered > 0) io.out.write('See why with: aircall-sfv dead-letters\n');
    }
    return timedOut || summary.pending > 0 ? 1 : 0;
  } finally {
    await close();
  }
}
