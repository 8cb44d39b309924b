// The buyers' pages around the queue, as part of the end-to-end test (imported by e2e.mjs, which
// owns the browser, the server and the checks), side by side at desktop width and at 390 px:
// the list of sales, an event before joining, an id that is no sale, and what operators do as
// waiters see it: queue everyone, remove a place, cancel a sale.

const PHONE = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true };
const DESKTOP = { viewport: { width: 1100, height: 900 } };

export async function salesScenario({ browser, base, u, check, assert, shot, text, log, event, eventName }) {
  log('\nSales as buyers see them, and operators’ actions as waiters see them (desktop and 390 px).');
  const stamp = Date.now();
  const GATHER = `evt_e2e_gather_${stamp}`;
  const CANCEL = `evt_e2e_cancel_${stamp}`;
  await u.configure(GATHER, { queue_all: true, paused: false });
  await u.configure(CANCEL, { paused: true });

  const views = [];
  for (const [tag, opts] of [
    ['desktop', DESKTOP],
    ['phone', PHONE],
  ]) {
    const ctx = await browser.newContext(opts);
    const page = await ctx.newPage();
    page.on('pageerror', (e) => log(`  [page error, ${tag}] ${e.message}`));
    const v = { tag, ctx, page, sockets: 0 };
    page.on('websocket', () => v.sockets++);
    views.push(v);
  }
  const each = (fn) => Promise.all(views.map(fn));
  /** Screenshot file names: desktop first, the phone's number one above. */
  const file = (v, n, name) => `${v.tag === 'desktop' ? n : n + 1}-${name}-${v.tag}.png`;

  await check('the home page lists the sales: name, date, venue, price range, seats left and queue state, each a link', async () => {
    await each(async (v) => {
      await v.page.goto(`${base}/`);
      const item = v.page.locator(`[data-testid="sale"][data-event="${event}"]`);
      await item.waitFor({ timeout: 15_000 });
      const link = item.getByRole('link', { name: eventName });
      assert((await link.getAttribute('href')) === `/events/${event}`, `${v.tag}: the sale's link`);
      assert((await text(item, 'sale-venue')) === 'Olympic Stadium, Seoul', `${v.tag}: venue ${await text(item, 'sale-venue')}`);
      assert(/2025/.test(await text(item, 'sale-date')), `${v.tag}: date ${await text(item, 'sale-date')}`);
      assert(/50,000.*150,000/.test(await text(item, 'sale-prices')), `${v.tag}: prices ${await text(item, 'sale-prices')}`);
      assert(/^[\d,]+ seats left$/.test(await text(item, 'sale-left')), `${v.tag}: ${await text(item, 'sale-left')}`);
      assert((await text(item, 'sale-state')).length > 0, `${v.tag}: no queue state`);
      assert((await v.page.getByLabel('Event id', { exact: true }).count()) === 1, `${v.tag}: no way to type an event id`);
      await shot(v.page, file(v, 30, 'home-sales'), `${v.tag}: the home page lists the sales (name, date, venue, prices, seats left, queue state) and keeps the event-id box`);
    });
  });

  await check('an event’s page shows the event before joining: date, venue, description, prices and seats by section, queue state, people waiting', async () => {
    await each(async (v) => {
      await v.page.locator(`[data-testid="sale"][data-event="${event}"]`).getByRole('link', { name: eventName }).click();
      await v.page.getByTestId('event-facts').waitFor({ timeout: 15_000 });
      assert((await v.page.getByRole('heading', { level: 1 }).textContent()) === eventName, `${v.tag}: heading`);
      assert((await text(v.page, 'event-venue')).startsWith('Olympic Stadium'), `${v.tag}: venue`);
      assert(/doors open/i.test(await v.page.locator('.event-description').textContent()), `${v.tag}: no description`);
      const sections = await v.page.getByTestId('sections').locator('li').count();
      assert(sections === 9, `${v.tag}: ${sections} sections`);
      assert(/waiting/.test(await text(v.page, 'waiting-count')), `${v.tag}: ${await text(v.page, 'waiting-count')}`);
      await v.page.getByTestId('join').waitFor();
      await shot(v.page, file(v, 32, 'event'), `${v.tag}: an event before joining: name, date, venue, description, queue state and people waiting, join, prices and seats left by section`);
    });
  });

  await check('a mistyped sale id says "No such sale", with the way back to all sales, and nothing to join', async () => {
    await each(async (v) => {
      await v.page.goto(`${base}/events/evt_e2e_no_such_sale`);
      await v.page.getByRole('heading', { name: 'No such sale' }).waitFor({ timeout: 15_000 });
      assert((await v.page.getByTestId('join').count()) === 0, `${v.tag}: a join button`);
      assert((await v.page.getByText(/your turn|admitted/i).count()) === 0, `${v.tag}: "your turn" for no sale`);
      await shot(v.page, file(v, 34, 'no-such-sale'), `${v.tag}: an unknown event id: "No such sale" and a link to all sales`);
      await v.page.getByRole('link', { name: 'All sales' }).click();
      await v.page.getByTestId('sales').waitFor({ timeout: 15_000 });
    });
  });

  await check('"queue everyone": the waiting room says admission starts soon, not that it is paused', async () => {
    await each(async (v) => {
      await v.page.goto(`${base}/events/${GATHER}`);
      await v.page.locator('[data-testid="sale-state"][data-state="gathering"]').waitFor({ timeout: 15_000 });
      await v.page.getByTestId('join').click();
      await v.page.getByTestId('gathering').waitFor({ timeout: 15_000 });
      const said = await text(v.page, 'gathering');
      assert(said.includes('Everyone is being queued; admission starts soon'), `${v.tag}: ${said}`);
      assert((await v.page.getByTestId('paused').count()) === 0, `${v.tag}: shown as paused`);
      assert((await v.page.getByTestId('eta').count()) === 0, `${v.tag}: an estimate while nobody is admitted`);
      await shot(v.page, file(v, 36, 'gathering'), `${v.tag}: the operator queues everyone: "Everyone is being queued; admission starts soon", no estimate, not "paused"`);
    });
  });

  await check('an operator removes a place: its page says so, and does not reconnect', async () => {
    await each(async (v) => {
      const token = await v.page.evaluate((e) => JSON.parse(localStorage.getItem(`usher:place:${e}`)).token, GATHER);
      const sockets = v.sockets;
      await u.revoke(token);
      await v.page.locator('[data-testid="ended"][data-reason="revoked"]').waitFor({ timeout: 15_000 });
      assert((await text(v.page, 'ended')) === 'Your place was removed', `${v.tag}: ${await text(v.page, 'ended')}`);
      await v.page.waitForTimeout(2_000); // longer than the first reconnect delay
      assert(v.sockets === sockets, `${v.tag}: ${v.sockets - sockets} sockets opened after the removal`);
      await shot(v.page, file(v, 38, 'revoked'), `${v.tag}: an operator removed this place: the page says so, with a way back`);
    });
  });

  await check('a cancelled sale: the waiting pages say "This sale was cancelled", and the event then offers no join', async () => {
    await each(async (v) => {
      await v.page.goto(`${base}/events/${CANCEL}`);
      await v.page.getByTestId('join').click();
      await v.page.getByTestId('position').waitFor({ timeout: 15_000 });
    });
    await u.end(CANCEL, { cancel: true });
    await each(async (v) => {
      await v.page.locator('[data-testid="ended"][data-phase="sale_ended"][data-cancelled="true"]').waitFor({ timeout: 15_000 });
      assert((await text(v.page, 'ended')) === 'This sale was cancelled', `${v.tag}: ${await text(v.page, 'ended')}`);
      await shot(v.page, file(v, 40, 'cancelled'), `${v.tag}: waiting when the operator cancelled the sale: "This sale was cancelled" (not "ended")`);
    });
    // The event's answer is kept for about a second: reload once it says so.
    const until = Date.now() + 5_000;
    while ((await (await fetch(`${base}/api/v1/events/${CANCEL}`)).json()).queue?.state !== 'cancelled') {
      assert(Date.now() < until, 'the event does not say it was cancelled');
      await new Promise((r) => setTimeout(r, 200));
    }
    await each(async (v) => {
      await v.page.reload();
      await v.page.locator('[data-testid="sale-closed"][data-state="cancelled"]').waitFor({ timeout: 15_000 });
      assert((await v.page.getByTestId('join').count()) === 0, `${v.tag}: a join button for a cancelled sale`);
      await shot(v.page, file(v, 42, 'cancelled-event'), `${v.tag}: the cancelled sale's page: it says so, with no join button`);
    });
  });

  for (const v of views) await v.ctx.close();
}
