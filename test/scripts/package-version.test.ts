/**
 * The packaging commands without a Dev Hub: `npm run package:version` and the scratch-org CI print
 * `skipped:` and why, and exit 0, so forks and machines without Salesforce credentials stay green.
 * What they do with a Dev Hub (sf package create / version create / promote, a namespaced scratch
 * org) needs a real Dev Hub with the namespace linked, which this machine cannot reach; it is not
 * exercised here.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { installUrl } from '../../scripts/package-version';

const ROOT = path.join(__dirname, '..', '..');
const DEVHUB_VARS = [
  'SF_DEVHUB_ALIAS',
  'SF_DEVHUB_CLIENT_ID',
  'SF_DEVHUB_JWT_KEY_FILE',
  'SF_DEVHUB_USERNAME',
];

function withoutDevHub(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const name of DEVHUB_VARS) delete env[name];
  return env;
}

function packageVersion(args: string[], env = withoutDevHub()) {
  return spawnSync(
    process.execPath,
    ['--import', 'tsx', path.join(ROOT, 'scripts', 'package-version.ts'), ...args],
    { cwd: ROOT, env, encoding: 'utf8', timeout: 120_000 },
  );
}

describe('package version command', () => {
  it('prints skipped: and why, and exits 0, without a Dev Hub', () => {
    for (const args of [[], ['--promote']]) {
      const run = packageVersion(args);
      assert.equal(run.status, 0, run.stderr);
      assert.match(run.stdout, /^skipped: creating a package version needs a Dev Hub;/);
      for (const name of ['SF_DEVHUB_CLIENT_ID', 'SF_DEVHUB_JWT_KEY_FILE', 'SF_DEVHUB_USERNAME']) {
        assert.match(run.stdout, new RegExp(name), `names ${name}`);
      }
    }
  });

  it('names only the JWT variables that are missing', () => {
    const run = packageVersion([], { ...withoutDevHub(), SF_DEVHUB_USERNAME: 'hub@example.com' });
    assert.equal(run.status, 0, run.stderr);
    assert.match(run.stdout, /SF_DEVHUB_CLIENT_ID SF_DEVHUB_JWT_KEY_FILE not set/);
  });

  it('answers a usage error with exit status 2 and the usage', () => {
    for (const args of [['--bogus'], ['--wait', 'soon']]) {
      const run = packageVersion(args);
      assert.equal(run.status, 2, `${args.join(' ')}: ${run.stdout}${run.stderr}`);
      assert.match(run.stderr, /Usage: npm run package:version/);
    }
  });

  it('builds the install link of a version, production and sandbox', () => {
    assert.equal(
      installUrl('04t000000000001AAA'),
      'https://login.salesforce.com/packaging/installPackage.apexp?p0=04t000000000001AAA',
    );
    assert.equal(
      installUrl('04t000000000001AAA', true),
      'https://test.salesforce.com/packaging/installPackage.apexp?p0=04t000000000001AAA',
    );
  });

  it('packages the namespace the project declares', () => {
    const project = JSON.parse(readFileSync(path.join(ROOT, 'sfdx-project.json'), 'utf8')) as {
      namespace: string;
      packageDirectories: { package?: string; definitionFile?: string }[];
    };
    assert.equal(project.namespace, 'aircallsfv');
    assert.equal(project.packageDirectories[0]?.package, 'Aircall SFV');
    assert.equal(project.packageDirectories[0]?.definitionFile, 'config/project-scratch-def.json');
  });
});

describe('scratch-org CI', () => {
  it('prints skipped: and why, and exits 0, without Dev Hub credentials', () => {
    const run = spawnSync('bash', [path.join(ROOT, 'scripts', 'scratch-org-ci.sh')], {
      cwd: ROOT,
      env: withoutDevHub(),
      encoding: 'utf8',
      timeout: 60_000,
    });
    assert.equal(run.status, 0, run.stderr);
    assert.match(run.stdout, /^skipped: scratch-org CI needs Dev Hub JWT credentials;/);
  });
});
