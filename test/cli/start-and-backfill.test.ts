/**
 * `npm start` (aircall-sfv start) as a person runs it, and `backfill` against the simulator's fake
 * Aircall REST API (there is no Aircall account on this machine).
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { describe, it } from 'node:test';
import { startLocalOrg } from '../../dev/local-org/server';
import { PACKAGE_METADATA_DIR } from '../../dev/local-org/paths';
import { callsFromEnvelopes, generateCalls, startFakeAircall } from '../../dev/simulator';

const BIN = path.join(__dirname, '..', '..', 'bin', 'aircall-sfv.cjs');

function runAsync(args: string[], cwd: string, env: NodeJS.ProcessEnv) {
  return new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd, env: { ...process.env, ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.once('exit', (status) => resolve({ status, stdout, stderr }));
  });
}

describe('aircall-sfv start', () => {
  it('runs the local org, connector and simulator, prints a line per logged call, stops cleanly on Ctrl-C', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'aircall-start-'));
    const child = spawn(
      process.execPath,
      // The console has its own browser test (test/console); here it would only build its bundle.
      [BIN, 'start', '--port', '0', '--calls-per-minute', '240', '--no-console'],
      {
        cwd: dir,
        env: { ...process.env, AIRCALL_WEBHOOK_TOKENS: '' },
      },
    );
    try {
      const lines: string[] = [];
      const exited = new Promise<number | null>((resolve) =>
        child.once('exit', (code) => resolve(code)),
      );
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`no logged call within 180 s:\n${lines.join('\n')}`)),
          180_000,
        );
        createInterface({ input: child.stdout }).on('line', (line) => {
          lines.push(line);
          if (/^\d\d:\d\d:\d\d {2}(updated )?call \d+ (from|to) /.test(line)) {
            clearTimeout(timer);
            resolve();
          }
        });
      });
      assert.ok(
        lines.some((l) => /Webhooks: +http:\/\/127\.0\.0\.1:\d+\/webhooks\/aircall/.test(l)),
      );
      assert.ok(lines.some((l) => /Metrics: +http:\/\/127\.0\.0\.1:\d+\/metrics/.test(l)));
      const logged = lines.find((l) => / call \d+ /.test(l))!;
      assert.match(
        logged,
        /: (Answered|Missed|Voicemail|Abandoned|Unanswered Outbound), ring \d+s, talk \d+s; (linked to|not linked)/,
      );
      child.kill('SIGINT');
      assert.equal(await exited, 0);
      assert.ok(lines.some((l) => l.startsWith('Stopping')));
    } finally {
      child.kill('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('aircall-sfv backfill', () => {
  it('logs the calls Aircall lists for the period, through the same rules', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'aircall-backfill-'));
    const org = await startLocalOrg({ metadataDir: PACKAGE_METADATA_DIR });
    const { envelopes, calls } = generateCalls({
      count: 30,
      seed: 5,
      startAt: new Date('2026-11-02T09:00:00Z'),
    });
    const aircall = await startFakeAircall({ calls: callsFromEnvelopes(envelopes) });
    try {
      // Asynchronous spawn: the local org answers from this very process.
      const result = await runAsync(
        ['backfill', '--since', '2026-11-01', '--until', '2026-11-10', '--json'],
        dir,
        {
          SF_INSTANCE_URL: org.instanceUrl,
          SF_ACCESS_TOKEN: org.accessToken,
          AIRCALL_API_URL: aircall.url,
          AIRCALL_API_ID: aircall.apiId,
          AIRCALL_API_TOKEN: aircall.apiToken,
        },
      );
      assert.equal(result.status, 0, result.stderr);
      const summary = JSON.parse(result.stdout.trim().split('\n').pop()!) as {
        read: number;
        deadLetters: number;
      };
      assert.equal(summary.read, calls.length);
      assert.equal(summary.deadLetters, 0);
      assert.ok(
        aircall.received().some((r) => r.method === 'GET' && r.path.startsWith('/v1/calls')),
      );
      const res = await fetch(
        `${org.instanceUrl}/services/data/v66.0/query?q=${encodeURIComponent('SELECT Aircall_Call_Id__c FROM Aircall_Voice__c')}`,
        { headers: { Authorization: `Bearer ${org.accessToken}` } },
      );
      const body = (await res.json()) as { totalSize: number };
      assert.equal(body.totalSize, calls.filter((c) => c.scenario !== 'invalid_number').length);
    } finally {
      await aircall.close();
      await org.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
