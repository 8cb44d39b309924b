import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { QueueController } from './controller';
import { TUNING } from './model';
import { loadDrawEntry, loadGrant, loadPlace, savePlace, type StoredPlace } from './storage';
import { FakeSocket, apiError, fakeFetch, flush, readyStatus, status, testEnv, type Call } from '../test/fakes';

const TOKEN = '11111111-2222-4333-8444-555555555555';
const ENTER_KEY = '99999999-8888-4777-8666-555555555555';
const EVENT = 'evt_test';

function place(extra: Partial<StoredPlace> = {}): StoredPlace {
  return { eventId: EVENT, token: TOKEN, initialPosition: 10, enterKey: ENTER_KEY, joinedAt: Date.now(), ...extra };
}

function granted() {
  return { status: 200, body: { admission: 'granted', reservation_token: 'rt.jwt', ttl_sec: 30, event_id: EVENT } };
}

/** A server that answers status with the given status and enter with a grant. */
function server(statusBody: () => Record<string, unknown> = () => status(4)) {
  return fakeFetch((c: Call) => {
    if (c.url.startsWith('/api/v1/queue/status')) return { status: 200, body: statusBody() };
    if (c.url === '/api/v1/queue/enter') return granted();
    if (c.url.startsWith('/api/v1/queue/leave')) return { status: 200, body: { status: 'left' } };
    return { status: 404, body: {} };
  });
}

function controller(fetchImpl: typeof fetch, opts: { autoEnter?: boolean; random?: number } = {}) {
  const p = place();
  savePlace(localStorage, p);
  const c = new QueueController(p, testEnv(fetchImpl, { random: opts.random ?? 0.5 }), { autoEnter: opts.autoEnter ?? true });
  c.start();
  return c;
}

const statusCalls = (calls: Call[]) => calls.filter((c) => c.url.startsWith('/api/v1/queue/status'));
const enterCalls = (calls: Call[]) => calls.filter((c) => c.url === '/api/v1/queue/enter');

beforeEach(() => {
  vi.useFakeTimers();
  localStorage.clear();
  FakeSocket.reset();
});

afterEach(() => {
  vi.useRealTimers();
});

describe('the socket drives the page', () => {
  it('opens one socket with the waiting token and shows the snapshot', () => {
    const { fetch } = server();
    const c = controller(fetch);
    expect(FakeSocket.all).toHaveLength(1);
    expect(FakeSocket.last().url).toContain(`token=${TOKEN}`);
    expect(c.getState().phase).toBe('resuming');
    expect(c.getState().status).toBeNull(); // nothing shown before the server speaks

    const ws = FakeSocket.last();
    ws.open();
    ws.push({ type: 'snapshot', ...status(7) });
    const s = c.getState();
    expect(s.mode).toBe('live');
    expect(s.phase).toBe('waiting');
    expect(s.status?.position).toBe(7);
    expect(s.status?.eta_range).toEqual([7, 21]);
  });

  it('applies position updates in order and ignores out-of-order or repeated seq', () => {
    const { fetch } = server();
    const c = controller(fetch);
    const ws = FakeSocket.last();
    ws.open();
    ws.push({ type: 'snapshot', ...status(7) }, 1);
    ws.push({ type: 'position', ...status(5) }, 3);
    expect(c.getState().status?.position).toBe(5);
    ws.push({ type: 'position', ...status(6) }, 2); // late
    ws.push({ type: 'position', ...status(6) }, 3); // repeated
    expect(c.getState().status?.position).toBe(5);
    ws.push({ type: 'position', ...status(4) }, 4);
    expect(c.getState().status?.position).toBe(4);
  });

  it('tracks paused, resumed, degraded and recovered without inventing positions', () => {
    const { fetch } = server();
    const c = controller(fetch);
    const ws = FakeSocket.last();
    ws.open();
    ws.push({ type: 'snapshot', ...status(3) });
    ws.push({ type: 'paused' });
    expect(c.getState().paused).toBe(true);
    expect(c.getState().pauseReason).toBe(null);
    ws.push({ type: 'paused', reason: 'reservation_service_unavailable' });
    expect(c.getState().pauseReason).toBe('reservation_service_unavailable');
    ws.push({ type: 'degraded' });
    expect(c.getState().degraded).toBe(true);
    ws.push({ type: 'recovered' });
    ws.push({ type: 'resumed' });
    expect(c.getState()).toMatchObject({ paused: false, degraded: false });
    expect(c.getState().status?.position).toBe(3);
  });

  it('records the first position as the starting point for progress', () => {
    const { fetch } = server();
    const p = place({ initialPosition: null });
    savePlace(localStorage, p);
    const c = new QueueController(p, testEnv(fetch));
    c.start();
    FakeSocket.last().open();
    FakeSocket.last().push({ type: 'snapshot', ...status(12) });
    FakeSocket.last().push({ type: 'position', ...status(8) });
    expect(c.getState().initialPosition).toBe(12);
    expect(loadPlace(localStorage, EVENT)?.initialPosition).toBe(12);
  });
});

