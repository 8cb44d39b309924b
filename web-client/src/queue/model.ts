// The queue-state model: a pure state machine for one waiter's place in one event's queue.
//
// Everything that happens (a socket opened, a message, a close code, a poll answer, a timer, the
// tab becoming visible) is an event; `reduce(state, event)` returns the next state and the
// effects to carry out (open a socket, poll, call enter, set a timer). The driver
// (`controller.ts`) owns the real WebSocket, fetch and timers and feeds their outcomes back in.
// The same model drives the page whatever the transport, so the page never depends on whether
// the socket or polling delivered a status.
//
// A scheduled event adds two phases before the queue proper: `prequeue` (joined before the sale
// starts) and, for a random on-sale, `drawing` (the entry list is closed and places are being
// drawn); then the waiter is `waiting` like anyone else, with its drawn rank. `sale_ended` is
// the end of the sale (or its cancellation by an operator), after which nothing reconnects.
//
// Operators speak through it too: their current message (`announcement`, in every status and
// pushed when sent), "queue everyone" (`queue_all`: nobody is admitted yet, which is not a
// pause), and the removal of a place (`expired` with reason `revoked`, then the socket closes).
//
// Values shown to the user come only from the server: `status` is the last status usher sent,
// never a guess. Time is passed in with each event (`now`), and randomness (`rand`, in [0, 1))
// too, so the model is deterministic under test.

import type { IncomingMessage, SaleStatus } from '../api/draw';
import type { Announcement, Granted, PaymentPush, ReservationPush } from '../api/types';
import { afterHint, fullJitter, spread } from './backoff';

/** Timings of the transport policy. */
export const TUNING = {
  /** First reconnect delay ceiling; doubles per consecutive failure. */
  backoffBaseMs: 500,
  backoffCapMs: 30_000,
  /** Consecutive socket failures after which the page falls back to polling. */
  fallbackAfter: 3,
  /** A socket that delivered its snapshot and lived this long resets the failure count. */
  stableMs: 30_000,
  /** A socket attempt that has not opened by then counts as failed. */
  connectTimeoutMs: 10_000,
  /** While polling, the first attempt to upgrade back to a socket comes after about this long. */
  upgradeBaseMs: 10_000,
  upgradeCapMs: 120_000,
  /** App-level ping interval on a live socket; no message for 2.5 intervals means it is dead. */
  pingEveryMs: 20_000,
  /** Poll interval when the server gave no hint yet. */
  defaultPollMs: 2_000,
  /** Enter retries after transient failures. */
  enterBaseMs: 1_000,
  enterCapMs: 15_000,
} as const;

export type Phase =
  /** Token known (joined or stored), first status not yet received. */
  | 'resuming'
  /** Joined a scheduled event before its sale starts. */
  | 'prequeue'
  /** Random on-sale: the entry list is closed and the draw is being made. */
  | 'drawing'
  | 'waiting'
  /** Admitted: enter must be called before `status.entry_deadline`. */
  | 'ready'
  | 'entering'
  /** Enter granted (here, or earlier for this token). */
  | 'entered'
  // Terminal phases: the place is gone, nothing reconnects.
  | 'expired'
  | 'left'
  | 'not_found'
  /** The sale is over (message `sale_ended`, REST 410 `SALE_ENDED`). */
  | 'sale_ended';

export const TERMINAL: ReadonlySet<Phase> = new Set<Phase>(['expired', 'left', 'not_found', 'sale_ended']);

export type TransportMode =
  /** A socket attempt is under way (nothing live yet). */
  | 'connecting'
  /** A socket delivered its snapshot and is open. */
  | 'live'
  /** The socket dropped; the next attempt is due at `retryAt`. */
  | 'reconnecting'
  /** No socket could be held: REST polling, with attempts to upgrade back in the background. */
  | 'polling'
  /** Deliberately without transport (terminal phase, or replaced by another connection). */
  | 'closed';

export type TimerName = 'reconnect' | 'connect_timeout' | 'poll' | 'upgrade' | 'ping' | 'enter';

export interface ErrorInfo {
  status: number;
  code: string;
  message: string;
  retryAfterMs?: number | undefined;
  /** `SALE_NOT_OPEN`: when joining opens (ms since the epoch, server clock). */
  opensAt?: number | undefined;
}

