// Issue 10 in the browser. Three children are invited: one answers nothing, one finishes,
// one tells of thoughts of not wanting to live. The list says Inbjuden and Klar and puts the
// urgent child first under its mark with the duty to report, without anyone's summary being
// opened (the audit log has no such record). The cards page asks before unprinted codes are
// left. Then the urgent child's code is replaced: the old code fails, the new one resumes
// with every answer.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  freshDirs, startServer, launchBrowser, createOrg, setUpOrganisation, staffLogIn,
  CURRENT, currentItem, nextItem, choose, answerUntil, waitSaved,
} from './harness.mjs';
import { checkablePage, axeViolations } from './a11y.mjs';

const VIEW = { viewport: { width: 1366, height: 768 } };

async function childLogIn(page, url, code) {
  await page.goto(url);
  await page.locator('#code').fill(code);
  await page.locator('#login').click();
}

/** The children's rows, top to bottom: name, status key, urgent. */
async function rows(page) {
  await page.waitForSelector('#children tbody tr', { timeout: 30_000 });
  return page.locator('#children tbody tr').evaluateAll((trs) => trs.map((tr) => ({
    name: tr.querySelector('.child-link').textContent.trim(),
    status: tr.querySelector('.status').dataset.status,
    text: tr.querySelector('.status').textContent,
    urgent: tr.dataset.urgent === 'true',
    mark: tr.querySelector('.urgent-mark')?.textContent ?? null,
  })));
}

/** The audit log's action names, read through the API as the administrator. */
async function auditActions(page) {
  return page.evaluate(() => fetch('/api/admin/audit?from=1').then((r) => r.json()))
    .then((entries) => entries.map((e) => e.action));
}

