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
