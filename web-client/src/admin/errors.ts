// What the dashboard says about a refused call, and when a refusal means it is signed out.

import { ApiError } from '../api/http';

export function explain(e: unknown): string {
  if (!(e instanceof ApiError)) return String(e);
  switch (e.code) {
    case 'ADMIN_DISABLED':
      return 'The admin API is disabled on this server (USHER_ADMIN_TOKEN is not set).';
    case 'INVALID_TOKEN':
    case 'MISSING_AUTHORIZATION':
    case 'INVALID_TOKEN_FORMAT':
      return 'The admin token was refused.';
    case 'EVENT_NOT_FOUND':
      return 'No such event yet. Events are created by the first join, or by saving settings below.';
    default:
      return `${e.message} (${e.code})`;
  }
}

/** Whether the server no longer takes this dashboard's credentials (not one request). */
export function signedOut(e: unknown): boolean {
  return e instanceof ApiError && (e.status === 401 || e.code === 'ADMIN_DISABLED');
}
