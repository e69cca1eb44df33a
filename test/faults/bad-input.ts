/**
 * The bad-input run: generated hostile webhook requests (malformed JSON, wrong types, missing
 * fields, huge and deep bodies, wrong or missing tokens, extreme numbers and dates, control
 * characters, SOQL/SOSL injection strings in numbers and names, over-long values) POSTed over HTTP
 * to the connector's webhook server, `perGroup` (4) beside each innocent simulated call. The
 * requests of `groupsPerBatch` (25) innocent calls are sent `inFlight` (8) at a time, then applied
 * as ONE worker batch against the local org: every batch holds innocent calls and the accepted
 * hostile events side by side (checked: the batch took every event its requests stored).
 *
 * Checked for every request: a refused one gets a 4xx whose body says in a sentence what is
 * wrong; a request that must be refused (not JSON, no token, a required field missing…) is
 * refused; the server keeps answering. Checked for every batch: the inbox holds exactly the events
 * the 200 answers said they stored (a refused request that wrote anything is a row too many), and
 * every innocent event was applied by that batch, not retried or dead-lettered beside the hostile
 * ones. At the end: every innocent call is logged exactly as the simulator says (ground truth),
 * nothing accepted stays pending (each accepted hostile event is applied or dead-lettered with a
 * reason), the server answers /healthz, and the webhook token never reached the logs.
 */
import { Writable } from 'node:stream';
import pino from 'pino';
import { startConnector, type Connector } from '../../src/connector/connector';
import { prng } from '../../dev/local-org/faults';
import { startLocalOrg } from '../../dev/local-org/server';
import { resolveOrg } from '../../src/salesforce/org';
import { localOrgResolver } from '../../src/cli/local-org-resolver';
import { PACKAGE_METADATA_DIR, SAMPLE_SEED_FILE } from '../../dev/local-org/paths';
import { generateCalls, type SimulatedCall, type WebhookEnvelope } from '../../dev/simulator';
import { compareWithGroundTruth, type Difference } from './ground-truth';

export const BAD_INPUT_TOKEN = 'bad-input-token-7f3a';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Envelope = { [key: string]: Json };

interface Hostile {
  kind: string;
  /** The raw body sent. */
  body: string;
  contentType?: string | null;
  /** Whether the server must refuse it (otherwise either answer is allowed, as long as it is right). */
  mustRefuse: boolean;
}

export interface BadInputOptions {
  requests: number;
  seed: number;
  /** Hostile requests per innocent call. */
  perGroup: number;
  /**
   * Innocent calls (each with its `perGroup` hostile requests) per worker batch: all of them are
   * sent, then applied as one batch (default 25, about 100 hostile requests beside 25 innocent
   * calls; 1 = a batch per innocent call).
   */
  groupsPerBatch?: number;
  /** Requests in flight at once (default 8). */
  inFlight?: number;
  log: (line: string) => void;
}

export interface BadInputReport {
  requests: number;
  groups: number;
  /** Worker batches, each holding every event its innocent calls and hostile requests stored. */
  batches: number;
  seconds: number;
  refused: number;
  accepted: number;
  byKind: Map<string, { sent: number; refused: number; accepted: number }>;
  byStatus: Map<number, number>;
  /** Requests answered wrongly (a 5xx, a 4xx without a sentence, a must-refuse accepted…). */
  problems: { kind: string; status: number; body: string }[];
  /** Rejected requests that changed the inbox. */
  storedWhenRefused: number;
  innocentCalls: number;
  /** Innocent events left pending or dead-lettered by the batch that held them (retried). */
  innocentNotAppliedInBatch: number;
  innocentWrong: Difference[];
  innocentLost: string[];
  deadLetters: { reason: string; events: number }[];
  pendingAfter: number;
  tokenInLogs: boolean;
  ok: boolean;
}

