/**
 * Child processes for tests and the fault suites: start one in its own process group, wait for a
 * line it prints, wait for a condition. Every wait ends on its condition; `GIVE_UP_MS` is only a
 * safety net for a hung process, never a timing assertion.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { createInterface } from 'node:readline';

export const ROOT = path.join(__dirname, '..', '..');
export const BIN = path.join(ROOT, 'bin', 'aircall-sfv.cjs');
export const GIVE_UP_MS = 120_000;

export async function waitFor<T>(
  what: string,
  check: () => T | undefined | false | Promise<T | undefined | false>,
  giveUpMs = GIVE_UP_MS,
): Promise<T> {
  const deadline = Date.now() + giveUpMs;
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`gave up waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

export interface Started {
  child: ChildProcess;
  /** stdout lines (the last `keepLines`). */
  lines: string[];
  /** The end of stderr, for error messages. */
  stderrTail(): string;
  exited: Promise<number | null>;
  /** Resolves with the first captured group of the first stdout line matching `re`. */
  line(re: RegExp): Promise<string>;
}

export function launch(
  file: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  options: { keepLines?: number; cwd?: string } = {},
): Started {
  const keep = options.keepLines ?? Infinity;
  // Its own process group, so a test can see every process it started, however deep.
  const child = spawn(file, args, { cwd: options.cwd ?? ROOT, env, detached: true });
  const lines: string[] = [];
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => {
    stderr += d.toString();
    if (stderr.length > 64_000) stderr = stderr.slice(-32_000);
  });
  const waiters: { re: RegExp; resolve: (s: string) => void }[] = [];
  createInterface({ input: child.stdout }).on('line', (line) => {
    lines.push(line);
    if (lines.length > keep) lines.splice(0, lines.length - keep);
    for (const w of [...waiters]) {
      const m = w.re.exec(line);
      if (m) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(m[1] ?? m[0]);
      }
    }
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  return {
    child,
    lines,
    stderrTail: () => stderr.slice(-4000),
    exited,
    line(re) {
      const seen = lines.map((l) => re.exec(l)).find(Boolean);
      if (seen) return Promise.resolve(seen[1] ?? seen[0]);
      return new Promise((resolve, reject) => {
        waiters.push({ re, resolve });
        void exited.then((code) =>
          reject(
            new Error(`exited (${code}) before printing ${re}:\n${lines.join('\n')}\n${stderr}`),
          ),
        );
      });
    },
  };
}
