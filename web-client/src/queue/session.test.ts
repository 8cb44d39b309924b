import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { QueueSession } from './session';
import { savePlace, type StoredPlace } from './storage';
import { FakeLocks, FakeSocket, fakeFetch, flush, status, testEnv } from '../test/fakes';

const place: StoredPlace = {
  eventId: 'evt_tabs',
  token: 'aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee',
  initialPosition: 6,
  enterKey: 'ffffffff-eeee-4ddd-8ccc-bbbbbbbbbbbb',
  joinedAt: 0,
};

/** A BroadcastChannel bus in memory: messages reach every other channel of the same name. */
class Bus {
  private members = new Set<FakeChannel>();
  open = (name: string) => new FakeChannel(name, this.members) as unknown as BroadcastChannel;
}
class FakeChannel {
  onmessage: ((ev: MessageEvent) => void) | null = null;
  constructor(
    readonly name: string,
    private readonly members: Set<FakeChannel>,
  ) {
    members.add(this);
  }
  postMessage(data: unknown): void {
    const copy = JSON.parse(JSON.stringify(data)) as unknown; // structured clone, as the real one
    for (const m of this.members) {
      if (m !== this && m.name === this.name) queueMicrotask(() => m.onmessage?.(new MessageEvent('message', { data: copy })));
    }
  }
  close(): void {
    this.members.delete(this);
  }
}

beforeEach(() => {
  vi.useFakeTimers();
  localStorage.clear();
  FakeSocket.reset();
  savePlace(localStorage, place);
});
afterEach(() => vi.useRealTimers());

describe('one socket across tabs', () => {
  it('only the leader tab opens a socket; the others mirror it and send it their actions', async () => {
    const { fetch, calls } = fakeFetch(() => ({ status: 200, body: { status: 'left' } }));
    const locks = new FakeLocks();
    const bus = new Bus();
    const deps = { env: testEnv(fetch), locks, channel: bus.open };
    const tab1 = new QueueSession(place, deps);
    const tab2 = new QueueSession(place, deps);
    tab1.start();
    tab2.start();
    await flush();
    expect(FakeSocket.all).toHaveLength(1);
    expect(tab1.getView().role).toBe('leader');
    expect(tab2.getView().role).toBe('follower');

    FakeSocket.last().open();
    FakeSocket.last().push({ type: 'snapshot', ...status(6) });
    await flush();
    expect(tab2.getView().state?.status?.position).toBe(6);

    tab2.act({ kind: 'leave' });
    await flush();
    expect(calls.map((c) => c.method)).toEqual(['DELETE']);
    expect(tab1.getView().state?.phase).toBe('left');
    expect(tab2.getView().state?.phase).toBe('left');
    tab1.close();
    tab2.close();
  });

  it('a follower takes over with the stored token when the leader tab closes', async () => {
    const { fetch } = fakeFetch(() => ({ status: 404 }));
    const locks = new FakeLocks();
    const bus = new Bus();
    const deps = { env: testEnv(fetch), locks, channel: bus.open };
    const tab1 = new QueueSession(place, deps);
    const tab2 = new QueueSession(place, deps);
    tab1.start();
    tab2.start();
    await flush();
    FakeSocket.last().open();
    FakeSocket.last().push({ type: 'snapshot', ...status(6) });
    await flush();

    tab1.close(); // the leader's page goes away: its socket closes, the place is kept
    await flush();
    expect(tab2.getView().role).toBe('leader');
    expect(FakeSocket.all).toHaveLength(2);
    expect(FakeSocket.last().url).toContain(place.token);
    expect(FakeSocket.all[0]!.closedByClient).toBe(1000);
    tab2.close();
  });

  it('without Web Locks, a tab leads on its own', () => {
    const { fetch } = fakeFetch(() => ({ status: 404 }));
    const tab = new QueueSession(place, { env: testEnv(fetch), locks: null, channel: null });
    tab.start();
    expect(tab.getView().role).toBe('leader');
    expect(FakeSocket.all).toHaveLength(1);
    tab.close();
  });
});
