// What survives a reload: the place (waiting token, keyed per event, so two events never
// overwrite each other), and the short-lived reservation grant from enter. localStorage, so
// every tab of the same browser sees one place per event. Nothing here is ever removed on page
// close: only an explicit leave, or the server saying the place is gone, forgets it.

import type { Grant, Place } from './model';

const PLACE = 'usher:place:';
const GRANT = 'usher:grant:';
const DRAW = 'usher:draw:';

export interface StoredPlace extends Place {
  /** Local time of the join, for the user's own record. */
  joinedAt: number;
}

function read<T>(storage: Storage, key: string): T | null {
  try {
    const raw = storage.getItem(key);
    return raw === null ? null : (JSON.parse(raw) as T);
  } catch {
    return null;
  }
}

function write(storage: Storage, key: string, value: unknown): void {
  try {
    storage.setItem(key, JSON.stringify(value));
  } catch {
    // Storage full or disabled: the place still works for this page's lifetime.
  }
}

export function loadPlace(storage: Storage, eventId: string): StoredPlace | null {
  const p = read<StoredPlace>(storage, PLACE + eventId);
  if (!p || typeof p.token !== 'string' || typeof p.enterKey !== 'string' || p.eventId !== eventId) return null;
  return { ...p, initialPosition: typeof p.initialPosition === 'number' ? p.initialPosition : null };
}

export function savePlace(storage: Storage, place: StoredPlace): void {
  write(storage, PLACE + place.eventId, {
    eventId: place.eventId,
    token: place.token,
    initialPosition: place.initialPosition,
    enterKey: place.enterKey,
    joinedAt: place.joinedAt,
  });
}

export function forgetPlace(storage: Storage, eventId: string): void {
  try {
    storage.removeItem(PLACE + eventId);
    storage.removeItem(GRANT + eventId);
  } catch {
    // ignore
  }
}

/**
 * The token this browser entered in an event's draw, and the rank the waiting room showed. Kept
 * apart from the place, and not forgotten with it: the draw can be checked after the place
 * ended (the sale is over, the place expired or was left).
 */
export interface DrawEntry {
  eventId: string;
  token: string;
  drawnRank: number | null;
}

export function loadDrawEntry(storage: Storage, eventId: string): DrawEntry | null {
  const e = read<DrawEntry>(storage, DRAW + eventId);
  if (!e || typeof e.token !== 'string' || e.eventId !== eventId) return null;
  return { eventId, token: e.token, drawnRank: typeof e.drawnRank === 'number' ? e.drawnRank : null };
}

export function saveDrawEntry(storage: Storage, entry: DrawEntry): void {
  write(storage, DRAW + entry.eventId, entry);
}

/** The grant, unless it has expired by the local clock. */
export function loadGrant(storage: Storage, eventId: string, now: number): Grant | null {
  const g = read<Grant>(storage, GRANT + eventId);
  if (!g || typeof g.reservationToken !== 'string' || typeof g.expiresAt !== 'number' || typeof g.ttlMs !== 'number') {
    return null;
  }
  return g.expiresAt > now ? g : null;
}

export function saveGrant(storage: Storage, grant: Grant): void {
  write(storage, GRANT + grant.eventId, grant);
}

/** Clears a spent grant (a reservation was made with it). */
export function spendGrant(storage: Storage, eventId: string): void {
  try {
    storage.removeItem(GRANT + eventId);
  } catch {
    // ignore
  }
}
