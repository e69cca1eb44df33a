// Ambient types for the platform modules the Aircall components import. The platform provides these
// modules at runtime (sfdx-lwc-jest stubs them in tests); only the parts this package uses are typed.
// Shapes follow the User Interface API response bodies (Record, Object Info, Related List Records).

declare module '@salesforce/schema/*' {
  const ref: { objectApiName: string; fieldApiName: string };
  export default ref;
}

declare module 'lightning/uiRecordApi' {
  import type { WireAdapterConstructor } from 'lwc';

  export interface FieldValueRepresentation {
    value: unknown;
    displayValue: string | null;
  }
  export interface RecordRepresentation {
    apiName: string;
    id: string;
    fields: Record<string, FieldValueRepresentation>;
    lastModifiedDate?: string;
    systemModstamp?: string;
    recordTypeId?: string | null;
    childRelationships?: Record<string, unknown>;
    eTag?: string;
    weakEtag?: number;
  }
  export interface WireResult<T> {
    data?: T;
    error?: unknown;
  }
  export interface RecordInput {
    apiName?: string;
    fields: Record<string, unknown>;
  }
  type FieldRef = string | { objectApiName: string; fieldApiName: string };
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  export const getRecord: WireAdapterConstructor<
    Record<string, any>,
    WireResult<RecordRepresentation>
  >;
  export function getFieldValue(record: RecordRepresentation | undefined, field: FieldRef): unknown;
  export function getFieldDisplayValue(
    record: RecordRepresentation | undefined,
    field: FieldRef,
  ): string | null | undefined;
  export function createRecord(recordInput: RecordInput): Promise<RecordRepresentation>;
  export function updateRecord(recordInput: RecordInput): Promise<RecordRepresentation>;
  export function deleteRecord(recordId: string): Promise<void>;
  export function notifyRecordUpdateAvailable(items: { recordId: string }[]): Promise<void>;
}

declare module 'lightning/uiObjectInfoApi' {
  import type { WireAdapterConstructor } from 'lwc';

  export interface ObjectInfoRepresentation {
    apiName: string;
    label: string;
    labelPlural?: string;
    createable: boolean;
    updateable: boolean;
    deletable: boolean;
    queryable?: boolean;
    fields: Record<
      string,
      {
        apiName: string;
        label: string;
        updateable: boolean;
        createable: boolean;
        dataType?: string;
      }
    >;
    defaultRecordTypeId?: string | null;
    childRelationships?: {
      childObjectApiName: string;
      fieldName: string;
      relationshipName: string | null;
      junctionIdListNames?: string[];
      junctionReferenceTo?: string[];
    }[];
  }
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  export const getObjectInfo: WireAdapterConstructor<
    Record<string, any>,
    { data?: ObjectInfoRepresentation; error?: unknown }
  >;
  /** One result per object, each with its own status (an object the user cannot read: not 200). */
  export interface ObjectInfosRepresentation {
    results: { statusCode: number; result: ObjectInfoRepresentation | unknown }[];
  }
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  export const getObjectInfos: WireAdapterConstructor<
    Record<string, any>,
    { data?: ObjectInfosRepresentation; error?: unknown }
  >;
  export interface PicklistValuesRepresentation {
    defaultValue: { label: string; value: string } | null;
    values: { label: string; value: string; validFor?: number[]; attributes?: unknown }[];
  }
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  export const getPicklistValues: WireAdapterConstructor<
    Record<string, any>,
    { data?: PicklistValuesRepresentation; error?: unknown }
  >;
}

declare module 'lightning/uiRelatedListApi' {
  import type { WireAdapterConstructor } from 'lwc';
  import type { RecordRepresentation } from 'lightning/uiRecordApi';

  export interface RelatedListRecordCollection {
    count: number;
    currentPageToken?: string | null;
    currentPageUrl?: string;
    fields?: string[];
    listInfoETag?: string;
    listReference?: Record<string, unknown>;
    nextPageToken?: string | null;
    nextPageUrl?: string | null;
    optionalFields?: string[];
    pageSize?: number;
    previousPageToken?: string | null;
    previousPageUrl?: string | null;
    records: RecordRepresentation[];
    sortBy?: string[];
    where?: string;
  }
  export const getRelatedListRecords: WireAdapterConstructor<
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    Record<string, any>,
    { data?: RelatedListRecordCollection; error?: unknown }
  >;
}

