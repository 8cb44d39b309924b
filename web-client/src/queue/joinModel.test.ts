import { describe, expect, it } from 'vitest';
import { JOIN_TUNING, type JoinEvent, type JoinState, initialJoinState, openingTime, reduceJoin } from './joinModel';
import type { ErrorInfo } from './model';
import type { StoredPlace } from './storage';

const PLACE: StoredPlace = { eventId: 'e', token: 't', initialPosition: null, enterKey: 'k', joinedAt: 0 };
const CHALLENGE = { challenge: 'c1', difficulty: 12, expires_at: 100_000 };

function err(status: number, code: string, extra: Partial<ErrorInfo> = {}): ErrorInfo {
  return { status, code, message: code.toLowerCase(), ...extra };
}

/** Runs events from a fresh state; returns the last state and every effect. */
function run(events: JoinEvent[], from: JoinState = initialJoinState('e')) {
  let state = from;
  const effects = [];
  for (const e of events) {
    const step = reduceJoin(state, e);
    state = step.state;
    effects.push(...step.effects);
  }
  return { state, effects };
}

const click = (now = 0): JoinEvent => ({ type: 'join_requested', now });
const failed = (error: ErrorInfo, now = 0, rand = 0.5): JoinEvent => ({ type: 'join_failed', error, now, rand });

describe('joining', () => {
  it('a click joins, without proof of work unless asked', () => {
    const { state, effects } = run([click(), { type: 'join_ok', place: PLACE, now: 1 }]);
    expect(effects).toContainEqual({ kind: 'join', pow: null });
    expect(state).toMatchObject({ phase: 'joined', place: PLACE });
  });

  it('a refusal the user can act on is shown, and the button comes back', () => {
    const { state, effects } = run([click(), failed(err(429, 'QUEUE_FULL'))]);
    expect(state).toMatchObject({ phase: 'failed', error: { code: 'QUEUE_FULL' } });
    expect(effects.filter((e) => e.kind === 'set_timer')).toHaveLength(0); // a click is never retried by itself
    expect(run([click(5)], state).state.phase).toBe('joining');
  });

  it('ignores answers that arrive when no request is under way', () => {
    const idle = initialJoinState('e');
    expect(reduceJoin(idle, { type: 'join_ok', place: PLACE, now: 0 }).state).toBe(idle);
    expect(reduceJoin(idle, { type: 'challenge_ok', challenge: CHALLENGE, now: 0 }).state).toBe(idle);
    expect(reduceJoin(idle, { type: 'pow_solved', nonce: '1', now: 0 }).state).toBe(idle);
    expect(reduceJoin(idle, { type: 'timer', now: 0 }).state).toBe(idle);
  });
});

describe('before the queue opens', () => {
  it('403 SALE_NOT_OPEN counts down to opens_at, then joins by itself 0–2 s later', () => {
    const now = 1_000_000;
    const opens = now + 300_000;
    const { state, effects } = run([click(now), failed(err(403, 'SALE_NOT_OPEN', { retryAfterMs: 300_000, opensAt: opens }), now, 0.25)]);
    expect(state).toMatchObject({ phase: 'countdown', opensAt: opens, joinAt: opens + 500 });
    expect(effects).toContainEqual({ kind: 'set_timer', delayMs: 300_500 });

    const fired = reduceJoin(state, { type: 'timer', now: opens + 500 });
    expect(fired.state).toMatchObject({ phase: 'joining', auto: true });
    expect(fired.effects).toContainEqual({ kind: 'join', pow: null });
  });

  it('spreads the automatic joins over the 2 s after the opening', () => {
    const at = (rand: number) => run([click(0), failed(err(403, 'SALE_NOT_OPEN', { opensAt: 60_000, retryAfterMs: 60_000 }), 0, rand)]).state.joinAt;
    expect(at(0)).toBe(60_000);
    expect(at(0.999)).toBe(60_000 + JOIN_TUNING.jitterMs - 2);
  });

  it('trusts Retry-After over opens_at when the local clock is off', () => {
    const now = 5_000_000;
    // The server's clock says it opens in 30 s; this computer's clock is 10 minutes behind.
    expect(openingTime(err(403, 'SALE_NOT_OPEN', { opensAt: now + 600_000 + 30_000, retryAfterMs: 30_000 }), now)).toBe(now + 30_000);
    // In step (Retry-After is whole seconds): opens_at is the precise one.
    expect(openingTime(err(403, 'SALE_NOT_OPEN', { opensAt: now + 29_400, retryAfterMs: 30_000 }), now)).toBe(now + 29_400);
    expect(openingTime(err(403, 'SALE_NOT_OPEN', { opensAt: now + 10_000 }), now)).toBe(now + 10_000);
    expect(openingTime(err(403, 'SALE_NOT_OPEN'), now)).toBe(now + JOIN_TUNING.unknownOpeningMs);
  });

  it('asks again no sooner than a second later when the server still says not yet', () => {
    const { state } = run([click(100), failed(err(403, 'SALE_NOT_OPEN', { opensAt: 50, retryAfterMs: 0 }), 100, 0)]);
    expect(state.joinAt).toBe(100 + JOIN_TUNING.minWaitMs);
  });

  it('an automatic join that meets a busy server tries again after a backoff, at least Retry-After', () => {
    const base = run([click(0), failed(err(403, 'SALE_NOT_OPEN', { opensAt: 1_000, retryAfterMs: 1_000 }), 0, 0), { type: 'timer', now: 1_000 }]).state;
    const busy = reduceJoin(base, failed(err(503, 'STORE_UNAVAILABLE', { retryAfterMs: 4_000 }), 1_000, 0));
    expect(busy.state).toMatchObject({ phase: 'retrying', autoRetries: 1, joinAt: 5_000 });
    expect(busy.effects).toContainEqual({ kind: 'set_timer', delayMs: 4_000 });
    let s = busy.state;
    for (let i = 0; i < JOIN_TUNING.autoRetries; i++) {
      s = reduceJoin(s, { type: 'timer', now: 10_000 * i }).state;
      s = reduceJoin(s, failed(err(0, 'NETWORK'), 10_000 * i, 0.5)).state;
    }
    expect(s.phase).toBe('failed'); // not forever
  });
});

