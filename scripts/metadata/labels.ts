import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join, relative, sep } from 'node:path';
import { CASE_TEXTS, TASK_TEXTS } from '../../src/engine';

/** Texts the connector writes (Cases, call Tasks): labels of the package, worded the same. */
const ENGINE_TEXTS: Record<string, Record<string, string>> = { ...CASE_TEXTS, ...TASK_TEXTS };
import type { SourcePackage } from './source';
import { childText, childrenNamed } from './xml';

/**
 * Custom Labels and their translations, checked the way a deploy would reject them (Metadata API
 * Developer Guide, "CustomLabels" and "Translations"): a component importing
 * `@salesforce/label/c.X` (or an Aura component using `$Label.c.X`) for a label the package does
 * not define fails to save; a label's value is at most 1,000 characters; a translation file is
 * `translations/<language code>.translation-meta.xml` and may only translate labels that exist.
 * On top of what the org enforces, the product promises every label in every shipped language
 * (Spanish first) with the same `{0}` placeholders, and no label nobody uses.
 */

/** Languages the package ships: every label must have a translation in each. */
export const REQUIRED_TRANSLATIONS = ['es'] as const;

/** Salesforce language codes ("Supported Languages", Salesforce Help) the package may ship. */
const LANGUAGE_CODES = new Set([
  'da',
  'de',
  'en_US',
  'en_GB',
  'es',
  'es_MX',
  'fi',
  'fr',
  'it',
  'ja',
  'ko',
  'nl_NL',
  'no',
  'pt_BR',
  'ru',
  'sv',
  'th',
  'zh_CN',
  'zh_TW',
]);

/** A custom label name: letters, digits and single underscores, starting with a letter. */
const LABEL_NAME = /^[A-Za-z](?:[A-Za-z0-9]|_(?!_))*$/;
const VALUE_MAX = 1000;
const NAME_MAX = 80;
const SHORT_DESCRIPTION_MAX = 80;

function sourceFiles(dir: string, pattern: RegExp): string[] {
  if (!existsSync(dir)) return [];
  const out: string[] = [];
  const visit = (d: string) => {
    for (const entry of readdirSync(d)) {
      if (entry === '__tests__' || entry.startsWith('.')) continue;
      const path = join(d, entry);
      if (statSync(path).isDirectory()) visit(path);
      else if (pattern.test(entry) && !entry.endsWith('.d.ts')) out.push(path);
    }
  };
  visit(dir);
  return out.sort();
}

function placeholders(text: string): string {
  return [...new Set([...text.matchAll(/\{(\d+)\}/g)].map((m) => m[1]))].sort().join(',');
}

