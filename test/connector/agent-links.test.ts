/**
 * Links chosen for people, end to end against the local org: Multiple Matches "Their Common
 * Account" (several Contacts of one Account share a company number: the call goes to the Account).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { SalesforceRecord } from '../../src/salesforce/client';
import { PACKAGE_MODES, fixtureCall, startHarness, type Harness } from './harness';

type Voice = {
  Aircall_Call_Id__c: string;
  Account__c: string | null;
  Contact__c: string | null;
  Lead__c: string | null;
  Match_Reason__c: string | null;
};

async function voice(h: Harness, callId: number): Promise<Voice> {
  const [row] = await h.org.client.query<Voice>(
    `SELECT Aircall_Call_Id__c, Account__c, Contact__c, Lead__c, Match_Reason__c FROM Aircall_Voice__c WHERE Aircall_Call_Id__c = '${callId}'`,
  );
  assert.ok(row, `call ${callId} is logged`);
  return row;
}

async function settings(h: Harness, fields: Record<string, unknown>): Promise<void> {
  const [saved] = await h.org.client.create([
    { attributes: { type: 'Aircall_Settings__c' }, Name: 'Settings', ...fields },
  ]);
  assert.ok(saved?.success, JSON.stringify(saved));
}

describe('Multiple Matches "Their Common Account"', () => {
  it('links the Account of the Contacts sharing the number, and no Contact', async () => {
    const h = await startHarness();
    try {
      await settings(h, {
        Multiple_Matches__c: 'Their Common Account',
        Activity_Task__c: 'Completed Task',
      });
      const [acme, other] = await h.org.client.create([
        { attributes: { type: 'Account' }, Name: 'Acme' },
        { attributes: { type: 'Account' }, Name: 'Other' },
      ]);
      assert.ok(acme?.success && other?.success);
      const created = await h.org.client.create([
        // A company switchboard on two Contacts of Acme.
        {
          attributes: { type: 'Contact' },
          LastName: 'Ana',
          AccountId: acme.id,
          Phone: '+33 1 40 00 00 01',
        },
        {
          attributes: { type: 'Contact' },
          LastName: 'Bea',
          AccountId: acme.id,
          Phone: '+33 1 40 00 00 01',
        },
        // A number shared by Contacts of two Accounts: no common Account.
        {
          attributes: { type: 'Contact' },
          LastName: 'Cid',
          AccountId: acme.id,
          Phone: '+33 1 40 00 00 02',
        },
        {
          attributes: { type: 'Contact' },
          LastName: 'Dan',
          AccountId: other.id,
          Phone: '+33 1 40 00 00 02',
        },
      ]);
      assert.ok(created.every((c) => c.success));
      await h.send([
        ...fixtureCall('inbound-answered', 9300001, {
          raw_digits: '+33 1 40 00 00 01',
          contact: null,
        }),
        ...fixtureCall('inbound-answered', 9300002, {
          raw_digits: '+33 1 40 00 00 02',
          contact: null,
        }),
      ]);
      assert.deepEqual(await h.drain(), { timedOut: false });

      const common = await voice(h, 9300001);
      assert.deepEqual(
        [common.Account__c, common.Contact__c, common.Lead__c],
        [acme.id, null, null],
      );
      assert.match(common.Match_Reason__c ?? '', /^Matched: 2 Contact records of one Account/);
      // Change link shows the records found and why each was not linked.
      const [notes] = await h.org.client.query<{ Match_Candidates__c: string }>(
        "SELECT Match_Candidates__c FROM Aircall_Voice__c WHERE Aircall_Call_Id__c = '9300001'",
      );
      const candidates = JSON.parse(notes!.Match_Candidates__c) as {
        n: string;
        c: boolean;
        w: string;
      }[];
      assert.deepEqual(candidates.map((c) => [c.n, c.c]).sort(), [
        ['Ana', false],
        ['Bea', false],
      ]);
      assert.match(
        candidates[0]!.w,
        /^its Account is linked instead: .*its Phone "\+33 1 40 00 00 01"/,
      );
      const tasks = await h.org.client.query<{ WhoId: string | null; WhatId: string | null }>(
        "SELECT WhoId, WhatId FROM Task WHERE CallObject = '9300001'",
      );
      assert.deepEqual(
        tasks.map((t) => [t.WhoId, t.WhatId]),
        [[null, acme.id]],
        'the Task is on the Account',
      );

      const split = await voice(h, 9300002);
      assert.deepEqual([split.Account__c, split.Contact__c], [null, null]);
      assert.match(split.Match_Reason__c ?? '', /no Account is common to all of them/);
    } finally {
      await h.close();
    }
  });
});

/** What Change link saves (force-app/…/aircallChangeLink): the link fields and who set them. */
function agentLink(voiceId: string, contactId: string, userId: string) {
  return {
    attributes: { type: 'Aircall_Voice__c' },
    Id: voiceId,
    Contact__c: contactId,
    Lead__c: null,
    Account__c: null,
    Match_Reason__c: 'Linked by Ana Agent on 2026-09-28',
    Linked_By__c: userId,
  };
}

