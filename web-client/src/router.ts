// A very small router over the History API: usher serves index.html for every path it does not
// route itself, so deep links and reloads work.

import { useSyncExternalStore } from 'react';

export type Route =
  | { page: 'home' }
  | { page: 'event'; eventId: string }
  /** The public draw of a random on-sale, and the check of this browser's entry. */
  | { page: 'draw'; eventId: string }
  | { page: 'admin' }
  /** The signed-in buyer's reservations and orders. */
  | { page: 'orders' }
  | { page: 'missing'; path: string };

export function parseRoute(path: string): Route {
  if (path === '/' || path === '') return { page: 'home' };
  if (path === '/admin' || path === '/admin/') return { page: 'admin' };
  if (path === '/orders' || path === '/orders/') return { page: 'orders' };
  const m = /^\/events\/([A-Za-z0-9_.:-]{1,128})\/?$/.exec(path);
  if (m?.[1]) return { page: 'event', eventId: m[1] };
  const d = /^\/events\/([A-Za-z0-9_.:-]{1,128})\/draw\/?$/.exec(path);
  if (d?.[1]) return { page: 'draw', eventId: d[1] };
  return { page: 'missing', path };
}

const listeners = new Set<() => void>();
if (typeof window !== 'undefined') window.addEventListener('popstate', () => listeners.forEach((l) => l()));

export function navigate(path: string): void {
  history.pushState(null, '', path);
  listeners.forEach((l) => l());
  window.scrollTo?.(0, 0);
}

export function usePath(): string {
  return useSyncExternalStore(
    (l) => {
      listeners.add(l);
      return () => listeners.delete(l);
    },
    () => location.pathname,
  );
}