const SOQL_INJECTIONS = [
  "' OR Name LIKE '%",
  "1' OR '1'='1",
  "\\' OR Id != null --",
  '} RETURNING User(Id, Email) FIND {*',
  '"} IN ALL FIELDS RETURNING Contact(Id)',
  '* OR ?',
  "'); DELETE FROM Lead; --",
  'AND NOT Id = null',
  '%_%',
  '\\\\\\\\',
];
const CONTROL = [
  '\r\nforged log line: level=error',
  '\u0000',
  '\u001b[31mred\u001b[0m',
  '\u0007\u0008\u000b\u000c',
  '\u2028\u2029',
  '\ud800',
];

export async function runBadInput(input: BadInputOptions): Promise<BadInputReport> {
  const options = { groupsPerBatch: 25, inFlight: 8, ...input };
  const started = performance.now();
  const random = prng(options.seed);
  const int = (min: number, max: number) => min + Math.floor(random() * (max - min + 1));
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const groups = Math.ceil(options.requests / options.perGroup);
  const innocent = generateCalls({
    count: groups,
    seed: options.seed + 1,
    token: BAD_INPUT_TOKEN,
    userEvents: false,
  });
  const base = generateCalls({
    count: Math.max(50, Math.ceil(groups / 4)),
    seed: options.seed + 2,
    token: BAD_INPUT_TOKEN,
    userEvents: false,
  });
  const innocentEvents = new Map<number, WebhookEnvelope[]>();
  for (const e of innocent.envelopes) {
    // A call event's call is its data.id; an AI event has an id of its own and names its call
    // in data.call_id (keying it by data.id left every AI event of the innocent calls unsent,
    // which the comparison reported as "AI_Summary__c: expected a summary, got null").
    const data = e.data as { id?: unknown; call_id?: unknown };
    const id = Number(e.resource === 'call' ? data.id : (data.call_id ?? data.id));
    innocentEvents.set(id, [...(innocentEvents.get(id) ?? []), e]);
  }
  const callEvents = base.envelopes.filter((e) => e.resource === 'call');
  const aiEvents = base.envelopes.filter((e) => e.resource !== 'call' && e.resource !== 'user');
  let hostileSeq = 0;

  /** A fresh copy of a real event, moved to a call id of its own so hostile calls do not mix. */
  const realEvent = (from = callEvents): Envelope => {
    const e = structuredClone(pick(from)) as unknown as Envelope;
    const data = e.data as Record<string, Json>;
    const id = 3_000_000_000 + options.seed * 1_000_000 + ++hostileSeq;
    if (e.resource === 'call') data.id = id;
    else data.call_id = id;
    return e;
  };
  const callData = (e: Envelope) => e.data as Record<string, Json>;
  const json = (e: unknown) => JSON.stringify(e);
  const long = (n: number) => 'x'.repeat(n);
  const deep = (depth: number) => {
    let s = '1';
    for (let i = 0; i < depth; i++) s = random() < 0.5 ? `[${s}]` : `{"a":${s}}`;
    return s;
  };

  const makers: ((innocentCall: SimulatedCall) => Hostile)[] = [
    // Not JSON at all, or JSON that is not an object.
    () => {
      const text = json(realEvent());
      const cut = text.slice(0, int(1, text.length - 2));
      return {
        kind: 'malformed JSON',
        body: pick([
          cut,
          `${text}}`,
          text.replace(/"/g, "'"),
          '{',
          '',
          'NaN',
          '{"a":1,}',
          text.replace(':', '::'),
        ]),
        mustRefuse: true,
      };
    },
    () => ({
      kind: 'not an object',
      body: pick(['[]', '"text"', '42', 'null', 'true', json([realEvent()])]),
      mustRefuse: true,
    }),
    () => ({
      kind: 'wrong content type',
      body: json(realEvent()),
      contentType: pick(['text/plain', 'application/x-www-form-urlencoded', null]),
      mustRefuse: true,
    }),
    // Tokens.
    () => {
      const e = realEvent();
      const token = pick<Json | undefined>([
        undefined,
        '',
        'wrong-token',
        BAD_INPUT_TOKEN.toUpperCase(),
        `${BAD_INPUT_TOKEN} `,
        42,
        [BAD_INPUT_TOKEN],
        { token: BAD_INPUT_TOKEN },
        null,
        long(100_000),
        `${BAD_INPUT_TOKEN}\u0000`,
      ]);
      if (token === undefined) delete e.token;
      else e.token = token;
      return { kind: 'wrong or missing token', body: json(e), mustRefuse: true };
    },
    // Missing required fields.
    () => {
      const e = realEvent();
      const field = pick([
        'event',
        'data',
        'data.id',
        'data.direction',
        'data.status',
        'data.started_at',
        'resource',
      ]);
      if (field.startsWith('data.')) delete callData(e)[field.slice(5)];
      else delete e[field];
      return { kind: `missing ${field}`, body: json(e), mustRefuse: field !== 'resource' };
    },
    // Wrong types.
    () => {
      const e = realEvent();
      const [field, value] = pick<[string, Json]>([
        ['id', { nested: 1 }],
        ['id', ''],
        ['id', 1.5],
        ['direction', 1],
        ['direction', 'sideways'],
        ['status', ['done']],
        ['started_at', '2026-01-05T08:00:00Z'],
        ['started_at', -5],
        ['started_at', 1.25],
        ['answered_at', 'yesterday'],
        ['ended_at', true],
        ['raw_digits', 33612345678],
        ['user', 'camille'],
        ['tags', 'VIP'],
        ['tags', [{ nope: 1 }]],
        ['comments', { content: 'x' }],
        ['number', 7],
        ['contact', []],
      ]);
      callData(e)[field] = value;
      return { kind: `wrong type: data.${field}`, body: json(e), mustRefuse: true };
    },
    () => {
      const e = realEvent();
      e[pick(['event', 'data', 'timestamp'])] = pick<Json>([42, 'x', [], null]);
      return { kind: 'wrong type: envelope', body: json(e), mustRefuse: false };
    },
    () => {
      const e = realEvent();
      e.event = pick(['call.exploded', 'CALL.CREATED', '', 'call.created\n', long(5000)]);
      return { kind: 'unknown event', body: json(e), mustRefuse: false };
    },
    // Huge and deep bodies.
    () => ({
      kind: 'huge body (over 1 MB)',
      body: json({ ...realEvent(), padding: long(1024 * 1024 + int(1, 5000)) }),
      mustRefuse: true,
    }),
    () => {
      const e = realEvent();
      return {
        kind: 'deep body',
        body: json(e).replace(/}$/, `,"deep":${deep(int(2000, 20000))}}`),
        mustRefuse: false,
      };
    },
    () => {
      const e = realEvent();
      callData(e).comments = Array.from({ length: int(500, 3000) }, (_, i) => ({
        id: i,
        content: `comment ${i}`,
      }));
      return { kind: 'many comments', body: json(e), mustRefuse: false };
    },
    // Extreme numbers and dates.
    () => {
      const e = realEvent();
      const d = callData(e);
      const field = pick(['started_at', 'answered_at', 'ended_at']);
      d[field] = pick([8.64e12, 8.64e15, 2 ** 53 - 1, 1e20, 1e308, 0, 253402300800, 4102444800]);
      return { kind: `extreme date: ${field}`, body: json(e), mustRefuse: false };
    },
    () => {
      const e = realEvent();
      const d = callData(e);
      if (typeof d.started_at === 'number') {
        d.ended_at = d.started_at - int(1, 100_000);
        d.answered_at = d.started_at - int(1, 50);
      }
      return { kind: 'dates out of order', body: json(e), mustRefuse: false };
    },
    () => {
      const e = realEvent();
      const raw = json(e).replace(
        /"id":\d+/,
        `"id":${pick(['9223372036854775807', '1e400', '-1', '0', '123456789012345678901234567890'])}`,
      );
      return { kind: 'extreme id', body: raw, mustRefuse: false };
    },
    () => {
      const e = realEvent();
      callData(e).duration = pick([-1, 1e308, 2 ** 63]);
      return { kind: 'extreme duration', body: json(e), mustRefuse: false };
    },
    // Control characters in strings (log injection, storage).
    () => {
      const e = realEvent();
      const d = callData(e);
      const where = pick([
        'user.name',
        'user.email',
        'contact.last_name',
        'comments',
        'tags',
        'raw_digits',
        'missed_call_reason',
      ]);
      const evil = `${pick(['Camille', 'Bob', ''])}${pick(CONTROL)}${pick(CONTROL)}`;
      setPath(d, where, evil);
      return { kind: `control characters: ${where}`, body: json(e), mustRefuse: false };
    },
    // SOQL/SOSL injection in numbers and names.
    () => {
      const e = realEvent();
      const d = callData(e);
      const where = pick([
        'raw_digits',
        'number.digits',
        'number.country',
        'user.email',
        'user.name',
        'contact.last_name',
        'contact.company_name',
        'id',
      ]);
      const value =
        where === 'raw_digits'
          ? `+33 6 12 34 56 78${pick(SOQL_INJECTIONS)}`
          : pick(SOQL_INJECTIONS);
      setPath(d, where, value);
      return { kind: `injection: ${where}`, body: json(e), mustRefuse: false };
    },
    () => {
      const e = realEvent(aiEvents.length > 0 ? aiEvents : callEvents);
      const d = callData(e);
      if (e.resource !== 'call') d.call_id = pick([...SOQL_INJECTIONS, long(300)]);
      return { kind: 'injection: AI call_id', body: json(e), mustRefuse: false };
    },
    // Over-long values; the contact ones on the innocent call's own number, so a Lead that cannot
    // be created for the hostile call would hurt the innocent one.
    (innocentCall) => {
      const e = realEvent();
      const d = callData(e);
      const [where, length] = pick<[string, number]>([
        ['contact.last_name', int(81, 5000)],
        ['contact.first_name', int(41, 5000)],
        ['contact.company_name', int(256, 5000)],
        ['user.name', int(256, 5000)],
        ['tags', int(256, 50_000)],
        ['comments', int(32_769, 200_000)],
        ['number.name', int(256, 5000)],
        ['direct_link', int(256, 5000)],
        ['asset', int(256, 5000)],
        ['missed_call_reason', int(256, 5000)],
      ]);
      setPath(d, where, long(length));
      if (where.startsWith('contact.')) {
        // The innocent caller on the innocent call's line: matched exactly as the innocent call.
        const line = (innocentEvents.get(innocentCall.id)?.[0]?.data as { number?: unknown })
          ?.number;
        d.raw_digits = innocentCall.customerNumber;
        d.direction = innocentCall.direction;
        if (line !== undefined) d.number = structuredClone(line) as Json;
      }
      return { kind: `over-long: ${where}`, body: json(e), mustRefuse: false };
    },
    () => {
      const e = realEvent();
      callData(e).raw_digits = pick([
        `+33${'6'.repeat(int(20, 300))}`,
        long(300),
        '+',
        '00',
        '+33 6 12 34 56 78'.repeat(30),
      ]);
      return { kind: 'over-long: raw_digits', body: json(e), mustRefuse: false };
    },
  ];

  // The org and a connector whose worker this run drives itself: one batch per group.
  const org = await startLocalOrg({
    metadataDir: PACKAGE_METADATA_DIR,
    seedFile: SAMPLE_SEED_FILE,
  });
  const target = await resolveOrg({
    env: { SF_INSTANCE_URL: org.instanceUrl, SF_ACCESS_TOKEN: org.accessToken },
    // The local org's Telephony API settings, which it publishes itself.
    defaultOrg: localOrgResolver(),
  });
  const logs = new LogCapture(BAD_INPUT_TOKEN);
  let connector: Connector | null = null;
  const report: BadInputReport = {
    requests: 0,
    groups,
    batches: 0,
    seconds: 0,
    refused: 0,
    accepted: 0,
    byKind: new Map(),
    byStatus: new Map(),
    problems: [],
    storedWhenRefused: 0,
    innocentCalls: groups,
    innocentNotAppliedInBatch: 0,
    innocentWrong: [],
    innocentLost: [],
    deadLetters: [],
    pendingAfter: 0,
    tokenInLogs: false,
    ok: false,
  };
  try {
    connector = await startConnector({
      org: target,
      logger: pino({ level: 'debug' }, logs),
      inboxFile: ':memory:',
      tokens: [BAD_INPUT_TOKEN],
      port: 0,
      runWorker: false,
      worker: {
        windowMs: 0,
        backoffBaseMs: 20,
        backoffMaxMs: 200,
        linkDelayMs: 0,
        linkRetryMs: 20,
        linkSweepEveryMs: 0,
      },
    });
    const url = `${connector.url}/webhooks/aircall`;
    const post = async (body: string, contentType: string | null = 'application/json') => {
      const response = await fetch(url, {
        method: 'POST',
        headers: contentType ? { 'content-type': contentType } : {},
        body,
      });
      return { status: response.status, text: await response.text() };
    };
    /** Events the inbox holds, whatever their state (the worker changes states, never adds rows). */
    const stored = async () => {
      const c = await connector!.inbox.counts();
      return c.pending + c.done + c.skipped + c.dead;
    };
    /** 200 answers that stored a new event: what the inbox must hold, and nothing more. */
    let storedByAnswers = 0;
    const storedKey = (text: string): string | null => {
      try {
        const body = JSON.parse(text) as { status?: unknown; key?: unknown };
        return body.status === 'accepted' && typeof body.key === 'string' ? body.key : null;
      } catch {
        return null;
      }
    };

    for (let first = 0; first < groups; first += options.groupsPerBatch) {
      const wave = innocent.calls.slice(first, first + options.groupsPerBatch);
      type Request = { hostile: Hostile | null; body: string; contentType: string | null };
      const requests: Request[] = [];
      for (const call of wave) {
        for (const e of innocentEvents.get(call.id) ?? [])
          requests.push({
            hostile: null,
            body: JSON.stringify(e),
            contentType: 'application/json',
          });
        for (let i = 0; i < options.perGroup && report.requests < options.requests; i++) {
          const hostile = pick(makers)(call);
          report.requests++;
          requests.push({
            hostile,
            body: hostile.body,
            contentType:
              hostile.contentType === undefined ? 'application/json' : hostile.contentType,
          });
        }
      }
      const innocentKeys: string[] = [];
      const refusedKinds = new Set<string>();
      const storedBefore = storedByAnswers;
      // The wave's requests, innocent and hostile, `inFlight` at a time on the one server.
      let next = 0;
      const sender = async () => {
        while (next < requests.length) {
          const request = requests[next++]!;
          const answer = await post(request.body, request.contentType);
          const key = answer.status === 200 ? storedKey(answer.text) : null;
          if (key !== null) storedByAnswers++;
          const hostile = request.hostile;
          if (hostile === null) {
            if (answer.status !== 200)
              report.problems.push({
                kind: 'innocent event refused',
                status: answer.status,
                body: answer.text,
              });
            else if (key !== null) innocentKeys.push(key);
            continue;
          }
          report.byStatus.set(answer.status, (report.byStatus.get(answer.status) ?? 0) + 1);
          const kind = report.byKind.get(hostile.kind) ?? { sent: 0, refused: 0, accepted: 0 };
          kind.sent++;
          report.byKind.set(hostile.kind, kind);
          const problem = (why: string) =>
            report.problems.push({
              kind: `${hostile.kind}: ${why}`,
              status: answer.status,
              body: answer.text.slice(0, 300),
            });
          if (answer.status === 200) {
            report.accepted++;
            kind.accepted++;
            if (hostile.mustRefuse) problem('accepted but must be refused');
          } else if (answer.status >= 400 && answer.status < 500) {
            report.refused++;
            kind.refused++;
            refusedKinds.add(hostile.kind);
            if (!isSentence(answer.text)) problem('refused without a sentence');
          } else problem('neither 200 nor 4xx');
        }
      };
      await Promise.all(Array.from({ length: options.inFlight }, sender));
      // Nothing stored but what a 200 said it stored: a refused request that wrote an event (or a
      // 200 "duplicate" that did) shows as a row too many.
      const extra = (await stored()) - storedByAnswers;
      if (extra !== 0) {
        report.storedWhenRefused += Math.max(0, extra);
        report.problems.push({
          kind: `inbox holds ${extra} event(s) more than the 200 answers stored (refused in that batch: ${[...refusedKinds].join(', ')})`,
          status: 0,
          body: '',
        });
        storedByAnswers += extra;
      }
      const waveStored = storedByAnswers - storedBefore;
      // The wave's events, hostile and innocent, in ONE batch: the worker takes every due event up
      // to batchEvents (1,000), more than a wave holds.
      const outcome = await connector.worker.drainOnce();
      report.batches++;
      if (outcome.events < waveStored)
        report.problems.push({
          kind: `a batch held ${outcome.events} events, not the ${waveStored} its requests stored`,
          status: 0,
          body: '',
        });
      // The innocent calls were applied by that batch, beside the hostile events: none retried.
      const states = await connector.inbox.statusOf(innocentKeys);
      const notApplied = innocentKeys.filter(
        (k) => states.get(k) === 'pending' || states.get(k) === 'dead',
      );
      report.innocentNotAppliedInBatch += notApplied.length;
      if (report.batches % 10 === 0 || first + options.groupsPerBatch >= groups)
        options.log(
          `  ${Math.min(first + options.groupsPerBatch, groups)}/${groups} innocent calls, ${report.requests} hostile requests, ${((performance.now() - started) / 1000).toFixed(0)} s`,
        );
    }
    // Anything retried (a transient failure) gets its next chances; nothing may stay pending.
    for (
      let i = 0;
      i < 50 &&
      (await connector.inbox.counts()).pending + (await connector.inbox.pendingLinkCount()) > 0;
      i++
    ) {
      const due = await connector.inbox.nextDueAt();
      if (due !== null && due > Date.now())
        await new Promise((r) => setTimeout(r, due - Date.now()));
      await connector.worker.drainOnce();
    }
    report.pendingAfter = (await connector.inbox.counts()).pending;
    const health = await fetch(`${connector.url}/healthz`);
    if (health.status !== 200)
      report.problems.push({ kind: 'health after the run', status: health.status, body: '' });

    const byReason = new Map<string, number>();
    for (const d of await connector.inbox.deadLetters()) {
      const reason = `${d.errorCode ?? 'ERROR'}: ${d.reason.slice(0, 200)}`;
      byReason.set(reason, (byReason.get(reason) ?? 0) + 1);
    }
    report.deadLetters = [...byReason].map(([reason, events]) => ({ reason, events }));
    const comparison = await compareWithGroundTruth(
      { instanceUrl: org.instanceUrl, accessToken: org.accessToken, apiVersion: org.apiVersion },
      innocent.calls,
    );
    report.innocentWrong = comparison.wrong;
    report.innocentLost = [
      ...comparison.lostVoices,
      ...comparison.lostVoiceCalls,
      ...comparison.duplicatedVoices,
      ...comparison.duplicatedVoiceCalls,
    ];
    report.tokenInLogs = logs.found;
  } finally {
    await connector?.close();
    await target.close();
    await org.close();
  }
  report.seconds = (performance.now() - started) / 1000;
  report.ok =
    report.problems.length === 0 &&
    report.storedWhenRefused === 0 &&
    report.innocentWrong.length === 0 &&
    report.innocentLost.length === 0 &&
    report.pendingAfter === 0 &&
    report.innocentNotAppliedInBatch === 0 &&
    !report.tokenInLogs &&
    report.requests >= options.requests;
  return report;
}

