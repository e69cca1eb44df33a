export {
  DEFAULT_AGENTS,
  DEFAULT_LINES,
  DEFAULT_KNOWN_NUMBERS,
  INVALID_NUMBERS,
  type SimAgent,
  type SimLine,
} from './agents';
export {
  generateCalls,
  SCENARIOS,
  MISSED_REASONS,
  ABANDONED_REASONS,
  type GenerateOptions,
  type Scenario,
  type SimulatedCall,
  type WebhookEnvelope,
} from './generate';
export { writeNdjson, postToUrl, type PostResult } from './writers';
export {
  startFakeAircall,
  callsFromEnvelopes,
  type FakeAircall,
  type FakeAircallOptions,
  type ReceivedRequest,
} from './fake-aircall';
