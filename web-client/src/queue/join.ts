// Joining a queue: one Idempotency-Key per join action (the caller keeps it across retries), and
// the answer stored as the place to resume after a reload. `JoinFlow` drives the join flow's
// state machine (joinModel.ts): the join and challenge requests, the countdown timer and the
// proof-of-work solver, all through `JoinDeps` so that tests can fake them.

import { call, newKey, type Fetch } from '../api/http';
import type { PowChallenge, PowSolution } from '../api/draw';
import type { Joined } from '../api/types';
import { type Solver, solve } from '../pow/solve';
import { errorInfo } from './controller';
import { type JoinEffect, type JoinEvent, type JoinState, initialJoinState, reduceJoin } from './joinModel';
import { type StoredPlace, loadPlace, savePlace } from './storage';

export async function joinQueue(
  eventId: string,
  idempotencyKey: string,
  deps: { fetchImpl?: Fetch; storage: Storage; now: number; pow?: PowSolution | null },
): Promise<StoredPlace> {
  const joined = await call<Joined>('POST', '/api/v1/queue/join', {
    body: deps.pow ? { event_id: eventId, pow: deps.pow } : { event_id: eventId },
    idempotencyKey,
    ...(deps.fetchImpl ? { fetchImpl: deps.fetchImpl } : {}),
  });
  const position = joined.position ?? joined.position_hint;
  const place: StoredPlace = {
    eventId,
    token: joined.waiting_token,
    initialPosition: typeof position === 'number' && position > 0 ? position : null,
    enterKey: newKey(),
    joinedAt: deps.now,
  };
  savePlace(deps.storage, place);
  return place;
}

export interface JoinDeps {
  fetch: Fetch;
  storage: Storage;
  now(): number;
  random(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
  solve: Solver;
}

export function browserJoinDeps(): JoinDeps {
  return {
    fetch: (...args) => globalThis.fetch(...args),
    storage: globalThis.localStorage,
    now: () => Date.now(),
    random: () => Math.random(),
    setTimeout: (fn, ms) => globalThis.setTimeout(fn, ms),
    clearTimeout: (h) => globalThis.clearTimeout(h as number),
    solve,
  };
}

export class JoinFlow {
  private state: JoinState;
  private readonly listeners = new Set<() => void>();
  private timer: unknown = null;
  private solving: AbortController | null = null;
  private stopped = false;

  constructor(
    eventId: string,
    private readonly deps: JoinDeps,
    /** One key for this join: every retry of it replays instead of joining twice. */
    private readonly key: string = newKey(),
  ) {
    this.state = initialJoinState(eventId);
  }

  getState = (): JoinState => this.state;

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  /** The user asked to join. */
  join(): void {
    this.dispatch({ type: 'join_requested', now: this.deps.now() });
  }

  /** The page goes away: no timer fires and no solving goes on after this. */
  stop(): void {
    this.stopped = true;
    this.clearTimer();
    this.solving?.abort();
    this.solving = null;
    this.listeners.clear();
  }

  dispatch(event: JoinEvent): void {
    if (this.stopped) return;
    const step = reduceJoin(this.state, event);
    const changed = step.state !== this.state;
    this.state = step.state;
    for (const effect of step.effects) this.run(effect);
    if (changed) for (const l of this.listeners) l();
  }

  private run(effect: JoinEffect): void {
    const deps = this.deps;
    switch (effect.kind) {
      case 'join':
        void this.joinCall(effect.pow);
        break;
      case 'fetch_challenge':
        void this.fetchChallenge();
        break;
      case 'solve':
        this.startSolving(effect.challenge);
        break;
      case 'set_timer':
        this.clearTimer();
        this.timer = deps.setTimeout(() => {
          this.timer = null;
          this.dispatch({ type: 'timer', now: deps.now() });
        }, effect.delayMs);
        break;
      case 'clear_timer':
        this.clearTimer();
        break;
    }
  }

  private clearTimer(): void {
    if (this.timer !== null) this.deps.clearTimeout(this.timer);
    this.timer = null;
  }

  private async joinCall(pow: PowSolution | null): Promise<void> {
    const deps = this.deps;
    const eventId = this.state.eventId;
    // Another tab of this browser may have joined meanwhile (both counting down to the
    // opening, say): take its place rather than a second one.
    const stored = loadPlace(deps.storage, eventId);
    if (stored) {
      await Promise.resolve();
      this.dispatch({ type: 'join_ok', place: stored, now: deps.now() });
      return;
    }
    try {
      const place = await joinQueue(eventId, this.key, { fetchImpl: deps.fetch, storage: deps.storage, now: deps.now(), pow });
      this.dispatch({ type: 'join_ok', place, now: deps.now() });
    } catch (e) {
      this.dispatch({ type: 'join_failed', error: errorInfo(e), now: deps.now(), rand: deps.random() });
    }
  }

  private async fetchChallenge(): Promise<void> {
    const deps = this.deps;
    try {
      const challenge = await call<PowChallenge>('GET', `/api/v1/queue/challenge?event_id=${encodeURIComponent(this.state.eventId)}`, {
        fetchImpl: deps.fetch,
      });
      this.dispatch({ type: 'challenge_ok', challenge, now: deps.now() });
    } catch (e) {
      this.dispatch({ type: 'challenge_failed', error: errorInfo(e), now: deps.now(), rand: deps.random() });
    }
  }

  private startSolving(challenge: PowChallenge): void {
    this.solving?.abort();
    const abort = new AbortController();
    this.solving = abort;
    const deps = this.deps;
    deps
      .solve(challenge.challenge, challenge.difficulty, {
        signal: abort.signal,
        onProgress: (progress) => {
          if (!abort.signal.aborted) this.dispatch({ type: 'pow_progress', progress });
        },
      })
      .then(
        (nonce) => {
          if (abort.signal.aborted) return;
          this.solving = null;
          this.dispatch({ type: 'pow_solved', nonce, now: deps.now() });
        },
        (e: unknown) => {
          if (abort.signal.aborted) return;
          this.solving = null;
          this.dispatch({ type: 'pow_failed', error: errorInfo(e), now: deps.now() });
        },
      );
  }
}
