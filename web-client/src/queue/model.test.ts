import { describe, expect, it } from 'vitest';
import { afterHint, fullJitter, spread } from './backoff';
import { initialState, reduce, start, type QueueState } from './model';
import { status } from '../test/fakes';

const place = { eventId: 'e', token: 't', initialPosition: null, enterKey: 'k' };

function live(): QueueState {
  let s = start(initialState(place)).state;
  s = reduce(s, { type: 'socket_opened', gen: s.socketGen, now: 0 }).state;
  return reduce(s, {
    type: 'socket_message',
    gen: s.socketGen,
    msg: { type: 'snapshot', seq: 1, server_time: 5_000, ...status(3) } as never,
    now: 1_000,
  }).state;
}

describe('the pure model', () => {
  it('starts with no figures at all, only a socket attempt', () => {
    const step = start(initialState(place));
    expect(step.state.status).toBeNull();
    expect(step.effects).toContainEqual({ kind: 'open_socket', gen: 1 });
  });

  it('measures the server clock skew from server_time', () => {
    expect(live().skewMs).toBe(4_000);
  });

  it('ignores events from an older socket', () => {
    const s = live();
    const step = reduce(s, {
      type: 'socket_message',
      gen: s.socketGen - 1,
      msg: { type: 'position', seq: 99, server_time: 0, ...status(1) } as never,
      now: 2_000,
    });
    expect(step.state).toBe(s);
  });

  it('a terminal phase absorbs everything after it', () => {
    const s = reduce(live(), { type: 'socket_message', gen: 1, msg: { type: 'left', seq: 2, server_time: 0 }, now: 2 }).state;
    expect(s.phase).toBe('left');
    for (const e of [
      { type: 'socket_closed', gen: 1, code: 1006, now: 3, rand: 0 },
      { type: 'timer', name: 'reconnect', now: 4, rand: 0 },
      { type: 'resync', now: 5 },
    ] as const) {
      expect(reduce(s, e)).toEqual({ state: s, effects: [] });
    }
  });

  it('ignores message types it does not know', () => {
    const s = live();
    const step = reduce(s, { type: 'socket_message', gen: 1, msg: { type: 'future_thing', seq: 2, server_time: 0 } as never, now: 2 });
    expect(step.effects).toEqual([]);
    expect(step.state.status).toEqual(s.status);
  });
});

describe('retry timing', () => {
  it('full jitter stays within the exponential ceiling and its cap', () => {
    expect(fullJitter(0, 0.999, 500, 30_000)).toBeLessThan(500);
    expect(fullJitter(3, 0.5, 500, 30_000)).toBe(2_000);
    expect(fullJitter(20, 1, 500, 30_000)).toBe(30_000);
    expect(fullJitter(5, 0, 500, 30_000)).toBe(0);
  });
  it('a hint is a floor, spread by up to half of it', () => {
    expect(afterHint(2_000, 0)).toBe(2_000);
    expect(afterHint(2_000, 1)).toBe(3_000);
  });
  it('poll intervals are spread by ±20 %', () => {
    expect(spread(10_000, 0)).toBe(8_000);
    expect(spread(10_000, 1)).toBe(12_000);
  });
});

