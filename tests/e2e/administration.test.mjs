// The administrator's side end to end: an organisation set up through its link, a colleague
// moved to another unit (the list shows the new unit), a reload that keeps the login
// without the password form, the administrator who forgot the password restoring access
// with the printed recovery key while the colleague's login still opens the organisation key
// (the colleague opens a child's summary), and the audit log filtered by event, named in
// words, and exported as a CSV whose rows are exactly the filtered table's; a page left
// idle logs out by itself.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import {
  SERVER, freshDirs, startServer, launchBrowser, logIn, answerSome, waitSaved,
  createOrg, setUpOrganisation, staffLogIn,
} from './harness.mjs';

const VIEWPORT = { viewport: { width: 1366, height: 768 } };

/** A small RFC 4180 reader: quoted fields, doubled quotes, commas and newlines inside. */
function parseCsv(text) {
  const rows = [];
  let row = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i += 1) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') { field += '"'; i += 1; } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') { row.push(field); field = ''; } else if (c === '\n') { row.push(field); rows.push(row); row = []; field = ''; } else if (c !== '\r') field += c;
  }
  if (field !== '' || row.length > 0) { row.push(field); rows.push(row); }
  return rows;
}

/** The audit table as it is shown: the header's cells, then each row's cells. */
async function auditTable(page) {
  const header = (await page.locator('#audit-log thead th').allInnerTexts()).map((s) => s.trim());
  const rows = [];
  for (const tr of await page.locator('#audit-log tbody tr').all()) {
    rows.push((await tr.locator('td').allInnerTexts()).map((s) => s.trim()));
  }
  return [header, ...rows];
}

