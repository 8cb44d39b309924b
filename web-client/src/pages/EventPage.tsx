// One event's page: the event as the server describes it and join (or resume the stored place),
// then the waiting room, then the purchase. A scheduled event may first count down to the
// queue's opening, check the browser (a proof of work), then hold the waiter in its pre-queue
// until the sale starts. An id the server does not know is "No such sale", and a sale with
// nothing to join (sold out, ended, cancelled) says so instead of offering to join.

import { useCallback, useEffect, useMemo, useRef, useState, useSyncExternalStore } from 'react';
import { useAuth } from '../auth';
import { isClosed } from '../events/sale';
import { type EventRead, usePublicEvent } from '../events/useEvents';
import type { QueueState } from '../queue/model';
import { browserEnv } from '../queue/controller';
import { JoinFlow, browserJoinDeps } from '../queue/join';
import { type JoinState, initialJoinState } from '../queue/joinModel';
import { QueueSession, type SessionView, browserSessionDeps } from '../queue/session';
import { type StoredPlace, forgetPlace, loadGrant, loadPlace } from '../queue/storage';
import { forgetPurchases } from '../purchase/store';
import { PurchaseFlow } from '../purchase/Purchase';
import { SectionList } from '../purchase/Sections';
import { AuthForm } from '../ui/AuthForm';
import { useNow } from '../ui/hooks';
import { Link } from '../ui/Link';
import { AnnouncementBanner } from './Announcement';
import { EventFacts, NoSuchSale, QueueFacts, SaleClosed } from './EventInfo';
import { BrowserCheck, OpeningCountdown, RetryingJoin, SaleEnded } from './JoinStatus';
import { WaitingRoom } from './WaitingRoom';

/** Keyed by event id by its parent, so a different event starts afresh. */
export function EventPage({ eventId }: { eventId: string }) {
  const [place, setPlace] = useState<StoredPlace | null>(() => loadPlace(localStorage, eventId));
  // Read often before joining, where the sale's state and the number waiting are the news; rarely
  // in the queue, where the socket tells what matters and everyone waiting would read it.
  const [info, reload] = usePublicEvent(eventId, place ? 60_000 : 10_000);
  const startOver = () => {
    forgetPlace(localStorage, eventId);
    forgetPurchases(eventId);
    setPlace(null);
  };
  if (!place) return <JoinPanel eventId={eventId} info={info} reload={reload} onJoined={setPlace} />;
  return <QueueView key={place.token} place={place} info={info} reload={reload} onStartOver={startOver} />;
}

function found(info: EventRead) {
  return info.kind === 'found' ? info.event : null;
}

/** The join flow of this panel: one per event, stopped when the panel goes away. */
function useJoinFlow(eventId: string): [JoinState, JoinFlow | null] {
  const [flow, setFlow] = useState<JoinFlow | null>(null);
  useEffect(() => {
    // One Idempotency-Key for this join: retries after a failure replay instead of joining twice.
    const f = new JoinFlow(eventId, browserJoinDeps());
    setFlow(f);
    return () => f.stop();
  }, [eventId]);
  const idle = useMemo(() => initialJoinState(eventId), [eventId]);
  const subscribe = useCallback((l: () => void) => flow?.subscribe(l) ?? (() => {}), [flow]);
  const state = useSyncExternalStore(subscribe, () => flow?.getState() ?? idle);
  return [state, flow];
}

function joinErrorText(join: JoinState): string | null {
  const e = join.error;
  if (!e || join.phase !== 'failed') return null;
  switch (e.code) {
    case 'QUEUE_FULL':
      return 'The queue is full right now. Please try again in a moment.';
    case 'POW_REQUIRED':
    case 'POW_INVALID':
    case 'POW_EXPIRED':
    case 'POW_REUSED':
    case 'POW_TOO_EASY':
      return `the browser check did not succeed (${e.code}). Please try again.`;
    default:
      return `${e.message} (${e.code})`;
  }
}