describe('a link set by a person', () => {
  it('survives every later event of the call, including one applied while the agent saves', async () => {
    const h = await startHarness();
    try {
      await settings(h, { Activity_Task__c: 'Completed Task' });
      const [matched, chosen] = await h.org.client.create([
        { attributes: { type: 'Contact' }, LastName: 'Shared Phone', Phone: '+33 6 12 34 56 78' },
        { attributes: { type: 'Contact' }, LastName: 'Real Caller' },
      ]);
      assert.ok(matched?.success && chosen?.success);
      const [user] = await h.org.client.query<{ Id: string }>('SELECT Id FROM User LIMIT 1');
      const events = fixtureCall('inbound-answered', 9400001, {});
      const byName = (...names: string[]) =>
        events.filter((e) => names.includes((e as unknown as { event: string }).event));

      // The call is answered and logged, linked to the Contact whose number it is.
      await h.send(byName('call.created', 'call.ringing_on_agent', 'call.answered'));
      assert.deepEqual(await h.drain(), { timedOut: false });
      const [row] = await h.org.client.query<{ Id: string }>(
        "SELECT Id FROM Aircall_Voice__c WHERE Aircall_Call_Id__c = '9400001'",
      );
      assert.equal((await voice(h, 9400001)).Contact__c, matched.id);

      // The agent links it to the real caller while the hang-up is being applied: the agent's save
      // reaches the org just before the connector's write of that batch (its Composite, which
      // also reads people's links as the batch creates the call Task).
      const client = h.org.client;
      const write = client.writeAndRead.bind(client);
      let saved = false;
      client.writeAndRead = async (...args) => {
        if (!saved) {
          saved = true;
          const [result] = await client.update([agentLink(row!.Id, chosen.id!, user!.Id)]);
          assert.ok(result?.success, JSON.stringify(result));
        }
        return write(...args);
      };
      await h.send(byName('call.hungup', 'call.ended'));
      assert.deepEqual(await h.drain(), { timedOut: false });
      assert.ok(saved, 'the agent saved during the batch');
      let logged = await voice(h, 9400001);
      assert.deepEqual(
        [logged.Contact__c, logged.Account__c, logged.Lead__c, logged.Match_Reason__c],
        [chosen.id, null, null, 'Linked by Ana Agent on 2026-09-28'],
      );

      // The Task created by that batch names the person's record; recordings, tags, comments and
      // the assignment that follow keep both.
      const [task] = await h.org.client.query<{ Id: string; WhoId: string }>(
        "SELECT Id, WhoId FROM Task WHERE CallObject = '9400001'",
      );
      assert.equal(task?.WhoId, chosen.id, "the Task names the agent's record");
      await h.send(
        byName(
          'call.comm_assets_generated',
          'call.tagged',
          'call.untagged',
          'call.commented',
          'call.assigned',
        ),
      );
      assert.deepEqual(await h.drain(), { timedOut: false });
      logged = await voice(h, 9400001);
      assert.deepEqual(
        [logged.Contact__c, logged.Match_Reason__c],
        [chosen.id, 'Linked by Ana Agent on 2026-09-28'],
      );
      const [after] = await h.org.client.query<{ WhoId: string; Description: string }>(
        "SELECT WhoId, Description FROM Task WHERE CallObject = '9400001'",
      );
      assert.equal(after?.WhoId, chosen.id, 'the Task keeps the person');
      assert.match(after?.Description ?? '', /quote by Friday/, 'and shows the later comment');
      const [tags] = await h.org.client.query<{ Tags__c: string | null }>(
        "SELECT Tags__c FROM Aircall_Voice__c WHERE Aircall_Call_Id__c = '9400001'",
      );
      assert.ok(tags?.Tags__c, 'the later events were applied');
    } finally {
      await h.close();
    }
  });
});

