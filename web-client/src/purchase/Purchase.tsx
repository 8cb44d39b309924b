// After enter: choose seats, hold them with the reservation token, pay through the payment
// simulator, and see the real order id (pushed over the queue socket, or fetched). Every
// deadline shown is the server's (`hold_expires_at`, the grant's `ttl_sec`), and every outcome
// is the server's answer.

import { type FormEvent, useEffect, useState } from 'react';
import { ApiError, call, newKey } from '../api/http';
import type { Availability, PaymentIntent, Reservation } from '../api/types';
import type { Auth } from '../auth';
import { fmtCountdown, fmtMoney, fmtNumber } from '../format';
import type { Grant, QueueState } from '../queue/model';
import { spendGrant } from '../queue/storage';
import { AuthForm } from '../ui/AuthForm';
import { type Purchase, type Selection, loadPurchase, savePurchase } from './store';

const SCENARIOS = [
  { id: 'approve', label: 'Approve', hint: 'the card is charged' },
  { id: 'fail', label: 'Decline', hint: 'the bank declines the card' },
  { id: 'delay', label: 'Slow approval', hint: 'approved after a long delay' },
  { id: 'random', label: 'Random', hint: 'approved or declined by chance' },
  { id: 'timeout', label: 'No answer', hint: 'never settles; the hold runs out' },
] as const;

const MAX_SEATS = 10;
const SEAT_ID = /^[A-Za-z0-9_]+-\d+-\d+$/;

export interface PurchaseProps {
  state: QueueState;
  grant: Grant | null;
  auth: Auth | null;
  now: number;
  onStartOver: () => void;
}

export function PurchaseFlow({ state, grant, auth, now, onStartOver }: PurchaseProps) {
  const key = `${state.eventId}:${state.token}`;
  const [p, setP] = useState<Purchase>(() => loadPurchase(key));
  const update = (next: Purchase) => {
    setP(next);
    savePurchase(key, next);
  };
  const serverNow = now + state.skewMs;

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

  if (!auth) {
    return (
      <section aria-labelledby="buy-title">
        <h1 id="buy-title">Your tickets</h1>
        {grant && <GrantClock grant={grant} now={now} />}
        <AuthForm title="Sign in to buy" intro="Holding seats needs an account." />
      </section>
    );
  }

  return (
    <section className="purchase" aria-labelledby="buy-title">
      <h1 id="buy-title">Your tickets</h1>
      {p.outcome ? (
        <Outcome p={p} auth={auth} onStartOver={onStartOver} />
      ) : p.reservation ? (
        <Held p={p} auth={auth} serverNow={serverNow} update={update} />
      ) : (
        <Seats state={state} grant={grant} auth={auth} now={now} p={p} update={update} onStartOver={onStartOver} />
      )}
    </section>
  );
}

/** The time left on the entry pass: never more than its lifetime, even while the page's clock,
 * which ticks once a second, still reads an instant before the pass was granted. */
export function passLeft(grant: Grant, now: number): number {
  return Math.min(grant.expiresAt - now, grant.ttlMs);
}

