// The purchase in progress, saved per place (event and waiting token) so a reload on any step
// comes back to the same step, with the same Idempotency-Keys for the same requests. It starts
// before the turn comes: the seats chosen while waiting are kept here too.

import type { Reservation } from '../api/types';

export type Selection = { quantity: number } | { seat_ids: string[] };

export type Outcome =
  | { kind: 'confirmed'; orderId: string; via: 'push' | 'fetch' }
  | { kind: 'failed'; reason: string }
  | { kind: 'not_confirmed'; reason: string }
  | { kind: 'expired' }
  | { kind: 'cancelled' };

/**
 * The seats a buyer wants, as the form holds them: chosen while waiting (before the turn comes)
 * or on the seats page, and filled in there.
 */
export interface Choice {
  mode: 'best' | 'seats';
  /** Best available: how many tickets. */
  quantity: number;
  /** Specific seats: the ids as typed. */
  seatText: string;
}

export interface Purchase {
  /** The seats chosen so far (while waiting, or on the seats page). */
  choice?: Choice;
  /** The hold request's key, with the request it belongs to. */
  hold?: { fingerprint: string; key: string };
  reservation?: Reservation;
  /** The payment request's key, with the request it belongs to. */
  pay?: { fingerprint: string; key: string };
  scenario?: string;
  intent?: string;
  outcome?: Outcome;
}

const PREFIX = 'usher:purchase:';

export function loadPurchase(key: string): Purchase {
  try {
    const raw = localStorage.getItem(PREFIX + key);
    return raw ? (JSON.parse(raw) as Purchase) : {};
  } catch {
    return {};
  }
}

export function savePurchase(key: string, p: Purchase): void {
  try {
    localStorage.setItem(PREFIX + key, JSON.stringify(p));
  } catch {
    // storage disabled: the purchase lives as long as the page
  }
}

/** The place's key for `loadPurchase` and `savePurchase`. */
export function purchaseKey(eventId: string, waitingToken: string): string {
  return `${eventId}:${waitingToken}`;
}

export function forgetPurchases(eventId: string): void {
  try {
    for (let i = localStorage.length - 1; i >= 0; i--) {
      const k = localStorage.key(i);
      if (k?.startsWith(`${PREFIX}${eventId}:`)) localStorage.removeItem(k);
    }
  } catch {
    // ignore
  }
}
