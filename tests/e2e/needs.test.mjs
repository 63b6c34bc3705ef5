// Issue 13 in the browser, on the seeded Demokommun: the planted gap (many of Västerby's
// 13–18-year-olds lack a structured free time, and no youth centre serves them) is marked
// in the needs × resources view with exactly the share this test counts by itself; the
// planted duplicate is marked in the register; a resource added through the page appears
// where it serves and removes that gap; the register's CSV export re-imports to the same
// register; bad files name their rows and change nothing; priorities are stored with
// their release; the lägesbild prints with the law's three parts; axe-core finds nothing.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { seededDemokommun, staffLogIn, swedishShare } from './harness.mjs';
import { checkablePage, assertAccessible } from './a11y.mjs';

const CHILDREN = '900';
const SEED = '2';
const GAP_CELL = 'Västerby, 13–18 år';

async function openNeeds(page, url) {
  await page.goto(`${url}/staff/#/statistics`);
  await page.waitForSelector('#picture-opened', { timeout: 120_000 });
  await page.locator('#picture-view').selectOption('needs');
  await page.waitForSelector('#picture-content[data-view="needs"] section.needs-cell', { timeout: 120_000 });
}

/** The cells of the fri.leisure row in the gap's area and age band. */
async function leisureRow(page) {
  const row = page.locator(`section.needs-cell[aria-label="${GAP_CELL}"] tr[data-factor="fri.leisure"]`);
  await row.waitFor({ timeout: 30_000 });
  return row.evaluate((tr) => [...tr.children].map((c) => c.textContent.trim()));
}

async function register(page) {
  const body = await page.evaluate(async () => (await fetch('/api/resources')).json());
  return body.resources.map(({ changed_unix: _, ...rest }) => rest).sort((a, b) => a.resource_id.localeCompare(b.resource_id));
}

async function importFile(page, name, text) {
  await page.locator('#resources-file').setInputFiles({ name, mimeType: 'text/csv', buffer: Buffer.from(text) });
  await page.locator('#resources-import-button').click();
}

