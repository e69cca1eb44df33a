/**
 * The one place where the package's API names meet the org's.
 *
 * Installed as a managed package, every custom object, field, relationship and platform event of
 * the package carries its namespace (`aircallsfv__Aircall_Voice__c`,
 * `Contact.aircallsfv__Aircall_Phone_Key__c`, `aircallsfv__Lead__r`,
 * `/event/aircallsfv__Aircall_Voice_Update__e`); deployed from source (`npm run deploy`) it has
 * none. The rules engine and the connector speak the names as written in `force-app` (the logical
 * names); the Salesforce client translates at its boundary with a `PackageNames`: SOQL/SOSL text,
 * record fields, external-id fields, nested external-id references and platform-event channels
 * on the way out, and the keys of every record on the way back. The engine stays pure and never
 * learns there is a namespace.
 *
 * Only the package's own components are prefixed: standard objects and fields, and an org's own
 * custom fields (e.g. `Contact.Work_Phone__c` in Extra_Phone_Fields__c), are left alone.
 */

/** Every custom field the package defines, by object (custom objects, events and standard objects). */
export const PACKAGE_FIELDS: Readonly<Record<string, readonly string[]>> = {
  Aircall_Voice__c: [
    'AI_Action_Items__c',
    'Call_Journey__c',
    'Call_Path__c',
    'Hold_Count__c',
    'Hold_Seconds__c',
    'Transcript__c',
    'Transfer_Count__c',
    'Transfers__c',
    'AI_Sentiment__c',
    'AI_Summary__c',
    'AI_Topics__c',
    'Account__c',
    'Agent__c',
    'Aircall_Call_Id__c',
    'Aircall_Line_Name__c',
    'Aircall_Line_Country__c',
    'Aircall_Link__c',
    'Aircall_Number__c',
    'Answered_At__c',
    'Answered__c',
    'Assigned_To__c',
    'Call_Type__c',
    'Case__c',
    'Comments__c',
    'Contact__c',
    'Customer_Number__c',
    'Direction__c',
    'Ended_At__c',
    'Handled_By_Me__c',
    'Last_Event_At__c',
    'Lead__c',
    'Local_Date__c',
    'Local_Hour__c',
    'Local_Weekday__c',
    'Match_Reason__c',
    'Linked_By__c',
    'Match_Candidates__c',
    'Missed_Reason__c',
    'Opportunity__c',
    'Outside_Business_Hours__c',
    'Recording_Url__c',
    'Ring_Seconds__c',
    'Started_At__c',
    'Status__c',
    'Tags__c',
    'Talk_Seconds__c',
    'Total_Seconds__c',
    'Voice_Call__c',
    'Voicemail_Url__c',
    'Wait_Seconds__c',
  ],
  Aircall_Agent_State__c: [
    'Call_Id__c',
    'Caller_Name__c',
    'Caller_Number__c',
    'Changed_At__c',
    'Phone_Event__c',
    'User_Key__c',
    'User__c',
  ],
  Aircall_Settings__c: [
    'Activity_Task__c',
    'Answered_Inbound_Action__c',
    'Answered_Outbound_Action__c',
    'Business_Hours_Id__c',
    'Callback_Window_Hours__c',
    'Case_Owner__c',
    'Create_Case_For__c',
    'Created_Lead_Source__c',
    'Created_Record_Owner__c',
    'Default_Country__c',
    'Extra_Phone_Fields__c',
    'Follow_Up_Owner_Id__c',
    'Link_To_Open_Case__c',
    'Link_To_Open_Opportunity__c',
    'Log_Calls__c',
    'Match_Order__c',
    'Missed_Inbound_Action__c',
    'Multiple_Matches__c',
    'Omni_Mapping_Mode__c',
    'Only_Log_Matched_Numbers__c',
    'Person_Account_Record_Type__c',
    'Recording_Destination__c',
    'Save_To_Phone__c',
    'Skip_Internal_Calls__c',
    'Task_Subject_Template__c',
    'Unanswered_Outbound_Action__c',
    'Unknown_Number_Action__c',
    'Voicemail_Action__c',
    'Voicemail_Destination__c',
  ],
  Aircall_Status_Mapping__c: [
    'Aircall_Availability__c',
    'Aircall_Substatus__c',
    'Direction__c',
    'Omni_Status__c',
    'Phone_Event__c',
  ],
  Aircall_Number_Link__c: ['Account__c', 'Contact__c', 'Lead__c', 'Phone_Key__c', 'Phone__c'],
  Aircall_Voice_Update__e: ['Aircall_Voice_Id__c', 'Call_Id__c', 'Change__c'],
  Aircall_Agent_Status__e: [
    'Call_Id__c',
    'Omni_Status__c',
    'Phone_Event__c',
    'Reason__c',
    'User_Id__c',
  ],
  Account: ['Aircall_Phone_Key__c'],
  Case: ['Aircall_Call_Id__c'],
  Contact: ['Aircall_Phone_Key__c'],
  Lead: ['Aircall_Phone_Key__c'],
  User: ['Aircall_User_Id__c'],
  VoiceCall: ['Aircall_Voice__c'],
  // Activity custom fields (force-app/.../objects/Activity) are fields of Task and of Event.
  Task: ['Aircall_Follow_Up_For__c', 'Aircall_Voice__c'],
  Event: ['Aircall_Follow_Up_For__c', 'Aircall_Voice__c'],
};

