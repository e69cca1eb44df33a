/**
 * The CI-sized run of `npm run bench:scale` (test/faults/scale.ts): two connector processes on one
 * PostgreSQL inbox behind a round-robin sender, the local org in its own process, a few dozen
 * calls with duplicates, and one connector SIGKILLed mid-run while it holds claims (not restarted;
 * the lease is shortened to 3 s so the takeover is waited for briefly). The org must then hold
 * exactly the simulator's ground truth: nothing lost, nothing duplicated, no dead letter.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { backendSkip, freshSchema, type TestSchema } from '../inbox/database';
import { printScale, runScale } from './scale';

describe(
  'several connector processes on PostgreSQL (CI size)',
  {
    skip: backendSkip('PostgreSQL'),
  },
  () => {
    let schema: TestSchema;
    before(async () => {
      const fresh = await freshSchema('scale');
      if ('skip' in fresh) throw new Error(fresh.skip);
      schema = fresh;
    });
    after(() => schema?.drop());

    it('one of two processes SIGKILLed mid-run: 0 lost, 0 duplicated', async () => {
      const lines: string[] = [];
      const report = await runScale({
        inboxUrl: schema.url,
        processes: 2,
        calls: 30,
        seed: 5,
        duplicateRate: 0.2,
        concurrency: 4,
        kill: true,
        leaseMs: 3000,
        giveUpMs: 5 * 60_000,
        log: (line) => lines.push(line),
      });
      printScale(report, (line) => lines.push(line));
      const text = lines.join('\n');
      console.log(text);
      assert.ok(report.killed, text);
      assert.ok(report.killed.claimsHeld > 0, text);
      assert.deepEqual(report.comparison.lostVoices, [], text);
      assert.deepEqual(report.comparison.lostVoiceCalls, [], text);
      assert.deepEqual(report.comparison.duplicatedVoices, [], text);
      assert.deepEqual(report.comparison.duplicatedVoiceCalls, [], text);
      assert.deepEqual(report.comparison.wrong, [], text);
      assert.deepEqual(report.deadLetters, [], text);
      assert.equal(report.ok, true, text);
    });
  },
);
