/**
 * The CI-sized fault day (the full one is `npm run test:faults`): simulated calls, 20 % of the
 * deliveries duplicated and all of them shuffled, POSTed over HTTP to `aircall-sfv start` in a
 * child process that is SIGKILLed and restarted on the same inbox, while the local org injects
 * 503s, row locks, request-limit errors, partial failures and one outage. Then the org must hold
 * exactly the simulator's ground truth, with no dead letter. See test/faults/day.ts.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { HOSTILE_ORG_FAULTS, printFaultDay, runFaultDay } from './day';

describe('fault day (CI size)', () => {
  it('loses, duplicates and alters nothing through SIGKILLs, org faults and an outage', async () => {
    const lines: string[] = [];
    const report = await runFaultDay({
      calls: 80,
      seed: 2,
      kills: 2,
      duplicateRate: 0.2,
      faults: HOSTILE_ORG_FAULTS,
      outageMs: 1500,
      concurrency: 8,
      giveUpMs: 10 * 60_000,
      log: (line) => lines.push(line),
    });
    printFaultDay(report, (line) => lines.push(line));
    const text = lines.join('\n');
    console.log(text);
    assert.equal(report.kills, 2, text);
    assert.equal(report.refused.length, 0, text);
    assert.equal(report.comparison.lostVoices.length, 0, text);
    assert.equal(report.comparison.lostVoiceCalls.length, 0, text);
    assert.equal(report.comparison.duplicatedVoices.length, 0, text);
    assert.equal(report.comparison.duplicatedVoiceCalls.length, 0, text);
    assert.deepEqual(report.comparison.wrong, [], text);
    assert.deepEqual(report.deadLetters, [], text);
    assert.equal(report.ok, true, text);
  });
});
