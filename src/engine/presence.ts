/**
 * Omni-Channel ↔ Aircall presence rules. Omni → Aircall: which Aircall availability a rep's new
 * Omni status means. Phone → Omni in Default mode: which of the org's statuses a phone state sets
 * (the planner publishes it from user.* and call events).
 */
import type { PhoneEvent, PresenceStatus, Settings, StatusMapping } from './types';
// The default rules' one copy, shared with the components (an LWC bundle cannot import from src).
import * as shared from '../../force-app/main/default/lwc/aircallUtils/presenceRules';

export interface AircallAvailability {
  availability_status: 'available' | 'unavailable' | 'custom';
  substatus?: string;
}

/**
 * Default mode's reading of a status (the rule the omniStatusMapper component shows admins, from the
 * same code): a status whose API name or label says Online or Available (and not Unavailable or
 * Offline) is available; any other is not.
 */
export function isAvailableStatus(
  status: Pick<PresenceStatus, 'developerName' | 'label'>,
): boolean {
  return shared.isAvailableStatus(status);
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
export const DEFAULT_PHONE_TO_OMNI: Readonly<Record<PhoneEvent, string>> =
  shared.DEFAULT_PHONE_TO_OMNI;

/**
 * Default mode, phone → Omni, among the org's statuses: being available on the phone sets the
 * org's available status (one named Available or Online first), ringing, in a call or in
 * after-call work the status named Busy (by API name or label). Returns the DeveloperName, or
 * what is missing.
 */
export function defaultOmniStatus(
  phoneEvent: PhoneEvent,
  statuses: readonly PresenceStatus[],
): { status: string } | { missing: string } {
  const resolved = shared.defaultOmniStatus(phoneEvent, statuses) ?? { missing: phoneEvent };
  return 'status' in resolved ? { status: resolved.status.developerName } : resolved;
}
