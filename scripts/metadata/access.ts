/**
 * The expected access matrix of the three permission sets: the one place that says who may do what.
 * `npm run test:metadata` compares every permission set file with it, so a field added without
 * access, or access widened by a Setup retrieve, fails before it reaches an org.
 *
 * Rules the matrix encodes (and the check enforces):
 * - every custom field of the package has an entry for every permission set (unless the platform
 *   forbids one: required fields and platform-event fields, see `fieldPermissionable`);
 * - `edit` implies `read`; formula and auto-number fields can only be `read`;
 * - `none` means the permission set must not mention the field at all.
 */

export const PERMISSION_SETS = ['Aircall_Admin', 'Aircall_Agent', 'Aircall_Integration'] as const;
export type PermissionSetName = (typeof PERMISSION_SETS)[number];

export type FieldAccess = 'none' | 'read' | 'edit';

export interface ObjectAccess {
  allowCreate: boolean;
  allowRead: boolean;
  allowEdit: boolean;
  allowDelete: boolean;
  viewAllRecords: boolean;
  modifyAllRecords: boolean;
}

const NONE: ObjectAccess = {
  allowCreate: false,
  allowRead: false,
  allowEdit: false,
  allowDelete: false,
  viewAllRecords: false,
  modifyAllRecords: false,
};
const READ: ObjectAccess = { ...NONE, allowRead: true };
const CREATE_READ: ObjectAccess = { ...NONE, allowCreate: true, allowRead: true };
const CREATE_READ_EDIT: ObjectAccess = { ...CREATE_READ, allowEdit: true };
const FULL: ObjectAccess = {
  allowCreate: true,
  allowRead: true,
  allowEdit: true,
  allowDelete: true,
  viewAllRecords: true,
  modifyAllRecords: true,
};

/**
 * Object permissions. An object not listed for a permission set must not appear in it.
 * VoiceCall is absent on purpose: access to it comes from Salesforce's own Contact Center
 * permission sets (and the SCV licence); a package permission set naming it fails to deploy in an
 * org without Service Cloud Voice.
 */
export const OBJECT_ACCESS: Record<PermissionSetName, Record<string, ObjectAccess>> = {
  Aircall_Admin: {
    Aircall_Voice__c: FULL,
    Aircall_Settings__c: FULL,
    Aircall_Status_Mapping__c: FULL,
    Aircall_Voice_Update__e: CREATE_READ,
    Aircall_Agent_Status__e: CREATE_READ,
    Aircall_Agent_State__c: READ,
    // Numbers agents remembered: admins see and delete them.
    Aircall_Number_Link__c: FULL,
  },
  Aircall_Agent: {
    // Call logs agents read, and whose link they change (Change link): Edit on the object, but
    // edit access only on the link fields (field rows below). Every agent sees every call (org-wide
    // default Public Read Only); editing one needs edit access to the record (Public Read/Write, or
    // sharing), as a real org enforces.
    Aircall_Voice__c: { ...READ, allowEdit: true },
    // The record page no longer subscribes to any event (it re-reads its record while the call is
    // live); Read on the events is kept so an admin's own empApi tooling can listen.
    Aircall_Voice_Update__e: READ,
    Aircall_Agent_Status__e: READ,
    // The Omni-Channel utility bar reads the agent's own phone state and applies the phone → Omni
    // rules itself, so it reads the mapping mode and the rules.
    Aircall_Agent_State__c: READ,
    Aircall_Settings__c: READ,
    Aircall_Status_Mapping__c: READ,
    // Change link, "Remember for this number": creates the number's link, or points it elsewhere.
    Aircall_Number_Link__c: CREATE_READ_EDIT,
  },
  Aircall_Integration: {
    // Upsert = create or edit; the connector never deletes a call log.
    Aircall_Voice__c: CREATE_READ_EDIT,
    Aircall_Settings__c: READ,
    Aircall_Status_Mapping__c: READ,
    // Created for unknown numbers, and upserted by Aircall_Phone_Key__c (an upsert that finds the
    // record is an edit).
    Lead: CREATE_READ_EDIT,
    Contact: CREATE_READ_EDIT,
    Account: CREATE_READ_EDIT,
    Aircall_Voice_Update__e: CREATE_READ,
    Aircall_Agent_Status__e: CREATE_READ,
    // One record per agent, upserted by User_Key__c.
    Aircall_Agent_State__c: CREATE_READ_EDIT,
    // Cases created for missed calls and voicemails (upserted by Aircall_Call_Id__c), and the
    // caller's open Cases and Opportunities read to link calls to them.
    Case: CREATE_READ_EDIT,
    Opportunity: READ,
    // Read with the batch's one search, and by the link sweep (QueryAll: deleted ones too): a
    // remembered number links its calls first.
    Aircall_Number_Link__c: READ,
  },
};