/** Lookups of the package: relationship name → the object it points at (for paths and nested references). */
const RELATIONSHIPS: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  Aircall_Voice__c: {
    Account__r: 'Account',
    Agent__r: 'User',
    Case__r: 'Case',
    Contact__r: 'Contact',
    Lead__r: 'Lead',
    Opportunity__r: 'Opportunity',
    Voice_Call__r: 'VoiceCall',
  },
  VoiceCall: { Aircall_Voice__r: 'Aircall_Voice__c' },
  // Standard lookups of a created Case, written by external id to a record created for the number.
  Case: { Contact: 'Contact', Account: 'Account' },
  Task: { Aircall_Voice__r: 'Aircall_Voice__c' },
  Aircall_Agent_State__c: { User__r: 'User' },
};

const CUSTOM = /__(c|e|r)$/;
/** The package's custom objects and platform events. */
export const PACKAGE_OBJECTS: readonly string[] = Object.keys(PACKAGE_FIELDS).filter((o) =>
  CUSTOM.test(o),
);

/** A namespace prefix as Salesforce allows it: letters and digits, starting with a letter, ≤ 15. */
const NAMESPACE = /^[A-Za-z][A-Za-z0-9]{0,14}$/;

export class PackageNames {
  /** `aircallsfv__`, or '' for an unprefixed deploy. */
  readonly prefix: string;

  constructor(readonly namespace = '') {
    if (namespace !== '' && !NAMESPACE.test(namespace)) {
      throw new Error(
        `"${namespace}" is not a namespace prefix: use letters and digits only, starting with a letter (e.g. aircallsfv), or nothing for an unprefixed deploy.`,
      );
    }
    this.prefix = namespace ? `${namespace}__` : '';
  }

  /** The unprefixed names (a developer deploy). */
  static readonly NONE = new PackageNames('');

  private isPackageField(object: string, field: string): boolean {
    const logicalObject = this.logical(object);
    // A custom Contact field is on a Person Account as `…__pc` (the package's Contact field
    // `Aircall_Phone_Key__c` is `Account.aircallsfv__Aircall_Phone_Key__pc`).
    if (logicalObject === 'Account' && field.endsWith('__pc'))
      return PACKAGE_FIELDS.Contact!.includes(field.replace(/__pc$/, '__c'));
    const own = PACKAGE_FIELDS[logicalObject];
    if (!own) return false;
    const asField = field.endsWith('__r') ? field.replace(/__r$/, '__c') : field;
    return own.includes(asField);
  }

  /** The org's name of an object: package objects and events prefixed, others as they are. */
  object(name: string): string {
    if (!this.prefix || !PACKAGE_OBJECTS.includes(name)) return name;
    return this.prefix + name;
  }

  /** `Aircall_Voice__c` back from `aircallsfv__Aircall_Voice__c` (any name the org sends). */
  logical(name: string): string {
    return this.prefix && name.startsWith(this.prefix) ? name.slice(this.prefix.length) : name;
  }

