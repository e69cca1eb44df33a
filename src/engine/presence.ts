/**
 * Omni-Channel ↔ Aircall presence rules. Omni → Aircall: which Aircall availability a rep's new
 * Omni status means. Phone → Omni in Default mode: which of the org's statuses a phone state sets
 * (the planner publishes it from user.* and call events).
 */
import type { PhoneEvent, PresenceStatus, Settings, StatusMapping } from './types';

export interface AircallAvailability {
  availability_status: 'available' | 'unavailable' | 'custom';
  substatus?: string;
}

/**
 * Default mode's reading of a status, the same rule as the omniStatusMapper LWC shows admins: a
 * status whose API name or label says Online or Available (and not Unavailable or Offline) is
 * available; any other is not.
 */
export function isAvailableStatus(
  status: Pick<PresenceStatus, 'developerName' | 'label'>,
): boolean {
  const text = `${status.developerName} ${status.label}`;
  return /online|available/i.test(text) && !/unavailable|offline/i.test(text);
}

function findStatus(name: string, statuses: readonly PresenceStatus[]): PresenceStatus | undefined {
  const key = name.toLowerCase();
  return statuses.find((s) => s.developerName.toLowerCase() === key);
}

/**
 * "Default" mode: with the org's statuses, an Online or Available status (see isAvailableStatus)
 * makes the rep available in Aircall, anything else (Busy, Away, offline) unavailable; without
 * them, only a status named Online counts as available. "Custom" uses the admin's "Omni to
 * Aircall" rules; a status without a rule returns null (leave Aircall as it is).
 */
export function aircallAvailabilityFor(
  omniStatus: string | null,
  settings: Settings,
  mappings: readonly StatusMapping[],
  presenceStatuses?: readonly PresenceStatus[],
): AircallAvailability | null {
  if (settings.omniMappingMode === 'Default') {
    if (omniStatus === null) return { availability_status: 'unavailable' };
    const available = presenceStatuses
      ? isAvailableStatus(
          findStatus(omniStatus, presenceStatuses) ?? { developerName: omniStatus, label: '' },
        )
      : /^online$/i.test(omniStatus);
    return { availability_status: available ? 'available' : 'unavailable' };
  }
  if (omniStatus === null) return { availability_status: 'unavailable' };
  const key = omniStatus.toLowerCase();
  const rule = mappings.find(
    (m) => m.direction === 'Omni to Aircall' && m.omniStatus.toLowerCase() === key,
  );
  if (!rule?.aircallAvailability) return null;
  return {
    availability_status: rule.aircallAvailability,
    ...(rule.aircallSubstatus ? { substatus: rule.aircallSubstatus } : {}),
  };
}

/** Default mode without the org's statuses (older callers): Omni's two default state names. */
export const DEFAULT_PHONE_TO_OMNI: Record<PhoneEvent, string> = {
  Ringing: 'Busy',
  'In Call': 'Busy',
  'After-Call Work': 'Busy',
  Available: 'Online',
};

const byName = (name: string) => (s: PresenceStatus) =>
  s.developerName.toLowerCase() === name || s.label.toLowerCase() === name;

/**
 * Default mode, phone → Omni, among the org's statuses: being available on the phone sets the
 * org's available status (one named Available or Online first), ringing, in a call or in
 * after-call work the status named Busy. Returns the DeveloperName, or what is missing.
 */
export function defaultOmniStatus(
  phoneEvent: PhoneEvent,
  statuses: readonly PresenceStatus[],
): { status: string } | { missing: string } {
  if (phoneEvent === 'Available') {
    const status =
      statuses.find(byName('available')) ??
      statuses.find(byName('online')) ??
      statuses.find(isAvailableStatus);
    return status ? { status: status.developerName } : { missing: 'Available (or Online)' };
  }
  const busy = statuses.find(byName('busy'));
  return busy ? { status: busy.developerName } : { missing: 'Busy' };
}
