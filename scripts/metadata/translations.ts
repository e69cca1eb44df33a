import type { FieldInfo, MetadataFile, SourcePackage } from './source';
import { REQUIRED_TRANSLATIONS } from './labels';
import { childText, childrenNamed, type XmlElement } from './xml';

/**
 * Object translations (Metadata API Developer Guide, "CustomObjectTranslation"): in source format a
 * folder `objectTranslations/<Object>-<language>/` holds `<Object>-<language>.objectTranslation-meta.xml`
 * (the object's own names) and one `<Field>.fieldTranslation-meta.xml` per field (CustomFieldTranslation:
 * `label`, `help`, `relationshipLabel`, and `picklistValues` pairing each value's `masterLabel` with its
 * `translation`). A user whose language is Spanish reads these in every page, list and describe; a
 * field or picklist value without one shows in English.
 *
 * The product promises every field users can see (every field except on platform events, which no
 * page shows) in every shipped language: its label, its help text when it has one, its relationship
 * label for a lookup, and every picklist value. A translation of a field, value or object the package
 * does not have fails the deploy, so it is reported too.
 */

const LABEL_MAX = 40;
const HELP_MAX = 510;
const RELATIONSHIP_MAX = 80;

/** `main/default/objects/X/fields/F.field-meta.xml` -> `main/default/objectTranslations/X-es/F.fieldTranslation-meta.xml`. */
function translationPath(field: FieldInfo, language: string): string {
  const base = field.file.rel.slice(0, field.file.rel.indexOf(`objects/${field.object}/`));
  return `${base}objectTranslations/${field.object}-${language}/${field.name}.fieldTranslation-meta.xml`;
}

function objectTranslationPath(objectFile: string, object: string, language: string): string {
  const base = objectFile.slice(0, objectFile.indexOf(`objects/${object}/`));
  return `${base}objectTranslations/${object}-${language}/${object}-${language}.objectTranslation-meta.xml`;
}

/** Picklist values of a field as users see them: the value's label, else its API name. */
function valueLabels(field: XmlElement): string[] {
  const valueSet = field.children.find((c) => c.name === 'valueSet');
  const definition = valueSet?.children.find((c) => c.name === 'valueSetDefinition');
  if (!definition) return [];
  return childrenNamed(definition, 'value').map(
    (v) => childText(v, 'label') ?? childText(v, 'fullName') ?? '',
  );
}

/** `objectTranslations/X-es/...` -> {object: X, language: es}. */
function folderOf(rel: string): { object: string; language: string } | undefined {
  const m = /objectTranslations\/([^/]+)-([A-Za-z_]+)\//.exec(rel);
  return m ? { object: m[1]!, language: m[2]! } : undefined;
}

const xmlValue = (text: string) =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

