// The home page: the sales on offer (`GET /api/v1/events`) with what a buyer decides on (name,
// date, venue, prices, seats left, where the queue stands), each linking to its page; and a box
// for an event id given elsewhere (an organiser's link, an announcement).

import { type FormEvent, useState } from 'react';
import type { PublicEvent } from '../api/types';
import { useAuth } from '../auth';
import { SALE_STATE_LABEL, fmtEventDate, priceRange, seatsLeft, stateTone, venueLine } from '../events/sale';
import { useEventList } from '../events/useEvents';
import { fmtNumber } from '../format';
import { navigate } from '../router';
import { AuthForm } from '../ui/AuthForm';
import { Link } from '../ui/Link';

/** The example event of usher's embedded inventory. */
const EXAMPLE_EVENT = 'evt_2025_1001';

export function Home() {
  const auth = useAuth();
  return (
    <section aria-labelledby="home-title">
      <h1 id="home-title">Tickets</h1>
      <SaleList />
      <EventIdForm />
      {!auth && <AuthForm title="Sign in" intro="Buying needs an account. Signing in before you queue saves time later." />}
    </section>
  );
}

function SaleList() {
  const list = useEventList(15_000);
  return (
    <section aria-labelledby="sales-title" aria-busy={list.kind === 'loading' ? true : undefined}>
      <h2 id="sales-title">All sales</h2>
      {list.kind === 'loading' && <p className="muted">Loading the sales…</p>}
      {list.kind === 'unavailable' && (
        <p className="error" role="alert">
          Could not load the sales: {list.message}. If you have an event id, you can still go to its sale below.
        </p>
      )}
      {list.kind === 'found' && list.events.length === 0 && <p className="muted">No sales are listed right now.</p>}
      {list.kind === 'found' && list.events.length > 0 && (
        <ul className="sales" data-testid="sales">
          {list.events.map((e) => (
            <SaleItem key={e.event_id} event={e} />
          ))}
        </ul>
      )}
    </section>
  );
}

function SaleItem({ event }: { event: PublicEvent }) {
  const prices = priceRange(event.sections);
  const left = seatsLeft(event);
  const q = event.queue;
  return (
    <li className="card sale" data-testid="sale" data-event={event.event_id}>
      <div className="sale-head">
        <h3>
          <Link to={`/events/${encodeURIComponent(event.event_id)}`}>{event.name}</Link>
        </h3>
        <span className={`state-pill tone-${stateTone(q.state)}`} data-testid="sale-state">
          {SALE_STATE_LABEL[q.state]}
        </span>
      </div>
      {(event.starts_at || event.venue) && (
        <p className="sale-when">
          {event.starts_at && <span data-testid="sale-date">{fmtEventDate(event.starts_at)}</span>}
          {event.starts_at && event.venue && ' · '}
          {event.venue && <span data-testid="sale-venue">{venueLine(event.venue)}</span>}
        </p>
      )}
      <p className="sale-figures muted small">
        {[
          prices && <span key="p" data-testid="sale-prices">{prices}</span>,
          left && <span key="l" data-testid="sale-left">{left}</span>,
          q.waiting > 0 && <span key="w">{`${fmtNumber(q.waiting)} waiting`}</span>,
        ]
          .filter(Boolean)
          .flatMap((x, i) => (i === 0 ? [x] : [' · ', x]))}
      </p>
    </li>
  );
}

function EventIdForm() {
  const [eventId, setEventId] = useState('');
  const valid = /^[A-Za-z0-9_.:-]{1,128}$/.test(eventId);
  const go = (e: FormEvent) => {
    e.preventDefault();
    if (valid) navigate(`/events/${eventId}`);
  };
  return (
    <form className="card" onSubmit={go} aria-labelledby="event-id-title">
      <h2 id="event-id-title">Have an event id?</h2>
      <label htmlFor="event-id">Event id</label>
      <input
        id="event-id"
        value={eventId}
        onChange={(e) => setEventId(e.target.value.trim())}
        aria-invalid={eventId && !valid ? true : undefined}
        aria-describedby="event-help"
        autoComplete="off"
        spellCheck={false}
      />
      <p id="event-help" className="muted small">
        The id from the organiser’s link, such as <code>{EXAMPLE_EVENT}</code>.
      </p>
      <button type="submit" disabled={!valid}>
        Go to the sale
      </button>
    </form>
  );
}
