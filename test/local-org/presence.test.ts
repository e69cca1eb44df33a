/**
 * Omni-Channel presence in the local org: UserServicePresence is read-only through the REST API
 * (as in a real org), and the local-only presence endpoint changes a rep's status the way Omni
 * does, streaming the same change events.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { StreamMessage } from '../../src/salesforce/streaming';
import { openOrg, rest, SEED_FILE, streamingSubscriber } from './helpers';

type Row = Record<string, unknown>;

describe('local org Omni-Channel presence', () => {
  it('refuses REST writes to UserServicePresence, as a real org does', async () => {
    const { org, conn } = await openOrg({ seedFile: SEED_FILE });
    try {
      const users = await conn.query<{ Id: string }>('SELECT Id FROM User LIMIT 1');
      const created = await rest(org, 'POST', '/sobjects/UserServicePresence', {
        UserId: users.records[0]!.Id,
        IsCurrentState: true,
      });
      assert.equal(created.status, 400);
      assert.equal((created.body as Row[])[0]!.errorCode, 'INVALID_FIELD_FOR_INSERT_UPDATE');
    } finally {
      await org.close();
    }
  });

  it('closes the open status and opens the new one, streaming UPDATE then CREATE', async () => {
    const { org, conn } = await openOrg({ seedFile: SEED_FILE });
    const subscriber = streamingSubscriber(conn);
    try {
      const users = await conn.query<{ Id: string }>(
        "SELECT Id FROM User WHERE Email = 'camille.martin@aircall-demo.example'",
      );
      const userId = users.records[0]!.Id;
      const changes: StreamMessage[] = [];
      await subscriber.subscribe('/data/UserServicePresenceChangeEvent', (m) => changes.push(m));
      const first = org.setPresence(userId, 'Available');
      const second = org.setPresence(userId, 'Away_Lunch', { away: true });
      assert.equal(org.setPresence(userId, null), null, 'offline opens no record');
      const deadline = Date.now() + 5000;
      while (changes.length < 4 && Date.now() < deadline)
        await new Promise((r) => setTimeout(r, 20));
      const kinds = changes.map((c) => {
        const header = c.data.payload.ChangeEventHeader as {
          changeType: string;
          recordIds: string[];
        };
        return `${header.changeType} ${header.recordIds[0]}`;
      });
      assert.deepEqual(kinds, [
        `CREATE ${first}`,
        `UPDATE ${first}`,
        `CREATE ${second}`,
        `UPDATE ${second}`,
      ]);
      const created = changes[2]!.data.payload;
      assert.equal(created.UserId, userId);
      assert.equal(created.IsCurrentState, true);
      assert.equal(created.IsAway, true);
      const closed = changes[3]!.data.payload;
      assert.equal(closed.IsCurrentState, false);
      assert.equal(closed.UserId, undefined, 'an UPDATE carries only the changed fields');
      const rows = await conn.query<{
        IsCurrentState: boolean;
        ServicePresenceStatus: { DeveloperName: string };
      }>(
        `SELECT IsCurrentState, ServicePresenceStatus.DeveloperName FROM UserServicePresence WHERE UserId = '${userId}' ORDER BY Name`,
      );
      assert.deepEqual(
        rows.records.map((r) => [r.ServicePresenceStatus.DeveloperName, r.IsCurrentState]),
        [
          ['Available', false],
          ['Away_Lunch', false],
        ],
      );
      const bad = await rest(org, 'POST', '/local/presence', { userId, status: 'No_Such_Status' });
      assert.equal(bad.status, 400);
      assert.match(String((bad.body as Row[])[0]!.message), /No ServicePresenceStatus/);
    } finally {
      await subscriber.close();
      await org.close();
    }
  });
});
