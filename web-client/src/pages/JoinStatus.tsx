// What the join panel shows on the way to a place, beside the join button: the countdown to the
// queue's opening (then the automatic join), the browser check (the proof of work, with its
// progress), and the end of the sale (or its cancellation).

import { fmtClock, fmtCountdown, fmtDuration } from '../format';
import type { JoinProgress, JoinState } from '../queue/joinModel';
import { useThrottled } from '../ui/hooks';
import { Link } from '../ui/Link';
import { ProgressBar } from '../ui/ProgressBar';
import { drawPath } from './Prequeue';

/** Coarse words for a screen reader: the exact countdown ticks every second, this does not. */
function roughlyLeft(ms: number): string {
  if (ms <= 0) return 'The queue is open. Joining now.';
  const min = Math.ceil(ms / 60_000);
  if (ms < 60_000) return 'The queue opens in less than a minute.';
  return `The queue opens in about ${min} minutes.`;
}

/** Counting down to the opening; at zero (plus a moment) the page joins by itself. */
export function OpeningCountdown({ join, now }: { join: JoinState; now: number }) {
  const opensAt = join.opensAt ?? now;
  const left = opensAt - now;
  const announced = useThrottled(roughlyLeft(left), 30_000);
  return (
    <div className="card countdown" data-testid="countdown">
      <h2>The queue is not open yet</h2>
      <div className="big-number">
        <span className="label" id="opens-in">
          Opens in
        </span>
        <span className="value" role="timer" aria-labelledby="opens-in" data-testid="opens-in">
          {fmtCountdown(Math.max(0, left))}
        </span>
      </div>
      <p>
        It opens at <strong>{fmtClock(opensAt)}</strong> (your time). Keep this page open: it joins the queue for you at
        that moment, no need to reload or click.
      </p>
      <div className="sr-only" aria-live="polite" aria-atomic="true">
        {announced}
      </div>
    </div>
  );
}

/** An automatic join met a busy server: the next attempt is on its way. */
export function RetryingJoin({ join, now }: { join: JoinState; now: number }) {
  const secs = join.joinAt !== null ? Math.max(0, Math.ceil((join.joinAt - now) / 1000)) : null;
  return (
    <div className="card" data-testid="retrying">
      <p role="status">
        The queue is very busy right now. Trying again{secs ? ` in ${secs} s` : '…'} — keep this page open.
      </p>
    </div>
  );
}

/** Seconds left by the estimate (2^difficulty hashes on average), or null before a rate is known. */
export function secondsLeft(p: JoinProgress): number | null {
  if (!p.rate || p.rate <= 0) return null;
  return Math.max(1, (p.expected - p.tried) / p.rate);
}

/** Solving the join challenge. The bar is an estimate: the real count varies a lot. */
export function BrowserCheck({ progress }: { progress: JoinProgress | null }) {
  const fraction = progress ? Math.min(0.99, progress.tried / progress.expected) : 0;
  const secs = progress ? secondsLeft(progress) : null;
  return (
    <div className="card" data-testid="browser-check" aria-busy="true">
      <p role="status" data-testid="browser-check-text">
        Checking your browser…{secs !== null && ` (about ${fmtDuration(secs)})`}
      </p>
      <ProgressBar
        label="Browser check"
        fraction={fraction}
        valueText={secs !== null ? `about ${fmtDuration(secs)} left` : 'starting'}
      />
      <p className="muted small">
        Before letting you join, the queue asks your browser to do a short computation. It keeps automated mass sign-ups
        out and costs you only a few seconds.
      </p>
    </div>
  );
}

/** The sale is over (or was called off): nothing to join or wait for. */
export function SaleEnded({ eventId, inDraw, cancelled }: { eventId: string; inDraw?: boolean; cancelled?: boolean }) {
  return (
    <section aria-labelledby="sale-ended-title">
      <h1 id="sale-ended-title" data-testid="ended" data-phase="sale_ended" data-cancelled={cancelled ? 'true' : undefined}>
        {cancelled ? 'This sale was cancelled' : 'This sale has ended'}
      </h1>
      <div className="card">
        <p>
          {cancelled
            ? 'The organiser called this sale off. No tickets are sold here, so there is no queue to wait in.'
            : 'Tickets for this event are no longer sold here, so there is no queue to wait in.'}
        </p>
        {inDraw && (
          <p>
            You were in its random draw: <Link to={drawPath(eventId)}>verify my draw</Link>.
          </p>
        )}
        <p>
          <Link to="/">All sales</Link>
        </p>
      </div>
    </section>
  );
}
