/**
 * Omni-Channel → Aircall availability. A rep's status change is made in the local org the way Omni
 * makes it (its local-only presence endpoint: UserServicePresence is read-only through a real
 * org's API), streamed as UserServicePresenceChangeEvent, and the connector sets the rep's
 * availability through Aircall's REST API — here the simulator's fake Aircall API (no Aircall
 * account on this machine), which records what it received.
 */
import assert from 'node:assert/strict';
import pino from 'pino';
import { after, before, describe, it } from 'node:test';
import { AircallApi } from '../../src/aircall/api';
import { SAMPLE_SEED_FILE } from '../../dev/local-org/paths';
import { StreamingSubscriber } from '../../src/salesforce/streaming';
import { startFakeAircall, type FakeAircall } from '../../dev/simulator';
import { DEFAULT_AGENTS } from '../../dev/simulator/agents';
import { fixture, startHarness, type Harness } from './harness';
import type { PhoneEvent } from '../../src/engine';

const agentId = (email: string): number => DEFAULT_AGENTS.find((a) => a.email === email)!.id;

type Source = 'poll' | 'cdc';

async function setup(
  coalesceMs = 50,
  source: Source = 'poll',
): Promise<{ h: Harness; aircall: FakeAircall }> {
  const aircall = await startFakeAircall({});
  const api = new AircallApi({
    baseUrl: aircall.url,
    apiId: aircall.apiId,
    apiToken: aircall.apiToken,
  });
  const h = await startHarness({
    org: { seedFile: SAMPLE_SEED_FILE },
    // Polls every 50 ms here (10 s by default), so a test waits on the change, not the interval.
    connector: {
      aircall: api,
      presence: { coalesceMs, source, pollMs: 50, idlePollMs: 50 },
      settingsTtlMs: 0,
    },
  });
  return { h, aircall };
}

async function userId(h: Harness, email: string): Promise<string> {
  const [user] = await h.org.client.query<{ Id: string }>(
    `SELECT Id FROM User WHERE Email = '${email}'`,
  );
  assert.ok(user, `seed user ${email}`);
  return user.Id;
}

/** The availability PUTs Aircall received for one of its users, in order. */
function puts(aircall: FakeAircall, aircallUserId: number): unknown[] {
  return aircall
    .received()
    .filter((r) => r.method === 'PUT' && r.path === `/v1/users/${aircallUserId}`)
    .map((r) => r.body);
}

