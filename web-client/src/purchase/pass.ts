// How long a buyer has to hold seats, and the entry pass a hold needs.
//
// Admission opens an entry window that ends at the status's `entry_deadline` (server clock).
// `enter` hands out a pass (the reservation token) that lasts only `ttl_sec`, much less than the
// window, and entering again before the deadline hands out the same pass re-signed with a fresh
// `ttl_sec`. So the limit a buyer is shown is the deadline, and a hold whose pass has run out, or
// is about to, renews it first, in the same click: taking time to choose never costs the turn.

import { ApiError, call, newKey, type Fetch } from '../api/http';
import type { Granted, QueueStatus, Reservation } from '../api/types';
import { type Grant, grantOf } from '../queue/model';
import type { Selection } from './store';

/** A pass with less than this left is renewed before holding: the request and its check take time. */
export const RENEW_BEFORE_MS = 3_000;
/** Under this much time left, the seats page warns (role="alert"). */
export const WARN_UNDER_MS = 30_000;

/**
 * Time left to hold seats: until `entry_deadline` on the server's clock (`skewMs` = server −
 * local), and never more than the window itself (`entry_deadline − admitted_at`), even while the
 * page's clock, which ticks once a second, still reads an instant before the admission. Null when
 * the status has no deadline.
 */
export function entryLeft(
  status: Pick<QueueStatus, 'entry_deadline' | 'admitted_at'> | null,
  now: number,
  skewMs: number,
): number | null {
  const deadline = status?.entry_deadline;
  if (typeof deadline !== 'number') return null;
  const left = deadline - (now + skewMs);
  const admittedAt = status?.admitted_at;
  return typeof admittedAt === 'number' ? Math.min(left, deadline - admittedAt) : left;
}

/** Whether a hold must renew the pass first: there is none, or it has (nearly) run out. */
export function needsRenewal(grant: Grant | null, now: number): boolean {
  return grant === null || grant.expiresAt - now < RENEW_BEFORE_MS;
}

/**
 * Enters again with the waiting token, for the same pass re-signed with a fresh lifetime. Each
 * renewal is a request of its own with a key of its own: a replay of an earlier renewal would
 * hand back the pass as it was signed then, already run out.
 */
export async function renewPass(eventId: string, waitingToken: string, now: () => number, fetchImpl?: Fetch): Promise<Grant> {
  const granted = await call<Granted>('POST', '/api/v1/queue/enter', {
    body: { waiting_token: waitingToken },
    idempotencyKey: newKey(),
    fetchImpl,
  });
  return grantOf(granted, eventId, now());
}

export interface HoldRequest {
  eventId: string;
  /** The place's waiting token: renewing the pass enters again with it. */
  waitingToken: string;
  /** The freshest pass known (null: none on this device). */
  grant: Grant | null;
  selection: Selection;
  /** The buyer's token. */
  bearer: string;
  /** The Idempotency-Key for a hold request, by its fingerprint: the same request retried reuses it. */
  keyFor: (fingerprint: string) => string;
  /** Called with a renewed pass, to keep it. */
  onRenewed: (grant: Grant) => void;
  now: () => number;
  fetchImpl?: Fetch;
}

/** Holds the seats in one step: renews the pass if it needs it, then makes the reservation. */
export async function holdSeats(r: HoldRequest): Promise<Reservation> {
  const renew = async () => {
    const g = await renewPass(r.eventId, r.waitingToken, r.now, r.fetchImpl);
    r.onRenewed(g);
    return g;
  };
  const grant = r.grant && !needsRenewal(r.grant, r.now()) ? r.grant : await renew();
  try {
    return await reserve(r, grant);
  } catch (e) {
    // The server found the pass run out although this clock did not (a slow answer, a device
    // that slept): renew it once and hold again.
    if (grant === r.grant && e instanceof ApiError && e.code === 'INVALID_RESERVATION_TOKEN') return reserve(r, await renew());
    throw e;
  }
}

function reserve(r: HoldRequest, grant: Grant): Promise<Reservation> {
  const body = { event_id: r.eventId, ...r.selection, reservation_token: grant.reservationToken };
  return call<Reservation>('POST', '/api/v1/reservations', {
    body,
    bearer: r.bearer,
    idempotencyKey: r.keyFor(JSON.stringify(body)),
    fetchImpl: r.fetchImpl,
  });
}
