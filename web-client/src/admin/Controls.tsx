// What an operator can do to one event: its admission settings and schedule, pausing,
// queueing everyone, a message to everyone waiting, revoking one waiter, and ending or
// cancelling the sale. Each action is the server's to record (the audit log below).

import { type FormEvent, useEffect, useState } from 'react';
import { call } from '../api/http';
import { explain, signedOut } from './errors';
import { type ScheduleForm, scheduleBody, scheduleForm } from './model';
import type { ConfigBody, EventConfig } from '../api/types';

type Outcome = { ok: boolean; text: string } | null;

interface Props {
  eventId: string;
  config: EventConfig | null;
  onLost: (e: unknown) => void;
  /** An action was taken (the audit log has a new entry). */
  onAction: () => void;
}

/** One request of an action, with the words for its outcome. */
function useAction({ onLost, onAction }: Pick<Props, 'onLost' | 'onAction'>) {
  const [busy, setBusy] = useState(false);
  const [outcome, setOutcome] = useState<Outcome>(null);
  const run = async (method: string, path: string, body: unknown, done: string): Promise<boolean> => {
    setBusy(true);
    setOutcome(null);
    try {
      await call(method, path, body === undefined ? {} : { body });
      setOutcome({ ok: true, text: done });
      onAction();
      return true;
    } catch (e) {
      if (signedOut(e)) onLost(e);
      else setOutcome({ ok: false, text: explain(e) });
      return false;
    } finally {
      setBusy(false);
    }
  };
  /** A refusal before any request (the form's own checks), said where outcomes are. */
  const refuse = (text: string) => setOutcome({ ok: false, text });
  return { busy, outcome, run, refuse };
}

function Said({ outcome }: { outcome: Outcome }) {
  if (!outcome) return null;
  return (
    <p className={outcome.ok ? 'ok-text' : 'error'} role={outcome.ok ? 'status' : 'alert'}>
      {outcome.text}
    </p>
  );
}

export function Controls(props: Props) {
  return (
    <>
      <Settings {...props} />
      <Schedule {...props} />
      <Messages {...props} />
      <Waiters {...props} />
      <EndSale {...props} />
    </>
  );
}

function Settings({ eventId, config, onLost, onAction }: Props) {
  const [form, setForm] = useState({ rate: '', burst: '', maxActive: '', entryWindow: '' });
  const [dirty, setDirty] = useState(false);
  const { busy, outcome, run, refuse } = useAction({ onLost, onAction });
  const path = `/api/v1/admin/events/${encodeURIComponent(eventId)}`;

  useEffect(() => {
    if (!config || dirty) return;
    setForm({
      rate: String(config.rate_per_sec),
      burst: String(config.burst),
      maxActive: config.max_active === null ? '' : String(config.max_active),
      entryWindow: String(config.entry_window_secs),
    });
  }, [config, dirty]);

  const put = async (body: ConfigBody, done: string) => {
    if (await run('PUT', path, body, done)) setDirty(false);
  };
  const edit = (k: keyof typeof form) => (e: { target: { value: string } }) => {
    setDirty(true);
    setForm((f) => ({ ...f, [k]: e.target.value }));
  };
  const save = (e: FormEvent) => {
    e.preventDefault();
    const rate = Number(form.rate);
    const burst = Number(form.burst);
    const entry = Number(form.entryWindow);
    if (!(rate > 0) || !Number.isInteger(burst) || burst < 1 || !Number.isInteger(entry) || entry < 1) {
      refuse('Rate must be above 0; burst and entry window whole numbers of at least 1.');
      return;
    }
    const max = form.maxActive.trim() === '' ? null : Number(form.maxActive);
    if (max !== null && (!Number.isInteger(max) || max < 1)) {
      refuse('Max active must be a whole number of at least 1, or empty for no cap.');
      return;
    }
    void put({ rate_per_sec: rate, burst, max_active: max, entry_window_secs: entry }, 'Settings saved.');
  };

  const state = !config
    ? 'Loading…'
    : config.paused
      ? 'Paused: nobody is admitted; places are kept.'
      : config.queue_all
        ? 'Queueing everyone: joins are taken, nobody is admitted yet; waiters are told the sale is gathering.'
        : 'Admitting.';
  return (
    <form className="card controls" onSubmit={save} aria-labelledby="controls-title">
      <h2 id="controls-title">Admission settings</h2>
      <div className="row">
        {config?.paused ? (
          <button type="button" onClick={() => put({ paused: false }, 'Admission resumed.')} disabled={busy}>
            Resume admission
          </button>
        ) : (
          <button type="button" className="danger" onClick={() => put({ paused: true }, 'Admission paused.')} disabled={busy}>
            Pause admission
          </button>
        )}
        {config?.queue_all ? (
          <button type="button" onClick={() => put({ queue_all: false }, 'Admission opened.')} disabled={busy}>
            Start admitting
          </button>
        ) : (
          <button type="button" className="secondary" onClick={() => put({ queue_all: true }, 'Queueing everyone.')} disabled={busy}>
            Queue everyone
          </button>
        )}
      </div>
      <p className="muted" data-testid="admin-state">
        {state}
      </p>
      <div className="grid-fields">
        <label>
          Rate (admissions per second)
          <input inputMode="decimal" value={form.rate} onChange={edit('rate')} required />
        </label>
        <label>
          Burst (largest batch)
          <input inputMode="numeric" value={form.burst} onChange={edit('burst')} required />
        </label>
        <label>
          Max active users (empty: no cap)
          <input inputMode="numeric" value={form.maxActive} onChange={edit('maxActive')} />
        </label>
        <label>
          Entry window (seconds)
          <input inputMode="numeric" value={form.entryWindow} onChange={edit('entryWindow')} required />
        </label>
      </div>
      <button type="submit" disabled={busy}>
        Save settings
      </button>
      <Said outcome={outcome} />
    </form>
  );
}

