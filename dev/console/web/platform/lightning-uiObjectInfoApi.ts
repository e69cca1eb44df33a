/** `lightning/uiObjectInfoApi` for the console: getObjectInfo. */
import { LdsAdapter, objectName, request } from './lds';

interface ObjectInfoConfig {
  objectApiName?: unknown;
}

export class getObjectInfo extends LdsAdapter<ObjectInfoConfig> {
  protected ready(config: ObjectInfoConfig): boolean {
    return objectName(config.objectApiName) !== '';
  }

  protected fetch(config: ObjectInfoConfig): Promise<unknown> {
    return request(
      'GET',
      `/api/ui-api/object-info/${encodeURIComponent(objectName(config.objectApiName))}`,
    );
  }
}
