/** Events and sync states the inbox suites store (test/inbox/contract.test.ts, postgres.test.ts). */
import type { CallSyncState } from '../../src/engine';
import type { NewEvent } from '../../src/inbox/inbox';

export const event = (key: string, callId: string | null, receivedAt = 1000): NewEvent => ({
  key,
  callId,
  name: callId ? 'call.created' : 'user.opened',
  body: { event: callId ? 'call.created' : 'user.opened', key, nul: 'a\u0000b' },
  receivedAt,
});

export const state = (voiceCallId?: string): CallSyncState => ({
  telephonyCreated: true,
  telephonyCompleted: false,
  ...(voiceCallId ? { voiceCallId } : {}),
});