/** The reservation grant from enter; `expiresAt` is local ms. */
export interface Grant {
  reservationToken: string;
  eventId: string;
  expiresAt: number;
  /** The pass's lifetime (`ttl_sec`), in ms: no countdown shows more. */
  ttlMs: number;
}

export interface QueueState {
  eventId: string;
  token: string;
  phase: Phase;
  /** The last status usher sent (socket or poll); null until the first one arrives. */
  status: SaleStatus | null;
  /** Local time the last status arrived. */
  statusAt: number | null;
  /** server_time − local time at the last message, to correct server deadlines. */
  skewMs: number;
  /** Position when this client first saw the place (join answer or first status). */
  initialPosition: number | null;
  /** This place was entered in a random on-sale's draw (its rank can be checked). */
  inDraw: boolean;
  paused: boolean;
  /** Why usher holds admission by itself (a backend is failing); null when an organiser paused. */
  pauseReason: string | null;
  degraded: boolean;
  soldOut: boolean;
  /**
   * The operator queues everyone: joins are taken and nobody is admitted until it is lifted.
   * Told apart from `paused`: the sale has not stopped, it is gathering its queue.
   */
  queueAll: boolean;
  /** The operator's current message to everyone of the event; null when there is none. */
  announcement: Announcement | null;
  /** Why the place expired (`revoked`: an operator removed it). */
  expiredReason: string | null;
  /** The sale ended because an operator called it off (`sale_ended` with `cancelled`). */
  cancelled: boolean;

  mode: TransportMode;
  /** Generation of the current socket attempt: events from older sockets are ignored. */
  socketGen: number;
  /** Whether a socket attempt is open or under way (also during polling, when upgrading). */
  socketActive: boolean;
  /** Local time the current socket delivered its snapshot. */
  liveSince: number | null;
  /** Last `seq` applied from the current socket (per connection, from 1). */
  lastSeq: number;
  /** Local time of the last message on the current socket. */
  lastMessageAt: number | null;
  /** Consecutive socket failures, reset by a stable connection. */
  failures: number;
  /** Failed upgrade attempts while polling. */
  upgradeFailures: number;
  /** When the next socket attempt is due (reconnecting) or the next poll (polling). */
  retryAt: number | null;
  /** `retry_after_ms` from the last `reconnect` message, honoured on close 1012/1013. */
  hintMs: number | null;
  /** A newer connection with the same token (another window) took the place over: close 4000. */
  replaced: boolean;
  /** The last close code of a socket, for the connection indicator. */
  lastClose: number | null;

  /** One Idempotency-Key for this waiter's one enter, reused on every retry (and reload). */
  enterKey: string;
  /** Call enter as soon as admitted (the buyer is signed in and ready to pick seats). */
  autoEnter: boolean;
  enterAttempts: number;
  grant: Grant | null;
  /** Leave was asked for and is under way. */
  leaving: boolean;
  /** The last non-fatal problem worth telling the user (a refused enter, a failed poll). */
  notice: ErrorInfo | null;
  reservation: ReservationPush | null;
  payment: PaymentPush | null;
  online: boolean;
}

export type QueueEvent =
  | { type: 'socket_opened'; gen: number; now: number }
  | { type: 'socket_message'; gen: number; msg: IncomingMessage; now: number }
  | { type: 'socket_closed'; gen: number; code: number; now: number; rand: number }
  | { type: 'timer'; name: TimerName; now: number; rand: number }
  | { type: 'poll_ok'; status: SaleStatus; now: number; rand: number; hidden?: boolean }
  | { type: 'poll_failed'; error: ErrorInfo; now: number; rand: number }
  | { type: 'enter_ok'; grant: Granted; now: number }
  | { type: 'enter_failed'; error: ErrorInfo; now: number; rand: number }
  /** The user pressed "enter now" (or signed in while admitted). */
  | { type: 'enter_requested'; now: number }
  | { type: 'auto_enter'; on: boolean; now: number }
  /** The tab became visible again, or the browser came back online: check at once. */
  | { type: 'resync'; now: number }
  | { type: 'online'; online: boolean; now: number }
  | { type: 'leave_requested'; now: number }
  | { type: 'leave_done'; now: number }
  | { type: 'leave_failed'; error: ErrorInfo; now: number }
  /** After close 4000, the user chose to follow the place in this window again. */
  | { type: 'take_over'; now: number };

