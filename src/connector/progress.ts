/**
 * What a unit of work has done so far for each call of a plan: its sync state, started from what
 * was already written (completed from the plan at the end), and the first error of each call that
 * failed. Shared by the steps of unit-of-work.ts, so a failure stays with its call.
 */
import type { CallSyncState } from '../engine';
import type { SalesforceError } from '../salesforce/errors';

export class CallProgress {
  /** Calls whose writes failed, with the first error. */
  readonly failed = new Map<string, SalesforceError>();
  readonly states = new Map<string, CallSyncState>();

  constructor(private readonly previous: ReadonlyMap<string, CallSyncState>) {}

  readonly stateOf = (callId: string): CallSyncState => {
    let state = this.states.get(callId);
    if (!state) {
      state = { telephonyCreated: false, telephonyCompleted: false, ...this.previous.get(callId) };
      this.states.set(callId, state);
    }
    return state;
  };

  readonly fail = (callId: string, error: SalesforceError): void => {
    if (!this.failed.has(callId)) this.failed.set(callId, error);
  };
}
