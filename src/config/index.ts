/**
 * The connector's configuration in one place: every environment variable the CLI and the connector
 * read, and every command-line flag that has a default or a format, each declared once here with
 * its flag, its variable, its default, what it means, and a zod schema that parses it. A command
 * asks for the settings it uses (`readConfig`); a bad value is refused with a sentence naming the
 * flag or the variable and the value (`AIRCALL_BATCH_WINDOW_MS must be a whole number of
 * milliseconds, got 'abc'.`), and the CLI exits 2 as for any usage error.
 *
 * A flag wins over its variable, the variable over the default. An empty variable counts as unset,
 * except where an empty value means something (`AIRCALL_SFV_NAMESPACE=` = no namespace).
 *
 * The README's "Environment variables" table is made from SETTINGS (`npm run docs:env` writes it;
 * test/config/config.test.ts fails when the two disagree). Flags that only name what a command works
 * on (`replay FILE`, `backfill --since`, `explain --number`) stay with their command.
 *
 * A leaf module: it imports nothing from src, so every layer may read it.
 */
import { z } from 'zod';

/** A value the configuration refuses; the CLI reports it as a usage error (exit status 2). */
export class ConfigError extends Error {}

interface SettingSpec<T> {
  /** The environment variable, if the setting has one. */
  env?: string;
  /** The command-line flag (without `--`), if the setting has one. */
  flag?: string;
  /** Parses the text of the flag or the variable. */
  schema: z.ZodType<T>;
  /** Completes "X must be …" in the error for a value the schema refuses. */
  mustBe: string;
  /** The default as the README shows it (when `default` alone does not say it). */
  defaultText?: string;
  /** What it does, for the README. */
  meaning: string;
  /** Never echoed in an error. */
  secret?: boolean;
  /** An empty variable is a value (not "unset"). */
  keepEmpty?: boolean;
  /** Set by a program, not by the person running the connector. */
  internal?: boolean;
}

type WithDefault<T> = SettingSpec<T> & { default: T };
type WithoutDefault<T> = SettingSpec<T> & { default?: undefined };

function setting<T>(spec: WithDefault<T>): WithDefault<T>;
function setting<T>(spec: WithoutDefault<T>): WithoutDefault<T>;
function setting<T>(spec: SettingSpec<T> & { default?: T }) {
  return spec;
}

// ---- Value formats -------------------------------------------------------------------------------

const wholeNumber = z
  .string()
  .trim()
  .regex(/^\d+$/)
  .transform(Number)
  .pipe(z.number().int().max(Number.MAX_SAFE_INTEGER));
const atLeast = (min: number) =>
  z
    .string()
    .trim()
    .regex(/^\d+$/)
    .transform(Number)
    .pipe(z.number().int().min(min).max(Number.MAX_SAFE_INTEGER));
const port = z.string().trim().regex(/^\d+$/).transform(Number).pipe(z.number().int().max(65_535));
const text = z.string().trim().min(1);
const httpUrl = z
  .string()
  .trim()
  .pipe(z.url({ protocol: /^https?$/ }))
  .transform((url) => url.replace(/\/+$/, ''));
const list = z.string().transform((value) =>
  value
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item.length > 0),
);
/** A Salesforce namespace prefix: up to 15 letters and digits, starting with a letter; '' = none. */
const namespace = z.string().regex(/^([A-Za-z][A-Za-z0-9]{0,14})?$/);
/** A Salesforce Organization Id (15 or 18 characters, key prefix 00D). */
const orgId = z
  .string()
  .trim()
  .regex(/^00D[A-Za-z0-9]{12}([A-Za-z0-9]{3})?$/);
const flagSet = z.string().transform(() => true);
const onOff = z
  .string()
  .trim()
  .toLowerCase()
  .pipe(z.enum(['on', 'off', 'true', 'false', '1', '0']))
  .transform((value) => value === 'on' || value === 'true' || value === '1');

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

// ---- The settings --------------------------------------------------------------------------------

