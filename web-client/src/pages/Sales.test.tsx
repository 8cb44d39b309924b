import { act, cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { PublicEvent } from '../api/types';
import { savePlace } from '../queue/storage';
import { parseRoute } from '../router';
import { FakeSocket, apiError, fakeFetch, settle, status } from '../test/fakes';
import { EventPage } from './EventPage';
import { Home } from './Home';

const TOKEN = '12345678-1234-4234-8234-123456789abc';

function event(over: Partial<PublicEvent> = {}, queue: Partial<PublicEvent['queue']> = {}): PublicEvent {
  return {
    event_id: 'evt_1',
    name: 'Stadium tour, night 1',
    description: 'The first night of the tour: doors open at 17:30.',
    starts_at: '2025-10-01T10:00:00Z',
    venue: { name: 'Olympic Stadium', city: 'Seoul', address: '25 Olympic-ro', country: 'KR' },
    total: 300,
    remaining: 120,
    sections: [
      { id: 'VIP', remain: 0, total: 100, price: { amount: 150_000, currency: 'KRW' } },
      { id: 'A', remain: 120, total: 200, price: { amount: 90_000, currency: 'KRW' } },
    ],
    queue: { state: 'open', waiting: 42, ...queue },
    ...over,
  };
}


beforeEach(() => {
  localStorage.clear();
  FakeSocket.reset();
  vi.stubGlobal('WebSocket', FakeSocket);
});
afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

describe('an event before joining', () => {
  it('shows what, when, where, the prices and seats left, where the queue stands and who waits', async () => {
    vi.stubGlobal('fetch', fakeFetch((c) => (c.url === '/api/v1/events/evt_1' ? { status: 200, body: event() } : { status: 500 })).fetch);
    render(<EventPage eventId="evt_1" />);
    await settle();
    expect(screen.getByRole('heading', { level: 1 }).textContent).toBe('Stadium tour, night 1');
    expect(screen.getByTestId('event-venue').textContent).toBe('Olympic Stadium, 25 Olympic-ro, Seoul, KR');
    expect(screen.getByTestId('event-date').textContent).toMatch(/2025/);
    expect(screen.getByTestId('event-seats').textContent).toBe('120 of 300');
    expect(screen.getByText(/doors open at 17:30/)).toBeTruthy();
    expect(screen.getByTestId('sale-state').textContent).toContain('On sale now.');
    expect(screen.getByTestId('waiting-count').textContent).toBe('42 people are waiting.');
    const sections = within(screen.getByTestId('sections'));
    expect(sections.getByText('VIP').parentElement?.textContent).toContain('sold out');
    expect(sections.getByText('A').parentElement?.textContent).toContain('120 left');
    expect(screen.getByTestId('join')).toBeTruthy();
  });

  it('says "No such sale", with the way back to all sales, for an id the server does not know', async () => {
    vi.stubGlobal('fetch', fakeFetch(() => apiError(404, 'EVENT_NOT_FOUND')).fetch);
    render(<EventPage eventId="evt_typo" />);
    await settle();
    expect(screen.getByRole('heading', { level: 1 }).textContent).toBe('No such sale');
    expect(screen.getByRole('link', { name: 'All sales' }).getAttribute('href')).toBe('/');
    expect(screen.queryByTestId('join')).toBeNull();
    expect(screen.queryByText(/your turn/i)).toBeNull();
  });

  it('says "No such sale" when the join itself is answered EVENT_NOT_FOUND', async () => {
    vi.stubGlobal('fetch', fakeFetch((c) => (c.url === '/api/v1/queue/join' ? apiError(404, 'EVENT_NOT_FOUND') : { status: 500 })).fetch);
    render(<EventPage eventId="evt_gone" />);
    await settle();
    fireEvent.click(screen.getByTestId('join'));
    await settle();
    expect(screen.getByRole('heading', { level: 1 }).textContent).toBe('No such sale');
  });

  it.each([
    ['sold_out', 'Sold out'],
    ['ended', 'This sale has ended'],
    ['cancelled', 'This sale was cancelled'],
  ] as const)('a %s sale says so and offers no join', async (state, title) => {
    vi.stubGlobal('fetch', fakeFetch(() => ({ status: 200, body: event({ remaining: state === 'sold_out' ? 0 : 120 }, { state }) })).fetch);
    render(<EventPage eventId="evt_1" />);
    await settle();
    const closed = screen.getByTestId('sale-closed');
    expect(within(closed).getByRole('heading').textContent).toBe(title);
    expect(screen.queryByTestId('join')).toBeNull();
    expect(screen.queryByRole('button', { name: /join/i })).toBeNull();
  });

  it('"queue everyone" is told as gathering, not as a pause, and joining is offered', async () => {
    vi.stubGlobal('fetch', fakeFetch(() => ({ status: 200, body: event({}, { state: 'gathering' }) })).fetch);
    render(<EventPage eventId="evt_1" />);
    await settle();
    expect(screen.getByTestId('sale-state').textContent).toContain('Everyone is being queued; admission starts soon.');
    expect(screen.getByTestId('sale-state').textContent).not.toMatch(/paused/i);
    expect(screen.getByTestId('join')).toBeTruthy();
  });

  it('shows the operator’s message before joining', async () => {
    const announcement = { message: 'Two tickets per buyer tonight.', at_ms: Date.now() };
    vi.stubGlobal('fetch', fakeFetch(() => ({ status: 200, body: event({}, { announcement }) })).fetch);
    render(<EventPage eventId="evt_1" />);
    await settle();
    expect(screen.getByTestId('announcement').getAttribute('role')).toBe('status');
    expect(screen.getByTestId('announcement').textContent).toContain('Two tickets per buyer tonight.');
  });

  it('still offers to join when the event cannot be read', async () => {
    vi.stubGlobal('fetch', fakeFetch(() => ({ status: 503 })).fetch);
    render(<EventPage eventId="evt_1" />);
    await settle();
    expect(screen.getByTestId('join')).toBeTruthy();
  });

  it('a waiting place told the sale was cancelled says so, apart from a sale that ended', async () => {
    vi.stubGlobal('fetch', fakeFetch(() => ({ status: 500 })).fetch);
    savePlace(localStorage, { eventId: 'evt_c', token: TOKEN, initialPosition: 3, enterKey: 'k', joinedAt: 0 });
    render(<EventPage eventId="evt_c" />);
    act(() => {
      FakeSocket.last().open();
      FakeSocket.last().push({ type: 'snapshot', ...status(3) });
      FakeSocket.last().push({ type: 'sale_ended', event_id: 'evt_c', cancelled: true });
      FakeSocket.last().drop(4410);
    });
    expect(screen.getByTestId('ended').textContent).toBe('This sale was cancelled');
    expect(screen.getByRole('link', { name: 'All sales' })).toBeTruthy();
  });

  it('a place an operator removed ends with a page that says so, and no reconnect', async () => {
    vi.stubGlobal('fetch', fakeFetch(() => ({ status: 500 })).fetch);
    savePlace(localStorage, { eventId: 'evt_r', token: TOKEN, initialPosition: 3, enterKey: 'k', joinedAt: 0 });
    render(<EventPage eventId="evt_r" />);
    act(() => {
      FakeSocket.last().open();
      FakeSocket.last().push({ type: 'snapshot', ...status(3) });
      FakeSocket.last().push({ type: 'expired', reason: 'revoked' });
      FakeSocket.last().drop(4410);
    });
    const ended = screen.getByTestId('ended');
    expect(ended.textContent).toBe('Your place was removed');
    expect(ended.getAttribute('data-reason')).toBe('revoked');
    expect(screen.getByText(/An operator of this sale removed your place/)).toBeTruthy();
    expect(FakeSocket.all).toHaveLength(1);
  });
});

describe('the home page', () => {
  it('lists the sales with date, venue, price range, seats left and queue state, each a link', async () => {
    const list = {
      events: [
        event(),
        event({ event_id: 'evt_2', name: 'Night 2', remaining: 0, starts_at: undefined, venue: undefined }, { state: 'sold_out', waiting: 0 }),
      ],
    };
    vi.stubGlobal('fetch', fakeFetch((c) => (c.url === '/api/v1/events' ? { status: 200, body: list } : { status: 500 })).fetch);
    render(<Home />);
    await settle();
    const [first, second] = screen.getAllByTestId('sale');
    const one = within(first!);
    expect(one.getByRole('link', { name: 'Stadium tour, night 1' }).getAttribute('href')).toBe('/events/evt_1');
    expect(one.getByTestId('sale-venue').textContent).toBe('Olympic Stadium, Seoul');
    expect(one.getByTestId('sale-prices').textContent).toMatch(/90,000.*150,000/);
    expect(one.getByTestId('sale-left').textContent).toBe('120 seats left');
    expect(one.getByTestId('sale-state').textContent).toBe('On sale');
    expect(first!.textContent).toContain('42 waiting');
    const two = within(second!);
    expect(two.getByTestId('sale-state').textContent).toBe('Sold out');
    expect(two.getByTestId('sale-left').textContent).toBe('No seats left');
    // An id from elsewhere can still be typed.
    expect(screen.getByLabelText('Event id')).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Go to the sale' })).toBeTruthy();
  });
});

describe('routes', () => {
  it('"My orders" is /orders', () => {
    expect(parseRoute('/orders')).toEqual({ page: 'orders' });
  });
});
