/**
 * What the phone side did to the reps, as far as the presence sync must know. As in Service Cloud
 * Voice, Omni changes are ignored while the rep is on a call: the worker tells the sync, in-process,
 * of the phone-side states it writes ("Ringing"/"In Call", ended by the call's end); and an Omni
 * change that merely echoes what the phone side just set (the Omni-Channel utility bar applying
 * it) is not sent back to Aircall. The connector subscribes to none of its own events: each would
 * cost one event delivery.
 */
import { agentStatusFields, type AgentStatusEvent, type VoiceUpdateEvent } from '../../engine';
import { id15 } from './records';

/** Published by the connector for phone → Omni (see the engine's planner). */
const AGENT_STATUS_CHANNEL = 'Aircall_Agent_Status__e';
const CALL_UPDATE_CHANNEL = 'Aircall_Voice_Update__e';
const ON_CALL_MAX_MS = 4 * 3600_000;
/** How long an Omni change matching what the phone side just published counts as its echo. */
const ECHO_MS = 60_000;

export class PhoneSide {
  /** Reps on a call, from the phone-side events the connector publishes (by 15-char user id). */
  private readonly onCall = new Map<string, { callId: string | null; since: number }>();
  /** The Omni status last published for a rep from the phone side, and when. */
  private readonly published = new Map<string, { status: string; at: number }>();

  /**
   * The connector's own phone-side events, told in-process by the worker for each applied batch
   * (subscribing to them would cost one event delivery per event): "Ringing"/"In Call" put a rep
   * on a call until the call ends or a later phone state arrives; the Omni status the utility bar
   * will set from it is remembered, so the change it causes in Omni is not echoed back to Aircall.
   */
  note(events: readonly (AgentStatusEvent | VoiceUpdateEvent)[]): void {
    for (const e of events) {
      if (e.sobject === 'Aircall_Agent_Status__e') {
        this.onEvent(AGENT_STATUS_CHANNEL, { ...agentStatusFields(e) });
      } else {
        this.onEvent(CALL_UPDATE_CHANNEL, { Call_Id__c: e.callId, Change__c: e.change });
      }
    }
  }

  private onEvent(channel: string, payload: Record<string, unknown>): void {
    const now = Date.now();
    if (channel === AGENT_STATUS_CHANNEL) {
      if (typeof payload.User_Id__c !== 'string') return;
      const user = id15(payload.User_Id__c);
      if (typeof payload.Omni_Status__c === 'string')
        this.published.set(user, { status: payload.Omni_Status__c, at: now });
      // The event's fields, never its Reason__c prose (rewording a sentence must not change this).
      if (payload.Phone_Event__c === 'Ringing' || payload.Phone_Event__c === 'In Call') {
        this.onCall.set(user, {
          callId: typeof payload.Call_Id__c === 'string' ? payload.Call_Id__c : null,
          since: now,
        });
      } else {
        this.onCall.delete(user);
      }
      return;
    }
    const change = typeof payload.Change__c === 'string' ? payload.Change__c.split(',') : [];
    if (!change.includes('ended') || typeof payload.Call_Id__c !== 'string') return;
    for (const [user, call] of this.onCall) {
      if (call.callId === payload.Call_Id__c) this.onCall.delete(user);
    }
  }

  /** Whether the rep (Salesforce user id) is on a call, as far as the phone-side events tell. */
  isOnCall(userId: string): boolean {
    const user = id15(userId);
    const call = this.onCall.get(user);
    // A call whose end was never seen stops counting after a few hours.
    if (call && Date.now() - call.since > ON_CALL_MAX_MS) this.onCall.delete(user);
    return this.onCall.has(user);
  }

  /** Whether an Omni status of the rep is the echo of what the phone side just published. */
  isEcho(userId: string, developerName: string | null): boolean {
    const echo = this.published.get(id15(userId));
    return (
      echo !== undefined &&
      Date.now() - echo.at < ECHO_MS &&
      developerName?.toLowerCase() === echo.status.toLowerCase()
    );
  }
}