describe('admission', () => {
  it('ready → enter with the one Idempotency-Key of this place, then keeps the grant', async () => {
    const { fetch, calls } = server();
    const c = controller(fetch);
    const ws = FakeSocket.last();
    ws.open();
    ws.push({ type: 'snapshot', ...status(1) });
    ws.push({ type: 'ready', ...readyStatus() });
    expect(c.getState().phase).toBe('entering');
    await flush();
    expect(enterCalls(calls)).toHaveLength(1);
    expect(enterCalls(calls)[0]!.headers['idempotency-key']).toBe(ENTER_KEY);
    expect(enterCalls(calls)[0]!.body).toEqual({ waiting_token: TOKEN });
    expect(c.getState().phase).toBe('entered');
    expect(c.getState().grant?.reservationToken).toBe('rt.jwt');
    expect(loadGrant(localStorage, EVENT, Date.now())?.reservationToken).toBe('rt.jwt');
  });

  it('403 NOT_READY goes back to waiting and does not retry until the server says ready again', async () => {
    let answer = apiError(403, 'NOT_READY') as { status: number; body?: unknown };
    const { fetch, calls } = fakeFetch((c) => (c.url === '/api/v1/queue/enter' ? answer : { status: 404 }));
    const c = controller(fetch);
    const ws = FakeSocket.last();
    ws.open();
    ws.push({ type: 'snapshot', ...status(1) });
    ws.push({ type: 'ready', ...readyStatus() });
    await flush();
    expect(c.getState().phase).toBe('waiting');
    expect(c.getState().notice?.code).toBe('NOT_READY');
    await vi.advanceTimersByTimeAsync(60_000);
    expect(enterCalls(calls)).toHaveLength(1); // no loop

    answer = granted();
    ws.push({ type: 'ready', ...readyStatus() });
    await flush();
    expect(enterCalls(calls)).toHaveLength(2);
    expect(enterCalls(calls)[1]!.headers['idempotency-key']).toBe(ENTER_KEY); // same action, same key
    expect(c.getState().phase).toBe('entered');
  });

  it('retries enter after a transient failure with the same key, after a backoff', async () => {
    let n = 0;
    const { fetch, calls } = fakeFetch((c) =>
      c.url === '/api/v1/queue/enter' ? (n++ === 0 ? apiError(503, 'STORE_UNAVAILABLE') : granted()) : { status: 404 },
    );
    const c = controller(fetch);
    const ws = FakeSocket.last();
    ws.open();
    ws.push({ type: 'snapshot', ...status(1) });
    ws.push({ type: 'ready', ...readyStatus() });
    await flush();
    expect(c.getState().phase).toBe('ready');
    expect(enterCalls(calls)).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(TUNING.enterBaseMs + TUNING.enterCapMs);
    expect(enterCalls(calls)).toHaveLength(2);
    expect(new Set(enterCalls(calls).map((x) => x.headers['idempotency-key']))).toEqual(new Set([ENTER_KEY]));
    expect(c.getState().phase).toBe('entered');
  });

  it('waits for the buyer when auto-enter is off, and enters once they are ready', async () => {
    const { fetch, calls } = server();
    const c = controller(fetch, { autoEnter: false });
    const ws = FakeSocket.last();
    ws.open();
    ws.push({ type: 'snapshot', ...readyStatus() });
    await flush();
    expect(c.getState().phase).toBe('ready');
    expect(enterCalls(calls)).toHaveLength(0);
    c.setAutoEnter(true);
    await flush();
    expect(enterCalls(calls)).toHaveLength(1);
    expect(c.getState().phase).toBe('entered');
  });
});

