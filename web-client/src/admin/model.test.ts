import { describe, expect, it } from 'vitest';
import { perMinute, scheduleBody, scheduleForm, toLocalInput } from './model';

const sample = (minute: number, admitted: number, entered: number, sold: number, waiting: number) => ({
  minute_ms: minute * 60_000,
  joined: admitted + waiting,
  admitted,
  entered,
  sold,
  waiting,
  active: 0,
});

describe('perMinute', () => {
  it('turns totals into figures per minute; a minute not recorded is one in which nothing changed', () => {
    const m = perMinute([sample(10, 0, 0, 0, 50), sample(11, 30, 20, 6, 40), sample(12, 50, 35, 9, 10), sample(15, 90, 60, 20, 0)]);
    expect(m.map((x) => x.t)).toEqual([11, 12, 13, 14, 15, 16].map((n) => n * 60_000));
    expect(m.map((x) => x.waiting)).toEqual([50, 40, 10, 10, 10, 0]);
    expect(m[0]!.admitted).toBeNaN();
    expect([m[1]!.admitted, m[1]!.entered, m[1]!.sold]).toEqual([30, 20, 6]);
    expect([m[2]!.admitted, m[2]!.entered, m[2]!.sold]).toEqual([20, 15, 3]);
    expect([m[3]!.admitted, m[4]!.admitted]).toEqual([0, 0]);
    expect([m[5]!.admitted, m[5]!.entered, m[5]!.sold]).toEqual([40, 25, 11]);
  });
});

describe('schedule form', () => {
  it('round-trips the server times through local date-times, to the minute', () => {
    const starts = Date.UTC(2026, 11, 1, 9, 30);
    const f = scheduleForm({
      rate_per_sec: 1,
      burst: 1,
      max_active: null,
      entry_window_secs: 120,
      paused: false,
      schedule: { sale_starts_at_ms: starts, queueing_method: 'random_at_start' },
    });
    expect(f).toEqual({ opensAt: '', startsAt: toLocalInput(starts), endsAt: '', method: 'random_at_start' });
    expect(scheduleBody(f)).toEqual({
      body: {
        prequeue_opens_at: null,
        sale_starts_at: new Date(starts).toISOString(),
        sale_ends_at: null,
        queueing_method: 'random_at_start',
      },
    });
  });

  it('removes the schedule without a start, and refuses times without one', () => {
    const empty = { opensAt: '', startsAt: '', endsAt: '', method: 'fifo' as const };
    expect(scheduleBody(empty)).toEqual({ body: { sale_starts_at: null } });
    expect(scheduleBody({ ...empty, endsAt: '2026-12-01T10:00' })).toEqual({ error: 'A schedule needs a start.' });
    expect(scheduleBody({ ...empty, startsAt: 'soon' })).toEqual({ error: 'Each time must be a date and time.' });
  });
});
