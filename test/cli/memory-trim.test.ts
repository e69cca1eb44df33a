/**
 * `start`'s memory trim calls V8's own "last resort" collection (src/cli/memory-trim.ts). The
 * process below is a real Node with `--expose-gc`, as `bin/aircall-sfv.cjs` starts `start`: the test
 * proves V8 accepts the options and that the trim runs and logs, not how much it frees (that is a
 * figure of `npm run bench:soak`).
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import path from 'node:path';
import { describe, it } from 'node:test';
import { startMemoryTrim } from '../../src/cli/memory-trim';

const ROOT = path.join(__dirname, '..', '..');

describe('memory trim', () => {
  it("runs V8's last-resort collection in a process started with --expose-gc", async () => {
    const script = `
      const { startMemoryTrim } = require('./src/cli/memory-trim.ts');
      const trim = startMemoryTrim(20, { debug: (fields, message) => {
        console.log(JSON.stringify({ message, ...fields }));
        if (message === 'Memory trimmed') { trim.stop(); process.exit(0); }
      } });
      setInterval(() => {}, 1000); // the trim's timer is unref'd: keep the process alive
    `;
    const child = spawn(process.execPath, ['--expose-gc', '--import', 'tsx', '-e', script], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    assert.equal(code, 0, out);
    const line = JSON.parse(out.trim().split('\n').at(-1)!) as Record<string, unknown>;
    assert.equal(line.message, 'Memory trimmed');
    assert.equal(typeof line.rssAfterMb, 'number');
  });

  it('does nothing without a gc function, or when turned off', () => {
    const messages: string[] = [];
    const logger = { debug: (_: unknown, message: string) => void messages.push(message) };
    startMemoryTrim(1000, logger, undefined).stop();
    startMemoryTrim(0, logger, () => Promise.resolve()).stop();
    assert.deepEqual(messages, ['Memory trim off', 'Memory trim off']);
  });
});
