/**
 * `npm run bench:events` (also section 5 of `npm run bench`) — platform event allocations over a
 * simulated day of a 200-agent contact center: 16,000 calls from the Aircall simulator over 10
 * hours, every agent with the utility bar and the record page of their current call open.
 *
 * The simulator's webhook timeline is walked in time order. Each design publishes what the
 * connector publishes for it (one Aircall_Voice_Update__e per call event that changes the record in
 * the former design; one Aircall_Agent_Status__e per agent phone-state change, repeats dropped as
 * the engine drops them) and every published event is delivered to each subscribed client of its
 * channel. Omni-Channel changes made by the utility bar (phone → Omni, default mapping) and by hand
 * come back to the connector as UserServicePresence change events (two per change: the old status
 * record closed, the new one opened, as the local org models Omni). Publishes and deliveries go
 * through the local org's allocation model (dev/local-org/event-allocations.ts) with the simulated
 * clock, so an allocation running out shows when it would, with the documented error.
 *
 * Figures, not assertions. Assumptions are printed with the figures.
 */
import { generateCalls, type SimAgent, type WebhookEnvelope } from '../dev/simulator';
import { EDITION_ALLOCATIONS, EventAllocations } from '../dev/local-org/event-allocations';
import { DEFAULT_IDLE_POLL_MS, DEFAULT_POLL_MS, pollIntervalMs } from '../src/connector/omni/poll';

const AGENTS = 200;
const CALLS = 16_000;
const DAY_HOURS = 10;
/** Omni status changes an agent makes by hand in a day (log in, breaks, lunch, log out). */
const MANUAL_CHANGES_PER_AGENT = 8;
/** Utility bar re-reads (aircallOmniSync): while the phone is busy / idle. */
const BAR_BUSY_MS = 5_000;
const BAR_IDLE_MS = 10_000;
/** Record page re-reads while its call is live (aircallVoiceRecord). */
const PAGE_LIVE_MS = 5_000;

type PhoneEvent = 'Ringing' | 'In Call' | 'After-Call Work' | 'Available';
const OMNI: Record<PhoneEvent, string> = {
  Ringing: 'Busy',
  'In Call': 'Busy',
  'After-Call Work': 'Busy',
  Available: 'Online',
};
const USER_EVENTS: Record<string, PhoneEvent> = {
  'user.opened.v2': 'Available',
  'user.connected.v2': 'Available',
  'user.wut_end.v2': 'Available',
  'user.wut_start.v2': 'After-Call Work',
};

interface Design {
  name: string;
  /** Streaming clients: agents' browsers subscribed through empApi, plus the connector. */
  browserClients: number;
  connectorClients: number;
  publishVoiceUpdates: boolean;
  /** Subscribers of /event/Aircall_Voice_Update__e, /event/Aircall_Agent_Status__e. */
  voiceUpdateSubscribers: number;
  agentStatusSubscribers: number;
  /** Whether a utility bar turns phone states into Omni changes (which CDC reports back). */
  utilityBar: boolean;
  /** How the connector learns Omni changes: UserServicePresence change events, or a SOQL poll. */
  omniSource: 'cdc' | 'poll';
}

const DESIGNS: Design[] = [
  {
    name: 'empApi everywhere: record pages on empApi, connector subscribed to its own events',
    browserClients: AGENTS,
    connectorClients: 1,
    publishVoiceUpdates: true,
    voiceUpdateSubscribers: AGENTS + 1,
    agentStatusSubscribers: 1,
    utilityBar: false,
    omniSource: 'cdc',
  },
  {
    name: 'naive fix: the above + a utility bar subscribed to Aircall_Agent_Status__e',
    browserClients: AGENTS,
    connectorClients: 1,
    publishVoiceUpdates: true,
    voiceUpdateSubscribers: AGENTS + 1,
    agentStatusSubscribers: AGENTS + 1,
    utilityBar: true,
    omniSource: 'cdc',
  },
  {
    name: 'push alternative: LDS re-reads while live, agent state record, Omni → Aircall by CDC on UserServicePresence',
    browserClients: 0,
    connectorClients: 1,
    publishVoiceUpdates: false,
    voiceUpdateSubscribers: 0,
    agentStatusSubscribers: 0,
    utilityBar: true,
    omniSource: 'cdc',
  },
  {
    name: 'this design: the same, Omni → Aircall by polling UserServicePresence (SOQL)',
    browserClients: 0,
    connectorClients: 0,
    publishVoiceUpdates: false,
    voiceUpdateSubscribers: 0,
    agentStatusSubscribers: 0,
    utilityBar: true,
    omniSource: 'poll',
  },
];

