// "Verify my draw": the public values of a random on-sale's draw, and the check, in this
// browser, of one entrant's place in it (verifyDraw): the seed matches the commitment made before
// the pre-queue opened, the entrant's token is in the closed entry list, and its rank follows
// from the published values alone. The token is the one this browser held for the event, or one
// pasted in; it is never shown on the page (it is the key to a place in the queue).

import { type FormEvent, type ReactNode, useCallback, useEffect, useRef, useState } from 'react';
import type { DrawInfo, DrawProof } from '../api/draw';
import { call } from '../api/http';
import { type CheckOutcome, type DrawCheck, type DrawVerification, canonicalToken, verifyDraw } from '../draw/verify';
import { fmtDateTime, fmtNumber } from '../format';
import { errorInfo } from '../queue/controller';
import type { ErrorInfo } from '../queue/model';
import { loadDrawEntry, loadPlace } from '../queue/storage';
import { Link } from '../ui/Link';

type Loaded = { kind: 'loading' } | { kind: 'ready'; draw: DrawInfo } | { kind: 'error'; error: ErrorInfo };

type Checked =
  | { kind: 'idle' }
  | { kind: 'checking' }
  | { kind: 'done'; proof: DrawProof; result: DrawVerification; own: boolean }
  | { kind: 'error'; error: ErrorInfo };

interface KnownEntry {
  token: string;
  /** The rank the waiting room showed, when it did. */
  drawnRank: number | null;
}

/** The token this browser entered in the draw, else the place it holds for the event. */
function knownEntry(eventId: string): KnownEntry | null {
  const entry = loadDrawEntry(localStorage, eventId);
  if (entry) return entry;
  const place = loadPlace(localStorage, eventId);
  return place ? { token: place.token, drawnRank: null } : null;
}

const fetchDraw = (eventId: string) => call<DrawInfo>('GET', `/api/v1/events/${eventId}/draw`);
const fetchProof = (eventId: string, token: string) =>
  call<DrawProof>('GET', `/api/v1/events/${eventId}/draw/proof?token=${encodeURIComponent(token)}`);

export function DrawPage({ eventId }: { eventId: string }) {
  const [known] = useState<KnownEntry | null>(() => knownEntry(eventId));
  const [loaded, setLoaded] = useState<Loaded>({ kind: 'loading' });
  const [checked, setChecked] = useState<Checked>({ kind: 'idle' });
  // Answers to an older request (or after the page went away) are dropped.
  const latest = useRef(0);
  useEffect(() => () => void (latest.current = -1), []);

  const verify = useCallback(
    async (token: string, own: boolean) => {
      const req = ++latest.current;
      setChecked({ kind: 'checking' });
      try {
        // The draw again, as it may have been made since the page loaded.
        const [draw, proof] = await Promise.all([fetchDraw(eventId), fetchProof(eventId, token)]);
        const result = await verifyDraw(draw, proof, token, own ? known?.drawnRank : null);
        if (req !== latest.current) return;
        setLoaded({ kind: 'ready', draw });
        setChecked({ kind: 'done', proof, result, own });
      } catch (e) {
        if (req === latest.current) setChecked({ kind: 'error', error: errorInfo(e) });
      }
    },
    [eventId, known],
  );

  useEffect(() => {
    const req = ++latest.current;
    fetchDraw(eventId).then(
      (draw) => {
        if (req !== latest.current) return;
        setLoaded({ kind: 'ready', draw });
        if (known && draw.state !== 'open') void verify(known.token, true);
      },
      (e: unknown) => {
        if (req === latest.current) setLoaded({ kind: 'error', error: errorInfo(e) });
      },
    );
  }, [eventId, known, verify]);

  return (
    <section className="draw-page" aria-labelledby="draw-title">
      <h1 id="draw-title">Verify the draw</h1>
      <p className="muted">
        Event <code>{eventId}</code> · <Link to={`/events/${eventId}`}>back to the queue</Link>
      </p>
      {loaded.kind === 'loading' && (
        <p role="status" className="muted">
          Loading the draw…
        </p>
      )}
      {loaded.kind === 'error' && <DrawMissing error={loaded.error} />}
      {loaded.kind === 'ready' && (
        <>
          <Published draw={loaded.draw} />
          <YourEntry draw={loaded.draw} known={known} checked={checked} onVerify={verify} />
          <WhatItProves />
        </>
      )}
    </section>
  );
}

