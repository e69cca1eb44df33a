import {
  DEFAULT_SETTINGS,
  PICKLISTS,
  formatDuration,
  personName,
  secondsSince,
  stateStyle,
  isAccessError,
  presenceStatuses,
  PRESENCE_STATUSES_OPERATION,
  reduceErrors,
  sameRecordId,
  splitList,
  toOptions,
} from 'c/aircallUtils';

// The Node side's picklist list is the source of truth (src/engine/picklists.ts); LWC bundles
// cannot import it, so this test loads it by path to catch the two copies drifting apart.
const { PICKLIST_VALUES } = jest.requireActual<{
  PICKLIST_VALUES: Record<string, readonly string[]>;
}>(`${__dirname}/../../../../../../src/engine/picklists`);

describe('aircallUtils', () => {
  it('offers exactly the picklist values the engine and metadata use', () => {
    const ours: Record<string, readonly string[]> = {
      'Aircall_Settings__c.Log_Calls__c': PICKLISTS.logCalls,
      'Aircall_Settings__c.Unknown_Number_Action__c': PICKLISTS.unknownNumberAction,
      'Aircall_Settings__c.Multiple_Matches__c': PICKLISTS.multipleMatches,
      'Aircall_Settings__c.Recording_Destination__c': PICKLISTS.mediaDestination,
      'Aircall_Settings__c.Voicemail_Destination__c': PICKLISTS.mediaDestination,
      'Aircall_Settings__c.Omni_Mapping_Mode__c': PICKLISTS.omniMappingMode,
      'Aircall_Settings__c.Activity_Task__c': PICKLISTS.activityTask,
      'Aircall_Settings__c.Answered_Inbound_Action__c': PICKLISTS.callTypeAction,
      'Aircall_Settings__c.Answered_Outbound_Action__c': PICKLISTS.callTypeAction,
      'Aircall_Settings__c.Missed_Inbound_Action__c': PICKLISTS.callTypeAction,
      'Aircall_Settings__c.Voicemail_Action__c': PICKLISTS.callTypeAction,
      'Aircall_Settings__c.Unanswered_Outbound_Action__c': PICKLISTS.callTypeAction,
      'Aircall_Settings__c.Create_Case_For__c': PICKLISTS.createCaseFor,
      'Aircall_Settings__c.Created_Record_Owner__c': PICKLISTS.createdRecordOwner,
      'Aircall_Status_Mapping__c.Direction__c': PICKLISTS.mappingDirection,
      'Aircall_Status_Mapping__c.Aircall_Availability__c': PICKLISTS.aircallAvailability,
      'Aircall_Status_Mapping__c.Phone_Event__c': PICKLISTS.phoneEvent,
      'Aircall_Voice__c.AI_Sentiment__c': PICKLISTS.sentiment,
    };
    expect(ours).toEqual(
      Object.fromEntries(Object.keys(ours).map((field) => [field, PICKLIST_VALUES[field]])),
    );
  });

  it('uses default settings that are valid picklist values', () => {
    expect(PICKLISTS.logCalls).toContain(DEFAULT_SETTINGS.Log_Calls__c);
    expect(PICKLISTS.unknownNumberAction).toContain(DEFAULT_SETTINGS.Unknown_Number_Action__c);
    expect(PICKLISTS.multipleMatches).toContain(DEFAULT_SETTINGS.Multiple_Matches__c);
    expect(PICKLISTS.mediaDestination).toContain(DEFAULT_SETTINGS.Recording_Destination__c);
    expect(PICKLISTS.omniMappingMode).toContain(DEFAULT_SETTINGS.Omni_Mapping_Mode__c);
    expect(PICKLISTS.activityTask).toContain(DEFAULT_SETTINGS.Activity_Task__c);
    expect(PICKLISTS.createCaseFor).toContain(DEFAULT_SETTINGS.Create_Case_For__c);
    expect(PICKLISTS.createdRecordOwner).toContain(DEFAULT_SETTINGS.Created_Record_Owner__c);
    for (const field of [
      'Answered_Inbound_Action__c',
      'Answered_Outbound_Action__c',
      'Missed_Inbound_Action__c',
      'Voicemail_Action__c',
      'Unanswered_Outbound_Action__c',
    ] as const) {
      expect(PICKLISTS.callTypeAction).toContain(DEFAULT_SETTINGS[field]);
    }
  });

  it('formats durations as a clock (m:ss, h:mm:ss), and no duration as 0:00', () => {
    expect([0, 3, 45, 185, 3725, 59.6].map(formatDuration)).toEqual([
      '0:00',
      '0:03',
      '0:45',
      '3:05',
      '1:02:05',
      '1:00',
    ]);
    expect([null, undefined, -1, Number.NaN, '12'].map(formatDuration)).toEqual([
      '0:00',
      '0:00',
      '0:00',
      '0:00',
      '0:00',
    ]);
  });

  it('counts the seconds since a time, never negative', () => {
    const now = Date.parse('2026-12-06T23:01:10Z');
    expect(secondsSince('2026-12-06T23:01:07Z', now)).toBe(3);
    expect(secondsSince('2026-12-06T23:02:00Z', now)).toBe(0);
    expect(secondsSince(null, now)).toBe(0);
  });

  it('gives each state one style: live statuses alike, outcomes by type', () => {
    expect(stateStyle('Ringing', '').badge).toBe(stateStyle('In Progress', 'Answered').badge);
    expect(stateStyle('Ended', 'Answered').badge).toBe('slds-badge slds-theme_success');
    expect(stateStyle('Ended', 'Voicemail').badge).toBe('slds-badge slds-theme_warning');
    expect(stateStyle('Ended', 'Missed').badge).toBe(stateStyle('Ended', 'Abandoned').badge);
    expect(stateStyle('', '').badge).toBe('slds-badge slds-badge_inverse');
  });

  it('reads a person\'s name out of "Name <e-mail>"', () => {
    expect(personName('Ana Diaz <ana@example.com>')).toBe('Ana Diaz');
    expect(personName('"Diaz, Ana" <ana@example.com>')).toBe('Diaz, Ana');
    expect(personName('<ana@example.com>')).toBe('ana@example.com');
    expect(personName(' Ana ')).toBe('Ana');
  });

  it('compares 15- and 18-character record ids by their case-sensitive 15-character form', () => {
    expect(sameRecordId('a01Dn00000AbCdEIAV', 'a01Dn00000AbCdE')).toBe(true);
    expect(sameRecordId('a01Dn00000AbCdE', 'a01dn00000abcde')).toBe(false);
    expect(sameRecordId(null, 'a01Dn00000AbCdE')).toBe(false);
    expect(sameRecordId('short', 'short')).toBe(false);
  });

  it('splits "; "-separated and multi-line values', () => {
    expect(splitList('VIP; Renewal;;\nUrgent ')).toEqual(['VIP', 'Renewal', 'Urgent']);
    expect(splitList(null)).toEqual([]);
  });

  it('builds combobox options whose label is the value', () => {
    expect(toOptions(['Always'])).toEqual([{ label: 'Always', value: 'Always' }]);
  });

  it('reads messages from every error shape LDS and GraphQL produce', () => {
    expect(reduceErrors(undefined)).toEqual([]);
    expect(reduceErrors('plain')).toEqual(['plain']);
    expect(reduceErrors(new Error('boom'))).toEqual(['boom']);
    expect(reduceErrors({ status: 500, statusText: 'Server Error' })).toEqual(['Server Error']);
    expect(reduceErrors({ body: [{ message: 'a' }, { message: 'b' }] })).toEqual(['a', 'b']);
    expect(
      reduceErrors({
        body: {
          message: 'An error occurred while trying to update the record.',
          output: {
            errors: [{ errorCode: 'FIELD_CUSTOM_VALIDATION_EXCEPTION', message: 'Pick a value.' }],
            fieldErrors: { Match_Order__c: [{ message: 'Too long.' }] },
          },
        },
      }),
    ).toEqual(['Pick a value.', 'Too long.']);
    expect(reduceErrors([{ message: 'same' }, { message: 'same' }])).toEqual(['same']);
  });

  it('recognises refusals by status 403 or by an access error code', () => {
    expect(isAccessError({ status: 403 })).toBe(true);
    expect(isAccessError({ status: 400, body: [{ errorCode: 'INVALID_FIELD' }] })).toBe(true);
    expect(isAccessError({ status: 400, body: { errorCode: 'INSUFFICIENT_ACCESS' } })).toBe(true);
    expect(isAccessError({ status: 500, body: { errorCode: 'UNKNOWN_EXCEPTION' } })).toBe(false);
    expect(isAccessError([null])).toBe(false);
  });

  it('reads the presence statuses query once for every component that runs it', () => {
    expect(PRESENCE_STATUSES_OPERATION).toBe('omniPresenceStatuses');
    expect(presenceStatuses(undefined)).toBeUndefined();
    expect(presenceStatuses({ errors: [{ message: 'No access' }] } as never)).toBeUndefined();
    const node = (Id: string, DeveloperName: string | null, MasterLabel: string | null) => ({
      node: { Id, DeveloperName: { value: DeveloperName }, MasterLabel: { value: MasterLabel } },
    });
    expect(
      presenceStatuses({
        data: {
          uiapi: {
            query: {
              ServicePresenceStatus: {
                edges: [
                  node('0N51', 'Busy', 'Busy'),
                  node('0N52', 'Available_For_Voice', null),
                  node('0N53', null, null),
                ],
              },
            },
          },
        },
      } as never),
    ).toEqual([
      { id: '0N51', developerName: 'Busy', label: 'Busy' },
      { id: '0N52', developerName: 'Available_For_Voice', label: 'Available_For_Voice' },
      { id: '0N53', developerName: '0N53', label: '0N53' },
    ]);
  });
});
