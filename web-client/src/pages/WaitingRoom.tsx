// The waiting room: everything a waiter needs to see, drawn only from the queue-state model
// (and the event's sections, for choosing seats while waiting). Every figure is the server's
// (or derived from two server figures); when the server has not said something yet, the page
// says so instead of showing a number. The operator's message is shown as it is sent.

import { useState } from 'react';
import type { PublicEvent } from '../api/types';
import type { Auth } from '../auth';
import { fmtClock, fmtConfidence, fmtCountdown, fmtDuration, fmtEtaRange, fmtNumber } from '../format';
import { entryLeft } from '../purchase/pass';
import { PreChoice } from '../purchase/PreChoice';
import type { QueueState } from '../queue/model';
import type { Action, Role } from '../queue/session';
import { AuthForm } from '../ui/AuthForm';
import { useThrottled } from '../ui/hooks';
import { ProgressBar } from '../ui/ProgressBar';
import { AnnouncementBanner } from './Announcement';
import { DrawingCard, DrawnRank, PrequeueCard } from './Prequeue';

/** After this long without any status, the page says the figures may be out of date. */
const STALE_MS = 20_000;

export interface WaitingRoomProps {
  state: QueueState;
  role: Role;
  auth: Auth | null;
  now: number;
  act: (a: Action) => void;
  /** The event as the server describes it (its sections and prices); null until read. */
  event?: PublicEvent | null;
}

export function WaitingRoom({ state, role, auth, now, act, event = null }: WaitingRoomProps) {
  const s = state.status;
  const waiting = s?.phase === 'waiting' ? s : null;
  const admitted = state.phase === 'ready' || state.phase === 'entering';
  const position = waiting ? waiting.position : null;
  const ahead = position !== null ? Math.max(0, position - 1) : null;
  const before = state.phase === 'prequeue' || state.phase === 'drawing';

  const politeText = admitted
    ? ''
    : before
      ? beforeSaleText(state)
      : position !== null
        ? `Position ${fmtNumber(position)}, ${fmtNumber(ahead ?? 0)} ahead of you.`
        : '';
  const announced = useThrottled(politeText, 10_000);
  const title = admitted
    ? 'It’s your turn'
    : state.phase === 'prequeue'
      ? 'You’re in the pre-queue'
      : state.phase === 'drawing'
        ? 'Drawing…'
        : 'You’re in the queue';

  return (
    <section className="waiting" aria-labelledby="wr-title">
      <h1 id="wr-title">{title}</h1>
      <p className="muted">
        {event && event.name !== state.eventId ? (
          event.name
        ) : (
          <>
            Event <code>{state.eventId}</code>
          </>
        )}
      </p>

      <ConnectionIndicator state={state} role={role} now={now} act={act} />

      {state.announcement && <AnnouncementBanner announcement={state.announcement} skewMs={state.skewMs} />}

      {/* Polite: position changes, at most every 10 s. Assertive: admission. */}
      <div className="sr-only" aria-live="polite" aria-atomic="true" data-testid="live-position">
        {announced}
      </div>
      <div className="sr-only" aria-live="assertive" aria-atomic="true">
        {admitted ? 'It is your turn. You have been admitted.' : ''}
      </div>

      {state.soldOut && (
        <div className="card banner bad" role="status">
          <h2>Sold out</h2>
          <p>The organiser reports that this event is sold out. You can leave the queue.</p>
        </div>
      )}

      {admitted ? (
        <ReadyPanel state={state} auth={auth} now={now} act={act} />
      ) : state.phase === 'prequeue' ? (
        <PrequeueCard state={state} now={now} />
      ) : state.phase === 'drawing' ? (
        <DrawingCard state={state} />
      ) : (
        <PositionCard state={state} now={now} />
      )}

      {state.notice && <Notice state={state} />}

      {!admitted && (
        <p className="kept" data-testid="kept">
          <strong>Your place is kept.</strong> Reloading this page is safe, and a short loss of connection does not
          cost your place. Keep this page open so we can tell you the moment it’s your turn.
        </p>
      )}

      {!admitted && <PreChoice eventId={state.eventId} token={state.token} sections={event?.sections ?? null} />}

      {!admitted && !auth && (
        <AuthForm
          title="Get ready: sign in now"
          intro="Buying needs an account. Sign in while you wait, so no time is lost when it’s your turn."
        />
      )}

      <LeaveButton leaving={state.leaving} act={act} />
    </section>
  );
}

