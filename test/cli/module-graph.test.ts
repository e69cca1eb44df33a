/**
 * What `aircall-sfv start` loads: the stand-ins (dev/) only when the run asks for them. The CLI is
 * started from its sources with a preloaded recorder (test/helpers/record-modules.cjs) that writes
 * the files of every module the process loaded when it exits.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { startLocalOrg } from '../../dev/local-org/server';
import { PACKAGE_METADATA_DIR } from '../../dev/local-org/paths';
import { BIN, ROOT, launch } from '../helpers/processes';

const RECORDER = path.join(ROOT, 'test', 'helpers', 'record-modules.cjs');

/** Runs `start` until its webhook URL is up, stops it, and returns the project files it loaded. */
async function modulesLoadedBy(args: string[], env: NodeJS.ProcessEnv): Promise<string[]> {
  const dir = mkdtempSync(path.join(tmpdir(), 'aircall-modules-'));
  const record = path.join(dir, 'modules.txt');
  const started = launch(
    process.execPath,
    [BIN, 'start', '--port', '0', '--no-console', ...args],
    {
      ...process.env,
      AIRCALL_WEBHOOK_TOKENS: 'module-graph-token',
      // The sources, not the prebuilt bundle: one file per module.
      AIRCALL_SFV_FROM_SOURCE: '1',
      AIRCALL_SFV_NODE_TUNING: 'off',
      NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --require ${RECORDER}`,
      AIRCALL_SFV_RECORD_MODULES: record,
      ...env,
    },
    { cwd: dir },
  );
  try {
    await started.line(/Webhooks: +(http:\/\/127\.0\.0\.1:\d+)/);
    started.child.kill('SIGTERM');
    assert.equal(await started.exited, 0, started.stderrTail());
    return readFileSync(record, 'utf8')
      .split('\n')
      .filter((file) => file.startsWith(ROOT + path.sep) && !file.includes('node_modules'))
      .map((file) => path.relative(ROOT, file).split(path.sep).join('/'));
  } finally {
    started.child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('start loads the stand-ins only when asked', () => {
  it('on a configured org without --demo: nothing from dev/ (no local org, no simulator)', async () => {
    // The org the CLI is given by URL and token is served by this process: to the CLI it is an
    // org like any other.
    const org = await startLocalOrg({ metadataDir: PACKAGE_METADATA_DIR });
    try {
      const loaded = await modulesLoadedBy([], {
        SF_INSTANCE_URL: org.instanceUrl,
        SF_ACCESS_TOKEN: org.accessToken,
      });
      assert.ok(loaded.includes('src/cli/start.ts'), 'the recorder saw the CLI');
      assert.ok(loaded.includes('src/connector/connector.ts'), 'the recorder saw the connector');
      assert.deepEqual(
        loaded.filter((file) => file.startsWith('dev/')),
        [],
      );
    } finally {
      await org.close();
    }
  });

  it('with no org configured: the embedded local org, and the simulator only for the demo', async () => {
    const noDemo = await modulesLoadedBy(['--no-demo'], {
      SF_INSTANCE_URL: '',
      SF_ACCESS_TOKEN: '',
    });
    assert.ok(noDemo.includes('dev/local-org/server.ts'), 'the embedded local org');
    assert.deepEqual(
      noDemo.filter((file) => file.startsWith('dev/simulator/')),
      [],
    );
    const demo = await modulesLoadedBy([], { SF_INSTANCE_URL: '', SF_ACCESS_TOKEN: '' });
    assert.ok(demo.includes('dev/simulator/index.ts'), 'the demo traffic loads the simulator');
  });
});
