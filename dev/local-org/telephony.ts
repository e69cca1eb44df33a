/**
 * The Service Cloud Voice Telephony Integration REST API subset (`/telephony/v1/voiceCalls`), as
 * described in the Voice Developer Guide ("Telephony Integration REST API", voice_rest_*): RS256 JWT
 * signed with the contact center's key, POST creates a VoiceCall, PATCH updates it (and can create
 * the VoiceCall of a call that already ended). A real org answers PATCH asynchronously with
 * `{"status":"pending"}`; here the change is applied before answering, which code written for the
 * asynchronous API tolerates.
 *
 * The error body shape of this API is not documented in the pages available here; errors answer
 * `{"errors":[{"code","message"}]}`, consistent with the `errors` array of the create response.
 */
import { createPublicKey, generateKeyPairSync, verify, type KeyObject } from 'node:crypto';
import {
  getObject,
  insertRecord,
  parseRecord,
  updateRecord,
  type DmlContext,
  type SaveResult,
} from './dml';
import { SfError } from './errors';
import { normalizeId } from './ids';
import type { ObjectDef } from './schema';
import type { Rec, Value } from './store';

export interface TelephonyConfig {
  orgId: string;
  callCenterApiName: string;
  callCenterId: string;
  publicKey: KeyObject;
}

export class TelephonyError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }

  toBody(): { errors: { code: string; message: string }[] } {
    return { errors: [{ code: this.code, message: this.message }] };
  }
}

export function generateContactCenterKey(): { privateKeyPem: string; publicKeyPem: string } {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return {
    privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
  };
}

export function publicKeyFromPem(pem: string): KeyObject {
  return createPublicKey(pem);
}

const seenJti = new Map<string, number>();

/** Verifies `Authorization: Bearer <JWT>` (RS256; iss = org id, sub = contact center API name, exp). */
export function verifyJwt(
  cfg: TelephonyConfig,
  authorization: string | undefined,
  nowMs: number,
): void {
  const token = /^Bearer\s+(.+)$/i.exec(authorization ?? '')?.[1];
  if (!token)
    throw new TelephonyError(
      401,
      'UNAUTHORIZED',
      'Missing Bearer JWT. Sign a JWT with the contact center private key.',
    );
  const parts = token.split('.');
  if (parts.length !== 3)
    throw new TelephonyError(401, 'INVALID_JWT', 'The bearer token is not a JWT.');
  const [h, p, s] = parts as [string, string, string];
  let header: { alg?: string };
  let claims: { iss?: string; sub?: string; exp?: number; iat?: number; jti?: string };
  try {
    header = JSON.parse(Buffer.from(h, 'base64url').toString('utf8')) as typeof header;
    claims = JSON.parse(Buffer.from(p, 'base64url').toString('utf8')) as typeof claims;
  } catch {
    throw new TelephonyError(401, 'INVALID_JWT', 'The JWT header or claims are not valid JSON.');
  }
  if (header.alg !== 'RS256')
    throw new TelephonyError(401, 'INVALID_JWT', 'The JWT must be signed with RS256.');
  if (!verify('RSA-SHA256', Buffer.from(`${h}.${p}`), cfg.publicKey, Buffer.from(s, 'base64url'))) {
    throw new TelephonyError(
      401,
      'INVALID_JWT',
      'The JWT signature does not match the contact center certificate. Sign with the key whose certificate is in the contact center.',
    );
  }
  if (normalizeId(claims.iss ?? '') !== normalizeId(cfg.orgId)) {
    throw new TelephonyError(
      401,
      'INVALID_JWT',
      `The JWT issuer (iss) must be the org id ${cfg.orgId}.`,
    );
  }
  if (claims.sub !== cfg.callCenterApiName) {
    throw new TelephonyError(
      401,
      'INVALID_JWT',
      `The JWT subject (sub) must be the contact center API name ${cfg.callCenterApiName}.`,
    );
  }
  const now = Math.floor(nowMs / 1000);
  if (typeof claims.exp !== 'number' || claims.exp <= now) {
    throw new TelephonyError(401, 'JWT_EXPIRED', 'The JWT has expired (exp). Sign a new one.');
  }
  if (claims.exp - now > 24 * 3600) {
    throw new TelephonyError(
      401,
      'INVALID_JWT',
      'The JWT expiry (exp) must be at most 24 hours ahead.',
    );
  }
  if (claims.jti) {
    for (const [k, exp] of seenJti) if (exp <= now) seenJti.delete(k);
    if (seenJti.has(claims.jti))
      throw new TelephonyError(401, 'INVALID_JWT', 'This JWT (jti) was already used.');
    seenJti.set(claims.jti, claims.exp);
  }
}