/** What the polite live region says before the sale: the pre-queue's size, or the draw. */
function beforeSaleText(state: QueueState): string {
  const s = state.status;
  if (!s) return '';
  if (state.phase === 'drawing') return 'The entry list is closed. Places are being drawn.';
  const size = typeof s.prequeue_size === 'number' ? `${fmtNumber(s.prequeue_size)} in the pre-queue.` : '';
  if (s.queueing_method !== 'random_at_start' && s.position > 0) return `Place in line ${fmtNumber(s.position)}. ${size}`.trim();
  return size;
}

function PositionCard({ state, now }: { state: QueueState; now: number }) {
  const s = state.status;
  if (!s || s.phase !== 'waiting') {
    // Laid out as the card with its figures (and as tall, see .pending), so that nothing below
    // it moves when the first status arrives.
    return (
      <div className="card position pending" data-testid="position-card" aria-busy="true">
        <div className="big-number">
          <span className="label">Your position</span>
          <span className="value muted" aria-hidden="true">
            –
          </span>
        </div>
        <p className="muted">Checking your place in the queue…</p>
      </div>
    );
  }
  const ahead = Math.max(0, s.position - 1);
  const initial = state.initialPosition;
  const progress = initial && initial > 0 ? Math.min(1, Math.max(0, (initial - s.position) / initial)) : null;
  const waited = s.waiting_time + (state.statusAt !== null ? Math.max(0, now - state.statusAt) / 1000 : 0);
  const stale = state.statusAt !== null && now - state.statusAt > STALE_MS;
  const confidence = fmtConfidence(s.confidence);

  return (
    <div className="card position" data-testid="position-card">
      <div className="big-number">
        <span className="label">Your position</span>
        <span className="value" data-testid="position">
          {fmtNumber(s.position)}
        </span>
      </div>
      <p data-testid="ahead">
        {ahead === 0 ? 'Nobody is ahead of you.' : `${fmtNumber(ahead)} ${ahead === 1 ? 'person is' : 'people are'} ahead of you.`}
        {s.total_waiting !== undefined && <> {fmtNumber(s.total_waiting)} waiting in all.</>}
      </p>
      {typeof s.drawn_rank === 'number' && <DrawnRank eventId={state.eventId} rank={s.drawn_rank} />}

      {state.paused ? (
        <p className="banner warn" role="status" data-testid="paused">
          {state.pauseReason
            ? 'Admission is paused while the ticketing system recovers. It restarts by itself; your place is kept.'
            : 'Admission is paused by the organiser. Your place is kept; the estimate resumes when admission restarts.'}
        </p>
      ) : state.queueAll ? (
        // Not a pause: the sale is gathering everyone before letting anyone in, so no estimate yet.
        <p className="banner info" role="status" data-testid="gathering">
          Everyone is being queued; admission starts soon. Your place is kept, and the estimate appears once
          admission starts.
        </p>
      ) : (
        <p data-testid="eta">
          Estimated wait:{' '}
          <strong>{s.eta_range ? fmtEtaRange(s.eta_range) : `about ${fmtDuration(s.eta_sec)}`}</strong>
          {confidence && <span className="muted"> (confidence {confidence})</span>}
          {s.admission_rate !== undefined && s.admission_rate > 0 && (
            <span className="muted"> · letting in about {formatRate(s.admission_rate)}</span>
          )}
        </p>
      )}
      {state.degraded && (
        <p className="banner warn" role="status">
          The queue service is recovering. Positions may not move for a moment; your place is kept.
        </p>
      )}

      {progress !== null && initial !== null && (
        <div className="progress-wrap">
          <ProgressBar
            label="Progress through the queue"
            fraction={progress}
            valueText={`${Math.round(progress * 100)} percent, from position ${initial}`}
          />
          <p className="muted small">
            {Math.round(progress * 100)}% of the way from your starting position ({fmtNumber(initial)})
          </p>
        </div>
      )}
      <p className="muted small" data-testid="waited">
        Time waited: {fmtDuration(waited)}
        {stale && state.statusAt !== null && <> · last update {fmtDuration((now - state.statusAt) / 1000)} ago</>}
      </p>
    </div>
  );
}

function formatRate(perSec: number): string {
  if (perSec >= 1) return `${perSec.toFixed(perSec >= 10 ? 0 : 1)} people per second`;
  return `${(perSec * 60).toFixed(perSec * 60 >= 10 ? 0 : 1)} people per minute`;
}