test('the list shows who answered and puts the urgent child first without opening a summary; a new code replaces a lost one', async (t) => {
  const dirs = freshDirs(t);
  const setupPath = createOrg(dirs, { id: 'skolan', name: 'Skolan i Berga', admin: 'kurator', adminName: 'Kim Kurator' });
  const server = await startServer(dirs);
  const browser = await launchBrowser();
  t.after(async () => { await browser.close(); await server.stop(); });
  const password = 'kuratorns eget långa lösenord';

  // Set-up; the administrator is also the counsellor who invites.
  // A page axe can be injected into, so the list with an urgent child is checked too.
  const staff = await checkablePage(browser);
  await setUpOrganisation(staff, server.url, setupPath, { username: 'kurator', displayName: 'Kim Kurator', password: password });
  await staffLogIn(staff, server.url, 'kurator', password);
  await staff.locator('#staff-lang-sv').click();

  // Three children of 13–18, invited as a class.
  await staff.goto(`${server.url}/staff/#/staff/invite`);
  await staff.locator('#invite-list').fill('Alva\nBo\nCim');
  await staff.locator('#invite-band').selectOption({ value: '13-18' });
  await staff.locator('#invite-create').click();
  await staff.waitForSelector('#cards .card-code', { timeout: 180_000 });
  const codes = Object.fromEntries(await staff.locator('#cards .card').evaluateAll((cards) => cards.map((c) => [
    c.querySelector('.card-note').textContent.trim(), c.querySelector('.card-code').textContent.trim(),
  ])));
  assert.deepEqual(Object.keys(codes).sort(), ['Alva', 'Bo', 'Cim']);

  // Unprinted cards: a link away asks first, and staying keeps the cards.
  let asked = null;
  staff.once('dialog', (dialog) => { asked = dialog.message(); dialog.dismiss(); });
  await staff.locator('nav a[href="#/staff"]').first().click();
  assert.match(asked ?? '', /inte utskrivna/, 'leaving unprinted cards did not ask');
  assert.match(staff.url(), /#\/staff\/cards$/);
  assert.equal(await staff.locator('#cards .card').count(), 3);
  // Closing or reloading the tab would ask too: the page holds a beforeunload guard.
  const guarded = await staff.evaluate(() => {
    const event = new Event('beforeunload', { cancelable: true });
    window.dispatchEvent(event);
    return event.defaultPrevented;
  });
  assert.equal(guarded, true, 'the cards page does not guard against closing the tab');

  // Bo skips every question to the end.
  const bo = await (await browser.newContext(VIEW)).newPage();
  await childLogIn(bo, server.url, codes.Bo);
  await bo.waitForSelector(CURRENT, { timeout: 60_000 });
  await answerUntil(bo, 'finish');
  await waitSaved(bo);

  // Cim tells of thoughts of not wanting to live and goes on.
  const cim = await (await browser.newContext(VIEW)).newPage();
  await childLogIn(cim, server.url, codes.Cim);
  await cim.waitForSelector(CURRENT, { timeout: 60_000 });
  await answerUntil(cim, 'dark_thoughts');
  assert.equal(await choose(cim, 'yes'), 'help');
  await cim.locator('#help-go-on').click();
  assert.equal(await nextItem(cim, 'dark_thoughts'), 'dark_thoughts.often');
  await waitSaved(cim);

  // The list: Cim first with the mark, then the others as they stand.
  const viewsBefore = (await auditActions(staff)).filter((a) => a === 'statuses_viewed').length;
  await staff.goto(`${server.url}/staff/#/staff`);
  await staff.waitForSelector('#overview', { timeout: 30_000 });
  const list = await rows(staff);
  assert.equal(list[0].name, 'Cim');
  assert.equal(list[0].urgent, true);
  assert.equal(list[0].mark, 'Brådskande');
  assert.equal(list[0].status, 'started');
  const byName = Object.fromEntries(list.map((r) => [r.name, r]));
  assert.equal(byName.Alva.status, 'invited');
  assert.match(byName.Alva.text, /Inbjuden/);
  assert.equal(byName.Bo.status, 'finished');
  assert.match(byName.Bo.text, /Klar/);
  assert.equal(byName.Alva.urgent || byName.Bo.urgent, false);
  assert.match(await staff.locator('#urgent-notice').innerText(), /anmälningsplikt[\s\S]*SoL 14 kap\. 1 §/);
  assert.match(await staff.locator('#overview-urgent').innerText(), /: 1$/);
  assert.deepEqual(await axeViolations(staff), [], 'the list with an urgent child has accessibility violations');

  // No summary was opened; the list view was logged as one record.
  const actions = await auditActions(staff);
  assert.ok(!actions.includes('child_data_viewed'), `a summary was opened: ${actions}`);
  assert.equal(actions.filter((a) => a === 'statuses_viewed').length, viewsBefore + 1, 'one record per view of the list');

  // Cim lost the card: a new code. The old one stops at once, Cim's open session too.
  const cimRow = staff.locator('#children tbody tr', { hasText: 'Cim' });
  staff.once('dialog', (dialog) => dialog.accept());
  await cimRow.locator('.new-code').click();
  await staff.waitForSelector('#cards .card-code', { timeout: 120_000 });
  assert.equal(await staff.locator('#cards .card').count(), 1);
  assert.equal((await staff.locator('#cards .card-note').innerText()).trim(), 'Cim');
  const newCode = (await staff.locator('#cards .card-code').innerText()).trim();
  assert.notEqual(newCode, codes.Cim);
  assert.deepEqual(await axeViolations(staff), [], 'the new card has accessibility violations');
  assert.ok((await auditActions(staff)).includes('child_code_replaced'));

  const session = await cim.evaluate(() => fetch('/api/child/session').then((r) => r.status));
  assert.equal(session, 401, "the old code's session is still open");
  const old = await (await browser.newContext(VIEW)).newPage();
  await childLogIn(old, server.url, codes.Cim);
  await old.waitForSelector('#code-error:not(:empty)', { timeout: 60_000 });
  assert.equal(await old.locator(CURRENT).count(), 0, 'the old code still logs in');

  // The new code resumes where Cim was, with the answer given before.
  const again = await (await browser.newContext(VIEW)).newPage();
  await childLogIn(again, server.url, newCode);
  await again.waitForSelector(CURRENT, { timeout: 60_000 });
  assert.equal(await currentItem(again), 'dark_thoughts.often');
  await again.locator('#back').click();
  assert.equal(await nextItem(again, 'dark_thoughts.often'), 'dark_thoughts');
  assert.equal(await again.locator(`${CURRENT} [data-option="yes"]`).getAttribute('aria-pressed'), 'true');
});
