/**
 * What the mapper reads: its GraphQL query of the saved rules and mode, and the answers turned into
 * plain values (no DOM).
 */
import { gql } from 'lightning/graphql';
import { formatLabel, isAccessError, reduceErrors } from 'c/aircallUtils';
import { LABELS } from './labels';
import type { Mapping, Mode } from './mapping';

interface ValueOf<T> {
  value: T | null;
}
/**
 * The saved rules and the mode. Aliases keep the response keys as written here when the platform
 * namespaces the query's custom object and fields (see aircallSettings).
 */
export const MAPPINGS_QUERY = gql`
  query aircallStatusMappings {
    uiapi {
      query {
        Aircall_Status_Mapping__c: Aircall_Status_Mapping__c(first: 500) {
          edges {
            node {
              Id
              Direction__c: Direction__c {
                value
              }
              Omni_Status__c: Omni_Status__c {
                value
              }
              Aircall_Availability__c: Aircall_Availability__c {
                value
              }
              Aircall_Substatus__c: Aircall_Substatus__c {
                value
              }
              Phone_Event__c: Phone_Event__c {
                value
              }
            }
          }
        }
        Aircall_Settings__c: Aircall_Settings__c(
          first: 1
          orderBy: { CreatedDate: { order: ASC } }
        ) {
          edges {
            node {
              Id
              Omni_Mapping_Mode__c: Omni_Mapping_Mode__c {
                value
              }
            }
          }
        }
      }
    }
  }
`;

interface MappingNode {
  Id: string;
  Direction__c: ValueOf<string>;
  Omni_Status__c: ValueOf<string>;
  Aircall_Availability__c: ValueOf<string>;
  Aircall_Substatus__c: ValueOf<string>;
  Phone_Event__c: ValueOf<string>;
}
export interface MappingQuery {
  uiapi: {
    query: {
      Aircall_Status_Mapping__c: { edges: { node: MappingNode }[] };
      Aircall_Settings__c: {
        edges: { node: { Id: string; Omni_Mapping_Mode__c: ValueOf<string> } }[];
      };
    };
  };
}
export function mappingsOf(data: MappingQuery | undefined): Mapping[] {
  return (data?.uiapi.query.Aircall_Status_Mapping__c.edges ?? []).map(({ node }) => ({
    id: node.Id,
    direction: node.Direction__c.value ?? '',
    omniStatus: node.Omni_Status__c.value ?? '',
    availability: node.Aircall_Availability__c.value ?? '',
    substatus: node.Aircall_Substatus__c.value ?? '',
    phoneEvent: node.Phone_Event__c.value ?? '',
  }));
}

/** The settings record's id and saved mode (Default while no settings record exists). */
export function settingsOf(data: MappingQuery | undefined): { id?: string; mode: Mode } {
  const node = data?.uiapi.query.Aircall_Settings__c.edges[0]?.node;
  return {
    id: node?.Id,
    mode: node?.Omni_Mapping_Mode__c.value === 'Custom' ? 'Custom' : 'Default',
  };
}

/** Why the mapper cannot be shown, if it cannot: no access, or a failed read. */
export function loadErrorText(
  objectInfoError: unknown,
  mappingErrors: readonly { message: string }[] | undefined,
): string | undefined {
  if (objectInfoError) {
    return isAccessError(objectInfoError)
      ? LABELS.accessError
      : formatLabel(LABELS.loadError, reduceErrors(objectInfoError).join(' '));
  }
  if (mappingErrors?.length) {
    return formatLabel(LABELS.loadError, mappingErrors.map((e) => e.message).join(' '));
  }
  return undefined;
}