describe('a link set by a person, before the connector changes its own choice or creates the Task', () => {
  /** The call is answered and logged; returns its Aircall Voice Id and the events not yet sent. */
  async function answered(h: Harness, callId: number, digits: string) {
    const events = fixtureCall('inbound-answered', callId, { raw_digits: digits, contact: null });
    const byName = (...names: string[]) =>
      events.filter((e) => names.includes((e as unknown as { event: string }).event));
    await h.send(byName('call.created', 'call.ringing_on_agent', 'call.answered'));
    assert.deepEqual(await h.drain(), { timedOut: false });
    const [row] = await h.org.client.query<{ Id: string }>(
      `SELECT Id FROM Aircall_Voice__c WHERE Aircall_Call_Id__c = '${callId}'`,
    );
    assert.ok(row, `call ${callId} is logged`);
    return { voiceId: row.Id, byName };
  }

  async function taskOf(h: Harness, callId: number) {
    const [task] = await h.org.client.query<{ WhoId: string | null; WhatId: string | null }>(
      `SELECT WhoId, WhatId FROM Task WHERE CallObject = '${callId}'`,
    );
    assert.ok(task, `call ${callId} has its Task`);
    return task;
  }

  it('keeps it when a later search finds a record for the number, and the Task names the person', async () => {
    // Every batch searches again (no match kept), so the Contact created meanwhile is found.
    const h = await startHarness({ connector: { worker: { matchCacheMs: 0, matchCallMs: 0 } } });
    try {
      await settings(h, {
        Activity_Task__c: 'Completed Task',
        Unknown_Number_Action__c: 'Do Nothing',
      });
      const [acme] = await h.org.client.create([{ attributes: { type: 'Account' }, Name: 'Acme' }]);
      const [chosen] = await h.org.client.create([
        { attributes: { type: 'Contact' }, LastName: 'Real Caller', AccountId: acme!.id },
      ]);
      assert.ok(acme?.success && chosen?.success);
      const [user] = await h.org.client.query<{ Id: string }>('SELECT Id FROM User LIMIT 1');
      const { voiceId, byName } = await answered(h, 9600001, '+33 6 11 11 11 11');
      assert.equal((await voice(h, 9600001)).Contact__c, null, 'nobody has the number yet');

      // The agent links the caller; then a Contact with the number is created.
      const [saved] = await h.org.client.update([agentLink(voiceId, chosen.id!, user!.Id)]);
      assert.ok(saved?.success, JSON.stringify(saved));
      const [found] = await h.org.client.create([
        { attributes: { type: 'Contact' }, LastName: 'Found Later', Phone: '+33 6 11 11 11 11' },
      ]);
      assert.ok(found?.success);
      await h.send(byName('call.hungup', 'call.ended'));
      assert.deepEqual(await h.drain(), { timedOut: false });

      const logged = await voice(h, 9600001);
      assert.deepEqual(
        [logged.Contact__c, logged.Account__c, logged.Lead__c, logged.Match_Reason__c],
        [chosen.id, null, null, 'Linked by Ana Agent on 2026-09-28'],
        "the connector found another record and kept the person's link",
      );
      const task = await taskOf(h, 9600001);
      assert.deepEqual([task.WhoId, task.WhatId], [chosen.id, null]);
    } finally {
      await h.close();
    }
  });

  for (const mode of PACKAGE_MODES) {
    it(`gives the Task created when the call ends the record the agent chose during the call, at one request only then (${mode.label})`, async (t) => {
      const h = await startHarness({ namespace: mode.namespace });
      try {
        await settings(h, { Activity_Task__c: 'Completed Task' });
        const [acme] = await h.org.client.create([
          { attributes: { type: 'Account' }, Name: 'Acme' },
        ]);
        const [matched, chosen, other] = await h.org.client.create([
          { attributes: { type: 'Contact' }, LastName: 'Shared Phone', Phone: '+33 6 22 22 22 22' },
          { attributes: { type: 'Contact' }, LastName: 'Real Caller', AccountId: acme!.id },
          { attributes: { type: 'Contact' }, LastName: 'Other Caller', Phone: '+33 6 22 22 22 23' },
        ]);
        assert.ok(matched?.success && chosen?.success && other?.success);
        const [user] = await h.org.client.query<{ Id: string }>('SELECT Id FROM User LIMIT 1');
        const client = h.org.client;
        const query = client.query.bind(client);
        const soqls: string[] = [];
        client.query = (soql: string) => {
          soqls.push(soql);
          return query(soql);
        };
        // Two calls of the same shape: nobody changes the second one's link.
        const linkedCall = await answered(h, 9600002, '+33 6 22 22 22 22');
        const plainCall = await answered(h, 9600003, '+33 6 22 22 22 23');
        assert.equal((await voice(h, 9600002)).Contact__c, matched.id);

        // Change link during the call (Account__c as Change link saves a Contact with its Account).
        const [saved] = await h.org.client.update([
          { ...agentLink(linkedCall.voiceId, chosen.id!, user!.Id), Account__c: acme!.id },
        ]);
        assert.ok(saved?.success, JSON.stringify(saved));
        const counts = [];
        for (const call of [plainCall, linkedCall]) {
          soqls.length = 0;
          h.local.resetCounters();
          await h.send(call.byName('call.hungup', 'call.ended'));
          assert.deepEqual(await h.drain(), { timedOut: false });
          counts.push({
            ...h.local.counters(),
            linkReads: soqls.filter((q) => q.includes('Linked_By__c')).length,
          });
        }
        t.diagnostic(`the batch that creates the Task: ${JSON.stringify(counts)}`);
        // The people's links are read in the batch's write Composite: no query of their own; the
        // Task is moved to the person's record by one more request, only for the call they linked.
        assert.deepEqual(
          counts.map((c) => c.linkReads),
          [0, 0],
        );
        assert.deepEqual(
          { ...counts[1], composite: counts[1]!.composite - 1, total: counts[1]!.total - 1 },
          counts[0],
          'one request more than the same call nobody linked',
        );
        const task = await taskOf(h, 9600002);
        assert.deepEqual([task.WhoId, task.WhatId], [chosen.id, acme!.id], "the agent's record");
        const plain = await taskOf(h, 9600003);
        assert.deepEqual([plain.WhoId, plain.WhatId], [other.id, null], "the connector's match");
        const kept = await voice(h, 9600002);
        assert.deepEqual(
          [kept.Contact__c, kept.Account__c],
          [chosen.id, acme!.id],
          "the person's link",
        );
      } finally {
        await h.close();
      }
    });

    it(`gives the follow-up Task created when the call ends the record the agent chose during the call (${mode.label})`, async () => {
      const h = await startHarness({ namespace: mode.namespace });
      try {
        // A call-back to do after every answered call (a follow-up Task opens when it ends).
        await settings(h, {
          Activity_Task__c: 'Completed Task',
          Answered_Inbound_Action__c: 'Log + open follow-up Task',
        });
        const [acme] = await h.org.client.create([
          { attributes: { type: 'Account' }, Name: 'Acme' },
        ]);
        const [matched, chosen] = await h.org.client.create([
          { attributes: { type: 'Contact' }, LastName: 'Shared Phone', Phone: '+33 6 33 33 33 33' },
          { attributes: { type: 'Contact' }, LastName: 'Real Caller', AccountId: acme!.id },
        ]);
        assert.ok(matched?.success && chosen?.success);
        const [user] = await h.org.client.query<{ Id: string }>('SELECT Id FROM User LIMIT 1');
        const { voiceId, byName } = await answered(h, 9600009, '+33 6 33 33 33 33');
        assert.equal((await voice(h, 9600009)).Contact__c, matched.id);

        // Change link during the call; its end creates the call Task and the follow-up Task.
        const [saved] = await h.org.client.update([
          { ...agentLink(voiceId, chosen.id!, user!.Id), Account__c: acme!.id },
        ]);
        assert.ok(saved?.success, JSON.stringify(saved));
        await h.send(byName('call.hungup', 'call.ended'));
        assert.deepEqual(await h.drain(), { timedOut: false });

        const tasks = await h.org.client.query<{
          WhoId: string | null;
          WhatId: string | null;
          Status: string;
          Aircall_Follow_Up_For__c: string | null;
        }>(
          "SELECT WhoId, WhatId, Status, Aircall_Follow_Up_For__c FROM Task WHERE CallObject = '9600009' OR Aircall_Follow_Up_For__c = '9600009'",
        );
        assert.deepEqual(
          tasks
            .map((t) => [t.Aircall_Follow_Up_For__c ? 'follow-up' : 'call', t.WhoId, t.WhatId])
            .sort(),
          [
            ['call', chosen.id, acme!.id],
            ['follow-up', chosen.id, acme!.id],
          ],
          'the call-back goes to the record the agent chose',
        );
      } finally {
        await h.close();
      }
    });

    it(`keeps a link saved between the read before a re-linking batch and its write (${mode.label})`, async () => {
      // Every batch searches again (no match kept), so the Contact created meanwhile is found.
      const h = await startHarness({
        namespace: mode.namespace,
        connector: { worker: { matchCacheMs: 0, matchCallMs: 0 } },
      });
      try {
        await settings(h, {
          Activity_Task__c: 'Completed Task',
          Unknown_Number_Action__c: 'Do Nothing',
        });
        const [acme] = await h.org.client.create([
          { attributes: { type: 'Account' }, Name: 'Acme' },
        ]);
        const [chosen] = await h.org.client.create([
          { attributes: { type: 'Contact' }, LastName: 'Real Caller', AccountId: acme!.id },
        ]);
        assert.ok(acme?.success && chosen?.success);
        const [user] = await h.org.client.query<{ Id: string }>('SELECT Id FROM User LIMIT 1');
        const { voiceId, byName } = await answered(h, 9600004, '+33 6 44 44 44 44');
        const [found] = await h.org.client.create([
          { attributes: { type: 'Contact' }, LastName: 'Found Later', Phone: '+33 6 44 44 44 44' },
        ]);
        assert.ok(found?.success);

        // The hang-up's batch re-links the call to the Contact found: it reads people's links first
        // (nobody has linked it yet), and the agent's save reaches the org right after that read,
        // before the batch's write.
        const client = h.org.client;
        const query = client.query.bind(client);
        let saved = false;
        client.query = async <T extends SalesforceRecord>(soql: string) => {
          const rows = await query<T>(soql);
          if (!saved && soql.includes('Linked_By__c')) {
            saved = true;
            const [result] = await client.update([
              { ...agentLink(voiceId, chosen.id!, user!.Id), Account__c: acme.id },
            ]);
            assert.ok(result?.success, JSON.stringify(result));
          }
          return rows;
        };
        await h.send(byName('call.hungup', 'call.ended'));
        assert.deepEqual(await h.drain(), { timedOut: false });
        assert.ok(saved, 'the agent saved between the read and the write');

        let logged = await voice(h, 9600004);
        assert.deepEqual(
          [logged.Contact__c, logged.Account__c, logged.Lead__c, logged.Match_Reason__c],
          [chosen.id, acme.id, null, 'Linked by Ana Agent on 2026-09-28'],
          "the person's link survives the batch that re-linked the call",
        );
        let task = await taskOf(h, 9600004);
        assert.deepEqual([task.WhoId, task.WhatId], [chosen.id, acme.id]);

        // The call's later events keep it.
        await h.send(byName('call.tagged', 'call.commented'));
        assert.deepEqual(await h.drain(), { timedOut: false });
        logged = await voice(h, 9600004);
        assert.deepEqual([logged.Contact__c, logged.Account__c], [chosen.id, acme.id]);
        task = await taskOf(h, 9600004);
        assert.deepEqual([task.WhoId, task.WhatId], [chosen.id, acme.id]);
      } finally {
        await h.close();
      }
    });
  }

  it('costs no request on a batch that re-links nothing', async (t) => {
    const h = await startHarness();
    try {
      await settings(h, { Activity_Task__c: 'Completed Task' });
      const [contact] = await h.org.client.create([
        { attributes: { type: 'Contact' }, LastName: 'Caller', Phone: '+33 6 33 33 33 33' },
      ]);
      assert.ok(contact?.success);
      // The connector's queries, to tell its read of people's links from the others.
      const client = h.org.client;
      const query = client.query.bind(client);
      const soqls: string[] = [];
      client.query = (soql: string) => {
        soqls.push(soql);
        return query(soql);
      };
      const linkReads = () => soqls.filter((q) => q.includes('Linked_By__c')).length;
      // A first call warms the connector up (org describe, settings): not what is measured.
      await h.send(fixtureCall('inbound-answered', 9600010, { raw_digits: '+33 6 55 55 55 55' }));
      assert.deepEqual(await h.drain(), { timedOut: false });

      // A call logged and ended in one batch: its Task comes with its first write.
      const events = fixtureCall('inbound-answered', 9600011, {
        raw_digits: '+33 6 33 33 33 33',
        contact: null,
      });
      const later = ['call.tagged', 'call.untagged', 'call.commented', 'call.assigned'];
      const isLater = (e: unknown) => later.includes((e as { event: string }).event);
      h.local.resetCounters();
      await h.send(events.filter((e) => !isLater(e)));
      assert.deepEqual(await h.drain(), { timedOut: false });
      const whole = { ...h.local.counters(), linkReads: linkReads() };
      // The later events of the call, its Task written: tags, comments.
      h.local.resetCounters();
      await h.send(events.filter(isLater));
      assert.deepEqual(await h.drain(), { timedOut: false });
      const after = { ...h.local.counters(), linkReads: linkReads() };
      t.diagnostic(`a call logged whole: ${JSON.stringify(whole)}`);
      t.diagnostic(`its later events: ${JSON.stringify(after)}`);
      assert.deepEqual(
        [whole.linkReads, after.linkReads],
        [0, 0],
        `no read of people's links: ${JSON.stringify({ whole, after })}`,
      );
      assert.equal((await taskOf(h, 9600011)).WhoId, contact.id);
      assert.ok(after.composite > 0, 'the later events were written');
      const [task] = await h.org.client.query<{ Description: string }>(
        "SELECT Description FROM Task WHERE CallObject = '9600011'",
      );
      assert.match(task?.Description ?? '', /quote by Friday/, 'the Task shows the later comment');
    } finally {
      await h.close();
    }
  });
});

