#!/usr/bin/env node
// Lighthouse (performance and accessibility) on the waiting page, /events/evt_2025_1001, as a
// buyer with a place in the queue sees it: starts usher as the end-to-end test does, joins the
// example event through the API behind three others with admission paused, puts that place in
// a fresh Chromium profile (as the page itself would have stored it), then runs Lighthouse 12
// through npx on Debian's /usr/bin/chromium, once with the desktop preset and once as a phone
// (Lighthouse's default). Lighthouse is not a dependency of the client: npx fetches it once.
//
//   npm run lighthouse         # builds the client first; target/debug/usher must exist
//
// Reports go to web-client/test-results/lighthouse-{desktop,mobile}.json (gitignored); the last
// lines are the scores.

import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { client, json, startUsher } from './usher.mjs';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const ADMIN_TOKEN = 'lighthouse-admin-token-0123456789';
const EVENT = 'evt_2025_1001';
const results = join(client, 'test-results');
/**
 * The waiting page keeps its WebSocket open and a one-second clock ticking. Lighthouse ends a
 * load once the network and the main thread are quiet, which the socket does not prevent; the
 * cap only bounds a run that never gets there.
 */
const MAX_WAIT_MS = 30_000;

function log(msg) {
  process.stdout.write(`${msg}\n`);
}

/** Joins the example event behind three others, admission paused: the place, as the page stores it. */
async function joinPaused(base) {
  const admin = { authorization: `Bearer ${ADMIN_TOKEN}` };
  // Paused, so the place stays a place in the queue for the whole measurement.
  await json(base, 'PUT', `/api/v1/admin/events/${EVENT}`, { paused: true, rate_per_sec: 1, burst: 1 }, admin);
  const joinQueue = () =>
    json(base, 'POST', '/api/v1/queue/join', { event_id: EVENT }, { 'idempotency-key': randomUUID() });
  for (let i = 0; i < 3; i++) await joinQueue();
  const joined = await joinQueue();
  return {
    eventId: EVENT,
    token: joined.waiting_token,
    initialPosition: joined.position ?? joined.position_hint ?? null,
    enterKey: randomUUID(),
    joinedAt: Date.now(),
  };
}

/**
 * A fresh Chromium profile whose localStorage holds the place. One per run: Lighthouse is told
 * not to clear the origin's storage (that would forget the place), so it does not empty the HTTP
 * cache either, and a second run in the same profile would load the bundle from the cache.
 */
async function profileWithPlace(base, place) {
  const dir = mkdtempSync(join(tmpdir(), 'usher-lighthouse-'));
  const ctx = await chromium.launchPersistentContext(dir, { executablePath: CHROMIUM, headless: true, args: ['--no-sandbox'] });
  try {
    const page = ctx.pages()[0] ?? (await ctx.newPage());
    await page.goto(`${base}/healthz`);
    await page.evaluate(([key, value]) => localStorage.setItem(key, value), [`usher:place:${EVENT}`, JSON.stringify(place)]);
  } finally {
    await ctx.close();
  }
  return dir;
}

function lighthouse(url, profile, preset) {
  const output = join(results, `lighthouse-${preset}.json`);
  const args = [
    '--yes',
    'lighthouse@12',
    url,
    // The profile holds the place; Lighthouse would otherwise clear the origin's storage first.
    `--chrome-flags=--headless=new --no-sandbox --user-data-dir=${profile}`,
    '--disable-storage-reset',
    '--only-categories=performance,accessibility',
    `--max-wait-for-load=${MAX_WAIT_MS}`,
    '--output=json',
    `--output-path=${output}`,
    '--quiet',
    ...(preset === 'desktop' ? ['--preset=desktop'] : []),
  ];
  log(`$ CHROME_PATH=${CHROMIUM} npx ${args.map((a) => (/\s/.test(a) ? `"${a}"` : a)).join(' ')}`);
  return new Promise((res, rej) => {
    const p = spawn('npx', args, { stdio: 'inherit', env: { ...process.env, CHROME_PATH: CHROMIUM } });
    p.once('error', rej);
    p.once('exit', (code) => (code === 0 ? res(JSON.parse(readFileSync(output, 'utf8'))) : rej(new Error(`lighthouse exited ${code}`))));
  });
}

/** The report's scores, and what held them back: the failed audits with their weight. */
function summarise(preset, report) {
  const score = (id) => Math.round((report.categories[id]?.score ?? 0) * 100);
  const metric = (id) => report.audits[id]?.displayValue ?? '?';
  log(
    `${preset}: performance ${score('performance')}, accessibility ${score('accessibility')} ` +
      `(FCP ${metric('first-contentful-paint')}, LCP ${metric('largest-contentful-paint')}, TBT ${metric('total-blocking-time')}, ` +
      `CLS ${metric('cumulative-layout-shift')}, SI ${metric('speed-index')})`,
  );
  for (const cat of ['performance', 'accessibility']) {
    for (const ref of report.categories[cat]?.auditRefs ?? []) {
      const a = report.audits[ref.id];
      if (ref.weight > 0 && a && a.score !== null && a.score < 0.9) {
        log(`  ${cat}: ${a.id} ${Math.round(a.score * 100)}${a.displayValue ? ` (${a.displayValue})` : ''} — ${a.title}`);
      }
    }
  }
  const warnings = report.runWarnings ?? [];
  for (const w of warnings) log(`  warning: ${w}`);
  return { performance: score('performance'), accessibility: score('accessibility') };
}

async function main() {
  mkdirSync(results, { recursive: true });
  const server = await startUsher({ USHER_ADMIN_TOKEN: ADMIN_TOKEN });
  const profiles = [];
  try {
    log(`usher on ${server.base}`);
    const place = await joinPaused(server.base);
    log(`joined ${EVENT} at position ${place.initialPosition} (admission paused)`);
    const url = `${server.base}/events/${EVENT}`;
    const scores = {};
    for (const preset of ['desktop', 'mobile']) {
      profiles.push(await profileWithPlace(server.base, place));
      scores[preset] = summarise(preset, await lighthouse(url, profiles.at(-1), preset));
    }
    log('');
    for (const [preset, s] of Object.entries(scores)) {
      log(`lighthouse ${preset}: performance ${s.performance}, accessibility ${s.accessibility}`);
    }
  } finally {
    server.stop();
    for (const dir of profiles) rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((e) => {
  log(`lighthouse: ${e?.stack ?? e}`);
  process.exitCode = 1;
});