test('the needs view marks the planted gap, a resource added in the page closes it, the register round-trips as CSV and the lägesbild prints', async (t) => {
  const { answers, server, browser } = await seededDemokommun(t, CHILDREN, SEED);

  const page = await checkablePage(browser);
  page.on('dialog', (dialog) => dialog.accept());
  await staffLogIn(page, server.url, 'analytiker', 'demo-analyst-password');
  await page.locator('#staff-lang-sv').click();

  // The planted gap, with the share of those lacking a structured free time counted here.
  const told = answers.filter((a) => a.area === 'vasterby' && a.band === '13-18' && a.year === 2026 && a.finished
    && a.protective['fri.leisure'] && a.protective['fri.leisure'] !== 'declined');
  const k = told.filter((a) => a.protective['fri.leisure'] === 'absent').length;
  const n = told.length;
  assert.ok(n >= 40 && k / n > 0.4, `the planted lack is too small to check: ${k} of ${n}`);
  await openNeeds(page, server.url);
  let row = await leisureRow(page);
  assert.equal(row[0], 'Saknar: Ordnade fritidsaktiviteter (idrott, musik, fritidsgård, bibliotek)');
  assert.equal(row[1], swedishShare(k, n), `the lack in Västerby, ${k} of ${n}`);
  assert.match(row[4], /över resten av kommunen/);
  assert.equal(row[5], 'Glapp: högt behov och ingen resurs här');
  assert.match(await page.locator('#needs-definition').innerText(), /99,8 %/);
  await assertAccessible(page, 'the needs view');

  // The register: the planted duplicate is marked.
  await page.goto(`${server.url}/staff/#/resources`);
  await page.waitForSelector('#resources tbody tr', { timeout: 30_000 });
  const twins = await page.locator('#resources tr.duplicate th').allInnerTexts();
  assert.equal(twins.length, 2, twins.join(' | '));
  assert.ok(twins.some((x) => x.startsWith('Fältgruppen')) && twins.some((x) => x.startsWith('Fältarna')), twins.join(' | '));
  await assertAccessible(page, 'the resources register');

  // A youth centre added through the page, for Västerby's 13–18-year-olds' free time.
  await page.locator('#resource-name').fill('Fritidsgården Västerby');
  await page.locator('#resource-kind').selectOption('youth_centre');
  await page.locator('#resource-areas label', { hasText: 'Västerby' }).locator('input').check();
  await page.locator('#resource-bands input[value="13-18"]').check();
  await page.locator('#resource-protective input[value="fri.leisure"]').check();
  await page.locator('#resource-save').click();
  await page.waitForFunction(() => document.querySelector('#resources-notice')?.textContent.includes('Fritidsgården Västerby är sparad'));
  await page.waitForSelector('#resources tr:has-text("Fritidsgården Västerby")');

  // It appears where it serves, and the gap is gone.
  await openNeeds(page, server.url);
  row = await leisureRow(page);
  assert.equal(row[5], 'Fritidsgården Västerby');
  assert.match(await page.locator(`section.needs-cell[aria-label="${GAP_CELL}"] .serving`).innerText(), /Fritidsgården Västerby/);

  // The CSV export re-imports to the same register.
  await page.goto(`${server.url}/staff/#/resources`);
  await page.waitForSelector('#resources tbody tr', { timeout: 30_000 });
  const before = await register(page);
  assert.equal(before.length, 9);
  const [download] = await Promise.all([page.waitForEvent('download'), page.locator('#resources-export').click()]);
  const csv = readFileSync(await download.path(), 'utf8');
  await importFile(page, 'resursregister.csv', csv);
  await page.waitForFunction(() => document.querySelector('#resources-notice')?.textContent.includes('9 resurser'));
  assert.deepEqual(await register(page), before, 'the export did not read back as the same register');

  // Bad files: every bad row named, nothing changed.
  const bad = 'name,kind,owner,areas,age_bands,hours,contact,factors\n'
    + 'Bra,sport,,Västerby,13-18,,,fri.leisure\n'
    + ',sport,,Västerby,13-18,,,fri.okand\n'
    + 'Kort rad,sport\n';
  await importFile(page, 'fel.csv', bad);
  await page.waitForFunction(() => document.querySelector('#resources-error')?.textContent.includes('Rad 4'));
  const problem = await page.locator('#resources-error').innerText();
  assert.match(problem, /Rad 3, Namn: får inte vara tomt\./);
  assert.match(problem, /Rad 3, Faktorer: okänd faktor "fri\.okand"\./);
  assert.match(problem, /Rad 4: raden har 2 fält, rubrikraden 8\./);
  assert.deepEqual(await register(page), before);
  await importFile(page, 'stor.csv', 'x'.repeat(10 * 1024 * 1024));
  await page.waitForFunction(() => document.querySelector('#resources-error')?.textContent.includes('för stor'));
  assert.deepEqual(await register(page), before);
  await assertAccessible(page, 'the register with a problem shown');

  // Priorities, stored with their release.
  await openNeeds(page, server.url);
  await page.locator('#priority-factor-0').selectOption('fri.leisure');
  await page.locator('#priority-why-0').fill('Många i Västerby 13–18 saknar en ordnad fritid.');
  await page.locator('#priority-why-0').dispatchEvent('change');
  await page.locator('#priority-factor-1').selectOption('sch.bullied');
  await page.locator('#priority-why-1').fill('Mobbningen har ökat i Västerby.');
  await page.locator('#priority-why-1').dispatchEvent('change');
  await page.locator('#needs-priorities-save').click();
  await page.waitForFunction(() => document.querySelector('#needs-notice')?.textContent.includes('2026'));
  const needs = await page.evaluate(async () => (await fetch('/api/needs')).json());
  assert.equal(needs.priorities.length, 1);
  assert.equal(needs.priorities[0].year, '2026');
  assert.equal(needs.priorities[0].rounds.length, 9, 'the release: the nine rounds closed in 2026');
  assert.deepEqual(needs.priorities[0].priorities.map((p) => p.factor), ['fri.leisure', 'sch.bullied']);

  // The lägesbild: the release, the instruments, the rules, then the law's three parts.
  await page.evaluate(() => { window.print = () => { window.printed = true; }; });
  await page.locator('#needs-lagesbild').click();
  await page.waitForSelector('#lagesbild', { timeout: 60_000 });
  await page.waitForFunction(() => window.printed === true, null, { timeout: 10_000 });
  assert.equal(await page.locator('#lagesbild-title').innerText(), 'Lägesbild 2026: Demokommun');
  const facts = await page.locator('#lagesbild-facts').innerText();
  assert.match(facts, /Utgåva: omgångar stängda 2026/);
  assert.match(facts, /beratta-13-18@1/);
  assert.match(facts, /färre än 10 svarande/);
  const parts = await page.locator('.lagesbild-part > h2').allInnerTexts();
  assert.deepEqual(parts, ['1. Kartläggning', '2. Annan relevant information', '3. Analys']);
  assert.ok(await page.locator('#lagesbild-mapping svg.picture-chart').count() > 0, 'no profile in part 1');
  assert.match(await page.locator('#lagesbild-other').innerText(), /Fritidsgården Västerby/);
  const analysis = await page.locator('#lagesbild-analysis').innerText();
  assert.match(analysis, /Många i Västerby 13–18 saknar en ordnad fritid\./);
  await assertAccessible(page, 'the lägesbild');

  // Every change is in the audit log, by the analyst.
  const admin = await checkablePage(browser);
  await staffLogIn(admin, server.url, 'kommun-admin', 'demo-kommun-password');
  const log = await admin.evaluate(async () => (await fetch('/api/admin/audit?from=1')).json());
  for (const action of ['resource_created', 'resources_imported', 'priorities_set']) {
    assert.ok(log.some((e) => e.action === action && e.actor !== 'cli'), `no ${action} in the log`);
  }
  assert.ok(log.some((e) => e.action === 'group_picture_opened' && e.subject.startsWith('lagesbild everyone: ')));
});