interface Counted {
  publishes: number;
  peakHourPublishes: number;
  deliveries: number;
  refusedDeliveries: number;
  exhaustedAt: number | null;
  deliveriesByChannel: Record<string, number>;
  /** Omni-Channel changes of the day: made by the utility bar (phone → Omni), made by hand. */
  barChanges: number;
  manualChanges: number;
}

function agentOf(e: WebhookEnvelope): number | null {
  if (e.resource === 'user') return typeof e.data.id === 'number' ? e.data.id : null;
  const user = e.data.user as { id?: number } | null | undefined;
  return typeof user?.id === 'number' ? user.id : null;
}

function simulate(
  design: Design,
  timeline: WebhookEnvelope[],
  start: number,
  edition: 'Enterprise' | 'Unlimited',
): Counted {
  let now = start * 1000;
  const allocations = new EventAllocations(EDITION_ALLOCATIONS[edition], () => now);
  const hourly = new Map<number, number>();
  const out: Counted = {
    publishes: 0,
    peakHourPublishes: 0,
    deliveries: 0,
    refusedDeliveries: 0,
    exhaustedAt: null,
    deliveriesByChannel: {},
    barChanges: 0,
    manualChanges: 0,
  };
  const cdcClients = design.omniSource === 'cdc' ? design.connectorClients : 0;
  const publish = (channel: string, subscribers: number) => {
    if (!allocations.publish().ok) return;
    out.publishes++;
    const hour = Math.floor((now / 1000 - start) / 3600);
    hourly.set(hour, (hourly.get(hour) ?? 0) + 1);
    deliver(channel, subscribers);
  };
  const deliver = (channel: string, subscribers: number) => {
    for (let i = 0; i < subscribers; i++) {
      if (allocations.deliver(`client-${i}`).ok) {
        out.deliveries++;
        out.deliveriesByChannel[channel] = (out.deliveriesByChannel[channel] ?? 0) + 1;
      } else {
        out.refusedDeliveries++;
        out.exhaustedAt ??= now;
      }
    }
  };
  const published = new Map<number, { omni: string; callId: number | null }>();
  const omniNow = new Map<number, string>();
  const seen = new Set<string>();
  const manualEvery = (DAY_HOURS * 3600) / MANUAL_CHANGES_PER_AGENT;
  let nextManual = start + manualEvery / 2;
  for (const e of timeline) {
    // Hand-made Omni changes, spread over the day: two change events each, to the connector.
    while (nextManual <= e.timestamp) {
      now = nextManual * 1000;
      deliver('UserServicePresenceChangeEvent', 2 * AGENTS * cdcClients);
      out.manualChanges += AGENTS;
      nextManual += manualEvery;
    }
    now = e.timestamp * 1000;
    const key = `${e.event}:${JSON.stringify(e.data.id)}:${e.timestamp}`;
    if (seen.has(key)) continue; // a duplicate delivery changes nothing
    seen.add(key);
    if (e.resource === 'call' && design.publishVoiceUpdates) {
      publish('Aircall_Voice_Update__e', design.voiceUpdateSubscribers);
    }
    const agent = agentOf(e);
    if (agent === null) continue;
    const callId = e.resource === 'call' ? Number(e.data.id) : null;
    const phoneEvent: PhoneEvent | undefined =
      e.event === 'call.ringing_on_agent'
        ? 'Ringing'
        : e.event === 'call.answered'
          ? 'In Call'
          : USER_EVENTS[e.event];
    if (!phoneEvent) continue;
    const omni = OMNI[phoneEvent];
    const last = published.get(agent);
    // The engine drops a status the rep already has, except a new call's Ringing / In Call.
    if (last && last.omni === omni && (callId === null || callId === last.callId)) continue;
    published.set(agent, { omni, callId });
    publish('Aircall_Agent_Status__e', design.agentStatusSubscribers);
    if (design.utilityBar && omniNow.get(agent) !== omni) {
      if (omniNow.has(agent)) {
        deliver('UserServicePresenceChangeEvent', 2 * cdcClients);
        out.barChanges++;
      }
      omniNow.set(agent, omni);
    }
  }
  out.peakHourPublishes = Math.max(0, ...hourly.values());
  return out;
}

