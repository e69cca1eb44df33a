/**
 * The rep's phone state as an Omni-Channel status (Phone → Omni): the status event a call's
 * ringing and answer, or an Aircall user event (opened, wrap-up), sets, by the settings' rules; one
 * per rep per plan, and none that repeats what was last published.
 */
import type { UserEvent } from '../aircall/schemas';
import { eventKey } from './events';
import type { AgentStatusEvent, Plan } from './plan';
import { DEFAULT_PHONE_TO_OMNI, defaultOmniStatus } from './presence';
import type { UserMatcher } from './call-fields';
import type {
  BatchInput,
  PhoneEvent,
  PresenceStatus,
  PublishedAgentStatus,
  Settings,
  StatusMapping,
} from './types';

const USER_EVENT_PHONE: Partial<Record<UserEvent['event'], PhoneEvent>> = {
  'user.opened.v2': 'Available',
  'user.connected.v2': 'Available',
  'user.wut_end.v2': 'Available',
  'user.wut_start.v2': 'After-Call Work',
};

/** What agentStatus needs besides the event: the batch's rules and where warnings go. */
export interface PresenceRules {
  settings: Settings;
  mappings: readonly StatusMapping[];
  statuses: readonly PresenceStatus[] | undefined;
  warnings: Set<string>;
}

/** The Omni status a phone state sets, or null (no rule, or no such status in the org: warned). */
function omniStatusFor(phoneEvent: PhoneEvent, rules: PresenceRules): string | null {
  if (rules.settings.omniMappingMode === 'Default') {
    if (!rules.statuses) return DEFAULT_PHONE_TO_OMNI[phoneEvent];
    const resolved = defaultOmniStatus(phoneEvent, rules.statuses);
    if ('status' in resolved) return resolved.status;
    const events =
      phoneEvent === 'Available' ? 'Available' : 'Ringing, In Call and After-Call Work';
    rules.warnings.add(
      `This org has no Omni-Channel presence status named ${resolved.missing}, so ${events} on the phone ` +
        "do not change the rep's Omni-Channel status. Create one in Setup > Presence Statuses, or set " +
        'Omni-Channel status mapping to Custom in Aircall Settings and map these phone events to an existing status.',
    );
    return null;
  }
  const rule = rules.mappings.find(
    (m) => m.direction === 'Phone to Omni' && m.phoneEvent === phoneEvent,
  );
  return rule ? rule.omniStatus : null;
}

/** Where each rep's status event sits in a plan, so a later state replaces it in O(1). */
const agentIndexes = new WeakMap<Plan, Map<string, number>>();

export function agentStatus(
  plan: Plan & { warnings: string[] },
  userId: string,
  phoneEvent: PhoneEvent,
  cause: string,
  rules: PresenceRules,
  callId?: string,
  caller?: AgentStatusEvent['caller'],
): boolean {
  const omniStatus = omniStatusFor(phoneEvent, rules);
  if (!omniStatus) return false;
  let agentIndex = agentIndexes.get(plan);
  if (!agentIndex) agentIndexes.set(plan, (agentIndex = new Map<string, number>()));
  const existing = agentIndex.get(userId) ?? -1;
  const event: AgentStatusEvent = {
    sobject: 'Aircall_Agent_Status__e',
    userId,
    omniStatus,
    phoneEvent,
    reason: `${phoneEvent} (${cause})`,
    ...(callId !== undefined ? { callId } : {}),
    ...(caller ? { caller } : {}),
  };
  if (existing >= 0) plan.platformEvents[existing] = event;
  else agentIndex.set(userId, plan.platformEvents.push(event) - 1);
  return true;
}

/**
 * A rep's status event that would publish the status they were last given is left out (Omni would
 * not change). A call's Ringing / In Call is kept when it is for another call than the last one
 * published: it is what tells the presence sync the rep is on a call, so their Omni changes
 * meanwhile are not copied to Aircall. One whose phone state changed (In Call after the same
 * call's Ringing, After-Call Work after it) is kept as `stateOnly`: the agent's state record, which
 * the utility bar reads, is written with the batch's other records, and no event is published.
 */
export function dropRepeatedAgentStatus(
  plan: Plan,
  published: ReadonlyMap<string, PublishedAgentStatus> | undefined,
): void {
  if (!published?.size) return;
  plan.platformEvents = plan.platformEvents.flatMap((e): Plan['platformEvents'] => {
    if (e.sobject !== 'Aircall_Agent_Status__e') return [e];
    const last = published.get(e.userId);
    if (!last || last.omniStatus.toLowerCase() !== e.omniStatus.toLowerCase()) return [e];
    if (e.callId !== undefined && e.callId !== last.callId) return [e];
    if (last.phoneEvent !== undefined && last.phoneEvent !== e.phoneEvent)
      return [{ ...e, stateOnly: true as const }];
    return [];
  });
}

/** user.*.v2 events: only each rep's latest state in the batch is published (it is what Omni should show). */
export function planUserEvents(
  plan: Plan & { warnings: string[] },
  input: BatchInput,
  sfUser: UserMatcher,
  rules: PresenceRules,
): void {
  const unique = new Map<string, UserEvent>();
  for (const e of input.userEvents) unique.set(eventKey(e), e);
  const events = [...unique.entries()].sort(
    ([ka, a], [kb, b]) => a.timestamp - b.timestamp || (ka < kb ? -1 : ka > kb ? 1 : 0),
  );
  const latest = new Map<string, { key: string; event: UserEvent; phoneEvent: PhoneEvent }>();
  for (const [key, event] of events) {
    const phoneEvent = USER_EVENT_PHONE[event.event];
    if (!phoneEvent) {
      plan.skipped.push({
        key,
        reason: `${event.event} has no phone-side status to send to Omni-Channel.`,
      });
      continue;
    }
    const userId = sfUser(event.data);
    if (!userId) {
      plan.skipped.push({
        key,
        reason: `Aircall user ${String(event.data.id)} (${event.data.email ?? 'no e-mail'}) matches no Salesforce user by e-mail; give both the same e-mail address.`,
      });
      continue;
    }
    const previous = latest.get(userId);
    if (previous)
      plan.skipped.push({
        key: previous.key,
        reason: `superseded by a later ${event.event} of the same user in this batch.`,
      });
    latest.set(userId, { key, event, phoneEvent });
  }
  for (const [userId, { key, event, phoneEvent }] of latest) {
    if (!agentStatus(plan, userId, phoneEvent, event.event, rules)) {
      plan.skipped.push({
        key,
        reason:
          rules.settings.omniMappingMode === 'Default'
            ? `the org has no Omni-Channel status for "${phoneEvent}" in Default mapping (see the plan's warnings).`
            : `no "Phone to Omni" status mapping for "${phoneEvent}"; add one in Aircall Settings or switch Omni mapping to Default.`,
      });
    }
  }
}