function parseAttributes(raw: unknown): Record<string, unknown> {
  if (raw === undefined || raw === null || raw === '') return {};
  if (typeof raw !== 'string') {
    throw new TelephonyError(
      400,
      'INVALID_INPUT',
      'callAttributes must be a JSON string of VoiceCall fields.',
    );
  }
  try {
    const v = JSON.parse(raw) as unknown;
    if (v && typeof v === 'object' && !Array.isArray(v)) return v as Record<string, unknown>;
  } catch {
    // fall through
  }
  throw new TelephonyError(
    400,
    'INVALID_INPUT',
    'callAttributes must be a JSON string of VoiceCall fields.',
  );
}

function fail(r: SaveResult): never {
  const e = r.errors[0];
  throw new TelephonyError(
    400,
    e?.statusCode ?? 'INVALID_INPUT',
    e?.message ?? 'The VoiceCall could not be saved.',
  );
}

function save(
  ctx: DmlContext,
  obj: ObjectDef,
  fields: Record<string, unknown>,
  id?: string,
): string {
  let parsed;
  try {
    parsed = parseRecord(ctx.schema, obj, fields);
  } catch (e) {
    if (e instanceof SfError) throw new TelephonyError(400, e.errorCode, e.message);
    throw e;
  }
  const r = id ? updateRecord(ctx, parsed, id) : insertRecord(ctx, parsed);
  if (!r.success) fail(r);
  return r.id;
}

function str(body: Record<string, unknown>, key: string): string | undefined {
  const v = body[key];
  return typeof v === 'string' && v !== '' ? v : undefined;
}

function findVoiceCall(ctx: DmlContext, obj: ObjectDef, key: string): Rec | undefined {
  const id = normalizeId(key);
  if (id && id.startsWith(obj.keyPrefix)) return ctx.store.get(obj, id);
  const vendorKey = obj.fields.get('vendorcallkey')!;
  for (const found of ctx.store.lookup(obj, vendorKey, key) ?? []) {
    const rec = ctx.store.get(obj, found);
    // The index is case-insensitive; vendor call keys are compared exactly.
    if (rec?.VendorCallKey === key) return rec;
  }
  return undefined;
}

function voiceCallObject(ctx: DmlContext): ObjectDef {
  const obj = getObject(ctx.schema, 'VoiceCall');
  if (!obj) throw new TelephonyError(500, 'UNKNOWN', 'VoiceCall is not available in this org.');
  return obj;
}