export const SETTINGS = {
  // Which org (README "Run against a real org"): a flag, or one of two sets of variables.
  targetOrg: setting({
    flag: 'target-org',
    schema: text,
    mustBe: 'an sf alias, a username or "local"',
    defaultText: 'SF_INSTANCE_URL / SF_CLIENT_ID when set, else the local org',
    meaning: 'The org: an alias or username known to `sf org login`, or `local`.',
  }),
  sfInstanceUrl: setting({
    env: 'SF_INSTANCE_URL',
    schema: httpUrl,
    mustBe: 'an http(s) URL such as https://example.my.salesforce.com',
    meaning: 'With `SF_ACCESS_TOKEN`: use this org directly (a real org or a local one).',
  }),
  sfAccessToken: setting({
    env: 'SF_ACCESS_TOKEN',
    schema: text,
    mustBe: 'an access token',
    secret: true,
    meaning:
      'The session id for `SF_INSTANCE_URL` (an access token given as such cannot be renewed).',
  }),
  sfClientId: setting({
    env: 'SF_CLIENT_ID',
    schema: text,
    mustBe: "a connected app's consumer key",
    meaning:
      "JWT bearer flow (a server): the connected app's consumer key, with `SF_JWT_KEY_FILE` and `SF_USERNAME`.",
  }),
  sfJwtKeyFile: setting({
    env: 'SF_JWT_KEY_FILE',
    schema: text,
    mustBe: 'a file name',
    meaning: 'JWT bearer flow: the private key whose certificate is in the connected app.',
  }),
  sfUsername: setting({
    env: 'SF_USERNAME',
    schema: text,
    mustBe: 'a Salesforce username',
    meaning: 'JWT bearer flow: the integration user the connector logs in as.',
  }),
  sfLoginUrl: setting({
    env: 'SF_LOGIN_URL',
    schema: httpUrl,
    mustBe: 'an http(s) URL such as https://test.salesforce.com',
    default: 'https://login.salesforce.com',
    meaning: 'JWT bearer flow: where to log in (`https://test.salesforce.com` for a sandbox).',
  }),
  namespace: setting({
    flag: 'namespace',
    env: 'AIRCALL_SFV_NAMESPACE',
    schema: namespace,
    keepEmpty: true,
    mustBe: 'a namespace prefix (up to 15 letters and digits, starting with a letter) or empty',
    defaultText: 'detected from the org',
    meaning:
      'The package namespace (`aircallsfv`; empty = none) instead of detecting it; a local org started by the command installs the package under it.',
  }),

  // The Telephony Integration API of Service Cloud Voice (a local org publishes its own).
  scvTelephonyUrl: setting({
    env: 'SCV_TELEPHONY_URL',
    schema: httpUrl,
    mustBe: 'an http(s) URL such as https://MyDomain.my.salesforce-scrt.com/telephony/v1',
    meaning:
      'The Telephony Integration API: `https://<MyDomain>.my.salesforce-scrt.com/telephony/v1`.',
  }),
  scvCallCenterApiName: setting({
    env: 'SCV_CALL_CENTER_API_NAME',
    schema: text,
    mustBe: "a contact center's internal name",
    meaning: "The contact center's internal name (`AircallContactCenter` in the sample).",
  }),
  scvPrivateKeyFile: setting({
    env: 'SCV_PRIVATE_KEY_FILE',
    schema: text,
    mustBe: 'a file name',
    meaning:
      'The `.key` whose certificate is in the contact center (signs the Telephony API tokens).',
  }),
  scvOrgId: setting({
    env: 'SCV_ORG_ID',
    schema: orgId,
    mustBe: 'an Organization Id (15 or 18 characters starting with 00D)',
    defaultText: "the org's own Id",
    meaning: 'The org id the Telephony API tokens name.',
  }),
  scvProviderName: setting({
    env: 'SCV_PROVIDER_NAME',
    schema: text,
    mustBe: 'a provider name',
    default: 'Aircall',
    meaning:
      "The `Telephony-Provider-Name` header of Telephony API requests (the contact center's provider).",
  }),

  // Aircall.
  webhookTokens: setting({
    env: 'AIRCALL_WEBHOOK_TOKENS',
    schema: list,
    mustBe: 'a comma-separated list of tokens',
    secret: true,
    default: [] as string[],
    defaultText: 'none (every webhook is refused)',
    meaning: 'The tokens of your Aircall webhooks, comma-separated (one per Aircall account).',
  }),
  aircallApiId: setting({
    env: 'AIRCALL_API_ID',
    schema: text,
    mustBe: 'an Aircall API id',
    meaning:
      'With `AIRCALL_API_TOKEN`: the Aircall API, for save to phone, backfill and Omni → Aircall availability (optional).',
  }),
  aircallApiToken: setting({
    env: 'AIRCALL_API_TOKEN',
    schema: text,
    mustBe: 'an Aircall API token',
    secret: true,
    meaning: 'The Aircall API token that goes with `AIRCALL_API_ID`.',
  }),
  aircallApiUrl: setting({
    env: 'AIRCALL_API_URL',
    schema: httpUrl,
    mustBe: 'an http(s) URL',
    default: 'https://api.aircall.io',
    meaning: "Aircall's API (another URL only for a simulator).",
  }),

  // The connector (`start`).
  inbox: setting({
    flag: 'inbox',
    env: 'DATABASE_URL',
    schema: text,
    mustBe: 'a SQLite file or a postgres:// URL',
    defaultText: 'a SQLite file per org in .aircall-sfv/',
    meaning:
      'The durable inbox: a SQLite file, or a `postgres://` URL shared by several connector processes.',
  }),
  batchWindowMs: setting({
    flag: 'batch-window-ms',
    env: 'AIRCALL_BATCH_WINDOW_MS',
    schema: wholeNumber,
    mustBe: 'a whole number of milliseconds',
    default: 100,
    meaning:
      'How long the worker gathers events into one batch: longer = fewer API requests, more latency.',
  }),
  holdMs: setting({
    flag: 'hold-ms',
    env: 'AIRCALL_HOLD_MS',
    schema: wholeNumber,
    mustBe: 'a whole number of milliseconds',
    default: 30_000,
    meaning:
      'Longest wait of an event not needed at once (recording, tags, AI, agent state): one request carries many calls; 0 = never.',
  }),
  agentStatusEvents: setting({
    flag: 'agent-status-events',
    env: 'AIRCALL_AGENT_STATUS_EVENTS',
    schema: onOff,
    mustBe: 'on or off',
    default: false,
    defaultText: 'off',
    meaning:
      'Publish Aircall_Agent_Status__e per agent phone-state change (≈ 1.5 publishes per call); nothing in the package needs them.',
  }),
  shutdownTimeoutMs: setting({
    flag: 'shutdown-timeout-ms',
    env: 'AIRCALL_SHUTDOWN_TIMEOUT_MS',
    schema: wholeNumber,
    mustBe: 'a whole number of milliseconds',
    default: 20_000,
    meaning: 'On SIGTERM, how long the batch in flight may take before the connector exits 1.',
  }),
  memoryTrimMs: setting({
    flag: 'memory-trim-ms',
    env: 'AIRCALL_MEMORY_TRIM_MS',
    schema: wholeNumber,
    mustBe: 'a whole number of milliseconds',
    default: 300_000,
    meaning:
      'How often `start` gives V8 spare heap pages back to the system (one full collection, ≈ 0.2 s), which a connector that is never idle would otherwise keep; 0 = never.',
  }),
  omniSource: setting<'poll' | 'cdc'>({
    flag: 'omni-source',
    env: 'AIRCALL_OMNI_SOURCE',
    schema: z.enum(['poll', 'cdc']),
    mustBe: 'poll or cdc',
    default: 'poll',
    meaning:
      'How Omni → Aircall learns status changes: `poll` (API requests) or `cdc` (change events: event deliveries).',
  }),
  omniPollMs: setting({
    flag: 'omni-poll-ms',
    env: 'AIRCALL_OMNI_POLL_MS',
    schema: atLeast(1000),
    mustBe: 'a whole number of milliseconds, at least 1000',
    default: 10_000,
    meaning: 'The poll interval while someone is online in Omni (`poll` only).',
  }),
  inboxLeaseMs: setting({
    flag: 'inbox-lease-ms',
    env: 'AIRCALL_INBOX_LEASE_MS',
    schema: atLeast(1000),
    mustBe: 'a whole number of milliseconds, at least 1000',
    default: 30_000,
    meaning:
      'PostgreSQL inbox: how long a claim on a call lives without renewal, i.e. how soon another process takes over the calls of one that died.',
  }),
  inboxSessionUrl: setting({
    flag: 'inbox-session-url',
    env: 'AIRCALL_INBOX_SESSION_URL',
    schema: z
      .string()
      .trim()
      .regex(/^postgres(ql)?:\/\//i),
    mustBe: 'a postgres:// URL',
    meaning:
      'PostgreSQL inbox behind a transaction-mode pooler: a direct URL of the same database for the leader election and NOTIFY.',
  }),
  port: setting({
    flag: 'port',
    schema: port,
    mustBe: 'a port number (0 to 65535)',
    default: 8787,
    meaning: "The connector's HTTP port (webhooks, /healthz, /readyz, /metrics).",
  }),
  host: setting({
    flag: 'host',
    schema: text,
    mustBe: 'a host name or address',
    default: '127.0.0.1',
    meaning: 'The address the connector and the console listen on.',
  }),
  consolePort: setting({
    flag: 'console-port',
    schema: port,
    mustBe: 'a port number (0 to 65535)',
    defaultText: '8788, or any free port when it is taken',
    meaning: "The console's port (`--no-console` turns it off).",
  }),
  callsPerMinute: setting({
    flag: 'calls-per-minute',
    schema: wholeNumber,
    mustBe: 'a whole number',
    default: 12,
    meaning: 'With `--demo`: how many simulated calls a minute.',
  }),
  searchLagMs: setting({
    flag: 'search-lag-ms',
    schema: wholeNumber,
    mustBe: 'a whole number of milliseconds',
    default: 20_000,
    meaning: "The embedded local org's search-index lag (SOSL sees a new record this much later).",
  }),
  waitMinutes: setting({
    flag: 'wait-minutes',
    schema: wholeNumber,
    mustBe: 'a whole number of minutes',
    default: 10,
    meaning: '`replay`: how long to wait for every event to be applied.',
  }),

  // `local-org`.
  localOrgPort: setting({
    flag: 'port',
    schema: port,
    mustBe: 'a port number (0 to 65535)',
    default: 0,
    defaultText: 'any free port',
    meaning: "`local-org`: the local org's port.",
  }),
  localOrgSearchLagMs: setting({
    flag: 'search-lag-ms',
    schema: wholeNumber,
    mustBe: 'a whole number of milliseconds',
    default: 0,
    meaning: '`local-org`: the search-index lag (SOSL sees a new record this much later).',
  }),
  dailyApiLimit: setting({
    flag: 'daily-api-limit',
    schema: wholeNumber,
    mustBe: 'a whole number of API requests',
    defaultText: '150000',
    meaning:
      "`local-org`: the org's daily API request allocation (`/limits`, REQUEST_LIMIT_EXCEEDED).",
  }),

  // Diagnostics.
  logLevel: setting({
    env: 'LOG_LEVEL',
    schema: z.enum(LOG_LEVELS),
    mustBe: `one of ${LOG_LEVELS.join(', ')}`,
    defaultText: 'info (warn with --json)',
    meaning:
      'How much the connector logs (pino levels; JSON lines on stderr, a short line on a terminal).',
  }),
  debug: setting({
    env: 'DEBUG',
    schema: flagSet,
    mustBe: 'any value',
    default: false,
    defaultText: 'unset',
    meaning: 'Any value: print the stack trace of an unexpected error.',
  }),

  // Set by programs, read by `start` and `local-org` to know who started them (docs/OPERATIONS.md).
  wrapperPid: setting({
    env: 'AIRCALL_SFV_WRAPPER_PID',
    schema: atLeast(1),
    mustBe: 'a process id',
    internal: true,
    meaning:
      'Set by `bin/aircall-sfv.cjs` for the process it starts: when that wrapper exits, the command stops.',
  }),
  npmCommand: setting({
    env: 'npm_command',
    schema: text,
    mustBe: 'an npm command name',
    internal: true,
    meaning: 'Set by npm (`npm start`, `npx`): when npm exits, the command stops.',
  }),
};

export type SettingName = keyof typeof SETTINGS;
type Setting = SettingSpec<unknown> & { default?: unknown };
type ValueOf<S> =
  S extends SettingSpec<infer T> ? (S extends { default: unknown } ? T : T | undefined) : never;
export type Config<K extends SettingName> = { [P in K]: ValueOf<(typeof SETTINGS)[P]> };

export interface ConfigSources {
  env: Readonly<Record<string, string | undefined>>;
  /** Flag values as node:util parseArgs returns them. */
  flags?: Readonly<Record<string, unknown>>;
}

/**
 * The settings `names`, each from its flag, else its environment variable, else its default.
 * Throws one ConfigError naming every value refused.
 */
export function readConfig<K extends SettingName>(
  names: readonly K[],
  sources: ConfigSources,
): Config<K> {
  const errors: string[] = [];
  const out: Record<string, unknown> = {};
  for (const name of names) {
    const spec = SETTINGS[name] as Setting;
    let raw: string | undefined;
    let from = '';
    const flagValue = spec.flag ? sources.flags?.[spec.flag] : undefined;
    if (typeof flagValue === 'string') {
      raw = flagValue;
      from = `--${spec.flag}`;
    } else if (spec.env) {
      const value = sources.env[spec.env];
      if (value !== undefined && (value !== '' || spec.keepEmpty)) {
        raw = value;
        from = spec.env;
      }
    }
    if (raw === undefined) {
      out[name] = spec.default;
      continue;
    }
    const parsed = spec.schema.safeParse(raw);
    if (parsed.success) out[name] = parsed.data;
    else {
      const got = spec.secret ? `a value of ${raw.length} characters` : `'${raw}'`;
      errors.push(`${from} must be ${spec.mustBe}, got ${got}.`);
    }
  }
  if (errors.length > 0) throw new ConfigError(errors.join(' '));
  return out as Config<K>;
}

/** The node:util parseArgs options for the flags of `names` (every one takes a value). */
export function flagOptions(names: readonly SettingName[]): Record<string, { type: 'string' }> {
  const options: Record<string, { type: 'string' }> = {};
  for (const name of names) {
    const flag = (SETTINGS[name] as Setting).flag;
    if (flag) options[flag] = { type: 'string' };
  }
  return options;
}

// ---- The README table ----------------------------------------------------------------------------

export const ENV_TABLE_HEADER = ['Variable', 'Flag', 'Default', 'Meaning'] as const;

function shownDefault(spec: Setting): string {
  if (spec.defaultText !== undefined) return spec.defaultText;
  if (spec.default === undefined) return '';
  if (Array.isArray(spec.default)) return spec.default.join(',');
  return `\`${JSON.stringify(spec.default).replace(/^"|"$/g, '')}\``;
}

/** The rows of the README's environment table, one per variable, in the order of SETTINGS. */
export function environmentRows(): string[][] {
  const rows: string[][] = [];
  for (const spec of Object.values(SETTINGS) as Setting[]) {
    if (!spec.env) continue;
    rows.push([
      `\`${spec.env}\``,
      spec.flag ? `\`--${spec.flag}\`` : '',
      shownDefault(spec),
      spec.meaning,
    ]);
  }
  return rows;
}

/** The README's environment table as Markdown (Prettier then aligns its columns). */
export function environmentTable(): string {
  const line = (cells: readonly string[]) => `| ${cells.join(' | ')} |`;
  return [
    line(ENV_TABLE_HEADER),
    line(ENV_TABLE_HEADER.map(() => '---')),
    ...environmentRows().map(line),
  ].join('\n');
}
