/**
 * What the running user may do, from its profile and the permission sets assigned to it
 * (PermissionSetAssignment records naming a deployed permission set).
 *
 * - 'System Administrator' (the default, as a scratch org's user): everything ("Modify All Data").
 * - 'Minimum Access - API Only Integrations' (the profile Salesforce recommends for an integration
 *   user: Salesforce Help, "Give Integration Users API Only Access"): no object or field
 *   permission of its own; the assigned permission sets grant each object (Read / Create / Edit /
 *   Delete) and each permissionable field (Read / Edit). Object and Field Reference ("Field
 *   Permissions"): required fields, name fields and system fields are not permissionable, they
 *   follow the object.
 *
 * Enforced on reads (Object Reference, "Factors that Affect Data Access": "fields that are not
 * visible to the user are not returned in query() or describeSObjects() calls"): describe leaves
 * out the fields the user may not read and answers an object it may not read as NOT_FOUND, like
 * describeGlobal leaves it out; SOQL (select list, WHERE, ORDER BY, GROUP BY, relationship paths,
 * FIELDS()) refuses such a field as `INVALID_FIELD` "No such column" and such an object as
 * `INVALID_TYPE`; the sObject Rows GET leaves the field out, or answers 400 when `?fields=` names
 * it (REST API Developer Guide, "Get Field Values from a Standard Object Record"); SOSL returns no
 * rows of such an object and refuses such a field.
 *
 * Enforced on writes (dml.ts): a field the user may not edit is `INVALID_FIELD_FOR_INSERT_UPDATE`
 * "Unable to create/update fields: X. Please check the security settings of this field and verify
 * that it is read/write for your profile or permission set." (REST API Developer Guide, "Status
 * Codes and Error Responses"); an object it may not create or edit, `INVALID_TYPE_FOR_OPERATION`
 * "entity type cannot be inserted/updated". Setup objects (User, BusinessHours, CallCenter,
 * permission sets…) are not gated: the local org has one session, which also acts as the admin.
 *
 * Two kinds of read access come from elsewhere than the package's permission sets:
 * - Tasks and Events have no object permissions (a permission set cannot name them; who edits
 *   them is the "Edit Tasks" / "Edit Events" user permission), so reading them is not gated here;
 *   their custom fields are the Activity fields of the permission sets (`Activity.X`).
 * - VoiceCall and its recordings: read access to them and their standard fields comes with
 *   Salesforce's Contact Center permission sets and the Service Cloud Voice licence, which the
 *   package cannot name (docs/METADATA.md); the local org grants them as if assigned. The package's
 *   own fields on VoiceCall follow its permission sets like any other.
 */
import type { PermissionSetDef } from './deploy-apply';
import type { FieldDef, ObjectDef } from './schema';

export type UserProfile = 'System Administrator' | 'Minimum Access - API Only Integrations';
export const USER_PROFILES: readonly UserProfile[] = [
  'System Administrator',
  'Minimum Access - API Only Integrations',
];

/** Standard objects whose access a profile or permission set grants (object permissions). */
const CRUD_OBJECTS = new Set([
  'account',
  'contact',
  'lead',
  'opportunity',
  'case',
  'task',
  'event',
  'campaign',
  'voicecall',
  'voicecallrecording',
]);

export interface Access {
  object(obj: ObjectDef, op: 'read' | 'create' | 'edit' | 'delete'): boolean;
  fieldEditable(obj: ObjectDef, f: FieldDef): boolean;
  /** Whether the user sees the field ("Read Access" of field permissions; Edit implies it). */
  fieldReadable(obj: ObjectDef, f: FieldDef): boolean;
}

const gated = (obj: ObjectDef): boolean => obj.custom || CRUD_OBJECTS.has(obj.name.toLowerCase());

/**
 * Whether the object's fields have permissions of their own. A platform event's fields do not: a
 * permission set grants the event Read and Create, and "field-level security permissions don't
 * apply" (Platform Events Developer Guide, "Considerations for Defining and Publishing Platform
 * Events").
 */
const fieldGated = (obj: ObjectDef): boolean => gated(obj) && !obj.isPlatformEvent;

/** Objects whose reading is granted by something other than object permissions (see above). */
const READ_UNGATED = new Set(['task', 'event', 'voicecall', 'voicecallrecording']);
/** Objects whose standard fields are readable by whoever may read the object (see above). */
const STANDARD_FIELDS_UNGATED = new Set(['voicecall', 'voicecallrecording']);
const ACTIVITIES = new Set(['task', 'event']);

/** Parts of a person's name: their access is the Name field's, which is always readable. */
const NAME_PARTS = new Set(['firstname', 'lastname', 'middlename', 'salutation', 'suffix']);

/**
 * The field whose permission decides: the field itself, or for a part of an address the compound
 * address field (field-level security is set on `MailingAddress`, not `MailingCountry`);
 * undefined for a part of a person's name (it follows Name, which is not permissionable).
 */
function permissionField(obj: ObjectDef, f: FieldDef): FieldDef | undefined {
  if (!f.custom && NAME_PARTS.has(f.name.toLowerCase())) return undefined;
  for (const c of obj.fields.values()) {
    if (c.compound?.address && Object.values(c.compound.address).includes(f.name)) return c;
  }
  return f;
}

/** The keys a field's permission may be found under: `object.field`, or `activity.field`. */
function fieldKeys(obj: ObjectDef, f: FieldDef): string[] {
  const object = obj.name.toLowerCase();
  const key = `${object}.${f.name.toLowerCase()}`;
  return ACTIVITIES.has(object) ? [key, `activity.${f.name.toLowerCase()}`] : [key];
}

/** Whether a field's access is set per field (else it follows its object). */
export function permissionable(f: FieldDef): boolean {
  return (
    f.type !== 'id' &&
    f.nillable &&
    !f.nameField &&
    f.name !== 'Name' &&
    f.name !== 'OwnerId' &&
    (f.createable || f.updateable)
  );
}

/** The access of a user with `profile` and these permission sets; undefined = no restriction. */
export function accessOf(profile: UserProfile, sets: PermissionSetDef[]): Access | undefined {
  if (profile === 'System Administrator') return undefined;
  return {
    object(obj, op) {
      if (!gated(obj)) return true;
      const key = obj.name.toLowerCase();
      if (op === 'read' && READ_UNGATED.has(key)) return true;
      return sets.some((s) => {
        const p = s.objects.get(key);
        if (!p) return false;
        return op === 'read' ? p.read : op === 'create' ? p.create : op === 'edit' ? p.edit : p.del;
      });
    },
    fieldEditable(obj, f) {
      if (!fieldGated(obj) || !permissionable(f)) return true;
      const keys = fieldKeys(obj, f);
      return sets.some((s) => keys.some((k) => s.fields.get(k)?.edit === true));
    },
    fieldReadable(obj, field) {
      const f = permissionField(obj, field);
      if (!f || !fieldGated(obj) || !permissionable(f)) return true;
      if (!f.custom && STANDARD_FIELDS_UNGATED.has(obj.name.toLowerCase())) return true;
      const keys = fieldKeys(obj, f);
      return sets.some((s) =>
        keys.some((k) => {
          const p = s.fields.get(k);
          return p?.read === true || p?.edit === true;
        }),
      );
    },
  };
}