export type Effect =
  | { kind: 'open_socket'; gen: number }
  | { kind: 'close_socket' }
  | { kind: 'send'; data: { type: 'ping' } }
  | { kind: 'set_timer'; name: TimerName; delayMs: number }
  | { kind: 'clear_timer'; name: TimerName }
  | { kind: 'poll' }
  | { kind: 'enter'; key: string }
  | { kind: 'leave' }
  | { kind: 'save_place' }
  | { kind: 'save_grant'; grant: Grant }
  /** Remember this token (and its drawn rank) for the draw page, beyond the place itself. */
  | { kind: 'save_draw_entry' }
  | { kind: 'forget_place' }
  | { kind: 'flash_title' };

export interface Step {
  state: QueueState;
  effects: Effect[];
}

export interface Place {
  eventId: string;
  token: string;
  initialPosition: number | null;
  enterKey: string;
  grant?: Grant | null;
}

/** The state for a place (just joined, or resumed from storage), before any transport. */
export function initialState(place: Place, opts: { autoEnter?: boolean; online?: boolean } = {}): QueueState {
  return {
    eventId: place.eventId,
    token: place.token,
    phase: 'resuming',
    status: null,
    statusAt: null,
    skewMs: 0,
    initialPosition: place.initialPosition,
    inDraw: false,
    paused: false,
    pauseReason: null,
    degraded: false,
    soldOut: false,
    queueAll: false,
    announcement: null,
    expiredReason: null,
    cancelled: false,
    mode: 'connecting',
    socketGen: 0,
    socketActive: false,
    liveSince: null,
    lastSeq: 0,
    lastMessageAt: null,
    failures: 0,
    upgradeFailures: 0,
    retryAt: null,
    hintMs: null,
    replaced: false,
    lastClose: null,
    enterKey: place.enterKey,
    autoEnter: opts.autoEnter ?? false,
    enterAttempts: 0,
    grant: place.grant ?? null,
    leaving: false,
    notice: null,
    reservation: null,
    payment: null,
    online: opts.online ?? true,
  };
}

/** Starts the transport: the first socket attempt. */
export function start(state: QueueState): Step {
  return openSocket({ ...state, mode: 'connecting' }, []);
}

export function isTerminal(state: QueueState): boolean {
  return TERMINAL.has(state.phase);
}

export function reduce(state: QueueState, event: QueueEvent): Step {
  // A place that is gone stays gone; late socket or poll answers change nothing.
  if (isTerminal(state)) return { state, effects: [] };
  switch (event.type) {
    case 'socket_opened':
      if (event.gen !== state.socketGen || !state.socketActive) return same(state);
      // Live only once the snapshot arrives; the ping timer starts now.
      return {
        state: { ...state, lastMessageAt: event.now },
        effects: [
          { kind: 'clear_timer', name: 'connect_timeout' },
          { kind: 'set_timer', name: 'ping', delayMs: TUNING.pingEveryMs },
        ],
      };
    case 'socket_message':
      if (event.gen !== state.socketGen || !state.socketActive) return same(state);
      return onMessage(state, event.msg, event.now);
    case 'socket_closed':
      if (event.gen !== state.socketGen || !state.socketActive) return same(state);
      return onClose(state, event.code, event.now, event.rand);
    case 'timer':
      return onTimer(state, event.name, event.now, event.rand);
    case 'poll_ok': {
      if (state.mode !== 'polling') return same(state);
      const step = applyStatus({ ...state, notice: null, degraded: false }, event.status, event.now);
      if (isTerminal(step.state) || step.state.mode !== 'polling') return step;
      return schedulePoll(step, event.status.poll_after_ms ?? TUNING.defaultPollMs, event.now, event.rand, event.hidden);
    }
    case 'poll_failed':
      return onPollFailed(state, event.error, event.now, event.rand);
    case 'enter_ok':
      return onEnterOk(state, event.grant, event.now);
    case 'enter_failed':
      return onEnterFailed(state, event.error, event.rand);
    case 'enter_requested':
      if (state.phase !== 'ready') return same(state);
      return callEnter(state, []);
    case 'auto_enter': {
      const next = { ...state, autoEnter: event.on };
      if (event.on && next.phase === 'ready') return callEnter(next, []);
      return same(next);
    }
    case 'resync':
      return onResync(state);
    case 'online': {
      const next = { ...state, online: event.online };
      return event.online ? onResync(next) : same(next);
    }
    case 'leave_requested':
      if (state.leaving) return same(state);
      return { state: { ...state, leaving: true }, effects: [{ kind: 'leave' }] };
    case 'leave_done':
      return end({ ...state, leaving: false }, 'left', null);
    case 'leave_failed':
      return same({ ...state, leaving: false, notice: event.error });
    case 'take_over':
      if (!state.replaced) return same(state);
      return openSocket({ ...state, replaced: false, mode: 'connecting', failures: 0 }, []);
  }
}

