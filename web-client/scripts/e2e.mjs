#!/usr/bin/env node
// End-to-end test of the web client in real headless Chromium (Debian's /usr/bin/chromium,
// driven by playwright-core; no browser is downloaded) against a real usher that this script
// builds, starts on a free loopback port and always stops.
//
//   npm run e2e                # builds usher (cargo build --locked) and the client, then tests
//   npm run e2e -- --no-build  # uses target/debug/usher and web-client/dist as they are
//
// Screenshots go to web-client/test-results/ (gitignored), of every page at desktop and at phone
// width. Every page photographed must fit its width and pass axe-core's checks (no serious or
// critical violation; test-results/axe.json).
// The last line is "N passed, N failed".

import { spawnSync } from 'node:child_process';
import { createHash, randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { createA11y } from './a11y.mjs';
import { salesScenario } from './e2e-buyers.mjs';
import { operatorScenario } from './e2e-operators.mjs';
import { client, json as call, root, startUsher } from './usher.mjs';

const results = join(client, 'test-results');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const ADMIN_TOKEN = 'e2e-admin-token-0123456789';
const EVENT = 'evt_2025_1001'; // the embedded inventory's example event (the purchase needs seats)
const EVENT_NAME = 'Stadium tour 2025, night 1';
const POLL_EVENT = `evt_e2e_polling_${Date.now()}`;
const DRAW_EVENT = `evt_e2e_draw_${Date.now()}`;
/** The scheduled sale's proof-of-work difficulty (leading zero bits). */
const POW_DIFFICULTY = 12;
/** Short holds, so the expiry path is seen within the test. */
const HOLD_SECS = 12;
// The entry pass's lifetime the server is started with (USHER_RESERVATION_TTL_SECS): shorter
// than a buyer takes to choose, so that a hold must renew it; the time to hold is the entry
// window (USHER_ENTRY_WINDOW_SECS, 120 s by default).
const PASS_SECS = 5;
const ENTRY_WINDOW_SECS = 120;
/** How long the buyer spends on the seats page before holding: longer than the pass lasts. */
const SLOW_CHOOSER_MS = 8_000;
const build = !process.argv.includes('--no-build');
/** The test (after the builds) is bounded: past this, everything is stopped and the run fails. */
const WATCHDOG_MS = 6 * 60_000;

let server = null;
let browser = null;
let passed = 0;
let failed = 0;
const shots = [];
const a11y = createA11y();

function log(msg) {
  process.stdout.write(`${msg}\n`);
}

const stopUsher = () => server?.stop();

async function check(name, fn) {
  try {
    await fn();
    passed++;
    log(`  ok   ${name}`);
  } catch (e) {
    failed++;
    // The whole message (an accessibility failure lists every rule), then where it was thrown.
    const where = e instanceof Error ? (e.stack ?? '').split('\n').slice(1, 3) : [];
    log(`  FAIL ${name}\n       ${[...String(e?.message ?? e).split('\n'), ...where].join('\n       ')}`);
  }
}

function assert(cond, msg) {
  if (!cond) throw new Error(msg);
}

/**
 * A screenshot of a page, which must also fit its viewport's width (no horizontal scrolling) and
 * have no serious or critical accessibility violation, both checked in the state photographed.
 */
async function shot(page, file, what) {
  await shotAt(page, file, what);
  // Every page at both widths: a page the scenario photographs at one width only is also
  // photographed, and checked, at the other (then put back as it was).
  if (/phone|desktop/.test(file)) return;
  const size = page.viewportSize();
  const phone = size.width <= 600;
  const other = phone ? { width: 1100, height: 900 } : { width: 390, height: 844 };
  await page.setViewportSize(other);
  try {
    await shotAt(page, file.replace(/\.png$/, phone ? '-at-desktop.png' : '-at-phone.png'), `${what} (${phone ? 'desktop' : 'phone'} width)`);
  } finally {
    await page.setViewportSize(size);
  }
}

/** One screenshot at the page's current width, with its overflow and accessibility checks. */
async function shotAt(page, file, what) {
  const path = join(results, file);
  await page.screenshot({ path, fullPage: true });
  shots.push({ file: `web-client/test-results/${file}`, what });
  const { scroll, client, wide } = await page.evaluate(() => {
    const root = document.documentElement;
    // The widest elements that stick out, to say what overflows.
    const wide = [...document.querySelectorAll('body *')]
      .filter((el) => el.getBoundingClientRect().right > root.clientWidth + 0.5)
      .slice(0, 3)
      .map((el) => `${el.tagName.toLowerCase()}${el.className ? `.${String(el.className).split(' ')[0]}` : ''}`);
    return { scroll: root.scrollWidth, client: root.clientWidth, wide };
  });
  assert(scroll <= client, `${file}: horizontal overflow, scrollWidth ${scroll} > clientWidth ${client} (${wide.join(', ')})`);
  await a11y.check(page, file);
}

function run(cmd, args, cwd) {
  log(`$ ${cmd} ${args.join(' ')}`);
  const r = spawnSync(cmd, args, { cwd, stdio: 'inherit' });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (${r.status ?? r.signal})`);
}

/** usher's API from this script (the test's other waiters and the operator). */
function api(base) {
  const json = (method, path, body, headers) => call(base, method, path, body, headers);
  const admin = { authorization: `Bearer ${ADMIN_TOKEN}` };
  return {
    configure: (event, cfg) => json('PUT', `/api/v1/admin/events/${event}`, cfg, admin),
    broadcast: (event, message) => json('POST', `/api/v1/admin/events/${event}/broadcast`, { message }, { ...admin, 'idempotency-key': randomUUID() }),
    revoke: (token) => json('DELETE', `/api/v1/admin/waiters/${token}`, undefined, admin),
    end: (event, body) => json('POST', `/api/v1/admin/events/${event}/end`, body, { ...admin, 'idempotency-key': randomUUID() }),
    stats: (event) => json('GET', `/api/v1/admin/events/${event}/stats`, undefined, admin),
    join: (event) => json('POST', '/api/v1/queue/join', { event_id: event }, { 'idempotency-key': randomUUID() }),
    reservation: (id, jwt) => json('GET', `/api/v1/reservations/${id}`, undefined, { authorization: `Bearer ${jwt}` }),
    /** A join protected by a proof of work: fetches a challenge and solves it here, as a script would. */
    powJoin: async (event) => {
      const ch = await json('GET', `/api/v1/queue/challenge?event_id=${encodeURIComponent(event)}`);
      const nonce = solvePow(ch.challenge, ch.difficulty);
      const body = { event_id: event, pow: { challenge: ch.challenge, nonce } };
      return { difficulty: ch.difficulty, ...(await json('POST', '/api/v1/queue/join', body, { 'idempotency-key': randomUUID() })) };
    },
    draw: (event) => json('GET', `/api/v1/events/${event}/draw`),
    proof: (event, token) => json('GET', `/api/v1/events/${event}/draw/proof?token=${encodeURIComponent(token)}`),
  };
}

/** Zero bits at the start of `bytes`, most significant bit first. */
function leadingZeroBits(bytes) {
  let bits = 0;
  for (const b of bytes) {
    if (b !== 0) return bits + Math.clz32(b) - 24;
    bits += 8;
  }
  return bits;
}

const powBits = (challenge, nonce) => leadingZeroBits(createHash('sha256').update(`${challenge}:${nonce}`).digest());

/** The smallest decimal nonce whose SHA-256(challenge ":" nonce) has `difficulty` leading zero bits. */
function solvePow(challenge, difficulty) {
  for (let n = 0; ; n++) if (powBits(challenge, n) >= difficulty) return String(n);
}

const text = async (page, testId) => (await page.getByTestId(testId).textContent({ timeout: 15_000 })) ?? '';
const positionOf = (page) =>
  page.evaluate(() => {
    const el = document.querySelector('[data-testid="position"]');
    return el ? Number(el.textContent.replace(/\D/g, '')) : null;
  });

async function buyerScenario(base, u) {
  log('\nBuyer: joins behind three others, watches the position fall, is admitted, buys.');
  await u.configure(EVENT, { paused: true, rate_per_sec: 1, burst: 1, max_active: null });
  for (let i = 0; i < 3; i++) await u.join(EVENT);

  const ctx = await browser.newContext({ viewport: { width: 1100, height: 900 } });
  const page = await ctx.newPage();
  page.on('pageerror', (e) => log(`  [page error] ${e.message}`));
  const enters = [];
  page.on('request', (r) => {
    if (r.method() === 'POST' && new URL(r.url()).pathname === '/api/v1/queue/enter') enters.push(Date.now());
  });
  let seatsAt = 0;

  await check('signs up from the home page', async () => {
    await page.goto(`${base}/`);
    await page.getByLabel('Username').waitFor();
    await shot(page, '00-home.png', 'home page, signed out: the event to go to, and the sign-in form');
    await page.getByLabel('Username').fill(`buyer${Date.now() % 1_000_000}`);
    await page.getByLabel('Password (at least 8 characters)').fill('correct horse battery');
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.getByTestId('signed-in').waitFor({ timeout: 15_000 });
    // Buyers are not sent to the operators' pages.
    const adminLinks = await page.locator('header a[href="/admin"]').count();
    assert(adminLinks === 0, `the buyer's header links to the dashboard (${adminLinks})`);
  });

  await check('joins and sees position 4 (3 ahead) while the event is paused, live over the socket', async () => {
    await page.locator(`[data-testid="sale"][data-event="${EVENT}"]`).getByRole('link', { name: EVENT_NAME }).click();
    await page.locator('[data-testid="sale-state"][data-state="paused"]').waitFor({ timeout: 15_000 });
    assert((await text(page, 'waiting-count')) === '3 people are waiting.', await text(page, 'waiting-count'));
    // Signed in: "My orders" is in the header.
    assert((await page.locator('header a[href="/orders"]').count()) === 1, 'no "My orders" link in the header');
    await page.getByTestId('join').click();
    await page.getByTestId('position').waitFor({ timeout: 15_000 });
    assert((await text(page, 'position')) === '4', `position ${await text(page, 'position')}`);
    assert((await text(page, 'ahead')).includes('3 people are ahead of you'), await text(page, 'ahead'));
    await page.getByTestId('paused').waitFor();
    await page.locator('[data-testid="connection"][data-mode="live"]').waitFor({ timeout: 15_000 });
    await shot(page, '01-waiting-paused.png', 'buyer at position 4 of 4, admission paused, live connection, place-kept note');
  });

  await check('a second tab of the same browser shares the one socket', async () => {
    const tab2 = await ctx.newPage();
    await tab2.goto(page.url());
    await tab2.locator('[data-testid="connection"][data-mode="follower"]').waitFor({ timeout: 15_000 });
    assert((await text(tab2, 'position')) === '4', 'tab 2 shows the same position');
    const stats = await u.stats(EVENT);
    assert(stats.local_connections === 1, `sockets for the event: ${stats.local_connections}`);
    await shot(tab2, '02-second-tab.png', 'a second tab mirroring the first over BroadcastChannel (no second socket)');
    await tab2.close();
  });

  await check('a reload mid-queue keeps the same place', async () => {
    const before = await page.evaluate((e) => JSON.parse(localStorage.getItem(`usher:place:${e}`)).token, EVENT);
    await page.reload();
    await page.locator('[data-testid="connection"][data-mode="live"]').waitFor({ timeout: 15_000 });
    const after = await page.evaluate((e) => JSON.parse(localStorage.getItem(`usher:place:${e}`)).token, EVENT);
    assert(before === after, 'token changed on reload');
    assert((await text(page, 'position')) === '4', `position after reload ${await text(page, 'position')}`);
    const stats = await u.stats(EVENT);
    assert(stats.waiting === 4, `waiting ${stats.waiting}: the reload must not join again or leave`);
    await shot(page, '03-after-reload.png', 'the same buyer after a reload: same token, still position 4');
  });

  const MESSAGE = 'Doors open at 17:30. Up to 10 tickets per order.';
  await check('chooses seats while waiting, and the operator’s message arrives at once', async () => {
    const choice = page.getByTestId('prechoice');
    await choice.getByLabel('Number of tickets').selectOption('3');
    assert((await text(page, 'prechoice-kept')) === 'Kept for your turn: 3 tickets, best available.', await text(page, 'prechoice-kept'));
    assert((await choice.getByTestId('sections').locator('li').count()) === 9, 'the sections and prices are not shown while waiting');
    await u.broadcast(EVENT, MESSAGE);
    await page.getByTestId('announcement').getByText(MESSAGE).waitFor({ timeout: 5_000 });
    assert((await page.getByTestId('announcement').getAttribute('role')) === 'status', 'the message is not a status region');
    await shot(page, '03a-waiting-announcement.png', 'waiting with the operator’s message and 3 tickets chosen ahead, beside the prices and seats left by section');
    await page.setViewportSize({ width: 390, height: 844 });
    await shot(page, '03b-waiting-announcement-phone.png', 'phone width (390 px): the operator’s message, the position, the seats chosen while waiting');
    await page.setViewportSize({ width: 1100, height: 900 });
  });

  const adminCtx = await browser.newContext({ viewport: { width: 1280, height: 1000 } });
  const admin = await adminCtx.newPage();
  await check('a refused admin token shows only the sign-in, with the reason, and no controls', async () => {
    await admin.goto(`${base}/admin`);
    await admin.getByLabel('Admin token').fill('not-the-operator-token');
    await admin.getByLabel('Event', { exact: true }).fill(EVENT);
    await admin.getByRole('button', { name: 'Sign in' }).click();
    const refused = await text(admin, 'admin-refused');
    assert(/refused/.test(refused), refused);
    for (const control of ['Pause admission', 'Resume admission', 'Save settings']) {
      const n = await admin.getByRole('button', { name: control }).count();
      assert(n === 0, `"${control}" is offered with a refused token`);
    }
    assert((await admin.getByTestId('admin-state').count()) === 0, 'a "Loading…" state is shown with a refused token');
    assert((await admin.locator('.charts').count()) === 0, 'charts are shown with a refused token');
    await shot(admin, '05a-admin-refused.png', 'operator dashboard with a refused token: only the sign-in and the reason');
  });

  await check('the operator opens the dashboard, sets a low rate and resumes admission', async () => {
    await admin.getByLabel('Admin token').fill(ADMIN_TOKEN);
    await admin.getByLabel('Event', { exact: true }).fill(EVENT);
    await admin.getByRole('button', { name: 'Sign in' }).click();
    await admin.getByTestId('admin-summary').waitFor({ timeout: 15_000 });
    assert((await text(admin, 'admin-state')).includes('Paused'), await text(admin, 'admin-state'));
    const rate = admin.getByLabel('Rate (admissions per second)');
    await rate.fill('0.7');
    await admin.getByLabel('Burst (largest batch)').fill('1');
    await admin.getByRole('button', { name: 'Save settings' }).click();
    await admin.getByText('Settings saved.').waitFor();
    await admin.getByRole('button', { name: 'Resume admission' }).click();
    await admin.getByText('Admission resumed.').waitFor();
  });

  await check('the buyer watches the position fall, then is admitted and enters', async () => {
    const seen = [];
    let shotTaken = false;
    const until = Date.now() + 45_000;
    while (Date.now() < until) {
      if (await page.getByRole('heading', { name: 'Your tickets' }).isVisible()) break;
      const p = await positionOf(page);
      if (p !== null && seen[seen.length - 1] !== p) seen.push(p);
      if (!shotTaken && p !== null && p < 4) {
        shotTaken = true;
        await shot(page, '04-position-falling.png', `position fallen to ${p} after admission resumed; ETA range and progress bar`);
      }
      await page.waitForTimeout(100);
    }
    log(`       positions seen: ${seen.join(' → ')}`);
    assert(seen[0] === 4, `first position ${seen[0]}`);
    assert(seen.length >= 3, 'the position fell step by step');
    assert(seen.every((p, i) => i === 0 || p < seen[i - 1]), 'positions only fall');
    await page.getByTestId('entry-clock').waitFor({ timeout: 15_000 });
    seatsAt = Date.now();
    // The countdown is the entry window's, never more than the window; not the pass's few seconds.
    const [, m, s] = /(\d+):(\d\d)/.exec(await text(page, 'entry-clock'));
    const left = Number(m) * 60 + Number(s);
    assert(left <= ENTRY_WINDOW_SECS, `the countdown starts at ${m}:${s} for a ${ENTRY_WINDOW_SECS} s window`);
    assert(left > PASS_SECS + 60, `the countdown shows ${m}:${s}: the pass's time, not the window's`);
  });

  await check('the dashboard charts the queue draining', async () => {
    await admin.waitForTimeout(1500);
    const waiting = Number((await text(admin, 'chart-Waiting')).replace(/\D/g, ''));
    assert(waiting === 0, `waiting chart says ${waiting}`);
    await shot(admin, '05-admin-dashboard.png', 'operator dashboard: waiting, admission rate, active users, sockets, ETA accuracy; controls');
  });

  await check('a slow chooser keeps the turn: after the pass ran out, the hold renews it and holds two seats', async () => {
    await page.getByTestId('remaining').waitFor({ timeout: 15_000 });
    assert((await page.getByLabel('Number of tickets').inputValue()) === '3', 'the seats chosen while waiting are not filled in');
    await page.getByTestId('prefilled').waitFor();
    await page.getByTestId('announcement').getByText(MESSAGE).waitFor({ timeout: 5_000 });
    await shot(page, '06-seats.png', 'after admission: countdown to the end of the entry window, the operator’s message, seats left per section, the choice made while waiting filled in');
    await page.setViewportSize({ width: 390, height: 844 });
    await shot(page, '06b-seats-phone.png', 'phone width (390 px): the seats page with the entry window’s countdown and the choice filled in');
    await page.setViewportSize({ width: 1100, height: 900 });
    // Longer on the page than the pass lasts: holding must renew it.
    await page.waitForTimeout(Math.max(0, SLOW_CHOOSER_MS - (Date.now() - seatsAt)));
    assert(Date.now() - enters[enters.length - 1] > PASS_SECS * 1000, 'the pass had not run out yet');
    const before = enters.length;
    await page.getByLabel('Number of tickets').selectOption('2');
    await page.getByRole('button', { name: 'Hold these seats' }).click();
    await page.getByTestId('held').waitFor({ timeout: 15_000 });
    assert(enters.length === before + 1, `${enters.length - before} enter calls for the hold: the pass was not renewed once`);
    log(`       held ${((Date.now() - seatsAt) / 1000).toFixed(1)} s after the seats page opened (pass ${PASS_SECS} s)`);
  });

  await check('holds two seats with the reservation token and shows the server’s hold countdown', async () => {
    const clock = await text(page, 'hold-clock');
    assert(/Held for \d+:\d\d more/.test(clock), clock);
    await shot(page, '07-held.png', 'two seats held: seat ids, total from the server, hold countdown from hold_expires_at, payment scenarios');
    // The rest of the purchase at phone width: nothing sticks out.
    await page.setViewportSize({ width: 390, height: 844 });
    await shot(page, '07-held-phone.png', 'phone width (390 px): the held seats and the payment choices, each on its own lines');
  });

  await check('pays (approve) and sees the real order id, confirmed by the server', async () => {
    await page.getByRole('button', { name: /^Pay / }).click();
    await page.getByTestId('order-id').waitFor({ timeout: 20_000 });
    const orderId = (await text(page, 'order-id')).trim();
    assert(/^ord_/.test(orderId) || orderId.length > 4, `order id ${orderId}`);
    const { jwt, reservationId } = await page.evaluate((e) => {
      const auth = JSON.parse(localStorage.getItem('usher:auth'));
      const place = JSON.parse(localStorage.getItem(`usher:place:${e}`));
      const p = JSON.parse(localStorage.getItem(`usher:purchase:${e}:${place.token}`));
      return { jwt: auth.token, reservationId: p.reservation.reservation_id };
    }, EVENT);
    const r = await u.reservation(reservationId, jwt);
    assert(r.status === 'CONFIRMED' && r.order_id === orderId, `server says ${r.status} ${r.order_id}, page ${orderId}`);
    log(`       order ${orderId} for reservation ${reservationId}`);
    await shot(page, '08-confirmed-phone.png', `phone width: order confirmed, order id ${orderId} (as the server recorded it) wrapped inside its card`);
  });

  await check('from the confirmation: "My orders" lists the order as confirmed, and "All sales" leads back', async () => {
    const orderId = (await text(page, 'order-id')).trim();
    const seats = await text(page, 'confirmed-seats');
    const total = await text(page, 'confirmed-total');
    assert(/^[A-Z]+-\d+-\d+, [A-Z]+-\d+-\d+$/.test(seats), `the confirmation's seats: ${seats}`);
    await page.getByTestId('way-back').getByRole('link', { name: 'My orders' }).click();
    const order = page.locator('[data-testid="order"][data-status="CONFIRMED"]').first();
    await order.waitFor({ timeout: 15_000 });
    assert((await text(order, 'order-number')).trim() === orderId, `my orders says ${await text(order, 'order-number')}, the page ${orderId}`);
    assert((await text(order, 'order-status')) === 'Confirmed', await text(order, 'order-status'));
    assert((await order.textContent()).includes(total), `my orders does not show the total ${total}`);
    // The event's name comes from the list of sales, which may arrive after the orders.
    await order.getByRole('link', { name: EVENT_NAME }).waitFor({ timeout: 15_000 });
    const rows = await page.getByTestId('order').count();
    assert(rows >= 1, `${rows} orders`);
    await shot(page, '08c-orders-phone.png', `phone width: "My orders": the confirmed order ${orderId} with its event, seats, total and status`);
    await page.setViewportSize({ width: 1100, height: 900 });
    await shot(page, '08d-orders.png', 'desktop width: "My orders"');
    await page.goBack();
    await page.getByTestId('confirmed').waitFor({ timeout: 15_000 });
    await shot(page, '08e-confirmed.png', 'desktop width: the confirmation with order, seats, total, and the way back ("My orders", "All sales")');
    await page.getByTestId('way-back').getByRole('link', { name: 'All sales' }).click();
    await page.getByTestId('sales').waitFor({ timeout: 15_000 });
  });

  await adminCtx.close();
  await ctx.close();
}

