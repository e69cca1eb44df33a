/**
 * Bulk API 2.0 (Bulk API 2.0 and Bulk API Developer Guide): `/services/data/vXX.X/jobs/ingest…`
 * and `/jobs/query…`, the jobs themselves being `../bulk.ts`. Bodies arrive as text: JSON for job
 * requests, CSV for uploads; results leave as CSV.
 */
import { handleBulk } from '../bulk-routes';
import { notFound, type Reply, type RouteRequest } from '../http';

/** Any method on `/jobs/*` (the route's `rest` parameter is the path after `jobs/`). */
export function bulk({ org, method, params, url, body, version }: RouteRequest): Reply {
  const segs = (params.rest ?? '').split('/').filter((s) => s !== '');
  const reply = handleBulk(
    org.bulk,
    method,
    segs,
    url.searchParams,
    typeof body === 'string' ? body : '',
    version,
  );
  if (!reply) throw notFound();
  return reply;
}
