/**
 * The settings panel's queries. Aliases keep the response keys as written here: the platform adds
 * the package namespace to the custom object and fields of a query when the component is deployed
 * in a namespace, and the aliases stop that from renaming the keys read back ("Use a Namespace and
 * Alias in Managed Packages", GraphQL API Developer Guide).
 */
import { gql } from 'lightning/graphql';

interface ValueOf<T> {
  value: T | null;
}

/** The oldest settings record (the one the connector reads). */
export const SETTINGS_QUERY = gql`
  query aircallSettings {
    uiapi {
      query {
        Aircall_Settings__c: Aircall_Settings__c(
          first: 1
          orderBy: { CreatedDate: { order: ASC } }
        ) {
          edges {
            node {
              Id
              Log_Calls__c: Log_Calls__c {
                value
              }
              Business_Hours_Id__c: Business_Hours_Id__c {
                value
              }
              Unknown_Number_Action__c: Unknown_Number_Action__c {
                value
              }
              Match_Order__c: Match_Order__c {
                value
              }
              Multiple_Matches__c: Multiple_Matches__c {
                value
              }
              Save_To_Phone__c: Save_To_Phone__c {
                value
              }
              Recording_Destination__c: Recording_Destination__c {
                value
              }
              Voicemail_Destination__c: Voicemail_Destination__c {
                value
              }
              Omni_Mapping_Mode__c: Omni_Mapping_Mode__c {
                value
              }
              Default_Country__c: Default_Country__c {
                value
              }
              Activity_Task__c: Activity_Task__c {
                value
              }
              Answered_Inbound_Action__c: Answered_Inbound_Action__c {
                value
              }
              Answered_Outbound_Action__c: Answered_Outbound_Action__c {
                value
              }
              Missed_Inbound_Action__c: Missed_Inbound_Action__c {
                value
              }
              Voicemail_Action__c: Voicemail_Action__c {
                value
              }
              Unanswered_Outbound_Action__c: Unanswered_Outbound_Action__c {
                value
              }
              Task_Subject_Template__c: Task_Subject_Template__c {
                value
              }
              Follow_Up_Owner_Id__c: Follow_Up_Owner_Id__c {
                value
              }
              Callback_Window_Hours__c: Callback_Window_Hours__c {
                value
              }
              Only_Log_Matched_Numbers__c: Only_Log_Matched_Numbers__c {
                value
              }
              Skip_Internal_Calls__c: Skip_Internal_Calls__c {
                value
              }
              Link_To_Open_Case__c: Link_To_Open_Case__c {
                value
              }
              Link_To_Open_Opportunity__c: Link_To_Open_Opportunity__c {
                value
              }
              Create_Case_For__c: Create_Case_For__c {
                value
              }
              Case_Owner__c: Case_Owner__c {
                value
              }
              Person_Account_Record_Type__c: Person_Account_Record_Type__c {
                value
              }
              Extra_Phone_Fields__c: Extra_Phone_Fields__c {
                value
              }
              Created_Record_Owner__c: Created_Record_Owner__c {
                value
              }
              Created_Lead_Source__c: Created_Lead_Source__c {
                value
              }
            }
          }
        }
      }
    }
  }
`;

export type SettingsNode = { Id: string } & Record<string, ValueOf<unknown> | string | undefined>;
export interface SettingsQuery {
  uiapi: { query: { Aircall_Settings__c: { edges: { node: SettingsNode }[] } } };
}

/** The saved record's id and its field values, or undefined when there is no settings record. */
export function savedRecord(
  data: SettingsQuery,
): { id: string; values: Record<string, unknown> } | undefined {
  const node = data.uiapi.query.Aircall_Settings__c.edges[0]?.node;
  if (!node) return undefined;
  const values: Record<string, unknown> = {};
  for (const [field, cell] of Object.entries(node)) {
    if (cell && typeof cell === 'object' && 'value' in cell) values[field] = cell.value;
  }
  return { id: node.Id, values };
}

/** Separate from the settings query: if BusinessHours cannot be read, the rest still works. */
export const BUSINESS_HOURS_QUERY = gql`
  query aircallBusinessHours {
    uiapi {
      query {
        BusinessHours(
          first: 200
          where: { IsActive: { eq: true } }
          orderBy: { Name: { order: ASC } }
        ) {
          edges {
            node {
              Id
              Name {
                value
              }
              IsDefault {
                value
              }
              IsActive {
                value
              }
            }
          }
        }
      }
    }
  }
`;

export interface BusinessHoursNode {
  Id: string;
  Name: ValueOf<string>;
  IsDefault: ValueOf<boolean>;
  IsActive: ValueOf<boolean>;
}
export interface BusinessHoursQuery {
  uiapi: { query: { BusinessHours: { edges: { node: BusinessHoursNode }[] } } };
}

/**
 * The countries of the Aircall lines of the latest calls: the Default Country's placeholder, since
 * an empty setting means "the country of the line that took the call". Optional, like the above.
 */
export const LINE_COUNTRIES_QUERY = gql`
  query aircallLineCountries {
    uiapi {
      query {
        Aircall_Voice__c: Aircall_Voice__c(
          first: 50
          where: { Aircall_Line_Country__c: { ne: null } }
          orderBy: { CreatedDate: { order: DESC } }
        ) {
          edges {
            node {
              Aircall_Line_Country__c: Aircall_Line_Country__c {
                value
              }
            }
          }
        }
      }
    }
  }
`;

export interface LineCountriesQuery {
  uiapi: {
    query: {
      Aircall_Voice__c: { edges: { node: { Aircall_Line_Country__c: ValueOf<string> } }[] };
    };
  };
}

/** The distinct line countries of a result, sorted. */
export function lineCountries(data: LineCountriesQuery | undefined): string[] {
  const edges = data?.uiapi.query.Aircall_Voice__c.edges ?? [];
  const codes = edges.map((e) => e.node.Aircall_Line_Country__c.value).filter(Boolean);
  return [...new Set(codes as string[])].sort();
}
