// The operator's dashboard: live charts of one event from GET /api/v1/admin/events/{id}/stats
// (polled every second) and its settings (PUT /api/v1/admin/events/{id}). The admin token is
// typed by the operator and kept only in this tab's sessionStorage.

import { type FormEvent, useEffect, useRef, useState } from 'react';
import { ApiError, call } from '../api/http';
import type { EventConfig, EventStats } from '../api/types';
import { fmtNumber } from '../format';
import { Chart, type Sample } from './Chart';

const TOKEN_KEY = 'usher:admin-token';
const POLL_MS = 1000;
const WINDOW_MS = 5 * 60_000;
const KEEP = WINDOW_MS / POLL_MS + 10;

interface Point {
  t: number;
  waiting: number;
  rate: number;
  active: number;
  connections: number;
  accuracy: number | null;
  /** Admissions per second between this sample and the previous one, from the counters. */
  observed: number | null;
}

function readToken(): string {
  try {
    return sessionStorage.getItem(TOKEN_KEY) ?? '';
  } catch {
    return '';
  }
}

/** Whether the admin API refused the token itself (not the request): the dashboard signs out. */
function refusedToken(e: unknown): boolean {
  return e instanceof ApiError && (e.status === 401 || e.code === 'ADMIN_DISABLED');
}

function explain(e: unknown): string {
  if (!(e instanceof ApiError)) return String(e);
  switch (e.code) {
    case 'ADMIN_DISABLED':
      return 'The admin API is disabled on this server (USHER_ADMIN_TOKEN is not set).';
    case 'INVALID_TOKEN':
    case 'MISSING_AUTHORIZATION':
    case 'INVALID_TOKEN_FORMAT':
      return 'The admin token was refused.';
    case 'EVENT_NOT_FOUND':
      return 'No such event yet. Events are created by the first join, or by saving settings below.';
    default:
      return `${e.message} (${e.code})`;
  }
}

