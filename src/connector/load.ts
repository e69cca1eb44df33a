/**
 * Load: the first stage of a worker batch (load → plan → apply → settle). It claims the inbox's due
 * events and the calls to revisit, parses each due event once (an event the webhook schema no
 * longer accepts is dead-lettered here, alone), and sorts them into call events and the rest.
 */
import type { Logger } from 'pino';
import type { AircallEvent, UserEvent } from '../aircall';
import { parseWebhook } from '../engine';
import { ErrorCode, TASK_EVENT } from '../errors/catalogue';
import type { Inbox, StoredEvent } from '../inbox/inbox';
import type { ConnectorMetrics } from './metrics';
import type { LoadedBatch } from './settle';

export interface LoadDeps {
  inbox: Pick<Inbox, 'claimDue' | 'deadLetter'>;
  metrics: ConnectorMetrics;
  logger: Logger;
}

/** A stored event's body as an Aircall event, or null when the webhook schema refuses it. */
export function parseStored(stored: StoredEvent): AircallEvent | null {
  const parsed = parseWebhook(stored.body);
  return parsed.ok ? parsed.event : null;
}

/** The due events and the calls to revisit, sorted into call events and the rest. */
export async function loadBatch(
  deps: LoadDeps,
  now: number,
  batchEvents: number,
): Promise<LoadedBatch> {
  const claimed = await deps.inbox.claimDue(now, batchEvents);
  const { replan } = claimed;
  const parsed = new Map<number, AircallEvent>();
  // An event of a call that the webhook schema no longer accepts (stored by an older version,
  // before a check such as the 4000-12-31 limit on times existed) is dead-lettered with the
  // reason, alone: it never reaches the engine, and its call's other events are applied.
  const invalid = new Map<string, number[]>();
  const due = claimed.events.filter((stored) => {
    if (stored.callId !== null && stored.name === TASK_EVENT) return true;
    const result = parseWebhook(stored.body);
    if (result.ok) {
      parsed.set(stored.seq, result.event);
      return true;
    }
    if (stored.callId === null) return true; // of no call: skipped below, not dead-lettered
    invalid.set(result.error, [...(invalid.get(result.error) ?? []), stored.seq]);
    return false;
  });
  for (const [reason, seqs] of invalid) {
    const message = `Event no longer valid: ${reason}`;
    await deps.inbox.deadLetter(seqs, message, ErrorCode.INVALID_EVENT, now);
    deps.metrics.errors.inc({ kind: 'permanent' });
    deps.metrics.applied.inc({ outcome: 'dead_lettered' }, seqs.length);
    deps.logger.error(`Dead-lettered ${seqs.length} event(s): ${message}`);
  }
  const callIds = [
    ...new Set([...due.map((e) => e.callId).filter((id): id is string => id !== null), ...replan]),
  ];
  const userEvents: UserEvent[] = [];
  const unusedSeqs: number[] = [];
  const userSeqs: number[] = [];
  for (const stored of due) {
    if (stored.callId !== null) continue;
    const event = parsed.get(stored.seq);
    if (event?.kind === 'user') {
      userEvents.push(event);
      userSeqs.push(stored.seq);
    } else unusedSeqs.push(stored.seq);
  }
  return { due, replan, callIds, userEvents, userSeqs, unusedSeqs, parsed };
}

/**
 * A batch in two halves by call (the events that belong to no call go with the first), or null
 * when it holds a single call or only events of no call.
 */
export function splitBatch(batch: LoadedBatch): [LoadedBatch, LoadedBatch] | null {
  if (
    batch.callIds.length < 2 &&
    (batch.callIds.length === 0 || batch.due.every((e) => e.callId !== null))
  ) {
    return null;
  }
  const middle = Math.ceil(batch.callIds.length / 2);
  const parts =
    batch.callIds.length < 2
      ? [[], batch.callIds]
      : [batch.callIds.slice(0, middle), batch.callIds.slice(middle)];
  const [first, second] = parts.map((ids, i): LoadedBatch => {
    const calls = new Set(ids);
    const withoutCall = i === 0;
    return {
      due: batch.due.filter((e) => (e.callId === null ? withoutCall : calls.has(e.callId))),
      replan: batch.replan.filter((id) => calls.has(id)),
      callIds: [...ids],
      userEvents: withoutCall ? batch.userEvents : [],
      userSeqs: withoutCall ? batch.userSeqs : [],
      unusedSeqs: withoutCall ? batch.unusedSeqs : [],
      ...(batch.parsed ? { parsed: batch.parsed } : {}),
    };
  }) as [LoadedBatch, LoadedBatch];
  return [first, second];
}
