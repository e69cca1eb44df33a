/**
 * Follow-up Tasks against the local org: a missed call whose action is "Log + open follow-up Task"
 * opens one (`Not Started`, due that day); calling the number back and being answered within
 * `Callback_Window_Hours__c` closes it (Status Completed, the Task says which call closed it), even
 * across a connector restart (the open follow-ups are kept in the inbox); a call back after the
 * window leaves it open. A follow-up follows its call's link: when a later event of the call finds
 * a record for the number, the follow-up names it as the Aircall Voice and the call Task do, unless
 * a person set the call's link.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { fixture, startHarness, type Harness } from './harness';

const HOUR = 3600;

/** A fixture call under another id, `by` seconds later, with the other party's number patched. */
function shifted(
  name: string,
  id: number,
  by: number,
  patch: Record<string, unknown>,
): Record<string, unknown>[] {
  return fixture(name).map((e) => {
    const copy = structuredClone(e) as unknown as {
      timestamp: number;
      data: Record<string, unknown>;
    };
    copy.timestamp += by;
    for (const key of ['started_at', 'answered_at', 'ended_at'])
      if (typeof copy.data[key] === 'number') copy.data[key] = copy.data[key] + by;
    copy.data = { ...copy.data, id, ...patch };
    return copy;
  });
}

interface FollowUpRow {
  [field: string]: unknown;
  Id: string;
  Status: string;
  Subject: string;
  Description: string | null;
  Aircall_Follow_Up_For__c: string;
}

async function followUps(h: Harness): Promise<Map<string, FollowUpRow>> {
  const rows = await h.org.client.query<FollowUpRow>(
    'SELECT Id, Status, Subject, Description, Aircall_Follow_Up_For__c FROM Task WHERE Aircall_Follow_Up_For__c != null',
  );
  return new Map(rows.map((r) => [r.Aircall_Follow_Up_For__c, r]));
}

/** Settings: missed inbound calls open a follow-up Task; unknown numbers create nothing. */
async function followUpsOn(h: Harness, extra: Record<string, unknown> = {}): Promise<void> {
  const [settings] = await h.org.client.create([
    {
      attributes: { type: 'Aircall_Settings__c' },
      Name: 'Settings',
      Missed_Inbound_Action__c: 'Log + open follow-up Task',
      Unknown_Number_Action__c: 'Do Nothing',
      ...extra,
    },
  ]);
  assert.ok(settings?.success, JSON.stringify(settings));
}

