// Solving a join challenge without freezing the page: the search runs in a Web Worker
// (worker.ts), reports progress (hashes tried, against the 2^difficulty expected, and the rate),
// and stops when its AbortSignal fires. Where no worker can be started, the same search runs
// on the page in small slices.
//
// `?powbench=1` in the URL exposes `window.__usherPowBench(ms)`, the worker's hash rate, for
// the end-to-end script to measure a browser.

import { hashFor, solveChallenge } from './core';

export type WorkerRequest =
  | { kind: 'solve'; challenge: string; difficulty: number }
  | { kind: 'bench'; ms: number };

export type WorkerReply =
  | { kind: 'progress'; tried: number; rate: number }
  | { kind: 'solved'; nonce: string; tried: number }
  | { kind: 'bench'; hashes: number; ms: number }
  | { kind: 'error'; message: string };

export interface SolveProgress {
  /** Hashes tried so far. */
  tried: number;
  /** Hashes expected on average: 2^difficulty (an estimate; the actual count varies widely). */
  expected: number;
  /** Hashes per second so far; null until measured. */
  rate: number | null;
}

export interface SolveOptions {
  onProgress?: (p: SolveProgress) => void;
  signal?: AbortSignal;
}

/** Finds the nonce for a challenge. Rejects with an AbortError when the signal fires. */
export type Solver = (challenge: string, difficulty: number, opts?: SolveOptions) => Promise<string>;

function abortError(): DOMException {
  return new DOMException('The proof of work was cancelled', 'AbortError');
}

function startWorker(): Worker | null {
  if (typeof Worker !== 'function') return null;
  try {
    return new Worker(new URL('./worker.ts', import.meta.url), { type: 'module' });
  } catch {
    return null;
  }
}

/** Runs one job in a fresh worker; null when no worker could be started. */
function inWorker<T>(
  request: WorkerRequest,
  onReply: (reply: WorkerReply, done: (value: T) => void, fail: (e: Error) => void) => void,
  signal?: AbortSignal,
): Promise<T> | null {
  const worker = startWorker();
  if (!worker) return null;
  return new Promise<T>((resolve, reject) => {
    const finish = () => {
      worker.terminate();
      signal?.removeEventListener('abort', onAbort);
    };
    const onAbort = () => {
      finish();
      reject(abortError());
    };
    if (signal?.aborted) return onAbort();
    signal?.addEventListener('abort', onAbort);
    const done = (value: T) => {
      finish();
      resolve(value);
    };
    const fail = (e: Error) => {
      finish();
      reject(e);
    };
    worker.onmessage = (ev: MessageEvent<WorkerReply>) => onReply(ev.data, done, fail);
    worker.onerror = (ev: ErrorEvent) => {
      ev.preventDefault();
      fail(new Error(ev.message || 'the proof-of-work worker failed'));
    };
    worker.postMessage(request);
  });
}

/** The search on the page itself, in slices that leave room for rendering and input. */
async function solveOnPage(challenge: string, difficulty: number, opts: SolveOptions): Promise<string> {
  const expected = 2 ** difficulty;
  const t0 = performance.now();
  let start = 0;
  for (;;) {
    if (opts.signal?.aborted) throw abortError();
    const { nonce, tried } = solveChallenge(challenge, difficulty, { start, limit: 20_000 });
    start += tried;
    if (nonce !== null) return nonce;
    opts.onProgress?.({ tried: start, expected, rate: (start * 1000) / Math.max(1, performance.now() - t0) });
    await new Promise((r) => setTimeout(r, 0));
  }
}

/** Solves a challenge in a Web Worker (on the page if none can be started). */
export const solve: Solver = (challenge, difficulty, opts = {}) => {
  const expected = 2 ** difficulty;
  const job = inWorker<string>(
    { kind: 'solve', challenge, difficulty },
    (reply, done, fail) => {
      if (reply.kind === 'progress') opts.onProgress?.({ tried: reply.tried, expected, rate: reply.rate });
      else if (reply.kind === 'solved') done(reply.nonce);
      else if (reply.kind === 'error') fail(new Error(reply.message));
    },
    opts.signal,
  );
  return job ?? solveOnPage(challenge, difficulty, opts);
};

/** Hashes per second of this browser's proof-of-work search, measured for about `ms` in a worker. */
export async function measureHashRate(ms = 1000): Promise<number> {
  const job = inWorker<{ hashes: number; ms: number }>({ kind: 'bench', ms }, (reply, done, fail) => {
    if (reply.kind === 'bench') done({ hashes: reply.hashes, ms: reply.ms });
    else if (reply.kind === 'error') fail(new Error(reply.message));
  });
  const r = job ? await job : hashFor(ms);
  return (r.hashes * 1000) / Math.max(1, r.ms);
}

declare global {
  interface Window {
    /** Set only with `?powbench=1`: the proof-of-work hash rate (hashes per second). */
    __usherPowBench?: (ms?: number) => Promise<number>;
  }
}

/** Exposes `window.__usherPowBench` when the page's URL has `?powbench=1`. */
export function installPowBench(): void {
  if (typeof window === 'undefined') return;
  if (new URLSearchParams(window.location.search).get('powbench') === '1') window.__usherPowBench = measureHashRate;
}
