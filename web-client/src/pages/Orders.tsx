// "My orders": the signed-in buyer's own reservations (`GET /api/v1/reservations`, newest first)
// with what became of each: held, confirmed with its order number, released, expired, failed.
// Event names come from the public list; an event no longer listed shows its id.

import { useEffect, useState } from 'react';
import { ApiError, call } from '../api/http';
import type { Reservation, ReservationList } from '../api/types';
import { type Auth, signOut, useAuth } from '../auth';
import { useEventList } from '../events/useEvents';
import { fmtMoney } from '../format';
import { AuthForm } from '../ui/AuthForm';
import { Link } from '../ui/Link';

/** The reservation statuses in words, and how each reads at a glance. */
const STATUS: Record<string, { text: string; tone: 'ok' | 'warn' | 'bad' }> = {
  PENDING: { text: 'Held, awaiting payment', tone: 'warn' },
  HOLD: { text: 'Held, awaiting payment', tone: 'warn' },
  CONFIRMED: { text: 'Confirmed', tone: 'ok' },
  CANCELLED: { text: 'Released', tone: 'bad' },
  EXPIRED: { text: 'Hold expired', tone: 'bad' },
  FAILED: { text: 'Payment failed', tone: 'bad' },
  REFUNDED: { text: 'Refunded', tone: 'bad' },
};

export function statusText(status: string): { text: string; tone: 'ok' | 'warn' | 'bad' } {
  return STATUS[status] ?? { text: status.charAt(0) + status.slice(1).toLowerCase(), tone: 'warn' };
}

export function Orders() {
  const auth = useAuth();
  return (
    <section aria-labelledby="orders-title">
      <h1 id="orders-title">My orders</h1>
      {auth ? (
        <OrderList key={auth.token} auth={auth} />
      ) : (
        <AuthForm title="Sign in to see your orders" intro="Your orders are kept with your account." />
      )}
    </section>
  );
}

type Loaded = { kind: 'loading' } | { kind: 'found'; reservations: Reservation[] } | { kind: 'failed'; message: string };

function OrderList({ auth }: { auth: Auth }) {
  const [loaded, setLoaded] = useState<Loaded>({ kind: 'loading' });
  const events = useEventList(60_000);
  const names = new Map(events.kind === 'found' ? events.events.map((e) => [e.event_id, e.name]) : []);
  useEffect(() => {
    let live = true;
    // Read again now and then: a held reservation is paid, released or expires meanwhile.
    const load = () =>
      call<ReservationList>('GET', '/api/v1/reservations', { bearer: auth.token })
        .then((list) => live && setLoaded({ kind: 'found', reservations: list.reservations }))
        .catch((e: unknown) => {
          if (!live) return;
          // A token the server no longer accepts signs out: the sign-in form takes its place.
          if (e instanceof ApiError && e.status === 401) signOut();
          else setLoaded((was) => (was.kind === 'found' ? was : { kind: 'failed', message: explain(e) }));
        });
    void load();
    const t = setInterval(load, 15_000);
    return () => {
      live = false;
      clearInterval(t);
    };
  }, [auth.token]);

  if (loaded.kind === 'loading') {
    return (
      <p className="muted" role="status">
        Loading your orders…
      </p>
    );
  }
  if (loaded.kind === 'failed') {
    return (
      <p className="error" role="alert">
        Could not load your orders: {loaded.message}
      </p>
    );
  }
  if (loaded.reservations.length === 0) {
    return (
      <div className="card" data-testid="no-orders">
        <p>No orders yet. Seats you hold or buy are listed here.</p>
        <p>
          <Link to="/">All sales</Link>
        </p>
      </div>
    );
  }
  return (
    <ul className="orders" aria-label="Your orders" data-testid="orders">
      {loaded.reservations.map((r) => (
        <Order key={r.reservation_id} r={r} eventName={names.get(r.event_id) ?? null} />
      ))}
    </ul>
  );
}

function Order({ r, eventName }: { r: Reservation; eventName: string | null }) {
  const status = statusText(r.status);
  const seats = r.seats.length > 0 ? r.seats.map((s) => s.id) : r.seat_ids;
  const made = r.created_at ? Date.parse(r.created_at) : NaN;
  return (
    <li className="card order" data-testid="order" data-status={r.status} data-reservation={r.reservation_id}>
      <div className="order-head">
        <h2>
          <Link to={`/events/${encodeURIComponent(r.event_id)}`}>{eventName ?? r.event_id}</Link>
        </h2>
        <span className={`state-pill tone-${status.tone}`} data-testid="order-status">
          {status.text}
        </span>
      </div>
      <dl className="facts">
        <div className="fact">
          <dt>Seats</dt>
          <dd>
            {seats.length > 0 ? seats.join(', ') : `${r.quantity} ${r.quantity === 1 ? 'seat' : 'seats'}`}
          </dd>
        </div>
        <div className="fact">
          <dt>Total</dt>
          <dd>{fmtMoney(r.total_amount)}</dd>
        </div>
        <div className="fact">
          <dt>Order number</dt>
          <dd className="order-id" data-testid="order-number">
            {r.order_id ?? (r.status === 'CONFIRMED' ? 'being issued' : '—')}
          </dd>
        </div>
        {Number.isFinite(made) && (
          <div className="fact">
            <dt>Made</dt>
            <dd>{new Date(made).toLocaleString()}</dd>
          </div>
        )}
        <div className="fact">
          <dt>Reservation</dt>
          <dd className="hex-text">
            <code>{r.reservation_id}</code>
          </dd>
        </div>
      </dl>
    </li>
  );
}

function explain(e: unknown): string {
  if (e instanceof ApiError) {
    return e.code === 'NETWORK' ? `the server could not be reached (${e.message}); trying again shortly` : `${e.message} (${e.code})`;
  }
  return String(e);
}
