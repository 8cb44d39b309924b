// The audit log: who did what, when, to which event, newest first.

import { useEffect, useState } from 'react';
import { call } from '../api/http';
import { explain, signedOut } from './errors';
import type { AuditEntry, AuditLog } from '../api/types';

const SHOWN = 20;

export function Audit({ refresh, onLost }: { refresh: number; onLost: (e: unknown) => void }) {
  const [entries, setEntries] = useState<AuditEntry[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    const load = () =>
      call<AuditLog>('GET', `/api/v1/admin/audit?limit=${SHOWN}`)
        .then((l) => {
          if (!live) return;
          setEntries(l.entries);
          setError(null);
        })
        .catch((e) => {
          if (!live) return;
          if (signedOut(e)) onLost(e);
          else setError(explain(e));
        });
    void load();
    const t = setInterval(load, 10_000);
    return () => {
      live = false;
      clearInterval(t);
    };
  }, [refresh, onLost]);
  return (
    <section className="card" aria-labelledby="audit-title">
      <h2 id="audit-title">Audit log</h2>
      {error && <p className="error">{error}</p>}
      {entries && entries.length === 0 && <p className="muted">No operator has acted yet.</p>}
      {entries && entries.length > 0 && (
        // Focusable, so the table can be scrolled sideways from the keyboard on a narrow screen.
        <div className="table-wrap" tabIndex={0} role="region" aria-label="Audit log entries">
          <table className="audit" data-testid="audit">
            <caption className="muted small">The last {SHOWN} actions of every operator, newest first.</caption>
            <thead>
              <tr>
                <th scope="col">When</th>
                <th scope="col">Who</th>
                <th scope="col">What</th>
                <th scope="col">Event</th>
                <th scope="col">Details</th>
              </tr>
            </thead>
            <tbody>
              {entries.map((e, i) => (
                <tr key={`${e.at_ms}-${i}`}>
                  <td>{new Date(e.at_ms).toLocaleString()}</td>
                  <td>
                    <code>{e.actor}</code>
                  </td>
                  <td>{e.action}</td>
                  <td>{e.event_id ?? '—'}</td>
                  <td className="detail">{e.detail}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
