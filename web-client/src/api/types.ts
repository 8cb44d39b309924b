// Wire shapes of usher's API and WebSocket, as the README documents them. Nothing here is
// filled in by the client: a field the server did not send stays absent.

/** REST `GET /api/v1/queue/status` and the WebSocket `snapshot`/`position`/`ready` payload. */
export interface QueueStatus {
  /** `waiting`, `ready` (admitted, may enter) or `entered`. */
  status: 'waiting' | 'ready' | 'entered' | string;
  /** 1-based place in the queue; 0 once admitted. */
  position: number;
  eta_sec: number;
  /** Seconds since joining. */
  waiting_time: number;
  ready_for_entry: boolean;
  eta_range?: [number, number];
  confidence?: number;
  admission_rate?: number;
  total_waiting?: number;
  poll_after_ms?: number;
  paused?: boolean;
  /** ms since the epoch. */
  entry_deadline?: number;
  admitted_at?: number;
}

/** `POST /api/v1/queue/join` → 202. */
export interface Joined {
  waiting_token: string;
  position_hint: number;
  status: string;
  position?: number;
  eta_sec?: number;
  eta_range?: [number, number];
  ws_url?: string;
}

/** `POST /api/v1/queue/enter` → 200. */
export interface Granted {
  admission: 'granted' | string;
  reservation_token: string;
  ttl_sec: number;
  event_id?: string;
}

/** A `reservation` push: a reservation of this waiter changed. */
export interface ReservationPush {
  reservation_id?: string;
  status: 'CONFIRMED' | 'FAILED' | 'NOT_CONFIRMED' | string;
  order_id?: string;
  payment_intent_id?: string;
  reason?: string;
}

/** A `payment` push: a payment of this waiter settled. */
export interface PaymentPush {
  payment_intent_id?: string;
  status: 'COMPLETED' | 'FAILED' | string;
  reservation_id?: string;
}

interface Envelope {
  seq: number;
  server_time: number;
}

/** Every server → client WebSocket message. Unknown types are kept so they can be ignored. */
export type ServerMessage = Envelope &
  (
    | ({ type: 'snapshot' | 'position' | 'ready' } & QueueStatus)
    | { type: 'expired'; reason?: 'heartbeat_lost' | 'entry_window_ended' | string }
    | { type: 'left' }
    | { type: 'paused' }
    | { type: 'resumed' }
    | { type: 'sold_out' }
    | { type: 'pong' }
    | { type: 'degraded' }
    | { type: 'recovered' }
    | ({ type: 'reservation' } & ReservationPush)
    | ({ type: 'payment' } & PaymentPush)
    | { type: 'reconnect'; retry_after_ms: number }
    | { type: 'error'; code: string; message?: string }
  );

/** Login and register answer. */
export interface Session {
  token: string;
  user_id: string;
  username: string;
  display_name?: string;
  role?: string;
  expires_in?: number;
}

export interface Money {
  amount: number;
  currency: string;
}

export interface Availability {
  event_id?: string;
  remaining: number;
  total?: number;
  held?: number;
  sold?: number;
  sections: { id: string; remain: number; total?: number; price?: Money | null }[];
}

export interface Seat {
  id: string;
  section?: string;
  row?: number;
  number?: number;
  price?: Money | null;
}

export interface Reservation {
  reservation_id: string;
  event_id?: string;
  status: 'HOLD' | 'CONFIRMED' | 'CANCELLED' | 'EXPIRED' | 'FAILED' | string;
  seat_ids?: string[];
  seats?: Seat[];
  quantity?: number;
  total_amount?: Money | null;
  /** RFC 3339. */
  hold_expires_at?: string | null;
  payment_intent_id?: string | null;
  order_id?: string | null;
}

export interface PaymentIntent {
  payment_intent_id: string;
  status: string;
  amount?: number;
  currency?: string;
  reservation_id?: string;
}

export interface PaymentStatus {
  payment_intent_id: string;
  status: 'PENDING' | 'PROCESSING' | 'COMPLETED' | 'FAILED' | string;
}

export interface EventConfig {
  rate_per_sec: number;
  burst: number;
  max_active: number | null;
  entry_window_secs: number;
  paused: boolean;
}

/** `GET /api/v1/admin/events/{id}/stats`. */
export interface EventStats {
  event_id: string;
  config: EventConfig;
  waiting: number;
  active: number;
  joined_total: number;
  admitted_total: number;
  entered_total: number;
  expired_total: number;
  lapsed_total: number;
  left_total: number;
  admission_rate: number;
  eta_confidence: number;
  local_connections: number;
  eta_accuracy: number | null;
}
