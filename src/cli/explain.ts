import { OrgContextLoader } from '../connector/context';
import { requirePackage } from '../salesforce/package';
import {
  buildSearch,
  consumeSearch,
  explain,
  readSearchRecords,
  type CrmCandidate,
  type MatchIndex,
  type SearchedRecord,
} from '../engine';
import { SqliteInbox } from '../inbox/sqlite';
import { isPostgresUrl, openInbox } from '../inbox/open';
import { existsSync } from 'node:fs';
import { commandLogger, inboxPath, openOrg, printJson, type CommandContext } from './common';
import { UsageError, parse, str } from './flags';

/** `aircall-sfv explain --number N [--at TIME] [--country FR] [--direction inbound]` */
export async function explainCommand({ args, io }: CommandContext): Promise<number> {
  const { values } = parse(args, {
    number: { type: 'string' },
    at: { type: 'string' },
    country: { type: 'string' },
    direction: { type: 'string' },
  });
  const number = str(values, 'number');
  if (!number)
    throw new UsageError(
      'Give the caller\'s number: aircall-sfv explain --number "+33 1 23 45 67 89"',
    );
  const at = new Date(str(values, 'at') ?? Date.now());
  if (Number.isNaN(at.getTime()))
    throw new UsageError(`--at must be a date and time such as 2026-11-25T10:30:00+01:00.`);
  const direction = str(values, 'direction') ?? 'inbound';
  if (direction !== 'inbound' && direction !== 'outbound')
    throw new UsageError('--direction is inbound or outbound.');
  const country = str(values, 'country') ?? null;
  const org = await openOrg(values, io);
  try {
    const context = await new OrgContextLoader(org.client, commandLogger(values, io), 60_000, () =>
      requirePackage(org.client, org.namespace),
    ).get();
    const numbers = [{ raw: number, country }];
    const { sosl } = buildSearch(numbers, context.settings);
    const found = sosl ? await org.client.search(sosl) : [];
    const matches: MatchIndex = sosl
      ? consumeSearch(found, numbers, context.settings)
      : new Map<string, CrmCandidate[]>();
    const searched: SearchedRecord[] | undefined = sosl
      ? readSearchRecords(found, numbers, context.settings)
      : undefined;
    // The records the connector created for unknown numbers (a later call reuses them): from the
    // inbox the connectors use, a SQLite file or the PostgreSQL database several of them share.
    const file = inboxPath(values, org, io.env);
    let known;
    if (isPostgresUrl(file) || existsSync(file)) {
      const inbox = isPostgresUrl(file) ? await openInbox(file) : new SqliteInbox(file);
      try {
        known = new Map(
          [...(await inbox.createdRecords())].map(([k, r]) => [
            k,
            { sobject: r.sobject, id: r.id ?? undefined },
          ]),
        );
      } finally {
        await inbox.close();
      }
    }
    const text = explain({
      number,
      at,
      settings: context.settings,
      matches,
      businessHours: context.businessHours,
      country,
      direction,
      known,
      searched,
    });
    if (values.json) printJson(io, { explanation: text });
    else io.out.write(`${text}\n`);
    return 0;
  } finally {
    await org.close();
  }
}
