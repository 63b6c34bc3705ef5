// Issue 11 in the browser: a staff member creates an anonymous round and invites a class
// into it as cards with codes and no names; two children answer. Each is told before the
// first question that nobody will know who answered; the one who tells of thoughts of not
// wanting to live still gets the help screen, which does not say an adult will read. Every
// save carries a sealed statistics record and nothing sealed to the organisation. The
// round's page counts invited, started, finished and acute answers. The new pages pass
// axe-core, and the canary one child wrote is in no file of the data folder and no log line.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import {
  freshDirs, createDemoSchool, startServer, launchBrowser, filesContaining,
  CURRENT, choose, answerUntil, waitSaved,
} from './harness.mjs';
import { checkablePage, assertAccessible } from './a11y.mjs';

/** A child's page whose saves the test reads as they leave: their JSON bodies. */
async function childPage(browser) {
  const page = await checkablePage(browser);
  const saves = [];
  page.on('request', (request) => {
    if (request.method() === 'PUT' && request.url().endsWith('/api/child/answers')) {
      saves.push(request.postData() ?? '');
    }
  });
  return { page, saves };
}

async function childLogIn(page, url, code) {
  await page.goto(url);
  await page.locator('#code').fill(code);
  await page.locator('#login').click();
  // Before the first question: the page that says nobody will know.
  await page.waitForSelector('#anonymous-notice', { timeout: 60_000 });
  assert.match(await page.locator('#anonymous-notice').innerText(), /Ingen kommer att veta vem som svarade/);
  assert.match(await page.locator('#anonymous-help').innerText(), /116 111[\s\S]*112/);
}

test('a class is invited into an anonymous round, two children answer and the round page counts them', async (t) => {
  const dirs = freshDirs(t);
  createDemoSchool(dirs);
  const server = await startServer(dirs);
  const browser = await launchBrowser();
  t.after(async () => { await browser.close(); await server.stop(); });

  // The staff member creates the round.
  const staff = await checkablePage(browser);
  staff.on('dialog', (dialog) => dialog.accept());
  await staff.goto(`${server.url}/staff/#/staff`);
  await staff.locator('#staff-username').fill('personal');
  await staff.locator('#staff-password').fill('demo-staff-password');
  await staff.locator('#staff-login').click();
  await staff.waitForSelector('#staff-logout', { timeout: 60_000 });
  await staff.locator('#staff-lang-sv').click();
  await staff.goto(`${server.url}/staff/#/staff/rounds`);
  await staff.waitForSelector('#no-rounds', { timeout: 30_000 });
  await assertAccessible(staff, 'the rounds page');
  await staff.locator('#round-name').fill('Åk 5 våren');
  await staff.locator('#round-opens').fill('2026-03-01');
  await staff.locator('#round-closes').fill('2026-04-15');
  await staff.locator('#round-anonymous').check();
  await staff.locator('#round-create').click();
  await staff.waitForSelector('#round-counts', { timeout: 30_000 });
  const roundId = staff.url().match(/#\/staff\/rounds\/([\w-]+)$/)?.[1];
  assert.ok(roundId, `not on the round's page: ${staff.url()}`);
  assert.equal(await staff.locator('#round-invited').innerText(), '0');
  await assertAccessible(staff, 'the round page');

  // Into the round: two cards, codes and no names.
  await staff.locator('#round-invite').click();
  await staff.waitForSelector('#invite-cards', { timeout: 30_000 });
  assert.equal(await staff.locator('#invite-note').count(), 0, 'an anonymous round asks for names');
  await assertAccessible(staff, 'the invite page for an anonymous round');
  await staff.locator('#invite-cards').fill('2');
  await staff.locator('#invite-create').click();
  await staff.waitForSelector('#cards .card-code', { timeout: 180_000 });
  const cards = await staff.locator('#cards .card').evaluateAll((list) => list.map((c) => [
    c.querySelector('.card-note').textContent.trim(), c.querySelector('.card-code').textContent.trim(),
  ]));
  assert.deepEqual(cards.map(([note]) => note), ['Kort 1', 'Kort 2']);
  const [[, first], [, second]] = cards;
  // Nobody is listed: an anonymous child is no one's to read.
  const listed = await staff.evaluate(() => fetch('/api/invitations').then((r) => r.json()));
  assert.equal(listed.length, 0, 'anonymous children are listed');

  // The first child tells of thoughts of not wanting to live, and writes a canary.
  const a = await childPage(browser);
  await childLogIn(a.page, server.url, first);
  await assertAccessible(a.page, 'the anonymous notice');
  await a.page.locator('#anonymous-begin').click();
  await a.page.waitForSelector(CURRENT, { timeout: 30_000 });
  await answerUntil(a.page, 'dark_thoughts');
  assert.equal(await choose(a.page, 'yes'), 'help');
  assert.match(await a.page.locator('#help-screen').innerText(), /Ingen vet vem som svarar här/);
  assert.doesNotMatch(await a.page.locator('#help-screen').innerText(), /kommer att läsa/);
  await a.page.locator('#help-go-on').click();
  const canary = `CANARY-${randomBytes(8).toString('hex')}`;
  await answerUntil(a.page, 'anything_else');
  await a.page.locator('#free-text').fill(`Jag vill säga ${canary} till någon.`);
  await a.page.locator('#next').click();
  await a.page.waitForSelector('#finish', { timeout: 15_000 });
  await waitSaved(a.page);

  // The second child skips to the end.
  const b = await childPage(browser);
  await childLogIn(b.page, server.url, second);
  await b.page.locator('#anonymous-begin').click();
  await b.page.waitForSelector(CURRENT, { timeout: 30_000 });
  await answerUntil(b.page, 'finish');
  await waitSaved(b.page);

  // Every save carried a statistics record and nothing sealed to the organisation.
  const saves = [...a.saves, ...b.saves];
  assert.ok(saves.length >= 2, `only ${saves.length} saves seen`);
  for (const body of saves) {
    const save = JSON.parse(body);
    assert.ok(typeof save.statistics === 'string' && save.statistics.length > 100, 'a save without a record');
    assert.equal(save.org_sealed_key, '', 'a save sealed to the organisation');
    assert.equal(save.status, undefined, 'a save with a status for staff');
    assert.ok(!body.includes(canary), 'the canary left the browser in the clear');
  }

  // The round's page counts without opening anything.
  await staff.goto(`${server.url}/staff/#/staff/rounds/${roundId}`);
  await staff.waitForSelector('#round-acute', { timeout: 30_000 });
  const count = async (id) => (await staff.locator(id).innerText()).trim();
  assert.deepEqual(
    [await count('#round-invited'), await count('#round-started'), await count('#round-finished'), await count('#round-acute')],
    ['2', '2', '2', '1'],
  );

  // Stop the server so sled has written everything it ever will, then search.
  await server.stop();
  assert.deepEqual(filesContaining(dirs.data, canary), [], 'plaintext answers reached the data folder');
  assert.ok(!server.log.join('').includes(canary), 'plaintext answers reached the log');
});