async function unhappyScenario(base, u) {
  log('\nA declined payment, then a hold that runs out: both shown as the server reports them.');
  const ctx = await browser.newContext({ viewport: { width: 1100, height: 900 } });
  const page = await ctx.newPage();
  page.on('pageerror', (e) => log(`  [page error] ${e.message}`));
  const jwtAndReservation = () =>
    page.evaluate((e) => {
      const auth = JSON.parse(localStorage.getItem('usher:auth'));
      const place = JSON.parse(localStorage.getItem(`usher:place:${e}`));
      const p = JSON.parse(localStorage.getItem(`usher:purchase:${e}:${place.token}`));
      return { jwt: auth.token, reservationId: p.reservation.reservation_id };
    }, EVENT);
  const holdOne = async () => {
    await page.getByTestId('remaining').waitFor({ timeout: 20_000 });
    await page.getByLabel('Number of tickets').selectOption('1');
    await page.getByRole('button', { name: 'Hold these seats' }).click();
    await page.getByTestId('held').waitFor({ timeout: 15_000 });
  };

  await check('a declined payment releases the seats and says so', async () => {
    await page.goto(`${base}/events/${EVENT}`);
    await page.getByTestId('join').waitFor({ timeout: 15_000 });
    await shot(page, '08a-join-signed-out.png', 'an event page before joining, signed out: "Join the queue" and the sign-in form');
    await page.getByLabel('Username').fill(`unlucky${Date.now() % 1_000_000}`);
    await page.getByLabel('Password (at least 8 characters)').fill('correct horse battery');
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.getByTestId('signed-in').waitFor({ timeout: 15_000 });
    await page.getByTestId('join').click();
    await holdOne();
    await page.getByRole('radio', { name: /Decline/ }).check();
    // The payment request is held until the page sending it has been photographed: "Paying…"
    // and "Release seats" both disabled, as a slow network shows them.
    let send;
    const sent = new Promise((r) => (send = r));
    const fallback = setTimeout(() => send(), 10_000);
    // Stays in place: once released, later payments pass straight through.
    await page.route(
      (url) => url.pathname === '/api/v1/payments/intent',
      async (route) => {
        await sent;
        await route.continue();
      },
    );
    try {
      await page.getByRole('button', { name: /^Pay / }).click();
      await page.getByRole('button', { name: 'Paying…' }).waitFor({ timeout: 5_000 });
      assert(await page.getByRole('button', { name: 'Release seats' }).isDisabled(), '"Release seats" is enabled while paying');
      await shot(page, '08b-pay-sending.png', 'the payment being sent: "Paying…" and "Release seats" disabled, still readable');
    } finally {
      send();
      clearTimeout(fallback);
    }
    await page.getByTestId('outcome-failed').waitFor({ timeout: 20_000 });
    const { jwt, reservationId } = await jwtAndReservation();
    const r = await u.reservation(reservationId, jwt);
    assert(r.status === 'FAILED' && !r.order_id, `server says ${r.status} ${r.order_id}`);
    await shot(page, '09-payment-declined.png', 'payment declined by the simulator: no order, seats released, way back to the queue');
  });

  await check('a hold that runs out before payment is shown as expired once the server says so', async () => {
    await page.getByRole('button', { name: 'Join the queue again' }).click();
    await page.getByTestId('join').click();
    await holdOne();
    await page.getByRole('radio', { name: /No answer/ }).check();
    await page.getByRole('button', { name: /^Pay / }).click();
    await page.getByTestId('paying').waitFor({ timeout: 10_000 });
    await shot(page, '10-paying.png', 'payment pending (simulator never answers); the hold countdown keeps running');
    await page.getByTestId('outcome-expired').waitFor({ timeout: (HOLD_SECS + 15) * 1000 });
    const { jwt, reservationId } = await jwtAndReservation();
    const r = await u.reservation(reservationId, jwt);
    assert(r.status === 'EXPIRED', `server says ${r.status}`);
    await shot(page, '11-hold-expired.png', 'the hold ran out before payment: expired, seats released, as the server reports');
  });
  await ctx.close();
}

