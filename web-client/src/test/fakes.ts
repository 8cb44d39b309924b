// Test doubles: a scriptable WebSocket, a routing fetch, an in-memory Web Lock manager, and a
// QueueEnv that uses them with vitest's fake timers.

import { act } from '@testing-library/react';
import { vi } from 'vitest';
import type { QueueEnv, SocketLike } from '../queue/controller';
import type { ServerMessage } from '../api/types';

type Payload = { [k: string]: unknown; type: string };

export class FakeSocket implements SocketLike {
  static all: FakeSocket[] = [];
  onopen: ((ev: Event) => void) | null = null;
  onmessage: ((ev: MessageEvent) => void) | null = null;
  onclose: ((ev: CloseEvent) => void) | null = null;
  onerror: ((ev: Event) => void) | null = null;
  readonly sent: string[] = [];
  closedByClient: number | null = null;
  private seq = 0;

  constructor(readonly url: string) {
    FakeSocket.all.push(this);
  }

  static reset(): void {
    FakeSocket.all = [];
  }

  static last(): FakeSocket {
    const s = FakeSocket.all[FakeSocket.all.length - 1];
    if (!s) throw new Error('no socket was opened');
    return s;
  }

  /** Answer `ping` with `pong`, as usher does (off to simulate a half-open socket). */
  autoPong = true;
  private opened = false;

  send(data: string): void {
    this.sent.push(data);
    if (this.autoPong && this.opened && data === '{"type":"ping"}') queueMicrotask(() => this.push({ type: 'pong' }));
  }

  close(code = 1000): void {
    this.closedByClient = code;
  }

  // --- the server's side ---
  open(): void {
    this.opened = true;
    this.onopen?.(new Event('open'));
  }

  /** Sends a message with the next seq (or the given one). */
  push(msg: Payload, seq?: number): void {
    this.seq = seq ?? this.seq + 1;
    const full = { server_time: Date.now(), ...msg, seq: this.seq } as unknown as ServerMessage;
    this.onmessage?.(new MessageEvent('message', { data: JSON.stringify(full) }));
  }

  /** The server (or the network) closes the socket. */
  drop(code: number): void {
    this.onerror?.(new Event('error'));
    this.onclose?.({ code, reason: '', wasClean: code !== 1006 } as CloseEvent);
  }
}

export function status(position: number, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    status: 'waiting',
    phase: 'waiting',
    position,
    eta_sec: position * 2,
    waiting_time: 5,
    ready_for_entry: false,
    eta_range: [position, position * 3],
    confidence: 0.6,
    admission_rate: 0.5,
    total_waiting: position + 2,
    poll_after_ms: 2000,
    paused: false,
    ...extra,
  };
}

export function readyStatus(deadline = Date.now() + 120_000): Record<string, unknown> {
  return {
    status: 'waiting',
    phase: 'admitted',
    position: 0,
    eta_sec: 0,
    waiting_time: 9,
    ready_for_entry: true,
    eta_range: [0, 0],
    confidence: 0.6,
    admission_rate: 0.5,
    total_waiting: 2,
    poll_after_ms: 2000,
    paused: false,
    entry_deadline: deadline,
    admitted_at: Date.now(),
  };
}

export interface Call {
  method: string;
  url: string;
  headers: Record<string, string>;
  body: unknown;
}

type Handler = (call: Call) => { status: number; body?: unknown; headers?: Record<string, string> } | Promise<never>;

/** A fetch that records calls and answers from a handler. */
export function fakeFetch(handler: Handler) {
  const calls: Call[] = [];
  const fn = vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
    const headers = (init?.headers ?? {}) as Record<string, string>;
    const call: Call = {
      method: init?.method ?? 'GET',
      url: String(input),
      headers,
      body: typeof init?.body === 'string' ? JSON.parse(init.body) : undefined,
    };
    calls.push(call);
    const r = await handler(call);
    // A plain object rather than a Response: its body is read without streams, so nothing
    // waits on timers that the test has frozen.
    const text = r.body === undefined ? '' : JSON.stringify(r.body);
    const headerMap = new Map(Object.entries({ 'content-type': 'application/json', ...(r.headers ?? {}) }).map(([k, v]) => [k.toLowerCase(), v]));
    return {
      ok: r.status >= 200 && r.status < 300,
      status: r.status,
      statusText: '',
      headers: { get: (k: string) => headerMap.get(k.toLowerCase()) ?? null },
      text: async () => text,
    } as unknown as Response;
  });
  return { fetch: fn as unknown as typeof fetch, calls };
}

export function apiError(status: number, code: string, headers?: Record<string, string>) {
  return { status, body: { error: { code, message: code.toLowerCase(), trace_id: 't' } }, ...(headers ? { headers } : {}) };
}

/** A QueueEnv on fake sockets, the given fetch, fake timers and a fixed random number. */
export function testEnv(fetchImpl: typeof fetch, opts: { random?: number; hidden?: boolean } = {}): QueueEnv {
  return {
    createSocket: (url) => new FakeSocket(url),
    fetch: fetchImpl,
    now: () => Date.now(),
    random: () => opts.random ?? 0.5,
    setTimeout: (fn, ms) => setTimeout(fn, ms),
    clearTimeout: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
    storage: localStorage,
    socketUrl: (token) => `ws://usher.test/api/v1/queue/ws?token=${token}`,
    hidden: () => opts.hidden ?? false,
  };
}

/** An in-memory Web Lock manager shared by the "tabs" of one test. */
export class FakeLocks {
  private held = new Set<string>();
  private waiting = new Map<string, (() => void)[]>();

  request(name: string, opts: { signal?: AbortSignal }, cb: () => Promise<void>): Promise<unknown> {
    return new Promise((resolve, reject) => {
      const run = () => {
        this.held.add(name);
        cb().then(
          (v) => {
            this.held.delete(name);
            const next = this.waiting.get(name)?.shift();
            next?.();
            resolve(v);
          },
          reject,
        );
      };
      if (!this.held.has(name)) return run();
      const queue = this.waiting.get(name) ?? [];
      queue.push(run);
      this.waiting.set(name, queue);
      opts.signal?.addEventListener('abort', () => {
        const q = this.waiting.get(name) ?? [];
        const i = q.indexOf(run);
        if (i >= 0) q.splice(i, 1);
        reject(new DOMException('aborted', 'AbortError'));
      });
    });
  }
}

/** Lets a page's requests be answered and React apply them (real timers). */
export async function settle(): Promise<void> {
  await act(async () => {
    for (let i = 0; i < 10; i++) await Promise.resolve();
  });
}

/** Lets pending promise callbacks (fetch answers) run under fake timers. */
export async function flush(): Promise<void> {
  for (let i = 0; i < 10; i++) await Promise.resolve();
  await vi.advanceTimersByTimeAsync(0);
}
