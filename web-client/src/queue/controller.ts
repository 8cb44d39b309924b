// The driver of the queue-state model: owns the one WebSocket, the REST calls and the timers,
// turns their outcomes into model events, and carries out the effects the model returns.
// Everything it touches in the outside world comes through `QueueEnv`, so tests can hand it a
// fake WebSocket, a fake fetch and fake timers.

import { ApiError, call, type Fetch } from '../api/http';
import type { IncomingMessage, SaleStatus } from '../api/draw';
import type { Granted } from '../api/types';
import {
  type Effect,
  type ErrorInfo,
  type Place,
  type QueueEvent,
  type QueueState,
  type TimerName,
  initialState,
  reduce,
  start,
} from './model';
import { forgetPlace, loadPlace, saveDrawEntry, saveGrant, savePlace } from './storage';

/** The part of the browser's WebSocket the controller uses. */
export interface SocketLike {
  onopen: ((ev: Event) => void) | null;
  onmessage: ((ev: MessageEvent) => void) | null;
  onclose: ((ev: CloseEvent) => void) | null;
  onerror: ((ev: Event) => void) | null;
  send(data: string): void;
  close(code?: number, reason?: string): void;
}

export interface QueueEnv {
  createSocket(url: string): SocketLike;
  fetch: Fetch;
  now(): number;
  random(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
  storage: Storage;
  /** Absolute ws:// or wss:// URL of the queue socket for a token. */
  socketUrl(token: string): string;
  /** Whether the page is hidden (polling slows down). */
  hidden(): boolean;
  /** Called when admission arrives (the page flashes its title if hidden). */
  onAdmitted?(): void;
}

/** The browser's own implementations. */
export function browserEnv(): QueueEnv {
  return {
    createSocket: (url) => new WebSocket(url),
    fetch: (...args) => globalThis.fetch(...args),
    now: () => Date.now(),
    random: () => Math.random(),
    setTimeout: (fn, ms) => globalThis.setTimeout(fn, ms),
    clearTimeout: (h) => globalThis.clearTimeout(h as number),
    storage: globalThis.localStorage,
    socketUrl: (token) => {
      const proto = location.protocol === 'https:' ? 'wss:' : 'ws:';
      return `${proto}//${location.host}/api/v1/queue/ws?token=${encodeURIComponent(token)}`;
    },
    hidden: () => typeof document !== 'undefined' && document.visibilityState === 'hidden',
  };
}

export function errorInfo(e: unknown): ErrorInfo {
  if (e instanceof ApiError) {
    const info: ErrorInfo = { status: e.status, code: e.code, message: e.message, retryAfterMs: e.retryAfterMs };
    const opensAt = e.details.opens_at;
    if (typeof opensAt === 'number' && Number.isFinite(opensAt)) info.opensAt = opensAt;
    return info;
  }
  return { status: 0, code: 'CLIENT_ERROR', message: e instanceof Error ? e.message : String(e) };
}

type Listener = (state: QueueState) => void;

export class QueueController {
  private state: QueueState;
  private readonly env: QueueEnv;
  private socket: SocketLike | null = null;
  private readonly timers = new Map<TimerName, unknown>();
  private readonly listeners = new Set<Listener>();
  private polling = false;
  private entering = false;
  private stopped = false;

  constructor(place: Place, env: QueueEnv, opts: { autoEnter?: boolean } = {}) {
    this.env = env;
    this.state = initialState(place, { autoEnter: opts.autoEnter ?? false, online: true });
  }

  getState(): QueueState {
    return this.state;
  }

  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Opens the socket. */
  start(): void {
    this.apply(start(this.state));
  }

  /** Stops all transport without leaving the queue (the page goes away; the place is kept). */
  stop(): void {
    this.stopped = true;
    for (const h of this.timers.values()) this.env.clearTimeout(h);
    this.timers.clear();
    this.dropSocket();
    this.listeners.clear();
  }

  dispatch(event: QueueEvent): void {
    if (this.stopped) return;
    this.apply(reduce(this.state, event));
  }

  // Actions from the page.
  leave(): void {
    this.dispatch({ type: 'leave_requested', now: this.env.now() });
  }
  enterNow(): void {
    this.dispatch({ type: 'enter_requested', now: this.env.now() });
  }
  setAutoEnter(on: boolean): void {
    this.dispatch({ type: 'auto_enter', on, now: this.env.now() });
  }
  takeOver(): void {
    this.dispatch({ type: 'take_over', now: this.env.now() });
  }
  resync(): void {
    this.dispatch({ type: 'resync', now: this.env.now() });
  }
  setOnline(online: boolean): void {
    this.dispatch({ type: 'online', online, now: this.env.now() });
  }

  private apply(step: { state: QueueState; effects: Effect[] }): void {
    const changed = step.state !== this.state;
    this.state = step.state;
    for (const effect of step.effects) this.run(effect);
    if (changed) for (const l of this.listeners) l(this.state);
  }

