// Retry timing. Pure functions: the caller passes the random number, so tests are exact.

/** Exponential backoff with full jitter: a uniform delay in [0, min(cap, base·2^attempt)]. */
export function fullJitter(attempt: number, rand: number, baseMs: number, capMs: number): number {
  const ceiling = Math.min(capMs, baseMs * 2 ** Math.max(0, attempt));
  return Math.floor(clamp01(rand) * ceiling);
}

/**
 * After a server hint (`reconnect.retry_after_ms`): wait at least the hint, plus up to half of
 * it again, so a node's clients that were all told the same number do not come back at once.
 */
export function afterHint(hintMs: number, rand: number): number {
  return Math.floor(hintMs + clamp01(rand) * (hintMs / 2));
}

/** A poll interval spread by ±20 % so that pollers that started together drift apart. */
export function spread(ms: number, rand: number): number {
  return Math.floor(ms * (0.8 + 0.4 * clamp01(rand)));
}

function clamp01(x: number): number {
  return Number.isFinite(x) ? Math.min(1, Math.max(0, x)) : 0;
}
