// Formatting of the server's numbers for people. Only formatting: no value is made up here.

export function fmtDuration(totalSec: number): string {
  const s = Math.max(0, Math.round(totalSec));
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min ${String(s % 60).padStart(2, '0')} s`;
  return `${Math.floor(m / 60)} h ${String(m % 60).padStart(2, '0')} min`;
}

/** A countdown like 1:05 or 0:09. */
export function fmtCountdown(ms: number): string {
  const s = Math.max(0, Math.ceil(ms / 1000));
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}

function roughly(sec: number): string {
  if (sec < 60) return `${Math.max(1, Math.round(sec))} s`;
  if (sec < 3600) return `${Math.round(sec / 60)} min`;
  return `${(sec / 3600).toFixed(1)} h`;
}

/** The server's `eta_range` as words: "about 2–4 min", "under a minute". */
export function fmtEtaRange(range: readonly [number, number]): string {
  const [lo, hi] = range;
  if (hi <= 0) return 'any moment now';
  if (hi < 60) return lo <= 0 ? 'under a minute' : `about ${Math.round(lo)}–${Math.round(hi)} s`;
  const a = roughly(lo);
  const b = roughly(hi);
  if (a === b) return `about ${b}`;
  const unit = (x: string) => x.replace(/^[\d.]+ /, '');
  return unit(a) === unit(b) ? `about ${a.replace(/ .*/, '')}–${b}` : `about ${a} – ${b}`;
}

export function fmtConfidence(c: number | undefined): string | null {
  if (c === undefined) return null;
  if (c >= 0.8) return 'high';
  if (c >= 0.5) return 'medium';
  return 'low';
}

export function fmtClock(ms: number): string {
  return new Date(ms).toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit', second: '2-digit' });
}

export function fmtMoney(m: { amount: number; currency: string } | null | undefined): string {
  if (!m) return '—';
  try {
    return new Intl.NumberFormat(undefined, { style: 'currency', currency: m.currency }).format(m.amount);
  } catch {
    return `${m.amount.toLocaleString()} ${m.currency}`;
  }
}

export function fmtNumber(n: number): string {
  return n.toLocaleString();
}

/** A date and time, for instants that may be days away (a sale's start, a draw). */
export function fmtDateTime(ms: number): string {
  return new Date(ms).toLocaleString(undefined, {
    year: 'numeric',
    month: 'short',
    day: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  });
}