  /**
   * The org's name of a field or relationship path on `object` (logical name):
   * `field('Aircall_Voice__c', 'Lead__r.Aircall_Phone_Key__c')` →
   * `aircallsfv__Lead__r.aircallsfv__Aircall_Phone_Key__c`.
   */
  field(object: string, path: string): string {
    if (!this.prefix) return path;
    let current: string | undefined = this.logical(object);
    return path
      .split('.')
      .map((part) => {
        const mapped = current && this.isPackageField(current, part) ? this.prefix + part : part;
        current = current ? RELATIONSHIPS[current]?.[part] : undefined;
        return mapped;
      })
      .join('.');
  }

  /** Streaming channel of a package platform event: `/event/aircallsfv__Aircall_Voice_Update__e`. */
  channel(event: string): string {
    return `/event/${this.object(event)}`;
  }

  /** A record to write: its keys (and nested external-id references) in the org's names. */
  record<T extends Record<string, unknown>>(object: string, record: T): T {
    if (!this.prefix) return record;
    const out: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(record)) {
      if (key === 'attributes' && value && typeof value === 'object') {
        const attributes = value as { type?: string };
        out.attributes = {
          ...attributes,
          ...(attributes.type ? { type: this.object(attributes.type) } : {}),
        };
        continue;
      }
      // A polymorphic reference (Task `Who`, `What`) names its object in its own attributes.
      const typed =
        value && typeof value === 'object' && !Array.isArray(value)
          ? (value as { attributes?: { type?: string } }).attributes?.type
          : undefined;
      const target = RELATIONSHIPS[this.logical(object)]?.[key] ?? typed;
      out[this.field(object, key)] =
        target && value && typeof value === 'object' && !Array.isArray(value)
          ? this.record(target, value as Record<string, unknown>)
          : value;
    }
    return out as T;
  }

  /** A record written with `attributes.type` (collections create): typed by its own attributes. */
  typedRecord<T extends Record<string, unknown> & { attributes: { type: string } }>(record: T): T {
    return this.record(record.attributes.type, record);
  }

  /** Anything the org sent back (records, nested records, arrays): keys and types unprefixed. */
  fromOrg<T>(value: T): T {
    if (!this.prefix) return value;
    const strip = (v: unknown): unknown => {
      if (Array.isArray(v)) return v.map(strip);
      if (!v || typeof v !== 'object') return v;
      const out: Record<string, unknown> = {};
      for (const [key, inner] of Object.entries(v as Record<string, unknown>)) {
        if (key === 'attributes' && inner && typeof inner === 'object') {
          const attributes = inner as { type?: string };
          out.attributes = {
            ...attributes,
            ...(attributes.type ? { type: this.logical(attributes.type) } : {}),
          };
        } else {
          out[this.logical(key)] = strip(inner);
        }
      }
      return out;
    };
    return strip(value) as T;
  }

  /**
   * SOQL or SOSL text in the org's names. Field names are read in the context of their object: the
   * FROM object of a SOQL query, each `Object(…)` of a SOSL RETURNING clause; quoted strings and
   * the FIND {…} text are left alone.
   */
  query(text: string): string {
    if (!this.prefix) return text;
    const returning = /\bRETURNING\b/i.exec(text);
    if (/^\s*FIND\b/i.test(text) && returning) {
      const head = text.slice(0, returning.index + returning[0].length);
      const tail = text
        .slice(returning.index + returning[0].length)
        .replace(
          /([A-Za-z][A-Za-z0-9_]*)(\s*\()([^)]*)(\))/g,
          (_m, object: string, open: string, inner: string, close: string) =>
            `${this.object(object)}${open}${this.names(inner, object)}${close}`,
        );
      return head + tail;
    }
    const from = /\bFROM\s+([A-Za-z][A-Za-z0-9_]*)/i.exec(text);
    if (!from) return text;
    const object = this.logical(from[1]!);
    return this.names(text, object);
  }

  /** Identifier paths outside quoted strings, translated as fields of `object` (or objects). */
  private names(text: string, object: string): string {
    return text.replace(
      /'(?:\\.|[^'\\])*'|\{[^}]*\}|\b[A-Za-z][A-Za-z0-9_]*(?:\.[A-Za-z][A-Za-z0-9_]*)*\b/g,
      (token) => {
        if (token.startsWith("'") || token.startsWith('{')) return token;
        if (!token.includes('.') && PACKAGE_OBJECTS.includes(token)) {
          // An object name (FROM, TYPEOF) unless it is also one of this object's fields.
          return this.isPackageField(object, token) ? this.prefix + token : this.object(token);
        }
        return this.field(object, token);
      },
    );
  }
}