/** POST /telephony/v1/voiceCalls */
export function createVoiceCall(
  ctx: DmlContext,
  cfg: TelephonyConfig,
  body: Record<string, unknown>,
): { voiceCallId: string; errors: [] } {
  const obj = voiceCallObject(ctx);
  for (const key of [
    'callCenterApiName',
    'vendorCallKey',
    'to',
    'from',
    'initiationMethod',
    'startTime',
  ]) {
    if (!str(body, key)) throw new TelephonyError(400, 'INVALID_INPUT', `${key} is required.`);
  }
  if (body.callCenterApiName !== cfg.callCenterApiName) {
    throw new TelephonyError(
      400,
      'INVALID_INPUT',
      `Unknown callCenterApiName ${String(body.callCenterApiName)}.`,
    );
  }
  const method = str(body, 'initiationMethod')!;
  if (method !== 'Inbound' && method !== 'Transfer') {
    throw new TelephonyError(
      400,
      'INVALID_INPUT',
      `initiationMethod must be Inbound or Transfer (got ${method}); outbound calls are not created with POST /voiceCalls.`,
    );
  }
  // vendorCallKey is the "unique key that identifies the VoiceCall within the telephony system";
  // the guide does not say how a second POST with the same key is answered: refused here, nothing
  // created (test/local-org/telephony.test.ts cites the page).
  if (findVoiceCall(ctx, obj, str(body, 'vendorCallKey')!)) {
    throw new TelephonyError(
      400,
      'DUPLICATE_VALUE',
      `A VoiceCall with vendorCallKey ${str(body, 'vendorCallKey')!} already exists.`,
    );
  }
  const start = str(body, 'startTime')!;
  const fields: Record<string, unknown> = {
    CallType: method,
    VendorCallKey: str(body, 'vendorCallKey'),
    ToPhoneNumber: str(body, 'to'),
    FromPhoneNumber: str(body, 'from'),
    CallStartDateTime: start,
    // The org fills the end time of a live call with its start until the call ends.
    CallEndDateTime: start,
    CallCenterId: cfg.callCenterId,
    CallDisposition: 'new',
    ...(str(body, 'queue') ? { QueueName: str(body, 'queue') } : {}),
    ...(str(body, 'callOrigin') ? { CallOrigin: str(body, 'callOrigin') } : {}),
    ...parseAttributes(body.callAttributes),
  };
  const voiceCallId = save(ctx, obj, fields);
  return { voiceCallId, errors: [] };
}

const num = (v: unknown): number | undefined =>
  typeof v === 'number' && Number.isFinite(v) ? v : undefined;

/** PATCH /telephony/v1/voiceCalls/{voiceCallId | vendorCallKey} */
export function updateVoiceCall(
  ctx: DmlContext,
  cfg: TelephonyConfig,
  key: string,
  body: Record<string, unknown>,
): { status: 'pending' } {
  const obj = voiceCallObject(ctx);
  let existing = findVoiceCall(ctx, obj, key);
  const start = str(body, 'startTime');
  const end = str(body, 'endTime');
  const fields: Record<string, unknown> = {};
  if (start) fields.CallStartDateTime = start;
  if (end) fields.CallEndDateTime = end;
  if (str(body, 'acceptTime')) fields.CallAcceptDateTime = str(body, 'acceptTime');
  if (str(body, 'enqueueTime')) fields.CallQueuedDateTime = str(body, 'enqueueTime');
  if (str(body, 'fromNumber')) fields.FromPhoneNumber = str(body, 'fromNumber');
  if (str(body, 'toNumber')) fields.ToPhoneNumber = str(body, 'toNumber');
  if (str(body, 'queue')) fields.QueueName = str(body, 'queue');
  if (str(body, 'callOrigin')) fields.CallOrigin = str(body, 'callOrigin');
  const agent = str(body, 'agent');
  if (agent && normalizeId(agent)?.startsWith('005')) fields.UserId = agent;
  for (const [src, dst] of [
    ['totalHoldDuration', 'TotalHoldDuration'],
    ['longestHoldDuration', 'LongestHoldDuration'],
    ['numberOfHolds', 'NumberOfHolds'],
    ['agentInteractionDuration', 'AgentInteractionDuration'],
  ] as const) {
    if (num(body[src]) !== undefined) fields[dst] = num(body[src]);
  }
  if (body.isActiveCall === false) fields.CallDisposition = 'completed';
  else if (body.isActiveCall === true) fields.CallDisposition = 'in-progress';
  const reason = body.disconnectReason as { value?: unknown } | undefined;
  if (reason && typeof reason.value === 'string') fields.DisconnectReason = reason.value;
  Object.assign(fields, parseAttributes(body.callAttributes));
  const recordingLocation = str(body, 'recordingLocation');
  if (recordingLocation && recordingLocation.length > 1000) {
    throw new TelephonyError(
      400,
      'INVALID_INPUT',
      'recordingLocation must be at most 1,000 characters.',
    );
  }

  let id: string;
  if (existing) {
    id = existing.Id as string;
    const startMs = Date.parse((start ?? existing.CallStartDateTime ?? '') as string);
    const endMs = end ? Date.parse(end) : NaN;
    if (!Number.isNaN(startMs) && !Number.isNaN(endMs)) {
      fields.CallDurationInSeconds = Math.max(0, Math.round((endMs - startMs) / 1000));
    }
    save(ctx, obj, fields, id);
  } else {
    // Creating the VoiceCall of a call that already ended (missed, abandoned, outbound).
    if (!start || !end) {
      throw new TelephonyError(
        404,
        'NOT_FOUND',
        `No VoiceCall for ${key}. To create one for an ended call, send startTime and endTime.`,
      );
    }
    const callType = str(body, 'callType') ?? 'Inbound';
    Object.assign(fields, {
      CallType: callType,
      VendorCallKey: key,
      CallCenterId: cfg.callCenterId,
      CallDurationInSeconds: Math.max(0, Math.round((Date.parse(end) - Date.parse(start)) / 1000)),
    });
    if (!fields.CallDisposition) fields.CallDisposition = 'completed';
    id = save(ctx, obj, fields);
  }
  existing = ctx.store.get(obj, id);
  if (recordingLocation && existing && !existing.CallRecordingId) {
    const recObj = getObject(ctx.schema, 'VoiceCallRecording');
    if (recObj) {
      const duration = num(body.totalRecordingDuration);
      const recordingId = save(ctx, recObj, {
        VoiceCallId: id,
        RecordingLocation: recordingLocation,
        MediaContentType: 'audio/mpeg',
        ...(duration !== undefined ? { DurationInSeconds: duration } : {}),
      });
      save(
        ctx,
        obj,
        { CallRecordingId: recordingId, IsRecorded: true } satisfies Record<string, Value>,
        id,
      );
    }
  }
  return { status: 'pending' };
}

