/**
 * How deeply a parsed JSON value nests. Aircall's webhooks nest 5 levels (envelope → data → call →
 * tag → tagged_by); a body nested thousands of levels deep is hostile, and every recursive walk of
 * it (schema validation, the canonical JSON of the event key) would overflow the stack. The walk
 * here is iterative, so it answers for any depth, and stops as soon as the limit is passed.
 */
export const MAX_WEBHOOK_DEPTH = 32;

/** True when `value` nests objects/arrays more than `max` levels deep. */
export function nestsDeeperThan(value: unknown, max: number): boolean {
  const stack: { value: unknown; depth: number }[] = [{ value, depth: 0 }];
  while (stack.length > 0) {
    const { value: current, depth } = stack.pop()!;
    if (current === null || typeof current !== 'object') continue;
    if (depth + 1 > max) return true;
    const children = Array.isArray(current)
      ? (current as unknown[])
      : Object.values(current as Record<string, unknown>);
    for (const child of children) {
      if (child !== null && typeof child === 'object')
        stack.push({ value: child, depth: depth + 1 });
    }
  }
  return false;
}
