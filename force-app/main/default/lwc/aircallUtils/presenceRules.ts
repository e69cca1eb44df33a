/**
 * Default mode of the Omni-Channel ↔ Aircall mapping, in one place: the components read them from
 * here (c/aircallUtils), and the connector's engine imports this file by path (src/engine/presence.ts;
 * an LWC bundle cannot import from src, the Node side can import from here). This file imports
 * nothing, so it runs the same in the browser and in Node.
 */
export interface NamedStatus {
  developerName: string;
  label: string;
}

/** The phone states that put a rep in the org's Busy status. */
export const BUSY_PHONE_EVENTS: readonly string[] = ['Ringing', 'In Call', 'After-Call Work'];

/**
 * Without the org's list of statuses: the names Omni-Channel's own statuses usually have (the
 * component offers them while it cannot read the list; the engine publishes them as they are).
 */
export const DEFAULT_PHONE_TO_OMNI = {
  Ringing: 'Busy',
  'In Call': 'Busy',
  'After-Call Work': 'Busy',
  Available: 'Online',
} as const;

/**
 * Omni → Aircall: a status whose API name or label says Online or Available (and not Unavailable
 * or Offline) makes the rep available in Aircall; any other unavailable.
 */
export function isAvailableStatus(status: NamedStatus): boolean {
  const text = `${status.developerName} ${status.label}`;
  return /online|available/i.test(text) && !/unavailable|offline/i.test(text);
}

const named =
  (name: string) =>
  (s: NamedStatus): boolean =>
    s.developerName.toLowerCase() === name || s.label.toLowerCase() === name;

/**
 * Phone → Omni, among the org's own statuses: Available sets the status named Available, else the
 * one named Online, else the first that counts as available; Ringing, In Call and After-Call Work
 * the status named Busy (by API name or label, any case: an org's "Busy" may have another API
 * name). `missing` names what the org lacks; null for a value that is not a phone event.
 */
export function defaultOmniStatus<S extends NamedStatus>(
  phoneEvent: string,
  statuses: readonly S[],
): { status: S } | { missing: string } | null {
  if (phoneEvent === 'Available') {
    const status =
      statuses.find(named('available')) ??
      statuses.find(named('online')) ??
      statuses.find(isAvailableStatus);
    return status ? { status } : { missing: 'Available (or Online)' };
  }
  if (!BUSY_PHONE_EVENTS.includes(phoneEvent)) return null;
  const busy = statuses.find(named('busy'));
  return busy ? { status: busy } : { missing: 'Busy' };
}
