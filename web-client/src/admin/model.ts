// The dashboard's arithmetic, apart from its pages so it can be tested: a sale's history as
// figures per minute, and the schedule form as the settings body.

import type { ConfigBody, EventConfig, MinuteSample } from '../api/types';

/** One minute of a sale: who was waiting at its end, and how many were admitted, entered and
 * sold during it. */
export interface Minute {
  t: number;
  waiting: number;
  admitted: number;
  entered: number;
  sold: number;
}

/** Figures per minute from the totals the servers record at each minute's end. A minute in
 * which nothing changed is not recorded (an idle sale costs nothing): it is drawn as such, with
 * the same people waiting and nobody admitted. The first minute has no figures per minute: its
 * totals include everything before it. */
export function perMinute(samples: readonly MinuteSample[]): Minute[] {
  const out: Minute[] = [];
  let prev: MinuteSample | undefined;
  for (const s of samples) {
    if (prev) {
      for (let t = prev.minute_ms + 60_000; t < s.minute_ms; t += 60_000) {
        out.push({ t: t + 60_000, waiting: prev.waiting, admitted: 0, entered: 0, sold: 0 });
      }
    }
    const d = (f: (m: MinuteSample) => number) => (prev ? Math.max(0, f(s) - f(prev)) : NaN);
    out.push({
      t: s.minute_ms + 60_000,
      waiting: s.waiting,
      admitted: d((m) => m.admitted),
      entered: d((m) => m.entered),
      sold: d((m) => m.sold),
    });
    prev = s;
  }
  return out;
}

/** The schedule fields as the form holds them: local date-times (`YYYY-MM-DDTHH:MM`), empty
 * when unset. */
export interface ScheduleForm {
  opensAt: string;
  startsAt: string;
  endsAt: string;
  method: 'fifo' | 'random_at_start';
}

const pad = (n: number) => String(n).padStart(2, '0');

/** A `datetime-local` value for an instant, in this browser's time zone. */
export function toLocalInput(ms: number | null | undefined): string {
  if (ms === null || ms === undefined) return '';
  const d = new Date(ms);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

export function scheduleForm(config: EventConfig | null): ScheduleForm {
  const s = config?.schedule;
  return {
    opensAt: toLocalInput(s?.prequeue_opens_at_ms),
    startsAt: toLocalInput(s?.sale_starts_at_ms),
    endsAt: toLocalInput(s?.sale_ends_at_ms),
    method: s?.queueing_method ?? 'fifo',
  };
}

/** The settings body for a schedule form (RFC 3339 in UTC), or why it cannot be sent. Without
 * a start the schedule is removed; the server checks the rest (order of the times, locks). */
export function scheduleBody(f: ScheduleForm): { body: ConfigBody } | { error: string } {
  const at = (v: string): string | null | undefined => {
    if (v.trim() === '') return null;
    const ms = new Date(v).getTime();
    return Number.isFinite(ms) ? new Date(ms).toISOString() : undefined;
  };
  const [opens, starts, ends] = [at(f.opensAt), at(f.startsAt), at(f.endsAt)];
  if (opens === undefined || starts === undefined || ends === undefined) {
    return { error: 'Each time must be a date and time.' };
  }
  if (starts === null) {
    if (opens !== null || ends !== null) return { error: 'A schedule needs a start.' };
    return { body: { sale_starts_at: null } };
  }
  return {
    body: {
      prequeue_opens_at: opens,
      sale_starts_at: starts,
      sale_ends_at: ends,
      queueing_method: f.method,
    },
  };
}
