import { type FormEvent, useId, useRef, useState } from 'react';
import { ApiError } from '../api/http';
import { newKey, signIn } from '../auth';

/** Sign in or create an account (usher's /api/v1/auth/login and /register). */
export function AuthForm({ title, intro }: { title: string; intro?: string }) {
  const id = useId();
  const [mode, setMode] = useState<'login' | 'register'>('register');
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  // One key per attempt with the same credentials: a retry after a timeout replays, never
  // registers twice.
  const attempt = useRef<{ fingerprint: string; key: string } | null>(null);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const fingerprint = JSON.stringify([mode, username, password]);
    if (attempt.current?.fingerprint !== fingerprint) attempt.current = { fingerprint, key: newKey() };
    setBusy(true);
    setError(null);
    try {
      await signIn(mode, { username, password }, attempt.current.key);
    } catch (err) {
      setError(explain(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="card auth" onSubmit={submit} aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>{title}</h2>
      {intro && <p>{intro}</p>}
      <fieldset className="segmented">
        <legend className="sr-only">Account</legend>
        <label>
          <input type="radio" name={`${id}-mode`} checked={mode === 'register'} onChange={() => setMode('register')} /> New
          account
        </label>
        <label>
          <input type="radio" name={`${id}-mode`} checked={mode === 'login'} onChange={() => setMode('login')} /> I have
          an account
        </label>
      </fieldset>
      <label htmlFor={`${id}-user`}>Username</label>
      <input
        id={`${id}-user`}
        autoComplete="username"
        required
        minLength={3}
        maxLength={64}
        value={username}
        onChange={(e) => setUsername(e.target.value)}
      />
      <label htmlFor={`${id}-pass`}>Password (at least 8 characters)</label>
      <input
        id={`${id}-pass`}
        type="password"
        autoComplete={mode === 'register' ? 'new-password' : 'current-password'}
        required
        minLength={8}
        maxLength={128}
        value={password}
        onChange={(e) => setPassword(e.target.value)}
      />
      <button type="submit" disabled={busy}>
        {busy ? 'Please wait…' : mode === 'register' ? 'Create account' : 'Sign in'}
      </button>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
    </form>
  );
}

function explain(err: unknown): string {
  if (err instanceof ApiError) {
    switch (err.code) {
      case 'USERNAME_EXISTS':
        return 'That username is taken. Choose another, or sign in.';
      case 'INVALID_CREDENTIALS':
        return 'Wrong username or password.';
      case 'RATE_LIMITED':
        return 'Too many attempts; wait a moment and try again.';
      case 'NETWORK':
        return `Could not reach the server: ${err.message}.`;
      default:
        return `${err.message} (${err.code})`;
    }
  }
  return String(err);
}