for (const mode of PACKAGE_MODES)
  describe(`a number remembered by an agent (${mode.label})`, () => {
    it('links the next call from it to the record chosen, with no request more than any call', async () => {
      const h = await startHarness({ namespace: mode.namespace });
      try {
        await settings(h, { Activity_Task__c: 'Completed Task' });
        const [acme] = await h.org.client.create([
          { attributes: { type: 'Account' }, Name: 'Acme' },
        ]);
        const [shared, chosen, plain] = await h.org.client.create([
          { attributes: { type: 'Contact' }, LastName: 'Shared Phone', Phone: '+33 6 12 34 56 78' },
          { attributes: { type: 'Contact' }, LastName: 'Real Caller', AccountId: acme!.id },
          { attributes: { type: 'Contact' }, LastName: 'Other Caller', Phone: '+33 6 98 76 54 32' },
        ]);
        assert.ok(shared?.success && chosen?.success && plain?.success);
        // What Change link's "Remember for this number" saves.
        const [link] = await h.org.client.create([
          {
            attributes: { type: 'Aircall_Number_Link__c' },
            Name: '+33612345678',
            Phone_Key__c: '+33612345678',
            Phone__c: '+33612345678',
            Contact__c: chosen.id,
          },
        ]);
        assert.ok(link?.success, JSON.stringify(link));

        // The same kind of call, from a remembered number and from a number only a Contact has:
        // each costs what the other does (the link comes with the batch's one search).
        // A first call warms the connector up (org describe, settings): not what is measured.
        await h.send(fixtureCall('inbound-answered', 9500000, { raw_digits: '+33 6 55 55 55 55' }));
        assert.deepEqual(await h.drain(), { timedOut: false });
        const counts = [];
        for (const [id, digits] of [
          [9500001, '+33 6 12 34 56 78'],
          [9500002, '+33 6 98 76 54 32'],
        ] as const) {
          h.local.resetCounters();
          await h.send(fixtureCall('inbound-answered', id, { raw_digits: digits, contact: null }));
          assert.deepEqual(await h.drain(), { timedOut: false });
          counts.push(h.local.counters());
        }
        assert.equal(counts[0]!.search, 1, 'one search for the remembered number');
        assert.deepEqual(counts[0], counts[1]);

        const remembered = await voice(h, 9500001);
        assert.deepEqual(
          [remembered.Contact__c, remembered.Account__c, remembered.Lead__c],
          [chosen.id, acme!.id, null],
        );
        assert.equal(
          remembered.Match_Reason__c,
          'Matched: an agent chose this Contact for this number (Aircall Number Link)',
        );
        assert.equal((await voice(h, 9500002)).Contact__c, plain.id);
      } finally {
        await h.close();
      }
    });
  });
