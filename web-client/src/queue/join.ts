// Joining a queue: one Idempotency-Key per join action (the caller keeps it across retries), and
// the answer stored as the place to resume after a reload.

import { call, newKey, type Fetch } from '../api/http';
import type { Joined } from '../api/types';
import { type StoredPlace, savePlace } from './storage';

export async function joinQueue(
  eventId: string,
  idempotencyKey: string,
  deps: { fetchImpl?: Fetch; storage: Storage; now: number },
): Promise<StoredPlace> {
  const joined = await call<Joined>('POST', '/api/v1/queue/join', {
    body: { event_id: eventId },
    idempotencyKey,
    ...(deps.fetchImpl ? { fetchImpl: deps.fetchImpl } : {}),
  });
  const position = joined.position ?? joined.position_hint;
  const place: StoredPlace = {
    eventId,
    token: joined.waiting_token,
    initialPosition: typeof position === 'number' && position > 0 ? position : null,
    enterKey: newKey(),
    joinedAt: deps.now,
  };
  savePlace(deps.storage, place);
  return place;
}