/** A 4xx body that tells the sender what is wrong: `{"error": "<a sentence>"}`. */
function isSentence(text: string): boolean {
  try {
    const body = JSON.parse(text) as { error?: unknown; message?: unknown };
    const message = body.error ?? body.message;
    return (
      typeof message === 'string' &&
      /^[A-Z][^\n]*[a-z][^\n]*$/.test(message) &&
      message.split(/\s+/).length >= 4
    );
  } catch {
    return false;
  }
}

function setPath(target: Record<string, Json>, where: string, value: string): void {
  if (where === 'tags') {
    target.tags = [{ id: 1, name: value }];
    return;
  }
  if (where === 'comments') {
    target.comments = [{ id: 1, content: value }];
    return;
  }
  const [head, tail] = where.split('.') as [string, string | undefined];
  if (tail === undefined) {
    target[head] = value;
    return;
  }
  const child = target[head];
  const object =
    child && typeof child === 'object' && !Array.isArray(child)
      ? child
      : ({} as Record<string, Json>);
  object[tail] = value;
  target[head] = object;
}

/** The connector's log lines, kept only as far as needed: whether any contains `secret`. */
class LogCapture extends Writable {
  found = false;
  constructor(private readonly secret: string) {
    super();
  }
  override _write(chunk: Buffer, _encoding: string, callback: () => void): void {
    // pino writes each line whole, so a line's token cannot be split between two chunks.
    if (!this.found && chunk.toString().includes(this.secret)) this.found = true;
    callback();
  }
}

