/**
 * Salesforce-shaped record ids: 3-character key prefix, pod/instance characters, a base-62 counter,
 * and the 3-character case-safe suffix that turns the 15-character id into the 18-character one.
 */
const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const SUFFIX_CHARS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ012345';

/** The checksum Salesforce appends so ids survive case-insensitive systems. */
export function caseSafeSuffix(id15: string): string {
  let suffix = '';
  for (let chunk = 0; chunk < 3; chunk++) {
    let bits = 0;
    for (let i = 0; i < 5; i++) {
      const c = id15.charCodeAt(chunk * 5 + i);
      if (c >= 65 && c <= 90) bits |= 1 << i;
    }
    suffix += SUFFIX_CHARS[bits];
  }
  return suffix;
}

export function to18(id: string): string {
  return id.length === 15 ? id + caseSafeSuffix(id) : id;
}

export function makeId(keyPrefix: string, counter: number): string {
  let n = counter;
  let digits = '';
  for (let i = 0; i < 8; i++) {
    digits = BASE62[n % 62]! + digits;
    n = Math.floor(n / 62);
  }
  // "5g" mimics a pod identifier, "0000" the reserved characters real ids carry.
  return to18(`${keyPrefix}5g00${digits}`);
}

const ID_PATTERN = /^[a-zA-Z0-9]{15}(?:[A-Z0-5]{3})?$/;

/** Normalizes a 15- or 18-character id to 18 characters; undefined when it is not an id at all. */
export function normalizeId(value: string): string | undefined {
  if (!ID_PATTERN.test(value)) return undefined;
  const id15 = value.slice(0, 15);
  return id15 + caseSafeSuffix(id15);
}