describe('a scheduled sale', () => {
  const SALE = { sale_starts_at: 60_000, sale_ends_at: 3_600_000 };
  const prequeue = (extra: Record<string, unknown> = {}) =>
    status(0, { phase: 'prequeue', queueing_method: 'random_at_start', prequeue_size: 40, eta_range: null, ...SALE, ...extra });

  /** A socket that opened and delivers `msgs` (each with the next seq), from a place that had `initialPosition`. */
  function feed(msgs: Record<string, unknown>[], initialPosition: number | null = null) {
    let s = start(initialState({ ...place, initialPosition })).state;
    s = reduce(s, { type: 'socket_opened', gen: s.socketGen, now: 0 }).state;
    const effects = [];
    let seq = 0;
    for (const m of msgs) {
      seq++;
      const step = reduce(s, { type: 'socket_message', gen: s.socketGen, msg: { seq, server_time: 1_000 * seq, ...m } as never, now: 1_000 * seq });
      s = step.state;
      effects.push(...step.effects);
    }
    return { state: s, effects };
  }

  it('a random pre-queue has no position yet: no progress baseline, but the entry is remembered for the draw', () => {
    const { state, effects } = feed([{ type: 'snapshot', ...prequeue() }], 25);
    expect(state.phase).toBe('prequeue');
    expect(state.initialPosition).toBeNull(); // the join's position is no baseline for a drawn one
    expect(state.inDraw).toBe(true);
    expect(state.status?.prequeue_size).toBe(40);
    expect(effects).toContainEqual({ kind: 'save_place' });
    expect(effects).toContainEqual({ kind: 'save_draw_entry' });
  });

  it('follows the pre-queue as it grows, then the draw, then the drawn position', () => {
    const { state, effects } = feed([
      { type: 'snapshot', ...prequeue() },
      { type: 'position', ...prequeue({ prequeue_size: 41 }) },
      { type: 'position', ...prequeue({ phase: 'drawing', prequeue_size: 42 }) },
    ]);
    expect(state.phase).toBe('drawing');
    expect(state.status?.prequeue_size).toBe(42);
    expect(effects.filter((e) => e.kind === 'save_draw_entry')).toHaveLength(1);

    const drawn = reduce(state, {
      type: 'socket_message',
      gen: state.socketGen,
      msg: { type: 'position', seq: 4, server_time: 4_000, ...status(17, { queueing_method: 'random_at_start', drawn_rank: 17, ...SALE }) } as never,
      now: 4_000,
    });
    expect(drawn.state.phase).toBe('waiting');
    expect(drawn.state.status?.drawn_rank).toBe(17);
    expect(drawn.state.initialPosition).toBe(17); // progress counts from the first drawn position
    expect(drawn.effects).toContainEqual({ kind: 'save_draw_entry' }); // the rank, for the draw page
    expect(drawn.effects).toContainEqual({ kind: 'save_place' });
  });

  it('a FIFO pre-queue has a real position from the start, and no draw', () => {
    const { state, effects } = feed([{ type: 'snapshot', ...status(9, { phase: 'prequeue', queueing_method: 'fifo', prequeue_size: 30, ...SALE }) }]);
    expect(state.phase).toBe('prequeue');
    expect(state.initialPosition).toBe(9);
    expect(state.inDraw).toBe(false);
    expect(effects).not.toContainEqual({ kind: 'save_draw_entry' });
  });

  it('someone who joined a random sale after the draw is not in it', () => {
    const { state, effects } = feed([{ type: 'snapshot', ...status(300, { queueing_method: 'random_at_start', ...SALE }) }]);
    expect(state).toMatchObject({ phase: 'waiting', inDraw: false, initialPosition: 300 });
    expect(effects).not.toContainEqual({ kind: 'save_draw_entry' });
  });

  it('an unscheduled event behaves as before: no pre-queue, no draw', () => {
    const { state, effects } = feed([{ type: 'snapshot', ...status(5) }]);
    expect(state).toMatchObject({ phase: 'waiting', inDraw: false, initialPosition: 5 });
    expect(effects.map((e) => e.kind)).not.toContain('save_draw_entry');
  });

  it('`sale_ended` ends the place for good; the close 4410 after it changes nothing', () => {
    const { state, effects } = feed([{ type: 'snapshot', ...prequeue() }, { type: 'sale_ended', event_id: 'e' }]);
    expect(state).toMatchObject({ phase: 'sale_ended', mode: 'closed', socketActive: false });
    expect(effects).toContainEqual({ kind: 'forget_place' });
    expect(effects).toContainEqual({ kind: 'close_socket' });
    const after = reduce(state, { type: 'socket_closed', gen: state.socketGen, code: 4410, now: 9_000, rand: 0 });
    expect(after).toEqual({ state, effects: [] });
  });

  it('a close 4410 after the sale’s end (its message lost) is the sale ending, before it an expiry', () => {
    const ended = feed([{ type: 'snapshot', ...status(3, { sale_ends_at: 1_500 }) }]).state;
    // server_time − now = 0 here, so the local clock is the server's.
    expect(reduce(ended, { type: 'socket_closed', gen: ended.socketGen, code: 4410, now: 1_500, rand: 0 }).state.phase).toBe('sale_ended');
    const open = feed([{ type: 'snapshot', ...status(3, { sale_ends_at: 5_000 }) }]).state;
    expect(reduce(open, { type: 'socket_closed', gen: open.socketGen, code: 4410, now: 1_500, rand: 0 }).state.phase).toBe('expired');
  });

  it('a poll or an enter answered 410 SALE_ENDED ends the place', () => {
    // Sockets fail until the model falls back to polling.
    let s = start(initialState(place)).state;
    while (s.mode !== 'polling') {
      s = reduce(s, { type: 'socket_closed', gen: s.socketGen, code: 1006, now: 0, rand: 0 }).state;
      if (s.mode === 'reconnecting') s = reduce(s, { type: 'timer', name: 'reconnect', now: 0, rand: 0 }).state;
    }
    const gone = reduce(s, { type: 'poll_failed', error: { status: 410, code: 'SALE_ENDED', message: 'over' }, now: 10, rand: 0 });
    expect(gone.state.phase).toBe('sale_ended');
    expect(gone.effects).toContainEqual({ kind: 'forget_place' });

    const ready = { ...live(), phase: 'entering' as const };
    expect(reduce(ready, { type: 'enter_failed', error: { status: 410, code: 'SALE_ENDED', message: 'over' }, now: 10, rand: 0 }).state.phase).toBe(
      'sale_ended',
    );
  });
});

