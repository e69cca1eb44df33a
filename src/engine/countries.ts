/**
 * Country fields as admins type them ("France", "Deutschland", "España", "U.S.A.", "FR", "FRA") →
 * ISO 3166-1 alpha-2 code. Names come from i18n-iso-countries (every language it ships: official
 * names and the aliases it lists, e.g. "UK", "USA"), codes from ISO 3166-1 alpha-2 and alpha-3.
 * Comparison ignores case, accents, dots and punctuation. A name that two languages give to two
 * different countries is left out rather than guessed.
 */
import countries from 'i18n-iso-countries';

/** Lower case, no accents, punctuation and runs of spaces folded to one space. */
export function foldCountryText(text: string): string {
  return text
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[.'’`]/g, '')
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

/** Everyday names the library does not list (short forms, the nations of the United Kingdom). */
const EXTRA_NAMES: Readonly<Record<string, readonly string[]>> = {
  US: ['Etats-Unis', 'EEUU', 'EE UU', 'Vereinigte Staaten'],
  GB: ['England', 'Scotland', 'Wales', 'Northern Ireland', 'Angleterre', 'Ecosse', 'Inglaterra'],
  CZ: ['Tchéquie', 'Tschechien'],
};

let byName: Map<string, string> | null = null;

function names(): Map<string, string> {
  if (byName) return byName;
  const seen = new Map<string, Set<string>>();
  const add = (name: string, code: string): void => {
    const key = foldCountryText(name);
    if (key === '') return;
    const codes = seen.get(key) ?? new Set<string>();
    codes.add(code);
    seen.set(key, codes);
  };
  for (const lang of countries.getSupportedLanguages()) {
    for (const [code, list] of Object.entries(countries.getNames(lang, { select: 'all' })))
      for (const name of list) add(name, code);
  }
  for (const [code, list] of Object.entries(EXTRA_NAMES)) for (const name of list) add(name, code);
  byName = new Map();
  for (const [key, codes] of seen) if (codes.size === 1) byName.set(key, [...codes][0]!);
  return byName;
}

const memo = new Map<string, string | null>();

/**
 * The ISO 3166-1 alpha-2 code a country field names, or null when it names none (empty, a typo,
 * "Europe"). Two letters are read as an alpha-2 code, three upper-case letters as an alpha-3 code,
 * anything else as a country name in any language (then as an alpha-3 code, for "fra").
 */
export function countryCode(text: string | null | undefined): string | null {
  if (typeof text !== 'string') return null;
  const trimmed = text.trim();
  if (trimmed === '') return null;
  const cached = memo.get(trimmed);
  if (cached !== undefined) return cached;
  let code: string | null = null;
  const name = () => names().get(foldCountryText(trimmed)) ?? null;
  const alpha3 = () => countries.alpha3ToAlpha2(trimmed.toUpperCase()) ?? null;
  if (/^[A-Za-z]{2}$/.test(trimmed) && countries.alpha2ToAlpha3(trimmed.toUpperCase()))
    code = trimmed.toUpperCase();
  // "NGA" is Nigeria's code, "Nga" Russia in Vietnamese: upper case reads as a code first.
  else if (/^[A-Z]{3}$/.test(trimmed)) code = alpha3() ?? name();
  else if (/^[A-Za-z]{3}$/.test(trimmed)) code = name() ?? alpha3();
  else code = name();
  if (memo.size > 10_000) memo.clear();
  memo.set(trimmed, code);
  return code;
}
