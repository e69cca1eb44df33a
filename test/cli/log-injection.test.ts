/**
 * Log injection: webhook strings (an agent's name, a missed-call reason) reach the human log inside
 * warnings. A CR/LF in them must not forge a log line, and ESC/NUL/other controls must not reach
 * the terminal.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createLogger, humanDestination, printable } from '../../src/cli/log';
import { fixture, LogCapture, startHarness, type Harness } from '../connector/harness';

// Anything a terminal or a line-oriented log reader would act on.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;

describe('printable', () => {
  it('escapes CR, LF, ESC, NUL, DEL, C1, line separators and bidi overrides, and keeps the rest', () => {
    assert.equal(printable('a\r\nb\tc\0d'), 'a\\r\\nb\\tc\\0d');
    assert.equal(
      printable('\u001b[2J\u007f\u009b\u2028\u202e'),
      '\\u001b[2J\\u007f\\u009b\\u2028\\u202e',
    );
    assert.equal(printable('Zoë Ångström 日本 🙂 <a@b.c>'), 'Zoë Ångström 日本 🙂 <a@b.c>');
  });
});

describe('the human log with hostile webhook strings', () => {
  let h: Harness;
  const human = new LogCapture();
  const forged = 'error: Dead-lettered 999 event(s): forged by the caller';

  before(async () => {
    h = await startHarness({
      connector: { logger: createLogger({ level: 'debug', destination: humanDestination(human) }) },
    });
  });
  after(() => h.close());

  it('writes each entry on one line, with the hostile characters escaped', async () => {
    const events = fixture('inbound-missed').map((e) => {
      const copy = structuredClone(e) as { data: Record<string, unknown> };
      copy.data.user = {
        id: 66,
        // Not a Salesforce user's e-mail: the planner warns, quoting the name.
        email: 'eve@outside.example',
        name: `Eve\r\n${forged}\u001b[2J\u0000\u009b31m`,
      };
      if (copy.data.missed_call_reason !== undefined) {
        copy.data.missed_call_reason = `odd\n${forged}`;
      }
      return copy;
    });
    for (const result of await h.send(events)) assert.notEqual(result.status, 'rejected');
    await h.drain();

    const warning = human.lines.find((l) => l.includes('matches no active Salesforce user'));
    assert.ok(warning, `the planner's warning about the unknown agent is logged:\n${human.text}`);
    assert.ok(warning.startsWith('warn: Aircall user Eve\\r\\nerror: Dead-lettered 999'), warning);
    assert.match(warning, /\\u001b\[2J\\0\\u009b31m/);
    for (const line of human.lines) {
      assert.ok(!line.startsWith(forged), `a forged line reached the log: ${line}`);
      assert.doesNotMatch(
        line,
        CONTROL,
        `a control character reached the log: ${JSON.stringify(line)}`,
      );
    }
  });
});