function same(state: QueueState): Step {
  return { state, effects: [] };
}

// ---- socket ----------------------------------------------------------------------------------

function openSocket(state: QueueState, effects: Effect[]): Step {
  const gen = state.socketGen + 1;
  return {
    state: { ...state, socketGen: gen, socketActive: true, lastSeq: 0, liveSince: null, lastMessageAt: null },
    effects: [
      ...effects,
      { kind: 'open_socket', gen },
      { kind: 'set_timer', name: 'connect_timeout', delayMs: TUNING.connectTimeoutMs },
    ],
  };
}

function onMessage(state: QueueState, msg: IncomingMessage, now: number): Step {
  // Per-connection order: anything not newer than what was applied is stale or duplicated.
  if (typeof msg.seq !== 'number' || msg.seq <= state.lastSeq) return same(state);
  let s: QueueState = {
    ...state,
    lastSeq: msg.seq,
    lastMessageAt: now,
    skewMs: typeof msg.server_time === 'number' ? msg.server_time - now : state.skewMs,
  };
  switch (msg.type) {
    case 'snapshot': {
      // The socket is live: polling and pending reconnects stop.
      s = { ...s, mode: 'live', liveSince: now, retryAt: null, hintMs: null, upgradeFailures: 0, degraded: false };
      const step = applyStatus(s, msg, now);
      return {
        state: step.state,
        effects: [
          { kind: 'clear_timer', name: 'poll' },
          { kind: 'clear_timer', name: 'upgrade' },
          { kind: 'clear_timer', name: 'reconnect' },
          ...step.effects,
        ],
      };
    }
    case 'position':
    case 'ready':
      return applyStatus(s, msg, now);
    case 'expired':
      return end(s, 'expired', msg.reason ?? null);
    case 'left':
      return end(s, 'left', null);
    case 'sale_ended':
      // The close 4410 that follows finds the place already ended.
      return end({ ...s, cancelled: msg.cancelled === true }, 'sale_ended', null);
    case 'announcement':
      // Sent now; the statuses that follow carry it too.
      return same({ ...s, announcement: { message: msg.message, at_ms: msg.at_ms } });
    case 'announcement_withdrawn':
      return same({ ...s, announcement: null });
    case 'paused':
      return same({ ...s, paused: true, pauseReason: msg.reason ?? null });
    case 'resumed':
      return same({ ...s, paused: false, pauseReason: null });
    case 'sold_out':
      return same({ ...s, soldOut: true });
    case 'degraded':
      return same({ ...s, degraded: true });
    case 'recovered':
      return same({ ...s, degraded: false });
    case 'reservation': {
      const { type: _t, seq: _s, server_time: _st, ...push } = msg;
      return same({ ...s, reservation: push });
    }
    case 'payment': {
      const { type: _t, seq: _s, server_time: _st, ...push } = msg;
      return same({ ...s, payment: push });
    }
    case 'reconnect':
      return same({ ...s, hintMs: msg.retry_after_ms });
    case 'error':
      return same({ ...s, notice: { status: 0, code: msg.code, message: msg.message ?? msg.code } });
    case 'pong':
      return same(s);
    default:
      // A type this client does not know: ignore it (the server may add new ones).
      return same(s);
  }
}