export function labelProblems(pkg: SourcePackage): string[] {
  const problems: string[] = [];
  const labels = new Map<string, string>();
  for (const file of pkg.byType.get('CustomLabels') ?? []) {
    if (basename(file.rel) !== 'CustomLabels.labels-meta.xml') {
      problems.push(`${file.rel}: custom labels live in labels/CustomLabels.labels-meta.xml`);
    }
    for (const label of childrenNamed(file.root, 'labels')) {
      const name = childText(label, 'fullName') ?? '';
      const value = childText(label, 'value') ?? '';
      const where = `${file.rel}: label ${name || '(no fullName)'}`;
      if (!LABEL_NAME.test(name) || name.endsWith('_') || name.length > NAME_MAX) {
        problems.push(
          `${where}: a label name has letters, digits and single underscores, starts with a letter, does not end with _ and has at most ${NAME_MAX} characters`,
        );
      }
      if (labels.has(name)) problems.push(`${where} is defined twice`);
      if (value.trim() === '') problems.push(`${where} has no value`);
      if (value.length > VALUE_MAX) {
        problems.push(
          `${where}: value is ${value.length} characters; Salesforce allows ${VALUE_MAX}`,
        );
      }
      const short = childText(label, 'shortDescription') ?? '';
      if (short.trim() === '' || short.length > SHORT_DESCRIPTION_MAX) {
        problems.push(
          `${where}: shortDescription is required, at most ${SHORT_DESCRIPTION_MAX} characters`,
        );
      }
      if (childText(label, 'language') !== 'en_US') {
        problems.push(`${where}: language must be en_US (the package's master language)`);
      }
      labels.set(name, value);
    }
  }

  // Every label a component uses exists, and every label is used by some component.
  const used = new Set<string>();
  const lwcDir = join(pkg.dir, 'main', 'default', 'lwc');
  for (const file of sourceFiles(lwcDir, /\.(ts|js|html)$/)) {
    const rel = relative(pkg.dir, file).split(sep).join('/');
    for (const m of readFileSync(file, 'utf8').matchAll(/@salesforce\/label\/(\w+)\.(\w+)/g)) {
      const [, namespace = '', name = ''] = m;
      used.add(name);
      if (namespace !== 'c') {
        problems.push(
          `${rel}: imports @salesforce/label/${namespace}.${name}; the package's own labels are imported as c.${name}`,
        );
      } else if (!labels.has(name)) {
        problems.push(
          `${rel}: imports @salesforce/label/c.${name}, which labels/CustomLabels.labels-meta.xml does not define (the deploy would fail)`,
        );
      }
    }
  }
  const auraDir = join(pkg.dir, 'main', 'default', 'aura');
  for (const file of sourceFiles(auraDir, /\.(cmp|design|js|app|evt)$/)) {
    const rel = relative(pkg.dir, file).split(sep).join('/');
    for (const m of readFileSync(file, 'utf8').matchAll(/\$Label\.c\.(\w+)/g)) {
      const name = m[1] ?? '';
      used.add(name);
      if (!labels.has(name)) problems.push(`${rel}: uses $Label.c.${name}, which is not defined`);
    }
  }
  // The texts the connector writes on the Cases it creates (src/engine/case-text.ts) are labels
  // too: used, and worded in the engine exactly as in the labels and their translations.
  for (const [name, text] of Object.entries(ENGINE_TEXTS)) {
    used.add(name);
    const english = labels.get(name);
    if (english === undefined)
      problems.push(`src/engine: ${name} is not a label of the package: add it`);
    else if (english !== text.en)
      problems.push(
        `src/engine: ${name} reads "${text.en}" but the label reads "${english}": make them agree`,
      );
  }
  for (const name of labels.keys()) {
    if (!used.has(name)) problems.push(`label ${name} is used by no component: remove it`);
  }

  // Translations: one file per language, only existing labels, every label, same placeholders.
  const translated = new Map<string, Set<string>>();
  for (const file of pkg.byType.get('Translations') ?? []) {
    const language = /^translations\/([A-Za-z_]+)\.translation-meta\.xml$/.exec(
      file.rel.replace(/^main\/default\//, ''),
    )?.[1];
    if (!language || !LANGUAGE_CODES.has(language)) {
      problems.push(
        `${file.rel}: translations are translations/<language code>.translation-meta.xml with a Salesforce language code (es, fr, de, …)`,
      );
      continue;
    }
    const names = new Set<string>();
    for (const entry of childrenNamed(file.root, 'customLabels')) {
      const name = childText(entry, 'name') ?? '';
      const text = childText(entry, 'label') ?? '';
      const english = labels.get(name);
      if (english === undefined) {
        problems.push(
          `${file.rel}: translates label ${name}, which does not exist (the deploy would fail)`,
        );
        continue;
      }
      if (names.has(name)) problems.push(`${file.rel}: translates label ${name} twice`);
      names.add(name);
      if (text.trim() === '') problems.push(`${file.rel}: label ${name} has an empty translation`);
      if (text.length > VALUE_MAX) {
        problems.push(
          `${file.rel}: label ${name} translation is ${text.length} characters; Salesforce allows ${VALUE_MAX}`,
        );
      }
      const engine = ENGINE_TEXTS[name]?.[language];
      if (engine !== undefined && engine !== text) {
        problems.push(
          `${file.rel}: label ${name} is translated "${text}" but src/engine writes "${engine}": make them agree`,
        );
      }
      if (placeholders(text) !== placeholders(english)) {
        problems.push(
          `${file.rel}: label ${name} has placeholders {${placeholders(text)}} but the English text has {${placeholders(english)}}`,
        );
      }
    }
    translated.set(language, names);
  }
  for (const language of REQUIRED_TRANSLATIONS) {
    const names = translated.get(language);
    if (!names) {
      problems.push(
        `translations/${language}.translation-meta.xml is missing: every label ships in ${REQUIRED_TRANSLATIONS.join(', ')}`,
      );
      continue;
    }
    for (const name of labels.keys()) {
      if (!names.has(name))
        problems.push(
          `label ${name} has no ${language} translation in translations/${language}.translation-meta.xml`,
        );
    }
  }
  return problems;
}
