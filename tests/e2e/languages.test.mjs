// The child's languages beyond Swedish: every child page in Arabic passes axe-core on a
// phone, runs right to left and never scrolls sideways, with targets of at least 48 px for the
// youngest; a draft language (Persian) shows its questions right to left in a frame in English,
// and the stored answers name the language the child last read, which a reload comes back to.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  freshDirs, createCodes, startServer, launchBrowser, openAssessment,
  CURRENT, currentItem, nextItem, choose, waitSaved,
} from './harness.mjs';
import { checkablePage, axeViolations } from './a11y.mjs';

const PHONE = { width: 390, height: 844 };

test('every child page in Arabic passes axe-core on a phone, right to left, with big targets for the youngest', async (t) => {
  const dirs = freshDirs(t);
  const bands = ['beratta-6-9@1', 'beratta-10-12@1', 'beratta-13-18@1'];
  const codes = bands.map((band) => createCodes(dirs, 1, band)[0]);
  const server = await startServer(dirs);
  const browser = await launchBrowser();
  t.after(async () => { await browser.close(); await server.stop(); });

  for (const [i, band] of bands.entries()) {
    const page = await checkablePage(browser, PHONE);
    const check = async (what) => {
      const violations = await axeViolations(page);
      assert.deepEqual(violations, [], `${band} ${what} in Arabic:\n${violations.join('\n')}`);
      assert.equal(await page.evaluate(() => document.documentElement.dir), 'rtl', `${band} ${what}`);
      assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth),
        `${band} ${what} scrolls sideways`);
    };
    await page.goto(server.url);
    await page.locator('#lang-ar').click();
    await check('the start page');
    await page.locator('#code').fill(codes[i]);
    await page.locator('#login').click();
    await page.waitForSelector(CURRENT, { timeout: 60_000 });

    const seen = new Set();
    let item = await currentItem(page);
    for (let guard = 0; item !== 'finish' && guard < 300; guard++) {
      const kind = await page.locator(CURRENT).getAttribute('data-kind');
      const key = `${kind}${item.includes('.') ? '+follow-up' : ''}`;
      if (!seen.has(key)) {
        seen.add(key);
        await check(`a ${key} question (${item})`);
        if (band === 'beratta-6-9@1') {
          assert.equal(await page.locator('#buddy[aria-hidden="true"]').count(), 1, `no buddy on ${item}`);
          const small = await page.locator(`${CURRENT} [data-option], ${CURRENT} .speak-option, #speak-question, #auto-read`)
            .evaluateAll((els) => els.map((e) => e.getBoundingClientRect()).filter((r) => r.width < 48 || r.height < 48).length);
          assert.equal(small, 0, `${item} has targets under 48 px`);
        } else {
          assert.equal(await page.locator('#buddy').count(), 0, 'the buddy is for the youngest only');
        }
      }
      // An answer where one click answers; follow-ups come from the first option of a yes/no.
      const options = page.locator(`${CURRENT} [data-option]`);
      if (kind !== 'multiple' && kind !== 'text' && (await options.count()) > 0) {
        await options.first().click();
      } else {
        await page.locator('#skip').click();
      }
      item = await nextItem(page, item);
      if (item === 'help') {
        await check('the help screen');
        await page.locator('#help-go-on').click();
        item = await nextItem(page, item);
      }
    }
    await check('the finish page');
    await page.context().close();
  }
});

test('a draft language: Persian questions right to left in an English frame, saved and resumed', async (t) => {
  const dirs = freshDirs(t);
  const [code] = createCodes(dirs, 1, 'beratta-10-12@1');
  const server = await startServer(dirs);
  const browser = await launchBrowser();
  t.after(async () => { await browser.close(); await server.stop(); });
  const page = await browser.newPage({ viewport: { width: 1366, height: 768 } });
  const stored = async () => openAssessment(dirs, await page.evaluate(() => fetch('/api/child/session').then((r) => r.text())));

  await page.goto(server.url);
  // All seven languages before login, each named in itself.
  for (const [lang, name] of [['sv', 'Svenska'], ['en', 'English'], ['ar', 'العربية'], ['so', 'Soomaali'],
    ['ti', 'ትግርኛ'], ['fa', 'فارسی'], ['uk', 'Українська']]) {
    assert.equal((await page.locator(`#lang-${lang}`).innerText()).trim(), name);
  }
  await page.locator('#code').fill(code);
  await page.locator('#login').click();
  await page.waitForSelector(CURRENT, { timeout: 60_000 });
  await choose(page, 'girl');
  await waitSaved(page);
  assert.equal((await stored()).language, 'sv');
  const where = await currentItem(page);

  // Switching saves the new language even without a new answer, and keeps the place.
  await page.locator('#lang-fa').click();
  await page.waitForFunction(() => document.documentElement.dir === 'rtl');
  assert.equal(await currentItem(page), where);
  assert.equal(await page.evaluate(() => document.documentElement.lang), 'en', 'the frame is English');
  assert.equal(await page.locator('#question .question-text').getAttribute('lang'), 'fa');
  assert.equal(await page.locator('#lang-fa').getAttribute('aria-pressed'), 'true');
  await page.waitForFunction(() => document.querySelector('#save-status')?.dataset.state === 'saved');
  for (let i = 0; i < 50 && (await stored()).language !== 'fa'; i++) await page.waitForTimeout(100);
  assert.equal((await stored()).language, 'fa');

  // A reload comes back in Persian, at the same question, with the answer kept.
  await page.reload();
  await page.waitForSelector(CURRENT, { timeout: 60_000 });
  assert.equal(await page.locator('#lang-fa').getAttribute('aria-pressed'), 'true');
  assert.equal(await page.evaluate(() => document.documentElement.dir), 'rtl');
  assert.equal(await currentItem(page), where);
  assert.deepEqual((await stored()).answers.gender, { choice: 'girl' });
});
