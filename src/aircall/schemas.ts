/**
 * Zod schemas for Aircall webhook payloads (docs/PLATFORM.md §1).
 *
 * Every object schema is loose: Aircall adds fields over time and an unknown extra field must never
 * make us reject (and so lose) an event. Only the fields the engine reads are typed.
 */
import { z } from 'zod';

/**
 * The latest time Salesforce stores in a DateTime field: 4000-12-31T00:00:00Z ("Only dates within a
 * certain range are valid. The earliest valid date is 1700-01-01T00:00:00Z GMT … The latest valid
 * date is 4000-12-31T00:00:00Z GMT", Data Loader Guide, "Data Import Dates"). Aircall times are Unix
 * seconds, so never before 1970: a time past this one is refused at ingest (422) rather than left
 * to fail later — past 275760 JavaScript cannot even make a date of it.
 */
export const MAX_UNIX_SECONDS = Date.UTC(4000, 11, 31) / 1000;

const unixSeconds = z
  .number({ error: 'expected a number (Unix seconds)' })
  .int({ error: 'expected a whole number of seconds (Unix time)' })
  .nonnegative({ error: 'expected a time after 1970 (Unix seconds are never negative)' })
  .max(MAX_UNIX_SECONDS, {
    error: `expected a time before 4000-12-31 (Unix seconds up to ${MAX_UNIX_SECONDS}), the latest date Salesforce stores`,
  });
const nullableUnixSeconds = unixSeconds.nullable().optional();
/**
 * Aircall ids are int64; some payloads carry them as strings. Keep them as strings, losslessly. A
 * string id is at most 32 characters: a call's id is the external id of its Aircall Voice
 * (`Aircall_Call_Id__c`, Text(32)), which no org would store longer (and an int64 has 20 digits).
 */
const id = z.union(
  [
    z.number().int(),
    z.string().min(1).max(32, { error: 'expected an id of at most 32 characters' }),
  ],
  {
    error: 'expected an id (a number, or a string of 1 to 32 characters)',
  },
);

export const aircallUserSchema = z.looseObject({
  id: id,
  name: z.string().nullish(),
  email: z.string().nullish(),
  availability_status: z.string().nullish(),
  substatus: z.string().nullish(),
});

/** A user referenced inside a call (agent, tagger, assignee): only what is there is used, so a
 * reference without an id does not cost the whole call event. */
const userRef = aircallUserSchema.extend({ id: id.optional() });

export const aircallNumberSchema = z.looseObject({
  id: id.optional(),
  name: z.string().nullish(),
  digits: z.string().nullish(),
  country: z.string().nullish(),
  time_zone: z.string().nullish(),
});

export const aircallTagSchema = z.looseObject({
  id: id.optional(),
  name: z.string(),
  created_at: z.union([z.number(), z.string()]).nullish(),
  tagged_by: userRef.nullish(),
});

export const aircallCommentSchema = z.looseObject({
  id: id.optional(),
  content: z.string().nullish(),
  posted_at: z.union([z.number(), z.string()]).nullish(),
  posted_by: userRef.nullish(),
});

export const aircallContactSchema = z.looseObject({
  id: id.optional(),
  first_name: z.string().nullish(),
  last_name: z.string().nullish(),
  company_name: z.string().nullish(),
});

/** The Call object (`data` of every `call.*` event). */
export const aircallCallSchema = z.looseObject({
  id: id,
  direct_link: z.string().nullish(),
  direction: z.enum(['inbound', 'outbound'], { error: 'expected "inbound" or "outbound"' }),
  status: z.enum(['initial', 'answered', 'done'], {
    error: 'expected "initial", "answered" or "done"',
  }),
  missed_call_reason: z.string().nullish(),
  started_at: unixSeconds,
  answered_at: nullableUnixSeconds,
  ended_at: nullableUnixSeconds,
  duration: z.number().nullish(),
  raw_digits: z.string().nullish(),
  recording: z.string().nullish(),
  recording_short_url: z.string().nullish(),
  voicemail: z.string().nullish(),
  voicemail_short_url: z.string().nullish(),
  asset: z.string().nullish(),
  user: userRef.nullish(),
  contact: aircallContactSchema.nullish(),
  number: aircallNumberSchema.nullish(),
  assigned_to: userRef.nullish(),
  transferred_by: userRef.nullish(),
  transferred_to: userRef.nullish(),
  tags: z.array(aircallTagSchema).nullish(),
  comments: z.array(aircallCommentSchema).nullish(),
  archived: z.boolean().nullish(),
  country_code_a2: z.string().nullish(),
  hangup_cause: z.string().nullish(),
});

