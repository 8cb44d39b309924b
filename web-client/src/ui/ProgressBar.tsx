/** A labelled progress bar: `fraction` from 0 to 1, announced as a percentage and `valueText`. */
export function ProgressBar({ label, fraction, valueText }: { label: string; fraction: number; valueText: string }) {
  const percent = Math.round(fraction * 100);
  return (
    <div
      className="progress"
      role="progressbar"
      aria-label={label}
      aria-valuemin={0}
      aria-valuemax={100}
      aria-valuenow={percent}
      aria-valuetext={valueText}
    >
      <div className="bar" style={{ width: `${(fraction * 100).toFixed(1)}%` }} />
    </div>
  );
}
