/**
 * GraphQL queries more than one component runs, written once. A component wires one as
 * `@wire(graphql, { query: PRESENCE_STATUSES_QUERY, operationName: PRESENCE_STATUSES_OPERATION })`
 * and reads the result with the function beside it. Queries of custom objects alias every custom
 * name to itself, as the components' own queries do: the platform adds the package namespace to
 * them once installed, and the aliases keep the response keys as written ("Use a Namespace and
 * Alias in Managed Packages", GraphQL API Developer Guide).
 */
import { gql } from 'lightning/graphql';

interface ValueOf<T> {
  value: T | null;
}

// ----- Omni-Channel presence statuses ------------------------------------------------------------

/** The org's Omni-Channel presence statuses (API name and label), by label. */
export const PRESENCE_STATUSES_QUERY = gql`
  query omniPresenceStatuses {
    uiapi {
      query {
        ServicePresenceStatus(first: 200, orderBy: { MasterLabel: { order: ASC } }) {
          edges {
            node {
              Id
              DeveloperName {
                value
              }
              MasterLabel {
                value
              }
            }
          }
        }
      }
    }
  }
`;
export const PRESENCE_STATUSES_OPERATION = 'omniPresenceStatuses';

export interface PresenceStatusNode {
  Id: string;
  DeveloperName: ValueOf<string>;
  MasterLabel: ValueOf<string>;
}
export interface PresenceStatusesQuery {
  uiapi: { query: { ServicePresenceStatus: { edges: { node: PresenceStatusNode }[] } } };
}

/** A presence status as the components and the engine's rules name it. */
export interface PresenceStatusRow {
  id: string;
  developerName: string;
  label: string;
}

/**
 * The statuses a result holds (the label falls back to the API name, that to the Id), or undefined while there is
 * no data (still loading, or refused: see `result.errors`).
 */
export function presenceStatuses(
  result: { data?: PresenceStatusesQuery } | undefined,
): PresenceStatusRow[] | undefined {
  const edges = result?.data?.uiapi.query.ServicePresenceStatus.edges;
  if (!edges) return undefined;
  return edges.map(({ node }) => {
    const developerName = node.DeveloperName.value ?? node.Id;
    return { id: node.Id, developerName, label: node.MasterLabel.value ?? developerName };
  });
}
