// The operators' part of the end-to-end test (imported by e2e.mjs, which owns the browser, the
// server and the checks): sign in once and work on a session cookie, watch an event live
// (pushed, not polled) and over its whole history, and use every verb, each read back from
// the audit log. At desktop and phone widths.

import { randomUUID } from 'node:crypto';

/** A local `datetime-local` value for an instant (to the minute). */
function localInput(ms) {
  const d = new Date(ms);
  const p = (n) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T${p(d.getHours())}:${p(d.getMinutes())}`;
}

export async function operatorScenario({ browser, base, u, check, assert, shot, text, log, adminToken }) {
  log('\nOperator: signs in once, watches an event live, and acts on it; every action is in the audit log.');
  const event = `evt_e2e_ops_${Date.now()}`;
  await u.configure(event, { paused: true });
  const waiters = [];
  for (let i = 0; i < 3; i++) waiters.push((await u.join(event)).waiting_token);
  const status = async (token) => {
    const r = await fetch(`${base}/api/v1/queue/status?token=${encodeURIComponent(token)}`);
    return { status: r.status, body: await r.json().catch(() => null) };
  };

  const ctx = await browser.newContext({ viewport: { width: 1280, height: 1000 } });
  const page = await ctx.newPage();
  page.on('pageerror', (e) => log(`  [page error] ${e.message}`));
  const requests = [];
  page.on('request', (r) => requests.push({ url: r.url(), auth: r.headers().authorization ?? null, at: Date.now() }));

  await check('signs in once: the token goes in a request body, never a URL, and is then held only by an HttpOnly cookie', async () => {
    await page.goto(`${base}/admin`);
    await page.getByLabel('Admin token').fill(adminToken);
    await page.getByLabel('Event', { exact: true }).fill(event);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByTestId('admin-operator').waitFor({ timeout: 15_000 });
    await page.getByTestId('admin-summary').waitFor({ timeout: 15_000 });
    assert(!requests.some((r) => r.url.includes(adminToken)), 'the admin token appeared in a URL');
    assert(!requests.some((r) => r.auth !== null), 'a request carried an Authorization header');
    const cookies = await page.evaluate(() => document.cookie);
    assert(!cookies.includes('usher_admin'), `the session cookie is readable by scripts: ${cookies}`);
    const stored = await page.evaluate(() => JSON.stringify({ ...localStorage, ...sessionStorage }));
    assert(!stored.includes(adminToken), 'the admin token is kept in page storage');
    // A reload keeps the session (the cookie), without typing the token again.
    await page.reload();
    await page.getByTestId('admin-operator').waitFor({ timeout: 15_000 });
  });

  await check('the live view is pushed by the server (one event stream, no polling), beside the whole sale by the minute', async () => {
    await page.getByLabel('Event id').fill(event);
    await page.getByRole('button', { name: 'Open' }).click();
    await page.getByTestId('admin-summary').waitFor({ timeout: 15_000 });
    const since = Date.now();
    await page.waitForTimeout(3_000);
    const recent = requests.filter((r) => r.at >= since);
    const polled = recent.filter((r) => /\/stats$/.test(new URL(r.url).pathname));
    assert(polled.length === 0, `the figures were polled ${polled.length} times in 3 s`);
    const streams = requests.filter((r) => new URL(r.url).pathname === `/api/v1/admin/events/${event}/live`);
    assert(streams.length >= 1, 'no live stream was opened');
    const waiting = Number((await text(page, 'chart-Waiting')).replace(/\D/g, ''));
    assert(waiting === 3, `the live waiting figure says ${waiting}`);
    await page.getByRole('heading', { name: 'Whole sale, by the minute' }).waitFor();
  });

  await check('queue everyone: admission stays stopped, and it is not a pause', async () => {
    // Queued everyone first, then the pause lifted: nobody is admitted in between.
    await page.getByRole('button', { name: 'Queue everyone' }).click();
    await page.getByText('Queueing everyone.', { exact: true }).waitFor();
    await page.getByRole('button', { name: 'Start admitting' }).waitFor({ timeout: 15_000 });
    await page.getByRole('button', { name: 'Resume admission' }).click();
    await page.getByText('Admission resumed.').waitFor();
    await page.waitForTimeout(500);
    const admitted = (await u.stats(event)).admitted_total;
    assert(admitted === 0, `${admitted} admitted while everyone is queued`);
    const s = await status(waiters[1]);
    assert(s.body.queue_all === true && s.body.paused === false, `status ${JSON.stringify(s.body)}`);
  });

  await check('a message is sent to everyone waiting', async () => {
    await page.getByLabel('Message (up to 500 characters)').fill('Doors open at 10:00. Keep this page open.');
    await page.getByRole('button', { name: 'Send message' }).click();
    await page.getByText('Message sent to everyone waiting.').waitFor();
    await page.getByTestId('admin-announcement').waitFor({ timeout: 15_000 });
    const s = await status(waiters[2]);
    assert(s.body.announcement?.message === 'Doors open at 10:00. Keep this page open.', JSON.stringify(s.body));
  });

  await check('a place is revoked: that waiter is gone, the others move up', async () => {
    await page.getByLabel('Waiting token').fill(waiters[0]);
    await page.getByRole('button', { name: 'Revoke place' }).click();
    await page.getByText(/revoked; its page was told/).waitFor();
    const gone = await status(waiters[0]);
    assert(gone.status !== 200, `the revoked token still answers ${gone.status}`);
    const next = await status(waiters[1]);
    assert(next.body.position === 1, `the next waiter is at ${next.body.position}`);
  });

  await check('the schedule is edited from the dashboard', async () => {
    const start = Date.now() + 3_600_000;
    await page.getByLabel('Sale starts').fill(localInput(start));
    await page.getByLabel('Sale ends').fill(localInput(start + 3_600_000));
    await page.getByRole('button', { name: 'Save schedule' }).click();
    await page.getByText('Schedule saved.').waitFor();
    const stats = await u.stats(event);
    const at = stats.config.schedule?.sale_starts_at_ms ?? 0;
    assert(Math.abs(at - start) < 60_000, `the server's start is ${new Date(at).toISOString()}`);
  });

  await check('at phone width the dashboard fits', async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    await shot(page, '12a-admin-operator-phone.png', 'operator dashboard at 390 px: live figures, history, settings, schedule, message, revoke, end, audit log');
    await page.setViewportSize({ width: 1280, height: 1000 });
  });

  await check('the sale is cancelled after a confirmation; joins are refused', async () => {
    await page.getByRole('button', { name: 'Cancel sale' }).click();
    await page.getByRole('button', { name: 'Yes, cancel the sale' }).click();
    await page.getByText('Sale cancelled; everyone waiting was told.').waitFor();
    await page.getByTestId('admin-ended').waitFor({ timeout: 15_000 });
    const r = await fetch(`${base}/api/v1/queue/join`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'idempotency-key': randomUUID() },
      body: JSON.stringify({ event_id: event }),
    });
    assert(r.status === 410, `a join after the cancel got ${r.status}`);
  });

  await check('the audit log says who did each thing, and when', async () => {
    const audit = page.getByTestId('audit');
    await page.waitForFunction(() => document.querySelector('[data-testid="audit"]')?.textContent?.includes('sale.cancel'), null, {
      timeout: 15_000,
    });
    const rows = await audit.locator('tbody tr').allTextContents();
    for (const action of ['sale.cancel', 'event.update', 'waiter.revoke', 'broadcast', 'session.sign_in']) {
      assert(rows.some((r) => r.includes(action)), `no "${action}" in the audit log: ${rows.join(' | ')}`);
    }
    const operator = (await text(page, 'admin-operator')).replace('Signed in as ', '').trim();
    assert(rows.every((r) => r.includes(operator)), `an entry without the operator ${operator}`);
    await shot(page, '12-admin-operator.png', 'operator dashboard after acting: cancelled sale, message, schedule, and the audit log of each action');
  });

  await check('signing out leaves only the sign-in', async () => {
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByLabel('Admin token').waitFor();
    assert((await page.locator('.charts').count()) === 0, 'charts are shown after signing out');
    await page.reload();
    await page.getByLabel('Admin token').waitFor({ timeout: 15_000 });
  });
  await ctx.close();
}
