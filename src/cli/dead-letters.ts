import { openDrainingConnector, printJson, type CommandContext } from './common';
import { drainUntilDone, progressBar } from './drain';
import { parse, tokensFromEnv } from './flags';
import { printable } from './log';

/** `aircall-sfv dead-letters [--retry]` — events that failed for good, with the Salesforce error. */
export async function deadLetters({ args, io }: CommandContext): Promise<number> {
  const { values } = parse(args, { retry: { type: 'boolean' } });
  const { connector, close } = await openDrainingConnector(values, io, tokensFromEnv(io.env));
  try {
    const letters = await connector.inbox.deadLetters();
    if (!values.retry) {
      if (values.json) printJson(io, { deadLetters: letters });
      else if (letters.length === 0) io.out.write('No dead letters.\n');
      else {
        for (const l of letters) {
          io.out.write(
            `${printable(`#${l.seq}  ${new Date(l.failedAt).toISOString()}  ${l.name}  call ${l.callId ?? '-'}  ${l.errorCode ?? ''}`)}\n    ${printable(l.reason)}\n`,
          );
        }
        io.out.write(
          `${letters.length} dead letter(s). Fix the cause, then run: aircall-sfv dead-letters --retry\n`,
        );
      }
      return 0;
    }
    const requeued = await connector.inbox.requeueDead();
    await drainUntilDone(connector, {
      deadlineMs: 10 * 60_000,
      onProgress: values.json ? undefined : progressBar(io.err, 'Retrying'),
    });
    const still = (await connector.inbox.deadLetters()).length;
    if (values.json) printJson(io, { retried: requeued, stillDead: still });
    else io.out.write(`Retried ${requeued} event(s); ${still} still dead-lettered.\n`);
    return still > 0 ? 1 : 0;
  } finally {
    await close();
  }
}
