/**
 * The link sweeper takes due links by pages of 200 (one SOQL on VendorCallKey each), up to 10
 * pages a sweep, and says when it left due links behind so the worker sweeps again at its next
 * batch. One page a sweep was 200 links a minute: a sustained 3.4 calls a second needing a link
 * outgrew it, and the 100,000-call soak ended with tens of thousands of links waiting.
 *
 * Against the local org, with a spy that counts the connector's own queries (it calls through).
 * None of these calls has a VoiceCall, so every link is postponed, which is what lets the next
 * page be read. The links fall due in 2096, so the harness's own worker (which sweeps on the real
 * clock) never takes them while the test does.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import pino from 'pino';
import { sweepLinks } from '../../src/connector/links';
import type { SalesforceRecord } from '../../src/salesforce/client';
import { startHarness } from './harness';

describe('link sweep', () => {
  it('takes every due link by pages of 200, and says when more than 2,000 were due', async () => {
    const h = await startHarness();
    try {
      const inbox = h.connector.inbox;
      const links = (n: number, from: number) =>
        Array.from({ length: n }, (_, i) => ({
          callId: `9${String(from + i).padStart(6, '0')}`,
          aircallVoiceId: `a0X${String(from + i).padStart(12, '0')}`,
        }));
      const at = Date.UTC(2096, 0, 1);
      const client = h.org.client;
      const logger = pino({ level: 'silent' });
      const queries: string[] = [];
      const query = client.query.bind(client);
      client.query = <T extends SalesforceRecord>(soql: string) => {
        if (soql.includes('FROM VoiceCall')) queries.push(soql);
        return query<T>(soql);
      };

      await inbox.addPendingLinks(links(450, 0), at);
      const first = await sweepLinks(inbox, client, logger, at, 60_000);
      assert.deepEqual(first, { linked: 0, more: false });
      assert.equal(queries.length, 3, '450 links: pages of 200, 200 and 50');
      assert.deepEqual(await inbox.pendingLinksDue(at, 1000), [], 'all postponed');

      queries.length = 0;
      await inbox.addPendingLinks(links(2100, 1000), at + 1000);
      const second = await sweepLinks(inbox, client, logger, at + 1000, 60_000);
      assert.deepEqual(second, { linked: 0, more: true });
      assert.equal(queries.length, 10);
      assert.equal(
        (await inbox.pendingLinksDue(at + 1000, 1000)).length,
        100,
        'left for the next sweep',
      );
    } finally {
      await h.close();
    }
  });
});