async function until(what: string, done: () => boolean, deadlineMs = 10_000): Promise<void> {
  const deadline = Date.now() + deadlineMs;
  while (!done()) {
    if (Date.now() > deadline) assert.fail(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

// Both sources: the SOQL poll of UserServicePresence (the default) and its change events over
// CometD (test/connector/streaming.test.ts covers that path's restarts, sessions and gaps).
for (const source of ['poll', 'cdc'] as const)
  describe(`Omni-Channel status → Aircall availability (${source})`, () => {
    let h: Harness;
    let aircall: FakeAircall;
    before(async () => ({ h, aircall } = await setup(50, source)));
    after(async () => {
      await h.close();
      await aircall.close();
    });

    it('in Default mode makes an Online-type status available and Away or offline unavailable', async () => {
      const email = 'camille.martin@aircall-demo.example';
      const rep = await userId(h, email);
      const id = agentId(email);
      h.local.setPresence(rep, 'Available');
      await until('the first PUT', () => puts(aircall, id).length >= 1);
      assert.deepEqual(puts(aircall, id), [{ availability_status: 'available' }]);

      h.local.setPresence(rep, 'Away_Lunch', { away: true });
      await until('the second PUT', () => puts(aircall, id).length >= 2);
      h.local.setPresence(rep, null);
      await until('the third PUT', () => puts(aircall, id).length >= 3);
      assert.deepEqual(puts(aircall, id).slice(1), [
        { availability_status: 'unavailable' },
        { availability_status: 'unavailable' },
      ]);
      assert.equal(
        aircall.users().find((u) => u.id === id)?.availability_status,
        'unavailable',
        'Aircall now shows the rep unavailable',
      );
      const listings = aircall
        .received()
        .filter((r) => r.method === 'GET' && r.path === '/v1/users');
      assert.equal(listings.length, 1, 'the Aircall user directory is read once, then cached');
    });

    it('in Custom mode follows the admin\'s "Omni to Aircall" rule, with its substatus', async () => {
      const [settings] = await h.org.client.query<{ Id: string }>(
        'SELECT Id FROM Aircall_Settings__c',
      );
      assert.ok(settings, 'the seed has a settings record');
      await h.org.client.update([
        {
          attributes: { type: 'Aircall_Settings__c' },
          Id: settings.Id,
          Omni_Mapping_Mode__c: 'Custom',
        },
      ]);
      await h.org.client.create([
        {
          attributes: { type: 'Aircall_Status_Mapping__c' },
          Direction__c: 'Omni to Aircall',
          Omni_Status__c: 'Away_Lunch',
          Aircall_Availability__c: 'custom',
          Aircall_Substatus__c: 'Out for lunch',
        },
      ]);
      try {
        const email = 'lucas.bernard@aircall-demo.example';
        const rep = await userId(h, email);
        const id = agentId(email);
        h.local.setPresence(rep, 'Busy', { away: true });
        await until('the Busy change to be handled', () =>
          h.logs.text.includes('No \\"Omni to Aircall\\" rule for status Busy'),
        );
        assert.deepEqual(puts(aircall, id), [], 'a status without a rule leaves Aircall alone');
        h.local.setPresence(rep, 'Away_Lunch', { away: true });
        await until('the PUT', () => puts(aircall, id).length >= 1);
        assert.deepEqual(puts(aircall, id), [
          { availability_status: 'custom', substatus: 'Out for lunch' },
        ]);
      } finally {
        await h.org.client.update([
          {
            attributes: { type: 'Aircall_Settings__c' },
            Id: settings.Id,
            Omni_Mapping_Mode__c: 'Default',
          },
        ]);
      }
    });

    it('ignores a rep whose e-mail no Aircall user has, and says so in the log', async () => {
      const [created] = await h.org.client.create([
        {
          attributes: { type: 'User' },
          Username: 'no.phone@aircall-demo.example',
          LastName: 'Nophone',
          Email: 'no.phone@aircall-demo.example',
          Alias: 'nophone',
          TimeZoneSidKey: 'Europe/Paris',
        },
      ]);
      assert.ok(created?.success && created.id);
      const before = aircall.received().filter((r) => r.method === 'PUT').length;
      h.local.setPresence(created.id, 'Available');
      await until('the log line', () =>
        h.logs.text.includes('No Aircall user has the e-mail no.phone@aircall-demo.example'),
      );
      await h.connector.presence!.idle();
      assert.equal(aircall.received().filter((r) => r.method === 'PUT').length, before);
    });

    it('ignores Omni changes while the rep is on a call, and the echo of a phone-side status', async () => {
      const email = 'noah.smith@aircall-demo.example';
      const rep = await userId(h, email);
      const id = agentId(email);
      const presence = h.connector.presence!;
      // What the worker tells the sync, in-process, for the rep's calls (phone → Omni). The sync
      // reads the event's Phone_Event__c and Call_Id__c; its Reason__c is prose that no reader
      // parses, so here it says nothing the old regular expression would have recognised.
      const phoneSays = (status: string, phoneEvent: PhoneEvent, callId?: string) =>
        presence.notePhoneSide([
          {
            sobject: 'Aircall_Agent_Status__e',
            userId: rep,
            omniStatus: status,
            phoneEvent,
            reason: 'Reworded prose: the sync must not depend on it.',
            ...(callId !== undefined ? { callId } : {}),
          },
        ]);
      phoneSays('Busy', 'In Call', '424242');
      await until('the rep to be on a call', () => presence.isOnCall(rep));
      h.local.setPresence(rep, 'Away_Lunch', { away: true });
      await until('the change to be handled', () =>
        h.logs.text.includes(`User ${rep} is on a call`),
      );
      await presence.idle();
      assert.deepEqual(puts(aircall, id), [], 'nothing sent during the call');

      presence.notePhoneSide([
        { sobject: 'Aircall_Voice_Update__e', callId: '424242', change: 'ended' },
      ]);
      await until('the call to end', () => !presence.isOnCall(rep));

      // Next call: wrap-up on the phone makes the rep Busy in Omni; that change is the phone's own
      // and is not sent back to Aircall.
      phoneSays('Busy', 'Ringing', '434343');
      await until('the second call', () => presence.isOnCall(rep));
      phoneSays('Busy', 'After-Call Work');
      await until('wrap-up to end the call', () => !presence.isOnCall(rep));
      h.local.setPresence(rep, 'Busy', { away: true });
      await until('the echo to be recognised', () =>
        h.logs.text.includes(
          'Omni-Channel status Busy of noah.smith@aircall-demo.example came from their phone',
        ),
      );
      await presence.idle();
      assert.deepEqual(puts(aircall, id), [], 'the echo is not sent');

      h.local.setPresence(rep, 'Available');
      await until('the PUT after the call', () => puts(aircall, id).length >= 1);
      assert.deepEqual(puts(aircall, id), [{ availability_status: 'available' }]);
    });

    it("sends only the latest of a rep's rapid changes", async () => {
      const email = 'emma.johnson@aircall-demo.example';
      const id = agentId(email);
      // Coalescing needs the changes to land within one window: a long one, so a slow machine
      // cannot split them.
      const slow = await setup(1500, source);
      try {
        const rep = await userId(slow.h, email);
        slow.h.local.setPresence(rep, 'Available');
        slow.h.local.setPresence(rep, 'Busy', { away: true });
        slow.h.local.setPresence(rep, 'Away_Lunch', { away: true });
        slow.h.local.setPresence(rep, 'Available');
        await until('the PUT', () => puts(slow.aircall, id).length >= 1);
        await slow.h.connector.presence!.idle();
        assert.deepEqual(puts(slow.aircall, id), [{ availability_status: 'available' }]);
      } finally {
        await slow.h.close();
        await slow.aircall.close();
      }
    });
  });

describe('Omni-Channel status from the phone (Aircall_Agent_Status__e)', () => {
  it('writes the phone state the utility bar reads, and publishes no event unless asked', async () => {
    const h = await startHarness({ org: { seedFile: SAMPLE_SEED_FILE } });
    try {
      const email = 'camille.martin@aircall-demo.example';
      const rep = await userId(h, email);
      const [, wutStart] = fixture('user-events');
      await h.send([{ ...wutStart, data: { ...(wutStart?.data as object), email } }]);
      const { plan } = await h.connector.worker.drainOnce();
      assert.ok(plan?.platformEvents.some((e) => e.sobject === 'Aircall_Agent_Status__e'));
      const states = await h.org.client.query<{ User__c: string; Phone_Event__c: string }>(
        'SELECT User__c, Phone_Event__c FROM Aircall_Agent_State__c',
      );
      assert.deepEqual(
        states.map((r) => [r.User__c, r.Phone_Event__c]),
        [[rep, 'After-Call Work']],
      );
      // The org's own count of event messages published this hour (/limits).
      const limits = (await h.org.client.limits()) as Record<
        string,
        { Max: number; Remaining: number }
      >;
      const hourly = limits.HourlyPublishedPlatformEvents;
      assert.ok(hourly, '/limits reports HourlyPublishedPlatformEvents');
      assert.equal(hourly.Max - hourly.Remaining, 0, 'no platform event published');
    } finally {
      await h.close();
    }
  });

  it("names the ringing call's caller on the agent's state, follows the phone through the call, and clears it with the call", async () => {
    const h = await startHarness({ org: { seedFile: SAMPLE_SEED_FILE } });
    try {
      const email = 'camille.martin@aircall-demo.example';
      const rep = await userId(h, email);
      // The seed's Contact Chloé Moreau has the mobile 06 12 34 56 78, the fixture's caller.
      const asRep = (envelope: Record<string, unknown> | undefined) => {
        const data = envelope?.data as { user: object };
        return { ...envelope, data: { ...data, user: { ...data.user, email } } };
      };
      const [created, ringing, answered] = fixture('inbound-answered');
      const [, wutStart, wutEnd] = fixture('user-events');
      await h.send([asRep(created), asRep(ringing)]);
      await h.drain();
      const read = () =>
        h.org.client.query<Record<string, string | null>>(
          `SELECT Phone_Event__c, Caller_Number__c, Caller_Name__c FROM Aircall_Agent_State__c WHERE User_Key__c = '${rep}'`,
        );
      // The call only rings: its Aircall Voice is not written yet, the agent's state names the caller.
      assert.deepEqual(await h.org.client.query('SELECT Id FROM Aircall_Voice__c'), []);
      const [state] = await read();
      assert.deepEqual(
        [state?.Phone_Event__c, state?.Caller_Number__c, state?.Caller_Name__c],
        ['Ringing', '+33612345678', 'Chloé Moreau'],
      );
      // Answered, then wrap-up: the default mapping makes both Busy, as Ringing was, so Omni does
      // not change, but the state the utility bar shows follows the phone.
      await h.send([asRep(answered)]);
      await h.drain();
      const [inCall] = await read();
      assert.deepEqual(
        [inCall?.Phone_Event__c, inCall?.Caller_Number__c, inCall?.Caller_Name__c],
        ['In Call', '+33612345678', 'Chloé Moreau'],
      );
      await h.send([{ ...wutStart, data: { ...(wutStart?.data as object), email } }]);
      await h.drain();
      assert.equal((await read())[0]?.Phone_Event__c, 'After-Call Work');
      await h.send([{ ...wutEnd, data: { ...(wutEnd?.data as object), email } }]);
      await h.drain();
      const [after] = await read();
      assert.deepEqual(
        [after?.Phone_Event__c, after?.Caller_Number__c, after?.Caller_Name__c],
        ['Available', null, null],
      );
    } finally {
      await h.close();
    }
  });

  it("publishes the org's own status names, and only when the rep's status changes", async () => {
    const h = await startHarness({
      org: { seedFile: SAMPLE_SEED_FILE },
      // An admin's flow subscribes to the events: the connector is asked to publish them.
      connector: { worker: { agentStatusEvents: true } },
    });
    try {
      const email = 'camille.martin@aircall-demo.example';
      const rep = await userId(h, email);
      const [opened, wutStart, wutEnd] = fixture('user-events');
      const asRep = (envelope: Record<string, unknown> | undefined, timestamp?: number) => ({
        ...envelope,
        ...(timestamp !== undefined ? { timestamp } : {}),
        data: { ...(envelope?.data as object), email },
      });
      /** Sends one event alone in its batch, as on a quiet day, and returns what was published. */
      const publishedFor = async (envelope: Record<string, unknown>) => {
        await h.send([envelope]);
        const { plan } = await h.connector.worker.drainOnce();
        return (plan?.platformEvents ?? []).flatMap((e) =>
          e.sobject === 'Aircall_Agent_Status__e' && e.userId === rep ? [e.omniStatus] : [],
        );
      };
      // The seed's statuses are Available, Busy, Away_Lunch…: no "Online".
      assert.deepEqual(await publishedFor(asRep(opened)), ['Available']);
      assert.deepEqual(await publishedFor(asRep(wutStart)), ['Busy']);
      assert.deepEqual(await publishedFor(asRep(wutEnd)), ['Available']);
      // The Aircall app reconnecting while the rep is already Available changes nothing in Omni.
      assert.deepEqual(await publishedFor(asRep(opened, 1790664400)), []);

      // What the org kept, read back over CometD as a flow or another subscriber would: the phone
      // event and the call as fields (no call for the rep's own availability), the prose aside.
      const subscriber = new StreamingSubscriber(h.org.client.conn, pino({ level: 'silent' }));
      const received: Record<string, unknown>[] = [];
      try {
        await subscriber.subscribe(
          '/event/Aircall_Agent_Status__e',
          (m) => received.push(m.data.payload),
          { replayFrom: -2 },
        );
        await until('the three retained events', () => received.length >= 3);
      } finally {
        await subscriber.close();
      }
      assert.deepEqual(
        received.map((p) => [
          p.User_Id__c,
          p.Omni_Status__c,
          p.Phone_Event__c,
          p.Call_Id__c ?? null,
        ]),
        [
          [rep, 'Available', 'Available', null],
          [rep, 'Busy', 'After-Call Work', null],
          [rep, 'Available', 'Available', null],
        ],
      );
    } finally {
      await h.close();
    }
  });

  it('publishes a repeated phone status again after the rep changed Omni by hand', async () => {
    const { h, aircall } = await setup();
    try {
      const email = 'lucas.bernard@aircall-demo.example';
      const rep = await userId(h, email);
      const [opened] = fixture('user-events');
      const asRep = (timestamp: number) => ({
        ...opened,
        timestamp,
        data: { ...(opened?.data as object), email },
      });
      const publishedFor = async (envelope: Record<string, unknown>) => {
        await h.send([envelope]);
        const { plan } = await h.connector.worker.drainOnce();
        return (plan?.platformEvents ?? []).flatMap((e) =>
          e.sobject === 'Aircall_Agent_Status__e' && e.userId === rep ? [e.omniStatus] : [],
        );
      };
      assert.deepEqual(await publishedFor(asRep(1790665000)), ['Available']);
      assert.deepEqual(await publishedFor(asRep(1790665100)), [], 'unchanged: not published');
      const before = puts(aircall, agentId(email)).length;
      h.local.setPresence(rep, 'Away_Lunch', { away: true }); // by hand, in Omni
      await until(
        'the manual change to reach Aircall',
        () => puts(aircall, agentId(email)).length > before,
      );
      assert.deepEqual(await publishedFor(asRep(1790665200)), ['Available'], 'published again');
    } finally {
      await h.close();
      await aircall.close();
    }
  });
});

describe('Aircall user directory', () => {
  it('lists every Aircall user across pages of 50', async () => {
    const agents = Array.from({ length: 73 }, (_, i) => ({
      id: 1000 + i,
      name: `Agent ${i}`,
      email: `agent${i}@example.com`,
    }));
    const aircall = await startFakeAircall({ agents });
    try {
      const api = new AircallApi({
        baseUrl: aircall.url,
        apiId: aircall.apiId,
        apiToken: aircall.apiToken,
      });
      const users = await api.listUsers();
      assert.deepEqual(
        users.map((u) => u.email),
        agents.map((a) => a.email),
      );
      const pages = aircall.received().filter((r) => r.path === '/v1/users');
      assert.deepEqual(
        pages.map((r) => r.query.page),
        ['1', '2'],
      );
    } finally {
      await aircall.close();
    }
  });
});
