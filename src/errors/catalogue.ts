/**
 * Every error and dead-letter code a user can see (in `aircall-sfv dead-letters`, the logs, the
 * metrics), defined once: what it means and what to do. The code that raises or matches a code
 * imports it from here; docs/ERRORS.md is generated from this table (`npm run docs:errors`), and
 * test/errors/catalogue.test.ts fails on a code written anywhere else.
 *
 * Leaf module: imports nothing.
 */

/** What the connector does with the events of a call that failed with the code. */
export type Outcome =
  /** Set aside until `aircall-sfv dead-letters --retry`; the other calls go on. */
  | 'dead letter'
  /** Retried with backoff by the connector itself; nothing is lost. */
  | 'retried'
  /** Retried when transient (HTTP 5xx or 429), a dead letter otherwise. */
  | 'retried or dead letter'
  /** A warning in the logs and metrics: the calls are logged. */
  | 'warning';

export interface CodeEntry {
  outcome: Outcome;
  /** Who names the code: the connector, Salesforce (an API error code) or Node (a network error). */
  source: 'connector' | 'Salesforce' | 'network';
  meaning: string;
  action: string;
}

const RETRY_NOTHING = 'Nothing: the connector retries with backoff.';
const FIX_AND_RETRY = 'Fix what the message names, then run `aircall-sfv dead-letters --retry`.';

const NETWORK = (what: string): CodeEntry => ({
  outcome: 'retried',
  source: 'network',
  meaning: `Salesforce could not be reached: ${what}.`,
  action: `${RETRY_NOTHING} If it lasts, check the network, proxy and DNS between the connector and the org.`,
});

const CATALOGUE = {
  // ---- The connector's own codes --------------------------------------------------------------
  INVALID_EVENT: {
    outcome: 'dead letter',
    source: 'connector',
    meaning:
      'A stored event the webhook schema no longer accepts (stored by an older version, before a check such as the 4000-12-31 limit on times existed). It never reaches the rules; the call’s other events are applied.',
    action:
      'None in the org: the reason names the field Aircall sent. Retrying gives the same answer.',
  },
  PLANNING_FAILED: {
    outcome: 'dead letter',
    source: 'connector',
    meaning:
      'The rules could not plan this call’s events (a value the webhook schema let through that the rules cannot use). The other calls of the batch are applied.',
    action:
      'Report it with the reason; after an upgrade that handles the value, run `aircall-sfv dead-letters --retry`.',
  },
  LINKED_RECORD_REFUSED: {
    outcome: 'retried',
    source: 'connector',
    meaning:
      'The call links to a record another call of the same batch was to create, and the org refused that record. This call did nothing wrong: it is retried on its own and then creates the record itself.',
    action: `${RETRY_NOTHING} The other call’s refusal is its own dead letter.`,
  },
  TELEPHONY_NOT_CONFIGURED: {
    outcome: 'dead letter',
    source: 'connector',
    meaning:
      'A VoiceCall had to be created or updated and the Telephony Integration API is not configured.',
    action:
      'Set SCV_TELEPHONY_URL, SCV_CALL_CENTER_API_NAME and SCV_PRIVATE_KEY_FILE (README, "Environment variables"), restart, then run `aircall-sfv dead-letters --retry`.',
  },
  TRANSCRIPT_REFUSED: {
    outcome: 'dead letter',
    source: 'connector',
    meaning: 'The Telephony API refused the transcript of a call; the message is its answer.',
    action: FIX_AND_RETRY,
  },
  PACKAGE_MISSING: {
    outcome: 'retried',
    source: 'connector',
    meaning:
      'The package is missing or half-installed in the org (the message names what is missing). Events wait in the inbox, never dead-lettered.',
    action:
      'Install or finish deploying the package and assign Aircall_Integration to the connector’s user (README, "Install the managed package"); `aircall-sfv doctor` names each missing part. The waiting events then go out by themselves.',
  },
  TIMEOUT: {
    outcome: 'retried',
    source: 'connector',
    meaning: 'A request to Salesforce got no answer in time.',
    action: `${RETRY_NOTHING} If it lasts, check the org's status (status.salesforce.com).`,
  },
  NETWORK: { ...NETWORK('the request failed before any answer'), source: 'connector' },
  UNKNOWN: {
    outcome: 'dead letter',
    source: 'connector',
    meaning: 'Salesforce refused a write without an error code; the message is its answer.',
    action: FIX_AND_RETRY,
  },
  'ERROR_HTTP_<status>': {
    outcome: 'retried or dead letter',
    source: 'connector',
    meaning:
      'Salesforce or the Telephony API answered this HTTP status without an error code; the message is its answer.',
    action: `5xx and 429: ${RETRY_NOTHING} Otherwise: ${FIX_AND_RETRY}`,
  },
  'aircall_sfv.case_refused': {
    outcome: 'dead letter',
    source: 'connector',
    meaning:
      'The dead letter of a Case the org refused for good (its error code follows: a required field, a validation rule). The call is logged without its Case.',
    action: `${FIX_AND_RETRY} The Case is created then.`,
  },
  'aircall-sfv.task': {
    outcome: 'dead letter',
    source: 'connector',
    meaning:
      'The dead letter of a call Task or follow-up Task the org refused for good (its error code follows). The call itself is logged.',
    action: `${FIX_AND_RETRY} The Task is written then.`,
  },

  // ---- Salesforce codes the connector acts on --------------------------------------------------
  REQUEST_LIMIT_EXCEEDED: {
    outcome: 'retried',
    source: 'Salesforce',
    meaning: 'The org’s API request allocation is used up (or a concurrent-request limit).',
    action: `${RETRY_NOTHING} The API budget slows down and pauses the connector before this (docs/PERFORMANCE.md).`,
  },
  UNABLE_TO_LOCK_ROW: {
    outcome: 'retried',
    source: 'Salesforce',
    meaning: 'Another transaction held a record the write needed.',
    action: RETRY_NOTHING,
  },
  SERVER_UNAVAILABLE: {
    outcome: 'retried',
    source: 'Salesforce',
    meaning: 'Salesforce was unavailable.',
    action: RETRY_NOTHING,
  },
  API_CURRENTLY_DISABLED: {
    outcome: 'retried',
    source: 'Salesforce',
    meaning: 'The API is disabled for the org or the user (maintenance, or a permission removed).',
    action: `${RETRY_NOTHING} If it lasts, check that the integration user has "API Enabled".`,
  },
  QUERY_TIMEOUT: {
    outcome: 'retried',
    source: 'Salesforce',
    meaning: 'A query took too long in the org.',
    action: RETRY_NOTHING,
  },
  CONCURRENT_REQUESTS_LIMIT_EXCEEDED: {
    outcome: 'retried',
    source: 'Salesforce',
    meaning: 'Too many long-running requests were open in the org at once.',
    action: RETRY_NOTHING,
  },
  RESOURCE_EXHAUSTED: {
    outcome: 'retried',
    source: 'Salesforce',
    meaning: 'The Telephony API’s rate limit was reached (a window of about 30 s).',
    action: RETRY_NOTHING,
  },
  INVALID_SESSION_ID: {
    outcome: 'retried',
    source: 'Salesforce',
    meaning: 'The session expired or was revoked; the connector logs in again where it can.',
    action: `${RETRY_NOTHING} If it lasts, log in again (\`sf org login\`) or give a new access token.`,
  },
  UNKNOWN_EXCEPTION: {
    outcome: 'retried',
    source: 'Salesforce',
    meaning:
      'An unexpected error in the org, or a write Salesforce answered without a result for one of its records.',
    action: RETRY_NOTHING,
  },
  LIMIT_EXCEEDED: {
    outcome: 'warning',
    source: 'Salesforce',
    meaning:
      'The org refused a platform event for its hourly publishing allocation: the pages miss that live refresh; the calls are logged.',
    action: 'Nothing for the calls. The allocations and what uses them: docs/PERFORMANCE.md.',
  },
  ECONNREFUSED: NETWORK('the connection was refused'),
  ECONNRESET: NETWORK('the connection was reset'),
  ETIMEDOUT: NETWORK('the connection timed out'),
  EPIPE: NETWORK('the connection was closed while writing'),
  ENOTFOUND: NETWORK('the host name did not resolve'),
  EAI_AGAIN: NETWORK('the name lookup failed for now'),
  UND_ERR_SOCKET: NETWORK('the socket failed'),
  UND_ERR_CONNECT_TIMEOUT: NETWORK('connecting timed out'),
} as const satisfies Record<string, CodeEntry>;

