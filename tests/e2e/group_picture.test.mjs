// Issue 12 in the browser, on the seeded Demokommun (`demo-municipality --children 2000
// --seed 1`): the analyst opens the group picture and sees, for bullying in Västerby in
// 2026, exactly the share and Wilson interval this test computes by itself from the
// generator's answers (printed by the `demo_answers` example, counted here in plain
// JavaScript); a small cell carries the privacy mark and no figure; the CSV download holds
// exactly the table's words; the planted intervention shows as a reliable fall and the idle
// one as no reliable change; a round still open shows no figures (and its records are
// refused); every opening is in the audit log without figures; the views pass axe-core.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { seededDemokommun, staffLogIn, openAnonymousRound, swedishShare } from './harness.mjs';
import { checkablePage, assertAccessible } from './a11y.mjs';

// Enough children that the planted effect is detectable: cohorts of about 250 a round.
const CHILDREN = '2000';
const SEED = '1';

/** Reads CSV (RFC 4180: quotes, doubled quotes, commas and newlines inside quotes). */
function parseCsv(text) {
  const rows = [];
  let row = [];
  let field = '';
  let quoted = false;
  const src = text.replace(/^\uFEFF/, '');
  for (let i = 0; i < src.length; i++) {
    const c = src[i];
    if (quoted) {
      if (c === '"' && src[i + 1] === '"') { field += '"'; i++; } else if (c === '"') quoted = false; else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') { row.push(field); field = ''; } else if (c === '\n') { row.push(field); rows.push(row); row = []; field = ''; } else if (c !== '\r') field += c;
  }
  if (field !== '' || row.length) { row.push(field); rows.push(row); }
  return rows;
}

/** A table's words as the screen shows them: the headings, then each row. */
async function tableTexts(page, selector) {
  return page.locator(`${selector} table`).evaluate((table) => [
    [...table.querySelectorAll('thead th')].map((c) => c.textContent.trim()),
    ...[...table.querySelectorAll('tbody tr')].map((r) => [...r.children].map((c) => c.textContent.trim())),
  ]);
}

async function choose(page, { year, breakdown, view }) {
  if (year) await page.locator('#picture-year').selectOption(year);
  if (breakdown !== undefined) await page.locator('#picture-breakdown').selectOption(breakdown);
  if (view) await page.locator('#picture-view').selectOption(view);
  await page.waitForSelector(`#picture-content[data-view="${view ?? 'overview'}"]`, { timeout: 30_000 });
}

test('the analyst sees the seeded municipality exactly, small cells marked, the CSV as the screen, the planted effects, and no figures for an open round', async (t) => {
  const { answers, server, browser } = await seededDemokommun(t, CHILDREN, SEED);

  // The administrator opens a round today: it is listed, with no figures.
  const admin = await checkablePage(browser);
  await staffLogIn(admin, server.url, 'kommun-admin', 'demo-kommun-password');
  const open = await openAnonymousRound(admin, 'Vårens enkät, pågår');

  // The analyst opens the group picture.
  const page = await checkablePage(browser);
  await staffLogIn(page, server.url, 'analytiker', 'demo-analyst-password');
  await page.locator('#staff-lang-sv').click();
  await page.goto(`${server.url}/staff/#/statistics`);
  await page.waitForSelector('#picture-opened', { timeout: 120_000 });
  assert.ok((await page.locator('#picture-opened').innerText()).startsWith(`${answers.length} statistikposter från 18 omgångar öppnade.`),
    await page.locator('#picture-opened').innerText());
  assert.match(await page.locator('#picture-open').innerText(), /Vårens enkät, pågår: öppen till/);
  const refused = await page.evaluate(async (id) => (await fetch(`/api/statistics/rounds/${id}/records`)).status, open.round_id);
  assert.equal(refused, 409, 'an open round served records');
  // The year's rounds with their response rates: invited (cards, kiosk starts), finished.
  const response = await tableTexts(page, '#response');
  assert.deepEqual(response[0], ['Omgång', 'Inbjudna', 'Svarande (klara)', 'Svarsfrekvens']);
  assert.equal(response.length - 1, 9, 'nine rounds closed in 2026');
  for (const row of response.slice(1)) assert.match(row[3], /^\d+ %$/, row.join(' | '));
  await assertAccessible(page, 'the group picture overview');

  // Bullying in Västerby, 2026, counted here from the generator's answers.
  const factor = 'sch.bullied';
  const told = answers
    .filter((a) => a.area === 'vasterby' && a.year === 2026 && a.finished && a.risks[factor] && a.risks[factor] !== 'declined');
  const k = told.filter((a) => a.risks[factor] === 'yes').length;
  const n = told.length;
  assert.ok(n >= 10 && k >= 5 && n - k >= 5, `the seeded cell is too small to check: ${k} of ${n}`);
  await choose(page, { year: '2026', breakdown: 'unit', view: 'areas' });
  const table = await tableTexts(page, '#by-group');
  const column = table[0].indexOf('Västerby');
  assert.ok(column > 0, `no Västerby column in ${table[0]}`);
  const bullied = await page.locator(`#by-group tr[data-factor="${factor}"]`).evaluate((tr) => [...tr.children].map((c) => c.textContent.trim()));
  assert.equal(bullied[column], swedishShare(k, n), `bullying in Västerby, ${k} of ${n}`);

  // A browser whose WebCrypto has no X25519 opens every record in WebAssembly instead:
  // the same records, the same figure.
  const plain = await checkablePage(browser);
  await plain.addInitScript(() => {
    const importKey = SubtleCrypto.prototype.importKey;
    SubtleCrypto.prototype.importKey = function (format, data, algorithm, ...rest) {
      const name = typeof algorithm === 'string' ? algorithm : algorithm?.name;
      if (name === 'X25519') {
        window.refusedX25519 = (window.refusedX25519 ?? 0) + 1;
        return Promise.reject(new DOMException('no X25519 here', 'NotSupportedError'));
      }
      return importKey.call(this, format, data, algorithm, ...rest);
    };
  });
  await staffLogIn(plain, server.url, 'analytiker', 'demo-analyst-password');
  await plain.locator('#staff-lang-sv').click();
  await plain.goto(`${server.url}/staff/#/statistics`);
  await plain.waitForSelector('#picture-opened', { timeout: 120_000 });
  assert.ok((await plain.locator('#picture-opened').innerText()).startsWith(`${answers.length} statistikposter från 18 omgångar öppnade.`));
  await choose(plain, { year: '2026', breakdown: 'unit', view: 'areas' });
  assert.deepEqual(await tableTexts(plain, '#by-group'), table, 'opened in WebAssembly, the table differs');
  assert.equal(await plain.evaluate(() => window.refusedX25519), 1, 'the page did not try WebCrypto once and then do without');
  await plain.close();

  // The CSV download holds exactly the table's words.
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.locator('#by-group button.csv').click(),
  ]);
  const csv = readFileSync(await download.path(), 'utf8');
  assert.deepEqual(parseCsv(csv), table, 'the CSV differs from the screen');

  // Split by gender: a group too small, or a count under five, is marked and shows no figure.
  await choose(page, { breakdown: 'gender', view: 'areas' });
  const marks = await page.locator('#by-group td.tone-hidden').allInnerTexts();
  assert.ok(marks.length > 0, 'no cell is hidden when split by gender');
  for (const mark of marks) {
    assert.ok(['<5', 'dold (integritet)', 'för få svarande'].includes(mark.trim()), `a hidden cell reads "${mark}"`);
  }

  // The domain profiles: bars with a table beside them, hidden cells hatched, not zero.
  await choose(page, { breakdown: 'unit', view: 'domains' });
  assert.ok(await page.locator('svg.picture-chart').count() > 0, 'no chart');
  assert.equal(await page.locator('svg.picture-chart').count(), await page.locator('.picture-profile table').count());
  await assertAccessible(page, 'the domain profiles');

  // Before and after: Trygg fritid lowered criminal peers; Föräldraträffar changed nothing.
  await choose(page, { view: 'before_after' });
  const working = page.locator('.picture-table', { has: page.locator('caption', { hasText: 'Trygg fritid' }) });
  const fall = working.locator('tr[data-factor="com.criminal_peers"] td').nth(2);
  assert.match(await fall.innerText(), /säkerställd minskning; (parad|oparad jämförelse)/);
  assert.equal(await fall.getAttribute('class'), 'tone-reliable');
  const idle = page.locator('.picture-table', { has: page.locator('caption', { hasText: 'Föräldraträffar' }) });
  const same = idle.locator('tr[data-factor="com.criminal_peers"] td').nth(2);
  assert.match(await same.innerText(), /ingen säkerställd förändring/);
  // Of every risk compared, nearly all show no reliable change (at 95 % a few may by chance).
  const changes = await idle.locator('tbody tr td:nth-child(4):not(.tone-hidden)').allInnerTexts();
  assert.ok(changes.length >= 20, `only ${changes.length} risks compared for the idle intervention`);
  const unchanged = changes.filter((c) => c.includes('ingen säkerställd förändring')).length;
  assert.ok(unchanged / changes.length >= 0.85, `only ${unchanged} of ${changes.length} risks show no reliable change`);
  await assertAccessible(page, 'before and after');

  // The A4 print layout: the release, the instruments and the rules, then the figures.
  await page.evaluate(() => { window.print = () => { window.printed = true; }; });
  await page.locator('#picture-print').click();
  await page.waitForSelector('#picture-print-layout .picture-profile', { timeout: 30_000 });
  await page.waitForFunction(() => window.printed === true, null, { timeout: 10_000 });
  assert.match(await page.locator('#print-release').innerText(), /^Omgångar stängda 2026: /);
  assert.match(await page.locator('#print-instruments').innerText(), /beratta-13-18@1/);
  assert.match(await page.locator('#print-rules').innerText(), /färre än 10 svarande/);
  await assertAccessible(page, 'the print layout');
  await page.locator('#picture-back').click();
  await page.waitForSelector('#picture-selector', { timeout: 30_000 });

  // Every opening is audited: which view, breakdown and rounds, never a figure.
  const log = await admin.evaluate(async () => (await fetch('/api/admin/audit?from=1')).json());
  const openings = log.filter((e) => e.action === 'group_picture_opened');
  for (const start of ['overview everyone: ', 'areas unit: ', 'areas gender: ', 'domains unit: ', 'before_after unit: ', 'print everyone: ']) {
    assert.ok(openings.some((e) => e.subject.startsWith(start)), `no opening "${start}…" in ${JSON.stringify(openings.map((e) => e.subject))}`);
  }
  assert.ok(openings.every((e) => e.actor !== 'cli' && e.actor !== 'system'));

  // Closing the open round on its page freezes its release: from then on it is served.
  admin.on('dialog', (dialog) => dialog.accept());
  await admin.goto(`${server.url}/staff/#/staff/rounds/${open.round_id}`);
  await admin.waitForSelector('#round-open', { timeout: 30_000 });
  await assertAccessible(admin, 'an open round\'s page');
  await admin.locator('#round-close').click();
  await admin.waitForSelector('#round-closed', { timeout: 30_000 });
  const served = await page.evaluate(async (id) => (await fetch(`/api/statistics/rounds/${id}/records`)).json(), open.round_id);
  assert.deepEqual(served.records, [], 'a round nobody answered has no records');
  assert.ok(openings.every((e) => !e.subject.includes('%')), 'a figure in the log');
});
