import { beforeEach, describe, expect, it } from 'vitest';
import { fmtCountdown } from '../format';
import { ApiError } from '../api/http';
import { apiError, fakeFetch } from '../test/fakes';
import { DEFAULT_CHOICE, choiceProblem, describeChoice, loadChoice, saveChoice, selectionOf } from './choice';
import { RENEW_BEFORE_MS, entryLeft, holdSeats, needsRenewal } from './pass';
import { explain } from './Purchase';
import { loadPurchase, purchaseKey, savePurchase } from './store';

describe('the time to hold seats', () => {
  // Admitted at 100,000 (server clock) with a 120 s window.
  const status = { admitted_at: 100_000, entry_deadline: 220_000 };

  it('counts down to the entry deadline on the server’s clock, corrected for skew', () => {
    // The local clock is 5 s behind the server's: local 135,000 is server 140,000.
    expect(entryLeft(status, 135_000, 5_000)).toBe(80_000);
    expect(fmtCountdown(entryLeft(status, 135_000, 5_000)!)).toBe('1:20');
  });

  it('never shows more than the window, even from a clock a moment behind the admission', () => {
    // The page's once-a-second clock still reads an instant before the admission.
    expect(entryLeft(status, 99_400, 0)).toBe(120_000);
    expect(fmtCountdown(entryLeft(status, 99_400, 0)!)).toBe('2:00');
  });

  it('is not the entry pass’s lifetime: a pass that ran out long ago leaves the turn open', () => {
    expect(entryLeft(status, 160_000, 0)).toBe(60_000);
    expect(entryLeft(status, 221_000, 0)).toBeLessThan(0);
  });

  it('is unknown without a deadline', () => {
    expect(entryLeft(null, 0, 0)).toBeNull();
    expect(entryLeft({}, 0, 0)).toBeNull();
  });
});

describe('renewing the pass before holding', () => {
  const grant = { reservationToken: 'pass-1', eventId: 'e', expiresAt: 31_000, ttlMs: 30_000 };

  it('holds with the pass while it has more than a few seconds left', () => {
    expect(needsRenewal(grant, 1_000)).toBe(false);
    expect(needsRenewal(grant, 31_000 - RENEW_BEFORE_MS - 1)).toBe(false);
  });

  it('renews it when it is about to run out, has run out, or is not on this device', () => {
    expect(needsRenewal(grant, 31_000 - RENEW_BEFORE_MS + 1)).toBe(true);
    expect(needsRenewal(grant, 40_000)).toBe(true);
    expect(needsRenewal(null, 0)).toBe(true);
  });
});

