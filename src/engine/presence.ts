/**
 * Omni-Channel → Aircall: which Aircall availability a rep's new Omni status means. (The other
 * direction, phone → Omni, is planned by planBatch from user.* and call events.)
 */
import type { Settings, StatusMapping } from './types';

export interface AircallAvailability {
  availability_status: 'available' | 'unavailable' | 'custom';
  substatus?: string;
}

/**
 * "Default" mode follows Omni's two default states: Online makes the rep available in Aircall,
 * anything else (Busy, Away, offline) unavailable. "Custom" uses the admin's "Omni to Aircall"
 * rules; a status without a rule returns null (leave Aircall as it is).
 */
export function aircallAvailabilityFor(
  omniStatus: string | null,
  settings: Settings,
  mappings: readonly StatusMapping[],
): AircallAvailability | null {
  if (settings.omniMappingMode === 'Default') {
    return {
      availability_status:
        omniStatus !== null && /^online$/i.test(omniStatus) ? 'available' : 'unavailable',
    };
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
