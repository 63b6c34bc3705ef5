// Tigrinya on a device with neither Ethiopic letters nor a Tigrinya voice (this machine): the
// letters shipped with the app load once Tigrinya is chosen, and only then; the missing voice
// is said once, not on every question; and the pages stay free of axe-core violations.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { freshDirs, createCodes, startServer, launchBrowser, logIn, CURRENT, currentItem, nextItem } from './harness.mjs';
import { checkablePage, axeViolations } from './a11y.mjs';

/** The Ethiopic font files this page has fetched, by file name. */
async function ethiopicFetched(page) {
  return page.evaluate(() => performance.getEntriesByType('resource')
    .map((e) => e.name.split('/').pop())
    .filter((name) => name.includes('ethiopic')));
}

test('with Tigrinya chosen the shipped letters load, and the missing voice is said once', async (t) => {
  const dirs = freshDirs(t);
  const [code] = createCodes(dirs, 1, 'beratta-6-9@1');
  const server = await startServer(dirs);
  const browser = await launchBrowser();
  t.after(async () => { await browser.close(); await server.stop(); });

  // In Swedish only the switch's four letters are fetched, never the Tigrinya texts' font.
  const swedish = await browser.newPage();
  await swedish.goto(server.url);
  await swedish.waitForSelector('#lang-ti');
  await swedish.evaluate(() => document.fonts.ready);
  assert.deepEqual(await ethiopicFetched(swedish), ['noto-sans-ethiopic-name.woff2']);
  assert.ok(await swedish.evaluate(() => [...document.fonts].some(
    (f) => f.family.replaceAll('"', '') === 'Beratta Ethiopic' && f.status === 'unloaded')), 'a Swedish reader loaded Tigrinya letters');

  const page = await checkablePage(browser);
  await logIn(page, server.url, code, 'ti');
  assert.match(await page.locator('#question .question-text').innerText(), /[\u1200-\u139F]/, 'the question is not in Ethiopic letters');
  await page.waitForFunction(() => [...document.fonts].some(
    (f) => f.family.replaceAll('"', '') === 'Beratta Ethiopic' && f.status === 'loaded'), null, { timeout: 15_000 });
  assert.ok(await page.evaluate(() => document.fonts.check('24px "Beratta Ethiopic"', 'ትግርኛ')));
  assert.ok((await ethiopicFetched(page)).includes('noto-sans-ethiopic-ti.woff2'));

  // No Tigrinya voice here: said on the first question, then never again.
  assert.match(await page.locator('#no-voice').innerText(), /Tigrinya/);
  assert.deepEqual(await axeViolations(page), [], 'the first Tigrinya question');
  let item = await currentItem(page);
  for (let i = 0; i < 4; i++) {
    const kind = await page.locator(CURRENT).getAttribute('data-kind');
    if (kind === 'multiple') {
      await page.locator(`${CURRENT} [data-option="none"]`).click();
      await page.locator('#next').click();
    } else {
      await page.locator(`${CURRENT} [data-option]`).first().click();
    }
    item = await nextItem(page, item);
    assert.equal(await page.locator('#no-voice').count(), 0, `told again on ${item}`);
  }
  assert.deepEqual(await axeViolations(page), [], `a later Tigrinya question (${item})`);
});
