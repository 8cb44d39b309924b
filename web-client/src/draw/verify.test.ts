import { describe, expect, it } from 'vitest';
import {
  allRanks,
  bytesToHex,
  canonicalToken,
  commitmentOf,
  drawKey,
  halfBits,
  hexToBytes,
  leafOf,
  rankOf,
  rootFromProof,
  verifyDraw,
} from './verify';
import { BEACON, COMMITMENT, SEED, TOKENS, V13, V5, draw13, proof3 } from '../test/drawVector';

// ---- a test-only Merkle tree, built level by level (not through rootFromProof) -----------------

async function sha256(...parts: Uint8Array[]): Promise<Uint8Array> {
  const all = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    all.set(p, at);
    at += p.length;
  }
  return new Uint8Array(await crypto.subtle.digest('SHA-256', all));
}

async function levelUp(level: Uint8Array[]): Promise<Uint8Array[]> {
  const out: Uint8Array[] = [];
  for (let i = 0; i < level.length; i += 2) {
    const [l, r] = [level[i]!, level[i + 1]];
    out.push(r ? await sha256(new Uint8Array([1]), l, r) : l);
  }
  return out;
}

/** Every level of the tree over `leaves`, bottom first. */
async function buildTree(leaves: Uint8Array[]): Promise<Uint8Array[][]> {
  const levels = [leaves];
  while (levels[levels.length - 1]!.length > 1) levels.push(await levelUp(levels[levels.length - 1]!));
  return levels;
}

/** The proof of leaf position `p`: its sibling on every level where one exists, bottom-up. */
function proofOf(levels: Uint8Array[][], p: number): string[] {
  const out: string[] = [];
  for (const level of levels.slice(0, -1)) {
    const s = p % 2 === 1 ? p - 1 : p + 1;
    if (s < level.length) out.push(bytesToHex(level[s]!));
    p = Math.floor(p / 2);
  }
  return out;
}

function flipHex(hex: string): string {
  return (hex[0] === '0' ? '1' : '0') + hex.slice(1);
}

describe('usher-draw-v1 against an independent implementation', () => {
  it('gives the same leaf, commitment, root, key and ranks', async () => {
    expect(await leafOf(TOKENS[0]!)).toBe(V13.leaf1);
    expect(await leafOf(TOKENS[2]!)).toBe(V13.leaf3);
    expect(await commitmentOf(SEED)).toBe(COMMITMENT);
    expect(await rootFromProof(await leafOf(TOKENS[2]!), 3, 13, V13.siblings3)).toBe(V13.root);
    // The last of 13 is carried up twice without a sibling.
    expect(await rootFromProof(await leafOf(TOKENS[12]!), 13, 13, V13.siblingsLast)).toBe(V13.root);
    expect(await drawKey(SEED, V13.root, BEACON)).toBe(V13.key);
    expect(await allRanks(V13.key, 13)).toEqual(V13.ranks);
    expect(await allRanks(V5.key, 5)).toEqual(V5.ranks);
    expect(await rankOf(V13.key, 5, 13)).toBe(10);
  });

  it('hashes a token in its canonical text however it was pasted', async () => {
    const t = TOKENS[0]!;
    expect(canonicalToken(` ${t.toUpperCase()} `)).toBe(t);
    expect(canonicalToken(`{${t.replace(/-/g, '')}}`)).toBe(t);
    expect(await leafOf(t.toUpperCase())).toBe(V13.leaf1);
  });

  it('sizes the Feistel halves as the smallest square power of two that holds N', () => {
    expect([1, 4, 5, 16, 17, 1000, 1024, 1025].map(halfBits)).toEqual([1, 1, 2, 2, 3, 5, 5, 6]);
  });
});

describe('the permutation', () => {
  it.each([1, 2, 3, 7, 100, 1000])('is a bijection for N = %i: every rank 1..N exactly once', async (n) => {
    const key = await drawKey(SEED, V13.root, `bijection ${n}`);
    const ranks = await allRanks(key, n);
    expect(ranks).toHaveLength(n);
    expect([...ranks].sort((a, b) => a - b)).toEqual(Array.from({ length: n }, (_, i) => i + 1));
  });

  it('depends on the key', async () => {
    const a = await allRanks(await drawKey(SEED, V13.root, 'a'), 100);
    const b = await allRanks(await drawKey(SEED, V13.root, 'b'), 100);
    expect(a).not.toEqual(b);
  });

  it('refuses an index outside the entry list', async () => {
    await expect(rankOf(V13.key, 0, 13)).rejects.toThrow(RangeError);
    await expect(rankOf(V13.key, 14, 13)).rejects.toThrow(RangeError);
  });
});