describe('reconnecting', () => {
  it('backs off exponentially with full jitter', async () => {
    const { fetch } = server();
    controller(fetch, { random: 0.5 });
    FakeSocket.last().open();
    FakeSocket.last().push({ type: 'snapshot', ...status(5) });

    FakeSocket.last().drop(1006); // failure 1: ceiling 500 ms, jitter 0.5 → 250 ms
    await vi.advanceTimersByTimeAsync(249);
    expect(FakeSocket.all).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(FakeSocket.all).toHaveLength(2);

    FakeSocket.last().drop(1006); // failure 2 (never held): ceiling 1000 ms → 500 ms
    await vi.advanceTimersByTimeAsync(499);
    expect(FakeSocket.all).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(1);
    expect(FakeSocket.all).toHaveLength(3);
  });

  it('resets the backoff after a stable connection', async () => {
    const { fetch } = server();
    const c = controller(fetch, { random: 0.5 });
    FakeSocket.last().drop(1006);
    await vi.advanceTimersByTimeAsync(250);
    expect(c.getState().failures).toBe(1);
    const ws = FakeSocket.last();
    ws.open();
    ws.push({ type: 'snapshot', ...status(5) });
    await vi.advanceTimersByTimeAsync(TUNING.stableMs);
    ws.drop(4008);
    expect(c.getState().failures).toBe(1);
    expect(c.getState().mode).toBe('reconnecting');
  });

  it('honours retry_after_ms before reconnecting after 1012 and 1013', async () => {
    const { fetch } = server();
    for (const code of [1012, 1013]) {
      FakeSocket.reset();
      const c = controller(fetch, { random: 0 });
      const ws = FakeSocket.last();
      ws.open();
      ws.push({ type: 'snapshot', ...status(5) });
      ws.push({ type: 'reconnect', retry_after_ms: 2000 });
      ws.drop(code);
      await vi.advanceTimersByTimeAsync(1999);
      expect(FakeSocket.all).toHaveLength(1);
      await vi.advanceTimersByTimeAsync(1);
      expect(FakeSocket.all).toHaveLength(2);
      c.stop();
    }
  });

  it.each([
    [4404, 'not_found'],
    [4410, 'expired'],
    [1000, 'left'],
  ] as const)('does not reconnect after close %i: the place is %s', async (code, phase) => {
    const { fetch, calls } = server();
    const c = controller(fetch);
    FakeSocket.last().open();
    FakeSocket.last().drop(code);
    await vi.advanceTimersByTimeAsync(10 * 60_000);
    expect(FakeSocket.all).toHaveLength(1);
    expect(calls).toHaveLength(0);
    expect(c.getState().phase).toBe(phase);
    expect(loadPlace(localStorage, EVENT)).toBeNull();
  });

  it('after `sale_ended` and its close 4410 does not reconnect; the draw entry outlives the place', async () => {
    const { fetch, calls } = server();
    const c = controller(fetch);
    const ws = FakeSocket.last();
    ws.open();
    ws.push({ type: 'snapshot', ...status(0, { phase: 'prequeue', queueing_method: 'random_at_start', prequeue_size: 8, eta_range: null }) });
    expect(loadDrawEntry(localStorage, EVENT)).toEqual({ eventId: EVENT, token: TOKEN, drawnRank: null });
    ws.push({ type: 'position', ...status(6, { queueing_method: 'random_at_start', drawn_rank: 6 }) });
    expect(loadDrawEntry(localStorage, EVENT)?.drawnRank).toBe(6);
    ws.push({ type: 'sale_ended', event_id: EVENT });
    ws.drop(4410);
    await vi.advanceTimersByTimeAsync(10 * 60_000);
    expect(FakeSocket.all).toHaveLength(1);
    expect(calls).toHaveLength(0);
    expect(c.getState().phase).toBe('sale_ended');
    expect(loadPlace(localStorage, EVENT)).toBeNull();
    expect(loadDrawEntry(localStorage, EVENT)?.token).toBe(TOKEN);
  });

  it('after close 4000 (replaced elsewhere) waits for the user to take the place back', async () => {
    const { fetch } = server();
    const c = controller(fetch);
    FakeSocket.last().open();
    FakeSocket.last().push({ type: 'snapshot', ...status(5) });
    FakeSocket.last().drop(4000);
    await vi.advanceTimersByTimeAsync(10 * 60_000);
    expect(FakeSocket.all).toHaveLength(1);
    expect(c.getState()).toMatchObject({ replaced: true, mode: 'closed', phase: 'waiting' });
    expect(loadPlace(localStorage, EVENT)).not.toBeNull(); // the place is still ours
    c.takeOver();
    expect(FakeSocket.all).toHaveLength(2);
  });

  it('reconnects at once when the tab becomes visible or the browser comes online', async () => {
    const { fetch } = server();
    const c = controller(fetch, { random: 0.99 });
    FakeSocket.last().drop(1006);
    expect(c.getState().mode).toBe('reconnecting');
    c.resync();
    expect(FakeSocket.all).toHaveLength(2);
    FakeSocket.last().drop(1006);
    c.setOnline(false);
    expect(c.getState().online).toBe(false);
    c.setOnline(true);
    expect(FakeSocket.all).toHaveLength(3);
  });

  it('closes a socket that stopped answering (half-open) and reconnects', async () => {
    const { fetch } = server();
    const c = controller(fetch);
    const ws = FakeSocket.last();
    ws.autoPong = false;
    ws.open();
    ws.push({ type: 'snapshot', ...status(5) });
    await vi.advanceTimersByTimeAsync(TUNING.pingEveryMs);
    expect(ws.sent).toContain('{"type":"ping"}');
    await vi.advanceTimersByTimeAsync(TUNING.pingEveryMs * 2);
    expect(ws.closedByClient).not.toBeNull();
    expect(c.getState().mode).toBe('reconnecting');
  });
});

