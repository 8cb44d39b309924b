// The proof-of-work search, pure and synchronous: the smallest decimal nonce (0, 1, 2, …) such
// that SHA-256(UTF-8(challenge ":" nonce)) starts with at least `difficulty` zero bits. It runs
// in the Web Worker (worker.ts) and, in tests, directly.
//
// Millions of tiny hashes: @noble/hashes's SHA-256 with the challenge's prefix hashed once and
// its state copied for every nonce, the nonce kept as ASCII digits counted up in place, and the
// digest written into one reused buffer (no allocation per hash).

import { SHA256 } from '@noble/hashes/sha2';

/** Zero bits at the start of `bytes`, most significant bit of the first byte first. */
export function leadingZeroBits(bytes: Uint8Array): number {
  let bits = 0;
  for (const b of bytes) {
    if (b === 0) {
      bits += 8;
      continue;
    }
    return bits + Math.clz32(b) - 24;
  }
  return bits;
}

/** Whether `digest` has at least `difficulty` leading zero bits (without counting them all). */
export function meetsDifficulty(digest: Uint8Array, difficulty: number): boolean {
  const whole = difficulty >>> 3;
  for (let i = 0; i < whole; i++) if (digest[i] !== 0) return false;
  const rest = difficulty & 7;
  return rest === 0 || (digest[whole]! >>> (8 - rest)) === 0;
}

/** Hashes of `challenge:nonce` for counting nonces, one at a time. */
class NonceHasher {
  private readonly base: SHA256;
  private readonly work = new SHA256();
  readonly digest = new Uint8Array(32);
  /** The nonce's ASCII digits, most significant first, in a buffer with room to grow. */
  private readonly digits = new Uint8Array(20);
  private length: number;
  private view: Uint8Array;

  constructor(challenge: string, start: number) {
    this.base = new SHA256().update(new TextEncoder().encode(`${challenge}:`));
    const text = String(start);
    this.length = text.length;
    for (let i = 0; i < text.length; i++) this.digits[i] = text.charCodeAt(i);
    this.view = this.digits.subarray(0, this.length);
  }

  nonce(): string {
    return String.fromCharCode(...this.view);
  }

  /** Hashes the current nonce into `digest`. */
  hash(): Uint8Array {
    this.base._cloneInto(this.work);
    this.work.update(this.view);
    this.work.digestInto(this.digest);
    return this.digest;
  }

  /** Counts the nonce up by one, in decimal. */
  next(): void {
    const d = this.digits;
    let i = this.length - 1;
    while (i >= 0 && d[i] === 0x39) d[i--] = 0x30;
    if (i >= 0) {
      d[i] = d[i]! + 1;
      return;
    }
    // 9…9 became 0…0: one digit more, a leading 1.
    d.copyWithin(1, 0, this.length);
    d[0] = 0x31;
    this.length += 1;
    this.view = d.subarray(0, this.length);
  }
}

export interface SearchOptions {
  /** First nonce to try (default 0). */
  start?: number;
  /** Give up after this many hashes (default: never). */
  limit?: number;
  /** Called every `progressEvery` hashes with the number tried so far. */
  onProgress?: (tried: number) => void;
  progressEvery?: number;
}

export interface SearchResult {
  /** The first nonce that meets the difficulty; null when the limit came first. */
  nonce: string | null;
  /** Hashes computed (the winning one included). */
  tried: number;
}

/** Counts nonces up from `start` until one meets `difficulty` (0 needs no work: nonce "0"). */
export function solveChallenge(challenge: string, difficulty: number, opts: SearchOptions = {}): SearchResult {
  if (!Number.isInteger(difficulty) || difficulty < 0 || difficulty > 256) throw new RangeError(`bad difficulty ${difficulty}`);
  const start = opts.start ?? 0;
  if (difficulty === 0) return { nonce: String(start), tried: 0 };
  const hasher = new NonceHasher(challenge, start);
  const limit = opts.limit ?? Infinity;
  const every = opts.progressEvery ?? 50_000;
  let tried = 0;
  while (tried < limit) {
    const digest = hasher.hash();
    tried++;
    if (meetsDifficulty(digest, difficulty)) return { nonce: hasher.nonce(), tried };
    hasher.next();
    if (opts.onProgress && tried % every === 0) opts.onProgress(tried);
  }
  return { nonce: null, tried };
}

/** Hashes for about `ms` milliseconds (by `clock`), and says how many were done. */
export function hashFor(ms: number, clock: () => number = () => performance.now()): { hashes: number; ms: number } {
  const hasher = new NonceHasher('usher-pow-bench', 0);
  const t0 = clock();
  let hashes = 0;
  let elapsed = 0;
  do {
    for (let i = 0; i < 2_000; i++) {
      hasher.hash();
      hasher.next();
    }
    hashes += 2_000;
    elapsed = clock() - t0;
  } while (elapsed < ms);
  return { hashes, ms: elapsed };
}
