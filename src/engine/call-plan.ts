/**
 * What planBatch's steps share: the batch (`BatchContext`) and, for each call, what was read off
 * its folded state before its records are planned (`CallContext`).
 */
import type { decideLogging, wordsFor } from './activity';
import type { UserMatcher } from './call-fields';
import type { storedTranscript } from './conversation';
import type { CallState, durationsOf } from './fold';
import type { NumberVerdict } from './matching';
import type { CallSyncState, Plan, SObjectFields } from './plan';
import type { callTypeOf, LinkDecision, missedReasonOf } from './rules';
import type { BatchInput, CallCategory, Settings } from './types';

export interface BatchContext {
  input: BatchInput;
  settings: Settings;
  plan: Plan & { warnings: string[] };
  words: ReturnType<typeof wordsFor>;
  sfUser: UserMatcher;
  /** Follow-ups closed by this plan (each by one call). */
  closing: Set<string>;
}

export interface CallContext {
  callId: string;
  state: CallState;
  /** The call's sync state before this plan, and after it (filled in by the steps). */
  prev: CallSyncState;
  next: CallSyncState;
  customer: NumberVerdict;
  e164: string | null;
  lineE164: string | null;
  durations: ReturnType<typeof durationsOf>;
  /** The final VoiceCall PATCH is due in this plan. */
  finalDue: boolean;
  /** Connected or ended: the Aircall Voice (and its Case) may be written. */
  connected: boolean;
  link: LinkDecision;
  type: ReturnType<typeof callTypeOf>;
  category: CallCategory | null;
  logging: ReturnType<typeof decideLogging>;
  missed: ReturnType<typeof missedReasonOf>;
  transcriptStore: ReturnType<typeof storedTranscript> | null;
  recordingLink: string | null;
  voicemailLink: string | null;
  openCaseId: string | null;
  hasCase: boolean;
  /** The Aircall Voice's fields. */
  fields: SObjectFields;
  /** The record this product created for the number, as hashed (null: none). */
  linkIdentity: string | null;
  /** The record this product chose for the call (record-links.ts, `linkKeyOf`). */
  linkKey: string;
}