function GrantClock({ grant, now }: { grant: Grant; now: number }) {
  const left = passLeft(grant, now);
  return (
    <p className={left < 10_000 ? 'banner bad' : 'banner warn'} role="timer" aria-live="off" data-testid="grant-clock">
      Hold your seats within <strong>{fmtCountdown(left)}</strong>: your entry pass expires then.
    </p>
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
  grant,
  auth,
  now,
  p,
  update,
  onStartOver,
}: {
  state: QueueState;
  grant: Grant | null;
  auth: Auth;
  now: number;
  p: Purchase;
  update: (p: Purchase) => void;
  onStartOver: () => void;
}) {
  const [avail, setAvail] = useState<Availability | null>(null);
  const [availError, setAvailError] = useState<string | null>(null);
  const [mode, setMode] = useState<'best' | 'seats'>('best');
  const [quantity, setQuantity] = useState(2);
  const [seatText, setSeatText] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  // A refusal is about the selection it answered: another selection clears it.
  useEffect(() => setError(null), [mode, quantity, seatText]);

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

  const left = grant ? passLeft(grant, now) : 0;
  if (!grant || left <= 0) {
    return (
      <div className="card banner bad" data-testid="pass-expired">
        <h2>Your entry pass has run out</h2>
        <p>
          Seats must be held within {grant ? 'the time given when you entered' : 'a short time after entering'}, and
          that time has passed{grant ? '' : ' (or this page was opened without it)'}. To buy, join the queue again.
        </p>
        <button type="button" onClick={onStartOver}>
          Join the queue again
        </button>
      </div>
    );
  }

  const seatIds = seatText
    .split(/[\s,]+/)
    .map((s) => s.trim().toUpperCase())
    .filter(Boolean);
  const badSeat = seatIds.find((s) => !SEAT_ID.test(s));
  const selection: Selection = mode === 'best' ? { quantity } : { seat_ids: seatIds };
  const soldOut = avail !== null && avail.remaining === 0;

  const hold = async (e: FormEvent) => {
    e.preventDefault();
    if (mode === 'seats' && (seatIds.length === 0 || badSeat || seatIds.length > MAX_SEATS)) return;
    const body = { event_id: state.eventId, ...selection, reservation_token: grant.reservationToken };
    // One key per hold request: the same selection retried reuses it; a new selection gets a new one.
    const fingerprint = JSON.stringify(body);
    const holdKey = p.hold?.fingerprint === fingerprint ? p.hold.key : newKey();
    const withKey = { ...p, hold: { fingerprint, key: holdKey } };
    update(withKey);
    setBusy(true);
    setError(null);
    try {
      const r = await call<Reservation>('POST', '/api/v1/reservations', {
        body,
        bearer: auth.token,
        idempotencyKey: holdKey,
      });
      spendGrant(localStorage, state.eventId);
      update({ ...withKey, reservation: r });
    } catch (err) {
      setError(explain(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <GrantClock grant={grant} now={now} />
      <div className="card">
        <h2>Seats left</h2>
        {availError && <p className="error">Could not load availability: {availError}</p>}
        {!avail && !availError && <p className="muted">Loading availability…</p>}
        {avail && (
          <>
            <p data-testid="remaining">
              {soldOut ? <strong>Sold out.</strong> : <>{fmtNumber(avail.remaining)} seats left.</>}
            </p>
            <ul className="sections" aria-label="Sections">
              {avail.sections.map((s) => {
                const fill = s.total ? 1 - s.remain / s.total : null;
                return (
                  <li key={s.id} className={s.remain === 0 ? 'gone' : ''}>
                    <span className="sec-id">{s.id}</span>
                    <span className="sec-remain">{s.remain === 0 ? 'sold out' : `${fmtNumber(s.remain)} left`}</span>
                    {s.price && <span className="sec-price">{fmtMoney(s.price)}</span>}
                    {fill !== null && (
                      <span className="sec-bar" aria-hidden="true">
                        <span style={{ width: `${Math.round(fill * 100)}%` }} />
                      </span>
                    )}
                  </li>
                );
              })}
            </ul>
          </>
        )}
      </div>

      <form className="card" onSubmit={hold}>
        <h2>Choose your seats</h2>
        <fieldset className="segmented">
          <legend>How to pick</legend>
          <label>
            <input type="radio" name="pick" checked={mode === 'best'} onChange={() => setMode('best')} /> Best available
          </label>
          <label>
            <input type="radio" name="pick" checked={mode === 'seats'} onChange={() => setMode('seats')} /> Specific seats
          </label>
        </fieldset>
        {mode === 'best' ? (
          <>
            <label htmlFor="qty">Number of tickets</label>
            <select id="qty" value={quantity} onChange={(e) => setQuantity(Number(e.target.value))}>
              {Array.from({ length: MAX_SEATS }, (_, i) => i + 1).map((n) => (
                <option key={n} value={n}>
                  {n}
                </option>
              ))}
            </select>
            <p className="muted small">The best seats still free are picked for you, front sections first.</p>
          </>
        ) : (
          <>
            <label htmlFor="seat-ids">Seat ids, like VIP-3-12 (section-row-seat), separated by commas</label>
            <input
              id="seat-ids"
              value={seatText}
              onChange={(e) => setSeatText(e.target.value)}
              aria-invalid={badSeat ? true : undefined}
              aria-describedby="seat-ids-help"
            />
            <p id="seat-ids-help" className={badSeat ? 'error small' : 'muted small'}>
              {badSeat
                ? `“${badSeat}” is not a seat id (section-row-seat).`
                : seatIds.length > MAX_SEATS
                  ? `At most ${MAX_SEATS} seats per order.`
                  : `${seatIds.length} seat${seatIds.length === 1 ? '' : 's'}`}
            </p>
          </>
        )}
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
        <p>
          Order number{' '}
          <strong className="order-id" data-testid="order-id">
            {o.orderId}
          </strong>
        </p>
        {r && (
          <>
            <ul className="seats" aria-label="Your seats">
              {(r.seats ?? []).map((s) => (
                <li key={s.id}>
                  <code>{s.id}</code>
                </li>
              ))}
            </ul>
            <p>
              Paid: <strong>{fmtMoney(r.total_amount)}</strong> · reservation <code>{r.reservation_id}</code>
            </p>
          </>
        )}
        <p className="muted small">
          {o.via === 'push' ? 'Confirmed live by the server.' : 'Confirmed by the server.'} Signed in as {auth.username}.
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
