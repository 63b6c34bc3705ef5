// Safety on shared computers and bad wifi, beyond child_experience.test.mjs: answers wait
// sealed in the tab while the server is away, survive a reload there, and reach the server in
// order; Escape twice is a quick exit too, and a reload stays on the neutral page; an idle
// child is asked first, then logged out with a calm note; a kiosk's neutral page gives way to
// the start page for the next child.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  freshDirs, createCodes, startServer, launchBrowser, openAssessment, logIn,
  CURRENT, currentItem, nextItem, choose, waitSaved,
  answerSome as answer, sessionJson as session, assertAnswersStored as assertAllStored,
} from './harness.mjs';

test('on bad wifi answers wait sealed in the tab, survive a reload, and all reach the server in order', async (t) => {
  const dirs = freshDirs(t);
  const [code] = createCodes(dirs, 1);
  let server = await startServer(dirs);
  const port = Number(new URL(server.url).port);
  const browser = await launchBrowser();
  t.after(async () => { await browser.close(); await server.stop(); });
  const page = await browser.newPage({ viewport: { width: 1366, height: 768 } });
  await logIn(page, server.url, code);
  const given = await answer(page, 2);
  await waitSaved(page);
  const first = JSON.parse(await session(page)).sealed.counter;

  // The server goes away; three more answers wait, and the child is told calmly.
  await server.stop();
  for (const [item, option] of await answer(page, 3)) given.set(item, option);
  await page.waitForSelector('#save-status[data-state="offline"]', { timeout: 20_000 });
  assert.equal((await page.locator('#save-status').innerText()).trim(), 'Inte sparat än – vi försöker igen');

  // What waits in the tab is the sealed save and nothing else: no answer in the clear (the
  // status is sealed to the organisation too).
  const queued = await page.evaluate(() => sessionStorage.getItem('beratta.queue'));
  assert.ok(queued, 'nothing queued in sessionStorage');
  const sealed = JSON.parse(queued);
  assert.deepEqual(Object.keys(sealed).sort(), ['blob', 'child_wrapped_key', 'counter', 'org_sealed_key', 'status']);
  assert.equal(sealed.counter, first + 1, 'the queued save is the next one after the last stored');
  for (const [item, option] of given) {
    assert.ok(!queued.includes(item) && !queued.includes(`"${option}"`), `${item} is readable in the queue`);
  }

  // Back on the same port: everything arrives, as exactly one more save.
  server = await startServer(dirs, { port });
  await page.waitForSelector('#save-status[data-state="saved"]', { timeout: 30_000 });
  let stored = JSON.parse(await session(page));
  assert.equal(stored.sealed.counter, first + 1);
  assertAllStored(dirs, JSON.stringify(stored), given);
  assert.equal(await page.evaluate(() => sessionStorage.getItem('beratta.queue')), null, 'the queue outlived its save');

  // Away again, two more answers, and this time the tab is reloaded before the server is
  // back (the reload itself fails): the queue survives, and the resumed page sends it.
  await server.stop();
  const where = await currentItem(page);
  for (const [item, option] of await answer(page, 2)) given.set(item, option);
  const after = await currentItem(page);
  assert.notEqual(after, where);
  await page.waitForSelector('#save-status[data-state="offline"]', { timeout: 20_000 });
  await page.reload().catch(() => {});
  server = await startServer(dirs, { port });
  await page.goto(server.url);
  await page.waitForSelector(CURRENT, { timeout: 30_000 });
  assert.equal(await currentItem(page), after, 'the resumed page is not where the child was');
  await waitSaved(page);
  stored = JSON.parse(await session(page));
  assert.equal(stored.sealed.counter, first + 2, 'counters go up one save at a time');
  assertAllStored(dirs, JSON.stringify(stored), given);
  assert.equal(await page.evaluate(() => sessionStorage.getItem('beratta.queue')), null);
  // Not one save was refused as out of order.
  assert.ok(!/answers\S*\s+409|409\s+\S*answers/.test(server.log.join('')), 'a save was refused as stale');
});

test('Escape twice leaves at once, and a reload stays on the neutral page', async (t) => {
  const dirs = freshDirs(t);
  const [code] = createCodes(dirs, 1);
  const server = await startServer(dirs);
  const browser = await launchBrowser();
  t.after(async () => { await browser.close(); await server.stop(); });
  const page = await browser.newPage({ viewport: { width: 1366, height: 768 } });
  await logIn(page, server.url, code);
  await answer(page, 1);
  await waitSaved(page);

  // One Escape does nothing; two quickly leave.
  await page.keyboard.press('Escape');
  await page.waitForTimeout(1_500);
  assert.equal(await page.locator('#neutral-page').count(), 0, 'one Escape left the page');
  await page.keyboard.press('Escape');
  await page.keyboard.press('Escape');
  await page.waitForSelector('#neutral-page', { timeout: 5_000 });
  assert.equal(await page.locator('#quick-exit, header, [data-item]').count(), 0);
  assert.ok(!/Berätta/i.test(await page.title()));
  await page.waitForFunction(() => sessionStorage.length === 0);
  for (let i = 0; i < 20 && (await page.context().cookies()).length; i++) await page.waitForTimeout(100);
  assert.equal((await page.context().cookies()).length, 0, 'the session cookie is still there');

  await page.reload();
  await page.waitForSelector('#neutral-page', { timeout: 10_000 });
  assert.ok(!/Berätta/i.test(await page.title()), 'a reload brought the service\'s title back');
  assert.ok(!(await page.locator('body').innerText()).includes('Berätta'));
});

