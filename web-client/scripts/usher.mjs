// Starts target/debug/usher serving web-client/dist on a free loopback port, for the scripts that
// drive a browser against it (e2e.mjs, lighthouse.mjs). Whatever happens, usher does not outlive
// the script that started it.

import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const client = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const root = resolve(client, '..');

/** The running usher processes, so an exit or a signal stops them all. */
const running = new Set();

const alive = (p) => p.exitCode === null && p.signalCode === null;

process.on('exit', () => {
  for (const p of running) if (alive(p)) p.kill('SIGKILL');
});
for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(sig, () => {
    for (const p of running) stop(p);
    process.exit(130);
  });
}

function stop(p) {
  if (!alive(p)) return;
  p.kill('SIGTERM');
  setTimeout(() => {
    if (alive(p)) p.kill('SIGKILL');
  }, 3000).unref();
}

/** A JSON request to usher at `base`: the parsed answer, or an error naming the status. */
export async function json(base, method, path, body, headers = {}) {
  const r = await fetch(base + path, {
    method,
    headers: { 'content-type': 'application/json', ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await r.text();
  if (!r.ok) throw new Error(`${method} ${path} → ${r.status} ${text}`);
  return text ? JSON.parse(text) : null;
}

export function freePort() {
  return new Promise((res, rej) => {
    const srv = createServer();
    srv.once('error', rej);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => res(port));
    });
  });
}

/**
 * Starts `usher serve` with the built client and waits for /healthz. `env` adds to (or
 * overrides) the settings every browser test needs: loopback only, no rate limits and no
 * per-address caps (the browser and the script's own clients all come from 127.0.0.1).
 * Returns { base, logs, stop }.
 */
export async function startUsher(env = {}) {
  // Where cargo put it: CARGO_TARGET_DIR when set, else the repository's target/.
  const bin = join(process.env.CARGO_TARGET_DIR ?? join(root, 'target'), 'debug', 'usher');
  if (!existsSync(bin)) throw new Error(`${bin} is missing: run cargo build --locked`);
  if (!existsSync(join(client, 'dist', 'index.html'))) throw new Error('web-client/dist is missing: run npm run build');
  const port = await freePort();
  const logs = [];
  const usher = spawn(bin, ['serve'], {
    cwd: root,
    env: {
      ...process.env,
      SERVER_PORT: String(port),
      USHER_BIND: '127.0.0.1',
      USHER_WEB_ROOT: join(client, 'dist'),
      RATE_LIMIT_ENABLED: 'false',
      USHER_MAX_CONNECTIONS_PER_IP: '0',
      USHER_CONNECTION_RATE_PER_IP: '0',
      USHER_WS_MAX_PER_IP: '0',
      USHER_WS_UPGRADE_RATE_PER_IP: '0',
      USHER_DRAIN_SECS: '0',
      LOG_FORMAT: 'text',
      LOG_LEVEL: 'warn',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.add(usher);
  usher.once('exit', () => running.delete(usher));
  for (const s of [usher.stdout, usher.stderr]) s.on('data', (d) => logs.push(String(d)));
  const started = { base: `http://127.0.0.1:${port}`, logs, stop: () => stop(usher) };
  const until = Date.now() + 30_000;
  while (Date.now() < until) {
    if (usher.exitCode !== null) throw new Error(`usher exited (${usher.exitCode}):\n${logs.join('')}`);
    try {
      const r = await fetch(`${started.base}/healthz`);
      if (r.ok) return started;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  stop(usher);
  throw new Error(`usher did not answer /healthz in 30 s:\n${logs.join('')}`);
}
