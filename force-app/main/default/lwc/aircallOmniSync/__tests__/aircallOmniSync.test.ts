/**
 * The utility bar's phone → Omni logic. The only mocked boundary is the Aura wrapper
 * (aircallOmniToolkit), which in an org relays `omnirequest` events to lightning:omniToolkitAPI:
 * here `omniChannel()` plays it, with an Omni status the test controls. Lightning Data Service data
 * arrives through sfdx-lwc-jest's GraphQL test adapter, as for every component.
 */
import { createElement } from 'lwc';
import AircallOmniSync, { IDLE_POLL_MS, LIVE_POLL_MS } from 'c/aircallOmniSync';
import type { OmniRequest } from 'c/aircallOmniSync';
import { graphql } from 'lightning/graphql';
import * as navigation from 'lightning/navigation';

import statuses from '../../omniStatusMapper/__tests__/data/graphqlPresenceStatuses.json';
import customMappings from '../../omniStatusMapper/__tests__/data/graphqlMappingsCustom.json';
import defaultMappings from '../../omniStatusMapper/__tests__/data/graphqlMappingsDefault.json';
import { flush, onlyQuery } from '../../aircallUtils/__tests__/testUtils';

const graphqlAdapter = graphql as unknown as TestGraphQLAdapter;
const nav = navigation as unknown as NavigationMock;
const BUSY = '0N5Dn0000004BkZKAU';
const BREAK = '0N5Dn0000004BkaKAE';
const ONLINE = '0N5Dn0000004BkbKAE';

type SyncElement = HTMLElement & {
  omniResult(requestId: number, statusId: string | null, error: string | null): void;
};

/** Plays the Aura wrapper: answers the LWC's requests from an Omni status the test sets. */
function omniChannel(element: SyncElement, initial: string | null) {
  const omni = { status: initial, sets: [] as string[], fail: null as string | null };
  element.addEventListener('omnirequest', (event) => {
    const request = (event as CustomEvent<OmniRequest>).detail;
    queueMicrotask(() => {
      if (omni.fail) {
        element.omniResult(request.requestId, null, omni.fail);
        return;
      }
      if (request.action === 'set') {
        omni.sets.push(request.statusId!);
        omni.status = request.statusId!;
      }
      element.omniResult(request.requestId, omni.status, null);
    });
  });
  return omni;
}

/** Who the call is with, as the connector wrote it on the agent's state while the phone rang. */
interface Caller {
  number?: string;
  name?: string;
}

let changes = 0;
function state(
  phoneEvent: string | null,
  callId: string | null = null,
  changedAt?: string,
  caller: Caller = {},
): unknown {
  changes++;
  return {
    uiapi: {
      query: {
        Aircall_Agent_State__c: {
          edges:
            phoneEvent === null
              ? []
              : [
                  {
                    node: {
                      Id: 'a05Dn0000000001IAA',
                      Phone_Event__c: { value: phoneEvent },
                      Call_Id__c: { value: callId },
                      Changed_At__c: {
                        value:
                          changedAt ?? `2026-11-27T09:00:${String(changes).padStart(2, '0')}.000Z`,
                      },
                      Caller_Number__c: { value: caller.number ?? null },
                      Caller_Name__c: { value: caller.name ?? null },
                    },
                  },
                ],
        },
      },
    },
  };
}

const refresh = jest.fn(() => Promise.resolve());

async function mount(
  options: { mappings?: unknown; omni?: string | null; at?: string | null } = {},
) {
  const element = createElement('c-aircall-omni-sync', { is: AircallOmniSync }) as SyncElement;
  const omni = omniChannel(element, options.omni === undefined ? ONLINE : options.omni);
  document.body.appendChild(element);
  await flush();
  graphqlAdapter.emit(statuses, onlyQuery('omniPresenceStatuses'));
  graphqlAdapter.emit(options.mappings ?? defaultMappings, onlyQuery('aircallPhoneToOmni'));
  // What the agent's phone was doing when the console opened: not applied (it may be old).
  graphqlAdapter.emit(
    state(options.at === undefined ? 'Available' : options.at),
    onlyQuery('aircallAgentState'),
    refresh,
  );
  await settle();
  return { element, omni };
}

