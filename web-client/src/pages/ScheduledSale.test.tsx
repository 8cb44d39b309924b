import { act, cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { SolveOptions } from '../pow/solve';
import { initialState, type QueueState } from '../queue/model';
import { loadDrawEntry, savePlace } from '../queue/storage';
import { parseRoute } from '../router';
import { FakeSocket, apiError, fakeFetch, flush, status } from '../test/fakes';
import { EventPage } from './EventPage';
import { WaitingRoom } from './WaitingRoom';

// The proof-of-work solver, controlled by the test (no Worker in jsdom).
const solver = vi.hoisted(() => ({
  calls: [] as { challenge: string; difficulty: number; opts?: SolveOptions; resolve: (nonce: string) => void }[],
}));
vi.mock('../pow/solve', () => ({
  solve: (challenge: string, difficulty: number, opts?: SolveOptions) =>
    new Promise<string>((resolve) => solver.calls.push({ challenge, difficulty, opts, resolve })),
}));

const TOKEN = '12345678-1234-4234-8234-123456789abc';
const T0 = 1_800_000_000_000;

function joined() {
  return { status: 202, body: { waiting_token: TOKEN, position: 0, position_hint: 0, eta_sec: 0, status: 'waiting', ws_url: '/ws' } };
}

function prequeue(extra: Record<string, unknown> = {}) {
  return status(0, {
    phase: 'prequeue',
    queueing_method: 'random_at_start',
    prequeue_size: 1234,
    eta_range: null,
    sale_starts_at: T0 + 10 * 60_000,
    sale_ends_at: T0 + 60 * 60_000,
    ...extra,
  });
}

/** Lets fetch answers, timers and React's updates run. */
async function settle(ms = 0) {
  await act(async () => {
    await flush();
    if (ms) await vi.advanceTimersByTimeAsync(ms);
    await flush();
  });
}

beforeEach(() => {
  localStorage.clear();
  FakeSocket.reset();
  solver.calls = [];
  vi.useFakeTimers();
  vi.setSystemTime(T0);
  vi.spyOn(Math, 'random').mockReturnValue(0.5);
  vi.stubGlobal('WebSocket', FakeSocket);
});
afterEach(() => {
  cleanup();
  vi.useRealTimers();
  vi.unstubAllGlobals();
});

describe('joining a scheduled sale', () => {
  it('counts down to the opening, joins by itself, then shows the random pre-queue', async () => {
    const opens = T0 + 65_000;
    const { fetch, calls } = fakeFetch((c) => {
      if (c.url !== '/api/v1/queue/join') return { status: 404 };
      if (Date.now() >= opens) return joined();
      return {
        status: 403,
        body: { error: { code: 'SALE_NOT_OPEN', message: 'the queue opens later', trace_id: 't', opens_at: opens } },
        headers: { 'Retry-After': String(Math.ceil((opens - Date.now()) / 1000)) },
      };
    });
    vi.stubGlobal('fetch', fetch);
    render(<EventPage eventId="evt_s" />);
    fireEvent.click(screen.getByTestId('join'));
    await settle();

    const countdown = screen.getByTestId('countdown');
    expect(within(countdown).getByRole('heading', { name: 'The queue is not open yet' })).toBeTruthy();
    expect(screen.getByRole('timer').textContent).toBe('1:05');
    expect(countdown.textContent).toContain('joins the queue for you');

    // The page also reads the event (GET /api/v1/events/evt_s); only the joins count here.
    const joins = () => calls.filter((c) => c.url === '/api/v1/queue/join');
    await settle(30_000);
    expect(screen.getByRole('timer').textContent).toBe('0:35');
    expect(joins()).toHaveLength(1);

    // At zero, plus the jitter (Math.random 0.5 → 1 s), the page joins by itself.
    await settle(35_000);
    expect(joins()).toHaveLength(1);
    await settle(1_000);
    expect(joins()).toHaveLength(2);
    expect(joins()[1]!.headers['idempotency-key']).toBe(joins()[0]!.headers['idempotency-key']);
    await settle();

    expect(FakeSocket.all).toHaveLength(1);
    act(() => {
      FakeSocket.last().open();
      FakeSocket.last().push({ type: 'snapshot', ...prequeue() });
    });
    await settle(0);
    expect(screen.getByRole('heading', { level: 1 }).textContent).toBe('You’re in the pre-queue');
    expect(screen.getByTestId('draw-at').textContent).toMatch(/^Your place in line will be drawn at /);
    expect(screen.getByTestId('sale-start').textContent).toContain('in 8:54');
    expect(screen.getByTestId('prequeue-size').textContent).toContain('1,234');
    expect(screen.queryByTestId('position')).toBeNull(); // no position exists yet

    act(() => FakeSocket.last().push({ type: 'position', ...prequeue({ prequeue_size: 1500 }) }));
    await settle(10_000);
    expect(screen.getByTestId('prequeue-size').textContent).toContain('1,500');
    expect(screen.getByTestId('live-position').textContent).toBe('1,500 in the pre-queue.');
  });

  it('shows the browser check with its progress, then joins with the solution', async () => {
    let n = 0;
    const { fetch, calls } = fakeFetch((c) => {
      if (c.url === '/api/v1/queue/challenge?event_id=evt_p') return { status: 200, body: { challenge: 'ch', difficulty: 20, expires_at: T0 + 60_000 } };
      if (c.url === '/api/v1/queue/join') return n++ === 0 ? apiError(403, 'POW_REQUIRED') : joined();
      return { status: 404 };
    });
    vi.stubGlobal('fetch', fetch);
    render(<EventPage eventId="evt_p" />);
    fireEvent.click(screen.getByTestId('join'));
    await settle();

    expect(solver.calls).toHaveLength(1);
    expect(solver.calls[0]).toMatchObject({ challenge: 'ch', difficulty: 20 });
    act(() => solver.calls[0]!.opts?.onProgress?.({ tried: 262_144, expected: 1_048_576, rate: 262_144 }));
    const bar = screen.getByRole('progressbar', { name: 'Browser check' });
    expect(bar.getAttribute('aria-valuenow')).toBe('25');
    expect(screen.getByTestId('browser-check-text').textContent).toBe('Checking your browser… (about 3 s)');

    await act(async () => solver.calls[0]!.resolve('987654'));
    await settle();
    const joins = calls.filter((c) => c.url === '/api/v1/queue/join');
    expect(joins[1]!.body).toEqual({ event_id: 'evt_p', pow: { challenge: 'ch', nonce: '987654' } });
    expect(FakeSocket.all).toHaveLength(1); // joined: the queue page took over
  });

  it('says the sale has ended when the join is answered 410 SALE_ENDED', async () => {
    vi.stubGlobal('fetch', fakeFetch(() => apiError(410, 'SALE_ENDED')).fetch);
    render(<EventPage eventId="evt_e" />);
    fireEvent.click(screen.getByTestId('join'));
    await settle();
    expect(screen.getByRole('heading', { level: 1 }).textContent).toBe('This sale has ended');
    expect(screen.queryByTestId('join')).toBeNull();
  });

  it('says the sale has ended when the socket says so, with the way to check the draw', async () => {
    savePlace(localStorage, { eventId: 'evt_e2', token: TOKEN, initialPosition: null, enterKey: 'k', joinedAt: 0 });
    vi.stubGlobal('fetch', fakeFetch(() => ({ status: 500 })).fetch);
    render(<EventPage eventId="evt_e2" />);
    act(() => {
      FakeSocket.last().open();
      FakeSocket.last().push({ type: 'snapshot', ...prequeue() });
      FakeSocket.last().push({ type: 'sale_ended', event_id: 'evt_e2' });
      FakeSocket.last().drop(4410);
    });
    expect(screen.getByTestId('ended').textContent).toBe('This sale has ended');
    expect(screen.getByRole('link', { name: 'verify my draw' }).getAttribute('href')).toBe('/events/evt_e2/draw');
    expect(loadDrawEntry(localStorage, 'evt_e2')?.token).toBe(TOKEN);
    await settle(60_000);
    expect(FakeSocket.all).toHaveLength(1); // no reconnect after 4410
  });
});

function stateWith(st: Record<string, unknown>, over: Partial<QueueState> = {}): QueueState {
  const s = initialState({ eventId: 'evt', token: TOKEN, initialPosition: null, enterKey: 'k' });
  return { ...s, phase: 'waiting', mode: 'live', statusAt: Date.now(), status: st as never, ...over };
}

describe('the waiting room of a scheduled sale', () => {
  const noop = () => {};

  it('a FIFO pre-queue shows the place in line, already fixed', () => {
    const st = status(42, { phase: 'prequeue', queueing_method: 'fifo', prequeue_size: 300, sale_starts_at: T0 + 90_000 });
    render(<WaitingRoom state={stateWith(st, { phase: 'prequeue' })} role="leader" auth={null} now={Date.now()} act={noop} />);
    expect(screen.getByTestId('position').textContent).toBe('42');
    expect(screen.getByTestId('fifo').textContent).toContain('in the order people joined');
    expect(screen.getByTestId('sale-start').textContent).toContain('(in 1:30)');
    expect(screen.queryByTestId('draw-at')).toBeNull();
    expect(screen.getByTestId('live-position').textContent).toBe('Place in line 42. 300 in the pre-queue.');
  });

  it('the draw moment says "Drawing…" and shows no position', () => {
    const st = prequeue({ phase: 'drawing', prequeue_size: 5000 });
    render(<WaitingRoom state={stateWith(st, { phase: 'drawing' })} role="leader" auth={null} now={Date.now()} act={noop} />);
    expect(screen.getByRole('heading', { level: 1 }).textContent).toBe('Drawing…');
    expect(screen.getByTestId('drawing').textContent).toContain('5,000');
    expect(screen.queryByTestId('position')).toBeNull();
    expect(screen.getByTestId('live-position').textContent).toBe('The entry list is closed. Places are being drawn.');
  });

  it('after the draw: the position, the drawn rank and the link to verify it', () => {
    const st = status(17, { queueing_method: 'random_at_start', drawn_rank: 17 });
    render(<WaitingRoom state={stateWith(st, { initialPosition: 17, inDraw: true })} role="leader" auth={null} now={Date.now()} act={noop} />);
    expect(screen.getByRole('heading', { level: 1 }).textContent).toBe('You’re in the queue');
    expect(screen.getByTestId('position').textContent).toBe('17');
    expect(screen.getByTestId('drawn-rank').textContent).toContain('You drew number 17');
    expect(screen.getByRole('link', { name: 'Verify my draw' }).getAttribute('href')).toBe('/events/evt/draw');
  });

  it('an unscheduled event shows no draw', () => {
    render(<WaitingRoom state={stateWith(status(4))} role="leader" auth={null} now={Date.now()} act={noop} />);
    expect(screen.queryByTestId('drawn-rank')).toBeNull();
    expect(screen.queryByTestId('prequeue')).toBeNull();
  });
});

describe('the route of the draw page', () => {
  it('is /events/{id}/draw', () => {
    expect(parseRoute('/events/evt_1/draw')).toEqual({ page: 'draw', eventId: 'evt_1' });
    expect(parseRoute('/events/evt_1/draw/')).toEqual({ page: 'draw', eventId: 'evt_1' });
    expect(parseRoute('/events/evt_1')).toEqual({ page: 'event', eventId: 'evt_1' });
  });
});
