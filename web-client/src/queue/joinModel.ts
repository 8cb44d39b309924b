// The join flow, a pure state machine like the queue model (model.ts): from the "Join" click to
// the place, through what a scheduled or protected event may answer on the way.
//
// - 403 `SALE_NOT_OPEN` (with `opens_at` and Retry-After): count down to the opening, then join
//   by itself, 0–2 s late at random so that not every browser arrives in the same millisecond.
// - 410 `SALE_ENDED`: the sale is over.
// - 403 `POW_REQUIRED`: fetch a challenge, solve it (in a worker), join again with the solution;
//   a refused solution (`POW_INVALID`, `POW_EXPIRED`, `POW_REUSED`, `POW_TOO_EASY`) gets a new
//   challenge, at most `powRetries` times.
// - An automatic join that meets an overloaded server (network, 429, 5xx) tries again after a
//   jittered backoff (at least Retry-After); a join the user clicked shows the error instead.
//
// The driver (`JoinFlow` in join.ts) does the requests, the timer and the solving. One
// Idempotency-Key covers the whole flow: usher releases a key whose request failed, so each
// retry runs, and a retry after a lost answer replays it.

import type { PowChallenge, PowSolution } from '../api/draw';
import { fullJitter } from './backoff';
import type { ErrorInfo } from './model';
import type { StoredPlace } from './storage';

export const JOIN_TUNING = {
  /** The automatic join comes up to this long after the opening, at random. */
  jitterMs: 2_000,
  /** Least wait before asking again when the sale is still not open. */
  minWaitMs: 1_000,
  /** `opens_at` (server clock) is used when it agrees with Retry-After within this much. */
  clockToleranceMs: 2_000,
  /** Not open, and neither `opens_at` nor Retry-After said when: ask again after this long. */
  unknownOpeningMs: 5_000,
  /** New challenges after a refused proof of work. */
  powRetries: 3,
  /** Automatic joins tried again after a transient failure. */
  autoRetries: 5,
  retryBaseMs: 1_000,
  retryCapMs: 15_000,
} as const;

export type JoinPhase =
  /** Nothing asked yet: the join button. */
  | 'idle'
  /** The join request is under way. */
  | 'joining'
  /** The queue is not open yet: joins by itself at `joinAt`. */
  | 'countdown'
  /** An automatic join failed for a passing reason: tries again at `joinAt`. */
  | 'retrying'
  /** Fetching a proof-of-work challenge. */
  | 'challenge'
  /** Solving it. */
  | 'solving'
  | 'joined'
  | 'sale_ended'
  /** Could not join: the error is shown, with the button again. */
  | 'failed';

export interface JoinProgress {
  tried: number;
  /** 2^difficulty: the hashes needed on average. */
  expected: number;
  /** Hashes per second; null until measured. */
  rate: number | null;
}

export interface JoinState {
  eventId: string;
  phase: JoinPhase;
  /** The current attempt was started by the page (countdown, retry), not by a click. */
  auto: boolean;
  /** Local time the queue opens; set once a join was refused with `SALE_NOT_OPEN`. */
  opensAt: number | null;
  /** Local time of the next automatic attempt. */
  joinAt: number | null;
  /** The solved proof of work, sent again if the same join is retried. */
  pow: PowSolution | null;
  /** The challenge being fetched or solved (or last solved). */
  challenge: PowChallenge | null;
  /** Challenges fetched after a refused or missing solution. */
  powRetries: number;
  autoRetries: number;
  progress: JoinProgress | null;
  error: ErrorInfo | null;
  place: StoredPlace | null;
}

export type JoinEvent =
  | { type: 'join_requested'; now: number }
  | { type: 'timer'; now: number }
  | { type: 'join_ok'; place: StoredPlace; now: number }
  | { type: 'join_failed'; error: ErrorInfo; now: number; rand: number }
  | { type: 'challenge_ok'; challenge: PowChallenge; now: number }
  | { type: 'challenge_failed'; error: ErrorInfo; now: number; rand: number }
  | { type: 'pow_progress'; progress: JoinProgress }
  | { type: 'pow_solved'; nonce: string; now: number }
  | { type: 'pow_failed'; error: ErrorInfo; now: number };

export type JoinEffect =
  | { kind: 'join'; pow: PowSolution | null }
  | { kind: 'fetch_challenge' }
  | { kind: 'solve'; challenge: PowChallenge }
  | { kind: 'set_timer'; delayMs: number }
  | { kind: 'clear_timer' };

export interface JoinStep {
  state: JoinState;
  effects: JoinEffect[];
}

export function initialJoinState(eventId: string): JoinState {
  return {
    eventId,
    phase: 'idle',
    auto: false,
    opensAt: null,
    joinAt: null,
    pow: null,
    challenge: null,
    powRetries: 0,
    autoRetries: 0,
    progress: null,
    error: null,
    place: null,
  };
}

const POW_REFUSED: ReadonlySet<string> = new Set(['POW_INVALID', 'POW_EXPIRED', 'POW_REUSED', 'POW_TOO_EASY']);

