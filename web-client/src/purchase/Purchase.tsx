// After enter: choose seats (filled in with the choice made while waiting), hold them, pay
// through the payment simulator, and see the real order id (pushed over the queue socket, or
// fetched). The time to hold is the entry window (`entry_deadline`); the short-lived entry pass
// is renewed by the hold itself when it has run out (pass.ts). Every deadline shown is the
// server's (`entry_deadline`, `hold_expires_at`), and every outcome is the server's answer.

import { type FormEvent, useEffect, useState } from 'react';
import { ApiError, call, newKey } from '../api/http';
import type { Availability, PaymentIntent, Reservation } from '../api/types';
import type { Auth } from '../auth';
import { fmtClock, fmtCountdown, fmtMoney, fmtNumber } from '../format';
import { AnnouncementBanner } from '../pages/Announcement';
import type { Grant, QueueState } from '../queue/model';
import { saveGrant, spendGrant } from '../queue/storage';
import { AuthForm } from '../ui/AuthForm';
import { Link } from '../ui/Link';
import { DEFAULT_CHOICE, choiceProblem, selectionOf } from './choice';
import { WARN_UNDER_MS, entryLeft, holdSeats } from './pass';
import { SeatPicker } from './SeatPicker';
import { SectionList } from './Sections';
import { type Choice, type Purchase, loadPurchase, purchaseKey, savePurchase } from './store';

const SCENARIOS = [
  { id: 'approve', label: 'Approve', hint: 'the card is charged' },
  { id: 'fail', label: 'Decline', hint: 'the bank declines the card' },
  { id: 'delay', label: 'Slow approval', hint: 'approved after a long delay' },
  { id: 'random', label: 'Random', hint: 'approved or declined by chance' },
  { id: 'timeout', label: 'No answer', hint: 'never settles; the hold runs out' },
] as const;

export interface PurchaseProps {
  state: QueueState;
  /** The pass from entering (this page's, or the stored one); null when none is known here. */
  grant: Grant | null;
  auth: Auth | null;
  now: number;
  onStartOver: () => void;
}

export function PurchaseFlow({ state, grant, auth, now, onStartOver }: PurchaseProps) {
  const key = purchaseKey(state.eventId, state.token);
  const [p, setP] = useState<Purchase>(() => loadPurchase(key));
  const update = (next: Purchase) => {
    setP(next);
    savePurchase(key, next);
  };
  const serverNow = now + state.skewMs;
  // A pass a hold renewed is newer than the one entering gave.
  const [renewed, setRenewed] = useState<Grant | null>(null);
  const pass = renewed && (!grant || renewed.expiresAt > grant.expiresAt) ? renewed : grant;
  const onRenewed = (g: Grant) => {
    saveGrant(localStorage, g);
    setRenewed(g);
  };
  const left = entryLeft(state.status, now, state.skewMs);
  const deadline = typeof state.status?.entry_deadline === 'number' ? state.status.entry_deadline - state.skewMs : null;

  // Outcomes pushed over the queue socket for this reservation.
  const pushed = state.reservation;
  useEffect(() => {
    const r = p.reservation;
    if (!r || !pushed || pushed.reservation_id !== r.reservation_id || p.outcome) return;
    if (pushed.status === 'CONFIRMED' && pushed.order_id) {
      update({ ...p, outcome: { kind: 'confirmed', orderId: pushed.order_id, via: 'push' } });
    } else if (pushed.status === 'FAILED') {
      update({ ...p, outcome: { kind: 'failed', reason: pushed.reason ?? 'PAYMENT_FAILED' } });
    } else if (pushed.status === 'NOT_CONFIRMED') {
      update({ ...p, outcome: { kind: 'not_confirmed', reason: pushed.reason ?? 'NOT_CONFIRMED' } });
    }
  }, [pushed, p.reservation?.reservation_id, p.outcome]);

  const banner = state.announcement && <AnnouncementBanner announcement={state.announcement} skewMs={state.skewMs} />;
  if (!auth) {
    return (
      <section aria-labelledby="buy-title">
        <h1 id="buy-title">Your tickets</h1>
        {banner}
        {left !== null && deadline !== null && left > 0 && <EntryClock left={left} deadline={deadline} />}
        <AuthForm title="Sign in to buy" intro="Holding seats needs an account." />
      </section>
    );
  }

  return (
    <section className="purchase" aria-labelledby="buy-title">
      <h1 id="buy-title">Your tickets</h1>
      {banner}
      {p.outcome ? (
        <Outcome p={p} auth={auth} onStartOver={onStartOver} />
      ) : p.reservation ? (
        <Held p={p} auth={auth} serverNow={serverNow} update={update} />
      ) : (
        <Seats
          state={state}
          pass={pass}
          left={left}
          deadline={deadline}
          auth={auth}
          p={p}
          update={update}
          onRenewed={onRenewed}
          onStartOver={onStartOver}
        />
      )}
    </section>
  );
}

