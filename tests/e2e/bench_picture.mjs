// `make bench`: how long the analyst's browser takes to fetch and open every closed round's
// statistics records and draw the group picture's overview, on this machine's headless
// Chromium. Usage: node bench_picture.mjs URL. Prints one line; asserts nothing about time.

import { launchBrowser, staffLogIn } from './harness.mjs';

const url = process.argv[2];
const browser = await launchBrowser();
try {
  const page = await (await browser.newContext({ viewport: { width: 1366, height: 768 } })).newPage();
  await staffLogIn(page, url, 'analytiker', 'demo-analyst-password');
  const started = Date.now();
  await page.goto(`${url}/staff/#/statistics`);
  await page.waitForSelector('#picture-content[data-view="overview"] table', { timeout: 600_000 });
  const seconds = (Date.now() - started) / 1000;
  const opened = (await page.locator('#picture-opened').innerText()).trim();
  console.log(`  ${seconds.toFixed(2)} s from opening the page to the overview drawn (${opened})`);
} finally {
  await browser.close();
}