export function Dashboard() {
  const [token, setToken] = useState(readToken);
  const [tokenInput, setTokenInput] = useState(token);
  const [eventId, setEventId] = useState('evt_2025_1001');
  const [eventInput, setEventInput] = useState('evt_2025_1001');
  const [stats, setStats] = useState<EventStats | null>(null);
  const [points, setPoints] = useState<Point[]>([]);
  const [error, setError] = useState<string | null>(null);
  /** Why the token was refused: until another is accepted, only the sign-in is shown. */
  const [refused, setRefused] = useState<string | null>(null);
  const [now, setNow] = useState(Date.now());
  const last = useRef<{ t: number; admitted: number } | null>(null);

  useEffect(() => {
    setPoints([]);
    setStats(null);
    last.current = null;
    if (!token) return;
    let live = true;
    const tick = async () => {
      try {
        const s = await call<EventStats>('GET', `/api/v1/admin/events/${encodeURIComponent(eventId)}/stats`, {
          bearer: token,
        });
        if (!live) return;
        const t = Date.now();
        const prev = last.current;
        const observed = prev && t > prev.t ? Math.max(0, ((s.admitted_total - prev.admitted) * 1000) / (t - prev.t)) : null;
        last.current = { t, admitted: s.admitted_total };
        setStats(s);
        setError(null);
        setNow(t);
        setPoints((ps) =>
          [
            ...ps,
            {
              t,
              waiting: s.waiting,
              rate: s.admission_rate,
              active: s.active,
              connections: s.local_connections,
              accuracy: s.eta_accuracy,
              observed,
            },
          ].slice(-KEEP),
        );
      } catch (e) {
        if (!live) return;
        if (refusedToken(e)) {
          // Signed out: no charts, no controls, nothing polled with a token that is refused.
          setRefused(explain(e));
          setToken('');
          try {
            sessionStorage.removeItem(TOKEN_KEY);
          } catch {
            // this tab only
          }
          return;
        }
        setError(explain(e));
        setNow(Date.now());
        // A gap in every chart rather than a made-up value.
        setPoints((ps) =>
          [...ps, { t: Date.now(), waiting: NaN, rate: NaN, active: NaN, connections: NaN, accuracy: null, observed: null }].slice(
            -KEEP,
          ),
        );
      }
    };
    void tick();
    const timer = setInterval(tick, POLL_MS);
    return () => {
      live = false;
      clearInterval(timer);
    };
  }, [token, eventId]);

  const saveToken = (e: FormEvent) => {
    e.preventDefault();
    try {
      sessionStorage.setItem(TOKEN_KEY, tokenInput);
    } catch {
      // this tab only
    }
    setRefused(null);
    setError(null);
    setToken(tokenInput);
    setEventId(eventInput.trim());
  };

  const series = (f: (p: Point) => number | null): Sample[] =>
    points.map((p) => {
      const v = f(p);
      return { t: p.t, v: v === null || Number.isNaN(v) ? null : v };
    });
  // The charts span the data there is (at least half a minute, at most five minutes), so a fresh dashboard
  // is not a sliver at the right edge.
  const span = Math.min(WINDOW_MS, Math.max(30_000, points[0] ? now - points[0].t : 0));
  const int = (v: number) => fmtNumber(Math.round(v));
  const perSec = (v: number) => `${v < 10 ? v.toFixed(2) : v.toFixed(0)}/s`;

  return (
    <section className="admin" aria-labelledby="admin-title">
      <h1 id="admin-title">Operator dashboard</h1>
      <form className="card row-form" onSubmit={saveToken}>
        <div>
          <label htmlFor="admin-token">Admin token</label>
          <input
            id="admin-token"
            type="password"
            autoComplete="off"
            value={tokenInput}
            onChange={(e) => setTokenInput(e.target.value)}
          />
        </div>
        <div>
          <label htmlFor="admin-event">Event</label>
          <input id="admin-event" value={eventInput} onChange={(e) => setEventInput(e.target.value)} />
        </div>
        <button type="submit">{token ? 'Show' : 'Sign in'}</button>
        {refused && (
          <p className="error" role="alert" data-testid="admin-refused">
            {refused} Enter the operator token to sign in.
          </p>
        )}
      </form>
      {token && error && (
        <p className="error" role="alert" data-testid="admin-error">
          {error}
        </p>
      )}
      {token && (
        <>
          {stats && (
            <p className="muted" data-testid="admin-summary">
              {fmtNumber(stats.joined_total)} joined · {fmtNumber(stats.admitted_total)} admitted ·{' '}
              {fmtNumber(stats.entered_total)} entered · {fmtNumber(stats.left_total)} left ·{' '}
              {fmtNumber(stats.expired_total)} expired · {fmtNumber(stats.lapsed_total)} lapsed
              {stats.config.paused && (
                <>
                  {' '}
                  · <strong>paused</strong>
                </>
              )}
            </p>
          )}
          <div className="charts">
            <Chart title="Waiting" samples={series((p) => p.waiting)} format={int} minMax={5} windowMs={span} now={now} />
            <Chart
              title="Admission rate"
              samples={series((p) => p.rate)}
              format={perSec}
              reference={stats ? { value: stats.config.rate_per_sec, label: `set ${perSec(stats.config.rate_per_sec)}` } : undefined}
              windowMs={span}
              now={now}
            />
            <Chart
              title="Admitted per second (observed)"
              samples={series((p) => p.observed)}
              format={perSec}
              windowMs={span}
              now={now}
            />
            <Chart
              title="Active users"
              samples={series((p) => p.active)}
              format={int}
              minMax={5}
              reference={
                stats?.config.max_active != null ? { value: stats.config.max_active, label: `cap ${stats.config.max_active}` } : undefined
              }
              windowMs={span}
              now={now}
            />
            <Chart
              title="WebSocket connections (this node)"
              samples={series((p) => p.connections)}
              format={int}
              minMax={5}
              windowMs={span}
              now={now}
            />
            <Chart
              title="ETA accuracy"
              samples={series((p) => (p.accuracy === null ? null : p.accuracy * 100))}
              format={(v) => `${v.toFixed(0)}%`}
              minMax={100}
              windowMs={span}
              now={now}
            />
          </div>
          <Controls token={token} eventId={eventId} config={stats?.config ?? null} />
        </>
      )}
    </section>
  );
}

