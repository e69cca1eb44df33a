/**
 * End to end: Aircall webhook envelopes → inbox → worker → engine → the embedded local org over
 * HTTP (jsforce + Telephony API), then the org's records are read back with SOQL and compared with
 * what the rules say. Only Aircall is simulated (recorded payload shapes in test/fixtures/aircall).
 *
 * Every scenario runs against the package deployed without a namespace (`npm run deploy`) and
 * installed as the managed package (`aircallsfv__Aircall_Voice__c`, …), which the connector
 * detects at start and maps every name to. The reads below go through the same mapping, and each
 * run also checks the org's own names with a raw query. In both modes it runs again in an org with
 * Person Accounts whose settings say "Create Person Account": unknown callers become Person
 * Accounts (upserted by `Aircall_Phone_Key__pc`) instead of Leads, once each, whatever the order.
 *
 * With AIRCALL_E2E_INSTANCE_URL and AIRCALL_E2E_ACCESS_TOKEN set (what `scripts/scratch-org-ci.sh
 * --local` sets after deploying the built package to an empty org and assigning it
 * Aircall_Integration), the suite "against the deployed org" runs the in-order scenario against
 * that org instead of one this file starts: the package as the Metadata API deployed it, the
 * permission set as assigned, the namespace as the org was created with (AIRCALL_E2E_NAMESPACE).
 * It is the org's first calls, so it runs once per org.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import {
  connectHarness,
  fixture,
  PACKAGE_MODES,
  shuffled,
  startHarness as startPlainHarness,
  type Harness,
} from './harness';
import { backendSkip, type InboxBackend } from '../inbox/database';

const CALL_FIXTURES = [
  'inbound-answered',
  'inbound-missed',
  'inbound-voicemail',
  'inbound-abandoned',
  'outbound-answered',
  'outbound-unanswered',
  'outbound-invalid',
] as const;

const EXPECTED_TYPE: Record<(typeof CALL_FIXTURES)[number], string | null> = {
  'inbound-answered': 'Answered',
  'inbound-missed': 'Missed',
  'inbound-voicemail': 'Voicemail',
  'inbound-abandoned': 'Abandoned',
  'outbound-answered': 'Answered',
  'outbound-unanswered': 'Unanswered Outbound',
  'outbound-invalid': null, // VoiceCall only, no Aircall Voice
};

interface CallData {
  id: number;
  started_at: number;
  answered_at: number | null;
  ended_at: number;
}

function endedData(name: (typeof CALL_FIXTURES)[number]): CallData {
  const ended = fixture(name).filter((e) => e.event === 'call.ended');
  return (ended[ended.length - 1] as { data: CallData }).data;
}

const allEvents = () => CALL_FIXTURES.flatMap((name) => fixture(name));

interface Voice {
  [field: string]: unknown;
  Id: string;
  Aircall_Call_Id__c: string;
  Call_Type__c: string;
  Ring_Seconds__c: number;
  Talk_Seconds__c: number;
  Total_Seconds__c: number;
  Voice_Call__c: string | null;
  Lead__c: string | null;
  Account__c: string | null;
}

/** What the org creates for an unknown number: a Lead (the default) or a Person Account. */
type Created = 'Lead' | 'PersonAccount';

async function readOrg(h: Pick<Harness, 'org'>, created: Created) {
  const voices = await h.org.client.query<Voice>(
    'SELECT Id, Aircall_Call_Id__c, Call_Type__c, Ring_Seconds__c, Talk_Seconds__c, Total_Seconds__c, Voice_Call__c, Lead__c, Account__c FROM Aircall_Voice__c',
  );
  const calls = await h.org.client.query<{
    Id: string;
    VendorCallKey: string;
    Aircall_Voice__c: string | null;
    CallDurationInSeconds: number;
  }>('SELECT Id, VendorCallKey, Aircall_Voice__c, CallDurationInSeconds FROM VoiceCall');
  const leads =
    created === 'Lead'
      ? await h.org.client.query<{ Id: string; Aircall_Phone_Key__c: string }>(
          'SELECT Id, Aircall_Phone_Key__c FROM Lead WHERE Aircall_Phone_Key__c != null',
        )
      : (
          await h.org.client.query<{ Id: string; Aircall_Phone_Key__pc: string }>(
            'SELECT Id, Aircall_Phone_Key__pc FROM Account WHERE IsPersonAccount = true AND Aircall_Phone_Key__pc != null',
          )
        ).map((a) => ({ Id: a.Id, Aircall_Phone_Key__c: a.Aircall_Phone_Key__pc }));
  return { voices, calls, leads };
}

