// The proof-of-work Web Worker: solves one challenge (or measures the hash rate) off the main
// thread, so the page stays responsive, and reports its progress a few times a second. One
// worker per job: cancelling is terminating it.

import { hashFor, solveChallenge } from './core';
import type { WorkerReply, WorkerRequest } from './solve';

const scope = self as unknown as {
  onmessage: ((ev: MessageEvent<WorkerRequest>) => void) | null;
  postMessage(message: WorkerReply): void;
};

/** Least time between two progress messages. */
const PROGRESS_MS = 200;

scope.onmessage = (ev) => {
  const req = ev.data;
  try {
    if (req.kind === 'bench') {
      const { hashes, ms } = hashFor(req.ms);
      scope.postMessage({ kind: 'bench', hashes, ms });
      return;
    }
    const t0 = performance.now();
    let last = t0;
    const { nonce, tried } = solveChallenge(req.challenge, req.difficulty, {
      progressEvery: 10_000,
      onProgress: (n) => {
        const t = performance.now();
        if (t - last < PROGRESS_MS) return;
        last = t;
        scope.postMessage({ kind: 'progress', tried: n, rate: (n * 1000) / Math.max(1, t - t0) });
      },
    });
    scope.postMessage({ kind: 'solved', nonce: nonce ?? '', tried });
  } catch (e) {
    scope.postMessage({ kind: 'error', message: e instanceof Error ? e.message : String(e) });
  }
};
