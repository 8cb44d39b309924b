// The seats a buyer asks for: "best available" (the server picks, front sections first) or seat
// ids typed as `<section>-<row>-<n>`. Chosen while waiting or on the seats page, kept with the
// place's purchase (store.ts) so that a reload, or the turn coming, finds it filled in.

import { type Choice, type Selection, loadPurchase, savePurchase } from './store';

/** The most seats one order may hold (the server's limit). */
export const MAX_SEATS = 10;
const SEAT_ID = /^[A-Za-z0-9_]+-\d+-\d+$/;

export const DEFAULT_CHOICE: Choice = { mode: 'best', quantity: 2, seatText: '' };

/** The seat ids typed, upper-cased, in order. */
export function seatIdsOf(text: string): string[] {
  return text
    .split(/[\s,]+/)
    .map((s) => s.trim().toUpperCase())
    .filter(Boolean);
}

/** What is wrong with a choice, in words for the form; null when it can be held. */
export function choiceProblem(choice: Choice): string | null {
  if (choice.mode === 'best') {
    return Number.isInteger(choice.quantity) && choice.quantity >= 1 && choice.quantity <= MAX_SEATS
      ? null
      : `Choose 1 to ${MAX_SEATS} tickets.`;
  }
  const ids = seatIdsOf(choice.seatText);
  const bad = ids.find((s) => !SEAT_ID.test(s));
  if (bad) return `“${bad}” is not a seat id (section-row-seat).`;
  if (ids.length === 0) return 'Type at least one seat id.';
  if (ids.length > MAX_SEATS) return `At most ${MAX_SEATS} seats per order.`;
  return null;
}

/** The request's part that names the seats. */
export function selectionOf(choice: Choice): Selection {
  return choice.mode === 'best' ? { quantity: choice.quantity } : { seat_ids: seatIdsOf(choice.seatText) };
}

/** The place's stored choice; null when none was made. */
export function loadChoice(key: string): Choice | null {
  const c = loadPurchase(key).choice;
  if (!c || (c.mode !== 'best' && c.mode !== 'seats')) return null;
  return {
    mode: c.mode,
    quantity: Number.isInteger(c.quantity) ? c.quantity : DEFAULT_CHOICE.quantity,
    seatText: typeof c.seatText === 'string' ? c.seatText : '',
  };
}

/** Keeps `choice` with the place's purchase, leaving the rest of it as it is. */
export function saveChoice(key: string, choice: Choice): void {
  savePurchase(key, { ...loadPurchase(key), choice });
}

/** A choice in words: "2 tickets, best available", "seats VIP-3-12, VIP-3-13". */
export function describeChoice(choice: Choice): string {
  if (choice.mode === 'best') return `${choice.quantity} ${choice.quantity === 1 ? 'ticket' : 'tickets'}, best available`;
  const ids = seatIdsOf(choice.seatText);
  return ids.length === 1 ? `seat ${ids[0]}` : `seats ${ids.join(', ')}`;
}
