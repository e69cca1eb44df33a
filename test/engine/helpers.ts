/** Shared test inputs: fixtures parsed through the real parser, a Paris business-hours calendar. */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  DEFAULT_SETTINGS,
  buildBusinessHours,
  callIdOf,
  createdKeyField,
  createdObjectOf,
  parseWebhook,
  planBatch,
  type CallSyncState,
  type Plan,
  type AircallEvent,
  type BatchInput,
  type CallInput,
  type CrmCandidate,
  type Settings,
} from '../../src/engine';
import type { AiEvent, CallEvent, UserEvent } from '../../src/aircall';

export const FIXTURES = join(__dirname, '..', 'fixtures', 'aircall');
export const AGENT_USER_ID = '005000000000001AAA';
export const AGENT_EMAIL = 'camille.martin@example.com';

export function loadRaw(name: string): Record<string, unknown>[] {
  return JSON.parse(readFileSync(join(FIXTURES, name), 'utf8')) as Record<string, unknown>[];
}

export function parseAll(bodies: readonly unknown[]): AircallEvent[] {
  return bodies.map((body) => {
    const result = parseWebhook(body);
    assert.ok(result.ok, `fixture should parse: ${result.ok ? '' : result.error}`);
    return result.event;
  });
}

export function load(name: string): AircallEvent[] {
  return parseAll(loadRaw(name));
}

export function callEventsOf(events: readonly AircallEvent[]): (CallEvent | AiEvent)[] {
  return events.filter((e): e is CallEvent | AiEvent => e.kind === 'call' || e.kind === 'ai');
}

export function userEventsOf(events: readonly AircallEvent[]): UserEvent[] {
  return events.filter((e): e is UserEvent => e.kind === 'user');
}

/** Groups call and AI events by call id, the way the connector hands them to the engine. */
export function callsOf(events: readonly AircallEvent[]): CallInput[] {
  const byCall = new Map<string, (CallEvent | AiEvent)[]>();
  for (const e of callEventsOf(events)) {
    const id = callIdOf(e)!;
    byCall.set(id, [...(byCall.get(id) ?? []), e]);
  }
  return [...byCall].map(([callId, list]) => ({ callId, events: list }));
}

/** Paris office: Monday–Friday 08:00–18:00, closed at weekends; Christmas as a holiday. */
export const PARIS_HOURS_ID = '01m000000000001AAA';
export function parisHours(extra: Record<string, unknown> = {}) {
  const open = { start: '08:00:00.000Z', end: '18:00:00.000Z' };
  const days = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday'];
  const record: Record<string, unknown> = {
    attributes: { type: 'BusinessHours' },
    Id: PARIS_HOURS_ID,
    Name: 'Paris office',
    IsDefault: true,
    IsActive: true,
    TimeZoneSidKey: 'Europe/Paris',
    SaturdayStartTime: null,
    SaturdayEndTime: null,
    SundayStartTime: null,
    SundayEndTime: null,
    ...extra,
  };
  for (const d of days) {
    record[`${d}StartTime`] ??= open.start;
    record[`${d}EndTime`] ??= open.end;
  }
  return buildBusinessHours([record], [{ ActivityDate: '2026-12-25', IsAllDay: true }]);
}

export function settings(over: Partial<Settings> = {}): Settings {
  return {
    ...DEFAULT_SETTINGS,
    matchOrder: [...DEFAULT_SETTINGS.matchOrder],
    extraPhoneFields: { Contact: [], Lead: [], Account: [] },
    ...over,
  };
}

export function batch(calls: CallInput[], over: Partial<BatchInput> = {}): BatchInput {
  return {
    calls,
    userEvents: [],
    settings: settings(),
    statusMappings: [],
    businessHours: parisHours(),
    matches: new Map(),
    users: [{ Id: AGENT_USER_ID, Email: AGENT_EMAIL }],
    known: new Map(),
    callCenterApiName: 'Aircall_Contact_Center',
    now: new Date('2026-09-29T18:00:00Z'),
    ...over,
  };
}

export function candidate(
  over: Partial<CrmCandidate> & Pick<CrmCandidate, 'sobject' | 'id'>,
): CrmCandidate {
  return {
    name: null,
    firstName: null,
    lastName: null,
    accountId: null,
    company: null,
    lastModifiedDate: '2026-01-01T00:00:00.000+0000',
    createdDate: '2025-01-01T00:00:00.000+0000',
    ...over,
  };
}

/** The events of a fixture whose envelope name is in `names` (to replay a call up to some point). */
export function upTo(events: readonly AircallEvent[], names: readonly string[]): AircallEvent[] {
  return events.filter((e) => names.includes(e.event));
}

/**
 * Plans the calls of `events` the way the connector does: carrying the sync state of previous plans
 * and remembering the CRM records its plans created (`known`).
 */
export function planWith(
  events: readonly AircallEvent[],
  over: Partial<BatchInput> = {},
  sync: ReadonlyMap<string, CallSyncState> = new Map(),
) {
  const calls = callsOf(events).map((c) => ({ ...c, sync: sync.get(c.callId) }));
  const plan = planBatch(batch(calls, { userEvents: userEventsOf(events), ...over }));
  const nextSync = new Map(sync);
  for (const s of plan.sync) nextSync.set(s.callId, s.state);
  const known = new Map(over.known ?? []);
  for (const w of plan.writes) {
    const created = createdObjectOf(w);
    const key = created ? w.fields[createdKeyField(created)] : undefined;
    if (created && typeof key === 'string') known.set(key, { sobject: created });
  }
  return { plan, sync: nextSync, known };
}

/**
 * Replays a call's fixture in growing prefixes, as successive live batches would see it: each
 * batch is planned one second after its last event.
 */
export function replayInSteps(
  events: readonly AircallEvent[],
  steps: readonly number[],
  over: Partial<BatchInput> = {},
) {
  let sync = new Map<string, CallSyncState>();
  let known = new Map(over.known ?? []);
  return steps.map((n) => {
    const prefix = events.slice(0, n);
    const now = new Date((Math.max(...prefix.map((e) => e.timestamp)) + 1) * 1000);
    const result = planWith(prefix, { now, ...over, known }, sync);
    sync = result.sync;
    known = result.known;
    return result;
  });
}

export function voiceWrites(plan: Plan) {
  return plan.writes.filter((w) => w.sobject === 'Aircall_Voice__c');
}
