/**
 * The Telephony Integration API subset served locally: `POST /telephony/v1/voiceCalls` creates a
 * VoiceCall, `PATCH /telephony/v1/voiceCalls/{id or vendor call key}` updates it. The JWT check and
 * the VoiceCall rules are in `../telephony.ts`.
 */
import type { Json, Reply, RouteRequest } from '../http';
import { createTranscripts, createVoiceCall, TelephonyError, updateVoiceCall } from '../telephony';

function asTelephonyBody(body: unknown): Json {
  if (!body || typeof body !== 'object' || Array.isArray(body)) {
    throw new TelephonyError(400, 'INVALID_INPUT', 'The request body must be a JSON object.');
  }
  return body as Json;
}

/** POST /telephony/v1/voiceCalls */
export function createCall({ org, body }: RouteRequest): Reply {
  const r = org.unit(() =>
    createVoiceCall(systemContext(org), org.telephonyCfg, asTelephonyBody(body)),
  );
  return { status: 200, body: r };
}

/** PATCH /telephony/v1/voiceCalls/{id} */
export function updateCall({ org, params, body }: RouteRequest): Reply {
  const r = org.unit(() =>
    updateVoiceCall(systemContext(org), org.telephonyCfg, params.id!, asTelephonyBody(body)),
  );
  return { status: 200, body: r };
}

/** POST /telephony/v1/voiceCalls/messages (Create Transcripts in Bulk) */
export function createMessages({ org, body }: RouteRequest): Reply {
  return createTranscripts(org.dmlContext(), org.conversations, asTelephonyBody(body));
}

/** GET /local/conversations/{vendorCallKey}: the transcript entries the org stored for a call. */
export function conversation({ org, params }: RouteRequest): Reply {
  const stored = org.conversations.get(params.key ?? '');
  return { status: 200, body: { entries: stored ? [...stored.values()] : [] } };
}

/** Anything else under /telephony/v1/. */
export function notServed({ method, path }: RouteRequest): Reply {
  throw new TelephonyError(
    404,
    'NOT_FOUND',
    `${method} ${path} is not part of the Telephony API subset served locally.`,
  );
}

/**
 * The Telephony Integration API writes as the contact center (its JWT), not as the API user: the
 * integration user's object and field permissions do not apply to it.
 */
function systemContext(org: RouteRequest['org']): ReturnType<RouteRequest['org']['dmlContext']> {
  const { access: _ignored, ...ctx } = org.dmlContext();
  return ctx;
}
