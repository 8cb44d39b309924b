// The one way the client calls usher over HTTP: same origin, JSON, the error envelope turned
// into an ApiError, and an Idempotency-Key that the caller owns (one per logical action, reused
// on every retry of that action).

/**
 * A failed call, from usher's envelope `{"error":{"code","message","trace_id", …}}`. Any other
 * field of the envelope's `error` object (such as `opens_at` of `SALE_NOT_OPEN`) is kept in
 * `details`.
 */
export class ApiError extends Error {
  /** HTTP status; 0 when the request never got an answer (offline, refused, timed out). */
  readonly status: number;
  readonly code: string;
  readonly traceId: string | undefined;
  /** From `Retry-After`, when the server sent one. */
  readonly retryAfterMs: number | undefined;
  readonly details: Readonly<Record<string, unknown>>;

  constructor(
    status: number,
    code: string,
    message: string,
    traceId?: string,
    retryAfterMs?: number,
    details: Readonly<Record<string, unknown>> = {},
  ) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.traceId = traceId;
    this.retryAfterMs = retryAfterMs;
    this.details = details;
  }

  /** True when the request may succeed if tried again later (network, 429, 5xx). */
  get transient(): boolean {
    return this.status === 0 || this.status === 408 || this.status === 429 || this.status >= 500;
  }
}

export type Fetch = typeof fetch;

export interface CallOptions {
  body?: unknown;
  /** Bearer token (a user JWT, or the admin token). */
  bearer?: string | null;
  /** Required by usher on every POST under /api/v1. */
  idempotencyKey?: string;
  signal?: AbortSignal;
  fetchImpl?: Fetch;
  /** Gives up after this long (default 10 s) with a status-0 ApiError. */
  timeoutMs?: number;
}

/** A fresh UUID for an Idempotency-Key. */
export function newKey(): string {
  const c = globalThis.crypto;
  if (typeof c?.randomUUID === 'function') return c.randomUUID();
  const b = new Uint8Array(16);
  c.getRandomValues(b);
  b[6] = (b[6]! & 0x0f) | 0x40;
  b[8] = (b[8]! & 0x3f) | 0x80;
  const h = Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

function retryAfter(res: Response): number | undefined {
  const v = res.headers.get('retry-after');
  if (v === null) return undefined;
  const secs = Number(v);
  return Number.isFinite(secs) && secs >= 0 ? secs * 1000 : undefined;
}

/** Calls `path` on this origin and returns the parsed JSON body, or throws an ApiError. */
export async function call<T>(method: string, path: string, opts: CallOptions = {}): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (opts.body !== undefined) headers['content-type'] = 'application/json';
  if (opts.bearer) headers.authorization = `Bearer ${opts.bearer}`;
  if (opts.idempotencyKey) headers['idempotency-key'] = opts.idempotencyKey;
  const doFetch = opts.fetchImpl ?? globalThis.fetch.bind(globalThis);
  const timeout = new AbortController();
  const timer = setTimeout(() => timeout.abort(), opts.timeoutMs ?? 10_000);
  const onAbort = () => timeout.abort();
  opts.signal?.addEventListener('abort', onAbort);
  let res: Response;
  try {
    res = await doFetch(path, {
      method,
      headers,
      body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
      signal: timeout.signal,
    });
  } catch (e) {
    const why = timeout.signal.aborted ? 'the request timed out' : 'the server could not be reached';
    throw new ApiError(0, 'NETWORK', `${why}${e instanceof Error && e.message ? ` (${e.message})` : ''}`);
  } finally {
    clearTimeout(timer);
    opts.signal?.removeEventListener('abort', onAbort);
  }
  const text = await res.text().catch(() => '');
  let json: unknown = undefined;
  if (text) {
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
  }
  if (!res.ok) {
    type Envelope = { code?: string; message?: string; trace_id?: string; [field: string]: unknown };
    const env = (json as { error?: Envelope } | undefined)?.error;
    const { code, message, trace_id, ...details }: Envelope = env && typeof env === 'object' ? env : {};
    throw new ApiError(
      res.status,
      code ?? `HTTP_${res.status}`,
      message ?? (res.statusText || `HTTP ${res.status}`),
      trace_id,
      retryAfter(res),
      details,
    );
  }
  return json as T;
}
