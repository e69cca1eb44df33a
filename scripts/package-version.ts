/**
 * `npm run package:version -- [--promote] [--target-dev-hub ALIAS] [--installation-key KEY] [--wait MINUTES]`
 *
 * Creates a version of the managed (2GP) package with the project's `sf` CLI, in the publisher's
 * Dev Hub, and promotes it to released on request. Steps (Second-Generation Managed Packaging
 * Developer Guide, "Workflow for Second-Generation Managed Packages"):
 *
 *  1. `npm run build`: the package directory with the LWC TypeScript compiled to JavaScript
 *     (`dist/source/force-app`; the org accepts JavaScript only), given the project's
 *     sfdx-project.json (namespace `aircallsfv`, package "Aircall SFV");
 *  2. the first time only, `sf package create --package-type Managed`: it writes the package alias
 *     ("Aircall SFV" → its 0Ho id) into sfdx-project.json — commit it;
 *  3. `sf package version create --code-coverage --wait N`: the alias of the new version
 *     ("Aircall SFV@0.1.0-1" → 04t…) is written into sfdx-project.json too, and the install link
 *     `/packaging/installPackage.apexp?p0=04t…` is printed;
 *  4. with `--promote`, `sf package version promote`: the version becomes installable in
 *     production orgs (a beta installs only in scratch orgs and sandboxes).
 *
 * The Dev Hub: `--target-dev-hub ALIAS` (or SF_DEVHUB_ALIAS), one you logged in to with
 * `npm run sf -- org login web --set-default-dev-hub --alias devhub`; or, for CI, the same JWT variables as
 * the scratch-org CI (SF_DEVHUB_CLIENT_ID, SF_DEVHUB_JWT_KEY_FILE, SF_DEVHUB_USERNAME, optional
 * SF_LOGIN_URL). Without either it prints `skipped:` and why, and exits 0. The Dev Hub must have the
 * namespace `aircallsfv` linked to it (registering a namespace is the publisher's step).
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { buildPackage } from './metadata/build-package';
import { SF_RUN_JS } from './sf';

const USAGE = `Usage: npm run package:version -- [--promote] [--target-dev-hub ALIAS] [--installation-key KEY] [--wait MINUTES]

  --target-dev-hub, -v  a Dev Hub you logged in to (npm run sf -- org login web --set-default-dev-hub --alias devhub);
                        default SF_DEVHUB_ALIAS, else the JWT variables SF_DEVHUB_CLIENT_ID,
                        SF_DEVHUB_JWT_KEY_FILE and SF_DEVHUB_USERNAME
  --installation-key    protect the version with a key (default: installable without one)
  --wait                minutes to wait for the version (default 60)
  --promote             promote the new version to released (installable in production orgs)

Without a Dev Hub it prints "skipped:" and why, and exits 0.`;

const PROJECT_DIR = resolve(__dirname, '..');

interface SfdxProject {
  packageDirectories: { path: string; package?: string; versionNumber?: string }[];
  namespace?: string;
  packageAliases?: Record<string, string>;
  [key: string]: unknown;
}

class UsageError extends Error {}

function readProject(dir: string): SfdxProject {
  return JSON.parse(readFileSync(join(dir, 'sfdx-project.json'), 'utf8')) as SfdxProject;
}

function writeProject(dir: string, project: SfdxProject): void {
  writeFileSync(join(dir, 'sfdx-project.json'), `${JSON.stringify(project, null, 2)}\n`);
}

/** Runs `sf … --json` and returns its `result`; throws its message when it fails. */
function sf<T>(args: string[], cwd: string): T {
  console.log(`$ sf ${args.join(' ')}`);
  const run = spawnSync(process.execPath, [SF_RUN_JS, ...args, '--json'], {
    cwd,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
    env: { ...process.env, SF_AUTOUPDATE_DISABLE: 'true', SF_DISABLE_TELEMETRY: 'true' },
  });
  if (run.error) throw run.error;
  let out: { status?: number; result?: T; message?: string; name?: string };
  try {
    out = JSON.parse(run.stdout) as typeof out;
  } catch {
    throw new Error(`sf ${args[0] ?? ''} failed (exit ${run.status}): ${run.stderr || run.stdout}`);
  }
  if (run.status !== 0 || out.status !== 0) {
    throw new Error(
      `sf ${args.slice(0, 3).join(' ')} failed: ${out.message ?? out.name ?? run.stderr}`,
    );
  }
  return out.result as T;
}

/** The Dev Hub to use, or the reason there is none. */
function devHub(
  flag: string | undefined,
  env: NodeJS.ProcessEnv,
): { alias: string; jwt: boolean } | { skip: string } {
  const alias = flag ?? env.SF_DEVHUB_ALIAS;
  if (alias) return { alias, jwt: false };
  const missing = ['SF_DEVHUB_CLIENT_ID', 'SF_DEVHUB_JWT_KEY_FILE', 'SF_DEVHUB_USERNAME'].filter(
    (name) => !env[name],
  );
  if (missing.length === 0) return { alias: 'aircall-devhub', jwt: true };
  return {
    skip:
      `skipped: creating a package version needs a Dev Hub; no --target-dev-hub or SF_DEVHUB_ALIAS, and ${missing.join(' ')} not set.\n` +
      '  Log in once (npm run sf -- org login web --set-default-dev-hub --alias devhub) and pass --target-dev-hub devhub,\n' +
      '  or set the Dev Hub JWT variables (as repository secrets in CI).',
  };
}