export type CatalogueName = keyof typeof CATALOGUE;
/** The codes and dead-letter names, as written in code: `ErrorCode.PLANNING_FAILED`. */
export type ErrorCode = Exclude<CatalogueName, 'ERROR_HTTP_<status>'>;

/** Each code by its own name, for the code that raises or matches it. */
export const ErrorCode = Object.fromEntries(
  Object.keys(CATALOGUE)
    .filter((name) => name !== 'ERROR_HTTP_<status>')
    .map((name) => [name, name]),
) as { readonly [K in ErrorCode]: K };

/** The code of an HTTP error answered without one (`ERROR_HTTP_<status>`). */
export function httpErrorCode(status: number): string {
  return `ERROR_HTTP_${status}`;
}

/** The inbox event that stands for a refused Case (an envelope the webhook parser accepts). */
export const CASE_REFUSED_EVENT = ErrorCode['aircall_sfv.case_refused'];
/**
 * The event that stands for a call's refused Task in the dead letters (one per call): retried like
 * any dead letter (`dead-letters --retry`), it makes the worker plan the call again, and the engine
 * plans the Task again because its hash was not recorded.
 */
export const TASK_EVENT = ErrorCode['aircall-sfv.task'];

/** The Salesforce and network codes that mean "try again later" rather than "your data is wrong". */
export const TRANSIENT_SALESFORCE_CODES: ReadonlySet<string> = new Set(
  Object.entries(CATALOGUE)
    .filter(([, entry]) => entry.source === 'Salesforce' && entry.outcome === 'retried')
    .map(([name]) => name),
);
export const TRANSIENT_NETWORK_CODES: ReadonlySet<string> = new Set(
  Object.entries(CATALOGUE)
    .filter(([, entry]) => entry.source === 'network')
    .map(([name]) => name),
);

export function catalogueEntries(): [CatalogueName, CodeEntry][] {
  return Object.entries(CATALOGUE) as [CatalogueName, CodeEntry][];
}

export const ERROR_TABLE_HEADER = [
  'Code',
  'From',
  'What happens',
  'Meaning',
  'What to do',
] as const;

/** The rows of the table in docs/ERRORS.md, one per code, in the catalogue's order. */
export function errorRows(): string[][] {
  return catalogueEntries().map(([name, e]) => [
    `\`${name}\``,
    e.source,
    e.outcome,
    e.meaning,
    e.action,
  ]);
}

/** The table of docs/ERRORS.md as Markdown (Prettier then aligns its columns). */
export function errorTable(): string {
  const line = (cells: readonly string[]) => `| ${cells.join(' | ')} |`;
  return [
    line(ERROR_TABLE_HEADER),
    line(ERROR_TABLE_HEADER.map(() => '---')),
    ...errorRows().map(line),
  ].join('\n');
}