/** One stored utterance of a conversation (what a real org keeps as a conversation entry). */
export interface ConversationEntry {
  messageId: string;
  participantId: string;
  senderType: string;
  startTime: number;
  endTime: number;
  content: string;
}

/** Conversation entries by the VoiceCall's vendor call key, in the order they were created. */
export type Conversations = Map<string, Map<string, ConversationEntry>>;

const SENDER_TYPES = new Set([
  'END_USER',
  'EXTERNAL_USER',
  'HUMAN_AGENT',
  'SUPERVISOR',
  'VIRTUAL_AGENT',
]);
/** Participants Salesforce renames to `{vendorCallKey}{senderType}` "for privacy reasons". */
const RENAMED = new Set(['END_USER', 'SUPERVISOR', 'VIRTUAL_AGENT']);
export const BULK_TRANSCRIPT_CALLS = 5;
export const BULK_TRANSCRIPT_MESSAGES = 5;

const bad = (message: string): never => {
  throw new TelephonyError(400, 'INVALID_INPUT', message);
};

/**
 * POST /telephony/v1/voiceCalls/messages — "Create Transcripts in Bulk" (Salesforce Voice with
 * Telephony Providers Implementation Guide): `entries[{vendorCallKey, messages[{participantId,
 * messageId, startTime, endTime, content, senderType}]}]`, every property required; up to 5
 * different voice calls per request, up to 5 messages per voice call; a HUMAN_AGENT's participantId
 * is the rep's Salesforce user id; transcripts are created only when their time is between the
 * start and end of the conversation; messageId is unique in its conversation (a repeated one
 * creates nothing). Answers 202 `{"result":"Accepted"}`, or 207 listing the entries it refused
 * (`errorResponse.errorResponseEntries`, the shape Salesforce's own partner code reads).
 */
