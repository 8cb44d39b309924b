import { act, cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { EventPage } from './EventPage';
import { WaitingRoom } from './WaitingRoom';
import { initialState, type QueueState } from '../queue/model';
import { savePlace } from '../queue/storage';
import { FakeSocket, fakeFetch, readyStatus, status } from '../test/fakes';

const TOKEN = '12345678-1234-4234-8234-123456789abc';

beforeEach(() => {
  localStorage.clear();
  FakeSocket.reset();
  vi.stubGlobal('WebSocket', FakeSocket);
});
afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

describe('resume after reload', () => {
  it('resumes the stored place with its token instead of joining again', async () => {
    savePlace(localStorage, { eventId: 'evt_r', token: TOKEN, initialPosition: 20, enterKey: crypto.randomUUID(), joinedAt: 0 });
    const { fetch, calls } = fakeFetch(() => ({ status: 500 }));
    vi.stubGlobal('fetch', fetch);
    render(<EventPage eventId="evt_r" />);

    expect(FakeSocket.all).toHaveLength(1);
    expect(FakeSocket.last().url).toContain(`token=${TOKEN}`);
    expect(screen.getByText(/Checking your place/)).toBeTruthy(); // no number before the server's

    act(() => {
      FakeSocket.last().open();
      FakeSocket.last().push({ type: 'snapshot', ...status(5, { total_waiting: 9 }) });
    });
    expect(screen.getByTestId('position').textContent).toBe('5');
    expect(screen.getByTestId('ahead').textContent).toContain('4 people are ahead of you');
    expect(screen.getByTestId('ahead').textContent).toContain('9 waiting in all');
    // Progress from the stored starting position 20: (20 − 5) / 20 = 75 %.
    expect(screen.getByRole('progressbar').getAttribute('aria-valuenow')).toBe('75');
    expect(screen.getByTestId('kept').textContent).toContain('Your place is kept');
    expect(screen.getByTestId('connection').textContent).toContain('Live');
    expect(calls.filter((c) => c.method !== 'GET')).toHaveLength(0); // no join, no leave
  });

  it('shows the join button when nothing is stored for this event', () => {
    savePlace(localStorage, { eventId: 'other_event', token: TOKEN, initialPosition: 1, enterKey: 'k', joinedAt: 0 });
    render(<EventPage eventId="evt_new" />);
    expect(screen.getByTestId('join')).toBeTruthy();
    expect(FakeSocket.all).toHaveLength(0);
  });
});

function waitingState(over: Partial<QueueState> = {}): QueueState {
  const s = initialState({ eventId: 'evt', token: TOKEN, initialPosition: 10, enterKey: 'k' });
  return { ...s, phase: 'waiting', mode: 'live', statusAt: Date.now(), ...over };
}

describe('the waiting room shows only what the server said', () => {
  const noop = () => {};

  it('shows the ETA as a range, the position in a polite live region, and time waited', () => {
    const st = status(4, { eta_range: [120, 300], confidence: 0.9, waiting_time: 65 });
    render(<WaitingRoom state={waitingState({ status: st as never })} role="leader" auth={null} now={Date.now()} act={noop} />);
    expect(screen.getByTestId('eta').textContent).toContain('about 2–5 min');
    expect(screen.getByTestId('eta').textContent).toContain('confidence high');
    expect(screen.getByTestId('waited').textContent).toContain('1 min 05 s');
    const live = screen.getByTestId('live-position');
    expect(live.getAttribute('aria-live')).toBe('polite');
    expect(live.textContent).toBe('Position 4, 3 ahead of you.');
  });

  it('says admission is paused instead of showing an estimate', () => {
    const st = status(4, { paused: true });
    render(<WaitingRoom state={waitingState({ status: st as never, paused: true })} role="leader" auth={null} now={Date.now()} act={noop} />);
    expect(screen.getByTestId('paused').textContent).toContain('paused');
    expect(screen.queryByTestId('eta')).toBeNull();
  });

  it('tells which transport is in use', () => {
    const st = status(4, { poll_after_ms: 6000 });
    const { rerender } = render(
      <WaitingRoom state={waitingState({ status: st as never, mode: 'polling' })} role="leader" auth={null} now={Date.now()} act={noop} />,
    );
    expect(screen.getByTestId('connection').textContent).toContain('checking every 6 s');
    rerender(
      <WaitingRoom
        state={waitingState({ status: st as never, mode: 'reconnecting', retryAt: Date.now() + 3000 })}
        role="leader"
        auth={null}
        now={Date.now()}
        act={noop}
      />,
    );
    expect(screen.getByTestId('connection').textContent).toContain('reconnecting in 3 s');
    rerender(<WaitingRoom state={waitingState({ status: st as never })} role="follower" auth={null} now={Date.now()} act={noop} />);
    expect(screen.getByTestId('connection').textContent).toContain('another tab');
  });

  it('announces "your turn" assertively, with the server deadline', () => {
    const deadline = Date.now() + 90_000;
    render(
      <WaitingRoom
        state={waitingState({ phase: 'ready', status: readyStatus(deadline) as never })}
        role="leader"
        auth={null}
        now={Date.now()}
        act={noop}
      />,
    );
    const ready = screen.getByTestId('ready');
    expect(within(ready).getByText(/1:30 left/)).toBeTruthy();
    expect(within(ready).getByText('Sign in to continue')).toBeTruthy();
    const assertive = document.querySelector('[aria-live="assertive"]');
    expect(assertive?.textContent).toContain('your turn');
  });
});

describe('what operators say, in the waiting room', () => {
  const noop = () => {};

  it('shows the operator’s message as a status, with the position', () => {
    const announcement = { message: 'Doors open at 18:00.', at_ms: Date.now() };
    render(
      <WaitingRoom state={waitingState({ status: status(4) as never, announcement })} role="leader" auth={null} now={Date.now()} act={noop} />,
    );
    const banner = screen.getByTestId('announcement');
    expect(banner.getAttribute('role')).toBe('status');
    expect(banner.textContent).toContain('Message from the organiser');
    expect(banner.textContent).toContain('Doors open at 18:00.');
    expect(screen.getByTestId('position').textContent).toBe('4');
  });

  it('"queue everyone" says admission starts soon, not that it is paused, and gives no estimate yet', () => {
    render(<WaitingRoom state={waitingState({ status: status(4) as never, queueAll: true })} role="leader" auth={null} now={Date.now()} act={noop} />);
    expect(screen.getByTestId('gathering').textContent).toContain('Everyone is being queued; admission starts soon.');
    expect(screen.queryByTestId('paused')).toBeNull();
    expect(screen.queryByTestId('eta')).toBeNull();
  });
});

describe('choosing seats while waiting', () => {
  const noop = () => {};
  const event = {
    event_id: 'evt',
    name: 'Night 1',
    sections: [{ id: 'VIP', remain: 12, total: 100, price: { amount: 150_000, currency: 'KRW' } }],
    queue: { state: 'open' as const, waiting: 4 },
  };

  it('shows the sections and prices, and keeps the choice with the place', () => {
    const state = waitingState({ status: status(4) as never });
    const { unmount } = render(<WaitingRoom state={state} role="leader" auth={null} now={Date.now()} act={noop} event={event} />);
    const card = within(screen.getByTestId('prechoice'));
    expect(card.getByText('VIP').parentElement?.textContent).toContain('12 left');
    fireEvent.click(card.getByLabelText('Specific seats'));
    fireEvent.change(card.getByLabelText(/Seat ids/), { target: { value: 'vip-3-12, vip-3-13' } });
    expect(card.getByTestId('prechoice-kept').textContent).toBe('Kept for your turn: seats VIP-3-12, VIP-3-13.');
    unmount();

    // A reload (or another visit) finds it as it was left.
    render(<WaitingRoom state={state} role="leader" auth={null} now={Date.now()} act={noop} event={event} />);
    expect((screen.getByLabelText(/Seat ids/) as HTMLInputElement).value).toBe('vip-3-12, vip-3-13');
  });
});
