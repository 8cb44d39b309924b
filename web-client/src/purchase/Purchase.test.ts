import { describe, expect, it } from 'vitest';
import { fmtCountdown } from '../format';
import { ApiError } from '../api/http';
import { explain, passLeft } from './Purchase';

describe('the entry pass countdown', () => {
  const grant = { reservationToken: 't', eventId: 'e', expiresAt: 31_000, ttlMs: 30_000 };

  it('never shows more than the pass lasts, even from a clock a moment behind the grant', () => {
    // Granted at 1,000; the page's once-a-second clock still says 400.
    expect(fmtCountdown(passLeft(grant, 400))).toBe('0:30');
    expect(fmtCountdown(passLeft(grant, 1_000))).toBe('0:30');
  });

  it('counts down from there to zero', () => {
    expect(fmtCountdown(passLeft(grant, 11_500))).toBe('0:20');
    expect(passLeft(grant, 32_000)).toBeLessThan(0);
  });
});

describe('a refused hold', () => {
  it('names the seats the server says are taken, and why', () => {
    const refused = new ApiError(409, 'INVENTORY_CONFLICT', 'seats are not available: A-1-1 (sold), A-1-2 (held)');
    expect(explain(refused)).toBe('Seats are not available: A-1-1 (sold), A-1-2 (held). Choose other seats.');
  });
});
