/**
 * The CI-sized bad-input run (the full one, 10,000 requests, is `npm run test:faults -- --only
 * bad-input`): hostile webhook requests beside innocent calls, 10 innocent calls and their 40 hostile
 * requests applied as one worker batch.
 * See test/faults/bad-input.ts for what is generated and checked.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { printBadInput, runBadInput } from './bad-input';

describe('bad input (CI size)', () => {
  it('refuses with a 4xx sentence, stores nothing refused, and hurts no innocent call', async () => {
    const lines: string[] = [];
    const report = await runBadInput({
      requests: 240,
      seed: 5,
      perGroup: 4,
      groupsPerBatch: 10,
      log: () => {},
    });
    printBadInput(report, (line) => lines.push(line));
    const text = lines.join('\n');
    console.log(text);
    assert.deepEqual(report.problems, [], text);
    assert.equal(report.storedWhenRefused, 0, text);
    assert.deepEqual(report.innocentLost, [], text);
    assert.deepEqual(report.innocentWrong, [], text);
    assert.equal(report.batches, 6, text);
    assert.equal(report.innocentNotAppliedInBatch, 0, text);
    assert.equal(report.pendingAfter, 0, text);
    assert.equal(report.tokenInLogs, false, text);
    assert.equal(report.ok, true, text);
  });
});
