/**
 * The utility bar item's panel and rules without the DOM: who the call is with, the timer, and what
 * to do with the agent's Omni-Channel status.
 */
import { agentStateOf, buildPanel, callOf, type CallQuery } from '../panel';
import { decide, omniStatusFor, rememberForCall } from '../omniRules';

const busy = { id: '0N5000000000001AAA', developerName: 'Busy', label: 'Busy' };
const online = { id: '0N5000000000002AAA', developerName: 'Online', label: 'Online' };

function call(names: { contact?: string; lead?: string; account?: string }): CallQuery {
  const named = (n?: string) => (n ? { Name: { value: n } } : null);
  return {
    uiapi: {
      query: {
        Aircall_Voice__c: {
          edges: [
            {
              node: {
                Id: 'a01000000000001AAA',
                Customer_Number__c: { value: '+33612345678' },
                Contact__r: named(names.contact),
                Lead__r: named(names.lead),
                Account__r: named(names.account),
              },
            },
          ],
        },
      },
    },
  };
}

describe('aircallOmniSync panel', () => {
  it('names the person first: the Contact, then the Lead, then the Account, else the number', () => {
    expect(callOf(call({ contact: 'Léa Garnier', account: 'Acme' }))?.name).toBe('Léa Garnier');
    expect(callOf(call({ lead: 'Ana Diaz' }))?.name).toBe('Ana Diaz');
    expect(callOf(call({ account: 'Acme' }))?.name).toBe('Acme');
    expect(callOf(call({}))).toMatchObject({ name: '', number: '+33612345678' });
    expect(callOf(undefined)).toBeNull();
  });

  it('times the state from when it began, and shows a call only while the phone is busy', () => {
    const state = {
      phoneEvent: 'In Call',
      callId: '42',
      changedAt: '2026-11-27T09:00:00.000Z',
      callerNumber: null,
      callerName: null,
    };
    const at = (s: number) => Date.parse('2026-11-27T09:00:00.000Z') + s * 1000;
    const info = { recordId: 'a01', name: 'Léa Garnier', number: '+33612345678' };
    expect(buildPanel(state, info, at(3725))).toMatchObject({
      hasState: true,
      phoneLabel: 'In Call',
      elapsed: '1:02:05',
      onCall: true,
      who: 'Léa Garnier',
      callRecordId: 'a01',
      openCallName: 'Open the call with Léa Garnier',
    });
    const idle = buildPanel({ ...state, phoneEvent: 'Available', callId: '' }, info, at(5));
    expect(idle).toMatchObject({ onCall: false, callRecordId: null, elapsed: '0:05' });
    expect(buildPanel(null, null, at(0)).hasState).toBe(false);
    // Ringing, not logged yet: the agent's state names the caller, the number until matched.
    const ringing = { ...state, phoneEvent: 'Ringing', callerNumber: '+33612345678' };
    expect(buildPanel(ringing, null, at(1))).toMatchObject({
      who: '+33612345678',
      whoName: '',
      whoNumber: '+33612345678',
      callRecordId: null,
    });
    expect(buildPanel({ ...ringing, callerName: 'Chloé Moreau' }, null, at(1))).toMatchObject({
      who: 'Chloé Moreau',
      whoName: 'Chloé Moreau',
    });
    expect(buildPanel({ ...ringing, callerNumber: null }, null, at(1)).who).toBe(
      'Caller not known yet',
    );
    expect(agentStateOf(undefined)).toBeNull();
  });

  it('leaves an offline agent offline, keeps a status chosen during the call, sets the rest', () => {
    expect(omniStatusFor('Ringing', 'Default', [], [busy, online])).toBe(busy);
    expect(omniStatusFor('Ringing', 'Custom', [], [busy, online])).toBeNull();
    expect(decide('Ringing', busy, null, null)).toEqual({ kind: 'offline' });
    expect(decide('Ringing', busy, online.id, null)).toEqual({ kind: 'set' });
    // 18-character and 15-character ids of one record are the same status.
    expect(decide('In Call', busy, busy.id.slice(0, 15), busy.id)).toEqual({ kind: 'already' });
    expect(decide('Available', online, '0N5000000000009AAA', busy.id)).toEqual({ kind: 'kept' });
    expect(rememberForCall('In Call', busy)).toBe(busy.id);
    expect(rememberForCall('Available', online)).toBeNull();
  });
});
