/**
 * `npm ci --prefix <dir>`: installs one of the project's own tool packages (tools/dev, tools/sf)
 * from its lockfile, with the npm that runs the calling script. Used by scripts/dev-tools.ts and
 * scripts/sf.ts. Output goes to stderr (stdout stays clean for `sf --json`); throws when npm fails.
 */
import { spawnSync } from 'node:child_process';
import { relative, resolve } from 'node:path';

/** The npm that runs this script (`npm run …`), else the one on PATH. */
function npmCommand(): { command: string; args: string[] } {
  const execPath = process.env.npm_execpath;
  if (execPath && /npm-cli\.js$/.test(execPath))
    return { command: process.execPath, args: [execPath] };
  return { command: process.platform === 'win32' ? 'npm.cmd' : 'npm', args: [] };
}

export function npmCiPrefix(dir: string, extraArgs: readonly string[] = []): void {
  const npm = npmCommand();
  const run = spawnSync(
    npm.command,
    [
      ...npm.args,
      'ci',
      '--prefix',
      dir,
      ...extraArgs,
      '--no-audit',
      '--no-fund',
      '--loglevel=error',
    ],
    { stdio: ['ignore', 'inherit', 'inherit'] },
  );
  if (run.error) throw run.error;
  const shown = relative(resolve(__dirname, '..'), dir);
  if (run.status !== 0) throw new Error(`npm ci --prefix ${shown} exited with ${run.status}.`);
}
