/**
 * The subset of Salesforce's User Interface API that the package's components read through Lightning
 * Data Service (`lightning/uiRecordApi`, `lightning/uiRelatedListApi`, `lightning/uiObjectInfoApi`),
 * answered from the org's REST API (describe, SOQL, sObject DML).
 *
 * Behaviour kept from the platform because the components depend on it:
 * - `fields` the user cannot read (absent from describe: field-level security hides them there)
 *   fail the whole request with `INVALID_FIELD`; `optionalFields` are silently dropped.
 * - Errors are UI API shaped: `{status, body}` with `body` an array of `{errorCode, message}` for
 *   reads and `{message, errorCode, output: {errors, fieldErrors}}` for writes.
 * - Relationship paths (`Agent__r.Name`) come back as nested record representations.
 * - Picklist fields carry their label as `displayValue`, in the user's language (describe is
 *   answered in the session user's language, with the package's object translations).
 *
 * Cost: one REST query per record read, two per related-list page (records + count), describes
 * once per object per console process.
 */
import { Rest, RestError, type RestErrorItem } from './rest';

export interface DescribeField {
  name: string;
  label: string;
  type: string;
  nillable: boolean;
  createable: boolean;
  updateable: boolean;
  calculated?: boolean;
  defaultedOnCreate?: boolean;
  referenceTo?: string[];
  relationshipName?: string | null;
  picklistValues?: {
    value: string;
    label?: string | null;
    active?: boolean;
    defaultValue?: boolean;
  }[];
  length?: number;
}

export interface Describe {
  name: string;
  label: string;
  labelPlural: string;
  keyPrefix: string | null;
  createable: boolean;
  updateable: boolean;
  deletable: boolean;
  queryable: boolean;
  fields: DescribeField[];
  childRelationships?: { childSObject: string; field: string; relationshipName: string | null }[];
}

export class UiApiError extends Error {
  constructor(
    readonly status: number,
    readonly body: unknown,
  ) {
    super(JSON.stringify(body));
  }
}

export interface FieldValue {
  value: unknown;
  displayValue: string | null;
}

export interface RecordRepresentation {
  apiName: string;
  id: string;
  fields: Record<string, FieldValue>;
  childRelationships: Record<string, unknown>;
  recordTypeId: string | null;
  recordTypeInfo: null;
  lastModifiedById: string | null;
  lastModifiedDate: string | null;
  systemModstamp: string | null;
  weakEtag: number;
  eTag: string;
}

const DATA_TYPES: Record<string, string> = {
  id: 'String',
  string: 'String',
  textarea: 'TextArea',
  picklist: 'Picklist',
  multipicklist: 'MultiPicklist',
  boolean: 'Boolean',
  int: 'Int',
  double: 'Double',
  currency: 'Currency',
  percent: 'Percent',
  date: 'Date',
  datetime: 'DateTime',
  time: 'Time',
  reference: 'Reference',
  email: 'Email',
  phone: 'Phone',
  url: 'Url',
};

function notFound(): UiApiError {
  return new UiApiError(404, [
    { errorCode: 'NOT_FOUND', message: 'The requested resource does not exist' },
  ]);
}

function invalidField(object: string, field: string): UiApiError {
  return new UiApiError(400, [
    {
      errorCode: 'INVALID_FIELD',
      message: `No such column '${field}' on entity '${object}'. If you are attempting to use a custom field, be sure to append the '__c' after the custom field name. Please reference your WSDL or the describe call for the appropriate names.`,
    },
  ]);
}

/** A REST DML failure as the UI API reports it to `createRecord`/`updateRecord`/`deleteRecord`. */
function writeError(error: unknown): unknown {
  if (error instanceof UiApiError) return error;
  if (!(error instanceof RestError)) return error;
  const errors: { errorCode: string; message: string }[] = [];
  const fieldErrors: Record<string, { errorCode: string; field: string; message: string }[]> = {};
  for (const e of error.errors) {
    if (e.fields?.length) {
      for (const field of e.fields) {
        (fieldErrors[field] ??= []).push({ errorCode: e.errorCode, field, message: e.message });
      }
    } else errors.push({ errorCode: e.errorCode, message: e.message });
  }
  const status = error.status === 404 ? 404 : error.status >= 500 ? error.status : 400;
  return new UiApiError(status, {
    message: 'An error occurred while trying to update the record. Please try again.',
    errorCode: error.errors[0]?.errorCode ?? 'UNKNOWN_EXCEPTION',
    output: { errors, fieldErrors },
  });
}