async function pollingScenario(base, u) {
  log('\nNo WebSocket: the page falls back to polling, at phone width.');
  await u.configure(POLL_EVENT, { paused: true, rate_per_sec: 1, burst: 1 });
  for (let i = 0; i < 2; i++) await u.join(POLL_EVENT);

  const ctx = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
  // What a proxy that blocks WebSockets looks like to a page: every socket fails to connect.
  await ctx.addInitScript(() => {
    window.__wsAttempts = 0;
    window.WebSocket = class BlockedWebSocket {
      constructor(url) {
        window.__wsAttempts++;
        this.url = url;
        this.readyState = 0;
        setTimeout(() => {
          this.readyState = 3;
          this.onerror?.(new Event('error'));
          this.onclose?.({ code: 1006, reason: '', wasClean: false });
        }, 30);
      }
      send() {
        throw new Error('WebSocket is not open');
      }
      close() {}
    };
  });
  const page = await ctx.newPage();
  page.on('pageerror', (e) => log(`  [page error] ${e.message}`));

  await check('joins and shows its place from REST polling', async () => {
    await page.goto(`${base}/`);
    await page.getByLabel('Username').waitFor();
    await shot(page, '11a-home-phone.png', 'phone width (390 px): the home page, signed out');
    await page.goto(`${base}/events/${POLL_EVENT}`);
    await page.getByTestId('join').click();
    await page.locator('[data-testid="connection"][data-mode="polling"]').waitFor({ timeout: 20_000 });
    await page.getByTestId('position').waitFor({ timeout: 15_000 });
    assert((await text(page, 'position')) === '3', `position ${await text(page, 'position')}`);
    assert((await text(page, 'connection')).includes('checking every'), await text(page, 'connection'));
    await shot(page, '12-polling-phone.png', 'phone width (390 px), WebSockets blocked: position 3 from REST polling, indicator says so');
  });

  await check('is usable from the keyboard alone (Tab to "Leave the queue", Enter, then "Stay")', async () => {
    await page.locator('body').focus();
    let reached = false;
    for (let i = 0; i < 25 && !reached; i++) {
      await page.keyboard.press('Tab');
      reached = await page.evaluate(() => document.activeElement?.textContent === 'Leave the queue');
    }
    assert(reached, 'the leave button is not reachable with Tab');
    await page.keyboard.press('Enter');
    const stay = page.getByRole('button', { name: 'Stay in the queue' });
    await stay.waitFor();
    assert(await stay.evaluate((el) => el === document.activeElement), 'focus moves to the safe choice');
    await page.keyboard.press('Enter');
    await page.getByRole('button', { name: 'Leave the queue' }).waitFor();
  });

  await check('advances by polling to admission, and keeps trying to upgrade to a socket', async () => {
    await u.configure(POLL_EVENT, { paused: false });
    const seen = [];
    const until = Date.now() + 45_000;
    while (Date.now() < until) {
      if (await page.getByTestId('ready').isVisible()) break;
      const p = await positionOf(page);
      if (p !== null && seen[seen.length - 1] !== p) seen.push(p);
      await page.waitForTimeout(100);
    }
    log(`       positions seen: ${seen.join(' → ')}`);
    await page.getByTestId('ready').waitFor({ timeout: 5_000 });
    assert(seen[0] === 3 && seen.every((p, i) => i === 0 || p < seen[i - 1]), `positions ${seen}`);
    await page.waitForTimeout(12_000); // long enough for a background upgrade attempt
    const attempts = await page.evaluate(() => window.__wsAttempts);
    assert(attempts >= 4, `socket attempts ${attempts}: 3 before the fallback, then upgrades`);
    await shot(page, '13-polling-ready.png', 'phone width, still without WebSockets: admitted ("your turn"), sign-in asked, entry deadline');
  });

  await check('leaving is explicit and ends honestly', async () => {
    await page.getByRole('button', { name: 'Leave the queue' }).click();
    await page.getByRole('button', { name: 'Yes, leave' }).click();
    await page.locator('[data-testid="ended"][data-phase="left"]').waitFor({ timeout: 15_000 });
    await shot(page, '14-left.png', 'phone width: after leaving, the honest end state with a way back');
  });
  await ctx.close();
}