async function phone(
  phoneEvent: string,
  callId: string | null = null,
  changedAt?: string,
  caller: Caller = {},
): Promise<void> {
  graphqlAdapter.emit(
    state(phoneEvent, callId, changedAt, caller),
    onlyQuery('aircallAgentState'),
    refresh,
  );
  await settle();
}

const callRefresh = jest.fn(() => Promise.resolve());

/** The Aircall Voice of the current call, as the connector logged it. */
async function logged(
  call: { id: string; number: string; contact?: string; lead?: string; account?: string } | null,
): Promise<void> {
  const named = (name?: string) => (name ? { Name: { value: name } } : null);
  graphqlAdapter.emit(
    {
      uiapi: {
        query: {
          Aircall_Voice__c: {
            edges: call
              ? [
                  {
                    node: {
                      Id: call.id,
                      Customer_Number__c: { value: call.number },
                      Contact__r: named(call.contact),
                      Lead__r: named(call.lead),
                      Account__r: named(call.account),
                    },
                  },
                ]
              : [],
          },
        },
      },
    },
    onlyQuery('aircallCurrentCall'),
    callRefresh,
  );
  await settle();
}

function $(element: HTMLElement, selector: string): HTMLElement | null {
  return element.shadowRoot!.querySelector(selector);
}

/** The panel's facts, label → value, as a person reads them. */
function facts(element: HTMLElement): Record<string, string> {
  const out: Record<string, string> = {};
  for (const fact of element.shadowRoot!.querySelectorAll('.fact')) {
    const dt = (fact.querySelector('dt')!.textContent ?? '').trim();
    const dd = fact.querySelector('dd')!;
    const time = dd.querySelector<HTMLElement & { value: string }>('lightning-formatted-date-time');
    // A number is shown by lightning-formatted-phone (which formats it for the agent's locale).
    const parts = [...dd.children].map((c) => {
      if (c.localName !== 'lightning-formatted-phone') return c.textContent ?? '';
      return String((c as HTMLElement & { value: string }).value);
    });
    const shown = parts.length ? parts.join(' ') : (dd.textContent ?? '');
    out[dt] = time ? `@${time.value}` : shown.replace(/\s+/g, ' ').trim();
  }
  return out;
}

/** The request to the wrapper, its answer and the re-render: a few microtask turns. */
async function settle(): Promise<void> {
  await flush();
  await flush();
  await flush();
  await flush();
}

function text(element: HTMLElement): string {
  return element.shadowRoot!.querySelector('.status')!.textContent!.trim();
}