/** Lightning Data Service reads of this design (not API requests: see docs/PLATFORM.md §5). */
function ldsReads(timeline: WebhookEnvelope[]): { bar: number; pages: number } {
  const busySince = new Map<number, number>();
  let busyMs = 0;
  const ringAt = new Map<number, number>();
  let liveMs = 0;
  for (const e of timeline) {
    const agent = agentOf(e);
    if (e.resource === 'call') {
      const id = Number(e.data.id);
      if (e.event === 'call.created') ringAt.set(id, e.timestamp);
      if (e.event === 'call.ended' && ringAt.has(id)) {
        liveMs += (e.timestamp - ringAt.get(id)!) * 1000;
        ringAt.delete(id);
      }
    }
    if (agent === null) continue;
    if (e.event === 'call.ringing_on_agent' && !busySince.has(agent))
      busySince.set(agent, e.timestamp);
    if ((e.event === 'user.wut_end.v2' || e.event === 'call.ended') && busySince.has(agent)) {
      busyMs += (e.timestamp - busySince.get(agent)!) * 1000;
      busySince.delete(agent);
    }
  }
  const dayMs = DAY_HOURS * 3600_000 * AGENTS;
  return {
    bar: Math.round(busyMs / BAR_BUSY_MS + (dayMs - busyMs) / BAR_IDLE_MS),
    pages: Math.round(liveMs / PAGE_LIVE_MS),
  };
}

/** Seeded PRNG (mulberry32), so the figures repeat run to run. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * The SOQL poll over a whole 24-hour day with the connector's own interval rule: agents online in
 * Omni during the shift (the simulated calls' span), nobody before or after. Returns the queries
 * sent and, for each hand-made change (spread at random over the shift), how long it waits for the
 * next poll.
 */
function pollDay(shiftStart: number, shiftEnd: number, manualChanges: number) {
  const dayStart = Math.floor(shiftStart / 86_400_000) * 86_400_000;
  const dayEnd = dayStart + 86_400_000;
  const polls: number[] = [];
  for (let t = dayStart; t < dayEnd;) {
    polls.push(t);
    const online = t >= shiftStart && t < shiftEnd ? AGENTS : 0;
    const lastChange = Math.min(t, shiftEnd);
    t += pollIntervalMs(
      { online, sinceLastChangeMs: t < shiftStart ? Infinity : t - lastChange },
      DEFAULT_POLL_MS,
      DEFAULT_IDLE_POLL_MS,
    );
  }
  const rnd = random(21);
  const waits: number[] = [];
  for (let i = 0; i < manualChanges; i++) {
    const at = shiftStart + rnd() * (shiftEnd - shiftStart);
    let lo = 0;
    let hi = polls.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (polls[mid]! >= at) hi = mid;
      else lo = mid + 1;
    }
    waits.push(polls[lo]! - at);
  }
  waits.sort((a, b) => a - b);
  const q = (p: number) => waits[Math.min(waits.length - 1, Math.floor(p * waits.length))]!;
  return {
    queries: polls.length,
    meanWaitMs: waits.reduce((a, b) => a + b, 0) / waits.length,
    p95WaitMs: q(0.95),
    maxWaitMs: waits.at(-1)!,
  };
}

const n = (x: number) => x.toLocaleString('en-US');
const pct = (x: number, of: number) => `${((100 * x) / of).toFixed(1)} %`;

