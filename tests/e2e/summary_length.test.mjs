// The summary of one child reads in about two minutes: for a child who told of four risks it
// is at most half as tall as the summary this test was measured against.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { freshDirs, startServer, launchBrowser } from './harness.mjs';
import { inviteChild, answerFourRisks, openSummary, pageHeight } from './four_risks.mjs';

// Measured on 2026-12-07 at 06:20 UTC with the summary as it stood before issue 10 (commit
// 64aefc7), by this file's measurement: headless Chromium, a 1280×800 viewport, staff reading
// Swedish, `document.documentElement.scrollHeight` of the summary page and of its print view
// (printed media).
const BASELINE_SCREEN = 4706;
const BASELINE_PRINT = 3769;

const VIEWPORT = { width: 1280, height: 800 };

test('the summary of a child who told of four risks is at most half as tall as before', async (t) => {
  const dirs = freshDirs(t);
  const code = inviteChild(dirs);
  const server = await startServer(dirs);
  const browser = await launchBrowser();
  t.after(async () => { await browser.close(); await server.stop(); });

  const child = await (await browser.newContext({ viewport: VIEWPORT })).newPage();
  await answerFourRisks(child, server.url, code);

  const staff = await (await browser.newContext({ viewport: VIEWPORT })).newPage();
  await openSummary(staff, server.url);
  assert.equal(await staff.locator('#summary .risk-name').count(), 4,
    'the child told of exactly four risks');
  const screen = await pageHeight(staff);
  const id = await staff.evaluate(() => location.hash.split('/').pop());
  await staff.goto(`${server.url}/staff/#/staff/child/${id}/print`);
  await staff.waitForSelector('#summary #instrument', { timeout: 60_000 });
  await staff.emulateMedia({ media: 'print' });
  const print = await pageHeight(staff);
  console.log(`summary height: screen ${screen} px (baseline ${BASELINE_SCREEN}), print ${print} px (baseline ${BASELINE_PRINT})`);
  assert.ok(screen <= BASELINE_SCREEN / 2, `the summary is ${screen} px tall; half the baseline is ${BASELINE_SCREEN / 2}`);
  assert.ok(print <= BASELINE_PRINT / 2, `the print view is ${print} px tall; half the baseline is ${BASELINE_PRINT / 2}`);
});
