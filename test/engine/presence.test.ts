import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  aircallAvailabilityFor,
  type PresenceStatus,
  type PublishedAgentStatus,
  type StatusMapping,
} from '../../src/engine';
import { AGENT_USER_ID, load, planWith, replayInSteps, settings } from './helpers';

/** A realistic org: its statuses are named by the admin, none of them "Online". */
const orgStatuses: PresenceStatus[] = [
  { id: '0N5000000000001AAA', developerName: 'Available', label: 'Available' },
  { id: '0N5000000000002AAA', developerName: 'Busy', label: 'Busy' },
  { id: '0N5000000000003AAA', developerName: 'Away_Lunch', label: 'Away - Lunch' },
  { id: '0N5000000000004AAA', developerName: 'After_Call_Work', label: 'After Call Work' },
  { id: '0N5000000000005AAA', developerName: 'Offline', label: 'Offline' },
  { id: '0N5000000000006AAA', developerName: 'Voice_Ready', label: 'Online - Voice' },
];

const rules: StatusMapping[] = [
  {
    direction: 'Omni to Aircall',
    omniStatus: 'Lunch',
    aircallAvailability: 'custom',
    aircallSubstatus: 'Out for lunch',
    phoneEvent: null,
  },
  {
    direction: 'Omni to Aircall',
    omniStatus: 'Available_for_Voice',
    aircallAvailability: 'available',
    aircallSubstatus: null,
    phoneEvent: null,
  },
  {
    direction: 'Phone to Omni',
    omniStatus: 'Lunch',
    aircallAvailability: null,
    aircallSubstatus: null,
    phoneEvent: 'Available',
  },
];

describe('aircallAvailabilityFor (Omni → Aircall)', () => {
  it('Default mode: Online is available in Aircall, every other status unavailable', () => {
    assert.deepEqual(aircallAvailabilityFor('Online', settings(), rules), {
      availability_status: 'available',
    });
    assert.deepEqual(aircallAvailabilityFor('Busy', settings(), rules), {
      availability_status: 'unavailable',
    });
    assert.deepEqual(aircallAvailabilityFor(null, settings(), rules), {
      availability_status: 'unavailable',
    });
  });

  it("Default mode with the org's statuses: Available or Online by API name or label is available", () => {
    const verdict = (name: string | null) =>
      aircallAvailabilityFor(name, settings(), rules, orgStatuses)?.availability_status;
    assert.equal(verdict('Available'), 'available');
    assert.equal(verdict('Voice_Ready'), 'available', 'its label says Online');
    assert.equal(verdict('Busy'), 'unavailable');
    assert.equal(verdict('Away_Lunch'), 'unavailable');
    assert.equal(verdict('After_Call_Work'), 'unavailable');
    assert.equal(verdict('Offline'), 'unavailable');
    assert.equal(verdict(null), 'unavailable');
    // The same rule as the omniStatusMapper LWC: "Unavailable" is not available.
    assert.equal(
      aircallAvailabilityFor('Unavailable', settings(), rules, [
        { id: '0N5000000000007AAA', developerName: 'Unavailable', label: 'Unavailable' },
      ])?.availability_status,
      'unavailable',
    );
  });

  it('Custom mode: the admin rule for the status decides, substatus included', () => {
    const custom = settings({ omniMappingMode: 'Custom' });
    assert.deepEqual(aircallAvailabilityFor('lunch', custom, rules), {
      availability_status: 'custom',
      substatus: 'Out for lunch',
    });
    assert.deepEqual(aircallAvailabilityFor('Available_for_Voice', custom, rules), {
      availability_status: 'available',
    });
  });

  it('Custom mode: a status without an "Omni to Aircall" rule leaves Aircall unchanged', () => {
    const custom = settings({ omniMappingMode: 'Custom' });
    assert.equal(aircallAvailabilityFor('Training', custom, rules), null);
  });
});

describe("planBatch: Default mode among the org's presence statuses (Phone to Omni)", () => {
  const userEvents = load('user-events.json');
  const inbound = load('inbound-answered.json');
  const statusesOf = (plan: ReturnType<typeof planWith>['plan']) =>
    plan.platformEvents.flatMap((e) =>
      e.sobject === 'Aircall_Agent_Status__e' ? [`${e.omniStatus}: ${e.reason}`] : [],
    );

  it("sets the org's Available status when the rep is available on the phone, and Busy while busy", () => {
    const available = planWith(userEvents.slice(0, 1), { presenceStatuses: orgStatuses }).plan;
    assert.deepEqual(statusesOf(available), ['Available: Available (user.opened.v2)']);
    const wrapUp = planWith(userEvents.slice(1, 2), { presenceStatuses: orgStatuses }).plan;
    assert.deepEqual(statusesOf(wrapUp), ['Busy: After-Call Work (user.wut_start.v2)']);
    const [ringing, answered] = replayInSteps(inbound, [2, 3], { presenceStatuses: orgStatuses });
    assert.deepEqual(statusesOf(ringing!.plan), ['Busy: Ringing (call 4186790001)']);
    assert.deepEqual(statusesOf(answered!.plan), ['Busy: In Call (call 4186790001)']);
  });

  it('prefers a status named Online when the org has no Available one', () => {
    const online = planWith(userEvents.slice(0, 1), {
      presenceStatuses: [
        { id: '0N5000000000011AAA', developerName: 'Busy', label: 'Busy' },
        { id: '0N5000000000012AAA', developerName: 'Online', label: 'Online' },
      ],
    }).plan;
    assert.deepEqual(statusesOf(online), ['Online: Available (user.opened.v2)']);
  });

  it('publishes nothing for a busy phone state when the org has no Busy status, and warns how to map it', () => {
    const noBusy = orgStatuses.filter((s) => s.developerName !== 'Busy');
    const { plan } = planWith(userEvents.slice(1, 2), { presenceStatuses: noBusy });
    assert.deepEqual(statusesOf(plan), []);
    assert.equal(plan.warnings.length, 1);
    assert.match(plan.warnings[0]!, /no Omni-Channel presence status named Busy/);
    assert.match(plan.warnings[0]!, /Custom in Aircall Settings/);
    assert.match(plan.skipped[0]!.reason, /no Omni-Channel status for "After-Call Work"/);
    const [ringing] = replayInSteps(inbound, [2], { presenceStatuses: noBusy });
    assert.deepEqual(statusesOf(ringing!.plan), []);
    assert.match(ringing!.plan.warnings.join(' '), /no Omni-Channel presence status named Busy/);
  });

  it("without the org's statuses (older callers) names Online and Busy as before", () => {
    const { plan } = planWith(userEvents.slice(0, 1));
    assert.deepEqual(statusesOf(plan), ['Online: Available (user.opened.v2)']);
  });
});

