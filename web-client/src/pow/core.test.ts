import { describe, expect, it } from 'vitest';
import { hashFor, leadingZeroBits, meetsDifficulty, solveChallenge } from './core';

async function sha256(text: string): Promise<Uint8Array> {
  return new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text)));
}

describe('leading zero bits', () => {
  it('are counted across byte boundaries', () => {
    const b = (...xs: number[]) => new Uint8Array(xs);
    expect(leadingZeroBits(b(0x80, 0))).toBe(0);
    expect(leadingZeroBits(b(0x01, 0xff))).toBe(7);
    expect(leadingZeroBits(b(0x00, 0xff))).toBe(8);
    expect(leadingZeroBits(b(0x00, 0x80))).toBe(8);
    expect(leadingZeroBits(b(0x00, 0x7f))).toBe(9);
    expect(leadingZeroBits(b(0x00, 0x01))).toBe(15);
    expect(leadingZeroBits(b(0x00, 0x00, 0x40))).toBe(17);
    expect(leadingZeroBits(b(0, 0, 0))).toBe(24);
  });

  it('agree with the difficulty test at and around every boundary', () => {
    const cases = [
      [0x00, 0x00, 0xff],
      [0x00, 0x01, 0x00],
      [0x00, 0x80, 0x00],
      [0x0f, 0xff, 0xff],
      [0x00, 0x00, 0x00],
    ];
    for (const c of cases) {
      const bytes = new Uint8Array(c);
      const zeros = leadingZeroBits(bytes);
      for (let d = 0; d <= 24; d++) expect(meetsDifficulty(bytes, d), `${c} at ${d}`).toBe(d <= zeros);
    }
  });
});

describe('the solver', () => {
  it('finds the first nonce, counting from 0, whose hash meets the difficulty', async () => {
    const challenge = 'c2c0a4b1.evt_pow.1700000000000';
    const { nonce, tried } = solveChallenge(challenge, 10);
    expect(nonce).not.toBeNull();
    expect(leadingZeroBits(await sha256(`${challenge}:${nonce}`))).toBeGreaterThanOrEqual(10);
    expect(tried).toBe(Number(nonce) + 1);
    for (let n = 0; n < Number(nonce); n++) {
      expect(leadingZeroBits(await sha256(`${challenge}:${n}`)), `nonce ${n}`).toBeLessThan(10);
    }
  });

  it('meets difficulties that end on a byte boundary and inside one', async () => {
    for (const d of [1, 7, 8, 9, 16]) {
      const { nonce } = solveChallenge(`boundary-${d}`, d);
      expect(leadingZeroBits(await sha256(`boundary-${d}:${nonce}`))).toBeGreaterThanOrEqual(d);
    }
  });

  it('counts decimal nonces correctly past 9, 99 and 999', async () => {
    // With a limit the search stops and says how far it went; resume where it stopped.
    const all = solveChallenge('x', 12);
    let start = 0;
    let found: string | null = null;
    while (found === null) {
      const part = solveChallenge('x', 12, { start, limit: 97 });
      start += part.tried;
      found = part.nonce;
    }
    expect(found).toBe(all.nonce);
    expect(await sha256(`x:${found}`)).toEqual(await sha256(`x:${Number(found)}`));
  });

  it('needs no work at difficulty 0, and reports progress while working', () => {
    expect(solveChallenge('any', 0)).toEqual({ nonce: '0', tried: 0 });
    const seen: number[] = [];
    const r = solveChallenge('progress', 30, { limit: 1000, progressEvery: 250, onProgress: (n) => seen.push(n) });
    expect(r).toEqual({ nonce: null, tried: 1000 });
    expect(seen).toEqual([250, 500, 750, 1000]);
    expect(hashFor(5).hashes).toBeGreaterThan(0);
  });
});
