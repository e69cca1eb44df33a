/**
 * State/province fields as admins type them ("California", "CA", "Ontario", "NSW", "Bavaria") →
 * the country they name, when they name exactly one.
 *
 * No library the product already uses lists subdivisions (i18n-iso-countries and libphonenumber-js
 * stop at countries), so this is a small table for the countries whose addresses most often carry a
 * state and no country. Sources: subdivision codes and names from ISO 3166-2 (ISO Online Browsing
 * Platform, https://www.iso.org/obp/ui/ — ISO 3166-2:US, :CA, :AU, :BR, :DE), English and local
 * names; postal code formats from Google's address metadata (libaddressinput,
 * https://chromium-i18n.appspot.com/ssl-address/data/US and /CA, /AU, /BR, /DE, field "zip").
 *
 * A bare code ("CA", "NSW") is read only for the countries whose postal services use the ISO code as
 * the state abbreviation in addresses (US, CA, AU, BR); "DE-BY" style full ISO codes are read for
 * every country here. A value that names subdivisions of two countries ("WA": Washington and
 * Western Australia; "MA": Massachusetts and Maranhão) names a country only when the address's
 * postal code fits exactly one of them; a postal code that fits none of them names none (a Canadian
 * postal code next to "CA" says the admin meant Canada, not California). Names that are also
 * subdivisions of countries not listed here (Amazonas, Distrito Federal) are left out rather than
 * guessed.
 */
import { foldCountryText } from './countries';

interface CountrySubdivisions {
  /** Postal code format (libaddressinput "zip"), matched against the whole trimmed value. */
  postal: RegExp;
  /** Whether a bare code ("CA") names the subdivision, not only the full ISO form ("US-CA"). */
  bareCodes: boolean;
  /** ISO 3166-2 code (after the hyphen) → names. */
  subdivisions: Readonly<Record<string, readonly string[]>>;
}

const TABLE: Readonly<Record<string, CountrySubdivisions>> = {
  US: {
    postal: /^\d{5}(?:[ -]\d{4})?$/,
    bareCodes: true,
    subdivisions: {
      AL: ['Alabama'],
      AK: ['Alaska'],
      AZ: ['Arizona'],
      AR: ['Arkansas'],
      CA: ['California', 'Californie', 'Kalifornien'],
      CO: ['Colorado'],
      CT: ['Connecticut'],
      DE: ['Delaware'],
      DC: ['District of Columbia', 'Washington DC', 'Washington D.C.'],
      FL: ['Florida', 'Floride'],
      GA: ['Georgia'],
      HI: ['Hawaii'],
      ID: ['Idaho'],
      IL: ['Illinois'],
      IN: ['Indiana'],
      IA: ['Iowa'],
      KS: ['Kansas'],
      KY: ['Kentucky'],
      LA: ['Louisiana', 'Louisiane'],
      ME: ['Maine'],
      MD: ['Maryland'],
      MA: ['Massachusetts'],
      MI: ['Michigan'],
      MN: ['Minnesota'],
      MS: ['Mississippi'],
      MO: ['Missouri'],
      MT: ['Montana'],
      NE: ['Nebraska'],
      NV: ['Nevada'],
      NH: ['New Hampshire'],
      NJ: ['New Jersey'],
      NM: ['New Mexico'],
      NY: ['New York', 'État de New York'],
      NC: ['North Carolina'],
      ND: ['North Dakota'],
      OH: ['Ohio'],
      OK: ['Oklahoma'],
      OR: ['Oregon'],
      PA: ['Pennsylvania', 'Pennsylvanie'],
      RI: ['Rhode Island'],
      SC: ['South Carolina'],
      SD: ['South Dakota'],
      TN: ['Tennessee'],
      TX: ['Texas'],
      UT: ['Utah'],
      VT: ['Vermont'],
      VA: ['Virginia', 'Virginie'],
      WA: ['Washington'],
      WV: ['West Virginia'],
      WI: ['Wisconsin'],
      WY: ['Wyoming'],
    },
  },
  CA: {
    postal: /^[ABCEGHJKLMNPRSTVXY]\d[ABCEGHJ-NPRSTV-Z] ?\d[ABCEGHJ-NPRSTV-Z]\d$/i,
    bareCodes: true,
    subdivisions: {
      AB: ['Alberta'],
      BC: ['British Columbia', 'Colombie-Britannique'],
      MB: ['Manitoba'],
      NB: ['New Brunswick', 'Nouveau-Brunswick'],
      NL: ['Newfoundland and Labrador', 'Terre-Neuve-et-Labrador', 'Newfoundland'],
      NS: ['Nova Scotia', 'Nouvelle-Écosse'],
      NT: ['Northwest Territories', 'Territoires du Nord-Ouest'],
      NU: ['Nunavut'],
      ON: ['Ontario'],
      PE: ['Prince Edward Island', 'Île-du-Prince-Édouard'],
      QC: ['Quebec', 'Québec'],
      SK: ['Saskatchewan'],
      YT: ['Yukon'],
    },
  },
  AU: {
    postal: /^\d{4}$/,
    bareCodes: true,
    subdivisions: {
      NSW: ['New South Wales'],
      VIC: ['Victoria'],
      QLD: ['Queensland'],
      SA: ['South Australia'],
      WA: ['Western Australia'],
      TAS: ['Tasmania'],
      NT: ['Northern Territory'],
      ACT: ['Australian Capital Territory'],
    },
  },
  BR: {
    postal: /^\d{5}-?\d{3}$/,
    bareCodes: true,
    subdivisions: {
      AC: ['Acre'],
      AL: ['Alagoas'],
      AP: ['Amapá'],
      BA: ['Bahia'],
      CE: ['Ceará'],
      ES: ['Espírito Santo'],
      GO: ['Goiás'],
      MA: ['Maranhão'],
      MT: ['Mato Grosso'],
      MS: ['Mato Grosso do Sul'],
      MG: ['Minas Gerais'],
      PA: ['Pará'],
      PB: ['Paraíba'],
      PR: ['Paraná'],
      PE: ['Pernambuco'],
      PI: ['Piauí'],
      RJ: ['Rio de Janeiro'],
      RN: ['Rio Grande do Norte'],
      RS: ['Rio Grande do Sul'],
      RO: ['Rondônia'],
      RR: ['Roraima'],
      SC: ['Santa Catarina'],
      SP: ['São Paulo'],
      SE: ['Sergipe'],
      TO: ['Tocantins'],
    },
  },
  DE: {
    postal: /^\d{5}$/,
    bareCodes: false,
    subdivisions: {
      BW: ['Baden-Württemberg'],
      BY: ['Bavaria', 'Bayern', 'Bavière', 'Baviera'],
      BE: ['Berlin'],
      BB: ['Brandenburg'],
      HB: ['Bremen'],
      HH: ['Hamburg'],
      HE: ['Hesse', 'Hessen'],
      MV: ['Mecklenburg-Vorpommern', 'Mecklenburg-Western Pomerania'],
      NI: ['Lower Saxony', 'Niedersachsen', 'Basse-Saxe'],
      NW: ['North Rhine-Westphalia', 'Nordrhein-Westfalen', 'Rhénanie-du-Nord-Westphalie'],
      RP: ['Rhineland-Palatinate', 'Rheinland-Pfalz'],
      SL: ['Saarland', 'Sarre'],
      SN: ['Saxony', 'Sachsen', 'Saxe'],
      ST: ['Saxony-Anhalt', 'Sachsen-Anhalt', 'Saxe-Anhalt'],
      SH: ['Schleswig-Holstein'],
      TH: ['Thuringia', 'Thüringen', 'Thuringe'],
    },
  },
};

