// One socket across tabs. Every tab showing the same event's place asks for one Web Lock named
// after the event; the tab that holds it is the leader and runs the QueueController (the one
// socket). It publishes each new state on a BroadcastChannel; the other tabs mirror that state
// and send their user's actions (leave, enter now) to the leader. When the leader tab closes,
// its lock is released and a waiting tab takes over, resuming from the stored token.
//
// Without Web Locks or BroadcastChannel (old browsers, tests) every tab leads on its own; the
// server then keeps only the newest socket per token (close 4000 to the older one), which the
// page shows as "followed in another window".

import { QueueController, type QueueEnv } from './controller';
import { isTerminal, type Place, type QueueState } from './model';
import { loadPlace } from './storage';

export type Role = 'leader' | 'follower';

export interface SessionView {
  role: Role;
  /** The leader's state; null in a follower until the leader has answered. */
  state: QueueState | null;
}

export type Action =
  | { kind: 'leave' }
  | { kind: 'enter_now' }
  | { kind: 'take_over' }
  | { kind: 'resync' }
  | { kind: 'online'; online: boolean }
  | { kind: 'auto_enter'; on: boolean };

type Wire = { kind: 'state'; state: QueueState } | { kind: 'hello' } | { kind: 'action'; action: Action };

interface LockManagerLike {
  request(name: string, opts: { signal?: AbortSignal }, cb: () => Promise<void>): Promise<unknown>;
}

export interface SessionDeps {
  env: QueueEnv;
  locks?: LockManagerLike | null;
  channel?: ((name: string) => BroadcastChannel) | null;
}

export function browserSessionDeps(env: QueueEnv): SessionDeps {
  const nav = typeof navigator !== 'undefined' ? (navigator as Navigator & { locks?: LockManagerLike }) : undefined;
  return {
    env,
    locks: nav?.locks ?? null,
    channel: typeof BroadcastChannel === 'function' ? (name) => new BroadcastChannel(name) : null,
  };
}

export class QueueSession {
  private view: SessionView = { role: 'follower', state: null };
  private readonly listeners = new Set<() => void>();
  private controller: QueueController | null = null;
  private channel: BroadcastChannel | null = null;
  private releaseLock: (() => void) | null = null;
  private readonly abort = new AbortController();
  private closed = false;
  /** The user's wish to enter automatically, kept for when this tab becomes leader. */
  private autoEnter: boolean;

  constructor(
    private readonly place: Place,
    private readonly deps: SessionDeps,
    opts: { autoEnter?: boolean } = {},
  ) {
    this.autoEnter = opts.autoEnter ?? false;
  }

  getView = (): SessionView => this.view;

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  start(): void {
    const name = `usher:queue:${this.place.eventId}`;
    if (this.deps.channel) {
      this.channel = this.deps.channel(name);
      this.channel.onmessage = (ev: MessageEvent<Wire>) => this.onWire(ev.data);
    }
    if (!this.deps.locks || !this.channel) {
      this.lead();
      return;
    }
    // Ask the current leader (if any) for its state while waiting for the lock.
    this.channel.postMessage({ kind: 'hello' } satisfies Wire);
    this.deps.locks
      .request(name, { signal: this.abort.signal }, () => {
        if (this.closed) return Promise.resolve();
        this.lead();
        return new Promise<void>((resolve) => {
          this.releaseLock = resolve;
        });
      })
      .catch(() => {
        // Aborted because the page closed while waiting: nothing to do.
      });
  }

  /** Leaves the page: stops the socket (the place is kept) and hands leadership on. */
  close(): void {
    this.closed = true;
    this.abort.abort();
    this.controller?.stop();
    this.controller = null;
    this.releaseLock?.();
    this.releaseLock = null;
    this.channel?.close();
    this.channel = null;
    this.listeners.clear();
  }

  act(action: Action): void {
    if (action.kind === 'auto_enter') this.autoEnter = action.on;
    if (this.controller) {
      apply(this.controller, action);
    } else {
      this.channel?.postMessage({ kind: 'action', action } satisfies Wire);
    }
  }

  private lead(): void {
    // A leader that closed after the place ended (left, expired) leaves nothing to resume.
    const mirrored = this.view.state;
    const stored = loadPlace(this.deps.env.storage, this.place.eventId);
    if (mirrored && (isTerminal(mirrored) || !stored || stored.token !== this.place.token)) {
      this.set({ role: 'leader', state: mirrored });
      return;
    }
    const c = new QueueController(this.place, this.deps.env, { autoEnter: this.autoEnter });
    this.controller = c;
    c.subscribe((state) => {
      this.set({ role: 'leader', state });
      this.channel?.postMessage({ kind: 'state', state } satisfies Wire);
    });
    this.set({ role: 'leader', state: c.getState() });
    c.start();
  }

  private onWire(msg: Wire): void {
    if (this.closed || !msg || typeof msg !== 'object') return;
    if (this.controller) {
      if (msg.kind === 'hello') this.channel?.postMessage({ kind: 'state', state: this.controller.getState() } satisfies Wire);
      if (msg.kind === 'action') apply(this.controller, msg.action);
      return;
    }
    if (msg.kind === 'state' && msg.state.token === this.place.token) this.set({ role: 'follower', state: msg.state });
  }

  private set(view: SessionView): void {
    this.view = view;
    for (const l of this.listeners) l();
  }
}

function apply(c: QueueController, action: Action): void {
  switch (action.kind) {
    case 'leave':
      return c.leave();
    case 'enter_now':
      return c.enterNow();
    case 'take_over':
      return c.takeOver();
    case 'resync':
      return c.resync();
    case 'online':
      return c.setOnline(action.online);
    case 'auto_enter':
      return c.setAutoEnter(action.on);
  }
}