function DrawMissing({ error }: { error: ErrorInfo }) {
  return (
    <div className="card" role="alert">
      {error.code === 'DRAW_NOT_FOUND' ? (
        <p>This event has no random draw: its places are given in the order people joined.</p>
      ) : (
        <p className="error">
          Could not load the draw: {error.message} ({error.code})
        </p>
      )}
    </div>
  );
}

const STATE_WORDS: Record<DrawInfo['state'], string> = {
  open: 'Open: the pre-queue takes entrants; the draw is made when the sale starts',
  closed: 'Closed: the entry list is fixed; the draw is being made',
  drawn: 'Drawn: every value needed to check it is published',
};

function Fact({ term, children, hex }: { term: string; children: ReactNode; hex?: boolean }) {
  return (
    <div className="fact">
      <dt>{term}</dt>
      <dd className={hex ? 'hex' : undefined}>{children}</dd>
    </div>
  );
}

const notYet = <span className="muted">not yet published</span>;

/** Everything usher published about the draw. */
function Published({ draw }: { draw: DrawInfo }) {
  return (
    <div className="card">
      <h2>What usher published</h2>
      <dl className="facts" data-testid="published">
        <Fact term="State">{STATE_WORDS[draw.state] ?? draw.state}</Fact>
        <Fact term="Algorithm">
          <code>{draw.algorithm}</code>
        </Fact>
        {draw.prequeue_opens_at !== null && <Fact term="Pre-queue opened">{fmtDateTime(draw.prequeue_opens_at)}</Fact>}
        <Fact term="Sale starts">{fmtDateTime(draw.sale_starts_at)}</Fact>
        <Fact term="Commitment (SHA-256 of the seed, published in advance)" hex>
          {draw.commitment}
        </Fact>
        <Fact term="Entrants">{draw.entrants !== null ? fmtNumber(draw.entrants) : notYet}</Fact>
        <Fact term="Entry list closed">{draw.closed_at !== null ? fmtDateTime(draw.closed_at) : notYet}</Fact>
        <Fact term="Entry root" hex>
          {draw.entry_root ?? notYet}
        </Fact>
        <Fact term="Beacon round">{draw.beacon_round ?? <span className="muted">no beacon</span>}</Fact>
        <Fact term="Beacon value" hex>
          {draw.beacon_value ?? (draw.beacon_round === null ? <span className="muted">no beacon</span> : notYet)}
        </Fact>
        <Fact term="Seed" hex>
          {draw.seed ?? notYet}
        </Fact>
        <Fact term="Drawn">{draw.drawn_at !== null ? fmtDateTime(draw.drawn_at) : notYet}</Fact>
      </dl>
    </div>
  );
}

function YourEntry({
  draw,
  known,
  checked,
  onVerify,
}: {
  draw: DrawInfo;
  known: KnownEntry | null;
  checked: Checked;
  onVerify: (token: string, own: boolean) => void;
}) {
  const [pasted, setPasted] = useState('');
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const token = canonicalToken(pasted);
    if (token) onVerify(token, known !== null && token === known.token);
  };
  const form = (
    <form onSubmit={submit} className="token-form">
      <label htmlFor="draw-token">Waiting token</label>
      <input
        id="draw-token"
        value={pasted}
        onChange={(e) => setPasted(e.target.value)}
        autoComplete="off"
        spellCheck={false}
        aria-describedby="draw-token-help"
      />
      <p id="draw-token-help" className="muted small">
        The token of a place in this event’s queue (a code like <code>1b4e28ba-2fa1-41d2-883f-0016d3cca427</code>). It is
        sent to usher only, to fetch its proof.
      </p>
      <button type="submit" disabled={!pasted.trim() || checked.kind === 'checking'}>
        Verify this token
      </button>
    </form>
  );
  return (
    <div className="card">
      <h2>Your entry</h2>
      {draw.state === 'open' ? (
        <p>
          The pre-queue is still open. The entry list is fixed when the sale starts ({fmtDateTime(draw.sale_starts_at)}),
          and your place can be checked once the draw is made.
        </p>
      ) : known ? (
        <>
          <p>This browser’s entry for this event is checked below.</p>
          <button type="button" className="secondary" onClick={() => onVerify(known.token, true)} disabled={checked.kind === 'checking'}>
            Check again
          </button>
          <details>
            <summary>Check another waiting token</summary>
            {form}
          </details>
        </>
      ) : (
        <>
          <p>This browser holds no place for this event. Paste the waiting token of the place you want to check.</p>
          {form}
        </>
      )}
      <Result checked={checked} />
    </div>
  );
}

