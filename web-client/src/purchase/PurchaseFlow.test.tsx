import { cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Auth } from '../auth';
import { initialState, type QueueState } from '../queue/model';
import { fakeFetch, readyStatus, settle } from '../test/fakes';
import { saveChoice } from './choice';
import { PurchaseFlow } from './Purchase';
import { purchaseKey, savePurchase } from './store';

const TOKEN = '12345678-1234-4234-8234-123456789abc';
const AUTH: Auth = {
  token: 'jwt',
  user_id: 'u1',
  username: 'ana',
  display_name: 'Ana',
  role: 'user',
  expires_in: 3600,
  expiresAt: null,
};
const AVAILABILITY = {
  event_id: 'evt',
  total: 200,
  remaining: 150,
  held: 0,
  sold: 50,
  sections: [{ id: 'VIP', remain: 50, total: 100, price: { amount: 150_000, currency: 'KRW' } }],
};
const RESERVATION = {
  reservation_id: 'r1',
  event_id: 'evt',
  status: 'HOLD',
  quantity: 1,
  seat_ids: ['VIP-3-12'],
  seats: [{ id: 'VIP-3-12', section: 'VIP', row: '3', number: '12', price: { amount: 150_000, currency: 'KRW' } }],
  total_amount: { amount: 150_000, currency: 'KRW' },
  hold_expires_at: new Date(Date.now() + 600_000).toISOString(),
  order_id: null,
  payment_intent_id: null,
  user_id: 'u1',
  created_at: null,
  updated_at: null,
};

/** An entered place whose entry window ends `leftMs` from now (admitted 120 s before the deadline). */
function entered(leftMs: number, over: Partial<QueueState> = {}): QueueState {
  const s = initialState({ eventId: 'evt', token: TOKEN, initialPosition: 3, enterKey: 'place-enter-key' });
  const deadline = Date.now() + leftMs;
  return {
    ...s,
    phase: 'entered',
    mode: 'live',
    status: { ...readyStatus(deadline), admitted_at: deadline - 120_000, phase: 'entered' } as never,
    statusAt: Date.now(),
    ...over,
  };
}


beforeEach(() => localStorage.clear());
afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

describe('the seats page', () => {
  it('counts down to the end of the entry window, not the pass, and warns under 30 s', async () => {
    vi.stubGlobal('fetch', fakeFetch(() => ({ status: 200, body: AVAILABILITY })).fetch);
    // The 30 s pass ran out a minute ago; the window has 95 s left.
    const oldPass = { reservationToken: 'pass-1', eventId: 'evt', expiresAt: Date.now() - 60_000, ttlMs: 30_000 };
    const { rerender } = render(<PurchaseFlow state={entered(95_000)} grant={oldPass} auth={AUTH} now={Date.now()} onStartOver={() => {}} />);
    await settle();
    expect(screen.getByTestId('entry-clock').textContent).toContain('1:35');
    expect(screen.queryByTestId('entry-warning')).toBeNull();
    expect(screen.queryByTestId('turn-over')).toBeNull();

    rerender(<PurchaseFlow state={entered(25_000)} grant={oldPass} auth={AUTH} now={Date.now()} onStartOver={() => {}} />);
    expect(screen.getByTestId('entry-clock').textContent).toContain('0:25');
    expect(screen.getByTestId('entry-warning').getAttribute('role')).toBe('alert');

    rerender(<PurchaseFlow state={entered(-1_000)} grant={oldPass} auth={AUTH} now={Date.now()} onStartOver={() => {}} />);
    expect(screen.getByTestId('turn-over').textContent).toContain('Your time to hold seats has run out');
  });

  it('is filled in with the seats chosen while waiting, and holds them in one click, renewing the pass first', async () => {
    saveChoice(purchaseKey('evt', TOKEN), { mode: 'seats', quantity: 2, seatText: 'vip-3-12' });
    const { fetch, calls } = fakeFetch((c) => {
      if (c.url === '/api/v1/queue/enter') {
        return { status: 200, body: { admission: 'granted', event_id: 'evt', reservation_token: 'pass-2', ttl_sec: 30 } };
      }
      if (c.url === '/api/v1/reservations') return { status: 201, body: RESERVATION };
      return { status: 200, body: AVAILABILITY };
    });
    vi.stubGlobal('fetch', fetch);
    const oldPass = { reservationToken: 'pass-1', eventId: 'evt', expiresAt: Date.now() - 60_000, ttlMs: 30_000 };
    render(<PurchaseFlow state={entered(60_000)} grant={oldPass} auth={AUTH} now={Date.now()} onStartOver={() => {}} />);
    await settle();
    expect(screen.getByTestId('prefilled')).toBeTruthy();
    expect((screen.getByLabelText(/Seat ids/) as HTMLInputElement).value).toBe('vip-3-12');

    fireEvent.click(screen.getByRole('button', { name: 'Hold these seats' }));
    await settle();
    const posts = calls.filter((c) => c.method === 'POST');
    expect(posts.map((c) => c.url)).toEqual(['/api/v1/queue/enter', '/api/v1/reservations']);
    expect(posts[0]!.headers['idempotency-key']).not.toBe('place-enter-key');
    expect(posts[1]!.body).toEqual({ event_id: 'evt', seat_ids: ['VIP-3-12'], reservation_token: 'pass-2' });
    expect(within(screen.getByTestId('held')).getByText('VIP-3-12')).toBeTruthy();
  });

  it('shows the operator’s message while buying', async () => {
    vi.stubGlobal('fetch', fakeFetch(() => ({ status: 200, body: AVAILABILITY })).fetch);
    const announcement = { message: 'Payments are slow tonight; your hold is safe.', at_ms: Date.now() };
    render(<PurchaseFlow state={entered(60_000, { announcement })} grant={null} auth={AUTH} now={Date.now()} onStartOver={() => {}} />);
    await settle();
    const banner = screen.getByTestId('announcement');
    expect(banner.getAttribute('role')).toBe('status');
    expect(banner.textContent).toContain('Payments are slow tonight');
  });
});

describe('the confirmation', () => {
  it('shows the order, seats and total, with the way to my orders and to all sales', () => {
    vi.stubGlobal('fetch', fakeFetch(() => ({ status: 200, body: AVAILABILITY })).fetch);
    savePurchase(purchaseKey('evt', TOKEN), {
      reservation: RESERVATION,
      outcome: { kind: 'confirmed', orderId: 'ord_123', via: 'push' },
    });
    render(<PurchaseFlow state={entered(60_000)} grant={null} auth={AUTH} now={Date.now()} onStartOver={() => {}} />);
    const card = within(screen.getByTestId('confirmed'));
    expect(card.getByTestId('order-id').textContent).toBe('ord_123');
    expect(card.getByText('VIP-3-12')).toBeTruthy();
    expect(screen.getByTestId('confirmed').textContent).toMatch(/150,000/);
    expect(card.getByRole('link', { name: 'My orders' }).getAttribute('href')).toBe('/orders');
    expect(card.getByRole('link', { name: 'All sales' }).getAttribute('href')).toBe('/');
  });
});
