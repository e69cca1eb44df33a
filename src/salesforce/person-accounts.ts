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

/** DeveloperName of the person record type Salesforce creates when Person Accounts are enabled. */
export const DEFAULT_PERSON_RECORD_TYPE = 'PersonAccount';

/**
 * The person record type the Person Accounts created for unknown numbers get: the one
 * `Person_Account_Record_Type__c` names (DeveloperName or Id), else the org's default one
 * (`PersonAccount`, else the oldest active person record type); null when there is none.
 */
export function personRecordTypeFor(
  found: PersonAccounts | null,
  setting: string | null,
): PersonRecordType | null {
  if (!found) return null;
  if (setting) {
    const wanted = setting.toLowerCase();
    return (
      found.recordTypes.find(
        (t) =>
          t.developerName.toLowerCase() === wanted ||
          t.id === setting ||
          (setting.length === 15 && t.id.startsWith(setting)),
      ) ?? null
    );
  }
  return (
    found.recordTypes.find((t) => t.developerName === DEFAULT_PERSON_RECORD_TYPE) ??
    found.recordTypes[0] ??
    null
  );
}

/**
 * What the settings ask of Person Accounts that this org cannot do, as a settings warning (null
 * when nothing is wrong): "Create Person Account" without Person Accounts or without the record type.
 */
export function personAccountSettingsProblem(
  found: PersonAccounts | null,
  action: string,
  setting: string | null,
): string | null {
  if (action !== 'Create Person Account') return null;
  if (!found)
    return 'Unknown_Number_Action__c is "Create Person Account" but this org has no Person Accounts: calls from unknown numbers are logged without a record until another action is chosen in Aircall Settings.';
  if (personRecordTypeFor(found, setting)) return null;
  return setting
    ? `Person_Account_Record_Type__c is "${setting}", which is no active person record type of Account (${found.recordTypes.map((t) => t.developerName).join(', ') || 'none'}): calls from unknown numbers are logged without a record until it is fixed in Aircall Settings.`
    : 'Unknown_Number_Action__c is "Create Person Account" but the org has no active person record type of Account: calls from unknown numbers are logged without a record until one is activated.';
}

/** One line for `doctor`: whether Person Accounts are on, and the record type created ones get. */
export function describePersonAccounts(
  found: PersonAccounts | null,
  setting: string | null = null,
): string {
  if (!found) return 'not enabled in this org: calls match Contacts, Leads and Accounts';
  if (found.recordTypes.length === 0)
    return 'enabled, but no active person record type: Person Accounts are searched, none can be created';
  const types = found.recordTypes.map((t) => `${t.name} (${t.developerName})`).join(', ');
  const chosen = personRecordTypeFor(found, setting);
  const used = chosen
    ? `"Create Person Account" uses record type ${chosen.name} (${chosen.developerName}, ${chosen.id})`
    : `Person_Account_Record_Type__c "${setting ?? ''}" names no active person record type, so none can be created`;
  return `enabled: person fields are searched; ${used}; active person record types: ${types}`;
}
