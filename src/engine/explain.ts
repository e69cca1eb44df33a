import type { BusinessHoursModel, MatchIndex, Settings, KnownRecord } from './types';

export interface ExplainInput {
  number: string;
  at: Date;
  settings: Settings;
  matches: MatchIndex;
  businessHours: BusinessHoursModel;
  /** Country of the Aircall line, for numbers written without "+". */
  country?: string | null;
  direction?: 'inbound' | 'outbound';
  known?: Map<string, KnownRecord>;
}

export function explain(_input: ExplainInput): string {
  throw new Error('explain: not implemented yet');
}
