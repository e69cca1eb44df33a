/**
 * Person Accounts (`startLocalOrg({personAccounts: true})`, `aircall-sfv local-org
 * --person-accounts`): the record rules of an org where they are enabled. Sources, each cited by
 * test/local-org/person-accounts.test.ts:
 * - API Developer Guide, "Person Account Record Types": a person account is an Account of a record
 *   type whose `IsPersonType` is true; creating one creates its person contact, whose Id is
 *   `PersonContactId`; that contact is the only one associated with the account, and is changed
 *   through the account (deleting the account deletes it; it cannot be deleted on its own).
 * - Object Reference, "Account": `IsPersonAccount`, `PersonContactId`, the `Person…` fields and
 *   `FirstName`/`LastName` exist for person accounts only; `Name` is built from the person's names.
 * - The errors an org answers: writing `Name` on a person account, or a person field on a business
 *   account, `INVALID_FIELD_FOR_INSERT_UPDATE` "Account: bad field names on insert/update call:
 *   Name" (sorenkrabbe/Chrome-Salesforce-inspector#38); writing a person contact through Contact,
 *   `INVALID_PERSON_ACCOUNT_OPERATION` "cannot reference person contact"
 *   (SFDO-Community/declarative-lookup-rollup-summaries#544); a record type change across the
 *   business/person families together with other fields, `INVALID_FIELD_FOR_INSERT_UPDATE` "Cannot
 *   specify any additional fields when marrying or separating a Person-Account".
 */
import type { SaveError } from './errors';
import { PERSON_ACCOUNT_FIELDS, type FieldDef, type ObjectDef, type Schema } from './schema';
import type { Rec, Store } from './store';

/** DeveloperName of the person record type every org with Person Accounts has. */
export const PERSON_RECORD_TYPE = 'PersonAccount';

interface Ctx {
  schema: Schema;
  store: Store;
}

function error(statusCode: string, message: string, fields: string[] = []): SaveError {
  return { statusCode, message, fields };
}

function objectNamed(schema: Schema, name: string): ObjectDef {
  return schema.objects.get(name.toLowerCase())!;
}

/** Account fields that exist for person accounts only. */
function personOnly(schema: Schema, f: FieldDef): boolean {
  if (f.name.endsWith('__pc')) return true;
  if (f.name === 'Phone') return false;
  return PERSON_ACCOUNT_FIELDS.some(([account]) => account === f.name);
}

/** The Account record type an Id names, or an error when it names none. */
function recordType(ctx: Ctx, id: unknown): { person: boolean } | SaveError {
  if (typeof id !== 'string' || id === '') return { person: false };
  const rec = ctx.store.get(objectNamed(ctx.schema, 'RecordType'), id);
  if (!rec || rec.SobjectType !== 'Account' || rec.IsActive !== true)
    return error(
      'INVALID_CROSS_REFERENCE_KEY',
      `Record Type ID: this ID value isn't valid for the user: ${id}`,
      ['RecordTypeId'],
    );
  return { person: rec.IsPersonType === true };
}

function badFields(names: string[]): SaveError {
  return error(
    'INVALID_FIELD_FOR_INSERT_UPDATE',
    `Account: bad field names on insert/update call: ${names.join(', ')}`,
    names,
  );
}

function personName(rec: Rec): string {
  return ['FirstName', 'MiddleName', 'LastName', 'Suffix']
    .map((k) => rec[k])
    .filter((v) => v !== null && v !== undefined && v !== '')
    .join(' ');
}

const personContact = (): SaveError =>
  error('INVALID_PERSON_ACCOUNT_OPERATION', 'cannot reference person contact');

/**
 * Checks and completes a record about to be inserted (values already on `rec`): a person account
 * gets its Name, `IsPersonAccount` and the Id its person contact will have.
 */
export function beforeInsert(
  ctx: Ctx,
  obj: ObjectDef,
  given: ReadonlySet<FieldDef>,
  rec: Rec,
): SaveError | undefined {
  if (!ctx.schema.personAccounts) return undefined;
  if (obj.name === 'Contact') {
    const account = rec.AccountId
      ? ctx.store.get(objectNamed(ctx.schema, 'Account'), String(rec.AccountId))
      : undefined;
    if (account?.IsPersonAccount === true)
      return error('INVALID_PERSON_ACCOUNT_OPERATION', 'cannot reference person account', [
        'AccountId',
      ]);
    rec.IsPersonAccount = false;
    return undefined;
  }
  if (obj.name !== 'Account') return undefined;
  const type = recordType(ctx, rec.RecordTypeId);
  if ('statusCode' in type) return type;
  if (!type.person) {
    const wrong = [...given].filter((f) => personOnly(ctx.schema, f)).map((f) => f.name);
    if (wrong.length > 0) return badFields(wrong);
    rec.IsPersonAccount = false;
    return undefined;
  }
  if ([...given].some((f) => f.name === 'Name')) return badFields(['Name']);
  if (!rec.LastName)
    return error('REQUIRED_FIELD_MISSING', 'Required fields are missing: [LastName]', ['LastName']);
  rec.Name = personName(rec);
  rec.IsPersonAccount = true;
  rec.PersonContactId = ctx.store.nextId(objectNamed(ctx.schema, 'Contact'));
  return undefined;
}