describe('holding seats in one step', () => {
  const WAITING = '12345678-1234-4234-8234-123456789abc';
  const reservation = { reservation_id: 'r1', status: 'HOLD', seats: [], seat_ids: [], event_id: 'e' };

  /** The server: enter re-signs the pass (pass-2, pass-3, …), reservations answer `hold`. */
  function server(hold: (token: string, n: number) => { status: number; body?: unknown }) {
    let signed = 1;
    let holds = 0;
    return fakeFetch((c) => {
      if (c.url === '/api/v1/queue/enter') {
        signed++;
        return { status: 200, body: { admission: 'granted', event_id: 'e', reservation_token: `pass-${signed}`, ttl_sec: 30 } };
      }
      if (c.url === '/api/v1/reservations') return hold((c.body as { reservation_token: string }).reservation_token, holds++);
      return { status: 404 };
    });
  }

  function request(fetchImpl: typeof fetch, grant: { reservationToken: string; expiresAt: number } | null, now: number) {
    const keys = new Map<string, string>();
    const renewed: string[] = [];
    return {
      keys,
      renewed,
      run: () =>
        holdSeats({
          eventId: 'e',
          waitingToken: WAITING,
          grant: grant && { ...grant, eventId: 'e', ttlMs: 30_000 },
          selection: { quantity: 2 },
          bearer: 'jwt',
          keyFor: (fp) => {
            if (!keys.has(fp)) keys.set(fp, crypto.randomUUID());
            return keys.get(fp)!;
          },
          onRenewed: (g) => renewed.push(g.reservationToken),
          now: () => now,
          fetchImpl,
        }),
    };
  }

  it('holds at once with a pass that is still good', async () => {
    const { fetch, calls } = server(() => ({ status: 201, body: reservation }));
    const r = request(fetch, { reservationToken: 'pass-1', expiresAt: 20_000 }, 10_000);
    await r.run();
    expect(calls.map((c) => c.url)).toEqual(['/api/v1/reservations']);
    expect(calls[0]!.body).toEqual({ event_id: 'e', quantity: 2, reservation_token: 'pass-1' });
    expect(calls[0]!.headers.authorization).toBe('Bearer jwt');
    expect(r.renewed).toEqual([]);
  });

  it('a slow chooser whose pass ran out enters again for a fresh one, then holds with it', async () => {
    const { fetch, calls } = server(() => ({ status: 201, body: reservation }));
    // The 30 s pass ran out 50 s ago; the entry window is still open.
    const r = request(fetch, { reservationToken: 'pass-1', expiresAt: 30_000 }, 80_000);
    expect(await r.run()).toEqual(reservation);
    expect(calls.map((c) => c.url)).toEqual(['/api/v1/queue/enter', '/api/v1/reservations']);
    expect(calls[0]!.body).toEqual({ waiting_token: WAITING });
    expect(calls[1]!.body).toMatchObject({ reservation_token: 'pass-2' });
    expect(r.renewed).toEqual(['pass-2']);
  });

  it('renews a pass about to run out, and one this device never had', async () => {
    for (const grant of [{ reservationToken: 'pass-1', expiresAt: 12_000 }, null]) {
      const { fetch, calls } = server(() => ({ status: 201, body: reservation }));
      await request(fetch, grant, 10_000).run();
      expect(calls.map((c) => c.url)).toEqual(['/api/v1/queue/enter', '/api/v1/reservations']);
    }
  });

  it('each renewal has a key of its own, never the place’s enter key', async () => {
    const { fetch, calls } = server(() => ({ status: 201, body: reservation }));
    await request(fetch, null, 0).run();
    await request(fetch, null, 0).run();
    const keys = calls.filter((c) => c.url === '/api/v1/queue/enter').map((c) => c.headers['idempotency-key']);
    expect(keys).toHaveLength(2);
    expect(keys[0]).not.toBe(keys[1]);
  });

  it('the same hold retried with the same pass reuses its key; a renewed pass is a new request', async () => {
    let n = 0;
    const { fetch, calls } = server(() => (n++ === 0 ? apiError(503, 'UPSTREAM_UNAVAILABLE') : { status: 201, body: reservation }));
    const r = request(fetch, { reservationToken: 'pass-1', expiresAt: 20_000 }, 10_000);
    await expect(r.run()).rejects.toBeInstanceOf(ApiError);
    await r.run();
    const holds = calls.filter((c) => c.url === '/api/v1/reservations');
    expect(holds[0]!.headers['idempotency-key']).toBe(holds[1]!.headers['idempotency-key']);
    expect(r.keys.size).toBe(1);
  });

  it('a pass the server found run out is renewed once and the hold made again', async () => {
    const { fetch, calls } = server((token) =>
      token === 'pass-1' ? apiError(403, 'INVALID_RESERVATION_TOKEN') : { status: 201, body: reservation },
    );
    const r = request(fetch, { reservationToken: 'pass-1', expiresAt: 20_000 }, 10_000);
    await r.run();
    expect(calls.map((c) => c.url)).toEqual(['/api/v1/reservations', '/api/v1/queue/enter', '/api/v1/reservations']);
    expect(r.keys.size).toBe(2);
  });

  it('after the entry window, the renewal is refused and says the turn has passed', async () => {
    const { fetch } = fakeFetch(() => apiError(409, 'ALREADY_ENTERED'));
    const e = await request(fetch, null, 0)
      .run()
      .catch((x: unknown) => x);
    expect(explain(e)).toMatch(/time to hold seats has run out/);
  });
});

describe('the seats chosen while waiting', () => {
  beforeEach(() => localStorage.clear());
  const key = purchaseKey('e', 't');

  it('are kept with the place’s purchase, leaving the rest of it', () => {
    savePurchase(key, { hold: { fingerprint: 'f', key: 'k' } });
    expect(loadChoice(key)).toBeNull();
    saveChoice(key, { mode: 'seats', quantity: 2, seatText: 'vip-3-12, VIP-3-13' });
    expect(loadChoice(key)).toEqual({ mode: 'seats', quantity: 2, seatText: 'vip-3-12, VIP-3-13' });
    expect(loadPurchase(key).hold).toEqual({ fingerprint: 'f', key: 'k' });
    expect(loadChoice(purchaseKey('e', 'another place'))).toBeNull();
  });

  it('become the request’s seats: a quantity, or the ids upper-cased', () => {
    expect(selectionOf(DEFAULT_CHOICE)).toEqual({ quantity: 2 });
    expect(selectionOf({ mode: 'seats', quantity: 2, seatText: 'vip-3-12, VIP-3-13' })).toEqual({ seat_ids: ['VIP-3-12', 'VIP-3-13'] });
    expect(describeChoice({ mode: 'seats', quantity: 2, seatText: 'vip-3-12' })).toBe('seat VIP-3-12');
    expect(describeChoice({ mode: 'best', quantity: 1, seatText: '' })).toBe('1 ticket, best available');
  });

  it('say what is wrong before anything is sent', () => {
    expect(choiceProblem({ mode: 'seats', quantity: 2, seatText: 'A-1' })).toBe('“A-1” is not a seat id (section-row-seat).');
    expect(choiceProblem({ mode: 'seats', quantity: 2, seatText: '' })).toBe('Type at least one seat id.');
    expect(choiceProblem({ mode: 'seats', quantity: 2, seatText: Array.from({ length: 11 }, (_, i) => `A-1-${i}`).join(',') })).toMatch(/At most 10/);
    expect(choiceProblem({ mode: 'best', quantity: 3, seatText: 'junk' })).toBeNull();
  });
});

describe('a refused hold', () => {
  it('names the seats the server says are taken, and why', () => {
    const refused = new ApiError(409, 'INVENTORY_CONFLICT', 'seats are not available: A-1-1 (sold), A-1-2 (held)');
    expect(explain(refused)).toBe('Seats are not available: A-1-1 (sold), A-1-2 (held). Choose other seats.');
  });
});