function Schedule({ eventId, config, onLost, onAction }: Props) {
  const [form, setForm] = useState<ScheduleForm>(() => scheduleForm(config));
  const [dirty, setDirty] = useState(false);
  const { busy, outcome, run, refuse } = useAction({ onLost, onAction });
  useEffect(() => {
    if (!dirty) setForm(scheduleForm(config));
  }, [config, dirty]);
  const edit = (k: keyof ScheduleForm) => (e: { target: { value: string } }) => {
    setDirty(true);
    setForm((f) => ({ ...f, [k]: e.target.value }));
  };
  const save = async (e: FormEvent) => {
    e.preventDefault();
    const made = scheduleBody(form);
    if ('error' in made) {
      refuse(made.error);
      return;
    }
    const path = `/api/v1/admin/events/${encodeURIComponent(eventId)}`;
    if (await run('PUT', path, made.body, made.body.sale_starts_at === null ? 'Schedule removed.' : 'Schedule saved.')) setDirty(false);
  };
  return (
    <form className="card controls" onSubmit={save} aria-labelledby="schedule-title">
      <h2 id="schedule-title">Schedule</h2>
      <p className="muted small">Times are in this browser’s time zone. Without a start, the queue is open from its first join.</p>
      <div className="grid-fields">
        <label>
          Queue opens
          <input type="datetime-local" value={form.opensAt} onChange={edit('opensAt')} />
        </label>
        <label>
          Sale starts
          <input type="datetime-local" value={form.startsAt} onChange={edit('startsAt')} />
        </label>
        <label>
          Sale ends
          <input type="datetime-local" value={form.endsAt} onChange={edit('endsAt')} />
        </label>
        <label>
          Order of those who join before the start
          <select value={form.method} onChange={edit('method')}>
            <option value="fifo">In order of arrival</option>
            <option value="random_at_start">Random draw at the start</option>
          </select>
        </label>
      </div>
      <button type="submit" disabled={busy}>
        Save schedule
      </button>
      <Said outcome={outcome} />
    </form>
  );
}