/** The invariant every scenario must end in, whatever the delivery order, duplicates or faults. */
async function assertOrgMatchesRulesFor(h: Pick<Harness, 'org'>, created: Created): Promise<void> {
  const { voices, calls, leads } = await readOrg(h, created);
  for (const name of CALL_FIXTURES) {
    const data = endedData(name);
    const id = String(data.id);
    const vcs = calls.filter((c) => c.VendorCallKey === id);
    assert.equal(vcs.length, 1, `${name}: exactly one VoiceCall`);
    const avs = voices.filter((v) => v.Aircall_Call_Id__c === id);
    const type = EXPECTED_TYPE[name];
    if (type === null) {
      assert.equal(avs.length, 0, `${name}: no Aircall Voice for an invalid number`);
      continue;
    }
    assert.equal(avs.length, 1, `${name}: exactly one Aircall Voice`);
    const av = avs[0]!;
    const answered = data.answered_at;
    assert.equal(av.Call_Type__c, type, `${name}: call type`);
    assert.equal(
      av.Ring_Seconds__c,
      (answered ?? data.ended_at) - data.started_at,
      `${name}: ring seconds`,
    );
    assert.equal(
      av.Talk_Seconds__c,
      answered ? data.ended_at - answered : 0,
      `${name}: talk seconds (0 when unanswered)`,
    );
    assert.equal(av.Total_Seconds__c, data.ended_at - data.started_at, `${name}: total seconds`);
    assert.equal(av.Voice_Call__c, vcs[0]!.Id, `${name}: Aircall Voice → VoiceCall`);
    assert.equal(vcs[0]!.Aircall_Voice__c, av.Id, `${name}: VoiceCall → Aircall Voice`);
  }
  const keys = leads.map((l) => l.Aircall_Phone_Key__c);
  assert.equal(new Set(keys).size, keys.length, `no number got two of ${created}`);
  assert.deepEqual(
    [...keys].sort(),
    ['+16176105413', '+33612345678', '+33698765432'],
    `one ${created} per unknown number (the anonymous caller and the invalid number get none)`,
  );
  const link = created === 'Lead' ? 'Lead__c' : 'Account__c';
  for (const v of voices) {
    if (v[link])
      assert.ok(
        leads.some((l) => l.Id === v[link]),
        `Aircall Voice points at a created ${created}`,
      );
  }
  if (created === 'PersonAccount')
    assert.equal((await h.org.client.query('SELECT Id FROM Lead')).length, 0, 'no Lead');
}

/**
 * Both package modes on the SQLite inbox, and the unprefixed one on the PostgreSQL inbox (the
 * inbox does not see names, so the managed-package mode on PostgreSQL would repeat the same run).
 */
const VARIANTS: {
  label: string;
  namespace: string;
  backend: InboxBackend;
  integrationUser?: boolean;
  /** An org with Person Accounts, unknown numbers → "Create Person Account". */
  personAccounts?: boolean;
}[] = [
  ...PACKAGE_MODES.map((m) => ({ ...m, backend: 'SQLite' as InboxBackend })),
  ...PACKAGE_MODES.map((m) => ({
    ...m,
    label: `${m.label}, org with Person Accounts`,
    backend: 'SQLite' as InboxBackend,
    personAccounts: true,
  })),
  { ...PACKAGE_MODES[0], backend: 'PostgreSQL' },
  // The integration user with the minimum-access profile and only Aircall_Integration: the
  // permission set is enough for everything the connector does.
  ...PACKAGE_MODES.map((m) => ({
    ...m,
    label: `${m.label}, integration user with only Aircall_Integration`,
    backend: 'SQLite' as InboxBackend,
    integrationUser: true,
  })),
];

