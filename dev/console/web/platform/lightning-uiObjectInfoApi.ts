/** `lightning/uiObjectInfoApi` for the console: getObjectInfo, getObjectInfos, getPicklistValues. */
import { LdsAdapter, fieldName, objectName, request } from './lds';

interface ObjectInfoConfig {
  objectApiName?: unknown;
}

function objectInfo(object: string): Promise<unknown> {
  return request('GET', `/api/ui-api/object-info/${encodeURIComponent(object)}`);
}

export class getObjectInfo extends LdsAdapter<ObjectInfoConfig> {
  protected ready(config: ObjectInfoConfig): boolean {
    return objectName(config.objectApiName) !== '';
  }

  protected fetch(config: ObjectInfoConfig): Promise<unknown> {
    return objectInfo(objectName(config.objectApiName));
  }
}

interface ObjectInfosConfig {
  objectApiNames?: unknown;
}

function objectNames(config: ObjectInfosConfig): string[] {
  const names = Array.isArray(config.objectApiNames) ? config.objectApiNames : [];
  return names.map(objectName).filter(Boolean);
}

/**
 * One result per object, each with its status, as the UI API's batch resource answers: an object
 * the user cannot read is a result with its error, not a failure of the whole request.
 */
export class getObjectInfos extends LdsAdapter<ObjectInfosConfig> {
  protected ready(config: ObjectInfosConfig): boolean {
    return objectNames(config).length > 0;
  }

  protected async fetch(config: ObjectInfosConfig): Promise<unknown> {
    const results = await Promise.all(
      objectNames(config).map((object) =>
        objectInfo(object).then(
          (result) => ({ statusCode: 200, result }),
          (error: { status?: number; body?: unknown }) => ({
            statusCode: error.status ?? 500,
            result: error.body,
          }),
        ),
      ),
    );
    return { results };
  }
}

interface PicklistValuesConfig {
  recordTypeId?: unknown;
  fieldApiName?: unknown;
}

export class getPicklistValues extends LdsAdapter<PicklistValuesConfig> {
  protected ready(config: PicklistValuesConfig): boolean {
    return typeof config.recordTypeId === 'string' && fieldName(config.fieldApiName).includes('.');
  }

  protected fetch(config: PicklistValuesConfig): Promise<unknown> {
    const [object = '', field = ''] = fieldName(config.fieldApiName).split('.');
    return request(
      'GET',
      `/api/ui-api/object-info/${encodeURIComponent(object)}/picklist-values/${encodeURIComponent(String(config.recordTypeId))}/${encodeURIComponent(field)}`,
    );
  }
}