test('an idle child is asked first, then logged out with a calm note and nothing left', async (t) => {
  const dirs = freshDirs(t);
  const [code] = createCodes(dirs, 1);
  const server = await startServer(dirs);
  const browser = await launchBrowser();
  t.after(async () => { await browser.close(); await server.stop(); });
  const page = await browser.newPage({ viewport: { width: 1366, height: 768 } });
  await logIn(page, `${server.url}/?idle=2`, code);
  const given = await answer(page, 1);

  await page.waitForSelector('#idle-warning', { timeout: 10_000 });
  assert.equal(await page.locator('#idle-warning').getAttribute('role'), 'alertdialog');
  await page.waitForFunction(() => document.activeElement?.id === 'still-here', null, { timeout: 2_000 });
  // Input behind the dialog does not count as an answer to it.
  await page.mouse.move(10, 10);
  await page.mouse.move(200, 200);

  await page.waitForSelector('#idle-note', { timeout: 15_000 });
  assert.ok(!(await page.locator('#idle-note').innerText()).includes('!'));
  await page.waitForFunction(() => sessionStorage.length === 0 && localStorage.length === 0);
  for (let i = 0; i < 20 && (await page.context().cookies()).length; i++) await page.waitForTimeout(100);
  assert.equal((await page.context().cookies()).length, 0);
  assert.equal(await page.evaluate(() => fetch('/api/child/session').then((r) => r.status)), 401);

  // The answer given before the timeout was saved: the code opens it again.
  await page.locator('#code').fill(code);
  await page.locator('#login').click();
  await page.waitForSelector(CURRENT, { timeout: 60_000 });
  assertAllStored(dirs, await session(page), given);
});

test('in kiosk mode the neutral page gives way to the start page for the next child', async (t) => {
  const dirs = freshDirs(t);
  const [code] = createCodes(dirs, 1);
  const server = await startServer(dirs);
  const browser = await launchBrowser();
  t.after(async () => { await browser.close(); await server.stop(); });
  const page = await browser.newPage({ viewport: { width: 1366, height: 768 } });
  await logIn(page, `${server.url}/?kiosk=1&idle=2`, code);
  await page.locator('#quick-exit').click();
  await page.waitForSelector('#neutral-page', { timeout: 5_000 });
  await page.waitForSelector('#code', { timeout: 15_000 });
  assert.equal(await page.locator('#code').inputValue(), '');
  assert.equal(await page.evaluate(() => sessionStorage.length), 0);

  // A half-typed code left on the kiosk's start page is gone after a while.
  await page.locator('#code').fill('H7KC-R4');
  await page.waitForFunction(() => document.querySelector('#code')?.value === '', null, { timeout: 15_000 });
});

test('a save the server stored but whose answer was lost on the way back is not taken for a conflict', async (t) => {
  const dirs = freshDirs(t);
  const [code] = createCodes(dirs, 1);
  const server = await startServer(dirs);
  const browser = await launchBrowser();
  t.after(async () => { await browser.close(); await server.stop(); });
  const page = await browser.newPage({ viewport: { width: 1366, height: 768 } });
  await logIn(page, server.url, code);
  const given = await answer(page, 1);
  await waitSaved(page);

  // The next save reaches the server and is stored, but the page never hears so: the
  // connection drops only after the child has answered once more.
  let release;
  const answeredAgain = new Promise((resolve) => { release = resolve; });
  let dropped = false;
  await page.route('**/api/child/answers', async (route) => {
    if (dropped) return route.continue();
    dropped = true;
    await route.fetch();
    await answeredAgain;
    await route.abort('connectionreset');
  });
  for (const [item, option] of await answer(page, 1)) given.set(item, option);
  for (const [item, option] of await answer(page, 1)) given.set(item, option);
  release();
  await page.waitForSelector('#save-status[data-state="saved"]', { timeout: 30_000 });
  await page.waitForTimeout(500);
  await waitSaved(page);
  // The retry was refused as stale (that is the case under test), and yet nothing was lost.
  assert.match(server.log.join(''), /answers\S*\s+409/, 'the lost answer never led to a stale save');
  assertAllStored(dirs, await session(page), given);
});
