/**
 * The scratch-org CI's local mode, as `npm test` runs it: `scripts/scratch-org-ci.sh --local`
 * starts an empty local org, logs the project's sf CLI in, builds dist/mdapi, deploys it with `sf
 * project deploy start --metadata-dir`, assigns Aircall_Integration with `sf org assign permset`
 * and runs doctor — the path of a scratch org except creating it (which needs a Dev Hub). Namespaced
 * and not. Its last step runs the connector's end-to-end scenario against that same org, as the
 * integration user with only Aircall_Integration: the org the package was deployed to, not one the
 * test harness starts (test/connector/end-to-end.test.ts, "against the deployed org").
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import path from 'node:path';
import { describe, it } from 'node:test';

const ROOT = path.join(__dirname, '..', '..');

function run(args: string[]): Promise<{ code: number; out: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('bash', [path.join(ROOT, 'scripts', 'scratch-org-ci.sh'), ...args], {
      cwd: ROOT,
      // From the sources under test, not a prebuilt CLI bundle that may predate them.
      env: { ...process.env, LOCAL_E2E: '1', CI: 'true', AIRCALL_SFV_FROM_SOURCE: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString('utf8')));
    child.stderr.on('data', (d: Buffer) => (out += d.toString('utf8')));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, out }));
  });
}

const ANSI = new RegExp(`${String.fromCharCode(27)}\\[[0-9;]*m`, 'g');

describe('scratch-org CI, local mode', () => {
  for (const namespace of ['', 'aircallsfv']) {
    it(`builds, deploys, assigns the permission set and passes doctor${namespace ? ` (namespace ${namespace})` : ''}`, async () => {
      const { code, out: raw } = await run([
        '--local',
        ...(namespace ? ['--namespace', namespace] : []),
      ]);
      const out = raw.replace(ANSI, '');
      assert.equal(code, 0, out);
      assert.match(out, /Deploy ID: 0Af\w+/);
      assert.match(out, /Status: Succeeded/);
      assert.match(out, /Aircall_Integration/);
      assert.match(
        out,
        namespace
          ? new RegExp(`✔ package: installed with the namespace ${namespace}`)
          : /✔ package: deployed without a namespace/,
      );
      assert.match(out, /✔ settings:/);
      // The connector's scenario ran against this org and passed.
      assert.match(
        out,
        /ok 1 - logs every call exactly as the rules say, as the user the package was assigned to/,
      );
      assert.match(out, /# pass 1\n# fail 0/);
      assert.match(out, /Scratch-org CI \(local mode.*\) passed/);
    });
  }
});