/** Close codes after which the client must not reconnect on its own. */
function onClose(state: QueueState, code: number, now: number, rand: number): Step {
  const s: QueueState = { ...state, socketActive: false, lastClose: code };
  const stop: Effect[] = [
    { kind: 'clear_timer', name: 'ping' },
    { kind: 'clear_timer', name: 'connect_timeout' },
  ];
  switch (code) {
    case 1000: // left
      return end(s, 'left', null);
    case 4404: // token unknown
      return end(s, 'not_found', null);
    case 4410: // place expired, or the sale ended (if its `sale_ended` message was lost)
      return saleOver(s, now) ? end(s, 'sale_ended', null) : end(s, 'expired', s.expiredReason ?? 'heartbeat_lost');
    case 4000: // replaced by a newer connection with the same token (another window)
      return {
        state: { ...s, mode: 'closed', replaced: true, retryAt: null },
        effects: [...stop, { kind: 'clear_timer', name: 'poll' }, { kind: 'clear_timer', name: 'upgrade' }],
      };
    case 1008: // policy violation: this socket will not be accepted again; REST still works
      return startPolling({ ...s, upgradeFailures: Infinity }, stop, now, rand, false);
  }
  // A retryable close. An upgrade attempt made while polling just fails back to polling.
  if (s.mode === 'polling') {
    const upgradeFailures = s.upgradeFailures + 1;
    const delay = upgradeDelay(upgradeFailures, rand);
    return {
      state: { ...s, upgradeFailures },
      effects: [...stop, { kind: 'set_timer', name: 'upgrade', delayMs: delay }],
    };
  }
  const stable = s.liveSince !== null && now - s.liveSince >= TUNING.stableMs;
  const failures = stable ? 1 : s.failures + 1;
  const hinted = (code === 1012 || code === 1013) && s.hintMs !== null;
  if (!hinted && failures >= TUNING.fallbackAfter) {
    return startPolling({ ...s, failures }, stop, now, rand, true);
  }
  const delay = hinted
    ? afterHint(s.hintMs ?? 0, rand)
    : fullJitter(failures - 1, rand, TUNING.backoffBaseMs, TUNING.backoffCapMs);
  return {
    state: { ...s, failures, mode: 'reconnecting', retryAt: now + delay, hintMs: null, liveSince: null },
    effects: [...stop, { kind: 'set_timer', name: 'reconnect', delayMs: delay }],
  };
}

function upgradeDelay(upgradeFailures: number, rand: number): number {
  // Between half and all of an exponentially growing ceiling: never a tight loop.
  const ceiling = Math.min(TUNING.upgradeCapMs, TUNING.upgradeBaseMs * 2 ** Math.max(0, upgradeFailures));
  return Math.floor(ceiling / 2 + (ceiling / 2) * rand);
}

function startPolling(s: QueueState, effects: Effect[], now: number, rand: number, upgrade: boolean): Step {
  const next: QueueState = { ...s, mode: 'polling', retryAt: now, liveSince: null };
  const out: Effect[] = [...effects, { kind: 'clear_timer', name: 'reconnect' }, { kind: 'poll' }];
  if (upgrade && Number.isFinite(s.upgradeFailures)) {
    out.push({ kind: 'set_timer', name: 'upgrade', delayMs: upgradeDelay(s.upgradeFailures, rand) });
  }
  return { state: next, effects: out };
}

function schedulePoll(step: Step, everyMs: number, now: number, rand: number, hidden?: boolean): Step {
  // Entered waiters have nothing more to learn from status; pushes come when a socket is back.
  if (step.state.phase === 'entered') return { state: { ...step.state, retryAt: null }, effects: step.effects };
  const delay = spread(hidden ? everyMs * 2 : everyMs, rand);
  return {
    state: { ...step.state, retryAt: now + delay },
    effects: [...step.effects, { kind: 'set_timer', name: 'poll', delayMs: delay }],
  };
}

