/** sObject Tree: `POST /composite/tree/{type}` (see ../tree.ts). */
import type { Reply, RouteRequest } from '../http';
import { createTree } from '../tree';

export function tree({ org, params, body }: RouteRequest): Reply {
  return createTree(org.dmlContext(), params.type!, body, (fn) => org.transaction(fn));
}
