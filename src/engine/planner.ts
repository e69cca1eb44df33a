import type { Plan } from './plan';
import type { BatchInput } from './types';

export function planBatch(_input: BatchInput): Plan {
  throw new Error('planBatch: not implemented yet');
}
