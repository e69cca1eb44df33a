/**
 * Client of the Service Cloud Voice Telephony Integration REST API (creates and updates
 * VoiceCall). Authenticated with an RS256 JWT signed by the contact center's private key
 * (docs/PLATFORM.md §2): iss = org id, sub = contact center API name. A token is reused until shortly
 * before it expires, and no `jti` is set, because the API rejects a replayed `jti`.
 */
import { createSign } from 'node:crypto';
import type { TelephonyCreateBody, TelephonyUpdateBody, TranscriptMessage } from '../engine';
import { ErrorCode, httpErrorCode } from '../errors/catalogue';
import { SalesforceError, isTransientCode, toSalesforceError } from './errors';

export interface TelephonyConfig {
  baseUrl: string; // https://{MyDomain}.my.salesforce-scrt.com/telephony/v1
  callCenterApiName: string;
  orgId: string;
  privateKeyPem: string;
  providerName?: string;
}

const TOKEN_TTL_S = 180; // older docs cap the JWT lifetime at 3 minutes; stay within it
const REQUEST_TIMEOUT_MS = 30_000;

const b64url = (input: string | Buffer) => Buffer.from(input).toString('base64url');

export function signTelephonyJwt(
  config: TelephonyConfig,
  nowS = Math.floor(Date.now() / 1000),
): string {
  const header = b64url(JSON.stringify({ alg: 'RS256', typ: 'JWT' }));
  const payload = b64url(
    JSON.stringify({
      iss: config.orgId,
      sub: config.callCenterApiName,
      aud: 'https://scrt.salesforce.com',
      iat: nowS,
      exp: nowS + TOKEN_TTL_S,
    }),
  );
  const signer = createSign('RSA-SHA256');
  signer.update(`${header}.${payload}`);
  return `${header}.${payload}.${signer.sign(config.privateKeyPem).toString('base64url')}`;
}

export class TelephonyClient {
  private token: { value: string; expiresAt: number } | null = null;

  constructor(
    readonly config: TelephonyConfig,
    private readonly onRequest?: (
      ms: number,
      ok: boolean,
      method: 'POST' | 'PATCH',
      vendorCallKey: string,
    ) => void,
  ) {}

  /**
   * POST /voiceCalls/messages ("Create Transcripts in Bulk"): up to 5 entries of up to 5 messages
   * each, at most 5 voice calls. Answers 202 `{"result":"Accepted"}`, or 207 with
   * `errorResponse.errorResponseEntries[{vendorCallKey, message}]` for the entries it refused
   * (partner code reads RESOURCE_EXHAUSTED there as a rate limit). Returns the refused entries by
   * vendor call key; a rate-limited one is marked transient.
   */
  async createTranscripts(
    entries: readonly { vendorCallKey: string; messages: readonly TranscriptMessage[] }[],
  ): Promise<Map<string, SalesforceError>> {
    const refused = new Map<string, SalesforceError>();
    const answer = await this.send<{
      errorResponse?: { errorResponseEntries?: { vendorCallKey?: string; message?: string }[] };
    }>('POST', '/voiceCalls/messages', { entries }, entries[0]?.vendorCallKey ?? '', true);
    for (const entry of answer.errorResponse?.errorResponseEntries ?? []) {
      if (!entry.vendorCallKey) continue;
      const message = entry.message ?? 'refused';
      const limited = message.includes(ErrorCode.RESOURCE_EXHAUSTED);
      refused.set(
        entry.vendorCallKey,
        new SalesforceError(
          `Telephony API refused the transcript of ${entry.vendorCallKey}: ${message}`,
          limited ? ErrorCode.RESOURCE_EXHAUSTED : ErrorCode.TRANSCRIPT_REFUSED,
          limited,
        ),
      );
    }
    return refused;
  }

  private bearer(): string {
    const now = Date.now();
    if (!this.token || this.token.expiresAt - now < 30_000) {
      this.token = { value: signTelephonyJwt(this.config), expiresAt: now + TOKEN_TTL_S * 1000 };
    }
    return this.token.value;
  }

  private async send<T>(
    method: 'POST' | 'PATCH',
    path: string,
    body: unknown,
    key: string,
    /** The bulk transcript endpoint answers 207 per entry: the caller reads the entries. */
    multiStatus = false,
  ): Promise<T> {
    const started = performance.now();
    let ok = false;
    try {
      const response = await fetch(`${this.config.baseUrl}${path}`, {
        method,
        headers: {
          Authorization: `Bearer ${this.bearer()}`,
          'Content-Type': 'application/json',
          'Telephony-Provider-Name': this.config.providerName ?? 'Aircall',
        },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
      });
      const text = await response.text();
      const parsed: unknown = text ? safeJson(text) : {};
      if (
        !multiStatus &&
        response.status === 207 &&
        JSON.stringify(parsed).includes(ErrorCode.RESOURCE_EXHAUSTED)
      ) {
        // Partner connectors treat a 207 carrying RESOURCE_EXHAUSTED as a ~30 s rate-limit window.
        throw new SalesforceError(
          'Telephony API rate limit reached (RESOURCE_EXHAUSTED).',
          ErrorCode.RESOURCE_EXHAUSTED,
          true,
        );
      }
      if (!response.ok) {
        const { code, message } = describeTelephonyError(parsed, response.status);
        if (response.status === 401 || response.status === 403) this.token = null;
        throw new SalesforceError(
          `Telephony API ${method} ${path} failed (${response.status}): ${message}`,
          code,
          response.status >= 500 || response.status === 429 || isTransientCode(code),
        );
      }
      ok = true;
      return parsed as T;
    } catch (error) {
      throw toSalesforceError(error);
    } finally {
      this.onRequest?.(performance.now() - started, ok, method, key);
    }
  }

  /** POST /voiceCalls — creates the VoiceCall of a call that is starting; returns its id. */
  async create(body: TelephonyCreateBody): Promise<string> {
    const result = await this.send<{ voiceCallId?: string; errors?: unknown[] }>(
      'POST',
      '/voiceCalls',
      body,
      body.vendorCallKey,
    );
    if (!result.voiceCallId) {
      const { code, message } = describeTelephonyError(result.errors ?? result, 200);
      throw new SalesforceError(
        `Telephony API did not create the VoiceCall: ${message}`,
        code,
        false,
      );
    }
    return result.voiceCallId;
  }

  /** PATCH /voiceCalls/{voiceCallId or vendorCallKey}. */
  async update(key: string, body: TelephonyUpdateBody): Promise<void> {
    await this.send('PATCH', `/voiceCalls/${encodeURIComponent(key)}`, body, key);
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return { message: text };
  }
}

function describeTelephonyError(body: unknown, status: number): { code: string; message: string } {
  const first = Array.isArray(body) ? (body[0] as unknown) : body;
  const record = (first ?? {}) as Record<string, unknown>;
  const nested = Array.isArray(record.errors)
    ? (record.errors[0] as Record<string, unknown> | undefined)
    : undefined;
  const source = nested ?? record;
  const code =
    typeof source.errorCode === 'string'
      ? source.errorCode
      : typeof source.code === 'string'
        ? source.code
        : httpErrorCode(status);
  const message = typeof source.message === 'string' ? source.message : JSON.stringify(body);
  return { code, message };
}
