import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Solver } from '../pow/solve';
import { JoinFlow, type JoinDeps } from './join';
import { loadPlace, savePlace } from './storage';
import { apiError, fakeFetch, flush, type Call } from '../test/fakes';

const EVENT = 'evt_sched';
const TOKEN = '22222222-3333-4444-8555-666666666666';
const KEY = '99999999-8888-4777-8666-555555555555';

function joined() {
  return { status: 202, body: { waiting_token: TOKEN, position: 0, position_hint: 0, eta_sec: 0, status: 'waiting', ws_url: '/ws' } };
}

function deps(fetchImpl: typeof fetch, solve: Solver, random = 0.5): JoinDeps {
  return {
    fetch: fetchImpl,
    storage: localStorage,
    now: () => Date.now(),
    random: () => random,
    setTimeout: (fn, ms) => setTimeout(fn, ms),
    clearTimeout: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
    solve,
  };
}

const joins = (calls: Call[]) => calls.filter((c) => c.url === '/api/v1/queue/join');
const noSolve: Solver = () => Promise.reject(new Error('not expected'));

beforeEach(() => {
  vi.useFakeTimers();
  vi.setSystemTime(1_700_000_000_000);
  localStorage.clear();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('the join flow driver', () => {
  it('counts down to the opening and joins by itself, with the same Idempotency-Key', async () => {
    const opens = Date.now() + 120_000;
    let open = false;
    const { fetch, calls } = fakeFetch((c) =>
      c.url === '/api/v1/queue/join'
        ? open
          ? joined()
          : { status: 403, body: { error: { code: 'SALE_NOT_OPEN', message: 'not yet', trace_id: 't', opens_at: opens } }, headers: { 'Retry-After': '120' } }
        : { status: 404 },
    );
    const flow = new JoinFlow(EVENT, deps(fetch, noSolve, 0.5), KEY);
    flow.join();
    await flush();
    expect(flow.getState()).toMatchObject({ phase: 'countdown', opensAt: opens, joinAt: opens + 1_000 });

    open = true;
    await vi.advanceTimersByTimeAsync(120_999);
    expect(joins(calls)).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    await flush();
    expect(joins(calls)).toHaveLength(2);
    expect(joins(calls).map((c) => c.headers['idempotency-key'])).toEqual([KEY, KEY]);
    expect(flow.getState()).toMatchObject({ phase: 'joined', place: { token: TOKEN } });
    expect(loadPlace(localStorage, EVENT)?.token).toBe(TOKEN);
  });

  it('solves the challenge when one is required and sends the solution with the join', async () => {
    let n = 0;
    const { fetch, calls } = fakeFetch((c) => {
      if (c.url === `/api/v1/queue/challenge?event_id=${EVENT}`) return { status: 200, body: { challenge: 'ch-1', difficulty: 16, expires_at: Date.now() + 60_000 } };
      if (c.url === '/api/v1/queue/join') return n++ === 0 ? apiError(403, 'POW_REQUIRED') : joined();
      return { status: 404 };
    });
    const solve = vi.fn<Solver>(async (_c, _d, opts) => {
      opts?.onProgress?.({ tried: 30_000, expected: 65_536, rate: 100_000 });
      return '51234';
    });
    const flow = new JoinFlow(EVENT, deps(fetch, solve), KEY);
    const seen: string[] = [];
    flow.subscribe(() => seen.push(flow.getState().phase));
    flow.join();
    await flush();
    expect(solve).toHaveBeenCalledWith('ch-1', 16, expect.objectContaining({ signal: expect.any(AbortSignal) }));
    expect(seen).toEqual(['joining', 'challenge', 'solving', 'solving', 'joining', 'joined']);
    expect(joins(calls)[1]!.body).toEqual({ event_id: EVENT, pow: { challenge: 'ch-1', nonce: '51234' } });
    expect(joins(calls)[1]!.headers['idempotency-key']).toBe(KEY);
  });

  it('stops the solver and the countdown when the page goes away', async () => {
    const { fetch, calls } = fakeFetch((c) =>
      c.url.startsWith('/api/v1/queue/challenge') ? { status: 200, body: { challenge: 'x', difficulty: 20, expires_at: 0 } } : apiError(403, 'POW_REQUIRED'),
    );
    let signal: AbortSignal | undefined;
    const solve: Solver = (_c, _d, opts) => {
      signal = opts?.signal;
      return new Promise(() => {});
    };
    const flow = new JoinFlow(EVENT, deps(fetch, solve), KEY);
    flow.join();
    await flush();
    expect(flow.getState().phase).toBe('solving');
    flow.stop();
    expect(signal?.aborted).toBe(true);
    await vi.advanceTimersByTimeAsync(600_000);
    expect(joins(calls)).toHaveLength(1);
  });

  it('takes the place another tab of this browser joined meanwhile instead of a second one', async () => {
    const { fetch, calls } = fakeFetch(() => joined());
    const flow = new JoinFlow(EVENT, deps(fetch, noSolve), KEY);
    savePlace(localStorage, { eventId: EVENT, token: 'other-tab', initialPosition: 3, enterKey: 'k', joinedAt: 0 });
    flow.join();
    await flush();
    expect(calls).toHaveLength(0);
    expect(flow.getState()).toMatchObject({ phase: 'joined', place: { token: 'other-tab' } });
  });
});