/**
 * The time left to hold seats: the entry window's, to `deadline` (local ms). A warning that
 * interrupts (role="alert") comes once, when less than 30 seconds are left; the clock itself
 * ticks silently.
 */
function EntryClock({ left, deadline }: { left: number; deadline: number }) {
  const short = left < WARN_UNDER_MS;
  return (
    <>
      <p className={short ? 'banner bad' : 'banner warn'} role="timer" aria-live="off" data-testid="entry-clock">
        Hold your seats within <strong>{fmtCountdown(left)}</strong> (before {fmtClock(deadline)}), or your turn passes to
        the next person.
      </p>
      {short && (
        <p className="banner bad" role="alert" data-testid="entry-warning">
          Less than 30 seconds left: hold your seats now.
        </p>
      )}
    </>
  );
}

export function explain(e: unknown): string {
  if (!(e instanceof ApiError)) return String(e);
  switch (e.code) {
    case 'INSUFFICIENT_INVENTORY':
      return 'Not enough seats are left for that request.';
    case 'INVENTORY_CONFLICT':
      // The server names each seat and why (held by another buyer, or sold).
      return `${e.message.charAt(0).toUpperCase()}${e.message.slice(1)}. Choose other seats.`;
    case 'INVALID_RESERVATION_TOKEN':
    case 'RESERVATION_TOKEN_REQUIRED':
      return 'Your entry pass is no longer valid (it expired or is for another event).';
    case 'RESERVATION_TOKEN_USED':
      return 'Your entry pass was already used for a reservation.';
    // Renewing the pass after the entry window closed.
    case 'ALREADY_ENTERED':
    case 'TOKEN_EXPIRED':
      return 'Your time to hold seats has run out, so the turn passed to the next person. To buy, join the queue again.';
    case 'TOKEN_NOT_FOUND':
      return 'This place in the queue is no longer known, so it cannot hold seats. To buy, join the queue again.';
    case 'AMOUNT_MISMATCH':
      return `The amount did not match the reservation: ${e.message}`;
    case 'RESERVATION_EXPIRED':
      return 'The hold expired.';
    case 'NETWORK':
      return `Could not reach the server: ${e.message}. Try again; the same request will not be made twice.`;
    default:
      return `${e.message} (${e.code})`;
  }
}

