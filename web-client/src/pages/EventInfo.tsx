// An event as buyers see it before joining: what, when and where, where its queue stands and
// how many are waiting; and the pages for a sale there is nothing to join in (no such sale, sold
// out, ended, cancelled). Everything shown is the server's (`GET /api/v1/events/{id}`).

import type { PublicEvent } from '../api/types';
import { fmtDateTime, fmtNumber } from '../format';
import { type ClosedState, fmtEventDate, venueFull } from '../events/sale';
import { Link } from '../ui/Link';

/** The date, the venue and the description, as far as the inventory gives them. */
export function EventFacts({ event }: { event: PublicEvent }) {
  const left =
    typeof event.remaining !== 'number'
      ? null
      : typeof event.total === 'number'
        ? `${fmtNumber(event.remaining)} of ${fmtNumber(event.total)}`
        : fmtNumber(event.remaining);
  if (!event.starts_at && !event.venue && !event.description && !left) return null;
  return (
    <div className="card" data-testid="event-facts">
      <dl className="facts">
        {event.starts_at && (
          <div className="fact">
            <dt>When</dt>
            <dd data-testid="event-date">{fmtEventDate(event.starts_at)}</dd>
          </div>
        )}
        {event.venue && (
          <div className="fact">
            <dt>Where</dt>
            <dd data-testid="event-venue">{venueFull(event.venue)}</dd>
          </div>
        )}
        {left && (
          <div className="fact">
            <dt>Seats left</dt>
            <dd data-testid="event-seats">{left}</dd>
          </div>
        )}
      </dl>
      {event.description && <p className="event-description">{event.description}</p>}
    </div>
  );
}

/** Where the queue stands before joining, in a sentence, and how many are waiting. */
export function queueSentence(event: PublicEvent): string {
  const q = event.queue;
  switch (q.state) {
    case 'not_open':
      return typeof q.opens_at === 'number' ? `The queue opens at ${fmtDateTime(q.opens_at)}.` : 'The queue is not open yet.';
    case 'prequeue':
      return typeof q.sale_starts_at === 'number'
        ? `The pre-queue is open; the sale starts at ${fmtDateTime(q.sale_starts_at)}.`
        : 'The pre-queue is open.';
    case 'open':
      return 'On sale now.';
    case 'paused':
      return 'Admission is paused for the moment. You can join now; your place is kept until it restarts.';
    case 'gathering':
      return 'Everyone is being queued; admission starts soon.';
    case 'sold_out':
      return 'Sold out.';
    case 'ended':
      return 'This sale has ended.';
    case 'cancelled':
      return 'This sale was cancelled.';
  }
}

export function QueueFacts({ event }: { event: PublicEvent }) {
  const n = event.queue.waiting;
  return (
    <p className="queue-facts" data-testid="sale-state" data-state={event.queue.state}>
      {queueSentence(event)}{' '}
      <span data-testid="waiting-count">
        {n === 0 ? 'Nobody is waiting.' : `${fmtNumber(n)} ${n === 1 ? 'person is' : 'people are'} waiting.`}
      </span>
    </p>
  );
}

/** A sale with nothing to join: said plainly, with no join button. */
export function SaleClosed({ state }: { state: ClosedState }) {
  const text = {
    sold_out: {
      title: 'Sold out',
      body: 'Every seat is sold or held, so there is no queue to join.',
    },
    ended: {
      title: 'This sale has ended',
      body: 'Tickets for this event are no longer sold here, so there is no queue to join.',
    },
    cancelled: {
      title: 'This sale was cancelled',
      body: 'The organiser called this sale off. No tickets are sold here, so there is no queue to join.',
    },
  }[state];
  return (
    <div className="card banner bad" data-testid="sale-closed" data-state={state}>
      <h2>{text.title}</h2>
      <p>{text.body}</p>
      <p>
        <Link to="/">All sales</Link>
      </p>
    </div>
  );
}

/** An event id the server does not know: mistyped, or from an old link. */
export function NoSuchSale({ eventId }: { eventId: string }) {
  return (
    <section aria-labelledby="no-sale-title">
      <h1 id="no-sale-title" data-testid="no-such-sale">
        No such sale
      </h1>
      <div className="card">
        <p>
          There is no sale with the id <code>{eventId}</code>. Check the link or the id you typed, or choose the sale from
          the list.
        </p>
        <p>
          <Link to="/">All sales</Link>
        </p>
      </div>
    </section>
  );
}
