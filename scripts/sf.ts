/**
 * The Salesforce CLI (`sf`, @salesforce/cli) for this project, installed on first use.
 *
 * `sf` is about 720 packages (~290 MB, about a third of what the project's tree used to be), and
 * only deploying, packaging, the scratch-org CI and one test use it, so it is not in the project's
 * `package.json`: it has its own package in `tools/sf/` (pinned, with its own lockfile and
 * `allowScripts`), installed with `npm ci --prefix tools/sf` the first time something needs it.
 * `npm install && npm start` never downloads it.
 *
 *   npm run sf -- org login web --alias my-org     run `sf` (installs it first if needed)
 *   npm run sf:install                             install it only (what .ci/run does)
 *
 * `sf` runs on the Node that runs this script (the project's Node 22 under `npm run`).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { npmCiPrefix } from './npm-ci';

export const SF_TOOL_DIR = resolve(__dirname, '..', 'tools', 'sf');
/** The CLI's entry point (`sf` is `node bin/run.js`). */
export const SF_RUN_JS = join(SF_TOOL_DIR, 'node_modules', '@salesforce', 'cli', 'bin', 'run.js');
/** The CLI's package folder (what oclif's `Config.load({ root })` takes). */
export const SF_PACKAGE_DIR = join(SF_TOOL_DIR, 'node_modules', '@salesforce', 'cli');
/** A folder to resolve the CLI's own dependencies from (`@oclif/core`). */
export const SF_MODULES_DIR = join(SF_TOOL_DIR, 'node_modules');

function wantedVersion(): string {
  const lock = JSON.parse(readFileSync(join(SF_TOOL_DIR, 'package-lock.json'), 'utf8')) as {
    packages: Record<string, { version?: string }>;
  };
  const version = lock.packages['node_modules/@salesforce/cli']?.version;
  if (!version) throw new Error('tools/sf/package-lock.json does not pin @salesforce/cli.');
  return version;
}

/** The installed CLI's version, or null when it is not installed. */
export function installedSfVersion(): string | null {
  const file = join(SF_PACKAGE_DIR, 'package.json');
  if (!existsSync(file)) return null;
  return (JSON.parse(readFileSync(file, 'utf8')) as { version: string }).version;
}

/**
 * Installs tools/sf (npm ci from its lockfile) unless the pinned version is already there.
 * Returns true when it installed. Progress goes to stderr so that `sf --json` output stays clean.
 */
export function ensureSfCli(
  log: (line: string) => void = (l) => process.stderr.write(`${l}\n`),
): boolean {
  const wanted = wantedVersion();
  if (installedSfVersion() === wanted) return false;
  log(`Installing the sf CLI ${wanted} into tools/sf (once; npm ci --prefix tools/sf)…`);
  const started = performance.now();
  npmCiPrefix(SF_TOOL_DIR);
  if (installedSfVersion() !== wanted)
    throw new Error(`npm ci --prefix tools/sf did not install @salesforce/cli ${wanted}.`);
  log(`sf CLI installed in ${((performance.now() - started) / 1000).toFixed(0)} s.`);
  return true;
}

function main(argv: string[]): number {
  if (argv[0] === '--install') {
    ensureSfCli();
    return 0;
  }
  ensureSfCli();
  const run = spawnSync(process.execPath, [SF_RUN_JS, ...argv], { stdio: 'inherit' });
  if (run.error) throw run.error;
  return run.status ?? 1;
}

if (require.main === module) {
  try {
    process.exitCode = main(process.argv.slice(2));
  } catch (e) {
    process.stderr.write(`${(e as Error).message}\n`);
    process.exitCode = 1;
  }
}
