/**
 * Runs a list of real `sf` commands in one Node process, the way `sf`'s own bin/run.js does
 * (oclif `Config.load` on the installed @salesforce/cli, then its commands), so the CLI's plugins
 * are loaded once instead of once per command: the CLI spends about 3 s of CPU starting.
 *
 * Node 22 runs this file directly (type stripping), without tsx, so the CLI's own modules load
 * untouched. Usage: node test/sf-cli/sf-session.ts SF_PACKAGE_DIR COMMANDS.json RESULTS.json, where
 * SF_PACKAGE_DIR is the installed @salesforce/cli (node_modules/@salesforce/cli).
 * COMMANDS.json: [["data", "query", "-q", "SELECT …", "-o", "local"], …]
 * RESULTS.json: [{argv, exitCode, stdout, stderr}, …]
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

/** The part of oclif's `Config` used here (oclif is the CLI's dependency, not the project's). */
interface OclifConfig {
  findCommand(id: string): unknown;
  runCommand(id: string, argv: string[]): Promise<unknown>;
}
interface OclifCore {
  Config: { load(options: { root: string }): Promise<OclifConfig> };
}

interface Outcome {
  argv: string[];
  exitCode: number;
  stdout: string;
  stderr: string;
}

async function main(): Promise<void> {
  const [root, commandsFile, resultsFile] = process.argv.slice(2);
  if (!root || !commandsFile || !resultsFile)
    throw new Error('usage: sf-session.ts SF_PACKAGE_DIR COMMANDS.json RESULTS.json');
  const commands = JSON.parse(readFileSync(commandsFile, 'utf8')) as string[][];
  // @oclif/core as the CLI resolves it (its own copy, the one its plugins register with).
  const require = createRequire(join(root, 'package.json'));
  const { Config } = (await import(
    pathToFileURL(require.resolve('@oclif/core')).href
  )) as OclifCore;
  const config = await Config.load({ root });
  const results: Outcome[] = [];
  const stdoutWrite = process.stdout.write.bind(process.stdout);
  const stderrWrite = process.stderr.write.bind(process.stderr);
  for (const argv of commands) {
    // The command id is the leading words ("data query"); flags and values follow.
    let words = 0;
    while (words < argv.length && !argv[words]!.startsWith('-')) words++;
    let id = argv.slice(0, words).join(':');
    while (words > 1 && !config.findCommand(id)) id = argv.slice(0, --words).join(':');
    const out: string[] = [];
    const err: string[] = [];
    const capture =
      (into: string[]) =>
      (chunk: string | Uint8Array): boolean => {
        into.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
        return true;
      };
    process.stdout.write = capture(out);
    process.stderr.write = capture(err);
    process.exitCode = undefined;
    let exitCode = 0;
    try {
      await config.runCommand(id, argv.slice(words));
      exitCode = Number(process.exitCode ?? 0);
    } catch (e) {
      const oclif = (e as { oclif?: { exit?: number } }).oclif;
      exitCode = oclif?.exit ?? 1;
      if (oclif?.exit === undefined || oclif.exit !== 0) err.push(String((e as Error).message));
      if (oclif?.exit === 0) exitCode = 0;
    } finally {
      process.stdout.write = stdoutWrite;
      process.stderr.write = stderrWrite;
    }
    results.push({ argv, exitCode, stdout: out.join(''), stderr: err.join('') });
  }
  writeFileSync(resultsFile, JSON.stringify(results, null, 2));
  process.exitCode = 0;
}

main().catch((e: unknown) => {
  process.stderr.write(`${(e as Error).stack ?? String(e)}\n`);
  process.exit(2);
});
