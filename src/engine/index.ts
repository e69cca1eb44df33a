/** Public API of the rules engine (pure, no I/O). The connector and the CLI import from here. */
export * from './plan';
export * from './picklists';
export * from './types';
export {
  parseWebhook,
  eventKey,
  callIdOf,
  canonicalJson,
  shortHash,
  type ParseResult,
} from './events';
export {
  parseSettings,
  parseSettingsStrict,
  parseStatusMappings,
  SettingsError,
  DEFAULT_SETTINGS,
} from './settings';
export {
  buildBusinessHours,
  selectCalendar,
  checkBusinessHours,
  isWithinBusinessHours,
  type BusinessHoursVerdict,
} from './business-hours';
export {
  normalizeNumber,
  classifyNumber,
  escapeSosl,
  buildSearch,
  buildSearches,
  MAX_SEARCH_QUERY_CHARS,
  consumeSearch,
  readSearchRecords,
  readStoredNumber,
  candidatesFor,
  mergeCandidates,
  describeReading,
  readInCallerCountry,
  readingFits,
  STANDARD_PHONE_FIELDS,
  NUMBER_LINK_FIELDS,
  rememberedCandidate,
  type NumberToSearch,
  type SearchTerm,
  type NumberVerdict,
  type SearchedRecord,
} from './matching';
export { pickMatch, type MatchDecision } from './pick-match';
export { COUNTRY_FIELDS, STATE_FIELDS } from './record-country';
export { countryCode } from './countries';
export { subdivisionCountry, type SubdivisionVerdict } from './subdivisions';
export { createdRecordOwner, planBatch, userMatcher } from './planner';
export { TASK_TEXTS } from './activity';
export {
  needsOpenRecords,
  openRecordKeys,
  chooseOpenLinks,
  indexOpenRecords,
} from './open-records';
export { CASE_ORIGIN, caseContent, wantsCase } from './cases';
export { CASE_TEXTS, caseLanguageOf, caseText, type CaseLanguage } from './case-text';
export { foldCall, type CallState } from './fold';
export { explain, type ExplainInput } from './explain';
export {
  aircallAvailabilityFor,
  isAvailableStatus,
  defaultOmniStatus,
  type AircallAvailability,
} from './presence';
export { DEFAULT_PHONE_TO_OMNI, FINAL_PATCH_GRACE_SECONDS } from './planner';
