/**
 * Classifies Salesforce and Telephony API failures. Transient failures are retried with backoff;
 * permanent ones go to the dead-letter table with the Salesforce error text. Every code is in
 * src/errors/catalogue.ts.
 */
import {
  ErrorCode,
  TRANSIENT_NETWORK_CODES,
  TRANSIENT_SALESFORCE_CODES,
} from '../errors/catalogue';

/** Codes Salesforce documents as "try again later" rather than "your data is wrong". */
const TRANSIENT_CODES = TRANSIENT_SALESFORCE_CODES;
const TRANSIENT_NETWORK = TRANSIENT_NETWORK_CODES;

export class SalesforceError extends Error {
  constructor(
    message: string,
    readonly errorCode: string,
    readonly transient: boolean,
    readonly fields: string[] = [],
  ) {
    super(message);
    this.name = 'SalesforceError';
  }
}

export function isTransientCode(code: string): boolean {
  if (TRANSIENT_CODES.has(code)) return true;
  const http = /^ERROR_HTTP_(\d{3})$/.exec(code);
  return http ? Number(http[1]) >= 500 || http[1] === '429' : false;
}

/** Turns whatever jsforce, fetch or the network threw into a SalesforceError. */
export function toSalesforceError(error: unknown): SalesforceError {
  if (error instanceof SalesforceError) return error;
  const e = error as {
    errorCode?: unknown;
    code?: unknown;
    name?: unknown;
    message?: unknown;
    cause?: unknown;
  };
  const message = typeof e?.message === 'string' ? e.message : String(error);
  const cause = e?.cause as { code?: unknown } | undefined;
  const networkCode =
    typeof e?.code === 'string' ? e.code : typeof cause?.code === 'string' ? cause.code : undefined;
  if (networkCode && TRANSIENT_NETWORK.has(networkCode)) {
    return new SalesforceError(
      `Salesforce is unreachable (${networkCode}): ${message}`,
      networkCode,
      true,
    );
  }
  if (typeof e?.name === 'string' && (e.name === 'AbortError' || e.name === 'TimeoutError')) {
    return new SalesforceError(
      `Request to Salesforce timed out: ${message}`,
      ErrorCode.TIMEOUT,
      true,
    );
  }
  if (message === 'fetch failed') {
    return new SalesforceError(
      'Salesforce is unreachable (fetch failed).',
      ErrorCode.NETWORK,
      true,
    );
  }
  const code = typeof e?.errorCode === 'string' ? e.errorCode : ErrorCode.UNKNOWN;
  return new SalesforceError(message, code, isTransientCode(code));
}
