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
 * through the local org's allocation model (src/local-org/event-allocations.ts) with the simulated
 * clock, so an allocation running out shows when it would, with the documented error.
 *
 * Figures, not assertions. Assumptions are printed with the figures.
 */
import { generateCalls, type SimAgent, type WebhookEnvelope } from '../src/simulator';
import { EDITION_ALLOCATIONS, EventAllocations } from '../src/local-org/event-allocations';

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
}

const DESIGNS: Design[] = [
  {
    name: 'before: record pages on empApi, connector subscribed to its own events',
    browserClients: AGENTS,
    connectorClients: 1,
    publishVoiceUpdates: true,
    voiceUpdateSubscribers: AGENTS + 1,
    agentStatusSubscribers: 1,
    utilityBar: false,
  },
  {
    name: 'naive fix: the above + a utility bar subscribed to Aircall_Agent_Status__e',
    browserClients: AGENTS,
    connectorClients: 1,
    publishVoiceUpdates: true,
    voiceUpdateSubscribers: AGENTS + 1,
    agentStatusSubscribers: AGENTS + 1,
    utilityBar: true,
  },
  {
    name: 'this design: LDS re-reads while live, agent state record, in-process presence',
    browserClients: 0,
    connectorClients: 1,
    publishVoiceUpdates: false,
    voiceUpdateSubscribers: 0,
    agentStatusSubscribers: 0,
    utilityBar: true,
  },
];

interface Counted {
  publishes: number;
  peakHourPublishes: number;
  deliveries: number;
  refusedDeliveries: number;
  exhaustedAt: number | null;
  deliveriesByChannel: Record<string, number>;
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
  };
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
      deliver('UserServicePresenceChangeEvent', 2 * AGENTS * design.connectorClients);
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
      if (omniNow.has(agent))
        deliver('UserServicePresenceChangeEvent', 2 * design.connectorClients);
      omniNow.set(agent, omni);
    }
  }
  out.peakHourPublishes = Math.max(0, ...hourly.values());
  return out;
}

/** Lightning Data Service reads of this design (not API requests: see the README). */
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
  const reads = ldsReads(timeline);
  console.log(
    `\n  This design's browser cost instead of events: ${n(reads.bar)} utility-bar reads and ${n(reads.pages)} record-page reads per day ` +
      `(${n(Math.round((reads.bar + reads.pages) / AGENTS))} per agent) through Lightning Data Service, which "doesn't incur any API usage calls" ` +
      `(LWC Developer Guide, "Lightning Data Service"); 0 for an agent with no Aircall page open.`,
  );
  console.log(
    `  What remains in this design is Change Data Capture: each Omni-Channel change (the utility bar's and the agents' own) reaches the ` +
      `connector's UserServicePresence subscription as 2 change events, and change events share the delivery allocation. ` +
      `Reading current UserServicePresence records every 10 s instead would cost ${n((DAY_HOURS * 3600) / 10)} API requests a day and no delivery.`,
  );
  console.log(
    '  Target (issue 12): ≤ 10 % of the Enterprise daily delivery allocation (2,500), 0 deliveries to agents with no Aircall page open.',
  );
}

if (require.main === module) {
  console.log('Platform event allocations: a simulated day of a 200-agent center');
  eventAllocationsDay();
}
