// A small hand-drawn SVG line chart of one figure over time. Gaps (null) are drawn as breaks,
// never as zeros.

export interface Sample {
  t: number;
  v: number | null;
}

export interface ChartProps {
  title: string;
  samples: Sample[];
  format: (v: number) => string;
  /** A horizontal reference line (e.g. the configured rate). */
  reference?: { value: number; label: string } | undefined;
  /** The y axis starts at 0 and ends at least here. */
  minMax?: number;
  windowMs: number;
  now: number;
}

const W = 320;
const H = 120;
const PAD = { l: 36, r: 8, t: 8, b: 18 };

function niceMax(x: number): number {
  if (x <= 0) return 1;
  const p = 10 ** Math.floor(Math.log10(x));
  for (const m of [1, 2, 2.5, 5, 10]) if (m * p >= x) return m * p;
  return 10 * p;
}

export function Chart({ title, samples, format, reference, minMax = 0, windowMs, now }: ChartProps) {
  const visible = samples.filter((s) => s.t >= now - windowMs);
  const values = visible.map((s) => s.v).filter((v): v is number => v !== null);
  const latest = [...visible].reverse().find((s) => s.v !== null)?.v ?? null;
  const max = niceMax(Math.max(minMax, reference?.value ?? 0, ...values));
  const x = (t: number) => PAD.l + ((t - (now - windowMs)) / windowMs) * (W - PAD.l - PAD.r);
  const y = (v: number) => PAD.t + (1 - v / max) * (H - PAD.t - PAD.b);

  // Split into runs at gaps.
  const runs: string[] = [];
  let run: string[] = [];
  for (const s of visible) {
    if (s.v === null) {
      if (run.length) runs.push(run.join(' '));
      run = [];
    } else {
      run.push(`${x(s.t).toFixed(1)},${y(s.v).toFixed(1)}`);
    }
  }
  if (run.length) runs.push(run.join(' '));

  const summary = latest === null ? `${title}: no data yet` : `${title}: now ${format(latest)}, scale up to ${format(max)}`;
  return (
    <figure className="chart card">
      <figcaption>
        <span>{title}</span>
        <strong data-testid={`chart-${title}`}>{latest === null ? '—' : format(latest)}</strong>
      </figcaption>
      <svg viewBox={`0 0 ${W} ${H}`} role="img" aria-label={summary} preserveAspectRatio="none">
        <line x1={PAD.l} y1={y(0)} x2={W - PAD.r} y2={y(0)} className="axis" />
        <line x1={PAD.l} y1={y(max)} x2={W - PAD.r} y2={y(max)} className="grid" />
        <line x1={PAD.l} y1={y(max / 2)} x2={W - PAD.r} y2={y(max / 2)} className="grid" />
        <text x={PAD.l - 4} y={y(max) + 4} className="tick" textAnchor="end">
          {format(max)}
        </text>
        <text x={PAD.l - 4} y={y(0)} className="tick" textAnchor="end">
          0
        </text>
        <text x={PAD.l} y={H - 4} className="tick">
          −{windowMs >= 120_000 ? `${Math.round(windowMs / 60_000)} min` : `${Math.round(windowMs / 1000)} s`}
        </text>
        <text x={W - PAD.r} y={H - 4} className="tick" textAnchor="end">
          now
        </text>
        {reference && (
          <g className="reference">
            <line x1={PAD.l} y1={y(reference.value)} x2={W - PAD.r} y2={y(reference.value)} />
            <text x={W - PAD.r - 2} y={y(reference.value) - 3} textAnchor="end" className="tick">
              {reference.label}
            </text>
          </g>
        )}
        {runs.map((points, i) => (
          <polyline key={i} points={points} className="series" />
        ))}
      </svg>
    </figure>
  );
}
