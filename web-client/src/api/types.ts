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
/** `GET /api/v1/events/{id}` (public): an event as buyers see it before joining. */
export type PublicEvent = Schemas['PublicEvent'];
/** `GET /api/v1/events` (public). */
export type EventList = Schemas['EventList'];
/** Where an event's queue stands, as buyers are told before joining. */
export type SaleState = Schemas['SaleState'];
export type PublicVenue = Schemas['PublicVenue'];
export type SectionAvailability = Schemas['SectionAvailability'];
/** An operator's message to everyone of an event (status `announcement`, push `announcement`). */
export type Announcement = Schemas['Announcement'];
/** `GET /api/v1/reservations`: the signed-in buyer's own reservations, newest first. */
export type ReservationList = Schemas['ReservationList'];
/** `GET`/`POST /api/v1/admin/session`: who is signed in to the dashboard. */
export type SessionInfo = Schemas['SessionInfo'];
/** `GET /api/v1/admin/events`. */
export type AdminEventList = Schemas['AdminEventList'];
/** `GET /api/v1/admin/events/{id}/history`. */
export type History = Schemas['History'];
export type MinuteSample = Schemas['MinuteSample'];
/** `GET /api/v1/admin/audit`. */
export type AuditLog = Schemas['AuditLog'];
export type AuditEntry = Schemas['AuditEntry'];
/** The body of `PUT /api/v1/admin/events/{id}`. */
export type ConfigBody = Schemas['ConfigBody'];
/** The body of every error answer. */
export type ErrorBody = Schemas['ErrorBody'];
