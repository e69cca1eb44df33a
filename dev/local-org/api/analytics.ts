/**
 * Reports and Dashboards REST API (`/services/data/vXX.X/analytics/...`): list, describe and run
 * the package's reports synchronously, list dashboards and read a dashboard's results. The
 * computation is in ../reports.ts.
 */
import { SfError } from '../errors';
import type { Reply, RouteRequest } from '../http';
import { userLanguage } from './sobjects';

/** GET /analytics/reports */
export function listReports({ org, version }: RouteRequest): Reply {
  return { status: 200, body: org.analytics.list(version) };
}

/** GET /analytics/reports/{id}/describe */
export function describeReport({ org, params, version }: RouteRequest): Reply {
  return { status: 200, body: org.analytics.describe(params.id!, version, userLanguage(org)) };
}

/**
 * GET|POST /analytics/reports/{id}[?includeDetails=true] (Execute Sync). A POST may carry the
 * report's own metadata back; changing filters, groupings or aggregates on the fly is not served
 * here, and is refused rather than ignored.
 */
export function runReport({ org, params, version, url, body, method }: RouteRequest): Reply {
  if (method === 'POST' && body && typeof body === 'object' && 'reportMetadata' in body)
    throw new SfError(
      'BAD_REQUEST',
      'The local org runs reports as saved; changing their metadata in a POST is not served.',
      [],
      400,
    );
  const includeDetails = url.searchParams.get('includeDetails') === 'true';
  return {
    status: 200,
    body: org.analytics.run(params.id!, version, userLanguage(org), includeDetails),
  };
}

/** GET /analytics/dashboards */
export function listDashboards({ org, version }: RouteRequest): Reply {
  return { status: 200, body: { dashboards: org.analytics.dashboards(version) } };
}

/** GET /analytics/dashboards/{id} (Dashboard Results). */
export function dashboardResults({ org, params, version }: RouteRequest): Reply {
  return { status: 200, body: org.analytics.dashboard(params.id!, version, userLanguage(org)) };
}
