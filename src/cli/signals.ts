/**
 * When a long-running command (`start`, `local-org`) must stop: a stop signal, or the wrapper that
 * started it going away. See docs/OPERATIONS.md, "Stopping".
 *
 * `npx aircall-sfv …` and `npm start` run the CLI as npm → `sh -c` → node. A SIGTERM to npm reaches
 * the shell, which dies without passing it on, and node is left running under PID 1 with its port
 * and its inbox. So when the CLI was started by npm/npx (npm sets `npm_command`) or by its own
 * re-exec wrapper (`bin/aircall-sfv.cjs` sets `AIRCALL_SFV_WRAPPER_PID`), losing its parent counts
 * as a stop request too. A CLI started directly (systemd, a container entrypoint, `nohup`) does
 * not watch its parent: outliving the shell that started it is what `nohup` asks for.
 */

import { readConfig } from '../config';

const STOP_SIGNALS = ['SIGTERM', 'SIGINT', 'SIGHUP'] as const;

/** Read as the CLI loads, so a wrapper that dies while the command starts up is still noticed. */
const INITIAL_PARENT = process.ppid;

export interface StopOptions {
  env?: NodeJS.ProcessEnv;
  /** How often the parent is checked, in ms (default 500). */
  parentCheckMs?: number;
  /**
   * Called on a second stop request while the first is being handled (default: exit at once with
   * status 1, the operator's way to cut a slow shutdown short).
   */
  onForce?: (reason: string) => void;
}

/** Whether this process should stop when its parent goes away (see the module comment). */
export function startedByWrapper(env: NodeJS.ProcessEnv): boolean {
  const { npmCommand, wrapperPid } = readConfig(['npmCommand', 'wrapperPid'], { env });
  return Boolean(npmCommand || wrapperPid);
}

/**
 * Resolves with the reason ('SIGTERM', 'SIGINT', 'SIGHUP' or 'parent exited') at the first stop
 * request; later requests call `onForce`. Call it before a command starts its servers, so a stop
 * requested during start-up is not lost, and await it once they run.
 */
export function untilStopRequested(options: StopOptions = {}): Promise<string> {
  const env = options.env ?? process.env;
  const force =
    options.onForce ??
    ((reason: string) => {
      process.stderr.write(`Second stop request (${reason}): exiting now.\n`);
      process.exit(1);
    });
  return new Promise((resolve) => {
    let stopping = false;
    const request = (reason: string) => {
      if (stopping) {
        force(reason);
        return;
      }
      stopping = true;
      resolve(reason);
    };
    for (const signal of STOP_SIGNALS) process.on(signal, request);
    if (startedByWrapper(env)) {
      const wrapper = readConfig(['wrapperPid'], { env }).wrapperPid ?? INITIAL_PARENT;
      const timer = setInterval(() => {
        if (process.ppid !== wrapper) {
          clearInterval(timer);
          request('parent exited');
        }
      }, options.parentCheckMs ?? 500);
      timer.unref();
    }
  });
}