type FieldRow = Record<PermissionSetName, FieldAccess>;
const row = (admin: FieldAccess, agent: FieldAccess, integration: FieldAccess): FieldRow => ({
  Aircall_Admin: admin,
  Aircall_Agent: agent,
  Aircall_Integration: integration,
});

/** Access for the custom fields of each package object, by object (field-level rows below override). */
const OBJECT_FIELD_DEFAULT: Record<string, FieldRow> = {
  Aircall_Voice__c: row('edit', 'read', 'edit'),
  // Agents' components read only what the Omni-Channel utility bar needs: the mapping mode (field
  // row below) and the mapping rules, to apply phone → Omni in the agent's browser.
  Aircall_Settings__c: row('edit', 'none', 'read'),
  Aircall_Status_Mapping__c: row('edit', 'read', 'read'),
  Aircall_Agent_State__c: row('read', 'read', 'edit'),
  Aircall_Number_Link__c: row('edit', 'edit', 'read'),
};

/**
 * Field-level rows: fields outside the package objects (standard-object fields the connector
 * reads or writes) and exceptions to OBJECT_FIELD_DEFAULT.
 */
export const FIELD_ACCESS: Record<string, FieldRow> = {
  'Aircall_Settings__c.Omni_Mapping_Mode__c': row('edit', 'read', 'read'),
  // Change link: the only fields of a call an agent may edit. The connector may not set
  // Linked_By__c (only people link calls by hand).
  'Aircall_Voice__c.Account__c': row('edit', 'edit', 'edit'),
  'Aircall_Voice__c.Contact__c': row('edit', 'edit', 'edit'),
  'Aircall_Voice__c.Lead__c': row('edit', 'edit', 'edit'),
  'Aircall_Voice__c.Match_Reason__c': row('edit', 'edit', 'edit'),
  'Aircall_Voice__c.Linked_By__c': row('edit', 'edit', 'read'),
  'VoiceCall.Aircall_Voice__c': row('edit', 'read', 'edit'),
  // Custom fields of Task and Event are Activity fields: the call Task's link to its Aircall Voice
  // and the follow-up Task's call id, written by the connector and read on the timeline.
  'Activity.Aircall_Voice__c': row('edit', 'read', 'edit'),
  'Activity.Aircall_Follow_Up_For__c': row('edit', 'read', 'edit'),
  // The key only matters to the connector and to an admin fixing data; agents never need it.
  'Lead.Aircall_Phone_Key__c': row('edit', 'none', 'edit'),
  'Contact.Aircall_Phone_Key__c': row('edit', 'none', 'edit'),
  'Account.Aircall_Phone_Key__c': row('edit', 'none', 'edit'),
  'Case.Aircall_Call_Id__c': row('edit', 'none', 'edit'),
  // What the connector writes on the Case it creates for a missed call or voicemail, and reads to
  // find the caller's open Case (AccountId, ContactId) and open Opportunity (AccountId).
  'Case.AccountId': row('none', 'none', 'edit'),
  'Case.ContactId': row('none', 'none', 'edit'),
  'Case.Description': row('none', 'none', 'edit'),
  'Case.Origin': row('none', 'none', 'edit'),
  'Case.Subject': row('none', 'none', 'edit'),
  'Case.SuppliedPhone': row('none', 'none', 'edit'),
  'Opportunity.AccountId': row('none', 'none', 'read'),
  // A matched Contact's Account: the call is logged on it too (Aircall Voice's Account__c).
  'Contact.AccountId': row('none', 'none', 'read'),
  // Phone fields Aircall's own matching searches: the connector confirms SOSL candidates by
  // normalising them, and writes Phone on the records it creates.
  'Lead.Phone': row('none', 'none', 'edit'),
  'Lead.MobilePhone': row('none', 'none', 'read'),
  'Contact.Phone': row('none', 'none', 'edit'),
  'Contact.MobilePhone': row('none', 'none', 'read'),
  'Contact.HomePhone': row('none', 'none', 'read'),
  'Contact.OtherPhone': row('none', 'none', 'read'),
  'Contact.AssistantPhone': row('none', 'none', 'read'),
  'Account.Phone': row('none', 'none', 'edit'),
  // Agents are matched to Users by it before e-mail; admins set it, the connector reads it.
  'User.Aircall_User_Id__c': row('edit', 'none', 'read'),
  // The Lead Source (Account Source) setting fills it on the records created for unknown numbers.
  'Lead.LeadSource': row('none', 'none', 'edit'),
  'Contact.LeadSource': row('none', 'none', 'edit'),
  'Account.AccountSource': row('none', 'none', 'edit'),
  // Address countries: a number stored without country code is read in the record's country.
  // Field-level security of a standard address is set on the compound field (MailingAddress), which
  // covers its components (MailingCountry, the one the connector reads).
  'Contact.MailingAddress': row('none', 'none', 'read'),
  'Contact.OtherAddress': row('none', 'none', 'read'),
  'Lead.Address': row('none', 'none', 'read'),
  'Account.BillingAddress': row('none', 'none', 'read'),
  'Account.ShippingAddress': row('none', 'none', 'read'),
};