function JoinPanel({
  eventId,
  info,
  reload,
  onJoined,
}: {
  eventId: string;
  info: EventRead;
  reload: () => void;
  onJoined: (p: StoredPlace) => void;
}) {
  const auth = useAuth();
  const now = useNow(1000);
  const [join, flow] = useJoinFlow(eventId);
  const joined = join.phase === 'joined' ? join.place : null;
  useEffect(() => {
    if (joined) onJoined(joined);
  }, [joined, onJoined]);
  // Whether it ended or was called off is the event's to say.
  const saleEnded = join.phase === 'sale_ended';
  useEffect(() => {
    if (saleEnded) reload();
  }, [saleEnded, reload]);

  const event = found(info);
  if (info.kind === 'missing' || (join.phase === 'failed' && join.error?.code === 'EVENT_NOT_FOUND')) {
    return <NoSuchSale eventId={eventId} />;
  }
  if (saleEnded) return <SaleEnded eventId={eventId} cancelled={event?.queue.state === 'cancelled'} />;
  const busy = join.phase !== 'idle' && join.phase !== 'failed';
  // Nothing to join; a join already under way (a countdown to the opening) carries on and learns
  // the end from its own answer.
  const state = event?.queue.state;
  const closed = state && isClosed(state) && !busy ? state : null;
  const error = joinErrorText(join);
  let body;
  switch (join.phase) {
    case 'countdown':
      body = <OpeningCountdown join={join} now={now} />;
      break;
    case 'retrying':
      body = <RetryingJoin join={join} now={now} />;
      break;
    case 'challenge':
    case 'solving':
      body = <BrowserCheck progress={join.progress} />;
      break;
    default:
      body = (
        <div className="card" data-testid="join-card">
          {event && <QueueFacts event={event} />}
          <p>
            Tickets are sold in the order people join. Join now and keep this page open: it shows your place and tells
            you the moment it’s your turn. Reloading is safe — your place is kept on this device.
          </p>
          {join.auto && busy ? (
            <p role="status" data-testid="auto-joining">
              The queue is open — joining…
            </p>
          ) : (
            <button type="button" onClick={() => flow?.join()} disabled={busy || !flow} data-testid="join">
              {busy ? 'Joining…' : 'Join the queue'}
            </button>
          )}
          {error && (
            <p className="error" role="alert">
              Could not join: {error}
            </p>
          )}
        </div>
      );
  }
  return (
    <section aria-labelledby="join-title" aria-busy={info.kind === 'loading' ? true : undefined}>
      <h1 id="join-title" className="event-title">
        {event ? event.name : 'Join the queue'}
      </h1>
      {/* An event the inventory does not list is named by its id: no need to say it twice. */}
      {event?.name !== eventId && (
        <p className="muted">
          Event <code>{eventId}</code>
        </p>
      )}
      {event?.queue.announcement && <AnnouncementBanner announcement={event.queue.announcement} />}
      {event && <EventFacts event={event} />}
      {closed ? <SaleClosed state={closed} /> : body}
      {event && event.sections.length > 0 && (
        <div className="card">
          <h2>Prices and seats left</h2>
          <SectionList sections={event.sections} />
        </div>
      )}
      {!auth && !closed && (
        <AuthForm
          title="Sign in first (recommended)"
          intro="Buying needs an account. Signing in now means no time is lost when it’s your turn."
        />
      )}
    </section>
  );
}

