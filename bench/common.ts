/** What the connector benchmarks share: a seeded local org, the naive writer, call helpers. */
import { startLocalOrg, type LocalOrg } from '../dev/local-org/server';
import { resolveOrg, type OrgTarget } from '../src/salesforce/org';
import { localOrgResolver } from '../src/cli/local-org-resolver';
import { PACKAGE_METADATA_DIR, SAMPLE_SEED_FILE } from '../dev/local-org/paths';
import type { SimulatedCall, WebhookEnvelope } from '../dev/simulator';
import { parseWebhook, normalizeNumber } from '../src/engine';
import { TelephonyClient } from '../src/salesforce/telephony';

export const fmt = (n: number, digits = 3) => n.toFixed(digits);

/** The call an envelope belongs to (call.* events carry `id`, AI events `call_id`). */
export function callKey(e: WebhookEnvelope): string {
  const data = e.data as { id?: number | string; call_id?: number | string };
  return String(e.resource === 'call' ? (data.id ?? '') : (data.call_id ?? ''));
}

export const connected = (c: SimulatedCall) =>
  c.answeredAt !== null && c.scenario !== 'invalid_number';

/** A fresh seeded local org and the org target the connector uses to reach it. */
export async function benchOrg(seedFile = SAMPLE_SEED_FILE): Promise<{
  local: LocalOrg;
  org: OrgTarget;
  closeOrg: () => Promise<void>;
}> {
  const local = await startLocalOrg({
    metadataDir: PACKAGE_METADATA_DIR,
    seedFile,
  });
  const org = await resolveOrg({
    env: { SF_INSTANCE_URL: local.instanceUrl, SF_ACCESS_TOKEN: local.accessToken },
    // The local org's Telephony API settings, which it publishes itself.
    defaultOrg: localOrgResolver(),
  });
  const closeOrg = async () => {
    await org.close();
    await local.close();
  };
  return { local, org, closeOrg };
}

export interface Figures {
  label: string;
  calls: number;
  events: number;
  seconds: number;
  rest: number;
  telephonyConnected: number;
  telephonyOther: number;
  connectedCalls: number;
  otherCalls: number;
}

export function print(f: Figures): void {
  console.log(`  ${f.label}`);
  console.log(
    `    calls ${f.calls}, events ${f.events}, ${fmt(f.seconds, 1)} s → ${fmt(f.events / f.seconds, 0)} events/s end to end`,
  );
  console.log(`    REST requests: ${f.rest} → ${fmt(f.rest / f.calls, 4)} per logged call`);
  console.log(
    `    Telephony requests: ${fmt(f.telephonyConnected / Math.max(1, f.connectedCalls), 2)} per connected call, ` +
      `${fmt(f.telephonyOther / Math.max(1, f.otherCalls), 2)} per unanswered/invalid call`,
  );
}

/**
 * The naive writer: for every event, search the number, write the Aircall Voice record alone, and
 * call the Telephony API when the call starts and on every later event that changes it.
 */
export async function naive(
  envelopes: WebhookEnvelope[],
  calls: SimulatedCall[],
): Promise<Figures> {
  const { local, org, closeOrg } = await benchOrg();
  const telephonyConfig = org.telephony!;
  const byCall = new Map(calls.map((c) => [String(c.id), c]));
  const telephony = { connected: 0, other: 0 };
  const client = new TelephonyClient(telephonyConfig, (_ms, _ok, _m, key) => {
    const call = byCall.get(key);
    if (call && connected(call)) telephony.connected++;
    else telephony.other++;
  });
  const created = new Set<string>();
  local.resetCounters();
  const started = performance.now();
  for (const envelope of envelopes) {
    const parsed = parseWebhook(envelope);
    if (!parsed.ok || parsed.event.kind !== 'call') continue;
    const data = parsed.event.data;
    const id = String(data.id);
    const e164 = normalizeNumber(data.raw_digits, data.number?.country);
    let leadId: string | undefined;
    if (e164) {
      const found = await org.client.search(
        `FIND {"${e164.slice(1)}"} IN PHONE FIELDS RETURNING Contact(Id), Lead(Id), Account(Id)`,
      );
      leadId = found[0]?.Id;
    }
    await org.client.upsert('Aircall_Voice__c', 'Aircall_Call_Id__c', [
      {
        Aircall_Call_Id__c: id,
        Direction__c: data.direction === 'inbound' ? 'Inbound' : 'Outbound',
        Customer_Number__c: e164,
        Started_At__c: new Date(data.started_at * 1000).toISOString(),
        ...(leadId?.startsWith('00Q') ? { Lead__c: leadId } : {}),
      },
    ]);
    const startTime = new Date(data.started_at * 1000).toISOString();
    try {
      if (!created.has(id) && data.direction === 'inbound') {
        created.add(id);
        await client.create({
          callCenterApiName: telephonyConfig.callCenterApiName,
          vendorCallKey: id,
          to: data.number?.digits ?? '',
          from: e164 ?? 'anonymous',
          initiationMethod: 'Inbound',
          startTime,
          participants: [{ participantKey: e164 ?? 'anonymous', type: 'END_USER' }],
        });
      } else {
        await client.update(id, {
          startTime,
          ...(data.ended_at ? { endTime: new Date(data.ended_at * 1000).toISOString() } : {}),
          callType: data.direction === 'inbound' ? 'Inbound' : 'Outbound',
          callCenterApiName: telephonyConfig.callCenterApiName,
          toNumber: e164 ?? '',
          fromNumber: data.number?.digits ?? '',
        });
      }
    } catch {
      // the naive writer ignores failures, as such integrations do
    }
  }
  const seconds = (performance.now() - started) / 1000;
  const counters = local.counters();
  await closeOrg();
  return {
    label: 'naive one-request-per-record writer',
    calls: calls.length,
    events: envelopes.length,
    seconds,
    rest: counters.total - counters.telephony,
    telephonyConnected: telephony.connected,
    telephonyOther: telephony.other,
    connectedCalls: calls.filter(connected).length,
    otherCalls: calls.filter((c) => !connected(c)).length,
  };
}