export function createTranscripts(
  ctx: DmlContext,
  conversations: Conversations,
  body: Record<string, unknown>,
): { status: 202 | 207; body: Record<string, unknown> } {
  const entries = body.entries;
  if (!Array.isArray(entries) || entries.length === 0)
    bad('entries is required: an array of {vendorCallKey, messages}.');
  const list = entries as unknown[];
  const perCall = new Map<string, number>();
  for (const [i, raw] of list.entries()) {
    if (!raw || typeof raw !== 'object' || Array.isArray(raw))
      bad(`entries[${i}] must be an object with vendorCallKey and messages.`);
    const entry = raw as Record<string, unknown>;
    const key = str(entry, 'vendorCallKey') ?? bad(`entries[${i}].vendorCallKey is required.`);
    const messages = entry.messages;
    if (!Array.isArray(messages) || messages.length === 0)
      bad(`entries[${i}].messages is required: an array of transcript objects.`);
    perCall.set(key, (perCall.get(key) ?? 0) + (messages as unknown[]).length);
    for (const [j, m] of (messages as unknown[]).entries()) {
      const at = `entries[${i}].messages[${j}]`;
      if (!m || typeof m !== 'object' || Array.isArray(m)) bad(`${at} must be an object.`);
      const msg = m as Record<string, unknown>;
      for (const k of ['participantId', 'messageId', 'content', 'senderType'])
        if (!str(msg, k)) bad(`${at}.${k} is required.`);
      for (const k of ['startTime', 'endTime'])
        if (!Number.isInteger(msg[k]))
          bad(`${at}.${k} is required: milliseconds since the Unix epoch (int64).`);
      const sender = str(msg, 'senderType')!;
      if (!SENDER_TYPES.has(sender))
        bad(`${at}.senderType must be one of ${[...SENDER_TYPES].join(', ')} (got ${sender}).`);
      if (
        sender === 'HUMAN_AGENT' &&
        !/^005[A-Za-z0-9]{12}(?:[A-Za-z0-9]{3})?$/.test(str(msg, 'participantId')!)
      )
        bad(
          `${at}.participantId must be the rep's 15- or 18-character Salesforce user id (005…) for HUMAN_AGENT.`,
        );
    }
  }
  if (perCall.size > BULK_TRANSCRIPT_CALLS)
    bad(
      `A request can carry transcripts for up to ${BULK_TRANSCRIPT_CALLS} different voice calls (got ${perCall.size}).`,
    );
  for (const [key, count] of perCall)
    if (count > BULK_TRANSCRIPT_MESSAGES)
      bad(
        `Each voice call can have up to ${BULK_TRANSCRIPT_MESSAGES} transcripts per request (${key} has ${count}).`,
      );

  const obj = voiceCallObject(ctx);
  const refused: { vendorCallKey: string; status: number; message: string }[] = [];
  for (const raw of list) {
    const entry = raw as { vendorCallKey: string; messages: Record<string, unknown>[] };
    const call = findVoiceCall(ctx, obj, entry.vendorCallKey);
    if (!call || call.VendorCallKey !== entry.vendorCallKey) {
      // The vendor call key, never a Salesforce voiceCallId, names the conversation.
      refused.push({
        vendorCallKey: entry.vendorCallKey,
        status: 404,
        message: `No voice call with vendorCallKey ${entry.vendorCallKey}.`,
      });
      continue;
    }
    const start = Date.parse(String(call.CallStartDateTime ?? ''));
    const end = Date.parse(String(call.CallEndDateTime ?? ''));
    let stored = conversations.get(entry.vendorCallKey);
    if (!stored)
      conversations.set(entry.vendorCallKey, (stored = new Map<string, ConversationEntry>()));
    for (const m of entry.messages) {
      const startTime = m.startTime as number;
      if (startTime < start || startTime > end) continue; // outside the conversation: not created
      const messageId = m.messageId as string;
      if (stored.has(messageId)) continue;
      const sender = m.senderType as string;
      stored.set(messageId, {
        messageId,
        participantId: RENAMED.has(sender)
          ? `${entry.vendorCallKey}${sender}`
          : (m.participantId as string),
        senderType: sender,
        startTime,
        endTime: m.endTime as number,
        content: m.content as string,
      });
    }
  }
  if (refused.length > 0)
    return { status: 207, body: { errorResponse: { errorResponseEntries: refused } } };
  return { status: 202, body: { result: 'Accepted' } };
}