function useSession(place: StoredPlace, autoEnter: boolean): [SessionView, QueueSession | null] {
  const [session, setSession] = useState<QueueSession | null>(null);
  const autoRef = useRef(autoEnter);
  autoRef.current = autoEnter;
  useEffect(() => {
    const env = browserEnv();
    const original = document.title;
    env.onAdmitted = () => {
      if (document.visibilityState === 'hidden') document.title = '(!) Your turn — usher';
    };
    const s = new QueueSession(place, browserSessionDeps(env), { autoEnter: autoRef.current });
    setSession(s);
    s.start();
    const onVisible = () => {
      if (document.visibilityState === 'visible') {
        document.title = original;
        s.act({ kind: 'resync' });
      }
    };
    const onOnline = () => s.act({ kind: 'online', online: true });
    const onOffline = () => s.act({ kind: 'online', online: false });
    document.addEventListener('visibilitychange', onVisible);
    window.addEventListener('online', onOnline);
    window.addEventListener('offline', onOffline);
    return () => {
      document.removeEventListener('visibilitychange', onVisible);
      window.removeEventListener('online', onOnline);
      window.removeEventListener('offline', onOffline);
      document.title = original;
      s.close(); // never leaves the queue: the place is kept
    };
    // One session per place (token); a new place object for the same token changes nothing.
  }, [place.token]);
  useEffect(() => session?.act({ kind: 'auto_enter', on: autoEnter }), [session, autoEnter]);
  const subscribe = useCallback((l: () => void) => session?.subscribe(l) ?? (() => {}), [session]);
  const view = useSyncExternalStore(subscribe, () => session?.getView() ?? EMPTY);
  return [view, session];
}

const EMPTY: SessionView = { role: 'follower', state: null };

function QueueView({
  place,
  info,
  reload,
  onStartOver,
}: {
  place: StoredPlace;
  info: EventRead;
  reload: () => void;
  onStartOver: () => void;
}) {
  const auth = useAuth();
  const now = useNow(1000);
  const [view, session] = useSession(place, auth !== null);
  const state = view.state;
  const act = (a: Parameters<QueueSession['act']>[0]) => session?.act(a);
  const event = found(info);
  // A socket that missed `sale_ended` (polling, or its message lost) learns of a cancellation
  // from the event.
  const saleEnded = state?.phase === 'sale_ended';
  useEffect(() => {
    if (saleEnded) reload();
  }, [saleEnded, reload]);

  if (!state) {
    return (
      <section aria-busy="true">
        <h1>You’re in the queue</h1>
        <p className="muted" role="status">
          Connecting…
        </p>
      </section>
    );
  }
  switch (state.phase) {
    case 'sale_ended':
      return (
        <SaleEnded
          eventId={state.eventId}
          inDraw={state.inDraw}
          cancelled={state.cancelled || event?.queue.state === 'cancelled'}
        />
      );
    case 'expired':
    case 'left':
    case 'not_found':
      return <Ended state={state} onStartOver={onStartOver} />;
    case 'entered':
      return (
        <PurchaseFlow
          state={state}
          grant={state.grant ?? loadGrant(localStorage, state.eventId, now)}
          auth={auth}
          now={now}
          onStartOver={onStartOver}
        />
      );
    default:
      return <WaitingRoom state={state} role={view.role} auth={auth} now={now} act={act} event={event} />;
  }
}

function Ended({ state, onStartOver }: { state: QueueState; onStartOver: () => void }) {
  let title: string;
  let body: string;
  switch (state.phase) {
    case 'left':
      title = 'You left the queue';
      body = 'Your place was given to the people behind you.';
      break;
    case 'expired':
      if (state.expiredReason === 'revoked') {
        title = 'Your place was removed';
        body = 'An operator of this sale removed your place in the queue, so it cannot be used any more.';
        break;
      }
      title = 'Your place in the queue has expired';
      body =
        state.expiredReason === 'entry_window_ended'
          ? 'You were admitted, but the time to continue ran out, so the turn passed to the next person.'
          : 'This page lost contact with the queue for too long, so the place was released.';
      break;
    default:
      title = 'This place in the queue is not known';
      body = 'The server does not know this waiting ticket (it may be from an old sale).';
  }
  return (
    <section aria-labelledby="end-title">
      <h1 id="end-title" data-testid="ended" data-phase={state.phase} data-reason={state.expiredReason ?? undefined}>
        {title}
      </h1>
      <div className="card">
        <p>{body}</p>
        <div className="row">
          <button type="button" onClick={onStartOver}>
            Join the queue again
          </button>
          <Link to="/">All sales</Link>
        </div>
      </div>
    </section>
  );
}
