/**
 * `--target-org ALIAS` resolves like `sf`: the alias and its auth file are written with
 * @salesforce/core exactly as `sf org login access-token --alias …` writes them (in a throwaway
 * HOME), and the CLI then reaches the org through them. The org is the local org, which answers the
 * OAuth user-info call a login makes.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { startLocalOrg } from '../../dev/local-org/server';
import { PACKAGE_METADATA_DIR } from '../../dev/local-org/paths';

const BIN = path.join(__dirname, '..', '..', 'bin', 'aircall-sfv.cjs');

function runAsync(args: string[], env: NodeJS.ProcessEnv, cwd: string) {
  return new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd, env: { ...process.env, ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.once('exit', (status) => resolve({ status, stdout, stderr }));
  });
}

describe('--target-org', () => {
  it('finds an org by the alias sf saved, and queries it', async () => {
    const home = mkdtempSync(path.join(tmpdir(), 'aircall-home-'));
    const env = {
      HOME: home,
      SF_USE_GENERIC_UNIX_KEYCHAIN: 'true',
      SF_DISABLE_TELEMETRY: 'true',
      SF_INSTANCE_URL: '',
      SF_ACCESS_TOKEN: '',
    };
    Object.assign(process.env, env); // @salesforce/core reads HOME when it saves the login
    const org = await startLocalOrg({ metadataDir: PACKAGE_METADATA_DIR });
    try {
      const core = await import('@salesforce/core');
      const auth = await core.AuthInfo.create({
        accessTokenOptions: {
          accessToken: org.accessToken,
          instanceUrl: org.instanceUrl,
          loginUrl: org.instanceUrl,
        },
      });
      await auth.save();
      const state = await core.StateAggregator.getInstance();
      await state.aliases.setAndSave('aircall-test', auth.getUsername());

      const result = await runAsync(
        ['query', 'SELECT Username FROM User', '--target-org', 'aircall-test', '--json'],
        env,
        home,
      );
      assert.equal(result.status, 0, result.stderr);
      const body = JSON.parse(result.stdout.trim().split('\n').pop()!) as {
        records: { Username: string }[];
      };
      assert.ok(body.records.some((r) => r.Username === auth.getUsername()));
    } finally {
      await org.close();
      rmSync(home, { recursive: true, force: true });
    }
  });
});
