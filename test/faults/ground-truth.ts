/**
 * What the org must hold after a simulated day, from the simulator's ground truth: one Aircall
 * Voice per call (none for an invalid number) with the right type, direction, durations, agent,
 * tags, comments, assignee, media links and linked record; one VoiceCall per call, linked both
 * ways; one Lead per unknown number. `compareWithGroundTruth` reads the org over REST and lists
 * every difference; it asserts nothing itself, so the fault suites can print the whole picture.
 */
import type { SimulatedCall } from '../../dev/simulator';

export const EXPECTED_TYPE: Record<SimulatedCall['scenario'], string | null> = {
  answered: 'Answered',
  held: 'Answered',
  transferred: 'Answered',
  answered_outbound: 'Answered',
  missed: 'Missed',
  voicemail: 'Voicemail',
  abandoned: 'Abandoned',
  unanswered_outbound: 'Unanswered Outbound',
  invalid_number: null, // a VoiceCall only
};

export interface OrgAccess {
  instanceUrl: string;
  accessToken: string;
  apiVersion: string;
}

/** Every row of a SOQL query, following `nextRecordsUrl`. */
export async function queryAll<T>(org: OrgAccess, soql: string): Promise<T[]> {
  const rows: T[] = [];
  let next: string | null = `/services/data/v${org.apiVersion}/query?q=${encodeURIComponent(soql)}`;
  while (next) {
    const response = await fetch(`${org.instanceUrl}${next}`, {
      headers: { authorization: `Bearer ${org.accessToken}` },
    });
    if (!response.ok)
      throw new Error(`query failed (${response.status}): ${await response.text()}`);
    const body = (await response.json()) as {
      records: T[];
      done: boolean;
      nextRecordsUrl?: string;
    };
    rows.push(...body.records);
    next = body.done ? null : (body.nextRecordsUrl ?? null);
  }
  return rows;
}

export interface Difference {
  callId: string;
  field: string;
  expected: unknown;
  actual: unknown;
}

export interface Comparison {
  calls: number;
  /** Calls that must have an Aircall Voice (all but invalid numbers). */
  voicesExpected: number;
  voicesLogged: number;
  voiceCallsLogged: number;
  lostVoices: string[];
  lostVoiceCalls: string[];
  duplicatedVoices: string[];
  duplicatedVoiceCalls: string[];
  /** Numbers that got more than one Lead. */
  duplicatedLeads: string[];
  /** Records for calls that were never made. */
  unexpected: string[];
  wrong: Difference[];
}

interface Voice {
  Id: string;
  Aircall_Call_Id__c: string;
  Call_Type__c: string | null;
  Direction__c: string | null;
  Status__c: string | null;
  Ring_Seconds__c: number | null;
  Talk_Seconds__c: number | null;
  Total_Seconds__c: number | null;
  Started_At__c: string | null;
  Customer_Number__c: string | null;
  Agent__c: string | null;
  Tags__c: string | null;
  Comments__c: string | null;
  Assigned_To__c: string | null;
  Recording_Url__c: string | null;
  Voicemail_Url__c: string | null;
  AI_Summary__c: string | null;
  Lead__c: string | null;
  Contact__c: string | null;
  Account__c: string | null;
  Voice_Call__c: string | null;
}

interface VoiceCallRow {
  Id: string;
  VendorCallKey: string;
  CallType: string | null;
  CallDurationInSeconds: number | null;
  Aircall_Voice__c: string | null;
}

const VOICE_FIELDS = [
  'Id',
  'Aircall_Call_Id__c',
  'Call_Type__c',
  'Direction__c',
  'Status__c',
  'Ring_Seconds__c',
  'Talk_Seconds__c',
  'Total_Seconds__c',
  'Started_At__c',
  'Customer_Number__c',
  'Agent__c',
  'Tags__c',
  'Comments__c',
  'Assigned_To__c',
  'Recording_Url__c',
  'Voicemail_Url__c',
  'AI_Summary__c',
  'Lead__c',
  'Contact__c',
  'Account__c',
  'Voice_Call__c',
];

const digits = (s: unknown) => (typeof s === 'string' ? s.replace(/\D/g, '') : '');

