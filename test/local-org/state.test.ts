import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { StreamMessage } from '../../src/salesforce/streaming';
import { openOrg, SEED_FILE, streamingSubscriber } from './helpers';

type Row = Record<string, unknown>;

describe('local org state, search index and streaming', () => {
  it('keeps records, id sequences and the contact-center key in its SQLite file across restarts', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'local-org-db-'));
    const dbFile = join(dir, 'org.db');
    try {
      const first = await openOrg({ dbFile, seedFile: SEED_FILE });
      const created = await first.conn
        .sobject('Aircall_Voice__c')
        .create({ Aircall_Call_Id__c: 'persist-1' });
      const key = first.org.telephony.privateKeyPem;
      const orgId = first.org.telephony.orgId;
      const token = first.org.accessToken;
      const leads = (await first.conn.query('SELECT COUNT() FROM Lead')).totalSize;
      await first.org.close();

      const second = await openOrg({ dbFile, seedFile: SEED_FILE });
      try {
        const [row] = (
          await second.conn.query<Row>(
            "SELECT Id, Name FROM Aircall_Voice__c WHERE Aircall_Call_Id__c = 'persist-1'",
          )
        ).records;
        assert.equal(row!.Id, created.id);
        assert.equal(
          (await second.conn.query('SELECT COUNT() FROM Lead')).totalSize,
          leads,
          'the seed is not loaded twice',
        );
        assert.equal(second.org.telephony.privateKeyPem, key);
        assert.equal(second.org.telephony.orgId, orgId);
        assert.equal(second.org.accessToken, token, 'clients keep working with the same token');
        const next = await second.conn
          .sobject('Aircall_Voice__c')
          .create({ Aircall_Call_Id__c: 'persist-2' });
        assert.notEqual(next.id, created.id);
        const [n2] = (
          await second.conn.query<Row>(
            "SELECT Name FROM Aircall_Voice__c WHERE Aircall_Call_Id__c = 'persist-2'",
          )
        ).records;
        assert.notEqual(n2!.Name, row!.Name);
      } finally {
        await second.org.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  // REFERENCE §3: new records can take minutes to become searchable; SOQL sees them at once.
  it('hides new records from SOSL during the search-index lag while SOQL sees them', async () => {
    const { org, conn } = await openOrg({ searchIndexLagMs: 60_000 });
    try {
      await conn
        .sobject('Lead')
        .create({ LastName: 'Fresh', Company: 'Fresh', Phone: '+33 6 55 44 33 22' });
      const soql = await conn.query("SELECT Id FROM Lead WHERE LastName = 'Fresh'");
      assert.equal(soql.totalSize, 1);
      const sosl = await conn.search('FIND {655443322} IN PHONE FIELDS RETURNING Lead(Id)');
      assert.deepEqual(sosl.searchRecords, []);
    } finally {
      await org.close();
    }
    const noLag = await openOrg({ searchIndexLagMs: 0 });
    try {
      await noLag.conn
        .sobject('Lead')
        .create({ LastName: 'Fresh', Company: 'Fresh', Phone: '+33 6 55 44 33 22' });
      const sosl = await noLag.conn.search('FIND {655443322} IN PHONE FIELDS RETURNING Lead(Id)');
      assert.equal(sosl.searchRecords.length, 1);
    } finally {
      await noLag.org.close();
    }
  });

  it('streams platform events and change events to subscribers, and nothing from rolled-back work', async () => {
    // Aircall_Voice__c and Contact selected for Change Data Capture (the package selects only
    // UserServicePresence).
    const { org, conn } = await openOrg({ changeDataCapture: ['Aircall_Voice__c', 'Contact'] });
    const subscriber = streamingSubscriber(conn);
    try {
      const events: StreamMessage[] = [];
      const changes: StreamMessage[] = [];
      await subscriber.subscribe('/event/Aircall_Voice_Update__e', (m) => events.push(m));
      await subscriber.subscribe('/data/ChangeEvents', (m) => changes.push(m));
      await conn
        .sobject('Aircall_Voice_Update__e')
        .create({ Call_Id__c: '77', Change__c: 'ended' });
      await conn.sobject('Aircall_Voice__c').create({ Aircall_Call_Id__c: 'streamed' });
      await conn
        .sobject('Contact')
        .create([{ LastName: 'Rolled back' }, { FirstName: 'invalid' }], { allOrNone: true });
      const deadline = Date.now() + 5000;
      while ((events.length < 1 || changes.length < 1) && Date.now() < deadline)
        await new Promise((r) => setTimeout(r, 20));
      assert.equal(events.length, 1);
      assert.equal(events[0]!.channel, '/event/Aircall_Voice_Update__e');
      assert.equal(events[0]!.data.payload.Call_Id__c, '77');
      assert.equal(changes.length, 1);
      assert.equal(
        changes[0]!.channel,
        '/data/ChangeEvents',
        'delivered on the channel subscribed to',
      );
      const header = changes[0]!.data.payload.ChangeEventHeader as Row;
      assert.equal(header.changeType, 'CREATE');
      assert.equal(header.entityName, 'Aircall_Voice__c');
      assert.ok(changes[0]!.data.event.replayId > events[0]!.data.event.replayId);
      await assert.rejects(
        subscriber.subscribe('/event/No_Such_Event__e', () => undefined),
        /The channel you requested to subscribe to does not exist \{\/event\/No_Such_Event__e\}/,
      );
    } finally {
      await subscriber.close();
      await org.close();
    }
  });
});