function readError(error: unknown): unknown {
  if (error instanceof RestError) {
    return new UiApiError(
      error.status,
      error.errors.map((e: RestErrorItem) => ({ errorCode: e.errorCode, message: e.message })),
    );
  }
  return error;
}

function quote(value: string): string {
  return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

const ID = /^[a-zA-Z0-9]{15}([a-zA-Z0-9]{3})?$/;

export class UiApi {
  private readonly describes = new Map<string, Promise<Describe | null>>();
  private prefixes?: Promise<Map<string, string>>;

  constructor(readonly rest: Rest) {}

  /**
   * Forgets the cached describes: after the user's language changes, the next reads describe again
   * and carry the labels of the new language (describe answers in the session user's language).
   */
  forgetDescribes(): void {
    this.describes.clear();
  }

  /** Describe of an object, or null when the user cannot see it (or it does not exist). */
  describe(object: string): Promise<Describe | null> {
    const key = object.toLowerCase();
    let d = this.describes.get(key);
    if (!d) {
      d = this.rest
        .call<Describe>('GET', `/sobjects/${encodeURIComponent(object)}/describe`)
        .catch((error: unknown) => {
          this.describes.delete(key);
          if (error instanceof RestError && error.status === 404) return null;
          throw error;
        });
      this.describes.set(key, d);
    }
    return d;
  }

  async objectOf(recordId: string): Promise<string> {
    if (!ID.test(recordId)) throw notFound();
    this.prefixes ??= this.rest
      .call<{ sobjects: { name: string; keyPrefix: string | null }[] }>('GET', '/sobjects')
      .then(
        (g) => new Map(g.sobjects.filter((s) => s.keyPrefix).map((s) => [s.keyPrefix!, s.name])),
      );
    const object = (await this.prefixes).get(recordId.slice(0, 3));
    if (!object) throw notFound();
    return object;
  }

  private static field(d: Describe, name: string): DescribeField | undefined {
    const lower = name.toLowerCase();
    return d.fields.find((f) => f.name.toLowerCase() === lower);
  }

  /**
   * Resolves `Field` or `Rel.Field` (relative to `object`) to the SOQL path, or null when the user
   * cannot read it.
   */
  private async resolvePath(object: string, path: string): Promise<string | null> {
    const parts = path.split('.');
    let d = await this.describe(object);
    const out: string[] = [];
    for (let i = 0; i < parts.length; i++) {
      if (!d) return null;
      const part = parts[i]!;
      if (i === parts.length - 1) {
        const f = UiApi.field(d, part);
        if (!f) return null;
        out.push(f.name);
        return out.join('.');
      }
      const ref = d.fields.find(
        (f) => f.type === 'reference' && f.relationshipName?.toLowerCase() === part.toLowerCase(),
      );
      if (!ref?.relationshipName || !ref.referenceTo?.length) return null;
      out.push(ref.relationshipName);
      d = await this.describe(ref.referenceTo[0]!);
    }
    return null;
  }

  /** Splits `Obj.Path` names into paths for `object`, ignoring other objects' fields as the UI API does. */
  private async selectFields(
    object: string,
    fields: readonly string[],
    optionalFields: readonly string[],
  ): Promise<string[]> {
    const select = new Set<string>(['Id']);
    const add = async (qualified: string, required: boolean) => {
      const dot = qualified.indexOf('.');
      if (dot < 0 || qualified.slice(0, dot).toLowerCase() !== object.toLowerCase()) return;
      const path = qualified.slice(dot + 1);
      const resolved = await this.resolvePath(object, path);
      if (resolved) {
        select.add(resolved);
        // A relationship's record carries its Id too, as the UI API returns it.
        if (resolved.includes('.')) {
          select.add(`${resolved.slice(0, resolved.lastIndexOf('.'))}.Id`);
        }
      } else if (required) throw invalidField(object, path);
    };
    for (const f of fields) await add(f, true);
    for (const f of optionalFields) await add(f, false);
    const d = await this.describe(object);
    for (const sys of ['LastModifiedDate', 'SystemModstamp', 'LastModifiedById']) {
      if (d && UiApi.field(d, sys)) select.add(sys);
    }
    return [...select];
  }

  /** Converts a REST record (with nested relationship objects) into a UI API record representation. */
  private async represent(
    object: string,
    row: Record<string, unknown>,
  ): Promise<RecordRepresentation> {
    const d = await this.describe(object);
    const fields: Record<string, FieldValue> = {};
    for (const [key, value] of Object.entries(row)) {
      if (key === 'attributes') continue;
      const f = d ? UiApi.field(d, key) : undefined;
      if (value && typeof value === 'object' && !Array.isArray(value)) {
        const attrs = (value as { attributes?: { type?: string } }).attributes;
        const childType = attrs?.type;
        if (childType) {
          const nested = await this.represent(childType, value as Record<string, unknown>);
          const name = nested.fields.Name?.value;
          fields[key] = { value: nested, displayValue: typeof name === 'string' ? name : null };
          continue;
        }
      }
      let displayValue: string | null = null;
      if (f && (f.type === 'picklist' || f.type === 'multipicklist') && typeof value === 'string') {
        displayValue = value
          .split(';')
          .map((v) => f.picklistValues?.find((p) => p.value === v)?.label ?? v)
          .join(';');
      }
      fields[f?.name ?? key] = { value: value ?? null, displayValue };
    }
    const modstamp = (row.SystemModstamp ?? row.LastModifiedDate ?? null) as string | null;
    return {
      apiName: d?.name ?? object,
      id: String(row.Id),
      fields,
      childRelationships: {},
      recordTypeId: null,
      recordTypeInfo: null,
      lastModifiedById: (row.LastModifiedById as string | undefined) ?? null,
      lastModifiedDate: (row.LastModifiedDate as string | undefined) ?? null,
      systemModstamp: modstamp,
      weakEtag: modstamp ? Date.parse(modstamp) : 0,
      eTag: modstamp ?? '',
    };
  }

  async getRecord(
    recordId: string,
    fields: readonly string[],
    optionalFields: readonly string[],
  ): Promise<RecordRepresentation> {
    try {
      const object = await this.objectOf(recordId);
      const select = await this.selectFields(object, fields, optionalFields);
      const { records } = await this.rest.query(
        `SELECT ${select.join(', ')} FROM ${object} WHERE Id = ${quote(recordId)}`,
      );
      const row = records[0];
      if (!row) throw notFound();
      return await this.represent(object, row);
    } catch (error) {
      throw readError(error);
    }
  }

  /** The lookup on `child` behind `relatedListId` of `parent` (childRelationships when describe has them). */
  private async relatedLookup(
    parent: string,
    child: string,
    relatedListId: string,
  ): Promise<string> {
    const pd = await this.describe(parent);
    const wanted = relatedListId.toLowerCase();
    const viaDescribe = pd?.childRelationships?.find(
      (c) =>
        c.relationshipName?.toLowerCase() === wanted &&
        c.childSObject.toLowerCase() === child.toLowerCase(),
    );
    if (viaDescribe) return viaDescribe.field;
    const cd = await this.describe(child);
    const lookups = (cd?.fields ?? []).filter(
      (f) =>
        f.type === 'reference' &&
        f.referenceTo?.some((r) => r.toLowerCase() === parent.toLowerCase()),
    );
    if (lookups.length === 1) return lookups[0]!.name;
    throw new UiApiError(404, [
      {
        errorCode: 'NOT_FOUND',
        message: `The related list ${relatedListId} was not found on ${parent}.`,
      },
    ]);
  }

  async getRelatedListRecords(
    parentRecordId: string,
    relatedListId: string,
    options: { fields: readonly string[]; optionalFields: readonly string[]; pageSize: number },
  ): Promise<Record<string, unknown>> {
    try {
      const parent = await this.objectOf(parentRecordId);
      const qualified = [...options.fields, ...options.optionalFields];
      const child = qualified[0]?.split('.')[0];
      if (!child) {
        throw new UiApiError(400, [
          {
            errorCode: 'INVALID_INPUT',
            message: 'fields or optionalFields must list at least one field.',
          },
        ]);
      }
      const lookup = await this.relatedLookup(parent, child, relatedListId);
      const select = await this.selectFields(child, options.fields, options.optionalFields);
      const pageSize = Math.min(Math.max(options.pageSize || 50, 1), 1999);
      const where = `WHERE ${lookup} = ${quote(parentRecordId)}`;
      const [{ records }, count] = await Promise.all([
        this.rest.query(
          `SELECT ${select.join(', ')} FROM ${child} ${where} ORDER BY CreatedDate DESC LIMIT ${pageSize}`,
        ),
        this.rest.query(`SELECT COUNT() FROM ${child} ${where}`),
      ]);
      return {
        records: await Promise.all(records.map((r) => this.represent(child, r))),
        count: count.totalSize,
        pageSize,
        currentPageToken: '0',
        currentPageUrl: null,
        nextPageToken: records.length < count.totalSize ? String(pageSize) : null,
        nextPageUrl: null,
        previousPageToken: null,
        previousPageUrl: null,
        fields: options.fields,
        optionalFields: options.optionalFields,
        listReference: { parentObjectApiName: parent, relatedListId, objectApiName: child },
        sortBy: [],
      };
    } catch (error) {
      throw readError(error);
    }
  }

  /**
   * A picklist field's values ("Get Values for a Picklist Field", User Interface API Developer Guide:
   * /ui-api/object-info/{objectApiName}/picklist-values/{recordTypeId}/{fieldApiName}): the active
   * values of describe, in its order, labels in the user's language; the default one as
   * `defaultValue`. The org's record types are not read: every record type gets the field's values
   * (the local org has no record types). A field the user cannot see is 404 NOT_FOUND, a field that
   * is no picklist 400 INVALID_TYPE.
   */
  async getPicklistValues(
    objectApiName: string,
    recordTypeId: string,
    fieldApiName: string,
  ): Promise<Record<string, unknown>> {
    let d: Describe | null;
    try {
      d = await this.describe(objectApiName);
    } catch (error) {
      throw readError(error);
    }
    const field = d ? UiApi.field(d, fieldApiName) : undefined;
    if (!d || !field) throw notFound();
    if (field.type !== 'picklist' && field.type !== 'multipicklist') {
      throw new UiApiError(400, [
        {
          errorCode: 'INVALID_TYPE',
          message: `${d.name}.${field.name} is not a picklist field.`,
        },
      ]);
    }
    const value = (v: { value: string; label?: string | null }) => ({
      attributes: null,
      label: v.label ?? v.value,
      validFor: [],
      value: v.value,
    });
    const values = (field.picklistValues ?? []).filter((v) => v.active !== false);
    const byDefault = values.find((v) => v.defaultValue);
    return {
      controllerValues: {},
      defaultValue: byDefault ? value(byDefault) : null,
      eTag: '',
      url: `/services/data/v66.0/ui-api/object-info/${d.name}/picklist-values/${recordTypeId}/${field.name}`,
      values: values.map(value),
    };
  }

  async getObjectInfo(objectApiName: string): Promise<Record<string, unknown>> {
    let d: Describe | null;
    try {
      d = await this.describe(objectApiName);
    } catch (error) {
      throw readError(error);
    }
    if (!d) {
      throw new UiApiError(403, [
        {
          errorCode: 'INSUFFICIENT_ACCESS',
          message: `You don't have access to this record. Ask your administrator for help or to request access.`,
        },
      ]);
    }
    const fields: Record<string, unknown> = {};
    for (const f of d.fields) {
      fields[f.name] = {
        apiName: f.name,
        label: f.label,
        dataType: DATA_TYPES[f.type] ?? 'String',
        createable: f.createable,
        updateable: f.updateable,
        required: !f.nillable && f.createable && !f.defaultedOnCreate,
        nillable: f.nillable,
        calculated: f.calculated ?? false,
        length: f.length ?? 0,
        reference: f.type === 'reference',
        referenceToInfos: (f.referenceTo ?? []).map((apiName) => ({
          apiName,
          nameFields: ['Name'],
        })),
        relationshipName: f.relationshipName ?? null,
      };
    }
    return {
      apiName: d.name,
      label: d.label,
      labelPlural: d.labelPlural,
      keyPrefix: d.keyPrefix,
      createable: d.createable,
      updateable: d.updateable,
      deletable: d.deletable,
      queryable: d.queryable,
      custom: d.name.endsWith('__c'),
      fields,
      // The UI API names these differently from describe.
      childRelationships: (d.childRelationships ?? [])
        .filter((c) => c.relationshipName)
        .map((c) => ({
          childObjectApiName: c.childSObject,
          fieldName: c.field,
          relationshipName: c.relationshipName,
          junctionIdListNames: [],
          junctionReferenceTo: [],
        })),
      recordTypeInfos: {},
      defaultRecordTypeId: '012000000000000AAA',
      nameFields: ['Name'],
      themeInfo: null,
    };
  }

  /** Checks every written field is visible and writable, as the UI API does before the DML. */
  private async checkWritable(object: string, fields: Record<string, unknown>, creating: boolean) {
    const d = await this.describe(object);
    if (!d) throw invalidField(object, Object.keys(fields)[0] ?? 'Id');
    for (const name of Object.keys(fields)) {
      if (name === 'Id') continue;
      const f = UiApi.field(d, name);
      if (!f)
        throw writeError(
          new RestError(400, [
            {
              errorCode: 'INVALID_FIELD',
              message: `No such column '${name}' on entity '${object}'.`,
              fields: [name],
            },
          ]),
        );
      if (creating ? !f.createable : !f.updateable) {
        throw writeError(
          new RestError(400, [
            {
              errorCode: 'INVALID_FIELD_FOR_INSERT_UPDATE',
              message: `Unable to ${creating ? 'create' : 'update'} fields: ${f.name}. Please check the security settings of this field and verify that it is read/write for your profile or permission set.`,
              fields: [f.name],
            },
          ]),
        );
      }
    }
  }

  async createRecord(
    apiName: string,
    fields: Record<string, unknown>,
  ): Promise<RecordRepresentation> {
    try {
      await this.checkWritable(apiName, fields, true);
      const created = await this.rest.call<{ id: string }>(
        'POST',
        `/sobjects/${encodeURIComponent(apiName)}`,
        fields,
      );
      return await this.getRecord(
        created.id,
        [],
        Object.keys(fields).map((f) => `${apiName}.${f}`),
      );
    } catch (error) {
      throw writeError(error);
    }
  }

  async updateRecord(
    recordId: string,
    fields: Record<string, unknown>,
  ): Promise<RecordRepresentation> {
    try {
      const object = await this.objectOf(recordId);
      const { Id: _id, ...rest } = fields;
      await this.checkWritable(object, rest, false);
      await this.rest.call('PATCH', `/sobjects/${object}/${recordId}`, rest);
      return await this.getRecord(
        recordId,
        [],
        Object.keys(rest).map((f) => `${object}.${f}`),
      );
    } catch (error) {
      throw writeError(error);
    }
  }

  async deleteRecord(recordId: string): Promise<void> {
    try {
      const object = await this.objectOf(recordId);
      await this.rest.call('DELETE', `/sobjects/${object}/${recordId}`);
    } catch (error) {
      throw writeError(error);
    }
  }
}
