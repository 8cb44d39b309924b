// The operators' dashboard. Signing in exchanges the admin token, once, for a session cookie
// (HttpOnly, SameSite=Strict: no script of this page can read it, and no URL carries it);
// every later call rides on the cookie. Signed out (or refused), only the sign-in is shown,
// with the reason: no charts, no controls, nothing polled.

import { type FormEvent, useCallback, useEffect, useState } from 'react';
import { ApiError, call } from '../api/http';
import { fmtNumber } from '../format';
import { Audit } from './Audit';
import { Controls } from './Controls';
import { explain, signedOut } from './errors';
import { HistoryCharts, LiveCharts, useLive } from './Live';
import type { AdminEventList, EventStats, SessionInfo } from '../api/types';

type Session = { state: 'checking' } | { state: 'out'; reason: string | null } | { state: 'in'; who: SessionInfo };

export function Dashboard() {
  const [session, setSession] = useState<Session>({ state: 'checking' });
  const [eventId, setEventId] = useState('evt_2025_1001');

  useEffect(() => {
    call<SessionInfo>('GET', '/api/v1/admin/session')
      .then((who) => setSession({ state: 'in', who }))
      .catch((e) => setSession({ state: 'out', reason: e instanceof ApiError && e.status === 401 ? null : explain(e) }));
  }, []);

  const lost = useCallback((e: unknown) => {
    setSession({ state: 'out', reason: `${explain(e)} Sign in again.` });
  }, []);

  const signOut = async () => {
    await call('DELETE', '/api/v1/admin/session').catch(() => undefined);
    setSession({ state: 'out', reason: null });
  };

  return (
    <section className="admin" aria-labelledby="admin-title">
      <h1 id="admin-title">Operator dashboard</h1>
      {session.state === 'checking' && (
        <p className="muted" role="status">
          Checking your session…
        </p>
      )}
      {session.state === 'out' && (
        <SignIn
          reason={session.reason}
          eventId={eventId}
          onSignedIn={(who, event) => {
            setEventId(event);
            setSession({ state: 'in', who });
          }}
        />
      )}
      {session.state === 'in' && (
        <>
          <p className="row session">
            <span className="muted" data-testid="admin-operator">
              Signed in as <code>{session.who.operator}</code>
            </span>
            <button type="button" className="secondary" onClick={signOut}>
              Sign out
            </button>
          </p>
          <EventPicker eventId={eventId} onPick={setEventId} onLost={lost} />
          <EventView key={eventId} eventId={eventId} onLost={lost} />
        </>
      )}
    </section>
  );
}

function SignIn({
  reason,
  eventId,
  onSignedIn,
}: {
  reason: string | null;
  eventId: string;
  onSignedIn: (who: SessionInfo, eventId: string) => void;
}) {
  const [token, setToken] = useState('');
  const [event, setEvent] = useState(eventId);
  const [refused, setRefused] = useState<string | null>(reason);
  const [busy, setBusy] = useState(false);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    try {
      const who = await call<SessionInfo>('POST', '/api/v1/admin/session', { body: { token } });
      onSignedIn(who, event.trim() || eventId);
    } catch (err) {
      setRefused(explain(err));
    } finally {
      setBusy(false);
      setToken('');
    }
  };
  return (
    <form className="card row-form" onSubmit={submit} aria-label="Sign in">
      <div>
        <label htmlFor="admin-token">Admin token</label>
        <input
          id="admin-token"
          type="password"
          autoComplete="off"
          value={token}
          onChange={(e) => setToken(e.target.value)}
          required
        />
      </div>
      <div>
        <label htmlFor="admin-event">Event</label>
        <input id="admin-event" value={event} onChange={(e) => setEvent(e.target.value)} />
      </div>
      <button type="submit" disabled={busy}>
        Sign in
      </button>
      {refused && (
        <p className="error" role="alert" data-testid="admin-refused">
          {refused} Enter the operator token to sign in.
        </p>
      )}
    </form>
  );
}

/** Every event, to pick one; or any id typed in (an event is created by saving its settings). */
function EventPicker({ eventId, onPick, onLost }: { eventId: string; onPick: (id: string) => void; onLost: (e: unknown) => void }) {
  const [events, setEvents] = useState<AdminEventList['events']>([]);
  const [typed, setTyped] = useState(eventId);
  useEffect(() => {
    let live = true;
    const load = () =>
      call<AdminEventList>('GET', '/api/v1/admin/events')
        .then((l) => live && setEvents(l.events))
        .catch((e) => live && signedOut(e) && onLost(e));
    void load();
    const t = setInterval(load, 10_000);
    return () => {
      live = false;
      clearInterval(t);
    };
  }, [onLost]);
  return (
    <form
      className="card row-form"
      aria-label="Choose an event"
      onSubmit={(e) => {
        e.preventDefault();
        if (typed.trim()) onPick(typed.trim());
      }}
    >
      <div>
        <label htmlFor="admin-events">Events</label>
        <select id="admin-events" value={events.some((e) => e.event_id === eventId) ? eventId : ''} onChange={(e) => e.target.value && onPick(e.target.value)}>
          <option value="">Choose an event…</option>
          {events.map((e) => (
            <option key={e.event_id} value={e.event_id}>
              {e.event_id} — {fmtNumber(e.waiting)} waiting{e.config.paused ? ', paused' : ''}
              {e.config.queue_all ? ', queueing everyone' : ''}
            </option>
          ))}
        </select>
      </div>
      <div>
        <label htmlFor="admin-event-id">Event id</label>
        <input id="admin-event-id" value={typed} onChange={(e) => setTyped(e.target.value)} />
      </div>
      <button type="submit" className="secondary">
        Open
      </button>
    </form>
  );
}

function EventView({ eventId, onLost }: { eventId: string; onLost: (e: unknown) => void }) {
  const live = useLive(eventId, onLost);
  const [auditTick, setAuditTick] = useState(0);
  const stats: EventStats | null = live.stats;
  return (
    <>
      {live.error && (
        <p className="error" role="alert" data-testid="admin-error">
          {live.error}
        </p>
      )}
      {stats && (
        <p className="muted" data-testid="admin-summary">
          {fmtNumber(stats.joined_total)} joined · {fmtNumber(stats.admitted_total)} admitted ·{' '}
          {fmtNumber(stats.entered_total)} entered · {fmtNumber(stats.left_total)} left · {fmtNumber(stats.expired_total)}{' '}
          expired · {fmtNumber(stats.lapsed_total)} lapsed
          {stats.config.paused && (
            <>
              {' '}
              · <strong>paused</strong>
            </>
          )}
          {stats.config.queue_all && (
            <>
              {' '}
              · <strong>queueing everyone</strong>
            </>
          )}
        </p>
      )}
      <LiveCharts live={live} />
      <HistoryCharts eventId={eventId} onLost={onLost} />
      <Controls eventId={eventId} config={stats?.config ?? null} onLost={onLost} onAction={() => setAuditTick((n) => n + 1)} />
      <Audit refresh={auditTick} onLost={onLost} />
    </>
  );
}