describe('what operators say', () => {
  /** A live socket's model after `msgs` (each with the next seq). */
  function after(...msgs: Record<string, unknown>[]) {
    let s = live();
    const effects = [];
    for (const m of msgs) {
      const step = reduce(s, { type: 'socket_message', gen: s.socketGen, msg: { seq: s.lastSeq + 1, server_time: 9_000, ...m } as never, now: 9_000 });
      s = step.state;
      effects.push(...step.effects);
    }
    return { state: s, effects };
  }
  const message = { message: 'Doors open at 18:00. Bring your ID.', at_ms: 8_000 };

  it('shows the current message from any status, and its withdrawal when a status comes without it', () => {
    expect(live().announcement).toBeNull();
    const told = after({ type: 'position', ...status(3, { announcement: message }) }).state;
    expect(told.announcement).toEqual(message);
    const withdrawn = after({ type: 'position', ...status(3, { announcement: message }) }, { type: 'position', ...status(2) }).state;
    expect(withdrawn.announcement).toBeNull();
  });

  it('stops showing a message the moment it is withdrawn', () => {
    const gone = after({ type: 'announcement', ...message }, { type: 'announcement_withdrawn' });
    expect(gone.state.announcement).toBeNull();
    expect(gone.effects).toEqual([]);
  });

  it('shows a broadcast the moment it is pushed, and keeps it as statuses carry it', () => {
    const pushed = after({ type: 'announcement', ...message });
    expect(pushed.state.announcement).toEqual(message);
    expect(pushed.effects).toEqual([]);
    expect(pushed.state.phase).toBe('waiting'); // nothing else changes
    const next = { message: 'Admission restarts in five minutes.', at_ms: 8_500 };
    expect(after({ type: 'announcement', ...message }, { type: 'announcement', ...next }).state.announcement).toEqual(next);
    expect(after({ type: 'announcement', ...message }, { type: 'position', ...status(2, { announcement: message }) }).state.announcement).toEqual(message);
  });

  it('"queue everyone" is its own state, not a pause, and ends when lifted', () => {
    const gathering = after({ type: 'position', ...status(3, { queue_all: true }) }).state;
    expect(gathering).toMatchObject({ queueAll: true, paused: false });
    expect(after({ type: 'position', ...status(3, { queue_all: true }) }, { type: 'position', ...status(3) }).state.queueAll).toBe(false);
  });

  it('a place an operator removed ends for good: no reconnect after the close that follows', () => {
    const { state, effects } = after({ type: 'expired', reason: 'revoked' });
    expect(state).toMatchObject({ phase: 'expired', expiredReason: 'revoked', mode: 'closed', socketActive: false });
    expect(effects).toContainEqual({ kind: 'close_socket' });
    expect(effects).toContainEqual({ kind: 'forget_place' });
    const closed = reduce(state, { type: 'socket_closed', gen: state.socketGen, code: 4410, now: 10_000, rand: 0 });
    expect(closed).toEqual({ state, effects: [] });
  });

  it('a cancelled sale is told apart from one that ended', () => {
    const cancelled = after({ type: 'sale_ended', event_id: 'e', cancelled: true }).state;
    expect(cancelled).toMatchObject({ phase: 'sale_ended', cancelled: true });
    expect(after({ type: 'sale_ended', event_id: 'e' }).state).toMatchObject({ phase: 'sale_ended', cancelled: false });
  });
});
