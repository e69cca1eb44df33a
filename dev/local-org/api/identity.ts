/**
 * Org-level resources a client asks before anything else: the API versions served
 * (`GET /services/data`), the resources of one version (`GET /services/data/vXX.X`), the
 * allocation (`GET /limits`) and the OAuth user info (`GET /services/oauth2/userinfo`, what
 * `sf org login access-token` and @salesforce/core ask after a login).
 */
import { requireObject } from '../dml';
import { bearer } from '../http';
import { normalizeId } from '../ids';
import { DEFAULT_LIMITS, KB_PER_RECORD } from '../limits';
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

/** GET /services/data/vXX.X: the resources of one version (REST API Developer Guide, "Resources by Version"). */
export function resources({ org, version }: RouteRequest): Reply {
  const base = `/services/data/v${version}`;
  const body: Record<string, string> = {};
  // Only the resources the local org serves: a client following a link never meets a 404.
  for (const name of [
    'sobjects',
    'query',
    'queryAll',
    'search',
    'composite',
    'limits',
    'recent',
    'tabs',
    'theme',
  ]) {
    body[name] = `${base}/${name}`;
  }
  // The identity URL is the login host's `/id/{orgId}/{userId}` (here: the local org itself).
  body.identity = `${org.instanceUrl}/id/${org.orgId}/${org.userId}`;
  return { status: 200, body };
}

/** GET /services/data/vXX.X/limits: every documented key, Max and Remaining (see limits.ts). */
export function limits({ org }: RouteRequest): Reply {
  const used = org.allocation.used();
  const body: Record<string, { Max: number; Remaining: number }> = {};
  for (const [name, max] of Object.entries(DEFAULT_LIMITS))
    body[name] = { Max: max, Remaining: max };
  let records = 0;
  for (const obj of org.schema.objects.values()) records += org.store.table(obj).size;
  const storage = body.DataStorageMB!;
  storage.Remaining = Math.max(0, storage.Max - Math.ceil((records * KB_PER_RECORD) / 1024));
  for (const [name, v] of Object.entries(org.opts.limits ?? {})) {
    body[name] = { Max: v.Max, Remaining: v.Remaining ?? v.Max };
  }
  Object.assign(body, org.eventAllocations.limitsResource(), org.bulk.limits(), {
    DailyApiRequests: {
      Max: org.allocation.max,
      Remaining: Math.max(0, org.allocation.max - used),
    },
  });
  return { status: 200, body };
}

/**
 * GET /id/{orgId}/{userId} (Salesforce Help, "Identity URLs"): the user's identity, for the session
 * in the Authorization header or the `oauth_token` parameter; 403 Bad_OAuth_Token otherwise.
 */
export function identityUrl({ org, params, url, http }: RouteRequest): Reply {
  const token =
    (http ? bearer(http.req) : undefined) ?? url.searchParams.get('oauth_token') ?? undefined;
  if (token !== org.accessToken) return { status: 403, body: 'Bad_OAuth_Token' };
  if (normalizeId(params.orgId!) !== org.orgId || normalizeId(params.userId!) !== org.userId) {
    return { status: 404, body: 'Not Found' };
  }
  const u = (org.store.get(requireObject(org.schema, 'User'), org.userId) ?? {}) as Record<
    string,
    unknown
  >;
  const base = `${org.instanceUrl}/services/data/v{version}`;
  const id = `${org.instanceUrl}/id/${org.orgId}/${org.userId}`;
  return {
    status: 200,
    body: {
      id,
      asserted_user: true,
      user_id: org.userId,
      organization_id: org.orgId,
      username: u.Username ?? null,
      nick_name: u.CommunityNickname ?? u.Alias ?? null,
      display_name: u.Name ?? null,
      email: u.Email ?? null,
      email_verified: true,
      first_name: u.FirstName ?? null,
      last_name: u.LastName ?? null,
      timezone: u.TimeZoneSidKey ?? null,
      photos: {
        picture: `${org.instanceUrl}/profilephoto/005/F`,
        thumbnail: `${org.instanceUrl}/profilephoto/005/T`,
      },
      addr_street: u.Street ?? null,
      addr_city: u.City ?? null,
      addr_state: u.State ?? null,
      addr_country: u.Country ?? null,
      addr_zip: u.PostalCode ?? null,
      mobile_phone: u.MobilePhone ?? null,
      mobile_phone_verified: false,
      is_lightning_login_user: false,
      status: { created_date: null, body: null },
      urls: {
        enterprise: `${org.instanceUrl}/services/Soap/c/{version}/${org.orgId}`,
        metadata: `${org.instanceUrl}/services/Soap/m/{version}/${org.orgId}`,
        partner: `${org.instanceUrl}/services/Soap/u/{version}/${org.orgId}`,
        rest: `${base}/`,
        sobjects: `${base}/sobjects/`,
        search: `${base}/search/`,
        query: `${base}/query/`,
        recent: `${base}/recent/`,
        tooling_soap: `${org.instanceUrl}/services/Soap/T/{version}/${org.orgId}`,
        tooling_rest: `${base}/tooling/`,
        profile: `${org.instanceUrl}/${org.userId}`,
        feeds: `${base}/chatter/feeds`,
        groups: `${base}/chatter/groups`,
        users: `${base}/chatter/users`,
        feed_items: `${base}/chatter/feed-items`,
        feed_elements: `${base}/chatter/feed-elements`,
        custom_domain: org.instanceUrl,
      },
      active: u.IsActive !== false,
      user_type: 'STANDARD',
      language: u.LanguageLocaleKey ?? 'en_US',
      locale: u.LocaleSidKey ?? 'en_US',
      utcOffset: 0,
      last_modified_date: u.LastModifiedDate ?? null,
      is_app_installed: true,
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
      profile: `${org.instanceUrl}/${org.userId}`,
    },
  };
}