describe('after the sale', () => {
  it('410 SALE_ENDED ends the flow', () => {
    const { state } = run([click(), failed(err(410, 'SALE_ENDED'))]);
    expect(state.phase).toBe('sale_ended');
    expect(reduceJoin(state, click()).state).toBe(state);
  });
});

describe('proof of work', () => {
  const solved = (nonce = '4321'): JoinEvent[] => [
    { type: 'challenge_ok', challenge: CHALLENGE, now: 1 },
    { type: 'pow_progress', progress: { tried: 100, expected: 4096, rate: 1e5 } },
    { type: 'pow_solved', nonce, now: 2 },
  ];

  it('403 POW_REQUIRED: fetch a challenge, solve it, join again with the solution', () => {
    const asked = run([click(), failed(err(403, 'POW_REQUIRED'))]);
    expect(asked.state.phase).toBe('challenge');
    expect(asked.effects).toContainEqual({ kind: 'fetch_challenge' });

    const solving = run(solved().slice(0, 2), asked.state);
    expect(solving.state).toMatchObject({ phase: 'solving', progress: { tried: 100, expected: 4096 } });
    expect(solving.effects).toContainEqual({ kind: 'solve', challenge: CHALLENGE });

    const sent = run(solved().slice(2), solving.state);
    expect(sent.state.phase).toBe('joining');
    expect(sent.effects).toContainEqual({ kind: 'join', pow: { challenge: 'c1', nonce: '4321' } });
  });

  it('difficulty 0 needs no work: joins directly', () => {
    const { state, effects } = run([click(), failed(err(403, 'POW_REQUIRED')), { type: 'challenge_ok', challenge: { ...CHALLENGE, difficulty: 0 }, now: 1 }]);
    expect(state.phase).toBe('joining');
    expect(effects.filter((e) => e.kind === 'solve')).toHaveLength(0);
  });

  it.each(['POW_EXPIRED', 'POW_REUSED', 'POW_TOO_EASY', 'POW_INVALID'])('a solution refused with %s gets a new challenge, at most 3 times', (code) => {
    let { state } = run([click(), failed(err(403, 'POW_REQUIRED')), ...solved()]);
    for (let i = 1; i <= JOIN_TUNING.powRetries; i++) {
      const step = reduceJoin(state, failed(err(code === 'POW_REUSED' ? 409 : 403, code)));
      expect(step.state).toMatchObject({ phase: 'challenge', powRetries: i, pow: null });
      expect(step.effects).toContainEqual({ kind: 'fetch_challenge' });
      state = run(solved(String(i)), step.state).state;
    }
    const last = reduceJoin(state, failed(err(400, code)));
    expect(last.state).toMatchObject({ phase: 'failed', error: { code } });
    expect(last.effects).toEqual([]);
  });

  it('a retried join (lost answer) sends the same solution again', () => {
    let { state } = run([click(), failed(err(403, 'POW_REQUIRED')), ...solved('77')]);
    state = reduceJoin(state, failed(err(0, 'NETWORK'))).state;
    expect(state.phase).toBe('failed');
    expect(reduceJoin(state, click()).effects).toContainEqual({ kind: 'join', pow: { challenge: 'c1', nonce: '77' } });
  });

  it('a solver that fails shows the error', () => {
    const { state } = run([click(), failed(err(403, 'POW_REQUIRED')), solved()[0]!, { type: 'pow_failed', error: err(0, 'CLIENT_ERROR'), now: 3 }]);
    expect(state).toMatchObject({ phase: 'failed', error: { code: 'CLIENT_ERROR' } });
  });
});
