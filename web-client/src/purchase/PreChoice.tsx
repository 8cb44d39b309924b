import { useId, useState } from 'react';
import type { SectionAvailability } from '../api/types';
import { DEFAULT_CHOICE, choiceProblem, describeChoice, loadChoice, saveChoice } from './choice';
import { SeatPicker } from './SeatPicker';
import { SectionList } from './Sections';
import { type Choice, purchaseKey } from './store';

/**
 * While waiting: the event's sections with their prices, and the seats to ask for when the turn
 * comes. The choice is kept with the place (so a reload keeps it) and filled in on the seats
 * page; nothing is held before the turn, so the time after admission goes to one click.
 */
export function PreChoice({
  eventId,
  token,
  sections,
}: {
  eventId: string;
  token: string;
  sections: readonly SectionAvailability[] | null;
}) {
  const id = useId();
  const key = purchaseKey(eventId, token);
  const [stored] = useState(() => loadChoice(key));
  const [choice, setChoice] = useState<Choice>(stored ?? DEFAULT_CHOICE);
  const [kept, setKept] = useState(stored !== null);
  const change = (c: Choice) => {
    setChoice(c);
    saveChoice(key, c);
    setKept(true);
  };
  const problem = choiceProblem(choice);
  return (
    <section className="card prechoice" aria-labelledby={`${id}-title`} data-testid="prechoice">
      <h2 id={`${id}-title`}>Choose your seats while you wait</h2>
      <p className="muted small">
        Your choice is kept on this device and filled in when it’s your turn: holding the seats is then one click.
        Nothing is held before your turn.
      </p>
      {sections && sections.length > 0 && <SectionList sections={sections} label="Prices and seats left" />}
      <SeatPicker choice={choice} onChange={change} />
      {kept && !problem && (
        <p className="ok-text small" data-testid="prechoice-kept">
          Kept for your turn: {describeChoice(choice)}.
        </p>
      )}
    </section>
  );
}