/** The person contact of a person account, as the account's values make it. */
function contactValues(ctx: Ctx, account: Rec): Rec {
  const values: Rec = {};
  for (const [a, c] of PERSON_ACCOUNT_FIELDS) if (a in account) values[c] = account[a] ?? null;
  const contact = objectNamed(ctx.schema, 'Contact');
  for (const f of contact.fields.values()) {
    if (!f.custom || !f.name.endsWith('__c')) continue;
    const mirror = `${f.name.slice(0, -3)}__pc`;
    if (mirror in account) values[f.name] = account[mirror] ?? null;
  }
  values.Name = personName(account);
  return values;
}

/** Creates the person contact of a person account just inserted (same owner, dates and Id). */
export function afterInsert(ctx: Ctx, obj: ObjectDef, rec: Rec): void {
  if (!ctx.schema.personAccounts || obj.name !== 'Account' || rec.IsPersonAccount !== true) return;
  const contact = objectNamed(ctx.schema, 'Contact');
  const row: Rec = {};
  for (const f of contact.fields.values())
    row[f.name] = f.defaultValue ?? (f.type === 'boolean' ? false : null);
  Object.assign(row, contactValues(ctx, rec), {
    Id: rec.PersonContactId,
    AccountId: rec.Id,
    IsPersonAccount: true,
    IsDeleted: false,
    OwnerId: rec.OwnerId,
    CreatedDate: rec.CreatedDate,
    CreatedById: rec.CreatedById,
    LastModifiedDate: rec.LastModifiedDate,
    LastModifiedById: rec.LastModifiedById,
    SystemModstamp: rec.SystemModstamp,
  });
  ctx.store.put(contact, row, { type: 'CREATE', changedFields: Object.keys(row) });
}

/** Checks and completes an update (`rec` = the existing record with the new values on it). */
export function beforeUpdate(
  ctx: Ctx,
  obj: ObjectDef,
  given: ReadonlySet<FieldDef>,
  existing: Rec,
  rec: Rec,
): SaveError | undefined {
  if (!ctx.schema.personAccounts) return undefined;
  if (obj.name === 'Contact')
    return existing.IsPersonAccount === true ? personContact() : undefined;
  if (obj.name !== 'Account') return undefined;
  if (rec.RecordTypeId !== existing.RecordTypeId) {
    const type = recordType(ctx, rec.RecordTypeId);
    if ('statusCode' in type) return type;
    if (type.person !== (existing.IsPersonAccount === true)) {
      return error(
        'INVALID_FIELD_FOR_INSERT_UPDATE',
        given.size > 1
          ? 'Cannot specify any additional fields when marrying or separating a Person-Account'
          : 'Changing an account between business and person record types is not modelled by the local org.',
      );
    }
  }
  if (existing.IsPersonAccount === true) {
    if ([...given].some((f) => f.name === 'Name')) return badFields(['Name']);
    if (!rec.LastName)
      return error('REQUIRED_FIELD_MISSING', 'Required fields are missing: [LastName]', [
        'LastName',
      ]);
    rec.Name = personName(rec);
    return undefined;
  }
  const wrong = [...given].filter((f) => personOnly(ctx.schema, f)).map((f) => f.name);
  return wrong.length > 0 ? badFields(wrong) : undefined;
}

/** Writes a person account's changed values to its person contact (the two change together). */
export function afterUpdate(ctx: Ctx, obj: ObjectDef, rec: Rec): void {
  if (!ctx.schema.personAccounts || obj.name !== 'Account' || rec.IsPersonAccount !== true) return;
  const contact = objectNamed(ctx.schema, 'Contact');
  const existing = ctx.store.get(contact, String(rec.PersonContactId));
  if (!existing) return;
  const values = contactValues(ctx, rec);
  const changed = Object.keys(values).filter((k) => existing[k] !== values[k]);
  ctx.store.put(
    contact,
    {
      ...existing,
      ...values,
      LastModifiedDate: rec.LastModifiedDate ?? null,
      LastModifiedById: rec.LastModifiedById ?? null,
      SystemModstamp: rec.SystemModstamp ?? null,
    },
    { type: 'UPDATE', changedFields: [...changed, 'LastModifiedDate'] },
  );
}

/** A person contact is deleted with its account, never on its own. */
export function beforeDelete(ctx: Ctx, obj: ObjectDef, rec: Rec): SaveError | undefined {
  if (!ctx.schema.personAccounts || obj.name !== 'Contact') return undefined;
  return rec.IsPersonAccount === true ? personContact() : undefined;
}

/** The record types of an org with Person Accounts: the business one and `PersonAccount`. */
export const SEED_RECORD_TYPES: readonly Rec[] = [
  {
    Name: 'Business Account',
    DeveloperName: 'Business_Account',
    SobjectType: 'Account',
    IsActive: true,
    IsPersonType: false,
  },
  {
    Name: 'Person Account',
    DeveloperName: PERSON_RECORD_TYPE,
    SobjectType: 'Account',
    IsActive: true,
    IsPersonType: true,
  },
];