function Seats({
  state,
  pass,
  left,
  deadline,
  auth,
  p,
  update,
  onRenewed,
  onStartOver,
}: {
  state: QueueState;
  pass: Grant | null;
  /** Time left in the entry window; null when the status gave no deadline. */
  left: number | null;
  deadline: number | null;
  auth: Auth;
  p: Purchase;
  update: (p: Purchase) => void;
  onRenewed: (g: Grant) => void;
  onStartOver: () => void;
}) {
  const [avail, setAvail] = useState<Availability | null>(null);
  const [availError, setAvailError] = useState<string | null>(null);
  // Filled in with the choice made while waiting (or earlier on this page, before a reload).
  const [prefilled] = useState(() => p.choice !== undefined);
  const choice: Choice = p.choice ?? DEFAULT_CHOICE;
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  // A refusal is about the selection it answered: another selection clears it.
  useEffect(() => setError(null), [choice.mode, choice.quantity, choice.seatText]);

  useEffect(() => {
    let live = true;
    const load = () =>
      call<Availability>('GET', `/api/v1/events/${encodeURIComponent(state.eventId)}/availability`)
        .then((a) => {
          if (live) {
            setAvail(a);
            setAvailError(null);
          }
        })
        .catch((e) => live && setAvailError(explain(e)));
    void load();
    const t = setInterval(load, 5000);
    return () => {
      live = false;
      clearInterval(t);
    };
  }, [state.eventId]);

  if (left !== null && left <= 0) {
    return (
      <div className="card banner bad" data-testid="turn-over">
        <h2>Your time to hold seats has run out</h2>
        <p>
          Seats had to be held before {deadline !== null ? fmtClock(deadline) : 'the end of your turn'}, and that time has
          passed, so the turn went to the next person. To buy, join the queue again.
        </p>
        <button type="button" onClick={onStartOver}>
          Join the queue again
        </button>
      </div>
    );
  }

  const problem = choiceProblem(choice);
  const soldOut = avail !== null && avail.remaining === 0;

  const hold = async (e: FormEvent) => {
    e.preventDefault();
    if (problem) return;
    setBusy(true);
    setError(null);
    let current = p;
    try {
      const r = await holdSeats({
        eventId: state.eventId,
        waitingToken: state.token,
        grant: pass,
        selection: selectionOf(choice),
        bearer: auth.token,
        // One key per hold request: the same request retried reuses it; another selection (or
        // a renewed pass) is another request, with a new key.
        keyFor: (fingerprint) => {
          const key = current.hold?.fingerprint === fingerprint ? current.hold.key : newKey();
          current = { ...current, hold: { fingerprint, key } };
          update(current);
          return key;
        },
        onRenewed,
        now: () => Date.now(),
      });
      spendGrant(localStorage, state.eventId);
      update({ ...current, reservation: r });
    } catch (err) {
      setError(explain(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      {left !== null && deadline !== null && <EntryClock left={left} deadline={deadline} />}
      <div className="card">
        <h2>Seats left</h2>
        {availError && <p className="error">Could not load availability: {availError}</p>}
        {!avail && !availError && <p className="muted">Loading availability…</p>}
        {avail && (
          <>
            <p data-testid="remaining">
              {soldOut ? <strong>Sold out.</strong> : <>{fmtNumber(avail.remaining)} seats left.</>}
            </p>
            <SectionList sections={avail.sections} />
          </>
        )}
      </div>

      <form className="card" onSubmit={hold}>
        <h2>Choose your seats</h2>
        {prefilled && (
          <p className="muted small" data-testid="prefilled">
            Filled in with the seats you chose earlier. Check them, then hold.
          </p>
        )}
        <SeatPicker choice={choice} onChange={(c) => update({ ...p, choice: c })} />
        <button type="submit" disabled={busy || soldOut}>
          {busy ? 'Holding…' : 'Hold these seats'}
        </button>
        {error && (
          <p className="error" role="alert" data-testid="hold-error">
            {error}
          </p>
        )}
      </form>
    </>
  );
}

function Held({
  p,
  auth,
  serverNow,
  update,
}: {
  p: Purchase;
  auth: Auth;
  serverNow: number;
  update: (p: Purchase) => void;
}) {
  const r = p.reservation!;
  const [scenario, setScenario] = useState<string>(p.scenario ?? 'approve');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const expiresAt = r.hold_expires_at ? Date.parse(r.hold_expires_at) : NaN;
  const left = Number.isFinite(expiresAt) ? expiresAt - serverNow : null;
  const paying = p.intent !== undefined;

  // While paying (and when the clock runs out), ask the server: the push may not come if the
  // socket is down, and an expired hold must be the server's word, not the local clock's.
  const shouldCheck = paying || (left !== null && left <= 0);
  useEffect(() => {
    if (!shouldCheck) return;
    let live = true;
    const check = async () => {
      try {
        const fresh = await call<Reservation>('GET', `/api/v1/reservations/${encodeURIComponent(r.reservation_id)}`, {
          bearer: auth.token,
        });
        if (!live) return;
        if (fresh.status === 'CONFIRMED' && fresh.order_id) {
          update({ ...p, outcome: { kind: 'confirmed', orderId: fresh.order_id, via: 'fetch' } });
        } else if (fresh.status === 'FAILED') {
          update({ ...p, outcome: { kind: 'failed', reason: 'PAYMENT_FAILED' } });
        } else if (fresh.status === 'EXPIRED') {
          update({ ...p, outcome: { kind: 'expired' } });
        } else if (fresh.status === 'CANCELLED') {
          update({ ...p, outcome: { kind: 'cancelled' } });
        }
      } catch {
        // Try again on the next tick.
      }
    };
    const t = setInterval(check, 3000);
    void check();
    return () => {
      live = false;
      clearInterval(t);
    };
  }, [shouldCheck, r.reservation_id, auth.token]);

  const pay = async (e: FormEvent) => {
    e.preventDefault();
    if (!r.total_amount) return;
    const body = {
      reservation_id: r.reservation_id,
      amount: r.total_amount.amount,
      currency: r.total_amount.currency,
      scenario,
    };
    const fingerprint = JSON.stringify(body);
    const payKey = p.pay?.fingerprint === fingerprint ? p.pay.key : newKey();
    const withKey: Purchase = { ...p, pay: { fingerprint, key: payKey }, scenario };
    update(withKey);
    setBusy(true);
    setError(null);
    try {
      const intent = await call<PaymentIntent>('POST', '/api/v1/payments/intent', {
        body,
        bearer: auth.token,
        idempotencyKey: payKey,
      });
      update({ ...withKey, intent: intent.payment_intent_id });
    } catch (err) {
      setError(explain(err));
    } finally {
      setBusy(false);
    }
  };

  const release = async () => {
    setBusy(true);
    try {
      await call('POST', `/api/v1/reservations/${encodeURIComponent(r.reservation_id)}/cancel`, {
        body: {},
        bearer: auth.token,
        idempotencyKey: newKey(),
      });
      update({ ...p, outcome: { kind: 'cancelled' } });
    } catch (err) {
      setError(explain(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <div className="card" data-testid="held">
        <h2>Seats held for you</h2>
        <ul className="seats" aria-label="Held seats">
          {(r.seats ?? []).map((s) => (
            <li key={s.id}>
              <code>{s.id}</code> {s.price && <span className="muted">{fmtMoney(s.price)}</span>}
            </li>
          ))}
        </ul>
        <p>
          Total: <strong data-testid="total">{fmtMoney(r.total_amount)}</strong>
        </p>
        {left !== null && (
          <p className={left < 15_000 ? 'banner bad' : 'banner warn'} role="timer" aria-live="off" data-testid="hold-clock">
            {left > 0 ? (
              <>
                Held for <strong>{fmtCountdown(left)}</strong> more. Pay before then or the seats are released.
              </>
            ) : (
              <>The hold time is up. Checking with the server…</>
            )}
          </p>
        )}
      </div>
      {paying ? (
        <div className="card" role="status" data-testid="paying">
          <h2>Payment in progress</h2>
          <p>
            Payment <code>{p.intent}</code> ({SCENARIOS.find((s) => s.id === p.scenario)?.label ?? p.scenario}) is being
            processed. The order number appears here as soon as the payment service confirms it.
          </p>
        </div>
      ) : (
        <form className="card" onSubmit={pay}>
          <h2>Pay</h2>
          <fieldset>
            <legend>Payment simulator: choose what the bank does</legend>
            {SCENARIOS.map((s) => (
              <label key={s.id} className="radio-row">
                <input
                  type="radio"
                  name="scenario"
                  value={s.id}
                  checked={scenario === s.id}
                  onChange={() => setScenario(s.id)}
                />
                <span className="radio-text">
                  {s.label} <span className="muted">— {s.hint}</span>
                </span>
              </label>
            ))}
          </fieldset>
          <div className="row">
            <button type="submit" disabled={busy || !r.total_amount || (left !== null && left <= 0)}>
              {busy ? 'Paying…' : `Pay ${fmtMoney(r.total_amount)}`}
            </button>
            <button type="button" className="secondary" onClick={release} disabled={busy}>
              Release seats
            </button>
          </div>
          {error && (
            <p className="error" role="alert">
              {error}
            </p>
          )}
        </form>
      )}
    </>
  );
}

function Outcome({ p, auth, onStartOver }: { p: Purchase; auth: Auth; onStartOver: () => void }) {
  const o = p.outcome!;
  const r = p.reservation;
  if (o.kind === 'confirmed') {
    return (
      <div className="card ok" role="status" data-testid="confirmed">
        <h2>Order confirmed</h2>
        <dl className="facts">
          <div className="fact">
            <dt>Order number</dt>
            <dd>
              <strong className="order-id" data-testid="order-id">
                {o.orderId}
              </strong>
            </dd>
          </div>
          {r && (
            <>
              <div className="fact">
                <dt>Seats</dt>
                <dd data-testid="confirmed-seats">{(r.seats ?? []).map((s) => s.id).join(', ') || r.seat_ids.join(', ')}</dd>
              </div>
              <div className="fact">
                <dt>Paid</dt>
                <dd>
                  <strong data-testid="confirmed-total">{fmtMoney(r.total_amount)}</strong>
                </dd>
              </div>
              <div className="fact">
                <dt>Reservation</dt>
                <dd>
                  <code>{r.reservation_id}</code>
                </dd>
              </div>
            </>
          )}
        </dl>
        <p className="muted small">
          {o.via === 'push' ? 'Confirmed live by the server.' : 'Confirmed by the server.'} Signed in as {auth.username}.
        </p>
        <p className="row way-back" data-testid="way-back">
          <Link to="/orders">My orders</Link>
          <Link to="/">All sales</Link>
        </p>
      </div>
    );
  }
  const text: Record<string, { title: string; body: string }> = {
    failed: {
      title: 'Payment declined',
      body: 'The payment failed, so the order was not placed and your seats were released. Nothing was charged.',
    },
    not_confirmed: {
      title: 'Payment arrived too late',
      body: `The hold had already ended when the payment completed, so the order was not placed and the payment is refunded (${o.kind === 'not_confirmed' ? o.reason : ''}).`,
    },
    expired: {
      title: 'Your hold expired',
      body: 'The seats were held for a limited time and that time ran out before payment completed. They have been released.',
    },
    cancelled: { title: 'Seats released', body: 'You released the held seats.' },
  };
  const t = text[o.kind]!;
  return (
    <div className="card banner bad" role="status" data-testid={`outcome-${o.kind}`}>
      <h2>{t.title}</h2>
      <p>{t.body}</p>
      <p>Your entry pass was used by this reservation. To try again, join the queue again.</p>
      <button type="button" onClick={onStartOver}>
        Join the queue again
      </button>
    </div>
  );
}
