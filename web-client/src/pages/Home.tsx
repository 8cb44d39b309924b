import { type FormEvent, useState } from 'react';
import { useAuth } from '../auth';
import { navigate } from '../router';
import { AuthForm } from '../ui/AuthForm';

/** The example event of usher's embedded inventory. */
const DEFAULT_EVENT = 'evt_2025_1001';

export function Home() {
  const auth = useAuth();
  const [eventId, setEventId] = useState(DEFAULT_EVENT);
  const valid = /^[A-Za-z0-9_.:-]{1,128}$/.test(eventId);
  const go = (e: FormEvent) => {
    e.preventDefault();
    if (valid) navigate(`/events/${eventId}`);
  };
  return (
    <section aria-labelledby="home-title">
      <h1 id="home-title">Tickets</h1>
      <form className="card" onSubmit={go}>
        <label htmlFor="event-id">Event</label>
        <input
          id="event-id"
          value={eventId}
          onChange={(e) => setEventId(e.target.value.trim())}
          aria-invalid={valid ? undefined : true}
          aria-describedby="event-help"
        />
        <p id="event-help" className="muted small">
          The sale’s event id. <code>{DEFAULT_EVENT}</code> is usher’s example event.
        </p>
        <button type="submit" disabled={!valid}>
          Go to the sale
        </button>
      </form>
      {!auth && <AuthForm title="Sign in" intro="Buying needs an account. Signing in before you queue saves time later." />}
    </section>
  );
}
