// The verifier of a random on-sale's draw (`usher-draw-v1`), pure and asynchronous (WebCrypto's
// SHA-256 and SHA-1): from the values usher publishes and one entrant's inclusion proof, it
// recomputes everything usher claims about that entrant, and says which claims hold.
//
// - Leaf(i) = SHA-256(0x00 ‖ token_i), the token as canonical lowercase hyphenated UUID text.
// - The entry root: a Merkle tree over the leaves in entry order; a pair becomes
//   SHA-256(0x01 ‖ left ‖ right), a last node without a partner is carried up unchanged.
// - The seed was committed to before anyone joined: SHA-256(seed) = commitment.
// - The key K = hex(SHA-256("usher-draw-v1" ‖ seed ‖ root ‖ beacon value)).
// - The rank: an 8-round Feistel permutation keyed by K over the smallest square power of two
//   that holds the N entrants, cycle-walked into [0, N); rank(i) = 1 + walk(i − 1).

import type { DrawInfo, DrawProof } from '../api/draw';

export const ALGORITHM = 'usher-draw-v1';

/** Feistel rounds of the permutation. */
const ROUNDS = 8;

/** The most entrants a draw may hold (usher's limit; every figure stays exact in a double). */
export const MAX_ENTRANTS = 2 ** 40;

const utf8 = new TextEncoder();

// ---- bytes -----------------------------------------------------------------------------------

export function bytesToHex(bytes: Uint8Array): string {
  let out = '';
  for (const b of bytes) out += b.toString(16).padStart(2, '0');
  return out;
}

/** The bytes of a hex string (either case); null when it is not hex, or not `length` bytes. */
export function hexToBytes(hex: string, length?: number): Uint8Array<ArrayBuffer> | null {
  if (hex.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(hex)) return null;
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(hex.slice(2 * i, 2 * i + 2), 16);
  if (length !== undefined && out.length !== length) return null;
  return out;
}

function digestBytes(hex: string, what: string): Uint8Array<ArrayBuffer> {
  const b = hexToBytes(hex, 32);
  if (!b) throw new DrawFormatError(`${what} is not 32 bytes of hex`);
  return b;
}

function concat(parts: readonly Uint8Array[]): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

async function sha256(...parts: Uint8Array[]): Promise<Uint8Array> {
  return new Uint8Array(await crypto.subtle.digest('SHA-256', concat(parts)));
}

/** A published value that is not in the form the algorithm needs. */
export class DrawFormatError extends Error {
  override name = 'DrawFormatError';
}

// ---- the entry list ----------------------------------------------------------------------------

/**
 * The canonical text of a waiting token: a UUID in lowercase with hyphens (pasted tokens may
 * come in capitals, without hyphens, in braces or with spaces around). Anything that is not a
 * UUID is returned trimmed, unchanged otherwise.
 */
