/**
 * The `access` check (scripts/metadata/checks.ts runs it with the others): each permission set
 * grants exactly the field, object, app, tab and user permissions scripts/metadata/access.ts
 * declares for it.
 */
import {
  APP_VISIBILITY,
  OBJECT_ACCESS,
  PERMISSION_SETS,
  TAB_VISIBILITY,
  USER_PERMISSIONS,
  capToReadOnly,
  expectedFieldAccess,
  FIELD_ACCESS,
  type FieldAccess,
  type ObjectAccess,
} from './access';
import { componentName } from './source';
import { childText, childrenNamed, type XmlElement } from './xml';
import type { Check } from './checks';

function fieldPermissionsOf(ps: XmlElement): Map<string, FieldAccess> {
  const map = new Map<string, FieldAccess>();
  for (const fp of childrenNamed(ps, 'fieldPermissions')) {
    const editable = childText(fp, 'editable') === 'true';
    const readable = childText(fp, 'readable') === 'true';
    map.set(childText(fp, 'field') ?? '', editable ? 'edit' : readable ? 'read' : 'none');
  }
  return map;
}

const OBJECT_FLAGS: (keyof ObjectAccess)[] = [
  'allowCreate',
  'allowRead',
  'allowEdit',
  'allowDelete',
  'viewAllRecords',
  'modifyAllRecords',
];

export const access: Check = {
  id: 'permission-sets',
  title: 'permission sets grant exactly the access in scripts/metadata/access.ts',
  run: ({ pkg }) => {
    const problems: string[] = [];
    const sets = new Map(
      (pkg.byType.get('PermissionSet') ?? []).map((f) => [componentName(f.path), f]),
    );
    for (const name of PERMISSION_SETS) {
      const file = sets.get(name);
      if (!file) {
        problems.push(`permissionsets/${name}.permissionset-meta.xml is missing`);
        continue;
      }
      const where = file.rel;
      const actual = fieldPermissionsOf(file.root);
      for (const fp of childrenNamed(file.root, 'fieldPermissions')) {
        if (childText(fp, 'editable') === 'true' && childText(fp, 'readable') !== 'true') {
          problems.push(`${where}: ${childText(fp, 'field')} is editable but not readable`);
        }
      }
      // Package fields.
      for (const [key, field] of pkg.fields) {
        const has = actual.get(key);
        if (field.required || field.object.endsWith('__e')) {
          if (has !== undefined) {
            const why = field.required
              ? 'required fields are always accessible and Salesforce rejects them in permission sets'
              : 'platform event fields have no field-level security';
            problems.push(`${where}: remove ${key} (${why})`);
          }
          continue;
        }
        const row = expectedFieldAccess(key);
        if (!row) {
          problems.push(
            `${key}: no access row in scripts/metadata/access.ts; decide who may read and edit it`,
          );
          continue;
        }
        const want = capToReadOnly(row[name], field.readOnly);
        const got = has ?? 'none';
        if (got !== want) problems.push(`${where}: ${key} grants ${got}, expected ${want}`);
      }
      // Standard fields named by the matrix, and anything else the set mentions.
      for (const [key, row] of Object.entries(FIELD_ACCESS)) {
        if (pkg.fields.has(key)) continue;
        const got = actual.get(key) ?? 'none';
        if (got !== row[name])
          problems.push(`${where}: ${key} grants ${got}, expected ${row[name]}`);
      }
      for (const key of actual.keys()) {
        if (!pkg.fields.has(key) && !(key in FIELD_ACCESS)) {
          problems.push(`${where}: ${key} is neither a package field nor in the access matrix`);
        }
      }
      // Objects.
      const objects = new Map(
        childrenNamed(file.root, 'objectPermissions').map((op) => [
          childText(op, 'object') ?? '',
          op,
        ]),
      );
      const expectedObjects = OBJECT_ACCESS[name];
      for (const [object, want] of Object.entries(expectedObjects)) {
        const op = objects.get(object);
        if (!op) {
          problems.push(`${where}: no objectPermissions for ${object}`);
          continue;
        }
        for (const flag of OBJECT_FLAGS) {
          const got = childText(op, flag) === 'true';
          if (got !== want[flag])
            problems.push(`${where}: ${object}.${flag} is ${got}, expected ${want[flag]}`);
        }
      }
      for (const object of objects.keys()) {
        if (!(object in expectedObjects))
          problems.push(`${where}: objectPermissions for ${object} are not in the access matrix`);
      }
      // Tabs, apps, user permissions: exactly the listed ones.
      const same = (label: string, got: string[], want: string[]) => {
        const extra = got.filter((g) => !want.includes(g));
        const missing = want.filter((w) => !got.includes(w));
        if (extra.length)
          problems.push(`${where}: ${label} ${extra.join(', ')} not in the access matrix`);
        if (missing.length) problems.push(`${where}: ${label} ${missing.join(', ')} missing`);
      };
      same(
        'visible tab',
        childrenNamed(file.root, 'tabSettings')
          .filter((t) => childText(t, 'visibility') !== 'None')
          .map((t) => childText(t, 'tab') ?? ''),
        TAB_VISIBILITY[name],
      );
      same(
        'visible app',
        childrenNamed(file.root, 'applicationVisibilities')
          .filter((a) => childText(a, 'visible') === 'true')
          .map((a) => childText(a, 'application') ?? ''),
        APP_VISIBILITY[name],
      );
      same(
        'user permission',
        childrenNamed(file.root, 'userPermissions')
          .filter((u) => childText(u, 'enabled') === 'true')
          .map((u) => childText(u, 'name') ?? ''),
        USER_PERMISSIONS[name],
      );
    }
    for (const name of sets.keys()) {
      if (!(PERMISSION_SETS as readonly string[]).includes(name)) {
        problems.push(
          `permissionsets/${name}: not in the access matrix (scripts/metadata/access.ts)`,
        );
      }
    }
    return problems;
  },
};
