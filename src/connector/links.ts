/**
 * The link sweeper. A VoiceCall created by the Telephony API's PATCH (outbound, missed and invalid
 * calls: POST does not accept them) comes back without its id, and on a real org appears
 * asynchronously. Instead of one query per batch, pending links wait a few seconds in the inbox and
 * are resolved together: one SOQL on VendorCallKey and one collection update for up to 200 calls.
 * Another read can ride in the sweep's first query (a Composite of both): the numbers agents
 * remembered (remembered.ts).
 */
import type { Logger } from 'pino';
import type { SyncStateStore } from '../inbox/inbox';
import { firstError, type SalesforceClient, type SalesforceRecord } from '../salesforce/client';
import { SalesforceError, toSalesforceError } from '../salesforce/errors';

/** After this many sweeps without finding its VoiceCall, a link is given up (and logged). */
const MAX_LINK_ATTEMPTS = 10;
/** Links per SOQL (VendorCallKey IN …) and per collection update. */
const PAGE = 200;
/**
 * Pages per sweep. A sweep used to take one page: 200 links a minute, which a sustained 3.4 calls
 * per second needing a link (outbound, missed) outgrew, and a backlog after an outage drained at
 * that pace. Now a sweep takes up to 2,000, and says when more are due so the next one comes sooner.
 */
const MAX_PAGES = 10;

const soqlString = (value: string) => `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;

/** A read that rides in the sweep's first VoiceCall query (QueryAll: deleted records too). */
export interface SweepRider {
  soql: string;
  /** Whether it is read on its own when the sweep has no VoiceCall to look up. */
  alone: boolean;
  /** Its records, or the org's error. */
  done(answer: SalesforceRecord[] | SalesforceError): Promise<void>;
}

export async function sweepLinks(
  inbox: SyncStateStore,
  client: SalesforceClient,
  logger: Logger,
  now: number,
  retryMs: number,
  rider?: SweepRider,
): Promise<{ linked: number; more: boolean }> {
  let linked = 0;
  let riding = rider;
  for (let page = 0; page < MAX_PAGES; page++) {
    const due = await inbox.pendingLinksDue(now, PAGE);
    if (due.length === 0) {
      if (riding?.alone)
        await riding.done(await client.queryAll(riding.soql).catch(toSalesforceError));
      return { linked, more: false };
    }
    const found = await sweepPage(inbox, client, logger, due, now, retryMs, riding);
    riding = undefined;
    if (found === null) return { linked, more: false };
    linked += found;
    if (due.length < PAGE) return { linked, more: false };
  }
  return { linked, more: true };
}

/** One page of due links: resolved, postponed or given up. Null when the org could not be asked. */
async function sweepPage(
  inbox: SyncStateStore,
  client: SalesforceClient,
  logger: Logger,
  due: { callId: string; aircallVoiceId: string; attempts: number }[],
  now: number,
  retryMs: number,
  rider?: SweepRider,
): Promise<number | null> {
  try {
    const soql = `SELECT Id, VendorCallKey FROM VoiceCall WHERE VendorCallKey IN (${due.map((l) => soqlString(l.callId)).join(',')})`;
    let rows: { Id: string; VendorCallKey: string }[];
    if (rider) {
      const [voiceCalls, read] = await client
        .queryMany([soql, rider.soql], { all: [1] })
        .catch(async (error: unknown) => {
          await rider.done(toSalesforceError(error));
          throw error;
        });
      await rider.done(read!);
      if (voiceCalls instanceof SalesforceError) throw voiceCalls;
      rows = voiceCalls as unknown as typeof rows;
    } else rows = await client.query<{ Id: string; VendorCallKey: string }>(soql);
    const voiceCallByCall = new Map(rows.map((r) => [r.VendorCallKey, r.Id]));
    const ready = due.filter((l) => voiceCallByCall.has(l.callId));
    const found = new Map<string, string>();
    if (ready.length > 0) {
      const results = await client.update(
        ready.map((l) => ({
          attributes: { type: 'Aircall_Voice__c' },
          Id: l.aircallVoiceId,
          Voice_Call__c: voiceCallByCall.get(l.callId)!,
        })),
      );
      results.forEach((result, i) => {
        const link = ready[i]!;
        if (result.success) found.set(link.callId, voiceCallByCall.get(link.callId)!);
        else
          logger.warn(
            `Aircall Voice ${link.aircallVoiceId} not linked to its VoiceCall: ${firstError(result).message}`,
          );
      });
    }
    await inbox.resolveLinks(found);
    const waiting = due.filter((l) => !found.has(l.callId));
    const giveUp = waiting.filter((l) => l.attempts + 1 >= MAX_LINK_ATTEMPTS);
    if (giveUp.length > 0) {
      logger.warn(
        `No VoiceCall appeared for call(s) ${giveUp.map((l) => l.callId).join(', ')}; their Aircall Voice stays unlinked ` +
          '(the VoiceCall, if it appears, still points at its Aircall Voice).',
      );
      await inbox.dropLinks(giveUp.map((l) => l.callId));
    }
    const retry = waiting.filter((l) => l.attempts + 1 < MAX_LINK_ATTEMPTS).map((l) => l.callId);
    if (retry.length > 0) await inbox.postponeLinks(retry, now + retryMs);
    return found.size;
  } catch (error) {
    const e = toSalesforceError(error);
    logger.warn(`Linking Aircall Voice records to VoiceCalls postponed: ${e.message}`);
    await inbox.postponeLinks(
      due.map((l) => l.callId),
      now + retryMs,
      false,
    );
    return null;
  }
}

/**
 * The VoiceCalls of these VendorCallKeys (one SOQL per 200 keys): key → VoiceCall id. Used before
 * POSTing a VoiceCall whose earlier POST may have created it (unit-of-work.ts).
 */
export async function findVoiceCalls(
  client: SalesforceClient,
  keys: readonly string[],
): Promise<Map<string, string>> {
  const found = new Map<string, string>();
  for (let i = 0; i < keys.length; i += 200) {
    const part = keys.slice(i, i + 200);
    const rows = await client.query<{ Id: string; VendorCallKey: string }>(
      `SELECT Id, VendorCallKey FROM VoiceCall WHERE VendorCallKey IN (${part.map(soqlString).join(',')})`,
    );
    // VendorCallKey comparisons in SOQL ignore case; the keys are compared exactly here.
    for (const row of rows)
      if (part.includes(row.VendorCallKey)) found.set(row.VendorCallKey, row.Id);
  }
  return found;
}
