// The staff side end to end: an administrator sets up an organisation and adds a staff
// member; the staff member invites a child; the child answers in English, telling of two
// risks (one with worry and a wish for help) and a protective factor; the staff member,
// reading in Swedish, sees exactly those in Swedish, and marks the help wish as planned; the
// child logs in again and sees it; the audit log shows the view. Afterwards neither the
// child's answers nor the child's name are in any file of the data folder or the log.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  ROOT, SERVER, freshDirs, startServer, launchBrowser, filesContaining, createOrg, setUpOrganisation, staffLogIn,
  CURRENT, currentItem, nextItem, choose, answerUntil, waitSaved,
} from './harness.mjs';

/** A factor's Swedish name, read from the catalogue the summary uses. */
function swedishName(factor) {
  const catalogue = readFileSync(join(ROOT, 'questionnaires/factors.toml'), 'utf8');
  const entry = catalogue.split('[[factor]]').find((e) => e.includes(`id = "${factor}"`));
  const m = entry?.match(/name = \{ sv = "([^"]+)"/);
  assert.ok(m, `no Swedish name for ${factor}`);
  return m[1];
}

test('an administrator, a staff member and a child, from set-up to the help loop', async (t) => {
  const dirs = freshDirs(t);
  const setupPath = createOrg(dirs, { id: 'skolan', name: 'Skolan i Berga', admin: 'rektor', adminName: 'Rektor Rut' });
  assert.match(setupPath, /^\/staff\/#\/setup\/[\w-]+$/, 'the set-up link points at the staff app');

  const server = await startServer(dirs);
  const browser = await launchBrowser();
  t.after(async () => { await browser.close(); await server.stop(); });
  const adminPassword = 'ett långt lösenord för rektorn';
  const staffPassword = 'kuratorns eget långa lösenord';

  // The administrator sets up the organisation; the recovery key is shown once.
  const admin = await (await browser.newContext({ viewport: { width: 1366, height: 768 } })).newPage();
  const recoveryKey = await setUpOrganisation(admin, server.url, setupPath, { username: 'rektor', displayName: 'Rektor Rut', password: adminPassword });
  assert.match(recoveryKey, /^([0-9a-f]{4}-){15}[0-9a-f]{4}$/);

  // The administrator adds a staff member and hands over the enrolment link.
  await staffLogIn(admin, server.url, 'rektor', adminPassword);
  await admin.goto(`${server.url}/staff/#/admin/staff`);
  await admin.locator('#new-username').fill('kurator');
  await admin.locator('#new-display-name').fill('Kim Kurator');
  await admin.locator('#new-role').selectOption('staff');
  await admin.locator('#add-staff').click();
  const enrolLink = (await admin.locator('#enrol-link').innerText({ timeout: 30_000 })).trim();
  assert.match(enrolLink, /\/staff\/#\/enrol\/[\w-]+\.[\w-]+$/);

  // The staff member chooses a password, logs in, reads Swedish, and invites a child.
  const staff = await (await browser.newContext({ viewport: { width: 1366, height: 768 } })).newPage();
  await staff.goto(enrolLink);
  await staff.locator('#enrol-password').fill(staffPassword);
  await staff.locator('#enrol-password-again').fill(staffPassword);
  await staff.locator('#enrol-submit').click();
  await staffLogIn(staff, server.url, 'kurator', staffPassword);
  await staff.locator('#staff-lang-sv').click();
  const childName = `Alva-${randomBytes(4).toString('hex')}`;
  await staff.goto(`${server.url}/staff/#/staff/invite`);
  await staff.locator('#invite-note').fill(childName);
  await staff.locator('#invite-band').selectOption({ value: '10-12' });
  await staff.locator('#invite-create').click();
  await staff.waitForSelector('#cards .card-code', { timeout: 120_000 });
  const code = (await staff.locator('#cards .card-code').first().innerText()).trim();

  // The child answers in English: two risks, one with worry and a wish for help, and a
  // protective factor; everything else skipped, and a canary in their own words.
  const canary = `CANARY-${randomBytes(8).toString('hex')}`;
  const child = await (await browser.newContext({ viewport: { width: 1366, height: 768 } })).newPage();
  await child.goto(server.url);
  await child.locator('#lang-en').click();
  await child.locator('#code').fill(code);
  await child.locator('#login').click();
  await child.waitForSelector(CURRENT, { timeout: 60_000 });
  await answerUntil(child, 'angry');
  assert.equal(await choose(child, 'often'), 'angry.worry');
  await choose(child, 'no');
  await choose(child, 'no');
  await answerUntil(child, 'secret');
  assert.equal(await choose(child, 'yes'), 'secret.often');
  await choose(child, 'sometimes');
  await choose(child, 'a_lot');
  await choose(child, 'yes');
  await answerUntil(child, 'adult_to_talk');
  await choose(child, 'yes');
  await answerUntil(child, 'anything_else');
  await child.locator('#free-text').fill(`I want to tell ${canary}.`);
  await child.locator('#next').click();
  await child.waitForSelector('#finish', { timeout: 15_000 });
  await waitSaved(child);
  await child.locator('#logout').click();

  // The staff member reads the summary in Swedish: exactly those two risks and that
  // protective factor, the help wish among them.
  await staff.goto(`${server.url}/staff/#/staff`);
  await staff.locator('#children a', { hasText: childName }).first().click();
  await staff.waitForSelector('#summary', { timeout: 60_000 });
  const risks = (await staff.locator('#summary .risk-name').allInnerTexts()).map((s) => s.trim()).sort();
  assert.deepEqual(risks, [swedishName('ind.anger'), swedishName('ind.harmful_secrets')].sort());
  const protective = (await staff.locator('#summary .protective-name').allInnerTexts()).map((s) => s.trim());
  assert.deepEqual(protective, [swedishName('ind.protective_persons')]);
  const wanted = staff.locator('#help-wanted .finding');
  assert.equal(await wanted.count(), 1);
  assert.match(await wanted.innerText(), new RegExp(swedishName('ind.harmful_secrets')));
  assert.match(await staff.locator('#not-an-assessment').innerText(), /inte en bedömning/);
  assert.equal(await staff.locator('#urgent .finding').count(), 0);

  // The help wish is planned, with a note for the child.
  const note = 'Vi ses på tisdag och pratar om det.';
  await wanted.locator('.help-note').fill(note);
  await wanted.locator('.help-planned').click();
  await staff.waitForSelector('#help-wanted [data-help-state="planned"]', { timeout: 15_000 });

  // The child logs in again and sees it.
  const again = await (await browser.newContext({ viewport: { width: 1366, height: 768 } })).newPage();
  await again.goto(server.url);
  await again.locator('#lang-en').click();
  await again.locator('#code').fill(code);
  await again.locator('#login').click();
  await again.waitForSelector('#help-status', { timeout: 60_000 });
  assert.match(await again.locator('#help-status').innerText(), /Vi ses på tisdag/);

  // The administrator sees the view in the audit log.
  await admin.goto(`${server.url}/staff/#/admin/audit`);
  await admin.waitForSelector('#audit-log tbody tr', { timeout: 30_000 });
  const audit = await admin.locator('#audit-log').innerText();
  assert.match(audit, /child_data_viewed|visade ett barns svar|viewed a child/i);

  // An old staff link into the child's app still works: it is forwarded to /staff/.
  const old = await (await browser.newContext({ viewport: { width: 1366, height: 768 } })).newPage();
  await old.goto(`${server.url}/#/staff`);
  await old.waitForURL(`${server.url}/staff/#/staff`, { timeout: 30_000 });
  await old.waitForSelector('#staff-username', { timeout: 30_000 });

  // Nothing the child or staff typed about the child is readable on the server.
  await server.stop();
  const verify = execFileSync(SERVER, ['verify-audit', '--data', dirs.data], { encoding: 'utf8' });
  assert.match(verify, /audit log OK/);
  for (const secret of [canary, childName]) {
    assert.deepEqual(filesContaining(dirs.data, secret), [], `${secret} reached the data folder`);
    assert.ok(!server.log.join('').includes(secret), `${secret} reached the log`);
  }
});
