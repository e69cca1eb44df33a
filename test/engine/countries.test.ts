import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import countries from 'i18n-iso-countries';
import { countryCode, subdivisionCountry } from '../../src/engine';

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

describe('subdivisionCountry', () => {
  it('reads a state or province that names a subdivision of exactly one country as that country', () => {
    const cases: [string, string | null, string][] = [
      ['California', null, 'US'],
      ['CA', '94105', 'US'],
      ['ca', '94105-1234', 'US'],
      ['New York', null, 'US'],
      ['Ontario', null, 'CA'],
      ['QC', 'H2X 1Y4', 'CA'],
      ['Québec', null, 'CA'],
      ['NSW', null, 'AU'],
      ['New South Wales', '2000', 'AU'],
      ['Bavaria', null, 'DE'],
      ['Bayern', '80331', 'DE'],
      ['DE-BY', null, 'DE'],
      ['São Paulo', null, 'BR'],
      ['Sao Paulo', '01310-100', 'BR'],
    ];
    for (const [state, postal, country] of cases)
      assert.deepEqual(
        subdivisionCountry(state, postal),
        { kind: 'country', code: country },
        state,
      );
  });

  it('names no country for a value of several countries unless the postal code picks one', () => {
    // WA: Washington and Western Australia; MA: Massachusetts and Maranhão; NT: Canada's Northwest
    // Territories and Australia's Northern Territory; PE: Prince Edward Island and Pernambuco.
    assert.deepEqual(subdivisionCountry('WA'), { kind: 'ambiguous', countries: ['AU', 'US'] });
    assert.deepEqual(subdivisionCountry('MA'), { kind: 'ambiguous', countries: ['BR', 'US'] });
    assert.deepEqual(subdivisionCountry('NT'), { kind: 'ambiguous', countries: ['AU', 'CA'] });
    assert.deepEqual(subdivisionCountry('PE'), { kind: 'ambiguous', countries: ['BR', 'CA'] });
    assert.deepEqual(subdivisionCountry('WA', '98101'), { kind: 'country', code: 'US' });
    assert.deepEqual(subdivisionCountry('WA', '6000'), { kind: 'country', code: 'AU' });
    assert.deepEqual(subdivisionCountry('MA', '02139'), { kind: 'country', code: 'US' });
    assert.deepEqual(subdivisionCountry('MA', '65000-000'), { kind: 'country', code: 'BR' });
    assert.deepEqual(subdivisionCountry('NT', 'X1A 2P7'), { kind: 'country', code: 'CA' });
  });

  it('names no country when the postal code belongs to none of the countries the value could be in', () => {
    // "CA" next to a Canadian postal code: the admin meant Canada, not California.
    assert.deepEqual(subdivisionCountry('CA', 'H2X 1Y4'), {
      kind: 'postal-mismatch',
      countries: ['US'],
    });
  });

  it('names no country for values it does not know, and reads German states only by name', () => {
    for (const state of ['', 'Lombardia', 'Île-de-France', 'XX', 'BY', 'Amazonas', 'Europe'])
      assert.deepEqual(subdivisionCountry(state), { kind: 'unknown' }, state);
  });
});