describe('c-aircall-omni-sync', () => {
  afterEach(() => {
    while (document.body.firstChild) document.body.removeChild(document.body.firstChild);
    jest.clearAllMocks();
    jest.useRealTimers();
  });

  it("reads only the agent's own phone state, and the call of that state", async () => {
    await mount();
    await phone('In Call', '1790603050');
    const configs: Record<string, unknown>[] = [];
    graphqlAdapter.emit({}, (config) => {
      configs.push(config);
      return false;
    });
    const of = (name: string) => configs.find((c) => c.operationName === name);
    expect(of('aircallAgentState')!.variables).toEqual({ userId: expect.stringMatching(/^005/) });
    expect(of('aircallCurrentCall')!.variables).toEqual({ callId: '1790603050' });
  });

  it('sets the Omni status from a phone event (Default mapping: ringing → Busy, available → Online)', async () => {
    const { element, omni } = await mount();
    expect(omni.sets).toEqual([]);
    await phone('Ringing', '1790603050');
    expect(omni.sets).toEqual([BUSY]);
    expect(text(element)).toBe('Ringing on your phone: Omni-Channel set to Busy.');
    // Answered: Busy already, nothing to set.
    await phone('In Call', '1790603050');
    expect(omni.sets).toEqual([BUSY]);
    await phone('Available');
    expect(omni.sets).toEqual([BUSY, ONLINE]);
  });

  it("applies the admin's Phone to Omni rules in Custom mode, and leaves Omni alone without a rule", async () => {
    const { element, omni } = await mount({ mappings: customMappings });
    await phone('In Call', '42');
    expect(omni.sets).toEqual([BUSY]);
    // Custom rules here have none for After-Call Work.
    await phone('After-Call Work');
    expect(omni.sets).toEqual([BUSY]);
    expect(text(element)).toBe(
      'No Omni-Channel status for "After Conversation Work": your status is left as it is.',
    );
  });

  it('keeps a status the agent set by hand during the call when the call ends', async () => {
    const { element, omni } = await mount();
    await phone('In Call', '42');
    expect(omni.sets).toEqual([BUSY]);
    omni.status = BREAK; // the agent picks Break in the Omni widget during the call
    await phone('Available');
    expect(omni.sets).toEqual([BUSY]);
    expect(omni.status).toBe(BREAK);
    expect(text(element)).toBe('You changed your status during the call; it is kept.');
    // The next call follows the phone again.
    await phone('Ringing', '43');
    expect(omni.sets).toEqual([BUSY, BUSY]);
  });

  it('never logs an agent who is offline in Omni-Channel in', async () => {
    const { element, omni } = await mount({ omni: null });
    await phone('Ringing', '42');
    expect(omni.sets).toEqual([]);
    expect(text(element)).toMatch(/offline in Omni-Channel/);
  });

  it('does not apply the state found when the console opens', async () => {
    const { omni } = await mount({ at: 'In Call' });
    expect(omni.sets).toEqual([]);
  });

  it('says so when Omni-Channel refuses the change', async () => {
    const { element, omni } = await mount();
    omni.fail = 'Omni-Channel is not available in this app.';
    await phone('Ringing', '42');
    expect(text(element)).toBe(
      'Omni-Channel could not be read: Omni-Channel is not available in this app.',
    );
  });

  it('re-reads the state every 10 s when the phone is idle, every 5 s while it is busy, and stops when closed', async () => {
    jest.useFakeTimers();
    const { element } = await mount();
    jest.advanceTimersByTime(IDLE_POLL_MS - 1);
    expect(refresh).not.toHaveBeenCalled();
    jest.advanceTimersByTime(1);
    expect(refresh).toHaveBeenCalledTimes(1);
    await phone('Ringing', '42');
    const before = refresh.mock.calls.length;
    jest.advanceTimersByTime(LIVE_POLL_MS);
    await settle();
    expect(refresh.mock.calls.length).toBe(before + 1);
    document.body.removeChild(element);
    jest.advanceTimersByTime(IDLE_POLL_MS * 10);
    expect(refresh.mock.calls.length).toBe(before + 1);
  });

  it('shows the phone state with a running timer, who the call is with, since when, and the status it set', async () => {
    // The Omni toolkit answers in a microtask: only the clock is faked.
    jest.useFakeTimers({
      now: Date.parse('2026-11-27T09:00:00.000Z'),
      doNotFake: ['queueMicrotask'],
    });
    const { element } = await mount({ at: null });
    expect($(element, '.no-activity')!.textContent).toBe('No phone activity yet.');
    await phone('Ringing', '1790603050', '2026-11-27T09:00:00.000Z');
    // Not logged yet: the caller is not known.
    expect(facts(element)).toEqual({
      Phone: 'Ringing 0:00',
      'Call with': 'Caller not known yet',
      Since: '@2026-11-27T09:00:00.000Z',
      'Omni-Channel status set': 'Busy',
    });
    await phone('In Call', '1790603050', '2026-11-27T09:00:04.000Z');
    await logged({ id: 'a01Dn0000000001IAA', number: '+33612345678', contact: 'Léa Garnier' });
    jest.advanceTimersByTime(65_000);
    await settle();
    expect(facts(element)).toMatchObject({
      Phone: 'In Call 1:01',
      'Call with': 'Léa Garnier',
      Since: '@2026-11-27T09:00:04.000Z',
    });
    expect($(element, '.elapsed')!.getAttribute('role')).toBe('timer');
    expect($(element, '.elapsed')!.getAttribute('aria-label')).toBe('Time in this state');
    // A control: the call's record, named for the person.
    const open = element.shadowRoot!.querySelector<HTMLElement & { alternativeText: string }>(
      '.open-call',
    )!;
    expect(open.alternativeText).toBe('Open the call with Léa Garnier');
    open.click();
    expect(nav.mockNavigate).toHaveBeenCalledWith(
      {
        type: 'standard__recordPage',
        attributes: { recordId: 'a01Dn0000000001IAA', actionName: 'view' },
      },
      undefined,
    );
    jest.useRealTimers();
    await expect(element).toBeAccessible();
  });

  it('names the number when the call matched nobody, and drops the call once the phone is available', async () => {
    const { element } = await mount();
    await phone('In Call', '42');
    await logged({ id: 'a01Dn0000000002IAA', number: '+14155550100' });
    expect(facts(element)['Call with']).toBe('+14155550100');
    await phone('Available', null, new Date().toISOString());
    await logged(null);
    expect(facts(element)).toMatchObject({ 'Omni-Channel status set': 'Online' });
    expect(facts(element).Phone).toMatch(/^Available 0:0\d$/);
    expect(facts(element)['Call with']).toBeUndefined();
  });

  it("shows the caller's number from the first ring, before the call is logged", async () => {
    const { element } = await mount();
    await phone('Ringing', '43', undefined, { number: '+33612345678' });
    // The call's Aircall Voice is not written while the phone rings.
    await logged(null);
    expect(facts(element)['Call with']).toBe('+33612345678');
    expect($(element, 'lightning-formatted-phone.who-number')).not.toBeNull();
    expect($(element, '.open-call')).toBeNull();
  });

  it('names the person from the first ring when the connector already matched the number', async () => {
    const { element } = await mount();
    await phone('Ringing', '44', undefined, { number: '+33612345678', name: 'Chloé Moreau' });
    await logged(null);
    expect(facts(element)['Call with']).toBe('Chloé Moreau');
    expect($(element, '.who-number')).toBeNull();
    // Once the call is logged its record wins (an agent may have changed its link).
    await phone('In Call', '44', undefined, { number: '+33612345678', name: 'Chloé Moreau' });
    await logged({ id: 'a01Dn0000000003IAA', number: '+33612345678', lead: 'Ana Diaz' });
    expect(facts(element)['Call with']).toBe('Ana Diaz');
    await phone('Available', null, new Date().toISOString());
    await logged(null);
    expect(facts(element)['Call with']).toBeUndefined();
  });

  it('re-reads the call while the phone is busy, so the person appears once the call is matched', async () => {
    jest.useFakeTimers();
    await mount();
    await phone('Ringing', '42');
    await logged(null);
    jest.advanceTimersByTime(LIVE_POLL_MS);
    await settle();
    expect(callRefresh).toHaveBeenCalledTimes(1);
  });

  it('tells the agent when their phone state cannot be read', async () => {
    const element = createElement('c-aircall-omni-sync', { is: AircallOmniSync });
    document.body.appendChild(element);
    await flush();
    graphqlAdapter.emitErrors([{ message: 'No such column' }], onlyQuery('aircallAgentState'));
    await settle();
    expect(element.shadowRoot!.querySelector('.state-error')).not.toBeNull();
  });
});
