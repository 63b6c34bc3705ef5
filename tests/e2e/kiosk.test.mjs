// Issue 11's kiosk in the browser: an administrator makes a kiosk for an anonymous round
// on the kiosks page (checked with axe-core) and opens its one-time link in another
// browser, which becomes the kiosk. Two young people use it in a row without cards. The
// first tells something in their own words (a canary), finishes and presses Done; the
// second starts from an empty questionnaire, answers a little and walks away, and the idle
// timeout starts the kiosk over. After each, nothing of them is left in the page or in the
// origin's storage (only the kiosk's own HttpOnly cookie stays). Every save carries a
// statistics record and nothing sealed to the organisation, and the canary is in no save,
// no file of the data folder and no log line.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import {
  freshDirs, createDemoSchool, openAnonymousRound, startServer, launchBrowser, filesContaining, staffLogIn,
  CURRENT, answerUntil, waitSaved, storedOnDevice,
} from './harness.mjs';
import { checkablePage, assertAccessible } from './a11y.mjs';

/** What the kiosk's browser keeps: storage, and the names of its cookies. */
async function kept(page) {
  const stored = await storedOnDevice(page);
  const cookies = (await page.context().cookies()).map((c) => c.name).sort();
  return { ...stored, cookies };
}

const ONLY_THE_KIOSK = {
  localStorage: 0, sessionStorage: 0, indexedDB: 0, caches: 0, cookies: ['__Host-beratta-kiosk'],
};

/** Waits for the kiosk's start page, and for the logout of the one before to go through. */
async function backAtStart(page) {
  await page.waitForSelector('#kiosk-start', { timeout: 30_000 });
  for (let i = 0; i < 50; i++) {
    const names = (await page.context().cookies()).map((c) => c.name);
    if (!names.includes('__Host-beratta-child')) break;
    await page.waitForTimeout(100);
  }
}

