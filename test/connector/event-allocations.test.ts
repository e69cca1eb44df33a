/**
 * The connector when the org's platform event allocations are used up (Platform Events Developer
 * Guide, "Platform Event Allocations"): records are the product, so every call is still logged;
 * the agent's phone state still reaches the Omni-Channel utility bar (it is a record, not an
 * event); the refusals are reported (metric, log, doctor); and the connector recovers by itself
 * when the allocation refills. Against the local org, which refuses as a real org does.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AircallApi } from '../../src/aircall/api';
import { startFakeAircall } from '../../dev/simulator';
import { SAMPLE_SEED_FILE } from '../../dev/local-org/paths';
import { fixture, startHarness } from './harness';
import { execFile } from 'node:child_process';
import path from 'node:path';

const BIN = path.join(__dirname, '..', '..', 'bin', 'aircall-sfv.cjs');

/** Runs the CLI without blocking this process (the local org answers from it). */
function runCli(args: string[], env: NodeJS.ProcessEnv): Promise<{ stdout: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [BIN, ...args],
      { env: { ...process.env, ...env }, encoding: 'utf8', timeout: 180_000 },
      (_error, stdout) => resolve({ stdout }),
    );
  });
}

/** Calls logged on Aircall Voice (an invalid outbound number is a VoiceCall only). */
const CALL_FIXTURES = [
  'inbound-answered',
  'inbound-missed',
  'inbound-voicemail',
  'inbound-abandoned',
  'outbound-answered',
  'outbound-unanswered',
];

function callIds(): Set<string> {
  const ids = new Set<string>();
  for (const name of CALL_FIXTURES) {
    for (const e of fixture(name)) ids.add(String((e.data as { id: unknown }).id));
  }
  return ids;
}

describe('event allocations used up', () => {
  it('logs every call with the delivery and publishing allocations exhausted, says so, and recovers alone', async () => {
    const aircall = await startFakeAircall({});
    const api = new AircallApi({
      baseUrl: aircall.url,
      apiId: aircall.apiId,
      apiToken: aircall.apiToken,
    });
    const h = await startHarness({
      org: {
        seedFile: SAMPLE_SEED_FILE,
        // Nothing left: the presence sync's subscription is refused, every publish too.
        eventAllocations: { dailyDelivered: 0, hourlyPublished: 0 },
      },
      connector: {
        aircall: api,
        // The change-data-capture source, whose streaming client the org refuses.
        presence: { coalesceMs: 50, source: 'cdc' },
        settingsTtlMs: 0,
        // Agent status events are published only when asked (for an admin's flows).
        worker: { agentStatusEvents: true },
      },
    });
    try {
      // The streaming subscription was refused with the documented error; the connector runs on.
      assert.match(h.logs.text, /403::Organization total events daily limit exceeded/);

      const email = 'camille.martin@aircall-demo.example';
      const [opened, wutStart] = fixture('user-events');
      const asRep = (envelope: Record<string, unknown> | undefined) => ({
        ...envelope,
        data: { ...(envelope?.data as object), email },
      });
      await h.send(CALL_FIXTURES.flatMap((name) => fixture(name)));
      await h.send([asRep(opened)]);
      await h.drain();

      const logged = await h.org.client.query<{ Aircall_Call_Id__c: string }>(
        'SELECT Aircall_Call_Id__c FROM Aircall_Voice__c',
      );
      assert.deepEqual(
        new Set(logged.map((r) => r.Aircall_Call_Id__c)),
        callIds(),
        'every call is logged',
      );
      assert.equal((await h.connector.inbox.counts()).dead, 0, 'nothing dead-lettered');
      // The phone state still reaches the utility bar: it is a record, not an event.
      const [rep] = await h.org.client.query<{ Id: string }>(
        `SELECT Id FROM User WHERE Email = '${email}'`,
      );
      const [state] = await h.org.client.query<{ Phone_Event__c: string }>(
        `SELECT Phone_Event__c FROM Aircall_Agent_State__c WHERE User_Key__c = '${rep!.Id}'`,
      );
      assert.equal(state?.Phone_Event__c, 'Available');
      // Refused publishes are reported: metric, log, doctor.
      const exhausted = await h.connector.metrics.eventPublishExhausted.get();
      assert.equal(exhausted.values[0]?.value, 1);
      assert.match(h.logs.text, /hourly publishing allocation used up, LIMIT_EXCEEDED/);
      const env = { SF_INSTANCE_URL: h.local.instanceUrl, SF_ACCESS_TOKEN: h.local.accessToken };
      const doctor = await runCli(['doctor'], env);
      assert.match(doctor.stdout, /event allocations.*hourly publishing allocation is used up/);
      assert.match(doctor.stdout, /24-hour delivery allocation is used up/);

      // The allocation refills: the next status event is published and the flag clears.
      h.local.setEventAllocations({ hourlyPublished: 250_000, dailyDelivered: 25_000 });
      await h.send([asRep(wutStart)]);
      await h.drain();
      const after = await h.connector.metrics.eventPublishExhausted.get();
      assert.equal(after.values[0]?.value, 0);
      assert.match(h.logs.text, /Platform event publishes are accepted again/);
    } finally {
      await h.close();
      await aircall.close();
    }
  });
});
