/** `lightning/uiRelatedListApi` for the console: getRelatedListRecords. */
import { LdsAdapter, fieldList, query, request } from './lds';

interface RelatedConfig {
  parentRecordId?: string;
  relatedListId?: string;
  fields?: unknown;
  optionalFields?: unknown;
  pageSize?: number;
}

export class getRelatedListRecords extends LdsAdapter<RelatedConfig> {
  protected ready(config: RelatedConfig): boolean {
    return !!config.parentRecordId && !!config.relatedListId;
  }

  protected fetch(config: RelatedConfig): Promise<unknown> {
    return request(
      'GET',
      `/api/ui-api/related-list-records/${encodeURIComponent(config.parentRecordId!)}/${encodeURIComponent(config.relatedListId!)}${query(
        {
          fields: fieldList(config.fields),
          optionalFields: fieldList(config.optionalFields),
          pageSize: config.pageSize,
        },
      )}`,
    );
  }
}