describe("planBatch: a rep's unchanged Omni status is not published again", () => {
  const userEvents = load('user-events.json');
  const inbound = load('inbound-answered.json');
  const statusesOf = (plan: ReturnType<typeof planWith>['plan']) =>
    plan.platformEvents.flatMap((e) =>
      e.sobject === 'Aircall_Agent_Status__e' ? [`${e.omniStatus}: ${e.reason}`] : [],
    );
  const published = (omniStatus: string, callId: string | null = null) =>
    new Map<string, PublishedAgentStatus>([[AGENT_USER_ID, { omniStatus, callId }]]);

  it('drops a user event whose status is the one last published, keeps one that changes it', () => {
    const same = planWith(userEvents.slice(2, 3), {
      presenceStatuses: orgStatuses,
      publishedAgentStatus: published('Available'),
    }).plan;
    assert.deepEqual(statusesOf(same), []);
    const changed = planWith(userEvents.slice(2, 3), {
      presenceStatuses: orgStatuses,
      publishedAgentStatus: published('Busy', '4186790001'),
    }).plan;
    assert.deepEqual(statusesOf(changed), ['Available: Available (user.wut_end.v2)']);
  });

  it("writes the agent's state, without an event, when only the phone state changed", () => {
    const states = (plan: ReturnType<typeof planWith>['plan']) =>
      plan.platformEvents.flatMap((e) =>
        e.sobject === 'Aircall_Agent_Status__e'
          ? [`${e.phoneEvent}${e.stateOnly ? ' (state only)' : ''}`]
          : [],
      );
    // Ringing was published as Busy; the answer's In Call maps to Busy too (default mapping).
    const [, answered] = replayInSteps(inbound, [2, 3], {
      presenceStatuses: orgStatuses,
      publishedAgentStatus: new Map<string, PublishedAgentStatus>([
        [AGENT_USER_ID, { omniStatus: 'Busy', callId: '4186790001', phoneEvent: 'Ringing' }],
      ]),
    });
    assert.deepEqual(states(answered!.plan), ['In Call (state only)']);
    // Wrap-up after the call: Busy again, a new phone state.
    const wrapUp = planWith(userEvents.slice(1, 2), {
      presenceStatuses: orgStatuses,
      publishedAgentStatus: new Map<string, PublishedAgentStatus>([
        [AGENT_USER_ID, { omniStatus: 'Busy', callId: '4186790001', phoneEvent: 'In Call' }],
      ]),
    }).plan;
    assert.deepEqual(states(wrapUp), ['After-Call Work (state only)']);
    // The same phone state again: nothing to write.
    const again = planWith(userEvents.slice(1, 2), {
      presenceStatuses: orgStatuses,
      publishedAgentStatus: new Map<string, PublishedAgentStatus>([
        [AGENT_USER_ID, { omniStatus: 'Busy', callId: null, phoneEvent: 'After-Call Work' }],
      ]),
    }).plan;
    assert.deepEqual(states(again), []);
  });

  it("drops In Call after the same call's Ringing and wrap-up after the call, keeps a new call's Ringing", () => {
    const [, answered] = replayInSteps(inbound, [2, 3], {
      presenceStatuses: orgStatuses,
      publishedAgentStatus: published('Busy', '4186790001'),
    });
    assert.deepEqual(statusesOf(answered!.plan), [], 'In Call of the call already shown Busy');
    const wrapUp = planWith(userEvents.slice(1, 2), {
      presenceStatuses: orgStatuses,
      publishedAgentStatus: published('Busy', '4186790001'),
    }).plan;
    assert.deepEqual(statusesOf(wrapUp), []);
    // Another call: its Ringing marks the rep on a call for the presence sync, so it is sent.
    const [ringing] = replayInSteps(inbound, [2], {
      presenceStatuses: orgStatuses,
      publishedAgentStatus: published('Busy', '4186789999'),
    });
    assert.deepEqual(statusesOf(ringing!.plan), ['Busy: Ringing (call 4186790001)']);
  });

  it("compares the rep's final state in the batch, not an intermediate one", () => {
    // Busy from wrap-up start, then Available from its end: Available is last published, so nothing.
    const { plan } = planWith(userEvents.slice(1, 3), {
      presenceStatuses: orgStatuses,
      publishedAgentStatus: published('Available'),
    });
    assert.deepEqual(statusesOf(plan), []);
    const other = planWith(userEvents.slice(1, 2), {
      presenceStatuses: orgStatuses,
      publishedAgentStatus: new Map([['005000000000099AAA', { omniStatus: 'Busy', callId: null }]]),
    }).plan;
    assert.deepEqual(statusesOf(other), ['Busy: After-Call Work (user.wut_start.v2)'], 'per rep');
  });
});