let index: Map<string, Set<string>> | null = null;

/** Folded name or code → the countries that have a subdivision called so. */
function lookup(): Map<string, Set<string>> {
  if (index) return index;
  index = new Map();
  const add = (key: string, country: string) => {
    const folded = foldCountryText(key);
    const set = index!.get(folded) ?? new Set<string>();
    set.add(country);
    index!.set(folded, set);
  };
  for (const [country, { bareCodes, subdivisions }] of Object.entries(TABLE)) {
    for (const [code, names] of Object.entries(subdivisions)) {
      add(`${country}-${code}`, country);
      if (bareCodes) add(code, country);
      for (const name of names) add(name, country);
    }
  }
  return index;
}

/** What a state/province value says about the country of its address. */
export type SubdivisionVerdict =
  | { kind: 'country'; code: string }
  /** It names subdivisions of several countries, and the postal code does not pick one. */
  | { kind: 'ambiguous'; countries: string[] }
  /** It names a subdivision, but the postal code fits none of the countries it could be in. */
  | { kind: 'postal-mismatch'; countries: string[] }
  | { kind: 'unknown' };

/**
 * The country a state/province value names, narrowed by the address's postal code when it names
 * subdivisions of several countries (and checked against it when it names one).
 */
export function subdivisionCountry(
  state: string | null | undefined,
  postalCode?: string | null,
): SubdivisionVerdict {
  if (typeof state !== 'string' || state.trim() === '') return { kind: 'unknown' };
  const found = lookup().get(foldCountryText(state));
  if (!found) return { kind: 'unknown' };
  const countries = [...found].sort();
  const postal = typeof postalCode === 'string' ? postalCode.trim() : '';
  const fitting = postal ? countries.filter((c) => TABLE[c]!.postal.test(postal)) : countries;
  if (fitting.length === 1) return { kind: 'country', code: fitting[0]! };
  if (fitting.length === 0) return { kind: 'postal-mismatch', countries };
  return { kind: 'ambiguous', countries: fitting };
}
