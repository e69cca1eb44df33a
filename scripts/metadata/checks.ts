import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { ComponentSet, MetadataConverter } from '@salesforce/source-deploy-retrieve';
import { PICKLIST_VALUES } from '../../src/engine';
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
import { analyticsProblems } from './analytics';
import { labelProblems } from './labels';
import { objectTranslationProblems } from './translations';
import { hardCodedNames } from './lwc-names';
import { validateMetadata } from './schema';
import { componentName, loadSource, picklistValues, type SourcePackage } from './source';
import { childText, childrenNamed, parseXml, type XmlElement } from './xml';

/** What a check needs: the parsed package, plus the expectations it is held to (injectable in tests). */
export interface CheckContext {
  pkg: SourcePackage;
  picklists: Record<string, readonly string[]>;
  /** Picklists the connector fills with values from Aircall: they must accept values added later. */
  openPicklists: readonly string[];
  /** The project's config/ folder (scratch-org definition, contact-center sample). */
  configDir: string;
}

export interface Check {
  id: string;
  title: string;
  run(ctx: CheckContext): string[] | Promise<string[]>;
}

export interface CheckResult {
  id: string;
  title: string;
  problems: string[];
}

export const OPEN_PICKLISTS = [
  'Aircall_Voice__c.Missed_Reason__c',
  'Aircall_Voice__c.AI_Sentiment__c',
];

export function contextFor(
  dir: string,
  overrides: Partial<Omit<CheckContext, 'pkg'>> = {},
): CheckContext {
  return {
    pkg: loadSource(dir),
    picklists: overrides.picklists ?? PICKLIST_VALUES,
    openPicklists: overrides.openPicklists ?? OPEN_PICKLISTS,
    configDir: overrides.configDir ?? resolve(dir, '..', 'config'),
  };
}

const UPPER_SNAKE = /^[A-Z][A-Za-z0-9]*(?:_[A-Z0-9][A-Za-z0-9]*)*$/;
const CUSTOM_SUFFIX = /__(c|e)$/;
const LWC_NAME = /^[a-z][A-Za-z0-9]*$/;

/** Standard fields layouts, list views and compact layouts may use on a custom object. */
const STANDARD_FIELDS = new Set([
  'Name',
  'NAME',
  'Id',
  'OwnerId',
  'CreatedById',
  'CreatedDate',
  'LastModifiedById',
  'LastModifiedDate',
  'CREATED_DATE',
  'LAST_UPDATE',
]);

// ---------------------------------------------------------------------------------------------

const wellFormed: Check = {
  id: 'xml-well-formed',
  title: 'every XML file is well-formed',
  run: ({ pkg }) => pkg.unparsable.map((u) => `${u.rel}: ${u.error}`),
};

const schema: Check = {
  id: 'metadata-schema',
  title: 'every -meta.xml is valid against the Metadata API schema',
  run: ({ pkg }) =>
    pkg.xmlFiles
      .filter((f) => f.rel.endsWith('-meta.xml'))
      .flatMap((f) => validateMetadata(f.root).map((p) => `${f.rel}: ${p}`)),
};

const TEXT_LIMITS: Record<string, number> = {
  label: 40,
  pluralLabel: 40,
  relationshipLabel: 80,
  masterLabel: 80,
  inlineHelpText: 510,
  description: 1000,
};

const text: Check = {
  id: 'text-values',
  title: 'labels, descriptions and help texts are single-line and within Salesforce limits',
  run: ({ pkg }) => {
    const problems: string[] = [];
    for (const f of pkg.xmlFiles) {
      if (f.root.name === 'LightningComponentBundle') continue;
      const visit = (el: XmlElement) => {
        const limit = TEXT_LIMITS[el.name];
        if (limit !== undefined && el.children.length === 0) {
          // A formatter that wraps long text inside elements changes the value the org stores.
          if (/[\r\n]/.test(el.text) || el.text !== el.text.trim()) {
            problems.push(
              `${f.rel}: <${el.name}> has line breaks or padding in its text (an XML formatter wrapped it)`,
            );
          }
          const length = el.text.trim().length;
          if (
            f.root.name === 'CustomField' ||
            el.name === 'inlineHelpText' ||
            el.name === 'description'
          ) {
            if (length > limit)
              problems.push(
                `${f.rel}: <${el.name}> is ${length} characters; Salesforce allows ${limit}`,
              );
          }
        }
        el.children.forEach(visit);
      };
      visit(f.root);
    }
    return problems;
  },
};

