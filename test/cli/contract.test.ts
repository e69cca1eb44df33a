/**
 * The scripting contract in the README ("The `aircall-sfv` command"), driven the way operators and acceptance tests drive it:
 * real processes, environment variables, JSON on stdout, exit codes. A simulated day of calls
 * (with duplicates and out-of-order delivery) is replayed into a local org started with
 * `local-org --json`, and the org's records are checked against the simulator's ground truth —
 * once with the package deployed without a namespace, once with `local-org --namespace aircallsfv`
 * (the managed package as a subscriber org has it), where the queries name the prefixed fields, and
 * once with `local-org --person-accounts` (an org with Person Accounts enabled).
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { after, before, describe, it } from 'node:test';
import { generateCalls, writeNdjson, type SimulatedCall } from '../../dev/simulator';

const BIN = path.join(__dirname, '..', '..', 'bin', 'aircall-sfv.cjs');
const TOKEN = 'contract-token';

function run(args: string[], env: NodeJS.ProcessEnv, cwd: string) {
  const result = spawnSync(process.execPath, [BIN, ...args], {
    cwd,
    env: { ...process.env, ...env },
    encoding: 'utf8',
    timeout: 180_000,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

const lastJson = (stdout: string) =>
  JSON.parse(stdout.trim().split('\n').pop() ?? '{}') as Record<string, unknown>;

const EXPECTED_TYPE: Record<SimulatedCall['scenario'], string | null> = {
  answered: 'Answered',
  held: 'Answered',
  transferred: 'Answered',
  answered_outbound: 'Answered',
  missed: 'Missed',
  voicemail: 'Voicemail',
  abandoned: 'Abandoned',
  unanswered_outbound: 'Unanswered Outbound',
  invalid_number: null,
};

for (const { namespace, personAccounts } of [
  { namespace: '', personAccounts: false },
  { namespace: 'aircallsfv', personAccounts: false },
  { namespace: '', personAccounts: true },
]) {
  const p = namespace ? `${namespace}__` : '';
  const mode = namespace
    ? ` (local-org --namespace ${namespace})`
    : personAccounts
      ? ' (local-org --person-accounts)'
      : '';
  describe(`aircall-sfv scripting contract${mode}`, () => {
    let dir: string;
    let org: ChildProcessWithoutNullStreams;
    let env: NodeJS.ProcessEnv;

    before(async () => {
      dir = mkdtempSync(path.join(tmpdir(), 'aircall-cli-'));
      org = spawn(
        process.execPath,
        [
          BIN,
          'local-org',
          '--port',
          '0',
          '--db',
          path.join(dir, 'org.db'),
          ...(namespace ? ['--namespace', namespace] : []),
          ...(personAccounts ? ['--person-accounts'] : []),
          '--json',
        ],
        {
          cwd: dir,
          env: process.env,
        },
      );
      const first = await new Promise<string>((resolve, reject) => {
        const lines = createInterface({ input: org.stdout });
        lines.once('line', resolve);
        org.once('exit', (code) => reject(new Error(`local-org exited with ${code}`)));
      });
      const ready = JSON.parse(first) as {
        instanceUrl: string;
        accessToken: string;
        namespace: string;
        personAccounts: boolean;
      };
      assert.match(ready.instanceUrl, /^http:\/\/127\.0\.0\.1:\d+$/);
      assert.ok(ready.accessToken.length > 10);
      assert.equal(ready.namespace, namespace);
      assert.equal(ready.personAccounts, personAccounts);
      env = {
        SF_INSTANCE_URL: ready.instanceUrl,
        SF_ACCESS_TOKEN: ready.accessToken,
        AIRCALL_WEBHOOK_TOKENS: `other,${TOKEN}`,
      };
    });

    after(() => {
      org.kill('SIGTERM');
      rmSync(dir, { recursive: true, force: true });
    });

    it('replays a simulated day and every record matches the ground truth', async () => {
      const { envelopes, calls } = generateCalls({
        count: 150,
        seed: 2026,
        token: TOKEN,
        duplicateRate: 0.1,
        outOfOrderRate: 0.2,
      });
      const file = path.join(dir, 'day.ndjson');
      await writeNdjson(envelopes, file);
      const replay = run(['replay', file, '--json'], env, dir);
      assert.equal(replay.status, 0, replay.stderr);
      const summary = lastJson(replay.stdout);
      assert.deepEqual(Object.keys(summary).slice(0, 5), [
        'accepted',
        'rejected',
        'applied',
        'skipped',
        'deadLettered',
      ]);
      assert.equal(summary.accepted, envelopes.length);
      assert.equal(summary.rejected, 0);
      assert.equal(summary.deadLettered, 0);
      assert.equal(Number(summary.applied) + Number(summary.skipped), envelopes.length);

      const query = run(
        [
          'query',
          `SELECT ${p}Aircall_Call_Id__c, ${p}Call_Type__c, ${p}Ring_Seconds__c, ${p}Talk_Seconds__c, ${p}Voice_Call__c, ${p}Customer_Number__c, ${p}Lead__c, ${p}Contact__c, ${p}Account__c FROM ${p}Aircall_Voice__c`,
          '--json',
        ],
        env,
        dir,
      );
      assert.equal(query.status, 0, query.stderr);
      const result = lastJson(query.stdout) as {
        totalSize: number;
        done: boolean;
        records: Record<string, unknown>[];
      };
      assert.equal(result.done, true);
      // The org's names, read back in the package's names (with the prefix removed) to compare.
      const records = result.records.map((r) =>
        Object.fromEntries(Object.entries(r).map(([k, v]) => [k.replace(p, ''), v])),
      );
      if (namespace) {
        assert.ok(
          result.records.every((r) => `${p}Call_Type__c` in r),
          'the org answers with the prefixed names',
        );
      }
      const byId = new Map(records.map((r) => [String(r.Aircall_Call_Id__c), r]));
      for (const call of calls) {
        const type = EXPECTED_TYPE[call.scenario];
        const record = byId.get(String(call.id));
        if (type === null) {
          assert.equal(
            record,
            undefined,
            `call ${call.id} to an invalid number has no Aircall Voice`,
          );
          continue;
        }
        assert.ok(record, `call ${call.id} (${call.scenario}) is logged`);
        assert.equal(record.Call_Type__c, type, `call ${call.id} type`);
        assert.equal(record.Talk_Seconds__c, call.talkSeconds, `call ${call.id} talk seconds`);
        assert.equal(record.Ring_Seconds__c, call.ringSeconds, `call ${call.id} ring seconds`);
        assert.ok(record.Voice_Call__c, `call ${call.id} is linked to its VoiceCall`);
      }
      assert.equal(result.totalSize, calls.filter((c) => c.scenario !== 'invalid_number').length);

      // CRM records: every unknown caller got exactly one Lead (default "Create Lead"), keyed by its
      // E.164, and all its calls point at it; known callers are linked to their existing record.
      const leads = lastJson(
        run(
          [
            'query',
            `SELECT Id, ${p}Aircall_Phone_Key__c, Phone FROM Lead WHERE ${p}Aircall_Phone_Key__c != null`,
            '--json',
          ],
          env,
          dir,
        ).stdout,
      ) as { records: Record<string, string>[] };
      const leadByNumber = new Map(
        leads.records.map((l) => [l[`${p}Aircall_Phone_Key__c`], l.Id] as const),
      );
      assert.equal(leadByNumber.size, leads.records.length, 'no number got two Leads');
      const unknownNumbers = new Set(
        calls
          .filter((c) => !c.known && c.customerE164 && c.scenario !== 'invalid_number')
          .map((c) => c.customerE164),
      );
      assert.deepEqual([...leadByNumber.keys()].sort(), [...unknownNumbers].sort());
      for (const call of calls) {
        const record = byId.get(String(call.id));
        if (!record || !call.customerE164) continue;
        if (call.known) {
          assert.ok(
            record.Contact__c || record.Lead__c || record.Account__c,
            `call ${call.id} from a known number is linked to its record`,
          );
          assert.ok(!leadByNumber.has(call.customerE164), 'no Lead created for a known number');
        } else {
          assert.equal(
            record.Lead__c,
            leadByNumber.get(call.customerE164),
            `call ${call.id} → the Lead of its number`,
          );
        }
      }

      const voiceCalls = lastJson(
        run(['query', 'SELECT VendorCallKey FROM VoiceCall', '--json'], env, dir).stdout,
      ) as {
        records: { VendorCallKey: string }[];
      };
      assert.equal(
        voiceCalls.records.length,
        calls.length,
        'one VoiceCall per call, invalid numbers included',
      );
      assert.equal(new Set(voiceCalls.records.map((r) => r.VendorCallKey)).size, calls.length);

      // Replaying the same file again changes nothing: upserts by external id, deduplicated inbox.
      const again = lastJson(run(['replay', file, '--json'], env, dir).stdout);
      assert.equal(again.deadLettered, 0);
      const after = lastJson(
        run(['query', `SELECT Id FROM ${p}Aircall_Voice__c`, '--json'], env, dir).stdout,
      );
      assert.equal(after.totalSize, result.totalSize);
    });

    it('answers usage errors with exit status 2 and a message', { skip: mode !== '' }, () => {
      const unknown = run(['frobnicate'], env, dir);
      assert.equal(unknown.status, 2);
      assert.match(unknown.stderr, /Unknown command/);
      const missing = run(['query', '--json'], env, dir);
      assert.equal(missing.status, 2);
      assert.match(String(lastJson(missing.stdout).error), /SOQL/);
      const badFlag = run(['replay', 'x.ndjson', '--bogus'], env, dir);
      assert.equal(badFlag.status, 2);
      const noTokens = run(['replay', 'x.ndjson'], { ...env, AIRCALL_WEBHOOK_TOKENS: '' }, dir);
      assert.equal(noTokens.status, 2);
      assert.match(noTokens.stderr, /AIRCALL_WEBHOOK_TOKENS/);
    });

    it('answers failures with exit status 1: a malformed query, an unknown org alias', () => {
      const bad = run(['query', `SELECT Nope__c FROM ${p}Aircall_Voice__c`, '--json'], env, dir);
      assert.equal(bad.status, 1);
      assert.match(String(lastJson(bad.stdout).error), /Nope__c/);
      if (namespace) {
        // The names of force-app do not exist in a subscriber org: INVALID_TYPE / INVALID_FIELD.
        const unprefixed = run(
          ['query', 'SELECT Aircall_Call_Id__c FROM Aircall_Voice__c', '--json'],
          env,
          dir,
        );
        assert.equal(unprefixed.status, 1);
        assert.match(String(lastJson(unprefixed.stdout).error), /sObject type 'Aircall_Voice__c'/);
        const field = run(
          ['query', `SELECT Call_Type__c FROM ${p}Aircall_Voice__c`, '--json'],
          env,
          dir,
        );
        assert.equal(field.status, 1);
        assert.match(String(lastJson(field.stdout).error), /No such column 'Call_Type__c'/);
      }
      const alias = run(['query', 'SELECT Id FROM Lead', '--target-org', 'no-such-alias'], {}, dir);
      assert.equal(alias.status, 1);
      assert.match(alias.stderr, /sf org login/);
    });

    it('doctor reports one line per check and passes on the local org', () => {
      const doctor = run(['doctor'], env, dir);
      assert.equal(doctor.status, 0, doctor.stdout + doctor.stderr);
      for (const check of [
        'auth',
        'api budget',
        'package',
        'settings',
        'person accounts',
        'agents',
        'contact center',
        'inbox',
      ]) {
        assert.match(doctor.stdout, new RegExp(`^✔ ${check}: `, 'm'));
      }
      assert.match(
        doctor.stdout,
        personAccounts
          ? /^✔ person accounts: enabled: person fields are searched; "Create Person Account" uses record type Person Account \(PersonAccount, 012\w{15}\); active person record types: Person Account \(PersonAccount\)$/m
          : /^✔ person accounts: not enabled in this org/m,
      );
      assert.match(
        doctor.stdout,
        namespace
          ? new RegExp(`^✔ package: installed with the namespace ${namespace} \\(detected\\)`, 'm')
          : /^✔ package: deployed without a namespace/m,
      );
    });

    it('explain says what the rules would do for a number', () => {
      const explain = run(
        ['explain', '--number', '+33 6 12 34 56 78', '--at', '2026-01-05T10:00:00+01:00', '--json'],
        env,
        dir,
      );
      assert.equal(explain.status, 0, explain.stderr);
      assert.ok(String(lastJson(explain.stdout).explanation).length > 20);
    });
  });
}
