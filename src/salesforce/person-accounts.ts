/**
 * Whether the org has Person Accounts, and its person record types (API Developer Guide, "Person
 * Account Record Types": Account has `IsPersonAccount` only when they are enabled; the person record
 * types are `SELECT … FROM RecordType WHERE SobjectType = 'Account' AND IsPersonType = true`).
 */
import type { SalesforceClient } from './client';

export interface PersonRecordType {
  id: string;
  developerName: string;
  name: string;
}

/** Person Accounts of an org: null when they are not enabled. */
export interface PersonAccounts {
  recordTypes: PersonRecordType[];
}

export const PERSON_RECORD_TYPES_SOQL =
  "SELECT Id, DeveloperName, Name FROM RecordType WHERE SobjectType = 'Account' AND IsPersonType = true AND IsActive = true ORDER BY CreatedDate";

/** Two requests: Account's describe, and the person record types when it has `IsPersonAccount`. */
export async function detectPersonAccounts(
  client: SalesforceClient,
): Promise<PersonAccounts | null> {
  const account = await client.describe('Account');
  if (!account.fields.some((f) => f.name === 'IsPersonAccount')) return null;
  const rows = await client.query<{ Id: string; DeveloperName: string; Name: string }>(
    PERSON_RECORD_TYPES_SOQL,
  );
  return {
    recordTypes: rows.map((r) => ({ id: r.Id, developerName: r.DeveloperName, name: r.Name })),
  };
}

/** One line for `doctor`. */
export function describePersonAccounts(found: PersonAccounts | null): string {
  if (!found) return 'not enabled in this org: calls match Contacts, Leads and Accounts';
  const types = found.recordTypes.map((t) => `${t.name} (${t.developerName})`).join(', ');
  return found.recordTypes.length === 0
    ? 'enabled, but no active person record type: Person Accounts are searched, none can be created'
    : `enabled: person fields are searched; record types ${types}`;
}
