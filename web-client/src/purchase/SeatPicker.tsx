import { useId } from 'react';
import { MAX_SEATS, choiceProblem, seatIdsOf } from './choice';
import type { Choice } from './store';

/**
 * The fields that say which seats: best available with a number of tickets, or seat ids. The
 * same fields while waiting and on the seats page, so what was chosen in one reads the same in
 * the other.
 */
export function SeatPicker({ choice, onChange }: { choice: Choice; onChange: (c: Choice) => void }) {
  const id = useId();
  const ids = seatIdsOf(choice.seatText);
  const problem = choice.mode === 'seats' && ids.length > 0 ? choiceProblem(choice) : null;
  return (
    <>
      <fieldset className="segmented">
        <legend>How to pick</legend>
        <label>
          <input
            type="radio"
            name={`${id}-pick`}
            checked={choice.mode === 'best'}
            onChange={() => onChange({ ...choice, mode: 'best' })}
          />{' '}
          Best available
        </label>
        <label>
          <input
            type="radio"
            name={`${id}-pick`}
            checked={choice.mode === 'seats'}
            onChange={() => onChange({ ...choice, mode: 'seats' })}
          />{' '}
          Specific seats
        </label>
      </fieldset>
      {choice.mode === 'best' ? (
        <>
          <label htmlFor={`${id}-qty`}>Number of tickets</label>
          <select
            id={`${id}-qty`}
            value={choice.quantity}
            onChange={(e) => onChange({ ...choice, quantity: Number(e.target.value) })}
          >
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
          <label htmlFor={`${id}-seats`}>Seat ids, like VIP-3-12 (section-row-seat), separated by commas</label>
          <input
            id={`${id}-seats`}
            value={choice.seatText}
            onChange={(e) => onChange({ ...choice, seatText: e.target.value })}
            aria-invalid={problem ? true : undefined}
            aria-describedby={`${id}-seats-help`}
            autoComplete="off"
          />
          <p id={`${id}-seats-help`} className={problem ? 'error small' : 'muted small'}>
            {problem ?? `${ids.length} seat${ids.length === 1 ? '' : 's'}`}
          </p>
        </>
      )}
    </>
  );
}
