// The public events as the pages read them: one event (its page) and the list (the home page),
// fetched when shown and read again now and then. usher builds each answer at most once a
// second whatever the number of readers, but a waiting room can hold very many people, so the
// caller says how often: often before joining, rarely while waiting.

import { useCallback, useEffect, useState } from 'react';
import { ApiError, call } from '../api/http';
import type { EventList, PublicEvent } from '../api/types';

export type EventRead =
  | { kind: 'loading' }
  | { kind: 'found'; event: PublicEvent }
  /** 404 `EVENT_NOT_FOUND`: there is no such sale. */
  | { kind: 'missing' }
  /** Could not be read (offline, a server error): the page works without it. */
  | { kind: 'unavailable'; message: string };

function why(e: unknown): string {
  return e instanceof ApiError ? `${e.message} (${e.code})` : String(e);
}

/**
 * One event, read now and every `everyMs`; the second value reads it again at once (when the
 * page learns something changed, such as the sale ending). A failed read keeps the last answer.
 */
export function usePublicEvent(eventId: string, everyMs: number): [EventRead, () => void] {
  const [info, setInfo] = useState<EventRead>({ kind: 'loading' });
  const [asked, setAsked] = useState(0);
  useEffect(() => {
    let live = true;
    const load = () =>
      call<PublicEvent>('GET', `/api/v1/events/${encodeURIComponent(eventId)}`)
        .then((event) => live && setInfo({ kind: 'found', event }))
        .catch((e: unknown) => {
          if (!live) return;
          if (e instanceof ApiError && e.code === 'EVENT_NOT_FOUND') setInfo({ kind: 'missing' });
          else setInfo((was) => (was.kind === 'found' ? was : { kind: 'unavailable', message: why(e) }));
        });
    void load();
    const t = setInterval(load, everyMs);
    return () => {
      live = false;
      clearInterval(t);
    };
  }, [eventId, everyMs, asked]);
  const reload = useCallback(() => setAsked((n) => n + 1), []);
  return [info, reload];
}

export type ListInfo =
  | { kind: 'loading' }
  | { kind: 'found'; events: PublicEvent[] }
  | { kind: 'unavailable'; message: string };

/** The events on sale, read now and every `everyMs`; a failed read keeps the last answer. */
export function useEventList(everyMs: number): ListInfo {
  const [info, setInfo] = useState<ListInfo>({ kind: 'loading' });
  useEffect(() => {
    let live = true;
    const load = () =>
      call<EventList>('GET', '/api/v1/events')
        .then((list) => live && setInfo({ kind: 'found', events: list.events }))
        .catch((e: unknown) => {
          if (live) setInfo((was) => (was.kind === 'found' ? was : { kind: 'unavailable', message: why(e) }));
        });
    void load();
    const t = setInterval(load, everyMs);
    return () => {
      live = false;
      clearInterval(t);
    };
  }, [everyMs]);
  return info;
}
