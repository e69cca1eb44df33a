/**
 * The operator's commands against a PostgreSQL inbox (`--inbox postgres://…`, several connector
 * processes sharing it), as real processes against a local org in its own process: `replay` fills
 * it, `doctor` reports it (and who shares it), `dead-letters` lists and retries what failed in it,
 * and `explain` reuses the records the connectors created for unknown numbers, kept in it.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { admit } from '../../src/connector/ingest';
import { ConnectorMetrics } from '../../src/connector/metrics';
import { PostgresInbox } from '../../src/inbox/postgres';
import { generateCalls, writeNdjson } from '../../dev/simulator';
import { BIN, launch, type Started } from '../helpers/processes';
import { backendSkip, freshSchema, type TestSchema } from '../inbox/database';

const TOKEN = 'pg-cli-token';

describe('aircall-sfv commands on a PostgreSQL inbox', { skip: backendSkip('PostgreSQL') }, () => {
  let dir: string;
  let schema: TestSchema;
  let org: Started;
  let env: NodeJS.ProcessEnv;
  const run = (args: string[]) => {
    const result = spawnSync(process.execPath, [BIN, ...args, '--inbox', schema.url, '--json'], {
      cwd: dir,
      env: { ...process.env, ...env },
      encoding: 'utf8',
      timeout: 180_000,
    });
    const last = result.stdout.trim().split('\n').pop() ?? '';
    return {
      status: result.status,
      json: (last.startsWith('{') ? JSON.parse(last) : {}) as Record<string, unknown>,
      text: `${result.stdout}\n${result.stderr}`,
    };
  };

  before(async () => {
    const fresh = await freshSchema('cli');
    if ('skip' in fresh) throw new Error(fresh.skip);
    schema = fresh;
    dir = mkdtempSync(path.join(tmpdir(), 'aircall-pg-cli-'));
    org = launch(
      process.execPath,
      [BIN, 'local-org', '--port', '0', '--db', path.join(dir, 'org.db'), '--json'],
      process.env,
      { cwd: dir, keepLines: 20 },
    );
    const { instanceUrl, accessToken } = JSON.parse(
      await org.line(/^(\{.*"instanceUrl".*\})$/),
    ) as { instanceUrl: string; accessToken: string };
    env = {
      SF_INSTANCE_URL: instanceUrl,
      SF_ACCESS_TOKEN: accessToken,
      AIRCALL_WEBHOOK_TOKENS: TOKEN,
      LOG_LEVEL: 'warn',
    };
    delete env.DATABASE_URL;
  });

  after(async () => {
    org?.child.kill('SIGTERM');
    await org?.exited;
    await schema?.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('replay fills it and doctor reports it: counts, server, connector processes', async () => {
    const { envelopes } = generateCalls({ count: 8, seed: 39, token: TOKEN });
    const file = path.join(dir, 'calls.ndjson');
    await writeNdjson(envelopes, file);
    const replay = run(['replay', file]);
    assert.equal(replay.status, 0, replay.text);
    assert.equal(replay.json.deadLettered, 0, replay.text);
    const doctor = run(['doctor']);
    assert.equal(doctor.status, 0, doctor.text);
    const inbox = (doctor.json.checks as { name: string; ok: boolean; detail: string }[]).find(
      (c) => c.name === 'inbox',
    );
    assert.ok(inbox?.ok, doctor.text);
    assert.match(inbox.detail, /^PostgreSQL 127\.0\.0\.1:\d+\/postgres: 0 pending, \d+ applied/);
    assert.match(inbox.detail, /0 connector process\(es\) connected/, 'none runs now');
  });

  it('dead-letters lists what failed in it, doctor fails on it, and --retry applies it', async () => {
    const { envelopes } = generateCalls({ count: 1, seed: 40, token: TOKEN });
    const first = envelopes.find((e) => e.resource === 'call');
    const admission = admit(first, { tokens: [TOKEN], metrics: new ConnectorMetrics() });
    assert.equal(admission.status, 'valid');
    const inbox = await PostgresInbox.open(schema.url);
    try {
      await inbox.add(admission.event);
      const claimed = await inbox.claimDue(Date.now(), 1000);
      const seqs = claimed.events.filter((e) => e.key === admission.event.key).map((e) => e.seq);
      assert.equal(seqs.length, 1);
      await inbox.deadLetter(seqs, 'The org refused it (test)', 'TEST_FAILURE', Date.now());
      await inbox.releaseClaims();
    } finally {
      await inbox.close();
    }
    const listed = run(['dead-letters']);
    assert.equal(listed.status, 0, listed.text);
    const letters = listed.json.deadLetters as { reason: string; errorCode: string | null }[];
    assert.deepEqual(
      letters.map((l) => [l.reason, l.errorCode]),
      [['The org refused it (test)', 'TEST_FAILURE']],
    );
    const doctor = run(['doctor']);
    assert.equal(doctor.status, 1, doctor.text);
    assert.match(doctor.text, /1 dead letter\(s\): see aircall-sfv dead-letters/);
    const retried = run(['dead-letters', '--retry']);
    assert.equal(retried.status, 0, retried.text);
    assert.deepEqual(retried.json, { retried: 1, stillDead: 0 });
  });

  it('explain reuses the record created for an unknown number, kept in the shared inbox', async () => {
    const number = '+33 6 98 76 54 39';
    const before = run(['explain', '--number', number, '--at', '2026-01-05T10:00:00+01:00']);
    assert.equal(before.status, 0, before.text);
    assert.doesNotMatch(String(before.json.explanation), /00Q000000000039AAA/);
    const inbox = await PostgresInbox.open(schema.url);
    try {
      await inbox.complete(
        [],
        [],
        [],
        new Map([['+33698765439', { sobject: 'Lead' as const, id: '00Q000000000039AAA' }]]),
      );
    } finally {
      await inbox.close();
    }
    const after = run(['explain', '--number', number, '--at', '2026-01-05T10:00:00+01:00']);
    assert.equal(after.status, 0, after.text);
    assert.match(String(after.json.explanation), /Linked to Lead 00Q000000000039AAA/);
  });
});
