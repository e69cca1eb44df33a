/**
 * The settings form (force-app/.../aircallSettings/settingsForm.ts) saves the ISO code it understood
 * a Default Country entry as; the engine (src/engine/countries.ts) reads the saved setting. They must
 * never disagree: a code the form saves is read as the same country, and an entry both understand
 * is understood as the same country.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { countryCode as formCountry } from '../../force-app/main/default/lwc/aircallSettings/settingsForm';
import { countryCode as engineCountry } from '../../src/engine/countries';

const ENTRIES = [
  'FR',
  'us',
  'GBR',
  'deu',
  'Spain',
  'España',
  'Espagne',
  'Germany',
  'Allemagne',
  'Alemania',
  'Deutschland',
  'Italy',
  'Italie',
  'Brasil',
  'Brazil',
  'Japan',
  'Japón',
  'Mexico',
  'México',
  'Netherlands',
  'Países Bajos',
  'Pays-Bas',
  'United States',
  'Estados Unidos',
  'USA',
  'UK',
  'Switzerland',
  'Suisse',
  'Schweiz',
  'Belgique',
  'België',
  'Portugal',
  'Canada',
  'Canadá',
  'Narnia',
  'Europe',
  'Atlantis',
];

describe('Default Country: the settings form and the engine agree', () => {
  it('saves only codes the engine reads as the same country', () => {
    for (const entry of ENTRIES) {
      const code = formCountry(entry);
      if (code) assert.equal(engineCountry(code), code, entry);
    }
  });

  it('understands an entry as the engine does, or refuses it', () => {
    const understood = ENTRIES.filter((e) => formCountry(e));
    assert.ok(understood.length >= 30, understood.join(', '));
    for (const entry of understood) {
      const theirs = engineCountry(entry);
      if (theirs) assert.equal(formCountry(entry), theirs, entry);
    }
    assert.deepEqual(['Narnia', 'Europe', 'Atlantis'].map(formCountry), [null, null, null]);
  });
});