export function eventAllocationsDay(): void {
  const agents: SimAgent[] = Array.from({ length: AGENTS }, (_, i) => ({
    id: 900_000 + i,
    name: `Agent ${i + 1}`,
    email: `agent${i + 1}@center.example`,
  }));
  const startAt = Date.UTC(2026, 0, 5, 8, 0, 0) / 1000;
  const { envelopes } = generateCalls({
    count: CALLS,
    seed: 12,
    agents,
    startAt,
    meanIntervalSeconds: (DAY_HOURS * 3600) / CALLS,
  });
  const timeline = [...envelopes].sort((a, b) => a.timestamp - b.timestamp);
  const start = timeline[0]!.timestamp;
  console.log(
    `  ${n(CALLS)} calls, ${n(timeline.length)} webhook events, ${AGENTS} agents over ${DAY_HOURS} h; ` +
      `every agent has the utility bar and the record page of their current call open; ` +
      `${MANUAL_CHANGES_PER_AGENT} hand-made Omni changes per agent per day.`,
  );
  for (const edition of ['Enterprise', 'Unlimited'] as const) {
    const limits = EDITION_ALLOCATIONS[edition];
    console.log(
      `\n  ${edition} defaults: ${n(limits.hourlyPublished)} publishes/hour, ${n(limits.dailyDelivered)} deliveries/24 h, ${n(limits.concurrentClients)} concurrent clients`,
    );
    for (const design of DESIGNS) {
      const c = simulate(design, timeline, start, edition);
      const clients = design.browserClients + design.connectorClients;
      const channels = Object.entries(c.deliveriesByChannel)
        .map(([ch, k]) => `${ch} ${n(k)}`)
        .join(', ');
      console.log(`    ${design.name}`);
      console.log(
        `      publishes/day ${n(c.publishes)}, peak hour ${n(c.peakHourPublishes)} (${pct(c.peakHourPublishes, limits.hourlyPublished)} of the hourly allocation)`,
      );
      console.log(
        `      deliveries/day ${n(c.deliveries + c.refusedDeliveries)} wanted = ${pct(c.deliveries + c.refusedDeliveries, limits.dailyDelivered)} of the daily allocation` +
          (c.exhaustedAt !== null
            ? `; exhausted at ${new Date(c.exhaustedAt).toISOString().slice(11, 16)} UTC (first event 07:59), ${n(c.refusedDeliveries)} refused with "403::Organization total events daily limit exceeded" — for every app in the org`
            : ''),
      );
      console.log(`      by channel: ${channels || 'none'}`);
      console.log(
        `      concurrent streaming clients ${n(clients)} (${pct(clients, limits.concurrentClients)}); deliveries to an agent with no Aircall page open: 0`,
      );
    }
  }
  // Omni-Channel → Aircall: the options, priced on the same day.
  const day = simulate(DESIGNS[2]!, timeline, start, 'Enterprise');
  const omniChanges = day.barChanges + day.manualChanges;
  const enterprise = EDITION_ALLOCATIONS.Enterprise.dailyDelivered;
  const poll = pollDay(start * 1000, timeline.at(-1)!.timestamp * 1000, day.manualChanges);
  const apiEnterprise200 = 100_000 + 1_000 * AGENTS;
  const apiEnterprise50 = 100_000 + 1_000 * 50;
  const callLogging = 2.5 * CALLS;
  const s1 = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
  console.log(
    `\n  Omni-Channel → Aircall, the options on this day: ${n(omniChanges)} Omni changes ` +
      `(${n(day.barChanges)} made by the utility bar from the phone, which the connector drops as its own echo; ` +
      `${n(day.manualChanges)} made by hand, the ones Aircall must follow). Each change closes one ` +
      'UserServicePresence record and opens another (2 change events).',
  );
  const option = (name: string, deliveries: number, rest: string) =>
    console.log(
      `    ${name}\n      deliveries/day ${n(deliveries)} (${pct(deliveries, enterprise)} of Enterprise's ${n(enterprise)}); ${rest}`,
    );
  option(
    'a. change data capture, standard channel /data/UserServicePresenceChangeEvent (the push alternative)',
    2 * omniChanges,
    '1 concurrent client, 0 API requests; latency: pushed (well under 1 s).',
  );
  option(
    'b. change data capture on a filtered custom channel (filter IsCurrentState = true: opened records only)',
    omniChanges,
    '1 client, 0 API requests, latency pushed; a logout only closes a record, so going offline is never seen.',
  );
  option(
    'c. the utility bar writes hand-made changes on a record, change data capture on that record',
    day.manualChanges,
    '1 client, 0 API requests, latency pushed; misses changes made where the bar is not open (Omni logging out an ' +
      'idle or closed browser, a supervisor), and agents need edit access to that record.',
  );
  option(
    `d. SOQL poll of UserServicePresence, one query per ${DEFAULT_POLL_MS / 1000} s while someone is online, ` +
      `${DEFAULT_IDLE_POLL_MS / 1000} s otherwise (this design)`,
    0,
    `0 clients; ${n(poll.queries)} API requests/day = ${pct(poll.queries, apiEnterprise200)} of an Enterprise ` +
      `org's ${n(apiEnterprise200)} with ${AGENTS} licences (${pct(poll.queries, apiEnterprise50)} of ` +
      `${n(apiEnterprise50)} with 50), ${pct(poll.queries, callLogging)} of the ${n(callLogging)} the day's calls ` +
      `cost at 2.5 requests/call; latency of a hand-made change: mean ${s1(poll.meanWaitMs)}, ` +
      `p95 ${s1(poll.p95WaitMs)}, max ${s1(poll.maxWaitMs)} (+ one query and the Aircall request).`,
  );
  console.log(
    '    Chosen: d — the only one within the target that sees every change (0 deliveries, 0 streaming clients); ' +
      'a stays available (--omni-source cdc) for an org with delivery allocation to spare that wants push latency.',
  );

  const reads = ldsReads(timeline);
  console.log(
    `\n  This design's browser cost instead of events: ${n(reads.bar)} utility-bar reads and ${n(reads.pages)} record-page reads per day ` +
      `(${n(Math.round((reads.bar + reads.pages) / AGENTS))} per agent) through Lightning Data Service, which "doesn't incur any API usage calls" ` +
      `(LWC Developer Guide, "Lightning Data Service"); 0 for an agent with no Aircall page open.`,
  );
  console.log(
    '  Target: ≤ 10 % of the Enterprise daily delivery allocation (2,500), 0 deliveries to agents with no Aircall page open.',
  );
}

if (require.main === module) {
  console.log('Platform event allocations: a simulated day of a 200-agent center');
  eventAllocationsDay();
}
