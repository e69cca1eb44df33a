/**
 * Logging: pino, JSON lines on stderr for machines (or a short human line on a terminal).
 * Secrets are redacted by path, so a token or key that ends up in a logged object never reaches
 * the log (test/connector/secrets.test.ts greps the logs for them).
 */
import pino, { type DestinationStream, type Logger } from 'pino';

export const REDACT_PATHS = [
  'token',
  '*.token',
  'accessToken',
  '*.accessToken',
  'privateKeyPem',
  '*.privateKeyPem',
  'apiToken',
  '*.apiToken',
  'authorization',
  '*.authorization',
  'headers.authorization',
  '*.headers.authorization',
  'body.token',
  'raw.token',
  '*.raw.token',
];

const LEVEL_NAMES: Record<number, string> = {
  10: 'trace',
  20: 'debug',
  30: 'info',
  40: 'warn',
  50: 'error',
  60: 'fatal',
};

/**
 * Characters that must not reach a terminal or a line-oriented log as they are: C0 controls (CR
 * and LF forge log lines, ESC starts terminal escape sequences, NUL truncates some readers), DEL,
 * C1 controls (0x9B is a one-byte escape sequence introducer), the Unicode line and paragraph
 * separators, and the bidirectional overrides that reorder what a reader sees.
 */
const UNPRINTABLE =
  // eslint-disable-next-line no-control-regex
  /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;
const NAMED: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t', '\0': '\\0' };

/**
 * Text from outside (webhook strings such as an agent's name, Salesforce error texts that quote
 * them) made safe for one line of a human log: every character above is written as an escape
 * (`\n`, `\r`, `\u001b`), so a value can neither start a forged line nor drive the terminal.
 */
export function printable(text: string): string {
  return text.replace(
    UNPRINTABLE,
    (c) => NAMED[c] ?? `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

/** A destination that prints "level: message" lines, for people watching a terminal. */
export function humanDestination(stream: NodeJS.WritableStream): DestinationStream {
  return {
    write(line: string) {
      try {
        const entry = JSON.parse(line) as {
          level: number;
          msg?: string;
          err?: { message?: string };
        };
        const level = LEVEL_NAMES[entry.level] ?? 'info';
        const detail = entry.err?.message ? ` (${entry.err.message})` : '';
        // One entry is one line, whatever its text holds.
        stream.write(
          `${level === 'info' ? '' : `${level}: `}${printable(`${entry.msg ?? ''}${detail}`)}\n`,
        );
      } catch {
        stream.write(line);
      }
    },
  };
}

/**
 * The connector's logger. `level` comes from the caller (commands read `LOG_LEVEL` through the
 * config module from their own environment, `io.env`); without one it is `info`.
 */
export function createLogger(
  options: { level?: string; human?: boolean; destination?: DestinationStream } = {},
): Logger {
  const destination =
    options.destination ??
    (options.human ? humanDestination(process.stderr) : pino.destination({ fd: 2, sync: true }));
  return pino(
    {
      level: options.level ?? 'info',
      redact: { paths: REDACT_PATHS, censor: '[redacted]' },
      base: undefined,
    },
    destination,
  );
}
