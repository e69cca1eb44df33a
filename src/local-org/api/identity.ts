/**
 * Org-level resources a client asks before anything else: the API versions served
 * (`GET /services/data`), the resources of one version (`GET /services/data/vXX.X`), the
 * allocation (`GET /limits`) and the OAuth user info (`GET /services/oauth2/userinfo`, what
 * `sf org login access-token` and @salesforce/core ask after a login).
 */
import { requireObject } from '../dml';
import type { Reply, RouteRequest } from '../http';

/**
 * Every version a current org serves, 31.0 (Summer '14) to 66.0 (Spring '26): real orgs keep
 * answering old versions, and clients pin them (jsforce defaults to 50.0, @salesforce/core asks
 * v51.0 for the user of a new login).
 */
export const VERSIONS: { version: string; label: string }[] = Array.from(
  { length: 66 - 31 + 1 },
  (_, i) => {
    const version = 31 + i;
    const k = 66 - version; // 0 = Spring '26, 1 = Winter '26, 2 = Summer '25, 3 = Spring '25 …
    const season = (['Spring', 'Winter', 'Summer'] as const)[k % 3]!;
    const year = (season === 'Summer' ? 25 : 26) - Math.floor(k / 3);
    return { version: `${version}.0`, label: `${season} '${String(year).padStart(2, '0')}` };
  },
);
export const LATEST = VERSIONS[VERSIONS.length - 1]!.version;

export const isServedVersion = (version: string): boolean =>
  VERSIONS.some((v) => v.version === version);

/** GET /services/data */
export function versions(): Reply {
  return {
    status: 200,
    body: VERSIONS.map((v) => ({
      label: v.label,
      url: `/services/data/v${v.version}`,
      version: v.version,
    })),
  };
}

/** GET /services/data/vXX.X */
export function resources({ version }: RouteRequest): Reply {
  const base = `/services/data/v${version}`;
  return {
    status: 200,
    body: {
      sobjects: `${base}/sobjects`,
      query: `${base}/query`,
      search: `${base}/search`,
      limits: `${base}/limits`,
      composite: `${base}/composite`,
    },
  };
}

/** GET /services/data/vXX.X/limits */
export function limits({ org }: RouteRequest): Reply {
  const used = org.allocation.used();
  return {
    status: 200,
    body: {
      DailyApiRequests: {
        Max: org.allocation.max,
        Remaining: Math.max(0, org.allocation.max - used),
      },
      ...org.eventAllocations.limitsResource(),
    },
  };
}

/** GET /services/oauth2/userinfo */
export function userinfo({ org }: RouteRequest): Reply {
  const user = org.store.get(requireObject(org.schema, 'User'), org.userId) as
    { Username?: string; Email?: string; Name?: string } | undefined;
  return {
    status: 200,
    body: {
      sub: `${org.instanceUrl}/id/${org.orgId}/${org.userId}`,
      user_id: org.userId,
      organization_id: org.orgId,
      preferred_username: user?.Username ?? 'integration@aircall-sfv.local',
      email: user?.Email ?? 'integration@aircall-sfv.local',
      name: user?.Name ?? 'Aircall Integration',
      urls: { rest: `${org.instanceUrl}/services/data/v{version}/` },
    },
  };
}
