import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import countries from 'i18n-iso-countries';
import { countryCode } from '../../src/engine';

describe('countryCode', () => {
  it('reads country fields as admins type them: ISO codes and names in several languages', () => {
    const cases: [string, string | null][] = [
      ['FR', 'FR'],
      ['fr', 'FR'],
      ['FRA', 'FR'],
      ['France', 'FR'],
      ['Frankreich', 'FR'],
      ['Italia', 'IT'],
      ['Italie', 'IT'],
      ['España', 'ES'],
      ['espana', 'ES'],
      ['U.S.A.', 'US'],
      ['United States', 'US'],
      ['États-Unis', 'US'],
      ['UK', 'GB'],
      ['Royaume-Uni', 'GB'],
      ['England', 'GB'],
      ['Deutschland', 'DE'],
      [' Belgique ', 'BE'],
      ['Europe', null],
      ['Frnace', null],
      ['', null],
    ];
    for (const [text, code] of cases) assert.equal(countryCode(text), code, text);
    assert.equal(countryCode(null), null);
  });

  it('never reads a country’s name, in any language the library has, as another country', () => {
    for (const lang of countries.getSupportedLanguages()) {
      for (const [code, names] of Object.entries(countries.getNames(lang, { select: 'all' }))) {
        for (const name of names) {
          const got = countryCode(name);
          assert.ok(got === null || got === code, `${lang} "${name}" → ${got}, not ${code}`);
        }
      }
    }
  });
});