describe('fallback to polling', () => {
  /** Fails `n` socket attempts in a row, each reconnect waited for exactly as long as needed. */
  async function failSockets(n: number) {
    for (let i = 0; i < n; i++) {
      const count = FakeSocket.all.length;
      FakeSocket.last().drop(1006);
      if (i < n - 1) {
        await vi.advanceTimersByTimeAsync(TUNING.backoffBaseMs * 2 ** i);
        expect(FakeSocket.all.length).toBe(count + 1);
      }
    }
  }

  it('polls status every poll_after_ms when no socket can be held, then upgrades back', async () => {
    let position = 9;
    const { fetch, calls } = server(() => status(position, { poll_after_ms: 3000 }));
    const c = controller(fetch, { random: 0.5 });
    await failSockets(TUNING.fallbackAfter);
    await flush();
    expect(c.getState().mode).toBe('polling');
    expect(statusCalls(calls)).toHaveLength(1);
    expect(statusCalls(calls)[0]!.url).toBe(`/api/v1/queue/status?token=${TOKEN}`);
    expect(c.getState().status?.position).toBe(9);

    position = 8; // spread ±20 % with random 0.5 → exactly 3000 ms
    await vi.advanceTimersByTimeAsync(2999);
    expect(statusCalls(calls)).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    await flush();
    expect(statusCalls(calls)).toHaveLength(2);
    expect(c.getState().status?.position).toBe(8);

    // The background upgrade attempt: a socket opens and delivers its snapshot.
    const before = FakeSocket.all.length;
    await vi.advanceTimersByTimeAsync(TUNING.upgradeBaseMs);
    expect(FakeSocket.all.length).toBe(before + 1);
    FakeSocket.last().open();
    FakeSocket.last().push({ type: 'snapshot', ...status(7) });
    expect(c.getState().mode).toBe('live');
    const polls = statusCalls(calls).length;
    await vi.advanceTimersByTimeAsync(60_000);
    expect(statusCalls(calls)).toHaveLength(polls); // polling stopped
    expect(c.getState().status?.position).toBe(7);
  });

  it('keeps polling when the upgrade attempt fails, and tries again later', async () => {
    const { fetch } = server();
    const c = controller(fetch, { random: 0.5 });
    await failSockets(TUNING.fallbackAfter);
    const before = FakeSocket.all.length;
    await vi.advanceTimersByTimeAsync(TUNING.upgradeBaseMs);
    expect(FakeSocket.all.length).toBe(before + 1);
    FakeSocket.last().drop(1006);
    expect(c.getState().mode).toBe('polling');
    await vi.advanceTimersByTimeAsync(TUNING.upgradeBaseMs * 2);
    expect(FakeSocket.all.length).toBe(before + 2);
  });

  it('falls back when the browser refuses to create a WebSocket at all', async () => {
    const { fetch, calls } = server();
    const env = testEnv(fetch);
    env.createSocket = () => {
      throw new Error('WebSocket is blocked');
    };
    savePlace(localStorage, place());
    const c = new QueueController(place(), env, { autoEnter: true });
    c.start();
    await vi.advanceTimersByTimeAsync(TUNING.backoffBaseMs * 4);
    await flush();
    expect(c.getState().mode).toBe('polling');
    expect(statusCalls(calls).length).toBeGreaterThan(0);
    expect(c.getState().status?.position).toBe(4);
  });

  it('enters from a polled ready status', async () => {
    let ready = false;
    const { fetch, calls } = server(() => (ready ? readyStatus() : status(1)));
    const c = controller(fetch);
    await failSockets(TUNING.fallbackAfter);
    await flush();
    ready = true;
    await vi.advanceTimersByTimeAsync(2000);
    await flush();
    expect(enterCalls(calls)).toHaveLength(1);
    expect(c.getState().phase).toBe('entered');
  });

  it('ends honestly when a poll says the token expired', async () => {
    const { fetch } = fakeFetch(() => apiError(404, 'TOKEN_EXPIRED'));
    const c = controller(fetch);
    await failSockets(TUNING.fallbackAfter);
    await flush();
    expect(c.getState().phase).toBe('expired');
    expect(loadPlace(localStorage, EVENT)).toBeNull();
  });

  it('keeps the place through a store outage, waiting at least Retry-After', async () => {
    let down = true;
    const { fetch, calls } = fakeFetch(() =>
      down ? apiError(503, 'STORE_UNAVAILABLE', { 'retry-after': '5' }) : { status: 200, body: status(3) },
    );
    const c = controller(fetch);
    await failSockets(TUNING.fallbackAfter);
    await flush();
    expect(c.getState()).toMatchObject({ phase: 'resuming', degraded: true, mode: 'polling' });
    const n = statusCalls(calls).length;
    await vi.advanceTimersByTimeAsync(4999);
    expect(statusCalls(calls)).toHaveLength(n);
    down = false;
    await vi.advanceTimersByTimeAsync(1);
    await flush();
    expect(c.getState()).toMatchObject({ phase: 'waiting', degraded: false });
  });
});