export function reduceJoin(state: JoinState, event: JoinEvent): JoinStep {
  if (state.phase === 'joined' || state.phase === 'sale_ended') return same(state);
  switch (event.type) {
    case 'join_requested':
      if (state.phase !== 'idle' && state.phase !== 'failed') return same(state);
      return startJoin({ ...state, autoRetries: 0, powRetries: 0 }, false);
    case 'timer':
      if (state.phase !== 'countdown' && state.phase !== 'retrying') return same(state);
      return startJoin(state, true);
    case 'join_ok':
      if (state.phase !== 'joining') return same(state);
      return {
        state: { ...state, phase: 'joined', place: event.place, error: null, joinAt: null, progress: null },
        effects: [{ kind: 'clear_timer' }],
      };
    case 'join_failed':
      if (state.phase !== 'joining') return same(state);
      return onJoinFailed(state, event.error, event.now, event.rand);
    case 'challenge_ok': {
      if (state.phase !== 'challenge') return same(state);
      const challenge = event.challenge;
      if (!(challenge.difficulty > 0)) {
        // None required after all: join directly.
        return startJoin({ ...state, challenge, pow: null }, state.auto);
      }
      return {
        state: { ...state, phase: 'solving', challenge, progress: { tried: 0, expected: 2 ** challenge.difficulty, rate: null } },
        effects: [{ kind: 'solve', challenge }],
      };
    }
    case 'challenge_failed':
      if (state.phase !== 'challenge') return same(state);
      return failOrRetry(state, event.error, event.now, event.rand);
    case 'pow_progress':
      if (state.phase !== 'solving') return same(state);
      return same({ ...state, progress: event.progress });
    case 'pow_solved':
      if (state.phase !== 'solving' || !state.challenge) return same(state);
      return startJoin({ ...state, pow: { challenge: state.challenge.challenge, nonce: event.nonce }, progress: null }, state.auto);
    case 'pow_failed':
      if (state.phase !== 'solving') return same(state);
      return same({ ...state, phase: 'failed', progress: null, error: event.error });
  }
}

function same(state: JoinState): JoinStep {
  return { state, effects: [] };
}

function startJoin(state: JoinState, auto: boolean): JoinStep {
  return {
    state: { ...state, phase: 'joining', auto, error: null, joinAt: null },
    effects: [{ kind: 'clear_timer' }, { kind: 'join', pow: state.pow }],
  };
}

function onJoinFailed(state: JoinState, error: ErrorInfo, now: number, rand: number): JoinStep {
  switch (error.code) {
    case 'SALE_NOT_OPEN': {
      const opensAt = openingTime(error, now);
      const joinAt = Math.max(opensAt, now + JOIN_TUNING.minWaitMs) + Math.floor(rand * JOIN_TUNING.jitterMs);
      // A solution would have expired by the opening: the server asks for a new one if needed.
      return {
        state: { ...state, phase: 'countdown', opensAt, joinAt, pow: null, challenge: null, error: null },
        effects: [{ kind: 'set_timer', delayMs: joinAt - now }],
      };
    }
    case 'SALE_ENDED':
      return {
        state: { ...state, phase: 'sale_ended', error, joinAt: null },
        effects: [{ kind: 'clear_timer' }],
      };
  }
  if (error.code === 'POW_REQUIRED' || POW_REFUSED.has(error.code)) {
    // The first POW_REQUIRED is expected; anything after a challenge is a refusal.
    const refused = state.challenge !== null || state.pow !== null;
    if (refused && state.powRetries >= JOIN_TUNING.powRetries) {
      return same({ ...state, phase: 'failed', error, pow: null, challenge: null });
    }
    return {
      state: { ...state, phase: 'challenge', pow: null, challenge: null, powRetries: state.powRetries + (refused ? 1 : 0) },
      effects: [{ kind: 'fetch_challenge' }],
    };
  }
  return failOrRetry(state, error, now, rand);
}

function transient(error: ErrorInfo): boolean {
  return error.status === 0 || error.status === 408 || error.status === 429 || error.status >= 500;
}

/** A click shows the error; an automatic attempt retries passing failures a few times. */
function failOrRetry(state: JoinState, error: ErrorInfo, now: number, rand: number): JoinStep {
  if (!state.auto || !transient(error) || state.autoRetries >= JOIN_TUNING.autoRetries) {
    return same({ ...state, phase: 'failed', error, progress: null });
  }
  const delay = Math.max(
    error.retryAfterMs ?? 0,
    JOIN_TUNING.retryBaseMs + fullJitter(state.autoRetries, rand, JOIN_TUNING.retryBaseMs, JOIN_TUNING.retryCapMs),
  );
  return {
    state: { ...state, phase: 'retrying', error, progress: null, autoRetries: state.autoRetries + 1, joinAt: now + delay },
    effects: [{ kind: 'set_timer', delayMs: delay }],
  };
}

/**
 * When the queue opens, in local time. `opens_at` is on the server's clock, Retry-After is
 * relative (whole seconds): when the two agree, the local clock is in step and `opens_at` is
 * the precise one; when they do not, the local clock is off and Retry-After is the one to trust.
 */
export function openingTime(error: ErrorInfo, now: number): number {
  const hinted = error.retryAfterMs !== undefined ? now + error.retryAfterMs : null;
  const stated = error.opensAt;
  if (stated !== undefined && (hinted === null || Math.abs(stated - hinted) <= JOIN_TUNING.clockToleranceMs)) return stated;
  return hinted ?? now + JOIN_TUNING.unknownOpeningMs;
}
