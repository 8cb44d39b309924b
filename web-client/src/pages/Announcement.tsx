import type { Announcement } from '../api/types';
import { fmtClock } from '../format';

/**
 * The operator's current message to everyone of the event, on every page of the sale (before
 * joining, waiting, buying). A status region: a new message is read out without moving focus.
 * `skewMs` (server − local) puts the time it was sent on the reader's clock.
 */
export function AnnouncementBanner({ announcement, skewMs = 0 }: { announcement: Announcement; skewMs?: number }) {
  return (
    <div className="card banner info announcement" role="status" data-testid="announcement">
      <h2>Message from the organiser</h2>
      <p className="announcement-text">{announcement.message}</p>
      <p className="muted small">Sent at {fmtClock(announcement.at_ms - skewMs)}</p>
    </div>
  );
}