function Messages({ eventId, config, onLost, onAction }: Props) {
  const [text, setText] = useState('');
  const { busy, outcome, run } = useAction({ onLost, onAction });
  const path = `/api/v1/admin/events/${encodeURIComponent(eventId)}/broadcast`;
  const send = async (e: FormEvent) => {
    e.preventDefault();
    if (await run('POST', path, { message: text.trim() }, 'Message sent to everyone waiting.')) setText('');
  };
  const current = config?.announcement;
  return (
    <form className="card controls" onSubmit={send} aria-labelledby="broadcast-title">
      <h2 id="broadcast-title">Message to everyone waiting</h2>
      {current ? (
        <p data-testid="admin-announcement">
          Showing now: “{current.message}” <span className="muted small">(sent {new Date(current.at_ms).toLocaleTimeString()})</span>
        </p>
      ) : (
        <p className="muted">No message is shown.</p>
      )}
      <label htmlFor="broadcast-message">Message (up to 500 characters)</label>
      <textarea id="broadcast-message" rows={2} maxLength={500} value={text} onChange={(e) => setText(e.target.value)} required />
      <div className="row">
        <button type="submit" disabled={busy || text.trim() === ''}>
          Send message
        </button>
        {current && (
          <button type="button" className="secondary" disabled={busy} onClick={() => run('DELETE', path, undefined, 'Message withdrawn.')}>
            Withdraw message
          </button>
        )}
      </div>
      <Said outcome={outcome} />
    </form>
  );
}

function Waiters({ onLost, onAction }: Props) {
  const [token, setToken] = useState('');
  const { busy, outcome, run } = useAction({ onLost, onAction });
  const revoke = async (e: FormEvent) => {
    e.preventDefault();
    const t = token.trim();
    if (await run('DELETE', `/api/v1/admin/waiters/${encodeURIComponent(t)}`, undefined, `Place ${t.slice(0, 8)}… revoked; its page was told.`)) {
      setToken('');
    }
  };
  return (
    <form className="card controls" onSubmit={revoke} aria-labelledby="revoke-title">
      <h2 id="revoke-title">Revoke a place</h2>
      <label htmlFor="revoke-token">Waiting token</label>
      <input id="revoke-token" value={token} onChange={(e) => setToken(e.target.value)} autoComplete="off" required />
      <button type="submit" className="danger" disabled={busy || token.trim() === ''}>
        Revoke place
      </button>
      <Said outcome={outcome} />
    </form>
  );
}

function EndSale({ eventId, config, onLost, onAction }: Props) {
  /** The action waiting for its confirmation. */
  const [asking, setAsking] = useState<'end' | 'cancel' | null>(null);
  const { busy, outcome, run } = useAction({ onLost, onAction });
  const ended = config?.schedule?.sale_ends_at_ms != null && config.schedule.sale_ends_at_ms <= Date.now();
  const confirm = async () => {
    const cancel = asking === 'cancel';
    setAsking(null);
    await run(
      'POST',
      `/api/v1/admin/events/${encodeURIComponent(eventId)}/end`,
      { cancel },
      cancel ? 'Sale cancelled; everyone waiting was told.' : 'Sale ended; everyone waiting was told.',
    );
  };
  return (
    <section className="card controls" aria-labelledby="end-title">
      <h2 id="end-title">End the sale</h2>
      {ended ? (
        <p data-testid="admin-ended">{config?.schedule?.cancelled ? 'This sale was cancelled.' : 'This sale has ended.'}</p>
      ) : asking ? (
        <div className="row" role="group" aria-label="Confirm">
          <span>
            {asking === 'cancel' ? 'Cancel' : 'End'} the sale now? Everyone waiting is told and joins are refused.
          </span>
          <button type="button" className="danger" onClick={confirm} disabled={busy}>
            {asking === 'cancel' ? 'Yes, cancel the sale' : 'Yes, end the sale'}
          </button>
          <button type="button" className="secondary" onClick={() => setAsking(null)}>
            Keep it open
          </button>
        </div>
      ) : (
        <div className="row">
          <button type="button" className="danger" onClick={() => setAsking('end')} disabled={busy || !config}>
            End sale now
          </button>
          <button type="button" className="danger" onClick={() => setAsking('cancel')} disabled={busy || !config}>
            Cancel sale
          </button>
        </div>
      )}
      <Said outcome={outcome} />
    </section>
  );
}
