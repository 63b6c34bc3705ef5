// The statistics key end to end (issue 11): an organisation set up through its link gets
// the statistics key in the administrator's browser; the administrator adds an analyst, who
// enrols and logs in holding no organisation key, and whose home says the statistics key has
// not been given; the administrator grants it on the statistics-key page (checked with
// axe-core); the analyst logs in again and the page reports that the statistics key opened,
// also after a reload, while the session and the tab hold no organisation key. The grant is
// in the audit log.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  freshDirs, startServer, launchBrowser, createOrg, setUpOrganisation, staffLogIn,
} from './harness.mjs';
import { checkablePage, axeViolations } from './a11y.mjs';

/** Logs in on the staff page; returns the session the server answered with. */
async function logOut(page) {
  await page.locator('#staff-logout').click();
  await page.waitForSelector('#staff-username', { timeout: 30_000 });
}

test('an administrator grants an analyst the statistics key, and the analyst\'s page reports it opened without any organisation key', async (t) => {
  const dirs = freshDirs(t);
  const setupPath = createOrg(dirs, { id: 'kommunen', name: 'Kommunen', admin: 'samordnare', adminName: 'Sam Samordnare' });
  const server = await startServer(dirs);
  const browser = await launchBrowser();
  t.after(async () => { await browser.close(); await server.stop(); });
  const adminPassword = 'samordnarens långa lösenord';
  const analystPassword = 'analytikerns eget långa lösenord';

  // Set-up makes both key pairs in the administrator's browser.
  const admin = await checkablePage(browser);
  await setUpOrganisation(admin, server.url, setupPath, { username: 'samordnare', displayName: 'Sam Samordnare', password: adminPassword });
  const adminSession = await staffLogIn(admin, server.url, 'samordnare', adminPassword);
  assert.equal(adminSession.statistics_key.kind, 'password', 'the administrator holds the statistics key');
  assert.ok(adminSession.statistics_public_key, 'the organisation has a statistics key');

  // An analyst is added; the link carries no organisation key.
  await admin.goto(`${server.url}/staff/#/admin/staff`);
  await admin.locator('#new-username').fill('analytiker');
  await admin.locator('#new-display-name').fill('Alva Analytiker');
  await admin.locator('#new-role').selectOption('analyst');
  const [added] = await Promise.all([
    admin.waitForRequest((r) => r.url().endsWith('/api/admin/staff') && r.method() === 'POST'),
    admin.locator('#add-staff').click(),
  ]);
  assert.equal(JSON.parse(added.postData()).enrolment_wrapped_org_key, null, 'no organisation key for an analyst');
  const enrolLink = (await admin.locator('#enrol-link').innerText({ timeout: 30_000 })).trim();

  // The analyst enrols and logs in: no organisation key, no statistics key yet.
  const analyst = await (await browser.newContext({ viewport: { width: 1366, height: 768 } })).newPage();
  await analyst.goto(enrolLink);
  await analyst.locator('#enrol-password').fill(analystPassword);
  await analyst.locator('#enrol-password-again').fill(analystPassword);
  const [enrolled] = await Promise.all([
    analyst.waitForRequest((r) => r.url().includes('/api/enrol/') && r.method() === 'POST'),
    analyst.locator('#enrol-submit').click(),
  ]);
  assert.equal(JSON.parse(enrolled.postData()).wrapped_org_key, null);
  let session = await staffLogIn(analyst, server.url, 'analytiker', analystPassword);
  assert.equal(session.wrapped_org_key, null);
  await analyst.waitForSelector('#analyst-statistics-key[data-state="not-granted"]', { timeout: 30_000 });
  await logOut(analyst);

  // The administrator grants it on the statistics-key page, which passes axe-core.
  await admin.goto(`${server.url}/staff/#/admin/statistics-key`);
  await admin.waitForSelector('#grant-analytiker', { timeout: 30_000 });
  const violations = await axeViolations(admin);
  assert.deepEqual(violations, [], `the statistics-key page has accessibility violations:\n${violations.join('\n')}`);
  const grantButton = admin.locator('#grant-analytiker');
  assert.match(await grantButton.getAttribute('aria-label'), /Alva Analytiker/);
  await grantButton.focus();
  await admin.keyboard.press('Enter');
  await admin.waitForSelector('#statistics-key-holders tr[data-username="analytiker"] [data-holds="true"]', { timeout: 30_000 });
  await admin.waitForSelector('#revoke-analytiker', { timeout: 30_000 });
  assert.match(await admin.locator('#statistics-key-notice').innerText(), /Alva Analytiker/);

  // The analyst logs in again: the statistics key opens, and nothing that opens a child is
  // in the session or the tab.
  session = await staffLogIn(analyst, server.url, 'analytiker', analystPassword);
  assert.equal(session.wrapped_org_key, null, 'the server sends an analyst no organisation key');
  assert.equal(session.statistics_key.kind, 'granted');
  await analyst.waitForSelector('#analyst-statistics-key[data-state="opened"]', { timeout: 30_000 });
  const said = await analyst.locator('#analyst-statistics-key').innerText();
  assert.match(said, /öppnades|opened/);
  const storage = await analyst.evaluate(() => ({
    org: sessionStorage.getItem('beratta.staff.key'),
    statistics: sessionStorage.getItem('beratta.staff.statistics'),
    keys: Object.keys(sessionStorage),
  }));
  assert.equal(storage.org, null, `the tab keeps no organisation key: ${JSON.stringify(storage.keys)}`);
  assert.ok(storage.statistics, 'the tab keeps the statistics key, wrapped, for a reload');
  await analyst.reload();
  await analyst.waitForSelector('#analyst-statistics-key[data-state="opened"]', { timeout: 30_000 });
  assert.equal(await analyst.locator('#staff-password').count(), 0, 'a reload asks for no password');

  // The grant is in the audit log.
  await admin.goto(`${server.url}/staff/#/admin/audit`);
  await admin.waitForSelector('#audit-log tbody tr', { timeout: 30_000 });
  await admin.locator('#audit-action').selectOption('statistics_key_granted');
  await admin.locator('#audit-log td', { hasText: 'Alva Analytiker' }).first().waitFor({ timeout: 15_000 });
});