/** Runs in the page (an init script): logs each join and queue phase as it appears, in order. */
function watchPhases() {
  const ids = ['countdown', 'browser-check', 'auto-joining', 'prequeue', 'drawing', 'drawn-rank', 'position', 'ready'];
  const seen = (window.__phases = []);
  const sizes = (window.__prequeueSizes = []);
  let shown = new Set();
  const look = () => {
    const now = new Set(ids.filter((id) => document.querySelector(`[data-testid="${id}"]`)));
    for (const id of now) if (!shown.has(id)) seen.push(id);
    shown = now;
    const size = document.querySelector('[data-testid="prequeue-size"] strong');
    const n = size ? Number(size.textContent.replace(/\D/g, '')) : null;
    if (n !== null && sizes[sizes.length - 1] !== n) sizes.push(n);
  };
  new MutationObserver(look).observe(document, { subtree: true, childList: true, characterData: true });
}

const prequeueSizeOf = (page) =>
  page.evaluate(() => {
    const el = document.querySelector('[data-testid="prequeue-size"] strong');
    return el ? Number(el.textContent.replace(/\D/g, '')) : null;
  });

async function waitUntil(what, fn, ms) {
  const until = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > until) throw new Error(`timed out after ${ms} ms: ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** The page's phase log has `expected` in this order (other phases may come between). */
function assertPhases(phases, ...expected) {
  let i = 0;
  for (const p of phases) if (p === expected[i]) i++;
  assert(i === expected.length, `expected ${expected.join(' → ')} in order; phases seen: ${phases.join(' → ')}`);
}

async function scheduledScenario(base, u) {
  log('\nScheduled sale, random draw, proof of work: countdown, browser check, pre-queue, draw, admission, verify (desktop and 390 px).');
  const t0 = Date.now();
  const opensAt = t0 + 4_000;
  // The page joins 0–2 s after the opening, by itself, after solving its challenge: 6 s leave
  // room for that and for the pre-queue's growth to be pushed.
  const startsAt = t0 + 10_000;
  const at = () => `t+${((Date.now() - t0) / 1000).toFixed(1)} s`;
  await u.configure(DRAW_EVENT, {
    prequeue_opens_at: opensAt,
    sale_starts_at: startsAt,
    queueing_method: 'random_at_start',
    pow_difficulty: POW_DIFFICULTY,
    paused: false,
    rate_per_sec: 5,
    burst: 5,
  });

  const views = [];
  for (const [tag, opts] of [
    ['desktop', { viewport: { width: 1100, height: 900 } }],
    ['phone', { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true }],
  ]) {
    const ctx = await browser.newContext(opts);
    await ctx.addInitScript(watchPhases);
    const page = await ctx.newPage();
    page.on('pageerror', (e) => log(`  [page error, ${tag}] ${e.message}`));
    const v = { tag, ctx, page, joins: [], answers: [], release: () => {} };
    // At difficulty 12 the page solves its challenge in milliseconds: the answer to a challenge
    // asked for once the queue is open is held until the browser check has been photographed (at
    // most 5 s), then passed on as it is.
    const gate = new Promise((r) => (v.release = r));
    await page.route(
      (url) => url.pathname === '/api/v1/queue/challenge',
      async (route) => {
        if (Date.now() >= opensAt) await Promise.race([gate, new Promise((r) => setTimeout(r, 5_000))]);
        await route.continue();
      },
    );
    const isJoin = (req) => req.method() === 'POST' && new URL(req.url()).pathname === '/api/v1/queue/join';
    page.on('request', (req) => {
      if (isJoin(req)) v.joins.push(req.postDataJSON());
    });
    page.on('response', async (res) => {
      if (!isJoin(res.request())) return;
      const i = v.answers.push(String(res.status())) - 1;
      const code = await res
        .json()
        .then((b) => b?.error?.code)
        .catch(() => undefined);
      if (code) v.answers[i] += ` ${code}`;
    });
    views.push(v);
  }
  const each = (fn) => Promise.all(views.map(fn));

  await check('joins before the queue opens: the countdown to the opening is shown', async () => {
    await each(async (v) => {
      await v.page.goto(`${base}/events/${DRAW_EVENT}`);
      await v.page.getByTestId('join').click();
      await v.page.getByTestId('countdown').waitFor({ timeout: 10_000 });
      const left = (await text(v.page, 'opens-in')).trim();
      assert(/^0:0[0-4]$/.test(left), `${v.tag}: countdown says ${left}`);
      assert(Date.now() < opensAt, `${v.tag}: the countdown came after the opening (${at()})`);
      await shot(
        v.page,
        `${v.tag === 'desktop' ? 15 : 16}-draw-countdown-${v.tag}.png`,
        `${v.tag}: scheduled sale, joined before the opening: countdown (${left}) to the queue's opening`,
      );
    });
    log(`       countdowns shown by ${at()}`);
  });

  await check('at the opening it joins by itself: browser check (proof of work solved in a worker), then the pre-queue', async () => {
    await each(async (v) => {
      await v.page.getByTestId('browser-check').waitFor({ timeout: 12_000 });
      assert(Date.now() >= opensAt - 100, `${v.tag}: the browser check started before the opening (${at()})`);
      const bar = v.page.getByRole('progressbar', { name: 'Browser check' });
      assert(await bar.isVisible(), `${v.tag}: no progress bar`);
      await shot(
        v.page,
        `${v.tag === 'desktop' ? 17 : 18}-draw-browser-check-${v.tag}.png`,
        `${v.tag}: the queue opened; the page joins by itself and runs the browser check (proof of work, difficulty ${POW_DIFFICULTY}; its challenge held back for this picture) with its progress bar`,
      );
      v.release();
      await v.page.getByTestId('prequeue').waitFor({ timeout: 10_000 });
      v.inPrequeueAt = at();
      assert(v.joins[0] && !v.joins[0].pow, `${v.tag}: the first join carried a solution before any challenge`);
      const answers = v.answers.join(' → ');
      // Every solution the page sent is the smallest nonce with enough zero bits.
      const nonces = [];
      for (const { pow } of v.joins.filter((j) => j?.pow)) {
        const bits = powBits(pow.challenge, pow.nonce);
        assert(bits >= POW_DIFFICULTY, `${v.tag}: nonce ${pow.nonce} gives ${bits} zero bits`);
        assert(solvePow(pow.challenge, POW_DIFFICULTY) === pow.nonce, `${v.tag}: nonce ${pow.nonce} is not the smallest`);
        nonces.push(pow.nonce);
      }
      const lastJoin = v.joins[v.joins.length - 1];
      assert(lastJoin?.pow, `${v.tag}: the join that got the place carried no solution`);
      assert(/^20\d$/.test(v.answers[v.answers.length - 1]), `${v.tag}: joins answered ${answers}`);
      const notOpen = v.answers.indexOf('403 SALE_NOT_OPEN');
      // Before the opening usher says so first: no challenge is solved for a join that cannot be.
      assert(notOpen === 0, `${v.tag}: the first join was not told the sale is not open: ${answers}`);
      assert(nonces.length === 1, `${v.tag}: ${nonces.length} challenges solved for one join`);
      assert(v.answers.indexOf('403 POW_REQUIRED', notOpen) > notOpen, `${v.tag}: no challenge after the opening: ${answers}`);
      const phases = await v.page.evaluate(() => window.__phases);
      assertPhases(phases, 'countdown', 'browser-check', 'prequeue');
      log(`       ${v.tag}: in the pre-queue at ${v.inPrequeueAt}; joins answered ${answers}; nonces ${nonces.join(', ')}`);
    });
  });

  const apiTokens = [];
  await check('the pre-queue says when places are drawn, and its size grows as 5 scripted entrants join (proof of work solved in Node)', async () => {
    await each(async (v) => {
      const drawAt = await text(v.page, 'draw-at');
      assert(/Your place in line will be drawn at \d/.test(drawAt), `${v.tag}: ${drawAt}`);
      assert((await v.page.getByTestId('prequeue').getAttribute('data-method')) === 'random_at_start', 'method');
      assert((await positionOf(v.page)) === null, `${v.tag}: a position is shown before the draw`);
      v.sizeBefore = await waitUntil(`${v.tag}: pre-queue size shown`, () => prequeueSizeOf(v.page), 5_000);
    });
    for (let i = 0; i < 5; i++) {
      const joined = await u.powJoin(DRAW_EVENT);
      assert(joined.difficulty === POW_DIFFICULTY, `challenge difficulty ${joined.difficulty}`);
      apiTokens.push(joined.waiting_token);
    }
    log(`       5 scripted entrants joined by ${at()}`);
    await each(async (v) => {
      await waitUntil(`${v.tag}: pre-queue size 7`, async () => (await prequeueSizeOf(v.page)) === 7, 4_000);
      const sizes = await v.page.evaluate(() => window.__prequeueSizes);
      log(`       ${v.tag}: pre-queue sizes shown ${sizes.join(' → ')} (by ${at()})`);
      assert(Date.now() < startsAt, `${v.tag}: the pre-queue grew too late to be seen (${at()})`);
      await shot(
        v.page,
        `${v.tag === 'desktop' ? 19 : 20}-draw-prequeue-${v.tag}.png`,
        `${v.tag}: the pre-queue: 7 people, the sale's start with its countdown, "Your place in line will be drawn at …"`,
      );
    });
  });

  await check('at the start the draw is made: each page shows its position and drawn rank; the 7 ranks are 1 to 7', async () => {
    // The admission bucket is full when the sale starts, so every rank up to the burst is
    // admitted by the step right after the draw, and its page goes from the pre-queue straight to
    // "It's your turn" (no position, no drawn rank). Holding admission across the start shows
    // every page's drawn position, whatever rank it drew; admission resumes in the next check.
    await u.configure(DRAW_EVENT, { paused: true });
    assert(Date.now() < startsAt, `admission was held too late (${at()})`);
    await each(async (v) => {
      await v.page.getByTestId('drawn-rank').waitFor({ timeout: 15_000 });
      v.drawnAt = at();
      v.rank = Number(/number\s+(\d+)/.exec(await text(v.page, 'drawn-rank'))?.[1]);
      v.position = await positionOf(v.page);
      v.token = await v.page.evaluate((e) => JSON.parse(localStorage.getItem(`usher:place:${e}`)).token, DRAW_EVENT);
      v.verifyHref = await v.page.getByRole('link', { name: 'Verify my draw' }).getAttribute('href');
      assert(v.verifyHref === `/events/${DRAW_EVENT}/draw`, `${v.tag}: verify link ${v.verifyHref}`);
      await shot(
        v.page,
        `${v.tag === 'desktop' ? 21 : 22}-draw-position-${v.tag}.png`,
        `${v.tag}: after the draw: position ${v.position}, drawn rank ${v.rank}, "Verify my draw" (admission held by the operator)`,
      );
    });
    const draw = await u.draw(DRAW_EVENT);
    assert(draw.state === 'drawn' && draw.entrants === 7, `draw ${draw.state}, ${draw.entrants} entrants`);
    const ranks = [];
    for (const token of [...views.map((v) => v.token), ...apiTokens]) ranks.push((await u.proof(DRAW_EVENT, token)).rank);
    assert(
      [...ranks].sort((a, b) => a - b).join() === '1,2,3,4,5,6,7',
      `ranks ${ranks.join()}: not a permutation of 1..7`,
    );
    views.forEach((v, i) => {
      assert(v.rank === ranks[i], `${v.tag}: page says rank ${v.rank}, proof ${ranks[i]}`);
      // Nobody has been admitted or left: the position is the rank.
      assert(v.position === v.rank, `${v.tag}: position ${v.position}, rank ${v.rank}`);
      log(`       ${v.tag}: position ${v.position}, drawn rank ${v.rank}, shown by ${v.drawnAt}`);
    });
    log(`       drawn ${draw.drawn_at - startsAt} ms after the start; ranks (pages first) ${ranks.join(', ')}`);
  });

  await check('admission resumes and each page is admitted ("It’s your turn")', async () => {
    await u.configure(DRAW_EVENT, { paused: false });
    await each(async (v) => {
      await v.page.getByTestId('ready').waitFor({ timeout: 15_000 });
      await v.page.getByRole('heading', { name: 'It’s your turn' }).waitFor({ timeout: 5_000 });
      const phases = await v.page.evaluate(() => window.__phases);
      assertPhases(phases, 'countdown', 'browser-check', 'prequeue', 'drawn-rank', 'ready');
      log(`       ${v.tag}: admitted by ${at()}; phases ${phases.join(' → ')}`);
    });
  });

  await check('the verify page recomputes the draw in the browser: every check passed', async () => {
    await each(async (v) => {
      await v.page.goto(`${base}${v.verifyHref}`);
      await v.page.getByTestId('check-rank').waitFor({ timeout: 15_000 });
      for (const id of ['commitment', 'inclusion', 'rank']) {
        const outcome = await v.page.getByTestId(`check-${id}`).getAttribute('data-outcome');
        assert(outcome === 'pass', `${v.tag}: check ${id}: ${outcome} — ${await text(v.page, `check-${id}`)}`);
      }
      const summary = await text(v.page, 'draw-summary');
      assert(summary.startsWith('All three checks passed'), `${v.tag}: ${summary}`);
      const recomputed = Number((await text(v.page, 'recomputed-rank')).replace(/\D/g, ''));
      const served = Number((await text(v.page, 'server-rank')).replace(/\D/g, ''));
      assert(recomputed === v.rank && served === v.rank, `${v.tag}: recomputed ${recomputed}, usher ${served}, drawn ${v.rank}`);
      await shot(
        v.page,
        `${v.tag === 'desktop' ? 23 : 24}-draw-verify-${v.tag}.png`,
        `${v.tag}: "Verify the draw": the published values, and the three checks passed in the browser (rank ${v.rank} recomputed)`,
      );
    });
  });
  for (const v of views) await v.ctx.close();

  await check('measures the browser’s proof-of-work hash rate (?powbench=1)', async () => {
    const ctx = await browser.newContext({ viewport: { width: 1100, height: 900 } });
    try {
      const page = await ctx.newPage();
      page.on('pageerror', (e) => log(`  [page error] ${e.message}`));
      await page.goto(`${base}/events/${DRAW_EVENT}?powbench=1`);
      await page.waitForFunction(() => typeof window.__usherPowBench === 'function', null, { timeout: 10_000 });
      const rate = await page.evaluate(() => window.__usherPowBench(3000));
      assert(Number.isFinite(rate) && rate > 0, `hash rate ${rate}`);
      log(`pow-bench browser hashes/s: ${Math.round(rate)}`);
    } finally {
      await ctx.close();
    }
  });
}

