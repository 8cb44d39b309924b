// The signed-in buyer: the JWT from /api/v1/auth/login or /register, kept in localStorage
// (with its expiry) and shared with every component through a tiny store.

import { useSyncExternalStore } from 'react';
import { call, newKey } from './api/http';
import type { Session } from './api/types';

const KEY = 'usher:auth';

export interface Auth extends Session {
  /** Local ms after which the token is not used any more. */
  expiresAt: number | null;
}

const listeners = new Set<() => void>();
let current: Auth | null = read();

function read(): Auth | null {
  try {
    const raw = globalThis.localStorage?.getItem(KEY);
    if (!raw) return null;
    const a = JSON.parse(raw) as Auth;
    if (typeof a.token !== 'string') return null;
    if (a.expiresAt !== null && a.expiresAt <= Date.now()) return null;
    return a;
  } catch {
    return null;
  }
}

function set(a: Auth | null): void {
  current = a;
  try {
    if (a) localStorage.setItem(KEY, JSON.stringify(a));
    else localStorage.removeItem(KEY);
  } catch {
    // storage disabled: signed in for this page only
  }
  for (const l of listeners) l();
}

if (typeof window !== 'undefined') {
  // Signing in or out in another tab applies here too.
  window.addEventListener('storage', (e) => {
    if (e.key === KEY) {
      current = read();
      for (const l of listeners) l();
    }
  });
}

export function getAuth(): Auth | null {
  if (current && current.expiresAt !== null && current.expiresAt <= Date.now()) set(null);
  return current;
}

export function useAuth(): Auth | null {
  return useSyncExternalStore(
    (l) => {
      listeners.add(l);
      return () => listeners.delete(l);
    },
    getAuth,
  );
}

export interface Credentials {
  username: string;
  password: string;
}

/**
 * Signs in (or registers). `idempotencyKey` belongs to the one attempt the user made: the form
 * keeps it while the same credentials are retried.
 */
export async function signIn(mode: 'login' | 'register', creds: Credentials, idempotencyKey: string): Promise<Auth> {
  const s = await call<Session>('POST', `/api/v1/auth/${mode}`, { body: creds, idempotencyKey });
  const auth: Auth = { ...s, expiresAt: s.expires_in ? Date.now() + s.expires_in * 1000 : null };
  set(auth);
  return auth;
}

export function signOut(): void {
  set(null);
}

export { newKey };