test('an administrator moves a colleague, keeps the login over a reload, recovers a lost password and exports the log', async (t) => {
  const dirs = freshDirs(t);
  const setupPath = createOrg(dirs, { id: 'skolan', name: 'Skolan i Berga', admin: 'rektor', adminName: 'Rektor Rut' });
  const server = await startServer(dirs);
  const browser = await launchBrowser();
  t.after(async () => { await browser.close(); await server.stop(); });
  const oldPassword = 'rektorns första långa lösenord';
  const newPassword = 'rektorns nya och lika långa lösenord';
  const staffPassword = 'kuratorns eget långa lösenord';

  // Set-up: the recovery key is shown once, and the administrator keeps it.
  const admin = await (await browser.newContext(VIEWPORT)).newPage();
  const recoveryKey = await setUpOrganisation(admin, server.url, setupPath, { username: 'rektor', displayName: 'Rektor Rut', password: oldPassword });

  // Two units and a colleague in the first.
  await staffLogIn(admin, server.url, 'rektor', oldPassword);
  await admin.goto(`${server.url}/staff/#/admin/units`);
  for (const name of ['Skola 1', 'Skola 2']) {
    await admin.locator('#unit-name').fill(name);
    await admin.locator('#add-unit').click();
    await admin.locator('#units td', { hasText: name }).waitFor({ timeout: 15_000 });
  }
  await admin.goto(`${server.url}/staff/#/admin/staff`);
  await admin.locator('#new-username').fill('kurator');
  await admin.locator('#new-display-name').fill('Kim Kurator');
  await admin.locator('#new-role').selectOption('staff');
  await admin.locator('#new-unit').selectOption({ label: 'Skola 1' });
  await admin.locator('#add-staff').click();
  const enrolLink = (await admin.locator('#enrol-link').innerText({ timeout: 30_000 })).trim();

  // Moving the colleague shows the new unit, also after a reload; the reload keeps the
  // login and shows the page, not the password form.
  const kimRow = admin.locator('#staff-list tr[data-username="kurator"]');
  const [moved] = await Promise.all([
    admin.waitForResponse((r) => r.url().includes('/api/admin/staff/') && r.request().method() === 'PATCH'),
    kimRow.locator('.staff-unit').selectOption({ label: 'Skola 2' }),
  ]);
  assert.equal(moved.status(), 200);
  await admin.reload();
  await admin.waitForSelector('#staff-list tr[data-username="kurator"]', { timeout: 30_000 });
  assert.equal(await admin.locator('#staff-password').count(), 0, 'a reload asks for no password');
  assert.equal(await kimRow.locator('.staff-unit option:checked').innerText(), 'Skola 2');
  const kept = await admin.evaluate(() => sessionStorage.getItem('beratta.staff.key'));
  assert.ok(kept && !kept.includes(oldPassword), 'the tab keeps only the wrapped key');

  // The colleague enrols, invites a child who answers a little.
  const staff = await (await browser.newContext(VIEWPORT)).newPage();
  await staff.goto(enrolLink);
  await staff.locator('#enrol-password').fill(staffPassword);
  await staff.locator('#enrol-password-again').fill(staffPassword);
  await staff.locator('#enrol-submit').click();
  await staffLogIn(staff, server.url, 'kurator', staffPassword);
  const childName = `Alva-${randomBytes(4).toString('hex')}`;
  await staff.goto(`${server.url}/staff/#/staff/invite`);
  await staff.locator('#invite-note').fill(childName);
  await staff.locator('#invite-band').selectOption({ value: '10-12' });
  await staff.locator('#invite-create').click();
  await staff.waitForSelector('#cards .card-code', { timeout: 120_000 });
  const code = (await staff.locator('#cards .card-code').first().innerText()).trim();
  const child = await (await browser.newContext(VIEWPORT)).newPage();
  await logIn(child, server.url, code, 'en');
  await answerSome(child, 3);
  await waitSaved(child);

  // The administrator "forgets" the password: logs out (the kept key goes too) and uses
  // the recovery page with the printed key.
  await admin.locator('#staff-logout').click();
  await admin.waitForSelector('#staff-username', { timeout: 30_000 });
  assert.equal(await admin.evaluate(() => sessionStorage.getItem('beratta.staff.key')), null);
  await admin.locator('#recover-link').click();
  await admin.waitForSelector('#recover-key', { timeout: 15_000 });
  await admin.locator('#recover-username').fill('rektor');
  await admin.locator('#recover-key').fill(recoveryKey.replace(/[0-9a-f]$/, (d) => (d === '0' ? '1' : '0')));
  await admin.locator('#recover-password').fill(newPassword);
  await admin.locator('#recover-password-again').fill(newPassword);
  await admin.locator('#recover-submit').click();
  await admin.locator('#recover-error', { hasText: /./ }).waitFor({ timeout: 30_000 });
  await admin.locator('#recover-key').fill(recoveryKey.toUpperCase());
  await admin.locator('#recover-password').fill(newPassword);
  await admin.locator('#recover-password-again').fill(newPassword);
  await admin.locator('#recover-submit').click();
  await admin.waitForSelector('#staff-notice', { timeout: 60_000 });
  assert.equal(await admin.locator('#staff-username').inputValue(), 'rektor');
  await admin.locator('#staff-password').fill(oldPassword);
  await admin.locator('#staff-login').click();
  await admin.locator('#staff-error', { hasText: /./ }).waitFor({ timeout: 60_000 });
  await staffLogIn(admin, server.url, 'rektor', newPassword);

  // The colleague's login still opens the organisation key: the child's summary opens.
  const again = await (await browser.newContext(VIEWPORT)).newPage();
  await staffLogIn(again, server.url, 'kurator', staffPassword);
  await again.locator('#children a', { hasText: childName }).first().click();
  await again.waitForSelector('#summary', { timeout: 60_000 });
  assert.equal(await again.locator('#not-started').count(), 0, 'the answers opened');

  // The audit log in words, filtered by event, and its CSV.
  await admin.goto(`${server.url}/staff/#/admin/audit`);
  await admin.waitForSelector('#audit-log tbody tr', { timeout: 30_000 });
  const everything = await admin.locator('#audit-log tbody tr').count();
  await admin.locator('#audit-action').selectOption('staff_moved');
  await admin.waitForFunction((n) => document.querySelectorAll('#audit-log tbody tr').length < n, everything);
  const table = await auditTable(admin);
  assert.equal(table.length, 2, `one move, one row: ${JSON.stringify(table)}`);
  assert.equal(table[1][2], 'Rektor Rut (rektor)', 'the actor by name');
  assert.equal(table[1][4], 'Kim Kurator (kurator)', 'the colleague by name, not an id');
  const [download] = await Promise.all([admin.waitForEvent('download'), admin.locator('#audit-export').click()]);
  const csv = readFileSync(await download.path(), 'utf8');
  assert.ok(csv.startsWith('\ufeff'), 'a byte-order mark, for spreadsheets');
  assert.deepEqual(parseCsv(csv.slice(1)), table, 'the CSV is the filtered table, header first');

  // A child is named by the note typed at invitation.
  await admin.locator('#audit-action').selectOption('child_data_viewed');
  await admin.locator('#audit-log td', { hasText: childName }).first().waitFor({ timeout: 15_000 });
  await admin.locator('#audit-action').selectOption('recovery_used');
  await admin.locator('#audit-log tbody tr').first().waitFor();
  assert.equal(await admin.locator('#audit-log tbody tr').count(), 1);

  // A staff page left idle logs out by itself and drops the kept key (`?idle=` shortens the
  // wait for the test; it can never lengthen it).
  const idle = await (await browser.newContext(VIEWPORT)).newPage();
  await staffLogIn(idle, server.url, 'rektor', newPassword);
  await idle.goto(`${server.url}/staff/?idle=2#/admin/units`);
  await idle.waitForSelector('#units', { timeout: 30_000 });
  await idle.waitForSelector('#staff-username', { timeout: 30_000 });
  assert.equal(await idle.evaluate(() => sessionStorage.getItem('beratta.staff.key')), null);
  await idle.waitForFunction(() => fetch('/api/staff/me').then((r) => r.status === 401), null, { timeout: 15_000 });

  await server.stop();
  const verify = execFileSync(SERVER, ['verify-audit', '--data', dirs.data], { encoding: 'utf8' });
  assert.match(verify, /audit log OK/);
});
