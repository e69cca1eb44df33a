/**
 * Local-only endpoints under `/local/...`: they do not exist on a real org. Contact-center
 * discovery, request counters, fault injection, and Omni-Channel presence changes.
 */
import { requireObject, sfDateTime } from '../dml';
import { SfError } from '../errors';
import type { Reply, RouteRequest } from '../http';
import { normalizeId } from '../ids';
import type { Org } from '../runtime';
import type { Rec } from '../store';

/** GET /local/contact-center: what a connector needs to call the Telephony API. */
export function contactCenter({ org }: RouteRequest): Reply {
  return {
    status: 200,
    body: {
      telephonyBaseUrl: `${org.instanceUrl}/telephony/v1`,
      callCenterApiName: org.telephonyCfg.callCenterApiName,
      orgId: org.orgId,
      privateKeyPem: org.privateKeyPem,
    },
  };
}

/** GET /local/counters */
export function counters({ org }: RouteRequest): Reply {
  return {
    status: 200,
    body: { ...org.counters, apiUsage: org.allocation.used(), apiMax: org.allocation.max },
  };
}

/** POST /local/counters/reset */
export function resetCounters({ org }: RouteRequest): Reply {
  org.resetCounters();
  return { status: 200, body: { ...org.counters } };
}

/** GET /local/faults reads the fault configuration, POST replaces it. */
export function faults({ org, method, body }: RouteRequest): Reply {
  if (method === 'POST') org.faults.set(body ?? {});
  return { status: 200, body: org.faults.get() };
}

/** POST /local/presence `{userId, status, away?}` */
export function presence({ org, body }: RouteRequest): Reply {
  const b = (body ?? {}) as { userId?: unknown; status?: unknown; away?: unknown };
  if (typeof b.userId !== 'string' || !(typeof b.status === 'string' || b.status === null)) {
    throw new SfError(
      'INVALID_INPUT',
      'Send {"userId": "005…", "status": "<ServicePresenceStatus Id or DeveloperName>" or null for offline, "away": false}.',
    );
  }
  const id = setPresence(org, b.userId, b.status, { away: b.away === true });
  return { status: 200, body: { id } };
}

/**
 * What Omni-Channel does when a rep changes status in the browser — local-only: a real org has no
 * API for it (UserServicePresence is read-only there). The rep's open UserServicePresence record
 * is closed and, unless the rep goes offline (`status` null), a new current one is opened; both
 * changes are streamed as UserServicePresenceChangeEvent (UPDATE then CREATE), as in an org.
 * `status` is a ServicePresenceStatus Id or DeveloperName; `away` marks a Busy-type status.
 */
export function setPresence(
  org: Org,
  userId: string,
  status: string | null,
  opts: { away?: boolean } = {},
): string | null {
  const { schema, store } = org;
  const users = requireObject(schema, 'User');
  const statuses = requireObject(schema, 'ServicePresenceStatus');
  const presence = requireObject(schema, 'UserServicePresence');
  const uid = normalizeId(userId);
  if (!uid || !store.get(users, uid)) {
    throw new SfError('INVALID_CROSS_REFERENCE_KEY', `No User with id ${userId}.`, ['UserId']);
  }
  let statusId: string | null = null;
  if (status !== null) {
    const byId = normalizeId(status);
    const found =
      (byId ? store.get(statuses, byId) : undefined) ??
      [...store.table(statuses).values()].find(
        (r) => String(r.DeveloperName).toLowerCase() === status.toLowerCase(),
      );
    if (!found) {
      throw new SfError(
        'INVALID_CROSS_REFERENCE_KEY',
        `No ServicePresenceStatus with id or DeveloperName "${status}": use one from SELECT Id, DeveloperName FROM ServicePresenceStatus.`,
        ['ServicePresenceStatusId'],
      );
    }
    statusId = found.Id as string;
  }
  return org.unit(() => {
    const now = new Date();
    const stamp = sfDateTime(now);
    const system = { LastModifiedDate: stamp, SystemModstamp: stamp, LastModifiedById: uid };
    for (const rec of store.table(presence).values()) {
      if (rec.UserId !== uid || rec.IsCurrentState !== true) continue;
      const started = Date.parse(String(rec.StatusStartDate));
      const closed: Rec = {
        ...rec,
        ...system,
        IsCurrentState: false,
        StatusEndDate: stamp,
        StatusDuration: Number.isNaN(started)
          ? null
          : Math.max(0, Math.round((now.getTime() - started) / 1000)),
      };
      store.put(presence, closed, {
        type: 'UPDATE',
        changedFields: ['IsCurrentState', 'StatusEndDate', 'StatusDuration', 'LastModifiedDate'],
      });
    }
    if (statusId === null) return null;
    const id = store.nextId(presence);
    const rec: Rec = {};
    for (const f of presence.fields.values())
      rec[f.name] = f.defaultValue ?? (f.type === 'boolean' ? false : null);
    const fields: Rec = {
      Name: id,
      UserId: uid,
      ServicePresenceStatusId: statusId,
      IsCurrentState: true,
      IsAway: opts.away === true,
      StatusStartDate: stamp,
    };
    Object.assign(rec, fields, system, { Id: id, CreatedDate: stamp, CreatedById: uid });
    store.put(presence, rec, { type: 'CREATE', changedFields: Object.keys(fields) });
    return id;
  });
}
