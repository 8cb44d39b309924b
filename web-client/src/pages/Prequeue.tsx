// A scheduled event before its sale starts: the pre-queue (how many are in it, when the sale
// starts, and how places will be given: drawn at random, or in the order people joined), and
// the moment of a random draw. Every figure is the server's; times on the server's clock are
// shown corrected for the skew.

import { fmtClock, fmtCountdown, fmtNumber } from '../format';
import type { QueueState } from '../queue/model';
import { Link } from '../ui/Link';

export function drawPath(eventId: string): string {
  return `/events/${eventId}/draw`;
}

/** The sale's start in local time (the server's instant corrected for skew); null if unknown. */
function saleStart(state: QueueState): number | null {
  const at = state.status?.sale_starts_at;
  return typeof at === 'number' ? at - state.skewMs : null;
}

function SaleStart({ state, now }: { state: QueueState; now: number }) {
  const start = saleStart(state);
  if (start === null) return <p data-testid="sale-start">The sale has not started yet.</p>;
  const left = start - now;
  return (
    <p data-testid="sale-start">
      The sale starts at <strong>{fmtClock(start)}</strong>{' '}
      {left > 0 ? (
        <span role="timer" aria-label="Time until the sale starts">
          (in {fmtCountdown(left)})
        </span>
      ) : (
        <span>(starting now)</span>
      )}
    </p>
  );
}

function PrequeueSize({ size, label }: { size: number | undefined; label: string }) {
  if (typeof size !== 'number') return null;
  return (
    <p data-testid="prequeue-size">
      {label}: <strong>{fmtNumber(size)}</strong> {size === 1 ? 'person' : 'people'}
    </p>
  );
}

/** The pre-queue: waiting for the sale to start. */
export function PrequeueCard({ state, now }: { state: QueueState; now: number }) {
  const s = state.status;
  if (!s) return null;
  const start = saleStart(state);
  if (s.queueing_method === 'random_at_start') {
    return (
      <div className="card position" data-testid="prequeue" data-method="random_at_start">
        <SaleStart state={state} now={now} />
        <p className="lead" data-testid="draw-at">
          {start !== null ? (
            <>
              Your place in line will be drawn at <strong>{fmtClock(start)}</strong>.
            </>
          ) : (
            'Your place in line will be drawn when the sale starts.'
          )}
        </p>
        <p>
          Everyone who joins before then has the same chance: it does not matter when you joined, only that you are in
          the pre-queue when the sale starts. Keep this page open, or come back before then.
        </p>
        <PrequeueSize size={s.prequeue_size} label="In the pre-queue" />
        <p className="muted small">
          The draw can be checked by anyone afterwards: <Link to={drawPath(state.eventId)}>how the draw works</Link>.
        </p>
      </div>
    );
  }
  return (
    <div className="card position" data-testid="prequeue" data-method={s.queueing_method ?? 'fifo'}>
      <SaleStart state={state} now={now} />
      {s.position > 0 && (
        <div className="big-number">
          <span className="label">Your place in line</span>
          <span className="value" data-testid="position">
            {fmtNumber(s.position)}
          </span>
        </div>
      )}
      <p data-testid="fifo">
        Places are kept in the order people joined, so your place is already fixed. When the sale starts, people are let
        in from the front of the line.
      </p>
      <PrequeueSize size={s.prequeue_size} label="In the pre-queue" />
    </div>
  );
}

/** The draw is being made: no position exists yet. */
export function DrawingCard({ state }: { state: QueueState }) {
  return (
    <div className="card position" data-testid="drawing" aria-busy="true">
      <h2>The entry list is closed</h2>
      <p>Places are being drawn at random among everyone in the pre-queue. Your position appears here in a moment.</p>
      <PrequeueSize size={state.status?.prequeue_size} label="In the draw" />
    </div>
  );
}

/** After the draw: the rank this waiter drew, and where to check it. */
export function DrawnRank({ eventId, rank }: { eventId: string; rank: number }) {
  return (
    <p data-testid="drawn-rank">
      You drew number <strong>{fmtNumber(rank)}</strong> in the random draw.{' '}
      <Link to={drawPath(eventId)}>Verify my draw</Link>
    </p>
  );
}
