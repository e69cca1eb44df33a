/**
 * Change link tells an agent that the record under "Linked now" was created by the connector for
 * the number. The call page (force-app/.../aircallCallPage/callView.ts) cannot import the engine,
 * so it recognises the connector's Match Reason by its opening words; this test keeps the two in
 * step: if the engine rewords the reason, the page's check must follow.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { matchReason } from '../../src/engine/record-links';

const CALL_VIEW = path.join(
  __dirname,
  '../../force-app/main/default/lwc/aircallCallPage/callView.ts',
);

describe("Match Reason: the call page's reading of a created record", () => {
  it('recognises the reason the engine writes for a record created or reused for the number', () => {
    const source = readFileSync(CALL_VIEW, 'utf8');
    const found = /MATCH_REASON_FIELD\)\.startsWith\('([^']+)'\)/.exec(source);
    assert.ok(found, 'callView.ts checks the Match Reason with startsWith');
    const prefix = found[1]!;
    for (const link of [
      { kind: 'create', sobject: 'Contact', reason: 'no record' },
      { kind: 'known', sobject: 'Lead', id: '00Q000000000001AAA', reason: 'created earlier' },
    ] as const) {
      assert.ok(matchReason(link, '+33612345678').startsWith(prefix), link.kind);
    }
    // A match or no link never reads as created.
    assert.equal(
      matchReason({ kind: 'none', reason: 'no record' }, null).startsWith(prefix),
      false,
    );
  });
});
