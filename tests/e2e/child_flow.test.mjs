// The walking skeleton, end to end: a child logs in with a printed code, answers so that a
// branch opens and a risk chain appears, reloads and resumes, changes an earlier answer and
// sees the chain disappear, writes in their own words and finishes. Then no file in the
// server's data folder and no line of its log may contain what the child wrote.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import {
  freshDirs, createCodes, startServer, launchBrowser, filesContaining,
  CURRENT, currentItem, nextItem, choose, answerUntil, waitSaved,
} from './harness.mjs';

test('a child answers, resumes after a reload, changes an answer, finishes, and only ciphertext is stored', async (t) => {
  const dirs = freshDirs(t);
  const [code] = createCodes(dirs, 1);
  const server = await startServer(dirs);
  const browser = await launchBrowser();
  t.after(async () => { await browser.close(); await server.stop(); });

  const page = await browser.newPage({ viewport: { width: 1366, height: 768 } });
  await page.goto(server.url);
  await page.locator('#code').fill(code);
  await page.locator('#login').click();
  await page.waitForSelector(CURRENT, { timeout: 60_000 });

  // A risk item endorsed: its chain appears right after it.
  await answerUntil(page, 'secret');
  assert.equal(await choose(page, 'yes'), 'secret.often');
  assert.equal(await choose(page, 'sometimes'), 'secret.worry');
  await waitSaved(page);

  // A reload resumes at the same question, without the code.
  await page.reload();
  await page.waitForSelector(CURRENT, { timeout: 30_000 });
  assert.equal(await currentItem(page), 'secret.worry');
  assert.equal(await page.locator('#code').count(), 0, 'the start page is not shown again');

  // Back to the risk item; taking it back makes its chain disappear.
  await page.locator('#back').click();
  assert.equal(await nextItem(page, 'secret.worry'), 'secret.often');
  await page.locator('#back').click();
  assert.equal(await nextItem(page, 'secret.often'), 'secret');
  const afterNo = await choose(page, 'no');
  assert.ok(!afterNo.startsWith('secret.'), `the chain is still there: ${afterNo}`);

  // A branch opens: a leisure activity brings the question about an adult there.
  await answerUntil(page, 'activity');
  assert.equal(await choose(page, 'yes'), 'activity_adult');

  // The child's own words, with a canary no file or log line may hold.
  const canary = `CANARY-${randomBytes(8).toString('hex')}`;
  await answerUntil(page, 'anything_else');
  await page.locator('#free-text').fill(`Jag vill säga ${canary} till någon.`);
  await page.locator('#next').click();
  await page.waitForSelector('#finish', { timeout: 15_000 });
  await waitSaved(page);

  // Stop the server so sled has written everything it ever will, then search.
  await server.stop();
  assert.deepEqual(filesContaining(dirs.data, canary), [], 'plaintext answers reached the data folder');
  assert.ok(!server.log.join('').includes(canary), 'plaintext answers reached the log');
  assert.ok(server.log.join('').length > 0, 'the server logged nothing at all, so the log check proves nothing');
});
