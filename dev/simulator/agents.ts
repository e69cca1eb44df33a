/**
 * The simulator's default cast. Agents' e-mails match the Users of the local org's sample seed
 * (dev/local-org/seed/sample.json) and known numbers are the seed's phones as a caller would dial
 * them, so simulated traffic links to records out of the box.
 */

export interface SimAgent {
  id: number;
  name: string;
  email: string;
}

export interface SimLine {
  id: number;
  name: string;
  digits: string;
  country: string;
  time_zone: string;
}

export const DEFAULT_AGENTS: SimAgent[] = [
  { id: 900101, name: 'Camille Martin', email: 'camille.martin@aircall-demo.example' },
  { id: 900102, name: 'Lucas Bernard', email: 'lucas.bernard@aircall-demo.example' },
  { id: 900103, name: 'Emma Johnson', email: 'emma.johnson@aircall-demo.example' },
  { id: 900104, name: 'Noah Smith', email: 'noah.smith@aircall-demo.example' },
];

export const DEFAULT_LINES: SimLine[] = [
  {
    id: 7001,
    name: 'Paris Support',
    digits: '+33 1 84 88 00 00',
    country: 'FR',
    time_zone: 'Europe/Paris',
  },
  {
    id: 7002,
    name: 'US Sales',
    digits: '+1 415-555-0000',
    country: 'US',
    time_zone: 'America/Los_Angeles',
  },
];

/** Numbers of seeded Contacts, Leads and Accounts, written the way Aircall reports them in raw_digits. */
export const DEFAULT_KNOWN_NUMBERS: string[] = [
  '+1 415-555-0132', // Contact Alice Walker (Phone "(415) 555-0132")
  '+1 415-555-0177', // Contact Alice Walker (MobilePhone "415.555.0177")
  '+1 415-555-0100', // Account Acme + Contact Bob Stone: several matches
  '+33 1 23 45 67 89', // Account Globex + Contact Chloé Moreau
  '+33 6 12 34 56 78', // Contact Chloé Moreau (MobilePhone "0612345678"), converted Lead ignored
  '+33 6 98 76 54 32', // Contact Hugo Lefèvre
  '+1 212-555-0199', // Contact Peter Gibbons + Account Initech ("+1.212.555.0199")
  '+33 4 72 00 11 22', // Account + Contact Boulangerie Dupont
  '+44 20 7946 0958', // Account Umbrella + Contact Oliver Twist
  '+1 650-555-0123', // Lead Diane Nguyen
  '+33 7 81 22 33 44', // Lead Léa Garnier
  '+1 303-555-0186', // Lead Sam Rivera
  '+33 5 56 00 12 34', // Lead Thomas Roux
  '+1 720-555-0111', // two Leads with the same number
];

/** Numbers Aircall reports for calls that could not be placed. */
export const INVALID_NUMBERS: string[] = ['+33 1 23', '12', '+1 555', '+999 123456'];
