import { cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { DrawInfo, DrawProof } from '../api/draw';
import { saveDrawEntry } from '../queue/storage';
import { BEACON, COMMITMENT, SEED, TOKENS, V13, draw13, proof3 } from '../test/drawVector';
import { apiError, fakeFetch } from '../test/fakes';
import { DrawPage } from './DrawPage';

const EVENT = 'evt_draw';

/** usher's two public draw endpoints, answering with `draw` and, for the third token, `proof`. */
function serve(draw: DrawInfo | null, proof: DrawProof = proof3()) {
  return fakeFetch((c) => {
    if (c.url === `/api/v1/events/${EVENT}/draw`) return draw ? { status: 200, body: draw } : apiError(404, 'DRAW_NOT_FOUND');
    if (c.url.startsWith(`/api/v1/events/${EVENT}/draw/proof?token=`)) {
      if (draw?.state === 'open') return apiError(409, 'DRAW_NOT_MADE');
      const token = decodeURIComponent(c.url.split('token=')[1]!);
      return token === TOKENS[2] ? { status: 200, body: proof } : apiError(404, 'TOKEN_NOT_FOUND');
    }
    return { status: 404 };
  });
}

beforeEach(() => {
  localStorage.clear();
});
afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

describe('verify my draw', () => {
  it('checks this browser’s entry at once and shows every value with the outcome', async () => {
    saveDrawEntry(localStorage, { eventId: EVENT, token: TOKENS[2]!, drawnRank: 7 });
    const { fetch, calls } = serve(draw13());
    vi.stubGlobal('fetch', fetch);
    render(<DrawPage eventId={EVENT} />);

    expect(await screen.findByText(/All three checks passed/)).toBeTruthy();
    expect(screen.getByRole('heading', { level: 1 }).textContent).toBe('Verify the draw');
    for (const id of ['commitment', 'inclusion', 'rank']) {
      expect(screen.getByTestId(`check-${id}`).getAttribute('data-outcome')).toBe('pass');
    }
    expect(screen.getByTestId('recomputed-rank').textContent).toBe('7');
    expect(screen.getByTestId('server-rank').textContent).toBe('7');
    const published = screen.getByTestId('published');
    for (const value of [COMMITMENT, SEED, V13.root, BEACON, '4242', '13']) expect(published.textContent).toContain(value);
    const recomputed = within(screen.getByTestId('recomputed'));
    expect(recomputed.getByText('3 of 13')).toBeTruthy();
    expect(recomputed.getByText(V13.key)).toBeTruthy();
    // The token itself (the key to the place) is sent to usher but never shown.
    expect(document.body.textContent).not.toContain(TOKENS[2]);
    expect(calls.some((c) => c.url.endsWith(`token=${TOKENS[2]}`))).toBe(true);
    expect(screen.getByTestId('draw-summary').getAttribute('aria-live')).toBe('polite');
    expect(screen.getByRole('heading', { name: 'What the checks prove' })).toBeTruthy();
  });

  it('shows a failed check when a published value was tampered with', async () => {
    saveDrawEntry(localStorage, { eventId: EVENT, token: TOKENS[2]!, drawnRank: null });
    vi.stubGlobal('fetch', serve(draw13({ beacon_value: 'another beacon' })).fetch);
    render(<DrawPage eventId={EVENT} />);
    expect(await screen.findByText(/A check failed/)).toBeTruthy();
    expect(screen.getByTestId('check-commitment').getAttribute('data-outcome')).toBe('pass');
    expect(screen.getByTestId('check-inclusion').getAttribute('data-outcome')).toBe('pass');
    expect(screen.getByTestId('check-rank').getAttribute('data-outcome')).toBe('fail');
    expect(screen.getByTestId('check-rank').textContent).toContain('Failed');
  });

  it('takes a pasted token when this browser holds none', async () => {
    const { fetch } = serve(draw13());
    vi.stubGlobal('fetch', fetch);
    render(<DrawPage eventId={EVENT} />);
    const input = await screen.findByLabelText('Waiting token');
    fireEvent.change(input, { target: { value: `  ${TOKENS[2]!.toUpperCase()} ` } });
    fireEvent.click(screen.getByRole('button', { name: 'Verify this token' }));
    expect(await screen.findByText(/All three checks passed/)).toBeTruthy();

    fireEvent.change(input, { target: { value: TOKENS[5]! } });
    fireEvent.click(screen.getByRole('button', { name: 'Verify this token' }));
    expect((await screen.findByRole('alert')).textContent).toContain('not in the entry list');
  });

  it('before the close, shows the commitment and says when the check becomes possible', async () => {
    saveDrawEntry(localStorage, { eventId: EVENT, token: TOKENS[2]!, drawnRank: null });
    const open = draw13({ state: 'open', entrants: null, closed_at: null, entry_root: null, beacon_value: null, seed: null, drawn_at: null });
    const { fetch, calls } = serve(open);
    vi.stubGlobal('fetch', fetch);
    render(<DrawPage eventId={EVENT} />);
    expect(await screen.findByText(/The pre-queue is still open/)).toBeTruthy();
    expect(screen.getByTestId('published').textContent).toContain(COMMITMENT);
    expect(calls.filter((c) => c.url.includes('/proof'))).toHaveLength(0);
  });

  it('says so when the event has no draw', async () => {
    vi.stubGlobal('fetch', serve(null).fetch);
    render(<DrawPage eventId={EVENT} />);
    expect((await screen.findByRole('alert')).textContent).toContain('no random draw');
  });
});