/** User permissions each set must enable (and no others). */
export const USER_PERMISSIONS: Record<PermissionSetName, string[]> = {
  Aircall_Admin: [],
  Aircall_Agent: [],
  // The connector signs in as this user through the REST API.
  // EditTask: it creates and updates the call Tasks and follow-up Tasks (Task has no object
  // permission of its own; the Edit Tasks user permission governs it).
  Aircall_Integration: ['ApiEnabled', 'EditTask'],
};

/** Tabs each set makes visible (and no others). */
export const TAB_VISIBILITY: Record<PermissionSetName, string[]> = {
  Aircall_Admin: ['Aircall_Voice__c', 'Aircall_Setup', 'Aircall_Number_Link__c'],
  Aircall_Agent: ['Aircall_Voice__c'],
  Aircall_Integration: [],
};

/** Apps each set makes visible (and no others). */
export const APP_VISIBILITY: Record<PermissionSetName, string[]> = {
  Aircall_Admin: ['Aircall'],
  Aircall_Agent: ['Aircall'],
  Aircall_Integration: [],
};

/** What the matrix says about one field (`Object.Field`), or undefined when it says nothing. */
export function expectedFieldAccess(field: string): FieldRow | undefined {
  const explicit = FIELD_ACCESS[field];
  if (explicit) return explicit;
  const object = field.slice(0, field.indexOf('.'));
  return OBJECT_FIELD_DEFAULT[object];
}

/** Narrow a matrix row to what a field can carry: formula and auto-number fields are read-only. */
export function capToReadOnly(access: FieldAccess, readOnlyField: boolean): FieldAccess {
  return readOnlyField && access === 'edit' ? 'read' : access;
}
