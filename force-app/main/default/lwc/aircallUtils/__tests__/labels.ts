/**
 * Custom Labels for the Jest tests: the English values from CustomLabels.labels-meta.xml, or a
 * translation's (translations/<lang>.translation-meta.xml) over them. On the platform,
 * `@salesforce/label/c.X` gives the text in the user's language; sfdx-lwc-jest alone would give
 * the string "c.X", so jest-setup.ts mocks every label with its English text, and a test can
 * re-mock them in another language with `mockLabels(readLabels('es'))` + `jest.resetModules()`.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';

const DEFAULT = path.resolve(__dirname, '..', '..', '..');

function decode(text: string): string {
  return text
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&amp;/g, '&');
}

function blocks(xml: string, element: string): string[] {
  return [...xml.matchAll(new RegExp(`<${element}>([\\s\\S]*?)</${element}>`, 'g'))].map(
    (m) => m[1] ?? '',
  );
}

function child(block: string, name: string): string {
  return decode(new RegExp(`<${name}>([\\s\\S]*?)</${name}>`).exec(block)?.[1] ?? '');
}

/** Label name → text, in English or with the given translation applied. */
export function readLabels(language?: string): Map<string, string> {
  const xml = readFileSync(path.join(DEFAULT, 'labels', 'CustomLabels.labels-meta.xml'), 'utf8');
  const labels = new Map(
    blocks(xml, 'labels').map((b) => [child(b, 'fullName'), child(b, 'value')] as const),
  );
  if (language) {
    const translation = readFileSync(
      path.join(DEFAULT, 'translations', `${language}.translation-meta.xml`),
      'utf8',
    );
    for (const b of blocks(translation, 'customLabels'))
      labels.set(child(b, 'name'), child(b, 'label'));
  }
  return labels;
}

/** Makes `import X from '@salesforce/label/c.Name'` give these texts in modules loaded from now on. */
export function mockLabels(labels: Map<string, string>): void {
  for (const [name, value] of labels) {
    jest.doMock(`@salesforce/label/c.${name}`, () => ({ __esModule: true, default: value }), {
      virtual: true,
    });
  }
}
