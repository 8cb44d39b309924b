import type { SectionAvailability } from '../api/types';
import { fmtMoney, fmtNumber } from '../format';

/**
 * Each section with its price and the seats left in it, as the server counts them (the API
 * reports availability per section, not per seat). The same list before joining, while waiting
 * and on the seats page.
 */
export function SectionList({ sections, label = 'Sections' }: { sections: readonly SectionAvailability[]; label?: string }) {
  return (
    <ul className="sections" aria-label={label} data-testid="sections">
      {sections.map((s) => {
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
  );
}