/**
 * Conversation-intelligence payloads. Their exact shape is not verified (docs/PLATFORM.md §1), so the
 * call id is read from `call_id` or from a nested `call.id`, and the content from the places
 * Aircall's guides show it; nothing else is required.
 */
export const aircallAiSchema = z
  .looseObject({
    call_id: id.optional(),
    call: z.looseObject({ id: id.optional() }).nullish(),
    /** A transcription read from Aircall's API comes wrapped as `{ transcription: {...} }`. */
    transcription: z.looseObject({ call_id: id.optional() }).nullish(),
    content: z.unknown().optional(),
  })
  .refine(
    (d) =>
      d.call_id !== undefined ||
      (d.call?.id ?? undefined) !== undefined ||
      (d.transcription?.call_id ?? undefined) !== undefined,
    {
      message: 'expected call_id (the id of the Aircall call this insight belongs to)',
      path: ['call_id'],
    },
  );

export const CALL_EVENTS = [
  'call.created',
  'call.ringing_on_agent',
  'call.agent_declined',
  'call.answered',
  'call.transferred',
  'call.external_transferred',
  'call.unsuccessful_transfer',
  'call.hungup',
  'call.ended',
  'call.hold',
  'call.unhold',
  'call.ivr_option_selected',
  'call.comm_assets_generated',
  'call.voicemail_left',
  'call.assigned',
  'call.archived',
  'call.tagged',
  'call.untagged',
  'call.commented',
] as const;

export const USER_EVENTS = [
  'user.created.v2',
  'user.deleted.v2',
  'user.connected.v2',
  'user.disconnected.v2',
  'user.opened.v2',
  'user.closed.v2',
  'user.wut_start.v2',
  'user.wut_end.v2',
] as const;

export const AI_EVENTS = [
  'transcription.created',
  'summary.created',
  'topics.created',
  'sentiment.created',
  'action_item.created',
] as const;

export type CallEventName = (typeof CALL_EVENTS)[number];
export type UserEventName = (typeof USER_EVENTS)[number];
export type AiEventName = (typeof AI_EVENTS)[number];

export const envelopeSchema = z.looseObject({
  resource: z.string({ error: 'expected a string such as "call"' }).min(1),
  event: z.string({ error: 'expected an event name such as "call.ended"' }).min(1),
  timestamp: unixSeconds,
  token: z.string({ error: 'expected the webhook token (a string)' }).optional(),
  data: z.unknown(),
});

export type AircallCall = z.infer<typeof aircallCallSchema>;
export type AircallUser = z.infer<typeof aircallUserSchema>;
/** A user as referenced inside a call: the id may be missing. */
export type AircallUserRef = z.infer<typeof userRef>;
export type AircallAi = z.infer<typeof aircallAiSchema>;
export type AircallEnvelope = z.infer<typeof envelopeSchema>;

interface EventBase {
  resource: string;
  timestamp: number;
  token?: string | undefined;
  /** The whole envelope as received, unknown fields included. */
  raw: AircallEnvelope;
}

export interface CallEvent extends EventBase {
  kind: 'call';
  event: CallEventName;
  data: AircallCall;
}
export interface UserEvent extends EventBase {
  kind: 'user';
  event: UserEventName;
  data: AircallUser;
}
export interface AiEvent extends EventBase {
  kind: 'ai';
  event: AiEventName;
  data: AircallAi;
}
/** An event we do not know (yet): accepted and stored, never rejected. */
export interface GenericEvent extends EventBase {
  kind: 'generic';
  event: string;
  data: unknown;
}

export type AircallEvent = CallEvent | UserEvent | AiEvent | GenericEvent;
