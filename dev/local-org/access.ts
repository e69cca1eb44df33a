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
 * Enforced on writes (dml.ts): a field the user may not edit is `INVALID_FIELD_FOR_INSERT_UPDATE`
 * "Unable to create/update fields: X. Please check the security settings of this field and verify
 * that it is read/write for your profile or permission set." (REST API Developer Guide, "Status
 * Codes and Error Responses"); an object it may not create or edit, `INVALID_TYPE_FOR_OPERATION`
 * "entity type cannot be inserted/updated". Setup objects (User, BusinessHours, CallCenter,
 * permission sets…) are not gated: the local org has one session, which also acts as the admin.
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
}

const gated = (obj: ObjectDef): boolean => obj.custom || CRUD_OBJECTS.has(obj.name.toLowerCase());

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
      return sets.some((s) => {
        const p = s.objects.get(key);
        if (!p) return false;
        return op === 'read' ? p.read : op === 'create' ? p.create : op === 'edit' ? p.edit : p.del;
      });
    },
    fieldEditable(obj, f) {
      if (!gated(obj) || !permissionable(f)) return true;
      const key = `${obj.name}.${f.name}`.toLowerCase();
      return sets.some((s) => s.fields.get(key)?.edit === true);
    },
  };
}
