/**
 * sf-style flag parsing on node:util parseArgs, with usage errors that exit 2. The flags that are
 * settings (a default, a format, often an environment variable too) are declared in src/config.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { readConfig } from '../config';

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

/** The webhook tokens accepted (AIRCALL_WEBHOOK_TOKENS, src/config). */
export function tokensFromEnv(env: NodeJS.ProcessEnv): string[] {
  return [...readConfig(['webhookTokens'], { env }).webhookTokens];
}
