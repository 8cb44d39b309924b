// The event's figures as they happen, pushed by the server once a second (server-sent events
// on the session cookie), and the whole sale by the minute.

import { useEffect, useRef, useState } from 'react';
import { ApiError, call } from '../api/http';
import { fmtNumber } from '../format';
import { Chart, type Sample } from './Chart';
import { explain, signedOut } from './errors';
import { type Minute, perMinute } from './model';
import type { EventStats, History } from '../api/types';

const WINDOW_MS = 5 * 60_000;
/** Samples kept: five minutes at one a second, and a little more. */
const KEEP = WINDOW_MS / 1000 + 10;
/** After the stream fails for good (the server refused it), open it again after this long. */
const REOPEN_MS = 3_000;

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

export interface Live {
  stats: EventStats | null;
  points: Point[];
  now: number;
  error: string | null;
}

/** The live figures of `eventId`; `onLost` is told when the session is no longer accepted. */
export function useLive(eventId: string, onLost: (e: unknown) => void): Live {
  const [live, setLive] = useState<Live>({ stats: null, points: [], now: Date.now(), error: null });
  const last = useRef<{ t: number; admitted: number } | null>(null);
  useEffect(() => {
    let closed = false;
    let source: EventSource | null = null;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const gap = (error: string) =>
      setLive((l) => ({
        ...l,
        error,
        now: Date.now(),
        // A gap in every chart rather than a made-up value.
        points: [...l.points, { t: Date.now(), waiting: NaN, rate: NaN, active: NaN, connections: NaN, accuracy: null, observed: null }].slice(-KEEP),
      }));
    const open = () => {
      source = new EventSource(`/api/v1/admin/events/${encodeURIComponent(eventId)}/live`);
      source.addEventListener('stats', (m) => {
        const s = JSON.parse((m as MessageEvent<string>).data) as EventStats;
        const t = Date.now();
        const prev = last.current;
        const observed = prev && t > prev.t ? Math.max(0, ((s.admitted_total - prev.admitted) * 1000) / (t - prev.t)) : null;
        last.current = { t, admitted: s.admitted_total };
        setLive((l) => ({
          stats: s,
          now: t,
          error: null,
          points: [
            ...l.points,
            { t, waiting: s.waiting, rate: s.admission_rate, active: s.active, connections: s.local_connections, accuracy: s.eta_accuracy, observed },
          ].slice(-KEEP),
        }));
      });
      source.onerror = () => {
        if (closed || !source) return;
        // The stream says nothing about why: ask the same question over plain HTTP.
        call<EventStats>('GET', `/api/v1/admin/events/${encodeURIComponent(eventId)}/stats`)
          .then(() => gap('The live view was interrupted; reconnecting…'))
          .catch((e) => {
            if (signedOut(e)) {
              closed = true;
              source?.close();
              onLost(e);
            } else {
              gap(e instanceof ApiError && e.code === 'EVENT_NOT_FOUND' ? explain(e) : `The live view was interrupted: ${explain(e)}`);
            }
          });
        if (source.readyState === EventSource.CLOSED) {
          timer = setTimeout(() => !closed && open(), REOPEN_MS);
        }
      };
    };
    open();
    return () => {
      closed = true;
      clearTimeout(timer);
      source?.close();
    };
  }, [eventId, onLost]);
  return live;
}

const int = (v: number) => fmtNumber(Math.round(v));
const perSec = (v: number) => `${v < 10 ? v.toFixed(2) : v.toFixed(0)}/s`;

export function LiveCharts({ live }: { live: Live }) {
  const { points, stats, now } = live;
  const series = (f: (p: Point) => number | null): Sample[] =>
    points.map((p) => {
      const v = f(p);
      return { t: p.t, v: v === null || Number.isNaN(v) ? null : v };
    });
  // The charts span the data there is (at least half a minute, at most five minutes), so a
  // fresh dashboard is not a sliver at the right edge.
  const span = Math.min(WINDOW_MS, Math.max(30_000, points[0] ? now - points[0].t : 0));
  return (
    <>
      <h2>Live</h2>
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
        <Chart title="Admitted per second (observed)" samples={series((p) => p.observed)} format={perSec} windowMs={span} now={now} />
        <Chart
          title="Active users"
          samples={series((p) => p.active)}
          format={int}
          minMax={5}
          reference={stats?.config.max_active != null ? { value: stats.config.max_active, label: `cap ${stats.config.max_active}` } : undefined}
          windowMs={span}
          now={now}
        />
        <Chart title="WebSocket connections (this node)" samples={series((p) => p.connections)} format={int} minMax={5} windowMs={span} now={now} />
        <Chart
          title="ETA accuracy"
          samples={series((p) => (p.accuracy === null ? null : p.accuracy * 100))}
          format={(v) => `${v.toFixed(0)}%`}
          minMax={100}
          windowMs={span}
          now={now}
        />
      </div>
    </>
  );
}

/** The whole sale by the minute, as the servers recorded it. */
export function HistoryCharts({ eventId, onLost }: { eventId: string; onLost: (e: unknown) => void }) {
  const [minutes, setMinutes] = useState<Minute[] | null>(null);
  useEffect(() => {
    let live = true;
    const load = () =>
      call<History>('GET', `/api/v1/admin/events/${encodeURIComponent(eventId)}/history`)
        .then((h) => live && setMinutes(perMinute(h.minutes)))
        .catch((e) => {
          if (!live) return;
          if (signedOut(e)) onLost(e);
          else setMinutes([]);
        });
    void load();
    const t = setInterval(load, 30_000);
    return () => {
      live = false;
      clearInterval(t);
    };
  }, [eventId, onLost]);
  if (minutes === null) return null;
  const now = minutes.length ? minutes[minutes.length - 1]!.t : Date.now();
  const span = Math.max(10 * 60_000, minutes.length ? now - minutes[0]!.t + 60_000 : 0);
  const series = (f: (m: Minute) => number): Sample[] =>
    minutes.map((m) => {
      const v = f(m);
      return { t: m.t, v: Number.isNaN(v) ? null : v };
    });
  return (
    <>
      <h2>Whole sale, by the minute</h2>
      {minutes.length === 0 ? (
        <p className="muted" data-testid="history-empty">
          No minute has been recorded yet: the first appears a minute after the event’s queue opens.
        </p>
      ) : (
        <div className="charts" data-testid="history">
          <Chart title="Waiting (end of minute)" samples={series((m) => m.waiting)} format={int} minMax={5} windowMs={span} now={now} />
          <Chart title="Admitted per minute" samples={series((m) => m.admitted)} format={int} minMax={5} windowMs={span} now={now} />
          <Chart title="Entered per minute" samples={series((m) => m.entered)} format={int} minMax={5} windowMs={span} now={now} />
          <Chart title="Sold per minute" samples={series((m) => m.sold)} format={int} minMax={5} windowMs={span} now={now} />
        </div>
      )}
    </>
  );
}