test('a kiosk takes two young people in a row and the second finds nothing of the first', async (t) => {
  const dirs = freshDirs(t);
  createDemoSchool(dirs);
  const server = await startServer(dirs);
  const browser = await launchBrowser();
  t.after(async () => { await browser.close(); await server.stop(); });

  // The administrator makes an anonymous round open today, then a kiosk for it.
  const admin = await checkablePage(browser);
  admin.on('dialog', (dialog) => dialog.accept());
  await staffLogIn(admin, server.url, 'admin', 'demo-admin-password');
  await admin.locator('#staff-lang-sv').click();
  const round = await openAnonymousRound(admin, 'Fritidsgården december');
  await admin.goto(`${server.url}/staff/#/admin/kiosks`);
  await admin.waitForSelector('#no-kiosks', { timeout: 30_000 });
  await assertAccessible(admin, 'the kiosks page');
  await admin.locator('#kiosk-name').fill('Fritidsgården Norrby');
  await admin.locator('#kiosk-round').selectOption(round.round_id);
  await admin.locator('#kiosk-create').click();
  await admin.waitForSelector('#kiosk-link', { timeout: 30_000 });
  const link = await admin.locator('#kiosk-link').inputValue();
  assert.match(link, /\/\?kiosk=1#kiosk=[\w-]{43}$/);
  assert.match(await admin.locator('#kiosks .kiosk-state').innerText(), /Väntar/);
  await assertAccessible(admin, 'the kiosks page with a new link');

  // The kiosk's own browser opens the link once and becomes the kiosk.
  const kiosk = await checkablePage(browser, { width: 1024, height: 768 });
  const saves = [];
  kiosk.on('request', (request) => {
    if (request.method() === 'PUT' && request.url().endsWith('/api/child/answers')) saves.push(request.postData() ?? '');
  });
  await kiosk.goto(link);
  await kiosk.waitForSelector('#kiosk-start', { timeout: 30_000 });
  assert.ok(!kiosk.url().includes('#kiosk='), `the link's token stayed in the address: ${kiosk.url()}`);
  assert.deepEqual(await kept(kiosk), ONLY_THE_KIOSK);
  // The same link does nothing a second time, in any browser.
  const again = await (await browser.newContext()).newPage();
  await again.goto(link);
  await again.waitForSelector('#kiosk-error', { timeout: 30_000 });
  assert.match(await again.locator('#kiosk-error').innerText(), /tar inte emot svar/);
  await admin.reload();
  await admin.waitForSelector('#kiosks', { timeout: 30_000 });
  assert.equal((await admin.locator('#kiosks .kiosk-state').innerText()).trim(), 'I bruk');

  // Short idle times from here on, so that walking away is quick to test.
  await kiosk.goto(`${server.url}/?kiosk=1&idle=4`);
  await kiosk.waitForSelector('#kiosk-start', { timeout: 30_000 });
  await assertAccessible(kiosk, 'the kiosk start page');

  // The first young person answers everything, with a canary in their own words.
  const canary = `CANARY-${randomBytes(8).toString('hex')}`;
  await kiosk.locator('#kiosk-start').click();
  await kiosk.waitForSelector('#anonymous-notice', { timeout: 60_000 });
  await kiosk.locator('#anonymous-begin').click();
  await kiosk.waitForSelector(CURRENT, { timeout: 30_000 });
  const firstItem = await kiosk.locator(CURRENT).first().getAttribute('data-item');
  const firstOption = await kiosk.locator(`${CURRENT} [data-option]`).first().getAttribute('data-option');
  await kiosk.locator(`${CURRENT} [data-option="${firstOption}"]`).click();
  await answerUntil(kiosk, 'anything_else');
  await kiosk.locator('#free-text').fill(`Det här är mitt: ${canary}`);
  await kiosk.locator('#next').click();
  await kiosk.waitForSelector('#finish', { timeout: 15_000 });
  await waitSaved(kiosk);
  assert.match(await kiosk.locator('#finish-reader').innerText(), /Ingen vet vem som har svarat/);
  assert.equal((await kiosk.locator('#logout').innerText()).trim(), 'Klar');
  await assertAccessible(kiosk, 'the kiosk finish page');
  await kiosk.locator('#logout').click();
  await backAtStart(kiosk);
  assert.ok(!(await kiosk.content()).includes(canary), 'the canary is still in the page');
  assert.deepEqual(await kept(kiosk), ONLY_THE_KIOSK, 'after the first young person');
  const session = await kiosk.evaluate(() => fetch('/api/child/session').then((r) => r.status));
  assert.equal(session, 401, 'the first session still works');

  // The second starts from nothing: the first question again, no answer chosen.
  await kiosk.locator('#kiosk-start').click();
  await kiosk.waitForSelector('#anonymous-notice', { timeout: 60_000 });
  await kiosk.locator('#anonymous-begin').click();
  await kiosk.waitForSelector(CURRENT, { timeout: 30_000 });
  assert.equal(await kiosk.locator(CURRENT).first().getAttribute('data-item'), firstItem);
  assert.equal(await kiosk.locator(`${CURRENT} [aria-pressed="true"]`).count(), 0, 'an answer of the first is chosen');
  assert.ok(!(await kiosk.content()).includes(canary), 'the canary is in the second page');
  await kiosk.locator(`${CURRENT} [data-option="${firstOption}"]`).click();
  await waitSaved(kiosk);
  // ... and walks away: asked whether they are still there, then the kiosk starts over.
  await kiosk.waitForSelector('#idle-warning', { timeout: 15_000 });
  await backAtStart(kiosk);
  assert.deepEqual(await kept(kiosk), ONLY_THE_KIOSK, 'after the second young person');

  // Every save carried a statistics record, nothing sealed to the organisation, no canary.
  assert.ok(saves.length >= 3, `only ${saves.length} saves seen`);
  for (const body of saves) {
    const save = JSON.parse(body);
    assert.ok(typeof save.statistics === 'string' && save.statistics.length > 100, 'a save without a record');
    assert.equal(save.org_sealed_key, '', 'a save sealed to the organisation');
    assert.ok(!body.includes(canary), 'the canary left the browser in the clear');
  }

  // The round counts both, one finished; the log has both starts, by the kiosk.
  const page = await admin.evaluate(async (id) => (await fetch(`/api/rounds/${id}`)).json(), round.round_id);
  assert.deepEqual([page.invited, page.started, page.finished], [2, 2, 1]);
  const log = await admin.evaluate(async () => (await fetch('/api/admin/audit?from=1')).json());
  const starts = log.filter((e) => e.action === 'kiosk_started');
  assert.equal(starts.length, 2);
  assert.ok(starts.every((e) => e.actor.startsWith('kiosk:')), JSON.stringify(starts));

  await server.stop();
  assert.deepEqual(filesContaining(dirs.data, canary), [], 'plaintext answers reached the data folder');
  assert.ok(!server.log.join('').includes(canary), 'plaintext answers reached the log');
});
