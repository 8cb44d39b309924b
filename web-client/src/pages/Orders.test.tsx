import { cleanup, render, screen, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { signIn, signOut } from '../auth';
import { fakeFetch, settle } from '../test/fakes';
import { Orders } from './Orders';

function reservation(id: string, status: string, over: Record<string, unknown> = {}) {
  return {
    reservation_id: id,
    event_id: 'evt_1',
    status,
    quantity: 2,
    seat_ids: ['A-1-1', 'A-1-2'],
    seats: [
      { id: 'A-1-1', section: 'A', row: '1', number: '1', price: { amount: 90_000, currency: 'KRW' } },
      { id: 'A-1-2', section: 'A', row: '1', number: '2', price: { amount: 90_000, currency: 'KRW' } },
    ],
    total_amount: { amount: 180_000, currency: 'KRW' },
    hold_expires_at: null,
    order_id: null,
    payment_intent_id: null,
    user_id: 'u1',
    created_at: '2026-11-26T10:00:00Z',
    updated_at: null,
    ...over,
  };
}


beforeEach(() => localStorage.clear());
afterEach(() => {
  cleanup();
  signOut();
  vi.unstubAllGlobals();
});

describe('my orders', () => {
  it('asks to sign in first', () => {
    render(<Orders />);
    expect(screen.getByRole('heading', { level: 1 }).textContent).toBe('My orders');
    expect(screen.getByText('Sign in to see your orders')).toBeTruthy();
  });

  it('lists the buyer’s reservations with event, seats, total, order number and state', async () => {
    const list = {
      reservations: [
        reservation('r2', 'CONFIRMED', { order_id: 'ord_42' }),
        reservation('r1', 'EXPIRED', { event_id: 'evt_old' }),
      ],
    };
    const events = { events: [{ event_id: 'evt_1', name: 'Night 1', sections: [], queue: { state: 'open', waiting: 0 } }] };
    const session = { token: 'jwt', user_id: 'u1', username: 'ana', display_name: 'Ana', role: 'user', expires_in: 3600 };
    const { fetch, calls } = fakeFetch((c) => {
      if (c.url === '/api/v1/auth/login') return { status: 200, body: session };
      return c.url === '/api/v1/reservations' ? { status: 200, body: list } : { status: 200, body: events };
    });
    vi.stubGlobal('fetch', fetch);
    await signIn('login', { username: 'ana', password: 'correct horse' }, crypto.randomUUID());
    render(<Orders />);
    await settle();
    expect(calls.find((c) => c.url === '/api/v1/reservations')?.headers.authorization).toBe('Bearer jwt');
    const [confirmed, expired] = screen.getAllByTestId('order');
    const one = within(confirmed!);
    expect(one.getByRole('link', { name: 'Night 1' }).getAttribute('href')).toBe('/events/evt_1');
    expect(one.getByTestId('order-status').textContent).toBe('Confirmed');
    expect(one.getByTestId('order-number').textContent).toBe('ord_42');
    expect(confirmed!.textContent).toContain('A-1-1, A-1-2');
    expect(confirmed!.textContent).toMatch(/180,000/);
    const two = within(expired!);
    expect(two.getByRole('link', { name: 'evt_old' })).toBeTruthy(); // not listed any more: its id
    expect(two.getByTestId('order-status').textContent).toBe('Hold expired');
    expect(two.getByTestId('order-number').textContent).toBe('—');
  });
});