describe('follow-up Tasks', () => {
  it('a call back answered within the window closes the follow-up, across a restart; one after the window does not', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'aircall-follow-ups-'));
    const h = await startHarness({ inboxFile: path.join(dir, 'inbox.db') });
    try {
      await followUpsOn(h, { Callback_Window_Hours__c: 24 });
      // Two missed calls: Léa (+33 6 12 34 56 78) and Marc (+33 6 98 76 54 32).
      const lea = fixture('inbound-missed');
      const marc = shifted('inbound-missed', 4186790102, 60, { raw_digits: '06 98 76 54 32' });
      await h.send([...lea, ...marc]);
      assert.deepEqual(await h.drain(), { timedOut: false });
      const opened = await followUps(h);
      assert.deepEqual(
        [...opened.values()].map((t) => [t.Aircall_Follow_Up_For__c, t.Status]).sort(),
        [
          ['4186790002', 'Not Started'],
          ['4186790102', 'Not Started'],
        ],
      );

      await h.restart();
      // The missed call ended at 1790668825. Léa is called back and answers two hours later
      // (an outbound call); Marc only 25 hours later, past the 24-hour window.
      const base = 1790603050; // the outbound fixture's start
      const callLea = shifted('outbound-answered', 4186790201, 1790668825 + 2 * HOUR - base, {
        raw_digits: '+33 6 12 34 56 78',
      });
      const callMarc = shifted('outbound-answered', 4186790202, 1790668885 + 25 * HOUR - base, {
        raw_digits: '+33 6 98 76 54 32',
      });
      await h.send([...callLea, ...callMarc]);
      assert.deepEqual(await h.drain(), { timedOut: false });

      const after = await followUps(h);
      assert.equal(after.size, 2, 'no second follow-up Task');
      const closed = after.get('4186790002')!;
      assert.equal(closed.Id, opened.get('4186790002')!.Id, 'the same Task, closed');
      assert.equal(closed.Status, 'Completed');
      assert.match(
        closed.Description ?? '',
        /Closed automatically: \+33612345678 was called back and the call was answered at .* \(Aircall call 4186790201\)\./,
      );
      assert.equal(after.get('4186790102')!.Status, 'Not Started', 'called back too late');
      assert.deepEqual(await h.connector.inbox.deadLetters(), []);
    } finally {
      await h.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("follows the call's link when a later event finds a record for the number, and keeps a person's link", async () => {
    // A call's match is kept for its later events (3 h); here not at all, as once that has passed.
    const h = await startHarness({ connector: { worker: { matchCacheMs: 0, matchCallMs: 0 } } });
    try {
      await followUpsOn(h);
      // Léa's missed call (+33 6 12 34 56 78) and Marc's (+33 6 98 76 54 32): nobody has either number.
      const lea = fixture('inbound-missed');
      const marc = shifted('inbound-missed', 4186790102, 60, { raw_digits: '06 98 76 54 32' });
      await h.send([...lea, ...marc]);
      assert.deepEqual(await h.drain(), { timedOut: false });
      const whoOf = async () =>
        new Map(
          (
            await h.org.client.query<{
              Aircall_Follow_Up_For__c: string;
              WhoId: string | null;
              WhatId: string | null;
            }>(
              'SELECT Aircall_Follow_Up_For__c, WhoId, WhatId FROM Task WHERE Aircall_Follow_Up_For__c != null',
            )
          ).map((t) => [t.Aircall_Follow_Up_For__c, [t.WhoId, t.WhatId]]),
        );
      assert.deepEqual(
        await whoOf(),
        new Map([
          ['4186790002', [null, null]],
          ['4186790102', [null, null]],
        ]),
      );

      // Both numbers get a Contact at Acme; an agent links Marc's call to a Lead by Change link.
      const [acme] = await h.org.client.create([
        { attributes: { type: 'Account' }, Name: 'Acme SA' },
      ]);
      assert.ok(acme?.id);
      const [leaContact, marcContact, marcLead] = await h.org.client.create([
        {
          attributes: { type: 'Contact' },
          LastName: 'Garnier',
          MobilePhone: '+33612345678',
          AccountId: acme.id,
        },
        {
          attributes: { type: 'Contact' },
          LastName: 'Petit',
          MobilePhone: '+33698765432',
          AccountId: acme.id,
        },
        { attributes: { type: 'Lead' }, LastName: 'Petit', Company: 'Petit & Fils' },
      ]);
      assert.ok(leaContact?.id && marcContact?.id && marcLead?.id);
      const [marcVoice] = await h.org.client.query<{ Id: string }>(
        "SELECT Id FROM Aircall_Voice__c WHERE Aircall_Call_Id__c = '4186790102'",
      );
      assert.ok(marcVoice);
      const [user] = await h.org.client.query<{ Id: string }>('SELECT Id FROM User LIMIT 1');
      assert.ok(user);
      const saved = await h.org.client.update([
        {
          attributes: { type: 'Aircall_Voice__c' },
          Id: marcVoice.Id,
          Lead__c: marcLead.id,
          Linked_By__c: user.Id,
          Match_Reason__c: 'Linked by Test User on 2026-09-29',
        },
      ]);
      assert.ok(saved[0]?.success, JSON.stringify(saved));

      // A comment on each call: the connector matches the numbers again.
      const commented = (events: Record<string, unknown>[], at: number) => {
        const ended = structuredClone(events.at(-1)!) as {
          event: string;
          timestamp: number;
          data: Record<string, unknown>;
        };
        ended.event = 'call.commented';
        ended.timestamp = at;
        ended.data.comments = [
          { id: at, content: 'Called about the quote.', posted_at: at, posted_by: null },
        ];
        return ended;
      };
      await h.send([commented(lea, 1790669000), commented(marc, 1790669060)]);
      assert.deepEqual(await h.drain(), { timedOut: false });
      assert.deepEqual(
        await whoOf(),
        new Map([
          ['4186790002', [leaContact.id, acme.id]],
          ['4186790102', [marcLead.id, null]],
        ]),
        "Léa's follow-up names her Contact and its Account; Marc's the Lead the agent chose",
      );
      assert.deepEqual(await h.connector.inbox.deadLetters(), []);
    } finally {
      await h.close();
    }
  });
});
