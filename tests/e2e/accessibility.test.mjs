// Every child page and every staff page passes axe-core at WCAG 2.1 AA, and the
// questionnaire can be completed with the keyboard alone.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import {
  ROOT, SERVER, freshDirs, createCodes, startServer, launchBrowser,
  CURRENT, currentItem, nextItem, answerUntil, choose, waitSaved,
} from './harness.mjs';
import { checkablePage, assertAccessible } from './a11y.mjs';

test('every child page of every age band passes axe-core with no violations', async (t) => {
  const dirs = freshDirs(t);
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
  const dirs = freshDirs(t);
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

test('every staff page passes axe-core with no violations', async (t) => {
  const dirs = freshDirs(t);
  // The demo organisation with staff: `personal` invited the demo child.
  const out = execFileSync(SERVER, [
    'demo', '--data', dirs.data, '--secret-file', dirs.secret, '--questionnaires', join(ROOT, 'questionnaires'),
    '--children', '1', '--with-staff', '--org-key-out', dirs.orgKey,
  ], { encoding: 'utf8' });
  const code = out.match(/\b[3-9A-Z]{4}-[3-9A-Z]{3}-[3-9A-Z]{3}-[3-9A-Z]{3}\b/)[0];
  const server = await startServer(dirs);
  const browser = await launchBrowser();
  t.after(async () => { await browser.close(); await server.stop(); });

  // The child answers something, so the summary has content.
  const child = await browser.newPage();
  await child.goto(server.url);
  await child.locator('#code').fill(code);
  await child.locator('#login').click();
  await child.waitForSelector(CURRENT, { timeout: 60_000 });
  await answerUntil(child, 'secret');
  await choose(child, 'yes');
  await waitSaved(child);

  const checkAll = async (username, password, paths) => {
    const page = await checkablePage(browser);
    await page.goto(`${server.url}/staff/#/staff`);
    await assertAccessible(page, 'the staff login page');
    await page.locator('#staff-username').fill(username);
    await page.locator('#staff-password').fill(password);
    await page.locator('#staff-login').click();
    await page.waitForSelector('#staff-logout', { timeout: 60_000 });
    for (const [path, ready] of paths) {
      await page.goto(`${server.url}/staff/${path}`);
      await page.waitForSelector(ready, { timeout: 30_000 });
      await assertAccessible(page, path);
    }
    return page;
  };

  const staff = await checkAll('personal', 'demo-staff-password', [
    ['#/staff', '#children'],
    ['#/staff/invite', '#invite-create'],
    ['#/staff/rounds', '#round-create'],
  ]);
  await staff.goto(`${server.url}/staff/#/staff`);
  const id = await staff.locator('#children [data-assessment]').first().getAttribute('data-assessment', { timeout: 30_000 });
  for (const path of [`#/staff/child/${id}`, `#/staff/child/${id}/print`]) {
    await staff.goto(`${server.url}/staff/${path}`);
    await staff.waitForSelector('#summary', { timeout: 30_000 });
    await assertAccessible(staff, path);
  }
  await staff.goto(`${server.url}/staff/#/staff/invite`);
  await staff.locator('#invite-note').fill('Testbarn');
  await staff.locator('#invite-create').click();
  await staff.waitForSelector('#cards .card-code', { timeout: 60_000 });
  await assertAccessible(staff, 'the printable cards');

  await checkAll('admin', 'demo-admin-password', [
    ['#/admin/staff', '#staff-list'],
    ['#/admin/units', '#units'],
    ['#/admin/audit', '#audit-log'],
    ['#/admin/statistics-key', '#statistics-key-nobody'],
    ['#/staff', '#children-per-unit'],
    ['#/recover', '#recover-key'],
  ]);
});