const descriptions: Check = {
  id: 'descriptions',
  title:
    'every custom field, object and permission set has a description (and UI fields help text)',
  run: ({ pkg }) => {
    const problems: string[] = [];
    for (const field of pkg.fields.values()) {
      if (!field.name.endsWith('__c')) continue;
      if (!childText(field.file.root, 'description'))
        problems.push(`${field.file.rel}: no <description>`);
      if (!field.object.endsWith('__e') && !childText(field.file.root, 'inlineHelpText')) {
        problems.push(`${field.file.rel}: no <inlineHelpText> (users see this field)`);
      }
    }
    for (const type of [
      'CustomObject',
      'PermissionSet',
      'CustomApplication',
      'CustomTab',
      'FlexiPage',
    ]) {
      for (const f of pkg.byType.get(type) ?? []) {
        if (!childText(f.root, 'description')) problems.push(`${f.rel}: no <description>`);
      }
    }
    return problems;
  },
};

const naming: Check = {
  id: 'naming',
  title: 'API names follow one convention (Upper_Snake, __c/__e suffixes, camelCase LWC)',
  run: ({ pkg }) => {
    const problems: string[] = [];
    const isCustom = (name: string) => CUSTOM_SUFFIX.test(name);
    for (const object of pkg.objects.keys()) {
      const base = object.replace(CUSTOM_SUFFIX, '');
      if (object.includes('__') && !isCustom(object))
        problems.push(`objects/${object}: custom objects end in __c, events in __e`);
      else if (!UPPER_SNAKE.test(base))
        problems.push(`objects/${object}: name words are Upper_Snake (e.g. Aircall_Voice__c)`);
    }
    for (const [key, field] of pkg.fields) {
      if (!/^[A-Z][A-Za-z0-9]*(?:_[A-Z0-9][A-Za-z0-9]*)*__c$/.test(field.name)) {
        problems.push(
          `${field.file.rel}: ${key} is not Upper_Snake ending in __c (e.g. Call_Type__c)`,
        );
      }
    }
    for (const f of pkg.xmlFiles) {
      const name = componentName(f.path);
      const fullName = childText(f.root, 'fullName');
      if (fullName !== undefined && fullName !== name) {
        problems.push(
          `${f.rel}: <fullName>${fullName}</fullName> differs from the file name ${name}`,
        );
      }
      if (
        ['PermissionSet', 'FlexiPage', 'CustomApplication', 'ListView', 'CompactLayout'].includes(
          f.root.name,
        )
      ) {
        if (!UPPER_SNAKE.test(name))
          problems.push(`${f.rel}: ${name} is not Upper_Snake (e.g. Aircall_Admin)`);
      }
      if (f.root.name === 'CustomTab' && !isCustom(name) && !UPPER_SNAKE.test(name)) {
        problems.push(`${f.rel}: ${name} is not Upper_Snake (e.g. Aircall_Setup)`);
      }
      if (f.root.name === 'Layout' && !pkg.objects.has(name.split('-')[0]!)) {
        problems.push(
          `${f.rel}: layouts are named <Object>-<Label> after an object of the package`,
        );
      }
    }
    for (const bundle of pkg.lwcBundles) {
      if (!LWC_NAME.test(bundle))
        problems.push(`lwc/${bundle}: LWC bundles are camelCase (e.g. aircallVoiceRecord)`);
    }
    return problems;
  },
};

const picklists: Check = {
  id: 'picklists',
  title: 'every picklist value the code uses exists in the metadata',
  run: ({ pkg, picklists: expected, openPicklists }) => {
    const problems: string[] = [];
    for (const [key, values] of Object.entries(expected)) {
      const field = pkg.fields.get(key);
      if (!field) {
        problems.push(`${key}: used by src/engine/picklists.ts but no such field in the package`);
        continue;
      }
      if (field.type !== 'Picklist' && field.type !== 'MultiselectPicklist') {
        problems.push(
          `${field.file.rel}: ${key} is ${field.type}, the code treats it as a picklist`,
        );
        continue;
      }
      const actual = picklistValues(field.file.root);
      for (const value of values) {
        if (!actual.values.includes(value)) {
          problems.push(
            `${field.file.rel}: value "${value}" used by the code is missing (add it, or fix src/engine/picklists.ts)`,
          );
        }
      }
      const open = openPicklists.includes(key);
      if (open && actual.restricted) {
        problems.push(
          `${field.file.rel}: ${key} must be unrestricted so a value Aircall adds later is saved, not rejected`,
        );
      }
    }
    return problems;
  },
};

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