/** The install link of a package version (Salesforce's own installer page). */
export function installUrl(subscriberVersionId: string, sandbox = false): string {
  const host = sandbox ? 'https://test.salesforce.com' : 'https://login.salesforce.com';
  return `${host}/packaging/installPackage.apexp?p0=${subscriberVersionId}`;
}

async function main(): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        'target-dev-hub': { type: 'string', short: 'v' },
        'installation-key': { type: 'string' },
        wait: { type: 'string', default: '60' },
        promote: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const wait = Number(values.wait);
  if (!Number.isInteger(wait) || wait <= 0)
    throw new UsageError('--wait takes a whole number of minutes, e.g. --wait 30.');

  const project = readProject(PROJECT_DIR);
  const dir = project.packageDirectories.find((d) => d.package) ?? project.packageDirectories[0];
  const packageName = dir?.package;
  if (!dir || !packageName)
    throw new Error('sfdx-project.json names no package in packageDirectories.');
  if (!project.namespace)
    throw new Error(
      'sfdx-project.json has no namespace: a managed package needs the namespace registered and linked to the Dev Hub.',
    );

  const hub = devHub(values['target-dev-hub'], process.env);
  if ('skip' in hub) {
    console.log(hub.skip);
    return 0;
  }
  if (hub.jwt) {
    sf(
      [
        'org',
        'login',
        'jwt',
        '--client-id',
        process.env.SF_DEVHUB_CLIENT_ID!,
        '--jwt-key-file',
        process.env.SF_DEVHUB_JWT_KEY_FILE!,
        '--username',
        process.env.SF_DEVHUB_USERNAME!,
        '--instance-url',
        process.env.SF_LOGIN_URL ?? 'https://login.salesforce.com',
        '--alias',
        hub.alias,
      ],
      PROJECT_DIR,
    );
  }

  // 1. The package directory with compiled LWCs, in a project of its own (dist/source).
  const built = await buildPackage({ projectDir: PROJECT_DIR, log: (line) => console.log(line) });
  const buildProject = dirname(built.stagingDir);
  writeProject(buildProject, project);
  /** Keeps the aliases sf wrote in the build project, in the project's own sfdx-project.json. */
  const keepAliases = () => {
    const aliases = readProject(buildProject).packageAliases ?? {};
    const own = readProject(PROJECT_DIR);
    own.packageAliases = { ...own.packageAliases, ...aliases };
    writeProject(PROJECT_DIR, own);
    return own.packageAliases;
  };
  console.log(
    `built ${relative(PROJECT_DIR, built.stagingDir)} (${built.compiledTs} TypeScript files compiled)`,
  );

  // 2. The package itself, once.
  if (!project.packageAliases?.[packageName]) {
    sf(
      [
        'package',
        'create',
        '--name',
        packageName,
        '--package-type',
        'Managed',
        '--path',
        dir.path,
        '--target-dev-hub',
        hub.alias,
      ],
      buildProject,
    );
    keepAliases();
    console.log(
      `Package "${packageName}" created; its alias is now in sfdx-project.json (commit it).`,
    );
  }

  // 3. The version.
  const version = sf<{ SubscriberPackageVersionId: string; Status: string }>(
    [
      'package',
      'version',
      'create',
      '--package',
      packageName,
      ...(values['installation-key']
        ? ['--installation-key', values['installation-key']]
        : ['--installation-key-bypass']),
      '--code-coverage',
      '--wait',
      String(wait),
      '--target-dev-hub',
      hub.alias,
    ],
    buildProject,
  );
  keepAliases();
  const id = version.SubscriberPackageVersionId;
  console.log(`Package version ${id} (${version.Status}).`);
  console.log(`  Install: ${installUrl(id)}`);
  console.log(`  Sandbox: ${installUrl(id, true)}`);

  // 4. Released, on request.
  if (values.promote) {
    sf(
      [
        'package',
        'version',
        'promote',
        '--package',
        id,
        '--no-prompt',
        '--target-dev-hub',
        hub.alias,
      ],
      buildProject,
    );
    console.log(`Promoted ${id}: installable in production orgs.`);
  } else {
    console.log('Beta version: installable in scratch orgs and sandboxes; --promote releases it.');
  }
  return 0;
}

if (require.main === module) {
  main().then(
    (code) => process.exit(code),
    (error: unknown) => {
      if (error instanceof UsageError) {
        console.error(`${error.message}\n\n${USAGE}`);
        process.exit(2);
      }
      console.error(error instanceof Error ? error.message : String(error));
      process.exit(1);
    },
  );
}