function onTimer(state: QueueState, name: TimerName, now: number, rand: number): Step {
  switch (name) {
    case 'reconnect':
      if (state.mode !== 'reconnecting') return same(state);
      return openSocket({ ...state, mode: 'connecting', retryAt: null }, []);
    case 'connect_timeout':
      if (!state.socketActive || state.lastMessageAt !== null) return same(state);
      // Never opened: give up on this attempt as if it had closed abnormally.
      return withClose(state, now, rand);
    case 'ping': {
      if (!state.socketActive) return same(state);
      const quiet = state.lastMessageAt === null ? Infinity : now - state.lastMessageAt;
      if (quiet > TUNING.pingEveryMs * 2.5) return withClose(state, now, rand); // half-open socket
      return {
        state,
        effects: [
          { kind: 'send', data: { type: 'ping' } },
          { kind: 'set_timer', name: 'ping', delayMs: TUNING.pingEveryMs },
        ],
      };
    }
    case 'poll':
      if (state.mode !== 'polling') return same(state);
      return { state, effects: [{ kind: 'poll' }] };
    case 'upgrade':
      if (state.mode !== 'polling' || state.socketActive) return same(state);
      return openSocket(state, []);
    case 'enter':
      if (state.phase !== 'ready') return same(state);
      return callEnter(state, []);
  }
}

/** Drops the current socket (the driver closes it) and handles it as an abnormal close. */
function withClose(state: QueueState, now: number, rand: number): Step {
  const step = onClose(state, 1006, now, rand);
  return { state: step.state, effects: [{ kind: 'close_socket' }, ...step.effects] };
}

function onResync(state: QueueState): Step {
  switch (state.mode) {
    case 'live':
      // Proves the socket is alive; a dead one is noticed by the ping timer.
      return { state, effects: [{ kind: 'send', data: { type: 'ping' } }] };
    case 'reconnecting':
      return openSocket({ ...state, mode: 'connecting', retryAt: null }, [{ kind: 'clear_timer', name: 'reconnect' }]);
    case 'polling': {
      const effects: Effect[] = [{ kind: 'clear_timer', name: 'poll' }, { kind: 'poll' }];
      if (!state.socketActive && Number.isFinite(state.upgradeFailures)) {
        return openSocket(state, [...effects, { kind: 'clear_timer', name: 'upgrade' }]);
      }
      return { state, effects };
    }
    default:
      return same(state);
  }
}

function onPollFailed(state: QueueState, error: ErrorInfo, now: number, rand: number): Step {
  if (state.mode !== 'polling') return same(state);
  if (error.code === 'TOKEN_NOT_FOUND') return end(state, 'not_found', null);
  if (error.code === 'TOKEN_EXPIRED') return end(state, 'expired', 'heartbeat_lost');
  if (error.code === 'SALE_ENDED') return end(state, 'sale_ended', null);
  // Transient (offline, 429, 503 store outage): keep the place, try again later.
  const s = { ...state, notice: error, degraded: error.code === 'STORE_UNAVAILABLE' || state.degraded };
  const base = s.status?.poll_after_ms ?? TUNING.defaultPollMs;
  const delay = Math.max(error.retryAfterMs ?? 0, spread(base, rand));
  return {
    state: { ...s, retryAt: now + delay },
    effects: [{ kind: 'set_timer', name: 'poll', delayMs: delay }],
  };
}

// ---- status ----------------------------------------------------------------------------------

/** Whether the sale's end (by the server's clock) has passed. */
function saleOver(state: QueueState, now: number): boolean {
  const ends = state.status?.sale_ends_at;
  return typeof ends === 'number' && now + state.skewMs >= ends;
}

function applyStatus(state: QueueState, status: SaleStatus, now: number): Step {
  const { type: _t, seq: _s, server_time: _st, ...plain } = status as SaleStatus & {
    type?: string;
    seq?: number;
    server_time?: number;
  };
  let s: QueueState = {
    ...state,
    status: plain,
    statusAt: now,
    paused: plain.paused ?? state.paused,
    pauseReason: plain.paused ? (plain.pause_reason ?? null) : null,
    queueAll: plain.queue_all === true,
    // Every status carries the operator's current message: one without it was withdrawn.
    announcement: plain.announcement ?? null,
  };
  const effects: Effect[] = [];
  const random = plain.queueing_method === 'random_at_start';
  // Before a random draw there is no position: progress starts from the first drawn one.
  const unplaced = plain.phase === 'drawing' || (plain.phase === 'prequeue' && random);
  if (unplaced && s.initialPosition !== null) {
    s = { ...s, initialPosition: null };
    effects.push({ kind: 'save_place' });
  }
  const placed = plain.phase === 'waiting' || (plain.phase === 'prequeue' && !random);
  if (s.initialPosition === null && placed && plain.position > 0) {
    s = { ...s, initialPosition: plain.position };
    effects.push({ kind: 'save_place' });
  }
  // In the draw: waiting for it (random pre-queue), or drawn (a rank). Anyone who joined after
  // the close is not.
  if (unplaced || typeof plain.drawn_rank === 'number') {
    if (!s.inDraw || plain.drawn_rank !== state.status?.drawn_rank) effects.push({ kind: 'save_draw_entry' });
    s = { ...s, inDraw: true };
  }
  switch (plain.phase) {
    case 'prequeue':
    case 'drawing':
      if (s.phase !== 'entering') s = { ...s, phase: plain.phase };
      return { state: s, effects };
    case 'waiting':
      if (s.phase !== 'entering') s = { ...s, phase: 'waiting' };
      return { state: s, effects };
    case 'admitted': {
      if (s.phase === 'entering' || s.phase === 'entered') return { state: s, effects };
      const wasReady = s.phase === 'ready';
      s = { ...s, phase: 'ready' };
      if (!wasReady) effects.push({ kind: 'flash_title' });
      if (s.autoEnter && !wasReady) return callEnter(s, effects);
      return { state: s, effects };
    }
    case 'entered':
      return { state: { ...s, phase: 'entered' }, effects };
    default:
      return { state: s, effects };
  }
}

