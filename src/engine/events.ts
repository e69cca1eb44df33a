import { createHash } from 'node:crypto';
import type { z } from 'zod';
import {
  AI_EVENTS,
  CALL_EVENTS,
  USER_EVENTS,
  aircallAiSchema,
  aircallCallSchema,
  aircallUserSchema,
  envelopeSchema,
  type AiEventName,
  type AircallEvent,
  type CallEventName,
  type UserEventName,
} from '../aircall/schemas';

export type ParseResult = { ok: true; event: AircallEvent } | { ok: false; error: string };

const callEvents = new Set<string>(CALL_EVENTS);
const userEvents = new Set<string>(USER_EVENTS);
const aiEvents = new Set<string>(AI_EVENTS);

function describe(error: z.ZodError, prefix: string): string {
  return error.issues
    .map((issue) => {
      const path = [prefix, ...issue.path.map(String)].filter((p) => p !== '').join('.');
      return `${path || '(body)'}: ${issue.message}`;
    })
    .join('; ');
}

/**
 * Validates a webhook body. Unknown event names are accepted as generic events (Aircall adds
 * events; rejecting one would make Aircall retry it for 12 hours and then disable the webhook),
 * but a known event with an invalid `data` is rejected with the field path and the problem.
 */
export function parseWebhook(body: unknown): ParseResult {
  const envelope = envelopeSchema.safeParse(body);
  if (!envelope.success) return { ok: false, error: describe(envelope.error, '') };
  const raw = envelope.data;
  const base = { resource: raw.resource, timestamp: raw.timestamp, token: raw.token, raw };
  const name = raw.event;
  if (callEvents.has(name)) {
    const data = aircallCallSchema.safeParse(raw.data);
    if (!data.success) return { ok: false, error: describe(data.error, 'data') };
    return {
      ok: true,
      event: { ...base, kind: 'call', event: name as CallEventName, data: data.data },
    };
  }
  if (userEvents.has(name)) {
    const data = aircallUserSchema.safeParse(raw.data);
    if (!data.success) return { ok: false, error: describe(data.error, 'data') };
    return {
      ok: true,
      event: { ...base, kind: 'user', event: name as UserEventName, data: data.data },
    };
  }
  if (aiEvents.has(name)) {
    const data = aircallAiSchema.safeParse(raw.data);
    if (!data.success) return { ok: false, error: describe(data.error, 'data') };
    return {
      ok: true,
      event: { ...base, kind: 'ai', event: name as AiEventName, data: data.data },
    };
  }
  return { ok: true, event: { ...base, kind: 'generic', event: name, data: raw.data } };
}

/** JSON with object keys sorted, so equal data hashes equally whatever the key order (an inbox on
 * PostgreSQL jsonb, for one, does not keep the order Aircall sent). */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) {
    let out = '[';
    for (let i = 0; i < value.length; i++) out += (i ? ',' : '') + canonicalJson(value[i]);
    return `${out}]`;
  }
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record).sort();
  let out = '{';
  let first = true;
  for (const key of keys) {
    const v = record[key];
    if (v === undefined) continue;
    out += `${first ? '' : ','}${JSON.stringify(key)}:${canonicalJson(v)}`;
    first = false;
  }
  return `${out}}`;
}

export function shortHash(value: unknown): string {
  return createHash('sha256').update(canonicalJson(value)).digest('hex').slice(0, 16);
}

/** Parsed events are immutable, so the hash of their data is computed once per event object. */
const dataHashes = new WeakMap<object, string>();

/** Hash of an event's `data` (canonical JSON, so key order does not matter). */
export function dataHashOf(event: AircallEvent): string {
  const data = event.raw;
  let hash = dataHashes.get(data);
  if (hash === undefined) {
    hash = shortHash(event.raw.data);
    dataHashes.set(data, hash);
  }
  return hash;
}

/** The Aircall call id an event belongs to, or null (user.* and unknown events). */
export function callIdOf(event: AircallEvent): string | null {
  switch (event.kind) {
    case 'call':
      return String(event.data.id);
    case 'ai':
      return String(
        event.data.call_id ?? event.data.call?.id ?? event.data.transcription?.call_id ?? '',
      );
    case 'user':
      return null;
    case 'generic': {
      const data = event.data as { call_id?: unknown; id?: unknown } | null;
      if (data && typeof data === 'object') {
        if (typeof data.call_id === 'number' || typeof data.call_id === 'string')
          return String(data.call_id);
        if (
          event.resource === 'call' &&
          (typeof data.id === 'number' || typeof data.id === 'string')
        )
          return String(data.id);
      }
      return null;
    }
  }
}

/**
 * Dedupe key: Aircall delivers at least once, so the same envelope can arrive many times. The
 * token is left out on purpose: a rotated token must not turn a redelivery into a new event.
 */
export function eventKey(event: AircallEvent): string {
  const subject =
    callIdOf(event) ??
    (event.kind === 'user' ? `user:${String(event.data.id)}` : event.resource || 'unknown');
  return `${event.event}:${subject}:${event.timestamp}:${dataHashOf(event)}`;
}
