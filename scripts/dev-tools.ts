/**
 * The test and lint tools (Jest with sfdx-lwc-jest and @sa11y/jest, ESLint and its plugins,
 * typescript-eslint, Prettier and its XML plugin), installed on first use.
 *
 * They are about 870 packages, more than the rest of the project's tree, and `npm start` needs none
 * of them, so they are not in the project's `package.json`: they have their own package in
 * `tools/dev/` (with its own lockfile), installed with `npm ci --prefix tools/dev` into
 * `tools/dev/node_modules` when it is missing or when `tools/dev/package-lock.json` changed since
 * the last install (a stamp in `tools/dev/node_modules` holds the lockfile's hash; after a manual
 * `npm install --prefix tools/dev <package>`, which changes the lockfile, the next script
 * reinstalls once from it). The scripts that use the tools (`npm test`, `npm run typecheck`,
 * `lint`, `prettier`, `prettier:verify`, `test:unit`, `test:node` for the ESLint layer test,
 * `docs:env`) go through this script, so `npm install && npm test` needs no other step; the
 * configuration files load the tools from there with tools/dev/require.cjs.
 *
 *   npm run dev-tools                                       install them if needed
 *   npm run dev-tools -- prettier --write src/x.ts          run one of their commands (installs first)
 *   npm run dev-tools -- sfdx-lwc-jest -- force-app/main/default/lwc/aircallSettings
 *
 * Why not in the project's devDependencies: a fresh clone's `npm install && npm start` (README
 * "What to expect from a fresh clone") would download and unpack them too. Why not linked into the
 * project's node_modules: the next `npm install` of the project deletes the nested dependencies of
 * linked packages.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { npmCiPrefix } from './npm-ci';

export const DEV_TOOL_DIR = resolve(__dirname, '..', 'tools', 'dev');
const LOCKFILE = join(DEV_TOOL_DIR, 'package-lock.json');
const requireFromDev = createRequire(join(DEV_TOOL_DIR, 'package.json'));

function notInstalled(id: string, e: unknown): unknown {
  if ((e as { code?: string }).code === 'MODULE_NOT_FOUND' && !devToolsInstalled()) {
    return new Error(
      `${id} is one of the test tools in tools/dev, which are not installed (or are out of date): run \`npm run dev-tools\`.`,
    );
  }
  return e;
}

/**
 * `require()` of a test tool, from tools/dev/node_modules (tools/dev/require.cjs does the same for
 * the configuration files). Type it with `typeof import('<relative path>/tools/dev/node_modules/<name>')`.
 */
export function devRequire(id: string): unknown {
  try {
    return requireFromDev(id);
  } catch (e) {
    throw notInstalled(id, e);
  }
}

/** The file a test tool's module id resolves to. */
export function devResolve(id: string): string {
  try {
    return requireFromDev.resolve(id);
  } catch (e) {
    throw notInstalled(id, e);
  }
}

/** Written after a successful install: the hash of the lockfile it installed. */
const STAMP = join(DEV_TOOL_DIR, 'node_modules', '.aircall-sfv-installed');

function lockHash(): string {
  return createHash('sha256').update(readFileSync(LOCKFILE)).digest('hex');
}

/** True when tools/dev/node_modules holds what tools/dev/package-lock.json pins. */
export function devToolsInstalled(): boolean {
  return existsSync(STAMP) && readFileSync(STAMP, 'utf8').trim() === lockHash();
}

/**
 * Installs tools/dev (npm ci from its lockfile) unless it is up to date. Returns true when it
 * installed. Progress goes to stderr.
 */
export function ensureDevTools(
  log: (line: string) => void = (l) => process.stderr.write(`${l}\n`),
): boolean {
  if (devToolsInstalled()) return false;
  log('Installing the test tools into tools/dev (npm ci --prefix tools/dev, once per lockfile)…');
  const started = performance.now();
  const hash = lockHash();
  npmCiPrefix(DEV_TOOL_DIR, ['--prefer-offline']);
  writeFileSync(STAMP, `${hash}\n`);
  log(`Test tools installed in ${((performance.now() - started) / 1000).toFixed(0)} s.`);
  return true;
}

/** Runs one of the tools' commands (tools/dev/node_modules/.bin/<name>) and returns its exit code. */
function runTool(name: string, args: string[]): number {
  const bin = join(DEV_TOOL_DIR, 'node_modules', '.bin', name);
  if (!existsSync(bin)) throw new Error(`tools/dev has no command named ${name}.`);
  // Windows' .bin entries are .cmd files, which need a shell.
  const run = spawnSync(bin, args, { stdio: 'inherit', shell: process.platform === 'win32' });
  if (run.error) throw run.error;
  return run.status ?? 1;
}

if (require.main === module) {
  try {
    ensureDevTools();
    const [name, ...args] = process.argv.slice(2);
    if (name) process.exitCode = runTool(name, args);
  } catch (e) {
    process.stderr.write(`${(e as Error).message}\n`);
    process.exitCode = 1;
  }
}
