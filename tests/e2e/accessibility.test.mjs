// Every child page passes axe-core at WCAG 2.1 AA, and the questionnaire can be completed
// with the keyboard alone.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { freshDirs, createCodes, startServer, launchBrowser, CURRENT, currentItem, nextItem } from './harness.mjs';
import { checkablePage, axeViolations } from './a11y.mjs';

async function assertAccessible(page, what) {
  const violations = await axeViolations(page);
  assert.deepEqual(violations, [], `${what} has accessibility violations:\n${violations.join('\n')}`);
}

test('every child page of every age band passes axe-core with no violations', async (t) => {
  const dirs = freshDirs();
  const bands = ['beratta-6-9@1', 'beratta-10-12@1', 'beratta-13-18@1'];
  const codes = bands.map((band) => createCodes(dirs, 1, band)[0]);
  const server = await startServer(dirs);
  const browser = await launchBrowser();
  t.after(async () => { await browser.close(); await server.stop(); });

  for (const [i, band] of bands.entries()) {
    const page = await checkablePage(browser);
    await page.goto(server.url);
    await assertAccessible(page, 'the start page');
    await page.locator('#code').fill('not a code');
    await page.locator('#login').click();
    await assertAccessible(page, 'the start page with an error');
    await page.locator('#code').fill(codes[i]);
    await page.locator('#login').click();
    await page.waitForSelector(CURRENT, { timeout: 60_000 });
    // Each kind of question once, and the finish page.
    const seen = new Set();
    let item = await currentItem(page);
    for (let guard = 0; item !== 'finish' && guard < 300; guard++) {
      const kind = await page.locator(CURRENT).getAttribute('data-kind');
      const followUp = item.includes('.');
      const key = `${kind}${followUp ? '+follow-up' : ''}`;
      if (!seen.has(key)) {
        seen.add(key);
        await assertAccessible(page, `${band}: a ${key} question (${item})`);
      }
      const options = page.locator(`${CURRENT} [data-option]`);
      if (kind !== 'multiple' && kind !== 'text' && (await options.count()) > 0) {
        await options.first().click();
      } else {
        await page.locator('#skip').click();
      }
      item = await nextItem(page, item);
      if (await page.locator('#help-screen').count()) {
        await assertAccessible(page, `${band}: the help-now screen`);
        await page.locator('#help-go-on').click();
        item = await nextItem(page, item);
      }
    }
    assert.equal(item, 'finish');
    await assertAccessible(page, `${band}: the finish page`);
    await page.context().close();
  }
});

test('a child can answer the whole questionnaire with the keyboard alone', async (t) => {
  const dirs = freshDirs();
  const [code] = createCodes(dirs, 1, 'beratta-10-12@1');
  const server = await startServer(dirs);
  const browser = await launchBrowser();
  t.after(async () => { await browser.close(); await server.stop(); });
  const page = await browser.newPage({ viewport: { width: 1366, height: 768 } });
  await page.goto(server.url);

  // Tab to the code field, type, press Enter: no mouse anywhere below.
  for (let i = 0; i < 10 && !(await page.evaluate(() => document.activeElement?.id === 'code')); i++) {
    await page.keyboard.press('Tab');
  }
  assert.equal(await page.evaluate(() => document.activeElement?.id), 'code', 'Tab never reached the code field');
  await page.keyboard.type(code);
  await page.keyboard.press('Enter');
  await page.waitForSelector(CURRENT, { timeout: 60_000 });

  let item = await currentItem(page);
  for (let guard = 0; item !== 'finish' && guard < 300; guard++) {
    // Focus starts on the question; Tab forward to the first answer and press it.
    const kind = await page.locator(CURRENT).getAttribute('data-kind');
    const target = kind === 'multiple' || kind === 'text' ? '#skip' : `${CURRENT} [data-option]`;
    let reached = false;
    for (let i = 0; i < 40 && !reached; i++) {
      await page.keyboard.press('Tab');
      reached = await page.evaluate((sel) => {
        const el = document.activeElement;
        return !!el && el.matches(sel);
      }, target);
    }
    assert.ok(reached, `Tab never reached an answer on ${item}`);
    const visibleFocus = await page.evaluate(() => {
      const style = getComputedStyle(document.activeElement);
      return style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0;
    });
    assert.ok(visibleFocus, `the focused answer on ${item} has no visible focus outline`);
    await page.keyboard.press('Enter');
    item = await nextItem(page, item);
    if (await page.locator('#help-screen').count()) {
      for (let i = 0; i < 20 && !(await page.evaluate(() => document.activeElement?.id === 'help-go-on')); i++) {
        await page.keyboard.press('Tab');
      }
      await page.keyboard.press('Enter');
      item = await nextItem(page, item);
    }
  }
  assert.equal(item, 'finish');
});
