/** sf-style flag parsing on node:util parseArgs, with usage errors that exit 2. */
import { parseArgs, type ParseArgsConfig } from 'node:util';

export class UsageError extends Error {}

export type Options = NonNullable<ParseArgsConfig['options']>;

export const COMMON: Options = {
  'target-org': { type: 'string', short: 'o' },
  json: { type: 'boolean' },
  inbox: { type: 'string' },
  namespace: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
};

export function parse(args: string[], options: Options, positionals = 0) {
  let parsed;
  try {
    parsed = parseArgs({
      args,
      options: { ...COMMON, ...options },
      allowPositionals: positionals > 0,
      strict: true,
    });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  if (parsed.positionals.length > positionals) {
    throw new UsageError(`Unexpected argument: ${parsed.positionals[positionals]}`);
  }
  return parsed as { values: Record<string, string | boolean | undefined>; positionals: string[] };
}

export function str(values: Record<string, unknown>, name: string): string | undefined {
  const v = values[name];
  return typeof v === 'string' ? v : undefined;
}

export function int(
  values: Record<string, unknown>,
  name: string,
  fallback?: number,
): number | undefined {
  const v = str(values, name);
  if (v === undefined) return fallback;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0)
    throw new UsageError(`--${name} must be a whole number, got "${v}".`);
  return n;
}

export function tokensFromEnv(env: NodeJS.ProcessEnv): string[] {
  return (env.AIRCALL_WEBHOOK_TOKENS ?? '')
    .split(',')
    .map((t) => t.trim())
    .filter((t) => t.length > 0);
}
