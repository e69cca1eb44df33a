/**
 * Two connectors on one PostgreSQL inbox (a real server, test/inbox/database.ts), one local org,
 * one Aircall (the simulator's fake REST API): the presence sync runs in one of them only (the
 * holder of the advisory lock, src/coordination/leader.ts), so an Omni-Channel change reaches Aircall
 * once and UserServicePresence is polled by one process. When the leader's connection dies — what
 * the server sees when a process is killed — it stops leading at once and a process takes the lock
 * over; when the leader stops, the other takes over and goes on from the shared watermark.
 * Phone-side states applied by one process reach the leader's sync.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import pg from 'pg';
import pino from 'pino';
import { AircallApi } from '../../src/aircall/api';
import { startConnector, type Connector } from '../../src/connector/connector';
import { startLocalOrg, type LocalOrg } from '../../dev/local-org/server';
import { resolveOrg, type OrgTarget } from '../../src/salesforce/org';
import { localOrgResolver } from '../../src/cli/local-org-resolver';
import { PACKAGE_METADATA_DIR, SAMPLE_SEED_FILE } from '../../dev/local-org/paths';
import { startFakeAircall, type FakeAircall } from '../../dev/simulator';
import { DEFAULT_AGENTS } from '../../dev/simulator/agents';
import { waitFor } from '../helpers/processes';
import { backendSkip, freshSchema, type TestSchema } from '../inbox/database';

const EMAIL = 'lucas.bernard@aircall-demo.example';
const AIRCALL_ID = DEFAULT_AGENTS.find((a) => a.email === EMAIL)!.id;

describe(
  'presence sync with two connectors on PostgreSQL: one leader',
  {
    skip: backendSkip('PostgreSQL'),
  },
  () => {
    let local: LocalOrg;
    let aircall: FakeAircall;
    let schema: TestSchema;
    const orgs: OrgTarget[] = [];
    const connectors: Connector[] = [];
    let rep: string;

    const puts = () =>
      aircall
        .received()
        .filter((r) => r.method === 'PUT' && r.path === `/v1/users/${AIRCALL_ID}`)
        .map((r) => (r.body as { availability_status: string }).availability_status);
    const leaders = () => connectors.filter((c) => c.presence !== null);

    const start = async (): Promise<Connector> => {
      const org = await resolveOrg({
        env: { SF_INSTANCE_URL: local.instanceUrl, SF_ACCESS_TOKEN: local.accessToken },
        // The local org's Telephony API settings, which it publishes itself.
        defaultOrg: localOrgResolver(),
      });
      orgs.push(org);
      const connector = await startConnector({
        org,
        logger: pino({ level: 'silent' }),
        inboxFile: schema.url,
        tokens: ['t'],
        listen: false,
        aircall: new AircallApi({
          baseUrl: aircall.url,
          apiId: aircall.apiId,
          apiToken: aircall.apiToken,
        }),
        // Short intervals so the test waits on conditions, not on the 10 s / 5 s defaults.
        presence: { coalesceMs: 20, pollMs: 50, idlePollMs: 50 },
        leaderOptions: { retryMs: 50, checkMs: 200 },
      });
      connectors.push(connector);
      return connector;
    };

    before(async () => {
      const fresh = await freshSchema('leader');
      if ('skip' in fresh) throw new Error(fresh.skip);
      schema = fresh;
      local = await startLocalOrg({
        metadataDir: PACKAGE_METADATA_DIR,
        seedFile: SAMPLE_SEED_FILE,
      });
      aircall = await startFakeAircall({});
      await start();
      await start();
      const [user] = await orgs[0]!.client.query<{ Id: string }>(
        `SELECT Id FROM User WHERE Email = '${EMAIL}'`,
      );
      rep = user!.Id;
    });
    after(async () => {
      for (const c of connectors) await c.close();
      for (const o of orgs) await o.close();
      await aircall?.close();
      await local?.close();
      await schema?.drop();
    });

    it('runs the sync in one process: a change reaches Aircall once, one process polls', async () => {
      assert.equal(leaders().length, 1, 'the first process leads, the second follows');
      const [leader] = leaders();
      const follower = connectors.find((c) => c !== leader)!;
      assert.equal(follower.presence, null);
      assert.equal(follower.coordination.leader, false);
      local.setPresence(rep, 'Available');
      await waitFor('the change to reach Aircall', () => puts().length === 1);
      // A few more polls of the leader: nothing is sent again by anyone.
      const polls = leader!.presence!.polls;
      await waitFor('three more polls', () => (leader!.presence?.polls ?? 0) >= polls + 3);
      await leader!.presence!.idle();
      assert.deepEqual(puts(), ['available']);
    });

    it('tells the leader of phone-side states the other process applies', async () => {
      const [leader] = leaders();
      const follower = connectors.find((c) => c !== leader)!;
      follower.coordination.broadcast({
        kind: 'phone-side',
        events: [
          {
            sobject: 'Aircall_Agent_Status__e',
            userId: rep,
            omniStatus: 'On_Call',
            phoneEvent: 'In Call',
            reason: 'call 1 answered',
            callId: '1',
          },
        ],
      });
      await waitFor('the leader to know the rep is on a call', () =>
        leader!.presence!.isOnCall(rep),
      );
      follower.coordination.broadcast({
        kind: 'phone-side',
        events: [{ sobject: 'Aircall_Voice_Update__e', callId: '1', change: 'ended' }],
      });
      await waitFor('the end of the call', () => !leader!.presence!.isOnCall(rep));
    });

    it('a leader whose connection dies stops leading at once; one process takes over', async () => {
      const [leader] = leaders();
      const admin = new pg.Client({ connectionString: schema.url });
      await admin.connect();
      try {
        // What the server does when the leader's process is killed: its connection ends, and the
        // session's advisory lock with it.
        const { rows } = await admin.query<{ n: number }>(
          `SELECT COUNT(*)::int AS n FROM (SELECT pg_terminate_backend(pid) FROM pg_locks
         WHERE locktype = 'advisory' AND granted AND classid = $1) t`,
          [0x41_69_72_4c],
        );
        assert.equal(rows[0]?.n, 1, 'one lock holder');
      } finally {
        await admin.end();
      }
      await waitFor('the old leader to stop', () => leader!.presence === null);
      await waitFor('a new leader', () => leaders().length === 1);
      const before = puts().length;
      local.setPresence(rep, 'Away_Lunch', { away: true });
      await waitFor('the change to reach Aircall', () => puts().length === before + 1);
      await leaders()[0]!.presence!.idle();
      assert.equal(leaders().length, 1);
      assert.deepEqual(puts().slice(before), ['unavailable']);
    });

    it('when the leader stops, the other process takes over from the shared watermark', async () => {
      const [leader] = leaders();
      const other = connectors.find((c) => c !== leader)!;
      const before = puts().length;
      await leader!.close();
      connectors.splice(connectors.indexOf(leader!), 1);
      // Changed while nobody leads: the new leader reads it from the watermark in the inbox.
      local.setPresence(rep, 'Available');
      await waitFor('the other process to lead', () => other.presence !== null);
      await waitFor('the change to reach Aircall', () => puts().length === before + 1);
      await other.presence!.idle();
      assert.deepEqual(puts().slice(before), ['available']);
    });
  },
);