declare module 'lightning/graphql' {
  import type { WireAdapterConstructor } from 'lwc';

  export interface GraphQLResult<T> {
    data?: T;
    errors?: { message: string }[];
    /** Present on lightning/graphql results: re-runs the query against the server. */
    refresh?: () => Promise<void>;
  }
  /** A parsed query; produced by the `gql` tag, opaque to components. */
  export type DocumentNode = object;
  export function gql(strings: TemplateStringsArray, ...values: unknown[]): DocumentNode;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  export const graphql: WireAdapterConstructor<Record<string, any>, GraphQLResult<any>>;
}

declare module 'lightning/empApi' {
  export interface EmpMessage<P = Record<string, unknown>> {
    channel: string;
    data: { schema?: string; payload: P; event?: { replayId?: number; EventUuid?: string } };
  }
  export interface EmpSubscription {
    id?: string;
    channel: string;
    replayId?: number;
  }
  export function subscribe<P = Record<string, unknown>>(
    channel: string,
    replayId: number,
    onMessage: (message: EmpMessage<P>) => void,
  ): Promise<EmpSubscription>;
  export function unsubscribe(
    subscription: EmpSubscription,
    callback?: (response: unknown) => void,
  ): Promise<unknown>;
  export function onError(callback: (error: unknown) => void): void;
  export function setDebugFlag(flag: boolean): Promise<unknown>;
  export function isEmpEnabled(): Promise<boolean>;
}

declare module 'lightning/platformShowToastEvent' {
  export interface ToastDetail {
    title: string;
    message: string;
    variant?: 'info' | 'success' | 'warning' | 'error';
    mode?: 'dismissible' | 'pester' | 'sticky';
  }
  export class ShowToastEvent extends CustomEvent<ToastDetail> {
    constructor(detail: ToastDetail);
  }
}

declare module 'lightning/navigation' {
  import type { LightningElement, WireAdapterConstructor } from 'lwc';

  export interface PageReference {
    type: string;
    attributes?: Record<string, unknown>;
    state?: Record<string, unknown>;
  }
  const Navigate: unique symbol;
  const GenerateUrl: unique symbol;
  export interface NavigationApi {
    [Navigate](pageReference: PageReference, replace?: boolean): void;
    [GenerateUrl](pageReference: PageReference): Promise<string>;
  }
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  type ElementClass = new (...args: any[]) => LightningElement;
  interface NavigationMixinFn {
    <T extends ElementClass>(
      base: T,
    ): (new (...args: ConstructorParameters<T>) => InstanceType<T> & NavigationApi) &
      Omit<T, 'prototype'>;
    readonly Navigate: typeof Navigate;
    readonly GenerateUrl: typeof GenerateUrl;
  }
  export const NavigationMixin: NavigationMixinFn;
  /** Wire adapter: the page the component is on (its `state` carries `c__` parameters). */
  export const CurrentPageReference: WireAdapterConstructor<Record<string, never>, PageReference>;
}

declare module '@salesforce/apex' {
  /** Re-provisions an LDS or Apex wire with fresh server data; pass the wired value itself. */
  export function refreshApex(wiredValue: unknown): Promise<void>;
}

declare module 'lightning/refresh' {
  /** Asks the page's refresh container to refresh every registered component. */
  export class RefreshEvent extends CustomEvent<undefined> {
    constructor();
  }
  export function registerRefreshHandler(
    element: EventTarget,
    handler: () => Promise<boolean> | boolean,
  ): number;
  export function unregisterRefreshHandler(id: number): void;
}

declare module '@salesforce/i18n/locale' {
  /** The user's locale, BCP 47 (en-US, es-ES). */
  const locale: string;
  export default locale;
}

declare module '@salesforce/user/Id' {
  const userId: string;
  export default userId;
}

/** Custom Labels (force-app/main/default/labels): the label's text in the user's language. */
declare module '@salesforce/label/*' {
  const label: string;
  export default label;
}