for (const { label, namespace, backend, integrationUser, personAccounts } of VARIANTS) {
  describe(
    `connector end to end against the local org: ${label}, ${backend} inbox`,
    {
      skip: backendSkip(backend),
    },
    () => {
      const created: Created = personAccounts ? 'PersonAccount' : 'Lead';
      const startHarness = async (options: Parameters<typeof startPlainHarness>[0] = {}) => {
        if (!personAccounts)
          return startPlainHarness({ ...options, namespace, backend, integrationUser });
        // The admin's settings first, then the injected faults.
        const { faults, ...org } = options.org ?? {};
        const h = await startPlainHarness({
          ...options,
          org: { ...org, personAccounts: true },
          namespace,
          backend,
          integrationUser,
        });
        const [settings] = await h.org.client.create([
          {
            attributes: { type: 'Aircall_Settings__c' },
            Name: 'Settings',
            Unknown_Number_Action__c: 'Create Person Account',
          },
        ]);
        assert.ok(settings?.success, JSON.stringify(settings));
        h.connector.context.invalidate();
        if (faults) h.local.setFaults(faults);
        return h;
      };
      const assertOrgMatchesRules = (h: Harness) => assertOrgMatchesRulesFor(h, created);

      it('logs every call exactly as the rules say when events arrive in order', async () => {
        const h = await startHarness();
        try {
          assert.equal(
            h.org.client.names.namespace,
            namespace,
            'the connector found the namespace',
          );
          const results = await h.send(allEvents());
          assert.ok(results.every((r) => r.status === 'accepted'));
          assert.deepEqual(await h.drain(), { timedOut: false });
          await assertOrgMatchesRules(h);
          assert.deepEqual((await h.connector.inbox.counts()).dead, 0);
          // The org's own names: what an admin's report or `sf data query` would use.
          const p = namespace ? `${namespace}__` : '';
          const raw = await h.org.client.queryPage(
            `SELECT ${p}Aircall_Call_Id__c, ${p}Call_Type__c FROM ${p}Aircall_Voice__c`,
          );
          assert.equal(raw.totalSize, CALL_FIXTURES.length - 1);
          assert.ok(raw.records.every((r) => typeof r[`${p}Call_Type__c`] === 'string'));
        } finally {
          await h.close();
        }
      });

      it('ends in the same records with shuffled delivery, duplicates and small batches', async () => {
        const h = await startHarness({
          connector: {
            worker: { batchEvents: 3, windowMs: 0, backoffBaseMs: 20, backoffMaxMs: 200 },
          },
        });
        try {
          const events = allEvents();
          const delivery = shuffled([...events, ...events.filter((_, i) => i % 3 === 0)], 42);
          const results = await h.send(delivery);
          assert.equal(
            results.filter((r) => r.status === 'duplicate').length,
            delivery.length - events.length,
          );
          // Drain a few events at a time, interleaved with deliveries, like a live stream.
          assert.deepEqual(await h.drain(), { timedOut: false });
          await assertOrgMatchesRules(h);
        } finally {
          await h.close();
        }
      });

      it('survives a restart in the middle without duplicating anything (file inbox)', async () => {
        const dir = mkdtempSync(path.join(tmpdir(), 'aircall-inbox-'));
        const h = await startHarness({
          inboxFile: path.join(dir, 'inbox.db'),
          connector: {
            worker: { batchEvents: 5, windowMs: 0, backoffBaseMs: 20, backoffMaxMs: 200 },
          },
        });
        try {
          const events = shuffled(allEvents(), 7);
          const half = Math.floor(events.length / 2);
          await h.send(events.slice(0, half));
          await h.connector.worker.drainOnce();
          await h.connector.worker.drainOnce();
          await h.restart(); // the process dies; the inbox file and the org remain
          await h.send(events); // Aircall retries everything it was not sure about
          assert.deepEqual(await h.drain(), { timedOut: false });
          await assertOrgMatchesRules(h);
        } finally {
          await h.close();
          rmSync(dir, { recursive: true, force: true });
        }
      });

      it('retries through injected transient faults and still converges', async () => {
        const h = await startHarness({
          org: {
            faults: {
              serviceUnavailableRate: 0.2,
              lockRowRate: 0.2,
              partialFailureRate: 0.2,
              seed: 3,
            },
          },
          connector: {
            worker: { batchEvents: 4, windowMs: 0, backoffBaseMs: 5, backoffMaxMs: 50 },
          },
        });
        try {
          await h.send(shuffled(allEvents(), 11));
          assert.deepEqual(await h.drain(30_000), { timedOut: false });
          h.local.setFaults({});
          await assertOrgMatchesRules(h);
          assert.equal(
            (await h.connector.inbox.counts()).dead,
            0,
            'transient faults never dead-letter',
          );
          const retried = await h.connector.metrics.errors.get();
          assert.ok(
            retried.values.some((v) => v.value > 0),
            'the faults were really hit',
          );
        } finally {
          await h.close();
        }
      });

      it('keeps events durably while the org is down and applies them once it is back', async () => {
        const h = await startHarness({ org: { faults: { outageMs: 60_000 } } });
        try {
          await h.send(allEvents());
          const outcome = await h.connector.worker.drainOnce();
          assert.equal(outcome.applied, 0);
          assert.ok(outcome.retried > 0, 'the batch is scheduled for a retry');
          assert.equal(
            (await h.connector.inbox.counts()).pending,
            allEvents().length,
            'nothing lost, nothing dead',
          );
          h.local.setFaults({}); // the org is back
          assert.deepEqual(await h.drain(), { timedOut: false });
          await assertOrgMatchesRules(h);
        } finally {
          await h.close();
        }
      });
    },
  );
}

const deployed = {
  instanceUrl: process.env.AIRCALL_E2E_INSTANCE_URL ?? '',
  accessToken: process.env.AIRCALL_E2E_ACCESS_TOKEN ?? '',
  namespace: process.env.AIRCALL_E2E_NAMESPACE ?? '',
};

describe(
  'connector end to end against the deployed org',
  {
    skip:
      deployed.instanceUrl && deployed.accessToken
        ? false
        : 'set by scripts/scratch-org-ci.sh --local (AIRCALL_E2E_INSTANCE_URL, AIRCALL_E2E_ACCESS_TOKEN)',
  },
  () => {
    it('logs every call exactly as the rules say, as the user the package was assigned to', async () => {
      const h = await connectHarness(deployed);
      try {
        assert.equal(h.org.client.names.namespace, deployed.namespace, 'the namespace');
        const results = await h.send(allEvents());
        assert.ok(results.every((r) => r.status === 'accepted'));
        assert.deepEqual(await h.drain(), { timedOut: false });
        assert.equal((await h.connector.inbox.counts()).dead, 0);
        await assertOrgMatchesRulesFor(h, 'Lead');
      } finally {
        await h.close();
      }
    });
  },
);
