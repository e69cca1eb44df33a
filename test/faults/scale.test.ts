/**
 * The CI-sized runs of `npm run bench:scale` (test/faults/scale.ts): connector processes on one
 * PostgreSQL inbox behind a round-robin sender, the local org in its own process, a few dozen
 * calls with duplicates.
 *
 * - The same stream through one process and through three: the org's bill (REST requests per
 *   call, counted by the local org) must not grow with the number of processes, because the
 *   processes drain the inbox in turn, each batch taking the due work of the whole inbox.
 * - Two processes, one SIGKILLed mid-run while it holds claims (not restarted; the lease is
 *   shortened to 3 s so the takeover is waited for briefly).
 *
 * Each time the org must hold exactly the simulator's ground truth: nothing lost, nothing
 * duplicated, no dead letter.
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
    const schemas: TestSchema[] = [];
    const schemaUrl = async () => {
      const fresh = await freshSchema('scale');
      if ('skip' in fresh) throw new Error(fresh.skip);
      schemas.push(fresh);
      return fresh.url;
    };
    let schema: TestSchema;
    before(async () => {
      await schemaUrl();
      schema = schemas[0]!;
    });
    after(async () => {
      for (const s of schemas) await s.drop();
    });

    it('three processes cost no more REST requests per call than one (counted by the org)', async () => {
      const lines: string[] = [];
      const run = async (processes: number) => {
        const report = await runScale({
          inboxUrl: await schemaUrl(),
          processes,
          calls: 60,
          seed: 9,
          duplicateRate: 0.1,
          concurrency: 6,
          giveUpMs: 5 * 60_000,
          log: (line) => lines.push(line),
        });
        printScale(report, (line) => lines.push(line));
        return report;
      };
      const one = await run(1);
      const three = await run(3);
      const perCall = (r: typeof one) => r.rest / r.calls;
      const ratio = perCall(three) / perCall(one);
      lines.push(
        `REST requests per call: 1 process ${perCall(one).toFixed(3)}, 3 processes ${perCall(three).toFixed(3)} (× ${ratio.toFixed(2)})`,
      );
      const text = lines.join('\n');
      console.log(text);
      assert.equal(one.ok, true, text);
      assert.equal(three.ok, true, text);
      // Batches form as requests arrive, so the two counts differ a little from run to run; a
      // process that batched only its own arrivals made about three times as many requests.
      assert.ok(ratio <= 1.5, text);
    });

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
