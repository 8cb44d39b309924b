// Events as buyers see them before joining (`GET /api/v1/events`, `GET /api/v1/events/{id}`):
// the words for where a sale stands, its price range, date and venue. Only reading and
// formatting of the server's answer: no figure is made up here.

import type { PublicEvent, PublicVenue, SaleState, SectionAvailability } from '../api/types';
import { fmtMoney } from '../format';

/** The states with no queue to join (or to wait to join). */
export type ClosedState = Extract<SaleState, 'sold_out' | 'ended' | 'cancelled'>;

export function isClosed(state: SaleState): state is ClosedState {
  return state === 'sold_out' || state === 'ended' || state === 'cancelled';
}

/** A short label for a sale's state, as a list shows it. */
export const SALE_STATE_LABEL: Record<SaleState, string> = {
  not_open: 'Queue opens soon',
  prequeue: 'Pre-queue open',
  open: 'On sale',
  paused: 'Admission paused',
  gathering: 'Queue gathering',
  sold_out: 'Sold out',
  ended: 'Sale ended',
  cancelled: 'Sale cancelled',
};

/** How a state reads at a glance: on sale, on hold, or over. */
export function stateTone(state: SaleState): 'ok' | 'warn' | 'bad' {
  switch (state) {
    case 'open':
      return 'ok';
    case 'sold_out':
    case 'ended':
    case 'cancelled':
      return 'bad';
    default:
      return 'warn';
  }
}

/**
 * The cheapest and dearest section prices, per currency: "₩50,000 – ₩90,000", one price
 * alone, or null when no section has a price.
 */
export function priceRange(sections: readonly SectionAvailability[]): string | null {
  const byCurrency = new Map<string, [number, number]>();
  for (const s of sections) {
    if (!s.price) continue;
    const { amount, currency } = s.price;
    const r = byCurrency.get(currency);
    byCurrency.set(currency, r ? [Math.min(r[0], amount), Math.max(r[1], amount)] : [amount, amount]);
  }
  if (byCurrency.size === 0) return null;
  return [...byCurrency]
    .map(([currency, [lo, hi]]) =>
      lo === hi ? fmtMoney({ amount: lo, currency }) : `${fmtMoney({ amount: lo, currency })} – ${fmtMoney({ amount: hi, currency })}`,
    )
    .join(', ');
}

/** When the event takes place, in the reader's time zone (named); the text as sent if unreadable. */
export function fmtEventDate(rfc3339: string): string {
  const ms = Date.parse(rfc3339);
  if (!Number.isFinite(ms)) return rfc3339;
  return new Date(ms).toLocaleString(undefined, {
    weekday: 'short',
    year: 'numeric',
    month: 'short',
    day: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    timeZoneName: 'short',
  });
}

/** "Olympic Stadium, Seoul". */
export function venueLine(venue: PublicVenue): string {
  return [venue.name, venue.city].filter(Boolean).join(', ');
}

/** "Olympic Stadium, 25 Olympic-ro, Songpa-gu, Seoul, KR": every part the server gave. */
export function venueFull(venue: PublicVenue): string {
  return [venue.name, venue.address, venue.city, venue.country].filter(Boolean).join(', ');
}

/** Seats left in words, or null when the inventory does not list the event. */
export function seatsLeft(event: Pick<PublicEvent, 'remaining'>): string | null {
  if (typeof event.remaining !== 'number') return null;
  if (event.remaining === 0) return 'No seats left';
  return `${event.remaining.toLocaleString()} ${event.remaining === 1 ? 'seat' : 'seats'} left`;
}