describe('inclusion proofs', () => {
  it('every leaf’s proof leads to the root built directly, for N = 1..17', async () => {
    for (let n = 1; n <= 17; n++) {
      const tokens = Array.from({ length: n }, () => crypto.randomUUID());
      const leaves = await Promise.all(tokens.map(async (t) => hexToBytes(await leafOf(t), 32)!));
      const levels = await buildTree(leaves);
      const root = bytesToHex(levels[levels.length - 1]![0]!);
      for (let p = 0; p < n; p++) {
        const siblings = proofOf(levels, p);
        expect(await rootFromProof(bytesToHex(leaves[p]!), p + 1, n, siblings), `N ${n}, index ${p + 1}`).toBe(root);
        if (n > 1) {
          // The same proof at another index, or with a hash missing or added, proves nothing.
          const other = p === 0 ? 2 : p;
          expect(await rootFromProof(bytesToHex(leaves[p]!), other, n, siblings)).not.toBe(root);
          expect(await rootFromProof(bytesToHex(leaves[p]!), p + 1, n, siblings.slice(0, -1))).not.toBe(root);
          expect(await rootFromProof(bytesToHex(leaves[p]!), p + 1, n, [...siblings, siblings[0]!])).toBeNull();
        }
      }
    }
  });

  it('rejects positions outside the list and proofs that are not hex', async () => {
    const leaf = await leafOf(TOKENS[0]!);
    expect(await rootFromProof(leaf, 0, 5, [])).toBeNull();
    expect(await rootFromProof(leaf, 6, 5, [])).toBeNull();
    expect(await rootFromProof(leaf, 1, 2, ['zz'])).toBeNull();
    expect(await rootFromProof('abc', 1, 1, [])).toBeNull();
  });
});

describe('verifyDraw', () => {
  it('passes every check for an honest draw', async () => {
    const v = await verifyDraw(draw13(), proof3(), TOKENS[2]!);
    expect(v.checks.map((c) => [c.id, c.outcome])).toEqual([
      ['commitment', 'pass'],
      ['inclusion', 'pass'],
      ['rank', 'pass'],
    ]);
    expect(v).toMatchObject({ ok: true, rank: 7, serverRank: 7, root: V13.root, key: V13.key });
  });

  it('fails the inclusion check for a tampered leaf or sibling, or another token', async () => {
    const leaf = await verifyDraw(draw13(), proof3({ leaf: flipHex(await leafOf(TOKENS[2]!)) }), TOKENS[2]!);
    expect(leaf.checks[1]!.outcome).toBe('fail');
    expect(leaf.ok).toBe(false);

    const siblings = [...V13.siblings3];
    siblings[1] = flipHex(siblings[1]!);
    const sibling = await verifyDraw(draw13(), proof3({ siblings }), TOKENS[2]!);
    expect(sibling.checks[1]!.outcome).toBe('fail');
    expect(sibling.root).not.toBe(V13.root);

    const other = await verifyDraw(draw13(), proof3(), TOKENS[3]!);
    expect(other.checks[1]!.outcome).toBe('fail');
  });

  it('fails the commitment check for a tampered seed, and the rank with it', async () => {
    const v = await verifyDraw(draw13({ seed: flipHex(SEED) }), proof3(), TOKENS[2]!);
    expect(v.checks.find((c) => c.id === 'commitment')!.outcome).toBe('fail');
    expect(v.key).not.toBe(V13.key);
    expect(v.ok).toBe(false);
  });

  it('fails the rank check for a tampered beacon value, or a rank usher did not earn', async () => {
    const beacon = await verifyDraw(draw13({ beacon_value: `${BEACON}x` }), proof3(), TOKENS[2]!);
    expect(beacon.checks.map((c) => c.outcome)).toEqual(['pass', 'pass', 'fail']);
    expect(beacon.rank).not.toBe(7);

    const claimed = await verifyDraw(draw13(), proof3({ rank: 1 }), TOKENS[2]!);
    expect(claimed.checks[2]).toMatchObject({ outcome: 'fail' });
    expect(claimed.rank).toBe(7);

    const shown = await verifyDraw(draw13(), proof3(), TOKENS[2]!, 2);
    expect(shown.checks[2]!.outcome).toBe('fail');
  });

  it('leaves the seed checks pending before the draw, while inclusion can already be checked', async () => {
    const v = await verifyDraw(draw13({ state: 'closed', seed: null, beacon_value: null, drawn_at: null }), proof3({ rank: null }), TOKENS[2]!);
    expect(v.checks.map((c) => c.outcome)).toEqual(['pending', 'pass', 'pending']);
    expect(v.ok).toBe(false);
  });

  it('checks nothing of an algorithm it does not know', async () => {
    const v = await verifyDraw(draw13({ algorithm: 'usher-draw-v2' }), proof3(), TOKENS[2]!);
    expect(v.checks.every((c) => c.outcome === 'fail')).toBe(true);
  });
});