async function main() {
  rmSync(results, { recursive: true, force: true });
  mkdirSync(results, { recursive: true });
  if (build) {
    run('cargo', ['build', '--locked'], root);
    run('npm', ['run', 'build'], client);
  }
  // The builds may take long on a fresh machine; the test itself may not.
  const watchdog = setTimeout(() => {
    log(`e2e: gave up after ${WATCHDOG_MS / 1000} s\n\ne2e: ${passed} passed, ${failed + 1} failed`);
    stopUsher();
    process.exit(1);
  }, WATCHDOG_MS);
  assert(existsSync(CHROMIUM), `${CHROMIUM} is missing (apt-get install chromium)`);
  server = await startUsher({
    USHER_ADMIN_TOKEN: ADMIN_TOKEN,
    USHER_PAYMENT_DELAY_MS: '200',
    USHER_HOLD_SECS: String(HOLD_SECS),
    USHER_RESERVATION_TTL_SECS: String(PASS_SECS),
  });
  const { base, logs } = server;
  log(`usher on ${base}`);
  try {
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      // playwright-core gives every launch a fresh, empty profile directory of its own.
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
    const u = api(base);
    await buyerScenario(base, u);
    await unhappyScenario(base, u);
    await pollingScenario(base, u);
    await scheduledScenario(base, u);
    await salesScenario({ browser, base, u, check, assert, shot, text, log, event: EVENT, eventName: EVENT_NAME });
    await operatorScenario({ browser, base, u, check, assert, shot, text, log, adminToken: ADMIN_TOKEN });
  } catch (e) {
    failed++;
    log(`  FAIL ${e?.stack ?? e}`);
  } finally {
    await browser?.close().catch(() => {});
    stopUsher();
    clearTimeout(watchdog);
    if (failed) writeFileSync(join(results, 'usher.log'), logs.join(''));
  }
  log('\nScreenshots:');
  shots.sort((a, b) => a.file.localeCompare(b.file)); // pages photographed side by side finish in any order
  for (const s of shots) log(`  ${s.file} — ${s.what}`);
  writeFileSync(join(results, 'screenshots.json'), JSON.stringify(shots, null, 2));
  const axe = a11y.report();
  writeFileSync(join(results, 'axe.json'), JSON.stringify(axe, null, 2));
  log(`\n${axe.line}`);
  log(`\ne2e: ${passed} passed, ${failed} failed`);
  process.exitCode = failed ? 1 : 0;
}

main().catch((e) => {
  log(`e2e: ${e?.stack ?? e}`);
  stopUsher();
  log(`\ne2e: ${passed} passed, ${failed + 1} failed`);
  process.exit(1);
});