// ---- enter -----------------------------------------------------------------------------------

function callEnter(state: QueueState, effects: Effect[]): Step {
  return {
    state: { ...state, phase: 'entering', enterAttempts: state.enterAttempts + 1, notice: null },
    effects: [...effects, { kind: 'clear_timer', name: 'enter' }, { kind: 'enter', key: state.enterKey }],
  };
}

/** The pass in an enter's answer, expiring by the local clock (`now` is when the answer came). */
export function grantOf(granted: Granted, eventId: string, now: number): Grant {
  return {
    reservationToken: granted.reservation_token,
    eventId: granted.event_id ?? eventId,
    expiresAt: now + granted.ttl_sec * 1000,
    ttlMs: granted.ttl_sec * 1000,
  };
}

function onEnterOk(state: QueueState, granted: Granted, now: number): Step {
  const grant = grantOf(granted, state.eventId, now);
  return {
    state: { ...state, phase: 'entered', grant, notice: null },
    effects: [{ kind: 'save_grant', grant }],
  };
}

function onEnterFailed(state: QueueState, error: ErrorInfo, rand: number): Step {
  switch (error.code) {
    case 'NOT_READY':
      // Not admitted after all (or not yet visible to this node): wait for the next push or
      // poll, which says `ready` again; no retry loop here.
      return same({ ...state, phase: 'waiting', notice: error });
    case 'ALREADY_ENTERED':
      // Entered earlier with this token (another tab, or an answer that got lost).
      return same({ ...state, phase: 'entered', notice: state.grant ? null : error });
    case 'TOKEN_NOT_FOUND':
      return end(state, 'not_found', null);
    case 'TOKEN_EXPIRED':
      return end(state, 'expired', 'entry_window_ended');
    case 'SALE_ENDED':
      return end(state, 'sale_ended', null);
  }
  const retryable = error.status === 0 || error.status === 429 || error.status >= 500 || error.code === 'IDEMPOTENCY_CONFLICT';
  if (!retryable) return same({ ...state, phase: 'ready', notice: error });
  const delay = Math.max(
    error.retryAfterMs ?? 0,
    TUNING.enterBaseMs + fullJitter(state.enterAttempts, rand, TUNING.enterBaseMs, TUNING.enterCapMs),
  );
  return {
    state: { ...state, phase: 'ready', notice: error },
    effects: [{ kind: 'set_timer', name: 'enter', delayMs: delay }],
  };
}

// ---- the end ---------------------------------------------------------------------------------

function end(state: QueueState, phase: 'expired' | 'left' | 'not_found' | 'sale_ended', reason: string | null): Step {
  return {
    state: { ...state, phase, expiredReason: phase === 'expired' ? reason : null, mode: 'closed', retryAt: null, socketActive: false },
    effects: [
      { kind: 'close_socket' },
      ...(['reconnect', 'connect_timeout', 'poll', 'upgrade', 'ping', 'enter'] as const).map(
        (name): Effect => ({ kind: 'clear_timer', name }),
      ),
      { kind: 'forget_place' },
    ],
  };
}