export function printBadInput(r: BadInputReport, out: (line: string) => void): void {
  out(
    `Bad input: ${r.requests} hostile requests beside ${r.innocentCalls} innocent calls (${(r.requests / Math.max(1, r.innocentCalls)).toFixed(0)} each) in ${r.batches} worker batches, ${r.seconds.toFixed(0)} s (${(r.requests / Math.max(r.seconds, 0.001)).toFixed(1)} requests/s)`,
  );
  out(
    `  answers: ${[...r.byStatus]
      .sort((a, b) => a[0] - b[0])
      .map(([s, n]) => `${s} × ${n}`)
      .join(', ')} (refused ${r.refused}, accepted ${r.accepted})`,
  );
  for (const [kind, k] of [...r.byKind].sort((a, b) => a[0].localeCompare(b[0])))
    out(
      `    ${kind.padEnd(36)} sent ${String(k.sent).padStart(5)}, refused ${String(k.refused).padStart(5)}, accepted ${String(k.accepted).padStart(5)}`,
    );
  out(`  wrong answers            ${r.problems.length}`);
  const seen = new Set<string>();
  for (const p of r.problems.filter((x) => !seen.has(x.kind) && seen.add(x.kind)).slice(0, 10))
    out(`    ${p.kind} → ${p.status} ${p.body}`);
  out(`  stored although refused  ${r.storedWhenRefused}`);
  out(
    `  innocent calls           ${r.innocentCalls}, lost or duplicated ${r.innocentLost.length}, wrong fields ${r.innocentWrong.length}`,
  );
  const shown = new Set<string>();
  for (const w of r.innocentWrong.filter((x) => !shown.has(x.field) && shown.add(x.field)))
    out(
      `    call ${w.callId} ${w.field}: expected ${JSON.stringify(w.expected)}, got ${JSON.stringify(w.actual)}`,
    );
  out(
    `  innocent events not applied by the batch beside the hostile ones ${r.innocentNotAppliedInBatch}`,
  );
  out(
    `  accepted events still pending ${r.pendingAfter}; token in logs: ${r.tokenInLogs ? 'YES' : 'no'}`,
  );
  out(`  dead letters (hostile events only) ${r.deadLetters.reduce((s, d) => s + d.events, 0)}`);
  for (const d of r.deadLetters.slice(0, 10)) out(`    ${d.events} × ${d.reason}`);
  out(
    r.ok
      ? 'PASS: every refusal a 4xx with a sentence, nothing stored for it, no innocent call hurt'
      : 'FAIL',
  );
}