const access: Check = {
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

function lwcTargets(
  pkg: SourcePackage,
  bundle: string,
): { exposed: boolean; targets: string[] } | undefined {
  const meta = (pkg.byType.get('LightningComponentBundle') ?? []).find(
    (f) => componentName(f.path) === bundle,
  );
  if (!meta) return undefined;
  const targets = meta.root.children.find((c) => c.name === 'targets');
  return {
    exposed: childText(meta.root, 'isExposed') === 'true',
    targets: targets ? childrenNamed(targets, 'target').map((t) => t.text.trim()) : [],
  };
}

const references: Check = {
  id: 'references',
  title: 'pages, tabs, apps, layouts and list views reference components that exist',
  run: ({ pkg }) => {
    const problems: string[] = [];
    const names = (type: string) =>
      new Set((pkg.byType.get(type) ?? []).map((f) => componentName(f.path)));
    const tabs = names('CustomTab');
    const pages = names('FlexiPage');
    const apps = names('CustomApplication');
    const fieldExists = (object: string, field: string) =>
      STANDARD_FIELDS.has(field) || pkg.fields.has(`${object}.${field}`);
    const objectOf = (rel: string) => rel.split('/')[rel.split('/').indexOf('objects') + 1] ?? '';

    for (const f of pkg.byType.get('FlexiPage') ?? []) {
      const pageType = childText(f.root, 'type');
      const target =
        pageType === 'RecordPage'
          ? 'lightning__RecordPage'
          : pageType === 'AppPage'
            ? 'lightning__AppPage'
            : undefined;
      const sobject = childText(f.root, 'sobjectType');
      if (sobject && sobject.endsWith('__c') && !pkg.objects.has(sobject)) {
        problems.push(`${f.rel}: sobjectType ${sobject} is not in the package`);
      }
      const visit = (el: XmlElement) => {
        if (el.name === 'componentName') {
          const component = el.text.trim();
          if (!component.includes(':')) {
            const lwc = lwcTargets(pkg, component);
            if (!lwc)
              problems.push(`${f.rel}: component ${component} is not an LWC bundle of the package`);
            else if (!lwc.exposed)
              problems.push(`${f.rel}: LWC ${component} is not exposed (isExposed true)`);
            else if (target && !lwc.targets.includes(target)) {
              problems.push(`${f.rel}: LWC ${component} does not declare the target ${target}`);
            }
          }
        }
        el.children.forEach(visit);
      };
      visit(f.root);
    }
    for (const bundle of pkg.lwcBundles) {
      if (!lwcTargets(pkg, bundle)) {
        problems.push(
          `lwc/${bundle}: no ${bundle}.js-meta.xml; every LWC bundle needs one to deploy`,
        );
      }
    }
    for (const f of pkg.byType.get('CustomTab') ?? []) {
      const name = componentName(f.path);
      const page = childText(f.root, 'flexiPage');
      if (page && !pages.has(page)) problems.push(`${f.rel}: flexiPage ${page} does not exist`);
      if (childText(f.root, 'customObject') === 'true' && !pkg.objects.get(name)) {
        problems.push(`${f.rel}: object tab for ${name}, which is not in the package`);
      }
    }
    for (const f of pkg.byType.get('CustomApplication') ?? []) {
      for (const t of childrenNamed(f.root, 'tabs')) {
        const tab = t.text.trim();
        if (!tab.startsWith('standard-') && !tabs.has(tab))
          problems.push(`${f.rel}: tab ${tab} does not exist`);
      }
      for (const o of childrenNamed(f.root, 'actionOverrides')) {
        const content = childText(o, 'content');
        if (childText(o, 'type') === 'Flexipage' && content && !pages.has(content)) {
          problems.push(`${f.rel}: action override page ${content} does not exist`);
        }
      }
    }
    for (const f of pkg.byType.get('PermissionSet') ?? []) {
      for (const t of childrenNamed(f.root, 'tabSettings')) {
        const tab = childText(t, 'tab') ?? '';
        if (!tab.startsWith('standard-') && !tabs.has(tab))
          problems.push(`${f.rel}: tab ${tab} does not exist`);
      }
      for (const a of childrenNamed(f.root, 'applicationVisibilities')) {
        const app = childText(a, 'application') ?? '';
        if (!apps.has(app)) problems.push(`${f.rel}: app ${app} does not exist`);
      }
    }
    for (const f of pkg.byType.get('Layout') ?? []) {
      const object = componentName(f.path).split('-')[0]!;
      const visit = (el: XmlElement) => {
        if (el.name === 'field' && !fieldExists(object, el.text.trim())) {
          problems.push(`${f.rel}: field ${el.text.trim()} does not exist on ${object}`);
        }
        el.children.forEach(visit);
      };
      visit(f.root);
      for (const field of pkg.fields.values()) {
        if (field.object === object && field.required) {
          const item = findLayoutItem(f.root, field.name);
          if (item && childText(item, 'behavior') !== 'Required') {
            problems.push(
              `${f.rel}: ${field.name} is required, so its layout behavior must be Required`,
            );
          }
        }
      }
    }
    for (const f of [
      ...(pkg.byType.get('ListView') ?? []),
      ...(pkg.byType.get('CompactLayout') ?? []),
    ]) {
      const object = objectOf(f.rel);
      for (const el of [...childrenNamed(f.root, 'columns'), ...childrenNamed(f.root, 'fields')]) {
        if (!fieldExists(object, el.text.trim()))
          problems.push(`${f.rel}: field ${el.text.trim()} does not exist on ${object}`);
      }
      for (const filter of childrenNamed(f.root, 'filters')) {
        const field = childText(filter, 'field') ?? '';
        if (!fieldExists(object, field))
          problems.push(`${f.rel}: filter field ${field} does not exist on ${object}`);
      }
    }
    return problems;
  },
};

function findLayoutItem(root: XmlElement, field: string): XmlElement | undefined {
  if (root.name === 'layoutItems' && childText(root, 'field') === field) return root;
  for (const child of root.children) {
    const found = findLayoutItem(child, field);
    if (found) return found;
  }
  return undefined;
}

/** Every file SDR would put in a deployment of the directory (after .forceignore). */
export function deployedFiles(dir: string): string[] {
  const set = ComponentSet.fromSource(dir);
  const files: string[] = [];
  for (const component of set.getSourceComponents()) {
    if (component.xml) files.push(component.xml);
    files.push(...component.walkContent());
    for (const child of component.getChildren()) if (child.xml) files.push(child.xml);
  }
  return files;
}

export const FORBIDDEN_IN_DEPLOY =
  /(\.ts$|(^|[\\/])tsconfig\.json$|(^|[\\/])jsconfig\.json$|[\\/]__tests__[\\/])/;

const noTypeScript: Check = {
  id: 'no-typescript-deployed',
  title: 'no .ts, tsconfig or test file would be deployed (.forceignore + SDR resolution)',
  run: ({ pkg }) =>
    deployedFiles(pkg.dir)
      .filter((f) => FORBIDDEN_IN_DEPLOY.test(f))
      .map(
        (f) => `${f}: would be deployed; list it in .forceignore (the org accepts only JavaScript)`,
      ),
};

const conversion: Check = {
  id: 'sdr-conversion',
  title: 'source converts to Metadata API format (source-deploy-retrieve)',
  run: async ({ pkg }) => {
    const out = mkdtempSync(join(tmpdir(), 'aircall-convert-'));
    try {
      const set = ComponentSet.fromSource(pkg.dir);
      if (set.size === 0) return [`${pkg.dir}: no metadata components found`];
      await new MetadataConverter().convert(set, 'metadata', {
        type: 'directory',
        outputDirectory: out,
        genUniqueDir: false,
      });
      return [];
    } catch (error) {
      return [`conversion failed: ${error instanceof Error ? error.message : String(error)}`];
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  },
};

function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((entry) => {
    const path = join(dir, entry);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

/** Items of a contact-center definition, by section name then item name. */
function callCenterItems(root: XmlElement): Map<string, Map<string, string>> {
  const sections = new Map<string, Map<string, string>>();
  for (const section of childrenNamed(root, 'section')) {
    const items = new Map<string, string>();
    for (const item of childrenNamed(section, 'item'))
      items.set(item.attributes.name ?? '', item.text.trim());
    sections.set(section.attributes.name ?? '', items);
  }
  return sections;
}

const config: Check = {
  id: 'config-files',
  title: 'config/ is well-formed; scratch definition and contact-center sample have what SCV needs',
  run: ({ configDir }) => {
    const problems: string[] = [];
    if (!existsSync(configDir)) return [`${configDir}: no config folder`];
    const rel = (f: string) => `config/${relative(configDir, f).split('\\').join('/')}`;
    let callCenters = 0;
    for (const file of filesUnder(configDir)) {
      const content = readFileSync(file, 'utf8');
      if (file.endsWith('.json')) {
        try {
          JSON.parse(content);
        } catch (error) {
          problems.push(
            `${rel(file)}: not valid JSON (${error instanceof Error ? error.message : String(error)})`,
          );
        }
        continue;
      }
      if (!file.endsWith('.xml')) continue;
      const parsed = parseXml(content);
      if (!parsed.ok) {
        problems.push(`${rel(file)}: ${parsed.error}`);
        continue;
      }
      if (parsed.root.name !== 'callCenter') continue;
      callCenters += 1;
      const sections = callCenterItems(parsed.root);
      const general = sections.get('reqGeneralInfo');
      const hvcc = sections.get('reqHvcc');
      for (const item of ['reqInternalName', 'reqDisplayName', 'reqVendorInfoApiName']) {
        if (!general?.get(item)) problems.push(`${rel(file)}: reqGeneralInfo needs a ${item} item`);
      }
      const internal = general?.get('reqInternalName') ?? '';
      if (internal && !/^[A-Za-z][A-Za-z0-9_]{0,39}$/.test(internal)) {
        problems.push(
          `${rel(file)}: reqInternalName "${internal}" must start with a letter and have at most 40 letters, digits or underscores`,
        );
      }
      const certificate = hvcc?.get('reqTelephonyIntegrationCertificate') ?? '';
      if (!/-----BEGIN CERTIFICATE-----[\s\S]*-----END CERTIFICATE-----/.test(certificate)) {
        problems.push(
          `${rel(file)}: reqHvcc needs a reqTelephonyIntegrationCertificate item holding a PEM certificate`,
        );
      }
    }
    if (callCenters === 0)
      problems.push('config/: no contact-center definition (<callCenter>) sample');
    const scratchPath = join(configDir, 'project-scratch-def.json');
    if (!existsSync(scratchPath)) {
      problems.push('config/project-scratch-def.json is missing');
    } else {
      try {
        const def = JSON.parse(readFileSync(scratchPath, 'utf8')) as {
          features?: string[];
          settings?: Record<string, Record<string, unknown>>;
        };
        if (!(def.features ?? []).some((f) => f.startsWith('ServiceCloudVoicePartnerTelephony'))) {
          problems.push(
            'config/project-scratch-def.json: features need ServiceCloudVoicePartnerTelephony:<n> (VoiceCall, contact centers)',
          );
        }
        if (def.settings?.serviceCloudVoiceSettings?.enableSCVExternalTelephony !== true) {
          problems.push(
            'config/project-scratch-def.json: settings.serviceCloudVoiceSettings.enableSCVExternalTelephony must be true',
          );
        }
        if (def.settings?.omniChannelSettings?.enableOmniChannel !== true) {
          problems.push(
            'config/project-scratch-def.json: settings.omniChannelSettings.enableOmniChannel must be true',
          );
        }
      } catch {
        // Reported above as invalid JSON.
      }
    }
    return problems;
  },
};

const lwcNames: Check = {
  id: 'lwc-schema-references',
  title:
    'components name objects, fields, relationships and events through @salesforce/schema, never in strings',
  run: ({ pkg }) => hardCodedNames(pkg),
};

const labels: Check = {
  id: 'custom-labels',
  title:
    'every label a component uses exists, every label is used and translated (es) with the same placeholders',
  run: ({ pkg }) => labelProblems(pkg),
};

const objectTranslations: Check = {
  id: 'object-translations',
  title:
    'every field label, help text, related list and picklist value, and every object name, is translated (es) in objectTranslations',
  run: ({ pkg }) => objectTranslationProblems(pkg),
};

const analytics: Check = {
  id: 'reports',
  title:
    "reports use their report type's fields, dashboards their reports' groupings and summaries; the report type offers every Aircall Voice field",
  run: ({ pkg }) => analyticsProblems(pkg),
};

export const CHECKS: readonly Check[] = [
  wellFormed,
  schema,
  text,
  conversion,
  descriptions,
  access,
  picklists,
  naming,
  references,
  noTypeScript,
  config,
  lwcNames,
  labels,
  objectTranslations,
  analytics,
];

export function checkById(id: string): Check {
  const check = CHECKS.find((c) => c.id === id);
  if (!check) throw new Error(`No check called ${id}`);
  return check;
}

export async function runChecks(
  ctx: CheckContext,
  checks: readonly Check[] = CHECKS,
): Promise<CheckResult[]> {
  const results: CheckResult[] = [];
  for (const check of checks) {
    let problems: string[];
    try {
      problems = await check.run(ctx);
    } catch (error) {
      problems = [
        `the check itself failed: ${error instanceof Error ? error.message : String(error)}`,
      ];
    }
    results.push({ id: check.id, title: check.title, problems });
  }
  return results;
}