export function canonicalToken(text: string): string {
  const t = text.trim().replace(/^urn:uuid:/i, '').replace(/^\{(.*)\}$/, '$1');
  const hex = t.replace(/-/g, '');
  if (!/^[0-9a-fA-F]{32}$/.test(hex)) return text.trim();
  const h = hex.toLowerCase();
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/** Leaf of an entrant: hex SHA-256(0x00 ‖ UTF-8(canonical token)). */
export async function leafOf(token: string): Promise<string> {
  return bytesToHex(await sha256(new Uint8Array([0]), utf8.encode(canonicalToken(token))));
}

/** An inner node: SHA-256(0x01 ‖ left ‖ right). */
export async function nodeOf(left: Uint8Array, right: Uint8Array): Promise<Uint8Array> {
  return sha256(new Uint8Array([1]), left, right);
}

/**
 * The root an inclusion proof leads to: `leaf` at 1-based `index` of `entrants`, `siblings`
 * bottom-up. The sides come from the index and the number of entrants, never from the proof.
 * Null when the proof has too few or too many siblings for that position, or is not hex.
 */
export async function rootFromProof(
  leaf: string,
  index: number,
  entrants: number,
  siblings: readonly string[],
): Promise<string | null> {
  if (!Number.isSafeInteger(index) || !Number.isSafeInteger(entrants) || index < 1 || index > entrants) return null;
  let acc = hexToBytes(leaf, 32) as Uint8Array | null;
  if (!acc) return null;
  let p = index - 1;
  let n = entrants;
  let used = 0;
  while (n > 1) {
    const hasSibling = p % 2 === 1 || p + 1 < n;
    if (hasSibling) {
      const hex = siblings[used++];
      const sibling = hex === undefined ? null : hexToBytes(hex, 32);
      if (!sibling) return null;
      acc = p % 2 === 1 ? await nodeOf(sibling, acc) : await nodeOf(acc, sibling);
    }
    p = Math.floor(p / 2);
    n = Math.ceil(n / 2);
  }
  return used === siblings.length ? bytesToHex(acc) : null;
}

// ---- the seed and the key ----------------------------------------------------------------------

/** hex SHA-256(seed bytes): what the published commitment must be. */
export async function commitmentOf(seed: string): Promise<string> {
  return bytesToHex(await sha256(digestBytes(seed, 'the seed')));
}

/** K = lowercase hex SHA-256(UTF-8("usher-draw-v1") ‖ seed ‖ root ‖ UTF-8(beacon value or "")). */
export async function drawKey(seed: string, root: string, beacon: string | null): Promise<string> {
  return bytesToHex(
    await sha256(utf8.encode(ALGORITHM), digestBytes(seed, 'the seed'), digestBytes(root, 'the entry root'), utf8.encode(beacon ?? '')),
  );
}

// ---- the permutation ---------------------------------------------------------------------------

/** Bits of each Feistel half: the smallest h ≥ 1 with 2^(2h) ≥ entrants. */
export function halfBits(entrants: number): number {
  let h = 1;
  while (2 ** (2 * h) < entrants) h++;
  return h;
}

/** The keyed permutation of [0, entrants); round values are cached, they repeat a lot. */
class Permutation {
  private readonly m: number;
  private readonly cache = new Map<number, number>();

  constructor(
    private readonly key: string,
    private readonly entrants: number,
  ) {
    if (!Number.isSafeInteger(entrants) || entrants < 1 || entrants > MAX_ENTRANTS) {
      throw new RangeError(`entrants must be between 1 and ${MAX_ENTRANTS}`);
    }
    this.m = 2 ** halfBits(entrants);
  }

  /** F(r, v): the first 4 bytes of SHA-1(K ":" r ":" v), big-endian, modulo M. */
  private async round(r: number, v: number): Promise<number> {
    const at = r * this.m + v;
    const known = this.cache.get(at);
    if (known !== undefined) return known;
    const digest = await crypto.subtle.digest('SHA-1', utf8.encode(`${this.key}:${r}:${v}`));
    const f = new DataView(digest).getUint32(0, false) % this.m;
    this.cache.set(at, f);
    return f;
  }

  private async encrypt(x: number): Promise<number> {
    const m = this.m;
    let l = Math.floor(x / m);
    let r = x % m;
    for (let round = 0; round < ROUNDS; round++) {
      const next = (l + (await this.round(round, r))) % m;
      l = r;
      r = next;
    }
    return l * m + r;
  }

  /** E(x), cycle-walked until it lands in [0, entrants). */
  async walk(x: number): Promise<number> {
    let y = await this.encrypt(x);
    while (y >= this.entrants) y = await this.encrypt(y);
    return y;
  }
}

/** The drawn rank (1 = first) of the entrant at 1-based entry `index` of `entrants`. */
export async function rankOf(key: string, index: number, entrants: number): Promise<number> {
  if (!Number.isSafeInteger(index) || index < 1 || index > entrants) {
    throw new RangeError(`entry index ${index} is not between 1 and ${entrants}`);
  }
  return 1 + (await new Permutation(key, entrants).walk(index - 1));
}

/** Every entrant's rank: element i − 1 is the rank of entry index i. */
export async function allRanks(key: string, entrants: number): Promise<number[]> {
  const p = new Permutation(key, entrants);
  const out: number[] = [];
  for (let x = 0; x < entrants; x++) out.push(1 + (await p.walk(x)));
  return out;
}

// ---- the whole check ---------------------------------------------------------------------------

export type CheckOutcome = 'pass' | 'fail' | 'pending';

export interface DrawCheck {
  id: 'commitment' | 'inclusion' | 'rank';
  outcome: CheckOutcome;
  /** What was compared, in words, with the values. */
  detail: string;
}

export interface DrawVerification {
  /** Every check passed. */
  ok: boolean;
  /** The commitment, inclusion and rank checks, in that order. */
  checks: DrawCheck[];
  /** Recomputed from the token. */
  leaf: string | null;
  /** Recomputed from the leaf and the proof. */
  root: string | null;
  key: string | null;
  /** Recomputed from the published values and the entry index. */
  rank: number | null;
  /** The rank usher's proof gives. */
  serverRank: number | null;
}

function same(a: string | null | undefined, b: string | null | undefined): boolean {
  return typeof a === 'string' && typeof b === 'string' && a.toLowerCase() === b.toLowerCase();
}

function failure(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/**
 * Recomputes what usher published about one entrant: the seed matches the commitment made
 * before anyone joined, the entrant's token is in the entry list (its leaf and proof lead to
 * the published root), and its rank follows from the published values alone. `shownRank`, when
 * given, is the rank the waiting room showed, which must match too.
 */
export async function verifyDraw(
  draw: DrawInfo,
  proof: DrawProof,
  token: string,
  shownRank?: number | null,
): Promise<DrawVerification> {
  const result: DrawVerification = { ok: false, checks: [], leaf: null, root: null, key: null, rank: null, serverRank: proof.rank };
  if (draw.algorithm !== ALGORITHM) {
    const detail = `This draw uses the algorithm “${draw.algorithm}”; this page checks ${ALGORITHM} only.`;
    result.checks = (['commitment', 'inclusion', 'rank'] as const).map((id) => ({ id, outcome: 'fail', detail }));
    return result;
  }

  // 1. The seed is the one committed to.
  let commitment: DrawCheck;
  if (draw.seed === null) {
    commitment = { id: 'commitment', outcome: 'pending', detail: 'The seed is published when the draw is made.' };
  } else {
    try {
      const computed = await commitmentOf(draw.seed);
      commitment = same(computed, draw.commitment)
        ? { id: 'commitment', outcome: 'pass', detail: `SHA-256(seed) = ${computed}, the commitment published before the pre-queue opened.` }
        : { id: 'commitment', outcome: 'fail', detail: `SHA-256(seed) = ${computed}, but the published commitment is ${draw.commitment}.` };
    } catch (e) {
      commitment = { id: 'commitment', outcome: 'fail', detail: failure(e) };
    }
  }

  // 2. The token is in the entry list.
  let inclusion: DrawCheck;
  result.leaf = await leafOf(token);
  if (draw.entry_root === null || draw.entrants === null) {
    inclusion = { id: 'inclusion', outcome: 'pending', detail: 'The entry list is published when the pre-queue closes.' };
  } else if (!same(result.leaf, proof.leaf)) {
    inclusion = { id: 'inclusion', outcome: 'fail', detail: `The proof is for the leaf ${proof.leaf}, but this token’s leaf is ${result.leaf}.` };
  } else if (!same(proof.entry_root, draw.entry_root) || proof.entrants !== draw.entrants) {
    inclusion = { id: 'inclusion', outcome: 'fail', detail: 'The proof is for another entry list than the published one.' };
  } else {
    result.root = await rootFromProof(result.leaf, proof.index, draw.entrants, proof.siblings);
    inclusion =
      result.root === null
        ? { id: 'inclusion', outcome: 'fail', detail: `The proof does not fit entry ${proof.index} of ${draw.entrants} (wrong number of hashes, or not hex).` }
        : same(result.root, draw.entry_root)
          ? { id: 'inclusion', outcome: 'pass', detail: `Entry ${proof.index} of ${draw.entrants} leads to the published entry root ${result.root}.` }
          : { id: 'inclusion', outcome: 'fail', detail: `The proof leads to ${result.root}, not to the published entry root ${draw.entry_root}.` };
  }

  // 3. The rank follows from the published values.
  let rank: DrawCheck;
  if (draw.seed === null || draw.entry_root === null || draw.entrants === null) {
    rank = { id: 'rank', outcome: 'pending', detail: 'The rank can be recomputed once the seed is published.' };
  } else {
    try {
      result.key = await drawKey(draw.seed, draw.entry_root, draw.beacon_value);
      result.rank = await rankOf(result.key, proof.index, draw.entrants);
      const beacon = draw.beacon_value === null ? ' (no beacon value)' : '';
      if (proof.rank === null) {
        rank = { id: 'rank', outcome: 'fail', detail: `Recomputed rank ${result.rank}${beacon}, but usher gives no rank for this entry.` };
      } else if (proof.rank !== result.rank) {
        rank = { id: 'rank', outcome: 'fail', detail: `Recomputed rank ${result.rank}${beacon}, but usher says ${proof.rank}.` };
      } else if (shownRank != null && shownRank !== result.rank) {
        rank = { id: 'rank', outcome: 'fail', detail: `Recomputed rank ${result.rank}, but the waiting room showed ${shownRank}.` };
      } else {
        rank = { id: 'rank', outcome: 'pass', detail: `Recomputed rank ${result.rank}${beacon}, the same as usher’s.` };
      }
    } catch (e) {
      rank = { id: 'rank', outcome: 'fail', detail: failure(e) };
    }
  }

  result.checks = [commitment, inclusion, rank];
  result.ok = result.checks.every((c) => c.outcome === 'pass');
  return result;
}