function Controls({ token, eventId, config }: { token: string; eventId: string; config: EventConfig | null }) {
  const [form, setForm] = useState({ rate: '', burst: '', maxActive: '', entryWindow: '' });
  const [dirty, setDirty] = useState(false);
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);

  useEffect(() => {
    if (!config || dirty) return;
    setForm({
      rate: String(config.rate_per_sec),
      burst: String(config.burst),
      maxActive: config.max_active === null ? '' : String(config.max_active),
      entryWindow: String(config.entry_window_secs),
    });
  }, [config, dirty]);

  const put = async (body: Partial<Record<keyof EventConfig, unknown>>, done: string) => {
    setBusy(true);
    setMessage(null);
    try {
      await call('PUT', `/api/v1/admin/events/${encodeURIComponent(eventId)}`, { body, bearer: token });
      setDirty(false);
      setMessage({ ok: true, text: done });
    } catch (e) {
      setMessage({ ok: false, text: explain(e) });
    } finally {
      setBusy(false);
    }
  };

  const edit = (k: keyof typeof form) => (e: { target: { value: string } }) => {
    setDirty(true);
    setForm((f) => ({ ...f, [k]: e.target.value }));
  };

  const save = (e: FormEvent) => {
    e.preventDefault();
    const rate = Number(form.rate);
    const burst = Number(form.burst);
    const entry = Number(form.entryWindow);
    if (!(rate > 0) || !Number.isInteger(burst) || burst < 1 || !Number.isInteger(entry) || entry < 1) {
      setMessage({ ok: false, text: 'Rate must be above 0; burst and entry window whole numbers of at least 1.' });
      return;
    }
    const max = form.maxActive.trim() === '' ? null : Number(form.maxActive);
    if (max !== null && (!Number.isInteger(max) || max < 1)) {
      setMessage({ ok: false, text: 'Max active must be a whole number of at least 1, or empty for no cap.' });
      return;
    }
    void put({ rate_per_sec: rate, burst, max_active: max, entry_window_secs: entry }, 'Settings saved.');
  };

  return (
    <form className="card controls" onSubmit={save} aria-labelledby="controls-title">
      <h2 id="controls-title">Admission settings</h2>
      <div className="row">
        {config?.paused ? (
          <button type="button" onClick={() => put({ paused: false }, 'Admission resumed.')} disabled={busy}>
            Resume admission
          </button>
        ) : (
          <button type="button" className="danger" onClick={() => put({ paused: true }, 'Admission paused.')} disabled={busy}>
            Pause admission
          </button>
        )}
        <span className="muted" data-testid="admin-state">
          {config ? (config.paused ? 'Paused: nobody is admitted; places are kept.' : 'Admitting.') : 'Loading…'}
        </span>
      </div>
      <div className="grid-fields">
        <label>
          Rate (admissions per second)
          <input inputMode="decimal" value={form.rate} onChange={edit('rate')} required />
        </label>
        <label>
          Burst (largest batch)
          <input inputMode="numeric" value={form.burst} onChange={edit('burst')} required />
        </label>
        <label>
          Max active users (empty: no cap)
          <input inputMode="numeric" value={form.maxActive} onChange={edit('maxActive')} />
        </label>
        <label>
          Entry window (seconds)
          <input inputMode="numeric" value={form.entryWindow} onChange={edit('entryWindow')} required />
        </label>
      </div>
      <button type="submit" disabled={busy}>
        Save settings
      </button>
      {message && (
        <p className={message.ok ? 'ok-text' : 'error'} role={message.ok ? 'status' : 'alert'}>
          {message.text}
        </p>
      )}
    </form>
  );
}
