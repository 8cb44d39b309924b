// Wire shapes of scheduled sales: the queue-status fields of a pre-queue, the public draw of a
// random on-sale and its inclusion proof, and the join's proof-of-work challenge. Declared by
// hand here because the generated schema.d.ts does not have them yet; every field is additive,
// so an unscheduled event's answers still fit. (The `sale_ended` message is generated now.)

import type { QueueStatus, ServerMessage } from './types';

/** How a scheduled event orders the people who joined before the sale started. */
export type QueueingMethod = 'fifo' | 'random_at_start';

/**
 * `phase` values of a scheduled event, beside `waiting`, `admitted` and `entered`:
 * `prequeue` (joined before the sale starts; `status` stays `"waiting"`) and `drawing` (random
 * on-sale: the entry list is closed and the draw is being made).
 */
export type SalePhase = 'prequeue' | 'drawing';

/** The fields a scheduled event adds to the queue status (REST and WebSocket). */
export interface SaleFields {
  /**
   * Present only for scheduled events: a `QueueingMethod`, typed as any string (as the server's
   * schema does) so that a method this client does not know is read as an ordered one.
   */
  queueing_method?: QueueingMethod | (string & {});
  /** ms since the Unix epoch (server clock). */
  sale_starts_at?: number;
  sale_ends_at?: number;
  /** Entrants in the pre-queue (phases `prequeue` and `drawing`). */
  prequeue_size?: number;
  /** The entrant's rank from the draw, once drawn (1 = first). */
  drawn_rank?: number;
}

/**
 * The queue status with a scheduled sale's fields. In a `random_at_start` pre-queue and while
 * drawing, `position` is 0 and `eta_range` null: no position exists yet.
 */
export type SaleStatus = QueueStatus & SaleFields;

/**
 * Every server → client message this client understands. `sale_ended` (the sale is over, or
 * `cancelled` by an operator) is followed by close 4410, after which the client must not
 * reconnect.
 */
export type IncomingMessage = ServerMessage;

/** `GET /api/v1/events/{event_id}/draw` (public). 404 `DRAW_NOT_FOUND` when there is no draw. */
export interface DrawInfo {
  event_id: string;
  algorithm: string;
  /** `open`: the pre-queue takes entrants; `closed`: the entry list is fixed; `drawn`: the seed is out. */
  state: 'open' | 'closed' | 'drawn';
  prequeue_opens_at: number | null;
  sale_starts_at: number;
  /** SHA-256 of the seed, hex, published before anyone joined. */
  commitment: string;
  beacon_round: string | null;
  entrants: number | null;
  closed_at: number | null;
  /** Merkle root over the entrants' leaves, hex. */
  entry_root: string | null;
  beacon_value: string | null;
  /** The secret seed, hex, only once drawn. */
  seed: string | null;
  drawn_at: number | null;
}

/**
 * `GET /api/v1/events/{event_id}/draw/proof?token=…`: where a waiting token is in the entry
 * list. 404 `TOKEN_NOT_FOUND` when it is not in it, 409 `DRAW_NOT_MADE` before the draw.
 */
export interface DrawProof {
  event_id: string;
  /** 1-based entry index. */
  index: number;
  /** hex */
  leaf: string;
  /** hex, bottom-up, only the levels where a sibling exists. */
  siblings: string[];
  entrants: number;
  entry_root: string;
  rank: number | null;
}

/** `GET /api/v1/queue/challenge?event_id=E`. Difficulty 0: no proof of work is required. */
export interface PowChallenge {
  challenge: string;
  /** Leading zero bits the SHA-256 of `challenge:nonce` must have. */
  difficulty: number;
  /** ms since the Unix epoch. */
  expires_at: number;
}

/** Sent in the join body as `pow`. */
export interface PowSolution {
  challenge: string;
  nonce: string;
}
