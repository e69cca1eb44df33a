import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { ComponentSet, MetadataConverter } from '@salesforce/source-deploy-retrieve';
import { PICKLIST_VALUES } from '../../src/engine';
import { analyticsProblems } from './analytics';
import { labelProblems } from './labels';
import { objectTranslationProblems } from './translations';
import { hardCodedNames } from './lwc-names';
import { validateMetadata } from './schema';
import { componentName, loadSource, picklistValues, type SourcePackage } from './source';
import { access } from './checks-access';
import { references } from './checks-references';
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