function groupBy<T>(rows: readonly T[], key: (row: T) => string): Map<string, T[]> {
  const map = new Map<string, T[]>();
  for (const row of rows) {
    const k = key(row);
    const list = map.get(k);
    if (list) list.push(row);
    else map.set(k, [row]);
  }
  return map;
}

export async function compareWithGroundTruth(
  org: OrgAccess,
  calls: readonly SimulatedCall[],
): Promise<Comparison> {
  const voices = await queryAll<Voice>(
    org,
    `SELECT ${VOICE_FIELDS.join(', ')} FROM Aircall_Voice__c`,
  );
  const voiceCalls = await queryAll<VoiceCallRow>(
    org,
    'SELECT Id, VendorCallKey, CallType, CallDurationInSeconds, Aircall_Voice__c FROM VoiceCall',
  );
  const leads = await queryAll<{ Id: string; Aircall_Phone_Key__c: string }>(
    org,
    'SELECT Id, Aircall_Phone_Key__c FROM Lead WHERE Aircall_Phone_Key__c != null',
  );
  const users = await queryAll<{ Id: string; Email: string }>(org, 'SELECT Id, Email FROM User');
  // The phones of every record a known caller may be linked to.
  const phonesOf = new Map<string, string[]>();
  for (const [object, fields] of [
    ['Contact', ['Phone', 'MobilePhone', 'HomePhone', 'OtherPhone', 'AssistantPhone']],
    ['Lead', ['Phone', 'MobilePhone']],
    ['Account', ['Phone']],
  ] as const) {
    const rows = await queryAll<Record<string, unknown>>(
      org,
      `SELECT Id, ${fields.join(', ')} FROM ${object}`,
    );
    for (const row of rows)
      phonesOf.set(
        String(row.Id),
        fields.map((f) => digits(row[f])),
      );
  }

  const userByEmail = new Map(users.map((u) => [u.Email.toLowerCase(), u.Id]));
  const voicesById = groupBy(voices, (v) => v.Aircall_Call_Id__c);
  const voiceCallsByKey = groupBy(voiceCalls, (v) => v.VendorCallKey);
  const leadsByNumber = groupBy(leads, (l) => l.Aircall_Phone_Key__c);
  const linkOfKnownNumber = new Map<string, string>();
  const result: Comparison = {
    calls: calls.length,
    voicesExpected: calls.filter((c) => EXPECTED_TYPE[c.scenario] !== null).length,
    voicesLogged: 0,
    voiceCallsLogged: 0,
    lostVoices: [],
    lostVoiceCalls: [],
    duplicatedVoices: [],
    duplicatedVoiceCalls: [],
    duplicatedLeads: [...leadsByNumber].filter(([, l]) => l.length > 1).map(([n]) => n),
    unexpected: [],
    wrong: [],
  };
  const callIds = new Set(calls.map((c) => String(c.id)));
  for (const id of [...voicesById.keys(), ...voiceCallsByKey.keys()]) {
    if (!callIds.has(id)) result.unexpected.push(id);
  }

  for (const call of calls) {
    const id = String(call.id);
    const wrong = (field: string, expected: unknown, actual: unknown) =>
      result.wrong.push({ callId: id, field, expected, actual });
    const vcs = voiceCallsByKey.get(id) ?? [];
    if (vcs.length === 0) result.lostVoiceCalls.push(id);
    else result.voiceCallsLogged++;
    if (vcs.length > 1) result.duplicatedVoiceCalls.push(id);
    const vc = vcs[0];
    const direction = call.direction === 'inbound' ? 'Inbound' : 'Outbound';
    const total = call.endedAt - call.startedAt;
    if (vc) {
      if (vc.CallType !== direction) wrong('VoiceCall.CallType', direction, vc.CallType);
      if (vc.CallDurationInSeconds !== total)
        wrong('VoiceCall.CallDurationInSeconds', total, vc.CallDurationInSeconds);
    }

    const type = EXPECTED_TYPE[call.scenario];
    const avs = voicesById.get(id) ?? [];
    if (type === null) {
      if (avs.length > 0) wrong('Aircall Voice', 'none for an invalid number', avs.length);
      continue;
    }
    if (avs.length === 0) {
      result.lostVoices.push(id);
      continue;
    }
    result.voicesLogged++;
    if (avs.length > 1) result.duplicatedVoices.push(id);
    const av = avs[0]!;
    const expect = (field: keyof Voice, expected: unknown) => {
      if (av[field] !== expected) wrong(field, expected, av[field]);
    };
    expect('Call_Type__c', type);
    expect('Direction__c', direction);
    expect('Status__c', 'Ended');
    expect('Ring_Seconds__c', call.ringSeconds);
    expect('Talk_Seconds__c', call.talkSeconds);
    expect('Total_Seconds__c', total);
    if (av.Started_At__c === null || Date.parse(av.Started_At__c) !== call.startedAt * 1000)
      wrong('Started_At__c', new Date(call.startedAt * 1000).toISOString(), av.Started_At__c);
    expect('Customer_Number__c', call.customerE164);
    expect(
      'Agent__c',
      call.agentEmail ? (userByEmail.get(call.agentEmail.toLowerCase()) ?? null) : null,
    );
    // The engine keeps tags sorted and without repeats.
    expect('Tags__c', call.tags.length ? [...new Set(call.tags)].sort().join('; ') : null);
    if (
      call.comments.some((c) => !(av.Comments__c ?? '').includes(c)) ||
      (call.comments.length === 0 && av.Comments__c !== null)
    )
      wrong('Comments__c', call.comments, av.Comments__c);
    if (
      call.assigneeEmail
        ? !(av.Assigned_To__c ?? '').includes(call.assigneeEmail)
        : av.Assigned_To__c !== null
    )
      wrong('Assigned_To__c', call.assigneeEmail, av.Assigned_To__c);
    if ((call.recording !== null) !== (av.Recording_Url__c !== null))
      wrong('Recording_Url__c', call.recording ? 'a link' : null, av.Recording_Url__c);
    if ((call.voicemail !== null) !== (av.Voicemail_Url__c !== null))
      wrong('Voicemail_Url__c', call.voicemail ? 'a link' : null, av.Voicemail_Url__c);
    if (call.aiEvents.includes('summary.created') !== (av.AI_Summary__c !== null))
      wrong(
        'AI_Summary__c',
        call.aiEvents.includes('summary.created') ? 'a summary' : null,
        av.AI_Summary__c,
      );

    // The linked record: the Lead made for an unknown number; for a known number, a record that
    // has the number, the same one for every call from it.
    const links = { Lead__c: av.Lead__c, Contact__c: av.Contact__c, Account__c: av.Account__c };
    const linked = Object.values(links).filter((v): v is string => v !== null);
    if (call.customerE164 && !call.known) {
      const lead = leadsByNumber.get(call.customerE164)?.[0]?.Id ?? null;
      if (av.Lead__c !== lead || linked.length !== 1)
        wrong('linked record', { Lead__c: lead }, links);
    } else if (call.customerE164 && call.known) {
      // A Contact's Account rides along (Account__c = the Contact's AccountId).
      const record = av.Contact__c ?? av.Lead__c ?? av.Account__c;
      const tail = digits(call.customerE164).slice(-8);
      if (!record || !(phonesOf.get(record) ?? []).some((p) => p.endsWith(tail)))
        wrong('linked record', `a record with the number ${call.customerE164}`, links);
      else {
        const first = linkOfKnownNumber.get(call.customerE164);
        if (first === undefined) linkOfKnownNumber.set(call.customerE164, record);
        else if (first !== record) wrong('linked record', `${first} (as earlier calls)`, record);
      }
    } else if (linked.length > 0) wrong('linked record', 'none (no number)', links);

    if (!vc) continue;
    expect('Voice_Call__c', vc.Id);
    if (vc.Aircall_Voice__c !== av.Id)
      wrong('VoiceCall.Aircall_Voice__c', av.Id, vc.Aircall_Voice__c);
  }
  return result;
}

/** True when the org holds exactly the ground truth. */
export function isExact(c: Comparison): boolean {
  return (
    c.lostVoices.length === 0 &&
    c.lostVoiceCalls.length === 0 &&
    c.duplicatedVoices.length === 0 &&
    c.duplicatedVoiceCalls.length === 0 &&
    c.duplicatedLeads.length === 0 &&
    c.unexpected.length === 0 &&
    c.wrong.length === 0
  );
}
