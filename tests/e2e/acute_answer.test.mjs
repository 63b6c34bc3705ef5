// A young person tells of thoughts of taking their own life. Right after that answer a calm
// page says where to get help now, before the next question; they can go on or stop for now.
// Going on, the answer counts: opened as staff would open it, the profile is flagged urgent.
// Stopping, the session ends and the start page says they can come back with the same code.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  freshDirs, createCodes, startServer, launchBrowser, logIn, openAssessment,
  CURRENT, currentItem, nextItem, choose, answerUntil, waitSaved,
} from './harness.mjs';

const INSTRUMENT = 'beratta-13-18@1';

/** Asserts the help screen is shown, instead of a question, with every place to get help. */
async function assertHelpScreen(page) {
  await page.waitForSelector('#help-screen', { timeout: 15_000 });
  assert.equal(await page.locator(CURRENT).count(), 0, 'a question is shown beside the help screen');
  for (const text of ['112', '116 111', 'Jourhavande kompis']) {
    assert.ok(await page.locator('#help-screen').getByText(text).first().isVisible(), `the help screen does not show ${text}`);
  }
  assert.ok(await page.locator('#help-go-on').isVisible());
  assert.ok(await page.locator('#help-stop').isVisible());
  // The page takes the focus, so a screen reader starts at its heading.
  await page.waitForFunction(() => document.activeElement?.matches('#help-screen h1'), null, { timeout: 5_000 });
  assert.ok(!(await page.locator('#help-screen').innerText()).includes('!'), 'the help screen raises its voice');
}

test('an acute answer brings the help screen; going on, the profile is flagged urgent', async (t) => {
  const dirs = freshDirs(t);
  const [code] = createCodes(dirs, 1, INSTRUMENT);
  const server = await startServer(dirs);
  const browser = await launchBrowser();
  t.after(async () => { await browser.close(); await server.stop(); });

  const page = await browser.newPage({ viewport: { width: 1366, height: 768 } });
  await logIn(page, server.url, code);
  await answerUntil(page, 'dark_thoughts');
  assert.equal(await page.locator('#help-now').count(), 0, 'help is offered before anything acute was told');

  // The answer brings the help screen first; going on leads to the next question, with the
  // small reminder beside it from now on.
  assert.equal(await choose(page, 'yes'), 'help');
  await assertHelpScreen(page);
  await page.locator('#help-go-on').click();
  assert.equal(await nextItem(page, 'dark_thoughts'), 'dark_thoughts.often');
  assert.ok(await page.locator('#help-now').getByText('Jourhavande kompis').isVisible());

  // Answering again after going back brings the help screen again.
  await page.locator('#back').click();
  assert.equal(await nextItem(page, 'dark_thoughts.often'), 'dark_thoughts');
  assert.equal(await choose(page, 'yes'), 'help');
  await assertHelpScreen(page);

  // The help screen is page state only: after a reload the next question is shown, and the
  // reminder still is.
  await waitSaved(page);
  await page.reload();
  await page.waitForSelector(CURRENT, { timeout: 30_000 });
  assert.equal(await currentItem(page), 'dark_thoughts.often');
  assert.equal(await page.locator('#help-screen').count(), 0, 'the help screen came back after a reload');
  assert.ok(await page.locator('#help-now').isVisible(), 'the reminder is gone after a reload');

  await answerUntil(page, 'finish');
  assert.ok(await page.locator('#help-now').isVisible(), 'the finish page does not remind where help is');
  await waitSaved(page);

  // Open what was stored with the organisation's key, as staff will, and score it.
  const stored = await page.evaluate(() => fetch('/api/child/session').then((r) => r.text()));
  const opened = openAssessment(dirs, stored);
  assert.equal(opened.profile.questionnaire, 'beratta-13-18');
  assert.equal(opened.profile.acute, true, 'the profile is not flagged urgent');
  const risks = opened.profile.domains.flatMap((d) => d.risks);
  const suicidal = risks.filter((r) => r.factor === 'ind.suicidal_thoughts');
  assert.equal(suicidal.length, 1, `expected one risk ind.suicidal_thoughts: ${JSON.stringify(risks)}`);
  assert.equal(suicidal[0].acute, true);
});

test('stopping for now on the help screen saves the answer and ends the session', async (t) => {
  const dirs = freshDirs(t);
  const [code] = createCodes(dirs, 1, INSTRUMENT);
  const server = await startServer(dirs);
  const browser = await launchBrowser();
  t.after(async () => { await browser.close(); await server.stop(); });

  const page = await browser.newPage({ viewport: { width: 1366, height: 768 } });
  await logIn(page, server.url, code);
  await answerUntil(page, 'dark_thoughts');
  assert.equal(await choose(page, 'yes'), 'help');
  await assertHelpScreen(page);

  await page.locator('#help-stop').click();
  await page.waitForSelector('#stopped-note', { timeout: 15_000 });
  assert.ok(await page.locator('#stopped-note').isVisible());
  assert.match(await page.locator('#stopped-note').innerText(), /samma kod/);
  assert.ok(await page.locator('#code').isVisible(), 'the start page is not shown');
  assert.equal(await page.evaluate(() => sessionStorage.length), 0, 'the tab still holds session data');
  assert.equal(await page.evaluate(() => fetch('/api/child/session').then((r) => r.status)), 401);

  // The answer was saved before the session ended: with the code, the young person is back
  // at the next question, with the reminder of where help is.
  await page.locator('#code').fill(code);
  await page.locator('#login').click();
  await page.waitForSelector(CURRENT, { timeout: 60_000 });
  assert.equal(await currentItem(page), 'dark_thoughts.often');
  assert.ok(await page.locator('#help-now').isVisible());
  assert.equal(await page.locator('#stopped-note').count(), 0);
});
