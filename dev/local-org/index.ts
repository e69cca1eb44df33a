export {
  startLocalOrg,
  type LocalOrg,
  type LocalOrgOptions,
  type Counters,
  type CounterCategory,
} from './server';
export type { FaultConfig } from './faults';
export {
  EventBus,
  channelMatches,
  EVENT_RETENTION_MS,
  type BusEvent,
  type StreamMessage,
} from './event-bus';
export { CometdEndpoint, type StreamingHooks } from './cometd';
export { loadSchema, describeObject, type Schema, type ObjectDef, type FieldDef } from './schema';
export {
  EventAllocations,
  EDITION_ALLOCATIONS,
  type Edition,
  type EventAllocationLimits,
} from './event-allocations';
