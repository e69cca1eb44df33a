import { createHash, timingSafeEqual } from 'node:crypto';

/**
 * True when `received` equals one of the `accepted` webhook tokens.
 *
 * Aircall signs nothing: the body's `token` is the only proof of origin, so it is compared in
 * constant time. Both sides are hashed first so the comparison does not leak the token's length.
 */
export function isAcceptedToken(received: unknown, accepted: readonly string[]): boolean {
  if (typeof received !== 'string' || received.length === 0) return false;
  const got = createHash('sha256').update(received).digest();
  let ok = false;
  for (const token of accepted) {
    if (token.length === 0) continue;
    const want = createHash('sha256').update(token).digest();
    // No early exit: every accepted token is compared whatever the outcome.
    ok = timingSafeEqual(got, want) || ok;
  }
  return ok;
}