export function objectTranslationProblems(pkg: SourcePackage): string[] {
  const problems: string[] = [];
  const byPath = new Map<string, MetadataFile>();
  for (const type of ['CustomFieldTranslation', 'CustomObjectTranslation']) {
    for (const file of pkg.byType.get(type) ?? []) byPath.set(file.rel, file);
  }
  const visible = [...pkg.fields.values()].filter((f) => !f.object.endsWith('__e'));
  const expected = new Set<string>();

  for (const language of REQUIRED_TRANSLATIONS) {
    // The object's own names, for every object that has visible fields or is the package's own.
    const objects = new Set(visible.map((f) => f.object));
    for (const [object, file] of pkg.objects) {
      if (object.endsWith('__c') && file) objects.add(object);
    }
    for (const object of [...objects].sort()) {
      const file = pkg.objects.get(object);
      const anchor =
        file?.rel ??
        visible.find((f) => f.object === object)?.file.rel ??
        `main/default/objects/${object}/`;
      const path = objectTranslationPath(anchor, object, language);
      expected.add(path);
      const translation = byPath.get(path);
      if (!translation) {
        problems.push(
          `${object} has no ${language} object translation: add ${path} (a <CustomObjectTranslation>${file ? ' with its singular and plural <caseValues> and <nameFieldLabel>' : ''})`,
        );
        continue;
      }
      if (!file) continue;
      const cases = childrenNamed(translation.root, 'caseValues');
      for (const plural of ['false', 'true']) {
        const value = cases.find((c) => (childText(c, 'plural') ?? 'false') === plural);
        if (!value || !(childText(value, 'value') ?? '').trim()) {
          problems.push(
            `${path}: the ${plural === 'true' ? 'plural' : 'singular'} name of ${object} has no ${language} translation: add <caseValues><plural>${plural}</plural><value>…</value></caseValues>`,
          );
        }
      }
      const nameField = file.root.children.find((c) => c.name === 'nameField');
      if (nameField && !(childText(translation.root, 'nameFieldLabel') ?? '').trim()) {
        problems.push(
          `${path}: the name field "${childText(nameField, 'label') ?? 'Name'}" of ${object} has no ${language} translation: add <nameFieldLabel>…</nameFieldLabel>`,
        );
      }
    }

    for (const field of visible) {
      const path = translationPath(field, language);
      expected.add(path);
      const key = `${field.object}.${field.name}`;
      const translation = byPath.get(path);
      const english = childText(field.file.root, 'label') ?? field.name;
      if (!translation) {
        problems.push(
          `${key} ("${english}") has no ${language} translation: add ${path} with <name>${field.name}</name>, its <label>${
            childText(field.file.root, 'inlineHelpText') ? ', <help>' : ''
          }${valueLabels(field.file.root).length ? ' and a <picklistValues> per value' : ''}`,
        );
        continue;
      }
      const name = childText(translation.root, 'name');
      if (name !== field.name) {
        problems.push(`${path}: <name> is "${name ?? ''}"; it must be ${field.name}`);
      }
      const label = childText(translation.root, 'label') ?? '';
      if (!label.trim()) {
        problems.push(
          `${key}: the label "${english}" has no ${language} translation: add <label>…</label> to ${path}`,
        );
      } else if (label.length > LABEL_MAX) {
        problems.push(
          `${path}: <label> is ${label.length} characters; Salesforce allows ${LABEL_MAX}`,
        );
      }
      const help = childText(field.file.root, 'inlineHelpText');
      const helpEs = childText(translation.root, 'help') ?? '';
      if (help && !helpEs.trim()) {
        problems.push(
          `${key}: the help text has no ${language} translation: add <help>…</help> to ${path}`,
        );
      } else if (helpEs.length > HELP_MAX) {
        problems.push(
          `${path}: <help> is ${helpEs.length} characters; Salesforce allows ${HELP_MAX}`,
        );
      }
      const relationship = childText(field.file.root, 'relationshipLabel');
      const relationshipEs = childText(translation.root, 'relationshipLabel') ?? '';
      if (relationship && !relationshipEs.trim()) {
        problems.push(
          `${key}: the related list "${relationship}" has no ${language} translation: add <relationshipLabel>…</relationshipLabel> to ${path}`,
        );
      } else if (relationshipEs.length > RELATIONSHIP_MAX) {
        problems.push(
          `${path}: <relationshipLabel> is ${relationshipEs.length} characters; Salesforce allows ${RELATIONSHIP_MAX}`,
        );
      }
      const values = valueLabels(field.file.root);
      const translated = new Map<string, string>();
      for (const entry of childrenNamed(translation.root, 'picklistValues')) {
        const master = childText(entry, 'masterLabel') ?? '';
        if (translated.has(master)) {
          problems.push(`${path}: picklist value "${master}" is translated twice`);
        }
        translated.set(master, childText(entry, 'translation') ?? '');
        if (!values.includes(master)) {
          problems.push(
            `${path}: translates picklist value "${master}", which ${key} does not have (the deploy would fail): remove it, or use the value's label as <masterLabel>`,
          );
        }
      }
      for (const value of values) {
        if (!(translated.get(value) ?? '').trim()) {
          problems.push(
            `${key}: picklist value "${value}" has no ${language} translation: add <picklistValues><masterLabel>${xmlValue(value)}</masterLabel><translation>…</translation></picklistValues> to ${path}`,
          );
        }
      }
    }
  }

  // Translations of what the package does not have.
  for (const [path, file] of byPath) {
    if (expected.has(path)) continue;
    const folder = folderOf(path);
    const what =
      file.root.name === 'CustomFieldTranslation'
        ? `field ${folder?.object ?? '?'}.${childText(file.root, 'name') ?? '?'}`
        : `object ${folder?.object ?? '?'}`;
    if (folder && !(REQUIRED_TRANSLATIONS as readonly string[]).includes(folder.language)) continue;
    problems.push(
      `${path}: translates ${what}, which the package does not define (the deploy would fail): remove it or fix its name`,
    );
  }
  return problems;
}
