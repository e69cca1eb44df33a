/** The stop request of long-running commands (src/cli/signals.ts), without starting a process. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { startedByWrapper, untilStopRequested } from '../../src/cli/signals';

describe('untilStopRequested', () => {
  it('resolves on the first stop signal and hands the second to onForce', async () => {
    const forced: string[] = [];
    const stop = untilStopRequested({ env: {}, onForce: (reason) => forced.push(reason) });
    process.emit('SIGTERM', 'SIGTERM');
    assert.equal(await stop, 'SIGTERM');
    assert.deepEqual(forced, []);
    process.emit('SIGHUP', 'SIGHUP');
    assert.deepEqual(forced, ['SIGHUP']);
  });

  it('treats the loss of the wrapper that started the CLI as a stop request', async () => {
    // A wrapper pid that is not this process's parent: as if the wrapper had died and this process
    // had been re-parented.
    const env = { AIRCALL_SFV_WRAPPER_PID: String(process.ppid + 1_000_000) };
    // The parent check's timer is unref'd (it must not keep a finished CLI alive); in the CLI the
    // server keeps the event loop running, here this timer does until the stop request resolves.
    const keepAlive = setInterval(() => undefined, 1_000);
    try {
      const stop = untilStopRequested({ env, parentCheckMs: 10, onForce: () => undefined });
      assert.equal(await stop, 'parent exited');
    } finally {
      clearInterval(keepAlive);
    }
  });

  it('watches the parent only when npm, npx or the re-exec wrapper started the CLI', () => {
    assert.equal(startedByWrapper({ npm_command: 'exec' }), true);
    assert.equal(startedByWrapper({ AIRCALL_SFV_WRAPPER_PID: '123' }), true);
    assert.equal(startedByWrapper({}), false);
  });
});