function ReadyPanel({ state, auth, now, act }: { state: QueueState; auth: Auth | null; now: number; act: (a: Action) => void }) {
  const deadline = state.status?.entry_deadline;
  // The deadline is on the server's clock; skew = server − local.
  const left = entryLeft(state.status, now, state.skewMs);
  const notice = state.notice;
  return (
    <div className="card ready" data-testid="ready">
      <h2>You’ve been admitted</h2>
      {typeof state.status?.drawn_rank === 'number' && (
        <DrawnRank eventId={state.eventId} rank={state.status.drawn_rank} />
      )}
      {left !== null && (
        <p>
          Continue before <strong>{fmtClock(deadline! - state.skewMs)}</strong> ({fmtCountdown(left)} left), or your
          turn passes to the next person.
        </p>
      )}
      {!auth ? (
        <AuthForm title="Sign in to continue" intro="Buying needs an account. Sign in before the time above runs out." />
      ) : state.phase === 'entering' ? (
        <p role="status">Entering…</p>
      ) : (
        <>
          {notice && <p className="error">Could not enter yet: {notice.message}</p>}
          <button type="button" onClick={() => act({ kind: 'enter_now' })}>
            Continue to tickets
          </button>
        </>
      )}
    </div>
  );
}

function Notice({ state }: { state: QueueState }) {
  const n = state.notice!;
  if (state.phase === 'ready') return null; // shown in the ready panel
  let text: string;
  switch (n.code) {
    case 'NOT_READY':
      text = 'The server says it is not your turn yet. Waiting for the next update.';
      break;
    case 'STORE_UNAVAILABLE':
      text = 'The queue service is briefly unavailable; your place is kept and we keep checking.';
      break;
    case 'RATE_LIMITED':
      text = 'Too many requests from this network; checking again shortly.';
      break;
    case 'NETWORK':
      text = `Could not reach the server (${n.message}); trying again.`;
      break;
    default:
      text = `${n.message} (${n.code})`;
  }
  return (
    <p className="banner warn" role="status" data-testid="notice">
      {text}
    </p>
  );
}

export function ConnectionIndicator({
  state,
  role,
  now,
  act,
}: {
  state: QueueState;
  role: Role;
  now: number;
  act: (a: Action) => void;
}) {
  let kind: 'ok' | 'warn' | 'bad';
  let text: string;
  if (role === 'follower') {
    kind = 'ok';
    text = 'Following through another tab of this browser';
  } else if (!state.online) {
    kind = 'bad';
    text = 'You are offline — we’ll catch up as soon as you’re back';
  } else if (state.replaced) {
    kind = 'warn';
    text = 'This place is now being followed in another window';
  } else {
    switch (state.mode) {
      case 'live':
        kind = 'ok';
        text = 'Live';
        break;
      case 'connecting':
        kind = 'warn';
        text = 'Connecting…';
        break;
      case 'reconnecting': {
        kind = 'warn';
        const secs = state.retryAt !== null ? Math.max(0, Math.ceil((state.retryAt - now) / 1000)) : null;
        text = secs ? `Connection lost — reconnecting in ${secs} s` : 'Connection lost — reconnecting…';
        break;
      }
      case 'polling': {
        kind = 'warn';
        const every = state.status?.poll_after_ms;
        text = every
          ? `Live updates unavailable — checking every ${Math.round(every / 1000)} s`
          : 'Live updates unavailable — checking regularly';
        break;
      }
      default:
        kind = 'warn';
        text = 'Not connected';
    }
  }
  return (
    <div className={`conn conn-${kind}`} role="status" data-testid="connection" data-mode={role === 'follower' ? 'follower' : state.mode}>
      <span className="conn-main">
        <span className="dot" aria-hidden="true" />
        <span>{text}</span>
      </span>
      {role === 'leader' && state.replaced && (
        <button type="button" className="link" onClick={() => act({ kind: 'take_over' })}>
          Follow it here instead
        </button>
      )}
    </div>
  );
}

function LeaveButton({ leaving, act }: { leaving: boolean; act: (a: Action) => void }) {
  const [confirming, setConfirming] = useState(false);
  if (!confirming) {
    return (
      <button type="button" className="secondary" onClick={() => setConfirming(true)} disabled={leaving}>
        Leave the queue
      </button>
    );
  }
  return (
    <div className="card confirm" role="group" aria-label="Confirm leaving">
      <p>Leave the queue? Your place goes to the people behind you and cannot be given back.</p>
      <div className="row">
        <button type="button" className="danger" onClick={() => act({ kind: 'leave' })} disabled={leaving}>
          {leaving ? 'Leaving…' : 'Yes, leave'}
        </button>
        <button type="button" className="secondary" onClick={() => setConfirming(false)} autoFocus>
          Stay in the queue
        </button>
      </div>
    </div>
  );
}
