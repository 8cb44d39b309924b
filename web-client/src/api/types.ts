// Wire shapes of usher's API and WebSocket, by the names the client uses. All of them come from
// the generated schema.d.ts (from the server's Rust types): none is written by hand here.
import type { components } from './schema';

type Schemas = components['schemas'];

/** REST `GET /api/v1/queue/status` and the WebSocket `snapshot`/`position`/`ready` payload. */
export type QueueStatus = Schemas['QueueStatus'];
/** `POST /api/v1/queue/join` → 202. */
export type Joined = Schemas['Joined'];
/** `POST /api/v1/queue/enter` → 200. */
export type Granted = Schemas['Granted'];
/** A `reservation` push: a reservation of this waiter changed. */
export type ReservationPush = Schemas['ReservationNotice'];
/** A `payment` push: a payment of this waiter settled. */
export type PaymentPush = Schemas['PaymentNotice'];
/** Every server → client WebSocket message. */
export type ServerMessage = Schemas['ServerMessage'];
/** Every client → server WebSocket message. */
export type ClientMessage = Schemas['ClientMessage'];
/** Login and register answer. */
export type Session = Schemas['Session'];
export type Money = Schemas['Money'];
export type Availability = Schemas['Availability'];
export type Seat = Schemas['Seat'];
export type Reservation = Schemas['Reservation'];
export type ReservationCreated = Schemas['ReservationCreated'];
export type PaymentIntent = Schemas['PaymentIntent'];
export type PaymentStatus = Schemas['Payment'];
export type EventConfig = Schemas['EventConfig'];
/** `GET /api/v1/admin/events/{id}/stats`. */
export type EventStats = Schemas['EventStats'];
/** The body of every error answer. */
export type ErrorBody = Schemas['ErrorBody'];