describe('terminal states and leaving', () => {
  it('expired: forgets the place and never reconnects', async () => {
    const { fetch } = server();
    const c = controller(fetch);
    const ws = FakeSocket.last();
    ws.open();
    ws.push({ type: 'snapshot', ...status(2) });
    ws.push({ type: 'expired', reason: 'entry_window_ended' });
    ws.drop(4410);
    await vi.advanceTimersByTimeAsync(10 * 60_000);
    expect(c.getState()).toMatchObject({ phase: 'expired', expiredReason: 'entry_window_ended', mode: 'closed' });
    expect(FakeSocket.all).toHaveLength(1);
    expect(loadPlace(localStorage, EVENT)).toBeNull();
  });

  it('leave is explicit: DELETE leave, then the left state', async () => {
    const { fetch, calls } = server();
    const c = controller(fetch);
    FakeSocket.last().open();
    FakeSocket.last().push({ type: 'snapshot', ...status(2) });
    c.leave();
    await flush();
    expect(calls.map((x) => `${x.method} ${x.url}`)).toEqual([`DELETE /api/v1/queue/leave?token=${TOKEN}`]);
    expect(c.getState().phase).toBe('left');
    expect(loadPlace(localStorage, EVENT)).toBeNull();
  });

  it('closing the page stops the socket but never leaves the queue', async () => {
    const { fetch, calls } = server();
    const c = controller(fetch);
    FakeSocket.last().open();
    FakeSocket.last().push({ type: 'snapshot', ...status(2) });
    c.stop();
    await vi.advanceTimersByTimeAsync(10 * 60_000);
    expect(calls).toHaveLength(0);
    expect(FakeSocket.last().closedByClient).toBe(1000);
    expect(loadPlace(localStorage, EVENT)?.token).toBe(TOKEN);
  });
});
