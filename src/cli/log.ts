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

/** A destination that prints "level: message" lines, for people watching a terminal. */
function humanDestination(stream: NodeJS.WritableStream): DestinationStream {
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
        stream.write(`${level === 'info' ? '' : `${level}: `}${entry.msg ?? ''}${detail}\n`);
      } catch {
        stream.write(line);
      }
    },
  };
}

export function createLogger(
  options: { level?: string; human?: boolean; destination?: DestinationStream } = {},
): Logger {
  const destination =
    options.destination ??
    (options.human ? humanDestination(process.stderr) : pino.destination({ fd: 2, sync: true }));
  return pino(
    {
      level: options.level ?? process.env.LOG_LEVEL ?? 'info',
      redact: { paths: REDACT_PATHS, censor: '[redacted]' },
      base: undefined,
    },
    destination,
  );
}