  private run(effect: Effect): void {
    const env = this.env;
    switch (effect.kind) {
      case 'open_socket':
        this.openSocket(effect.gen);
        break;
      case 'close_socket':
        this.dropSocket();
        break;
      case 'send':
        try {
          this.socket?.send(JSON.stringify(effect.data));
        } catch {
          // A socket that cannot send is about to report its close.
        }
        break;
      case 'set_timer': {
        this.clearTimer(effect.name);
        const name = effect.name;
        const handle = env.setTimeout(() => {
          this.timers.delete(name);
          this.dispatch({ type: 'timer', name, now: env.now(), rand: env.random() });
        }, effect.delayMs);
        this.timers.set(name, handle);
        break;
      }
      case 'clear_timer':
        this.clearTimer(effect.name);
        break;
      case 'poll':
        void this.poll();
        break;
      case 'enter':
        void this.enter(effect.key);
        break;
      case 'leave':
        void this.leaveCall();
        break;
      case 'save_place': {
        const stored = loadPlace(env.storage, this.state.eventId);
        if (stored && stored.token === this.state.token) {
          savePlace(env.storage, { ...stored, initialPosition: this.state.initialPosition });
        }
        break;
      }
      case 'save_grant':
        saveGrant(env.storage, effect.grant);
        break;
      case 'save_draw_entry':
        saveDrawEntry(env.storage, {
          eventId: this.state.eventId,
          token: this.state.token,
          drawnRank: this.state.status?.drawn_rank ?? null,
        });
        break;
      case 'forget_place': {
        const stored = loadPlace(env.storage, this.state.eventId);
        if (!stored || stored.token === this.state.token) forgetPlace(env.storage, this.state.eventId);
        break;
      }
      case 'flash_title':
        env.onAdmitted?.();
        break;
    }
  }

  private clearTimer(name: TimerName): void {
    const h = this.timers.get(name);
    if (h !== undefined) {
      this.env.clearTimeout(h);
      this.timers.delete(name);
    }
  }

  private openSocket(gen: number): void {
    this.dropSocket();
    const env = this.env;
    let ws: SocketLike;
    try {
      ws = env.createSocket(env.socketUrl(this.state.token));
    } catch {
      // Blocked (by policy, an extension, a missing WebSocket): an abnormal close, soon.
      env.setTimeout(() => this.dispatch({ type: 'socket_closed', gen, code: 1006, now: env.now(), rand: env.random() }), 0);
      return;
    }
    this.socket = ws;
    ws.onopen = () => this.dispatch({ type: 'socket_opened', gen, now: env.now() });
    ws.onmessage = (ev: MessageEvent) => {
      let msg: IncomingMessage;
      try {
        msg = JSON.parse(String(ev.data)) as IncomingMessage;
      } catch {
        return;
      }
      if (msg && typeof msg === 'object' && typeof msg.type === 'string') {
        this.dispatch({ type: 'socket_message', gen, msg, now: env.now() });
      }
    };
    ws.onclose = (ev: CloseEvent) => {
      if (this.socket === ws) this.socket = null;
      this.dispatch({ type: 'socket_closed', gen, code: ev.code || 1006, now: env.now(), rand: env.random() });
    };
    ws.onerror = () => {
      // The close event that follows says what happened.
    };
  }

  /** Detaches and closes the current socket; its late events are never delivered. */
  private dropSocket(): void {
    const ws = this.socket;
    if (!ws) return;
    this.socket = null;
    ws.onopen = ws.onmessage = ws.onclose = ws.onerror = null;
    try {
      ws.close(1000, 'client');
    } catch {
      // already closed
    }
  }

  private async poll(): Promise<void> {
    if (this.polling) return;
    this.polling = true;
    const env = this.env;
    try {
      const status = await call<SaleStatus>('GET', `/api/v1/queue/status?token=${encodeURIComponent(this.state.token)}`, {
        fetchImpl: env.fetch,
      });
      this.polling = false;
      this.dispatch({ type: 'poll_ok', status, now: env.now(), rand: env.random(), hidden: env.hidden() });
    } catch (e) {
      this.polling = false;
      this.dispatch({ type: 'poll_failed', error: errorInfo(e), now: env.now(), rand: env.random() });
    }
  }

  private async enter(key: string): Promise<void> {
    if (this.entering) return;
    this.entering = true;
    const env = this.env;
    try {
      const grant = await call<Granted>('POST', '/api/v1/queue/enter', {
        body: { waiting_token: this.state.token },
        idempotencyKey: key,
        fetchImpl: env.fetch,
      });
      this.entering = false;
      this.dispatch({ type: 'enter_ok', grant, now: env.now() });
    } catch (e) {
      this.entering = false;
      this.dispatch({ type: 'enter_failed', error: errorInfo(e), now: env.now(), rand: env.random() });
    }
  }

  private async leaveCall(): Promise<void> {
    const env = this.env;
    try {
      await call('DELETE', `/api/v1/queue/leave?token=${encodeURIComponent(this.state.token)}`, { fetchImpl: env.fetch });
      this.dispatch({ type: 'leave_done', now: env.now() });
    } catch (e) {
      this.dispatch({ type: 'leave_failed', error: errorInfo(e), now: env.now() });
    }
  }
}