const OUTCOME_WORDS: Record<CheckOutcome, string> = { pass: 'Passed', fail: 'Failed', pending: 'Not yet' };
const OUTCOME_ICON: Record<CheckOutcome, string> = { pass: '✓', fail: '✗', pending: '…' };

const CHECK_TITLES: Record<DrawCheck['id'], string> = {
  commitment: 'The seed is the one committed to in advance',
  inclusion: 'Your entry is in the closed entry list',
  rank: 'Your rank follows from the published values',
};

function Result({ checked }: { checked: Checked }) {
  let summary = '';
  if (checked.kind === 'checking') summary = 'Checking…';
  if (checked.kind === 'done') {
    const { result } = checked;
    summary = result.ok
      ? 'All three checks passed: your place in line follows from the published draw.'
      : result.checks.some((c) => c.outcome === 'fail')
        ? 'A check failed: the published values do not support this place in line.'
        : 'Not everything can be checked yet: the draw has not been made.';
  }
  return (
    <div className="result" data-testid="draw-result">
      <p role="status" aria-live="polite" data-testid="draw-summary">
        {summary}
      </p>
      {checked.kind === 'error' && (
        <p className="error" role="alert">
          {proofErrorText(checked.error)}
        </p>
      )}
      {checked.kind === 'done' && (
        <>
          <ul className="checks">
            {checked.result.checks.map((c) => (
              <li key={c.id} className={`check check-${c.outcome}`} data-testid={`check-${c.id}`} data-outcome={c.outcome}>
                <span className="check-mark" aria-hidden="true">
                  {OUTCOME_ICON[c.outcome]}
                </span>
                <div>
                  <strong>
                    {CHECK_TITLES[c.id]}: {OUTCOME_WORDS[c.outcome]}
                  </strong>
                  <p className="hex-text">{c.detail}</p>
                </div>
              </li>
            ))}
          </ul>
          <dl className="facts" data-testid="recomputed">
            <Fact term="Your entry index">
              {fmtNumber(checked.proof.index)} of {fmtNumber(checked.proof.entrants)}
            </Fact>
            <Fact term="Your leaf (SHA-256 of your token)" hex>
              {checked.result.leaf ?? '—'}
            </Fact>
            <Fact term="Entry root recomputed from your proof" hex>
              {checked.result.root ?? '—'}
            </Fact>
            <Fact term="Draw key" hex>
              {checked.result.key ?? notYet}
            </Fact>
            <Fact term="Recomputed rank">
              <span data-testid="recomputed-rank">{checked.result.rank !== null ? fmtNumber(checked.result.rank) : '—'}</span>
            </Fact>
            <Fact term="usher’s rank">
              <span data-testid="server-rank">{checked.result.serverRank !== null ? fmtNumber(checked.result.serverRank) : '—'}</span>
            </Fact>
          </dl>
        </>
      )}
    </div>
  );
}

function proofErrorText(error: ErrorInfo): string {
  switch (error.code) {
    case 'TOKEN_NOT_FOUND':
      return 'This token is not in the entry list: it joined after the pre-queue closed, or belongs to another event.';
    case 'DRAW_NOT_MADE':
      return 'The draw is not made yet: come back once the sale has started (it may be waiting for the announced public randomness).';
    default:
      return `Could not check: ${error.message} (${error.code})`;
  }
}

function WhatItProves() {
  return (
    <div className="card">
      <h2>What the checks prove</h2>
      <p>
        <strong>The seed was fixed in advance.</strong> Before the pre-queue opened, usher published the commitment: the
        SHA-256 fingerprint of a secret random number, the seed. Any other seed gives another fingerprint, so the seed
        revealed at the draw cannot have been chosen after seeing who joined.
      </p>
      <p>
        <strong>The entry list was fixed at the close.</strong> The entry root is one fingerprint of the whole list of
        entrants, in the order they joined. Your proof links your entry to that root: nobody can be added, removed or
        moved in the list without changing the root everyone sees.
      </p>
      <p>
        <strong>Your rank was computed, not chosen.</strong> The order of the whole line follows from the seed, the entry
        root and the beacon value (a public random number, known to nobody before the close), by a fixed published
        algorithm. This page recomputed your rank in your browser from those values alone, and compared it with usher’s.
      </p>
      <p className="muted small">
        What it cannot show: who the other entrants are, or that each of them is a different person. The beacon value
        can be checked against the public beacon’s round shown above.
      </p>
    </div>
  );
}
