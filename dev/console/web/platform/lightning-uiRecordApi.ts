/** `lightning/uiRecordApi` for the console: getRecord and the record writes, over the console's UI API. */
import { LdsAdapter, fieldList, query, reloadWhere, request, sameId } from './lds';

interface RecordConfig {
  recordId?: string;
  fields?: unknown;
  optionalFields?: unknown;
  layoutTypes?: unknown;
  modes?: unknown;
}

interface FieldValue {
  value: unknown;
  displayValue: string | null;
}
interface RecordRepresentation {
  apiName: string;
  id: string;
  fields: Record<string, FieldValue>;
}

function fetchRecord(recordId: string, fields: string[], optionalFields: string[]) {
  return request<RecordRepresentation>(
    'GET',
    `/api/ui-api/records/${encodeURIComponent(recordId)}${query({ fields, optionalFields })}`,
  );
}

export class getRecord extends LdsAdapter<RecordConfig> {
  protected ready(config: RecordConfig): boolean {
    return typeof config.recordId === 'string' && config.recordId !== '';
  }

  protected fetch(config: RecordConfig): Promise<unknown> {
    return fetchRecord(
      config.recordId!,
      fieldList(config.fields),
      fieldList(config.optionalFields),
    );
  }
}

/** Tells LDS records changed on the server: wires showing them fetch again (and re-emit if they differ). */
export async function notifyRecordUpdateAvailable(items: { recordId: string }[]): Promise<void> {
  await reloadWhere(
    (a) =>
      a instanceof getRecord &&
      items.some((i) => sameId(i.recordId, (a.config as RecordConfig)?.recordId)),
  );
}

/** @deprecated on the platform too; kept for components that still call it. */
export function getRecordNotifyChange(items: { recordId: string }[]): void {
  void notifyRecordUpdateAvailable(items);
}

export async function createRecord(input: { apiName: unknown; fields: Record<string, unknown> }) {
  const apiName =
    typeof input.apiName === 'string'
      ? input.apiName
      : (input.apiName as { objectApiName: string }).objectApiName;
  const record = await request<RecordRepresentation>('POST', '/api/ui-api/records', {
    apiName,
    fields: input.fields,
  });
  return record;
}

export async function updateRecord(input: { fields: Record<string, unknown> }) {
  const { Id, ...fields } = input.fields;
  if (typeof Id !== 'string') {
    const failure = {
      status: 400,
      statusText: 'Bad Request',
      ok: false,
      headers: {},
      body: { message: 'fields.Id is required to update a record.', errorCode: 'INVALID_INPUT' },
    };
    throw failure;
  }
  const record = await request<RecordRepresentation>(
    'PATCH',
    `/api/ui-api/records/${encodeURIComponent(Id)}`,
    {
      fields,
    },
  );
  // LDS updates its cache: every wire showing this record re-emits.
  await notifyRecordUpdateAvailable([{ recordId: Id }]);
  return record;
}

export async function deleteRecord(recordId: string): Promise<void> {
  await request<void>('DELETE', `/api/ui-api/records/${encodeURIComponent(recordId)}`);
  await notifyRecordUpdateAvailable([{ recordId }]);
}

export function getFieldValue(record: RecordRepresentation | undefined, field: unknown): unknown {
  return walk(record, field)?.value;
}

export function getFieldDisplayValue(
  record: RecordRepresentation | undefined,
  field: unknown,
): unknown {
  const f = walk(record, field);
  return f ? (f.displayValue ?? f.value) : undefined;
}

function walk(record: RecordRepresentation | undefined, field: unknown): FieldValue | undefined {
  const name = fieldList(field)[0] ?? '';
  const parts = name.split('.').slice(1);
  let current: RecordRepresentation | undefined = record;
  for (let i = 0; i < parts.length; i++) {
    const f: FieldValue | undefined = current?.fields[parts[i]!];
    if (!f) return undefined;
    if (i === parts.length - 1) return f;
    current = (f.value ?? undefined) as RecordRepresentation | undefined;
  }
  return undefined;
}
